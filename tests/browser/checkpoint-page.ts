/**
 * Helpers for specs that drive a checkpoint page (site/pages/checkpoints/[id].astro).
 * Code goes into the editor through Monaco's API (`window.__partitionLabEditor`), never by typing:
 * typed multi-line code is mangled by auto-closing brackets and auto-indent (ARCHITECTURE.md, "Platform").
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page, Route } from 'playwright-core';

const ROOT = resolve(import.meta.dirname, '../..');

/** A file of an exercise folder, e.g. `exerciseFile('key-to-partition', 'mistakes/math-abs.ts')`. */
export function exerciseFile(exerciseId: string, path: string): string {
  return readFileSync(resolve(ROOT, 'exercises', exerciseId, path), 'utf8');
}

export function checkpointPath(exerciseId: string): string {
  return `/checkpoints/${exerciseId}/`;
}

/** Open a checkpoint and wait until the editor is up and the grader worker said ready. */
export async function openCheckpoint(page: Page, exerciseId: string): Promise<void> {
  await page.goto(checkpointPath(exerciseId));
  await waitUntilReady(page);
}

export async function waitUntilReady(page: Page): Promise<void> {
  await page.waitForSelector('[data-editor-ready="true"]', { state: 'attached', timeout: 30_000 });
  await page.waitForSelector('[data-grader-state="ready"]', { state: 'attached', timeout: 30_000 });
}

export async function setCode(page: Page, source: string): Promise<void> {
  await page.evaluate((src) => window.__partitionLabEditor!.setValue(src), source);
}

export async function getCode(page: Page): Promise<string> {
  return page.evaluate(() => window.__partitionLabEditor!.getValue());
}

export interface RenderedTest {
  id: string;
  status: string;
  errorKind?: string;
  text: string;
}

export interface RenderedReport {
  status: string;
  errorKind?: string;
  headline: string;
  text: string;
  tests: RenderedTest[];
}

/**
 * Click a button (`run` or `submit`), press Ctrl+Enter in the editor (`ctrl-enter`) or wherever the
 * focus is (`ctrl-enter-here`), and wait for the next
 * rendered report. Returns what the panel shows and the time from the action to the rendered report.
 */
export async function grade(
  page: Page,
  how: 'run' | 'submit' | 'ctrl-enter' | 'ctrl-enter-here',
): Promise<RenderedReport & { elapsedMs: number }> {
  const before = Number(await page.getAttribute('[data-testid="results-wrapper"]', 'data-run-count'));
  const started = Date.now();
  if (how === 'ctrl-enter' || how === 'ctrl-enter-here') {
    if (how === 'ctrl-enter') await page.evaluate(() => window.__partitionLabEditor!.focus());
    await page.keyboard.press('Control+Enter');
  } else {
    // Below 760 px the buttons live in the Editor tab: a person switches to it first.
    const editorTab = page.getByRole('tab', { name: 'Editor' });
    if (!(await page.locator(`[data-testid="${how}"]`).isVisible()) && (await editorTab.isVisible())) await editorTab.click();
    await page.click(`[data-testid="${how}"]`);
  }
  await page.waitForFunction(
    (n) => Number(document.querySelector('[data-testid="results-wrapper"]')?.getAttribute('data-run-count')) > n,
    before,
    { timeout: 60_000 },
  );
  const elapsedMs = Date.now() - started;
  return { ...(await readReport(page)), elapsedMs };
}

/** The report currently shown in the results panel. */
export async function readReport(page: Page): Promise<RenderedReport> {
  return page.evaluate(() => {
    const report = document.querySelector<HTMLElement>('[data-testid="report"]');
    if (!report) {
      const results = document.querySelector<HTMLElement>('[data-testid="results"]');
      return { status: results?.dataset.status ?? 'missing', headline: '', text: results?.innerText ?? '', tests: [] };
    }
    return {
      status: report.dataset.reportStatus ?? '',
      errorKind: report.dataset.errorKind,
      headline: report.querySelector<HTMLElement>('[data-testid="results-headline"]')?.innerText ?? '',
      text: report.innerText,
      tests: [...report.querySelectorAll<HTMLElement>('[data-testid="test-result"]')].map((li) => ({
        id: li.dataset.testId ?? '',
        status: li.dataset.testStatus ?? '',
        errorKind: li.dataset.errorKind,
        text: li.innerText,
      })),
    };
  });
}

/** Markers Monaco shows on the learner's model, e.g. TypeScript diagnostics (owner `typescript`) or the grader's. */
export async function editorMarkers(page: Page): Promise<{ owner: string; message: string; line: number; column: number }[]> {
  return page.evaluate(() => {
    const editor = window.__partitionLabEditor!;
    const monaco = window.__partitionLabMonaco!;
    return monaco.editor
      .getModelMarkers({ resource: editor.getModel()!.uri })
      .map((m) => ({ owner: m.owner, message: m.message, line: m.startLineNumber, column: m.startColumn }));
  });
}

/** Wait until a marker matching `predicate` (evaluated in Node on the marker list) appears. */
export async function waitForMarker(
  page: Page,
  predicate: (m: { owner: string; message: string; line: number; column: number }) => boolean,
  timeoutMs = 20_000,
) {
  const deadline = Date.now() + timeoutMs;
  let last: Awaited<ReturnType<typeof editorMarkers>> = [];
  while (Date.now() < deadline) {
    last = await editorMarkers(page);
    const found = last.find(predicate);
    if (found) return found;
    await page.waitForTimeout(200);
  }
  throw new Error(`No matching editor marker within ${timeoutMs} ms; markers: ${JSON.stringify(last)}`);
}

/**
 * Hold every request matching `pattern` until `release()` (a request that never got through can still go):
 * lets a test look at the page while a script or chunk is still on its way.
 */
export async function holdRequests(page: Page, pattern: RegExp) {
  const held: Route[] = [];
  let released = false;
  await page.route(pattern, (route) => {
    if (released) void route.continue();
    else held.push(route);
  });
  return {
    count: () => held.length,
    release: async () => {
      released = true;
      await Promise.all(held.splice(0).map((r) => r.continue()));
    },
  };
}

/** The widths every checkpoint's whole-loop spec runs at: desktop, and a 390 px phone (the Instructions/Editor/Results tabs). */
export const CHECKPOINT_VIEWPORTS = [
  { label: 'desktop', viewport: { width: 1280, height: 900 } },
  { label: '390px', viewport: { width: 390, height: 844 } },
];
