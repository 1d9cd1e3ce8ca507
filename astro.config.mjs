// @ts-check
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import preact from '@astrojs/preact';

// The site lives in site/ (Astro's srcDir); content collections read ../content through loaders.
export default defineConfig({
  srcDir: './site',
  publicDir: './site/public',
  outDir: './dist',
  output: 'static',
  site: 'http://localhost:4321',
  server: { port: 4321, host: '127.0.0.1' },
  integrations: [mdx(), preact()],
  vite: {
    // Monaco and the grader run in Web Workers that code-split: ES module workers (ARCHITECTURE.md, "Platform").
    worker: { format: 'es' },
    // QuickJS finds its .wasm through new URL(..., import.meta.url): keep it out of pre-bundling.
    optimizeDeps: { exclude: ['quickjs-emscripten-core', '@jitl/quickjs-wasmfile-release-sync'] },
    build: { chunkSizeWarningLimit: 4000 },
  },
});
