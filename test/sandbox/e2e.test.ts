// The end-to-end flow, written as an integrator would with the SDK only, against the sandbox
// served over HTTP on a free loopback port: a created organization is in the list; allocating credits
// sends a signed `partner.billing` that the SDK verifies at a local receiver; an Organization key
// with `read` gets a 403 naming `write`, and 401 once revoked; identifying a visitor sends
// `visitor.identified` and `partner.identification`; a restart on the same data file finds the
// organization again.
import { mkdtempSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthenticationError, PermissionError, constructWebhookEvent, createOrganizationClient, createPartnerClient, unwrap } from '../../src/index.js';
import { SEEDED_KEYS, SEEDED_WEBHOOK_SECRETS, startSandboxServer, type SandboxServer } from '../../packages/sandbox/src/index.js';

interface Received {
  path: string;
  body: string;
  signature: string | undefined;
}

/** A local webhook receiver that answers 200 and remembers every delivery. */
async function receiver(): Promise<{ url: string; received: Received[]; waitFor(pred: (r: Received) => boolean, ms?: number): Promise<Received>; close(): Promise<void> }> {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ path: req.url ?? '/', body: Buffer.concat(chunks).toString('utf8'), signature: req.headers['x-bullseye-signature'] as string | undefined });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    received,
    async waitFor(pred, ms = 10_000) {
      const end = Date.now() + ms;
      for (;;) {
        const hit = received.find(pred);
        if (hit) return hit;
        if (Date.now() > end) throw new Error(`no matching delivery within ${ms} ms; got ${received.map((r) => r.path).join(', ')}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

const dataFile = path.join(mkdtempSync(path.join(tmpdir(), 'sandbox-e2e-')), 'sandbox.json');
let sandbox: SandboxServer;
let hooks: Awaited<ReturnType<typeof receiver>>;

beforeAll(async () => {
  hooks = await receiver();
  sandbox = await startSandboxServer({ port: 0, dataFile, strict: true, orgWebhookUrl: `${hooks.url}/org` });
});

afterAll(async () => {
  await sandbox?.close();
  await hooks?.close();
});

describe('the sandbox, end to end with the SDK', () => {
  let orgId = '';

  it('creates an organization and finds it in the list with a true total', async () => {
    const partner = createPartnerClient({ apiKey: SEEDED_KEYS.partner, baseUrl: sandbox.url, maxRetries: 0 });
    const before = await unwrap(partner.GET('/partner/organizations', {}));
    const created = await unwrap(partner.POST('/partner/organizations', { body: { name: 'Initech E2E', externalId: 'initech-e2e', tier: 'paid' } }));
    orgId = created.organization!.id!;
    const names: string[] = [];
    for await (const o of partner.paginate('/partner/organizations', { params: { query: { pageSize: 1 } } })) names.push(o.name);
    expect(names).toContain('Initech E2E');
    const after = await unwrap(partner.GET('/partner/organizations', {}));
    expect(after.total).toBe(before.total + 1);
    const found = await unwrap(partner.GET('/partner/organizations', { params: { query: { externalId: 'initech-e2e' } } }));
    expect(found.organizations.map((o) => o.id)).toEqual([orgId]);
  });

  it('allocates credits and delivers a signed partner.billing the SDK verifies', async () => {
    const partner = createPartnerClient({ apiKey: SEEDED_KEYS.partner, baseUrl: sandbox.url, maxRetries: 0 });
    const secret = 'whsec_e2e_billing';
    await unwrap(partner.PUT('/partner/webhooks/billing', { body: { url: `${hooks.url}/billing`, secret, enabled: true } }));
    const { allocation } = await unwrap(
      partner.PUT('/partner/organizations/{organizationId}/credits', { params: { path: { organizationId: orgId } }, body: { credits: 750 } }),
    );
    expect(allocation).toMatchObject({ organizationId: orgId, creditsAllocated: 750, creditsAvailable: 750 });
    const delivery = await hooks.waitFor((r) => r.path === '/billing' && r.body.includes(orgId));
    const event = (await constructWebhookEvent(delivery.body, delivery.signature, secret)) as Record<string, unknown>;
    expect(event).toMatchObject({ event: 'credits.allocated', organization_id: orgId, organization_credits: { allocated: 750, used: 0, available: 750 } });
    // The wrong secret does not verify.
    await expect(constructWebhookEvent(delivery.body, delivery.signature, 'whsec_other')).rejects.toMatchObject({ code: 'webhook_signature_invalid' });
    // The delivery is in the logs, as a success.
    await sandbox.sandbox.idle();
    const logs = await unwrap(partner.GET('/partner/webhooks/logs', { params: { query: { type: 'billing', organizationId: orgId } } }));
    expect(logs.logs?.[0]).toMatchObject({ type: 'billing', status: 'success', responseStatus: 200, attempts: 1, test: false });
  });

  it('gives a read-only Organization key 403 naming write, and 401 once revoked', async () => {
    const admin = createOrganizationClient({ apiKey: SEEDED_KEYS.organization.admin, baseUrl: sandbox.url, maxRetries: 0 });
    const created = await unwrap(
      admin.POST('/organization/{organization_id}/api-keys', { params: { path: { organization_id: 'org_abc123' } }, body: { name: 'Read only', scopes: ['read'] } }),
    );
    expect(created.plainKey).toMatch(/^bsk_live_[0-9a-f]{32}$/);
    const listed = await unwrap(admin.GET('/organization/{organization_id}/api-keys', { params: { path: { organization_id: 'org_abc123' } } }));
    // The plain key is shown once: the listing has the prefix only.
    expect(JSON.stringify(listed)).not.toContain(created.plainKey);

    const reader = createOrganizationClient({ apiKey: created.plainKey!, baseUrl: sandbox.url, maxRetries: 0 });
    const read = await unwrap(reader.GET('/organization/{organization_id}', { params: { path: { organization_id: 'org_abc123' } } }));
    expect(read.id).toBe('org_abc123');
    const denied = await reader
      .PUT('/organization/{organization_id}', { params: { path: { organization_id: 'org_abc123' } }, body: { name: 'Renamed' } })
      .then((r) => unwrap(r))
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(denied).toBeInstanceOf(PermissionError);
    expect((denied as PermissionError).status).toBe(403);
    expect((denied as PermissionError).details).toMatchObject({ requiredScope: 'write' });
    expect((denied as PermissionError).message).toContain('write');

    await unwrap(admin.DELETE('/organization/{organization_id}/api-keys/{key_id}', { params: { path: { organization_id: 'org_abc123', key_id: created.apiKey!.id! } } }));
    const revoked = await unwrap(reader.GET('/organization/{organization_id}', { params: { path: { organization_id: 'org_abc123' } } })).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(revoked).toBeInstanceOf(AuthenticationError);
    expect((revoked as AuthenticationError).status).toBe(401);
    expect(String((revoked as Error).message)).not.toContain(created.plainKey!);
  });

  it('identifies a visitor: visitor.identified and partner.identification, both signed', async () => {
    const partner = createPartnerClient({ apiKey: SEEDED_KEYS.partner, baseUrl: sandbox.url, maxRetries: 0 });
    const secret = 'whsec_e2e_identification';
    await unwrap(partner.PUT('/partner/webhooks/identification', { body: { url: `${hooks.url}/identification`, secret } }));
    // The sandbox-only control stands in for the pixel.
    const res = await fetch(`${sandbox.url}/_sandbox/organizations/${orgId}/identify`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: 'ada@lovelace.dev', firstName: 'Ada', lastName: 'Lovelace', companyDomain: 'lovelace.dev' }),
    });
    expect(res.status).toBe(201);
    const org = await hooks.waitFor((r) => r.path === '/org' && r.body.includes('ada@lovelace.dev'));
    const orgEvent = (await constructWebhookEvent(org.body, org.signature, SEEDED_WEBHOOK_SECRETS.organization)) as Record<string, unknown>;
    expect(orgEvent).toMatchObject({ event: 'visitor.identified', organization_id: orgId, visitor: { email: 'ada@lovelace.dev', first_name: 'Ada' } });
    const p = await hooks.waitFor((r) => r.path === '/identification' && r.body.includes('ada@lovelace.dev'));
    const partnerEvent = (await constructWebhookEvent(p.body, p.signature, secret)) as Record<string, unknown>;
    expect(partnerEvent).toMatchObject({ event: 'visitor.identified', organization_id: orgId, external_id: 'initech-e2e', credits_used: 1 });
    // The visitor is stored: the Partner API lists it, and the credit is used.
    const visitors = await unwrap(partner.GET('/partner/organizations/{organizationId}/visitors', { params: { path: { organizationId: orgId } } }));
    expect(visitors.visitors?.map((v) => v.email)).toEqual(['ada@lovelace.dev']);
    expect(visitors.total).toBe(1);
  });

  it('sends a real test delivery and logs it', async () => {
    const partner = createPartnerClient({ apiKey: SEEDED_KEYS.partner, baseUrl: sandbox.url, maxRetries: 0 });
    const { delivery } = await unwrap(partner.POST('/partner/webhooks/test', { body: { type: 'billing' } }));
    expect(delivery).toMatchObject({ type: 'billing', status: 'success', responseStatus: 200, test: true, attempts: 1 });
    const got = await hooks.waitFor((r) => r.path === '/billing' && r.body.includes('"credits.allocated"') && r.signature !== undefined);
    await expect(constructWebhookEvent(got.body, got.signature, 'whsec_e2e_billing')).resolves.toBeTypeOf('object');
  });

  it('restarts on the same data file and finds the organization again', async () => {
    await sandbox.close();
    sandbox = await startSandboxServer({ port: 0, dataFile, strict: true });
    const partner = createPartnerClient({ apiKey: SEEDED_KEYS.partner, baseUrl: sandbox.url, maxRetries: 0 });
    const got = await unwrap(partner.GET('/partner/organizations/{organizationId}', { params: { path: { organizationId: orgId } } }));
    expect(got.organization).toMatchObject({ id: orgId, name: 'Initech E2E', credits: 750 });
  });
});
