/* Back-office charts: every element with data-chart="<key>" becomes an ECharts chart of the
 * series chart-data[<key>] ({labels, values}, or {labels, series: [{name, values}]} for
 * stacked bars with a legend); data-type is bar, hbar, line or pie. data-unit names the unit
 * of the values in the tooltip. */
(function () {
  "use strict";
  var source = document.getElementById("chart-data");
  if (!source || typeof echarts === "undefined") return;
  var data = JSON.parse(source.textContent);
  var colour = "#1d5fd1";
  var palette = [colour, "#f59e0b", "#10b981", "#ef4444", "#8b5cf6"];
  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var series = data[el.dataset.chart];
    if (!series || !series.labels.length) {
      el.classList.add("chart--empty");
      el.textContent = el.dataset.empty || "—";
      return;
    }
    var type = el.dataset.type || "bar";
    var unit = el.dataset.unit || "";
    if (type === "pie") {
      var pie = echarts.init(el, null, { renderer: "svg" });
      pie.setOption({
        color: palette,
        tooltip: { trigger: "item", valueFormatter: function (v) { return v + unit; } },
        legend: { bottom: 0 },
        series: [{ type: "pie", radius: ["35%", "65%"], center: ["50%", "45%"],
          label: { formatter: "{d}%" },
          data: series.labels.map(function (label, i) { return { name: label, value: series.values[i] }; }) }],
      });
      window.addEventListener("resize", function () { pie.resize(); });
      return;
    }
    var horizontal = type === "hbar";
    // Every bar keeps its label (cut to the room there is) unless there are too many; a month
    // axis shows what fits without overlapping (on a phone every third or fourth month), as do
    // value axes.
    var slots = Math.max(1, series.labels.length);
    var labelWidth = horizontal ? 120 : Math.max(24, (el.clientWidth - 60) / slots - 4);
    var category = { type: "category", data: horizontal ? series.labels.slice().reverse() : series.labels,
      // Too many bars for their labels (twenty years of giving): show what fits, whole,
      // rather than every label cut to "2…".
      axisLabel: type === "line" || (!horizontal && labelWidth < 32)
        ? { interval: "auto", hideOverlap: true }
        : { interval: 0, width: labelWidth, overflow: "truncate", hideOverlap: !horizontal } };
    var value = { type: "value", minInterval: 1, axisLabel: { hideOverlap: true } };
    var order = function (values) { return horizontal ? values.slice().reverse() : values; };
    var stacked = series.series || [{ name: "", values: series.values }];
    var chart = echarts.init(el, null, { renderer: "svg" });
    chart.setOption({
      color: series.series ? palette : [colour],
      grid: { left: horizontal ? 130 : 40, right: 20, top: series.series ? 30 : 10,
        bottom: horizontal ? 20 : 40 },
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v + unit; } },
      legend: series.series ? { top: 0 } : undefined,
      xAxis: horizontal ? value : category,
      yAxis: horizontal ? category : value,
      series: stacked.map(function (one) {
        return { name: one.name, type: type === "line" ? "line" : "bar", smooth: true,
          barMaxWidth: 28, stack: series.series ? "total" : undefined, data: order(one.values) };
      }),
    });
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
