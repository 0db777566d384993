// Sandbox-only controls, under a prefix no API path uses (described in sandbox-openapi.yaml):
//   POST /_sandbox/reset                                   back to the seed
//   GET  /_sandbox/clock, POST /_sandbox/clock/advance     read / move the sandbox's clock
//   POST /_sandbox/organizations/{id}/identify             a visitor is identified (webhooks go out)
//   PUT  /_sandbox/organizations/{id}/webhook              an organization's webhook (`*`: every one)
// They need no key: the sandbox is a local tool, and they change nothing a key protects in production.
import { codeFor } from '../../../scripts/mock/mock-layer.js';
import type { Sandbox, SandboxRequest, SandboxResponse } from './types.js';
import { HttpError } from './errors.js';
import { parseJsonBody } from './body.js';
import type { Json } from './spec.js';

export const CONTROL_PREFIX = '/_sandbox';

const DURATION = /^(\d+)(ms|s|m|h|d)$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `90s`, `15m`, `2h`, `30d` (or a number of milliseconds) as milliseconds. */
export function parseDuration(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return v;
  if (typeof v !== 'string') return undefined;
  const m = DURATION.exec(v.trim());
  return m ? Number(m[1]) * UNIT_MS[m[2]!]! : undefined;
}

export async function controlRequest(sandbox: Sandbox, method: string, segments: string[], req: SandboxRequest, cors: Record<string, string>): Promise<SandboxResponse> {
  const json = (status: number, body: Json): SandboxResponse => ({ status, headers: { ...cors, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  const error = (status: number, message: string, details: Record<string, Json> = {}): SandboxResponse => json(status, { code: codeFor(sandbox.contract.codes, 'organization', status).code, message, details });
  let body: Record<string, Json> = {};
  if (req.body && req.body.length) {
    const parsed = parseJsonBody(req.body);
    if ('reason' in parsed) return error(400, parsed.message, { field: 'body', reason: parsed.reason });
    if (parsed.value === null || typeof parsed.value !== 'object' || Array.isArray(parsed.value)) return error(400, 'The request body must be a JSON object', { field: 'body', reason: 'must be an object' });
    body = parsed.value as Record<string, Json>;
  }
  const route = `${method} /${segments.map((s, i) => (segments[0] === 'organizations' && i === 1 ? '{organizationId}' : s)).join('/')}`;
  try {
    switch (route) {
      case 'POST /reset':
        sandbox.reset();
        return json(200, { reset: true, now: sandbox.now().toISOString() });
      case 'GET /clock':
        return json(200, { now: sandbox.now().toISOString(), offsetMs: sandbox.state.clockOffsetMs });
      case 'POST /clock/advance': {
        const ms = parseDuration(body.by ?? body.ms);
        if (ms === undefined) return error(400, 'by must be a duration such as "90s", "15m", "2h", "30d" (or ms, a number of milliseconds)', { field: 'by', reason: 'is not a duration' });
        await sandbox.advanceClock(ms);
        return json(200, { now: sandbox.now().toISOString(), offsetMs: sandbox.state.clockOffsetMs });
      }
      case 'POST /organizations/{organizationId}/identify': {
        const out = await sandbox.identify(segments[1]!, body);
        return json(201, out);
      }
      case 'PUT /organizations/{organizationId}/webhook': {
        const url = body.url;
        if (url !== null && (typeof url !== 'string' || !/^https?:\/\//.test(url))) return error(400, 'url must be an http(s) URL or null', { field: 'url', reason: 'must be an http(s) URL or null' });
        if (body.secret !== undefined && (typeof body.secret !== 'string' || body.secret === '')) return error(400, 'secret must be a non-empty string', { field: 'secret', reason: 'must be a non-empty string' });
        const orgId = segments[1]!;
        if (orgId !== '*' && !sandbox.state.organizations[orgId]) return error(404, `No organization ${orgId}`);
        sandbox.setOrganizationWebhook(orgId, url, body.secret as string | undefined);
        const hook = sandbox.state.organizationWebhooks[orgId]!;
        return json(200, { organizationId: orgId, url: hook.url, enabled: hook.enabled, hasSecret: hook.secret !== null });
      }
      default:
        return error(404, `No sandbox control matches ${method} ${CONTROL_PREFIX}/${segments.join('/')}`, { method, path: `${CONTROL_PREFIX}/${segments.join('/')}` });
    }
  } catch (err) {
    if (err instanceof HttpError) return error(err.status, err.message, err.details);
    throw err;
  }
}
