/**
 * The scenario player in Chromium against the built site: /scenarios/ lists every scenario file; a
 * scenario page steps with the keyboard (← → Home End Space), with the buttons and with the scrubber;
 * the step counter, the description, the aria-live announcement, the partition logs, the group view
 * and the step's badges follow the trace; playing runs to the end; no console errors, and the page
 * ships no engine code.
 *
 * Expected values come from the engine: each scenario file is loaded with the same loader and played
 * with `runScenario` and the same options the pages use (PLAYER_RUN_OPTIONS) — nothing typed here.
 */
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, newPage, type OpenedPage } from './browser.ts';
import { runScenario, type Scenario, type TraceEvent } from '../../engine/index.ts';
import { loadScenarioFile } from '../../content/schema/scenario.ts';
import { PLAYER_RUN_OPTIONS } from '../../site/islands/scenario/model.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const SCENARIO_DIR = resolve(ROOT, 'content/scenarios');

async function played(id: string): Promise<{ scenario: Scenario; trace: TraceEvent[] }> {
  const scenario = await loadScenarioFile(resolve(SCENARIO_DIR, `${id}.yaml`));
  return { scenario, trace: runScenario(scenario, PLAYER_RUN_OPTIONS).trace };
}

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** Open a scenario page and wait until the island has hydrated (its buttons work). */
async function openScenario(opened: OpenedPage, id: string): Promise<Page> {
  const { page } = opened;
  await page.goto(`/scenarios/${id}/`);
  await page.waitForSelector('.splayer');
  await page.waitForFunction(() => document.querySelector('astro-island') !== null && !document.querySelector('astro-island[ssr]'));
  return page;
}

const counter = (page: Page) => page.locator('[data-testid="step-counter"]').innerText();
const description = (page: Page) => page.locator('[data-testid="step-description"]').innerText();

/** The counter and description show event i of the trace, and the live region announces it. */
async function expectStep(page: Page, trace: TraceEvent[], i: number): Promise<void> {
  const last = trace.length - 1;
  await expect.poll(() => counter(page)).toBe(`Step ${i} / ${last}`);
  expect(await description(page)).toBe(trace[i].description);
  expect(await page.locator('.splayer [aria-live]').innerText()).toBe(`Step ${i} of ${last}: ${trace[i].description}`);
  expect(await page.locator('.splayer-scrubber').inputValue()).toBe(String(i));
}

/** Keys (offset, key, value) of the record cells drawn for one partition. */
async function drawnRecords(page: Page, label: string): Promise<{ offset: number; key: string; value: string }[]> {
  return page.$$eval(`.plog[data-partition="${label}"] .log-cell--record`, (cells) =>
    cells.map((c) => ({
      offset: Number((c as HTMLElement).dataset.offset),
      key: c.querySelector('.log-cell-key')!.textContent!,
      value: c.querySelector('.log-cell-value')!.textContent!,
    })),
  );
}

/** What a partition's snapshot should look like as drawn cells (null key → ∅, null value → tombstone). */
function expectedRecords(event: TraceEvent, label: string) {
  const p = event.snapshot.partitions.find((x) => x.label === label)!;
  return p.records.map((r) => ({ offset: r.offset, key: r.key ?? '∅', value: r.value ?? 'tombstone' }));
}

describe('scenario list', () => {
  it('lists every scenario file with its title and summary, each linking to its page', async () => {
    const files = readdirSync(SCENARIO_DIR).filter((f) => /\.(ya?ml|json)$/.test(f));
    const scenarios = await Promise.all(files.map((f) => loadScenarioFile(resolve(SCENARIO_DIR, f))));
    const opened = await newPage(browser);
    const { page, errors } = opened;
    await page.goto('/scenarios/');
    const items = page.locator('.scenario-item');
    expect(await items.count()).toBe(scenarios.length);
    for (const s of scenarios) {
      const item = page.locator(`.scenario-item[data-scenario="${s.id}"]`);
      expect(await item.locator('h2 a').innerText()).toBe(s.title);
      expect(await item.locator('h2 a').getAttribute('href')).toBe(`/scenarios/${s.id}/`);
      expect((await item.locator('.scenario-summary').innerText()).replace(/\s+/g, ' ')).toBe(s.summary.replace(/\s+/g, ' '));
    }
    // Following a link opens a page with the player.
    await page.locator('.scenario-item[data-scenario="acks-1-loss"] h2 a').click();
    await page.waitForURL('**/scenarios/acks-1-loss/');
    await page.waitForSelector('.splayer');
    expect(errors).toEqual([]);
    await opened.context.close();
  });
});

