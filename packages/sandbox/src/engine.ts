// The engine: one request in, one response out, over one store. The HTTP server and the in-process
// `fetch` both call `handle`, so an integrator's unit tests get the same behaviour as the server.
// Order of checks for an API call: the path (malformed escapes), the route, the key (401), the rate
// limit (429), the scope (403), the request against the spec (400), then the operation itself.
import { codeFor, badRequestDetails, RateLimiter, DOCUMENTED_RATE_LIMIT, type FieldError } from '../../../scripts/mock/mock-layer.js';
import { readFileSync } from 'node:fs';
import { readDataFile, writeDataFile, lockDataFile, DataFileError } from './file.js';
import { MAX_BODY_BYTES, parseJsonBody } from './body.js';
import { OPERATION_HANDLERS } from './operations/index.js';
import { apis, matchPath } from '@bullseye/api';
import { apiOf } from '../../../scripts/mock/guard.js';
import { grants, missingScopeMessage } from './scopes.js';
import { loadContract, type Api, type Contract, type Json, type OperationSpec, type ValidationFailure } from './spec.js';
import { hashKey, seedFromSpec, SEEDED_WEBHOOK_SECRETS, type KeyRecord, type State } from './store.js';
import { controlRequest, CONTROL_PREFIX } from './controls.js';
import { Webhooks } from './webhooks.js';
import { HttpError } from './errors.js';
import type { Auth, Context, HandlerResult, Sandbox, SandboxRequest, SandboxResponse } from './types.js';
import { identifyVisitor } from './identify.js';

export interface SandboxOptions {
  /** Initial state: a state object or the path of a seed file (a sandbox data file); default the spec's examples. */
  seed?: State | string;
  /** Keep the state in this file (atomic writes, a lock); in memory when left out. */
  dataFile?: string;
  /** Real-time clock in ms (tests may replace it); the sandbox adds its own offset (`advanceClock`). */
  clock?: () => number;
  /** Validate every response against the spec; a drift answers 500 naming the schema path. */
  strict?: boolean;
  /** Requests a minute per partner account / per Organization key; enforced only when `enforce`. */
  rateLimit?: { limit?: number; enforce?: boolean };
  /** Organization webhook URL for every organization (the dashboard setting in production). */
  orgWebhookUrl?: string;
  /** How long a webhook attempt may take (ms, default 5000). */
  webhookTimeoutMs?: number;
}

export { HttpError };
export type { Auth, Context, Handler, HandlerResult, Sandbox, SandboxRequest, SandboxResponse } from './types.js';

const CORS_HEADERS: Record<string, string> = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers': 'X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset, Retry-After, Content-Length',
};

