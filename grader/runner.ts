/**
 * The test runner: grade one submission of one exercise and produce a GradeReport.
 *
 * Rule: transpile (bounded) → load once to check the exports, in a QuickJS module dedicated to this submission,
 * and snapshot that VM (no test has run in it yet) → every selected test in a fresh VM: the first in the checking
 * session, every later one in the same session restored from the snapshot (grader/README.md, "A fresh VM per
 * test"); after a host-side failure or a memory bomb, a new module, loaded and snapshotted again → compare in the host.
 * `run` grades the visible tests, `submit` all of them.
 *
 * Example: key-to-partition, `submit`, a learner who used Math.abs:
 *   kafka-vectors            passed
 *   same-as-kafka (property) failed  counterexample: key [0x…], 6 partitions   seed 42
 *   → status `failed`
 *
 * Notes:
 * - A timeout or a memory failure costs that limit once: after one, every remaining test is `skipped` (with the
 *   same errorKind).
 * - The whole submission also has a wall-clock budget (`limits.suiteTimeoutMs`).
 * - Pure apart from the QuickJS module cache: safe to call from a Web Worker or a Node worker thread.
 *   It never throws for anything the learner wrote; the exercise's own callbacks (oracle, check, explain,
 *   formatArgs) that throw are reported as a test `error` that names the exercise, not the learner.
 */
import { check as fcCheck, property as fcProperty } from 'fast-check';
import { testFns, type ExampleTest, type ExerciseDefinition, type Plain, type PropertyTest, type TestCase } from './exercise-api.ts';
import { DEFAULT_SUITE_TIMEOUT_MS, resolveLimits, type Limits } from './limits.ts';
import { REPORT_VERSION, type ErrorKind, type GradeReport, type TestResult } from './report.ts';
import { compareValues, render, typeName } from './compare.ts';
import { transpile } from './transpile.ts';
import { runSimulation } from './simulation.ts';
import { acquireModule, releaseModule, resetModule, type DedicatedModule } from './vm-pool.ts';
import {
  openSession,
  sanitize,
  type CallResult,
  type ExportsInfo,
  type LoadResult,
  type SandboxFailure,
  type SandboxSession,
  type SessionOptions,
} from './sandbox.ts';

export interface GradeOptions {
  /** `run`: visible tests only; `submit`: all tests */
  mode: 'run' | 'submit';
  /** fast-check seed for every property; random (and reported) when absent */
  seed?: number;
  /** the submission's path (CLI) or label (site), copied into the report */
  submission?: string;
  /** overrides on top of the exercise's own limits */
  limits?: Partial<Limits>;
  /**
   * called before learner code runs (each module load and each call) with its time budget in ms: a supervisor
   * terminates the worker if no `onCallEnd` follows within the budget + 1 s (hangs QuickJS cannot interrupt)
   */
  onCallStart?: (budgetMs: number) => void;
  /** called when that learner code has returned */
  onCallEnd?: () => void;
}

const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());
const ms = (start: number): number => Math.round((now() - start) * 10) / 10;

/** Kinds after which the sandbox is not trusted to carry on with the same test. */
const FATAL: ReadonlySet<ErrorKind> = new Set(['timeout', 'memory', 'stack']);

/**
 * Grade `source` against `exercise`.
 * @param source the learner's TypeScript file, as typed
 * @param opts mode, seed, label and limit overrides (GradeOptions); limits are exercise's, then `opts.limits`
 * @returns the GradeReport (report.ts), `durationMs` in ms; never rejects for anything in `source`
 */
