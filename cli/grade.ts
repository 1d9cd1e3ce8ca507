/**
 * The grader's command line (the Node entry; ARCHITECTURE.md, "How data flows").
 *
 *   npm run -s grade -- <exercise-id> <file|folder>… [--json|--junit|--csv] [--tests <extra-tests>]
 *                       [--mode run|submit] [--seed <n>] [--jobs <n>]
 *
 * One submission prints its full report; several print one line each and a summary. Submissions are graded in
 * parallel on worker threads (Piscina), one submission per thread at a time, so one submission's crash or hang
 * never touches another's report.
 *
 * Exit status: 0 every submission passed every test; 1 some did not; 2 usage or input error (unknown exercise,
 * unreadable file or folder, bad option).
 */
import { Command, CommanderError, Option } from 'commander';
import { availableParallelism } from 'node:os';
import { readdir, stat, access, constants } from 'node:fs/promises';
import { join, resolve, relative, extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import cliProgress from 'cli-progress';
import { formatReportText, REPORT_VERSION, resolveLimits } from '../grader/index.ts';
import type { GradeReport } from '../grader/index.ts';
import { exercises, getExercise } from '../exercises/index.ts';
import { loadExtraTests, type GradeTask } from './grade-worker.ts';
import { toCsv, toJunit, summaryLine, submissionLine } from './grade-format.ts';

class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

const SOURCE_EXTENSIONS = new Set(['.ts', '.mts', '.js', '.mjs']);

/** Expands files and folders (recursively, sorted) into submission files; throws UsageError for unreadable paths. */
async function collectSubmissions(paths: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    let info;
    try {
      info = await stat(p);
    } catch (err) {
      throw new UsageError(
        `cannot read ${p}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or folder' : (err as Error).message}`,
      );
    }
    if (info.isDirectory()) {
      const found = await walk(p);
      if (found.length === 0) throw new UsageError(`${p}: no .ts or .js submissions in this folder`);
      out.push(...found);
    } else {
      try {
        await access(p, constants.R_OK);
      } catch {
        throw new UsageError(`cannot read ${p}: permission denied`);
      }
      out.push(p);
    }
  }
  return out;
}

async function walk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const files: string[] = [];
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
    const full = join(dir, e.name);
    if (e.isDirectory()) files.push(...(await walk(full)));
    else if (SOURCE_EXTENSIONS.has(extname(e.name)) && !e.name.endsWith('.d.ts')) files.push(full);
  }
  return files;
}

/** A report for a submission whose worker thread had to be stopped or crashed: nothing else survived of it. */
function abortedReport(
  exerciseId: string,
  submission: string,
  mode: 'run' | 'submit',
  kind: 'timeout' | 'runtime',
  message: string,
  durationMs: number,
): GradeReport {
  return { version: REPORT_VERSION, exerciseId, submission, status: 'error', mode, error: { kind, message }, tests: [], durationMs };
}

function describeError(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (err && typeof err === 'object' && 'message' in err) return String((err as { message: unknown }).message);
  try {
    return JSON.stringify(err);
  } catch {
    return String(err);
  }
}

interface Options {
  json?: boolean;
  junit?: boolean;
  csv?: boolean;
  tests?: string;
  mode: 'run' | 'submit';
  seed?: number;
  jobs: number;
  progress: boolean;
}

