// `bullseye mcp`: a Model Context Protocol server with one tool per operation of one API, built from
// the bundled spec (name = operationId, description and input schema from the operation). Calls go
// through the SDK's client, so retries, typed errors and key redaction are the SDK's own.
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { CallToolRequestSchema, ErrorCode, ListToolsRequestSchema, McpError, type CallToolResult, type Tool } from '@modelcontextprotocol/sdk/types.js';
import { apis, BullseyeError, createOrganizationClient, createPartnerClient, grantedScopes, scopesAllow, SDK_VERSION, unknownScopesMessage, unwrap, type ApiId, type FetchLike } from '../index.js';
import { isObject, listOperations, loadDocument, resolve, type JsonObject, type OpenApiDocument, type SpecOperation } from '../openapi-document.js';
import { formatErrors, specValidator, type SpecValidator, type ValidateFunction } from '../openapi-validator.js';

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
  /** For tests: the fetch the SDK client uses. */
  fetch?: FetchLike;
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

/** The MCP server for one API (not yet connected to a transport). */
export function createMcpServer(options: McpServerOptions): Server {
  const doc = loadDocument();
  const scopes = options.scopes ?? defaultScopes(options.api, doc);
  const validator = specValidator(doc);
  const entries = new Map(servedOperations(options.api, scopes, doc).map((op) => [op.operationId, buildEntry(doc, op, validator)]));
  const all = new Map(listOperations(doc).filter((op) => op.api === options.api).map((op) => [op.operationId, op]));

  const clientOptions = { apiKey: options.apiKey, ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}), ...(options.fetch ? { fetch: options.fetch } : {}) };
  // The client holds the same scopes, so a call outside them is refused before it is sent.
  const client = options.api === 'partner' ? createPartnerClient({ ...clientOptions, scopes: scopes as never }) : createOrganizationClient({ ...clientOptions, scopes: scopes as never });
  // The SDK keeps the key out of its errors; this guards the one place text leaves the process.
  const scrub = (text: string): string => text.split(options.apiKey).join('[redacted]');

  // The high-level McpServer wants zod schemas; these tools have the spec's JSON Schemas, which the
  // protocol carries as they are, so the tool requests are answered here.
  const server = new Server(
    { name: `bullseye-${options.api}`, title: `Bullseye ${apis[options.api].name}`, version: SDK_VERSION },
    {
      capabilities: { tools: {} },
      instructions: `Tools for the Bullseye ${apis[options.api].name}, one per operation of its OpenAPI description. Serving the operations a key with the scopes ${scopes.map((s) => `\`${s}\``).join(', ')} may call (${[...grantedScopes(options.api, scopes)].map((s) => `\`${s}\``).join(', ')} with what they include).`,
    },
  );

  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: [...entries.values()].map((e) => e.tool) }));

  server.setRequestHandler(CallToolRequestSchema, async (request): Promise<CallToolResult> => {
    const name = request.params.name;
    const entry = entries.get(name);
    if (!entry) {
      const known = all.get(name);
      if (known) {
        const needed = known.scopes.map((s) => `\`${s}\``).join(' or ');
        throw new McpError(ErrorCode.InvalidParams, `${name} needs the ${needed} scope, which this server was not started with (bullseye mcp --scopes ${known.scopes[0] ?? ''})`);
      }
      throw new McpError(ErrorCode.InvalidParams, `Unknown tool: ${name}`);
    }
    const args = request.params.arguments ?? {};
    if (!entry.validate(args)) {
      const problems = formatErrors(entry.validate.errors, '(arguments)');
      return toolError(`Invalid arguments for ${name}: ${problems.join('; ')}`);
    }
    const pick = (names: string[]): Record<string, unknown> => Object.fromEntries(names.filter((n) => args[n] !== undefined).map((n) => [n, args[n]]));
    const init: Record<string, unknown> = { params: { path: pick(entry.pathParams), query: pick(entry.queryParams) } };
    if (entry.hasBody && args.body !== undefined) init.body = args.body;
    const { method, path } = entry.operation;
    try {
      const request = client.request as unknown as (m: string, p: string, i: unknown) => Promise<{ data?: unknown; error?: unknown; response: Response }>;
      const data = await unwrap(request(method.toUpperCase(), path, init));
      return { content: [{ type: 'text', text: scrub(data === undefined ? '(no content)' : JSON.stringify(data, null, 2)) }] };
    } catch (err) {
      if (err instanceof BullseyeError) {
        const envelope = { status: err.status, code: err.code, message: err.message, details: err.details };
        return toolError(scrub(JSON.stringify(envelope, null, 2)));
      }
      return toolError(scrub(`${name} failed: ${(err as Error).message}`));
    }
  });
  return server;
}

/** Serves `createMcpServer(options)` on stdin/stdout until the client disconnects. */
export async function serveStdio(options: McpServerOptions): Promise<void> {
  const server = createMcpServer(options);
  const closed = new Promise<void>((resolve) => {
    server.onclose = () => resolve();
  });
  await server.connect(new StdioServerTransport());
  await closed;
}
