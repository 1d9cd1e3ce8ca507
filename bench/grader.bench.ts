/**
 * Grader benchmarks (issue 4, "Performance"):
 * - whole-suite grading time per exercise in Node (reference solution, mode submit), median of 7;
 * - the ratio of sandboxed to native V8: the same learner code on the same cases, graded by the same fast-check
 *   properties and examples, once through QuickJS and once as a plain import;
 * - batch throughput of the CLI on 1 vs 2 worker threads over 200 copies of mixed submissions.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { gradeSource } from '../grader/index.ts';
import type { ExerciseDefinition, Plain, SimulationCall } from '../grader/index.ts';
import { exercises } from '../exercises/index.ts';
import type { BenchResult } from './run.ts';
import { median } from './stats.ts';

const root = resolve(import.meta.dirname, '..');
/** Paired sandboxed + native runs per suite. */
const RUNS = 7;

/**
 * Grades the suite natively: the same examples and properties, calling an imported function directly and comparing
 * deeply (plain data, as the sandbox's copies are). Returns how many tests passed.
 */
function gradeNatively(ex: ExerciseDefinition, mod: Record<string, (...a: unknown[]) => unknown>, seed: number): number {
  let passed = 0;
  for (const t of ex.tests) {
    if (t.kind === 'simulation') {
      // The same simulation the grader drives (the engine's loop, grader/simulation.ts), calling the imported
      // exports directly instead of through the sandbox; a call that throws fails the case, as in the sandbox.
      const call: SimulationCall = (name, args) => mod[name](...(args as unknown[]));
      const r = fc.check(
        fc.property(t.arbitrary, (args: unknown) => t.run(call, args) === undefined),
        { seed, numRuns: t.numRuns },
      );
      if (!r.failed) passed++;
      continue;
    }
    const fn = mod[t.fn];
    if (t.kind === 'example') {
      if (isDeepStrictEqual(fn(...(t.args as unknown[])), t.expected)) passed++;
    } else {
      const r = fc.check(
        fc.property(t.arbitrary, (args: Plain[]) => {
          const actual = fn(...(args as unknown[]));
          return t.check ? t.check(actual, args) === undefined : isDeepStrictEqual(actual, t.expected(...args));
        }),
        { seed, numRuns: t.numRuns },
      );
      if (!r.failed) passed++;
    }
  }
  return passed;
}

export async function run(): Promise<BenchResult[]> {
  const out: BenchResult[] = [];
  const seed = 42;
  for (const ex of Object.values(exercises)) {
    const dir = join(root, 'exercises', ex.id);
    const source = readFileSync(join(dir, 'solution.ts'), 'utf8');
    await gradeSource(ex, source, { mode: 'submit', seed }); // warm-up: QuickJS module, JIT
    const mod = (await import(pathToFileURL(join(dir, 'solution.ts')).href)) as Record<string, (...a: unknown[]) => unknown>;
    const nativePassed = gradeNatively(ex, mod, seed);
    if (nativePassed !== ex.tests.length)
      throw new Error(`${ex.id}: the native run passed ${nativePassed} of ${ex.tests.length} tests, so it is not the same work`);
    // Sandboxed and native runs alternate, so that both see the same load on a shared machine; the ratio is the
    // median of the paired ratios, and the fastest of each is reported too (the least disturbed run).
    const sandboxed: number[] = [];
    const native: number[] = [];
    const ratios: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      let t0 = performance.now();
      const report = await gradeSource(ex, source, { mode: 'submit', seed });
      sandboxed.push(performance.now() - t0);
      if (report.status !== 'passed') throw new Error(`${ex.id}: the reference solution did not pass`);
      t0 = performance.now();
      gradeNatively(ex, mod, seed);
      native.push(performance.now() - t0);
      ratios.push(sandboxed[i] / native[i]);
    }
    const cases = ex.tests.reduce((n, t) => n + (t.kind === 'example' ? 1 : t.numRuns), 0);
    out.push({
      name: `${ex.id}: whole suite in QuickJS (Node)`,
      value: median(sandboxed),
      unit: 'ms',
      note: `${ex.tests.length} tests, ${cases} cases, median of ${RUNS}; fastest ${Math.min(...sandboxed).toFixed(1)} ms`,
    });
    out.push({
      name: `${ex.id}: same suite, native V8`,
      value: median(native),
      unit: 'ms',
      note: `fastest ${Math.min(...native).toFixed(1)} ms`,
    });
    out.push({
      name: `${ex.id}: sandboxed / native`,
      value: median(ratios),
      unit: '×',
      note: `median of paired runs; fastest / fastest ${(Math.min(...sandboxed) / Math.min(...native)).toFixed(1)}×; aim ≤ 5× (issue 13)`,
    });
  }

  // Batch: 200 copies of mixed submissions (reference, every mistake, the starter), graded by the CLI.
  const ex = exercises['key-to-partition'];
  const exDir = join(root, 'exercises', ex.id);
  const mixed = [
    join(exDir, 'solution.ts'),
    join(exDir, 'starter.ts'),
    ...readdirSync(join(exDir, 'mistakes')).map((f) => join(exDir, 'mistakes', f)),
  ];
  const batchDir = mkdtempSync(join(tmpdir(), 'partition-lab-bench-'));
  try {
    for (let i = 0; i < 200; i++) cpSync(mixed[i % mixed.length], join(batchDir, `s${String(i).padStart(3, '0')}.ts`));
    const wall: Record<number, number> = {};
    for (const jobs of [1, 2]) {
      const t0 = performance.now();
      const r = spawnSync(
        process.execPath,
        ['--import', 'tsx', join(root, 'cli/grade.ts'), ex.id, batchDir, '--json', '--jobs', String(jobs), '--seed', String(seed)],
        { cwd: root, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 },
      );
      wall[jobs] = performance.now() - t0;
      const reports = JSON.parse(r.stdout) as unknown[];
      if (reports.length !== 200) throw new Error(`batch on ${jobs} thread(s) returned ${reports.length} reports`);
      out.push({
        name: `batch: 200 mixed submissions, ${jobs} thread${jobs > 1 ? 's' : ''}`,
        value: (200 / wall[jobs]) * 1000,
        unit: 'submissions/s',
        note: `${(wall[jobs] / 1000).toFixed(1)} s wall`,
      });
    }
    out.push({ name: 'batch speed-up, 2 threads vs 1', value: wall[1] / wall[2], unit: '×', note: 'aim ≥ 1.8×' });
  } finally {
    rmSync(batchDir, { recursive: true, force: true });
  }
  return out;
}
