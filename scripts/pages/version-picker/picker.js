// The docs version picker of the published site, added to every page by scripts/pages/inject.ts.
// Its list comes from versions.json at the site's base; the page's own version and contract come
// from this script tag, so they show even if that file cannot be read.
'use strict';
(() => {
  const tag = document.currentScript;
  if (!tag) return;
  const base = tag.dataset.base || './';
  const current = tag.dataset.version || '';

  const nav = document.createElement('nav');
  nav.className = 'bullseye-versions';
  nav.setAttribute('aria-label', 'Documentation version');
  const label = document.createElement('label');
  label.textContent = 'Docs version ';
  const select = document.createElement('select');
  select.name = 'docs-version';
  label.append(select);
  const contract = document.createElement('span');
  contract.className = 'bullseye-versions-contract';
  contract.textContent = `contract ${tag.dataset.contract || '?'}`;
  nav.append(label, contract);

  const option = (value, text, selected) => {
    const o = document.createElement('option');
    o.value = value;
    o.textContent = text;
    o.selected = selected;
    return o;
  };
  // Until versions.json answers (or if it cannot be read), the current version alone.
  select.append(option('', tag.dataset.label || current, true));
  select.disabled = true;
  document.body.append(nav);

  select.addEventListener('change', () => {
    if (select.value) window.location.href = select.value;
  });

  fetch(`${base}versions.json`)
    .then((r) => (r.ok ? r.json() : Promise.reject(new Error(`versions.json: HTTP ${r.status}`))))
    .then((file) => {
      select.replaceChildren(
        ...file.versions.map((v) => option(new URL(`${base}${v.path}`, window.location.href).href, v.label, v.id === current)),
      );
      select.disabled = false;
      const shown = file.versions.find((v) => v.id === current);
      if (shown) contract.textContent = `contract ${shown.contract}`;
      nav.dataset.ready = 'true';
    })
    .catch(() => {
      // The page stays usable; the picker shows only where the reader is.
      nav.dataset.ready = 'error';
    });
})();
