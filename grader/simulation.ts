/**
 * Simulation tests (`kind: 'simulation'`, exercise-api.ts): many calls into the learner's module per case.
 *
 * Rule: for each case fast-check draws, the exercise's `run(call, args)` drives a simulation in the host
 * and calls the learner's exports through `call` (copies in, copies out, one sandbox session for the whole
 * test, like a property's cases). `run` returns a verdict (the first anomaly) or undefined. A failing case
 * is shrunk; the report carries the shrunk case (`formatArgs`), the verdict's message, expected / actual,
 * the seed (not for a named story: `numRuns` 1, one fixed case), and the verdict's `replay` scenario. A failed call (the learner threw, a limit, a value that
 * cannot be copied) ends the case as the test's error, with the export's name; after a timeout, memory or
 * stack failure the test stops at once (no shrinking into more of them).
 *
 * Example: commit-logic, a learner who commits in onBatch:
 *   consumer-crash-any-step  failed  C0 committed t0p0 → 3 in onBatch, before the batch was processed: …
 *   counterexample: t0: [3] · C0 · schedule: 1. C0 polls      seed 42      replay: 9 steps
 *
 * Note: the learner's module keeps its top-level variables between the calls of one test (one session);
 * exercises should pass everything a decision needs as arguments (a reducer: state in, state out).
 */
import { check as fcCheck, property as fcProperty } from 'fast-check';
import { SimulationCallError, type SimulationCall, type SimulationTest, type SimulationVerdict } from './exercise-api.ts';
import type { ErrorKind } from './report.ts';
import type { TestResult } from './report.ts';
import { render } from './compare.ts';
import { sanitize, type SandboxSession } from './sandbox.ts';

/** Kinds after which the sandbox is not trusted to carry on with the same test. */
const FATAL: ReadonlySet<ErrorKind> = new Set(['timeout', 'memory', 'stack']);

interface CaseFailure {
  args: unknown;
  verdict?: SimulationVerdict;
  call?: SimulationCallError;
}

function base(test: SimulationTest): TestResult {
  return { id: test.id, title: test.title, status: 'passed', hidden: test.hidden === true, durationMs: 0 };
}

function authorError(test: SimulationTest, what: string, error: unknown): TestResult {
  const text = error instanceof Error ? error.message : String(error);
  return {
    ...base(test),
    status: 'error',
    errorKind: 'runtime',
    message: `The test itself failed (a bug in the exercise "${test.id}", not in your code): ${what} threw ${sanitize(text, 200)}`,
  };
}

/** `Line 3: …` in front of a failure's message (unless it has one, or is a syntax error) */
function withLine(f: SimulationCallError['failure']): string {
  return f.line !== undefined && !/^Line \d+: /.test(f.message) && f.kind !== 'syntax' ? `Line ${f.line}: ${f.message}` : f.message;
}

/**
 * Grade one simulation test in `session` (the learner's module is loaded in it).
 * @param seed the fast-check seed (reported; the same seed replays the same cases)
 */
export function runSimulation(test: SimulationTest, session: SandboxSession, seed: number): TestResult {
  // Written by the predicate (a closure), read after fc.check.
  const state: { fatal: CaseFailure | null; last: CaseFailure | null; author: { what: string; error: unknown } | null } = {
    fatal: null,
    last: null,
    author: null,
  };
  const allowed = new Set(test.fns);

  const call: SimulationCall = (fn, args) => {
    if (!allowed.has(fn)) throw new Error(`run() called \`${fn}\`, which is not in the test's fns (${test.fns.join(', ')})`);
    const outcome = session.call(fn, args);
    if (!outcome.ok) throw new SimulationCallError(fn, outcome);
    return outcome.value;
  };

  const predicate = (args: unknown): boolean => {
    if (state.fatal || state.author) return true; // stop: no shrinking after a limit, or after the exercise broke
    let verdict: SimulationVerdict | undefined;
    try {
      verdict = test.run(call, args);
    } catch (error) {
      if (error instanceof SimulationCallError) {
        state.last = { args, call: error };
        if (FATAL.has(error.failure.kind) || session.broken) state.fatal = state.last;
        return false;
      }
      state.author = { what: 'the simulation (`run`)', error };
      return true;
    }
    if (verdict === undefined) return true;
    state.last = { args, verdict };
    return false;
  };

  let details;
  try {
    details = fcCheck(fcProperty(test.arbitrary, predicate), { seed, numRuns: test.numRuns });
  } catch (error) {
    return authorError(test, 'fast-check', error);
  }
  // a named story (numRuns 1: one fixed case) has no seed or case count to report
  const generated = test.numRuns > 1 ? { seed, numRuns: details.numRuns } : {};
  if (state.author) return { ...authorError(test, state.author.what, state.author.error), ...generated };
  const result: TestResult = { ...base(test), ...generated };
  if (!details.failed) return result;

  const failure = state.fatal ?? state.last;
  if (!failure) return { ...authorError(test, 'the arbitrary', details.errorInstance), ...generated };
  let formatted: string | undefined;
  try {
    formatted = test.formatArgs ? test.formatArgs(failure.args) : undefined;
  } catch {
    formatted = undefined;
  }
  result.counterexample = typeof formatted === 'string' ? formatted : render(failure.args);

  if (failure.call) {
    const f = failure.call.failure;
    const message =
      f.kind === 'invalid-result' ? `\`${failure.call.fn}\` returned ${f.message}, which cannot be copied out of the sandbox` : withLine(f);
    return {
      ...result,
      status: 'error',
      errorKind: f.kind,
      message: f.kind === 'invalid-result' ? message : `In \`${failure.call.fn}\`: ${message}`,
    };
  }
  const v = failure.verdict!;
  if (v.expected !== undefined) result.expected = v.expected;
  if (v.actual !== undefined) result.actual = v.actual;
  if (v.replay !== undefined) result.replay = v.replay;
  if (v.errorKind === 'invalid-result') return { ...result, status: 'error', errorKind: 'invalid-result', message: v.message };
  return { ...result, status: 'failed', message: v.message };
}
