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
  } catch (err) {
    show('The console could not load the API description: ' + (err && err.message ? err.message : String(err)));
  }
})();
