// What the published site adds to every version's pages, after the build and without rebuilding:
// the version picker (fed by the base's versions.json), the RFC 9727 `api-catalog` link, and on the
// try-it console a notice that it talks only to a sandbox the reader runs on their own machine.
// Everything added carries `data-bullseye-pages`, so a page processed twice gets it once.
import type { SiteVersion } from './versions.js';
import { releaseTags } from './versions.js';

/** Where the hosted console sends requests: a sandbox on the reader's own machine, never production. */
export const LOCAL_SANDBOX_URL = 'http://127.0.0.1:4010';

/** Folder (under the site's base) of the picker's script and style sheet. */
export const PICKER_DIR = 'version-picker';
export const CATALOG_PATH = '.well-known/api-catalog';
export const LINKSET_TYPE = 'application/linkset+json';

const MARK = 'data-bullseye-pages';

const escapeHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Removes what an earlier run added (elements carrying the mark, with their content when they have any). */
export function stripInjected(html: string): string {
  return html
    .replace(new RegExp(String.raw`<(aside|script)\b[^>]*\b${MARK}\b[^>]*>[\s\S]*?<\/\1>\n?`, 'g'), '')
    .replace(new RegExp(String.raw`<link\b[^>]*\b${MARK}\b[^>]*>\n?`, 'g'), '');
}

/**
 * The head additions of one page: `base` is the relative path from the page to the site's base
 * (`./`, `../../`), so the site works under any prefix (a project site lives under `/<repo>/`).
 */
export function headTags(base: string, version: SiteVersion): string {
  return [
    `<link rel="api-catalog" href="${base}${CATALOG_PATH}" type="${LINKSET_TYPE}" ${MARK}>`,
    `<link rel="stylesheet" href="${base}${PICKER_DIR}/picker.css" ${MARK}>`,
    `<script defer src="${base}${PICKER_DIR}/picker.js" data-base="${base}" data-version="${escapeHtml(version.id)}" data-label="${escapeHtml(version.label)}" data-contract="${escapeHtml(version.contract)}" ${MARK}></script>`,
  ].join('\n');
}

/** How a reader starts a sandbox for this version of the docs. */
export function sandboxCommands(version: SiteVersion): string[] {
  if (version.id === 'next') return ['in a clone of the repository, on its main branch: <code>npm ci &amp;&amp; npm start</code>'];
  const checkout = `in a checkout of the tag <code>${escapeHtml(releaseTags(version.id)[0]!)}</code>: <code>npm ci &amp;&amp; npm start</code>`;
  return version.cli ? [`<code>npx -y @bullseye/cli@${escapeHtml(version.cli)} sandbox</code>`, checkout] : [checkout];
}

export function consoleNotice(version: SiteVersion): string {
  const items = sandboxCommands(version)
    .map((c) => `<li>${c}</li>`)
    .join('\n');
  return `<aside class="bullseye-sandbox-notice" ${MARK}>
<p><strong>This console sends requests only to a sandbox running on your own computer</strong>, at
<code>${LOCAL_SANDBOX_URL}</code>, never to the production API: do not enter a production key on this page.
Start a sandbox of contract ${escapeHtml(version.contract)}:</p>
<ul>
${items}
</ul>
</aside>`;
}

export class PageError extends Error {}

const HAS_ICON = /<link\b[^>]*\brel\s*=\s*["']?(?:shortcut\s+)?icon\b/i;

/**
 * Adds the head tags to a page, and the sandbox notice when it is the console's page. `icon` is
 * the version's favicon relative to the page: a page that names none makes the browser ask the
 * host's root, which on a project site is not ours (a 404).
 */
export function processPage(html: string, base: string, version: SiteVersion, isConsole: boolean, icon = 'data:,'): string {
  let out = stripInjected(html);
  const head = /<\/head\s*>/i.exec(out);
  if (!head) throw new PageError('the page has no </head>');
  const iconTag = HAS_ICON.test(out.slice(0, head.index)) ? '' : `<link rel="icon" href="${icon}" ${MARK}>\n`;
  out = `${out.slice(0, head.index)}${iconTag}${headTags(base, version)}\n${out.slice(head.index)}`;
  if (isConsole) {
    // At the top of the page's content: inside <main> when there is one, else first in <body>.
    const open = /<main\b[^>]*>/i.exec(out) ?? /<body\b[^>]*>/i.exec(out);
    if (!open) throw new PageError('the console page has no <body>');
    const at = open.index + open[0].length;
    out = `${out.slice(0, at)}\n${consoleNotice(version)}${out.slice(at)}`;
  }
  return out;
}
