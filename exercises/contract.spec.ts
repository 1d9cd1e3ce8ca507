/**
 * The folder contract's checks, one broken folder per problem: each message names the file and the field,
 * what was received and what was expected. Folders are copies of key-to-partition in a temp dir.
 */
import { afterAll, describe, expect, expectTypeOf, it } from 'vitest';
import * as fc from 'fast-check';
import type { z } from 'zod';
import { DEFAULT_LIMITS, LIMIT_NAMES, type ExerciseDefinition, type Limits } from '../grader/index.ts';
import { cpSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import keyToPartition from './key-to-partition/exercise.ts';
import { checkExerciseFolder, checkLearnerFile, exerciseSchema, sourceShape } from './contract.ts';

const here = dirname(fileURLToPath(import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'contract-spec-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let n = 0;
/** A fresh copy of exercises/key-to-partition named `key-to-partition` inside its own temp parent. */
function copy(): string {
  const dir = join(tmp, String(n++), 'key-to-partition');
  cpSync(join(here, 'key-to-partition'), dir, { recursive: true });
  return dir;
}
const label = 'exercises/key-to-partition';
const check = (dir: string, def: unknown = keyToPartition) => checkExerciseFolder(dir, def, label);

describe('checkExerciseFolder', () => {
  it('accepts key-to-partition as it is', () => {
    expect(check(join(here, 'key-to-partition'))).toEqual([]);
  });

  it('a missing file is named', () => {
    const dir = copy();
    unlinkSync(join(dir, 'types.d.ts'));
    expect(check(dir)).toContain(
      `${label}/types.d.ts: missing; every exercise folder has exercise.ts, starter.ts, solution.ts, types.d.ts, instructions.md and mistakes/`,
    );
  });

  it('a simulation test: its fns must be exports, each export must be called by some test, and its run must be a function', () => {
    const sim = {
      kind: 'simulation',
      id: 'sim',
      title: 'a simulation',
      fns: ['partition', 'other'],
      arbitrary: fc.constant(1),
      numRuns: 1,
      run: () => undefined,
    };
    const problems = check(copy(), { ...keyToPartition, tests: [...keyToPartition.tests, sim] });
    expect(problems).toContain(
      `${label}/exercise.ts: tests[${keyToPartition.tests.length}].fns names "other", expected one of exports (partition)`,
    );
    expect(check(copy(), { ...keyToPartition, tests: [...keyToPartition.tests, { ...sim, fns: ['partition'], run: 'no' }] })).toContain(
      `${label}/exercise.ts: tests[${keyToPartition.tests.length}].run must be a function (received "no")`,
    );
    expect(check(copy(), { ...keyToPartition, tests: [...keyToPartition.tests, { ...sim, fns: ['partition'] }] })).toEqual([]);
  });

  it('an id that differs from the folder name', () => {
    expect(check(copy(), { ...keyToPartition, id: 'key-to-partitions' })).toContain(
      `${label}/exercise.ts: id is "key-to-partitions" but the folder is "key-to-partition"; they must be equal`,
    );
  });

  it('one contract: the schema has exactly the fields of ExerciseDefinition, and its limits exactly those of Limits', () => {
    expectTypeOf<keyof z.infer<typeof exerciseSchema>>().toEqualTypeOf<keyof ExerciseDefinition>();
    expectTypeOf<keyof NonNullable<z.infer<typeof exerciseSchema>['limits']>>().toEqualTypeOf<keyof Limits>();
    expect(Object.keys(exerciseSchema.shape).sort()).toEqual(
      ['id', 'title', 'lesson', 'exports', 'objectives', 'hints', 'mistakes', 'limits', 'tests'].sort(),
    );
    expect([...LIMIT_NAMES].sort()).toEqual([...Object.keys(DEFAULT_LIMITS), 'suiteTimeoutMs'].sort());
  });

  it('every documented limit can be overridden, suiteTimeoutMs included; an unknown one is named', () => {
    expect(check(copy(), { ...keyToPartition, limits: { suiteTimeoutMs: 60_000, callTimeoutMs: 3_000 } })).toEqual([]);
    expect(check(copy(), { ...keyToPartition, limits: { suiteTimeoutMS: 60_000 } }).join('\n')).toMatch(/limits.*suiteTimeoutMS/);
  });

  it('a field of the wrong type says what was expected and received', () => {
    expect(check(copy(), { ...keyToPartition, hints: 'use imul' })).toContain(
      `${label}/exercise.ts: hints: expected array, received "use imul"`,
    );
  });

  it('a test with a duplicate id, an unknown fn, or no visible tests', () => {
    const [first, second] = keyToPartition.tests;
    expect(check(copy(), { ...keyToPartition, tests: [first, { ...second, id: first.id }] })).toContain(
      `${label}/exercise.ts: tests[1].id "${first.id}" is used by an earlier test; ids must be unique`,
    );
    expect(check(copy(), { ...keyToPartition, tests: [{ ...first, fn: 'partitionFor' }, ...keyToPartition.tests.slice(1)] })).toContain(
      `${label}/exercise.ts: tests[0].fn is "partitionFor", expected one of exports (partition)`,
    );
    expect(check(copy(), { ...keyToPartition, tests: keyToPartition.tests.map((t) => ({ ...t, hidden: true })) })).toContain(
      `${label}/exercise.ts: tests are all hidden; "Run" would have nothing to show. Make at least one visible`,
    );
  });

  it('a property without a fast-check arbitrary', () => {
    const tests = keyToPartition.tests.map((t) => (t.kind === 'property' ? { ...t, arbitrary: [1, 2] } : t));
    const index = tests.findIndex((t) => t.kind === 'property');
    expect(check(copy(), { ...keyToPartition, tests })).toContain(
      `${label}/exercise.ts: tests[${index}].arbitrary is not a fast-check Arbitrary (expected fc.tuple(...), fc.record(...), …)`,
    );
  });

  it('a mistake caught by a test that does not exist, or whose file is missing, or a file not listed', () => {
    const mistakes = [{ ...keyToPartition.mistakes[0], caughtBy: 'no-such-test' }, ...keyToPartition.mistakes.slice(1)];
    const problems = check(copy(), { ...keyToPartition, mistakes });
    expect(
      problems.some((p) => p.startsWith(`${label}/exercise.ts: mistakes[0].caughtBy is "no-such-test", expected the id of a test (`)),
    ).toBe(true);

    const dir = copy();
    unlinkSync(join(dir, 'mistakes', 'math-abs.ts'));
    expect(check(dir)).toContain(`${label}/exercise.ts: mistakes[0].file "mistakes/math-abs.ts" does not exist in ${label}/`);

    const extra = copy();
    writeFileSync(
      join(extra, 'mistakes', 'off-by-one.ts'),
      'export function partition(k: Uint8Array, n: number): number {\n  return n;\n}\n',
    );
    expect(check(extra)).toContain(
      `${label}/mistakes/off-by-one.ts: not listed in exercise.ts mistakes; add it with the test that catches it`,
    );
  });

  it('learner files that import, export other names, or lose the starter message', () => {
    const dir = copy();
    writeFileSync(
      join(dir, 'solution.ts'),
      "import { murmur2 } from '../../engine/index.ts';\nexport function partition(k: Uint8Array, n: number) {\n  return murmur2(k) % n;\n}\n",
    );
    writeFileSync(join(dir, 'mistakes', 'math-abs.ts'), 'export function partitionFor(k: Uint8Array, n: number) {\n  return 0;\n}\n');
    writeFileSync(join(dir, 'starter.ts'), 'export function partition(k: Uint8Array, n: number): number {\n  return 0;\n}\n');
    const problems = check(dir);
    expect(problems).toContain(
      `${label}/solution.ts: imports "../../engine/index.ts"; learner code runs in a sandbox and cannot import anything`,
    );
    expect(problems).toContain(`${label}/mistakes/math-abs.ts: does not export partition (exercise.ts exports: partition)`);
    expect(problems).toContain(
      `${label}/mistakes/math-abs.ts: exports partitionFor, which exercise.ts does not list in exports (partition)`,
    );
    expect(problems).toContain(`${label}/starter.ts: each function body should throw new Error('Remove this line and implement <name>()')`);
  });

  it('a types.d.ts that is a module, and TODO(author) markers left behind', () => {
    const dir = copy();
    writeFileSync(join(dir, 'types.d.ts'), 'export type PartitionIndex = number;\n');
    writeFileSync(join(dir, 'instructions.md'), '# Key to partition\n\nTODO(author): the task\n');
    const problems = check(dir);
    expect(problems).toContain(
      `${label}/types.d.ts: has imports or exports, which make it a module whose types the editor will not see; keep it ambient`,
    );
    expect(problems.at(-1)).toBe(`${label}/instructions.md: still has TODO(author) markers (line 3); fill them in`);
  });

  it('a lesson that does not exist under content/lessons', () => {
    const lessonsDir = join(here, '..', 'content', 'lessons');
    expect(checkExerciseFolder(join(here, 'key-to-partition'), keyToPartition, label, { lessonsDir })).toEqual([]);
    expect(checkExerciseFolder(copy(), { ...keyToPartition, lesson: '99-no-such-lesson' }, label, { lessonsDir })).toContain(
      `${label}/exercise.ts: lesson is "99-no-such-lesson", but there is no such lesson (expected content/lessons/99-no-such-lesson.mdx)`,
    );
  });

  it('no default export in exercise.ts', () => {
    expect(checkExerciseFolder(copy(), undefined, label)).toContain(
      `${label}/exercise.ts: has no default export; write \`export default defineExercise({...})\``,
    );
  });
});

describe('sourceShape / checkLearnerFile', () => {
  it('lists exported functions, arrow consts, re-exports, type exports and defaults', () => {
    const shape = sourceShape(
      'x.ts',
      'export function a() {}\nexport const b = () => 1;\nexport const c = 3;\nconst d = () => 0;\nexport { d };\nexport type T = number;\nexport default a;\n',
    );
    expect(shape.exports).toEqual(['a', 'b', 'c', 'd']);
    expect(shape.nonFunctionExports).toEqual(['c']);
    expect(shape.typeExports).toEqual(['T']);
    expect(shape.hasDefaultExport).toBe(true);
  });

  it('reports syntax errors with line:column', () => {
    const problems = checkLearnerFile('exercises/x/solution.ts', 'export function partition() {\n  return 1 +;\n}\n', ['partition']);
    expect(problems[0]).toMatch(/^exercises\/x\/solution\.ts:2:\d+ Expression expected/);
  });

  it('accepts exactly the expected exported functions', () => {
    expect(
      checkLearnerFile('s.ts', 'function helper() { return 1; }\nexport function partition() { return helper(); }\n', ['partition']),
    ).toEqual([]);
  });
});
