/**
 * Launching Debian's Chromium with playwright-core (never a downloaded browser; ARCHITECTURE.md, "Platform").
 *
 * Each `launchBrowser()` is a fresh browser process with a fresh, temporary user-data-dir that
 * playwright-core creates and deletes; each `newPage()` opens its own context, so localStorage
 * (drafts, progress) starts empty unless a spec reloads the same page on purpose.
 *
 * Chromium missing is a failure with instructions, never a skip: with CI=true, and without.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { inject } from 'vitest';

/** Debian's package path; override with CHROMIUM_PATH for another install. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags from ARCHITECTURE.md ("Platform"). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** @throws Error with the install command when Chromium is not at CHROMIUM_PATH */
export function assertChromiumInstalled(): void {
  if (existsSync(CHROMIUM_PATH)) return;
  const ci = process.env.CI === 'true' || process.env.CI === '1';
  throw new Error(
    `Chromium was not found at ${CHROMIUM_PATH}; the browser tests need Debian's chromium package` +
      (ci
        ? ' (CI=true: browser tests must run, they are never skipped). .ci/run installs it; run `apt-get install -y chromium` in the CI image.'
        : '. Install it with `apt-get update && apt-get install -y chromium` (as root or with sudo), or set CHROMIUM_PATH, then run `npm run test:browser` again.'),
  );
}

export async function launchBrowser(): Promise<Browser> {
  assertChromiumInstalled();
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

/** The built site's base URL, provided by ./global-setup.ts; no trailing slash. */
export function baseURL(): string {
  return inject('baseURL');
}

export interface OpenedPage {
  context: BrowserContext;
  page: Page;
  /** uncaught page errors and console errors seen so far; specs assert it stays empty */
  errors: string[];
}

/**
 * A page in its own context (fresh storage) with `baseURL` set, collecting uncaught errors.
 * @param options.colorScheme emulate the system preference (the site follows it unless the learner chose a theme)
 * @param options.baseURL outside Vitest (scripts), the server to use instead of the injected one
 * @param options.serviceWorkers `block` by default: the site's service worker precaches the whole
 *   course (~18 MB) on a first visit, which specs that are not about offline do not need; `allow` for those that are
 */
export async function newPage(
  browser: Browser,
  options: {
    colorScheme?: 'light' | 'dark';
    viewport?: { width: number; height: number };
    baseURL?: string;
    serviceWorkers?: 'allow' | 'block';
  } = {},
): Promise<OpenedPage> {
  const context = await browser.newContext({
    baseURL: options.baseURL ?? baseURL(),
    colorScheme: options.colorScheme ?? 'light',
    viewport: options.viewport ?? { width: 1280, height: 900 },
    serviceWorkers: options.serviceWorkers ?? 'block',
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console.error: ${m.text()}`);
  });
  return { context, page, errors };
}