export async function gradeSource(exercise: ExerciseDefinition, source: string, opts: GradeOptions): Promise<GradeReport> {
  const started = now();
  const limits = resolveLimits({ ...exercise.limits, ...opts.limits });
  const selected = opts.mode === 'run' ? exercise.tests.filter((t) => !t.hidden) : exercise.tests;
  const seed = opts.seed ?? Math.floor(Math.random() * 0x7fffffff) | 0;
  const report: GradeReport = {
    version: REPORT_VERSION,
    exerciseId: exercise.id,
    status: 'passed',
    mode: opts.mode,
    tests: [],
    durationMs: 0,
  };
  if (opts.submission !== undefined) report.submission = opts.submission;

  const finish = (): GradeReport => {
    report.durationMs = ms(started);
    return report;
  };
  const suiteError = (failure: { kind: ErrorKind; message: string; line?: number; column?: number }, why: string): GradeReport => {
    report.status = 'error';
    report.error = { kind: failure.kind, message: failure.message };
    if (failure.line !== undefined) report.error.line = failure.line;
    if (failure.column !== undefined) report.error.column = failure.column;
    report.tests = selected.map((t) => skipped(t, failure.kind, `Not run: ${why}`));
    return finish();
  };

  const transpiled = transpile(source, limits);
  if (!transpiled.ok) return suiteError(transpiled, 'the file has a syntax error.');

  const suiteDeadline = Date.now() + (limits.suiteTimeoutMs ?? DEFAULT_SUITE_TIMEOUT_MS);
  const sessionOptions = { suiteDeadline, onCallStart: opts.onCallStart, onCallEnd: opts.onCallEnd };
  let vm: DedicatedModule | null = await acquireModule();

  // Load once to check that the module loads and exports what the exercise needs, and snapshot that VM (issue 13):
  // no test has run in it yet. The first test runs in it; every later test in the same VM restored from the
  // snapshot (`restore()`), which is as fresh as a new runtime + context with the module loaded again.
  let live: SandboxSession | null = null;
  let liveLoad: LoadResult | null = null;
  {
    const { session, load } = openInModule(vm, transpiled.code, exercise.exports, limits, sessionOptions);
    const moduleConsole = session?.console() ?? '';
    if (moduleConsole) report.console = moduleConsole;
    const missing = load.ok ? explainMissingExports(exercise.exports, load.exports, source) : undefined;
    if (session && !isSpent(session) && load.ok && !missing && selected.length > 0 && session.takeSnapshot(exercise.exports)) {
      live = session;
      liveLoad = load;
    } else vm = retire(session, vm);
    if (!load.ok) {
      finishModule(live, vm);
      return suiteError(withLine(load), load.kind === 'syntax' ? 'the file has a syntax error.' : 'the file could not be loaded.');
    }
    if (missing) {
      finishModule(live, vm);
      return suiteError({ kind: 'missing-export', message: missing }, 'a function the tests call is not exported.');
    }
  }

  let stoppedBy: { title: string; kind: ErrorKind } | null = null;
  let first = true;
  for (const test of selected) {
    if (stoppedBy) {
      const why = stoppedBy.kind === 'timeout' ? 'ran past the time limit' : 'ran out of memory';
      report.tests.push(
        skipped(test, stoppedBy.kind, `Not run: the test "${stoppedBy.title}" ${why}, so the remaining tests were skipped.`),
      );
      continue;
    }
    const testStart = now();
    let session: SandboxSession | null;
    let load: LoadResult;
    if (live && liveLoad && (first || live.restore())) {
      session = live;
      load = liveLoad;
    } else {
      // No snapshot to restore (the last test broke or outgrew the module): a new module, loaded and snapshotted again.
      if (live) vm = retire(live, vm);
      live = null;
      if (vm) releaseModule(vm);
      vm = await acquireModule();
      ({ session, load } = openInModule(vm, transpiled.code, exercise.exports, limits, sessionOptions));
      if (session && load.ok && !isSpent(session) && session.takeSnapshot(exercise.exports)) {
        live = session;
        liveLoad = load;
      }
    }
    first = false;
    const loadConsoleLength = session?.console().length ?? 0;
    let result: TestResult;
    try {
      if (!load.ok) {
        result = errorResult(test, withLine(load));
      } else if (testFns(test).some((fn) => load.exports.found[fn] !== 'function')) {
        const fn = testFns(test).find((f) => load.exports.found[f] !== 'function');
        result = errorResult(test, { ok: false, kind: 'missing-export', message: `\`${fn}\` is not an exported function.` });
      } else if (test.kind === 'simulation') {
        result = runSimulation(test, session!, seed);
      } else if (test.kind === 'example') {
        result = runExample(test, session!);
      } else {
        result = runProperty(test, session!, seed);
      }
      const testConsole = session?.console().slice(loadConsoleLength) ?? '';
      if (testConsole) result.console = testConsole;
    } finally {
      // A spent session (broken host side, memory grown past the limit) takes its module with it; a session that
      // is not the snapshotted one is disposed as before.
      if (isSpent(session)) {
        if (session === live) live = null;
        vm = retire(session, vm);
      } else if (session !== live) vm = retire(session, vm);
    }
    result.durationMs = ms(testStart);
    if (test.hidden) hideDetails(result);
    report.tests.push(result);
    // A submission that hits the time or memory limit costs that limit once, not once per test.
    if (result.errorKind === 'timeout' || result.errorKind === 'memory') stoppedBy = { title: test.title, kind: result.errorKind };
  }
  finishModule(live, vm);

  report.status = report.tests.every((t) => t.status === 'passed') ? 'passed' : 'failed';
  return finish();
}

