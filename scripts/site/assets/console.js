// The try-it console: Swagger UI on the bundled spec, sending requests to the local mock server.
'use strict';
(async () => {
  const show = (message) => {
    const el = document.getElementById('console-error');
    el.textContent = message;
    el.hidden = false;
  };
  try {
    const [spec, mock] = await Promise.all([
      fetch('../openapi.json').then((r) => r.json()),
      fetch('mock-server.json', { cache: 'no-store' }).then((r) => r.json()),
    ]);
    // Only the mock: production is not a target of this page. Its URL is shown as it is (a server
    // variable would show a raw `{mock}` in the picker).
    spec.servers = [{ url: mock.url, description: 'Local mock server (npm start, or npm run mock)' }];
    for (const item of Object.values(spec.paths || {})) {
      delete item.servers;
      for (const op of Object.values(item)) if (op && typeof op === 'object') delete op.servers;
    }
    window.consoleUi = SwaggerUIBundle({
      spec,
      dom_id: '#console',
      layout: 'BaseLayout',
      deepLinking: true,
      docExpansion: 'none',
      defaultModelsExpandDepth: -1,
      displayOperationId: true,
      displayRequestDuration: true,
      filter: true,
      // The key lives in this page only: not in storage, not in the URL.
      persistAuthorization: false,
      // No call to the public validator.
      validatorUrl: null,
    });
    accessible(document.getElementById('console'));
  } catch (err) {
    show('The console could not load the API description: ' + (err && err.message ? err.message : String(err)));
  }
})();

// Swagger UI leaves some controls without a name and nests a link inside each operation's toggle
// button: name them, and drop the nested link's href (the toggle updates the URL itself). Swagger UI
// re-renders as a person opens operations, so this runs on every change.
function accessible(root) {
  const nameOf = (el) => {
    const param = el.closest('tr[data-param-name]');
    if (param) return param.getAttribute('data-param-name');
    if (el.id === 'servers') return 'Server';
    return el.getAttribute('placeholder') || el.getAttribute('title') || el.name || el.type || 'Value';
  };
  const fix = () => {
    for (const el of root.querySelectorAll('input:not([aria-label]), select:not([aria-label]), textarea:not([aria-label])')) {
      if (el.type === 'hidden') continue;
      // A label wrapped around a select holds the options' text: that is not a name.
      const labelled = el.labels && [...el.labels].some((l) => l.textContent.replace(el.textContent, '').trim());
      if (!labelled && !el.getAttribute('aria-labelledby')) el.setAttribute('aria-label', nameOf(el));
    }
    for (const a of root.querySelectorAll('.opblock-summary-control a[href]')) a.removeAttribute('href');
  };
  fix();
  new MutationObserver(fix).observe(root, { subtree: true, childList: true });
}
