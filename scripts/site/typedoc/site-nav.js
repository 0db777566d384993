// TypeDoc plugin: the docs site's navigation (scripts/site/site-nav.json, the same links as the
// landing page and the guides) at the top of every SDK reference page. Links are relative to the
// page, so they work whatever port or path the site is served from.
//
// Plain JavaScript on purpose: TypeDoc loads plugins with a bare `import()`, without tsx.
import { readFileSync } from 'node:fs';
import { JSX } from 'typedoc';

const NAV = JSON.parse(readFileSync(new URL('../site-nav.json', import.meta.url), 'utf8'));
// The SDK reference is the site's sdk/ folder: the site's root is one level above TypeDoc's.
const SITE_ROOT = '../';

const STYLE = `
.bullseye-site-nav { border-bottom: 1px solid var(--color-accent); padding: 10px 24px; display: flex; gap: 20px;
  align-items: center; flex-wrap: wrap; background: var(--color-background); font-size: 15px; }
.bullseye-site-nav a { color: var(--color-text); text-decoration: none; font-weight: 500; }
.bullseye-site-nav a.brand { font-weight: 700; margin-right: auto; }
`;

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.renderer.hooks.on('head.end', () => JSX.createElement('style', null, JSX.createElement(JSX.Raw, { html: STYLE })));
  // TypeDoc's inline script shows the page after 500 ms through `window.app` when its main.js has
  // not loaded yet. A heading with id="app" (the `app` option of ClientOptions) is also exposed as
  // `window.app`, and the script then calls `showPage` on that element and throws. An own property,
  // set before the body is parsed, shadows the element until main.js sets the real application.
  app.renderer.hooks.on('body.begin', () => JSX.createElement('script', null, JSX.createElement(JSX.Raw, { html: 'window.app = undefined;' })));
  app.renderer.hooks.on('body.begin', (context) =>
    JSX.createElement(
      'nav',
      { class: 'bullseye-site-nav', 'aria-label': 'Bullseye API docs' },
      ...NAV.map((link) =>
        JSX.createElement('a', { href: context.relativeURL(SITE_ROOT + link.href), class: link.brand ? 'brand' : undefined }, link.label),
      ),
    ),
  );
}
