// Headless Chromium for the browser tests: Debian's /usr/bin/chromium (or CHROMIUM_PATH), never a
// downloaded browser, launched with a timeout sized for a loaded machine and one retry, since a
// first launch on a busy 2-core machine can miss any deadline for reasons that are not the test's.
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserServer } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Offline and quiet: no background requests, no first-run pages, no QUIC. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-quic',
];

/** Per attempt; a hook that launches the browser needs a timeout above twice this. */
export const LAUNCH_TIMEOUT_MS = 45_000;

/** A browser of this file's own, for a test whose subject is the browser's start. */
export function launchChromium(): Promise<Browser> {
  return withRetry(() => chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, timeout: LAUNCH_TIMEOUT_MS }));
}

/** The run's one browser (test/setup/browser.ts, the browser project's global setup). */
export function launchChromiumServer(): Promise<BrowserServer> {
  return withRetry(() => chromium.launchServer({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, timeout: LAUNCH_TIMEOUT_MS, host: '127.0.0.1' }));
}

/**
 * A connection to the run's browser (`connectChromium(inject('chromiumWsEndpoint'))`): a file of the browser project works in contexts of its own
 * (each a fresh profile) and closes the connection, never the browser.
 */
export function connectChromium(endpoint: string | undefined): Promise<Browser> {
  if (!endpoint) throw new Error('no shared browser: run this file in the vitest project "browser" (vitest.config.ts)');
  return chromium.connect(endpoint, { timeout: LAUNCH_TIMEOUT_MS });
}

async function withRetry<T>(launch: () => Promise<T>): Promise<T> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`${CHROMIUM_PATH} is missing: install Debian's chromium package (apt-get install -y chromium) or set CHROMIUM_PATH`);
  }
  try {
    return await launch();
  } catch (first) {
    try {
      return await launch();
    } catch (second) {
      const msg = (e: unknown): string => (e instanceof Error ? e.message.split('\n')[0]! : String(e));
      throw new Error(`Chromium did not start, twice: ${msg(first)}; then ${msg(second)}`);
    }
  }
}
