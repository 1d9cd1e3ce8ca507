/**
 * The learner's path through lesson 01 in Chromium against the built site: the home page shows the
 * outline; the lesson reads (heading, figures with text alternatives); the quiz is answered with the
 * keyboard alone (one wrong answer first, then every question right), with feedback and explanation
 * after each; after a reload the answers are still there; the outline then shows the lesson in progress
 * and the quiz passed. Expected answers come from the same compiler the build uses (the engine), never
 * typed here.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { parse as parseYaml } from 'yaml';
import { launchBrowser, newPage } from './browser.ts';
import { parseQuizFile, type CompiledQuestion } from '../../site/lib/quiz.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const LESSON = '01-keys-and-partitions';
/** The lessons whose whole quiz the keyboard walk answers: lesson 1 (every classic type), lesson 3 (engine-played consumer stories, best-fit, recall), lesson 4 (replication stories), lesson 5 (retention and compaction), lesson 6 (share-group stories). */
const WALKED = [LESSON, '03-offsets-and-commits', '04-replication', '05-retention-and-compaction', '06-rebalancing'];

function loadLesson(id: string) {
  const lessonSource = readFileSync(resolve(ROOT, `content/lessons/${id}.mdx`), 'utf8');
  const frontmatter = parseYaml(/^---\n([\s\S]*?)\n---/.exec(lessonSource)![1]) as { title: string; quiz: string; checkpoint?: string };
  const quizFile = `content/quizzes/${frontmatter.quiz}.yaml`;
  return { frontmatter, quiz: parseQuizFile(quizFile, readFileSync(resolve(ROOT, quizFile), 'utf8')) };
}
/** The lesson the helpers below work on (the tests run one at a time; each test picks its lesson). */
let { frontmatter, quiz } = loadLesson(LESSON);
const useLesson = (id: string) => ({ frontmatter, quiz } = loadLesson(id));

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** The question's <li> in the quiz. */
const questionSelector = (q: CompiledQuestion) => `[id="${quiz.id}--${q.id}"]`;