/** A session that could not start, whose host side failed, or that grew the WASM memory past the limit. */
function isSpent(session: SandboxSession | null): boolean {
  return !session || session.broken || session.oversized;
}

/**
 * A session holding `js` in `vm`: the module's template reset to its base (the prelude installed, nothing of the
 * last submission: SandboxSession.resetToBase) when it has one, else a new runtime + context + prelude whose base
 * is kept for the next submission.
 */
function openInModule(
  vm: DedicatedModule,
  js: string,
  exportNames: string[],
  limits: Limits,
  options: SessionOptions,
): { session: SandboxSession | null; load: LoadResult } {
  const template = vm.template;
  vm.template = null;
  if (template?.resetToBase(limits, options)) return { session: template, load: template.loadModule(js, exportNames) };
  if (template) {
    // Set up for other limits (or broken): no runtime may stay behind in the module.
    template.dispose();
    if (!template.broken) resetModule(vm);
  }
  return openSession(vm.quickjs, js, exportNames, limits, options, true);
}

/**
 * Done with `session`: when it was spent (isSpent), it is disposed and its module dropped (its memory goes back to
 * the system); when it can start the next submission from its base, it stays alive as the module's template; else
 * it is disposed.
 * @returns the module for the next session: `vm` itself, or null when a new one must be acquired
 */
function retire(session: SandboxSession | null, vm: DedicatedModule | null): DedicatedModule | null {
  const spent = isSpent(session);
  if (!spent && vm && session?.reusable) {
    vm.template = session;
    return vm;
  }
  session?.dispose();
  return spent || session?.broken ? null : vm; // a disposal that failed marks the session broken: drop the module too
}

/**
 * At the end of a submission: keep the snapshotted session as the module's template (or put it back as it was and
 * dispose it) and give the module back.
 */
function finishModule(live: SandboxSession | null, vm: DedicatedModule | null): void {
  if (live && vm && live.reusable) {
    vm.template = live;
    releaseModule(vm);
    return;
  }
  if (live) {
    // A session that cannot be restored cannot be disposed safely: its module is dropped whole.
    if (!live.restore()) return;
    live.dispose();
    if (live.broken) return;
  }
  if (vm) releaseModule(vm);
}

function withLine(f: SandboxFailure): SandboxFailure {
  return f.line !== undefined && !/^Line \d+: /.test(f.message) && f.kind !== 'syntax'
    ? { ...f, message: `Line ${f.line}: ${f.message}` }
    : f;
}

function base(test: TestCase): TestResult {
  return { id: test.id, title: test.title, status: 'passed', hidden: test.hidden === true, durationMs: 0 };
}

function skipped(test: TestCase, kind: ErrorKind, message: string): TestResult {
  return { ...base(test), status: 'skipped', errorKind: kind, message };
}

function errorResult(test: TestCase, failure: SandboxFailure): TestResult {
  return { ...base(test), status: 'error', errorKind: failure.kind, message: failure.message };
}

/** An exception from the exercise's own code (oracle, check, explain): not the learner's fault. */
function authorError(test: TestCase, what: string, error: unknown): TestResult {
  const text = error instanceof Error ? error.message : String(error);
  return {
    ...base(test),
    status: 'error',
    errorKind: 'runtime',
    message: `The test itself failed (a bug in the exercise "${test.id}", not in your code): ${what} threw ${sanitize(text, 200)}`,
  };
}

