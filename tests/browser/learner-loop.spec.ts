/**
 * The learner's whole loop in Chromium against the built site (issue 13, "Bugs to fix"): answer, retry,
 * answer again, reload — not only the first click. One `describe` per bug:
 *
 * 1. quiz "Try again" unlocks the question without submitting it again, for every question type;
 * 2. drills "Next question" shows the next question without grading it or recording a miss;
 * 3. a checkpoint draft that cannot be saved (localStorage full: setItem throws QuotaExceededError, as a
 *    browser does over quota) is reported truthfully, kept in the tab across a reload, and downloadable;
 * 4. progress written by a newer version: the notice says nothing was kept, and the backup can be
 *    downloaded (and a readable backup restored) on the progress page;
 * 5. export → clear → import carries the drill history too;
 * 6. lesson 1's quiz gives the hash of every key it asks about, as the engine computes it;
 * 7. key-to-partition names the Math.abs mistake only on evidence, not on a coincidence;
 * 8. a passed checkpoint shows "passed" when revisited; after Run the results heading is in view and
 *    focused; the headline and the counts under it agree.
 *
 * Expected answers come from the engine (or the same quiz compiler the build uses), never typed here.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { parse as parseYaml } from 'yaml';
import { generateDrill, murmur2, partitionForKey, toPositive, utf8, type DrillKind } from '../../engine/index.ts';
import { parseQuizFile, type CompiledQuestion } from '../../site/lib/quiz.ts';
import { launchBrowser, newPage } from './browser.ts';
import { exerciseFile, getCode, grade, openCheckpoint, readReport, setCode, waitUntilReady } from './checkpoint-page.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const LESSON = '01-keys-and-partitions';
const QUIZ_FILE = `content/quizzes/${LESSON}.yaml`;
const quizText = readFileSync(resolve(ROOT, QUIZ_FILE), 'utf8');
const quiz = parseQuizFile(QUIZ_FILE, quizText);
const PROGRESS_KEY = 'partition-lab:progress';
const DRILLS_KEY = 'partition-lab:drills';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

// ---- helpers ------------------------------------------------------------------------------------

function questionOfType<T extends CompiledQuestion['type']>(type: T): Extract<CompiledQuestion, { type: T }> {
  const q = quiz.questions.find((x) => x.type === type);
  if (!q) throw new Error(`lesson ${LESSON}'s quiz has no ${type} question`);
  return q as Extract<CompiledQuestion, { type: T }>;
}

const questionBox = (page: Page, q: CompiledQuestion): Locator => page.locator(`[id="${quiz.id}--${q.id}"]`);

async function openQuiz(page: Page): Promise<void> {
  await page.locator('#quiz').scrollIntoViewIfNeeded();
  await page.waitForSelector('.quiz[data-hydrated="true"]', { timeout: 20_000 });
}

async function check(page: Page, q: CompiledQuestion): Promise<string> {
  const box = questionBox(page, q);
  await box.getByRole('button', { name: 'Check answer' }).click();
  const verdict = box.locator('.quiz-feedback .quiz-verdict strong');
  await verdict.waitFor({ timeout: 10_000 });
  return (await verdict.textContent()) ?? '';
}

/** Click "Try again"; then the question must be open: no verdict, no complaint, its controls enabled. */
async function tryAgain(page: Page, q: CompiledQuestion): Promise<void> {
  const box = questionBox(page, q);
  await box.getByRole('button', { name: 'Try again' }).click();
  await box.getByRole('button', { name: 'Check answer' }).waitFor({ timeout: 5_000 });
  // give a wrongly fired submit every chance to show up before asserting it did not
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => setTimeout(done, 100))));
  expect(await box.locator('.quiz-feedback').count(), `${q.id}: no verdict after "Try again"`).toBe(0);
  expect(await box.locator('.quiz-problem').count(), `${q.id}: no complaint after "Try again"`).toBe(0);
  expect(await box.getByRole('button', { name: 'Try again' }).count()).toBe(0);
}

async function storedAnswer(page: Page, q: CompiledQuestion): Promise<{ answer: unknown; correct: boolean } | undefined> {
  return page.evaluate(([key, quizId, qid]) => JSON.parse(localStorage.getItem(key) ?? '{}').quizzes?.[quizId]?.[qid], [
    PROGRESS_KEY,
    quiz.id,
    q.id,
  ] as const);
}

