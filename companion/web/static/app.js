// Goen web view: the copy buttons, the draft check (template guard) and the suggestion
// buttons. Loaded as a file (CSP script-src 'self'); scraped text is only ever put into
// the page with textContent or value, never as markup.
'use strict';

(function () {
  const csrfMeta = document.querySelector('meta[name="csrf-token"]');
  const csrf = csrfMeta ? csrfMeta.getAttribute('content') : '';
  const lang = document.body.dataset.lang === 'en' ? 'en' : 'ja';

  // A state change from this page: same origin (the browser sends Origin), the session
  // cookie, and the CSRF token in a header.
  function postJson(url, body) {
    return fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: {'Content-Type': 'application/json', 'X-CSRF-Token': csrf},
      body: JSON.stringify(body || {}),
    }).then(function (response) {
      if (!response.ok) { throw new Error('HTTP ' + response.status); }
      return response.json();
    });
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    return new Promise(function (resolve, reject) {
      const area = document.createElement('textarea');
      area.value = text;
      document.body.appendChild(area);
      area.select();
      const ok = document.execCommand('copy');
      area.remove();
      if (ok) { resolve(); } else { reject(new Error('copy refused')); }
    });
  }

  document.querySelectorAll('button.copy').forEach(function (button) {
    const label = button.textContent;
    button.addEventListener('click', function () {
      const source = document.getElementById(button.dataset.copy);
      if (!source) { return; }
      copyText(source.value).then(function () {
        button.textContent = button.dataset.copied;
        button.classList.add('done');
        window.setTimeout(function () {
          button.textContent = label;
          button.classList.remove('done');
        }, 2000);
      }).catch(function () { source.select(); });
    });
  });

  // The draft check runs when the user edits a draft (after a pause in typing).
  document.querySelectorAll('textarea.draft-text').forEach(function (area) {
    const box = area.closest('.draft');
    const out = box ? box.querySelector('.check-result') : null;
    let timer = null;
    let sequence = 0;
    area.addEventListener('input', function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        if (!out || !area.value.trim()) { return; }
        const mine = ++sequence;
        out.textContent = out.dataset.checking;
        out.className = 'check-result muted';
        postJson('/web/drafts/check', {
          contact_id: Number(area.dataset.contact), text: area.value,
        }).then(function (result) {
          if (mine !== sequence) { return; }
          out.replaceChildren();
          if (result.ok) {
            out.textContent = out.dataset.ok;
            out.className = 'check-result ok';
            return;
          }
          out.className = 'check-result flagged';
          const list = document.createElement('ul');
          (result.flags || []).forEach(function (flag) {
            const item = document.createElement('li');
            const message = flag.message || {};
            item.textContent = message[lang] || message.ja || flag.kind;
            item.dataset.kind = flag.kind;
            list.appendChild(item);
          });
          out.appendChild(list);
        }).catch(function () {
          if (mine !== sequence) { return; }
          out.textContent = out.dataset.failed;
          out.className = 'check-result flagged';
        });
      }, 500);
    });
  });

  // Every form that changes something is sent with fetch. Posted by the browser itself it
  // would carry "Origin: null" (our Referrer-Policy is no-referrer), which the companion
  // refuses; fetch sends the real Origin. The answer names where to go next.
  function formError(form, text) {
    let box = form.querySelector('.form-error');
    if (!box) {
      box = document.createElement('p');
      box.className = 'form-error';
      box.setAttribute('role', 'alert');
      form.appendChild(box);
    }
    box.textContent = text;
  }

  document.querySelectorAll('form[method="post"]').forEach(function (form) {
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      const data = new FormData(form);
      const submitter = event.submitter;
      if (submitter && submitter.name && !data.has(submitter.name)) {
        data.append(submitter.name, submitter.value);
      }
      const buttons = form.querySelectorAll('button');
      buttons.forEach(function (b) { b.disabled = true; });
      fetch(form.getAttribute('action'), {
        method: 'POST',
        credentials: 'same-origin',
        headers: {'Accept': 'application/json', 'X-CSRF-Token': csrf},
        body: new URLSearchParams(data),
      }).then(function (response) {
        if (response.ok) {
          return response.json().then(function (answer) {
            const target = new URL(answer.location, window.location.href);
            if (target.origin !== window.location.origin) { throw new Error('elsewhere'); }
            const same = target.pathname === window.location.pathname &&
              target.search === window.location.search;
            if (same) {
              // one real load of this page, at the new anchor (assign would only scroll)
              window.history.replaceState(null, '', target.href);
              window.location.reload();
            } else {
              window.location.assign(target.href);
            }
          });
        }
        return response.text().then(function (html) {
          // the error page's message, read as text (DOMParser runs no scripts)
          const doc = new DOMParser().parseFromString(html, 'text/html');
          const message = doc.querySelector('[data-testid="error"] p');
          formError(form, message ? message.textContent : ('HTTP ' + response.status));
          buttons.forEach(function (b) { b.disabled = false; });
        });
      }).catch(function () {
        formError(form, document.body.dataset.failed || 'Error');
        buttons.forEach(function (b) { b.disabled = false; });
      });
    });
  });

  // Done / dismiss on a suggestion.
  document.querySelectorAll('.suggestion button.act').forEach(function (button) {
    button.addEventListener('click', function () {
      const card = button.closest('.suggestion');
      const key = card.dataset.key;
      button.disabled = true;
      postJson('/web/suggestions/' + encodeURIComponent(key) + '/' + button.dataset.act, {})
        .then(function () {
          card.classList.add('acted');
          button.textContent = button.dataset.done;
        })
        .catch(function () { button.disabled = false; });
    });
  });
})();
