// Which output chunks of an esbuild code-split build load up front: the entry chunk and, through
// static imports, every chunk it needs before it runs. Chunks reached only through `import()` load
// later, on demand. Used by the bundle-size bench and by the test that keeps the SDK's rare paths
// lazy.
import type { Metafile } from 'esbuild';

/** The entry chunk and the chunks it imports statically, directly or not (metafile output keys). */
export function chunksLoadedUpFront(outputs: Metafile['outputs']): Set<string> {
  const entry = Object.keys(outputs).find((k) => outputs[k]!.entryPoint !== undefined);
  if (!entry) throw new Error('the build has no entry chunk');
  const loaded = new Set<string>();
  const visit = (chunk: string): void => {
    if (loaded.has(chunk)) return;
    loaded.add(chunk);
    for (const imp of outputs[chunk]?.imports ?? []) if (imp.kind === 'import-statement') visit(imp.path);
  };
  visit(entry);
  return loaded;
}
