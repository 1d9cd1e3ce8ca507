/**
 * `npm run new:exercise -- <id>`: the scaffold creates the whole folder contract, stays red (with clear,
 * per-file messages) until filled in, and is accepted — contract and grading — once it is.
 * Folders are created in a temporary `exercises/.scaffold-test-*` directory (dot folders are not exercises;
 * being inside the repo lets them resolve fast-check and the engine) and removed afterwards.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gradeSource } from '../grader/index.ts';
import type { ExerciseDefinition } from '../grader/index.ts';
import { checkExerciseFolder, REQUIRED_FILES } from './contract.ts';
import { importName, main, scaffoldExercise, ScaffoldError } from './scaffold.ts';

const here = dirname(fileURLToPath(import.meta.url));
const tmpRoot = mkdtempSync(join(here, '.scaffold-test-'));
afterAll(() => rmSync(tmpRoot, { recursive: true, force: true }));

const load = async (dir: string) => ((await import(join(dir, 'exercise.ts'))) as { default: ExerciseDefinition }).default;

describe('scaffoldExercise', () => {
  it('creates every file of the folder contract, with the id, export and starter message filled in', () => {
    const { dir, files } = scaffoldExercise({ id: 'sticky-demo', fn: 'assign', root: tmpRoot });
    for (const f of REQUIRED_FILES) expect(files).toContain(f);
    expect(files.some((f) => f.startsWith('mistakes/'))).toBe(true);
    for (const f of files) expect(existsSync(join(dir, f)), f).toBe(true);
    expect(readFileSync(join(dir, 'starter.ts'), 'utf8')).toContain("throw new Error('Remove this line and implement assign()')");
    expect(readFileSync(join(dir, 'exercise.ts'), 'utf8')).toContain("exports: ['assign']");
  });

  it('a fresh scaffold fails verification, naming the file and field of each thing left to write', async () => {
    const { dir } = scaffoldExercise({ id: 'fresh-demo', root: tmpRoot });
    const problems = checkExerciseFolder(dir, await load(dir), 'exercises/fresh-demo');
    expect(problems).toEqual(
      expect.arrayContaining([
        'exercises/fresh-demo/exercise.ts: tests is empty; add at least one example',
        'exercises/fresh-demo/exercise.ts: objectives is empty; add at least one learning objective',
        'exercises/fresh-demo/exercise.ts: hints is empty; add at least one hint (gentle first, explicit last)',
        'exercises/fresh-demo/exercise.ts: mistakes is empty; add at least one plausible mistake (mistakes/<name>.ts) and the test that catches it',
        `exercises/fresh-demo/exercise.ts: lesson must be the lesson's content id in kebab-case, e.g. "01-keys-and-partitions" (received "TODO(author)")`,
      ]),
    );
    expect(problems.some((p) => p.startsWith('exercises/fresh-demo/instructions.md: still has TODO(author) markers'))).toBe(true);
  });

  it('rejects an invalid id and an existing folder, writing nothing', () => {
    const before = readdirSync(tmpRoot).sort();
    for (const id of ['Bad_Id', 'has space', '-leading', 'trailing-', 'double--dash', '../escape', '']) {
      expect(() => scaffoldExercise({ id, root: tmpRoot }), id).toThrow(ScaffoldError);
    }
    expect(readdirSync(tmpRoot).sort()).toEqual(before);
    scaffoldExercise({ id: 'taken', root: tmpRoot });
    expect(() => scaffoldExercise({ id: 'taken', root: tmpRoot })).toThrow(/taken\/ already exists/);
  });

  it('registers the exercise above the registry markers, as a static import', async () => {
    const registry = join(tmpRoot, 'registry.ts');
    writeFileSync(
      registry,
      [
        "import type { ExerciseDefinition } from '../../grader/index.ts';",
        '// new:exercise imports (keep this marker)',
        'export const exercises: Record<string, ExerciseDefinition> = {',
        '  // new:exercise entries (keep this marker)',
        '};',
        '',
      ].join('\n'),
    );
    scaffoldExercise({ id: 'round-robin-demo', root: tmpRoot, registry });
    const text = readFileSync(registry, 'utf8');
    expect(text).toContain("import roundRobinDemo from './round-robin-demo/exercise.ts';\n// new:exercise imports (keep this marker)");
    expect(text).toContain('  [roundRobinDemo.id]: roundRobinDemo,\n  // new:exercise entries (keep this marker)');
    const mod = (await import(registry)) as { exercises: Record<string, ExerciseDefinition> };
    expect(mod.exercises['round-robin-demo']?.id).toBe('round-robin-demo');
  });

  it('refuses a registry without markers before creating anything', () => {
    const registry = join(tmpRoot, 'no-markers.ts');
    writeFileSync(registry, 'export const exercises = {};\n');
    expect(() => scaffoldExercise({ id: 'unmarked', root: tmpRoot, registry })).toThrow(/lacks the markers/);
    expect(existsSync(join(tmpRoot, 'unmarked'))).toBe(false);
  });

  it('import names are identifiers', () => {
    expect(importName('key-to-partition')).toBe('keyToPartition');
    expect(importName('2-phase-commit')).toBe('exercise2PhaseCommit');
  });
});

describe('filled in, the scaffold passes verification: contract and grading', () => {
  it('a filled-in toPositive checkpoint honours the contract; reference passes, starter and mistake fail', async () => {
    const { dir } = scaffoldExercise({
      id: 'to-positive-demo',
      fn: 'toPositive',
      lesson: '01-keys-and-partitions',
      title: 'toPositive',
      root: tmpRoot,
    });
    const engine = join(here, '..', 'engine', 'index.ts');
    const api = join(here, '..', 'grader', 'index.ts');
    writeFileSync(
      join(dir, 'exercise.ts'),
      `import * as fc from 'fast-check';
import { toPositive } from '${engine}';
import { defineExercise } from '${api}';

export default defineExercise({
  id: 'to-positive-demo',
  title: 'toPositive',
  lesson: '01-keys-and-partitions',
  exports: ['toPositive'],
  objectives: ['Clear the sign bit of a 32-bit hash, as Kafka does.'],
  hints: ['Use \`n & 0x7fffffff\`.'],
  mistakes: [{ file: 'mistakes/math-abs.ts', description: 'Math.abs instead of & 0x7fffffff', caughtBy: 'negative-hash' }],
  tests: [
    { kind: 'example', id: 'negative-hash', title: 'murmur2 of "21"', fn: 'toPositive', args: [-973932308], expected: toPositive(-973932308) },
    { kind: 'property', id: 'any-int32', title: 'any 32-bit int', fn: 'toPositive', hidden: true, numRuns: 200,
      arbitrary: fc.tuple(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })), expected: (n: number) => toPositive(n) },
  ],
});
`,
    );
    const fnDoc = '/** Clear the sign bit. @param n an int32 @returns n & 0x7fffffff */\n';
    writeFileSync(
      join(dir, 'starter.ts'),
      `${fnDoc}export function toPositive(n: number): number {\n  throw new Error('Remove this line and implement toPositive()');\n}\n`,
    );
    writeFileSync(join(dir, 'solution.ts'), `${fnDoc}export function toPositive(n: number): number {\n  return n & 0x7fffffff;\n}\n`);
    rmSync(join(dir, 'mistakes', 'example-mistake.ts'));
    writeFileSync(
      join(dir, 'mistakes', 'math-abs.ts'),
      `/** Mistake: Math.abs. */\nexport function toPositive(n: number): number {\n  return Math.abs(n);\n}\n`,
    );
    writeFileSync(join(dir, 'types.d.ts'), '/** A signed 32-bit integer. */\ntype Int32 = number;\n');
    writeFileSync(join(dir, 'instructions.md'), '# toPositive\n\nClear the sign bit: `n & 0x7fffffff`.\n');

    const def = await load(dir);
    expect(checkExerciseFolder(dir, def, 'exercises/to-positive-demo')).toEqual([]);
    const read = (rel: string) => readFileSync(join(dir, rel), 'utf8');
    expect((await gradeSource(def, read('solution.ts'), { mode: 'submit', seed: 7 })).status).toBe('passed');
    const starter = await gradeSource(def, read('starter.ts'), { mode: 'submit', seed: 7 });
    expect(starter.status).toBe('failed');
    expect(starter.tests.every((t) => t.errorKind === 'runtime')).toBe(true);
    const mistake = await gradeSource(def, read('mistakes/math-abs.ts'), { mode: 'submit', seed: 7 });
    expect(mistake.tests.find((t) => t.id === 'negative-hash')?.status).toBe('failed');
  });
});

