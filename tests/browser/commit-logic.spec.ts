/**
 * The commit-logic checkpoint in Chromium against the built site: a learner submits a mistake (commit in
 * onBatch, before processing), sees the named anomaly with its shrunk schedule, opens "Replay in the
 * player", steps through their own run to the anomaly, comes back (draft intact), fixes the code,
 * passes, and the passed state survives a reload. Screenshots (desktop and 390 px) go to
 * $SHOTS_DIR (default /tmp/shots-commit/) for people to look at; nothing is asserted about pixels.
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

const ID = 'commit-logic';
const SHOTS = process.env.SHOTS_DIR ?? '/tmp/shots-commit';
const shot = screenshotsIn(SHOTS);
const mistake = exerciseFile(ID, 'mistakes/commit-before-processing.ts');
const solution = exerciseFile(ID, 'solution.ts');

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe.each(CHECKPOINT_VIEWPORTS)('checkpoint commit-logic ($label)', ({ label, viewport }) => {
  it('a mistake fails with the named anomaly; Replay in the player shows the run; back, fix, pass, reload keeps it', async () => {
    const { page, errors, context } = await newPage(browser, { viewport });
    await openCheckpoint(page, ID);

    // 1. the mistake: commit in onBatch → the named anomaly, the shrunk schedule, a replay
    await setCode(page, mistake);
    const report = await grade(page, 'run');
    expect(report.status).toBe('failed');
    const crash = report.tests.find((t) => t.id === 'crash-in-the-middle-of-a-batch');
    expect(crash?.status).toBe('failed');
    expect(crash?.text).toContain('lost records t0p0@1, t0p0@2: C0 committed t0p0 → 3 before processing them (in onBatch), then crashed');
    expect(crash?.text).toContain('1. C0 polls and crashes after processing 1 record of the batch');
    const item = page.locator('[data-test-id="crash-in-the-middle-of-a-batch"]');
    const link = item.getByTestId('replay-link');
    await link.waitFor();
    expect(await link.textContent()).toContain('Replay in the player');
    await item.scrollIntoViewIfNeeded();
    await shot(page, `${label}-1-failing`, '[data-test-id="crash-in-the-middle-of-a-batch"]');

    // 2. the replay: the learner's run, played by the engine in the page, step by step to the anomaly
    await link.click();
    await page.getByTestId('replay-ready').waitFor({ timeout: 30_000 });
    expect(page.url()).toContain('/scenarios/replay/#from=');
    expect(await page.locator('.replay-title').textContent()).toBe(
      'Replay: C0 crashes after processing 1 record of a batch of 3, then restarts',
    );
    expect(await page.getByTestId('replay-summary').textContent()).toContain(
      'lost records t0p0@1, t0p0@2: C0 committed t0p0 → 3 before processing them (in onBatch), then crashed',
    );
    // the first anomaly is named right before C0's commit in onBatch
    expect(await stepUntil(page, 'Anomaly —')).toBeGreaterThan(3);
    expect(await stepDescription(page)).toContain('C0 committed t0p0 → 3 in onBatch');
    await page.getByRole('button', { name: 'Next step' }).click();
    expect(await page.getByTestId('step-description').textContent()).toMatch(/C0 commitAsync\(offsets\): t0p0=3/);
    await shot(page, `${label}-2-replay-anomaly`);
    // then the crash, the restart from committed 3, and at the end the records it lost
    for (let i = 0; i < 4 && !(await stepDescription(page)).includes('lost records'); i++) await stepUntil(page, 'Anomaly —');
    expect(await stepDescription(page)).toContain('lost records t0p0@1, t0p0@2: C0 committed t0p0 → 3 before processing them');
    await page.getByRole('button', { name: 'Last step' }).click();
    expect(await page.getByTestId('step-counter').textContent()).toMatch(/^Step (\d+) \/ \1$/);
    await shot(page, `${label}-3-replay-end`);

    // 3. back to the checkpoint: the draft is there
    await page.getByTestId('replay-back').click();
    await page.waitForURL(/\/checkpoints\/commit-logic\/$/);
    await waitUntilReady(page);
    expect(await getCode(page)).toBe(mistake);

    // 4. fix, submit, pass; reload keeps the passed state
    await setCode(page, solution);
    const passed = await grade(page, 'submit');
    expect(passed.status, passed.text).toBe('passed');
    expect(passed.tests.every((t) => t.status === 'passed')).toBe(true);
    expect(await page.getByTestId('checkpoint-passed').isVisible()).toBe(true);
    await shot(page, `${label}-4-passed`, '[data-testid="results"]');
    await page.reload();
    await waitUntilReady(page);
    // Below 760 px the workbench (and its passed banner) is in the Editor tab.
    const editorTab = page.getByRole('tab', { name: 'Editor' });
    if (await editorTab.isVisible()) await editorTab.click();
    const state = page.getByTestId('checkpoint-passed-state');
    await state.waitFor({ timeout: 10_000 });
    expect(await state.textContent()).toMatch(/Checkpoint passed on .+\(10 of 10 tests\)/);
    expect(await getCode(page)).toBe(solution);
    expect((await readReport(page)).status).not.toBe('failed');
    expect(errors).toEqual([]);
    await context.close();
  }, 300_000);
});

describe('the replay page on its own', () => {
  it('without a replay in the fragment, or with a damaged one, it says so', async () => {
    const { page, errors, context } = await newPage(browser);
    await page.goto('/scenarios/replay/');
    await page.getByTestId('replay-problem').waitFor();
    expect(await page.getByTestId('replay-problem').textContent()).toContain('Replay in the player');
    await page.goto('/scenarios/replay/#from=%2F&s=AAAA');
    await page.reload();
    await page.getByTestId('replay-problem').waitFor();
    expect(await page.getByTestId('replay-problem').textContent()).toMatch(/damaged/);
    expect(errors).toEqual([]);
    await context.close();
  });
});
