/**
 * Grader outcomes in the browser (the Web Worker path), one submission per outcome: an infinite loop
 * (timeout, within the limit + 1 s, while the page stays responsive), a memory bomb (memory), a class instance
 * returned (invalid-result, with the tip for it), a syntax error (line:column, marked in the editor), and host
 * objects that must be unreachable from learner code.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { getExercise } from '../../exercises/index.ts';
import { resolveLimits } from '../../grader/index.ts';
import { launchBrowser, newPage } from './browser.ts';
import {
  exerciseFile,
  getCode,
  grade,
  openCheckpoint,
  readReport,
  setCode,
  waitForMarker,
  waitUntilReady,
  type RenderedReport,
} from './checkpoint-page.ts';

const ID = 'key-to-partition';
const limits = resolveLimits(getExercise(ID)!.limits);

/** The error kinds a report shows: the suite's, or those of its tests (a call that hit a limit). */
function kinds(report: RenderedReport): string[] {
  return [report.errorKind, ...report.tests.map((t) => t.errorKind)].filter((k): k is string => Boolean(k));
}

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('grader outcomes in Chromium', () => {
  it('infinite loop in partition(): a timeout report within the call limit + 1 s, and the page stays responsive meanwhile', async () => {
    const { page, errors, context } = await newPage(browser);
    await openCheckpoint(page, ID);
    await setCode(page, 'export function partition(keyBytes: Uint8Array, numPartitions: number): number {\n  while (true) {}\n}\n');

    const before = Number(await page.getAttribute('[data-testid="results-wrapper"]', 'data-run-count'));
    const started = Date.now();
    await page.click('[data-testid="run"]');
    await page.waitForSelector('[data-testid="results"][data-status="running"]');

    // While the worker spins, the main thread keeps painting frames, a hint opens, the editor takes typing.
    const frames = await page.evaluate(async () => {
      const start = performance.now();
      let worst = 0;
      let last = start;
      for (let i = 0; i < 10; i++) {
        await new Promise((next) => requestAnimationFrame(next));
        const t = performance.now();
        worst = Math.max(worst, t - last);
        last = t;
      }
      const status = document.querySelector('[data-testid="results"]')?.getAttribute('data-status');
      return { worstFrameMs: worst, status };
    });
    expect(frames.status).toBe('running');
    expect(frames.worstFrameMs).toBeLessThan(250);
    await page.getByRole('button', { name: /Show hint 1 of/ }).click();
    await page.evaluate(() => window.__partitionLabEditor!.focus());
    await page.keyboard.type('//x');
    const during = await page.evaluate(() => ({
      hints: document.querySelectorAll('[data-testid="hint"]').length,
      typed: window.__partitionLabEditor!.getValue().includes('//x'),
      runCount: Number(document.querySelector('[data-testid="results-wrapper"]')?.getAttribute('data-run-count')),
    }));
    // The frames above were painted while the worker spun (status still "running"), and the hint opens.
    // The typing is checked only when the 2 s report had not arrived yet: the report moves focus to the
    // results, so on a loaded machine the keys can land there instead.
    expect(during.hints).toBe(1);
    if (during.runCount === before) expect(during.typed).toBe(true);

    await page.waitForFunction(
      (n) => Number(document.querySelector('[data-testid="results-wrapper"]')?.getAttribute('data-run-count')) > n,
      before,
      {
        timeout: 30_000,
      },
    );
    const elapsed = Date.now() - started;
    const report = await readReport(page);
    expect(kinds(report)).toContain('timeout');
    expect(report.text).toMatch(/Time limit exceeded/i);
    expect(elapsed).toBeLessThanOrEqual(limits.callTimeoutMs + 1000);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('memory bomb in partition(): a memory report', async () => {
    const { page, errors, context } = await newPage(browser);
    await openCheckpoint(page, ID);
    await setCode(
      page,
      [
        'export function partition(keyBytes: Uint8Array, numPartitions: number): number {',
        '  const hoard: number[] = [];',
        '  while (true) hoard.push(numPartitions, numPartitions, numPartitions, numPartitions);',
        '}',
        '',
      ].join('\n'),
    );
    const report = await grade(page, 'run');
    expect(kinds(report)).toContain('memory');
    expect(report.text).toMatch(/Memory limit exceeded/i);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a class instance returned: refused with its class named and a tip to return plain data; returned as a number, it passes, and again after a reload', async () => {
    const { page, errors, context } = await newPage(browser);
    await openCheckpoint(page, ID);
    const solution = exerciseFile(ID, 'solution.ts');
    await setCode(
      page,
      solution.replace(
        'export function partition(',
        'class Partition {\n  constructor(public id: number) {}\n}\nexport function partitionAsInstance(keyBytes: Uint8Array, numPartitions: number): Partition {\n  return new Partition(partitionNumber(keyBytes, numPartitions));\n}\nexport function partitionNumber(',
      ) + '\nexport const partition = partitionAsInstance;\n',
    );
    const refused = await grade(page, 'run');
    expect(kinds(refused)).toContain('invalid-result');
    expect(refused.text).toMatch(/got an instance of Partition/);
    expect(refused.text).toMatch(/not an instance of a class/);
    await setCode(page, solution);
    const passed = await grade(page, 'run');
    expect(passed.status).toBe('passed');
    // reloaded, the page holds the fixed draft, and it passes again
    await page.reload();
    await waitUntilReady(page);
    await expect.poll(() => getCode(page)).toBe(solution);
    expect((await grade(page, 'run')).status).toBe('passed');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('typed-array bomb in partition() (8 MiB Uint8Arrays in a loop): a memory report, not the page-side timeout', async () => {
    const { page, errors, context } = await newPage(browser);
    await openCheckpoint(page, ID);
    await setCode(
      page,
      [
        'export function partition(keyBytes: Uint8Array, numPartitions: number): number {',
        '  const hoard: Uint8Array[] = [];',
        '  while (true) hoard.push(new Uint8Array(8 * 1024 * 1024));',
        '}',
        '',
      ].join('\n'),
    );
    const report = await grade(page, 'run');
    expect(kinds(report), report.text.slice(0, 500)).toContain('memory');
    expect(kinds(report)).not.toContain('timeout');
    expect(report.text).toMatch(/Memory limit exceeded/i);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('syntax error on line 2: the report gives line:column and the editor marks that line', async () => {
    const { page, errors, context } = await newPage(browser);
    await openCheckpoint(page, ID);
    await setCode(
      page,
      'export function partition(keyBytes: Uint8Array, numPartitions: number): number {\n  return keyBytes.length +;\n}\n',
    );
    const report = await grade(page, 'run');
    expect(report.status).toBe('error');
    expect(report.errorKind).toBe('syntax');
    expect(report.headline).toMatch(/Syntax error at line 2, column \d+/);
    const marker = await waitForMarker(page, (m) => m.owner === 'grader');
    expect(marker.line).toBe(2);
    // "Show … in the editor" puts the cursor there
    await page.getByRole('button', { name: /Show line 2, column \d+ in the editor/ }).click();
    expect(await page.evaluate(() => window.__partitionLabEditor!.getPosition()?.lineNumber)).toBe(2);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('process, require, fetch, window (and other host objects) are unreachable from learner code', async () => {
    const { page, errors, context } = await newPage(browser);
    await openCheckpoint(page, ID);
    const probes = [
      'process',
      'require',
      'fetch',
      'window',
      'document',
      'self',
      'importScripts',
      'postMessage',
      'XMLHttpRequest',
      'WebAssembly',
    ];
    await setCode(
      page,
      [
        'export function partition(keyBytes: Uint8Array, numPartitions: number): number {',
        '  const g = globalThis as any;',
        '  const viaFunction = Function("return this")() as any;',
        `  const names = ${JSON.stringify(probes)};`,
        "  const seen = names.map((n) => n + '=' + typeof g[n] + '/' + typeof viaFunction[n]).join(',');",
        "  throw new Error('PROBE[' + seen + ']');",
        '}',
        '',
      ].join('\n'),
    );
    const report = await grade(page, 'run');
    const match = report.text.match(/PROBE\[([^\]]*)\]/);
    expect(match, `the probe's message is shown in the report: ${report.text.slice(0, 500)}`).not.toBeNull();
    const seen = Object.fromEntries(match![1].split(',').map((pair) => pair.split('=')));
    for (const name of ['process', 'require', 'fetch', 'window']) {
      expect(seen[name], name).toBe('undefined/undefined');
    }
    for (const name of probes) expect(seen[name], name).toBe('undefined/undefined');
    expect(errors).toEqual([]);
    await context.close();
  });
});
