// Starts Swagger UI on /api/v1/docs from a JSON block: the CSP allows no inline script.
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("swagger-settings").textContent);
  var csrf = document.body.dataset.csrfToken;
  config.dom_id = "#swagger-ui";
  config.presets = [SwaggerUIBundle.presets.apis];
  if (csrf) {
    // Signed-in users call the API with their session; ninja's SessionAuth wants the token.
    config.requestInterceptor = function (req) {
      req.headers["X-CSRFToken"] = csrf;
      return req;
    };
  }
  window.ui = SwaggerUIBundle(config);
})();
