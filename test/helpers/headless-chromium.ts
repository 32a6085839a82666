import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's browser (`apt-get install chromium`); CHROMIUM_PATH overrides. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Starts the system Chromium headless through playwright-core. Fails loudly when it is missing
 * or cannot start: a browser test must never pass without a browser.
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`headless Chromium test: no browser at ${CHROMIUM} (install it with "apt-get install -y chromium", or set CHROMIUM_PATH)`);
  }
  try {
    // --no-sandbox: CI containers run as root, where Chromium's sandbox refuses to start
    return await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  } catch (err) {
    throw new Error(`headless Chromium test: ${CHROMIUM} could not start: ${(err as Error).message}`);
  }
}
