/**
 * The instant editor (issue 13, "the editor is usable within 1.0 s"): the checkpoint's code block is editable
 * from the first paint, before any script has run, and Monaco takes over its text, caret and focus. Driven as a
 * person would: click into the code and type while the scripts are still on their way; Run before Monaco has
 * arrived; reload; Reset. Scripts are held back with page.route, never timed (bench/site.bench.ts measures).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, newPage } from './browser.ts';
import { checkpointPath, exerciseFile, getCode, grade, holdRequests, waitUntilReady } from './checkpoint-page.ts';

const ID = 'key-to-partition';
const starter = exerciseFile(ID, 'starter.ts');
const solution = exerciseFile(ID, 'solution.ts');

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const codeBlock = (page: Page) => page.locator('[data-testid="editor-preview"] pre.editor-preview-code');
const blockText = (page: Page) => codeBlock(page).evaluate((el) => el.textContent ?? '');

/** Click at the end of the code block's last line and type `text` with real key presses. */
async function typeAtEnd(page: Page, text: string) {
  await codeBlock(page).click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type(text);
}

describe('the instant editor', () => {
  it('typing lands before any script has run; the island keeps it when it hydrates, saves it, and Monaco takes it over', async () => {
    const { page, errors, context } = await newPage(browser);
    const scripts = await holdRequests(page, /\.js(\?|$)/);
    await page.goto(checkpointPath(ID), { waitUntil: 'commit' });
    await codeBlock(page).waitFor();
    expect(await page.locator('astro-island[ssr]').count()).toBeGreaterThan(0); // nothing hydrated yet

    await typeAtEnd(page, '\n// typed before any script');
    expect(await blockText(page)).toContain('// typed before any script');

    await scripts.release();
    await waitUntilReady(page);
    const code = await getCode(page);
    expect(code).toBe(`${starter}\n// typed before any script`); // Control+End is on the starter's empty last line
    await expect.poll(() => page.textContent('[data-testid="draft-status"]')).toContain('Draft saved');

    await page.reload();
    await waitUntilReady(page);
    expect(await getCode(page)).toBe(code);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('while Monaco is on its way: edits flatten to plain text, are saved, Run grades them; Monaco then has the text, the caret and the focus', async () => {
    const { page, errors, context } = await newPage(browser);
    const monacoChunk = await holdRequests(page, /\/monaco-setup\.[^/]*\.js$/);
    await page.goto(checkpointPath(ID));
    await expect.poll(() => monacoChunk.count(), { timeout: 20_000 }).toBeGreaterThan(0);
    await page.waitForSelector('astro-island:not([ssr])', { state: 'attached' });
    expect(await page.getAttribute('.checkpoint-workbench', 'data-editor-ready')).toBe('false');

    // the first edit turns the highlighted block into plain text with the same code and the caret where it was
    await typeAtEnd(page, '\n// first');
    await page.keyboard.type(' edit');
    expect(await codeBlock(page).evaluate((el) => el.querySelectorAll('span').length)).toBe(0);
    expect(await blockText(page)).toBe(`${starter}\n// first edit`);
    await expect.poll(() => page.textContent('[data-testid="draft-status"]')).toContain('Draft saved');

    // Run grades what is in the block: the starter fails…
    let report = await grade(page, 'run');
    expect(report.status).not.toBe('passed');
    // …the whole solution, pasted over everything, passes
    await codeBlock(page).click();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText(solution);
    report = await grade(page, 'run');
    expect(report.status).toBe('passed');

    // back in the block: put the caret after "// here", then Monaco arrives
    await codeBlock(page).click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\n// here');
    await monacoChunk.release();
    await page.waitForSelector('[data-editor-ready="true"]', { state: 'attached', timeout: 30_000 });
    expect(await getCode(page)).toBe(`${solution}\n// here`);
    expect(await page.evaluate(() => window.__partitionLabEditor!.hasTextFocus())).toBe(true);
    await page.keyboard.type(' and on');
    await expect.poll(() => getCode(page)).toBe(`${solution}\n// here and on`);

    await page.reload();
    await waitUntilReady(page);
    expect(await getCode(page)).toBe(`${solution}\n// here and on`);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('Reset to starter before Monaco arrives puts the starter back in the block and deletes the draft', async () => {
    const { page, errors, context } = await newPage(browser);
    const monacoChunk = await holdRequests(page, /\/monaco-setup\.[^/]*\.js$/);
    await page.goto(checkpointPath(ID));
    await expect.poll(() => monacoChunk.count(), { timeout: 20_000 }).toBeGreaterThan(0);
    await page.waitForSelector('astro-island:not([ssr])', { state: 'attached' });
    await typeAtEnd(page, '\n// to be reset');
    await expect.poll(() => page.textContent('[data-testid="draft-status"]')).toContain('Draft saved');

    await page.click('[data-testid="reset"]');
    await page.getByRole('button', { name: 'Yes, reset my code' }).click();
    expect(await blockText(page)).toBe(starter);
    await monacoChunk.release();
    await page.waitForSelector('[data-editor-ready="true"]', { state: 'attached', timeout: 30_000 });
    expect(await getCode(page)).toBe(starter);
    await page.reload();
    await waitUntilReady(page);
    expect(await getCode(page)).toBe(starter);
    expect(errors).toEqual([]);
    await context.close();
  });
});
