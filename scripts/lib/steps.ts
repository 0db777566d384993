// Shared helpers for multi-step scripts: run a command or function as a named, timed step.
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const bin = (name: string): string => path.join(root, 'node_modules', '.bin', name);

export class StepError extends Error {
  constructor(
    readonly step: string,
    message: string,
    readonly output = '',
  ) {
    super(message);
    this.name = 'StepError';
  }
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The environment of an npm a script starts: `npm run -s …` passes `npm_config_loglevel=silent`
 * down to every npm it starts (which then prints nothing a script could read, such as what `npm
 * install` added), and the workspace or output settings of an outer `npm -w …`/`--json` must not
 * leak in either. The inner command says what it wants in its own arguments.
 */
export function npmEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const out = { ...env };
  for (const key of Object.keys(out)) {
    if (/^npm_config_(loglevel|silent|quiet|json|parseable|workspaces?|include_workspace_root|global|prefix|offline|dry_run)$/i.test(key)) delete out[key];
  }
  return { ...out, npm_config_loglevel: 'warn', npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };
}

const isNpm = (cmd: string): boolean => /^np[mx](\.cmd)?$/i.test(path.basename(cmd));

/**
 * Runs a command to completion, capturing its output (never inheriting the caller's stdin). An
 * `npm`/`npx` gets `npmEnv()`, so every script works the same under `npm run -s`.
 */
export function run(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd: opts.cwd ?? root,
      env: { ...(isNpm(cmd) ? npmEnv() : process.env), REDOCLY_TELEMETRY: 'off', NO_UPDATE_NOTIFIER: '1', ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

/** Redocly prints a Node 20 deprecation box on stderr; it is noise for our users. */
export function stripBanner(text: string): string {
  return text
    .split('\n')
    .filter((l) => !/^\s*[╔║╚]/.test(l))
    // Redocly's hint to mute problems in an ignore file: our gate wants them fixed.
    .filter((l) => !/redocly lint --generate-ignore-file/.test(l))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

// While steps run side by side (parallel), each prints its line once it ends, so lines never mix.
let concurrent = 0;

export async function step<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const whole = concurrent > 0;
  if (!whole) process.stdout.write(`▸ ${name} ... `);
  const end = (outcome: string): void => {
    const line = `${outcome} (${fmtMs(performance.now() - t0)})\n`;
    process.stdout.write(whole ? `▸ ${name} ... ${line}` : line);
  };
  try {
    const out = await fn();
    end('ok');
    return out;
  } catch (err) {
    end('FAILED');
    throw err;
  }
}

/** Starts a job that runs beside what follows (its steps print whole lines, as in `parallel`). */
export function inBackground<T>(job: () => Promise<T>): Promise<T> {
  concurrent++;
  return job().finally(() => {
    concurrent--;
  });
}

/**
 * Runs independent jobs side by side (each a function that runs its own steps) and waits for all of
 * them; throws the first failure once every job has ended, after printing the others' messages.
 */
export async function parallel(jobs: (() => Promise<unknown>)[]): Promise<void> {
  concurrent++;
  let results: PromiseSettledResult<unknown>[];
  try {
    results = await Promise.allSettled(jobs.map((job) => job()));
  } finally {
    concurrent--;
  }
  // A failure several jobs waited on is reported once.
  const failures = [...new Set(results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : [])))];
  for (const extra of failures.slice(1)) {
    console.error(`\n✖ ${extra instanceof Error ? extra.message : String(extra)}`);
    if (extra instanceof StepError && extra.output) console.error(extra.output);
  }
  if (failures.length) throw failures[0];
}

export function fmtMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

/** Runs a CLI step and turns a non-zero exit into a StepError carrying the tool's own output. */
export async function runChecked(stepName: string, cmd: string, args: string[], opts?: { cwd?: string; env?: NodeJS.ProcessEnv }): Promise<RunResult> {
  const r = await run(cmd, args, opts);
  if (r.code !== 0) {
    throw new StepError(stepName, `${stepName} failed (exit ${r.code})`, stripBanner(`${r.stdout}\n${r.stderr}`));
  }
  return r;
}

/** Top-level wrapper: readable message and non-zero exit instead of a stack trace. */
export function main(fn: () => Promise<void>, opts: { quiet?: boolean } = {}): void {
  const t0 = performance.now();
  fn().then(
    () => {
      if (!opts.quiet) console.log(`done in ${fmtMs(performance.now() - t0)}`);
    },
    (err: unknown) => {
      if (err instanceof StepError) {
        console.error(`\n✖ ${err.message}`);
        if (err.output) console.error(err.output);
      } else {
        console.error(`\n✖ ${err instanceof Error ? err.message : String(err)}`);
      }
      process.exitCode = 1;
    },
  );
}
