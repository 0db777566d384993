// `bullseye webhooks trigger|verify|list` against a receiver on 127.0.0.1 port 0: deliveries are the
// spec's examples (or a validated payload file), signed so the SDK verifies them; every failure is
// one line and a non-zero exit; the secret never appears in the output.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { run } from '../../packages/cli/src/cli/program.js';
import type { Io } from '../../packages/cli/src/cli/io.js';
import { constructWebhookEvent, signWebhookPayload, WEBHOOK_SIGNATURE_HEADER } from '../../src/index.js';
import { loadSpec } from '../support/spec.js';

const root = path.resolve(import.meta.dirname, '..', '..');
const SECRET = 'whsec_cli_test_secret_4f1c';
const doc = loadSpec();
const webhooks = doc.webhooks as Record<string, { post: { requestBody: { content: Record<string, { examples: Record<string, { value: unknown }> }> } } }>;
const exampleOf = (name: string): unknown => Object.values(webhooks[name]!.post.requestBody.content['application/json']!.examples)[0]!.value;

interface Received {
  body: string;
  signature: string | undefined;
  contentType: string | undefined;
}

let server: Server;
let url: string;
let received: Received[] = [];
let answer = 200;

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        body: Buffer.concat(chunks).toString('utf8'),
        signature: req.headers['x-bullseye-signature'] as string | undefined,
        contentType: req.headers['content-type'],
      });
      res.writeHead(answer).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

beforeEach(() => {
  received = [];
  answer = 200;
});

function io(stdin = ''): Io & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    out: (l) => stdout.push(l),
    err: (l) => stderr.push(l),
    stdin: async () => new TextEncoder().encode(stdin),
  };
}

