// @ts-check
// ESLint with typescript-eslint's recommended rules for the TypeScript sources. Formatting is Prettier's job.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'dist-*/**',
      '.astro/**',
      'node_modules/**',
      'grader/fixtures/**',
      'exercises/*/mistakes/**',
      'exercises/*/starter.ts',
      'exercises/*/types.d.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx,mjs}'],
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      // Unused names are mistakes, except deliberate `_`-prefixed ones.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Exercise and grader code handle learner values of unknown shape: `any` is sometimes the honest type.
      '@typescript-eslint/no-explicit-any': 'off',
      // `let x = null; try { x = … } catch { x = null; }` reads clearer than the alternatives.
      'no-useless-assignment': 'off',
      // The grader's sanitizers match control characters on purpose.
      'no-control-regex': 'off',
    },
  },
  {
    // Reference solutions are written as a learner would: the exercise's types by a triple-slash reference,
    // the callbacks' full signatures even where an argument is not needed.
    files: ['exercises/*/solution.ts'],
    rules: {
      '@typescript-eslint/triple-slash-reference': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { args: 'none' }],
    },
  },
);
