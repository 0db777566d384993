// The RFC 9727 API catalog of the published site: a linkset (RFC 9264, JSON form) naming the two
// APIs, their description (the bundled OpenAPI document, which describes both), their docs and the
// Markdown docs for agents (llms.txt). It points at the version served at the site's base.
import { apis } from '../../generated/apis.js';

export interface Link {
  href: string;
  type?: string;
  title?: string;
}
export type LinksetContext = { anchor: string } & Record<string, string | Link[]>;
export interface Linkset {
  linkset: LinksetContext[];
}

/** RFC 9727 §4.1: the profile a client may ask for, and that this catalog conforms to. */
export const CATALOG_PROFILE = 'https://www.rfc-editor.org/info/rfc9727';

// From the generated facts table: an API with a single path prefix is anchored there, one spread over
// several prefixes at the base URL.
const APIS = Object.entries(apis).map(([id, api]) => ({
  name: `Bullseye ${api.name}`,
  anchor: api.pathPrefixes.length === 1 ? `${api.baseUrl}${api.pathPrefixes[0]}` : api.baseUrl,
  guide: `guides/getting-started-${id}.html`,
}));

/**
 * The catalog for a site at `siteUrl` (absolute, ending in `/`). `has(path)` tells whether the
 * root version holds a file, so that an older release without some page gets no dead link.
 */
export function apiCatalog(siteUrl: string, has: (path: string) => boolean, catalogPath: string): Linkset {
  const at = (p: string): string => new URL(p, siteUrl).href;
  const links = (candidates: Array<Omit<Link, 'href'> & { path: string }>): Link[] =>
    candidates.filter((c) => has(c.path)).map(({ path, ...link }) => ({ href: at(path), ...link }));
  const desc = links([
    { path: 'openapi.json', type: 'application/vnd.oai.openapi+json;version=3.1', title: 'OpenAPI 3.1 description of both APIs (JSON)' },
    { path: 'openapi.yaml', type: 'application/vnd.oai.openapi;version=3.1', title: 'OpenAPI 3.1 description of both APIs (YAML)' },
  ]);
  return {
    linkset: [
      { anchor: at(catalogPath), item: APIS.map((api) => ({ href: api.anchor, title: api.name })) },
      ...APIS.map((api) => ({
        anchor: api.anchor,
        'service-desc': desc,
        'service-doc': links([
          { path: 'api/index.html', type: 'text/html', title: 'API reference' },
          { path: api.guide, type: 'text/html', title: `Getting started with the ${api.name}` },
          { path: 'llms.txt', type: 'text/markdown', title: 'Docs for agents (llms.txt)' },
        ]),
      })),
    ],
  };
}
