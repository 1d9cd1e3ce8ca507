/**
 * Site benchmarks in Debian's Chromium against the built site (run `npm run build` first):
 * - JavaScript shipped per page, gzip (page scripts and Web Workers, fetched from our own server);
 * - time from "Run tests" / "Submit" to the rendered report, median of 10, for every checkpoint with its reference
 *   solution ("the largest suite" is the checkpoint with the most generated cases, on Submit);
 * - navigation → checkpoint editor usable (a click into the editor and a key press land in its text), median of
 *   10, for the instant editor (the code block, editable at first paint; cold) and for Monaco: cold (a fresh browser context each time: empty HTTP cache, no code cache), warm (the same context again,
 *   after a visit to another page), and from a lesson page's link (a fresh context that opened the lesson first;
 *   the pointer rests on the link 300 ms before the click, which starts the lesson's prefetch of the editor
 *   chunk); plus the JavaScript received until then. Served by
 *   ./static-host.ts, which caches hashed assets as real hosts do (the test server sends no-store).
 *
 * `SITE_BENCH=editor npm run bench -- site` runs only the editor figures (`SITE_BENCH_EXERCISE=<id>`: one checkpoint's).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startStaticServer } from '../tests/browser/global-setup.ts';
import { launchBrowser, newPage } from '../tests/browser/browser.ts';
import { grade, openCheckpoint, setCode } from '../tests/browser/checkpoint-page.ts';
import { exercises } from '../exercises/index.ts';
import type { BenchResult } from './run.ts';
import { median } from './stats.ts';
import { startCachingHost } from './static-host.ts';

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

/** Which editor a figure waits for: the instant editor (the code block, editable at first paint) or Monaco. */
type EditorKind = 'instant' | 'monaco';

/**
 * Navigate with `go` and return the ms until typing lands in the checkpoint's editor: as soon as the editor
 * (`kind`) is on the page, click into its text and press a key, again and again, until its text is one
 * character longer than the starter. For `instant`, the code block before Monaco or Monaco once it has
 * replaced it (whichever is there: both are where the learner's code is edited); for `monaco`, only Monaco. A
 * key press into nothing does not count. Wall clock from the navigation's start, measured in Node (each probe
 * costs a few ms of round trips).
 */
async function untilTypingLands(page: Page, go: () => Promise<unknown>, starterLength: number, kind: EditorKind): Promise<number> {
  const t0 = performance.now();
  await go();
  while (performance.now() - t0 < 60_000) {
    const at = await page.evaluate((k) => {
      const target =
        document.querySelector('.monaco-editor .view-lines') ??
        (k === 'instant' ? document.querySelector('[data-testid="editor-preview"] pre[contenteditable]') : null);
      if (!target) return null;
      const r = target.getBoundingClientRect();
      return r.width > 0 ? { x: r.left + Math.min(60, r.width / 2) + (k === 'instant' ? 70 : 0), y: r.top + 8 } : null;
    }, kind);
    if (at) {
      await page.mouse.click(at.x, at.y);
      await page.keyboard.press('q');
      const length = await page.evaluate(() => {
        const monaco = window.__partitionLabEditor?.getModel()?.getValueLength();
        if (monaco !== undefined) return monaco;
        return document.querySelector('[data-testid="editor-preview"] pre[contenteditable]')?.textContent?.length ?? -1;
      });
      if (length > starterLength) return performance.now() - t0;
    } else {
      await page.waitForTimeout(5);
    }
  }
  throw new Error('typing never landed in the editor within 60 s');
}

/** The built lesson page whose checkpoint card links to checkpoint `id`, e.g. `/lessons/01-keys-and-partitions/`. */
function lessonLinkingTo(dist: string, id: string): string | undefined {
  const lessons = join(dist, 'lessons');
  if (!existsSync(lessons)) return undefined;
  const found = readdirSync(lessons).find((dir) => {
    const html = join(lessons, dir, 'index.html');
    return existsSync(html) && readFileSync(html, 'utf8').includes(`/checkpoints/${id}/"`);
  });
  return found && `/lessons/${found}/`;
}

