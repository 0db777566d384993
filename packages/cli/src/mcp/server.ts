// `bullseye mcp`: a Model Context Protocol server with one tool per operation of one API, built from
// the bundled spec (name = operationId, description and input schema from the operation), or three
// tools that find, describe and call them (compact.ts). Calls go through the SDK's client narrowed to
// the server's scopes, so scope checks, retries, typed errors and key redaction are the SDK's own.
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { CallToolRequestSchema, ErrorCode, ListToolsRequestSchema, McpError, type CallToolResult, type Tool } from '@modelcontextprotocol/sdk/types.js';
import { apis, BullseyeError, createOrganizationClient, createPartnerClient, grantedScopes, scopesAllow, SDK_VERSION, unknownScopesMessage, unwrap, type ApiId, type BullseyeClient, type ClientOptions, type FetchLike, type HttpMethod, type OrganizationScope, type PartnerScope } from '@bullseye/api';
import { isObject, listOperations, loadDocument, resolve, type JsonObject, type OpenApiDocument, type SpecOperation } from '@bullseye/api/spec';
import { formatErrors, specValidator, type SpecValidator, type ValidateFunction } from '../openapi-validator.js';
import { capText, compactTools, DEFAULT_MAX_RESULT_BYTES, findOperations, TOOL_MODES, type ToolMode } from './compact.js';

export type McpApi = ApiId;

const READ_ONLY_METHODS = new Set(['get', 'head', 'options']);

/**
 * Scopes served when `--scopes` is not given: those of `api` that grant only reads (every operation
 * they grant is a GET), e.g. `read` and `agency:read`.
 */
export function defaultScopes(api: McpApi, doc: OpenApiDocument = loadDocument()): string[] {
  const ops = listOperations(doc).filter((op) => op.api === api);
  return Object.keys(apis[api].scopes).filter((scope) => {
    const granted = grantedScopes(api, [scope]);
    return ops.every((op) => READ_ONLY_METHODS.has(op.method) || !op.scopes.some((s) => granted.has(s)));
  });
}

export interface McpServerOptions {
  api: McpApi;
  apiKey: string;
  /**
   * The key's scopes: an operation becomes a tool when they grant its scope (with what each scope
   * includes, e.g. `admin` → every base operation). Default: `defaultScopes(api)`.
   */
  scopes?: readonly string[];
  baseUrl?: string;
  /** How the operations are offered as tools (default `operations`). */
  tools?: ToolMode;
  /** A result text longer than this (UTF-8 bytes) is cut, with a `truncated: N of M bytes` note. */
  maxResultBytes?: number;
  /** For tests: the fetch the SDK client uses. */
  fetch?: FetchLike;
  /** For tests: the SDK client's retry settings. */
  retry?: Pick<ClientOptions, 'maxRetries' | 'retry' | 'timeoutMs'>;
}

interface ToolEntry {
  tool: Tool;
  operation: SpecOperation;
  /** Names of the arguments that are path and query parameters. */
  pathParams: string[];
  queryParams: string[];
  hasBody: boolean;
  validate: ValidateFunction;
}

const COMPONENT_SCHEMA = '#/components/schemas/';

/** A copy of `node` whose component `$ref`s point into `$defs`, collecting every schema they reach. */
function localise(doc: OpenApiDocument, node: unknown, defs: Record<string, unknown>): unknown {
  if (Array.isArray(node)) return node.map((n) => localise(doc, n, defs));
  if (!isObject(node)) return node;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === '$ref' && typeof v === 'string' && v.startsWith(COMPONENT_SCHEMA)) {
      const name = v.slice(COMPONENT_SCHEMA.length);
      out.$ref = `#/$defs/${name}`;
      if (!(name in defs)) {
        defs[name] = true; // placeholder: a recursive schema must not be walked twice
        defs[name] = localise(doc, resolve(doc, { $ref: v }), defs);
      }
    } else if (k === '$ref' && typeof v === 'string') {
      // Any other local reference (a parameter, a request body) is inlined.
      Object.assign(out, localise(doc, resolve(doc, { $ref: v }), defs));
    } else out[k] = localise(doc, v, defs);
  }
  return out;
}

