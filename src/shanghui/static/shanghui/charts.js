/* Back-office charts: every element with data-chart="<key>" becomes an ECharts chart of the
 * series chart-data[<key>] ({labels, values}); data-type is bar, hbar or line. */
(function () {
  "use strict";
  var source = document.getElementById("chart-data");
  if (!source || typeof echarts === "undefined") return;
  var data = JSON.parse(source.textContent);
  var colour = "#1d5fd1";
  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var series = data[el.dataset.chart];
    if (!series || !series.labels.length) {
      el.classList.add("chart--empty");
      el.textContent = el.dataset.empty || "—";
      return;
    }
    var type = el.dataset.type || "bar";
    var horizontal = type === "hbar";
    // Every bar keeps its label (cut to the room there is); a month axis shows what fits
    // without overlapping (on a phone every third or fourth month), as do value axes.
    var slots = Math.max(1, series.labels.length);
    var labelWidth = horizontal ? 120 : Math.max(24, (el.clientWidth - 60) / slots - 4);
    var category = { type: "category", data: horizontal ? series.labels.slice().reverse() : series.labels,
      axisLabel: type === "line"
        ? { interval: "auto", hideOverlap: true }
        : { interval: 0, width: labelWidth, overflow: "truncate", hideOverlap: !horizontal } };
    var value = { type: "value", minInterval: 1, axisLabel: { hideOverlap: true } };
    var chart = echarts.init(el, null, { renderer: "svg" });
    chart.setOption({
      color: [colour],
      grid: { left: horizontal ? 130 : 40, right: 20, top: 10, bottom: horizontal ? 20 : 40 },
      tooltip: { trigger: "axis" },
      xAxis: horizontal ? value : category,
      yAxis: horizontal ? category : value,
      series: [{ type: type === "line" ? "line" : "bar", smooth: true, barMaxWidth: 28,
        data: horizontal ? series.values.slice().reverse() : series.values }],
    });
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
