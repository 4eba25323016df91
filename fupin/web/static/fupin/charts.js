// Charts without inline script (the CSP forbids it): an element with data-chart names the id of
// a <script type="application/json"> holding {kind, categories, series: [{name, data}], unit}.
(function () {
  "use strict";
  function draw(el) {
    var source = document.getElementById(el.dataset.chart);
    if (!source || !window.echarts) { return; }
    var spec = JSON.parse(source.textContent);
    var chart = window.echarts.init(el, null, { renderer: "svg" });
    chart.setOption({
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 48, right: 16, top: 32, bottom: 32 },
      xAxis: { type: "category", data: spec.categories },
      yAxis: { type: "value", name: spec.unit || "" },
      series: spec.series.map(function (s) {
        return { name: s.name, type: s.type || spec.kind || "line", data: s.data,
                 connectNulls: true, step: s.step || false };
      })
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  function init() {
    document.querySelectorAll("[data-chart]").forEach(draw);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
