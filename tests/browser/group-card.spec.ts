/**
 * The scenario player's group card when a dynamic consumer restarts: the restarted process joins with a
 * new memberId while its crashed process's member stays in the group until its session times out. The
 * card shows the consumer once, with its current member, and the earlier member on a labelled row of its
 * own — never the old member's assignment as the restarted consumer's, and never two identical rows.
 *
 * Expected values come from the engine (the scenario played with the player's options); nothing typed here.
 */
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, newPage } from './browser.ts';
import { runScenario, type TraceEvent } from '../../engine/index.ts';
import { loadScenarioFile } from '../../content/schema/scenario.ts';
import { PLAYER_RUN_OPTIONS } from '../../site/islands/scenario/model.ts';

const ID = 'auto-commit-loses-a-record';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function trace(): Promise<TraceEvent[]> {
  const scenario = await loadScenarioFile(resolve(import.meta.dirname, `../../content/scenarios/${ID}.yaml`));
  return runScenario(scenario, PLAYER_RUN_OPTIONS).trace;
}

/** the first step at which one consumer has two members in its group: the restart before the session timeout */
function firstDuplicate(events: TraceEvent[]): number {
  return events.findIndex((e) => e.snapshot.groups.some((g) => new Set(g.members.map((m) => m.consumer)).size !== g.members.length));
}

async function goTo(page: Page, step: number): Promise<void> {
  await page.locator('.splayer-scrubber').fill(String(step));
  await expect.poll(() => page.locator('[data-testid="step-counter"]').innerText()).toMatch(new RegExp(`^Step ${step} /`));
}

const chips = (page: Page, row: string) =>
  page.locator(`${row} .member-parts .tp-chip:not(.tp-chip--out):not(.tp-chip--none)`).allInnerTexts();

describe('group card: a dynamic consumer restarted before its old member timed out', () => {
  it('shows the consumer once with its new member, and the crashed process member on a labelled row of its own', async () => {
    const events = await trace();
    const step = firstDuplicate(events);
    expect(step).toBeGreaterThan(0);
    const snap = events[step].snapshot;
    const group = snap.groups.find((g) => new Set(g.members.map((m) => m.consumer)).size !== g.members.length)!;
    const consumer = snap.consumers.find((k) => group.members.filter((m) => m.consumer === k.id).length > 1)!;
    const current = group.members.find((m) => m.memberId === consumer.memberId)!;
    const earlier = group.members.filter((m) => m.consumer === consumer.id && m !== current);
    const label = (tp: { topic: string; partition: number }) =>
      snap.partitions.find((p) => p.topic === tp.topic && p.partition === tp.partition)!.label;

    const { page, context, errors } = await newPage(browser);
    try {
      await page.goto(`/scenarios/${ID}/`);
      await page.waitForFunction(() => document.querySelector('.splayer') && !document.querySelector('astro-island[ssr]'));
      await goTo(page, step);
      const card = `.group-card[data-group="${group.id}"]`;

      // one row per member of the group, no member twice
      const rows = page.locator(`${card} .member`);
      expect(await rows.count()).toBe(group.members.length);
      const ids = await rows.evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.memberId));
      expect(new Set(ids).size).toBe(ids.length);

      // the consumer's own row: its current member and that member's assignment (not the crashed process's)
      const own = `${card} .member[data-consumer="${consumer.id}"]:not(.member--earlier)`;
      expect(await page.locator(own).count()).toBe(1);
      expect(await page.locator(own).getAttribute('data-member-id')).toBe(current.memberId);
      expect(await chips(page, own)).toEqual(current.assignment.map(label));
      expect(await page.locator(`${own} .member-counts`).innerText()).not.toContain('waiting'); // the crashed process's records died with it

      // the earlier member: labelled as such, with the assignment the coordinator still holds for it
      for (const m of earlier) {
        const row = `${card} .member--earlier[data-member-id="${m.memberId}"]`;
        expect(await page.locator(row).innerText()).toContain('earlier process');
        expect(await chips(page, row)).toEqual(m.assignment.map(label));
      }
      // the offsets table names the earlier process as the owner of what it still holds
      for (const m of earlier)
        for (const tp of m.assignment) {
          const cell = page
            .locator(`${card} .offsets-table tbody tr`, { has: page.locator(`th:text-is("${label(tp)}")`) })
            .locator('td')
            .first();
          expect(await cell.innerText()).toBe(`${consumer.id} (earlier process)`);
        }

      // once the old member's session has timed out, one row for the consumer again
      const settled = events.findIndex(
        (e, i) =>
          i > step && e.snapshot.groups.find((g) => g.id === group.id)!.members.filter((m) => m.consumer === consumer.id).length === 1,
      );
      expect(settled).toBeGreaterThan(step);
      await goTo(page, settled);
      expect(await page.locator(`${card} .member[data-consumer="${consumer.id}"]`).count()).toBe(1);
      expect(await page.locator(`${card} .member--earlier`).count()).toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
