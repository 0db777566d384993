// The kit's one-call setup: every handler, listening, and a request no handler answers is an error.
// Under MSW's default ('warn') a client made with another baseUrl reached a real server, key and all.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPartnerClient, unwrap } from '../../src/index.js';
import { setupBullseyeServer } from '../../src/testing/index.js';
import { http, HttpResponse } from 'msw';

const KEY = 'pk_test_kitsetup0000000000000000000';
let real: Server;
let realUrl = '';
const reached: Array<string | undefined> = [];
let mock: ReturnType<typeof setupBullseyeServer>;

beforeAll(async () => {
  real = createServer((req, res) => {
    reached.push(req.headers['x-partner-api-key'] as string | undefined);
    req.resume();
    res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
  });
  await new Promise<void>((r) => real.listen(0, '127.0.0.1', r));
  realUrl = `http://127.0.0.1:${(real.address() as AddressInfo).port}`;
  mock = setupBullseyeServer({}, http.get('https://api.app.bullseye.so/api/v1/partner/script-config', () => HttpResponse.json({ own: true })));
});
afterAll(async () => {
  mock?.close();
  await new Promise((r) => real.close(r));
});

describe('setupBullseyeServer', () => {
  it('answers every operation with its example, and extra handlers take precedence', async () => {
    const client = createPartnerClient({ apiKey: KEY, maxRetries: 0 });
    const { partner } = await unwrap(client.GET('/partner/me'));
    expect(partner.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await unwrap(client.GET('/partner/script-config'))).toEqual({ own: true });
  });

  it('a client with another baseUrl reaches nothing: the unhandled request fails and no key leaves', async () => {
    const stray = createPartnerClient({ apiKey: KEY, baseUrl: realUrl, maxRetries: 0 });
    const err = await stray.GET('/partner/me').then(
      () => undefined,
      (e: unknown) => e,
    );
    // MSW's own error, thrown as it is (not a network failure to retry).
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/Cannot bypass a request/);
    expect((err as Error).message).not.toContain(KEY);
    expect(reached).toEqual([]);
  });
});
