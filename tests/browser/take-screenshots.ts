/**
 * Screenshots of the checkpoint page for a human to look at (not a test): passing report, failing
 * report with its counterexample, timeout report, syntax error — each in the light and the dark theme.
 *
 *   npx astro build && npx tsx tests/browser/take-screenshots.ts <out-dir>
 *
 * Serves dist/ like the browser tests do and drives Debian's Chromium.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { startStaticServer } from './global-setup.ts';
import { launchBrowser, newPage } from './browser.ts';
import { exerciseFile, grade, openCheckpoint, setCode } from './checkpoint-page.ts';

const ID = 'key-to-partition';
const outDir = resolve(process.argv[2] ?? 'screens');
mkdirSync(outDir, { recursive: true });

const server = await startStaticServer();
const baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const browser = await launchBrowser();

async function shoot(page: Page, name: string, target: string) {
  const element = page.locator(target).first();
  await element.scrollIntoViewIfNeeded();
  await page.waitForTimeout(300);
  const file = resolve(outDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: false });
  console.log(file);
}

const cases: { name: string; code: string; scrollTo: string }[] = [
  { name: 'passing', code: exerciseFile(ID, 'solution.ts'), scrollTo: '[data-testid="results"]' },
  { name: 'failing-counterexample', code: exerciseFile(ID, 'mistakes/math-abs.ts'), scrollTo: '[data-testid="counterexample"]' },
  {
    name: 'timeout',
    code: 'export function partition(keyBytes: Uint8Array, numPartitions: number): number {\n  let i = 0;\n  while (i < keyBytes.length) {\n    // forgot i++\n  }\n  return 0;\n}\n',
    scrollTo: '[data-testid="results"]',
  },
  {
    name: 'syntax-error',
    code: 'export function partition(keyBytes: Uint8Array, numPartitions: number): number {\n  return keyBytes.length +;\n}\n',
    scrollTo: '[data-testid="results"]',
  },
];

try {
  for (const colorScheme of ['light', 'dark'] as const) {
    const { page, context, errors } = await newPage(browser, { colorScheme, baseURL, viewport: { width: 1366, height: 900 } });
    await openCheckpoint(page, ID);
    await page.screenshot({ path: resolve(outDir, `${colorScheme}-page-top.png`) });
    for (const c of cases) {
      await setCode(page, c.code);
      await grade(page, 'run');
      await shoot(page, `${colorScheme}-${c.name}`, c.scrollTo);
    }
    await setCode(page, exerciseFile(ID, 'solution.ts'));
    await grade(page, 'submit');
    await shoot(page, `${colorScheme}-submit-passed`, '[data-testid="results"]');
    if (errors.length) console.error(`${colorScheme}: page errors:\n${errors.join('\n')}`);
    await context.close();
  }
} finally {
  await browser.close();
  server.closeAllConnections();
  server.close();
}
