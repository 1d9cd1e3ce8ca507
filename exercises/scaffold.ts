/**
 * `npm run new:exercise -- <id> [--fn <name>] [--lesson <id>] [--title <text>] [--root <dir>] [--no-register]`
 *
 * Creates exercises/<id>/ with every file of the folder contract (contract.ts), each holding `TODO(author)`
 * markers where the author still has to write something, and registers it in exercises/index.ts. Until the
 * markers are filled, `npm run exercises:verify` fails and says what is left, file by file:
 *   exercises/<id>/exercise.ts: tests is empty; add at least one example
 *
 * Exit codes: 0 created; 2 usage error (invalid or existing id, unreadable registry).
 * Note: `--root` (e.g. a temp dir, for tests) writes the folder there and registers it only with `--registry`.
 */
import { Command, CommanderError } from 'commander';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { IDENTIFIER, KEBAB, STARTER_MESSAGE, TODO_MARKER } from './contract.ts';

const EXERCISES_DIR = dirname(fileURLToPath(import.meta.url));
const REPO_DIR = dirname(EXERCISES_DIR);
/** The grader's test API, as exercises import it. */
const GRADER_ENTRY = join(REPO_DIR, 'grader', 'index.ts');
const ENGINE_ENTRY = join(REPO_DIR, 'engine', 'index.ts');
const IMPORTS_MARKER = '// new:exercise imports (keep this marker)';
const ENTRIES_MARKER = '// new:exercise entries (keep this marker)';

/** A usage or input problem: the CLI prints it and exits with 2. */
export class ScaffoldError extends Error {
  override name = 'ScaffoldError';
}

export interface ScaffoldOptions {
  /** kebab-case exercise id, also the folder name */
  id: string;
  /** where exercise folders live; default: this exercises/ folder */
  root?: string;
  /** registry file to add the exercise to; default: <root>/index.ts for the default root, none otherwise; false: none */
  registry?: string | false;
  /** the function the learner exports; default `solve` */
  fn?: string;
  /** the lesson's content id; default a TODO marker */
  lesson?: string;
  title?: string;
}

export interface ScaffoldResult {
  dir: string;
  /** created files, relative to `dir` */
  files: string[];
  /** the registry file edited, if any */
  registry?: string;
}

/** `round-robin-assignor` → `roundRobinAssignor` (prefixed when it would start with a digit). */
export function importName(id: string): string {
  const camel = id.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  return /^[0-9]/.test(camel) ? `exercise${camel}` : camel;
}

function importPath(fromDir: string, file: string): string {
  const rel = relative(fromDir, file).split(sep).join('/');
  return rel.startsWith('.') ? rel : `./${rel}`;
}

/**
 * Create the exercise folder. Nothing is written when the id is invalid, the folder exists, or the
 * registry has no markers.
 * @throws ScaffoldError with a message for people
 */