describe('npm run new:exercise (CLI)', () => {
  const quiet = () => undefined;

  it('exits 0 and creates the folder for a valid id', () => {
    const lines: string[] = [];
    expect(main(['cli-demo', '--root', tmpRoot], (l) => lines.push(l), quiet)).toBe(0);
    expect(existsSync(join(tmpRoot, 'cli-demo', 'exercise.ts'))).toBe(true);
    expect(lines.join('\n')).toContain('npm run exercises:verify');
  });

  it('exits 2 with a message for an invalid id, an existing id, or no id', () => {
    const errors: string[] = [];
    expect(main(['Not_Kebab', '--root', tmpRoot], quiet, (l) => errors.push(l))).toBe(2);
    expect(errors.pop()).toMatch(/invalid exercise id "Not_Kebab": use kebab-case/);
    main(['twice', '--root', tmpRoot], quiet, quiet);
    expect(main(['twice', '--root', tmpRoot], quiet, (l) => errors.push(l))).toBe(2);
    expect(errors.pop()).toMatch(/twice\/ already exists/);
    expect(main([], quiet, (l) => errors.push(l))).toBe(2);
    expect(errors.pop()).toMatch(/missing required argument 'id'/);
  });

  it('run through tsx, an invalid id sets the process exit code to 2', () => {
    const tsx = join(here, '..', 'node_modules', '.bin', 'tsx');
    const result = spawnSync(tsx, [join(here, 'scaffold.ts'), 'Bad_Id', '--root', tmpRoot], { encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('invalid exercise id "Bad_Id"');
  });
});
