// An incident page's analyst actions: correct a field, split an account off, merge.
// Writes need the server's API key, sent in the X-API-Key header (never a cookie, so no
// other page can forge the request); the key is kept for this tab only.
(function () {
  'use strict';
  const id = document.getElementById('incident').dataset.id;
  const keyInput = document.getElementById('api-key');
  const result = document.getElementById('action-result');
  keyInput.value = sessionStorage.getItem('khabar-key') || '';
  keyInput.addEventListener('change', function () { sessionStorage.setItem('khabar-key', keyInput.value); });

  function parse(text) {
    try { return JSON.parse(text); } catch (ignored) { return text; }
  }

  let refused = null;  // the last refusal: { status, message }

  async function post(path, body) {
    refused = null;
    result.classList.remove('error');
    result.textContent = 'Saving…';
    const response = await fetch('/api/incidents/' + encodeURIComponent(id) + path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-API-Key': keyInput.value },
      body: JSON.stringify(body),
    });
    let answer = {};
    try { answer = await response.json(); } catch (ignored) { /* not JSON */ }
    if (!response.ok) {
      const message = answer.message ||
        (typeof answer.detail === 'string' ? answer.detail : response.statusText);
      refused = { status: response.status, message: message };
      result.classList.add('error');
      result.textContent = 'Refused (' + response.status + '): ' + message;
      return null;
    }
    return answer;
  }

  function go(eventId) {
    const path = '/incidents/' + encodeURIComponent(eventId);
    if (path === window.location.pathname) window.location.reload();
    else window.location.assign(path);
  }

  document.getElementById('correct-form').addEventListener('submit', async function (event) {
    event.preventDefault();
    const form = event.target;
    const note = form.elements.note.value.trim();
    const answer = await post('/corrections', {
      field: form.elements.field.value,
      value: parse(form.elements.value.value.trim()),
      note: note || null,
    });
    if (answer) go(answer.incident.id);
  });
  document.getElementById('split-form').addEventListener('submit', async function (event) {
    event.preventDefault();
    const answer = await post('/split', { article: event.target.elements.article.value });
    if (answer) go(answer.remaining || answer.incident);
  });
  document.getElementById('merge-form').addEventListener('submit', async function (event) {
    event.preventDefault();
    const other = event.target.elements.other.value.trim();
    let answer = await post('/merge', { other: other });
    // Incidents days apart or of other kinds: the server warns first (409).
    if (!answer && refused && refused.status === 409 &&
        window.confirm(refused.message + '\n\nMerge all the same?')) {
      answer = await post('/merge', { other: other, force: true });
    }
    if (answer) go(answer.incident);
  });
})();
