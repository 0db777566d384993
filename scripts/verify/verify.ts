// npm run verify -- --base-url URL [--write] [--report FILE] [--timeout SECONDS] [--spec FILE]
// Calls every read-only operation of each API whose key is set (the environment variable of each
// API in generated/apis.ts), built from the spec's own examples, and checks status, headers and body against
// the bundled spec; `--write` also sends the creating, changing and deleting operations. Prints a
// table and writes a Markdown drift report. Exit 0: no drift; 1: drift or unanswered requests;
// 2: bad arguments, no key, or the server cannot be reached. No key and no response value is ever
// printed or written: drifts name the operation, a JSON pointer and the rule that failed.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { apis } from '../../generated/apis.js';
import { buildRequest, checkResponse, specOperations, specValidator, type Drift, type JsonObject, type SpecOperation } from '../lib/contract-check.js';
import { root } from '../lib/steps.js';

const USAGE = `usage: npm run verify -- --base-url <url> [--write] [--report <file.md>] [--timeout <seconds>] [--spec <openapi.json>]
  --base-url  the server to check, including the API prefix (e.g. https://api.app.bullseye.so/api/v1)
  --write     also send the operations that create, change or delete data, with the spec's example
              bodies and ids (off by default; against production this changes real data)
  --report    where to write the Markdown drift report (default: verify-report.md)
  --timeout   seconds to wait for each answer, from 0.1 to 300 (default: 15)
  --spec      the bundled spec to check against (default: generated/openapi.json)
Keys come from the environment: ${Object.values(apis).map((a) => `${a.envVar} (${a.name})`).join(' and ')}.
Only the APIs whose key is set are checked. Each answer is read up to 16 MiB.`;

/** Bytes read of one answer at most: a larger one is reported, not read into memory. */
export const MAX_RESPONSE_BYTES = 16 * 1024 * 1024;
const TIMEOUT_RANGE = { min: 0.1, max: 300 };

/** Which environment variable holds the key for each key header (lower case), and what the API is called. */
const APIS: Record<string, { env: string; label: string }> = Object.fromEntries(Object.values(apis).map((a) => [a.keyHeader.toLowerCase(), { env: a.envVar, label: a.name }]));

class UsageError extends Error {}
class UnreachableError extends Error {}

export interface VerifyOptions {
  baseUrl: URL;
  write: boolean;
  report: string;
  timeoutMs: number;
  spec: string;
  /** Key header (lower case) → key. */
  keys: Map<string, string>;
  /** Bytes read of one answer at most (default MAX_RESPONSE_BYTES). */
  maxResponseBytes?: number;
}

type Outcome = 'ok' | 'drift' | 'error status' | 'skipped' | 'no answer';

export interface OperationResult {
  api: string;
  operationId: string;
  request: string;
  status?: number;
  outcome: Outcome;
  note?: string;
  drifts: Drift[];
}

export function parseOptions(argv: string[], env: NodeJS.ProcessEnv): VerifyOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        'base-url': { type: 'string' },
        write: { type: 'boolean', default: false },
        report: { type: 'string', default: 'verify-report.md' },
        timeout: { type: 'string', default: '15' },
        spec: { type: 'string', default: path.join(root, 'generated', 'openapi.json') },
        help: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  if (values.help) throw new UsageError('');
  const raw = values['base-url'];
  if (!raw) throw new UsageError('--base-url is required');
  let baseUrl: URL;
  try {
    baseUrl = new URL(raw);
  } catch {
    throw new UsageError(`--base-url must be an absolute http(s) URL, got "${raw}"`);
  }
  if (baseUrl.protocol !== 'http:' && baseUrl.protocol !== 'https:') throw new UsageError(`--base-url must be an http(s) URL, got a ${baseUrl.protocol} URL`);
  if (baseUrl.username || baseUrl.password || baseUrl.search) throw new UsageError('--base-url must not carry credentials or a query string; keys come from the environment');
  const timeout = Number(values.timeout);
  if (!(timeout >= TIMEOUT_RANGE.min && timeout <= TIMEOUT_RANGE.max)) {
    throw new UsageError(`--timeout must be a number of seconds from ${TIMEOUT_RANGE.min} to ${TIMEOUT_RANGE.max}, got "${values.timeout.slice(0, 40)}"`);
  }
  const keys = new Map<string, string>();
  for (const [header, api] of Object.entries(APIS)) {
    const key = env[api.env]?.trim();
    if (key) keys.set(header, key);
  }
  if (!keys.size) throw new UsageError(`no API key: set ${Object.values(APIS).map((a) => a.env).join(' and/or ')} (only the APIs whose key is set are checked)`);
  return { baseUrl, write: values.write, report: values.report, timeoutMs: timeout * 1000, spec: values.spec, keys };
}

/** The base URL as it may be shown: scheme, host and path only. */
const shownBase = (u: URL): string => `${u.origin}${u.pathname.replace(/\/$/, '')}`;

