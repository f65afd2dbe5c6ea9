// Draws the VoC explorer's charts from the JSON blocks the server rendered
// into the page (no inline script: the CSP forbids it). Each chart marks its
// element with data-rendered = the number of points drawn.
(function () {
  if (!window.echarts) return;
  function json(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent || 'null') : null;
  }
  var labels = json('voc-labels') || {};
  var colors = { positive: '#12b76a', neutral: '#98a2b3', negative: '#f04438' };
  var charts = [];

  var aspects = json('aspect-data');
  var aspectEl = document.getElementById('aspect-chart');
  if (aspects && aspectEl) {
    var rows = aspects.slice().reverse(); // most mentioned at the top
    var chart = echarts.init(aspectEl, null, { renderer: 'canvas' });
    chart.setOption({
      animation: false,
      grid: { left: 8, right: 24, top: 28, bottom: 24, containLabel: true },
      legend: { top: 0 },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      xAxis: { type: 'value' },
      yAxis: { type: 'category', data: rows.map(function (a) { return a.name; }) },
      series: ['negative', 'neutral', 'positive'].map(function (p) {
        return { name: labels[p] || p, type: 'bar', stack: 'm', itemStyle: { color: colors[p] },
          data: rows.map(function (a) { return a[p]; }) };
      })
    });
    aspectEl.style.height = Math.max(240, 28 * rows.length + 60) + 'px';
    chart.resize();
    aspectEl.setAttribute('data-rendered', String(rows.length));
    charts.push(chart);
  }

  var weeks = json('trend-data');
  var trendEl = document.getElementById('trend-chart');
  if (weeks && trendEl) {
    var trend = echarts.init(trendEl, null, { renderer: 'canvas' });
    var x = weeks.map(function (w) { return w.period_start; });
    var series = ['negative', 'neutral', 'positive'].map(function (p) {
      return { name: labels[p] || p, type: 'bar', stack: 'm', itemStyle: { color: colors[p] },
        data: weeks.map(function (w) { return w[p]; }) };
    });
    series.push({ name: labels.net || 'net', type: 'line', yAxisIndex: 1, symbolSize: 5,
      lineStyle: { width: 2, color: '#0d6efd' }, itemStyle: { color: '#0d6efd' },
      data: weeks.map(function (w) { return w.net_sentiment == null ? null : Math.round(w.net_sentiment * 100); }) });
    trend.setOption({
      animation: false,
      grid: { left: 48, right: 48, top: 32, bottom: 32 },
      legend: { top: 0 },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: x },
      yAxis: [{ type: 'value', name: labels.mentions || '' }, { type: 'value', min: -100, max: 100, name: labels.net || '' }],
      series: series
    });
    trendEl.setAttribute('data-rendered', String(weeks.length));
    charts.push(trend);
  }
  window.addEventListener('resize', function () { charts.forEach(function (c) { c.resize(); }); });
})();