async function setPicks(page: Page, q: Extract<CompiledQuestion, { type: 'multi-select' }>, ids: string[]): Promise<void> {
  for (const c of q.choices) await questionBox(page, q).locator(`input[value="${c.id}"]`).setChecked(ids.includes(c.id));
}

async function stepOrder(page: Page, q: CompiledQuestion): Promise<string[]> {
  return questionBox(page, q)
    .locator('.quiz-step [data-step-id]')
    .evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.stepId!));
}

/** Put the steps in `target` order with the "Move step n up" buttons (mouse). */
async function orderSteps(page: Page, q: Extract<CompiledQuestion, { type: 'order-steps' }>, target: string[]): Promise<void> {
  for (let t = 0; t < target.length; t++) {
    let from = (await stepOrder(page, q)).indexOf(target[t]);
    while (from > t) {
      await questionBox(page, q)
        .getByRole('button', { name: `Move step ${from + 1} up` })
        .click();
      from--;
    }
  }
  expect(await stepOrder(page, q)).toEqual(target);
}

async function drillAttempts(page: Page): Promise<number> {
  return page.evaluate((key) => {
    const state = JSON.parse(localStorage.getItem(key) ?? '{"kinds":{}}');
    return Object.values(state.kinds as Record<string, { stats: { attempts: number } }>).reduce((n, k) => n + k.stats.attempts, 0);
  }, DRILLS_KEY);
}

/** Answer the drill question on screen right, with the mouse or the number field, and check it. */
async function answerDrillRight(page: Page): Promise<DrillKind> {
  const url = new URL(page.url());
  const kind = url.searchParams.get('kind') as DrillKind;
  const q = generateDrill(kind, Number(url.searchParams.get('seed')));
  if (q.answer.type === 'number') await page.getByTestId('drill-input').fill(String(q.answer.value));
  else if (q.answer.type === 'choice') await page.getByTestId(`drill-choice-${q.answer.index}`).click();
  else for (const i of q.answer.indices) await page.getByTestId(`drill-choice-${i}`).click();
  await page.getByTestId('drill-submit').click();
  await expect.poll(() => page.getByTestId('drill-verdict').innerText()).toMatch(/^Correct/);
  return kind;
}

const settle = (page: Page) => page.evaluate(() => new Promise((done) => requestAnimationFrame(() => setTimeout(done, 150))));

/** Make this page's localStorage full: every setItem throws QuotaExceededError, as a browser does over quota. */
async function fillLocalStorageQuota(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const setItem = Storage.prototype.setItem;
    Storage.prototype.setItem = function (this: Storage, key: string, value: string) {
      if (this === window.localStorage) {
        throw new DOMException(
          `Failed to execute 'setItem' on 'Storage': Setting the value of '${key}' exceeded the quota.`,
          'QuotaExceededError',
        );
      }
      return setItem.call(this, key, value);
    };
  });
}

// ---- 1. quiz: Try again --------------------------------------------------------------------------