/** Editor-usable figures for one checkpoint (see the file's doc comment). */
async function editorUsable(browser: Browser, baseURL: string, id: string, lessonHref: string | undefined): Promise<BenchResult[]> {
  const out: BenchResult[] = [];
  const starterLength = readFileSync(join(root, 'exercises', id, 'starter.ts'), 'utf8').length;
  const path = `/checkpoints/${id}/`;
  const summary = (times: number[]) =>
    `median of ${times.length}; min ${Math.round(Math.min(...times))}, max ${Math.round(Math.max(...times))}`;

  const cold: number[] = [];
  const coldJs: number[] = [];
  for (let i = 0; i < 10; i++) {
    const { context, page } = await newPage(browser, { baseURL });
    const js = countJs(context);
    cold.push(await untilTypingLands(page, () => page.goto(path, { waitUntil: 'commit' }), starterLength, 'instant'));
    coldJs.push(js.kb());
    await context.close();
  }
  out.push({
    name: `${id}: navigation → editor usable (typing lands in the instant editor), cold`,
    value: median(cold),
    unit: 'ms',
    note: summary(cold),
  });
  const coldMonaco: number[] = [];
  for (let i = 0; i < 10; i++) {
    const { context, page } = await newPage(browser, { baseURL });
    coldMonaco.push(await untilTypingLands(page, () => page.goto(path, { waitUntil: 'commit' }), starterLength, 'monaco'));
    await context.close();
  }
  out.push({
    name: `${id}: navigation → Monaco usable (typing lands in Monaco), cold`,
    value: median(coldMonaco),
    unit: 'ms',
    note: summary(coldMonaco),
  });
  out.push({
    name: `${id}: JS received until the editor is usable, cold`,
    value: median(coldJs),
    unit: 'KB gzip',
    note: 'page scripts and workers fetched by then',
  });

  const { context, page } = await newPage(browser, { baseURL });
  await untilTypingLands(page, () => page.goto(path, { waitUntil: 'commit' }), starterLength, 'monaco'); // fills the cache
  const warm: number[] = [];
  for (let i = 0; i < 10; i++) {
    await page.goto('/', { waitUntil: 'load' });
    await page.evaluate(() => localStorage.clear()); // the typed key was saved as a draft on leaving
    warm.push(await untilTypingLands(page, () => page.goto(path, { waitUntil: 'commit' }), starterLength, 'monaco'));
  }
  await context.close();
  out.push({
    name: `${id}: navigation → Monaco usable (typing lands in Monaco), warm`,
    value: median(warm),
    unit: 'ms',
    note: `${summary(warm)}; same context, after a visit to the home page`,
  });

  if (lessonHref) {
    const viaLesson: number[] = [];
    for (let i = 0; i < 10; i++) {
      const { context, page } = await newPage(browser, { baseURL });
      await page.goto(lessonHref, { waitUntil: 'load' });
      await page.waitForLoadState('networkidle');
      await page.waitForTimeout(1500); // the learner reads; the browser is idle
      const link = page.locator(`a[href$="${path}"]`).last();
      await link.hover(); // a learner's pointer reaches the link a moment before the click
      await page.waitForTimeout(300);
      viaLesson.push(await untilTypingLands(page, () => link.click(), starterLength, 'monaco'));
      await context.close();
    }
    out.push({
      name: `${id}: lesson's link → Monaco usable (typing lands in Monaco)`,
      value: median(viaLesson),
      unit: 'ms',
      note: `${summary(viaLesson)}; fresh context, lesson open 1.5 s after network idle, pointer on the link 300 ms before the click`,
    });
  }
  return out;
}

export async function run(): Promise<BenchResult[]> {
  const dist = resolve(process.env.PARTITION_LAB_DIST ?? join(root, 'dist'));
  if (!existsSync(join(dist, 'index.html'))) throw new Error(`no built site in ${dist}: run \`npm run build\` first`);
  const editorFigures = async (): Promise<BenchResult[]> => {
    const host = await startCachingHost(dist);
    const browser = await launchBrowser();
    try {
      const hostURL = `http://127.0.0.1:${(host.address() as AddressInfo).port}`;
      const out: BenchResult[] = [];
      const only = process.env.SITE_BENCH_EXERCISE; // e.g. key-to-partition: one checkpoint's figures only
      for (const id of Object.keys(exercises).filter((e) => !only || e === only)) {
        out.push(...(await editorUsable(browser, hostURL, id, lessonLinkingTo(dist, id))));
      }
      return out;
    } finally {
      await browser.close();
      host.close();
    }
  };
  if (process.env.SITE_BENCH === 'editor') return editorFigures();
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
      out.push({
        name: `JS shipped, checkpoint ${ex.id} (editor, TS worker, grader worker)`,
        value: js.kb(),
        unit: 'KB gzip',
        note: `${js.files()} files; QuickJS .wasm not counted`,
      });
      const cases = (mode: 'run' | 'submit') =>
        ex.tests.filter((t) => mode === 'submit' || !t.hidden).reduce((n, t) => n + (t.kind === 'example' ? 1 : t.numRuns), 0);
      for (const mode of ['run', 'submit'] as const) {
        const times: number[] = [];
        for (let i = 0; i < 10; i++) {
          const r = await grade(page, mode);
          if (r.status !== 'passed') throw new Error(`${ex.id} ${mode}: the reference solution did not pass in the page`);
          times.push(r.elapsedMs);
        }
        out.push({
          name: `${ex.id}: click "${mode === 'run' ? 'Run tests' : 'Submit'}" → rendered report`,
          value: median(times),
          unit: 'ms',
          note: `median of 10, ${cases(mode)} cases; min ${Math.min(...times)}, max ${Math.max(...times)}`,
        });
      }
      await context.close();
    }
  } finally {
    await browser.close();
    server.close();
  }
  out.push(...(await editorFigures()));
  return out;
}
