/**
 * The consumer protocol (KIP-848) in Chromium against the built site:
 *   - the reconcile checkpoint: a learner submits a mistake (a partition handed to its new owner while
 *     the old owner still has it), sees the named failure with its shrunk story, opens the replay, comes
 *     back (draft intact), fixes the code, passes, and the passed state and draft survive a reload;
 *   - the protocol toggle: the same story under classic eager, cooperative and the consumer protocol,
 *     the step kept when switching, the group card telling group epoch and member states.
 * Screenshots go to $SHOTS_DIR (default /tmp/shots-consumer-protocol/); nothing is asserted about pixels.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { baseURL, launchBrowser, newPage } from './browser.ts';
import { screenshotsIn, stepUntil } from './replay-page.ts';
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

const ID = 'reconcile';
const SHOTS = process.env.SHOTS_DIR ?? '/tmp/shots-consumer-protocol';
const shot = screenshotsIn(SHOTS);
const mistake = exerciseFile(ID, 'mistakes/receive-owned-elsewhere.ts');
const solution = exerciseFile(ID, 'solution.ts');

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe.each(CHECKPOINT_VIEWPORTS)('checkpoint reconcile ($label)', ({ label, viewport }) => {
  it('a mistake fails with the named partition and owners; the replay opens; back, fix, pass; reload keeps draft and pass', async () => {
    const { page, errors, context } = await newPage(browser, { viewport });
    await openCheckpoint(page, ID);

    await setCode(page, mistake);
    const report = await grade(page, 'run');
    expect(report.status).toBe('failed');
    const joins = report.tests.find((t) => t.id === 'a-member-joins');
    expect(joins?.status).toBe('failed');
    expect(joins?.text).toContain('t0p2 given to C1 while C0 still owns it: two consumers would read it at once');
    expect(joins?.text).toContain('3. C1 joins (subscribe, first poll)');
    const item = page.locator('[data-test-id="a-member-joins"]');
    const link = item.getByTestId('replay-link');
    await link.waitFor();
    await item.scrollIntoViewIfNeeded();
    await shot(page, `${label}-1-failing`, '[data-test-id="a-member-joins"]');

    // the replay: the same story in the player, with a note where the learner's step went wrong
    await link.click();
    await page.getByTestId('replay-ready').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('replay-summary').textContent()).toContain('t0p2 given to C1 while C0 still owns it');
    await stepUntil(page, 'Here your reconcile() went wrong', 60);
    await shot(page, `${label}-2-replay-note`);

    // back: the draft is there; fix and pass
    await page.getByTestId('replay-back').click();
    await page.waitForURL(/\/checkpoints\/reconcile\/$/);
    await waitUntilReady(page);
    expect(await getCode(page)).toBe(mistake);
    await setCode(page, solution);
    const passed = await grade(page, 'submit');
    expect(passed.status, passed.text).toBe('passed');
    expect(passed.tests.length).toBe(7);
    await shot(page, `${label}-3-passed`, '[data-testid="results"]');
    await page.reload();
    await waitUntilReady(page);
    const editorTab = page.getByRole('tab', { name: 'Editor' });
    if (await editorTab.isVisible()) await editorTab.click();
    const state = page.getByTestId('checkpoint-passed-state');
    await state.waitFor({ timeout: 10_000 });
    expect(await state.textContent()).toMatch(/Checkpoint passed on .+\(7 of 7 tests\)/);
    expect(await getCode(page)).toBe(solution);
    expect((await readReport(page)).status).not.toBe('failed');
    expect(errors).toEqual([]);
    await context.close();
  }, 300_000);
});

describe('the protocol toggle in the scenario player', () => {
  it('switches the story between classic eager, cooperative and the consumer protocol, keeping the step', async () => {
    const { page, errors, context } = await newPage(browser, { viewport: { width: 1280, height: 900 } });
    await page.goto(`${baseURL()}/scenarios/rebalance-protocols-compared/`);
    const player = page.locator('.pplayer');
    await player.waitFor();
    // the comparison table: one row per protocol; eager revokes the most
    const revoked = async (variant: string) => Number(await page.locator(`tr[data-variant="${variant}"] td`).nth(1).textContent());
    expect(await revoked('classic-eager')).toBeGreaterThan(await revoked('classic-cooperative'));
    expect(await revoked('classic-eager')).toBeGreaterThan(await revoked('consumer'));
    const eager = page.getByRole('radio', { name: 'Classic, eager (range)' });
    expect(await eager.isChecked()).toBe(true);
    expect(await page.locator('.group-card .group-meta').first().textContent()).toMatch(/^generation \d+$/);

    // go 40 steps in, then switch: the step stays, the group now tells epochs and member states
    const scrub = page.locator('.splayer-scrubber');
    await scrub.focus();
    for (let i = 0; i < 40; i++) await page.keyboard.press('ArrowRight');
    expect(await page.getByTestId('step-counter').textContent()).toMatch(/^Step 40 \/ \d+$/);
    await page.getByRole('radio', { name: 'Consumer protocol (KIP-848, uniform)' }).check();
    await page.waitForFunction(() => document.querySelector('.pplayer')?.getAttribute('data-protocol') === 'consumer');
    expect(await page.getByTestId('step-counter').textContent()).toMatch(/^Step 40 \/ \d+$/);
    expect(await page.locator('.group-card .group-meta').first().textContent()).toMatch(/^group epoch \d+$/);
    expect(await page.getByTestId('protocol-hint').textContent()).toContain('heartbeats');
    const states = await page.locator('.group-card .member-epoch').allTextContents();
    expect(states.some((s) => /UNRELEASED_PARTITIONS|UNREVOKED_PARTITIONS/.test(s))).toBe(true);
    await shot(page, 'toggle-consumer', '.group-card');
    await page.getByRole('radio', { name: 'Classic, cooperative (cooperative-sticky)' }).check();
    await page.waitForFunction(() => document.querySelector('.pplayer')?.getAttribute('data-protocol') === 'classic-cooperative');
    expect(await page.locator('.group-card .group-meta').nth(1).textContent()).toContain('cooperative-sticky · cooperative');
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);
});
