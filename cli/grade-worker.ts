/**
 * The CLI's worker thread (part of the CLI entry: the only grader files besides worker.ts that touch Node).
 * Piscina runs `gradeTask` here; one thread grades one submission at a time.
 *
 * Hang protection: before every call into learner code the runner reports the call's deadline into a
 * SharedArrayBuffer the main thread watches (`watch[0]` = epoch ms of the deadline, 0 = idle). Code that
 * never yields to QuickJS's interrupt handler (a regex backtracking for minutes) is stopped by the main
 * thread terminating this thread once the deadline has passed by 1 s.
 */
import { readFile } from 'node:fs/promises';
import { require as tsxRequire } from 'tsx/cjs/api';
import { gradeSource } from '../grader/index.ts';
import type { GradeReport, TestCase } from '../grader/index.ts';
import { getExercise } from '../exercises/index.ts';

export interface GradeTask {
  exerciseId: string;
  /** absolute path of the submission */
  file: string;
  /** the path as the user wrote it, for the report */
  submission: string;
  mode: 'run' | 'submit';
  seed?: number;
  /** absolute path of an instructor's extra-tests module, or undefined */
  extraTests?: string;
  /** Float64Array view target: [deadlineEpochMs] */
  watch: SharedArrayBuffer;
}

const extraCache = new Map<string, TestCase[]>();

/**
 * Loads an instructor's extra tests: a module whose default export (or `tests` export) is a TestCase[].
 * @throws Error naming the file when the module exports no array of tests
 */
export async function loadExtraTests(file: string): Promise<TestCase[]> {
  const cached = extraCache.get(file);
  if (cached) return cached;
  // tsx's API compiles the instructor's TypeScript wherever it lives (outside the project too).
  const mod = tsxRequire(file, import.meta.url) as { default?: unknown; tests?: unknown };
  // A file outside an ES-module package loads as CommonJS: its exports then sit under `default`.
  const cjs = mod.default as { default?: unknown; tests?: unknown } | undefined;
  const tests = [mod.default, mod.tests, cjs?.default, cjs?.tests].find(Array.isArray);
  if (!Array.isArray(tests)) {
    throw new Error(
      `${file}: expected a default export (or an export named "tests") that is an array of tests, got ${Object.keys(mod).join(', ') || 'no exports'}`,
    );
  }
  // Instructor-private tests are hidden from learners unless the author says otherwise.
  const marked = (tests as TestCase[]).map((t) => ({ ...t, hidden: t.hidden ?? true }));
  extraCache.set(file, marked);
  return marked;
}

export default async function gradeTask(task: GradeTask): Promise<GradeReport> {
  const watch = new Float64Array(task.watch);
  const base = getExercise(task.exerciseId);
  if (!base) throw new Error(`unknown exercise ${task.exerciseId}`);
  const exercise = task.extraTests ? { ...base, tests: [...base.tests, ...(await loadExtraTests(task.extraTests))] } : base;
  const source = await readFile(task.file, 'utf8');
  try {
    return await gradeSource(exercise, source, {
      mode: task.mode,
      seed: task.seed,
      submission: task.submission,
      onCallStart: (budgetMs: number) => {
        watch[0] = Date.now() + budgetMs;
      },
      onCallEnd: () => {
        watch[0] = 0;
      },
    });
  } finally {
    watch[0] = 0;
  }
}
