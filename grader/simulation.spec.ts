/**
 * The `simulation` test kind end to end through gradeSource: a counter whose state the host threads
 * through many calls of the learner's `step` (a reducer), checked at the end. One test per outcome:
 * pass; a wrong answer shrunk to the smallest case with the verdict's message, expected / actual and
 * replay; the learner throwing (named export and line); a timeout (stops at once); a value of the wrong
 * shape; a hidden test (no case, no replay); an export the test needs but the module lacks; a bug in the
 * exercise's own `run` (reported as the exercise's, not the learner's).
 */
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../engine/index.ts';
import { defineExercise, gradeSource, type ExerciseDefinition, type SimulationTest } from './index.ts';

const replayOf = (n: number): Scenario => ({
  id: 'counter-replay',
  title: `counter ${n}`,
  summary: 's',
  seed: 1,
  brokers: 1,
  topics: [{ name: 't0', partitions: 1 }],
  steps: [{ note: `n = ${n}` }],
});

/** step(state, i) → { state } must count the calls: state.count = i + 1 after the i-th call. */
const counter = (over: Partial<SimulationTest<number>> = {}): SimulationTest<number> => ({
  kind: 'simulation',
  id: 'counts-every-call',
  title: 'counts every call',
  fns: ['step', 'done'],
  arbitrary: fc.integer({ min: 0, max: 40 }),
  numRuns: 60,
  formatArgs: (n) => `${n} calls`,
  run: (call, n) => {
    let state: unknown = { count: 0 };
    for (let i = 0; i < n; i++) {
      const r = call('step', [state as never, i]) as { state?: unknown };
      if (typeof r !== 'object' || r === null || !('state' in r))
        return { message: `step returned ${JSON.stringify(r)}; expected { state }`, errorKind: 'invalid-result' };
      state = r.state;
    }
    const count = call('done', [state as never]);
    if (count === n) return undefined;
    return {
      message: `after ${n} calls the count is ${JSON.stringify(count)}`,
      expected: String(n),
      actual: String(count),
      replay: replayOf(n),
    };
  },
  ...over,
});

const exercise = (tests: SimulationTest<number>[]): ExerciseDefinition =>
  defineExercise({
    id: 'counter',
    title: 'Counter',
    lesson: 'x',
    exports: ['step', 'done'],
    objectives: ['x'],
    hints: ['x'],
    mistakes: [],
    tests,
    limits: { callTimeoutMs: 300 },
  });

const correct = `export function step(state: { count: number }, i: number) { return { state: { count: state.count + 1 } }; }
export function done(state: { count: number }) { return state.count; }`;

