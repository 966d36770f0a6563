import { existsSync } from 'node:fs';
import { chromiumPath, launchChromium } from '../../scripts/lib/browser.js';

export { chromiumPath };

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
export const launchBrowser = launchChromium;
