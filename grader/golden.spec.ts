/**
 * Golden fixtures: one folder per outcome under grader/fixtures/<name>/ with the learner's `submission.ts`
 * and the report it must produce, `expected.json` (the report minus durations), graded against the
 * test-only exercise in grader/fixtures/fixture-exercise.ts with seed 42 in `submit` mode.
 *
 * After a deliberate change of the report, regenerate with `UPDATE_GOLDEN=1 npx vitest run --project unit
 * grader/golden.spec.ts` and review every diff before keeping it.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gradeSource, type GradeReport } from './index.ts';
import { fixtureExercise } from './fixtures/fixture-exercise.ts';

const root = join(import.meta.dirname, 'fixtures');
const names = readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();

/** The report without wall-clock figures, which vary from run to run. */
export function withoutDurations(report: GradeReport): unknown {
  return JSON.parse(JSON.stringify(report, (key, value) => (key === 'durationMs' ? undefined : value)));
}

describe('golden fixtures', () => {
  it('has a fixture for every outcome', () => {
    for (const outcome of ['pass', 'fail', 'syntax', 'missing-export', 'runtime', 'timeout', 'memory', 'stack', 'invalid-result']) {
      expect(names.some((n) => n.startsWith(outcome)), outcome).toBe(true);
    }
  });

  for (const name of names) {
    it(name, async () => {
      const source = readFileSync(join(root, name, 'submission.ts'), 'utf8');
      const report = await gradeSource(fixtureExercise, source, { mode: 'submit', seed: 42, submission: `${name}/submission.ts` });
      const actual = withoutDurations(report);
      const file = join(root, name, 'expected.json');
      if (process.env.UPDATE_GOLDEN || !existsSync(file)) {
        writeFileSync(file, `${JSON.stringify(actual, null, 2)}\n`);
      }
      expect(actual).toEqual(JSON.parse(readFileSync(file, 'utf8')));
    });
  }
});
