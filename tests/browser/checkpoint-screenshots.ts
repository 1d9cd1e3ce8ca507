/**
 * Screenshots of the checkpoint page while it loads (not a test): desktop (1366 × 900) and phone (390 × 844),
 * light and dark; before Monaco loads (its chunk held back: the build-time highlighted starter) and after
 * (the editor; on the phone the Editor tab, then the Results tab after a run).
 *
 *   npx astro build && npx tsx tests/browser/checkpoint-screenshots.ts <out-dir>
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Route } from 'playwright-core';
import { startStaticServer } from './global-setup.ts';
import { launchBrowser, newPage } from './browser.ts';
import { exerciseFile, grade, setCode, waitUntilReady } from './checkpoint-page.ts';

const ID = 'key-to-partition';
const outDir = resolve(process.argv[2] ?? 'screens');
mkdirSync(outDir, { recursive: true });
const server = await startStaticServer();
const baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const browser = await launchBrowser();
const shot = async (page: import('playwright-core').Page, name: string) => {
  const file = resolve(outDir, `${name}.png`);
  await page.screenshot({ path: file });
  console.log(file);
};

try {
  for (const colorScheme of ['light', 'dark'] as const) {
    for (const [device, viewport] of [
      ['desktop', { width: 1366, height: 900 }],
      ['phone', { width: 390, height: 844 }],
    ] as const) {
      const { page, context, errors } = await newPage(browser, { colorScheme, baseURL, viewport });
      const held: Route[] = [];
      let holding = true;
      await page.route(/\/monaco-setup\.[^/]*\.js$/, (route) => (holding ? void held.push(route) : void route.continue()));
      await page.goto(`/checkpoints/${ID}/`);
      while (held.length === 0) await page.waitForTimeout(50);
      if (device === 'phone') await page.getByRole('tab', { name: 'Editor' }).click();
      await page.waitForTimeout(300);
      await shot(page, `${device}-${colorScheme}-before-monaco`);
      holding = false;
      await Promise.all(held.map((r) => r.continue()));
      await waitUntilReady(page);
      await page.waitForTimeout(1500);
      await shot(page, `${device}-${colorScheme}-editor`);
      if (device === 'phone') {
        await page.getByRole('tab', { name: 'Instructions' }).click();
        await shot(page, `${device}-${colorScheme}-instructions`);
        await page.getByRole('tab', { name: 'Editor' }).click();
        await setCode(page, exerciseFile(ID, 'mistakes/math-abs.ts'));
        await grade(page, 'run');
        await page.waitForTimeout(300);
        await shot(page, `${device}-${colorScheme}-results`);
      }
      if (errors.length) console.error(`${device} ${colorScheme}: page errors:\n${errors.join('\n')}`);
      await context.close();
    }
  }
} finally {
  await browser.close();
  server.closeAllConnections();
  server.close();
}
