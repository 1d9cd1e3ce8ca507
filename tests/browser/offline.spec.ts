/**
 * Offline after one visit (site/integrations/service-worker.ts, layouts/Base.astro): a learner opens the
 * home page once; the Workbox service worker precaches the whole course and the footer says
 * "Available offline". Then the network goes away — the browser is set offline AND the server is shut
 * down, so nothing can come from the network even where the browser's offline emulation does not
 * reach — and every page type still loads from the saved copy, says so, and a checkpoint grades code
 * (Monaco, its TypeScript worker, the grader worker and QuickJS's .wasm all come from the precache).
 *
 * Serves dist/ on its own server (not the shared one from global-setup.ts), because it shuts it down.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AxeBuilder } from '@axe-core/playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, newPage } from './browser.ts';
import { startStaticServer } from './global-setup.ts';
import { exerciseFile, grade, setCode } from './checkpoint-page.ts';
import { CHECKPOINT, SITE_PAGES } from './site-pages.ts';

const DIST = resolve(process.env.PARTITION_LAB_DIST ?? resolve(import.meta.dirname, '../../dist'));

let browser: Browser;
let server: Server | undefined;
let origin: string;

beforeAll(async () => {
  browser = await launchBrowser();
  server = await startStaticServer({ root: DIST });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await browser?.close();
  await stopServer();
});

async function stopServer(): Promise<void> {
  if (!server) return;
  const s = server;
  server = undefined;
  s.closeAllConnections();
  await new Promise<void>((ok) => s.close(() => ok()));
}

/** How many files the build's sw.js precaches (its manifest lists each once, with a `url`). */
function precacheManifestSize(): number {
  const sw = readFileSync(resolve(DIST, 'sw.js'), 'utf8');
  return new Set([...sw.matchAll(/\burl:\s*"([^"]+)"/g)].map((m) => m[1])).size;
}

/** Entries in the page's Cache Storage (Workbox's precache). */
async function cachedEntries(page: Page): Promise<number> {
  return page.evaluate(async () => {
    let n = 0;
    for (const name of await caches.keys()) n += (await (await caches.open(name)).keys()).length;
    return n;
  });
}

const offlineState = (page: Page) => page.evaluate(() => document.documentElement.dataset.offline);

describe('offline after one visit', () => {
  it('visit once, go offline: every page type loads from the saved copy and a checkpoint grades', async () => {
    const { page, context, errors } = await newPage(browser, { baseURL: origin, serviceWorkers: 'allow' });
    try {
      await page.goto('/');
      // the first visit: "Saving…" until the service worker has precached everything, then "Available offline"
      await page.waitForFunction(() => document.documentElement.dataset.offline === 'ready', undefined, { timeout: 120_000 });
      expect(await page.locator('#offline-status').innerText()).toBe('Available offline');
      expect(await page.locator('#offline-banner').isVisible()).toBe(false);
      const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
      expect(scope).toBe(`${origin}/`);
      const manifest = precacheManifestSize();
      expect(manifest).toBeGreaterThan(40);
      expect(await cachedEntries(page)).toBeGreaterThanOrEqual(manifest);

      // the network goes away
      await context.setOffline(true);
      await stopServer();
      await page.reload();
      expect(await offlineState(page)).toBe('offline');
      const banner = page.locator('#offline-banner');
      expect(await banner.isVisible()).toBe(true);
      expect(await banner.innerText()).toMatch(/^Offline — you’re viewing the saved copy\./);

      for (const sitePage of SITE_PAGES) {
        await page.goto(`/${sitePage.path}`);
        await sitePage.ready(page);
        expect(await offlineState(page), sitePage.name).toBe('offline');
        expect(await banner.isVisible(), sitePage.name).toBe(true);
      }

      // a link followed offline, as a learner would (not only typed URLs)
      await page.goto('/');
      await page.locator('.site-header nav a', { hasText: 'Scenarios' }).click();
      await page.waitForSelector('.scenario-item');

      // grading offline: the checkpoint's editor, grader worker and QuickJS all come from the precache
      await page.goto(`/checkpoints/${CHECKPOINT}/`);
      await SITE_PAGES.find((p) => p.name === 'checkpoint')!.ready(page);
      await setCode(page, exerciseFile(CHECKPOINT, 'solution.ts'));
      const passed = await grade(page, 'run');
      expect(passed.status).toBe('passed');
      await setCode(page, exerciseFile(CHECKPOINT, 'mistakes/math-abs.ts'));
      expect((await grade(page, 'run')).status).toBe('failed');

      // the offline banner and status are readable in both themes
      for (const colorScheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme });
        await page.goto('/');
        const results = await new AxeBuilder({ page }).include('#offline-banner').include('.site-footer').analyze();
        expect(
          results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
          colorScheme,
        ).toEqual([]);
      }
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