describe("the 'simulation' test kind", () => {
  it('passes when every case holds, reporting the seed and how many cases ran', async () => {
    const report = await gradeSource(exercise([counter()]), correct, { mode: 'submit', seed: 7 });
    expect(report.status).toBe('passed');
    expect(report.tests[0]).toMatchObject({ status: 'passed', seed: 7, numRuns: 60 });
  });

  it('a wrong answer is shrunk to the smallest case, with the verdict, expected / actual and the replay', async () => {
    const wrong = correct.replace('state.count + 1', 'Math.min(state.count + 1, 5)');
    const report = await gradeSource(exercise([counter()]), wrong, { mode: 'run', seed: 7 });
    const t = report.tests[0];
    expect(t).toMatchObject({
      status: 'failed',
      counterexample: '6 calls',
      message: 'after 6 calls the count is 5',
      expected: '6',
      actual: '5',
      seed: 7,
    });
    expect(t.replay).toEqual(replayOf(6));
    // the same seed replays the same case
    const again = await gradeSource(exercise([counter()]), wrong, { mode: 'run', seed: 7 });
    expect(again.tests[0].counterexample).toBe('6 calls');
  });

  it('a named story (numRuns 1) reports no seed or case count', async () => {
    const report = await gradeSource(exercise([counter({ arbitrary: fc.constant(3), numRuns: 1 })]), correct, { mode: 'run' });
    expect(report.tests[0].status).toBe('passed');
    expect(report.tests[0].seed).toBeUndefined();
    expect(report.tests[0].numRuns).toBeUndefined();
  });

  it("the learner throwing is the test's runtime error, naming the export and the line", async () => {
    const throwing = correct.replace(
      'return { state: { count: state.count + 1 } };',
      "if (i === 2) throw new Error('boom');\n  return { state: { count: state.count + 1 } };",
    );
    const t = (await gradeSource(exercise([counter()]), throwing, { mode: 'run', seed: 1 })).tests[0];
    expect(t.status).toBe('error');
    expect(t.errorKind).toBe('runtime');
    expect(t.message).toBe('In `step`: Line 1: The function threw Error: boom');
    expect(t.counterexample).toBe('3 calls');
  });

  it('a timeout stops the test at once and skips the rest', async () => {
    const hang = correct.replace('return { state: { count: state.count + 1 } };', 'for (;;) {}');
    const report = await gradeSource(exercise([counter(), counter({ id: 'second', title: 'second' })]), hang, { mode: 'run', seed: 1 });
    expect(report.tests[0]).toMatchObject({ status: 'error', errorKind: 'timeout' });
    expect(report.tests[1]).toMatchObject({ status: 'skipped', errorKind: 'timeout' });
  });

  it('a value of the wrong shape is an invalid-result error; a value that cannot be copied names the export', async () => {
    const shape = correct.replace('return { state: { count: state.count + 1 } };', 'return 42;');
    expect((await gradeSource(exercise([counter()]), shape, { mode: 'run', seed: 1 })).tests[0]).toMatchObject({
      status: 'error',
      errorKind: 'invalid-result',
      message: 'step returned 42; expected { state }',
    });
    const fn = correct.replace('return { state: { count: state.count + 1 } };', 'return { state: () => 1 };');
    const t = (await gradeSource(exercise([counter()]), fn, { mode: 'run', seed: 1 })).tests[0];
    expect(t).toMatchObject({ status: 'error', errorKind: 'invalid-result' });
    expect(t.message).toMatch(/^`step` returned .*function/);
  });

  it("a class instance among the results is refused as that call's error, and nothing later in the case hides it", async () => {
    // From the 4th call on, step returns its state as a class instance: the case ends at the first of those calls.
    const instance = `class Counter { constructor(public count: number) {} }
export function step(state: { count: number }, i: number) { return { state: i >= 3 ? new Counter(state.count + 1) : { count: state.count + 1 } }; }
export function done(state: { count: number }) { return state.count; }`;
    const t = (await gradeSource(exercise([counter()]), instance, { mode: 'run', seed: 1 })).tests[0];
    expect(t).toMatchObject({
      status: 'error',
      errorKind: 'invalid-result',
      message: '`step` returned an instance of Counter (at .state), which cannot be copied out of the sandbox',
      counterexample: '4 calls',
    });
    // A later failure in the same case (here done() throwing) does not hide the earlier refusal.
    const thenThrows = instance.replace('return state.count; }', "if (state.count >= 4) throw new Error('late'); return state.count; }");
    expect((await gradeSource(exercise([counter()]), thenThrows, { mode: 'run', seed: 1 })).tests[0]).toMatchObject({
      errorKind: 'invalid-result',
      message: '`step` returned an instance of Counter (at .state), which cannot be copied out of the sandbox',
    });
    // A refusal deep into a long case (the 101st of 150 calls): the same message.
    const long = counter({ arbitrary: fc.constant(150), numRuns: 1 });
    const late = correct.replace(
      'return { state: { count: state.count + 1 } };',
      'return { state: i === 100 ? new (class Late { count = state.count + 1; })() : { count: state.count + 1 } };',
    );
    expect((await gradeSource(exercise([long]), late, { mode: 'run' })).tests[0]).toMatchObject({
      errorKind: 'invalid-result',
      message: '`step` returned an instance of Late (at .state), which cannot be copied out of the sandbox',
    });
  });

  it('a hidden simulation shows its verdict only: no case, no values, no replay', async () => {
    const wrong = correct.replace('state.count + 1', 'Math.min(state.count + 1, 5)');
    const t = (await gradeSource(exercise([counter({ hidden: true })]), wrong, { mode: 'submit', seed: 7 })).tests[0];
    expect(t).toMatchObject({ status: 'failed', message: 'A hidden test got a wrong answer.' });
    for (const field of ['counterexample', 'expected', 'actual', 'replay'] as const) expect(t[field], field).toBeUndefined();
  });

  it('an export in fns that the module lacks is a missing-export suite error', async () => {
    const report = await gradeSource(exercise([counter()]), correct.replace('export function done', 'function done'), {
      mode: 'run',
      seed: 1,
    });
    expect(report.status).toBe('error');
    expect(report.error).toMatchObject({ kind: 'missing-export' });
    expect(report.error?.message).toContain('`done` is declared but not exported');
  });

  it("a bug in the exercise's run (calling a name outside fns, or throwing) is the exercise's error, not the learner's", async () => {
    const stray = counter({ run: (call) => (call('other', []), undefined) });
    const t = (await gradeSource(exercise([stray]), correct, { mode: 'run', seed: 1 })).tests[0];
    expect(t.status).toBe('error');
    expect(t.message).toMatch(/a bug in the exercise "counts-every-call", not in your code.*`other`, which is not in the test's fns/);
  });
});
