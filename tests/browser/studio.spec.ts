/**
 * The scenario studio (/studio/) in Chromium against the built site, the way an instructor uses it: open a
 * course scenario from its page, break it and see the build's message live (in the list and as a marker),
 * fix it, play, change a number and play again (the engine runs in a Web Worker; the story checks follow),
 * share the file as a link and open it in a fresh browser context (same text, same trace), download it,
 * reload and keep the draft, and get completion from the scenario schema.
 *
 * Expected traces come from the engine: the same text is parsed and played here with runScenario and the
 * player's options — nothing typed by hand.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { parse } from 'yaml';
import { AxeBuilder } from '@axe-core/playwright';
import { runScenario, verifyStoryChecks, type Scenario } from '../../engine/index.ts';
import { PLAYER_RUN_OPTIONS } from '../../site/islands/scenario/model.ts';
import { launchBrowser, newPage } from './browser.ts';
import { setStudioText, studioMarkers, studioProblems, studioReady, studioText, waitForPlayed } from './studio-page.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const source = (id: string) => readFileSync(resolve(ROOT, `content/scenarios/${id}.yaml`), 'utf8');
const play = (text: string) => {
  const scenario = parse(text) as Scenario;
  const result = runScenario(scenario, PLAYER_RUN_OPTIONS);
  return { scenario, trace: result.trace, checks: verifyStoryChecks(scenario, result) };
};

const counter = (page: Page) => page.getByTestId('step-counter').innerText();
const description = (page: Page) => page.getByTestId('step-description').innerText();

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('the scenario studio', () => {
  it('Open in studio → an error shown live → fixed → played → a number changed → played again, in a worker', async () => {
    const { page, context, errors } = await newPage(browser);
    try {
      await page.goto('/scenarios/consumer-crash-rebalance/');
      await page.getByTestId('open-in-studio').click();
      await page.waitForURL(/\/studio\/\?scenario=consumer-crash-rebalance$/);
      await studioReady(page);
      await waitForPlayed(page, 1);
      const original = source('consumer-crash-rebalance');
      expect(await studioText(page)).toBe(original);
      const first = play(original);
      expect(await counter(page)).toBe(`Step 0 / ${first.trace.length - 1}`);
      expect(await page.getByTestId('studio-check').count()).toBe(first.checks.length);
      expect(await page.getByTestId('studio-checks').getAttribute('data-failed')).toBe('0');
      // the engine ran in the studio's Web Worker, not on the page's thread
      expect(page.workers().some((w) => /studio\.worker/.test(w.url()))).toBe(true);

      // Kafka's dotted config name: the build's message, with the suggestion, live in the list and the editor
      const broken = original.replace('config: { enableAutoCommit', 'config: { session.timeout.ms: 20000, enableAutoCommit');
      expect(broken).not.toBe(original);
      await setStudioText(page, broken);
      await expect.poll(() => studioProblems(page)).toHaveLength(1);
      const [problem] = await studioProblems(page);
      expect(problem).toContain('consumers[0].config');
      expect(problem).toContain('received unknown field "session.timeout.ms"');
      expect(problem).toContain('write "sessionTimeoutMs" for Kafka\'s session.timeout.ms');
      const line = broken.split('\n').findIndex((l) => l.includes('session.timeout.ms: 20000')) + 1;
      await expect.poll(() => studioMarkers(page)).toEqual([{ line, message: expect.stringContaining('session.timeout.ms') }]);
      // Play refuses the broken file and keeps the last trace
      await page.getByTestId('studio-play').click();
      await expect.poll(() => page.getByTestId('studio-status').innerText()).toBe('Fix the problems to play.');
      expect(await page.getByTestId('studio-played').getAttribute('data-run')).toBe('1');

      // fixed: no problems, no markers
      await setStudioText(page, original);
      await expect.poll(() => page.getByTestId('studio-problems').innerText()).toContain('No problems');
      await expect.poll(() => studioMarkers(page)).toEqual([]);

      // a number changed: 4 partitions → 6, played again with Ctrl+Enter from the editor
      const six = original.replace('{ name: t0, partitions: 4 }', '{ name: t0, partitions: 6 }');
      expect(six).not.toBe(original);
      await setStudioText(page, six);
      await page.evaluate(() => window.__partitionLabEditor!.focus());
      await page.keyboard.press('Control+Enter');
      await waitForPlayed(page, 2);
      const second = play(six);
      expect(await counter(page)).toBe(`Step 0 / ${second.trace.length - 1}`);
      expect(await description(page)).toBe(second.trace[0].description);
      expect(await description(page)).toContain('6 partitions');
      // the story checks follow the engine: those that no longer hold are crossed, with what the engine computed
      const failed = second.checks.filter((c) => !c.ok);
      expect(failed.length).toBeGreaterThan(0);
      expect(await page.getByTestId('studio-checks').getAttribute('data-failed')).toBe(String(failed.length));
      expect(await page.getByTestId('studio-checks').innerText()).toContain(`but ${failed[0].message}`);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('a share link opened in a fresh browser context shows the same scenario and the same trace', async () => {
    const a = await newPage(browser);
    let href: string;
    let text: string;
    let lastDescription: string;
    try {
      await a.page.goto('/studio/?scenario=acks-1-loss');
      await studioReady(a.page);
      await waitForPlayed(a.page, 1);
      text = source('acks-1-loss')
        .replace(/^title: .*$/m, 'title: My own acks=1 story')
        .replace('acks: 1', "acks: 'all'");
      await setStudioText(a.page, text);
      await a.page.getByTestId('studio-play').click();
      await waitForPlayed(a.page, 2);
      await a.page.getByRole('button', { name: 'Last step' }).click();
      await expect.poll(() => counter(a.page)).toMatch(/^Step (\d+) \/ \1$/);
      lastDescription = await description(a.page);
      await a.page.getByTestId('studio-share').click();
      href = await a.page.getByTestId('studio-share-url').inputValue();
      expect(href).toMatch(/\/studio\/#s=[A-Za-z0-9_-]+$/);
      expect(a.errors).toEqual([]);
    } finally {
      await a.context.close();
    }
    const b = await newPage(browser);
    try {
      await b.page.goto(href);
      await studioReady(b.page);
      await waitForPlayed(b.page, 1);
      expect(await studioText(b.page)).toBe(text);
      const { trace } = play(text);
      expect(await counter(b.page)).toBe(`Step 0 / ${trace.length - 1}`);
      await b.page.getByRole('button', { name: 'Last step' }).click();
      await expect.poll(() => counter(b.page)).toBe(`Step ${trace.length - 1} / ${trace.length - 1}`);
      expect(await description(b.page)).toBe(lastDescription);
      expect(lastDescription).toBe(trace[trace.length - 1].description);
      expect(b.errors).toEqual([]);
    } finally {
      await b.context.close();
    }
  });

  it('download saves <id>.yaml with the text; a reload keeps the draft; completion comes from the schema', async () => {
    const { page, context, errors } = await newPage(browser);
    try {
      await page.goto('/studio/?scenario=hot-key-skew');
      await studioReady(page);
      await waitForPlayed(page, 1);
      const text = source('hot-key-skew').replace('partitions: 6', 'partitions: 8');
      await setStudioText(page, text);
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('studio-download').click()]);
      expect(download.suggestedFilename()).toBe('hot-key-skew.yaml');
      expect(readFileSync((await download.path())!, 'utf8')).toBe(text);

      // the draft survives a reload of /studio/ (no scenario asked for)
      await page.goto('/studio/');
      await studioReady(page);
      expect(await studioText(page)).toBe(text);

      // completion from the JSON Schema (monaco-yaml): the consumer configs Kafka names, in camelCase — asked for
      // with Ctrl+Space, as the page's introduction tells the learner
      await setStudioText(page, 'consumers:\n  - id: C0\n    config:\n      sess');
      await page.evaluate(() => {
        const ed = window.__partitionLabEditor!;
        ed.focus();
        ed.setPosition({ lineNumber: 4, column: 11 });
      });
      await page.keyboard.press('Control+Space');
      await expect
        .poll(() => page.locator('.suggest-widget .monaco-list-row').allInnerTexts())
        .toEqual(expect.arrayContaining([expect.stringContaining('sessionTimeoutMs')]));
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('passes axe with a problem shown and a trace played', async () => {
    const { page, context } = await newPage(browser);
    try {
      await page.goto('/studio/?scenario=static-member-restart');
      await studioReady(page);
      await waitForPlayed(page, 1);
      await setStudioText(page, source('static-member-restart').replace('seed: 1', 'seed: one'));
      await expect.poll(() => studioProblems(page)).toHaveLength(1);
      const results = await new AxeBuilder({ page }).exclude('.monaco-editor').analyze();
      expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