describe('bug 1: quiz "Try again" reopens the question and never submits it', () => {
  it('every question type: answer, Try again, answer again, reload', async () => {
    const { page, errors, context } = await newPage(browser);
    await page.goto(`/lessons/${LESSON}/`);
    await openQuiz(page);

    // numeric: wrong → Try again keeps the typed answer (selected) → right
    const numeric = questionOfType('numeric');
    const input = questionBox(page, numeric).locator('input');
    const wrongNumber = (numeric.correct + 1) % 6;
    await input.fill(String(wrongNumber));
    expect(await check(page, numeric)).toBe('Not quite.');
    await tryAgain(page, numeric);
    expect(await input.inputValue()).toBe(String(wrongNumber));
    expect(await input.getAttribute('readonly')).toBeNull();
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.selectionEnd)).toBe(String(wrongNumber).length);
    await page.keyboard.type(String(numeric.correct)); // the selected answer is replaced
    expect(await input.inputValue()).toBe(String(numeric.correct));
    expect(await check(page, numeric)).toBe('Correct.');

    // multi-select: right first; Try again keeps the picks and the stored right answer; then wrong; then right
    const multi = questionOfType('multi-select');
    await setPicks(page, multi, multi.correct);
    expect(await check(page, multi)).toBe('Correct.');
    await tryAgain(page, multi);
    for (const c of multi.choices) {
      const box = questionBox(page, multi).locator(`input[value="${c.id}"]`);
      expect(await box.isChecked(), c.id).toBe(multi.correct.includes(c.id));
      expect(await box.isDisabled(), c.id).toBe(false);
    }
    expect(await storedAnswer(page, multi)).toMatchObject({ answer: multi.correct, correct: true });
    const extra = multi.choices.find((c) => !multi.correct.includes(c.id))!.id;
    await setPicks(page, multi, [...multi.correct, extra]);
    expect(await check(page, multi)).toBe('Not quite.');
    await tryAgain(page, multi);
    await setPicks(page, multi, multi.correct);
    expect(await check(page, multi)).toBe('Correct.');

    // order-steps: the shown order is wrong; Try again keeps it and unlocks the steps; reorder → right
    const order = questionOfType('order-steps');
    const shown = await stepOrder(page, order);
    expect(await check(page, order)).toBe('Not quite.');
    await tryAgain(page, order);
    expect(await stepOrder(page, order)).toEqual(shown);
    expect(
      await questionBox(page, order)
        .getByRole('button', { name: /Move step \d+ (up|down)/ })
        .count(),
    ).toBeGreaterThan(0);
    await orderSteps(page, order, order.correct);
    expect(await check(page, order)).toBe('Correct.');

    // single-choice: wrong → Try again does not say "Choose one answer first." and keeps the pick → right
    const single = questionOfType('single-choice');
    const wrongChoice = single.choices.find((c) => c.id !== single.correct)!.id;
    await questionBox(page, single).locator(`input[value="${wrongChoice}"]`).check();
    expect(await check(page, single)).toBe('Not quite.');
    await tryAgain(page, single);
    expect(await questionBox(page, single).locator(`input[value="${wrongChoice}"]`).isChecked()).toBe(true);
    await questionBox(page, single).locator(`input[value="${single.correct}"]`).check();
    expect(await check(page, single)).toBe('Correct.');

    // keyboard too: Enter on the focused "Try again" reopens the single-choice question without a complaint
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Try again');
    await page.keyboard.press('Enter');
    await settle(page);
    expect(await questionBox(page, single).locator('.quiz-problem').count()).toBe(0);
    expect(await questionBox(page, single).locator('.quiz-feedback').count()).toBe(0);
    await questionBox(page, single).getByRole('button', { name: 'Check answer' }).click();
    await questionBox(page, single).locator('.quiz-feedback.correct').waitFor();

    // reload: the four answers are the right ones, stored and shown
    await page.reload();
    await openQuiz(page);
    for (const q of [numeric, multi, order, single]) {
      await questionBox(page, q).locator('.quiz-feedback.correct').waitFor({ timeout: 10_000 });
      expect((await storedAnswer(page, q))?.correct, q.id).toBe(true);
    }
    expect(await storedAnswer(page, order)).toMatchObject({ answer: order.correct });
    expect(errors).toEqual([]);
    await context.close();
  });
});

// ---- 2. drills: Next question ------------------------------------------------------------------

describe('bug 2: drills "Next question" shows the next question without grading it', () => {
  it('answer, Next, answer, Next, reload: one attempt per answer, none for the questions only shown', async () => {
    const { page, errors, context } = await newPage(browser);
    await page.goto('/drills/?kind=keys-that-move&seed=2024&area=partitioning');
    await page.locator('.drill-prompt').waitFor();
    const answered: DrillKind[] = [];
    for (let round = 0; round < 2; round++) {
      answered.push(await answerDrillRight(page));
      expect(await drillAttempts(page)).toBe(round + 1);
      const before = new URL(page.url()).searchParams.get('seed');
      await page.getByTestId('drill-next').click();
      await expect.poll(() => new URL(page.url()).searchParams.get('seed')).not.toBe(before);
      await settle(page);
      expect(await page.getByTestId('drill-verdict').count(), 'the next question is not graded').toBe(0);
      expect(await page.getByTestId('drill-problem').count(), 'no complaint about an answer never given').toBe(0);
      expect(await drillAttempts(page), 'no miss recorded for the next question').toBe(round + 1);
    }
    await page.reload();
    await page.locator('.drill-prompt').waitFor();
    for (const kind of answered) {
      expect(await page.locator(`[data-testid="drill-stats-row"][data-kind="${kind}"] [data-testid="drill-attempts"]`).innerText()).toBe(
        '1 / 1',
      );
    }
    expect(await drillAttempts(page)).toBe(2);
    expect(errors).toEqual([]);
    await context.close();
  });
});

