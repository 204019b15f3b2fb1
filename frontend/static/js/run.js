// Keeps run pages current without polling: one server-sent event stream of run changes
// (/runs/events, the run id as data). On a change, the elements showing that run (data-ls-run) or
// all runs (data-ls-runs, e.g. the dashboard and the approval badge) are told to refresh
// (htmx trigger ls-run-changed / ls-changed). The browser reconnects a dropped stream by itself;
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
  // A step waiting for its next attempt ("attempt 3 of 6, next in 4s"): the seconds count down
  // from its time (data-next-attempt-at) until the attempt starts and the row refreshes.
  setInterval(function () {
    document.querySelectorAll('[data-next-attempt-at]').forEach(function (el) {
      var at = Date.parse(el.getAttribute('data-next-attempt-at'));
      if (!isNaN(at)) {
        var left = Math.max(0, Math.ceil((at - Date.now()) / 1000));
        el.textContent = el.textContent.replace(/next in .*$/, 'next in ' + left + 's');
      }
    });
  }, 1000);
  // Every open refreshes once, the first one too: a change between the page's rendering and the
  // stream's opening (a run the engine moves right after it was requested) is otherwise missed.
  source.addEventListener('open', function () {
    refresh(null);
  });
})();
