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

// Planner: the checks leave secrets out (hx-params); they say which secret fields are filled in,
// never what they hold, so a required password left empty is listed as a problem.
document.addEventListener('htmx:configRequest', function (event) {
  if (event.detail.verb === 'get') {
    return;
  }
  document.querySelectorAll('input[type=password][data-ls-secret]').forEach(function (input) {
    if (input.name && input.value) {
      event.detail.parameters['given.' + input.name] = 'true';
    }
  });
});

// Controls marked data-ls-local (the planner's "map from"/"goes to") do not trigger their form's
// htmx check: they only matter when their own button is clicked.
document.addEventListener('change', function (event) {
  if (event.target.closest && event.target.closest('[data-ls-local]')) {
    event.stopPropagation();
  }
}, true);

// An htmx request the console refused (a run that is gone, a failure) answers a small notice
// (error/page :: notice): it is shown over the page, never swapped into it.
document.addEventListener('htmx:responseError', function (event) {
  var xhr = event.detail.xhr;
  if (!xhr || !xhr.responseText || xhr.responseText.indexOf('ls-error-notice') < 0) {
    return;
  }
  var notice = new DOMParser().parseFromString(xhr.responseText, 'text/html').querySelector('.ls-error-notice');
  if (!notice) {
    return;
  }
  var box = document.getElementById('ls-notices');
  if (!box) {
    box = document.createElement('div');
    box.id = 'ls-notices';
    box.className = 'ls-notices';
    document.body.appendChild(box);
  }
  box.appendChild(document.importNode(notice, true));
});

document.addEventListener('click', function (event) {
  var close = event.target.closest && event.target.closest('.ls-error-notice .delete');
  if (close) {
    close.parentNode.remove();
  }
});