async function main(argv: string[]): Promise<number> {
  const program = new Command()
    .name('grade')
    .description('Grade Partition Lab submissions against the reference engine.')
    .argument('<exercise-id>', `the checkpoint to grade (${Object.keys(exercises).join(', ')})`)
    .argument('<submissions...>', 'submission files, or folders of them (searched recursively for .ts/.js)')
    .addOption(new Option('--json', 'print the GradeReport (an array of them for several submissions)').conflicts(['junit', 'csv']))
    .addOption(new Option('--junit', 'print JUnit XML, one testsuite per submission').conflicts(['json', 'csv']))
    .addOption(new Option('--csv', 'print a gradebook: one row per submission, one column per test').conflicts(['json', 'junit']))
    .option('--tests <file>', 'an instructor-private module of extra tests (default export: TestCase[]), hidden by default')
    .addOption(new Option('--mode <mode>', 'run: visible tests only; submit: every test').choices(['run', 'submit']).default('submit'))
    .option('--seed <n>', 'fast-check seed for the generated tests (replays a reported failure)', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n)) throw new UsageError(`--seed: expected an integer, got ${v}`);
      return n;
    })
    .option(
      '--jobs <n>',
      'worker threads (default: all cores)',
      (v) => {
        const n = Number(v);
        if (!Number.isInteger(n) || n < 1) throw new UsageError(`--jobs: expected a positive integer, got ${v}`);
        return n;
      },
      availableParallelism(),
    )
    .option('--no-progress', 'no progress bar, even on a terminal')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

  try {
    program.parse(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    throw err;
  }
  const [exerciseId, paths] = program.processedArgs as [string, string[]];
  const opts = program.opts<Options>();

  const exercise = getExercise(exerciseId);
  if (!exercise) throw new UsageError(`unknown exercise "${exerciseId}"; known: ${Object.keys(exercises).join(', ')}`);
  const extraTests = opts.tests ? resolve(opts.tests) : undefined;
  if (extraTests) {
    try {
      await access(extraTests, constants.R_OK);
    } catch {
      throw new UsageError(`cannot read --tests ${opts.tests}`);
    }
    try {
      await loadExtraTests(extraTests); // fail fast, once, in the author's terms
    } catch (err) {
      throw new UsageError(`--tests ${opts.tests}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  const files = await collectSubmissions(paths);
  const limits = resolveLimits(exercise.limits);

  const pool = new Piscina({
    filename: fileURLToPath(new URL('./grade-worker.ts', import.meta.url)),
    minThreads: Math.min(opts.jobs, files.length),
    maxThreads: Math.min(opts.jobs, files.length),
    // Each thread runs one submission at a time, so a hang is contained to its own thread.
    concurrentTasksPerWorker: 1,
  });

  const showBar = opts.progress && process.stderr.isTTY && files.length > 1;
  const bar = showBar
    ? new cliProgress.SingleBar(
        { format: 'grading {bar} {value}/{total} submissions', stream: process.stderr, clearOnComplete: true },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  bar?.start(files.length, 0);

  const gradeOne = async (file: string): Promise<GradeReport> => {
    const submission = relative(process.cwd(), file) || file;
    const watchBuffer = new SharedArrayBuffer(8);
    const watch = new Float64Array(watchBuffer);
    const controller = new AbortController();
    const started = Date.now();
    let killedAt = 0;
    // Watchdog: a call whose deadline passed more than 1 s ago never returned to QuickJS's interrupt
    // handler (e.g. a regex backtracking): stop the whole thread.
    const timer = setInterval(() => {
      const deadline = watch[0];
      if (deadline > 0 && Date.now() > deadline + 1_000) {
        killedAt = Date.now();
        controller.abort();
      }
    }, 100);
    const task: GradeTask = {
      exerciseId,
      file: resolve(file),
      submission,
      mode: opts.mode,
      seed: opts.seed,
      extraTests,
      watch: watchBuffer,
    };
    try {
      return (await pool.run(task, { signal: controller.signal })) as GradeReport;
    } catch (err) {
      const ms = Date.now() - started;
      if (killedAt) {
        return abortedReport(
          exerciseId,
          submission,
          opts.mode,
          'timeout',
          `A call into your code ran past the ${limits.callTimeoutMs / 1000} s time limit and did not stop when interrupted (for example, a regular expression that backtracks for a very long time), so the grader stopped it.`,
          ms,
        );
      }
      return abortedReport(
        exerciseId,
        submission,
        opts.mode,
        'runtime',
        `The grader could not finish this submission: ${describeError(err)}`,
        ms,
      );
    } finally {
      clearInterval(timer);
      bar?.increment();
    }
  };

  // Lines come out in submission order (as soon as every earlier submission is done), whatever order they finish in.
  const lines: string[] = [];
  const done: (GradeReport | undefined)[] = files.map(() => undefined);
  let printed = 0;
  const reports = await Promise.all(
    files.map(async (f, i) => {
      const r = await gradeOne(f);
      done[i] = r;
      if (!opts.json && !opts.junit && !opts.csv && files.length > 1) {
        while (printed < files.length && done[printed]) {
          const line = submissionLine(done[printed]!);
          if (bar) lines.push(line);
          else process.stdout.write(line + '\n');
          printed++;
        }
      }
      return r;
    }),
  );
  bar?.stop();
  await pool.destroy();

  if (opts.json) process.stdout.write(JSON.stringify(files.length === 1 ? reports[0] : reports, null, 2) + '\n');
  else if (opts.junit) process.stdout.write(toJunit(exerciseId, reports));
  else if (opts.csv) process.stdout.write(toCsv(reports));
  else if (files.length === 1) process.stdout.write(formatReportText(reports[0]) + '\n');
  else {
    for (const l of lines) process.stdout.write(l + '\n');
    process.stdout.write(summaryLine(reports) + '\n');
  }
  return reports.every((r) => r.status === 'passed') ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    if (err instanceof UsageError) {
      process.stderr.write(`grade: ${err.message}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`grade: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 2;
    }
  },
);
