/**
 * A 390 × 844 phone: on every page type the site header is one row — brand, nav, theme switch side by
 * side — no taller than two lines of its own text (so it cannot have wrapped), and nothing in it
 * overflows sideways. Every nav link and the theme switch stay reachable and named.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, newPage } from './browser.ts';
import { SITE_PAGES } from './site-pages.ts';

const PHONE = { width: 390, height: 844 };

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('390 × 844: the header is one line on every page', () => {
  // the quiz is the lesson page again; its header is the same element
  for (const sitePage of SITE_PAGES.filter((p) => p.name !== 'quiz')) {
    it(sitePage.name, async () => {
      const { page, context, errors } = await newPage(browser, { viewport: PHONE });
      try {
        await page.goto(`/${sitePage.path}`);
        await page.waitForSelector('.site-header');
        const m = await page.evaluate(() => {
          const header = document.querySelector<HTMLElement>('.site-header')!;
          const inner = header.querySelector<HTMLElement>('.header-inner')!;
          const link = header.querySelector<HTMLElement>('nav a')!;
          const items = [...inner.children].map((c) => c.getBoundingClientRect());
          return {
            headerHeight: header.getBoundingClientRect().height,
            lineHeight: parseFloat(getComputedStyle(link).lineHeight),
            // one row: every item's vertical span overlaps every other's
            oneRow: Math.max(...items.map((r) => r.top)) < Math.min(...items.map((r) => r.bottom)),
            innerOverflow: inner.scrollWidth - inner.clientWidth,
            navLinks: [...header.querySelectorAll<HTMLElement>('nav a')].map((a) => {
              const r = a.getBoundingClientRect();
              return { text: a.innerText.trim(), visible: r.width > 0 && r.right <= window.innerWidth && r.left >= 0 };
            }),
            // brand, each nav link and the theme switch side by side: no two boxes overlap
            overlaps: (() => {
              const boxes = [...header.querySelectorAll<HTMLElement>('.brand, nav a, #theme-toggle')].map((e) => ({
                name: e.id || e.innerText.trim() || e.className,
                r: e.getBoundingClientRect(),
              }));
              const hits: string[] = [];
              for (let i = 0; i < boxes.length; i++)
                for (let j = i + 1; j < boxes.length; j++) {
                  const a = boxes[i].r;
                  const b = boxes[j].r;
                  if (a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom && b.top < a.bottom)
                    hits.push(`${boxes[i].name} × ${boxes[j].name}`);
                }
              return hits;
            })(),
            toggle: (() => {
              const r = header.querySelector<HTMLElement>('#theme-toggle')!.getBoundingClientRect();
              return r.width > 0 && r.right <= window.innerWidth;
            })(),
          };
        });
        expect(m.lineHeight).toBeGreaterThan(10);
        expect(m.oneRow).toBe(true);
        expect(m.headerHeight, `header ${m.headerHeight}px, line ${m.lineHeight}px`).toBeLessThan(2 * m.lineHeight);
        expect(m.innerOverflow).toBeLessThanOrEqual(0);
        expect(m.navLinks.map((l) => l.text)).toEqual(['Course', 'Scenarios', 'Drills', 'Progress']);
        for (const l of m.navLinks) expect(l.visible, l.text).toBe(true);
        expect(m.overlaps).toEqual([]);
        expect(m.toggle).toBe(true);
        // names stay whole for assistive technology even where the text is hidden
        expect(await page.getByRole('link', { name: 'Partition Lab' }).count()).toBe(1);
        expect(await page.getByRole('button', { name: 'Dark theme' }).count()).toBe(1);
        expect(errors).toEqual([]);
      } finally {
        await context.close();
      }
    });
  }
});
