/**
 * Screenshots of a lesson page for a human to look at (not a test): each figure, table and embedded scenario,
 * and the quiz, at desktop width and at 390 px, in the light and the dark theme.
 *
 *   npx astro build && npx tsx tests/browser/take-lesson-screenshots.ts <lesson-id> <out-dir>
 *
 * Serves dist/ like the browser tests do and drives Debian's Chromium.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import { startStaticServer } from './global-setup.ts';
import { launchBrowser, newPage } from './browser.ts';

const lesson = process.argv[2] ?? '03-offsets-and-commits';
const outDir = resolve(process.argv[3] ?? 'screens');
mkdirSync(outDir, { recursive: true });

const server = await startStaticServer();
const baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const browser = await launchBrowser();
const targets = ['figure.figure', '.ot-wrap', '.scenario-embed'];

try {
  for (const colorScheme of ['light', 'dark'] as const) {
    for (const [label, viewport] of [
      ['desktop', { width: 1280, height: 900 }],
      ['mobile', { width: 390, height: 844 }],
    ] as const) {
      const { page, context } = await newPage(browser, { colorScheme, baseURL, viewport });
      await page.goto(`/lessons/${lesson}/`);
      await page.screenshot({ path: resolve(outDir, `${colorScheme}-${label}-top.png`) });
      let n = 0;
      for (const selector of targets) {
        const items = page.locator(selector);
        const count = await items.count();
        for (let i = 0; i < count; i++) {
          const item = items.nth(i);
          await item.scrollIntoViewIfNeeded();
          await page.waitForTimeout(200);
          const file = resolve(outDir, `${colorScheme}-${label}-${String(++n).padStart(2, '0')}.png`);
          await item.screenshot({ path: file });
          console.log(file);
        }
      }
      await page.locator('section.quiz').scrollIntoViewIfNeeded();
      await page.waitForTimeout(300);
      await page.screenshot({ path: resolve(outDir, `${colorScheme}-${label}-quiz.png`) });
      await context.close();
    }
  }
} finally {
  await browser.close();
  server.close();
}
