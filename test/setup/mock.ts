// vitest globalSetup of the projects whose tests call the mock (server, browser): one mock for the
// whole run (Prism behind scripts/mock/mock-layer.ts, rate limits counted but not enforced), on a
// free loopback port, its URL given to the files with `inject('mockUrl')`, stopped afterwards.
// Each project runs its own globalSetup, so the mock is kept on globalThis (all global setups run
// in vitest's main process): the projects share one, started by the first and stopped by the last.
// A run of unit tests alone starts none (vitest runs a project's global setup only when it has files).
import type { TestProject } from 'vitest/node';
import { startMock, type MockServer } from '../../scripts/mock/prism.js';

interface Shared {
  mock: Promise<MockServer>;
  users: number;
}
const KEY = Symbol.for('bullseye.test.mock');
const holder = globalThis as { [KEY]?: Shared };

export async function setup(project: TestProject): Promise<() => Promise<void>> {
  const shared = (holder[KEY] ??= { mock: startMock(), users: 0 });
  shared.users++;
  const mock = await shared.mock;
  project.provide('mockUrl', mock.url);
  return async () => {
    if (--shared.users > 0) return;
    delete holder[KEY];
    await mock.close();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    mockUrl: string;
  }
}
