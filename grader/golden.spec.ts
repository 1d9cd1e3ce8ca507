/**
 * Golden fixtures: one folder per outcome under grader/fixtures/<name>/ with the learner's `submission.ts`
 * and the report it must produce, `expected.json` (the report minus durations), graded against the
 * test-only exercise in grader/fixtures/fixture-exercise.ts with seed 42 in `submit` mode.
 *
 * The spec only reads fixtures. After a deliberate change of the report, or for a new fixture, write them with
 * `npx tsx grader/fixtures/update-golden.ts [name…]` and review every diff before keeping it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureNames as names, fixturesRoot as root, gradeFixture } from './fixtures/golden.ts';

describe('golden fixtures', () => {
  it('has a fixture for every outcome', () => {
    for (const outcome of ['pass', 'fail', 'syntax', 'missing-export', 'runtime', 'timeout', 'memory', 'stack', 'invalid-result']) {
      expect(
        names.some((n) => n.startsWith(outcome)),
        outcome,
      ).toBe(true);
    }
  });

  for (const name of names) {
    it(name, async () => {
      const actual = await gradeFixture(name);
      const file = join(root, name, 'expected.json');
      expect(
        existsSync(file),
        `grader/fixtures/${name}/expected.json is missing: write it with \`npx tsx grader/fixtures/update-golden.ts ${name}\` and review it`,
      ).toBe(true);
      expect(actual).toEqual(JSON.parse(readFileSync(file, 'utf8')));
    });
  }
});
