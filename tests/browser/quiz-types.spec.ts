/**
 * The best-fit and recall quiz types in Chromium against the built site, the whole loop each:
 *
 * - best-fit: answer wrong (mouse), every design's explanation appears with the choice and the best one
 *   marked in text, the verdict is in the live region; Try again keeps the choice; answer right with the
 *   keyboard alone (arrow keys in the radio group, Enter on "Check answer"); reload keeps it.
 * - recall: "Show model answer" refuses an empty answer; type, reveal, tick some key points, reload (text
 *   and ticks kept, not graded yet); grade → "Partly", scheduled; reload keeps the verdict; Try again hides
 *   the model answer and keeps the text; all points → "Got it"; the drills page lists the review as coming
 *   up, and as due (clock moved two days on) with a link back to the question.
 *
 * The questions, their options and key points come from the same quiz compiler the build uses.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { parseQuizFile, type CompiledQuestion } from '../../site/lib/quiz.ts';
import { launchBrowser, newPage } from './browser.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const LESSON = '01-keys-and-partitions';
const QUIZ_FILE = `content/quizzes/${LESSON}.yaml`;
const quiz = parseQuizFile(QUIZ_FILE, readFileSync(resolve(ROOT, QUIZ_FILE), 'utf8'));
const PROGRESS_KEY = 'partition-lab:progress';
const SCHEDULE_KEY = 'partition-lab:drills';
const DAY = 24 * 60 * 60 * 1000;

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

function questionOfType<T extends CompiledQuestion['type']>(type: T): Extract<CompiledQuestion, { type: T }> {
  const q = quiz.questions.find((x) => x.type === type);
  if (!q) throw new Error(`lesson ${LESSON}'s quiz has no ${type} question`);
  return q as Extract<CompiledQuestion, { type: T }>;
}

const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, '')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
const squash = (s: string | null) => (s ?? '').replace(/\s+/g, ' ').trim();
const box = (page: Page, q: CompiledQuestion): Locator => page.locator(`[id="${quiz.id}--${q.id}"]`);

async function openQuiz(page: Page): Promise<void> {
  await page.locator('#quiz').scrollIntoViewIfNeeded();
  await page.waitForSelector('.quiz[data-hydrated="true"]', { timeout: 20_000 });
}

async function stored(page: Page, q: CompiledQuestion): Promise<{ answer: unknown; correct: boolean } | undefined> {
  return page.evaluate(([key, quizId, qid]) => JSON.parse(localStorage.getItem(key) ?? '{}').quizzes?.[quizId]?.[qid], [
    PROGRESS_KEY,
    quiz.id,
    q.id,
  ] as const);
}

async function scheduled(
  page: Page,
  key: string,
): Promise<{ card: { due: number }; stats: { attempts: number; lastOutcome: string } } | undefined> {
  return page.evaluate(([k, card]) => JSON.parse(localStorage.getItem(k) ?? '{}').recall?.[card], [SCHEDULE_KEY, key] as const);
}

const settle = (page: Page) => page.evaluate(() => new Promise((done) => requestAnimationFrame(() => setTimeout(done, 150))));

describe('best-fit: a production situation, designs with their reasons', () => {
  const q = questionOfType('best-fit');
  const wrong = q.options.find((o) => o.id !== q.correct)!;
  const best = q.options.find((o) => o.id === q.correct)!;

  it('wrong → every explanation, choice and best marked → Try again keeps the choice → right by keyboard → reload', async () => {
    const { page, errors, context } = await newPage(browser);
    await page.goto(`/lessons/${LESSON}/`);
    await openQuiz(page);
    const question = box(page, q);

    // a radio group named by the question, one radio per design, nothing explained before answering
    const radios = question.getByRole('radio');
    expect(await radios.count()).toBe(q.options.length);
    expect(squash(await question.locator('fieldset > legend .quiz-prompt').textContent())).toBe(squash(text(q.promptHtml)));
    expect(await question.locator('.quiz-bestfit-why').count()).toBe(0);

    // Check with nothing chosen: a complaint, no verdict
    await question.getByRole('button', { name: 'Check answer' }).click();
    expect(await question.locator('.quiz-problem').textContent()).toBe('Choose one design first.');
    expect(await question.locator('.quiz-feedback').count()).toBe(0);

    // wrong
    await question.locator(`input[value="${wrong.id}"]`).check();
    await question.getByRole('button', { name: 'Check answer' }).click();
    const live = question.locator('.quiz-feedback-region[aria-live="polite"]');
    await live.locator('.quiz-verdict strong').waitFor();
    expect(await live.locator('.quiz-verdict strong').textContent()).toBe('Not quite.');
    const quoted = (html: string) => text(html).replace(/\.$/, ''); // a closing full stop is dropped inside the quotes
    expect(squash(await live.locator('.quiz-verdict').textContent())).toContain(
      `You picked “${quoted(wrong.html)}”; the best fit is “${quoted(best.html)}”.`,
    );
    // every design explained, in the authored order, each under its design
    const whys = await question.locator('[data-option-id]').evaluateAll((els) =>
      els.map((el) => ({
        id: (el as HTMLElement).dataset.optionId,
        why: el.querySelector('.quiz-bestfit-why p')?.textContent ?? null,
        mark: el.querySelector('.quiz-mark')?.textContent ?? null,
      })),
    );
    expect(whys.map((w) => w.id)).toEqual(q.options.map((o) => o.id));
    q.options.forEach((o, i) => expect(squash(whys[i].why), o.id).toBe(squash(text(o.explanationHtml))));
    expect(whys.find((w) => w.id === wrong.id)!.mark).toBe('✗ Your choice');
    expect(whys.find((w) => w.id === best.id)!.mark).toBe('★ The best fit');
    expect(whys.filter((w) => w.mark === null)).toHaveLength(q.options.length - 2);
    // each radio is described by its explanation
    expect(await question.locator(`input[value="${best.id}"]`).getAttribute('aria-describedby')).toBe(`${quiz.id}--${q.id}-why-${best.id}`);
    expect(await stored(page, q)).toMatchObject({ answer: wrong.id, correct: false });

    // Try again: the choice is kept and the radios are enabled; the focus is back in the group
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Try again');
    await page.keyboard.press('Enter');
    await question.getByRole('button', { name: 'Check answer' }).waitFor();
    await settle(page);
    expect(await question.locator('.quiz-feedback').count()).toBe(0);
    expect(await question.locator('.quiz-bestfit-why').count()).toBe(0);
    expect(await question.locator(`input[value="${wrong.id}"]`).isChecked()).toBe(true);
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.value)).toBe(wrong.id);

    // right, with the keyboard alone: arrows move the selection within the radio group, Tab to the button, Enter
    const ids = q.options.map((o) => o.id);
    const steps = ids.indexOf(best.id) - ids.indexOf(wrong.id);
    for (let i = 0; i < Math.abs(steps); i++) await page.keyboard.press(steps > 0 ? 'ArrowDown' : 'ArrowUp');
    expect(await question.locator(`input[value="${best.id}"]`).isChecked()).toBe(true);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Check answer');
    await page.keyboard.press('Enter');
    await question.locator('.quiz-feedback.correct').waitFor();
    expect(await live.locator('.quiz-verdict strong').textContent()).toBe('Correct.');
    expect(await question.locator(`[data-option-id="${best.id}"] .quiz-mark`).textContent()).toBe('✓ Your choice · the best fit');
    expect(await question.locator('.quiz-bestfit-why p').count()).toBe(q.options.length);

    // reload: the right answer, stored and shown with every explanation
    await page.reload();
    await openQuiz(page);
    await question.locator('.quiz-feedback.correct').waitFor({ timeout: 10_000 });
    expect(await question.locator(`input[value="${best.id}"]`).isChecked()).toBe(true);
    expect(await question.locator('.quiz-bestfit-why p').count()).toBe(q.options.length);
    expect(await stored(page, q)).toMatchObject({ answer: best.id, correct: true });
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe('recall: own words, model answer, self-graded key points, spaced repetition', () => {
  const q = questionOfType('recall');
  const key = `${quiz.id}/${q.id}`;
  const words =
    'The partition is the key hash modulo the count, so more partitions move keys and per-key order breaks.\nSafer: a new topic.';

  it('type, reveal, tick, reload, grade, reload, Try again, all points; the review is listed on the drills page', async () => {
    const { page, errors, context } = await newPage(browser);
    await page.goto(`/lessons/${LESSON}/`);
    await openQuiz(page);
    const question = box(page, q);
    const textarea = question.getByRole('textbox', { name: 'Your answer' });

    // nothing written: a complaint, the model answer stays hidden
    await question.getByRole('button', { name: 'Show model answer' }).click();
    expect(await question.locator('.quiz-problem').textContent()).toBe('Write your answer first: a few sentences in your own words.');
    expect(await textarea.getAttribute('aria-invalid')).toBe('true');
    expect(await question.locator('.quiz-model').count()).toBe(0);

    // write, reveal: the model answer and one checkbox per key point; the focus moves to the model answer
    await textarea.fill(words);
    await question.getByRole('button', { name: 'Show model answer' }).click();
    await question.locator('.quiz-model').waitFor();
    expect(await page.evaluate(() => document.activeElement?.classList.contains('quiz-model'))).toBe(true);
    const paragraphs = await question.locator('.quiz-model-answer p').evaluateAll((els) => els.map((e) => e.textContent ?? ''));
    expect(paragraphs.map(squash)).toEqual(q.explanationHtml.split('</p><p>').map((p) => squash(text(p))));
    expect(paragraphs.length).toBeGreaterThan(1);
    const points = question.getByRole('checkbox');
    expect(await points.count()).toBe(q.points.length);
    expect(await textarea.getAttribute('readonly')).not.toBeNull();
    expect(await question.locator('.quiz-problem').count()).toBe(0);
    const some = [q.points[0].id, q.points[2].id];
    for (const id of some) await question.locator(`input[value="${id}"]`).check();
    expect(squash(await question.locator('.quiz-points legend').textContent())).toContain(`(2 of ${q.points.length})`);

    // reload before grading: text, reveal and ticks are kept; nothing graded or scheduled yet
    await page.reload();
    await openQuiz(page);
    await question.locator('.quiz-model').waitFor({ timeout: 10_000 });
    expect(await textarea.inputValue()).toBe(words);
    for (const p of q.points) expect(await question.locator(`input[value="${p.id}"]`).isChecked(), p.id).toBe(some.includes(p.id));
    expect(await question.locator('.quiz-feedback').count()).toBe(0);
    expect(await scheduled(page, key)).toBeUndefined();

    // grade: 2 of n → Partly, stored as not correct, scheduled
    await question.getByRole('button', { name: 'Grade my answer' }).click();
    const feedback = question.locator('.quiz-feedback-region[aria-live="polite"] .quiz-feedback');
    await feedback.waitFor();
    expect(await feedback.getAttribute('data-outcome')).toBe('partly');
    expect(squash(await feedback.locator('.quiz-verdict').textContent())).toBe(`Partly. You covered 2 of ${q.points.length} key points.`);
    expect(squash(await feedback.locator('.quiz-review').textContent())).toMatch(
      /^Next review in \d+ minutes?; due reviews are listed on the drills page\.$/,
    );
    expect(await stored(page, q)).toMatchObject({ answer: ['recall/v1', 'graded', words, ...some], correct: false });
    expect(await scheduled(page, key)).toMatchObject({ stats: { attempts: 1, lastOutcome: 'partly' } });
    expect(await points.first().isDisabled()).toBe(true);

    // reload: the verdict, the text and the ticks are kept
    await page.reload();
    await openQuiz(page);
    await feedback.waitFor({ timeout: 10_000 });
    expect(await feedback.getAttribute('data-outcome')).toBe('partly');
    expect(await textarea.inputValue()).toBe(words);
    for (const p of q.points) expect(await question.locator(`input[value="${p.id}"]`).isChecked(), p.id).toBe(some.includes(p.id));

    // Try again: the model answer hides, the text stays, editable, focused
    await question.getByRole('button', { name: 'Try again' }).click();
    await question.getByRole('button', { name: 'Show model answer' }).waitFor();
    await settle(page);
    expect(await question.locator('.quiz-model').count()).toBe(0);
    expect(await question.locator('.quiz-feedback').count()).toBe(0);
    expect(await textarea.inputValue()).toBe(words);
    expect(await textarea.getAttribute('readonly')).toBeNull();
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('TEXTAREA');
    await page.keyboard.type(' Drain the old topic first.');

    // reveal again: ticks start over; tick every point → Got it, correct, second review
    await question.getByRole('button', { name: 'Show model answer' }).click();
    await question.locator('.quiz-model').waitFor();
    for (const p of q.points) expect(await question.locator(`input[value="${p.id}"]`).isChecked(), p.id).toBe(false);
    for (const p of q.points) await question.locator(`input[value="${p.id}"]`).check();
    await question.getByRole('button', { name: 'Grade my answer' }).click();
    await question.locator('.quiz-feedback.correct').waitFor();
    expect(squash(await feedback.locator('.quiz-verdict').textContent())).toBe(
      `Got it. You covered ${q.points.length} of ${q.points.length} key points.`,
    );
    expect(await stored(page, q)).toMatchObject({
      answer: ['recall/v1', 'graded', `${words} Drain the old topic first.`, ...q.points.map((p) => p.id)],
      correct: true,
    });
    const card = await scheduled(page, key);
    expect(card).toMatchObject({ stats: { attempts: 2, lastOutcome: 'got-it' } });

    // the drills page: coming up, not due yet
    await page.goto('/drills/');
    const reviews = page.locator('#recall');
    await expect
      .poll(() => reviews.getByTestId('recall-due-count').textContent(), { timeout: 10_000 })
      .toBe('No recall question is due for review.');
    const upcoming = reviews.getByTestId('recall-upcoming').locator(`[data-key="${key}"]`);
    expect(squash(await upcoming.textContent())).toContain(text(q.promptHtml));
    expect(await upcoming.getAttribute('data-due')).toBe('false');

    // two days on (the card is due by then): "1 recall question due", a link back to the question
    const later = await context.newPage();
    await later.clock.install({ time: new Date(card!.card.due + 2 * DAY) });
    await later.goto('/drills/');
    const due = later.locator('#recall');
    await expect
      .poll(() => due.getByTestId('recall-due-count').textContent(), { timeout: 10_000 })
      .toBe('1 recall question due for review. Open one, press Try again and answer from memory.');
    const link = due.locator(`[data-key="${key}"][data-due="true"] a`);
    expect(await link.getAttribute('href')).toMatch(new RegExp(`/lessons/${LESSON}/#${quiz.id}--${q.id}$`));
    await link.click();
    await later.waitForURL(`**/lessons/${LESSON}/#${quiz.id}--${q.id}`);
    await later.waitForSelector('.quiz[data-hydrated="true"]', { timeout: 20_000 });
    await expect
      .poll(() => box(later, q).locator('.quiz-review').textContent())
      .toBe('Due for review now: press Try again and answer it from memory.');

    expect(errors).toEqual([]);
    await context.close();
  });
});
