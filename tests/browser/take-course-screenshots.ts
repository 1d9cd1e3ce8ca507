/**
 * Screenshots of the later course pages for a human to look at (not a test): the checkpoints (as opened,
 * and after a Run of the starter code with the results in view), the scenario studio and the replay page
 * (COURSE_PAGES in ./site-pages.ts), at desktop width (1366 × 900) and 390 × 844, light and dark.
 * Lessons have their own script (./take-lesson-screenshots.ts: each figure, table, scenario and the quiz).
 *
 *   npx astro build && npx tsx tests/browser/take-course-screenshots.ts <out-dir> [name filter]
 *
 * Serves dist/ like the browser tests do and drives Debian's Chromium.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import { startStaticServer } from './global-setup.ts';
import { launchBrowser, newPage } from './browser.ts';
import { grade } from './checkpoint-page.ts';
import { COURSE_PAGES } from './site-pages.ts';

const outDir = resolve(process.argv[2] ?? 'screens');
const filter = new RegExp(process.argv[3] ?? '^(checkpoint|studio|replay)');
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
      for (const sitePage of COURSE_PAGES.filter((p) => filter.test(p.name))) {
        await page.goto(`/${sitePage.path}`);
        await sitePage.ready(page);
        const shot = async (suffix = '') => {
          const file = resolve(outDir, `${device}-${colorScheme}-${slug(sitePage.name)}${suffix}.png`);
          await page.screenshot({ path: file });
          console.log(file);
        };
        await shot();
        if (sitePage.name.startsWith('checkpoint ')) {
          await grade(page, 'run'); // the starter code: what a learner sees on a first Run
          await page.waitForTimeout(300);
          await shot('-after-run');
        }
        if (sitePage.name === 'replay' || sitePage.name === 'studio') {
          await page.locator('.group-card, .plog').first().scrollIntoViewIfNeeded();
          await page.waitForTimeout(200);
          await shot('-player');
        }
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
