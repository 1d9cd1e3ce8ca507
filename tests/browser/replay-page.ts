/**
 * Helpers for the checkpoints' replay loop (a failure → "Replay in the player" → /scenarios/replay/): the step
 * the player shows, stepping to a note, and screenshots the tests leave for people to look at.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';

/** The current step's description (a note step's text is its description). */
export async function stepDescription(page: Page): Promise<string> {
  return (await page.getByTestId('step-description').textContent()) ?? '';
}

/**
 * Press "Next step" until the step's description starts with `prefix` (e.g. `Anomaly —`).
 * @returns how many presses that took
 * @throws Error when the last step (or `max` presses) comes first
 */
export async function stepUntil(page: Page, prefix: string, max = 300): Promise<number> {
  const next = page.getByRole('button', { name: 'Next step' });
  for (let i = 1; i <= max && !(await next.isDisabled()); i++) {
    await next.click();
    if ((await stepDescription(page)).startsWith(prefix)) return i;
  }
  throw new Error(`stepped to the end without a step starting "${prefix}"`);
}

/**
 * A screenshot taker writing `<dir>/<name>.png` (the folder is made now); `locator` is scrolled into view first.
 * @param dir e.g. process.env.SHOTS_DIR ?? '/tmp/shots-commit'
 */
export function screenshotsIn(dir: string): (page: Page, name: string, locator?: string) => Promise<void> {
  mkdirSync(dir, { recursive: true });
  return async (page, name, locator) => {
    if (locator) await page.locator(locator).first().scrollIntoViewIfNeeded();
    await page.screenshot({ path: resolve(dir, `${name}.png`) });
  };
}
