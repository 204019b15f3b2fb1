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
