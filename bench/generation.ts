// Times the steps of `npm run generate` (lint, bundle to YAML and JSON, types) on our spec, and on
// synthetic specs with 2x, 5x and 10x our operations, with every output under bench/.scratch/gen/
// (generated/ is never touched). Each measurement is the best of `reps` runs (one run for the 5x and
// 10x specs, whose steps take long enough that start-up noise matters little).
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { bin, run } from '../scripts/lib/steps.js';
import { progress, root, scratchDir } from './lib.js';
import { listOperations } from '../scripts/lib/spec.js';
import { syntheticSpec } from './synthetic-spec.js';

export const STEPS = ['lint', 'bundle yaml', 'bundle json', 'types'] as const;
export type StepName = (typeof STEPS)[number];

export interface GenerationRun {
  label: string;
  factor: number;
  operations: number;
  stepsMs: Record<StepName, number>;
  totalMs: number;
  /** Steps whose tool exited non-zero (e.g. lint findings); their time is still reported. */
  nonZeroExit: string[];
}

export interface GenerationResult {
  reps: number;
  real: GenerationRun;
  synthetic: GenerationRun[];
}

async function timeSteps(label: string, factor: number, operations: number, input: string, outDir: string, reps: number): Promise<GenerationRun> {
  const commands: Record<StepName, [string, string[]]> = {
    lint: [bin('redocly'), ['lint', input, '--format=stylish']],
    'bundle yaml': [bin('redocly'), ['bundle', input, '-o', path.join(outDir, 'openapi.yaml'), '--force']],
    'bundle json': [bin('redocly'), ['bundle', input, '-o', path.join(outDir, 'openapi.json'), '--force']],
    types: [bin('openapi-typescript'), [path.join(outDir, 'openapi.yaml'), '-o', path.join(outDir, 'schema.ts')]],
  };
  const stepsMs = {} as Record<StepName, number>;
  const nonZeroExit: string[] = [];
  for (const step of STEPS) {
    let best = Infinity;
    for (let r = 0; r < reps; r++) {
      const [cmd, args] = commands[step];
      const t0 = performance.now();
      const res = await run(cmd, args);
      best = Math.min(best, performance.now() - t0);
      if (res.code !== 0 && !nonZeroExit.includes(step)) {
        if (step !== 'lint') throw new Error(`${label}: ${step} failed (exit ${res.code}): ${res.stderr.slice(-500)}`);
        nonZeroExit.push(step);
      }
    }
    stepsMs[step] = best;
  }
  const totalMs = STEPS.reduce((s, k) => s + stepsMs[k], 0);
  progress(`${label}: ${operations} operations, ${Math.round(totalMs)} ms (${STEPS.map((s) => `${s} ${Math.round(stepsMs[s])}`).join(', ')})`);
  return { label, factor, operations, stepsMs, totalMs, nonZeroExit };
}

export async function measureGeneration(opts: { factors: number[]; reps: number }): Promise<GenerationResult> {
  const bundled = JSON.parse(await readFile(path.join(root, 'generated', 'openapi.json'), 'utf8')) as Parameters<typeof syntheticSpec>[0];
  const realOut = await scratchDir('gen', 'real');
  const real = await timeSteps('openapi/ (npm run generate steps)', 1, listOperations(bundled).length, 'openapi/openapi.yaml', realOut, opts.reps);
  const synthetic: GenerationRun[] = [];
  for (const factor of opts.factors) {
    const dir = await scratchDir('gen', `x${factor}`);
    const spec = syntheticSpec(bundled, factor);
    const input = path.join(dir, 'input.json');
    await writeFile(input, JSON.stringify(spec));
    synthetic.push(await timeSteps(`synthetic ${factor}x`, factor, listOperations(spec).length, input, dir, factor >= 5 ? 1 : opts.reps));
  }
  return { reps: opts.reps, real, synthetic };
}

export interface LinearityCheck {
  step: string;
  /** max over k of t(kx) / (k · t(1x)): at most ~1 when growth is at most linear. */
  worstRatioToLinear: number;
  /** Cost of one more 1x of operations between 2x and 10x, over the whole 1x time. */
  lateCostPer1x: number;
  ok: boolean;
}

/**
 * Growth is at most linear when (a) no size costs more than k times the 1x time (10% allowed for
 * noise) and (b) each 1x of operations added between 2x and 10x costs at most 1.5 times the whole
 * 1x run. (b) catches a quadratic term that a large fixed start-up cost would hide from (a); both
 * stay robust when start-up dominates, where slopes between small sizes are mostly noise.
 */
export function checkLinearity(runs: GenerationRun[]): LinearityCheck[] {
  const by = new Map(runs.map((r) => [r.factor, r]));
  const one = by.get(1);
  const two = by.get(2);
  const ten = by.get(10);
  if (!one || !two || !ten) return [];
  const keys: (StepName | 'total')[] = [...STEPS, 'total'];
  const t = (r: GenerationRun, k: StepName | 'total'): number => (k === 'total' ? r.totalMs : r.stepsMs[k]);
  return keys.map((k) => {
    const worst = Math.max(...runs.filter((r) => r.factor > 1).map((r) => t(r, k) / (r.factor * t(one, k))));
    const late = (t(ten, k) - t(two, k)) / 8 / t(one, k);
    return { step: k, worstRatioToLinear: worst, lateCostPer1x: late, ok: worst <= 1.1 && late <= 1.5 };
  });
}
