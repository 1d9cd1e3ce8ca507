/**
 * GradeReport → the sentences the results panel shows and announces. Pure, so it is unit-tested
 * (report-text.spec.ts) and the panel only lays them out.
 */
import type { ErrorKind, GradeReport, TestResult } from '../../../grader/index.ts';
import { plural, pluralWord } from '../../../engine/index.ts';

export interface Tally {
  passed: number;
  failed: number;
  error: number;
  skipped: number;
  total: number;
}

export function tallyTests(tests: readonly TestResult[]): Tally {
  const t: Tally = { passed: 0, failed: 0, error: 0, skipped: 0, total: tests.length };
  for (const test of tests) t[test.status]++;
  return t;
}

/** Short label of each error kind, in the learner's terms. */
export const ERROR_KIND_LABEL: Record<ErrorKind, string> = {
  syntax: 'Syntax error',
  'missing-export': 'Missing export',
  timeout: 'Time limit exceeded',
  memory: 'Memory limit exceeded',
  stack: 'Recursion too deep',
  runtime: 'Your code threw an error',
  'invalid-result': 'Wrong kind of value returned',
};

/** What to do about each error kind: one sentence, shown under the grader's own message. */
export const ERROR_KIND_TIP: Record<ErrorKind, string> = {
  syntax: 'Fix the code at the marked line (the editor underlines it), then run the tests again.',
  'missing-export': 'Keep the `export` keyword and the function name from the starter: the tests call your function by that name.',
  timeout:
    'Your code was stopped because it ran too long. Look for a loop whose condition never becomes false, or an index that never advances.',
  memory: 'Your code used more memory than the sandbox allows. Look for an array or string that keeps growing inside a loop.',
  stack: 'A function called itself too many times. Check that the recursion has a base case that is reached, or use a loop.',
  runtime: 'Your code threw an exception while the test called it. The message above says which one.',
  'invalid-result':
    'Return exactly the type in the starter\'s signature: the string "2" is not the number 2, and undefined or NaN is never an answer.',
};

/**
 * What to do about an error, given the grader's message: ERROR_KIND_TIP, except for a value that is not plain data
 * (the sandbox names it: `an instance of Offset`, `a Promise`, `a Map`, `a function`…), where the general tip
 * about strings and numbers would not help.
 */
export function errorTip(kind: ErrorKind, message = ''): string {
  if (kind !== 'invalid-result') return ERROR_KIND_TIP[kind];
  if (/\ban instance of\b|\ban object with a custom prototype\b/.test(message)) {
    return "Return plain data of the type in the starter's signature — numbers, strings, arrays, object literals `{ … }` — not an instance of a class: only plain data is copied out of the sandbox (a class's methods and getters would not come with it).";
  }
  if (/\ba Promise\b|\ban async generator object\b/.test(message)) {
    return 'Return the value itself: the tests call your function synchronously, so it cannot be `async` or return a Promise.';
  }
  if (/\ba (Weak)?(Map|Set)\b/.test(message)) {
    return 'Return a plain object or an array, not a Map or Set: `Object.fromEntries(map)` and `[...set]` turn them into plain data.';
  }
  if (/\ba function\b/.test(message)) return 'Return the value, not a function that computes it.';
  return ERROR_KIND_TIP[kind];
}

/** `line 4, column 12` (either may be missing). */
export function position(line?: number, column?: number): string | undefined {
  if (line === undefined) return undefined;
  return column === undefined ? `line ${line}` : `line ${line}, column ${column}`;
}

/**
 * The headline of a report, also what the live region announces, e.g.
 * `All 24 tests passed.` · `3 of 24 tests failed, 21 passed.` ·
 * `Your code could not be tested: Syntax error at line 4, column 12.`
 * A test that stopped with an error (a throw, a limit) counts as failed here, as it does in
 * {@link countsLine}, so the headline and the counts under it always add up the same way.
 */
export function headline(report: GradeReport): string {
  if (report.status === 'error') {
    const kind = report.error?.kind;
    const label = kind ? ERROR_KIND_LABEL[kind] : 'an error';
    const where = position(report.error?.line, report.error?.column);
    return `Your code could not be tested: ${label}${where ? ` at ${where}` : ''}.`;
  }
  const t = tallyTests(report.tests);
  if (report.status === 'passed') {
    return t.total === 1 ? 'The test passed.' : `All ${plural(t.total, 'test')} passed.`;
  }
  const notPassed = t.failed + t.error;
  // A limit hit by a test (timeout, memory, …) is named, since it is what to fix first.
  const kinds = new Set(report.tests.filter((x) => x.status === 'error' && x.errorKind).map((x) => x.errorKind as ErrorKind));
  const why = kinds.size === 1 ? ` (${ERROR_KIND_LABEL[[...kinds][0]].toLowerCase()})` : '';
  const parts = [`${notPassed} of ${plural(t.total, 'test')} failed${why}`];
  if (t.passed > 0) parts.push(`${t.passed} passed`);
  if (t.skipped > 0) parts.push(`${t.skipped} not run`);
  return `${parts.join(', ')}.`;
}

/**
 * `9 passed · 3 failed (1 with an error) · 2 not run` — in the headline's terms: a test that stopped
 * with an error is one of the failed ones (never "0 failed" under "21 of 21 tests failed"), and skipped
 * tests are "not run". Passed and failed are always shown; "not run" only when there are some.
 */
export function countsLine(t: Tally): string {
  const failed = t.failed + t.error;
  const parts: string[] = [
    `${t.passed} passed`,
    `${failed} failed${t.error ? ` (${t.error === failed ? pluralWord(t.error, 'with an error', 'all with an error') : `${t.error} with an error`})` : ''}`,
  ];
  if (t.skipped) parts.push(`${t.skipped} not run`);
  return parts.join(' · ');
}

/** Label of a test's status for people (screen readers read it before the title). */
export function statusLabel(test: TestResult): string {
  switch (test.status) {
    case 'passed':
      return 'Passed';
    case 'failed':
      return 'Failed';
    case 'error':
      return test.errorKind ? ERROR_KIND_LABEL[test.errorKind] : 'Error';
    case 'skipped':
      return 'Skipped';
    default:
      return String(test.status);
  }
}
