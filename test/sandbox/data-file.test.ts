// The data file: what a crash leaves is always loadable (kill -9 in the middle of writes, repeated),
// a second sandbox on the same file is refused, a file of another format or version is a clear error
// and never a silent reset, pending webhook retries survive a restart, and the CLI prints what it
// serves (URL, seeded keys, data location).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSandbox, DATA_VERSION, DataFileError, MAX_ATTEMPTS, RETRY_SCHEDULE_MS, runSandboxCli, SEEDED_KEYS } from '../../packages/sandbox/src/index.js';
import { readDataFile } from '../../packages/sandbox/src/file.js';

const root = path.resolve(import.meta.dirname, '..', '..');
const tmp = (): string => mkdtempSync(path.join(tmpdir(), 'sandbox-data-'));

describe('the data file', () => {
  it('survives kill -9 in the middle of writes, again and again', async () => {
    const file = path.join(tmp(), 'data.json');
    let created = 0;
    for (let round = 0; round < 3; round++) {
      const child = spawn(process.execPath, ['--import', 'tsx', 'packages/sandbox/src/bin.ts', '--port', '0', '--data', file], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setInterval(() => {
          const m = /Sandbox \(both APIs, stateful\):\s+(http:\/\/\S+)/.exec(out);
          if (m) {
            clearInterval(timer);
            resolve(m[1]!);
          } else if (child.exitCode !== null) {
            clearInterval(timer);
            reject(new Error(`exited: ${out}`));
          }
        }, 20);
      });
      // Writes in flight from several clients when the process is killed.
      const before = created;
      const writes: Promise<unknown>[] = [];
      let stop = false;
      for (let c = 0; c < 8; c++) {
        writes.push(
          (async () => {
            while (!stop) {
              const r = await fetch(`${url}/partner/organizations`, {
                method: 'POST',
                headers: { 'X-Partner-API-Key': SEEDED_KEYS.partner, 'Content-Type': 'application/json' },
                body: JSON.stringify({ name: `Round ${round}`, metadata: { pad: 'x'.repeat(2000) } }),
              }).catch(() => undefined);
              if (r?.status === 201) created++;
              else if (r) await r.arrayBuffer();
            }
          })(),
        );
      }
      // Kill once writes are flowing (however slow the machine), at a different moment each round.
      const end = Date.now() + 60_000;
      while (created < before + 3 && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
      await new Promise((r) => setTimeout(r, round * 37));
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      stop = true;
      await Promise.all(writes);
      // Whatever the moment, the file loads, and holds every write that was answered (each is saved
      // before its answer goes out).
      const state = readDataFile(file);
      expect(state).toBeDefined();
      const mine = Object.values(state!.organizations).filter((o) => String(o.name).startsWith('Round '));
      expect(mine.length).toBeGreaterThanOrEqual(created);
      expect(created).toBeGreaterThanOrEqual(before + 3);
    }
    // A sandbox starts on it (the dead process's lock is taken over).
    const sb = createSandbox({ dataFile: file });
    expect(Object.values(sb.state.organizations).some((o) => String(o.name).startsWith('Round '))).toBe(true);
    // …and clears the temporary files the killed processes left.
    expect(readdirSync(path.dirname(file)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    await sb.close();
  }, 120_000);

  it('refuses a second sandbox on the same file, and frees it on close', async () => {
    const file = path.join(tmp(), 'data.json');
    const first = createSandbox({ dataFile: file });
    expect(() => createSandbox({ dataFile: file })).toThrow(/in use by another sandbox/);
    await first.close();
    const again = createSandbox({ dataFile: file });
    await again.close();
  });

  it('a file it cannot read or of another version is an error, and the file is left alone', async () => {
    const dir = tmp();
    const garbage = path.join(dir, 'garbage.json');
    writeFileSync(garbage, '{"half": ');
    expect(() => createSandbox({ dataFile: garbage })).toThrow(DataFileError);
    expect(readFileSync(garbage, 'utf8')).toBe('{"half": ');
    const other = path.join(dir, 'other.json');
    writeFileSync(other, JSON.stringify({ format: 'bullseye-sandbox-data', version: DATA_VERSION + 1, state: {} }));
    expect(() => createSandbox({ dataFile: other })).toThrow(`format version ${DATA_VERSION + 1}`);
    const foreign = path.join(dir, 'foreign.json');
    writeFileSync(foreign, JSON.stringify({ hello: 'world' }));
    expect(() => createSandbox({ dataFile: foreign })).toThrow(/not a sandbox data file/);
    // A failed start leaves no lock behind.
    expect(existsSync(`${foreign}.lock`)).toBe(false);
  });

  it('a reset returns the file to the seed', async () => {
    const file = path.join(tmp(), 'data.json');
    const sb = createSandbox({ dataFile: file });
    const seeded = Object.keys(sb.state.organizations).length;
    await sb.handle({ method: 'POST', url: '/organization', headers: { 'x-api-key': SEEDED_KEYS.organization.readWrite }, body: Buffer.from('{"organizationName":"Temp"}') });
    expect(Object.keys(readDataFile(file)!.organizations)).toHaveLength(seeded + 1);
    sb.reset();
    expect(Object.keys(readDataFile(file)!.organizations)).toHaveLength(seeded);
    await sb.close();
  });
});

describe('webhook retries', () => {
  it('a failing endpoint is retried on the schedule as the clock moves, and pending retries survive a restart', async () => {
    let fail = true;
    const hits: number[] = [];
    const receiver = http.createServer((req, res) => {
      req.resume();
      hits.push(Date.now());
      res.writeHead(fail ? 503 : 200).end();
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
    const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/billing`;
    const file = path.join(tmp(), 'data.json');
    let sb = createSandbox({ dataFile: file });
    const put = await sb.handle({ method: 'PUT', url: '/partner/webhooks/billing', headers: { 'x-partner-api-key': SEEDED_KEYS.partner }, body: Buffer.from(JSON.stringify({ url: hookUrl, secret: 's' })) });
    expect(put.status).toBe(200);
    const alloc = await sb.handle({ method: 'PUT', url: '/partner/organizations/7c9e6679-7425-40de-944b-e07fc1f90ae7/credits', headers: { 'x-partner-api-key': SEEDED_KEYS.partner }, body: Buffer.from('{"credits":1200}') });
    expect(alloc.status).toBe(200);
    await sb.idle();
    const log = async (): Promise<Record<string, unknown>> => {
      const r = await sb.handle({ method: 'GET', url: '/partner/webhooks/logs?type=billing', headers: { 'x-partner-api-key': SEEDED_KEYS.partner } });
      return (JSON.parse(r.body!) as { logs: Array<Record<string, unknown>> }).logs[0]!;
    };
    expect(await log()).toMatchObject({ status: 'pending', attempts: 1, responseStatus: 503 });
    // Not due yet: nothing happens before the first retry's delay.
    await sb.advanceClock(RETRY_SCHEDULE_MS[0] - 1000);
    expect(hits).toHaveLength(1);
    // Restart: the pending retry is in the file.
    await sb.close();
    sb = createSandbox({ dataFile: file });
    await sb.advanceClock(1000);
    expect(hits).toHaveLength(2);
    expect(await log()).toMatchObject({ status: 'pending', attempts: 2 });
    fail = false;
    await sb.advanceClock(RETRY_SCHEDULE_MS[1]);
    expect(await log()).toMatchObject({ status: 'success', attempts: 3, responseStatus: 200 });
    // A delivery that keeps failing ends as failed after the last attempt.
    fail = true;
    await sb.handle({ method: 'PUT', url: '/partner/organizations/7c9e6679-7425-40de-944b-e07fc1f90ae7/credits', headers: { 'x-partner-api-key': SEEDED_KEYS.partner }, body: Buffer.from('{"credits":1100}') });
    await sb.idle();
    for (const delay of RETRY_SCHEDULE_MS) await sb.advanceClock(delay);
    expect(await log()).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS });
    await sb.close();
    await new Promise((r) => receiver.close(r));
  });
});

describe('runSandboxCli', () => {
  it('prints the URL, the seeded keys and where the data lives; refuses a data file in use', async () => {
    const file = path.join(tmp(), 'cli.json');
    const lines: string[] = [];
    const errors: string[] = [];
    const controller = new AbortController();
    let url = '';
    const running = runSandboxCli(['--port', '0', '--data', file], { out: (l) => lines.push(l), err: (l) => errors.push(l), signal: controller.signal, onListening: (u) => (url = u) });
    while (!url) await new Promise((r) => setTimeout(r, 10));
    const text = lines.join('\n');
    expect(text).toContain(url);
    expect(text).toContain(SEEDED_KEYS.partner);
    for (const k of Object.values(SEEDED_KEYS.organization)) expect(text).toContain(k);
    expect(text).toContain(file);
    const second: string[] = [];
    expect(await runSandboxCli(['--port', '0', '--data', file], { out: () => undefined, err: (l) => second.push(l) })).toBe(1);
    expect(second.join('\n')).toContain('in use by another sandbox');
    // The control commands talk to the running sandbox.
    const out: string[] = [];
    expect(await runSandboxCli(['identify', 'org_abc123', '--email', 'cli@example.com', '--url', url], { out: (l) => out.push(l), err: (l) => out.push(l) })).toBe(0);
    expect(out.join('\n')).toContain('cli@example.com');
    expect(await runSandboxCli(['clock', 'advance', '2h', '--url', url], { out: (l) => out.push(l), err: (l) => out.push(l) })).toBe(0);
    expect(await runSandboxCli(['clock', 'advance', 'soon', '--url', url], { out: () => undefined, err: (l) => out.push(l) })).toBe(1);
    controller.abort();
    expect(await running).toBe(0);
    expect(errors).toEqual([]);
    expect(await runSandboxCli(['--port', 'forty'], { out: () => undefined, err: (l) => errors.push(l) })).toBe(2);
    expect(errors.join('\n')).toContain('--port must be');
  });
});
