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
    var category = { type: "category", data: horizontal ? series.labels.slice().reverse() : series.labels,
      axisLabel: { interval: 0, width: 120, overflow: "truncate" } };
    var value = { type: "value", minInterval: 1 };
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
