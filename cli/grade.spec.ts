/**
 * The CLI end to end: the real `grade` command in a child process, on real files, with real worker threads.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { GradeReport } from '../grader/index.ts';

const root = resolve(import.meta.dirname, '..');
const exerciseDir = join(root, 'exercises/key-to-partition');

function grade(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'cli/grade.ts'), ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, FORCE_COLOR: '0' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'partition-lab-cli-'));
  mkdirSync(join(dir, 'class'));
  cpSync(join(exerciseDir, 'solution.ts'), join(dir, 'class/alice.ts'));
  cpSync(join(exerciseDir, 'mistakes/math-abs.ts'), join(dir, 'class/bob.ts'));
  writeFileSync(
    join(dir, 'class/carol.ts'),
    'export function partition(keyBytes: Uint8Array, n: number): number {\n  return (keyBytes.length %% n;\n}\n',
  );
  writeFileSync(join(dir, 'class/dave.ts'), 'export function partition(keyBytes: Uint8Array, n: number): number {\n  while (true) {}\n}\n');
  // Catastrophic backtracking: a call that may never return to the interrupt handler.
  writeFileSync(
    join(dir, 'class/erin.ts'),
    "export function partition(keyBytes: Uint8Array, n: number): number {\n  return /^(a+)+$/.test('a'.repeat(40) + 'b') ? 1 : 0;\n}\n",
  );
  writeFileSync(join(dir, 'unreadable-name.txt'), 'not a submission');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('grade CLI', () => {
  it('exits 0 and prints the readable report for the reference solution', () => {
    const r = grade('key-to-partition', join(exerciseDir, 'solution.ts'));
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code, r.stdout.slice(0, 4000)).toBe(0);
    expect(r.stdout).toMatch(/passed/);
  });

  it('exits 1 and prints the GradeReport with a counterexample for a mistake (--json)', () => {
    const r = grade('key-to-partition', join(dir, 'class/bob.ts'), '--json');
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as GradeReport;
    expect(report).toMatchObject({ version: 1, exerciseId: 'key-to-partition', status: 'failed', mode: 'submit' });
    expect(report.submission).toContain('bob.ts');
    const failing = report.tests.filter((t) => t.status === 'failed');
    expect(failing.length).toBeGreaterThan(0);
    expect(failing.some((t) => t.counterexample && t.seed !== undefined)).toBe(true);
  });

  it('exits 2 naming the known exercises for an unknown exercise', () => {
    const r = grade('no-such-exercise', join(exerciseDir, 'solution.ts'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown exercise "no-such-exercise"');
    expect(r.stderr).toContain('key-to-partition');
  });

  it('exits 2 for a file that cannot be read', () => {
    const r = grade('key-to-partition', join(dir, 'missing.ts'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('missing.ts: no such file or folder');
  });

  it('exits 2 for a bad option', () => {
    const r = grade('key-to-partition', join(exerciseDir, 'solution.ts'), '--mode', 'everything');
    expect(r.code).toBe(2);
  });

  it('grades a folder in parallel; a hang or a syntax error in one submission never touches another', () => {
    const r = grade('key-to-partition', join(dir, 'class'), '--json', '--jobs', '2');
    expect(r.code).toBe(1);
    const reports = JSON.parse(r.stdout) as GradeReport[];
    const by = (name: string) => reports.find((x) => x.submission?.endsWith(name))!;
    expect(reports.map((x) => x.submission?.split('/').pop())).toEqual(['alice.ts', 'bob.ts', 'carol.ts', 'dave.ts', 'erin.ts']);
    expect(by('alice.ts').status).toBe('passed');
    expect(by('bob.ts').status).toBe('failed');
    expect(by('carol.ts')).toMatchObject({ status: 'error', error: { kind: 'syntax', line: 2 } });
    const dave = by('dave.ts');
    expect([dave.error?.kind, ...dave.tests.map((t) => t.errorKind)]).toContain('timeout');
    const erin = by('erin.ts');
    expect([erin.error?.kind, ...erin.tests.map((t) => t.errorKind)]).toContain('timeout');
  });

  it('prints one line per submission and the summary without --json', () => {
    const r = grade('key-to-partition', join(dir, 'class/alice.ts'), join(dir, 'class/bob.ts'), '--no-progress');
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^✓ .*alice\.ts/);
    expect(lines[1]).toMatch(/^✗ .*bob\.ts/);
    expect(lines[2]).toBe('Graded 2 submissions: 1 passed, 1 failed');
  });

  it('writes a CSV gradebook and JUnit XML', () => {
    const csv = grade('key-to-partition', join(dir, 'class/alice.ts'), join(dir, 'class/bob.ts'), '--csv');
    const rows = csv.stdout.trimEnd().split('\n');
    expect(rows[0]).toMatch(/^submission,status,passed,failed,error,skipped,total,score,durationMs,/);
    expect(rows).toHaveLength(3);
    expect(rows[1]).toMatch(/alice\.ts,passed,/);
    const junit = grade('key-to-partition', join(dir, 'class/bob.ts'), '--junit');
    expect(junit.stdout).toMatch(/^<\?xml/);
    expect(junit.stdout).toContain('<failure');
  });

  it('adds an instructor-private test file, hidden by default', () => {
    const extra = join(dir, 'extra-tests.ts');
    writeFileSync(
      extra,
      `import { partitionForKey, utf8 } from ${JSON.stringify(join(root, 'engine/index.ts'))};\n` +
        `const key = utf8('instructor-only');\n` +
        `export default [{ kind: 'example', id: 'instructor-key', title: 'key "instructor-only", 7 partitions', fn: 'partition', args: [key, 7], expected: partitionForKey(key, 7) }];\n`,
    );
    const r = grade('key-to-partition', join(exerciseDir, 'solution.ts'), '--json', '--tests', extra);
    expect(r.code, `stdout: ${r.stdout.slice(0, 4000)}\nstderr: ${r.stderr}`).toBe(0);
    const report = JSON.parse(r.stdout) as GradeReport;
    expect(report.tests.find((t) => t.id === 'instructor-key')).toMatchObject({ status: 'passed', hidden: true });
  });
});
