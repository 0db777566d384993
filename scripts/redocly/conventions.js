// Redocly plugin: lint rules for the spec conventions that configurable `rule/*` assertions cannot
// express (see redocly.yaml for the rest and openapi/README.md for the conventions themselves).
//
//   conventions/operation-id-verb  the operationId of an operation under `paths` starts with a verb
//                                  that fits its HTTP method (GET → get/list/download..., POST →
//                                  create/send/verify..., PUT/PATCH → update/set..., DELETE →
//                                  delete/revoke/remove...). Webhooks are not checked.
//   conventions/typed-branches     every branch of an `anyOf` or `oneOf` has its own `type` or is a
//                                  `$ref`: generators (openapi-typescript, hey-api, zod) turn an
//                                  untyped branch into `unknown`, which silently accepts anything.
//
// Plain JavaScript on purpose: Redocly loads plugins with a bare `import()`, without tsx.

/**
 * Verbs an operationId may start with, per HTTP method. Taken from the operations of both APIs and
 * kept permissive: the rule catches `getX` on a DELETE or `deleteX` on a GET, not style nuances.
 * Add a verb here (with a reviewer's agreement) when a new operation really needs one.
 */
export const VERBS_BY_METHOD = {
  get: ['get', 'list', 'download', 'export', 'calculate', 'request', 'search', 'find', 'count', 'check', 'preview', 'estimate'],
  head: ['get', 'check'],
  post: [
    'create', 'add', 'send', 'verify', 'save', 'refresh', 'recalculate', 'calculate', 'select', 'process',
    'update', 'cancel', 'request', 'test', 'trigger', 'allocate', 'generate', 'invite', 'configure', 'start',
    'import', 'upload', 'run', 'validate', 'search', 'resend', 'retry', 'rotate', 'revoke', 'set', 'checkout',
    'connect', 'disconnect', 'enable', 'disable', 'assign', 'apply', 'submit', 'sync', 'estimate',
  ],
  put: ['update', 'set', 'replace', 'allocate', 'configure', 'save', 'upsert', 'assign', 'enable', 'disable'],
  patch: ['update', 'set', 'configure', 'change', 'rename', 'enable', 'disable', 'toggle', 'assign', 'allocate'],
  delete: ['delete', 'revoke', 'remove', 'cancel', 'disconnect', 'detach', 'unassign', 'clear'],
  options: [],
  trace: [],
};

/** The leading lower-case run of a camelCase operationId: `listPartnerApiKeys` → `list`. */
export function leadingVerb(operationId) {
  const m = /^[a-z]+/.exec(operationId);
  return m ? m[0] : '';
}

function OperationIdVerb() {
  return {
    Paths: {
      Operation: {
        enter(operation, ctx) {
          const method = String(ctx.key).toLowerCase();
          const allowed = VERBS_BY_METHOD[method];
          const id = operation.operationId;
          if (!allowed || typeof id !== 'string') return; // missing ids are reported by operation-operationId
          const verb = leadingVerb(id);
          if (allowed.includes(verb)) return;
          const expected = allowed.length ? allowed.slice(0, 6).join(', ') + (allowed.length > 6 ? ', ...' : '') : '(none)';
          ctx.report({
            message:
              `operationId "${id}" should start with a verb that fits ${method.toUpperCase()} ` +
              `(found "${verb || '(no lower-case verb)'}"; expected one of: ${expected}). ` +
              `If the verb is right, add it to VERBS_BY_METHOD in scripts/redocly/conventions.js.`,
            location: ctx.location.child(['operationId']),
          });
        },
      },
    },
  };
}

/** Indexes of the `anyOf`/`oneOf` branches of a schema that have neither `type` nor `$ref`. */
export function untypedBranches(schema) {
  const out = [];
  for (const keyword of ['anyOf', 'oneOf']) {
    const list = schema?.[keyword];
    if (!Array.isArray(list)) continue;
    list.forEach((branch, i) => {
      const ok = branch !== null && typeof branch === 'object' && (typeof branch.$ref === 'string' || branch.type !== undefined);
      if (!ok) out.push([keyword, i]);
    });
  }
  return out;
}

function TypedBranches() {
  return {
    Schema: {
      enter(schema, ctx) {
        for (const [keyword, i] of untypedBranches(schema)) {
          ctx.report({
            message:
              `Branch ${i} of this \`${keyword}\` has no \`type\` and no \`$ref\`: give it its own \`type\` ` +
              `(e.g. \`{type: string, format: date}\`) so generated types and validators do not read it as "anything".`,
            location: ctx.location.child([keyword, i]),
          });
        }
      },
    },
  };
}

export default function conventionsPlugin() {
  return {
    id: 'conventions',
    rules: {
      oas3: { 'operation-id-verb': OperationIdVerb, 'typed-branches': TypedBranches },
    },
  };
}
