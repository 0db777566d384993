// Redocly plugin, two decorators about scopes.
// `bullseye-scopes/scope-notes` renders what each scope includes (the `x-scope-includes` of each
// security scheme, D14) where the API reference shows security: a table under each scheme's
// description, and a line under each operation's description naming its scope and the scopes that
// grant it.
// `bullseye-scopes/forbidden-examples` makes every operation's 403
// example name the scope that operation requires (`details.requiredScope`), while the spec is
// bundled. The sources keep one shared 403 response per API; the bundle gets one copy per scope
// (`PartnerForbiddenRead`, `OrganizationForbiddenAgencyWrite`, …), so the docs show, and the Prism
// mock serves, the operation's own scope instead of one canned value.
//
// Plain JavaScript on purpose: Redocly loads plugins with a bare `import()`, without tsx.

import { deref as derefWithPointer, HTTP_METHODS, operationScopes } from '../lib/spec.js';

const PREFIX = '#/components/responses/';

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The object a local `$ref` chain ends at (`undefined` when it does not resolve). */
const deref = (root, node) => derefWithPointer(root, node).node;

/** `agency:read` → `AgencyRead`. */
const pascal = (scope) =>
  scope
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');

/** The scope of the operation's security requirement (one scheme, one scope per operation). */
const scopeOf = (root, operation) => operationScopes(root, operation)[0];

/** Sets `details.requiredScope` in every example of a response (a deep copy is edited). */
function withScope(root, response, scope) {
  const copy = structuredClone(response);
  for (const media of Object.values(copy.content ?? {})) {
    if (!isObject(media?.examples)) continue;
    for (const [name, ex] of Object.entries(media.examples)) {
      // Examples printed in the public docs stay verbatim (D9); ours beside them names the scope.
      if (name.startsWith('docs')) continue;
      const resolved = structuredClone(deref(root, ex));
      if (!isObject(resolved) || !isObject(resolved.value)) continue;
      resolved.value.details = { ...(isObject(resolved.value.details) ? resolved.value.details : {}), requiredScope: scope };
      media.examples[name] = resolved;
    }
  }
  return copy;
}

function ForbiddenExamples() {
  return {
    Root: {
      leave(root) {
        const components = (root.components ??= {});
        const responses = components.responses ?? {};
        /** Shared 403 name → its per-scope copies. */
        const copies = new Map();
        for (const rawItem of Object.values(root.paths ?? {})) {
          const item = deref(root, rawItem);
          if (!isObject(item)) continue;
          for (const method of HTTP_METHODS) {
            const operation = item[method];
            if (!isObject(operation) || !isObject(operation.responses) || !operation.responses['403']) continue;
            const scope = scopeOf(root, operation);
            if (!scope) continue;
            const forbidden = operation.responses['403'];
            const ref = isObject(forbidden) && typeof forbidden.$ref === 'string' && forbidden.$ref.startsWith(PREFIX) ? forbidden.$ref : undefined;
            if (!ref) {
              operation.responses['403'] = withScope(root, forbidden, scope);
              continue;
            }
            const shared = ref.slice(PREFIX.length);
            // Already a per-scope copy: the bundle is decorated again when openapi-typescript reads it.
            if (shared.endsWith(pascal(scope)) && responses[shared]) continue;
            const name = `${shared}${pascal(scope)}`;
            if (!copies.has(shared)) copies.set(shared, new Map());
            if (!copies.get(shared).has(name)) copies.get(shared).set(name, withScope(root, deref(root, forbidden), scope));
            operation.responses['403'] = { $ref: `${PREFIX}${name}` };
          }
        }
        if (!copies.size) return;
        // Each shared 403 gives way to its copies, in the same place; it stays only if something
        // else still refers to it.
        const stillUsed = (name) => JSON.stringify({ ...root, components: { ...components, responses: {} } }).includes(`"${PREFIX}${name}"`);
        const rebuilt = {};
        for (const [name, response] of Object.entries(responses)) {
          const scoped = copies.get(name);
          if (!scoped) {
            rebuilt[name] = response;
            continue;
          }
          if (stillUsed(name)) rebuilt[name] = response;
          for (const [copyName, copy] of [...scoped].sort(([a], [b]) => a.localeCompare(b))) rebuilt[copyName] = copy;
        }
        components.responses = rebuilt;
      },
    },
  };
}

const code = (s) => `\`${s}\``;
const orList = (list) => (list.length < 2 ? list.join('') : `${list.slice(0, -1).join(', ')} or ${list[list.length - 1]}`);

/** What each scope of a scheme includes, as Markdown (the same sentence on every build). */
export function schemeScopeTable(scheme) {
  const includes = isObject(scheme?.['x-scope-includes']) ? scheme['x-scope-includes'] : undefined;
  if (!includes) return '';
  const rows = Object.entries(includes).map(([scope, list]) => `| ${code(scope)} | ${(Array.isArray(list) ? list : []).map(code).join(', ')} |`);
  const unscoped =
    scheme['x-unscoped-key'] === 'full-access'
      ? 'A key created without scopes has full access.'
      : 'Every key carries at least one scope.';
  return ['**Scopes and what each includes** (a key may call an operation when one of its scopes includes the scope the operation names):', '', '| Scope | Includes |', '| --- | --- |', ...rows, '', unscoped].join('\n');
}

/** The line under an operation's description: its scheme, its scope and every scope that grants it. */
export function operationScopeNote(root, operation) {
  for (const requirement of Array.isArray(operation.security) ? operation.security : []) {
    for (const [schemeName, roles] of Object.entries(isObject(requirement) ? requirement : {})) {
      const scheme = deref(root, root.components?.securitySchemes?.[schemeName]);
      const includes = isObject(scheme?.['x-scope-includes']) ? scheme['x-scope-includes'] : undefined;
      const scope = Array.isArray(roles) ? roles[0] : undefined;
      if (!includes || typeof scope !== 'string') continue;
      const granting = Object.entries(includes)
        .filter(([, list]) => Array.isArray(list) && list.includes(scope))
        .map(([s]) => code(s));
      return `**Security:** ${code(schemeName)} with the scope ${code(scope)}; a key holding ${orList(granting)} may call it.`;
    }
  }
  return '';
}

/** Appends `note` to a description once (bundles are decorated again when re-read). */
const appendOnce = (description, note) => {
  const own = typeof description === 'string' ? description.trimEnd() : '';
  if (!note || own.endsWith(note)) return description;
  return own ? `${own}\n\n${note}\n` : `${note}\n`;
};

function ScopeNotes() {
  return {
    Root: {
      leave(root) {
        for (const raw of Object.values(root.components?.securitySchemes ?? {})) {
          const scheme = deref(root, raw);
          if (isObject(scheme)) {
            const next = appendOnce(scheme.description, schemeScopeTable(scheme));
            if (next !== undefined) scheme.description = next;
          }
        }
        for (const rawItem of Object.values(root.paths ?? {})) {
          const item = deref(root, rawItem);
          if (!isObject(item)) continue;
          for (const method of HTTP_METHODS) {
            const operation = item[method];
            if (!isObject(operation)) continue;
            const next = appendOnce(operation.description, operationScopeNote(root, operation));
            if (next !== undefined) operation.description = next;
          }
        }
      },
    },
  };
}

export default function scopeExamplesPlugin() {
  return {
    id: 'bullseye-scopes',
    decorators: {
      oas3: { 'forbidden-examples': ForbiddenExamples, 'scope-notes': ScopeNotes },
    },
  };
}
