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

  // Names on the map, from khabar's own data (no tile server): countries, provinces
  // from zoom 5 and towns by population as one zooms in. A name that would overlap one
  // drawn before it (countries first, then provinces, then the larger towns) is left out.
  map.createPane('labels').style.zIndex = 450;
  map.getPane('labels').style.pointerEvents = 'none';
  const names = L.layerGroup().addTo(map);
  let places = [];
  K.getJSON('/api/map/labels').then(function (found) {
    const rank = { country: 0, admin1: 1, town: 2 };
    places = found.slice().sort(function (a, b) {
      return rank[a.kind] - rank[b.kind] || (b.population || 0) - (a.population || 0);
    });
    placeNames();
  }).catch(function (error) { report('Map labels could not be loaded: ' + error.message); });

  function placeNames() {
    names.clearLayers();
    const zoom = map.getZoom();
    const taken = [];
    const free = function (box) {
      return !taken.some(function (t) {
        return box[0] < t[2] && t[0] < box[2] && box[1] < t[3] && t[1] < box[3];
      });
    };
    places.forEach(function (p) {
      if (zoom < p.min_zoom || (p.kind === 'country' && zoom > 7)) return;
      const at = map.latLngToLayerPoint([p.lat, p.lon]);
      const size = p.kind === 'country' ? 8.2 : p.kind === 'admin1' ? 6.2 : 6;
      const w = p.name.length * size + 6;
      const h = p.kind === 'country' ? 15 : 13;
      const box = p.kind === 'town' ? [at.x - 3, at.y - h / 2, at.x + w + 6, at.y + h / 2]
        : [at.x - w / 2, at.y - h / 2, at.x + w / 2, at.y + h / 2];
      if (!free(box)) return;
      taken.push(box);
      const text = K.el('span', { class: 'map-label label-' + p.kind }, p.name);
      names.addLayer(L.marker([p.lat, p.lon], {
        pane: 'labels', interactive: false, keyboard: false,
        icon: L.divIcon({ html: text, className: 'map-label-anchor', iconSize: [0, 0] }),
      }));
    });
  }
  map.on('zoomend', placeNames);

  // What the marks mean, in a box that folds away on a narrow screen.
  const legend = L.control({ position: 'bottomleft' });
  legend.onAdd = function () {
    const box = K.el('details', { class: 'map-legend', id: 'map-legend' });
    if (document.getElementById('map').clientWidth >= 600) box.open = true;
    box.appendChild(K.el('summary', {}, 'Legend'));
    const list = K.el('ul');
    const item = function (mark, text) {
      const li = K.el('li');
      li.appendChild(mark);
      li.appendChild(document.createTextNode(text));
      list.appendChild(li);
    };
    const dot = function (cls) { return K.el('span', { class: 'key incident-marker ' + cls }); };
    item(dot('type-bombing'), 'bombing, assault, other attack');
    item(dot('type-drone_strike'), 'drone or air strike');
    item(dot('type-kidnapping'), 'kidnapping or hijacking');
    item(dot('unknown'), 'toll not known');
    item(K.el('span', { class: 'key sizes' }), 'larger: more killed');
    item(K.el('span', { class: 'key incident-cluster' }, '3'), 'group: incidents (zoom in)');
    item(K.el('span', { class: 'key shade' }), 'province shade: incidents shown');
    item(K.el('span', { class: 'key label-country' }, 'Aa'), 'country · province · town');
    box.appendChild(list);
    L.DomEvent.disableClickPropagation(box);
    L.DomEvent.disableScrollPropagation(box);
    return box;
  };
  legend.addTo(map);

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
    if (p.claimed_by) {
      const claim = K.el('div', {}, 'claimed by ');
      claim.appendChild(K.actorLink(p.claimed_by));
      box.appendChild(claim);
    }
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

  // A month and day without a year ("month_day": "10-11") reads "11 Oct, year unknown".
  function dateLabel(date) {
    if (date && date.value) return date.value;
    if (date && date.month_day) {
      const [month, day] = date.month_day.split('-').map(Number);
      const name = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][month - 1];
      return `${day} ${name}, year unknown`;
    }
    return 'undated';
  }

  function row(incident) {
    const where = incident.location || {};
    const place = [where.place || where.admin2 || where.admin1, where.country].filter(Boolean).join(', ');
    const review = incident.review || [];
    const tr = K.el('tr', { 'data-id': incident.id, class: review.length ? 'review' : null });
    const dateCell = K.el('td');
    dateCell.appendChild(K.el('a', { href: K.incidentHref(incident.id) },
      dateLabel(incident.date)));
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
    const claimant = K.el('td');
    const claimedBy = incident.perpetrator && incident.perpetrator.claimed_by;
    if (claimedBy) claimant.appendChild(K.actorLink(claimedBy));
    tr.appendChild(claimant);
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
  const metric = document.getElementById('metric');
  const DAY = 86400000;
  let lastSeries = null;
  let lastTotals = null;

  function isoDay(ms) { return new Date(ms).toISOString().slice(0, 10); }

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

  function drawTimeline(result) {
    lastSeries = result;
    const kind = result.interval;
    const key = metric.value;
    const unit = key === 'fatalities' ? 'killed' : 'incidents';
    timeline.setAttribute('aria-label', (key === 'fatalities' ? 'People killed' : 'Incidents') + ' per ' + kind);
    timelineNote.textContent = result.left_out ?
      result.left_out + ' incident(s) whose date is not precise to one ' + kind + ' are not drawn.' : '';
    K.charts.columns(timeline, result.series.map(function (cell) {
      return {
        period: cell.period, value: cell[key],
        title: cell.incidents + ' incident(s), ' + cell.fatalities + ' killed, ' + cell.injured + ' injured',
      };
    }), {
      kind: kind, unit: unit, empty: 'No dated incidents.',
      onPick: function (period) { choosePeriod(period, kind); },
    });
  }

  // Totals by province, actor and type: each name leads on (a filter, or the actor's page).
  function drawTotals(results, params) {
    lastTotals = [results, params];
    const key = metric.value;
    const filtered = function (name, value) {
      const query = new URLSearchParams(params);
      query.set(name, value);
      return '/?' + query;
    };
    const rows = function (result, label, href) {
      return result.groups.filter(function (g) { return g.group !== null && g[key] > 0; })
        .slice(0, 10).map(function (g) {
          return {
            label: label(g.group), value: g[key], href: href(g.group),
            title: g.incidents + ' incident(s), ' + g.fatalities + ' killed, ' + g.injured + ' injured',
          };
        });
    };
    document.querySelectorAll('.chart-unit').forEach(function (e) {
      e.textContent = key === 'fatalities' ? 'people killed' : 'incidents';
    });
    K.charts.bars(document.getElementById('by-admin1'), rows(results[0], function (g) {
      const [country, admin1] = [g.slice(0, g.indexOf('/')), g.slice(g.indexOf('/') + 1)];
      return admin1 + ' (' + country + ')';
    }, function (g) { return filtered('admin1', g.slice(g.indexOf('/') + 1)); }), { empty: 'No province known.' });
    K.charts.bars(document.getElementById('by-actor'), rows(results[1], function (g) { return g; },
      K.actorHref), { empty: 'No actor known.' });
    K.charts.bars(document.getElementById('by-type'), rows(results[2], function (g) {
      return g.replace('_', ' ');
    }, function (g) { return filtered('event_type', g); }), { empty: 'No incident.' });
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
        K.getJSON('/api/aggregates/totals?by=admin1&' + unsorted),
        K.getJSON('/api/aggregates/totals?by=actor&' + unsorted),
        K.getJSON('/api/aggregates/totals?by=event_type&' + unsorted),
      ]);
      if (ticket !== loading) return;
      const points = results[0];
      cluster.clearLayers();
      cluster.addLayers(points.features.map(marker));
      shadeProvinces(points.features);
      if (points.features.length) map.fitBounds(cluster.getBounds(), { padding: [30, 30], maxZoom: 7 });
      drawTimeline(results[1]);
      drawTotals(results.slice(3), unsorted);
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
  metric.addEventListener('change', function () {
    if (lastSeries) drawTimeline(lastSeries);
    if (lastTotals) drawTotals(lastTotals[0], lastTotals[1]);
  });
  more.addEventListener('click', function () {
    page(filters(), shown).catch(function (error) { report(error.message); });
  });
  load();
})();
