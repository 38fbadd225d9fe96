// Charts drawn with the DOM (no library): a column chart over periods, with a y-axis,
// gridlines, counts and period labels, and horizontal bars for totals by group. Labels
// are set as textContent: names from articles are untrusted.
(function () {
  'use strict';
  const K = window.khabar;
  const DAY = 86400000;
  const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

  function isoDay(ms) { return new Date(ms).toISOString().slice(0, 10); }

  // Every period from the first to the last (gaps included), as the API names them:
  // the Monday of a week, 2025-03, 2025-Q1.
  function periodsBetween(first, last, kind) {
    const out = [];
    if (kind === 'week') {
      for (let t = Date.parse(first); t <= Date.parse(last); t += 7 * DAY) out.push(isoDay(t));
      return out;
    }
    const step = kind === 'quarter' ? 3 : 1;
    const parse = function (p) {
      const [y, rest] = p.split('-');
      return [Number(y), kind === 'quarter' ? (Number(rest.slice(1)) - 1) * 3 + 1 : Number(rest)];
    };
    let [y, m] = parse(first);
    const [ly, lm] = parse(last);
    while (y < ly || (y === ly && m <= lm)) {
      out.push(kind === 'quarter' ? y + '-Q' + ((m - 1) / 3 + 1) : y + '-' + String(m).padStart(2, '0'));
      m += step; if (m > 12) { m -= 12; y += 1; }
    }
    return out;
  }

  // A period as a reader names it: "Mar 2025", "Q1 2025", "3 Mar 2025" (week of).
  function periodLabel(period, kind, withYear) {
    const year = period.slice(0, 4);
    let text;
    if (kind === 'quarter') text = period.slice(5);
    else if (kind === 'week') text = Number(period.slice(8)) + ' ' + MONTHS[Number(period.slice(5, 7)) - 1];
    else text = MONTHS[Number(period.slice(5, 7)) - 1];
    return withYear ? text + ' ' + year : text;
  }

  // Round tick values (1, 2 or 5 times a power of ten) from 0 up to at least top.
  function ticks(top) {
    if (top <= 0) return [0, 1];
    const rough = top / 4;
    const power = Math.pow(10, Math.floor(Math.log10(rough)));
    const step = Math.max(1, [1, 2, 5, 10].map(function (f) { return f * power; })
      .find(function (s) { return s >= rough; }));
    const out = [];
    for (let v = 0; v < top + step; v += step) out.push(v);
    return out;
  }

  // cells: [{period, value, title}] (value for the metric drawn); every period between
  // the first and the last gets a column. options: kind, unit, onPick(period).
  function columns(svg, cells, options) {
    const kind = options.kind;
    svg.replaceChildren();
    const byPeriod = {};
    cells.forEach(function (c) { byPeriod[c.period] = c; });
    const known = Object.keys(byPeriod).sort();
    if (!known.length) {
      svg.appendChild(K.svg('text', { x: 8, y: 24, class: 'empty' }, options.empty || 'Nothing dated.'));
      return;
    }
    // options.range: draw this window of periods (charts to compare share one).
    const first = options.range && options.range[0] < known[0] ? options.range[0] : known[0];
    const last = options.range && options.range[1] > known[known.length - 1] ? options.range[1] : known[known.length - 1];
    const all = periodsBetween(first, last, kind);
    const width = svg.clientWidth || 400;
    const height = svg.clientHeight || 200;
    const values = all.map(function (p) { return byPeriod[p] ? byPeriod[p].value : 0; });
    const scale = ticks(Math.max.apply(null, values));
    const top = scale[scale.length - 1];
    const left = 8 + 7 * String(top).length;  // room for the widest tick label
    const right = 6;
    const upper = 22;  // the unit sits above the top tick
    const lower = 34;  // two rows of period labels
    const plot = height - upper - lower;
    const y = function (v) { return upper + plot - plot * v / top; };
    const axis = K.svg('g', { class: 'axis y-axis' });
    scale.forEach(function (v) {
      axis.appendChild(K.svg('line', { x1: left, x2: width - right, y1: y(v), y2: y(v), class: v ? 'grid' : 'base' }));
      axis.appendChild(K.svg('text', { x: left - 4, y: y(v) + 3.5, class: 'tick', 'text-anchor': 'end' }, v));
    });
    axis.appendChild(K.svg('text', { x: 2, y: 10, class: 'unit' }, options.unit));
    svg.appendChild(axis);
    const bar = Math.min(64, (width - left - right) / all.length);  // one month is no wall
    // Label every nth period so labels never overlap (about 44 px each).
    const every = Math.max(1, Math.ceil(44 / bar));
    const labels = K.svg('g', { class: 'axis x-axis' });
    all.forEach(function (period, i) {
      const cell = byPeriod[period];
      const v = values[i];
      const h = plot * v / top;
      const x = left + i * bar;
      const rect = K.svg('rect', {
        x: x + Math.min(1, bar / 4), y: upper + plot - h,
        width: Math.max(1, bar - Math.min(2, bar / 2)), height: h,
        class: 'bar', 'data-period': period, 'data-value': v, tabindex: 0,
      });
      rect.appendChild(K.svg('title', {}, periodLabel(period, kind, true) + ': ' +
        (cell && cell.title ? cell.title : v + ' ' + options.unit)));
      if (options.onPick) {
        rect.addEventListener('click', function () { options.onPick(period); });
        rect.addEventListener('keydown', function (event) {
          if (event.key === 'Enter' || event.key === ' ') { event.preventDefault(); options.onPick(period); }
        });
      }
      svg.appendChild(rect);
      if (v && bar >= 16) {
        svg.appendChild(K.svg('text', { x: x + bar / 2, y: upper + plot - h - 3, class: 'count', 'text-anchor': 'middle' }, v));
      }
      const newYear = i === 0 || period.slice(0, 4) !== all[i - 1].slice(0, 4);
      if (i % every === 0) {
        labels.appendChild(K.svg('text', { x: x + bar / 2, y: height - lower + 14, class: 'tick', 'text-anchor': 'middle' },
          periodLabel(period, kind, false)));
      }
      if (newYear) {
        labels.appendChild(K.svg('text', { x: x + 1, y: height - 4, class: 'tick year' }, period.slice(0, 4)));
      }
    });
    svg.appendChild(labels);
  }

  // Horizontal bars in a list: rows [{label, value, href, title}], largest first.
  function bars(list, rows, options) {
    list.replaceChildren();
    if (!rows.length) {
      list.appendChild(K.el('li', { class: 'empty' }, options.empty || 'Nothing to count.'));
      return;
    }
    const top = Math.max(1, ...rows.map(function (r) { return r.value; }));
    rows.forEach(function (r) {
      const item = K.el('li', { title: r.title || null });
      const name = r.href ? K.el('a', { href: r.href, class: 'name', title: r.label }, r.label)
        : K.el('span', { class: 'name', title: r.label }, r.label);
      const track = K.el('span', { class: 'track' });
      const fill = K.el('span', { class: 'fill' });
      fill.style.width = (100 * r.value / top).toFixed(1) + '%';  // CSSOM: allowed by the CSP
      track.appendChild(fill);
      item.appendChild(name);
      item.appendChild(track);
      item.appendChild(K.el('span', { class: 'value' }, r.value));
      list.appendChild(item);
    });
  }

  K.charts = { columns: columns, bars: bars, periodsBetween: periodsBetween, periodLabel: periodLabel };
})();