export function scaffoldExercise(options: ScaffoldOptions): ScaffoldResult {
  const { id } = options;
  const fn = options.fn ?? 'solve';
  if (!KEBAB.test(id)) {
    throw new ScaffoldError(
      `invalid exercise id ${JSON.stringify(id)}: use kebab-case (a-z, 0-9, single dashes), e.g. "round-robin-assignor"`,
    );
  }
  if (!IDENTIFIER.test(fn))
    throw new ScaffoldError(`invalid --fn ${JSON.stringify(fn)}: it must be a JavaScript identifier, e.g. "assign"`);
  if (options.lesson !== undefined && !KEBAB.test(options.lesson)) {
    throw new ScaffoldError(
      `invalid --lesson ${JSON.stringify(options.lesson)}: use the lesson's kebab-case content id, e.g. "01-keys-and-partitions"`,
    );
  }
  const root = resolve(options.root ?? EXERCISES_DIR);
  const dir = join(root, id);
  const shown = relative(process.cwd(), dir) || dir;
  if (existsSync(dir)) throw new ScaffoldError(`${shown}/ already exists; pick another id or remove the folder`);

  const registry =
    options.registry === false ? undefined : (options.registry ?? (root === EXERCISES_DIR ? join(root, 'index.ts') : undefined));
  let registryText: string | undefined;
  if (registry) {
    try {
      registryText = readFileSync(registry, 'utf8');
    } catch {
      throw new ScaffoldError(`cannot read the registry ${registry}`);
    }
    if (!registryText.includes(IMPORTS_MARKER) || !registryText.includes(ENTRIES_MARKER)) {
      throw new ScaffoldError(
        `${registry} lacks the markers "${IMPORTS_MARKER}" and "${ENTRIES_MARKER}"; add them back or pass --no-register`,
      );
    }
  }

  const files = templates({
    id,
    fn,
    lesson: options.lesson,
    title: options.title,
    graderPath: importPath(dir, GRADER_ENTRY),
    enginePath: importPath(dir, ENGINE_ENTRY),
  });
  mkdirSync(join(dir, 'mistakes'), { recursive: true });
  for (const [rel, text] of Object.entries(files)) writeFileSync(join(dir, rel), text);

  if (registry && registryText !== undefined) {
    const name = importName(id);
    const updated = registryText
      .replace(IMPORTS_MARKER, `import ${name} from '${importPath(dirname(registry), join(dir, 'exercise.ts'))}';\n${IMPORTS_MARKER}`)
      .replace(`  ${ENTRIES_MARKER}`, `  [${name}.id]: ${name},\n  ${ENTRIES_MARKER}`);
    writeFileSync(registry, updated);
  }
  return { dir, files: Object.keys(files), registry };
}

interface TemplateInput {
  id: string;
  fn: string;
  lesson?: string;
  title?: string;
  graderPath: string;
  enginePath: string;
}

function templates({ id, fn, lesson, title, graderPath, enginePath }: TemplateInput): Record<string, string> {
  const T = TODO_MARKER;
  return {
    'exercise.ts': `/**
 * Checkpoint \`${id}\`: ${T}: what the learner implements, in Kafka's terms, in one line.
 *
 * Every expected value comes from the engine (engine/index.ts), never typed by hand.
 * Guide: content/AUTHORING.md, "Exercises".
 */
// ${T}: uncomment what you use.
// import * as fc from 'fast-check';
// import { partitionForKey, utf8 } from '${enginePath}';
import { defineExercise } from '${graderPath}';

export default defineExercise({
  id: '${id}',
  title: ${JSON.stringify(title ?? `${T}: the checkpoint's title`)},
  lesson: '${lesson ?? T}',
  exports: ['${fn}'],
  objectives: [
    // ${T}: what the learner will be able to do, one sentence each.
  ],
  hints: [
    // ${T}: markdown hints, shown one at a time: gentle first, explicit last.
  ],
  mistakes: [
    // ${T}: one entry per file in mistakes/, with the id of a test that fails for it:
    // { file: 'mistakes/example-mistake.ts', description: 'Math.abs instead of toPositive', caughtBy: 'negative-hash' },
  ],
  tests: [
    // ${T}: named examples (the lesson's stories), answers computed by the engine:
    // { kind: 'example', id: 'negative-hash', title: 'key "foobar", 10 partitions', fn: '${fn}',
    //   args: [utf8('foobar'), 10], expected: partitionForKey(utf8('foobar'), 10) },
    // and generated properties, the engine as the oracle (hidden ones run on Submit only):
    // { kind: 'property', id: 'matches-kafka', title: 'generated keys, 1..1000 partitions', fn: '${fn}',
    //   arbitrary: fc.tuple(fc.uint8Array(), fc.integer({ min: 1, max: 1000 })), numRuns: 200,
    //   expected: (key, n) => partitionForKey(key, n), hidden: true },
  ],
});
`,
    'starter.ts': `/**
 * ${T}: what ${fn}() computes, in the learner's terms, with a worked example in Kafka's notation (C0, t0p1).
 * Nothing can be imported: only JavaScript's built-ins are available.
 * @param input ${T}: shape and units
 * @returns ${T}: shape and units
 */
