// The compact tool mode of `bullseye mcp` (three tools that find, describe and call the operations,
// for clients that cap the number of tools), and the size cap of every tool result. Plain functions
// of the operations a server serves: the server (server.ts) wires them to the protocol.
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import type { SpecOperation } from '@bullseye/api/spec';

/** `operations`: one tool per operation. `compact`: find_operations, describe_operation, call_operation. */
export type ToolMode = 'operations' | 'compact';
export const TOOL_MODES: readonly ToolMode[] = ['operations', 'compact'];

/** Largest tool result text, in bytes of UTF-8, unless the server is told otherwise. */
export const DEFAULT_MAX_RESULT_BYTES = 100_000;

/**
 * `text` cut to at most `max` bytes of UTF-8 (never inside a character), followed by a note saying
 * how much was kept: a client's session survives a 14 MB list, and the model sees that it was cut.
 */
export function capText(text: string, max: number): string {
  const bytes = new TextEncoder().encode(text);
  if (bytes.byteLength <= max) return text;
  let end = max;
  // A UTF-8 continuation byte is 10xxxxxx: step back to the start of that character.
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  const kept = new TextDecoder().decode(bytes.subarray(0, end));
  return `${kept}\n[truncated: ${end} of ${bytes.byteLength} bytes; ask for less, e.g. a smaller page]`;
}

/** The three tools of the compact mode, for the API named `apiName` (`Partner`, `Organization`). */
export function compactTools(apiName: string): Tool[] {
  return [
    {
      name: 'find_operations',
      title: `Find ${apiName} API operations`,
      description: `Searches the operations of the Bullseye ${apiName} API this server may call. Every word of \`query\` must appear in the operationId, method, path, tag or summary; without a query, lists them all. Returns operationId, method, path, summary and scopes of each.`,
      inputSchema: { type: 'object', properties: { query: { type: 'string', description: 'words to look for, e.g. "list organizations" or "api-keys"' } }, additionalProperties: false },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    {
      name: 'describe_operation',
      title: 'Describe one operation',
      description: 'The description and input schema of one operation (by operationId): the `arguments` call_operation takes for it.',
      inputSchema: { type: 'object', properties: { operationId: { type: 'string' } }, required: ['operationId'], additionalProperties: false },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    {
      name: 'call_operation',
      title: 'Call one operation',
      description:
        'Calls one operation (by operationId) with `arguments` matching the input schema describe_operation gives: its path and query parameters by name, and `body` for the request body. Returns the response body as JSON.',
      inputSchema: {
        type: 'object',
        properties: { operationId: { type: 'string' }, arguments: { type: 'object', description: 'path and query parameters by name, and body' } },
        required: ['operationId'],
        additionalProperties: false,
      },
      annotations: { readOnlyHint: false, destructiveHint: true, openWorldHint: true },
    },
  ];
}

/** What find_operations answers: the served operations whose text holds every word of `query`. */
export function findOperations(served: readonly SpecOperation[], query: unknown): { operationId: string; method: string; path: string; summary: unknown; scopes: string[] }[] {
  const words = typeof query === 'string' ? query.toLowerCase().split(/\s+/).filter(Boolean) : [];
  return served
    .filter((op) => {
      const text = [op.operationId, op.method, op.path, op.op.summary, ...((op.op.tags as string[] | undefined) ?? [])].join(' ').toLowerCase();
      return words.every((w) => text.includes(w));
    })
    .map((op) => ({ operationId: op.operationId, method: op.method.toUpperCase(), path: op.path, summary: op.op.summary, scopes: op.scopes }));
}
