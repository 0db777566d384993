// vitest globalSetup of the browser project: one headless Chromium for the run (Debian's, see
// test/support/browser.ts), served over Playwright's protocol on a loopback port; each test file
// connects to it with `connectChromium()` and works in contexts of its own (a fresh profile each),
// so no file pays for a browser start.
import type { BrowserServer } from 'playwright-core';
import type { TestProject } from 'vitest/node';
import { launchChromiumServer } from '../support/browser.js';

let server: BrowserServer | undefined;

export async function setup(project: TestProject): Promise<void> {
  server = await launchChromiumServer();
  project.provide('chromiumWsEndpoint', server.wsEndpoint());
}

export async function teardown(): Promise<void> {
  await server?.close();
}

declare module 'vitest' {
  export interface ProvidedContext {
    chromiumWsEndpoint: string;
  }
}
