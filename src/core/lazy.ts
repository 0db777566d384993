// Loads core/slow.ts once: `import()` resolves the module anew on every call in some runtimes (and
// under loader hooks), so every later use gets the same promise.
let slowModule: Promise<typeof import('./slow.js')> | undefined;

/** The rare-path module (errors, retries, waits, pagination, throttling, faithful mode). */
export const slow = (): Promise<typeof import('./slow.js')> => (slowModule ??= import('./slow.js'));
