/**
 * One page of every type the course has, each with what it takes for the page to be "ready" as a
 * learner sees it (islands hydrated, the editor up, a quiz answered, a scenario stepped). Shared by the
 * accessibility, narrow-screen and offline specs so every one of them covers the same page types.
 */
import type { Page } from 'playwright-core';
import { exerciseFile, grade, setCode, waitUntilReady } from './checkpoint-page.ts';
import { studioReady, waitForPlayed } from './studio-page.ts';

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

/** The checkpoint page is up: the editor takes input and the grader worker said ready. */
const checkpointReady = (page: Page) => waitUntilReady(page);

/** A lesson page, and its quiz (hydrated, first question answered so the feedback shows). */
function lessonPages(lesson: string, label: string): SitePage[] {
  return [
    { name: `lesson ${label}`, path: `lessons/${lesson}/`, ready: async (page) => void (await page.waitForSelector('.lesson h1')) },
    {
      name: `quiz ${label}`,
      path: `lessons/${lesson}/`,
      ready: async (page) => {
        await page.locator('#quiz').scrollIntoViewIfNeeded();
        await page.waitForSelector('.quiz[data-hydrated="true"]', { timeout: 30_000 });
        await answerFirstQuizQuestion(page);
      },
    },
  ];
}

/** The checkpoint whose failures carry a replay, and the mistake that makes one. */
export const REPLAY_CHECKPOINT = 'commit-logic';
export const REPLAY_MISTAKE = 'mistakes/commit-before-processing.ts';

/**
 * More pages of the course beyond one per type (SITE_PAGES): the later lessons with their quizzes, the
 * newer checkpoints, the scenario studio, and the replay page reached the way a learner reaches it — a
 * real "Replay in the player" link from a failed checkpoint run. The accessibility spec runs on these too.
 */
export const COURSE_PAGES: SitePage[] = [
  ...lessonPages('04-replication', '4'),
  ...lessonPages('05-retention-and-compaction', '5'),
  ...lessonPages('06-rebalancing', '6'),
  ...['commit-logic', 'log-cleaner', 'high-watermark', 'reconcile'].map((id): SitePage => ({
    name: `checkpoint ${id}`,
    path: `checkpoints/${id}/`,
    ready: checkpointReady,
  })),
  {
    // the studio with its starting text played (Play pressed) in the player beside the editor
    name: 'studio',
    path: 'studio/',
    ready: async (page) => {
      await studioReady(page);
      await page.getByTestId('studio-play').click();
      await waitForPlayed(page, 1);
      await settle(page);
    },
  },
  {
    // a failed commit-logic run → "Replay in the player" → the replay page, played to its last step
    name: 'replay',
    path: `checkpoints/${REPLAY_CHECKPOINT}/`,
    ready: async (page) => {
      await checkpointReady(page);
      await setCode(page, exerciseFile(REPLAY_CHECKPOINT, REPLAY_MISTAKE));
      await grade(page, 'run');
      await page.getByTestId('replay-link').first().click();
      await page.getByTestId('replay-ready').waitFor({ timeout: 30_000 });
      await page.locator('.splayer-scrubber').first().focus();
      await page.keyboard.press('End');
      await settle(page);
    },
  },
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
