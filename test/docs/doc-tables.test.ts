// Tables of docs/*.md that restate the spec are written from it (scripts/doc-tables.ts, run by
// `npm run generate`): each one in the repository is exactly what the spec gives today, and the
// writer refuses markers it cannot honour.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { docTableFiles, fillDocTables, stripDocTableMarkers, webhookEventValues } from '../../scripts/doc-tables.js';
import { loadSpec, type JsonObject } from '../support/spec.js';
import { root } from './support.js';

const doc = loadSpec();
const files = await docTableFiles();

describe('generated tables in docs/', () => {
  it('the scopes table (introduction) and the webhook events table (webhooks guide) are generated', () => {
    expect(files.map((f) => path.relative(root, f)).sort()).toEqual(['docs/introduction.md', 'docs/webhooks.md']);
  });

  it.each(files.map((f) => [path.relative(root, f), f] as const))('%s is what the spec gives (else run npm run generate)', async (_rel, file) => {
    const text = await readFile(file, 'utf8');
    expect(fillDocTables(text, doc, file)).toBe(text);
  });

  it('a change to the spec changes the table', async () => {
    const text = await readFile(path.join(root, 'docs', 'introduction.md'), 'utf8');
    const changed = structuredClone(doc) as JsonObject & { components: { securitySchemes: Record<string, JsonObject> } };
    (changed.components.securitySchemes.PartnerApiKey!['x-scope-descriptions'] as JsonObject).read = 'read everything';
    const out = fillDocTables(text, changed);
    expect(out).not.toBe(text);
    expect(out).toMatch(/^\| `read` \| read everything \| /m);
  });

  it('lists each webhook with the `event` values its body carries, marking an open set', () => {
    const billing = webhookEventValues(doc, ((doc.webhooks as JsonObject)['partner.billing'] as JsonObject).post as JsonObject);
    expect(billing).toEqual({ values: ['credits.allocated', 'credits.low', 'credits.depleted', 'billing.period_closed'], closed: false });
    const table = fillDocTables('<!-- generated:webhook-events -->\n<!-- /generated:webhook-events -->\n', doc);
    expect(table).toContain('| `partner.billing` | Partner API | `credits.allocated`, `credits.low`, `credits.depleted`, `billing.period_closed` (examples: Bullseye may send others) |');
    expect(table).toContain('| `visitor.identified` | Organization API | `visitor.identified` |');
  });

  it('refuses an unknown table and unpaired markers, and the site never shows a marker', () => {
    expect(() => fillDocTables('<!-- generated:nope -->\n<!-- /generated:nope -->\n', doc, 'x.md')).toThrow(/x\.md: no generated table is called "nope"/);
    expect(() => fillDocTables('<!-- generated:scopes -->\n| a |\n', doc, 'x.md')).toThrow(/x\.md: generated-table markers do not pair up/);
    expect(stripDocTableMarkers('a\n<!-- generated:scopes (note) -->\n| t |\n<!-- /generated:scopes -->\nb\n')).toBe('a\n| t |\nb\n');
  });
});