describe('acks=1 loss: one replicated partition', () => {
  it('steps with the keyboard and the buttons; the log, replicas and leader follow the trace', async () => {
    const { scenario, trace } = await played('acks-1-loss');
    const last = trace.length - 1;
    const opened = await newPage(browser);
    const { errors } = opened;
    const scripts: string[] = [];
    opened.page.on('response', async (r) => {
      if (r.url().endsWith('.js')) scripts.push(await r.text());
    });
    const page = await openScenario(opened, 'acks-1-loss');

    expect(await page.locator('h1').innerText()).toBe(scenario.title);
    await expectStep(page, trace, 0);

    // Keyboard: focus is on a control inside the player; arrows, End and Home move.
    await page.locator('button[aria-label="Play"]').focus();
    await page.keyboard.press('ArrowRight');
    await expectStep(page, trace, 1);
    await page.keyboard.press('ArrowRight');
    await expectStep(page, trace, 2);
    await page.keyboard.press('ArrowLeft');
    await expectStep(page, trace, 1);
    await page.keyboard.press('End');
    await expectStep(page, trace, last);
    await page.keyboard.press('Home');
    await expectStep(page, trace, 0);

    // Buttons: step to each produce and check the drawn log against the snapshot.
    const label = trace[0].snapshot.partitions[0].label;
    const next = page.locator('button[aria-label="Next step"]');
    for (let i = 1; i <= last; i++) {
      await next.click();
      await expectStep(page, trace, i);
      expect(await drawnRecords(page, label)).toEqual(expectedRecords(trace[i], label));
      const p = trace[i].snapshot.partitions[0];
      const offsets = await page.locator(`.plog[data-partition="${label}"] .plog-offsets`).innerText();
      expect(offsets.replace(/\s+/g, '')).toBe(
        `${p.recordCount}record${p.recordCount === 1 ? '' : 's'}start${p.logStartOffset}HW${p.highWatermark}LEO${p.logEndOffset}`,
      );
      const leader = await page.locator(`.plog[data-partition="${label}"] .plog-leader`).innerText();
      expect(leader).toContain(p.leader === null ? 'offline' : `leader B${p.leader}`);
      expect(await page.locator(`.plog[data-partition="${label}"] .plog-isr`).innerText()).toBe(`ISR [${p.isr.join(', ')}]`);
      // one bar row per replica
      expect(await page.locator(`.plog[data-partition="${label}"] .plog-legend-replica`).count()).toBe(p.replicaStates.length);
      // acked sends show as badges
      const acked = trace[i].deliveries.filter((d) => d.status === 'acked').length;
      const badgeTexts = await page.locator('.step-badges .badge--acked').allInnerTexts();
      const shown = badgeTexts.reduce((n, t) => n + Number(/: (\d+) records$/.exec(t)?.[1] ?? 1), 0);
      expect(shown).toBe(acked);
      // brokers that are down are marked
      const down = trace[i].snapshot.brokers.filter((b) => !b.alive).length;
      expect(await page.locator('.broker-chip--down').count()).toBe(down);
    }
    expect(await next.isDisabled()).toBe(true);

    // The step where a record disappears from the leader's log says so.
    const lossStep = trace.findIndex((e, i) => {
      if (i === 0) return false;
      const before = new Set(trace[i - 1].snapshot.partitions[0].records.map((r) => `${r.offset}:${r.value}`));
      const now = new Set(e.snapshot.partitions[0].records.map((r) => `${r.offset}:${r.value}`));
      return [...before].some((x) => !now.has(x));
    });
    expect(lossStep).toBeGreaterThan(0);
    await page.locator('.splayer-scrubber').fill(String(lossStep));
    await expectStep(page, trace, lossStep);
    expect(await page.locator(`.plog[data-partition="${label}"] .plog-removed`).count()).toBe(1);

    // The list of all steps jumps to a step.
    await page.locator('.splayer-steps summary').click();
    const links = page.locator('.splayer-step-link');
    expect(await links.count()).toBe(trace.length);
    expect(await links.nth(3).innerText()).toContain(trace[3].description);
    await links.nth(3).click();
    await expectStep(page, trace, 3);
    expect(await links.nth(3).getAttribute('aria-current')).toBe('step');

    // The page ships the player, not the engine.
    expect(scripts.length).toBeGreaterThan(0);
    for (const s of scripts) {
      expect(s).not.toContain('Expected numPartitions');
      expect(s).not.toContain('RebalanceInProgressException');
    }
    expect(errors).toEqual([]);
    await opened.context.close();
  });
});

