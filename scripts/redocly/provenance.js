// Redocly plugin: where each operation comes from (openapi/DECISIONS.md, D11).
//
//   provenance/operation-provenance  every operation under `paths` and every webhook says how much
//                                    of it the public docs confirm: `x-provenance: documented |
//                                    partial | inferred`; a `partial` or `inferred` one also names
//                                    the decision it rests on, `x-provenance-decision: P-D24`, which
//                                    must be an entry of openapi/DECISIONS.md.
//   provenance/note                  decorator: while bundling, puts a visible note at the top of the
//                                    description of every operation and webhook that is not
//                                    `documented`, so the docs site says so without anyone writing it
//                                    by hand.
//
// Plain JavaScript on purpose: Redocly loads plugins with a bare `import()`, without tsx.
import { readFileSync } from 'node:fs';
import { HTTP_METHODS } from '../lib/spec.js';

export const LEVELS = ['documented', 'partial', 'inferred'];
const DECISION_ID = /^(D|P-D|OD)\d+$/;

/** Decision ids (`D4`, `P-D24`, `OD18`) that head an entry of openapi/DECISIONS.md. */
export function decisionIds(text = readFileSync(new URL('../../openapi/DECISIONS.md', import.meta.url), 'utf8')) {
  const ids = new Set();
  for (const m of text.matchAll(/^#{2,4} +((?:P-)?D\d+|OD\d+)\. /gm)) ids.add(m[1]);
  return ids;
}

/** The note the docs show above an operation's (or a webhook's) own description; empty for documented ones. */
export function provenanceNote(level, decision, kind = 'operation') {
  const where = `decision ${decision} in openapi/DECISIONS.md`;
  if (kind === 'webhook') {
    if (level === 'partial') {
      return (
        `> **Partly documented.** The public Bullseye docs confirm this webhook and how it is delivered, ` +
        `but not all of its payload; the rest is designed (${where}). ` +
        `Fields the docs do not show may differ in live deliveries.`
      );
    }
    if (level === 'inferred') {
      return (
        `> **Inferred webhook.** The public Bullseye docs name this event but not its delivery or ` +
        `payload; what is described here is designed (${where}) and may not match live deliveries.`
      );
    }
    return '';
  }
  if (level === 'partial') {
    return (
      `> **Partly documented.** The public Bullseye docs confirm this operation's method and path, ` +
      `but not all of its request and response shapes; the rest is designed (${where}). ` +
      `Fields the docs do not show may differ on the live API.`
    );
  }
  if (level === 'inferred') {
    return (
      `> **Inferred operation.** The public Bullseye docs name this capability but not its method ` +
      `and path; the path, method and shapes here are designed (${where}) and may not match the ` +
      `live API.`
    );
  }
  return '';
}

function OperationProvenance() {
  let known;
  const check = {
    enter(operation, ctx) {
      const level = operation['x-provenance'];
      if (!LEVELS.includes(level)) {
        ctx.report({
          message:
            `Every operation says where it comes from: \`x-provenance: documented | partial | inferred\` ` +
            `(found ${level === undefined ? 'none' : JSON.stringify(level)}). See openapi/DECISIONS.md, D11.`,
          location: level === undefined ? ctx.location.key() : ctx.location.child(['x-provenance']),
        });
        return;
      }
      if (level === 'documented') return;
      const decision = operation['x-provenance-decision'];
      known ??= decisionIds();
      if (typeof decision !== 'string' || !DECISION_ID.test(decision) || !known.has(decision)) {
        ctx.report({
          message:
            `A ${level} operation names the DECISIONS.md entry its design rests on, ` +
            `e.g. \`x-provenance-decision: P-D24\` (found ${decision === undefined ? 'none' : JSON.stringify(decision)}, ` +
            `not an entry of openapi/DECISIONS.md).`,
          location: decision === undefined ? ctx.location.key() : ctx.location.child(['x-provenance-decision']),
        });
      }
    },
  };
  // Webhooks are checked like operations: a reader of a payload needs to know what is designed too.
  return { Paths: { Operation: check }, WebhooksMap: { Operation: check } };
}

/** Decorator: runs once the whole document is walked, when every `$ref` is local. */
function ProvenanceNote() {
  return {
    Root: {
      leave(root) {
        const items = [
          ...Object.values(root.paths ?? {}).map((item) => [item, 'operation']),
          ...Object.values(root.webhooks ?? {}).map((item) => [item, 'webhook']),
        ];
        for (const [item, kind] of items) {
          for (const method of HTTP_METHODS) {
            const operation = item?.[method];
            if (!operation || typeof operation !== 'object') continue;
            const note = provenanceNote(operation['x-provenance'], operation['x-provenance-decision'], kind);
            if (!note) continue;
            const own = typeof operation.description === 'string' ? operation.description : '';
            // Idempotent: the docs build may bundle an already decorated copy again.
            if (!own.startsWith(note)) operation.description = `${note}\n\n${own}`;
          }
        }
      },
    },
  };
}

export default function provenancePlugin() {
  return {
    id: 'provenance',
    rules: {
      oas3: { 'operation-provenance': OperationProvenance },
    },
    decorators: {
      oas3: { note: ProvenanceNote },
    },
  };
}
