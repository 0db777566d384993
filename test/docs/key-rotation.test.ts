// The key-rotation sample of docs/authentication.md changes production data, so it is run here
// against a scripted Partner API holding several keys, and the test checks exactly what it changed:
// one key created, the one key the reader named revoked, nothing else touched; and when the prefix
// names no key, or more than one, nothing is changed at all.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listGuides } from '../../scripts/site/docs.js';
import { fencedBlocks, root, runModule, TEST_ENV, toMock, typecheck, writeModules } from './support.js';

interface Key {
  id: string;
  name: string;
  keyPrefix: string;
  scopes: string[];
  status: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  createdAt: string;
}

const key = (id: string, keyPrefix: string, scopes: string[], status = 'active'): Key => ({
  id,
  name: `key ${id}`,
  keyPrefix,
  scopes,
  status,
  expiresAt: null,
  lastUsedAt: null,
  createdAt: '2026-01-01T00:00:00Z',
});

/** A Partner API with only the three key operations the sample uses, recording every write. */
class KeyServer {
  keys: Key[] = [];
  writes: string[] = [];
  created: unknown[] = [];
  private server: Server = createServer((req, res) => void this.handle(req, res));
  url = '';

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const send = (status: number, body?: unknown): void => {
      res.writeHead(status, body === undefined ? {} : { 'content-type': 'application/json' });
      res.end(body === undefined ? undefined : JSON.stringify(body));
    };
    if (req.headers['x-partner-api-key'] !== TEST_ENV.BULLSEYE_PARTNER_API_KEY) return send(401, { code: 'Unauthorized', message: 'Invalid or missing API key', details: {} });
    const url = new URL(req.url ?? '/', this.url);
    if (req.method === 'GET' && url.pathname === '/partner/api-keys') return send(200, { apiKeys: this.keys });
    if (req.method === 'POST' && url.pathname === '/partner/api-keys') {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { name: string; scopes?: string[]; expiresAt?: string };
      this.created.push(body);
      this.writes.push('POST');
      const k = key(`new${this.created.length}`, `pk_live_new${this.created.length}`, body.scopes ?? []);
      this.keys.push(k);
      return send(201, { apiKey: k, plainKey: `pk_live_new${this.created.length}_${'s'.repeat(24)}` });
    }
    const m = /^\/partner\/api-keys\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'DELETE' && m) {
      const k = this.keys.find((x) => x.id === decodeURIComponent(m[1]!));
      if (!k) return send(404, { code: 'NotFound', message: 'API key not found', details: {} });
      k.status = 'revoked';
      this.writes.push(`DELETE ${k.id}`);
      return send(204);
    }
    return send(404, { code: 'NotFound', message: 'Not found', details: {} });
  }
}

const guide = (await listGuides()).find((g) => g.file === 'authentication.md');
const sample = fencedBlocks(guide?.source ?? '').find((b) => b.lang === 'ts' && b.source.includes("DELETE('/partner/api-keys/{keyId}'"));
const server = new KeyServer();
let file = '';

beforeAll(async () => {
  await server.start();
  const dir = path.join(root, 'test-output', 'key-rotation');
  const files = await writeModules(dir, [{ name: 'rotate', source: toMock(sample?.source ?? '', server.url) }]);
  file = files.get('rotate')!;
  expect(await typecheck(dir)).toBe('');
}, 240_000);
afterAll(() => server.close());

function seed(): void {
  server.writes = [];
  server.created = [];
  server.keys = [
    // The admin key the script runs with: its prefix is the start of TEST_ENV's Partner key.
    key('admin', TEST_ENV.BULLSEYE_PARTNER_API_KEY.slice(0, 12), []),
    key('target', 'pk_live_old111', ['read', 'write']),
    key('other', 'pk_live_oth222', ['read']),
    key('gone', 'pk_live_old999', ['read'], 'revoked'),
  ];
}

describe('docs/authentication.md key-rotation sample', () => {
  it('is in the guide', () => {
    expect(sample, 'a ts block that revokes a Partner key').toBeDefined();
  });

  it('revokes exactly the active key with the configured prefix, after creating its replacement', async () => {
    seed();
    const lines = await runModule(file, { BULLSEYE_OLD_KEY_PREFIX: 'pk_live_old111' });
    expect(server.writes).toEqual(['POST', 'DELETE target']);
    expect(server.keys.filter((k) => k.status === 'revoked').map((k) => k.id).sort()).toEqual(['gone', 'target']);
    expect(server.created).toEqual([{ name: 'key target', scopes: ['read', 'write'], expiresAt: expect.any(String) }]);
    const expiresAt = Date.parse((server.created[0] as { expiresAt: string }).expiresAt);
    expect(expiresAt).toBeGreaterThan(Date.now());
    expect(JSON.stringify(lines)).not.toContain('_ssss');
    expect(lines).toContainEqual(['revoked', 'pk_live_old111', 204]);
  });

  it('keeps full access for a key created without scopes by leaving scopes out', async () => {
    seed();
    server.keys.push(key('full', 'pk_live_full33', []));
    await runModule(file, { BULLSEYE_OLD_KEY_PREFIX: 'pk_live_full33' });
    expect(server.created).toEqual([{ name: 'key full', expiresAt: expect.any(String) }]);
    expect(server.writes).toEqual(['POST', 'DELETE full']);
  });

  it.each([
    ['no active key has the prefix', 'pk_live_nomatch'],
    ['only a revoked key has the prefix', 'pk_live_old999'],
    ['two active keys share the prefix', 'pk_live_o'],
  ])('changes nothing when %s', async (_case, prefix) => {
    seed();
    if (prefix === 'pk_live_o') server.keys.push(key('twin', 'pk_live_o', ['read']), key('twin2', 'pk_live_o', ['read']));
    await expect(runModule(file, { BULLSEYE_OLD_KEY_PREFIX: prefix })).rejects.toThrow(/exactly one active key/);
    expect(server.writes).toEqual([]);
  });

  it('refuses to revoke the key it runs with, and without a prefix', async () => {
    seed();
    await expect(runModule(file, { BULLSEYE_OLD_KEY_PREFIX: TEST_ENV.BULLSEYE_PARTNER_API_KEY.slice(0, 12) })).rejects.toThrow(/runs with the key it would revoke/);
    await expect(runModule(file, { BULLSEYE_OLD_KEY_PREFIX: '' })).rejects.toThrow(/Set BULLSEYE_OLD_KEY_PREFIX/);
    expect(server.writes).toEqual([]);
  });
});
