// Headless Chromium for the browser tests: Debian's /usr/bin/chromium (or CHROMIUM_PATH), never a
// downloaded browser, launched with a timeout sized for a loaded machine and one retry, since a
// first launch on a busy 2-core machine can miss any deadline for reasons that are not the test's.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

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

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`${CHROMIUM_PATH} is missing: install Debian's chromium package (apt-get install -y chromium) or set CHROMIUM_PATH`);
  }
  const launch = (): Promise<Browser> => chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, timeout: LAUNCH_TIMEOUT_MS });
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
