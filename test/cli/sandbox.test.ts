// `bullseye sandbox …` in-process (the CLI's `run`): the words after `sandbox` go to the sandbox
// package's own command line, so the CLI serves it, warns off loopback, refuses bad options with
// exit 2, and runs the control commands against a running sandbox. test/package/sandbox.test.ts runs
// the installed command as the docs show it.
import { describe, expect, it } from 'vitest';
import type { Io } from '../../packages/cli/src/cli/io.js';
import { run } from '../../packages/cli/src/cli/program.js';
import { SEEDED_KEYS } from '../../packages/sandbox/src/index.js';

function io(): Io & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: (l) => lines.push(l), err: (l) => errors.push(l), stdin: async () => new Uint8Array() };
}

/** Starts `bullseye sandbox <args>` and waits until it listens. */
async function serve(args: string[]): Promise<{ url: string; stop: () => Promise<number>; out: ReturnType<typeof io> }> {
  const out = io();
  const controller = new AbortController();
  let url = '';
  const running = run(['sandbox', ...args], out, { signal: controller.signal, onListening: (u) => (url = u) });
  const deadline = Date.now() + 30_000;
  while (!url) {
    if (Date.now() > deadline) throw new Error(`no URL: ${out.lines.join('\n')} ${out.errors.join('\n')}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  return {
    url,
    out,
    stop: () => {
      controller.abort();
      return running;
    },
  };
}

describe('bullseye sandbox', () => {
  it('serves both APIs on 127.0.0.1 with the seeded keys, printed, and stops with exit code 0', async () => {
    const { url, stop, out } = await serve(['--port', '0']);
    try {
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(out.lines.join('\n')).toContain(SEEDED_KEYS.partner);
      const me = await fetch(`${url}/partner/me`, { headers: { 'X-Partner-API-Key': SEEDED_KEYS.partner } });
      expect(me.status).toBe(200);
      await me.arrayBuffer();
      // A control command of the same CLI against the running sandbox.
      const control = io();
      expect(await run(['sandbox', 'clock', 'advance', '2h', '--url', url], control)).toBe(0);
      expect(JSON.parse(control.lines.join('')) as { offsetMs: number }).toMatchObject({ offsetMs: 7_200_000 });
    } finally {
      expect(await stop()).toBe(0);
    }
    expect(out.errors).toEqual([]);
  });

  it('warns when it listens beyond loopback (--host)', async () => {
    // 127.0.0.2 is still this machine (the whole 127/8 is loopback on Linux), but not an address the sandbox knows as loopback.
    const { stop, out } = await serve(['--port', '0', '--host', '127.0.0.2']);
    expect(await stop()).toBe(0);
    expect(out.errors.join('\n')).toMatch(/⚠ listening on 127\.0\.0\.2: other machines can reach this sandbox/);
  });

  it('refuses a bad option with exit 2 and its usage, and prints its help with exit 0', async () => {
    const bad = io();
    expect(await run(['sandbox', '--port', 'forty'], bad)).toBe(2);
    expect(bad.errors.join('\n')).toContain('--port must be a port number');
    const unknown = io();
    expect(await run(['sandbox', '--nope'], unknown)).toBe(2);
    expect(unknown.errors.join('\n')).toMatch(/usage: bullseye sandbox/);
    const help = io();
    expect(await run(['sandbox', '--help'], help)).toBe(0);
    expect(help.lines.join('\n')).toMatch(/^usage: bullseye sandbox \[serve\] \[--port N\]/);
    // The same page from commander's own `help <command>`, not the entry's one-line description.
    const viaHelp = io();
    expect(await run(['help', 'sandbox'], viaHelp)).toBe(0);
    expect(viaHelp.lines).toEqual(help.lines);
  });

  it('a control command without a running sandbox is one line and exit 1', async () => {
    const out = io();
    // Port 9 (discard) on loopback: nothing listens there.
    expect(await run(['sandbox', 'reset', '--url', 'http://127.0.0.1:9'], out)).toBe(1);
    expect(out.errors).toHaveLength(1);
    expect(out.errors[0]).toMatch(/^✖ no sandbox answers at http:\/\/127\.0\.0\.1:9/);
  });
});
