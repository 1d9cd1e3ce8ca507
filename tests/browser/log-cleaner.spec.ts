/**
 * The log-cleaner checkpoint in Chromium against the built site: a learner submits a retention mistake (deleting
 * while the log is larger than retention.bytes), sees the failure named in Kafka's terms ("deleted the active
 * segment") with the shrunk log, opens "Replay in the player", steps to the anomaly and on to Kafka's retention
 * check, comes back (draft intact), submits a compaction mistake (tombstones dropped at once) and sees it named,
 * fixes the code, passes, and the passed state survives a reload. Screenshots (desktop and 390 px) go to
 * $SHOTS_DIR (default /tmp/shots-log-cleaner/) for people to look at; nothing is asserted about pixels.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, newPage } from './browser.ts';
import { screenshotsIn, stepDescription, stepUntil } from './replay-page.ts';
import {
  CHECKPOINT_VIEWPORTS,
  exerciseFile,
  getCode,
  grade,
  openCheckpoint,
  readReport,
  setCode,
  waitUntilReady,
} from './checkpoint-page.ts';
import { getExercise } from '../../exercises/index.ts';

const ID = 'log-cleaner';
const SHOTS = process.env.SHOTS_DIR ?? '/tmp/shots-log-cleaner';
const shot = screenshotsIn(SHOTS);
const overshoot = exerciseFile(ID, 'mistakes/retention-bytes-overshoot.ts');
const dropTombstones = exerciseFile(ID, 'mistakes/drop-tombstones-at-once.ts');
const solution = exerciseFile(ID, 'solution.ts');
const STORY = 'retention-bytes-keeps-the-active-segment';
const exercise = getExercise('log-cleaner')!;
const storyTitle = exercise.tests.find((t) => t.id === STORY)!.title;

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe.each(CHECKPOINT_VIEWPORTS)('checkpoint log-cleaner ($label)', ({ label, viewport }) => {
  it('a retention mistake is named and replayed; back; a tombstone mistake is named; fix, pass, reload keeps it', async () => {
    const { page, errors, context } = await newPage(browser, { viewport });
    await openCheckpoint(page, ID);

    // 1. retention.bytes overshoot → "deleted the active segment", with the log in the lesson's notation
    await setCode(page, overshoot);
    const report = await grade(page, 'run');
    expect(report.status).toBe('failed');
    const story = report.tests.find((t) => t.id === STORY);
    expect(story?.status).toBe('failed');
    expect(story?.text).toContain('deleted the active segment [6]');
    expect(story?.text).toContain('retention.bytes 10');
    expect(story?.text).toContain('[6] (active): 1 record');
    const item = page.locator(`[data-test-id="${STORY}"]`);
    const link = item.getByTestId('replay-link');
    await link.waitFor();
    await item.scrollIntoViewIfNeeded();
    await shot(page, `${label}-1-failing`, `[data-test-id="${STORY}"]`);

    // 2. the replay: the same records written at the same times; the anomaly note; then Kafka's check
    await link.click();
    await page.getByTestId('replay-ready').waitFor({ timeout: 30_000 });
    expect(page.url()).toContain('/scenarios/replay/#from=');
    expect(await page.locator('.replay-title').textContent()).toBe(`Replay: ${storyTitle}`);
    expect(await page.getByTestId('replay-summary').textContent()).toContain('deleted the active segment [6]');
    const steps = await stepUntil(page, 'Anomaly —', 100);
    expect(steps).toBeGreaterThan(7); // a note and 7 produces come first
    expect(await stepDescription(page)).toContain('your deleteOldSegments deleted [0..1], [2..3], [4..5], [6]');
    await shot(page, `${label}-2-replay-anomaly`);
    await page.getByRole('button', { name: 'Last step' }).click();
    expect(await page.getByTestId('step-counter').textContent()).toMatch(/^Step (\d+) \/ \1$/);
    await shot(page, `${label}-3-replay-end`);

    // 3. back: the draft is there
    await page.getByTestId('replay-back').click();
    await page.waitForURL(/\/checkpoints\/log-cleaner\/$/);
    await waitUntilReady(page);
    expect(await getCode(page)).toBe(overshoot);

    // 4. a compaction mistake: tombstones dropped at once
    await setCode(page, dropTombstones);
    const second = await grade(page, 'run');
    const tomb = second.tests.find((t) => t.id === 'a-new-tombstone-stays');
    expect(tomb?.status).toBe('failed');
    expect(tomb?.text).toContain('removed the tombstone 3: bob=null before delete.retention.ms');

    // 5. fix, submit, pass; reload keeps the passed state
    await setCode(page, solution);
    const passed = await grade(page, 'submit');
    expect(passed.status, passed.text).toBe('passed');
    expect(passed.tests.every((t) => t.status === 'passed')).toBe(true);
    await shot(page, `${label}-4-passed`, '[data-testid="results"]');
    await page.reload();
    await waitUntilReady(page);
    const editorTab = page.getByRole('tab', { name: 'Editor' });
    if (await editorTab.isVisible()) await editorTab.click();
    const state = page.getByTestId('checkpoint-passed-state');
    await state.waitFor({ timeout: 10_000 });
    expect(await state.textContent()).toMatch(
      new RegExp(`Checkpoint passed on .+\\(${exercise.tests.length} of ${exercise.tests.length} tests\\)`),
    );
    expect(await getCode(page)).toBe(solution);
    expect((await readReport(page)).status).not.toBe('failed');
    expect(errors).toEqual([]);
    await context.close();
  }, 300_000);
});