function header(headers: SandboxRequest['headers'], name: string): string | undefined {
  const v = headers[name] ?? headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * Decodes each segment of a raw path (`/a/b%20c` → ['a', 'b c']); `undefined` for a malformed
 * percent-escape or one that decodes to invalid UTF-8 (an in-process call meets no HTTP guard).
 */
function decodeSegments(rawPath: string): string[] | undefined {
  try {
    const out = rawPath.split('/').slice(1).map(decodeURIComponent);
    if (out.length > 1 && out[out.length - 1] === '') out.pop();
    return out;
  } catch {
    return undefined;
  }
}

/** Query values typed by their parameter's schema, so `page=2` validates as the integer 2. */
function coerce(raw: string, schema: Record<string, Json>): Json {
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  if (types.includes('integer') || types.includes('number')) {
    const n = Number(raw);
    return raw.trim() !== '' && Number.isFinite(n) ? n : raw;
  }
  if (types.includes('boolean')) return raw === 'true' ? true : raw === 'false' ? false : raw;
  if (types.includes('array')) return raw.split(',');
  return raw;
}

/** Ajv's failures as the mock's `{in, field, reason}` (the field a dotted path in the body). */
function fieldErrorsOf(where: string, name: string, failures: ValidationFailure[]): FieldError[] {
  return failures.map((f) => {
    const parts = f.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    if (f.keyword === 'required' && typeof f.params.missingProperty === 'string') parts.push(f.params.missingProperty);
    if (f.keyword === 'additionalProperties' && typeof f.params.additionalProperty === 'string') parts.push(f.params.additionalProperty);
    const field = where === 'body' ? parts.join('.') || 'body' : [name, ...parts].join('.');
    const reason =
      f.keyword === 'required'
        ? 'is required'
        : f.keyword === 'additionalProperties'
          ? 'is not a known field'
          : f.keyword === 'enum' && Array.isArray(f.params.allowedValues)
            ? `must be one of ${(f.params.allowedValues as unknown[]).map(String).join(', ')}`
            : f.message;
    return { in: where, field, reason };
  });
}

/** Base URL the in-process `fetch` answers (any host works; loopback keeps the SDK's https rule happy). */
export const SANDBOX_BASE_URL = 'http://127.0.0.1:4010';

function loadSeed(seed: SandboxOptions['seed'], contract: Contract): State {
  if (seed === undefined) return seedFromSpec(contract);
  if (typeof seed !== 'string') return structuredClone(seed);
  let text: string;
  try {
    text = readFileSync(seed, 'utf8');
  } catch (err) {
    throw new DataFileError(`cannot read the seed file ${seed}: ${(err as Error).message}`);
  }
  try {
    JSON.parse(text);
  } catch {
    throw new DataFileError(`the seed file ${seed} is not valid JSON`);
  }
  const state = readDataFile(seed);
  if (!state) throw new DataFileError(`cannot read the seed file ${seed}`);
  return state;
}

export function createSandbox(options: SandboxOptions = {}): Sandbox {
  const contract = loadContract();
  const realClock = options.clock ?? Date.now;
  const seedState = loadSeed(options.seed, contract);
  const release = options.dataFile ? lockDataFile(options.dataFile) : undefined;
  let state: State;
  try {
    state = (options.dataFile ? readDataFile(options.dataFile) : undefined) ?? structuredClone(seedState);
  } catch (err) {
    release?.();
    throw err;
  }
  const nowMs = (): number => realClock() + state.clockOffsetMs;
  const save = (): void => {
    if (options.dataFile) writeDataFile(options.dataFile, state);
  };
  if (options.dataFile) save();
  if (options.orgWebhookUrl && !state.organizationWebhooks['*']) {
    state.organizationWebhooks['*'] = { url: options.orgWebhookUrl, enabled: true, secret: SEEDED_WEBHOOK_SECRETS.organization };
  }

  const limitPerMinute = options.rateLimit?.limit ?? DOCUMENTED_RATE_LIMIT;
  const limiter = new RateLimiter(limitPerMinute, nowMs);
  const webhooks = new Webhooks(() => state, nowMs, save, options.webhookTimeoutMs ?? 5000);

  const envelope = (api: Api, status: number, message: string | undefined, details: Record<string, Json>, extra: Record<string, string> = {}): SandboxResponse => {
    const base = codeFor(contract.codes, api, status);
    return {
      status,
      headers: { ...CORS_HEADERS, 'Content-Type': 'application/json', ...extra },
      body: JSON.stringify({ code: base.code, message: message ?? base.message, details }),
    };
  };

  /** The key of a request: known, active, not expired. */
  const authenticate = (op: OperationSpec, req: SandboxRequest): { auth: Auth; key: KeyRecord } | { error: string } => {
    const headerName = apis[op.api].keyHeader;
    const presented = header(req.headers, headerName.toLowerCase());
    if (!presented) return { error: `The ${headerName} header is missing` };
    const hash = hashKey(presented);
    const table = op.api === 'partner' ? state.partnerKeys : state.organizationKeys;
    // A walk over the keys, not Object.values: the key table is read on every request (see recordsWhere).
    let key: KeyRecord | undefined;
    for (const id in table) {
      if (table[id]!.hash === hash) {
        key = table[id];
        break;
      }
    }
    if (!key) return { error: 'The API key is not valid' };
    if (key.record.status !== 'active') return { error: 'The API key has been revoked' };
    const expiresAt = key.record.expiresAt;
    if (typeof expiresAt === 'string' && Date.parse(expiresAt) <= nowMs()) return { error: 'The API key has expired' };
    if (op.api === 'organization' && !state.organizations[key.ownerId]) return { error: 'The API key belongs to an organization that no longer exists' };
    return {
      key,
      auth: {
        api: op.api,
        keyId: String(key.record.id),
        ownerId: key.ownerId,
        userId: typeof key.record.createdByUserId === 'string' ? key.record.createdByUserId : null,
        scopes: (key.record.scopes as string[]) ?? [],
      },
    };
  };

  const validateRequest = (op: OperationSpec, params: Record<string, string>, url: URL, req: SandboxRequest): { query: Record<string, Json>; body: Json | undefined } | { errors: FieldError[] } | { problem: { status: number; message: string; details: Record<string, Json> } } => {
    const errors: FieldError[] = [];
    const query: Record<string, Json> = {};
    for (const p of op.parameters) {
      let raw: string | undefined;
      if (p.in === 'path') raw = params[p.name];
      else if (p.in === 'query') raw = url.searchParams.has(p.name) ? url.searchParams.getAll(p.name).join(',') : undefined;
      else if (p.in === 'header') raw = header(req.headers, p.name.toLowerCase());
      else continue;
      if (raw === undefined) {
        if (p.required) errors.push({ in: p.in, field: p.name, reason: 'is required' });
        else if (p.in === 'query' && p.schema.default !== undefined) query[p.name] = p.schema.default;
        continue;
      }
      const value = coerce(raw, p.schema);
      const failures = contract.validate(p.schemaPointer, value);
      if (failures.length) errors.push(...fieldErrorsOf(p.in, p.name, failures).map((e) => ({ ...e, field: p.name })));
      else if (p.in === 'query') query[p.name] = value;
    }
    let body: Json | undefined;
    const bytes = req.body;
    if (op.bodyPointer) {
      if (!bytes || bytes.length === 0) {
        if (op.bodyRequired) errors.push({ in: 'body', field: 'body', reason: 'is required' });
      } else {
        const parsed = parseJsonBody(bytes);
        if ('reason' in parsed) return { problem: { status: 400, message: parsed.message, details: { field: 'body', reason: parsed.reason } } };
        body = parsed.value as Json;
        let failures: ValidationFailure[];
        try {
          failures = contract.validate(op.bodyPointer, body);
        } catch (err) {
          if (err instanceof RangeError) return { problem: { status: 400, message: 'The request body is nested too deeply', details: { field: 'body', reason: 'is nested too deeply' } } };
          throw err;
        }
        errors.push(...fieldErrorsOf('body', 'body', failures));
      }
    }
    return errors.length ? { errors } : { query, body };
  };

  /** Checks a response against the spec; the first failure, or undefined. */
  const drift = (op: OperationSpec, status: number, body: Json | undefined): string | undefined => {
    if (!op.responses.has(status)) return `status ${status} is not declared for ${op.operationId}`;
    const pointer = op.responses.get(status);
    if (!pointer) return body === undefined ? undefined : `${op.operationId} ${status} declares no body`;
    const failures = contract.validate(pointer, body);
    const f = failures[0];
    return f ? `${pointer} (${f.schemaPath}) at ${f.instancePath || '(root)'}: ${f.message}` : undefined;
  };

  const handle = async (req: SandboxRequest): Promise<SandboxResponse> => {
    const method = (req.method || 'GET').toUpperCase();
    const rawUrl = req.url || '/';
    const qIndex = rawUrl.indexOf('?');
    const rawPath = qIndex === -1 ? rawUrl : rawUrl.slice(0, qIndex);
    const api: Api = apiOf(rawPath);

    if (method === 'OPTIONS') {
      const allow: Record<string, string> = {
        ...CORS_HEADERS,
        'Access-Control-Allow-Methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
        'Access-Control-Allow-Headers': header(req.headers, 'access-control-request-headers') ?? ['Content-Type', ...Object.values(apis).map((a) => a.keyHeader)].join(', '),
        'Access-Control-Max-Age': '600',
      };
      // Chrome's Private Network Access: a page on a public origin may call this loopback server.
      if (header(req.headers, 'access-control-request-private-network') === 'true') allow['Access-Control-Allow-Private-Network'] = 'true';
      return { status: 204, headers: allow, body: undefined };
    }

    const segments = decodeSegments(rawPath);
    if (!segments) {
      return envelope(api, 400, 'The request path has a malformed percent-escape', { field: 'path', reason: 'has a malformed percent-escape' });
    }
    let url: URL;
    try {
      url = new URL(rawUrl.startsWith('/') ? rawUrl : `/${rawUrl}`, 'http://sandbox.invalid');
    } catch {
      return envelope(api, 400, 'The request target is not a valid URL', { field: 'path', reason: 'is not a valid URL' });
    }

    if (rawPath === CONTROL_PREFIX || rawPath.startsWith(`${CONTROL_PREFIX}/`)) {
      return controlRequest(sandbox, method, segments.slice(1), req, CORS_HEADERS);
    }

    // The shared matcher (the SDK's and the mock's): more fixed segments win, so `/organization/list`
    // is never read as an organization id. A trailing slash names the same resource here.
    const routed = rawPath.length > 1 && rawPath.endsWith('/') ? rawPath.slice(0, -1) : rawPath;
    const match = matchPath(routed);
    const entry = match?.methods[method.toLowerCase()];
    if (!match || !entry) {
      const path = `/${segments.join('/')}`;
      if (match) return envelope(api, 405, `The path exists but has no ${method} operation`, { method, path }, { Allow: Object.keys(match.methods).map((m) => m.toUpperCase()).join(', ') });
      return envelope(api, 404, `No operation of the API matches ${method} ${path}`, { method, path });
    }
    const op = contract.byId.get(entry.operationId)!;
    // The matcher leaves placeholder values percent-encoded; every segment decoded above, so these do too.
    const params = Object.fromEntries(Object.entries(match.params).map(([k, v]) => [k, decodeURIComponent(v)]));

    const who = authenticate(op, req);
    if ('error' in who) {
      const rate = limiter.hit(`unauthenticated:${op.api}`);
      return envelope(op.api, 401, who.error, {}, rateHeaders(rate, 401));
    }
    const { auth, key } = who;
    const rate = limiter.hit(op.api === 'partner' ? `partner:${auth.ownerId}` : `key:${auth.keyId}`);
    if (rate.exceeded && options.rateLimit?.enforce) {
      return envelope(op.api, 429, undefined, { limit: rate.limit, window: '1m' }, rateHeaders(rate, 429));
    }
    const rh = rateHeaders(rate, 200);
    if (!grants(op.api, auth.scopes, op.scopes)) {
      const needed = op.scopes[0] ?? '';
      return envelope(op.api, 403, missingScopeMessage(op.api, op.scopes), { requiredScope: needed, grantedScopes: auth.scopes }, rh);
    }
    const checked = validateRequest(op, params, url, req);
    if ('problem' in checked) return envelope(op.api, checked.problem.status, checked.problem.message, checked.problem.details, rh);
    if ('errors' in checked) {
      const first = checked.errors[0]!;
      return envelope(op.api, 400, `${first.field} ${first.reason}`, badRequestDetails(checked.errors) as Record<string, Json>, rh);
    }

    const handler = OPERATION_HANDLERS[op.operationId];
    if (!handler) {
      return envelope(op.api, 501, `${op.operationId} is not implemented by the sandbox yet`, { operationId: op.operationId }, rh);
    }
    let dirty = false;
    const ctx: Context = {
      state,
      op,
      auth,
      params,
      query: checked.query,
      body: checked.body,
      now: () => new Date(nowMs()),
      nowIso: () => new Date(nowMs()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      changed: () => {
        dirty = true;
      },
      webhooks,
      keyRecord: key,
    };
    if (key.record.lastUsedAt !== undefined) key.record.lastUsedAt = ctx.nowIso();
    let result: HandlerResult;
    try {
      result = await handler(ctx);
    } catch (err) {
      if (err instanceof HttpError) return envelope(op.api, err.status, err.message, err.details, rh);
      throw err;
    }
    if (dirty) save();
    webhooks.kick();
    if (result.text) {
      return { status: result.status, headers: { ...CORS_HEADERS, ...rh, 'Content-Type': result.text.contentType }, body: result.text.value };
    }
    if (options.strict) {
      const problem = drift(op, result.status, result.body);
      if (problem) return envelope(op.api, 500, `The sandbox's response does not conform to the spec: ${problem}`, { schemaPath: problem }, rh);
    }
    if (result.body === undefined) return { status: result.status, headers: { ...CORS_HEADERS, ...rh }, body: undefined };
    return { status: result.status, headers: { ...CORS_HEADERS, ...rh, 'Content-Type': 'application/json' }, body: JSON.stringify(result.body) };
  };

  const safeHandle = async (req: SandboxRequest): Promise<SandboxResponse> => {
    try {
      return await handle(req);
    } catch (err) {
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      const api: Api = apiOf(path);
      return envelope(api, 500, `The sandbox failed: ${err instanceof Error ? err.message : String(err)}`, {});
    }
  };

  const sandbox: Sandbox = {
    handle: safeHandle,
    async fetch(input, init) {
      const request = input instanceof Request && init === undefined ? input : new Request(input, init);
      const u = new URL(request.url);
      const body = request.method === 'GET' || request.method === 'HEAD' ? undefined : new Uint8Array(await request.arrayBuffer());
      if (body && body.length > MAX_BODY_BYTES) {
        const r = envelope(apiOf(u.pathname), 413, 'The request body is too large', { reason: `exceeds ${MAX_BODY_BYTES} bytes` });
        return new Response(r.body, { status: r.status, headers: r.headers });
      }
      const headers: Record<string, string> = {};
      request.headers.forEach((v, k) => (headers[k] = v));
      const r = await safeHandle({ method: request.method, url: `${u.pathname}${u.search}`, headers, body });
      return new Response(r.body ?? null, { status: r.status, headers: r.headers });
    },
    now: () => new Date(nowMs()),
    async advanceClock(ms) {
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError('the clock only moves forward: ms must be a number ≥ 0');
      state.clockOffsetMs += ms;
      save();
      webhooks.kick();
      await webhooks.idle();
    },
    reset() {
      const offset = state.clockOffsetMs;
      state = structuredClone(seedState);
      // Time does not go back on a reset: expiry and retries stay consistent with what clients saw.
      state.clockOffsetMs = Math.max(offset, state.clockOffsetMs);
      if (options.orgWebhookUrl) state.organizationWebhooks['*'] = { url: options.orgWebhookUrl, enabled: true, secret: SEEDED_WEBHOOK_SECRETS.organization };
      save();
    },
    async identify(organizationId, visitor) {
      const out = identifyVisitor(state, organizationId, visitor ?? {}, nowMs(), webhooks);
      save();
      webhooks.kick();
      return out;
    },
    setOrganizationWebhook(organizationId, url, secret) {
      state.organizationWebhooks[organizationId] = { url, enabled: url !== null, secret: secret ?? SEEDED_WEBHOOK_SECRETS.organization };
      save();
    },
    idle: () => webhooks.idle(),
    get state() {
      return state;
    },
    contract,
    async close() {
      webhooks.stop();
      await webhooks.idle();
      save();
      release?.();
    },
  };
  webhooks.start();
  return sandbox;
}

function rateHeaders(state: { limit: number; remaining: number; reset: number; retryAfter: number }, status: number): Record<string, string> {
  const h: Record<string, string> = {
    'X-RateLimit-Limit': String(state.limit),
    'X-RateLimit-Remaining': String(status === 429 ? 0 : state.remaining),
    'X-RateLimit-Reset': String(state.reset),
  };
  if (status === 429) h['Retry-After'] = String(state.retryAfter);
  return h;
}

