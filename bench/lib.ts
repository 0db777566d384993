// Small helpers shared by the bench modules: statistics, formatting, paths, progress lines.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const scratch = path.join(root, 'bench', '.scratch');

export async function scratchDir(...parts: string[]): Promise<string> {
  const dir = path.join(scratch, ...parts);
  await mkdir(dir, { recursive: true });
  return dir;
}

export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export const median = (values: readonly number[]): number => quantile(values, 0.5);

export const round = (n: number, digits = 2): number => Number(n.toFixed(digits));

export function progress(message: string): void {
  process.stdout.write(`  · ${message}\n`);
}

export function section(title: string): void {
  process.stdout.write(`\n▸ ${title}\n`);
}

/** Markdown/console table with aligned columns. */
export function table(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]): string => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(cells[0]!), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...cells.slice(1).map(line)].join('\n');
}
