/**
 * Screenshots of the scenario studio for a human to look at (not a test): desktop (1366 × 900) and phone
 * (390 × 844), light and dark — the studio with a problem shown live, playing with story checks, and a share
 * link opened in a fresh browser context.
 *
 *   npx astro build && npx tsx tests/browser/take-studio-screenshots.ts <out-dir>
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import { startStaticServer } from './global-setup.ts';
import { launchBrowser, newPage } from './browser.ts';
import { studioReady, setStudioText, studioText, waitForPlayed } from './studio-page.ts';

const outDir = resolve(process.argv[2] ?? 'screens');
mkdirSync(outDir, { recursive: true });

const server = await startStaticServer();
const baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const browser = await launchBrowser();
const viewports = { desktop: { width: 1366, height: 900 }, phone: { width: 390, height: 844 } };

try {
  for (const [device, viewport] of Object.entries(viewports)) {
    for (const colorScheme of ['light', 'dark'] as const) {
      const { page, context, errors } = await newPage(browser, { baseURL, viewport, colorScheme });
      await page.goto('/studio/?scenario=static-member-restart');
      await studioReady(page);
      await waitForPlayed(page, 1);
      await page.screenshot({ path: resolve(outDir, `${device}-${colorScheme}-studio-playing.png`), fullPage: device === 'phone' });
      const text = await studioText(page);
      await setStudioText(page, text.replace('sessionTimeoutMs: 30000, autoOffsetReset', 'session.timeout.ms: 30000, autoOffsetReset'));
      await page.getByTestId('studio-problem').first().waitFor();
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: resolve(outDir, `${device}-${colorScheme}-studio-error.png`) });
      if (errors.length) console.error(`${device} ${colorScheme}: page errors:\n${errors.join('\n')}`);
      await context.close();
    }
  }
  const first = await newPage(browser, { baseURL });
  await first.page.goto('/studio/?scenario=acks-1-loss');
  await studioReady(first.page);
  await waitForPlayed(first.page, 1);
  await first.page.getByTestId('studio-share').click();
  const href = await first.page.getByTestId('studio-share-url').inputValue();
  await first.context.close();
  const fresh = await newPage(browser, { baseURL, viewport: viewports.desktop });
  await fresh.page.goto(href);
  await studioReady(fresh.page);
  await waitForPlayed(fresh.page, 1);
  await fresh.page.screenshot({ path: resolve(outDir, 'desktop-light-studio-shared-link.png') });
  await fresh.context.close();
} finally {
  await browser.close();
  server.close();
}
