// The path matcher over the generated tables (generated/operations.ts, generated/apis.ts): which API
// a path belongs to, and which operation a concrete path is. Plain data and string work only, no
// Node API, so the SDK, the mock layer and the sandbox share it (exported from the package).
import { apis } from '../../generated/apis.js';
import { operations } from '../../generated/operations.js';

/** The APIs of the spec, by id (`partner`, `organization`). */
export type ApiId = keyof typeof apis;

/** Path templates of the spec, e.g. `/partner/api-keys/{keyId}`. */
export type PathTemplate = keyof typeof operations;

/** One operation of the table: its operationId and the scope its security requirement names. */
export interface OperationEntry {
  readonly operationId: string;
  readonly scopes: readonly string[];
}

/** A concrete path resolved to the template it is an instance of. */
export interface PathMatch {
  api: ApiId;
  template: PathTemplate;
  /** Values of the template's placeholders, still percent-encoded as they appear in the path. */
  params: Record<string, string>;
  /** The operations of the template by lower-case method (`get`, `delete`, …). */
  methods: Readonly<Record<string, OperationEntry>>;
}

/** Operations by path template, then by lower-case method: one API's table, or `operations` (both). */
export type OperationTable = Readonly<Record<string, Readonly<Record<string, OperationEntry>>>>;

/** A concrete path resolved to a template of one table (see `tableMatcher`). */
export type TableMatch = Omit<PathMatch, 'api' | 'template'> & { template: string };

/** The API whose path prefixes the path's first segment is (`/partner/me` → `partner`); `undefined` for none. */
export function apiOfPath(path: string): ApiId | undefined {
  if (typeof path !== 'string' || !path.startsWith('/')) return undefined;
  const first = `/${path.slice(1).split(/[/?#]/, 1)[0]}`;
  // Read on each call, not into a module-level map: a bundle that never asks carries neither table.
  return (Object.keys(apis) as ApiId[]).find((id) => (apis[id].pathPrefixes as readonly string[]).includes(first));
}

/**
 * The path matcher of a table: the template a concrete path (`/organization/o1/api-keys/k1`) is an
 * instance of, with its placeholder values; `undefined` when it is no path of the table. A template
 * given as it is (`/partner/api-keys/{keyId}`) resolves to itself. A placeholder never matches an
 * empty segment, so a trailing slash or a doubled one matches nothing; neither do a query string or
 * a fragment.
 */
export function tableMatcher(table: OperationTable): (path: string) => TableMatch | undefined {
  // Only templates with as many segments can match the same path. Among those, more fixed segments
  // first, so `/integrations/request-install` wins over `/integrations/{organization_id}`; among
  // equals, the one whose first fixed segment comes earlier (`shape`: one character per segment,
  // 0 fixed, 1 placeholder).
  const compiled = Object.keys(table)
    .map((template) => ({
      template,
      names: [...template.matchAll(/\{([^{}]+)\}/g)].map((m) => m[1]!),
      shape: template.split('/').map((s) => +s.startsWith('{')).join(''),
      // Path templates hold letters, digits, `-`, `_` and `/` only: nothing to escape.
      pattern: new RegExp(`^${template.replace(/\{[^{}]+\}/g, '([^/{}]+)')}$`),
    }))
    .sort((a, b) => a.names.length - b.names.length || (a.shape < b.shape ? -1 : a.shape > b.shape ? 1 : a.template < b.template ? -1 : 1));
  return (path) => {
    if (typeof path !== 'string' || !path.startsWith('/') || /[?#]/.test(path)) return undefined;
    if (Object.hasOwn(table, path)) return { template: path, params: {}, methods: table[path]! };
    for (const t of compiled) {
      const values = t.pattern.exec(path);
      if (values) return { template: t.template, params: Object.fromEntries(t.names.map((name, i) => [name, values[i + 1]!])), methods: table[t.template]! };
    }
    return undefined;
  };
}

const TABLE: OperationTable = operations;
let matchAny: ((path: string) => TableMatch | undefined) | undefined;

/** Whether `path` is a template of the table exactly as the spec writes it. */
export function isPathTemplate(path: string): path is PathTemplate {
  return typeof path === 'string' && Object.hasOwn(TABLE, path);
}

/**
 * The template of either API a concrete path is an instance of, with its placeholder values and its
 * API; `undefined` when it is no path of the spec (see `tableMatcher`).
 */
export function matchPath(path: string): PathMatch | undefined {
  const match = (matchAny ??= tableMatcher(TABLE))(path);
  return match && { api: apiOfPath(match.template)!, ...match, template: match.template as PathTemplate };
}

/** The operation `method` on `path` is (either a concrete path or a template), or `undefined`. */
export function matchOperation(method: string, path: string): (PathMatch & { method: string; operation: OperationEntry }) | undefined {
  const match = matchPath(path);
  const m = typeof method === 'string' ? method.toLowerCase() : '';
  if (!match || !Object.hasOwn(match.methods, m)) return undefined;
  return { ...match, method: m, operation: match.methods[m]! };
}

/**
 * Whether a path has a `.` or `..` segment, written plainly, percent-encoded (`%2e`) or after a
 * backslash (URL parsers read `\` as `/` in http(s) URLs): any of them would be resolved away by
 * the URL parser, so the request would reach another path than the one checked.
 */
export function hasDotSegment(path: string): boolean {
  return /(^|[/\\])(\.|%2e){1,2}([/\\]|$)/i.test(path);
}