function callFailureResult(test: TestCase, failure: SandboxFailure, expected: Plain | undefined): TestResult {
  const result = errorResult(test, withLine(failure));
  if (expected !== undefined) result.expected = display(test, expected);
  if (failure.kind === 'invalid-result') {
    result.actual = failure.message;
    const hint = failure.message === 'a Promise' ? ' (return the value itself: is the function declared `async`?)' : '';
    result.message = `expected ${expected === undefined ? 'a plain value' : typeName(expected)}, got ${failure.message}${hint}`;
  }
  return result;
}

/** The exercise's `explain` text, or undefined when there is none, it is empty or `explain` threw. */
function safeExplain(fn: (() => string | undefined) | undefined): string | undefined {
  return (fn && safeFormat(fn)) || undefined;
}

function runExample(test: ExampleTest, session: SandboxSession): TestResult {
  const outcome = session.call(test.fn, test.args);
  if (!outcome.ok) return callFailureResult(test, outcome, test.expected);
  const verdict = compareValues(test.expected, outcome.value);
  const result = base(test);
  if (verdict.equal) return result;
  result.expected = display(test, test.expected);
  result.actual = display(test, outcome.value);
  if (verdict.kind === 'type') {
    return { ...result, status: 'error', errorKind: 'invalid-result', message: verdict.message };
  }
  const explained = safeExplain(test.explain && (() => test.explain!(outcome.value, test.expected, test.args)));
  return { ...result, status: 'failed', message: explained ?? verdict.message };
}

interface PropertyFailure {
  args: Plain[];
  expected?: Plain;
  outcome: CallResult;
  /** set when the verdict came from `check` or compare */
  message?: string;
  kind?: 'type' | 'mismatch' | 'check';
}

function runProperty(test: PropertyTest, session: SandboxSession, seed: number): TestResult {
  // Written by the predicate (a closure), read after fc.check: kept in one object so TypeScript sees the writes.
  const state: { fatal: PropertyFailure | null; last: PropertyFailure | null; oracleError: { what: string; error: unknown } | null } = {
    fatal: null,
    last: null,
    oracleError: null,
  };

  const predicate = (args: Plain[]): boolean => {
    if (state.fatal || state.oracleError) return true; // stop: no shrinking after a timeout / memory / stack failure
    let expected: Plain | undefined;
    if (!test.check) {
      try {
        expected = test.expected(...args);
      } catch (error) {
        state.oracleError = { what: 'the oracle `expected`', error };
        return true;
      }
    }
    const outcome = session.call(test.fn, args);
    if (!outcome.ok) {
      state.last = { args, expected, outcome };
      if (FATAL.has(outcome.kind) || session.broken) state.fatal = state.last;
      return false;
    }
    if (test.check) {
      let message: string | undefined;
      try {
        message = test.check(outcome.value, args);
      } catch (error) {
        state.oracleError = { what: "the test's `check`", error };
        return true;
      }
      if (message === undefined) return true;
      state.last = { args, outcome, message: String(message), kind: 'check' };
      return false;
    }
    const verdict = compareValues(expected as Plain, outcome.value);
    if (verdict.equal) return true;
    state.last = { args, expected, outcome, message: verdict.message, kind: verdict.kind };
    return false;
  };

  let details;
  try {
    details = fcCheck(fcProperty(test.arbitrary, predicate), { seed, numRuns: test.numRuns });
  } catch (error) {
    return authorError(test, 'fast-check', error);
  }
  if (state.oracleError) return authorError(test, state.oracleError.what, state.oracleError.error);
  const result: TestResult = { ...base(test), seed, numRuns: details.numRuns };
  if (!details.failed) return result;

  const failure: PropertyFailure | null = state.fatal ?? state.last;
  if (!failure) {
    // fast-check failed for a reason of its own (e.g. the arbitrary threw)
    const error = details.errorInstance;
    return { ...authorError(test, 'the arbitrary', error), seed, numRuns: details.numRuns };
  }
  const args = failure.args;
  const formatted = test.formatArgs ? safeFormat(() => test.formatArgs!(args)) : undefined;
  result.counterexample = formatted ?? args.map((a: Plain) => render(a)).join('\n');
  if (failure.expected !== undefined) result.expected = display(test, failure.expected);
  else if (test.check) {
    try {
      result.expected = display(test, test.expected(...args));
    } catch {
      /* expected is optional for display */
    }
  }
  if (!failure.outcome.ok) {
    const f = callFailureResult(test, failure.outcome, failure.expected);
    return {
      ...result,
      status: 'error',
      errorKind: f.errorKind,
      message: f.message,
      ...(f.actual !== undefined ? { actual: f.actual } : {}),
    };
  }
  const actual = failure.outcome.value;
  result.actual = display(test, actual);
  if (failure.kind === 'type') return { ...result, status: 'error', errorKind: 'invalid-result', message: failure.message };
  const expectedForExplain = failure.expected ?? null;
  const explained = safeExplain(test.explain && (() => test.explain!(actual, expectedForExplain, args)));
  return { ...result, status: 'failed', message: explained ?? failure.message };
}

