import { defineConfig } from 'vitest/config';

// Two projects: `unit` (engine, grader, exercises, content, site libraries; Node) and
// `browser` (Playwright driving Debian's Chromium against the built site in dist/).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['engine/**/*.spec.ts', 'grader/**/*.spec.ts', 'exercises/**/*.spec.ts', 'content/**/*.spec.ts', 'site/**/*.spec.ts', 'tests/unit/**/*.spec.ts'],
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
          globalSetup: ['tests/browser/global-setup.ts'],
        },
      },
    ],
  },
});
