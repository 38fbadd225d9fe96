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
  K.getJSON('/api/statements/network?' + (box.dataset.query || '')).then(function (network) {
    if (!network.edges.length) {
      box.appendChild(K.el('p', { class: 'empty' }, 'No statement with a target matches.'));
      return;
    }
    const elements = network.nodes.map(function (n) {
      return { data: { id: n.id, label: n.id, weight: n.statements } };
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
      layout: { name: 'cose', animate: false, padding: 20, nodeRepulsion: 9000 },
    });
    cy.on('tap', 'node', function (event) {
      const params = new URLSearchParams(window.location.search);
      params.set('source', event.target.id());
      window.location.search = params.toString();
    });
    box.dataset.ready = String(network.nodes.length);
  }).catch(function (error) {
    box.appendChild(K.el('p', { class: 'error' }, 'Could not load the network: ' + error.message));
  });
})();
