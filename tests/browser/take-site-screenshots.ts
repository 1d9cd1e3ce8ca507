/**
 * Screenshots of every page type for a human to look at (not a test): desktop (1366 × 900) and phone
 * (390 × 844), light and dark, then the offline state (after one visit, with the server shut down).
 *
 *   npx astro build && npx tsx tests/browser/take-site-screenshots.ts <out-dir>
 *
 * Serves dist/ like the browser tests do and drives Debian's Chromium.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import { startStaticServer } from './global-setup.ts';
import { launchBrowser, newPage } from './browser.ts';
import { SITE_PAGES } from './site-pages.ts';

const outDir = resolve(process.argv[2] ?? 'screens');
mkdirSync(outDir, { recursive: true });

const server = await startStaticServer();
const baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const browser = await launchBrowser();
const slug = (s: string) => s.replace(/\s+/g, '-');
const viewports = { desktop: { width: 1366, height: 900 }, phone: { width: 390, height: 844 } };

try {
  for (const [device, viewport] of Object.entries(viewports)) {
    for (const colorScheme of ['light', 'dark'] as const) {
      const { page, context, errors } = await newPage(browser, { baseURL, viewport, colorScheme });
      for (const sitePage of SITE_PAGES) {
        await page.goto(`/${sitePage.path}`);
        await sitePage.ready(page);
        if (sitePage.name !== 'quiz' && sitePage.name !== 'scenario') await page.evaluate(() => window.scrollTo(0, 0));
        const file = resolve(outDir, `${device}-${colorScheme}-${slug(sitePage.name)}.png`);
        await page.screenshot({ path: file });
        console.log(file);
      }
      if (errors.length) console.error(`${device} ${colorScheme}: page errors:\n${errors.join('\n')}`);
      await context.close();
    }
  }

  // offline: one visit, the precache completes, the server goes away
  for (const [device, viewport] of Object.entries(viewports)) {
    const { page, context } = await newPage(browser, { baseURL, viewport, serviceWorkers: 'allow' });
    await page.goto('/');
    await page.waitForFunction(() => document.documentElement.dataset.offline === 'ready', undefined, { timeout: 120_000 });
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await page.screenshot({ path: resolve(outDir, `${device}-online-footer-available-offline.png`) });
    await context.setOffline(true);
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      for (const name of ['home', 'checkpoint', 'drills']) {
        const sitePage = SITE_PAGES.find((p) => p.name === name)!;
        await page.goto(`/${sitePage.path}`);
        await sitePage.ready(page);
        const file = resolve(outDir, `${device}-offline-${colorScheme}-${name}.png`);
        await page.screenshot({ path: file });
        console.log(file);
      }
    }
    await context.close();
  }
} finally {
  await browser.close();
  server.closeAllConnections();
  server.close();
}
