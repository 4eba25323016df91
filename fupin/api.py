"""The REST API (/api/v1/): django-ninja routers of every app, one policy."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError, ValidationError

from fupin import __version__
from fupin.accounts.auth import TokenAuth
from fupin.core.actions import ActionRefused, NotPermitted
from fupin.core.api import SessionAuth


class VendoredSwagger(Swagger):
    """Swagger UI from our own static files (fupin/web/static/vendor/swagger-ui): ninja falls
    back to a CDN when it is not an installed app, and our CSP (script-src 'self') blocks that,
    leaving a blank page."""

    template = "core/api_docs.html"

    def render_page(self, request, api, **kwargs):
        self.settings["url"] = self.get_openapi_url(api, kwargs)
        return render(request, self.template, {
            "api": api, "swagger_settings": self.settings,
            "csrf_needed": any(getattr(a, "csrf", False) for a in api.auth or ()),
        })


api = NinjaAPI(
    title="Fupin API",
    version=__version__,
    description="农村抓党建促扶贫 — Fupin REST API. Authenticate with `Authorization: Bearer <token>` "
    "(create one with `fupin token create USERNAME` or on the API tokens page).",
    auth=[TokenAuth(), SessionAuth(csrf=True)],
    urls_namespace="api",
    # The schema holds no data, but it maps the system: only signed-in users read it.
    docs_decorator=login_required,
    docs=VendoredSwagger(settings={"persistAuthorization": True}),
)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": str(exc) or _("Not found.")}, status=404)


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    return api.create_response(request, {"detail": _("Authentication required.")}, status=401)


@api.exception_handler(HttpError)
def http_error(request, exc):
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


@api.exception_handler(ActionRefused)
def refused(request, exc):
    """An action's refusal: 403 for the role or region (NotPermitted), else 400."""
    status = 403 if isinstance(exc, NotPermitted) else 400
    return api.create_response(request, {"detail": "; ".join(exc.messages)}, status=status)


@api.exception_handler(PermissionDenied)
def forbidden(request, exc):
    # The change log's scope check inside a write's transaction, rolled back by now.
    return api.create_response(request, {"detail": str(exc) or _("Your role may not do this.")},
                               status=403)


@api.exception_handler(ValidationError)
def invalid(request, exc):
    return api.create_response(
        request, {"detail": _("The request is not valid."), "errors": exc.errors}, status=422
    )


def _add_routers():
    from fupin.accounts.api import router as accounts_router
    from fupin.analytics.api import router as analytics_router
    from fupin.assistance.api import router as assistance_router
    from fupin.core.api_views import router as audit_router
    from fupin.democracy.api import router as democracy_router
    from fupin.party.api import router as party_router
    from fupin.poverty.api import router as poverty_router
    from fupin.regions.api import router as regions_router
    from fupin.supervision.api import router as supervision_router
    from fupin.training.api import router as training_router

    api.add_router("/regions/", regions_router)
    api.add_router("/accounts/", accounts_router)
    api.add_router("/audit/", audit_router)
    api.add_router("/poverty/", poverty_router)
    api.add_router("/party/", party_router)
    api.add_router("/analytics/", analytics_router)
    api.add_router("/assistance/", assistance_router)
    api.add_router("/training/", training_router)
    api.add_router("/democracy/", democracy_router)
    api.add_router("/supervision/", supervision_router)


_add_routers()
