// Draws the weekly NPS trend with its 95% interval band from the JSON block
// the server rendered into the page (no inline script: the CSP forbids it).
(function () {
  var el = document.getElementById('trend-chart');
  var data = document.getElementById('trend-data');
  if (!el || !data || !window.echarts) return;
  var points = JSON.parse(data.textContent || '[]').filter(function (p) { return p.nps; });
  var x = points.map(function (p) { return p.period_start; });
  var lower = points.map(function (p) { return +p.nps.lower.toFixed(1); });
  var band = points.map(function (p) { return +(p.nps.upper - p.nps.lower).toFixed(1); });
  var value = points.map(function (p) { return +p.nps.value.toFixed(1); });
  var chart = echarts.init(el, null, { renderer: 'canvas' });
  chart.setOption({
    animation: false,
    grid: { left: 48, right: 16, top: 24, bottom: 32 },
    tooltip: { trigger: 'axis', formatter: function (items) {
      var i = items[0].dataIndex, p = points[i];
      return p.period_start + '<br>NPS ' + p.nps.value.toFixed(1) + ' [' + p.nps.lower.toFixed(1) + ', ' + p.nps.upper.toFixed(1) + '] n=' + p.nps.n;
    } },
    xAxis: { type: 'category', data: x, boundaryGap: false },
    yAxis: { type: 'value', scale: true },
    series: [
      { name: 'lower', type: 'line', data: lower, stack: 'ci', symbol: 'none', lineStyle: { opacity: 0 } },
      { name: 'ci', type: 'line', data: band, stack: 'ci', symbol: 'none', lineStyle: { opacity: 0 }, areaStyle: { color: '#9ec5fe', opacity: 0.5 } },
      { name: 'NPS', type: 'line', data: value, symbol: 'circle', symbolSize: 5, lineStyle: { width: 2, color: '#0d6efd' }, itemStyle: { color: '#0d6efd' } }
    ]
  });
  el.setAttribute('data-rendered', String(points.length));
  window.addEventListener('resize', function () { chart.resize(); });
})();
