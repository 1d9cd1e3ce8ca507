/**
 * Interview drills in Chromium against the built site: a shared question (?kind=…&seed=…) is the
 * same question the engine generates for that seed; answering it right by keyboard says "Correct";
 * answering wrong shows the expected answer and the engine's working; a "select every" question is
 * answered with the number keys; after a reload the per-kind stats are still there; "Next" moves
 * the URL to a new shareable question. Expected answers come from engine/drills.ts, never typed here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, newPage } from './browser.ts';
import { generateDrill, type DrillKind, type DrillQuestion } from '../../engine/index.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** Markdown as the page shows it as text: no backticks, no emphasis markers, no list dashes. */
function plain(markdown: string): string[] {
  return markdown
    .split('\n')
    .map((l) =>
      l
        .replace(/^- /, '')
        .replace(/`/g, '')
        .replace(/\*\*/g, '')
        .replace(/\*([^*\s][^*]*)\*/g, '$1')
        .trim(),
    )
    .filter(Boolean);
}

async function open(page: Page, kind: DrillKind, seed: number): Promise<DrillQuestion> {
  await page.goto(`/drills/?kind=${kind}&seed=${seed}`);
  await page.locator('.drill-prompt').waitFor();
  const q = generateDrill(kind, seed);
  // On load the island leaves the focus where a page load puts it (the skip link is the first Tab stop);
  // it moves the focus only after the learner acts (a verdict, Next). Checked two frames after the
  // question rendered, when the island's effects have run.
  await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok))));
  expect(await page.evaluate(() => document.activeElement === document.body)).toBe(true);
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => document.activeElement?.className)).toBe('skip-link');
  // the learner goes to the number field, or to the question for choice questions (number keys pick)
  const focused = q.answer.type === 'number' ? '[data-testid="drill-input"]' : '.drill-question';
  await page.locator(focused).focus();
  return q;
}

async function statsRow(page: Page, kind: DrillKind): Promise<string> {
  return page.locator(`[data-testid="drill-stats-row"][data-kind="${kind}"] [data-testid="drill-attempts"]`).innerText();
}

describe('interview drills', () => {
  it('a shared numeric question: same prompt as the engine, right answer by keyboard → Correct; wrong one → expected and working; stats survive a reload', async () => {
    const { page, context, errors } = await newPage(browser);
    try {
      const q = await open(page, 'consumer-lag', 4242);
      if (q.answer.type !== 'number') throw new Error('consumer-lag is numeric');
      const shown = await page.locator('.drill-prompt').innerText();
      for (const line of plain(q.prompt)) expect(shown).toContain(line);
      expect(await page.getByTestId('drill-seed').innerText()).toContain('4242');

      // the number field has the focus: type and press Enter
      await page.keyboard.type(String(q.answer.value));
      await page.keyboard.press('Enter');
      await expect.poll(() => page.getByTestId('drill-verdict').innerText()).toMatch(/^Correct/);
      expect(await statsRow(page, 'consumer-lag')).toBe('1 / 1');

      // a wrong answer to another seed of the same kind
      const w = await open(page, 'consumer-lag', 7);
      if (w.answer.type !== 'number') throw new Error('consumer-lag is numeric');
      await page.keyboard.type(String(w.answer.value + 3));
      await page.keyboard.press('Enter');
      const verdict = page.getByTestId('drill-verdict');
      await expect.poll(() => verdict.innerText()).toMatch(/^Not quite/);
      expect(await page.getByTestId('drill-expected').innerText()).toBe(String(w.answer.value));
      const working = await page.getByTestId('drill-explanation').innerText();
      for (const line of plain(w.explanation)) expect(working).toContain(line);

      // not a number: a problem, not a verdict
      const n = await open(page, 'partition-for-key', 1);
      await page.keyboard.type('abc');
      await page.keyboard.press('Enter');
      expect(await page.getByTestId('drill-problem').innerText()).toBe('Expected a whole number, got "abc"');
      expect(await page.getByTestId('drill-verdict').count()).toBe(0);
      expect(n.kind).toBe('partition-for-key');

      await page.reload();
      await page.locator('.drill-prompt').waitFor();
      expect(await statsRow(page, 'consumer-lag')).toBe('1 / 2');
      expect(await statsRow(page, 'partition-for-key')).toBe('–');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('a single-choice question answered wrong with a number key, then Enter to the next question', async () => {
    const { page, context, errors } = await newPage(browser);
    try {
      const q = await open(page, 'acks-outcome', 99);
      if (q.answer.type !== 'choice') throw new Error('acks-outcome is single choice');
      const wrong = (q.answer.index + 1) % q.choices!.length;
      await page.keyboard.press(String(wrong + 1));
      expect(await page.getByTestId(`drill-choice-${wrong}`).getAttribute('aria-pressed')).toBe('true');
      await page.keyboard.press('Enter');
      await expect.poll(() => page.getByTestId('drill-verdict').innerText()).toMatch(/^Not quite/);
      expect(await page.getByTestId('drill-expected').innerText()).toBe(plain(q.choices![q.answer.index])[0]);
      const working = await page.getByTestId('drill-explanation').innerText();
      for (const line of plain(q.explanation)) expect(working).toContain(line);
      expect(await statsRow(page, 'acks-outcome')).toBe('0 / 1');

      // Enter again: a new question, and the URL names it
      await page.keyboard.press('Enter');
      await expect.poll(() => page.getByTestId('drill-verdict').count()).toBe(0);
      const url = new URL(page.url());
      const kind = url.searchParams.get('kind') as DrillKind;
      const seed = Number(url.searchParams.get('seed'));
      const next = generateDrill(kind, seed);
      const shown = await page.locator('.drill-prompt').innerText();
      for (const line of plain(next.prompt)) expect(shown).toContain(line);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('a corrupted saved schedule: the page still works, says so, and keeps the raw value; an unknown kind in the URL falls back to the schedule', async () => {
    const { page, context, errors } = await newPage(browser);
    try {
      await page.addInitScript(() => {
        if (!sessionStorage.getItem('seeded')) {
          localStorage.setItem('partition-lab:drills', '{"version": 1, "kinds": [oops');
          sessionStorage.setItem('seeded', '1');
        }
      });
      await page.goto('/drills/?kind=no-such-kind&seed=5');
      await page.locator('.drill-prompt').waitFor();
      const notice = await page.locator('.drill-notice').innerText();
      expect(notice).toMatch(/not valid JSON; it was kept under partition-lab:drills:backup:/);
      const backups = await page.evaluate(() =>
        Object.keys(localStorage)
          .filter((k) => k.startsWith('partition-lab:drills:backup:'))
          .map((k) => localStorage.getItem(k)),
      );
      expect(backups).toEqual(['{"version": 1, "kinds": [oops']);
      // the schedule starts over: the first new kind in course order, and the URL names the real question
      const url = new URL(page.url());
      expect(url.searchParams.get('kind')).toBe('partition-for-key');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('a "select every" question answered right with number keys; the assignor filter keeps to assignor drills', async () => {
    const { page, context, errors } = await newPage(browser);
    try {
      const q = await open(page, 'keys-that-move', 2024);
      if (q.answer.type !== 'choices') throw new Error('keys-that-move is a set of choices');
      for (const i of q.answer.indices) await page.keyboard.press(String(i + 1));
      await page.keyboard.press('Enter');
      await expect.poll(() => page.getByTestId('drill-verdict').innerText()).toMatch(/^Correct/);

      await page.getByTestId('drill-filter').selectOption('assignors');
      // the current question is not an assignor drill: a new one comes, from the filter
      await expect.poll(() => new URL(page.url()).searchParams.get('area')).toBe('assignors');
      const kinds = await page
        .locator('[data-testid="drill-stats-row"]')
        .evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.kind));
      expect(kinds).toEqual(['range-assignment', 'round-robin-assignment', 'idle-consumers']);
      expect(kinds).toContain(new URL(page.url()).searchParams.get('kind'));
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
