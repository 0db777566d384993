// Produces the peer client with `redocly generate-client` (experimental in 2.77) from our bundled
// spec, into bench/.scratch/ (never committed). Returns the file, or why it could not be made.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { run, stripBanner } from '../scripts/lib/steps.js';
import { root, scratchDir } from './lib.js';

export interface RedoclyClient {
  file?: string;
  error?: string;
  command: string;
}

export async function generateRedoclyClient(): Promise<RedoclyClient> {
  const dir = await scratchDir('redocly');
  await rm(path.join(dir, 'client.ts'), { force: true });
  const file = path.join(dir, 'client.ts');
  const args = ['generate-client', 'generated/openapi.yaml', '-o', path.relative(root, file), '--error-mode', 'result'];
  const command = `redocly ${args.join(' ')}`;
  const r = await run(path.join(root, 'node_modules', '.bin', 'redocly'), args);
  if (r.code !== 0) return { command, error: `exit ${r.code}: ${stripBanner(`${r.stdout}\n${r.stderr}`).slice(0, 800)}` };
  return { command, file };
}
