// @ts-check
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import preact from '@astrojs/preact';
import { serviceWorker } from './site/integrations/service-worker.ts';

// Where the site is served from: `/` by default; a sub-path for hosts such as GitHub Pages
// (`BASE_PATH=/partition-lab/ npm run build`). Every link, asset, worker, .wasm and the service
// worker's scope follow it (lessons' root-relative links too: components/BaseLink.astro).
// `--outDir` (or OUT_DIR) builds somewhere other than dist/.
const base = process.env.BASE_PATH || '/';

// The site lives in site/ (Astro's srcDir); content collections read ../content through loaders.
export default defineConfig({
  srcDir: './site',
  publicDir: './site/public',
  outDir: process.env.OUT_DIR || './dist',
  output: 'static',
  site: 'http://localhost:4321',
  base,
  server: { port: 4321, host: '127.0.0.1' },
  // serviceWorker() last: it runs after the build and precaches everything the others wrote.
  integrations: [mdx(), preact(), serviceWorker()],
  vite: {
    // Monaco and the grader run in Web Workers that code-split: ES module workers (ARCHITECTURE.md, "Platform").
    worker: { format: 'es' },
    // QuickJS finds its .wasm through new URL(..., import.meta.url): keep it out of pre-bundling.
    optimizeDeps: { exclude: ['quickjs-emscripten-core', '@jitl/quickjs-wasmfile-release-sync'] },
    build: {
      chunkSizeWarningLimit: 4000,
      // engine/ modules only declare (no top-level effects): an island that imports one helper through
      // engine/index.ts (plural, tpKey) then carries that helper, not the whole engine.
      rolldownOptions: { treeshake: { moduleSideEffects: (/** @type {string} */ id) => !/[\\/]engine[\\/][^?]*\.ts$/.test(id) } },
    },
    // monaco-yaml's worker (through monaco-worker-manager) imports monaco-editor/esm/vs/editor/editor.worker.js,
    // a path Monaco 0.57's exports map resolves to esm/vs/esm/vs/…: point it at the file (site/islands/studio/).
    resolve: { alias: [{ find: /^monaco-editor\/esm\/vs\/(.*)$/, replacement: 'monaco-editor/$1' }] },
  },
});
