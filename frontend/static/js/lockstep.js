// Small glue for htmx: send the CSRF token with every htmx request that changes something.
document.addEventListener('htmx:configRequest', function (event) {
  var token = document.querySelector('meta[name="_csrf"]');
  var header = document.querySelector('meta[name="_csrf_header"]');
  if (token && header && event.detail.verb !== 'get') {
    event.detail.headers[header.content] = token.content;
  }
});

// Forms marked .ls-confirm ask before they submit (inline handlers are barred by the CSP).
document.addEventListener('submit', function (event) {
  var form = event.target;
  if (form.classList && form.classList.contains('ls-confirm') && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});

// Plan form: a click on a choice under a field puts it in (a node) or adds it to the list (nodes,
// names: where replicas go may repeat a member cluster, so a name is added each time it is clicked).
document.addEventListener('click', function (event) {
  var pick = event.target.closest && event.target.closest('[data-ls-pick]');
  if (!pick) {
    return;
  }
  var input = document.getElementById(pick.dataset.lsTarget);
  if (!input) {
    return;
  }
  var value = pick.dataset.lsPick;
  if (pick.dataset.lsMany !== 'true') {
    input.value = value;
  } else {
    var items = input.value.split(',').map(function (s) { return s.trim(); }).filter(Boolean);
    var repeats = input.name === 'value.replicas';
    if (repeats || items.indexOf(value) < 0) {
      items.push(value);
    }
    input.value = items.join(', ');
  }
  input.dispatchEvent(new Event('change', { bubbles: true }));
});