// ---- 3. checkpoint draft, storage full --------------------------------------------------------------

describe('bug 3: a draft that cannot be saved is never called saved', () => {
  it('localStorage full: says so, keeps the draft in the tab across a reload, offers it as a download', async () => {
    const { page, errors, context } = await newPage(browser);
    await fillLocalStorageQuota(page);
    const ID = 'key-to-partition';
    await openCheckpoint(page, ID);
    const draft = `${exerciseFile(ID, 'starter.ts')}\n// my work, storage full ${Date.now()}\n`;
    await setCode(page, draft);
    const status = page.getByTestId('draft-status');
    await expect.poll(() => status.textContent(), { timeout: 10_000 }).toContain('could not be saved');
    const text = (await status.textContent()) ?? '';
    expect(text).not.toContain('Draft saved in this browser');
    expect(text).toContain('storage for the site is full');
    expect(text).toContain('kept in this tab');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-code').click()]);
    expect(readFileSync((await download.path())!, 'utf8')).toBe(draft);

    await page.reload();
    await waitUntilReady(page);
    expect(await getCode(page)).toBe(draft);
    expect(await status.textContent()).toContain('restored from this tab');
    expect(await page.getByTestId('download-code').count()).toBe(1);
    // the only errors are none of ours: the page never throws at the learner
    expect(errors).toEqual([]);
    await context.close();
  });
});

// ---- 4. progress from a newer version -------------------------------------------------------------

