/**
 * The test API exercises are written against (exercises → grader's test API → engine).
 * An exercise is plain data plus host-side oracles; the grader calls the learner's exports in the
 * sandbox with copied inputs and compares the copied outputs here, in the host, against `expected`,
 * which an exercise always computes with the engine — never typed by hand.
 */
import type * as fc from 'fast-check';
import type { Scenario } from '../engine/index.ts';
import type { Limits } from './limits.ts';
import type { ErrorKind } from './report.ts';

/** Values that cross the sandbox boundary (copied both ways). */
export type Plain = null | boolean | number | string | Uint8Array | Plain[] | { [key: string]: Plain };

interface TestBase {
  /** stable, kebab-case, unique within the exercise; named in mistakes' `caughtBy` */
  id: string;
  /** shown to the learner, in the lesson's notation: `key "21", 6 partitions` */
  title: string;
  /** hidden tests run only on Submit; the learner sees their verdict but not their input */
  hidden?: boolean;
  /** which export to call */
  fn: string;
}

/**
 * Renders a result (the engine's `expected`, or the learner's `actual`, which may have any shape) for the
 * report, e.g. an assignment as `C0: [t0p0, t0p1]  C1: [t0p2]`. Return undefined for a value it does not
 * recognise; the grader then falls back to its type-aware rendering. Output is capped by the grader.
 */
export type FormatResult = (value: unknown) => string | undefined;

/** A named example: one call, one engine-computed answer. */
export interface ExampleTest extends TestBase {
  kind: 'example';
  args: Plain[];
  /** computed by the engine when the exercise module is loaded */
  expected: Plain;
  /** optional: one line on the rule broken, in Kafka terms, when `actual` is wrong */
  explain?: (actual: unknown, expected: Plain, args: Plain[]) => string | undefined;
  /** optional: render `expected` and `actual` in the lesson's notation (see {@link FormatResult}) */
  formatResult?: FormatResult;
}

/** A generated property: many calls on fast-check inputs; failures are shrunk. */
export interface PropertyTest<A extends Plain[] = Plain[]> extends TestBase {
  kind: 'property';
  arbitrary: fc.Arbitrary<A>;
  /** how many generated cases per run (the issue asks ≥ 200 for key-to-partition) */
  numRuns: number;
  /** the oracle: the engine's answer for these args */
  expected: (...args: A) => Plain;
  /**
   * optional: a custom verdict instead of type-strict equality with `expected(...args)`;
   * return undefined when `actual` is acceptable, else the message shown to the learner.
   */
  check?: (actual: unknown, args: A) => string | undefined;
  /** render the arguments for a counterexample, one per line, in the lesson's notation */
  formatArgs?: (args: A) => string;
  /** optional: one line on the rule broken, in Kafka terms */
  explain?: (actual: unknown, expected: Plain, args: A) => string | undefined;
  /** optional: render `expected` and `actual` in the lesson's notation (see {@link FormatResult}) */
  formatResult?: FormatResult;
}

/**
 * Invokes one of the learner's exports in the sandbox with copies of `args` and returns a copy of its
 * result. When the call fails (the learner's code threw, ran out of time, memory or stack, or returned
 * something that cannot be copied), it throws a {@link SimulationCallError}: let it propagate, the grader
 * reports it as the test's error.
 */
export type SimulationCall = (fn: string, args: Plain[]) => unknown;

/** Thrown by a {@link SimulationCall} when the call into the learner's code failed. */
export class SimulationCallError extends Error {
  constructor(
    /** the export that was called */
    readonly fn: string,
    readonly failure: { kind: ErrorKind; message: string; line?: number; column?: number },
  ) {
    super(`${fn}: ${failure.message}`);
    this.name = 'SimulationCallError';
  }
}

/** What a simulation test found wrong in one case; `run` returns undefined when the case passes. */
export interface SimulationVerdict {
  /** the anomaly in Kafka's terms: `lost record t0p1@5: C0 committed 6 before processing it, then crashed` */
  message: string;
  /** `invalid-result` when a value of the wrong shape came back (the test is an `error`); else the test `failed` */
  errorKind?: 'invalid-result';
  /** what the reference would have done, in the lesson's notation */
  expected?: string;
  /** what the learner's code did */
  actual?: string;
  /** the case replayed as a scenario the scenario player can show step by step */
  replay?: Scenario;
}

/**
 * A simulation: for each generated case, the host drives a simulation (the engine's) and calls several
 * of the learner's exports at its decision points through `call`, then checks what happened. Failing
 * cases are shrunk like a property's, and the report carries the shrunk case, its verdict and replay.
 */
export interface SimulationTest<A = any> extends Omit<TestBase, 'fn'> {
  kind: 'simulation';
  /** the exports the simulation calls (each must be exported; `call` refuses any other name) */
  fns: string[];
  arbitrary: fc.Arbitrary<A>;
  /** how many generated cases per run (1 for a named story: `fc.constant(schedule)`) */
  numRuns: number;
  /**
   * Run one case: drive the simulation, calling the learner through `call`.
   * @returns undefined when every guarantee held, else the verdict (the first anomaly)
   */
  run: (call: SimulationCall, args: A) => SimulationVerdict | undefined;
  /** render a case (the shrunk counterexample) in the lesson's notation */
  formatArgs?: (args: A) => string;
}

export type TestCase = ExampleTest | PropertyTest<any> | SimulationTest<any>;

/** The exports a test calls: its `fn`, or a simulation's `fns`. */
export function testFns(test: TestCase): string[] {
  return test.kind === 'simulation' ? test.fns : [test.fn];
}

/** A plausible mistake shipped with the exercise: it must fail, caught by the named test. */
export interface Mistake {
  /** path relative to the exercise folder, e.g. `mistakes/math-abs.ts` */
  file: string;
  /** one line, in the learner's terms */
  description: string;
  /** the id of a test that must fail (or error) for this mistake */
  caughtBy: string;
}

export interface ExerciseDefinition {
  /** kebab-case, equal to the folder name under exercises/ */
  id: string;
  title: string;
  /** the lesson this checkpoint belongs to: its content-collection id, e.g. `01-keys-and-partitions` */
  lesson: string;
  /** names the learner's module must export (functions) */
  exports: string[];
  /** what the learner will be able to do, one sentence each */
  objectives: string[];
  /** markdown, shown one at a time on request, in order */
  hints: string[];
  mistakes: Mistake[];
  /** overrides of DEFAULT_LIMITS for this exercise */
  limits?: Partial<Limits>;
  tests: TestCase[];
}

/** Identity helper that type-checks an exercise definition. */
export function defineExercise(def: ExerciseDefinition): ExerciseDefinition {
  return def;
}
