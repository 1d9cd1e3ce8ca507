/**
 * Screenshots of the best-fit and recall quiz types for a human to look at (not a test): each answered
 * wrong and right (best-fit), revealed with points ticked and graded (recall), and the drills page's recall
 * list — desktop (1366 px) and phone (390 px) wide, light and dark theme.
 *
 *   npx astro build && npx tsx tests/browser/take-quiz-screenshots.ts <out-dir>
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Locator, Page } from 'playwright-core';
import { startStaticServer } from './global-setup.ts';
import { launchBrowser, newPage } from './browser.ts';
import { parseQuizFile, type CompiledQuestion } from '../../site/lib/quiz.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const LESSON = '01-keys-and-partitions';
const quiz = parseQuizFile(`content/quizzes/${LESSON}.yaml`, readFileSync(resolve(ROOT, `content/quizzes/${LESSON}.yaml`), 'utf8'));
const bestFit = quiz.questions.find((q) => q.type === 'best-fit') as Extract<CompiledQuestion, { type: 'best-fit' }>;
const recall = quiz.questions.find((q) => q.type === 'recall') as Extract<CompiledQuestion, { type: 'recall' }>;
const outDir = resolve(process.argv[2] ?? 'screens');
mkdirSync(outDir, { recursive: true });

const server = await startStaticServer();
const baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const browser = await launchBrowser();
const box = (page: Page, q: CompiledQuestion): Locator => page.locator(`[id="${quiz.id}--${q.id}"]`);

async function shoot(page: Page, target: Locator, name: string) {
  await target.scrollIntoViewIfNeeded();
  await page.waitForTimeout(250);
  const file = resolve(outDir, `${name}.png`);
  await target.screenshot({ path: file });
  console.log(file);
}

try {
  for (const colorScheme of ['light', 'dark'] as const) {
    for (const [size, viewport] of [
      ['desktop', { width: 1366, height: 900 }],
      ['390', { width: 390, height: 844 }],
    ] as const) {
      const tag = `${colorScheme}-${size}`;
      const { page, context, errors } = await newPage(browser, { colorScheme, baseURL, viewport });
      await page.goto(`/lessons/${LESSON}/`);
      await page.locator('#quiz').scrollIntoViewIfNeeded();
      await page.waitForSelector('.quiz[data-hydrated="true"]');

      const bf = box(page, bestFit);
      await shoot(page, bf, `${tag}-best-fit-open`);
      await bf.locator(`input[value="${bestFit.options[0].id}"]`).check();
      await bf.getByRole('button', { name: 'Check answer' }).click();
      await bf.locator('.quiz-feedback').waitFor();
      await shoot(page, bf, `${tag}-best-fit-wrong`);
      await bf.getByRole('button', { name: 'Try again' }).click();
      await bf.locator(`input[value="${bestFit.correct}"]`).check();
      await bf.getByRole('button', { name: 'Check answer' }).click();
      await bf.locator('.quiz-feedback.correct').waitFor();
      await shoot(page, bf, `${tag}-best-fit-right`);

      const rc = box(page, recall);
      await rc
        .locator('textarea')
        .fill(
          'Adding partitions changes toPositive(murmur2(key)) % n, so keys move and per-key order breaks.\nSafer: a new topic and a cut-over.',
        );
      await shoot(page, rc, `${tag}-recall-writing`);
      await rc.getByRole('button', { name: 'Show model answer' }).click();
      await rc.locator('.quiz-model').waitFor();
      for (const p of recall.points.slice(0, 3)) await rc.locator(`input[value="${p.id}"]`).check();
      await shoot(page, rc, `${tag}-recall-revealed`);
      await rc.getByRole('button', { name: 'Grade my answer' }).click();
      await rc.locator('.quiz-feedback').waitFor();
      await shoot(page, rc, `${tag}-recall-partly`);

      await page.goto('/drills/');
      await page.locator('#recall [data-testid="recall-upcoming"]').waitFor();
      await shoot(page, page.locator('#recall'), `${tag}-drills-recall`);
      if (errors.length) console.error(`${tag}: page errors:\n${errors.join('\n')}`);
      await context.close();
    }
  }
} finally {
  await browser.close();
  server.closeAllConnections();
  server.close();
}
