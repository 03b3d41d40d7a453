// Contacts page: the list follows the search box and filters as the user types, through
// GET /web/contacts.json (the same search as the page). Without this script the form still
// works as a plain GET form. Names and every other scraped value go in with textContent.
'use strict';

(function () {
  const form = document.querySelector('[data-testid="contact-search"]');
  const body = document.getElementById('contact-rows');
  const total = document.querySelector('[data-testid="contact-total"]');
  const next = document.querySelector('[data-testid="contact-next"]');
  if (!form || !body) { return; }
  const table = document.querySelector('[data-testid="contact-table"]');
  // the words come from the page (companion/web/i18n.py), in the page's language
  const text = {total: total.dataset.template, never: table.dataset.never,
                none: table.dataset.none};
  function tierName(tier) {
    const option = form.querySelector('select[name="tier"] option[value="' + CSS.escape(tier) + '"]');
    return option ? option.textContent : tier;
  }
  let timer = null;
  let asked = 0;     // answers that arrive late for an older query are dropped

  function params() {
    const query = new URLSearchParams();
    for (const [name, value] of new FormData(form)) {
      if (String(value).trim()) { query.set(name, String(value).trim()); }
    }
    return query;
  }

  function cell(row, value, className) {
    const td = document.createElement('td');
    if (value !== undefined && value !== null) { td.textContent = value; }
    if (className) { td.className = className; }
    row.appendChild(td);
    return td;
  }

  function line(parent, value, className) {
    const div = document.createElement('div');
    div.className = className;
    div.textContent = value;
    parent.appendChild(div);
  }

  function rowFor(r) {
    const tr = document.createElement('tr');
    tr.dataset.testid = 'contact-row';
    tr.dataset.id = String(r.id);
    const name = cell(tr);
    const link = document.createElement('a');
    link.href = '/contacts/' + encodeURIComponent(r.id);
    link.dataset.testid = 'contact-name';
    link.textContent = r.display_name;
    name.appendChild(link);
    if (r.reading) { line(name, r.reading, 'muted reading'); }
    // where the search matched, unless it is the name or reading shown just above
    if (r.snippet && r.snippet_field !== 'name' && r.snippet_field !== 'reading') {
      line(name, r.snippet, 'snippet');
    }
    const work = cell(tr, r.headline || '');
    if (r.organisation && (r.headline || '').indexOf(r.organisation) < 0) {
      line(work, r.organisation, 'muted');
    }
    const tier = cell(tr);
    const badge = document.createElement('span');
    badge.className = 'badge tier-' + r.tier;
    badge.textContent = tierName(r.tier);
    tier.appendChild(badge);
    cell(tr, (r.sites || []).join(', '));
    cell(tr, r.last_two_way || text.never);
    const tags = cell(tr);
    for (const tag of r.tags || []) {
      const span = document.createElement('span');
      span.className = 'tag';
      span.textContent = tag;
      tags.appendChild(span);
      tags.appendChild(document.createTextNode(' '));
    }
    return tr;
  }

  function show(answer, query) {
    const rows = answer.rows.map(rowFor);
    if (!rows.length) {
      const tr = document.createElement('tr');
      tr.className = 'empty-row';
      const td = cell(tr, text.none, 'empty');
      td.colSpan = 6;
      td.dataset.testid = 'contact-none';
      rows.push(tr);
    }
    body.replaceChildren(...rows);
    total.textContent = text.total.replace('{count}', answer.total.toLocaleString());
    total.dataset.total = String(answer.total);
    if (next) {
      if (answer.next_cursor) {
        const more = new URLSearchParams(query);
        more.set('cursor', answer.next_cursor);
        next.href = '/contacts?' + more.toString();
        next.hidden = false;
      } else {
        next.removeAttribute('href');
        next.hidden = true;
      }
    }
    const here = query.toString();
    history.replaceState(null, '', '/contacts' + (here ? '?' + here : ''));
  }

  function refresh() {
    const query = params();
    const mine = ++asked;
    fetch('/web/contacts.json?' + query.toString(), {credentials: 'same-origin',
                                                      headers: {Accept: 'application/json'}})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (answer) {
        if (answer && mine === asked) { show(answer, query); }
      })
      .catch(function () { /* the plain form still works */ });
  }

  function soon() {
    clearTimeout(timer);
    timer = setTimeout(refresh, 200);
  }

  form.addEventListener('input', soon);
  form.addEventListener('change', soon);
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    clearTimeout(timer);
    refresh();
  });
})();
