// Redocly plugin: the decorator `bullseye-scopes/forbidden-examples` makes every operation's 403
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

export default function scopeExamplesPlugin() {
  return {
    id: 'bullseye-scopes',
    decorators: {
      oas3: { 'forbidden-examples': ForbiddenExamples },
    },
  };
}
