/**
 * Helpers for the scenario studio (/studio/) in browser tests: wait for the editor, set and read its text with
 * the editor API (typing multi-line YAML is mangled by auto-indent), read the problems, wait for a play.
 */
import type { Page } from 'playwright-core';

/** Wait until Monaco is up in the studio. */
export async function studioReady(page: Page): Promise<void> {
  await page.waitForSelector('[data-testid="studio-editor"][data-ready="true"]', { timeout: 60_000 });
}

export async function setStudioText(page: Page, text: string): Promise<void> {
  await page.evaluate((t) => window.__partitionLabEditor!.setValue(t), text);
}

export async function studioText(page: Page): Promise<string> {
  return page.evaluate(() => window.__partitionLabEditor!.getValue());
}

/** The problems listed under the editor, as their text. */
export async function studioProblems(page: Page): Promise<string[]> {
  return page.getByTestId('studio-problem').allInnerTexts();
}

/** The studio's markers in the editor (owner partition-lab-scenario): line and message. */
export async function studioMarkers(page: Page): Promise<{ line: number; message: string }[]> {
  return page.evaluate(() =>
    window
      .__partitionLabMonaco!.editor.getModelMarkers({ owner: 'partition-lab-scenario' })
      .map((m) => ({ line: m.startLineNumber, message: m.message })),
  );
}

/** Wait until the player shows the `run`-th play (1 = the first). */
export async function waitForPlayed(page: Page, run: number): Promise<void> {
  await page.waitForSelector(`[data-testid="studio-played"][data-run="${run}"]`, { timeout: 60_000 });
}
