/**
 * The grader's public surface (ARCHITECTURE.md, "How data flows"). Other modules import only from here.
 *
 * - `gradeSource(exercise, source, { mode, seed?, submission?, limits? })` → Promise<GradeReport>
 * - `formatReportText(report)` → the plain-text rendering the CLI prints
 * - the exercise test API (`defineExercise` and its types), the report types (and `tallyTests`), the limits
 *
 * Everything reachable from here is environment-free. The entry files that touch an environment live with
 * their users, so the grader never imports the exercise registry: the Web Worker is
 * `site/workers/grader-worker.ts`, the Node CLI `cli/grade.ts` (worker threads: `cli/grade-worker.ts`).
 */
export { gradeSource, type GradeOptions } from './runner.ts';
export { defineExercise, SimulationCallError, testFns } from './exercise-api.ts';
export type {
  Plain,
  ExampleTest,
  PropertyTest,
  SimulationTest,
  SimulationCall,
  SimulationVerdict,
  TestCase,
  Mistake,
  ExerciseDefinition,
  FormatResult,
} from './exercise-api.ts';
export { REPORT_VERSION, tallyTests } from './report.ts';
export type { ErrorKind, TestStatus, TestResult, GradeReport, Tally } from './report.ts';
export { DEFAULT_LIMITS, DEFAULT_SUITE_TIMEOUT_MS, LIMIT_NAMES, resolveLimits } from './limits.ts';
export type { Limits } from './limits.ts';
export { compareValues, render as renderValue } from './compare.ts';
export { formatReportText } from './report-text.ts';
/** Instantiate the QuickJS module the next submission is graded in (a Web Worker's warm-up). */
export { prepareModule as prepareGrader } from './vm-pool.ts';
/** The snapshot path's parts, for `bench/quickjs-snapshot.bench.ts` (what the runner does per test). */
export { acquireModule, releaseModule } from './vm-pool.ts';
export { openSession } from './sandbox.ts';
export { handleGradeRequest, type GradeRequest, type WorkerInbound, type WorkerOutbound } from './worker-protocol.ts';
/** The in-VM prelude's source, for `bench/quickjs-snapshot.bench.ts` (what a fresh VM per test compiles). */
export { PRELUDE } from './sandbox-prelude.ts';
