/**
 * The share-group scenario (KIP-932) in Chromium against the built site: the scenario page's share-group
 * panel shows the simple assignor's sharing and, step by step, each record's state, holder and delivery
 * count as the engine computed them — the lock that expires, the record archived on its fifth delivery,
 * everything settled at the end. Lesson 6 embeds the same player. Screenshots (desktop and 390 px, light
 * and dark) go to $SHOTS_DIR (default /tmp/shots-share/) for people to look at; nothing is asserted
 * about pixels.
 *
 * Expected values come from the engine: the scenario file is played with `runScenario` and the options the
 * pages use (PLAYER_RUN_OPTIONS) — nothing typed here.
 */
import { mkdirSync } from 'node:fs';
import { AxeBuilder } from '@axe-core/playwright';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, newPage } from './browser.ts';
import { runScenario, type TraceEvent } from '../../engine/index.ts';
import { loadScenarioFile } from '../../content/schema/scenario.ts';
import { PLAYER_RUN_OPTIONS } from '../../site/islands/scenario/model.ts';

const ID = 'share-group-redelivery';
const SHOTS = process.env.SHOTS_DIR ?? '/tmp/shots-share';
const ROOT = resolve(import.meta.dirname, '../..');

let browser: Browser;
let trace: TraceEvent[];
beforeAll(async () => {
  browser = await launchBrowser();
  mkdirSync(SHOTS, { recursive: true });
  const scenario = await loadScenarioFile(resolve(ROOT, `content/scenarios/${ID}.yaml`));
  trace = runScenario(scenario, PLAYER_RUN_OPTIONS).trace;
});
afterAll(async () => {
  await browser?.close();
});

async function openScenario(page: Page): Promise<void> {
  await page.goto(`/scenarios/${ID}/`);
  await page.waitForSelector('.splayer');
  await page.waitForFunction(() => document.querySelector('astro-island') !== null && !document.querySelector('astro-island[ssr]'));
}

/** Jump to event i through the "All steps" list, as a reader would. */
async function goTo(page: Page, i: number): Promise<void> {
  const details = page.locator('.splayer-steps');
  if (!(await details.evaluate((d) => (d as HTMLDetailsElement).open))) await page.locator('.splayer-steps summary').click();
  await page.locator('.splayer-step-link').nth(i).click();
  await expect.poll(() => page.locator('[data-testid="step-counter"]').innerText()).toBe(`Step ${i} / ${trace.length - 1}`);
}

/** The record cells the panel draws: partition → [offset, state, text]. */
async function drawn(page: Page): Promise<Record<string, { offset: number; state: string; text: string }[]>> {
  return page.$$eval('.share-partition', (parts) =>
    Object.fromEntries(
      parts.map((p) => [
        (p as HTMLElement).dataset.sharePartition!,
        [...p.querySelectorAll<HTMLElement>('.share-record')].map((c) => ({
          offset: Number(c.dataset.offset),
          state: c.dataset.state!,
          text: c.textContent!.replace(/\s+/g, ' ').trim(),
        })),
      ]),
    ),
  );
}

/** What the panel must show at event e, from the engine's snapshot. */
function expected(e: TraceEvent) {
  const g = e.snapshot.shareGroups![0];
  return Object.fromEntries(
    g.partitions.map((p) => [
      `${p.topic}-${p.partition}`,
      p.records.map((r) => ({ offset: r.offset, state: r.state, count: r.deliveryCount, member: r.member })),
    ]),
  );
}

async function expectPanelMatches(page: Page, e: TraceEvent): Promise<void> {
  const got = await drawn(page);
  const want = expected(e);
  expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
  for (const [tp, records] of Object.entries(want)) {
    expect(got[tp].map((c) => [c.offset, c.state])).toEqual(records.map((r) => [r.offset, r.state]));
    records.forEach((r, i) => {
      expect(got[tp][i].text).toContain(`×${r.count}`);
      if (r.member) expect(got[tp][i].text).toContain(r.member);
    });
  }
}

const stateOf = (e: TraceEvent, tp: string, offset: number) =>
  e.snapshot.shareGroups![0].partitions.find((p) => `${p.topic}-${p.partition}` === tp)!.records.find((r) => r.offset === offset);

