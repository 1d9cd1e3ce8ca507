import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import { startStaticServer } from '../tests/browser/global-setup.ts';
import { launchBrowser, newPage } from '../tests/browser/browser.ts';
const out = '/tmp/shots-drills5';
mkdirSync(out, { recursive: true });
const server = await startStaticServer();
const baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const browser = await launchBrowser();
try {
  for (const colorScheme of ['light', 'dark'] as const)
    for (const [label, viewport] of [['desktop', { width: 1280, height: 1000 }], ['mobile', { width: 390, height: 1100 }]] as const)
      for (const kind of ['retention-deleted-segments', 'compacted-log-after-cleaning', 'resume-after-retention']) {
        const { page, context } = await newPage(browser, { colorScheme, baseURL, viewport });
        await page.goto(`/drills/?kind=${kind}&seed=7`);
        await page.waitForTimeout(1500);
        await page.screenshot({ path: resolve(out, `${colorScheme}-${label}-${kind}.png`), fullPage: true });
        await context.close();
      }
} finally {
  await browser.close();
  server.close();
}
