/**
 * `@bullseye/api/testing`: Mock Service Worker handlers for both Bullseye APIs, built from the
 * bundled OpenAPI description, for an integrator's own unit tests (in process, no server, no
 * network). Every operation answers the first example of its success response; helpers make one
 * operation fail the way the API does; `signedWebhook` builds deliveries signed like Bullseye's.
 *
 * Needs the optional peer dependencies `msw` (2.x) and `openapi-msw`, and Node (it reads the
 * package's `generated/openapi.json`). The SDK's main entry never imports this module.
 *
 * @example
 * import { forbidden, setupBullseyeServer } from '@bullseye/api/testing';
 *
 * const server = setupBullseyeServer(); // listening; a request no handler answers is an error
 * server.use(forbidden('createPartnerOrganization')); // this test only
 *
 * @packageDocumentation
 */
import { HttpResponse, type HttpHandler } from 'msw';
import { setupServer, type SetupServer } from 'msw/node';
import { createOpenApiHttp, type OpenApiHttpHandlers } from 'openapi-msw';
import { DEFAULT_BASE_URL, signWebhookPayload, type OrganizationPaths, type PartnerPaths, type SignedWebhook, type WebhookName, type WebhookPayload } from '../index.js';
import type { operations } from '../schema.js';
import { firstExample, headerExample, isObject, listOperations, loadDocument, resolve, type JsonObject, type OpenApiDocument, type SpecOperation } from '../openapi-document.js';

/** The operationId of an operation of either API. */
export type OperationId = keyof operations & string;

export interface HandlerOptions {
  /** Base URL the SDK under test calls; defaults to the SDK's own default (production). */
  baseUrl?: string;
  /** Answer only the first matching request, then fall through to the next handler (MSW's `once`). */
  once?: boolean;
}

/** A canned response of the spec: status, headers and body (`undefined` for none). */
export interface ExampleResponse {
  status: number;
  headers: Record<string, string>;
  /** Media type of the body (the response's JSON one when it has several). */
  contentType: string | undefined;
  body: unknown;
}

type MswMethod = 'get' | 'put' | 'post' | 'delete' | 'patch' | 'head' | 'options';

/** Typed handlers for the Partner API's paths (openapi-msw), to write a test's own responses. */
export function partnerHttp(options: HandlerOptions = {}): OpenApiHttpHandlers<PartnerPaths> {
  return createOpenApiHttp<PartnerPaths>({ baseUrl: options.baseUrl ?? DEFAULT_BASE_URL });
}

/** Typed handlers for the Organization API's paths (openapi-msw), to write a test's own responses. */
export function organizationHttp(options: HandlerOptions = {}): OpenApiHttpHandlers<OrganizationPaths> {
  return createOpenApiHttp<OrganizationPaths>({ baseUrl: options.baseUrl ?? DEFAULT_BASE_URL });
}

function operation(doc: OpenApiDocument, operationId: string): SpecOperation {
  const op = listOperations(doc).find((o) => o.operationId === operationId);
  if (!op) throw new Error(`@bullseye/api/testing: the spec has no API operation ${operationId}`);
  return op;
}

/**
 * The response object an operation declares for `status`, else the one another operation of the
 * same API declares (every API shares its error responses; not every operation lists every status).
 */
function responseFor(doc: OpenApiDocument, op: SpecOperation, status: string): JsonObject | undefined {
  const own = (op.op.responses as JsonObject | undefined)?.[status];
  if (own !== undefined) return resolve(doc, own);
  for (const other of listOperations(doc)) {
    const r = (other.op.responses as JsonObject | undefined)?.[status];
    if (other.api === op.api && r !== undefined) return resolve(doc, r);
  }
  return undefined;
}

function example(doc: OpenApiDocument, response: JsonObject | undefined, status: number): ExampleResponse {
  const headers: Record<string, string> = {};
  for (const [name, header] of Object.entries((response?.headers as JsonObject | undefined) ?? {})) {
    const value = headerExample(doc, header);
    if (value !== undefined) headers[name] = String(value);
  }
  const content = isObject(response?.content) ? response.content : {};
  const contentType = 'application/json' in content ? 'application/json' : Object.keys(content)[0];
  return { status, headers, contentType, body: contentType ? firstExample(doc, content[contentType] as JsonObject) : undefined };
}

/** The response an operation gives in these handlers: the first example of its first 2xx response. */
export function exampleResponse(operationId: OperationId): ExampleResponse {
  const doc = loadDocument();
  const op = operation(doc, operationId);
  const status = Object.keys((op.op.responses as JsonObject | undefined) ?? {}).filter((s) => /^2\d\d$/.test(s)).sort()[0];
  if (!status) throw new Error(`@bullseye/api/testing: ${operationId} declares no 2xx response`);
  return example(doc, responseFor(doc, op, status), Number(status));
}

function reply(r: ExampleResponse): Response {
  if (r.body === undefined) return new HttpResponse(null, { status: r.status, headers: r.headers });
  if (r.contentType === undefined || /[/+]json$/.test(r.contentType)) return HttpResponse.json(r.body as never, { status: r.status, headers: r.headers });
  const body = typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
  return new HttpResponse(body, { status: r.status, headers: { ...r.headers, 'Content-Type': r.contentType } });
}