export function ${fn}(input: unknown): unknown {
  throw new Error('${STARTER_MESSAGE} ${fn}()');
}
`,
    'solution.ts': `/**
 * Reference solution for \`${id}\`: standalone (no imports), like learner code. It must pass every test.
 */
export function ${fn}(input: unknown): unknown {
  throw new Error('${T}: write the reference solution');
}
`,
    'types.d.ts': `/**
 * Learner-facing types for \`${id}\`, given to the editor as an extra lib.
 * Keep this file ambient: no imports, no exports.
 */

/** ${T}: the shapes the learner works with, documented (units in names, Kafka's vocabulary). */
type ${importName(id).replace(/^./, (c) => c.toUpperCase())}Input = unknown;
`,
    'instructions.md': `# ${title ?? `${T}: title`}

${T}: the task in the learner's terms: what Kafka does, the rule, a worked example in Kafka's notation
(C0, t0p1), the JavaScript traps, and how Run and Submit grade it.

\`\`\`ts
export function ${fn}(input: unknown): unknown
\`\`\`
`,
    'mistakes/example-mistake.ts': `/**
 * Mistake: ${T}: one plausible mistake, in the learner's terms. Rename this file (kebab-case) and list it in
 * exercise.ts \`mistakes\` with the test that catches it. One mistake per file; copy the solution and break it.
 */
export function ${fn}(input: unknown): unknown {
  throw new Error('${T}: write the mistake');
}
`,
  };
}

/** The CLI; returns the exit code instead of exiting, for tests. */
export function main(argv: string[], out: (line: string) => void = console.log, err: (line: string) => void = console.error): number {
  const program = new Command('new:exercise')
    .description('Create exercises/<id>/ with every file of the exercise folder contract, then fill in the TODO(author) markers.')
    .argument('<id>', 'kebab-case exercise id, also the folder name, e.g. "round-robin-assignor"')
    .option('--fn <name>', 'the function the learner exports', 'solve')
    .option('--lesson <id>', "the lesson's content id, e.g. 01-keys-and-partitions")
    .option('--title <text>', "the checkpoint's title")
    .option('--root <dir>', 'create the folder under this directory instead of exercises/')
    .option('--registry <file>', 'the registry file to add the exercise to (default: exercises/index.ts for the default root)')
    .option('--no-register', 'do not add the exercise to a registry')
    .exitOverride()
    .configureOutput({ writeOut: (s) => out(s.trimEnd()), writeErr: (s) => err(s.trimEnd()) });
  try {
    program.parse(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) return e.code === 'commander.helpDisplayed' || e.code === 'commander.version' ? 0 : 2;
    throw e;
  }
  const [id] = program.args;
  const opts = program.opts<{ fn: string; lesson?: string; title?: string; root?: string; registry?: string; register: boolean }>();
  try {
    const result = scaffoldExercise({
      id,
      fn: opts.fn,
      lesson: opts.lesson,
      title: opts.title,
      root: opts.root,
      registry: opts.register ? opts.registry : false,
    });
    const shown = relative(process.cwd(), result.dir) || result.dir;
    out(`Created ${shown}/: ${result.files.join(', ')}`);
    if (result.registry) out(`Registered "${id}" in ${relative(process.cwd(), result.registry) || result.registry}`);
    out(
      `Next: fill in every ${TODO_MARKER} marker, then run \`npm run exercises:verify\` until it is green (guide: content/AUTHORING.md).`,
    );
    return 0;
  } catch (e) {
    if (e instanceof ScaffoldError) {
      err(`new:exercise: ${e.message}`);
      return 2;
    }
    throw e;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
