// The decision-support dashboard: every [data-chart] element fetches its figure from /api/v1/insights/...
// (same origin, the session's cookie) and draws it with the vendored ECharts. No inline script: labels come
// from data attributes the server translated. When drawn, an element says data-state="ready" (or "empty",
// "error") and data-points="<number of non-empty data points>", so tests and people can tell.
(function () {
  "use strict";

  var root = document.getElementById("insights");
  if (!root || !window.echarts) return;
  var L = JSON.parse(root.getAttribute("data-labels") || "{}");
  var locale = root.getAttribute("data-lang") === "en" ? "en" : "zh-CN";
  var integer = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  var decimal = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  var requests = {};
  var drawn = [];

  function load(src) {
    if (!requests[src]) {
      requests[src] = fetch(src, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) throw new Error("HTTP " + response.status);
          return response.json();
        });
    }
    return requests[src];
  }

  function money(value) { return decimal.format(Number(value)); }
  var tenThousands = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  // Money axes count in 万 (ten thousands), with the locale's separators.
  function wan(value) { return tenThousands.format(Number(value) / 10000); }
  function moneyAxis(data) {
    return { type: "value", name: data.currency === "CNY" ? L.wan_yuan : L.wan + " " + data.currency,
      nameTextStyle: { align: "left" }, axisLabel: { formatter: wan } };
  }

  // The list of exactly the records a chart element counts (the dashboard's filters, narrowed by `extra`).
  var recordsTemplate = root.getAttribute("data-records") || "";
  function records(kind, extra) {
    var parts = recordsTemplate.split("?");
    var params = new URLSearchParams(parts[1] || "");
    Object.keys(extra || {}).forEach(function (key) { params.set(key, extra[key]); });
    return parts[0].replace("KIND", kind) + "?" + params.toString();
  }
  // A month (YYYY-MM) as from/to, within the dashboard's period when it has one (ISO dates compare as text).
  function monthBounds(month, clamp) {
    var year = Number(month.slice(0, 4)), m = Number(month.slice(5, 7));
    var last = new Date(Date.UTC(year, m, 0)).getUTCDate();
    var out = { from: month + "-01", to: month + "-" + String(last).padStart(2, "0") };
    if (clamp) {
      var params = new URLSearchParams(recordsTemplate.split("?")[1] || "");
      if (params.get("from") && params.get("from") > out.from) out.from = params.get("from");
      if (params.get("to") && params.get("to") < out.to) out.to = params.get("to");
    }
    return out;
  }
  function go(url) { window.location.href = url; }
  function num(value) { return Number(value); }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  // A DOM element with text children only (user text never becomes markup).
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === "string" || typeof child === "number"
        ? document.createTextNode(String(child)) : child);
    });
    return node;
  }

  function table(headers, rows) {
    var thead = el("thead", {}, [el("tr", {}, headers.map(function (h) { return el("th", {}, [h]); }))]);
    var tbody = el("tbody", {}, rows.map(function (cells) {
      return el("tr", {}, cells.map(function (c) { return el("td", {}, [c === null || c === undefined ? "—" : c]); }));
    }));
    return el("table", { "class": "table table-sm mb-0" }, [thead, tbody]);
  }

  function percent(value) { return value === null || value === undefined ? "—" : value + "%"; }

  function tooltipRows(title, rows) {
    return "<strong>" + escapeHtml(title) + "</strong>" + rows.map(function (r) {
      return "<br>" + escapeHtml(r[0]) + ": " + escapeHtml(r[1]);
    }).join("");
  }

  function barGrid(extra) {
    return Object.assign({ left: 8, right: 16, top: 36, bottom: 8, containLabel: true }, extra || {});
  }

  // --- one function per figure: data → {option, points, detail, click} ---------------------------------

  var figures = {};

  figures.funnel = function (data) {
    var stages = data.stages;
    var max = Math.max.apply(null, [1].concat(stages.map(function (s) { return s.count; })));
    var drill = root.getAttribute("data-drill");
    return {
      points: stages.filter(function (s) { return s.count > 0; }).length,
      option: {
        tooltip: {
          trigger: "item",
          formatter: function (p) {
            var s = p.data.figure;
            return tooltipRows(s.label, [[L.count, integer.format(s.count)], [L.amount, money(s.amount) + " " + data.currency],
              [L.rate, percent(s.rate)], [L.rate_from_start, percent(s.rate_from_start)]]);
          }
        },
        series: [{
          type: "funnel", name: L.funnel, sort: "none", min: 0, max: max, minSize: "6%", gap: 2,
          left: "5%", width: "55%", top: 10, bottom: 10,
          label: { show: true, position: "right", formatter: function (p) {
            return p.name + "  " + integer.format(p.value) + (p.data.figure.rate !== null ? "  (" + p.data.figure.rate + "%)" : "");
          } },
          data: stages.map(function (s) { return { name: s.label, value: s.count, figure: s }; })
        }]
      },
      click: function (p) {
        if (p.data && p.data.figure) window.location.href = drill.replace("STAGE", p.data.figure.stage);
      },
      detail: table([L.stage, L.count, L.amount, L.rate], stages.map(function (s) {
        return [el("a", { href: drill.replace("STAGE", s.stage), "data-testid": "funnel-link-" + s.stage }, [s.label]),
          integer.format(s.count), money(s.amount), percent(s.rate)];
      }))
    };
  };

  function winRows(data, dimension) {
    if (dimension === "competitors") {
      var rows = data.competitors.slice(0, 15);
      return {
        points: rows.length,
        click: function (p) { go(records("decided", { bidder: rows[p.dataIndex].bidder })); },
        option: {
          legend: { top: 0 },
          tooltip: {
            trigger: "axis",
            formatter: function (ps) {
              var c = rows[ps[0].dataIndex];
              return tooltipRows(c.bidder, [[L.met, c.met], [L.beaten, c.beaten], [L.they_won, c.they_won],
                [L.average_gap, money(c.average_gap) + " " + data.currency], [L.gap_pct, percent(c.gap_pct)]]);
            }
          },
          grid: barGrid(),
          xAxis: { type: "value", axisLabel: { formatter: "{value}%" } },
          yAxis: { type: "category", inverse: true, data: rows.map(function (r) { return r.bidder; }) },
          series: [
            { type: "bar", name: L.beat_rate, data: rows.map(function (r) { return r.beat_rate; }) },
            { type: "bar", name: L.gap_pct, data: rows.map(function (r) { return r.gap_pct; }) }
          ]
        }
      };
    }
    var list = (data.dimensions[dimension] || []).slice(0, 15);
    var statuses = ["won", "lost", "abandoned"];
    return {
      points: list.length,
      click: function (p) {
        go(records("decided", { field: dimension, key: list[p.dataIndex].key, status: statuses[p.seriesIndex] }));
      },
      option: {
        legend: { top: 0 },
        tooltip: {
          trigger: "axis",
          formatter: function (ps) {
            var r = list[ps[0].dataIndex];
            return tooltipRows(r.label, [[L.won, r.won], [L.lost, r.lost], [L.abandoned, r.abandoned],
              [L.win_rate, percent(r.win_rate)]]);
          }
        },
        grid: barGrid(),
        xAxis: [{ type: "value", minInterval: 1 }],
        yAxis: { type: "category", inverse: true, data: list.map(function (r) { return r.label; }) },
        series: [
          { type: "bar", name: L.won, stack: "n", data: list.map(function (r) { return r.won; }) },
          { type: "bar", name: L.lost, stack: "n", data: list.map(function (r) { return r.lost; }) },
          { type: "bar", name: L.abandoned, stack: "n", data: list.map(function (r) { return r.abandoned; }) }
        ]
      }
    };
  }

  figures["win-rate"] = function (data, element) {
    var select = document.querySelector("[data-dimension-for=win-rate]");
    var drawnFigure = winRows(data, select ? select.value : "department");
    var t = data.total;
    drawnFigure.detail = el("p", { "class": "mb-0" }, [L.win_rate + ": " + percent(t.win_rate) + " · " + L.won + " " +
      t.won + " · " + L.lost + " " + t.lost + " · " + L.abandoned + " " + t.abandoned]);
    if (select && !select.hasAttribute("data-bound")) {
      select.setAttribute("data-bound", "");
      select.addEventListener("change", function () { draw(element, data); });
    }
    return drawnFigure;
  };

  figures.pipeline = function (data) {
    var months = data.months;
    var series = data.stages.map(function (stage) {
      return { type: "bar", stack: "weighted", name: stage.label, data: months.map(function (m) {
        return num(m.stages[stage.code] || 0);
      }) };
    });
    series.push({ type: "line", name: L.amount, data: months.map(function (m) { return num(m.amount); }) });
    return {
      points: months.filter(function (m) { return m.count > 0; }).length,
      option: {
        legend: { top: 0, type: "scroll" },
        tooltip: { trigger: "axis", valueFormatter: function (v) { return money(v) + " " + data.currency; } },
        grid: barGrid(),
        xAxis: { type: "category", data: months.map(function (m) { return m.month; }) },
        yAxis: moneyAxis(data),
        series: series
      },
      click: function (p) {
        var month = months[p.dataIndex].month;
        var extra = Object.assign({ month: month }, monthBounds(month, true));
        if (p.seriesIndex < data.stages.length) extra.stage = data.stages[p.seriesIndex].code;
        go(records("pipeline", extra));
      },
      detail: el("p", { "class": "mb-0" }, [L.weighted + ": " + money(data.total.weighted) + " " + data.currency + " · " +
        L.amount + ": " + money(data.total.amount) + " " + data.currency + " · " + L.count + ": " +
        integer.format(data.total.count)])
    };
  };

  figures.bonds = function (data) {
    var statuses = [], kinds = [];
    data.by_status.forEach(function (r) {
      if (statuses.indexOf(r.status_label) < 0) statuses.push(r.status_label);
      if (kinds.indexOf(r.kind_label) < 0) kinds.push(r.kind_label);
    });
    function rowOf(kind, status) {
      return data.by_status.filter(function (r) { return r.kind_label === kind && r.status_label === status; })[0];
    }
    return {
      points: data.by_status.length,
      option: {
        legend: { top: 0 },
        tooltip: { trigger: "axis", valueFormatter: function (v) { return money(v) + " " + data.currency; } },
        grid: barGrid({ bottom: 16 }),
        // every status named under its bar, turned when they would not fit side by side
        xAxis: { type: "category", data: statuses,
          axisLabel: { interval: 0, hideOverlap: false, rotate: statuses.length > 3 ? 30 : 0 } },
        yAxis: moneyAxis(data),
        series: kinds.map(function (kind) {
          return { type: "bar", stack: "amount", name: kind,
            label: { show: true, position: "inside", formatter: function (p) { return p.value ? wan(p.value) : ""; } },
            data: statuses.map(function (status) {
              var row = rowOf(kind, status);
              return row ? num(row.amount) : 0;
            }) };
        })
      },
      click: function (p) {
        var row = rowOf(kinds[p.seriesIndex], statuses[p.dataIndex]);
        if (row) go(records("bonds", { kind: row.kind, status: row.status }));
      },
      detail: el("div", {}, [
        el("p", { "class": "mb-1", "data-testid": "money-out-total" }, [L.money_out + ": " + money(data.money_out_total) + " " +
          data.currency + " · " + L.overdue + ": " + data.overdue.count + " (" + money(data.overdue.amount) + " " + data.currency + ")"]),
        data.overdue.oldest.length ? table([L.bid, L.department, L.amount, L.age_days], data.overdue.oldest.slice(0, 5).map(function (b) {
          return [el("a", { href: "/bids/" + b.bid_id + "/" }, [b.bid_number]), b.department, money(b.amount), b.age_days];
        })) : el("span")
      ])
    };
  };

  figures["bonds-overdue"] = function (data) {
    var buckets = data.overdue.buckets;
    function name(b) { return b.to_days ? b.from_days + "–" + b.to_days + L.days : "≥ " + b.from_days + L.days; }
    return {
      points: buckets.filter(function (b) { return b.count > 0; }).length,
      option: {
        title: { text: L.overdue_by_age, left: 0, top: 0, textStyle: { fontSize: 13 } },
        tooltip: {
          trigger: "axis",
          formatter: function (ps) {
            var b = buckets[ps[0].dataIndex];
            return tooltipRows(name(b), [[L.count, b.count], [L.amount, money(b.amount) + " " + data.currency]]);
          }
        },
        grid: barGrid({ top: 32 }),
        xAxis: { type: "category", data: buckets.map(name), axisLabel: { interval: 0, hideOverlap: false } },
        yAxis: moneyAxis(data),
        series: [{ type: "bar", name: L.overdue, data: buckets.map(function (b) { return num(b.amount); }) }]
      }
    };
  };

  figures.deadlines = function (data) {
    var kinds = Object.keys(data.kind_labels);
    var days = data.days;
    return {
      points: days.filter(function (d) { return kinds.some(function (k) { return d[k] > 0; }); }).length,
      option: {
        legend: { top: 0 },
        tooltip: { trigger: "axis" },
        grid: barGrid(),
        xAxis: { type: "category", data: days.map(function (d) { return d.date.slice(5); }) },
        yAxis: { type: "value", minInterval: 1 },
        series: kinds.map(function (k) {
          return { type: "bar", stack: "n", name: data.kind_labels[k], data: days.map(function (d) { return d[k]; }) };
        })
      },
      click: function (p) {
        var day = days[p.dataIndex].date;
        go(records(kinds[p.seriesIndex], { from: day, to: day }));
      },
      detail: data.items.length ? table([L.when, L.kind, L.number, L.title], data.items.slice(0, 8).map(function (i) {
        return [i.at.slice(0, 16).replace("T", " "), i.kind_label, el("a", { href: i.url }, [i.number]), i.title];
      })) : el("span")
    };
  };

  figures["signed-by-month"] = function (data) {
    var months = data.months;
    var t = data.total;
    return {
      points: months.filter(function (m) { return m.count > 0 || m.last_count > 0; }).length,
      option: {
        legend: { top: 0 },
        tooltip: { trigger: "axis", valueFormatter: function (v) { return money(v) + " " + data.currency; } },
        grid: barGrid(),
        xAxis: { type: "category", data: months.map(function (m) { return m.month.slice(5); }) },
        yAxis: moneyAxis(data),
        series: [
          { type: "bar", name: L.this_period, data: months.map(function (m) { return num(m.amount); }) },
          { type: "bar", name: L.year_earlier, data: months.map(function (m) { return num(m.last_amount); }) }
        ]
      },
      click: function (p) {
        var m = months[p.dataIndex];
        go(records("contracts", p.seriesIndex === 0 ? monthBounds(m.month, true) : monthBounds(m.last_month)));
      },
      detail: el("p", { "class": "mb-0" }, [L.this_period + ": " + t.count + " / " + money(t.amount) + " " + data.currency +
        " · " + L.year_earlier + ": " + t.last_count + " / " + money(t.last_amount) + " " + data.currency +
        (t.change_pct !== null ? " · " + (t.change_pct > 0 ? "+" : "") + t.change_pct + "%" : "")])
    };
  };

  // --- drawing ------------------------------------------------------------------------------------

  function draw(element, data) {
    var name = element.getAttribute("data-chart");
    var figure = figures[name](data, element);
    (figure.option.series || []).forEach(function (series) {
      if (series.type === "bar" && series.barMaxWidth === undefined) series.barMaxWidth = 36;
    });
    var chart = window.echarts.getInstanceByDom(element) || window.echarts.init(element);
    if (drawn.indexOf(chart) < 0) drawn.push(chart);
    chart.setOption(Object.assign({ aria: { enabled: true }, animation: false }, figure.option), true);
    chart.off("click");
    if (figure.click) chart.on("click", figure.click);
    element.setAttribute("data-points", String(figure.points));
    element.setAttribute("data-state", figure.points > 0 ? "ready" : "empty");
    var detail = root.querySelector("[data-detail='" + name + "']");
    if (detail && figure.detail) {
      detail.replaceChildren(figure.detail);
      if (figure.points === 0) detail.prepend(el("p", { "class": "text-secondary mb-1" }, [L.no_data]));
    }
  }

  root.querySelectorAll("[data-chart]").forEach(function (element) {
    load(element.getAttribute("data-src")).then(function (data) {
      draw(element, data);
    }).catch(function (error) {
      element.setAttribute("data-state", "error");
      element.replaceChildren(el("p", { "class": "text-danger" }, [L.error + " (" + error.message + ")"]));
    });
  });

  window.addEventListener("resize", function () {
    drawn.forEach(function (chart) { chart.resize(); });
  });
})();
