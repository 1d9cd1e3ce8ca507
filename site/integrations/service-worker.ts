/**
 * An Astro integration that makes the built course work offline: after `astro build` writes the site,
 * Workbox's `generateSW` writes `sw.js` into the output folder with a precache manifest of every page
 * and asset — lessons, quizzes, scenarios, drills, checkpoints with Monaco, its TypeScript worker, the
 * grader worker and QuickJS's .wasm. No cache code of our own: Workbox writes and runs all of it.
 * layouts/Base.astro registers `${base}sw.js` and shows the offline state.
 *
 * Why precache everything: "after one visit the whole course works offline" means a learner who only
 * read the home page can still open a checkpoint and grade it on a train. The cost is the first
 * visit's background download (the build logs the count and size; ~19 MB uncompressed today, most
 * of it Monaco's TypeScript worker, ~6.9 MB, and editor, ~3.5 MB; ~3.8 MB gzipped on the wire).
 *
 * Sub-paths: manifest URLs are relative to `sw.js` ("lessons/01-…/index.html", "_astro/x.js"), and
 * Workbox resolves them against the service worker's own URL, so the same build logic serves
 * `https://host/` and `https://user.github.io/partition-lab/` alike (Base.astro registers with
 * `scope: base`).
 *
 * Updates: a new build's worker installs in the background and waits until every tab of the old one
 * is closed (no skipWaiting), so a page never mixes chunks of two builds; outdated precaches are removed.
 */
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { generateSW } from 'workbox-build';

/** The service worker's file name in the output folder; Base.astro registers `${base}${SW_FILE}`. */
export const SW_FILE = 'sw.js';

/** Larger than the largest file (Monaco's TypeScript worker, ~6.9 MB); Workbox's default is 2 MB. */
const MAX_FILE_BYTES = 16 * 1024 * 1024;

/** What the dev server serves as sw.js: replace a build's worker, unregister, reload the pages it controlled. */
const DEV_SW = `self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => {
  event.waitUntil(
    self.registration
      .unregister()
      .then(() => self.clients.matchAll({ type: 'window' }))
      .then((clients) => Promise.all(clients.map((c) => c.navigate(c.url)))),
  );
});
`;

export function serviceWorker(): AstroIntegration {
  return {
    name: 'partition-lab:service-worker',
    hooks: {
      // `npm run dev` on the port `npm start` used: a worker left by a build would keep serving that build's
      // pages. The dev server answers its update check with a worker that unregisters itself and reloads
      // its pages, so development always shows the current source.
      'astro:server:setup': ({ server }) => {
        server.middlewares.use((req, res, next) => {
          if (!req.url?.split('?')[0].endsWith(`/${SW_FILE}`)) return next();
          res.setHeader('content-type', 'text/javascript; charset=utf-8');
          res.setHeader('cache-control', 'no-store');
          res.end(DEV_SW);
        });
      },
      'astro:build:done': async ({ dir, logger }) => {
        const outDir = fileURLToPath(dir);
        const { count, size, warnings } = await generateSW({
          globDirectory: outDir,
          globPatterns: ['**/*.{html,js,mjs,css,wasm,svg,png,ico,ttf,woff,woff2,json,txt}'],
          swDest: `${outDir}/${SW_FILE}`,
          cacheId: 'partition-lab',
          // Vite's hashed file names in _astro/ are versioned by their URL: no ?__WB_REVISION__ needed.
          dontCacheBustURLsMatching: /^_astro\//,
          maximumFileSizeToCacheInBytes: MAX_FILE_BYTES,
          // `lessons/x/` → `lessons/x/index.html`, as a static host serves it.
          directoryIndex: 'index.html',
          // Query strings never select a different page in this static site (e.g. `?step=3`).
          ignoreURLParametersMatching: [/.*/],
          clientsClaim: true,
          cleanupOutdatedCaches: true,
          // One self-contained sw.js (no workbox-*.js beside it), no source map to publish.
          inlineWorkboxRuntime: true,
          sourcemap: false,
          mode: 'production',
        });
        for (const warning of warnings) logger.warn(warning);
        logger.info(`${SW_FILE}: precaches ${count} files, ${(size / 1024 / 1024).toFixed(1)} MB`);
      },
    },
  };
}
