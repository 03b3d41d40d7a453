// Network page: fetch the graph from /web/network.json, draw it (graph.js: sigma.js on
// graphology), apply the filters, open a person on click, and find warm paths ("How can I
// reach …?") through /web/network/paths. Names go into the page with textContent only.
'use strict';

(function () {
  const section = document.querySelector('[data-testid="network-graph"]');
  const container = document.getElementById('graph');
  const status = document.querySelector('[data-testid="network-status"]');
  const filters = document.querySelector('[data-testid="network-filters"]');
  const reach = document.querySelector('[data-testid="reach-form"]');
  if (!section || !container || !window.GoenGraph) { return; }
  let handle = null;
  let people = new Map();        // lower-cased name → contact id, for the path finder

  const getJson = window.GoenGraph.getJson;

  function checked(name) {
    return Array.from(filters.querySelectorAll('input[name="' + name + '"]:checked'))
      .map(function (box) { return box.value; });
  }

  function applyFilters() {
    if (!handle) { return; }
    handle.setFilter({tiers: checked('tier'), kinds: checked('kind'),
                      minStrength: parseFloat(filters.elements.min_strength.value) || 0});
    handle.setColourBy(filters.querySelector('input[name="colour"]:checked').value);
  }

  function filtersAtDefaults() {
    const boxes = filters.querySelectorAll('input[type="checkbox"]');
    return Array.from(boxes).every(function (box) { return box.checked; }) &&
      (parseFloat(filters.elements.min_strength.value) || 0) === 0 &&
      filters.querySelector('input[name="colour"]:checked').value === 'tier';
  }

  function draw(data) {
    performance.mark('goen-data');
    handle = window.GoenGraph.mount(container, data, {
      onClick: function (contactId) { window.location.href = '/contacts/' + contactId; },
    });
    container.goenGraph = handle;    // for tools and tests (tests/web/test_lists_browser.py)
    for (let i = 0; i < data.nodes.id.length; i++) {
      people.set(data.nodes.label[i].toLowerCase(), data.nodes.id[i]);
    }
    status.textContent = section.dataset.count
      .replace('{people}', data.nodes.id.length.toLocaleString())
      .replace('{links}', data.edges.source.length.toLocaleString());
    performance.mark('goen-mounted');
    section.dataset.ready = 'true';
    // the form as the page came (everything shown, coloured by tier) is what mount drew: only
    // a form the browser restored differently needs another pass (one full render costs
    // seconds at 50,000 links without a GPU)
    if (!filtersAtDefaults()) { applyFilters(); }
  }

  getJson('/web/network.json').then(draw).catch(function (error) {
    status.textContent = section.dataset.failed + ' ' + error.message;
    section.dataset.ready = 'failed';
  });
  filters.addEventListener('change', applyFilters);
  filters.addEventListener('input', applyFilters);

  // -- How can I reach …? ----------------------------------------------------------------
  const reachStatus = reach.querySelector('[data-testid="reach-status"]');
  const list = reach.querySelector('[data-testid="reach-paths"]');

  function copyButton(text) {
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = reachStatus.dataset.copy;
    button.dataset.testid = 'path-copy';
    button.addEventListener('click', function () {
      navigator.clipboard.writeText(text).then(function () {
        button.textContent = reachStatus.dataset.copied;
      });
    });
    return button;
  }

  function showPaths(answer) {
    const items = answer.paths.map(function (path, n) {
      const li = document.createElement('li');
      li.dataset.testid = 'path';
      const chain = document.createElement('p');
      chain.className = 'chain';
      path.names.forEach(function (name, k) {
        if (k) { chain.appendChild(document.createTextNode(' → ')); }
        const link = document.createElement('a');
        link.href = '/contacts/' + path.people[k];
        link.textContent = name;
        chain.appendChild(link);
      });
      li.appendChild(chain);
      const lang = document.body.dataset.lang === 'en' ? 'en' : 'ja';
      const why = document.createElement('ul');
      why.className = 'why';
      path.reasons.forEach(function (reason) {
        const item = document.createElement('li');
        item.textContent = reason[lang] || reason.ja;
        why.appendChild(item);
      });
      li.appendChild(why);
      const draft = document.createElement('textarea');
      draft.className = 'draft';
      draft.rows = 5;
      draft.lang = path.draft.lang;
      draft.value = path.draft.text;
      draft.dataset.testid = 'path-draft';
      li.appendChild(draft);
      li.appendChild(copyButton(path.draft.text));
      if (n === 0 && handle) {
        handle.highlightPath(path.people);
        handle.focus(path.people[path.people.length - 1], {animate: false});
      }
      return li;
    });
    list.replaceChildren(...items);
    reachStatus.textContent = items.length ? '' : reachStatus.dataset.none;
  }

  // suggestions while typing: the contact search (names, readings, organisations)
  const names = document.getElementById('reach-people');
  let typing = null;
  reach.elements.who.addEventListener('input', function () {
    clearTimeout(typing);
    const q = reach.elements.who.value.trim();
    if (!q) { return; }
    typing = setTimeout(function () {
      getJson('/web/contacts.json?limit=20&q=' + encodeURIComponent(q)).then(function (found) {
        names.replaceChildren(...found.rows.map(function (row) {
          people.set(row.display_name.toLowerCase(), row.id);
          const option = document.createElement('option');
          option.value = row.display_name;
          if (row.reading) { option.label = row.display_name + ' (' + row.reading + ')'; }
          return option;
        }));
      }).catch(function () { /* typing the whole name still works */ });
    }, 200);
  });

  reach.addEventListener('submit', function (event) {
    event.preventDefault();
    const who = reach.elements.who.value.trim().toLowerCase();
    const id = people.get(who);
    if (id === undefined) {
      list.replaceChildren();
      reachStatus.textContent = reachStatus.dataset.unknown;
      return;
    }
    getJson('/web/network/paths?to=' + encodeURIComponent(id) + '&k=3').then(showPaths)
      .catch(function (error) { reachStatus.textContent = error.message; });
  });
})();
