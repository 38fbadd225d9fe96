// Incident and article pages: a value's [n] link lights up the passage that supports it.
(function () {
  'use strict';
  function marksFor(index) {
    return Array.from(document.querySelectorAll('mark.evidence')).filter(function (mark) {
      return (mark.dataset.ev || '').split(' ').indexOf(index) >= 0;
    });
  }
  function light(index, on) {
    marksFor(index).forEach(function (mark) { mark.classList.toggle('active', on); });
  }
  document.querySelectorAll('.evidence-link').forEach(function (link) {
    const index = link.dataset.ev;
    link.addEventListener('mouseenter', function () { light(index, true); });
    link.addEventListener('mouseleave', function () { light(index, false); });
    link.addEventListener('focus', function () { light(index, true); });
    link.addEventListener('blur', function () { light(index, false); });
    link.addEventListener('click', function () {
      document.querySelectorAll('mark.evidence.flash').forEach(function (m) { m.classList.remove('flash'); });
      marksFor(index).forEach(function (mark) { mark.classList.add('flash'); });
    });
  });
})();
