import { defineConfig } from 'vitest/config';

// Two projects: `unit` (engine, grader, exercises, content, site libraries; Node) and
// `browser` (Playwright driving Debian's Chromium against the built site in dist/).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: [
            'engine/**/*.spec.ts',
            'grader/**/*.spec.ts',
            'cli/**/*.spec.ts',
            'exercises/**/*.spec.ts',
            'content/**/*.spec.ts',
            'site/**/*.spec.ts',
            'tests/unit/**/*.spec.ts',
          ],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'browser',
          include: ['tests/browser/**/*.spec.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
          // A page on a loaded machine can take seconds to hydrate: poll for up to 10 s, not vitest's default 1 s.
          expect: { poll: { timeout: 10_000 } },
          globalSetup: ['tests/browser/global-setup.ts'],
        },
      },
    ],
  },
});
