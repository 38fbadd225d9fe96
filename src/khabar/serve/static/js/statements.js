// The statements network: actors as nodes, one edge per (source, target, type).
(function () {
  'use strict';
  const K = window.khabar;
  const box = document.getElementById('network');
  const legend = document.getElementById('legend');
  const COLOURS = {
    ACCUSE: '#c0392b', REJECT: '#7f8c8d', REQUEST: '#2980b9', AGREE: '#27ae60',
    THREATEN: '#8e44ad', SUPPORT: '#16a085', CLAIM_RESPONSIBILITY: '#d35400',
  };
  Object.keys(COLOURS).forEach(function (type) {
    const item = K.el('li', {}, type);
    const swatch = K.el('span', { class: 'swatch swatch-' + type });
    item.prepend(swatch);
    legend.appendChild(item);
  });
  // Runs draw() with Math.random replaced by a seeded generator (mulberry32).
  function seeded(seed, draw) {
    const random = Math.random;
    let state = seed >>> 0;
    Math.random = function () {
      state = (state + 0x6D2B79F5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    try { draw(); } finally { Math.random = random; }
  }

  K.getJSON('/api/statements/network?' + (box.dataset.query || '')).then(function (network) {
    if (!network.edges.length) {
      box.appendChild(K.el('p', { class: 'empty' }, 'No statement with a target matches.'));
      return;
    }
    // A stable layout between loads: the nodes start on a circle in the API's (sorted)
    // order, and the force layout's random draws come from a fixed seed.
    const count = network.nodes.length;
    const elements = network.nodes.map(function (n, i) {
      const angle = 2 * Math.PI * i / count;
      return { data: { id: n.id, label: n.id, weight: n.statements },
        position: { x: 200 * Math.cos(angle), y: 200 * Math.sin(angle) } };
    }).concat(network.edges.map(function (e, i) {
      return { data: { id: 'e' + i, source: e.source, target: e.target, type: e.type,
        count: e.count, colour: COLOURS[e.type] || '#555' } };
    }));
    const cy = cytoscape({
      container: box,
      elements: elements,
      style: [
        { selector: 'node', style: {
          label: 'data(label)', 'font-size': 11, 'text-valign': 'bottom', 'text-margin-y': 3,
          'background-color': '#34495e', width: 'mapData(weight, 1, 30, 14, 40)',
          height: 'mapData(weight, 1, 30, 14, 40)' } },
        { selector: 'edge', style: {
          'curve-style': 'bezier', 'target-arrow-shape': 'triangle',
          'line-color': 'data(colour)', 'target-arrow-color': 'data(colour)',
          width: 'mapData(count, 1, 10, 1.5, 7)', opacity: 0.85 } },
      ],
      layout: { name: 'preset' },
    });
    seeded(20240601, function () {
      cy.layout({ name: 'cose', animate: false, randomize: false, padding: 20, nodeRepulsion: 9000 }).run();
    });
    // A node is an actor: a tap opens its page (claims, allegations, statements).
    cy.on('tap', 'node', function (event) {
      window.location.href = K.actorHref(event.target.id());
    });
    // The positions, rounded, so a test (or a reader of the DOM) can see the layout hold.
    box.dataset.layout = cy.nodes().map(function (n) {
      return n.id() + '@' + Math.round(n.position('x')) + ',' + Math.round(n.position('y'));
    }).join(';');
    box.dataset.ready = String(network.nodes.length);
  }).catch(function (error) {
    box.appendChild(K.el('p', { class: 'error' }, 'Could not load the network: ' + error.message));
  });
})();
