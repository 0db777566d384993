// `bullseye sandbox …` (the CLI package calls runSandboxCli with the words after `sandbox`):
//   [serve] [--port N] [--host H] [--data FILE] [--seed FILE] [--strict] [--org-webhook URL] [--rate-limit N]
//   identify <organizationId> [--email E] [--first-name F] [--last-name L] [--company-domain D] [--url URL]
//   reset [--url URL]
//   clock advance <duration> [--url URL]        (duration: 90s, 15m, 2h, 30d)
// Serving prints the URL, the seeded keys and where the data lives, and runs until SIGINT/SIGTERM
// (or `signal` aborts). The other commands talk to a running sandbox (default http://127.0.0.1:4010).
import { parseArgs } from 'node:util';
import { apis } from '@bullseye/api';
import { DataFileError } from './file.js';
import { startSandboxServer } from './server.js';
import { SEEDED_KEYS, SEEDED_WEBHOOK_SECRETS } from './store.js';

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  /** Stops a serving sandbox (in addition to SIGINT/SIGTERM). */
  signal?: AbortSignal;
  /** Called once the server listens (tests read the URL from here). */
  onListening?(url: string): void;
}

const defaultIo: CliIo = { out: (l) => console.log(l), err: (l) => console.error(l) };

const USAGE = `usage: bullseye sandbox [serve] [--port N] [--host H] [--data FILE] [--seed FILE] [--strict] [--org-webhook URL] [--rate-limit N]
       bullseye sandbox identify <organizationId> [--email E] [--first-name F] [--last-name L] [--company-domain D] [--url URL]
       bullseye sandbox reset [--url URL]
       bullseye sandbox clock advance <duration> [--url URL]`;

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

async function control(io: CliIo, base: string, method: string, path: string, body?: unknown): Promise<number> {
  let res: Response;
  try {
    res = await fetch(new URL(`/_sandbox${path}`, base), { method, headers: { 'Content-Type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  } catch (err) {
    io.err(`✖ no sandbox answers at ${base} (${(err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message}); start one with: bullseye sandbox`);
    return 1;
  }
  const text = await res.text();
  if (!res.ok) {
    let message = text;
    try {
      message = (JSON.parse(text) as { message?: string }).message ?? text;
    } catch {
      /* not JSON */
    }
    io.err(`✖ ${res.status}: ${message}`);
    return 1;
  }
  io.out(text);
  return 0;
}

export async function runSandboxCli(argv: readonly string[], io: CliIo = defaultIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        data: { type: 'string' },
        seed: { type: 'string' },
        strict: { type: 'boolean' },
        'org-webhook': { type: 'string' },
        'rate-limit': { type: 'string' },
        url: { type: 'string' },
        email: { type: 'string' },
        'first-name': { type: 'string' },
        'last-name': { type: 'string' },
        'company-domain': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    io.err(`✖ ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values: v, positionals: pos } = parsed;
  if (v.help) {
    io.out(USAGE);
    return 0;
  }
  const base = v.url ?? 'http://127.0.0.1:4010';
  const command = pos[0] ?? 'serve';
  if (command === 'reset') return control(io, base, 'POST', '/reset');
  if (command === 'clock') {
    if (pos[1] !== 'advance' || !pos[2]) {
      io.err(`✖ clock needs: clock advance <duration>\n${USAGE}`);
      return 2;
    }
    return control(io, base, 'POST', '/clock/advance', { by: pos[2] });
  }
  if (command === 'identify') {
    if (!pos[1]) {
      io.err(`✖ identify needs an organization id\n${USAGE}`);
      return 2;
    }
    const visitor: Record<string, string> = {};
    if (v.email) visitor.email = v.email;
    if (v['first-name']) visitor.firstName = v['first-name'];
    if (v['last-name']) visitor.lastName = v['last-name'];
    if (v['company-domain']) visitor.companyDomain = v['company-domain'];
    return control(io, base, 'POST', `/organizations/${encodeURIComponent(pos[1])}/identify`, visitor);
  }
  if (command !== 'serve') {
    io.err(`✖ unknown command "${command}"\n${USAGE}`);
    return 2;
  }

  const port = v.port === undefined ? 4010 : Number(v.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    io.err(`✖ --port must be a port number between 0 and 65535, got "${v.port}"`);
    return 2;
  }
  let rateLimit: { limit: number; enforce: boolean } | undefined;
  if (v['rate-limit'] !== undefined) {
    const n = Number(v['rate-limit']);
    if (!Number.isInteger(n) || n < 1) {
      io.err(`✖ --rate-limit must be a whole number of requests a minute, got "${v['rate-limit']}"`);
      return 2;
    }
    rateLimit = { limit: n, enforce: true };
  }
  const host = v.host ?? '127.0.0.1';
  if (!LOOPBACK.has(host)) io.err(`⚠ listening on ${host}: other machines can reach this sandbox and use its published seeded keys`);
  let server;
  try {
    server = await startSandboxServer({
      port,
      host,
      strict: v.strict === true,
      ...(v.data ? { dataFile: v.data } : {}),
      ...(v.seed ? { seedFile: v.seed } : {}),
      ...(v['org-webhook'] ? { orgWebhookUrl: v['org-webhook'] } : {}),
      ...(rateLimit ? { rateLimit } : {}),
    });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'EADDRINUSE') io.err(`✖ ${host}:${port} is already in use: stop what uses it, or pass --port`);
    else if (err instanceof DataFileError) io.err(`✖ ${err.message}`);
    else io.err(`✖ the sandbox could not start: ${e.message}`);
    return 1;
  }
  for (const line of sandboxBanner(server.url, v.data)) io.out(line);
  io.onListening?.(server.url);
  let watch: NodeJS.Timeout | undefined;
  await new Promise<void>((resolve) => {
    const stop = (): void => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    io.signal?.addEventListener('abort', stop, { once: true });
    // npx (npm exec) does not pass a SIGTERM on to the command it runs: stopping
    // `npx @bullseye/cli sandbox` by its process id would leave the sandbox running and holding its
    // port. Started by npm, the sandbox stops when the process that started it is gone.
    if (process.env.npm_command === 'exec') {
      const parent = process.ppid;
      watch = setInterval(() => {
        if (process.ppid !== parent) stop();
      }, 250);
      watch.unref();
    }
  });
  clearInterval(watch);
  io.out('stopping ...');
  await server.close();
  return 0;
}

/** What a started sandbox prints: where it is, the keys that work, where its data lives. */
export function sandboxBanner(url: string, dataFile: string | undefined): string[] {
  return [
    `  Sandbox (both APIs, stateful):  ${url}`,
    `    try: curl -H "${apis.partner.keyHeader}: ${SEEDED_KEYS.partner}" ${url}/partner/me`,
    '    seeded keys (fake, fixed, the same in every sandbox; see the README of @bullseye/sandbox):',
    `      Partner API (full access):          ${SEEDED_KEYS.partner}`,
    `      Organization API, read:             ${SEEDED_KEYS.organization.read}`,
    `      Organization API, read + write:     ${SEEDED_KEYS.organization.readWrite}`,
    `      Organization API, admin:            ${SEEDED_KEYS.organization.admin}`,
    `      Organization API, agency:           ${SEEDED_KEYS.organization.agency}`,
    `    organization webhook secret (fake):   ${SEEDED_WEBHOOK_SECRETS.organization}`,
    `    data: ${dataFile ? `${dataFile} (kept across restarts)` : 'in memory (lost on exit; --data FILE keeps it)'}`,
    `    controls: ${url}/_sandbox/… (reset, clock, identify, organization webhook)`,
  ];
}
