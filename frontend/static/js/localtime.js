// Shows every <time datetime="…Z"> in the browser's time zone, the UTC text kept as its title (on
// hover). Runs on load and on every element added later (htmx swaps, SSE log lines). A time whose
// text has no date (a log line's 20:00:01.234) keeps that shape. Exports stay in UTC.
(function () {
  'use strict';
  const pad = (n, w) => String(n).padStart(w || 2, '0');

  function offset(d) {
    const minutes = -d.getTimezoneOffset();
    const sign = minutes < 0 ? '-' : '+';
    const h = Math.floor(Math.abs(minutes) / 60), m = Math.abs(minutes) % 60;
    return 'UTC' + sign + h + (m ? ':' + pad(m) : '');
  }

  function localize(el) {
    if (el.dataset.localtime) {
      return;
    }
    const iso = el.getAttribute('datetime');
    if (!iso || !/Z$|[+-]\d\d:?\d\d$/.test(iso)) {
      return;
    }
    const d = new Date(iso);
    if (isNaN(d.getTime())) {
      return;
    }
    const shown = el.textContent.trim();
    const clock = pad(d.getHours()) + ':' + pad(d.getMinutes());
    const seconds = /\d\d:\d\d:\d\d/.test(shown) ? ':' + pad(d.getSeconds()) : '';
    const millis = /\d\d:\d\d:\d\d\.\d{3}/.test(shown) ? '.' + pad(d.getMilliseconds(), 3) : '';
    const date = /^\d{4}-\d\d-\d\d/.test(shown)
        ? d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + ' ' : '';
    el.title = d.getUTCFullYear() + '-' + pad(d.getUTCMonth() + 1) + '-' + pad(d.getUTCDate()) + ' '
        + pad(d.getUTCHours()) + ':' + pad(d.getUTCMinutes()) + ':' + pad(d.getUTCSeconds())
        + (millis ? '.' + pad(d.getUTCMilliseconds(), 3) : '') + ' UTC';
    el.textContent = date + clock + seconds + millis + (date ? ' ' + offset(d) : '');
    el.dataset.localtime = offset(d);
  }

  function within(root) {
    if (root.nodeType !== 1) {
      return;
    }
    if (root.matches('time[datetime]')) {
      localize(root);
    }
    root.querySelectorAll('time[datetime]').forEach(localize);
  }

  function start() {
    within(document.body);
    new MutationObserver(changes => changes.forEach(c => c.addedNodes.forEach(within)))
        .observe(document.body, {childList: true, subtree: true});
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
