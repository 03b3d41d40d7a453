// Goen web view: the import page's upload (pages_import.py). app.js sends every other form
// as URL-encoded fields, which cannot carry a file; this form goes as multipart/form-data with
// XMLHttpRequest, for its upload progress. Like app.js it sends the real Origin (the browser
// adds it to a script's POST) and the CSRF token in a header. The answer is the import page
// itself (summary or error), whose <main> replaces this one; it is parsed with DOMParser,
// which runs no scripts, and the page is the companion's own, autoescaped. A larger import
// answers with its progress page (import_jobs.py): the browser then goes to that page, which
// refreshes itself until the summary.
'use strict';

(function () {
  const csrfMeta = document.querySelector('meta[name="csrf-token"]');
  const csrf = csrfMeta ? csrfMeta.getAttribute('content') : '';

  function show(html, status, form) {
    const doc = new DOMParser().parseFromString(html, 'text/html');
    const main = doc.querySelector('main');
    const running = main && main.querySelector('[data-import-running]');
    if (running) {
      window.location.assign(running.getAttribute('data-import-running'));
      return;
    }
    if (main) {
      document.querySelector('main').replaceWith(document.adoptNode(main));
      if (doc.title) { document.title = doc.title; }
      window.scrollTo(0, 0);
      return;
    }
    // not a page: the request guard's JSON error (a file over the size limit: 413)
    let message = 'HTTP ' + status;
    try {
      const body = JSON.parse(html);
      if (body && body.error && body.error.message) { message += ': ' + body.error.message; }
    } catch (ignored) { /* not JSON either: the status says enough */ }
    failed(form, message);
  }

  function failed(form, text) {
    const status = form.querySelector('[data-testid="import-status"]');
    const progress = form.querySelector('progress');
    if (progress) { progress.hidden = true; }
    status.hidden = false;
    status.textContent = text;
    status.className = 'form-error';
    status.setAttribute('role', 'alert');
    form.querySelectorAll('button').forEach(function (b) { b.disabled = false; });
  }

  // On the document, in the capture phase: this runs before the form's own listeners, so
  // app.js's handler for every form never sees this one.
  document.addEventListener('submit', function (event) {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute('data-upload')) { return; }
    event.preventDefault();
    event.stopImmediatePropagation();
    const progress = form.querySelector('progress');
    const status = form.querySelector('[data-testid="import-status"]');
    form.querySelectorAll('button').forEach(function (b) { b.disabled = true; });
    status.hidden = false;
    status.className = 'muted';
    status.removeAttribute('role');
    status.textContent = status.dataset.uploading;
    progress.hidden = false;
    progress.value = 0;

    const xhr = new XMLHttpRequest();
    xhr.open('POST', form.getAttribute('action'));
    xhr.setRequestHeader('X-CSRF-Token', csrf);
    xhr.upload.addEventListener('progress', function (e) {
      if (e.lengthComputable && e.total) { progress.value = Math.round(100 * e.loaded / e.total); }
    });
    xhr.upload.addEventListener('load', function () {
      progress.removeAttribute('value');      // indeterminate while the import runs
      status.textContent = status.dataset.importing;
    });
    xhr.addEventListener('load', function () { show(xhr.responseText, xhr.status, form); });
    xhr.addEventListener('error', function () { failed(form, status.dataset.failed); });
    xhr.send(new FormData(form));
  }, true);
})();
