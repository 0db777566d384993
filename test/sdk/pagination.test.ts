// Auto-pagination over both documented conventions, against multi-page fixtures on a local server.
import { afterEach, describe, expect, it } from 'vitest';
import { ServerError, createOrganizationClient, createPartnerClient } from '../../src/index.js';
import { startFlakyServer, type FlakyServer, type RecordedRequest, type Step } from './support/flaky-server.js';
import { ORG_KEY, PARTNER_KEY, expectNoKey, rejectionOf } from './support/helpers.js';

let server: FlakyServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const org = (n: number) => ({ id: `org-${n}`, name: `Org ${n}`, status: 'active', tier: 'paid', credits: n, createdAt: '2026-01-01T00:00:00Z' });

function query(req: RecordedRequest): URLSearchParams {
  return new URL(req.url, 'http://x').searchParams;
}

/** Partner convention: `page`/`pageSize` → `{organizations, total, page, pageSize}`. */
function partnerPages(all: unknown[], total = all.length): (req: RecordedRequest) => Step {
  return (req) => {
    const q = query(req);
    const page = Number(q.get('page') ?? 1);
    const pageSize = Number(q.get('pageSize') ?? 20);
    const organizations = all.slice((page - 1) * pageSize, page * pageSize);
    return { kind: 'json', status: 200, body: { organizations, total, page, pageSize } };
  };
}

/** Organization convention: `page`/`limit` → `{data, total, page, limit}`. */
function orgPages(all: unknown[], total = all.length): (req: RecordedRequest) => Step {
  return (req) => {
    const q = query(req);
    const page = Number(q.get('page') ?? 1);
    const limit = Number(q.get('limit') ?? 10);
    return { kind: 'json', status: 200, body: { data: all.slice((page - 1) * limit, page * limit), total, page, limit } };
  };
}

async function partnerClientFor(script: (req: RecordedRequest) => Step) {
  server = await startFlakyServer(script);
  return createPartnerClient({ apiKey: PARTNER_KEY, baseUrl: server.url, maxRetries: 0 });
}

describe('Partner convention (page/pageSize, named array)', () => {
  it('walks every page in order and stops once total is reached', async () => {
    const all = [1, 2, 3, 4, 5].map(org);
    const client = await partnerClientFor(partnerPages(all));
    const seen: string[] = [];
    for await (const o of client.paginate('/partner/organizations', { params: { query: { pageSize: 2, status: 'active' } } })) seen.push(o.id);
    expect(seen).toEqual(['org-1', 'org-2', 'org-3', 'org-4', 'org-5']);
    expect(server!.requests.map((r) => query(r).get('page'))).toEqual(['1', '2', '3']);
    // the caller's other query parameters are kept on every page
    expect(server!.requests.every((r) => query(r).get('status') === 'active' && query(r).get('pageSize') === '2')).toBe(true);
  });

  it('does not ask for a page after an exactly full last page when total says it is the end', async () => {
    const client = await partnerClientFor(partnerPages([1, 2, 3, 4].map(org)));
    const ids: string[] = [];
    for await (const o of client.paginate('/partner/organizations', { params: { query: { pageSize: 2 } } })) ids.push(o.id);
    expect(ids).toHaveLength(4);
    expect(server!.requests).toHaveLength(2);
  });

  it('stops on an empty page even when total claims more', async () => {
    const client = await partnerClientFor(partnerPages([1, 2, 3, 4].map(org), 50));
    const pages: number[] = [];
    for await (const body of client.pages('/partner/organizations', { params: { query: { pageSize: 2 } } })) pages.push(body.organizations.length);
    expect(pages).toEqual([2, 2, 0]);
    expect(server!.requests).toHaveLength(3);
  });

  it('starts from the page the caller asks for', async () => {
    const client = await partnerClientFor(partnerPages([1, 2, 3, 4, 5].map(org)));
    const ids: string[] = [];
    for await (const o of client.paginate('/partner/organizations', { params: { query: { page: 2, pageSize: 2 } } })) ids.push(o.id);
    expect(ids).toEqual(['org-3', 'org-4', 'org-5']);
    expect(server!.requests.map((r) => query(r).get('page'))).toEqual(['2', '3']);
  });

  it('yields nothing for an empty list, after one request', async () => {
    const client = await partnerClientFor(partnerPages([]));
    const ids: unknown[] = [];
    for await (const o of client.paginate('/partner/organizations')) ids.push(o);
    expect(ids).toEqual([]);
    expect(server!.requests).toHaveLength(1);
  });

  it('breaking out of the loop stops fetching', async () => {
    const client = await partnerClientFor(partnerPages([1, 2, 3, 4, 5, 6].map(org)));
    for await (const o of client.paginate('/partner/organizations', { params: { query: { pageSize: 2 } } })) {
      if (o.id === 'org-1') break;
    }
    expect(server!.requests).toHaveLength(1);
  });

  it('a failing page throws the typed error after the pages before it were yielded', async () => {
    const ok = partnerPages([1, 2, 3, 4].map(org));
    const client = await partnerClientFor((req) =>
      query(req).get('page') === '2' ? { kind: 'json', status: 500, body: { code: 'InternalError', message: 'boom', details: {} } } : ok(req),
    );
    const ids: string[] = [];
    const err = await rejectionOf(
      (async () => {
        for await (const o of client.paginate('/partner/organizations', { params: { query: { pageSize: 2 } } })) ids.push(o.id);
      })(),
    );
    expect(ids).toEqual(['org-1', 'org-2']);
    expect(err).toBeInstanceOf(ServerError);
    expect(err).toMatchObject({ status: 500, code: 'InternalError', operation: { operationId: 'listPartnerOrganizations' } });
    expectNoKey(err);
  });
});

describe('Organization convention (page/limit, data)', () => {
  it('walks pages by limit and stops at total', async () => {
    server = await startFlakyServer(orgPages([1, 2, 3, 4, 5, 6, 7].map(org)));
    const client = createOrganizationClient({ apiKey: ORG_KEY, baseUrl: server.url, maxRetries: 0 });
    const ids: string[] = [];
    for await (const o of client.paginate('/agency/sub-organizations', { params: { query: { limit: 3 } } })) if (o.id !== undefined) ids.push(o.id);
    expect(ids).toEqual(['org-1', 'org-2', 'org-3', 'org-4', 'org-5', 'org-6', 'org-7']);
    expect(server.requests.map((r) => [query(r).get('page'), query(r).get('limit')])).toEqual([
      ['1', '3'],
      ['2', '3'],
      ['3', '3'],
    ]);
    expect(server.requests.every((r) => r.headers['x-api-key'] === ORG_KEY)).toBe(true);
  });

  it('page by page, with an empty last page', async () => {
    server = await startFlakyServer(orgPages([1, 2, 3, 4].map(org), 99));
    const client = createOrganizationClient({ apiKey: ORG_KEY, baseUrl: server.url, maxRetries: 0 });
    const sizes: Array<[number, number]> = [];
    for await (const page of client.pages('/agency/sub-organizations', { params: { query: { limit: 2 } } })) sizes.push([page.page ?? 0, page.data?.length ?? 0]);
    expect(sizes).toEqual([
      [1, 2],
      [2, 2],
      [3, 0],
    ]);
  });
});