/** Press Tab until `selector` (inside the question) has the focus; fails after `max` presses. */
async function tabTo(page: Page, selector: string, max = 40): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${selector}`);
}

/** Answer one question with the keyboard, starting with the focus before its first control. */
async function answerWithKeyboard(page: Page, q: CompiledQuestion, answer: 'right' | 'wrong'): Promise<void> {
  const scope = questionSelector(q);
  switch (q.type) {
    case 'numeric': {
      await tabTo(page, `${scope} input`);
      const value = answer === 'right' ? q.correct : q.correct + 1;
      await page.keyboard.type(String(value));
      await page.keyboard.press('Enter'); // submits the question's form
      return;
    }
    case 'single-choice': {
      // Tab reaches the radio group; arrow keys move the selection within it (and select).
      await tabTo(page, `${scope} input[type=radio]`);
      const target = answer === 'right' ? q.correct : q.choices.find((c) => c.id !== q.correct)!.id;
      const ids = q.choices.map((c) => c.id);
      await page.keyboard.press('Space'); // select the focused (first) option
      for (let i = 0; i < ids.indexOf(target); i++) await page.keyboard.press('ArrowDown');
      break;
    }
    case 'multi-select': {
      const wanted = new Set(answer === 'right' ? q.correct : [q.choices.find((c) => !q.correct.includes(c.id))!.id]);
      for (const c of q.choices) {
        await tabTo(page, `${scope} input[value="${c.id}"]`);
        if (wanted.has(c.id)) await page.keyboard.press('Space');
      }
      break;
    }
    case 'best-fit': {
      // a radio group like single-choice: Tab reaches it, Space selects, arrows move the selection
      await tabTo(page, `${scope} input[type=radio]`);
      const target = answer === 'right' ? q.correct : q.options.find((o) => o.id !== q.correct)!.id;
      const ids = q.options.map((o) => o.id);
      await page.keyboard.press('Space');
      for (let i = 0; i < ids.indexOf(target); i++) await page.keyboard.press('ArrowDown');
      break;
    }
    case 'recall': {
      // write, reveal the model answer (Enter on "Show model answer"), tick the key points, grade
      await tabTo(page, `${scope} textarea`);
      await page.keyboard.type('My own words: the partition depends on the count, so keys move.');
      await tabTo(page, `${scope} button[type=submit]`);
      await page.keyboard.press('Enter');
      await page.locator(`${scope} .quiz-model`).waitFor();
      const wanted = answer === 'right' ? q.points.map((p) => p.id) : [];
      for (const id of wanted) {
        await tabTo(page, `${scope} input[value="${id}"]`);
        await page.keyboard.press('Space');
      }
      break;
    }
    case 'order-steps': {
      // Selection sort with Alt+ArrowUp on the focused step: bring the right step to each position.
      for (let target = 0; target < q.correct.length; target++) {
        const order = await page.$$eval(`${scope} .quiz-step [data-step-id]`, (els) => els.map((e) => (e as HTMLElement).dataset.stepId!));
        const from = order.indexOf(q.correct[target]);
        if (from === target) continue;
        await tabTo(page, `${scope} .quiz-step:has([data-step-id="${q.correct[target]}"])`);
        for (let i = from; i > target; i--) await page.keyboard.press('Alt+ArrowUp');
        // focus stays on the moved step
        expect(
          await page.evaluate(() =>
            (document.activeElement as HTMLElement | null)?.querySelector('[data-step-id]')?.getAttribute('data-step-id'),
          ),
        ).toBe(q.correct[target]);
      }
      break;
    }
  }
  await tabTo(page, `${scope} button[type=submit]`);
  await page.keyboard.press('Enter');
}

/** Scroll the quiz into view (it hydrates when visible) and wait until it is interactive. */
async function openQuiz(page: Page): Promise<void> {
  await page.locator('#quiz').scrollIntoViewIfNeeded();
  await page.waitForSelector('.quiz[data-hydrated="true"]', { timeout: 20_000 });
}

/** On a lesson page: open the quiz, answer its first question right with the keyboard, wait for the feedback. */
async function answerFirstQuestionRight(page: Page): Promise<CompiledQuestion> {
  await openQuiz(page);
  const q = quiz.questions[0];
  await page
    .locator(`${questionSelector(q)} input, ${questionSelector(q)} .quiz-step`)
    .first()
    .focus();
  await page.keyboard.press('Shift+Tab');
  await answerWithKeyboard(page, q, 'right');
  await feedbackOf(page, q);
  return q;
}

async function feedbackOf(page: Page, q: CompiledQuestion): Promise<{ verdict: string; text: string }> {
  const box = page.locator(`${questionSelector(q)} .quiz-feedback`);
  await box.waitFor({ timeout: 10_000 });
  return { verdict: (await box.locator('.quiz-verdict strong').textContent()) ?? '', text: (await box.textContent()) ?? '' };
}

describe.each(WALKED)('lesson %s: the whole quiz by keyboard', (id) => {
  it('home → lesson → quiz by keyboard (wrong → Try again → right) → reload keeps answers → outline shows progress', async () => {
    useLesson(id);
    const LESSON = id;
    const { page, errors, context } = await newPage(browser);

    // Home: the outline, generated from the collection, with this lesson, its quiz and checkpoint, not started.
    await page.goto('/');
    const item = page.locator(`.outline-lesson[data-lesson="${LESSON}"]`);
    await expect.poll(() => item.locator('h3').textContent()).toContain(frontmatter.title);
    expect(await item.locator('[data-state-of="lesson"]').textContent()).toBe('Not started');
    expect(await item.locator('[data-state-of="quiz"]').textContent()).toBe('Not started');
    expect(
      await item
        .locator('.outline-parts li', { hasText: `${quiz.questions.length} questions` })
        .locator(`a[href$="#quiz"]`)
        .count(),
    ).toBe(1);
    if (frontmatter.checkpoint) {
      expect(await item.locator(`a[href$="/checkpoints/${frontmatter.checkpoint}/"]`).count()).toBe(1);
    }

    // The lesson: heading, figures with a text alternative.
    await item.locator('h3 a').click();
    await page.waitForURL(`**/lessons/${LESSON}/`);
    expect(await page.locator('h1').textContent()).toBe(frontmatter.title);
    const figures = page.locator('figure [role="img"]');
    expect(await figures.count()).toBeGreaterThan(0);
    for (const label of await figures.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''))) {
      expect(label.trim().length).toBeGreaterThan(20);
    }

    // The quiz hydrates when scrolled into view; the players embedded above it hydrate around the same time
    // (lessons 4 and 6 embed seven or eight): let the page settle before the walk starts.
    await openQuiz(page);
    await page.waitForLoadState('networkidle');
    // Start the keyboard walk at the quiz's heading (as a reader arriving there would).
    await page.evaluate(() => {
      const h2 = document.querySelector<HTMLElement>('#quiz h2')!;
      h2.tabIndex = -1;
      h2.focus();
    });
    await expect.poll(() => page.evaluate(() => document.activeElement?.matches('#quiz h2') ?? false)).toBe(true);

    // First question: a wrong answer gets "Not quite" with the right answer and the engine's working.
    const [first] = quiz.questions;
    await answerWithKeyboard(page, first, 'wrong');
    const wrong = await feedbackOf(page, first);
    expect(wrong.verdict).toBe('Not quite.');
    if (first.type === 'numeric') expect(wrong.text).toContain(`the answer is ${first.correct.toLocaleString('en-US')}`);
    expect(wrong.text).toContain('How the engine computes it');
    // "Try again" has the focus; pressing it returns to the question.
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Try again');
    await page.keyboard.press('Enter');
    // The question unlocks and takes the focus back (the island re-renders first: wait for it, as a person would
    // look before typing, so no Tab lands on the button that is going away).
    await expect
      .poll(() =>
        page.evaluate(
          (scope) => !document.querySelector(`${scope} .quiz-retry`) && (document.activeElement?.closest(scope) ?? null) !== null,
          questionSelector(first),
        ),
      )
      .toBe(true);

    // Every question, answered right with the keyboard alone.
    for (const q of quiz.questions) {
      await answerWithKeyboard(page, q, 'right');
      const fb = await feedbackOf(page, q);
      // a recall question is self-graded: every key point ticked reads "Got it."
      expect(fb.verdict, `question ${q.id}`).toBe(q.type === 'recall' ? 'Got it.' : 'Correct.');
      // recall: the model answer is its explanation
      const explanationText = await page
        .locator(`${questionSelector(q)} ${q.type === 'recall' ? '.quiz-model-answer' : '.quiz-explanation'}`)
        .textContent();
      expect(explanationText!.length, `question ${q.id} has an explanation`).toBeGreaterThan(20);
    }
    await expect
      .poll(() => page.locator('.quiz-score').textContent())
      .toContain(`${quiz.questions.length} of ${quiz.questions.length} correct`);

    // Reload: the answers and their feedback are still there.
    await page.reload();
    await openQuiz(page);
    await expect.poll(() => page.locator('.quiz-feedback.correct').count()).toBe(quiz.questions.length);
    const single = quiz.questions.find((q) => q.type === 'single-choice');
    if (single && single.type === 'single-choice') {
      expect(await page.locator(`${questionSelector(single)} input[value="${single.correct}"]`).isChecked()).toBe(true);
    }
    const numeric = quiz.questions.find((q) => q.type === 'numeric');
    if (numeric && numeric.type === 'numeric') {
      expect(await page.locator(`${questionSelector(numeric)} input`).inputValue()).toBe(String(numeric.correct));
    }

    // The outline: the quiz is passed; the lesson is in progress while it has a checkpoint not passed yet.
    await page.goto('/');
    await expect.poll(() => item.locator('[data-state-of="lesson"]').textContent()).toBe(frontmatter.checkpoint ? 'In progress' : 'Passed');
    expect(await item.locator('[data-state-of="quiz"]').textContent()).toBe('Passed');

    expect(errors).toEqual([]);
    await context.close();
  });
});

describe(`lesson ${LESSON} and its quiz`, () => {
  beforeEach(() => {
    useLesson(LESSON);
  });

  it('reset quiz forgets the answers, also after a reload', async () => {
    const { page, errors, context } = await newPage(browser);
    await page.goto(`/lessons/${LESSON}/`);
    await answerFirstQuestionRight(page);
    await page.getByRole('button', { name: 'Reset quiz' }).click();
    expect(await page.locator('.quiz-feedback').count()).toBe(0);
    await page.reload();
    await openQuiz(page);
    expect(await page.locator('.quiz-feedback').count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('progress page: export downloads the answers; a wrong file is refused with a reason; the export imports back', async () => {
    const { page, errors, context } = await newPage(browser);
    await page.goto(`/lessons/${LESSON}/`);
    const q = await answerFirstQuestionRight(page);

    await page.goto('/progress/');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download progress (JSON)' }).click(),
    ]);
    const exported = JSON.parse(readFileSync((await download.path())!, 'utf8'));
    expect(exported.version).toBe(1);
    expect(exported.quizzes[quiz.id][q.id].correct).toBe(true);

    await page.setInputFiles('#import-file', { name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('{"drafts":{}}') });
    await expect
      .poll(() => page.textContent('#import-result'))
      .toBe('This file is not Partition Lab progress: expected "version" to be a non-negative integer, got nothing.');
    await page.evaluate(() => localStorage.clear());
    await page.setInputFiles('#import-file', {
      name: 'progress.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(exported)),
    });
    await expect.poll(() => page.textContent('#import-result')).toContain('Imported progress.json');
    expect(await page.textContent('[data-count="answers"]')).toBe('1');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a corrupted progress store: the home page says it was recovered and still renders the outline', async () => {
    const { page, errors, context } = await newPage(browser);
    await page.goto('/');
    await page.evaluate(() => localStorage.setItem('partition-lab:progress', '{"version":1,"drafts":'));
    await page.reload();
    const notice = page.locator('#progress-notice .notice');
    await expect.poll(() => notice.textContent()).toContain('could not be read in full: it is not valid JSON');
    expect(await notice.textContent()).toContain('partition-lab:progress:backup:');
    expect(await page.locator(`.outline-lesson[data-lesson="${LESSON}"] [data-state-of="lesson"]`).textContent()).toBe('Not started');
    const backups = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('partition-lab:progress:backup:')));
    expect(backups).toHaveLength(1);
    expect(await page.evaluate((k) => localStorage.getItem(k), backups[0])).toBe('{"version":1,"drafts":');
    expect(errors).toEqual([]);
    await context.close();
  });
});
