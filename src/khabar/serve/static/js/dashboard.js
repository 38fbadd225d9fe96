// The incidents dashboard: filters drive the map, the timeline and the list together.
(function () {
  'use strict';
  const K = window.khabar;
  const form = document.getElementById('filters');
  const status = document.getElementById('status');
  const tbody = document.querySelector('#incident-table tbody');
  const more = document.getElementById('more');
  const timeline = document.getElementById('timeline');
  const timelineNote = document.getElementById('timeline-note');
  const PAGE = 50;
  let shown = 0;
  let loading = 0;

  const map = L.map('map', { attributionControl: false, minZoom: 3, maxZoom: 12 })
    .setView([33.5, 68.5], 5);
  map.createPane('outlines').style.zIndex = 250;
  const cluster = L.markerClusterGroup({
    showCoverageOnHover: false,
    maxClusterRadius: 40,
    iconCreateFunction: clusterIcon,
  });
  map.addLayer(cluster);

  // Provinces are shaded by how many of the filtered incidents they hold, and say so
  // on hover; the counts come from the same points as the markers.
  let provinces = null;
  let tally = {};
  const outlines = Promise.all([
    K.getJSON('/static/boundaries/countries.geojson'),
    K.getJSON('/static/boundaries/admin1.geojson'),
  ]).then(function (layers) {
    L.geoJSON(layers[0], {
      pane: 'outlines', interactive: false,
      style: { color: '#8a8478', weight: 1.2, fillColor: '#f3efe6', fillOpacity: 1 },
    }).addTo(map);
    provinces = L.geoJSON(layers[1], { pane: 'outlines', style: provinceStyle }).addTo(map);
    provinces.eachLayer(function (layer) {
      layer.bindTooltip(function () { return provinceLabel(layer.feature.properties); },
        { sticky: true });
    });
  }).catch(function (error) { report('Outlines could not be loaded: ' + error.message); });

  function provinceKey(country, admin1) { return country + '/' + admin1; }

  function provinceStyle(feature) {
    const cell = tally[provinceKey(feature.properties.country, feature.properties.admin1)];
    const top = Math.max(1, ...Object.values(tally).map(function (c) { return c.incidents; }));
    return {
      className: 'province', color: '#b9b2a3', weight: 0.7, dashArray: '2 3', fillColor: '#b03a2e',
      fillOpacity: cell ? 0.08 + 0.4 * cell.incidents / top : 0,
    };
  }

  function provinceLabel(props) {
    const cell = tally[provinceKey(props.country, props.admin1)];
    const box = K.el('div', { class: 'province-tip' });
    box.appendChild(K.el('b', {}, props.admin1 + ' (' + props.country + ')'));
    box.appendChild(K.el('div', {}, cell ?
      cell.incidents + ' incident(s) on the map, ' + cell.killed + ' killed' : 'no incident on the map'));
    return box;
  }

  function shadeProvinces(features) {
    tally = {};
    features.forEach(function (f) {
      if (!f.properties.admin1) return;
      const key = provinceKey(f.properties.country, f.properties.admin1);
      const cell = tally[key] || (tally[key] = { incidents: 0, killed: 0 });
      cell.incidents += 1;
      cell.killed += f.properties.fatalities || 0;
    });
    outlines.then(function () {
      if (provinces) provinces.setStyle(provinceStyle);
    });
  }

  function report(message) { status.textContent = message; status.classList.add('error'); }

  function size(fatalities) {
    return Math.min(46, 12 + 5 * Math.sqrt(fatalities || 0));
  }

  function clusterIcon(group) {
    const children = group.getAllChildMarkers();
    const killed = children.reduce(function (sum, m) { return sum + (m.options.fatalities || 0); }, 0);
    const d = Math.min(60, 22 + 4 * Math.sqrt(killed));
    const label = K.el('span', {}, children.length);
    return L.divIcon({ html: label, className: 'incident-cluster', iconSize: [d, d] });
  }

  function marker(feature) {
    const p = feature.properties;
    const c = feature.geometry.coordinates;
    const d = size(p.fatalities);
    const icon = L.divIcon({
      className: 'incident-marker type-' + p.event_type + (p.fatalities === null ? ' unknown' : ''),
      iconSize: [d, d],
    });
    const m = L.marker([c[1], c[0]], {
      icon: icon, fatalities: p.fatalities || 0, keyboard: true,
      title: (p.date || 'undated') + ' ' + p.event_type.replace('_', ' ') + ', ' + (p.place || ''),
    });
    const box = K.el('div', { class: 'popup' });
    const link = K.el('a', { href: K.incidentHref(feature.id), class: 'popup-link' },
      p.event_type.replace('_', ' ') + ' in ' + (p.place || p.country || '?'));
    box.appendChild(link);
    box.appendChild(K.el('div', {}, (p.date || 'undated') + ' · killed: ' +
      (p.fatalities === null ? 'unknown' : p.fatalities) + ' · sources: ' + p.sources));
    if (p.claimed_by) box.appendChild(K.el('div', {}, 'claimed by ' + p.claimed_by));
    m.bindPopup(box);
    return m;
  }

  function filters() {
    const params = new URLSearchParams();
    for (const [name, value] of new FormData(form)) {
      if (name === 'sort' && value === '-date') continue;  // the default keeps URLs short
      if (String(value).trim() !== '') params.append(name, String(value).trim());
    }
    return params;
  }

  function row(incident) {
    const where = incident.location || {};
    const place = [where.place || where.admin2 || where.admin1, where.country].filter(Boolean).join(', ');
    const review = incident.review || [];
    const tr = K.el('tr', { 'data-id': incident.id, class: review.length ? 'review' : null });
    const dateCell = K.el('td');
    dateCell.appendChild(K.el('a', { href: K.incidentHref(incident.id) },
      (incident.date && incident.date.value) || 'undated'));
    if (review.length) {
      // Values or sources that disagree: the reasons are on the incident page.
      dateCell.appendChild(K.el('span', { class: 'review-mark', title: review.join('; ') },
        ' ⚑ review'));
    }
    tr.appendChild(dateCell);
    tr.appendChild(K.el('td', {}, incident.event_type.replace('_', ' ') + (incident.suicide ? ' (suicide)' : '')));
    tr.appendChild(K.el('td', {}, place || 'unknown'));
    const count = function (c) { return c && c.best !== null ? c.best : '–'; };
    tr.appendChild(K.el('td', { class: 'num' }, count(incident.fatalities)));
    tr.appendChild(K.el('td', { class: 'num' }, count(incident.injured)));
    tr.appendChild(K.el('td', {}, (incident.perpetrator && incident.perpetrator.claimed_by) || ''));
    tr.appendChild(K.el('td', { class: 'num' }, incident.sources.length));
    return tr;
  }

  async function page(params, offset) {
    const query = new URLSearchParams(params);
    query.set('limit', PAGE);
    query.set('offset', offset);
    const result = await K.getJSON('/api/incidents?' + query);
    if (offset === 0) tbody.replaceChildren();
    result.items.forEach(function (incident) { tbody.appendChild(row(incident)); });
    shown = offset + result.items.length;
    more.hidden = shown >= result.total;
    return result;
  }

  const interval = document.getElementById('interval');
  const DAY = 86400000;

  function isoDay(ms) { return new Date(ms).toISOString().slice(0, 10); }

  // Every period from the first to the last (gaps drawn as empty bars), as the API
  // names them: the Monday of a week, 2025-03, 2025-Q1.
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

  // The first and last day of a period.
  function bounds(period, kind) {
    if (kind === 'week') return [period, isoDay(Date.parse(period) + 6 * DAY)];
    const y = Number(period.slice(0, 4));
    const first = kind === 'quarter' ? (Number(period.slice(6)) - 1) * 3 + 1 : Number(period.slice(5, 7));
    const lastMonth = kind === 'quarter' ? first + 2 : first;
    const lastDay = new Date(Date.UTC(y, lastMonth, 0)).getUTCDate();
    return [y + '-' + String(first).padStart(2, '0') + '-01',
      y + '-' + String(lastMonth).padStart(2, '0') + '-' + String(lastDay).padStart(2, '0')];
  }

  function yearStarts(period, kind, index) {
    if (index === 0) return true;
    if (kind === 'week') return period.slice(5, 7) === '01' && Number(period.slice(8)) <= 7;
    return kind === 'quarter' ? period.endsWith('Q1') : period.endsWith('-01');
  }

  function drawTimeline(result) {
    const kind = result.interval;
    timeline.replaceChildren();
    const counts = {};
    result.series.forEach(function (cell) { counts[cell.period] = cell; });
    const periods = Object.keys(counts).sort();
    timelineNote.textContent = result.left_out ?
      result.left_out + ' incident(s) whose date is not precise to one ' + kind + ' are not drawn.' : '';
    if (!periods.length) {
      timeline.appendChild(K.svg('text', { x: 8, y: 24, class: 'empty' }, 'No dated incidents.'));
      return;
    }
    const all = periodsBetween(periods[0], periods[periods.length - 1], kind);
    const width = timeline.clientWidth || 400;
    const height = timeline.clientHeight || 160;
    const top = Math.max.apply(null, all.map(function (p) { return counts[p] ? counts[p].incidents : 0; }));
    const bar = (width - 20) / all.length;
    all.forEach(function (period, i) {
      const cell = counts[period];
      const n = cell ? cell.incidents : 0;
      const h = top ? (height - 30) * n / top : 0;
      const rect = K.svg('rect', {
        x: 10 + i * bar + Math.min(1, bar / 4), y: height - 20 - h,
        width: Math.max(1, bar - Math.min(2, bar / 2)), height: h,
        class: 'bar', 'data-period': period, tabindex: 0,
      });
      rect.appendChild(K.svg('title', {}, period + ': ' + n + ' incident(s), ' +
        (cell ? cell.fatalities : 0) + ' killed'));
      rect.addEventListener('click', function () { choosePeriod(period, kind); });
      timeline.appendChild(rect);
      if (yearStarts(period, kind, i)) {
        timeline.appendChild(K.svg('text', { x: 10 + i * bar, y: height - 5, class: 'tick' }, period.slice(0, 4)));
      }
    });
  }

  function choosePeriod(period, kind) {
    const range = bounds(period, kind);
    form.elements.since.value = range[0];
    form.elements.until.value = range[1];
    load();
  }

  // The download links export the incidents the filters select, in each format.
  function setDownloads(filters) {
    document.querySelectorAll('#downloads a[data-format]').forEach(function (link) {
      const query = new URLSearchParams(filters);
      query.set('format', link.dataset.format);
      if (link.dataset.format === 'jsonl') query.set('kind', 'incident');
      link.href = '/api/export?' + query;
    });
  }

  async function load() {
    const params = filters();
    const ticket = ++loading;
    history.replaceState(null, '', params.toString() ? '?' + params : '/');
    status.classList.remove('error');
    status.textContent = 'Loading…';
    try {
      const unsorted = new URLSearchParams(params);
      unsorted.delete('sort');  // the map and the timeline take the filters only
      setDownloads(unsorted);
      const results = await Promise.all([
        K.getJSON('/api/incidents/points?' + unsorted),
        K.getJSON('/api/aggregates?interval=' + interval.value + '&' + unsorted),
        page(params, 0),
      ]);
      if (ticket !== loading) return;
      const points = results[0];
      cluster.clearLayers();
      cluster.addLayers(points.features.map(marker));
      shadeProvinces(points.features);
      if (points.features.length) map.fitBounds(cluster.getBounds(), { padding: [30, 30], maxZoom: 7 });
      drawTimeline(results[1]);
      status.textContent = results[2].total + ' incident(s) match; ' + points.features.length +
        ' on the map' + (points.unplaced ? ', ' + points.unplaced + ' without coordinates' : '') + '.';
      document.body.dataset.loaded = String(ticket);
    } catch (error) {
      if (ticket === loading) report('Could not load incidents: ' + error.message);
    }
  }

  form.addEventListener('submit', function (event) { event.preventDefault(); load(); });
  form.querySelectorAll('select').forEach(function (s) { s.addEventListener('change', load); });
  interval.addEventListener('change', load);
  more.addEventListener('click', function () {
    page(filters(), shown).catch(function (error) { report(error.message); });
  });
  load();
})();