function loadSpec(file: string): JsonObject {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as JsonObject;
  } catch (err) {
    throw new UsageError(`cannot read the spec ${file}: ${err instanceof Error ? err.message : String(err)} (run npm run generate)`);
  }
}

/**
 * The error code of a failed request (ECONNRESET, HPE_INVALID_HEADER_TOKEN …), never its message:
 * a parser's message can quote the bytes the server sent.
 */
function networkCode(err: unknown): string {
  const cause = (err as { cause?: { code?: unknown } }).cause;
  const code = cause?.code ?? (err as { code?: unknown }).code;
  return typeof code === 'string' && /^[A-Z0-9_]{2,60}$/.test(code) ? code : 'network error';
}

/** Connection failures that mean the server as a whole cannot be reached (not one bad answer). */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT', 'CERT_HAS_EXPIRED', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'ERR_TLS_CERT_ALTNAME_INVALID']);

class TooLargeError extends Error {}

/** The body as text, read up to `max` bytes; past that the rest is cancelled. */
async function readCapped(res: Response, max: number): Promise<string> {
  if (!res.body) return '';
  if (Number(res.headers.get('content-length')) > max) {
    await res.body.cancel().catch(() => {});
    throw new TooLargeError();
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => {});
      throw new TooLargeError();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function verify(opts: VerifyOptions, doc: JsonObject): Promise<OperationResult[]> {
  const validator = specValidator(doc);
  const base = shownBase(opts.baseUrl);
  const results: OperationResult[] = [];
  const selected = specOperations(doc).filter((op): op is SpecOperation & { keyHeader: string } => !!op.keyHeader && opts.keys.has(op.keyHeader.toLowerCase()));
  for (const op of selected) {
    const header = op.keyHeader.toLowerCase();
    const api = APIS[header]?.label ?? op.keyHeader;
    const request = `${op.method.toUpperCase()} ${op.path}`;
    const result: OperationResult = { api, operationId: op.operationId, request, outcome: 'skipped', drifts: [] };
    results.push(result);
    if (!op.readOnly && !opts.write) {
      result.note = 'changes data: run with --write to include it';
      continue;
    }
    const built = buildRequest(doc, op);
    if (typeof built === 'string') {
      result.note = `cannot build a request: ${built}`;
      continue;
    }
    let res: Response;
    let text: string;
    try {
      res = await fetch(`${base}${built.target}`, {
        method: op.method.toUpperCase(),
        headers: { ...built.headers, [op.keyHeader]: opts.keys.get(header)! },
        ...(built.body !== undefined ? { body: built.body } : {}),
        // Never follow a redirect: the key would go along to wherever it points.
        redirect: 'manual',
        signal: AbortSignal.timeout(opts.timeoutMs),
      });
      text = await readCapped(res, opts.maxResponseBytes ?? MAX_RESPONSE_BYTES);
    } catch (err) {
      const name = (err as { name?: string }).name;
      result.outcome = 'no answer';
      if (err instanceof TooLargeError) {
        result.note = `answer larger than ${opts.maxResponseBytes ?? MAX_RESPONSE_BYTES} bytes: not read further, not checked`;
        continue;
      }
      if (name === 'TimeoutError' || name === 'AbortError') {
        result.note = `no answer within ${opts.timeoutMs / 1000} s`;
        continue;
      }
      const code = networkCode(err);
      // Nothing answers at all: one line for the whole run. One broken answer: this operation only.
      if (UNREACHABLE.has(code) && !results.some((r) => r.status !== undefined)) throw new UnreachableError(`cannot reach ${opts.baseUrl.origin}: ${code}`);
      result.note = `network error: ${code}`;
      continue;
    }
    result.status = res.status;
    result.drifts = checkResponse(doc, validator, op, { status: res.status, headers: res.headers, text });
    if (result.drifts.length) result.outcome = 'drift';
    else if (res.status >= 400) {
      result.outcome = 'error status';
      result.note = res.status === 401 || res.status === 403 ? 'documented error: is the key valid, with the scope this operation needs?' : 'documented error status; the success response was not checked';
    } else result.outcome = 'ok';
  }
  return results;
}

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function markdownReport(results: OperationResult[], opts: VerifyOptions, doc: JsonObject, date = new Date()): string {
  const info = (doc.info ?? {}) as { title?: string; version?: string };
  const apis = [...new Set(results.map((r) => r.api))];
  const counts = new Map<Outcome, number>();
  for (const r of results) counts.set(r.outcome, (counts.get(r.outcome) ?? 0) + 1);
  const lines = [
    '# Contract drift report',
    '',
    `- Server: ${shownBase(opts.baseUrl)}`,
    `- Spec: ${info.title ?? 'OpenAPI document'} ${info.version ?? ''}`.trimEnd(),
    `- APIs checked: ${apis.join(', ') || 'none'}`,
    `- Operations sent: ${opts.write ? 'all (--write)' : 'read-only'}`,
    `- Date: ${date.toISOString()}`,
    '',
    '## Summary',
    '',
    '| result | operations |',
    '| --- | --- |',
    ...(['ok', 'drift', 'error status', 'no answer', 'skipped'] as const).filter((o) => counts.has(o)).map((o) => `| ${o} | ${counts.get(o)} |`),
    '',
    '## Drift',
    '',
  ];
  const drifts = results.flatMap((r) => r.drifts.map((d) => ({ r, d })));
  if (!drifts.length) lines.push('No drift: every answer matched the spec.');
  else {
    lines.push('| operation | request | status | part | pointer | what differed |', '| --- | --- | --- | --- | --- | --- |');
    for (const { r, d } of drifts) {
      lines.push(`| ${cell(r.operationId)} | ${cell(r.request)} | ${r.status ?? ''} | ${d.part} | ${d.pointer ? `\`${cell(d.pointer)}\`` : ''} | ${cell(d.message)} |`);
    }
  }
  lines.push('', '## Operations', '', '| API | operation | request | status | result | note |', '| --- | --- | --- | --- | --- | --- |');
  for (const r of results) lines.push(`| ${r.api} | ${cell(r.operationId)} | ${cell(r.request)} | ${r.status ?? ''} | ${r.outcome} | ${cell(r.note ?? '')} |`);
  return `${lines.join('\n')}\n`;
}

/**
 * What is printed or written: the keys replaced (a pointer can hold a property name the server
 * chose, and a reflecting server could choose a key) and control characters dropped.
 */
function cleaner(keys: Iterable<string>): (s: string) => string {
  const list = [...keys].filter((k) => k.length >= 4);
  return (s) => list.reduce((acc, key) => acc.split(key).join('***'), s).replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '');
}

/** Where the command prints: the console, or a test's collector (the tests run it in-process). */
export interface Output {
  log(line: string): void;
  error(line: string): void;
}

function printTable(results: OperationResult[], clean: (s: string) => string, out: Output): void {
  const rows = results.map((r) => [r.api, r.operationId, r.request, r.status === undefined ? '' : String(r.status), r.drifts.length ? `drift (${r.drifts.length})` : r.outcome]);
  const head = ['API', 'operation', 'request', 'status', 'result'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cols: string[]): string => cols.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  out.log(line(head));
  out.log(line(widths.map((w) => '-'.repeat(w))));
  for (const row of rows) out.log(clean(line(row)));
  for (const r of results) for (const d of r.drifts) out.log(clean(`  ✖ ${r.operationId}: ${d.part}${d.pointer ? ` ${d.pointer}` : ''}: ${d.message}`));
}

/** The command: arguments and environment in, exit code out (0 no drift, 1 drift, 2 cannot check). */
export async function main(argv: string[], env: NodeJS.ProcessEnv, out: Output = console): Promise<number> {
  let opts: VerifyOptions;
  try {
    opts = parseOptions(argv, env);
  } catch (err) {
    if (err instanceof UsageError) {
      if (err.message) out.error(`✖ ${err.message}\n`);
      out.error(USAGE);
      return err.message ? 2 : 0;
    }
    throw err;
  }
  const redact = cleaner(opts.keys.values());
  try {
    const doc = loadSpec(opts.spec);
    const apis = [...opts.keys.keys()].map((h) => APIS[h]!.label).join(' and ');
    out.log(`Checking the ${apis} at ${shownBase(opts.baseUrl)} against ${path.relative(process.cwd(), opts.spec) || opts.spec} (${opts.write ? 'all operations' : 'read-only operations'})\n`);
    const results = await verify(opts, doc);
    printTable(results, redact, out);
    writeFileSync(opts.report, redact(markdownReport(results, opts, doc)));
    const drifted = results.filter((r) => r.outcome === 'drift').length;
    const unanswered = results.filter((r) => r.outcome === 'no answer').length;
    const checked = results.filter((r) => r.outcome !== 'skipped').length;
    const succeeded = results.filter((r) => r.status !== undefined && r.status < 300).length;
    out.log(`\n${checked} operations checked: ${drifted} with drift, ${unanswered} unanswered, ${results.length - checked} skipped. Report: ${opts.report}`);
    if (checked && !succeeded) out.log('✖ no operation answered with a success status, so no success response was checked: is the key valid?');
    return drifted || unanswered || (checked && !succeeded) ? 1 : 0;
  } catch (err) {
    if (err instanceof UsageError || err instanceof UnreachableError) {
      out.error(`✖ ${redact(err.message)}`);
      return 2;
    }
    out.error(`✖ ${redact(err instanceof Error ? err.message : String(err))}`);
    return 2;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exitCode = await main(process.argv.slice(2), process.env);