function describe(op: SpecOperation): string {
  const o = op.op;
  const parts = [o.summary, o.description].filter((s): s is string => typeof s === 'string' && s.trim() !== '').map((s) => s.trim());
  parts.push(`HTTP: ${op.method.toUpperCase()} ${op.path}. Required scope: ${op.scopes.map((s) => `\`${s}\``).join(' or ') || 'none'}.`);
  return parts.join('\n\n');
}

function buildEntry(doc: OpenApiDocument, op: SpecOperation, validator: SpecValidator): ToolEntry {
  const defs: Record<string, unknown> = {};
  const properties: Record<string, object> = {};
  const required: string[] = [];
  const pathParams: string[] = [];
  const queryParams: string[] = [];
  for (const p of op.parameters) {
    const name = p.name as string;
    if (p.in !== 'path' && p.in !== 'query') continue; // headers carry the key: the SDK sets them
    (p.in === 'path' ? pathParams : queryParams).push(name);
    const schema = localise(doc, p.schema ?? {}, defs) as JsonObject;
    properties[name] = typeof p.description === 'string' ? { ...schema, description: p.description.trim() } : schema;
    if (p.required === true) required.push(name);
  }
  const body = op.op.requestBody === undefined ? undefined : resolve(doc, op.op.requestBody);
  const media = body && isObject(body.content) ? (body.content['application/json'] as JsonObject | undefined) : undefined;
  if (media) {
    const schema = localise(doc, media.schema ?? {}, defs) as JsonObject;
    properties.body = typeof body?.description === 'string' ? { ...schema, description: body.description.trim() } : schema;
    if (body?.required === true) required.push('body');
  }
  const inputSchema: Tool['inputSchema'] = { type: 'object', properties, additionalProperties: false };
  if (required.length) inputSchema.required = required;
  if (Object.keys(defs).length) inputSchema.$defs = defs;

  const method = op.method.toUpperCase();
  const tool: Tool = {
    name: op.operationId,
    title: typeof op.op.summary === 'string' ? op.op.summary : op.operationId,
    description: describe(op),
    inputSchema,
    annotations: {
      readOnlyHint: method === 'GET' || method === 'HEAD',
      destructiveHint: method === 'DELETE',
      idempotentHint: method !== 'POST' && method !== 'PATCH',
      openWorldHint: true,
    },
  };
  return { tool, operation: op, pathParams, queryParams, hasBody: media !== undefined, validate: validator.compile(inputSchema) };
}

/** The operations of `api` that `scopes` let the server offer as tools. Throws on a scope `api` does not know. */
export function servedOperations(api: McpApi, scopes: readonly string[] = defaultScopes(api), doc: OpenApiDocument = loadDocument()): SpecOperation[] {
  const unknown = unknownScopesMessage(api, scopes);
  if (unknown) throw new Error(unknown);
  return listOperations(doc).filter((op) => op.api === api && scopesAllow(api, scopes, op.scopes));
}

function toolError(text: string): CallToolResult {
  return { isError: true, content: [{ type: 'text', text }] };
}

/** What a call sends: path and query parameters and a body, already checked against the operation's schema. */
interface CallInput {
  params: { path: Record<string, unknown>; query: Record<string, unknown> };
  body?: unknown;
  signal: AbortSignal;
}

type Send = (op: SpecOperation, input: CallInput) => Promise<unknown>;

/**
 * The one place a call leaves: `request` of the SDK's client for the server's API, made with the
 * server's scopes, so the SDK checks the scope, the path parameters and the path itself before any
 * request, then retries, redacts and types the errors. The operation is chosen at run time, so its
 * literal path type cannot be: the method and path come from the operations table (an operation of
 * this API, see `servedOperations`) and the input passed Ajv's check of the tool's schema, which is
 * built from that operation's parameters and body, the run-time twin of the type the SDK computes.
 */
function sender<Paths, S extends string>(client: BullseyeClient<Paths, S>): Send {
  return (op, input) => unwrap(client.request(op.method as HttpMethod, op.path as never, input as never));
}

/** The MCP server for one API (not yet connected to a transport). */
export function createMcpServer(options: McpServerOptions): Server {
  const doc = loadDocument();
  const scopes = options.scopes ?? defaultScopes(options.api, doc);
  const mode = options.tools ?? 'operations';
  if (!TOOL_MODES.includes(mode)) throw new Error(`tools must be one of ${TOOL_MODES.join(', ')}`);
  const maxResultBytes = options.maxResultBytes ?? DEFAULT_MAX_RESULT_BYTES;
  if (!Number.isInteger(maxResultBytes) || maxResultBytes < 1000) throw new Error('maxResultBytes must be a whole number of at least 1000');
  const validator = specValidator(doc);
  const entries = new Map(servedOperations(options.api, scopes, doc).map((op) => [op.operationId, buildEntry(doc, op, validator)]));
  const all = new Map(listOperations(doc).filter((op) => op.api === options.api).map((op) => [op.operationId, op]));

  const clientOptions = { apiKey: options.apiKey, ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}), ...(options.fetch ? { fetch: options.fetch } : {}), ...options.retry };
  // Narrowed to the server's scopes: the SDK refuses, before any request, an operation they do not
  // grant, and an unknown scope name when the server starts.
  const send =
    options.api === 'partner'
      ? sender(createPartnerClient({ ...clientOptions, scopes: scopes as readonly PartnerScope[] }))
      : sender(createOrganizationClient({ ...clientOptions, scopes: scopes as readonly OrganizationScope[] }));
  // The SDK keeps the key out of its errors; this guards the one place text leaves the process.
  const scrub = (text: string): string => text.split(options.apiKey).join('[redacted]');
  // Compact JSON, cut at the cap: a huge list must not end the client's session.
  const reply = (value: unknown): CallToolResult => ({ content: [{ type: 'text', text: capText(scrub(value === undefined ? '(no content)' : JSON.stringify(value)), maxResultBytes) }] });

  // The high-level McpServer wants zod schemas; these tools have the spec's JSON Schemas, which the
  // protocol carries as they are, so the tool requests are answered here.
  const server = new Server(
    { name: `bullseye-${options.api}`, title: `Bullseye ${apis[options.api].name}`, version: SDK_VERSION },
    {
      capabilities: { tools: {} },
      instructions: `Tools for the Bullseye ${apis[options.api].name}, ${mode === 'operations' ? 'one per operation of its OpenAPI description' : 'find_operations, describe_operation and call_operation over the operations of its OpenAPI description'}. Serving the operations a key with the scopes ${scopes.map((s) => `\`${s}\``).join(', ')} may call (${[...grantedScopes(options.api, scopes)].map((s) => `\`${s}\``).join(', ')} with what they include).`,
    },
  );

  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: mode === 'operations' ? [...entries.values()].map((e) => e.tool) : compactTools(options.api === 'partner' ? 'Partner' : 'Organization') }));

  /** The served entry of `name`, or the protocol error a client gets for an operation it may not call. */
  const served = (name: string): ToolEntry => {
    const entry = entries.get(name);
    if (!entry) {
      const known = all.get(name);
      if (known) {
        const needed = known.scopes.map((s) => `\`${s}\``).join(' or ');
        throw new McpError(ErrorCode.InvalidParams, `${name} needs the ${needed} scope, which this server was not started with (bullseye mcp --scopes ${known.scopes[0] ?? ''})`);
      }
      throw new McpError(ErrorCode.InvalidParams, `Unknown ${mode === 'operations' ? 'tool' : 'operation'}: ${name}`);
    }
    return entry;
  };

  server.setRequestHandler(CallToolRequestSchema, async (request, extra): Promise<CallToolResult> => {
    const name = request.params.name;
    const args = request.params.arguments ?? {};
    if (mode === 'operations') return call(served(name), args, extra.signal);
    const operationId = typeof args.operationId === 'string' ? args.operationId : undefined;
    if (name === 'find_operations') return reply(findOperations([...entries.values()].map((e) => e.operation), args.query));
    if (name !== 'describe_operation' && name !== 'call_operation') {
      throw new McpError(ErrorCode.InvalidParams, `Unknown tool: ${name} (this server offers find_operations, describe_operation and call_operation)`);
    }
    if (!operationId) return toolError(`${name} needs an operationId (find one with find_operations)`);
    const entry = served(operationId);
    if (name === 'describe_operation') {
      const { method, path } = entry.operation;
      return reply({ operationId, method: method.toUpperCase(), path, description: entry.tool.description, inputSchema: entry.tool.inputSchema });
    }
    const given = args.arguments ?? {};
    if (!isObject(given)) return toolError('call_operation: arguments must be an object');
    return call(entry, given, extra.signal);
  });

  async function call(entry: ToolEntry, args: Record<string, unknown>, signal: AbortSignal): Promise<CallToolResult> {
    const name = entry.operation.operationId;
    if (!entry.validate(args)) {
      const problems = formatErrors(entry.validate.errors, '(arguments)');
      return toolError(`Invalid arguments for ${name}: ${problems.join('; ')}`);
    }
    const pick = (names: string[]): Record<string, unknown> => Object.fromEntries(names.filter((n) => args[n] !== undefined).map((n) => [n, args[n]]));
    // The handler's signal: a client's notifications/cancelled aborts the attempt and any retry wait.
    const init: CallInput = { params: { path: pick(entry.pathParams), query: pick(entry.queryParams) }, signal };
    if (entry.hasBody && args.body !== undefined) init.body = args.body;
    try {
      return reply(await send(entry.operation, init));
    } catch (err) {
      if (signal.aborted) return toolError(`${name} was cancelled`);
      if (err instanceof BullseyeError) {
        const envelope = { status: err.status, code: err.code, message: err.message, details: err.details };
        return toolError(capText(scrub(JSON.stringify(envelope)), maxResultBytes));
      }
      return toolError(scrub(`${name} failed: ${(err as Error).message}`));
    }
  }
  return server;
}

/**
 * Serves `createMcpServer(options)` on stdin/stdout until the client disconnects or stdin ends (the
 * client closed it or exited): either way the promise resolves and the process exits 0.
 */
export async function serveStdio(options: McpServerOptions): Promise<void> {
  const server = createMcpServer(options);
  const closed = new Promise<void>((resolve) => {
    server.onclose = () => resolve();
  });
  const stdinEnded = (): void => void server.close();
  process.stdin.once('end', stdinEnded).once('close', stdinEnded);
  await server.connect(new StdioServerTransport());
  await closed;
  process.stdin.off('end', stdinEnded).off('close', stdinEnded);
}
