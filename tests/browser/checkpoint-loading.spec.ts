/**
 * How the checkpoint page loads and how it works on a phone (issue 13, "Performance" and the 390 px item):
 * - the starter, highlighted at build time, is readable before Monaco exists (its chunk held back with
 *   page.route), then the editor replaces it with the same code;
 * - typing lands in the editor; the TypeScript service (its worker held back) is not needed for that, and its
 *   diagnostics arrive once it loads;
 * - a lesson page fetches the editor's first chunk when the learner points at its checkpoint link, and
 *   creates no editor;
 * - at 390 × 844, tabs (Instructions / Editor / Results) carry the whole loop: edit, Run, the Results tab
 *   selected by itself, back to the editor, reload keeps the draft; the desktop layout has no tabs.
 * Times are never asserted here (bench/site.bench.ts measures them).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, newPage } from './browser.ts';
import {
  checkpointPath,
  exerciseFile,
  getCode,
  grade,
  holdRequests,
  openCheckpoint,
  setCode,
  waitForMarker,
  waitUntilReady,
} from './checkpoint-page.ts';

const ID = 'key-to-partition';
const starter = exerciseFile(ID, 'starter.ts');
const solution = exerciseFile(ID, 'solution.ts');
const PHONE = { width: 390, height: 844 };

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** WCAG contrast ratio of two `rgb(…)` colours. */
function contrast(a: string, b: string): number {
  const lum = (css: string) => {
    const [r, g, bl] = css
      .match(/\d+(\.\d+)?/g)!
      .slice(0, 3)
      .map(Number)
      .map((v) => v / 255)
      .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** What the build-time preview shows: its text, the colours of its tokens and the background behind them. */
async function readPreview(page: Page) {
  return page.evaluate(() => {
    const pre = document.querySelector<HTMLElement>('[data-testid="starter-preview"]');
    if (!pre) return null;
    const rect = pre.getBoundingClientRect();
    const spans = [...pre.querySelectorAll<HTMLElement>('.line span')].filter((s) => s.textContent!.trim() !== '');
    return {
      text: pre.textContent ?? '',
      visible: rect.width > 0 && rect.height > 0,
      label: pre.getAttribute('aria-label') ?? '',
      background: getComputedStyle(pre).backgroundColor,
      colours: spans.map((s) => getComputedStyle(s).color),
    };
  });
}

describe('checkpoint loading', () => {
  for (const colorScheme of ['light', 'dark'] as const) {
    it(`${colorScheme} theme: the highlighted starter is readable while Monaco's chunk is held back, then the editor replaces it`, async () => {
      const { page, errors, context } = await newPage(browser, { colorScheme });
      const editorChunk = await holdRequests(page, /\/monaco-setup\.[^/]*\.js$/);
      await page.goto(checkpointPath(ID));
      await expect.poll(() => editorChunk.count(), { timeout: 20_000 }).toBeGreaterThan(0);

      const preview = await readPreview(page);
      expect(preview, 'the starter preview is in the HTML').not.toBeNull();
      expect(preview!.visible).toBe(true);
      expect(preview!.text.trimEnd()).toBe(starter.trimEnd());
      expect(preview!.label).toMatch(/Your code/);
      // highlighted: comments, keywords, types and strings in different colours, each readable on the background
      expect(new Set(preview!.colours).size).toBeGreaterThanOrEqual(4);
      for (const colour of preview!.colours) expect(contrast(colour, preview!.background)).toBeGreaterThanOrEqual(4.5);
      expect(await page.locator('.monaco-editor').count()).toBe(0);
      expect(await page.getAttribute('.checkpoint-workbench', 'data-editor-ready')).toBe('false');

      await editorChunk.release();
      await waitUntilReady(page);
      expect(await getCode(page)).toBe(starter);
      expect(await page.locator('[data-testid="starter-preview"]').count()).toBe(0);
      expect(errors).toEqual([]);
      await context.close();
    });
  }

  it('a restored draft, not the starter, is what the preview shows before the editor loads', async () => {
    const { page, errors, context } = await newPage(browser);
    await openCheckpoint(page, ID);
    const draft = `${starter}\n// my draft before the editor\n`;
    await setCode(page, draft);
    await expect.poll(() => page.textContent('[data-testid="draft-status"]')).toContain('Draft saved');
    const editorChunk = await holdRequests(page, /\/monaco-setup\.[^/]*\.js$/);
    await page.reload();
    await expect
      .poll(() => page.textContent('[data-testid="editor-preview"]'), { timeout: 20_000 })
      .toContain('my draft before the editor');
    await editorChunk.release();
    await waitUntilReady(page);
    expect(await getCode(page)).toBe(draft);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('typing lands in the editor while the TypeScript worker is still held back; its diagnostics arrive once it loads', async () => {
    const { page, errors, context } = await newPage(browser);
    const tsWorker = await holdRequests(page, /\/ts\.worker[^/]*\.js$/);
    await page.goto(checkpointPath(ID));
    await page.waitForSelector('[data-editor-ready="true"]', { state: 'attached', timeout: 30_000 });

    // a real click into the editor's text and real key presses
    const lines = page.locator('.monaco-editor .view-lines');
    const box = (await lines.boundingBox())!;
    await page.mouse.click(box.x + box.width / 2, box.y + 10); // into the first line
    await page.keyboard.press('Control+End'); // in the editor: to the end of the file
    await page.keyboard.type('// typed by hand');
    await expect.poll(() => getCode(page)).toContain('// typed by hand');
    expect(await editorHasOnlyGraderMarkers(page)).toBe(true);

    await tsWorker.release();
    await setCode(page, `${solution}\nexport const wrong = partition(1, 2);\n`);
    const wrongLine = (await getCode(page)).split('\n').findIndex((l) => l.includes('partition(1, 2)')) + 1;
    const marker = await waitForMarker(page, (m) => m.owner === 'typescript' && m.line === wrongLine, 60_000);
    expect(marker.message).toMatch(/Uint8Array/);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a lesson page imports the editor chunk when the learner points at its checkpoint link (not before), and creates no editor', async () => {
    const { page, errors, context } = await newPage(browser);
    const editorChunk: string[] = [];
    const workers: string[] = [];
    page.on('request', (r) => {
      if (/\/monaco-setup\.[^/]*\.js$/.test(r.url())) editorChunk.push(r.url());
      if (/worker/.test(r.url())) workers.push(r.url());
    });
    await page.goto('/lessons/01-keys-and-partitions/');
    await page.waitForLoadState('networkidle');
    expect(editorChunk).toEqual([]); // nothing competes with the lesson's own islands
    const requested = page.waitForRequest(/\/monaco-setup\.[^/]*\.js$/, { timeout: 30_000 });
    await page.locator('.checkpoint-card a[href*="/checkpoints/"]').hover();
    await requested;
    await page.waitForLoadState('networkidle');
    expect(await page.locator('.monaco-editor').count()).toBe(0);
    expect(workers).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});

/** Before the TypeScript service runs, no `typescript` marker can exist. */
async function editorHasOnlyGraderMarkers(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const monaco = window.__partitionLabMonaco!;
    const model = window.__partitionLabEditor!.getModel()!;
    return monaco.editor.getModelMarkers({ resource: model.uri }).every((m) => m.owner !== 'typescript');
  });
}

/** The tab list's state: which tab is selected, which is focusable, which part of the page is shown. */
async function tabState(page: Page) {
  return page.evaluate(() => {
    const shown = (id: string) => {
      const el = document.getElementById(id);
      return !!el && el.getClientRects().length > 0;
    };
    const tabs = [...document.querySelectorAll<HTMLElement>('[role="tablist"] [role="tab"]')];
    return {
      selected: tabs.filter((t) => t.getAttribute('aria-selected') === 'true').map((t) => t.textContent!.trim()),
      tabbable: tabs.filter((t) => t.tabIndex === 0).map((t) => t.textContent!.trim()),
      focused:
        document.activeElement?.getAttribute('role') === 'tab'
          ? document.activeElement.textContent!.trim()
          : (document.activeElement?.id ?? ''),
      instructions: shown('checkpoint-panel-instructions'),
      editor: shown('checkpoint-panel-editor'),
      results: shown('checkpoint-panel-results'),
      panelRoles: ['instructions', 'editor', 'results'].map(
        (p) => document.getElementById(`checkpoint-panel-${p}`)?.getAttribute('role') ?? null,
      ),
    };
  });
}

describe('checkpoint at 390 × 844', () => {
  it('tabs carry the whole loop: arrow keys to the editor, edit, Run → Results tab, back to the editor, reload keeps the draft', async () => {
    const { page, errors, context } = await newPage(browser, { viewport: PHONE });
    await openCheckpoint(page, ID);
    const tablist = page.getByRole('tablist', { name: 'Checkpoint' });
    expect(await tablist.isVisible()).toBe(true);
    expect(await tablist.getByRole('tab').allTextContents()).toEqual(['Instructions', 'Editor', 'Results']);
    let state = await tabState(page);
    expect(state).toMatchObject({
      selected: ['Instructions'],
      tabbable: ['Instructions'],
      instructions: true,
      editor: false,
      results: false,
    });
    expect(state.panelRoles).toEqual(['tabpanel', 'tabpanel', 'tabpanel']);

    // keyboard: Right moves to Editor (and selects it), Left/Home/End move around, wrapping
    await page.getByRole('tab', { name: 'Instructions' }).focus();
    await page.keyboard.press('ArrowRight');
    state = await tabState(page);
    expect(state).toMatchObject({
      selected: ['Editor'],
      tabbable: ['Editor'],
      focused: 'Editor',
      instructions: false,
      editor: true,
      results: false,
    });
    await page.keyboard.press('End');
    expect((await tabState(page)).selected).toEqual(['Results']);
    await page.keyboard.press('ArrowRight');
    expect((await tabState(page)).selected).toEqual(['Instructions']);
    await page.keyboard.press('ArrowLeft');
    expect((await tabState(page)).selected).toEqual(['Results']);
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowRight');
    expect((await tabState(page)).selected).toEqual(['Editor']);

    // the editor is on the first screen, without scrolling
    expect(await page.evaluate(() => window.scrollY)).toBe(0);
    const frame = (await page.locator('.editor-frame').boundingBox())!;
    expect(frame.y + 100).toBeLessThan(PHONE.height);

    // edit (typed by hand, then the whole solution through the API), Run → the Results tab, its heading focused
    const lines = (await page.locator('.monaco-editor .view-lines').boundingBox())!;
    await page.mouse.click(lines.x + lines.width / 2, lines.y + 10);
    await page.keyboard.press('Control+End');
    await page.keyboard.type('// phone');
    await expect.poll(() => getCode(page)).toContain('// phone');
    await setCode(page, `${solution}\n// my phone draft\n`);
    const report = await grade(page, 'run');
    expect(report.status).toBe('passed');
    state = await tabState(page);
    expect(state).toMatchObject({ selected: ['Results'], instructions: false, editor: false, results: true, focused: 'results-heading' });

    // back to the editor: the code is still there
    await page.getByRole('tab', { name: 'Editor' }).click();
    expect((await tabState(page)).editor).toBe(true);
    expect(await getCode(page)).toBe(`${solution}\n// my phone draft\n`);
    await expect.poll(() => page.textContent('[data-testid="draft-status"]')).toContain('Draft saved');

    await page.reload();
    await waitUntilReady(page);
    expect(await getCode(page)).toBe(`${solution}\n// my phone draft\n`);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('no horizontal scroll on any tab', async () => {
    const { page, errors, context } = await newPage(browser, { viewport: PHONE });
    await openCheckpoint(page, ID);
    for (const name of ['Instructions', 'Editor', 'Results']) {
      await page.getByRole('tab', { name }).click();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    }
    expect(errors).toEqual([]);
    await context.close();
  });

  it('desktop (1280 px): no tabs, instructions and editor side by side, panels are not tab panels', async () => {
    const { page, errors, context } = await newPage(browser);
    await openCheckpoint(page, ID);
    expect(await page.locator('[role="tablist"]').isVisible()).toBe(false);
    const state = await tabState(page);
    expect(state).toMatchObject({ instructions: true, editor: true, results: true });
    expect(state.panelRoles).toEqual([null, null, null]);
    const brief = (await page.locator('#checkpoint-panel-instructions').boundingBox())!;
    const editor = (await page.locator('.editor-frame').boundingBox())!;
    expect(editor.x).toBeGreaterThan(brief.x + brief.width - 1);
    // a run on a wide screen leaves the layout alone
    await setCode(page, solution);
    await grade(page, 'run');
    expect(await tabState(page)).toMatchObject({ instructions: true, editor: true, results: true });
    expect(errors).toEqual([]);
    await context.close();
  });
});
