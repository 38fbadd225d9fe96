// Shared helpers. Text from the server is untrusted: it only ever goes into the page
// through textContent and attributes set by the DOM, never through innerHTML.
(function () {
  'use strict';

  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value !== null && value !== undefined) node.setAttribute(name, String(value));
    }
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function svg(tag, attrs, text) {
    const node = document.createElementNS('http://www.w3.org/2000/svg', tag);
    for (const [name, value] of Object.entries(attrs || {})) node.setAttribute(name, String(value));
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  async function getJSON(url) {
    const response = await fetch(url, { headers: { Accept: 'application/json' } });
    if (!response.ok) {
      let message = response.status + ' ' + response.statusText;
      try {
        const body = await response.json();
        message = body.message || (typeof body.detail === 'string' ? body.detail : message);
      } catch (ignored) { /* not JSON */ }
      throw new Error(message);
    }
    return response.json();
  }

  function incidentHref(id) {
    return '/incidents/' + encodeURIComponent(id);
  }

  function actorHref(name) {
    return '/actors/' + encodeURIComponent(name);
  }

  // An actor's name as a link to its page (the name is text, never markup).
  function actorLink(name) {
    return el('a', { href: actorHref(name), class: 'actor' }, name);
  }

  window.khabar = {
    el: el, svg: svg, getJSON: getJSON, incidentHref: incidentHref,
    actorHref: actorHref, actorLink: actorLink,
  };
})();
