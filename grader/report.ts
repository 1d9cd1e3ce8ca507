/**
 * The one report shape for the site, the CLI and `--json` (ARCHITECTURE.md, "How data flows").
 * A versioned contract: change it deliberately and bump REPORT_VERSION.
 *
 * History: version 1, extended additively with `TestResult.replay` (a failed simulation's case as a
 * scenario): optional, so every version-1 report stays valid and readers that do not know it ignore it.
 */
import type { Scenario } from '../engine/index.ts';

export const REPORT_VERSION = 1 as const;

/**
 * One vocabulary for what went wrong, shared by `GradeReport.error.kind` and `TestResult.errorKind`:
 * - `syntax`: the source did not transpile or compile (with line and column)
 * - `missing-export`: a name the exercise needs is not exported (or is not a function)
 * - `timeout`: a call or the module load ran past its time limit
 * - `memory`: the sandbox ran out of its memory limit
 * - `stack`: recursion went past the stack limit
 * - `runtime`: the learner's code threw
 * - `invalid-result`: a value of the wrong type or shape came back
 */
export type ErrorKind = 'syntax' | 'missing-export' | 'timeout' | 'memory' | 'stack' | 'runtime' | 'invalid-result';

export type TestStatus = 'passed' | 'failed' | 'error' | 'skipped';

export interface TestResult {
  /** stable id from the exercise definition, e.g. `kafka-vectors` */
  id: string;
  /** the test's name in the learner's terms, e.g. `key "21", 6 partitions → partition 0` */
  title: string;
  status: TestStatus;
  /** hidden tests run only on Submit; their inputs are not shown to the learner */
  hidden: boolean;
  /** what went wrong, in Kafka terms; absent when passed */
  message?: string;
  /** set when status is `error` (and for `skipped`, the kind that stopped the run) */
  errorKind?: ErrorKind;
  /** the expected value rendered for display (type-aware: `2` vs `"2"`), truncated */
  expected?: string;
  /** the actual value rendered for display, truncated */
  actual?: string;
  /** for a failed property: the shrunk smallest failing input, rendered one argument per line */
  counterexample?: string;
  /** for a property: the fast-check seed, so the run can be replayed */
  seed?: number;
  /** for a property: how many generated cases ran */
  numRuns?: number;
  /** console output captured during this test, capped */
  console?: string;
  /**
   * for a failed simulation test: the shrunk case as a scenario (the engine's Scenario shape: produce,
   * poll, process, commit with explicit offsets, crash, restart, advanceTime, note steps) that the
   * scenario player replays step by step. Absent for hidden tests.
   */
  replay?: Scenario;
  durationMs: number;
}

export interface GradeReport {
  version: typeof REPORT_VERSION;
  exerciseId: string;
  /** the submission's path (CLI) or a label (site); absent for an anonymous run */
  submission?: string;
  /** `error`: the suite could not run at all; `failed`: it ran and not every test passed */
  status: 'passed' | 'failed' | 'error';
  /** `run` grades the visible tests; `submit` grades all and is what marks a checkpoint passed */
  mode: 'run' | 'submit';
  error?: { kind: ErrorKind; message: string; line?: number; column?: number };
  tests: TestResult[];
  /** console output captured while the module loaded, capped */
  console?: string;
  durationMs: number;
}

/** How many of a report's tests ended in each status; `total` is their sum. */
export interface Tally {
  passed: number;
  failed: number;
  error: number;
  skipped: number;
  total: number;
}

/** Count `tests` by status, e.g. `[passed, skipped]` → `{ passed: 1, failed: 0, error: 0, skipped: 1, total: 2 }`. */
export function tallyTests(tests: readonly TestResult[]): Tally {
  const t: Tally = { passed: 0, failed: 0, error: 0, skipped: 0, total: tests.length };
  for (const test of tests) t[test.status]++;
  return t;
}