// Literal segments before parameters, so `/lists/stats` is not taken for `/lists/{id}` (MSW uses the first match).
const specificity = (p: string): number[] => p.split('/').map((seg) => (seg.startsWith('{') ? 1 : 0));
function bySpecificity(a: SpecOperation, b: SpecOperation): number {
  const sa = specificity(a.path);
  const sb = specificity(b.path);
  for (let i = 0; i < Math.max(sa.length, sb.length); i++) {
    const d = (sa[i] ?? -1) - (sb[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}

function handler(op: SpecOperation, options: HandlerOptions, respond: () => Response | Promise<Response>): HttpHandler {
  const http = createOpenApiHttp<Record<string, unknown>>({ baseUrl: options.baseUrl ?? DEFAULT_BASE_URL });
  const method = op.method as MswMethod;
  if (!(method in http)) throw new Error(`@bullseye/api/testing: ${op.operationId} uses ${op.method.toUpperCase()}, which MSW cannot mock`);
  const register = http[method] as (path: string, resolver: () => Response | Promise<Response>, o?: { once?: boolean }) => HttpHandler;
  return register(op.path, respond, options.once ? { once: true } : undefined);
}

/** Handlers for every operation of both APIs, each answering the first example of its success response. */
export function bullseyeHandlers(options: HandlerOptions = {}): HttpHandler[] {
  const doc = loadDocument();
  return listOperations(doc)
    .sort(bySpecificity)
    .map((op) => {
      const response = exampleResponse(op.operationId as OperationId);
      return handler(op, options, () => reply(response));
    });
}

function failure(operationId: OperationId, status: number, options: HandlerOptions, edit?: (r: ExampleResponse, op: SpecOperation) => void): HttpHandler {
  const doc = loadDocument();
  const op = operation(doc, operationId);
  const response = example(doc, responseFor(doc, op, String(status)), status);
  edit?.(response, op);
  return handler(op, options, () => reply(response));
}

/**
 * The kit in one call: an MSW server with `bullseyeHandlers(options)` (then `extra`, which take
 * precedence), already listening, on which a request no handler answers is an error instead of
 * going out to the network. MSW's own default only warns, and lets the request (with its API key)
 * reach whatever host it names, e.g. a client made with another `baseUrl`. Create SDK clients after
 * this call (a client takes the global `fetch` when it is made); `server.close()` when done.
 */
export function setupBullseyeServer(options: HandlerOptions = {}, ...extra: HttpHandler[]): SetupServer {
  const server = setupServer(...extra, ...bullseyeHandlers(options));
  server.listen({ onUnhandledRequest: 'error' });
  return server;
}

/** The operation answers 401, with the API's example body (its own error codes). */
export function unauthorized(operationId: OperationId, options: HandlerOptions = {}): HttpHandler {
  return failure(operationId, 401, options);
}

/** The operation answers 403, naming in `details.requiredScope` and the message the scope it needs. */
export function forbidden(operationId: OperationId, options: HandlerOptions = {}): HttpHandler {
  return failure(operationId, 403, options, (r, op) => {
    const scope = op.scopes[0] ?? '';
    const body = isObject(r.body) ? r.body : {};
    r.body = { ...body, message: `This API key does not have the \`${scope}\` scope that ${op.operationId} requires`, details: { ...(isObject(body.details) ? body.details : {}), requiredScope: scope } };
  });
}

/** The operation answers 404, with the API's example body. */
export function notFound(operationId: OperationId, options: HandlerOptions = {}): HttpHandler {
  return failure(operationId, 404, options);
}

export interface RateLimitOptions extends HandlerOptions {
  /** `Retry-After`, in seconds (default: the spec's example). */
  retryAfter?: number;
  /** `X-RateLimit-Limit` (default: the spec's example). */
  limit?: number;
  /** `X-RateLimit-Reset`, Unix seconds (default: now plus `retryAfter`). */
  reset?: number;
}

/** The operation answers 429 with `Retry-After`, `X-RateLimit-Limit`, `X-RateLimit-Remaining: 0` and `X-RateLimit-Reset`. */
export function rateLimited(operationId: OperationId, options: RateLimitOptions = {}): HttpHandler {
  const doc = loadDocument();
  const op = operation(doc, operationId);
  const base = example(doc, responseFor(doc, op, '429'), 429);
  const retryAfter = options.retryAfter ?? Number(base.headers['Retry-After'] ?? 30);
  return handler(op, options, () =>
    reply({
      ...base,
      headers: {
        ...base.headers,
        'Retry-After': String(retryAfter),
        'X-RateLimit-Limit': String(options.limit ?? base.headers['X-RateLimit-Limit'] ?? 1000),
        'X-RateLimit-Remaining': '0',
        'X-RateLimit-Reset': String(options.reset ?? Math.floor(Date.now() / 1000) + retryAfter),
      },
    }),
  );
}

/** The request for the operation fails at the network level (no response at all). */
export function networkError(operationId: OperationId, options: HandlerOptions = {}): HttpHandler {
  const op = operation(loadDocument(), operationId);
  return handler(op, options, () => HttpResponse.error());
}

/** The example payload the spec gives for a webhook event. */
export function webhookExample<K extends WebhookName>(event: K): WebhookPayload<K> {
  const doc = loadDocument();
  const item = doc.webhooks?.[event];
  const body = item?.post?.requestBody === undefined ? undefined : resolve(doc, item.post.requestBody);
  const payload = isObject(body?.content) ? firstExample(doc, body.content['application/json'] as JsonObject) : undefined;
  if (payload === undefined) throw new Error(`@bullseye/api/testing: the spec has no example for the webhook ${event}`);
  return payload as WebhookPayload<K>;
}

/**
 * A delivery of `event` signed with `secret` the way Bullseye signs it: the payload given (typed
 * from the spec) or the spec's example. Spread `headers` into the request to your handler.
 */
export function signedWebhook<K extends WebhookName>(event: K, secret: string, payload?: WebhookPayload<K>): Promise<SignedWebhook> {
  return signWebhookPayload((payload ?? webhookExample(event)) as object, secret);
}