describe('consumer crash: a group of two on four partitions', () => {
  it('plays to the end; assignments, callbacks and offsets follow the trace', async () => {
    const { trace } = await played('consumer-crash-rebalance');
    const last = trace.length - 1;
    const opened = await newPage(browser);
    const { errors } = opened;
    const page = await openScenario(opened, 'consumer-crash-rebalance');

    // The rebalance step after the crash: revoked and assigned callbacks as badges.
    const rebalance = trace.findIndex((e) => e.callbacks.some((c) => c.kind === 'revoked'));
    expect(rebalance).toBeGreaterThan(0);
    await page.locator('.splayer-scrubber').focus();
    await page.locator('.splayer-scrubber').fill(String(rebalance));
    await expectStep(page, trace, rebalance);
    for (const kind of ['revoked', 'assigned', 'lost'] as const) {
      expect(await page.locator(`.step-badges .badge--${kind}`).count()).toBe(
        trace[rebalance].callbacks.filter((c) => c.kind === kind).length,
      );
    }
    const group = trace[rebalance].snapshot.groups[0];
    for (const m of group.members) {
      const chips = await page
        .locator(
          `.group-card[data-group="${group.id}"] .member[data-consumer="${m.consumer}"] .member-parts .tp-chip:not(.tp-chip--out):not(.tp-chip--none)`,
        )
        .allInnerTexts();
      const labels = m.assignment.map(
        (tp) => trace[rebalance].snapshot.partitions.find((p) => p.topic === tp.topic && p.partition === tp.partition)!.label,
      );
      expect(chips).toEqual(labels);
    }
    // offsets table: one row per partition; committed and lag as computed
    const rows = page.locator(`.group-card[data-group="${group.id}"] .offsets-table tbody tr`);
    expect(await rows.count()).toBe(group.offsets.length);
    for (let r = 0; r < group.offsets.length; r++) {
      const cells = await rows.nth(r).locator('td').allInnerTexts();
      expect(cells[2]).toBe(String(group.offsets[r].committed ?? '—'));
      expect(cells[4]).toBe(String(group.offsets[r].lag));
    }
    // a crashed consumer is marked
    const crashed = trace[rebalance].snapshot.consumers.filter((k) => k.status === 'crashed').length;
    expect(await page.locator('.consumer-chip--crashed').count()).toBe(crashed);

    // Play from three steps before the end with Space (focus on the scrubber, not on a button).
    await page.locator('.splayer-scrubber').fill(String(last - 3));
    await expectStep(page, trace, last - 3);
    await page.keyboard.press('Space');
    expect(await page.locator('.sp-btn--play').getAttribute('aria-label')).toBe('Pause');
    await expect.poll(() => counter(page), { timeout: 15_000 }).toBe(`Step ${last} / ${last}`);
    await expectStep(page, trace, last);
    await expect.poll(() => page.locator('.sp-btn--play').getAttribute('aria-label')).toBe('Replay');
    expect(await page.locator('.sp-btn--play').innerText()).toBe('Replay');
    // the final log of every partition matches the final snapshot
    for (const p of trace[last].snapshot.partitions) {
      expect(await drawnRecords(page, p.label)).toEqual(expectedRecords(trace[last], p.label));
    }

    // Pause works: play from the start with the button, pause, and the step stays put.
    await page.locator('.sp-btn--play').click(); // Replay → starts at 0
    await expect.poll(() => counter(page)).toMatch(/^Step [0-2] \//);
    await page.locator('.sp-btn--play').click(); // Pause
    const paused = await counter(page);
    await page.waitForTimeout(2000);
    expect(await counter(page)).toBe(paused);

    expect(errors).toEqual([]);
    await opened.context.close();
  });

  it('is usable at 390 px: controls visible and no page-wide horizontal scroll', async () => {
    const opened = await newPage(browser, { viewport: { width: 390, height: 844 } });
    const page = await openScenario(opened, 'consumer-crash-rebalance');
    for (const name of ['First step', 'Previous step', 'Play', 'Next step', 'Last step']) {
      expect(await page.locator(`button[aria-label="${name}"]`).isVisible()).toBe(true);
    }
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    expect(opened.errors).toEqual([]);
    await opened.context.close();
  });
  it.each([
    ['01-keys-and-partitions', 'adding-partitions-breaks-key-order'],
    ['02-consumer-groups-and-assignors', 'consumer-crash-rebalance'],
  ])('is embedded in lesson %s (%s) and steps there too', async (lesson, id) => {
    const { trace } = await played(id);
    const opened = await newPage(browser);
    const { page, errors } = opened;
    await page.goto(`/lessons/${lesson}/`);
    const embed = page.locator(`[data-scenario="${id}"]`);
    await embed.scrollIntoViewIfNeeded();
    // hydrated when it scrolls into view: the Next button works
    await expect
      .poll(async () => {
        await embed.locator('button[aria-label="Next step"]').click();
        return embed.locator('[data-testid="step-counter"]').innerText();
      })
      .not.toBe(`Step 0 / ${trace.length - 1}`);
    const shown = Number(/Step (\d+)/.exec(await embed.locator('[data-testid="step-counter"]').innerText())![1]);
    expect(await embed.locator('[data-testid="step-description"]').innerText()).toBe(trace[shown].description);
    expect(errors).toEqual([]);
    await opened.context.close();
  });
});

describe('transactions: markers, aborted records, the LSO and isolation levels', () => {
  it('draws COMMIT / ABORT cells, aborted records, the LSO while a transaction is open, and the fenced zombie', async () => {
    const { trace } = await played('transactional-consume-transform-produce');
    const opened = await newPage(browser);
    const { page, errors } = opened;
    await openScenario(opened, 'transactional-consume-transform-produce');
    const label = 'invoices-0';

    // a step where a transaction is open: the LSO marker and the header show the engine's LSO
    const open = trace.findIndex((e) => e.snapshot.partitions.some((p) => p.label === label && p.lastStableOffset! < p.highWatermark));
    expect(open).toBeGreaterThan(0);
    await page.locator('.splayer-scrubber').fill(String(open));
    await expectStep(page, trace, open);
    const lso = trace[open].snapshot.partitions.find((p) => p.label === label)!.lastStableOffset!;
    expect(await page.locator(`.plog[data-partition="${label}"] .marker--lso`).count()).toBe(1);
    expect(await page.locator(`.plog[data-partition="${label}"] .plog-lso`).innerText()).toBe(`LSO ${lso}`);
    expect(await page.locator(`.plog[data-partition="${label}"] .log-cell--txn-open`).count()).toBe(
      trace[open].snapshot.partitions.find((p) => p.label === label)!.records.filter((r) => r.txn === 'open').length,
    );

    // the last step: every marker drawn as a control cell, aborted records marked, no LSO marker (nothing open)
    await page.keyboard.press('End');
    const last = trace[trace.length - 1];
    await expectStep(page, trace, trace.length - 1);
    const p = last.snapshot.partitions.find((x) => x.label === label)!;
    const controls = await page.$$eval(`.plog[data-partition="${label}"] .log-cell--control`, (cells) =>
      cells.map((c) => c.querySelector('.log-cell-key')!.textContent),
    );
    expect(controls).toEqual(p.records.filter((r) => r.control).map((r) => r.control));
    expect(await page.locator(`.plog[data-partition="${label}"] .log-cell--txn-aborted`).count()).toBe(
      p.records.filter((r) => r.txn === 'aborted').length,
    );
    expect(await page.locator(`.plog[data-partition="${label}"] .marker--lso`).count()).toBe(0);

    // each consumer with an isolation level shows it
    for (const c of last.snapshot.consumers.filter((k) => k.isolationLevel)) {
      expect(await page.locator(`[data-consumer="${c.id}"] .isolation-tag`).innerText()).toContain(c.isolationLevel!);
    }

    // the zombie's refused commit shows as the step's error
    const fenced = trace.findIndex((e) => e.kind === 'commitTransaction' && e.error !== null);
    await page.locator('.splayer-scrubber').fill(String(fenced));
    await expectStep(page, trace, fenced);
    expect(await page.locator('.badge--error').innerText()).toContain('ProducerFencedException');
    expect(errors).toEqual([]);
    await opened.context.close();
  });
});
