// An actor's page: its incidents and statements per month (the lists are in the page).
(function () {
  'use strict';
  const K = window.khabar;
  const page = document.getElementById('actor');
  K.getJSON(page.dataset.api).then(function (found) {
    const kind = found.interval;
    const periods = found.series.map(function (c) { return c.period; });
    const range = periods.length ? [periods[0], periods[periods.length - 1]] : null;
    K.charts.columns(document.getElementById('actor-incidents'), found.series
      .filter(function (c) { return c.claimed + c.alleged > 0; })
      .map(function (c) {
        return { period: c.period, value: c.claimed + c.alleged,
          title: c.claimed + ' claimed, ' + c.alleged + ' accused of' };
      }), { kind: kind, range: range, unit: 'incidents', empty: 'No dated incident.' });
    K.charts.columns(document.getElementById('actor-statements'), found.series
      .filter(function (c) { return c.said > 0; })
      .map(function (c) {
        return { period: c.period, value: c.said,
          title: c.said + ' made, ' + c.addressed + ' aimed at it' };
      }), { kind: kind, range: range, unit: 'statements', empty: 'No dated statement.' });
    page.dataset.ready = '1';
  }).catch(function (error) {
    const note = document.getElementById('actor-note');
    note.textContent = 'Could not load the charts: ' + error.message;
    note.classList.add('error');
  });
})();
