import { describe, expect, it } from 'vitest';
import { submissionLine, summaryLine, toCsv, toJunit, tally } from './grade-format.ts';
import type { GradeReport } from '../grader/index.ts';

// Input reports are fixtures for the formatters, not engine answers: the formatters only rearrange them.
const passed: GradeReport = {
  version: 1,
  exerciseId: 'key-to-partition',
  submission: 'class/alice.ts',
  status: 'passed',
  mode: 'submit',
  durationMs: 412.4,
  tests: [
    { id: 'kafka-vectors', title: 'Kafka murmur2 vectors', status: 'passed', hidden: false, durationMs: 3 },
    { id: 'random-keys', title: 'random keys, 1..1000 partitions', status: 'passed', hidden: true, durationMs: 40, seed: 7, numRuns: 200 },
  ],
};
const failed: GradeReport = {
  ...passed,
  submission: 'class/bob, "the" <best>.ts',
  status: 'failed',
  tests: [
    {
      id: 'kafka-vectors',
      title: 'Kafka murmur2 vectors',
      status: 'failed',
      hidden: false,
      durationMs: 3,
      message: 'a negative partition',
      expected: '0',
      actual: '-4',
    },
    {
      id: 'random-keys',
      title: 'random keys, 1..1000 partitions',
      status: 'skipped',
      errorKind: 'timeout',
      hidden: true,
      durationMs: 0,
      message: 'not run',
    },
  ],
};
const broken: GradeReport = {
  ...passed,
  submission: 'class/carol.ts',
  status: 'error',
  error: { kind: 'syntax', message: 'Unexpected token', line: 3, column: 7 },
  tests: [],
};

describe('batch output', () => {
  it('tallies tests by status', () => {
    expect(tally(failed)).toEqual({ passed: 0, failed: 1, error: 0, skipped: 1, total: 2 });
  });

  it('prints one line per submission with the first failure', () => {
    expect(submissionLine(passed)).toBe('✓ class/alice.ts  2/2 passed  (412 ms)');
    expect(submissionLine(failed)).toContain(
      '✗ class/bob, "the" <best>.ts  0/2 passed — first failure: Kafka murmur2 vectors: a negative partition',
    );
    expect(submissionLine(broken)).toContain('could not run: syntax: Unexpected token');
  });

  it('closes with the runner-readable summary', () => {
    expect(summaryLine([passed, failed, broken])).toBe('Graded 3 submissions: 1 passed, 2 failed');
  });

  it('writes a gradebook with one column per test and quotes awkward names', () => {
    const lines = toCsv([passed, failed, broken]).trimEnd().split('\n');
    expect(lines[0]).toBe('submission,status,passed,failed,error,skipped,total,score,durationMs,kafka-vectors,random-keys');
    expect(lines[1]).toBe('class/alice.ts,passed,2,0,0,0,2,1.0000,412,passed,passed');
    expect(lines[2]).toBe('"class/bob, ""the"" <best>.ts",failed,0,1,0,1,2,0.0000,412,failed,skipped');
    expect(lines[3]).toBe('class/carol.ts,error,0,0,0,0,0,0,412,,');
  });

  it('writes JUnit XML that escapes names and reports a suite that could not run as one error', () => {
    const x = toJunit('key-to-partition', [passed, failed, broken]);
    expect(x).toContain('<testsuites name="key-to-partition" tests="5" failures="1" errors="1" skipped="1">');
    expect(x).toContain('name="class/bob, &quot;the&quot; &lt;best&gt;.ts"');
    expect(x).toContain('<failure type="failed" message="a negative partition">a negative partition\nexpected: 0\nactual:   -4</failure>');
    expect(x).toContain('<skipped message="not run"/>');
    expect(x).toContain('<error type="syntax" message="Unexpected token">Unexpected token (line 3:7)</error>');
    expect(x.match(/<testsuite /g)).toHaveLength(3);
  });
});
