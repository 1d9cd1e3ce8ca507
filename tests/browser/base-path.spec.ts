/**
 * The course deployed under a sub-path, as GitHub Pages serves a project site
 * (`https://<user>.github.io/partition-lab/`): built with `BASE_PATH=/partition-lab/` into dist-base/
 * (dist/ stays as it is), served with nothing outside `/partition-lab/`, so any link, asset, worker or
 * .wasm URL that forgot the base is a 404 here. A learner walks it by clicking: home → lesson → a quiz
 * answer → checkpoint Run tests → scenarios → a scenario → drills → progress, and the service worker's
 * scope is the sub-path.
 *
 * The build runs in beforeAll (~30–90 s), so the spec always tests the current source.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, newPage } from './browser.ts';
import { startStaticServer } from './global-setup.ts';
import { exerciseFile, grade, setCode } from './checkpoint-page.ts';
import { answerFirstQuizQuestion, CHECKPOINT, LESSON, settle } from './site-pages.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const BASE = '/partition-lab/';
const OUT_DIR = resolve(ROOT, 'dist-base');

/**
 * The environment for a production build: Vitest puts Vite's own variables (BASE_URL, MODE, PROD, …,
 * NODE_ENV=test) into process.env, and a child `astro build` would take BASE_URL=/ and the test mode from them.
 */
function buildEnv(): NodeJS.ProcessEnv {
  const vite = new Set(['BASE_URL', 'MODE', 'DEV', 'PROD', 'SSR', 'NODE_ENV', 'TEST']);
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !vite.has(k) && !k.startsWith('VITEST')));
}

let browser: Browser;
let server: Server;
let origin: string;

beforeAll(async () => {
  browser = await launchBrowser(); // fails first, and fast, when Chromium is missing
  const build = spawnSync(process.execPath, [resolve(ROOT, 'node_modules/astro/bin/astro.mjs'), 'build', '--outDir', OUT_DIR], {
    cwd: ROOT,
    env: { ...buildEnv(), BASE_PATH: BASE },
    encoding: 'utf8',
    timeout: 600_000,
  });
  if (build.status !== 0)
    throw new Error(`BASE_PATH=${BASE} astro build failed (${build.status ?? build.signal}):\n${build.stdout}\n${build.stderr}`);
  server = await startStaticServer({ root: OUT_DIR, base: BASE });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 660_000);
afterAll(async () => {
  await browser?.close();
  server?.closeAllConnections();
  await new Promise<void>((ok) => (server ? server.close(() => ok()) : ok()));
});

/** Every root-relative link on the page starts with the base. */
async function linksOutsideBase(page: Page): Promise<string[]> {
  return page.$$eval(
    'a[href^="/"], link[href^="/"], script[src^="/"], img[src^="/"], astro-island',
    (els, base) =>
      els
        .flatMap((e) => ['href', 'src', 'component-url', 'renderer-url'].map((a) => e.getAttribute(a)))
        .filter((u): u is string => u !== null && u.startsWith('/') && !u.startsWith(base)),
    BASE,
  );
}

describe(`deployed under ${BASE}`, () => {
  it('home → lesson → quiz answer → checkpoint Run tests → scenarios → scenario → drills → progress, with no request outside the base', async () => {
    const { page, context, errors } = await newPage(browser, { baseURL: origin, serviceWorkers: 'allow' });
    const failed: string[] = [];
    page.on('response', (r) => {
      if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`);
    });
    // ERR_ABORTED: a load the walk cut short by navigating on (e.g. Monaco's TypeScript worker), not a bad URL
    page.on('requestfailed', (r) => {
      if (r.failure()?.errorText !== 'net::ERR_ABORTED') failed.push(`failed ${r.url()} (${r.failure()?.errorText})`);
    });
    const here = () => new URL(page.url()).pathname;
    try {
      await page.goto(BASE);
      expect(await page.locator('h1').count()).toBe(1);
      expect(await linksOutsideBase(page)).toEqual([]);

      // lesson, by its link in the outline
      await page.locator(`[data-lesson="${LESSON}"] h3 a`).click();
      await page.waitForSelector('.lesson h1');
      expect(here()).toBe(`${BASE}lessons/${LESSON}/`);
      expect(await linksOutsideBase(page)).toEqual([]);

      // the quiz: hydrated from /partition-lab/_astro/, answered
      await page.locator('#quiz').scrollIntoViewIfNeeded();
      await page.waitForSelector('.quiz[data-hydrated="true"]', { timeout: 30_000 });
      await answerFirstQuizQuestion(page);

      // the checkpoint, by the lesson's card: Monaco, its workers, the grader worker and the .wasm under the base
      await page.locator('.checkpoint-card a.button').click();
      await page.waitForSelector('[data-editor-ready="true"]', { timeout: 30_000 });
      await page.waitForSelector('[data-grader-state="ready"]', { timeout: 30_000 });
      expect(here()).toBe(`${BASE}checkpoints/${CHECKPOINT}/`);
      await setCode(page, exerciseFile(CHECKPOINT, 'solution.ts'));
      expect((await grade(page, 'run')).status).toBe('passed');

      // scenarios, by the header
      await page.locator('.site-header nav a', { hasText: 'Scenarios' }).click();
      await page.waitForSelector('.scenario-item');
      expect(here()).toBe(`${BASE}scenarios/`);
      expect(await linksOutsideBase(page)).toEqual([]);
      await page.locator('.scenario-item h2 a').first().click();
      await page.waitForSelector('.splayer');
      await page.waitForFunction(() => !document.querySelector('astro-island[ssr]'));
      const counter = page.locator('[data-testid="step-counter"]');
      const before = await counter.innerText();
      await page.locator('.splayer button[aria-label="Next step"]').click();
      await expect.poll(() => counter.innerText()).not.toBe(before);

      // drills and progress, by the header
      await page.locator('.site-header nav a', { hasText: 'Drills' }).click();
      await page.locator('.drill-prompt').waitFor({ timeout: 30_000 });
      await settle(page);
      expect(here()).toBe(`${BASE}drills/`);
      await page.locator('.site-header nav a[href$="/progress/"]').click();
      await page.waitForSelector('h1');
      expect(here()).toBe(`${BASE}progress/`);
      expect(await linksOutsideBase(page)).toEqual([]);

      // lesson 2's root-relative links to scenarios carry the base (components/BaseLink.astro)
      await page.goto(`${BASE}lessons/02-consumer-groups-and-assignors/`);
      const scenarioLinks = await page.$$eval('.lesson-body a[href*="scenarios/"]', (as) => as.map((a) => a.getAttribute('href')!));
      expect(scenarioLinks.length).toBeGreaterThan(0);
      for (const href of scenarioLinks) expect(href.startsWith(`${BASE}scenarios/`), href).toBe(true);
      expect(await linksOutsideBase(page)).toEqual([]);

      // the service worker lives at the base and controls only it
      await page.waitForFunction(() => document.documentElement.dataset.offline === 'ready', undefined, { timeout: 120_000 });
      expect(await page.evaluate(async () => (await navigator.serviceWorker.ready).scope)).toBe(`${origin}${BASE}`);

      expect(failed).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
