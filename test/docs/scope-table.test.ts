// The Scopes section of docs/introduction.md (shown at the top of the API reference) is the one
// place the guides send readers for the scope rule: its "Includes" column says what
// generated/apis.ts says, for both APIs.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { apis } from '../../generated/apis.js';

const intro = readFileSync(new URL('../../docs/introduction.md', import.meta.url), 'utf8');
const section = intro.slice(intro.indexOf('# Scopes'), intro.indexOf('\n# ', intro.indexOf('# Scopes') + 1));
const rows = section
  .split('\n')
  .filter((l) => /^\| `/.test(l))
  .map((l) => l.split('|').slice(1, -1).map((c) => c.trim()));
const codes = (cell: string): string[] => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);

describe('docs/introduction.md: Scopes', () => {
  it('has one row per scope of either API', () => {
    const all = [...new Set([...Object.keys(apis.partner.scopes), ...Object.keys(apis.organization.scopes)])];
    expect(rows.map((r) => codes(r[0]!)[0])).toEqual(all);
  });

  it('its Includes column is the generated rule of every API that has the scope', () => {
    for (const row of rows) {
      const scope = codes(row[0]!)[0]!;
      const includes = codes(row[3]!);
      for (const [id, api] of Object.entries(apis)) {
        const table = api.scopes as Record<string, readonly string[]>;
        const column = id === 'partner' ? row[1]! : row[2]!;
        if (Object.hasOwn(table, scope)) {
          expect(includes, `${id} ${scope}`).toEqual([...table[scope]!]);
          expect(column, `${id} ${scope}`).not.toBe('');
        } else expect(column, `${id} has no ${scope}`).toBe('');
      }
    }
  });

  it('states what a key without scopes may do, as the table does', () => {
    expect(apis.partner.unscopedKey).toBe('full-access');
    expect(section).toContain('A Partner key created without scopes has full access');
    expect(apis.organization.unscopedKey).toBe('not-issued');
    expect(section).toContain('an Organization key always carries at least');
  });
});
