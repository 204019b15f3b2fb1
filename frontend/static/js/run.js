// Keeps run pages current without polling: one server-sent event stream of run changes
// (/runs/events, the run id as data). On a change, the elements showing that run (data-ls-run) or
// all runs (data-ls-runs, e.g. the dashboard and the approval badge) are told to refresh
// (htmx trigger ls-run-changed / ls-changed); the run page swaps only the parts that changed (below). The browser reconnects a dropped stream by itself;
// when the stream opens or reopens everything refreshes once, since changes may have been missed.
(function () {
  if (window.lockstepRunChanges) {
    return;
  }
  var base = document.querySelector('meta[name="ls-base"]');
  var source = new EventSource((base ? base.content : '/') + 'runs/events');
  window.lockstepRunChanges = source;

  function refresh(runId) {
    document.querySelectorAll('[data-ls-run]').forEach(function (el) {
      if (!runId || el.getAttribute('data-ls-run') === runId) {
        htmx.trigger(el, 'ls-run-changed');
      }
    });
    document.querySelectorAll('[data-ls-runs]').forEach(function (el) {
      htmx.trigger(el, 'ls-changed');
    });
  }

  source.addEventListener('changed', function (event) {
    refresh(event.data);
  });
  // A step reported progress (a copy's bytes): only that run's progress bars refresh.
  source.addEventListener('progress', function (event) {
    document.querySelectorAll('[data-ls-progress]').forEach(function (el) {
      if (el.getAttribute('data-ls-progress') === event.data) {
        htmx.trigger(el, 'ls-run-progress');
      }
    });
  });
  // A step waiting for its next attempt ("attempt 3 of 6 · next attempt in 4s", in the reader's
  // language): the seconds (.retry-left) count down from its time (data-next-attempt-at) until the
  // attempt starts and the row refreshes.
  setInterval(function () {
    document.querySelectorAll('[data-next-attempt-at]').forEach(function (el) {
      var at = Date.parse(el.getAttribute('data-next-attempt-at'));
      var left = el.querySelector('.retry-left');
      if (!isNaN(at) && left) {
        left.textContent = Math.max(0, Math.ceil((at - Date.now()) / 1000)) + 's';
      }
    });
  }, 1000);
  // The run page's live parts (data-ls-part, each with an id): a refresh answers every part as an
  // out-of-band swap, and only a part whose server HTML changed is swapped; a part's own signature
  // leaves out the parts inside it, which are compared on their own (a step row, a progress bar).
  // Elements holding a person's input are hx-preserve in the template and survive a swap around them;
  // opened <details> stay open. html[data-ls-refreshes] and html[data-ls-swaps] count what happened.
  var signatures = {};
  function signature(el) {
    var copy = el.cloneNode(true);
    copy.removeAttribute('hx-swap-oob');
    copy.querySelectorAll('[data-ls-part]').forEach(function (inner) {
      var ref = document.createElement('i');
      ref.setAttribute('data-ls-ref', inner.id);
      inner.replaceWith(ref);
    });
    copy.querySelectorAll('[hx-swap-oob]').forEach(function (n) {
      n.removeAttribute('hx-swap-oob');
    });
    // a <time> is compared by its instant: localtime.js rewrites its text in the browser's zone,
    // which the server's fresh copy does not have yet
    copy.querySelectorAll('time[datetime]').forEach(function (t) {
      t.textContent = '';
      t.removeAttribute('title');
      t.removeAttribute('data-localtime');
    });
    return copy.outerHTML;
  }
  function remember(root) {
    if (root.id && root.hasAttribute('data-ls-part')) {
      signatures[root.id] = signature(root);
    }
    root.querySelectorAll('[data-ls-part][id]').forEach(function (part) {
      signatures[part.id] = signature(part);
    });
  }
  function count(name) {
    var html = document.documentElement;
    html.setAttribute(name, String(Number(html.getAttribute(name) || '0') + 1));
  }
  function started(root) {
    var at = Date.now();
    if (root.matches && root.matches('[data-ls-tick]')) {
      root.lsTickFrom = at;
    }
    (root.querySelectorAll ? root.querySelectorAll('[data-ls-tick]') : []).forEach(function (el) {
      el.lsTickFrom = at;
    });
  }
  remember(document.body);
  started(document);
  document.addEventListener('htmx:oobBeforeSwap', function (event) {
    var target = event.detail.target;
    var fresh = event.detail.fragment && event.detail.fragment.firstElementChild;
    if (!target || !target.id || !fresh || !fresh.hasAttribute('data-ls-part')) {
      return;
    }
    var sig = signature(fresh);
    if (signatures[target.id] === sig) {
      event.detail.shouldSwap = false;
      return;
    }
    remember(fresh);
    target.querySelectorAll('details[open][id]').forEach(function (open) {
      var again = fresh.querySelector('#' + CSS.escape(open.id));
      if (again) {
        again.setAttribute('open', '');
      }
    });
    count('data-ls-swaps');
  });
  document.addEventListener('htmx:oobAfterSwap', function (event) {
    started(event.detail.target && event.detail.target.isConnected ? event.detail.target : document);
  });
  document.addEventListener('htmx:load', function (event) {
    started(event.detail.elt);
  });
  // An action's refusal goes to the place it was tried (hx-target). When the same answer's parts
  // replaced that place (a stale approval form for an older plan version gives way to the current
  // one), the refusal landed in the removed element and nobody saw it: it is shown in the element
  // that now holds the place's id, or under the run's buttons when the place is gone (another person
  // approved the phase meanwhile). htmx tells a removed requester's nearest remaining ancestor.
  document.addEventListener('htmx:afterRequest', function (event) {
    var target = event.detail.target;
    // only a refusal moves: run.js is on every page, and a plain swap (the audit filter's
    // outerHTML) also leaves its old target removed, whose content must not come back
    if (target && target.id && !target.isConnected && target.querySelector('.refusal-text')) {
      var again = document.getElementById(target.id) || document.getElementById('run-refusal');
      if (again && again !== target) {
        again.innerHTML = target.innerHTML;
      }
    }
  });
  document.addEventListener('htmx:afterRequest', function (event) {
    var elt = event.detail.elt;
    if (event.detail.successful && elt && (elt.id === 'run-live' || elt.id === 'run-progress')) {
      count('data-ls-refreshes');
    }
  });

  // The downtime clock ticks on its own between refreshes: the server's figure (data-seconds) plus
  // the time since it arrived, while the downtime goes on (data-ls-tick="true").
  function duration(seconds) {
    if (seconds <= 0) {
      return '0s';
    }
    var parts = [[86400, 'd'], [3600, 'h'], [60, 'm'], [1, 's']];
    var out = '';
    parts.forEach(function (p) {
      var n = Math.floor(seconds / p[0]);
      seconds -= n * p[0];
      if (n > 0) {
        out += n + p[1];
      }
    });
    return out;
  }
  setInterval(function () {
    document.querySelectorAll('[data-ls-tick="true"]').forEach(function (el) {
      if (!el.lsTickFrom) {
        el.lsTickFrom = Date.now();
      }
      var base = Number(el.getAttribute('data-seconds') || '0');
      el.textContent = duration(base + Math.floor((Date.now() - el.lsTickFrom) / 1000));
    });
  }, 1000);
  // Every open refreshes once, the first one too: a change between the page's rendering and the
  // stream's opening (a run the engine moves right after it was requested) is otherwise missed.
  source.addEventListener('open', function () {
    refresh(null);
  });
})();