describe('bug 4: progress written by a newer version', () => {
  it('the notice says nothing was kept; the backup downloads byte for byte; a readable backup restores', async () => {
    const { page, errors, context } = await newPage(browser);
    const newer = JSON.stringify({
      version: 99,
      drafts: { 'key-to-partition': { source: 'from the future', updatedAt: '2030-01-01T00:00:00.000Z' } },
      quizzes: {},
      checkpoints: {},
      lessons: {},
    });
    await page.addInitScript(
      ([key, raw]) => {
        if (!sessionStorage.getItem('seeded')) {
          localStorage.setItem(key, raw);
          sessionStorage.setItem('seeded', '1');
        }
      },
      [PROGRESS_KEY, newer] as const,
    );
    await page.goto('/');
    const notice = page.locator('#progress-notice .notice');
    await expect.poll(() => notice.textContent()).toContain('written by a newer Partition Lab');
    const said = (await notice.textContent()) ?? '';
    expect(said).not.toContain('Everything readable was kept');
    expect(said).toContain('None of it could be used here');
    const link = notice.getByRole('link', { name: 'Download or restore the backup' });
    expect(await link.getAttribute('href')).toMatch(/\/progress\/#backups$/);
    await link.click();
    await page.waitForURL('**/progress/#backups');

    const items = page.locator('#backup-list li');
    await expect.poll(() => items.count()).toBe(1);
    expect(await items.first().textContent()).toContain('written by a newer Partition Lab');
    expect(await items.first().getByRole('button', { name: 'Restore' }).count()).toBe(0);
    const [download] = await Promise.all([page.waitForEvent('download'), items.first().getByRole('button', { name: 'Download' }).click()]);
    expect(readFileSync((await download.path())!, 'utf8')).toBe(newer);

    // import a file with one answer, then another with none: the first is now a backup, and it restores
    const one = {
      version: 1,
      drafts: {},
      checkpoints: {},
      lessons: {},
      quizzes: { [quiz.id]: { [quiz.questions[0].id]: { answer: 1, correct: false } } },
    };
    await page.setInputFiles('#import-file', { name: 'one.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(one)) });
    await expect.poll(() => page.textContent('[data-count="answers"]')).toBe('1');
    const none = { version: 1, drafts: {}, checkpoints: {}, lessons: {}, quizzes: {} };
    await page.setInputFiles('#import-file', {
      name: 'none.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(none)),
    });
    await expect.poll(() => page.textContent('[data-count="answers"]')).toBe('0');
    await items.locator('button', { hasText: 'Restore' }).first().click();
    await expect.poll(() => page.textContent('#backup-result')).toContain('Restored');
    await expect.poll(() => page.textContent('[data-count="answers"]')).toBe('1');
    await page.reload();
    await expect.poll(() => page.textContent('[data-count="answers"]')).toBe('1');
    expect(errors).toEqual([]);
    await context.close();
  });
});

// ---- 5. export and import carry the drill history ------------------------------------------------

describe('bug 5: export → clear → import carries everything, drill history included', () => {
  it('a drill answer and a quiz answer survive the round trip', async () => {
    const { page, errors, context } = await newPage(browser);
    await page.goto('/drills/?kind=consumer-lag&seed=4242');
    await page.locator('.drill-prompt').waitFor();
    await answerDrillRight(page);

    await page.goto(`/lessons/${LESSON}/`);
    await openQuiz(page);
    const numeric = questionOfType('numeric');
    await questionBox(page, numeric).locator('input').fill(String(numeric.correct));
    expect(await check(page, numeric)).toBe('Correct.');

    await page.goto('/progress/');
    await expect.poll(() => page.textContent('[data-count="drills"]')).toBe('1');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download progress (JSON)' }).click(),
    ]);
    const exported = JSON.parse(readFileSync((await download.path())!, 'utf8'));
    expect(exported.drills.kinds['consumer-lag'].stats).toMatchObject({ attempts: 1, correct: 1 });
    expect(exported.quizzes[quiz.id][numeric.id]).toMatchObject({ answer: numeric.correct, correct: true });

    await page.evaluate(() => localStorage.clear());
    await page.reload();
    await expect.poll(() => page.textContent('[data-count="drills"]')).toBe('0');
    await page.setInputFiles('#import-file', {
      name: 'progress.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(exported)),
    });
    await expect.poll(() => page.textContent('#import-result')).toContain('Imported progress.json, drill history included');
    expect(await page.textContent('[data-count="answers"]')).toBe('1');
    expect(await page.textContent('[data-count="drills"]')).toBe('1');

    await page.goto('/drills/');
    await page.locator('.drill-prompt').waitFor();
    expect(await page.locator('[data-testid="drill-stats-row"][data-kind="consumer-lag"] [data-testid="drill-attempts"]').innerText()).toBe(
      '1 / 1',
    );
    await page.goto(`/lessons/${LESSON}/`);
    await openQuiz(page);
    await questionBox(page, numeric).locator('.quiz-feedback.correct').waitFor({ timeout: 10_000 });
    expect(errors).toEqual([]);
    await context.close();
  });
});

// ---- 6. lesson 1 quiz gives the hashes ------------------------------------------------------------

describe('bug 6: lesson 1 quiz gives the hash of every key it asks about', () => {
  it("each key question shows the engine's murmur2 (or toPositive) of each key, and the answer follows from it", async () => {
    const { page, errors, context } = await newPage(browser);
    await page.goto(`/lessons/${LESSON}/`);
    await openQuiz(page);
    const source = parseYaml(quizText) as {
      questions: { id: string; answer?: { engine: string; key?: string; keys?: string[]; numPartitions?: number } }[];
    };
    const keyQuestions = source.questions.filter(
      (q) =>
        q.answer &&
        ['partitionForKey', 'keysThatMove', 'keysOnPartition', 'toPositive'].includes(q.answer.engine) &&
        (q.answer.key ?? q.answer.keys),
    );
    expect(keyQuestions.length).toBeGreaterThanOrEqual(4);
    for (const q of keyQuestions) {
      const shown = await page.locator(`[id="${quiz.id}--${q.id}"] .quiz-given li`).allTextContents();
      const keys = q.answer!.keys ?? [q.answer!.key!];
      expect(shown.length, `${q.id} gives one hash per key`).toBe(keys.length);
      keys.forEach((k, i) => {
        const h = murmur2(utf8(k));
        // either the signed hash or the hash the modulo takes, as computed by the engine here
        expect([`murmur2("${k}") = ${h}`, `toPositive(murmur2("${k}")) = ${toPositive(h)}`], q.id).toContain(shown[i]);
        if (q.answer!.engine === 'partitionForKey') {
          expect(toPositive(Number(shown[i].split(' = ')[1])) % q.answer!.numPartitions!).toBe(
            partitionForKey(utf8(k), q.answer!.numPartitions!),
          );
        }
      });
    }
    expect(errors).toEqual([]);
    await context.close();
  });
});

// ---- 7 and 8. the checkpoint ----------------------------------------------------------------------

describe('bug 7: key-to-partition names Math.abs only on evidence', () => {
  it('a wrong answer that merely equals Math.abs(murmur2) % 6 is not called Math.abs; the real Math.abs mistake is', async () => {
    const { page, errors, context } = await newPage(browser);
    const ID = 'key-to-partition';
    await openCheckpoint(page, ID);
    const h21 = murmur2(utf8('21'));
    const coincidence = Math.abs(h21) % 6;
    expect(coincidence).not.toBe(partitionForKey(utf8('21'), 6));
    // not a partitioner at all: a constant for 6 partitions that happens to be Math.abs's partition of "21"
    await setCode(
      page,
      `export function partition(keyBytes: Uint8Array, numPartitions: number): number {\n  return numPartitions === 6 ? ${coincidence} : 0;\n}\n`,
    );
    let report = await grade(page, 'run');
    const key21 = report.tests.find((t) => t.id === 'key-21-six-partitions')!;
    expect(key21.status).toBe('failed');
    expect(key21.text).not.toMatch(/Math\.abs\(murmur2\)/);
    expect(report.tests.filter((t) => /your answer is Math\.abs/.test(t.text)).map((t) => t.id)).toEqual([]);

    await setCode(page, exerciseFile(ID, 'mistakes/math-abs.ts'));
    report = await grade(page, 'run');
    expect(report.tests.find((t) => t.id === 'kafka-murmur2-21')!.text).toMatch(/your answer is Math\.abs\(murmur2\) % 2147483647/);
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe('bug 8: the checkpoint after Run and when revisited', () => {
  it('Run: results in view and focused, headline and counts agree; Submit passes; reload shows "passed"', async () => {
    const { page, errors, context } = await newPage(browser, { viewport: { width: 1280, height: 720 } });
    const ID = 'key-to-partition';
    await openCheckpoint(page, ID);
    expect(await page.getByTestId('checkpoint-passed-state').count()).toBe(0);

    // the starter throws in every test
    await page.evaluate(() => window.scrollTo(0, 0));
    const report = await grade(page, 'run');
    expect(report.status).toBe('failed');
    const total = report.tests.length;
    expect(report.headline).toBe(`✗ ${total} of ${total} tests failed (your code threw an error).`);
    const meta = (await page.locator('.outcome-meta').textContent()) ?? '';
    expect(Number(/(\d+) failed/.exec(meta)?.[1]), meta).toBe(total);
    expect(meta).not.toMatch(/\b0 failed/);
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('results-heading');
    const inView = await page.evaluate(() => {
      const r = document.getElementById('results-heading')!.getBoundingClientRect();
      return r.top >= 0 && r.bottom <= window.innerHeight;
    });
    expect(inView, 'the results heading is scrolled into view').toBe(true);

    // pass it, leave, come back
    await setCode(page, exerciseFile(ID, 'solution.ts'));
    expect((await grade(page, 'submit')).status).toBe('passed');
    await page.goto('/');
    await openCheckpoint(page, ID);
    const passed = page.getByTestId('checkpoint-passed-state');
    await passed.waitFor({ timeout: 10_000 });
    expect(await passed.textContent()).toMatch(/Checkpoint passed on .+\(\d+ of \d+ tests\)/);
    // a later failing run does not take the passed state away
    await setCode(page, exerciseFile(ID, 'starter.ts'));
    await grade(page, 'run');
    expect(await passed.isVisible()).toBe(true);
    expect((await readReport(page)).status).toBe('failed');
    expect(errors).toEqual([]);
    await context.close();
  });
});
