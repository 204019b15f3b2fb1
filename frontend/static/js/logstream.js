// Live run logs (logstream/panel.html :: panel). Each [data-ls-log] element follows its run's SSE
// stream: lines arrive as HTML the server rendered and escaped, are added once per animation frame,
// only the latest data-keep lines stay in the page, the view follows the end unless the reader has
// scrolled up, and a banner shows while the connection is down. The browser's EventSource resumes
// with Last-Event-ID by itself; when it gives up (the server answered with an error) a new one is
// opened with ?lastEventId= so that no line is lost or shown twice.
(function () {
  'use strict';
  if (window.lockstepLog) {
    return;
  }
  var BANNER_DELAY_MS = 1500;
  var RETRY_MS = [1000, 2000, 5000, 10000, 30000];

  function follow(panel) {
    if (panel.dataset.lsLogStarted) {
      return;
    }
    panel.dataset.lsLogStarted = 'true';
    var url = panel.dataset.stream;
    var keep = parseInt(panel.dataset.keep, 10) || 500;
    var box = panel.querySelector('.ls-log-lines');
    var banner = panel.querySelector('.ls-log-banner');
    var trimmedNote = panel.querySelector('.ls-log-trimmed');
    var endNote = panel.querySelector('.ls-log-end');
    var lastSeq = 0;
    var pending = [];
    var frame = 0;
    var atEnd = true;
    var source = null;
    var bannerTimer = 0;
    var failures = 0;

    box.addEventListener('scroll', function () {
      atEnd = box.scrollTop + box.clientHeight >= box.scrollHeight - 8;
    });

    function flush() {
      frame = 0;
      if (pending.length > keep) {
        pending = pending.slice(pending.length - keep);
      }
      box.insertAdjacentHTML('beforeend', pending.join(''));
      pending = [];
      var extra = box.childElementCount - keep;
      if (extra > 0) {
        while (extra-- > 0) {
          box.removeChild(box.firstElementChild);
        }
        trimmedNote.hidden = false;
      }
      if (atEnd) {
        box.scrollTop = box.scrollHeight;
      }
    }

    function showBanner(down) {
      clearTimeout(bannerTimer);
      if (!down) {
        banner.hidden = true;
        panel.classList.remove('ls-log-down');
        return;
      }
      bannerTimer = setTimeout(function () {
        banner.hidden = false;
        panel.classList.add('ls-log-down');
      }, BANNER_DELAY_MS);
    }

    function connect() {
      var target = lastSeq > 0 ? url + (url.indexOf('?') < 0 ? '?' : '&') + 'lastEventId=' + lastSeq : url;
      source = new EventSource(target);
      source.addEventListener('open', function () {
        failures = 0;
        showBanner(false);
      });
      source.addEventListener('line', function (event) {
        var seq = parseInt(event.lastEventId, 10);
        if (!(seq > lastSeq)) {
          return;
        }
        lastSeq = seq;
        pending.push(event.data);
        if (pending.length > 2 * keep) {
          pending = pending.slice(pending.length - keep);
        }
        if (!frame) {
          frame = window.requestAnimationFrame(flush);
        }
      });
      source.addEventListener('end', function () {
        source.close();
        showBanner(false);
        endNote.hidden = false;
        panel.classList.add('ls-log-ended');
      });
      source.addEventListener('error', function () {
        showBanner(true);
        if (source.readyState === EventSource.CLOSED) {
          var wait = RETRY_MS[Math.min(failures++, RETRY_MS.length - 1)];
          setTimeout(connect, wait);
        }
      });
    }

    connect();
  }

  function start(root) {
    if (root.matches && root.matches('[data-ls-log]')) {
      follow(root);
    }
    if (root.querySelectorAll) {
      root.querySelectorAll('[data-ls-log]').forEach(follow);
    }
  }

  window.lockstepLog = { start: start };
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', function () {
      start(document);
    });
  } else {
    start(document);
  }
  document.addEventListener('htmx:load', function (event) {
    start(event.target);
  });
})();
