import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium (CI installs it with apt), or CHROMIUM_PATH. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Whether a Chromium binary is present, so browser tests can be skipped on a developer machine
 * without one. In CI (`CI=true`, where `.ci/run` installs Chromium) a missing browser is an error,
 * never a silent skip.
 */
export const hasChromium = existsSync(chromiumPath);
if (!hasChromium && process.env.CI === 'true') {
  throw new Error(
    `Chromium not found at ${chromiumPath}: .ci/run installs it with apt-get (or set CHROMIUM_PATH)`,
  );
}

/** Headless Chromium through playwright-core (no browser download). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-dev-shm-usage',
    ],
  });
}
