/**
 * The high-watermark checkpoint in Chromium against the built site: a learner runs a mistake (the high
 * watermark advancing while the ISR is below min.insync.replicas, the pre-3.7 rule), sees the failure named
 * in Kafka's terms with its timeline, opens "Replay in the player", steps to the note that names the
 * anomaly and the broker failure right after it, comes back (draft intact), submits the fix, passes, and
 * the passed state survives a reload. Screenshots (desktop and 390 px) go to $SHOTS_DIR (default
 * /tmp/shots-hw/) for people to look at; nothing is asserted about pixels.
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

const ID = 'high-watermark';
const SHOTS = process.env.SHOTS_DIR ?? '/tmp/shots-hw';
const shot = screenshotsIn(SHOTS);
const mistake = exerciseFile(ID, 'mistakes/hw-under-min-isr.ts');
const solution = exerciseFile(ID, 'solution.ts');
const STORY = 'two-followers-fail-min-isr-2';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe.each(CHECKPOINT_VIEWPORTS)('checkpoint high-watermark ($label)', ({ label, viewport }) => {
  it('a mistake fails in Kafka terms; Replay in the player shows the timeline; back, fix, pass, reload keeps it', async () => {
    const { page, errors, context } = await newPage(browser, { viewport });
    await openCheckpoint(page, ID);

    // 1. the mistake: HW advances under min ISR → the failure named, the timeline, a replay link
    await setCode(page, mistake);
    const report = await grade(page, 'run');
    expect(report.status).toBe('failed');
    const failed = report.tests.find((t) => t.id === STORY);
    expect(failed?.status).toBe('failed');
    expect(failed?.text).toContain('HW moved from 1 to 2 while the ISR [0] is smaller than min.insync.replicas 2');
    expect(failed?.text).toContain('KAFKA-15583');
    expect(failed?.text).toMatch(/\d+\. t=0 broker 2 fails/);
    // the other stories pass: only the min ISR rule is wrong (the visible generated timelines may find it too)
    const failedIds = report.tests.filter((t) => t.status === 'failed').map((t) => t.id);
    expect(failedIds).toContain(STORY);
    for (const id of failedIds) expect([STORY, 'generated-timelines']).toContain(id);
    const item = page.locator(`[data-test-id="${STORY}"]`);
    const link = item.getByTestId('replay-link');
    await link.waitFor();
    await item.scrollIntoViewIfNeeded();
    await shot(page, `${label}-1-failing`, `[data-test-id="${STORY}"]`);

    // 2. the replay: the timeline played by the engine in the page, to the note naming the anomaly
    await link.click();
    await page.getByTestId('replay-ready').waitFor({ timeout: 30_000 });
    expect(page.url()).toContain('/scenarios/replay/#from=');
    expect(await page.getByTestId('replay-summary').textContent()).toContain('HW moved from 1 to 2');
    const next = page.getByRole('button', { name: 'Next step' });
    await stepUntil(page, 'Anomaly', 100);
    expect(await stepDescription(page)).toContain('HW moved from 1 to 2 while the ISR [0]');
    await next.click();
    expect(await stepDescription(page)).toBe('broker 2 goes down');
    // the engine keeps the high watermark: the partition's panel reads ISR [0], not a moved HW
    expect(await page.locator('.plog-isr').first().textContent()).toBe('ISR [0]');
    await shot(page, `${label}-2-replay-anomaly`);

    // 3. back to the checkpoint: the draft is there
    await page.getByTestId('replay-back').click();
    await page.waitForURL(/\/checkpoints\/high-watermark\/$/);
    await waitUntilReady(page);
    expect(await getCode(page)).toBe(mistake);

    // 4. fix, submit (the generated timelines too), pass; reload keeps the passed state
    await setCode(page, solution);
    const passed = await grade(page, 'submit');
    expect(passed.status, passed.text).toBe('passed');
    expect(await page.getByTestId('checkpoint-passed').isVisible()).toBe(true);
    await shot(page, `${label}-3-passed`, '[data-testid="results"]');
    await page.reload();
    await waitUntilReady(page);
    const editorTab = page.getByRole('tab', { name: 'Editor' });
    if (await editorTab.isVisible()) await editorTab.click();
    const state = page.getByTestId('checkpoint-passed-state');
    await state.waitFor({ timeout: 10_000 });
    expect(await state.textContent()).toMatch(/Checkpoint passed on .+\(6 of 6 tests\)/);
    expect(await getCode(page)).toBe(solution);
    expect((await readReport(page)).status).not.toBe('failed');
    expect(errors).toEqual([]);
    await context.close();
  }, 300_000);
});