describe.each([
  { label: 'desktop-light', viewport: { width: 1280, height: 900 }, colorScheme: 'light' as const },
  { label: '390px-dark', viewport: { width: 390, height: 844 }, colorScheme: 'dark' as const },
])('share-group scenario in the player ($label)', ({ label, viewport, colorScheme }) => {
  it('shows the sharing, then each record’s state step by step: the expired lock, the archived record, all settled at the end', async () => {
    const { page, errors, context } = await newPage(browser, { viewport, colorScheme });
    await openScenario(page);
    const panel = page.locator('[data-share-group="sg1"]');
    await panel.waitFor();

    // after the joins: every member reads one partition; each partition lists its members
    const joined = trace.findIndex((e) => e.kind === 'sharePoll');
    await goTo(page, joined);
    const view = trace[joined].snapshot.shareGroups![0];
    expect(await panel.locator('.share-member').count()).toBe(view.members.length);
    for (const p of view.partitions) {
      expect(await panel.locator(`[data-share-partition="${p.topic}-${p.partition}"] .share-partition-members`).innerText()).toBe(
        `← ${p.members.join(', ')}`,
      );
    }

    // the first round of polls: every record acquired by someone
    const round = trace.findIndex((e) => e.kind === 'sharePoll' && e.received.length > 0);
    await goTo(page, round);
    await expectPanelMatches(page, trace[round]);
    await page.locator('[data-share-group="sg1"]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: resolve(SHOTS, `${label}-1-acquired.png`) });

    // the lock expires: that record is available again, and the step says whose lock it was
    const expiry = trace.findIndex((e) => e.happened.some((h) => h.includes('acquisition lock expires')));
    await goTo(page, expiry);
    await expectPanelMatches(page, trace[expiry]);
    const line = trace[expiry].happened.find((h) => h.includes('acquisition lock expires'))!;
    const [, tpLabel, offset] = /^(t\d+p\d+)@(\d+)/.exec(line)!;
    const tp = tpLabel.replace(/p(\d+)$/, '-$1');
    expect(stateOf(trace[expiry], tp, Number(offset))!.state).toBe('available');
    expect(await page.locator(`[data-share-partition="${tp}"] .share-record[data-offset="${offset}"]`).getAttribute('data-state')).toBe(
      'available',
    );
    expect(await page.locator('.step-happened').innerText()).toContain(line);

    // the poison record: archived at the delivery limit
    const archived = trace.findIndex((e) => e.happened.some((h) => /RELEASE .* archived/.test(h)));
    await goTo(page, archived);
    await expectPanelMatches(page, trace[archived]);
    const limit = view.deliveryCountLimit;
    const cell = page.locator('.share-record[data-state="archived"]');
    expect(await cell.count()).toBe(1);
    expect(await cell.innerText()).toContain(`×${limit}`);
    await cell.scrollIntoViewIfNeeded();
    await page.screenshot({ path: resolve(SHOTS, `${label}-2-archived.png`) });

    // the end: nothing in flight
    await goTo(page, trace.length - 1);
    await expectPanelMatches(page, trace.at(-1)!);
    expect(await page.locator('.share-record[data-state="acquired"], .share-record[data-state="available"]').count()).toBe(0);
    await page.locator('[data-share-group="sg1"]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: resolve(SHOTS, `${label}-3-settled.png`), fullPage: false });

    expect(errors).toEqual([]);
    await context.close();
  });
});

/** axe's serious and critical violations (and heading order), one line each */
async function violations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical' || v.id === 'heading-order')
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} — ${v.nodes
          .map((n) => n.target.join(' '))
          .slice(0, 3)
          .join('; ')}`,
    );
}

describe('axe on the share-group scenario page', () => {
  for (const colorScheme of ['light', 'dark'] as const) {
    it(`no serious or critical violation with records in every state (${colorScheme})`, async () => {
      const { page, errors, context } = await newPage(browser, { colorScheme });
      await openScenario(page);
      await goTo(
        page,
        trace.findIndex((e) => e.happened.some((h) => /RELEASE .* archived/.test(h))),
      );
      expect(await violations(page)).toEqual([]);
      expect(errors).toEqual([]);
      await context.close();
    });
  }
});

describe('lesson 6 embeds the share-group scenario', () => {
  it('the lesson page plays it with the same panel', async () => {
    const { page, errors, context } = await newPage(browser);
    await page.goto('/lessons/06-rebalancing/');
    const panel = page.locator('[data-share-group="sg1"]');
    await panel.scrollIntoViewIfNeeded();
    await panel.waitFor();
    expect(await panel.locator('.share-member').count()).toBe(trace[0].snapshot.shareGroups![0].members.length);
    await page.screenshot({ path: resolve(SHOTS, 'lesson-embed.png') });
    expect(errors).toEqual([]);
    await context.close();
  });
});