describe('bullseye webhooks trigger', () => {
  it.each(Object.keys(webhooks))("delivers %s's example, signed so the SDK accepts it", async (name) => {
    const out = io();
    expect(await run(['webhooks', 'trigger', name, '--to', url, '--secret', SECRET], out)).toBe(0);
    expect(received).toHaveLength(1);
    const delivery = received[0]!;
    expect(delivery.contentType).toBe('application/json');
    expect(await constructWebhookEvent(delivery.body, delivery.signature, SECRET)).toEqual(exampleOf(name));
    expect(out.stdout).toHaveLength(1);
    expect(out.stdout[0]).toMatch(new RegExp(`^${name.replace('.', '\\.')} → ${url}: 200 OK in \\d+ ms$`));
    expect(out.stderr).toEqual([]);
  });

  it('--repeat sends the very same delivery again', async () => {
    const out = io();
    expect(await run(['webhooks', 'trigger', 'visitor.identified', '--to', url, '--secret', SECRET, '--repeat', '3'], out)).toBe(0);
    expect(received).toHaveLength(3);
    expect(new Set(received.map((r) => r.body)).size).toBe(1);
    expect(new Set(received.map((r) => r.signature)).size).toBe(1);
    expect(out.stdout.map((l) => /\((\d)\/3\)$/.exec(l)?.[1])).toEqual(['1', '2', '3']);
  });

  it('sends a payload file after validating it against the event schema', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'bullseye-cli-'));
    try {
      const good = { ...(exampleOf('partner.billing') as object) };
      const file = path.join(dir, 'good.json');
      await writeFile(file, JSON.stringify(good));
      expect(await run(['webhooks', 'trigger', 'partner.billing', '--to', url, '--secret', SECRET, '--payload', file], io())).toBe(0);
      expect(JSON.parse(received[0]!.body)).toEqual(good);

      const bad = path.join(dir, 'bad.json');
      await writeFile(bad, JSON.stringify({ ...good, event: 42 }));
      const out = io();
      expect(await run(['webhooks', 'trigger', 'partner.billing', '--to', url, '--secret', SECRET, '--payload', bad], out)).toBe(1);
      expect(out.stderr).toHaveLength(1);
      expect(out.stderr[0]).toMatch(/^bullseye: the payload in .*bad\.json is not a valid partner\.billing event: \/event /);

      const notJson = path.join(dir, 'broken.json');
      await writeFile(notJson, '{ "event": ');
      const out2 = io();
      expect(await run(['webhooks', 'trigger', 'partner.billing', '--to', url, '--secret', SECRET, '--payload', notJson], out2)).toBe(1);
      expect(out2.stderr).toEqual([`bullseye: the payload file ${notJson} is not valid JSON`]);
      expect(received).toHaveLength(1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('rejects an unknown event, a missing payload file and a bad URL in one line each, sending nothing', async () => {
    const cases: [string[], RegExp][] = [
      [['webhooks', 'trigger', 'visitor.created', '--to', url, '--secret', SECRET], /^bullseye: unknown webhook "visitor\.created": the spec declares visitor\.identified, /],
      [['webhooks', 'trigger', 'visitor.identified', '--to', url, '--secret', SECRET, '--payload', '/nonexistent/p.json'], /^bullseye: cannot read the payload file \/nonexistent\/p\.json: ENOENT$/],
      [['webhooks', 'trigger', 'visitor.identified', '--to', 'ftp://example.test/x', '--secret', SECRET], /^bullseye: --to must be an http\(s\) URL/],
      [['webhooks', 'trigger', 'visitor.identified', '--to', url, '--secret', SECRET, '--repeat', '0'], /--repeat <n>' argument '0' is invalid/],
    ];
    for (const [args, message] of cases) {
      const out = io();
      expect(await run(args, out), args.join(' ')).not.toBe(0);
      expect(out.stderr[0]).toMatch(message);
      expect(out.stderr.join('\n')).not.toContain(SECRET);
    }
    expect(received).toEqual([]);
  });

  it('reports an unreachable receiver in one line and exits 1', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const out = io();
    expect(await run(['webhooks', 'trigger', 'visitor.identified', '--to', `http://127.0.0.1:${port}/`, '--secret', SECRET], out)).toBe(1);
    expect(out.stderr).toEqual([`bullseye: could not deliver visitor.identified to http://127.0.0.1:${port}/: ECONNREFUSED`]);
  });

  it('prints the status of a receiver that refuses the delivery and exits 1', async () => {
    answer = 400;
    const out = io();
    expect(await run(['webhooks', 'trigger', 'visitor.identified', '--to', url, '--secret', SECRET, '--repeat', '2'], out)).toBe(1);
    expect(out.stdout.every((l) => l.includes(': 400 Bad Request in '))).toBe(true);
    expect(out.stderr).toEqual(['2 of 2 deliveries were not acknowledged with a 2xx']);
  });

  it('never prints the secret', async () => {
    const out = io();
    await run(['webhooks', 'trigger', 'visitor.identified', '--to', url, '--secret', SECRET, '--repeat', '2'], out);
    expect([...out.stdout, ...out.stderr].join('\n')).not.toContain(SECRET);
  });
});

describe('bullseye webhooks verify', () => {
  it('accepts the signature of the raw body and rejects any other', async () => {
    const signed = await signWebhookPayload(exampleOf('visitor.identified') as object, SECRET);
    const ok = io(signed.body);
    expect(await run(['webhooks', 'verify', '--secret', SECRET, '--signature', signed.signature], ok)).toBe(0);
    expect(ok.stdout).toEqual([`valid: the ${WEBHOOK_SIGNATURE_HEADER} matches the ${Buffer.byteLength(signed.body)}-byte body`]);

    const tampered = io(`${signed.body} `);
    expect(await run(['webhooks', 'verify', '--secret', SECRET, '--signature', signed.signature], tampered)).toBe(1);
    expect(tampered.stderr).toHaveLength(1);
    expect(tampered.stderr[0]).toMatch(/^invalid: /);

    const wrongSecret = io(signed.body);
    expect(await run(['webhooks', 'verify', '--secret', 'another', '--signature', signed.signature], wrongSecret)).toBe(1);

    const malformed = io(signed.body);
    expect(await run(['webhooks', 'verify', '--secret', SECRET, '--signature', 'xyz'], malformed)).toBe(1);
    expect(malformed.stderr[0]).toMatch(/64 hexadecimal characters/);
    expect([...ok.stdout, ...tampered.stderr, ...malformed.stderr].join('\n')).not.toContain(SECRET);
  });
});

describe('bullseye --help', () => {
  it('documents every command', async () => {
    for (const args of [[], ['webhooks'], ['webhooks', 'trigger'], ['webhooks', 'verify'], ['webhooks', 'list'], ['mcp']]) {
      const out = io();
      expect(await run([...args, '--help'], out), args.join(' ')).toBe(0);
      const text = out.stdout.join('\n');
      expect(text).toMatch(new RegExp(`^Usage: bullseye${args.length ? ` ${args.join(' ')}` : ''} `));
      expect(text).toContain('--help');
    }
  });

  it('lists the webhooks of the spec by name, each with the `event` values its bodies carry', async () => {
    const out = io();
    expect(await run(['webhooks', 'list'], out)).toBe(0);
    expect(out.stdout.map((l) => l.split(/\s+/)[0])).toEqual(Object.keys(webhooks));
    // partner.billing is a webhook name; its deliveries carry other `event` values (an open set).
    const billing = out.stdout.find((l) => l.startsWith('partner.billing '))!;
    expect(billing).toMatch(/event: credits\.allocated, credits\.low, credits\.depleted, billing\.period_closed \(open set\)$/);
    expect(out.stdout.find((l) => l.startsWith('visitor.identified '))).toMatch(/event: visitor\.identified$/);
    const help = io();
    expect(await run(['webhooks', 'list', '--help'], help)).toBe(0);
    expect(help.stdout.join('\n')).not.toMatch(/webhook events/);
  });
});

describe('npm run bullseye (the same code as the bin, as a process)', () => {
  const exec = promisify(execFile);
  const npm = (args: string[]) => exec('npm', ['run', '-s', 'bullseye', '--', ...args], { cwd: root, env: { ...process.env, NO_COLOR: '1' } });

  it('delivers twice with --repeat 2, both signatures verifying with the SDK', async () => {
    const { stdout } = await npm(['webhooks', 'trigger', 'visitor.identified', '--to', url, '--secret', 's', '--repeat', '2']);
    expect(stdout.trim().split('\n')).toHaveLength(2);
    expect(received).toHaveLength(2);
    for (const r of received) expect(await constructWebhookEvent(r.body, r.signature, 's')).toEqual(exampleOf('visitor.identified'));
  });

  it('exits non-zero with one line for an unknown event', async () => {
    const failure = await npm(['webhooks', 'trigger', 'no.such.event', '--to', url, '--secret', 's']).then(
      () => undefined,
      (err: { code: number; stderr: string; stdout: string }) => err,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stdout).toBe('');
    expect(failure?.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^bullseye: unknown webhook "no\.such\.event"/)]);
    expect(received).toEqual([]);
  });
});

