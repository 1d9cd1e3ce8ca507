/**
 * `npm run exercises:verify`: every folder under exercises/ honours the exercise contract (ARCHITECTURE.md, "Where to add…").
 *
 * For each exercise folder:
 *   - it is registered in exercises/index.ts under its own id;
 *   - the folder contract holds (files, metadata, mistakes, exported names), see contract.ts;
 *   - the reference solution passes every test on Submit, and Run grades only the visible tests;
 *   - the starter fails cleanly: the suite runs, every test reports the starter's "Remove this line" throw;
 *   - every mistake fails, and the test named in its `caughtBy` is among the failing ones;
 *   - properties are deterministic under a seed, and a failure's reported seed replays the same counterexample.
 * Grading goes through the real grader (`gradeSource`), the same path the site and the CLI take.
 */
import { describe, expect, it } from 'vitest';
import * as fc from 'fast-check';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gradeSource } from '../grader/index.ts';
import type { ExerciseDefinition, GradeReport, PropertyTest, SimulationTest, TestResult } from '../grader/index.ts';
import { exercises, getExercise } from './index.ts';
import { checkExerciseFolder, checkLearnerFile, STARTER_MESSAGE } from './contract.ts';

const here = dirname(fileURLToPath(import.meta.url));
/** A fixed seed, so a red run here replays exactly. */
const SEED = 20_240_611;

const folders = readdirSync(here)
  .filter((name) => !name.startsWith('.') && !name.startsWith('_') && statSync(join(here, name)).isDirectory())
  .sort();

const notPassed = (t: TestResult) => t.status === 'failed' || t.status === 'error';
const summary = (report: GradeReport) =>
  report.error
    ? [`suite error (${report.error.kind}): ${report.error.message}`]
    : report.tests.filter(notPassed).map((t) => `${t.id}: ${t.status}${t.errorKind ? ` (${t.errorKind})` : ''} ${t.message ?? ''}`.trim());

async function loadDefinition(name: string): Promise<unknown> {
  const mod = (await import(join(here, name, 'exercise.ts'))) as { default?: unknown };
  return mod.default;
}

const read = (name: string, rel: string) => readFileSync(join(here, name, rel), 'utf8');

describe('exercise registry (exercises/index.ts)', () => {
  it('lists exactly the exercise folders, each under its own id', () => {
    expect(Object.keys(exercises).sort()).toEqual(folders);
    for (const [id, def] of Object.entries(exercises)) expect(def.id, `exercises["${id}"]`).toBe(id);
  });

  it('getExercise returns the registered definition, and undefined for unknown or inherited names', () => {
    for (const id of folders) expect(getExercise(id)).toBe(exercises[id]);
    for (const id of ['no-such-exercise', '', 'constructor', '__proto__', 'toString']) expect(getExercise(id), id).toBeUndefined();
  });
});

