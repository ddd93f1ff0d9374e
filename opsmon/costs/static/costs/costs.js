// The procurement analysis page: every [data-costs-chart] element draws its series (data-series: the server's
// numbers, [{label, amount, url}]) as bars with the vendored ECharts, money in 万 (ten thousands); a click on a bar
// opens the list of the records it counts. No inline script; labels come translated in data-labels.
(function () {
  "use strict";

  var root = document.getElementById("costs");
  if (!root || !window.echarts) return;
  var L = JSON.parse(root.getAttribute("data-labels") || "{}");
  var locale = root.getAttribute("data-lang") === "en" ? "en" : "zh-CN";
  var tenThousands = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  var decimal = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  function wan(value) { return tenThousands.format(Number(value) / 10000); }
  var drawn = [];

  root.querySelectorAll("[data-costs-chart]").forEach(function (element) {
    var rows = JSON.parse(element.getAttribute("data-series") || "[]");
    var points = rows.filter(function (r) { return Number(r.amount) !== 0; }).length;
    var chart = window.echarts.init(element);
    drawn.push(chart);
    chart.setOption({
      aria: { enabled: true }, animation: false,
      grid: { left: 56, right: 16, top: 36, bottom: 32 },
      tooltip: { trigger: "axis", valueFormatter: function (v) { return decimal.format(Number(v)); } },
      xAxis: { type: "category", data: rows.map(function (r) { return r.label; }) },
      yAxis: { type: "value", name: L.wan_yuan, nameTextStyle: { align: "left" }, axisLabel: { formatter: wan } },
      series: [{ type: "bar", name: L.amount, barMaxWidth: 36, data: rows.map(function (r) { return Number(r.amount); }),
        cursor: "pointer" }]
    });
    chart.on("click", function (p) {
      var row = rows[p.dataIndex];
      if (row && row.url) window.location.href = row.url;
    });
    element.setAttribute("data-points", String(points));
    element.setAttribute("data-state", points > 0 ? "ready" : "empty");
    if (L.click) element.setAttribute("title", L.click);
  });

  window.addEventListener("resize", function () {
    drawn.forEach(function (chart) { chart.resize(); });
  });
})();
