/**
 * Studio benchmarks (`npm run bench -- studio`; the browser figure needs the built site, `npm run build` first):
 * - the time from an edit to a replayed trace on the largest course scenario (the one with the most steps), in
 *   Debian's Chromium: the editor's text changes (a number: the first topic's partition count), Ctrl+Enter, and
 *   the clock stops when the player shows the new trace — the worker's parse, check, engine run and story checks,
 *   the message back and the player's render. Median of 10 replays in one page (warm worker).
 * - the worker's share alone, in Node: `playScenarioText` (parse, check, run, verify) on the same file, median of 20.
 * Speed is measured here and never asserted in tests.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import { parse } from 'yaml';
import { startStaticServer } from '../tests/browser/global-setup.ts';
import { launchBrowser, newPage } from '../tests/browser/browser.ts';
import { setStudioText, studioReady, waitForPlayed } from '../tests/browser/studio-page.ts';
import { playScenarioText } from '../site/islands/studio/studio-run.ts';
import type { BenchResult } from './run.ts';
import { median } from './stats.ts';

const root = resolve(import.meta.dirname, '..');
const RUNS = 10;

/** The course scenario with the most steps: its id and text. */
function largestScenario(): { id: string; text: string; steps: number } {
  const dir = join(root, 'content/scenarios');
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => {
      const text = readFileSync(join(dir, f), 'utf8');
      return { id: f.replace(/\.ya?ml$/, ''), text, steps: (parse(text) as { steps: unknown[] }).steps.length };
    })
    .sort((a, b) => b.steps - a.steps || a.id.localeCompare(b.id))[0];
}

/** The text with the first topic's partition count set to n. */
function withPartitions(text: string, n: number): string {
  return text
    .replace(/(topics:\s*\n\s*- \{ name: [^,]+, partitions: )\d+/, `$1${n}`)
    .replace(/(topics:\s*\n\s*- name: [^\n]+\n\s*partitions: )\d+/, `$1${n}`);
}

export async function run(): Promise<BenchResult[]> {
  const largest = largestScenario();
  const results: BenchResult[] = [];

  const node: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t = performance.now();
    const played = playScenarioText(largest.text);
    node.push(performance.now() - t);
    if (!played.trace) throw new Error(`${largest.id} did not play: ${played.issues.map((x) => x.message).join('; ')}`);
  }
  results.push({
    name: `studio worker's work in Node: ${largest.id}`,
    value: median(node),
    unit: 'ms',
    note: `${largest.steps} steps; parse, check, run, verify; median of 20`,
  });

  if (!existsSync(join(root, 'dist/studio/index.html'))) throw new Error('dist/studio/ is missing: run `npm run build` first');
  const server = await startStaticServer();
  const baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await launchBrowser();
  try {
    const { page } = await newPage(browser, { baseURL });
    await page.goto(`/studio/?scenario=${largest.id}`);
    await studioReady(page);
    await waitForPlayed(page, 1);
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const text = withPartitions(largest.text, 2 + (i % 5));
      if (text === largest.text && i % 5 !== 0) throw new Error(`could not change a number in ${largest.id}`);
      await setStudioText(page, text);
      await page.evaluate(() => window.__partitionLabEditor!.focus());
      const t = performance.now();
      await page.keyboard.press('Control+Enter');
      await waitForPlayed(page, i + 2);
      times.push(performance.now() - t);
    }
    results.push({
      name: `edit → replayed trace in Chromium: ${largest.id}`,
      value: median(times),
      unit: 'ms',
      note: `${largest.steps} steps; Ctrl+Enter to the player showing the new trace; median of ${RUNS}, min ${Math.round(Math.min(...times))}, max ${Math.round(Math.max(...times))}`,
    });
  } finally {
    await browser.close();
    server.close();
  }
  return results;
}
