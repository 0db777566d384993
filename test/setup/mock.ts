// vitest globalSetup: one mock per test run (Prism behind scripts/mock/mock-layer.ts, rate limits
// counted but not enforced), on a free loopback port, stopped afterwards.
import type { TestProject } from 'vitest/node';
import { startMock, type MockServer } from '../../scripts/mock/prism.js';

let mock: MockServer | undefined;

export async function setup(project: TestProject): Promise<void> {
  mock = await startMock();
  project.provide('mockUrl', mock.url);
}

export async function teardown(): Promise<void> {
  await mock?.close();
}

declare module 'vitest' {
  export interface ProvidedContext {
    mockUrl: string;
  }
}