describe.each(folders)('exercises/%s', (name) => {
  const label = `exercises/${name}`;

  it('is registered in exercises/index.ts', async () => {
    const def = await loadDefinition(name);
    expect(exercises[name], `${label}/ is not in exercises/index.ts; add \`import … from './${name}/exercise.ts'\` and its entry`).toBe(
      def,
    );
  });

  it('honours the folder contract (files, metadata, mistakes, exported names)', async () => {
    const problems = checkExerciseFolder(join(here, name), await loadDefinition(name), label, {
      lessonsDir: join(here, '..', 'content', 'lessons'),
    });
    expect(problems, problems.join('\n')).toEqual([]);
  });

  it('solution, starter and every mistake export exactly the names in `exports`, as functions', () => {
    const def = exercises[name];
    expect(def, `${label} is not registered`).toBeDefined();
    const files = ['solution.ts', 'starter.ts', ...def.mistakes.map((m) => m.file)];
    const problems = files.flatMap((rel) => checkLearnerFile(`${label}/${rel}`, read(name, rel), def.exports));
    expect(problems, problems.join('\n')).toEqual([]);
  });

  // The grading checks need a definition that parses; the contract test above says what is wrong otherwise.
  const def = () => exercises[name] as ExerciseDefinition;

  it('reference solution passes every test on Submit', async () => {
    expect(def().tests.length, `${label}/exercise.ts: tests is empty; add at least one example`).toBeGreaterThan(0);
    const report = await gradeSource(def(), read(name, 'solution.ts'), { mode: 'submit', seed: SEED, submission: `${label}/solution.ts` });
    expect(summary(report), `${label}/solution.ts must pass everything`).toEqual([]);
    expect(report.status).toBe('passed');
    expect(report.tests.map((t) => t.id).sort()).toEqual(
      def()
        .tests.map((t) => t.id)
        .sort(),
    );
  });

  it('Run grades the visible tests only; Submit grades all', async () => {
    const run = await gradeSource(def(), read(name, 'solution.ts'), { mode: 'run', seed: SEED });
    expect(run.mode).toBe('run');
    const graded = run.tests.filter((t) => t.status !== 'skipped');
    expect(graded.map((t) => t.id).sort()).toEqual(
      def()
        .tests.filter((t) => !t.hidden)
        .map((t) => t.id)
        .sort(),
    );
    expect(graded.every((t) => t.status === 'passed')).toBe(true);
  });

  it('starter fails cleanly: every test reports the "Remove this line" runtime error', async () => {
    const report = await gradeSource(def(), read(name, 'starter.ts'), { mode: 'submit', seed: SEED });
    expect(report.error, 'the starter must load and run, not crash the suite').toBeUndefined();
    expect(report.status).toBe('failed');
    expect(report.tests).toHaveLength(def().tests.length);
    for (const t of report.tests) {
      expect(t.status, t.id).toBe('error');
      expect(t.errorKind, t.id).toBe('runtime');
      expect(t.message, t.id).toContain(STARTER_MESSAGE);
    }
  });

  const mistakes = exercises[name]?.mistakes ?? [];
  if (mistakes.length === 0) {
    it('lists at least one mistake', () => {
      expect(
        mistakes,
        `${label}/exercise.ts: mistakes is empty; add at least one plausible mistake and the test that catches it`,
      ).not.toHaveLength(0);
    });
  } else
    describe('mistakes', () => {
      it.each(mistakes.map((m) => [m.file, m.caughtBy, m] as const))('%s fails, caught by %s', async (file, caughtBy) => {
        const report = await gradeSource(def(), read(name, file), { mode: 'submit', seed: SEED, submission: `${label}/${file}` });
        expect(report.status, `${label}/${file} passed every test; it must fail`).not.toBe('passed');
        const failing = summary(report);
        const caught = report.tests.find((t) => t.id === caughtBy);
        expect(caught, `no test "${caughtBy}" in the report`).toBeDefined();
        expect(notPassed(caught!), `${label}/${file} passes "${caughtBy}"; failing instead:\n${failing.join('\n')}`).toBe(true);
      });
    });

  // generated tests: properties, and simulations over more than one case (a simulation with numRuns 1 is a named story)
  const properties = (exercises[name]?.tests ?? []).filter(
    (t): t is PropertyTest | SimulationTest => t.kind === 'property' || (t.kind === 'simulation' && t.numRuns > 1),
  );
  // an exercise may have named examples only; then there is nothing generated to check
  if (properties.length > 0)
    describe('properties', () => {
      it.each(properties.map((p) => [p.id, p] as const))('%s generates the same cases under the same seed', (_id, p) => {
        const sample = (seed: number) => fc.sample(p.arbitrary, { seed, numRuns: 50 });
        expect(sample(SEED)).toEqual(sample(SEED));
        expect(sample(SEED + 1)).toEqual(sample(SEED + 1));
      });

      it('a failing property reports its seed and counterexample, and that seed replays it', async () => {
        const found = await firstFailingProperty(def(), name);
        expect(found, `no mistake in ${label} fails a property; add one that does, so replay can be checked`).toBeDefined();
        const { file, result } = found!;
        expect(result.seed, `${file}: ${result.id} reports no seed`).toEqual(expect.any(Number));
        expect(result.counterexample, `${file}: ${result.id} reports no counterexample`).toEqual(expect.any(String));

        // the same seed twice: the same verdict and counterexample
        const again = await gradeSource(def(), read(name, file), { mode: 'submit', seed: SEED });
        expect(again.tests.find((t) => t.id === result.id)?.counterexample).toBe(result.counterexample);

        // the reported seed, given back: the same counterexample
        const replay = await gradeSource(def(), read(name, file), { mode: 'submit', seed: result.seed });
        const replayed = replay.tests.find((t) => t.id === result.id);
        expect(replayed?.status).toBe(result.status);
        expect(replayed?.seed).toBe(result.seed);
        expect(replayed?.counterexample).toBe(result.counterexample);
      });
    });
});

async function firstFailingProperty(def: ExerciseDefinition, name: string) {
  const propertyIds = new Set(
    def.tests.filter((t) => t.kind === 'property' || (t.kind === 'simulation' && t.numRuns > 1)).map((t) => t.id),
  );
  for (const m of def.mistakes) {
    const report = await gradeSource(def, read(name, m.file), { mode: 'submit', seed: SEED });
    const result = report.tests.find((t) => propertyIds.has(t.id) && t.status === 'failed' && t.counterexample);
    if (result) return { file: m.file, result };
  }
  return undefined;
}
