import { describe, expect, it } from 'vitest';
import { REPORT_VERSION, type GradeReport, type TestResult } from '../../../grader/index.ts';
import { ERROR_KIND_TIP, countsLine, errorTip, headline, statusLabel, tallyTests } from './report-text.ts';

const test = (id: string, status: TestResult['status'], extra: Partial<TestResult> = {}): TestResult => ({
  id,
  title: id,
  status,
  hidden: false,
  durationMs: 1,
  ...extra,
});
const report = (status: GradeReport['status'], tests: TestResult[], error?: GradeReport['error']): GradeReport => ({
  version: REPORT_VERSION,
  exerciseId: 'key-to-partition',
  status,
  mode: 'run',
  tests,
  durationMs: 10,
  ...(error ? { error } : {}),
});

describe('report headline', () => {
  it('three tests, all passed', () => {
    expect(headline(report('passed', [test('a', 'passed'), test('b', 'passed'), test('c', 'passed')]))).toBe('All 3 tests passed.');
  });

  it('one test, passed', () => {
    expect(headline(report('passed', [test('a', 'passed')]))).toBe('The test passed.');
  });

  it('two failed, one error, one skipped, three passed: errors count as failures', () => {
    const r = report('failed', [
      test('a', 'failed'),
      test('b', 'failed'),
      test('c', 'error', { errorKind: 'runtime' }),
      test('d', 'skipped'),
      ...['e', 'f', 'g'].map((id) => test(id, 'passed')),
    ]);
    expect(headline(r)).toBe('3 of 7 tests failed (your code threw an error), 3 passed, 1 not run.');
    expect(countsLine(tallyTests(r.tests))).toBe('3 passed · 3 failed (1 with an error) · 1 not run');
  });

  it('one test over the time limit, the other 20 not run: names the limit', () => {
    const r = report('failed', [
      test('a', 'error', { errorKind: 'timeout' }),
      ...Array.from({ length: 20 }, (_, i) => test(`s${i}`, 'skipped')),
    ]);
    expect(headline(r)).toBe('1 of 21 tests failed (time limit exceeded), 20 not run.');
  });

  it('21 tests that all threw: the headline and the counts line say the same (never "0 failed")', () => {
    const r = report(
      'failed',
      Array.from({ length: 21 }, (_, i) => test(`t${i}`, 'error', { errorKind: 'runtime' })),
    );
    expect(headline(r)).toBe('21 of 21 tests failed (your code threw an error).');
    expect(countsLine(tallyTests(r.tests))).toBe('0 passed · 21 failed (all with an error)');
  });

  it('headline and counts line agree on every mix of outcomes', () => {
    const statuses = ['passed', 'failed', 'error', 'skipped'] as const;
    for (let mask = 0; mask < 4 ** 4; mask++) {
      const counts = [0, 1, 2, 3].map((i) => Math.floor(mask / 4 ** i) % 4);
      const tests = statuses.flatMap((s, i) =>
        Array.from({ length: counts[i] }, (_, j) => test(`${s}${j}`, s, s === 'error' ? { errorKind: 'runtime' } : {})),
      );
      if (tests.length === 0 || counts[1] + counts[2] + counts[3] === 0) continue;
      const r = report('failed', tests);
      const line = countsLine(tallyTests(tests));
      const failedInLine = Number(/(\d+) failed/.exec(line)![1]);
      const failedInHeadline = Number(/^(\d+) of/.exec(headline(r))![1]);
      expect(failedInLine, `${headline(r)} | ${line}`).toBe(failedInHeadline);
      expect(Number(/(\d+) passed/.exec(line)![1])).toBe(counts[0]);
      if (counts[3] > 0) expect(line).toContain(`${counts[3]} not run`);
    }
  });

  it('syntax error with line and column: says where', () => {
    const r = report('error', [], { kind: 'syntax', message: 'Unexpected token', line: 2, column: 27 });
    expect(headline(r)).toBe('Your code could not be tested: Syntax error at line 2, column 27.');
  });

  it('missing export without a position', () => {
    const r = report('error', [], { kind: 'missing-export', message: 'partition is not exported' });
    expect(headline(r)).toBe('Your code could not be tested: Missing export.');
  });

  it('a test that hit the time limit is labelled by its kind, not just "error"', () => {
    expect(statusLabel(test('a', 'error', { errorKind: 'timeout' }))).toBe('Time limit exceeded');
    expect(statusLabel(test('a', 'error'))).toBe('Error');
    expect(statusLabel(test('a', 'failed'))).toBe('Failed');
  });
});

describe('error tip', () => {
  it('names what to return instead when the sandbox refused a value that is not plain data', () => {
    const returned = (what: string) => `\`onProcessed\` returned ${what} (at .state), which cannot be copied out of the sandbox`;
    expect(errorTip('invalid-result', returned('an instance of Offset'))).toMatch(
      /^Return plain data of the type in the starter's signature.*not an instance of a class/,
    );
    expect(errorTip('invalid-result', returned('an object with a custom prototype'))).toMatch(/not an instance of a class/);
    expect(errorTip('invalid-result', returned('a Promise'))).toMatch(/cannot be `async`/);
    expect(errorTip('invalid-result', returned('a Map'))).toMatch(/Object\.fromEntries/);
    expect(errorTip('invalid-result', returned('a WeakSet'))).toMatch(/not a Map or Set/);
    expect(errorTip('invalid-result', returned('a function compute'))).toBe('Return the value, not a function that computes it.');
  });
  it('keeps the general tip otherwise, and for every other kind', () => {
    expect(errorTip('invalid-result', 'expected a number, got a string "2"')).toBe(ERROR_KIND_TIP['invalid-result']);
    expect(errorTip('invalid-result')).toBe(ERROR_KIND_TIP['invalid-result']);
    expect(errorTip('timeout', 'returned an instance of Offset')).toBe(ERROR_KIND_TIP.timeout);
  });
});
