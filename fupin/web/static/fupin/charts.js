// Charts without inline script (the CSP forbids it): an element with data-chart names the id of
// a <script type="application/json"> holding {kind, categories, series: [{name, data}], unit}.
//
// Optional, for the analytics dashboards:
//   kind "pie": one series, a slice per category;
//   horizontal: true draws bars along the x axis (long category names);
//   legend: "scroll" keeps the legend on one line (a phone);
//   series[].stack stacks the series sharing its value; series[].unit names the y axis;
//   data-chart-select on the chart element names the id of a <select> whose value is the
//   `key` of the one series to show (the chart is redrawn when it changes).
(function () {
  "use strict";
  function cartesian(spec, series) {
    var unit = spec.unit || (series.length && series[0].unit) || "";
    // Every category named: all labels shown (interval 0), slanted when there are many.
    var many = (spec.categories || []).length > 6;
    var categories = { type: "category", data: spec.categories,
                       axisLabel: { interval: 0, rotate: many ? 35 : 0, hideOverlap: false } };
    var values = { type: "value", name: unit };
    var horizontal = spec.horizontal && (spec.kind || "line") === "bar";
    return {
      tooltip: { trigger: "axis" },
      legend: spec.legend === "scroll" ? { top: 0, type: "scroll" } : { top: 0 },
      grid: horizontal ? { left: 8, right: 24, top: 32, bottom: 24, containLabel: true }
        : { left: 16, right: 16, top: 32, bottom: 8, containLabel: true },
      xAxis: horizontal ? values : categories,
      yAxis: horizontal ? { type: "category", data: spec.categories, inverse: true,
                            axisLabel: { interval: 0 } } : values,
      series: series.map(function (s) {
        var out = { name: s.name, type: s.type || spec.kind || "line", data: s.data,
                    connectNulls: true, step: s.step || false };
        if (s.stack) { out.stack = s.stack; }
        return out;
      })
    };
  }
  function pie(spec, series) {
    var s = series[0] || { name: "", data: [] };
    return {
      tooltip: { trigger: "item" },
      legend: { top: 0, type: "scroll" },
      series: [{
        name: s.name, type: "pie", radius: ["35%", "65%"], top: 24,
        data: spec.categories.map(function (name, i) { return { name: name, value: s.data[i] }; })
      }]
    };
  }
  function option(spec, select) {
    var series = spec.series;
    if (select) {
      series = spec.series.filter(function (s) { return s.key === select.value; });
    }
    return spec.kind === "pie" ? pie(spec, series) : cartesian(spec, series);
  }
  function draw(el) {
    var source = document.getElementById(el.dataset.chart);
    if (!source || !window.echarts || el.dataset.chartReady) { return; }
    el.dataset.chartReady = "1";
    var spec = JSON.parse(source.textContent);
    var select = el.dataset.chartSelect ? document.getElementById(el.dataset.chartSelect) : null;
    var chart = window.echarts.init(el, null, { renderer: "svg" });
    chart.setOption(option(spec, select));
    if (select) {
      select.addEventListener("change", function () {
        chart.setOption(option(spec, select), { notMerge: true });
      });
    }
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
