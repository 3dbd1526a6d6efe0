/* global document, performance, setInterval */
// Live countdowns on the "Now" page. The time is the server's (body data-now) advanced by the browser's
// monotonic clock, so a wrong clock on the reader's computer cannot show a wrong time left.
(function () {
  'use strict';
  var body = document.body;
  var serverNow = Number(body.getAttribute('data-now'));
  var started = performance.now();
  var u = JSON.parse(body.getAttribute('data-units') || '{}');
  var leftTpl = body.getAttribute('data-left') || '{}';
  var overTpl = body.getAttribute('data-over') || '{}';
  function fmt(ms) {
    var total = Math.floor(Math.abs(ms) / 60000);
    var d = Math.floor(total / 1440), h = Math.floor((total % 1440) / 60), m = total % 60;
    if (d > 0) return d + u.d + (h > 0 ? u.sep + h + u.h : '');
    if (h > 0) return h + u.h + (m > 0 ? u.sep + m + u.m : '');
    return m > 0 ? m + u.m : u.lessThanMinute;
  }
  function tick() {
    var now = serverNow + (performance.now() - started);
    var cells = document.querySelectorAll('[data-due]');
    for (var i = 0; i < cells.length; i++) {
      var el = cells[i];
      var left = Number(el.getAttribute('data-due')) - now;
      el.textContent = (left >= 0 ? leftTpl : overTpl).replace('{}', fmt(left));
      var row = el.closest('tr');
      if (row) row.classList.toggle('overdue', left < 0);
    }
  }
  if (!Number.isFinite(serverNow)) return;
  setInterval(tick, 15000);
})();