/** Run an exercise callback that renders text: its string, or undefined when it returned none or threw. */
function safeFormat(fn: () => string | undefined): string | undefined {
  try {
    const s = fn();
    return typeof s === 'string' ? s : undefined;
  } catch {
    return undefined;
  }
}

/** The most characters of an exercise's own `formatResult` rendering shown in a report. */
const MAX_FORMATTED_RESULT_CHARS = 1000;

/**
 * `expected` / `actual` for the report: the exercise's `formatResult` when it recognises the value (capped),
 * else the grader's type-aware `render`.
 */
function display(test: TestCase, value: unknown): string {
  const format = test.kind === 'simulation' ? undefined : test.formatResult;
  const formatted = format ? safeFormat(() => format(value)) : undefined;
  if (formatted === undefined) return render(value);
  return formatted.length > MAX_FORMATTED_RESULT_CHARS ? `${formatted.slice(0, MAX_FORMATTED_RESULT_CHARS)}…` : formatted;
}

/** Hidden tests show their verdict, never their inputs or values. */
function hideDetails(result: TestResult): void {
  delete result.expected;
  delete result.actual;
  delete result.counterexample;
  delete result.replay;
  if (result.status === 'failed') result.message = 'A hidden test got a wrong answer.';
}

function editDistance(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0];
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j];
      dp[j] = Math.min(dp[j] + 1, dp[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length];
}

/**
 * Explain, in the learner's terms, why required exports are missing; undefined when all are there.
 * Covers: misspelled or renamed exports, a default export, CommonJS `module.exports`, declared but not
 * exported, exported but not a function.
 */
export function explainMissingExports(names: string[], info: ExportsInfo, source: string): string | undefined {
  const problems: string[] = [];
  const others = info.other.filter((k) => !names.includes(k));
  if (info.moduleExportsReplaced) {
    const list = names.map((n) => `\`export function ${n}(…)\``).join(', ');
    return `The file assigns \`module.exports\` (CommonJS); the tests call ES module exports. Write ${list} instead.`;
  }
  for (const name of names) {
    const found = info.found[name];
    if (found === 'function') continue;
    const want = `expected an exported function \`${name}\``;
    if (found !== undefined) {
      problems.push(`${want}, but \`${name}\` is ${found}.`);
      continue;
    }
    const close = others.find((k) => k.toLowerCase() === name.toLowerCase() || editDistance(k, name) <= 2);
    if (close) {
      problems.push(`${want}, found \`${close}\`. Check the spelling: the name must be exactly \`${name}\`.`);
      continue;
    }
    if (info.defaultExport) {
      const what =
        info.defaultExport.kind === 'function'
          ? `a default export (\`export default function${info.defaultExport.name ? ` ${info.defaultExport.name}` : ''}\`)`
          : 'a default export';
      problems.push(`${want}; the file has ${what}. The tests call a named export: write \`export function ${name}(…)\`.`);
      continue;
    }
    const escaped = name.replace(/[$]/g, '\\$');
    if (new RegExp(`\\b(function\\s*\\*?\\s*${escaped}\\b|(const|let|var|class)\\s+${escaped}\\b)`).test(source)) {
      problems.push(`${want}; \`${name}\` is declared but not exported. Add \`export\` in front of it.`);
      continue;
    }
    problems.push(`${want}; the file exports ${others.length ? others.map((k) => `\`${k}\``).join(', ') : 'no functions'}.`);
  }
  if (problems.length === 0) return undefined;
  return problems.map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join(' ');
}
