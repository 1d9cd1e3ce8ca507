/**
 * One page of every type the course has, each with what it takes for the page to be "ready" as a
 * learner sees it (islands hydrated, the editor up, a quiz answered, a scenario stepped). Shared by the
 * accessibility, narrow-screen and offline specs so every one of them covers the same page types.
 */
import type { Page } from 'playwright-core';

export interface SitePage {
  /** the page type, used in test names: `home`, `lesson`, `quiz`, `checkpoint`, … */
  name: string;
  /** the path under the site's base, without the base: `lessons/01-keys-and-partitions/` */
  path: string;
  /** wait until the page is what a learner sees (and, for `quiz` and `scenario`, act once) */
  ready(page: Page): Promise<void>;
}

/** Two frames: effects of an island that just rendered have run. */
export async function settle(page: Page): Promise<void> {
  await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok))));
}

async function hydrated(page: Page): Promise<void> {
  await page.waitForFunction(() => !document.querySelector('astro-island[ssr]'), undefined, { timeout: 30_000 });
}

export const LESSON = '01-keys-and-partitions';
export const CHECKPOINT = 'key-to-partition';
export const SCENARIO = 'eager-vs-cooperative';

export const SITE_PAGES: SitePage[] = [
  { name: 'home', path: '', ready: async (page) => void (await page.waitForSelector('h1')) },
  { name: 'lesson', path: `lessons/${LESSON}/`, ready: async (page) => void (await page.waitForSelector('.lesson h1')) },
  {
    // the quiz island (client:visible) hydrated, with one question answered so its feedback shows
    name: 'quiz',
    path: `lessons/${LESSON}/`,
    ready: async (page) => {
      await page.locator('#quiz').scrollIntoViewIfNeeded();
      await page.waitForSelector('.quiz[data-hydrated="true"]', { timeout: 30_000 });
      await answerFirstQuizQuestion(page);
    },
  },
  {
    name: 'checkpoint',
    path: `checkpoints/${CHECKPOINT}/`,
    ready: async (page) => {
      await page.waitForSelector('[data-editor-ready="true"]', { timeout: 30_000 });
      await page.waitForSelector('[data-grader-state="ready"]', { timeout: 30_000 });
    },
  },
  { name: 'scenario list', path: 'scenarios/', ready: async (page) => void (await page.waitForSelector('.scenario-item')) },
  {
    // stepped until a step changed something, so "changed this step" markers are drawn
    name: 'scenario',
    path: `scenarios/${SCENARIO}/`,
    ready: async (page) => {
      await page.waitForSelector('.splayer');
      await hydrated(page);
      for (let i = 0; i < 10 && (await page.locator('.splayer .is-changed, .splayer .is-new').count()) === 0; i++) {
        await page.locator('.splayer button[aria-label="Next step"]').first().click();
        await settle(page);
      }
    },
  },
  {
    name: 'drills',
    path: 'drills/',
    ready: async (page) => {
      await page.locator('.drill-prompt').waitFor({ timeout: 30_000 });
      await settle(page);
    },
  },
  { name: 'progress', path: 'progress/', ready: async (page) => void (await page.waitForSelector('h1')) },
];

/**
 * Answer the quiz's first question (whatever its type) with the mouse and check it: any answer will
 * do, the point is the feedback it shows.
 */
export async function answerFirstQuizQuestion(page: Page): Promise<void> {
  const first = page.locator('.quiz-question').first();
  const text = first.locator('input[type="text"], input[inputmode]');
  if (await text.count()) await text.first().fill('0');
  else await first.locator('input[type="radio"], input[type="checkbox"]').first().check();
  await first.locator('.quiz-check').click();
  await first.locator('.quiz-feedback-region').filter({ hasText: /\S/ }).waitFor({ timeout: 10_000 });
}
