/**
 * Site benchmarks in Debian's Chromium against the built site (run `npm run build` first):
 * - JavaScript shipped per page, gzip (page scripts and Web Workers, fetched from our own server);
 * - time from "Run tests" / "Submit" to the rendered report, median of 10, for every checkpoint with its reference
 *   solution ("the largest suite" is the checkpoint with the most generated cases, on Submit).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import type { BrowserContext } from 'playwright-core';
import { startStaticServer } from '../tests/browser/global-setup.ts';
import { launchBrowser, newPage } from '../tests/browser/browser.ts';
import { grade, openCheckpoint, setCode } from '../tests/browser/checkpoint-page.ts';
import { exercises } from '../exercises/index.ts';
import type { BenchResult } from './run.ts';
import { median } from './stats.ts';

const root = resolve(import.meta.dirname, '..');

/** Sums the gzip size of every JavaScript response (page, islands, workers) the context receives. */
function countJs(context: BrowserContext): { kb: () => number; files: () => number } {
  const seen = new Map<string, number>();
  context.on('response', async (res) => {
    const url = res.url();
    const type = res.headers()['content-type'] ?? '';
    if (!/javascript/.test(type) && !/\.m?js(\?|$)/.test(url)) return;
    try {
      seen.set(url, gzipSync(await res.body()).length);
    } catch {
      /* a response without a body (redirect): nothing shipped */
    }
  });
  return { kb: () => [...seen.values()].reduce((a, b) => a + b, 0) / 1024, files: () => seen.size };
}

export async function run(): Promise<BenchResult[]> {
  const dist = resolve(process.env.PARTITION_LAB_DIST ?? join(root, 'dist'));
  if (!existsSync(join(dist, 'index.html'))) throw new Error(`no built site in ${dist}: run \`npm run build\` first`);
  const server = await startStaticServer();
  const baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await launchBrowser();
  const out: BenchResult[] = [];
  try {
    const pages: [string, string][] = [
      ['home page', '/'],
      ['lesson page (Keys, partitions and ordering, quiz scrolled into view)', '/lessons/01-keys-and-partitions/'],
      ['scenario page (acks=1 loss)', '/scenarios/acks-1-loss/'],
      ['drills page', '/drills/'],
    ];
    for (const [name, path] of pages) {
      const { context, page } = await newPage(browser, { baseURL });
      const js = countJs(context);
      await page.goto(path, { waitUntil: 'networkidle' });
      await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
      await page.waitForLoadState('networkidle');
      await page.waitForTimeout(500);
      out.push({ name: `JS shipped, ${name}`, value: js.kb(), unit: 'KB gzip', note: `${js.files()} files` });
      await context.close();
    }

    for (const ex of Object.values(exercises)) {
      const { context, page } = await newPage(browser, { baseURL });
      const js = countJs(context);
      await openCheckpoint(page, ex.id);
      await setCode(page, readFileSync(join(root, 'exercises', ex.id, 'solution.ts'), 'utf8'));
      await grade(page, 'run'); // warm: the grader worker and QuickJS are loaded on first use
      await page.waitForLoadState('networkidle');
      out.push({ name: `JS shipped, checkpoint ${ex.id} (editor, TS worker, grader worker)`, value: js.kb(), unit: 'KB gzip', note: `${js.files()} files; QuickJS .wasm not counted` });
      const cases = (mode: 'run' | 'submit') =>
        ex.tests.filter((t) => mode === 'submit' || !t.hidden).reduce((n, t) => n + (t.kind === 'example' ? 1 : t.numRuns), 0);
      for (const mode of ['run', 'submit'] as const) {
        const times: number[] = [];
        for (let i = 0; i < 10; i++) {
          const r = await grade(page, mode);
          if (r.status !== 'passed') throw new Error(`${ex.id} ${mode}: the reference solution did not pass in the page`);
          times.push(r.elapsedMs);
        }
        out.push({ name: `${ex.id}: click "${mode === 'run' ? 'Run tests' : 'Submit'}" → rendered report`, value: median(times), unit: 'ms', note: `median of 10, ${cases(mode)} cases; min ${Math.min(...times)}, max ${Math.max(...times)}` });
      }
      await context.close();
    }
  } finally {
    await browser.close();
    server.close();
  }
  return out;
}