describe('bullseye webhooks: the secret stays off the command line, the receiver cannot reach the terminal', () => {
  const withEnv = (stdin = '', env: Record<string, string | undefined> = {}) => Object.assign(io(stdin), { env });

  it(`takes the secret from BULLSEYE_WEBHOOK_SECRET, or from stdin with --secret-stdin`, async () => {
    const fromEnv = withEnv('', { BULLSEYE_WEBHOOK_SECRET: SECRET });
    expect(await run(['webhooks', 'trigger', 'visitor.identified', '--to', url], fromEnv)).toBe(0);
    const fromStdin = withEnv(`${SECRET}\n`);
    expect(await run(['webhooks', 'trigger', 'visitor.identified', '--to', url, '--secret-stdin'], fromStdin)).toBe(0);
    expect(received).toHaveLength(2);
    for (const r of received) expect(await constructWebhookEvent(r.body, r.signature, SECRET)).toMatchObject({ event: 'visitor.identified' });
    for (const out of [fromEnv, fromStdin]) expect([...out.stdout, ...out.stderr].join('\n')).not.toContain(SECRET);

    const signed = await signWebhookPayload(exampleOf('visitor.identified') as object, SECRET);
    const verifyEnv = withEnv(signed.body, { BULLSEYE_WEBHOOK_SECRET: SECRET });
    expect(await run(['webhooks', 'verify', '--signature', signed.signature], verifyEnv)).toBe(0);
  });

  it('without any secret it says where to put one, and --help says which source to prefer', async () => {
    const none = withEnv();
    expect(await run(['webhooks', 'trigger', 'visitor.identified', '--to', url], none)).toBe(1);
    expect(none.stderr.join('\n')).toContain('no webhook secret: set BULLSEYE_WEBHOOK_SECRET, or pipe it in with --secret-stdin');
    expect(received).toHaveLength(0);
    const help = withEnv();
    await run(['webhooks', 'trigger', '--help'], help);
    expect(help.stdout.join('\n')).toMatch(/prefer the environment variable BULLSEYE_WEBHOOK_SECRET, or --secret-stdin/);
    expect(help.stdout.join('\n')).toMatch(/--secret puts it in the process list/);
  });

  it('prints the URL without credentials or query values, strips control characters and exits 1 on a non-2xx', async () => {
    // Raw bytes: node:http would refuse to send escape characters in a reason phrase.
    const hostile = createNetServer((socket) => {
      socket.once('data', () => socket.end('HTTP/1.1 500 Nope \u001b]0;pwned\u0007\u001b[2J\r\nContent-Length: 0\r\nConnection: close\r\n\r\n'));
    });
    await new Promise<void>((resolve) => hostile.listen(0, '127.0.0.1', resolve));
    try {
      const port = (hostile.address() as AddressInfo).port;
      const out = withEnv('', { BULLSEYE_WEBHOOK_SECRET: SECRET });
      const code = await run(['webhooks', 'trigger', 'visitor.identified', '--to', `http://user:pw-s3cret@127.0.0.1:${port}/hooks?token=tok-s3cret&x=1`], out);
      const text = [...out.stdout, ...out.stderr].join('\n');
      expect(code).toBe(1);
      expect(out.stdout[0]).toMatch(new RegExp(`→ http://127\\.0\\.0\\.1:${port}/hooks\\?token=\\*\\*\\*&x=\\*\\*\\*: 500 Nope \\]0;pwned\\[2J in \\d+ ms$`));
      for (const secret of ['pw-s3cret', 'tok-s3cret', 'user:', SECRET, '\u001b', '\u0007']) expect(text).not.toContain(secret);

      // A receiver that is not there: the error names a code, not the URL's credentials.
      hostile.close();
      const gone = withEnv('', { BULLSEYE_WEBHOOK_SECRET: SECRET });
      expect(await run(['webhooks', 'trigger', 'visitor.identified', '--to', `http://user:pw-s3cret@127.0.0.1:${port}/hooks?token=tok-s3cret`], gone)).toBe(1);
      expect(gone.stderr.join('\n')).toMatch(/could not deliver visitor\.identified to http:\/\/127\.0\.0\.1:\d+\/hooks\?token=\*\*\*: ECONNREFUSED/);
      expect(gone.stderr.join('\n')).not.toMatch(/pw-s3cret|tok-s3cret/);
    } finally {
      hostile.close();
    }
  });
});
