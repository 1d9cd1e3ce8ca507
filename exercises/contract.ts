/**
 * The exercise folder contract (ARCHITECTURE.md, "Where to add…"), checked without running any code:
 *
 *   exercises/<id>/
 *     exercise.ts      `export default defineExercise({...})`: metadata, hints, mistakes, tests
 *     starter.ts       what the learner sees: the exported functions, each throwing "Remove this line and implement …"
 *     solution.ts      the reference solution, standalone (no imports)
 *     types.d.ts       learner-facing ambient types for the editor's extra lib (no imports or exports)
 *     instructions.md  the task in the learner's terms
 *     mistakes/*.ts    plausible mistakes, one per file, each listed in `mistakes` with the test that catches it
 *
 * `checkExerciseFolder` returns problems as lines for people: the file, the field, what was received and what
 * was expected (`exercises/foo/exercise.ts: tests is empty; add at least one example`). An empty list means
 * the folder honours the contract. Grading the reference, starter and mistakes is verify.spec.ts's job.
 *
 * Node only (reads files, parses TypeScript); the registry (index.ts) does not import this.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { z } from 'zod';
import { LIMIT_NAMES } from '../grader/index.ts';

/** Files every exercise folder must hold, besides at least one file in `mistakes/`. */
export const REQUIRED_FILES = ['exercise.ts', 'starter.ts', 'solution.ts', 'types.d.ts', 'instructions.md'] as const;
export const MISTAKES_DIR = 'mistakes';
/** The marker the scaffold leaves wherever an author still has to write something. */
export const TODO_MARKER = 'TODO(author)';
/** What every starter function throws until the learner replaces it. */
export const STARTER_MESSAGE = 'Remove this line and implement';

/** Exercise, lesson and test ids: lowercase words and digits joined by single dashes. */
export const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** A JavaScript identifier (an exported function's name). */
export const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

const nonEmpty = (what: string) =>
  z
    .string()
    .trim()
    .min(1, { message: `is empty; write ${what}` });
const noTodo = (s: z.ZodString) => s.refine((v) => !v.includes(TODO_MARKER), { message: `still has a ${TODO_MARKER} marker; replace it` });

const fnSchema = z.custom<(...args: never[]) => unknown>((v) => typeof v === 'function', { message: 'must be a function' });
const arbitrarySchema = z.custom<object>(
  (v) =>
    typeof v === 'object' &&
    v !== null &&
    typeof (v as { generate?: unknown }).generate === 'function' &&
    typeof (v as { shrink?: unknown }).shrink === 'function',
  { message: 'is not a fast-check Arbitrary (expected fc.tuple(...), fc.record(...), …)' },
);

const testBase = {
  id: z.string().regex(KEBAB, { message: 'must be kebab-case, e.g. "two-consumers-one-topic"' }),
  title: noTodo(nonEmpty("the test name in the learner's terms")),
  hidden: z.boolean().optional(),
  fn: z.string().regex(IDENTIFIER, { message: 'must name one of `exports`' }),
};

const exampleSchema = z.object({
  ...testBase,
  kind: z.literal('example'),
  args: z.array(z.unknown(), { message: 'must be an array of arguments' }),
  expected: z.unknown().refine((v) => v !== undefined, { message: 'is undefined; compute it with the engine' }),
  explain: fnSchema.optional(),
});

const propertySchema = z.object({
  ...testBase,
  kind: z.literal('property'),
  arbitrary: arbitrarySchema,
  numRuns: z.number().int().min(1, { message: 'must be at least 1' }),
  expected: fnSchema,
  check: fnSchema.optional(),
  formatArgs: fnSchema.optional(),
  explain: fnSchema.optional(),
});

const { fn: _fn, ...testBaseWithoutFn } = testBase;

/** A simulation test: the host drives a simulation and calls several exports (`fns`) per case. */
const simulationSchema = z.object({
  ...testBaseWithoutFn,
  kind: z.literal('simulation'),
  fns: z
    .array(z.string().regex(IDENTIFIER, { message: 'must name one of `exports`' }))
    .min(1, { message: 'is empty; list the exports the simulation calls' }),
  arbitrary: arbitrarySchema,
  numRuns: z.number().int().min(1, { message: 'must be at least 1' }),
  run: fnSchema,
  formatArgs: fnSchema.optional(),
});

const testSchema = z.discriminatedUnion('kind', [exampleSchema, propertySchema, simulationSchema], {
  error: (issue) => (issue.code === 'invalid_union' ? `kind must be 'example', 'property' or 'simulation'` : undefined),
});

const mistakeSchema = z.object({
  file: z.string().regex(/^mistakes\/[a-z0-9]+(?:-[a-z0-9]+)*\.ts$/, {
    message: 'must be a kebab-case file under mistakes/, e.g. "mistakes/math-abs.ts"',
  }),
  description: noTodo(nonEmpty("one line in the learner's terms")),
  caughtBy: z.string().min(1, { message: 'is empty; name the id of a test this mistake fails' }),
});

/** The shape of `ExerciseDefinition` (grader/exercise-api.ts), with messages for authors. */
export const exerciseSchema = z.object({
  id: z.string().regex(KEBAB, { message: 'must be kebab-case, e.g. "key-to-partition"' }),
  title: noTodo(nonEmpty("the checkpoint's title")),
  lesson: z.string().regex(KEBAB, { message: 'must be the lesson\'s content id in kebab-case, e.g. "01-keys-and-partitions"' }),
  exports: z
    .array(z.string().regex(IDENTIFIER, { message: 'must be a JavaScript identifier' }))
    .min(1, { message: 'is empty; list the function names the learner exports' }),
  objectives: z.array(noTodo(nonEmpty('an objective'))).min(1, { message: 'is empty; add at least one learning objective' }),
  hints: z.array(noTodo(nonEmpty('a hint'))).min(1, { message: 'is empty; add at least one hint (gentle first, explicit last)' }),
  mistakes: z
    .array(mistakeSchema)
    .min(1, { message: 'is empty; add at least one plausible mistake (mistakes/<name>.ts) and the test that catches it' }),
  limits: z
    .object(
      Object.fromEntries(LIMIT_NAMES.map((n) => [n, z.number().positive().optional()])) as Record<
        (typeof LIMIT_NAMES)[number],
        z.ZodOptional<z.ZodNumber>
      >,
    )
    .strict()
    .optional(),
  tests: z.array(testSchema).min(1, { message: 'is empty; add at least one example' }),
});

function fieldPath(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');
}

function describeReceived(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? v.slice(0, 60) + '…' : v);
  if (typeof v === 'function') return 'a function';
  if (Array.isArray(v)) return `an array of ${v.length}`;
  try {
    const s = JSON.stringify(v);
    return s && s.length > 60 ? s.slice(0, 60) + '…' : String(s);
  } catch {
    return typeof v;
  }
}

function get(obj: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = obj;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[p];
  }
  return cur;
}

/** zod issues → `file: field message (received …)` lines. */
function formatIssues(file: string, issues: readonly z.core.$ZodIssue[], input: unknown): string[] {
  return issues.map((issue) => {
    const field = fieldPath(issue.path) || 'the default export';
    if (issue.code === 'invalid_type') {
      return `${file}: ${field}: expected ${issue.expected}, received ${get(input, issue.path) === undefined ? 'nothing' : describeReceived(get(input, issue.path))}`;
    }
    const received = get(input, issue.path);
    const suffix = typeof received === 'string' && issue.code !== 'too_small' ? ` (received ${describeReceived(received)})` : '';
    return `${file}: ${field} ${issue.message}${suffix}`;
  });
}

/** Names exported by a TypeScript source, and what else it does that learner code must not. */
export interface SourceShape {
  /** exported names, in source order */
  exports: string[];
  /** exported names that are not functions (learner code must export functions) */
  nonFunctionExports: string[];
  /** module specifiers it imports (learner code cannot import anything) */
  imports: string[];
  /** exported interfaces and type aliases (allowed in learner code; they vanish when transpiled) */
  typeExports: string[];
  hasDefaultExport: boolean;
  /** syntax errors, `line:column message` */
  syntaxErrors: string[];
}

/** Parse a learner-side file (starter, solution, mistake) and list what it exports. No code runs. */
export function sourceShape(fileName: string, text: string): SourceShape {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const shape: SourceShape = {
    exports: [],
    nonFunctionExports: [],
    imports: [],
    typeExports: [],
    hasDefaultExport: false,
    syntaxErrors: [],
  };
  const diagnostics = (sf as unknown as { parseDiagnostics?: ts.Diagnostic[] }).parseDiagnostics ?? [];
  for (const d of diagnostics) {
    const { line, character } = sf.getLineAndCharacterOfPosition(d.start ?? 0);
    shape.syntaxErrors.push(`${line + 1}:${character + 1} ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
  }
  const isExported = (node: ts.Node) =>
    ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
  const isDefault = (node: ts.Node) =>
    ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st) || ts.isImportEqualsDeclaration(st)) {
      shape.imports.push(ts.isImportDeclaration(st) ? (st.moduleSpecifier as ts.StringLiteral).text : st.name.text);
    } else if (ts.isExportAssignment(st)) {
      shape.hasDefaultExport = true;
    } else if (ts.isExportDeclaration(st)) {
      if (st.moduleSpecifier) shape.imports.push((st.moduleSpecifier as ts.StringLiteral).text);
      if (st.exportClause && ts.isNamedExports(st.exportClause)) {
        for (const el of st.exportClause.elements) {
          if (el.name.text === 'default') shape.hasDefaultExport = true;
          else shape.exports.push(el.name.text); // `export { f }`: the local's kind is not checked here
        }
      }
    } else if (isExported(st)) {
      if (isDefault(st)) {
        shape.hasDefaultExport = true;
      } else if (ts.isFunctionDeclaration(st) && st.name) {
        shape.exports.push(st.name.text);
      } else if (ts.isVariableStatement(st)) {
        for (const decl of st.declarationList.declarations) {
          if (!ts.isIdentifier(decl.name)) continue;
          shape.exports.push(decl.name.text);
          const init = decl.initializer;
          if (!init || !(ts.isArrowFunction(init) || ts.isFunctionExpression(init))) shape.nonFunctionExports.push(decl.name.text);
        }
      } else if (ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st)) {
        shape.typeExports.push(st.name.text);
      } else {
        const name = (st as { name?: ts.Identifier }).name?.text ?? ts.SyntaxKind[st.kind];
        shape.exports.push(name);
        shape.nonFunctionExports.push(name);
      }
    }
  }
  return shape;
}

/**
 * Check that a learner-side file exports exactly `expected`, all functions, with no default export and no imports.
 * @returns problems, each naming the file
 */
export function checkLearnerFile(label: string, text: string, expected: readonly string[]): string[] {
  const shape = sourceShape(label, text);
  const problems: string[] = [];
  for (const e of shape.syntaxErrors) problems.push(`${label}:${e}`);
  const missing = expected.filter((n) => !shape.exports.includes(n));
  const extra = shape.exports.filter((n) => !expected.includes(n));
  if (missing.length) problems.push(`${label}: does not export ${missing.join(', ')} (exercise.ts exports: ${expected.join(', ')})`);
  if (extra.length)
    problems.push(`${label}: exports ${extra.join(', ')}, which exercise.ts does not list in exports (${expected.join(', ')})`);
  if (shape.nonFunctionExports.length) problems.push(`${label}: ${shape.nonFunctionExports.join(', ')} must be exported functions`);
  if (shape.hasDefaultExport) problems.push(`${label}: has a default export; export the named functions only`);
  if (shape.imports.length)
    problems.push(
      `${label}: imports ${shape.imports.map((s) => JSON.stringify(s)).join(', ')}; learner code runs in a sandbox and cannot import anything`,
    );
  return problems;
}

function todoLines(text: string): number[] {
  return text.split('\n').flatMap((line, i) => (line.includes(TODO_MARKER) ? [i + 1] : []));
}

/**
 * Check one exercise folder against the contract.
 * @param dir absolute path of the folder
 * @param definition the default export of its exercise.ts (already imported by the caller)
 * @param label how to name the folder in messages, e.g. `exercises/key-to-partition`
 * @param options.lessonsDir when given, `lesson` must name `<lessonsDir>/<lesson>.mdx` (or .md, or a folder)
 * @returns problems for people; empty when the folder is complete
 */
export function checkExerciseFolder(dir: string, definition: unknown, label: string, options: { lessonsDir?: string } = {}): string[] {
  const problems: string[] = [];
  const folderName = dir.split(/[\\/]/).filter(Boolean).pop() ?? '';
  const read = (rel: string) => readFileSync(join(dir, rel), 'utf8');

  for (const rel of REQUIRED_FILES) {
    const p = join(dir, rel);
    if (!existsSync(p))
      problems.push(`${label}/${rel}: missing; every exercise folder has ${REQUIRED_FILES.join(', ')} and ${MISTAKES_DIR}/`);
    else if (read(rel).trim() === '') problems.push(`${label}/${rel}: is empty`);
  }
  const mistakesDir = join(dir, MISTAKES_DIR);
  const mistakeFiles =
    existsSync(mistakesDir) && statSync(mistakesDir).isDirectory()
      ? readdirSync(mistakesDir)
          .filter((f) => f.endsWith('.ts'))
          .sort()
      : [];
  if (mistakeFiles.length === 0) problems.push(`${label}/${MISTAKES_DIR}/: has no mistake files; add one plausible mistake per file`);

  // TODO markers left by the scaffold, in every authored file: reported last, after the specific problems
  const todos: string[] = [];
  for (const rel of [...REQUIRED_FILES, ...mistakeFiles.map((f) => `${MISTAKES_DIR}/${f}`)]) {
    if (!existsSync(join(dir, rel))) continue;
    const lines = todoLines(read(rel));
    if (lines.length) todos.push(`${label}/${rel}: still has ${TODO_MARKER} markers (line ${lines.join(', ')}); fill them in`);
  }

  const exerciseFile = `${label}/exercise.ts`;
  if (definition === undefined) {
    problems.push(`${exerciseFile}: has no default export; write \`export default defineExercise({...})\``);
    return [...problems, ...todos];
  }
  const parsed = exerciseSchema.safeParse(definition);
  if (!parsed.success) {
    problems.push(...formatIssues(exerciseFile, parsed.error.issues, definition));
    return [...problems, ...todos];
  }
  const def = parsed.data;

  if (def.id !== folderName) problems.push(`${exerciseFile}: id is "${def.id}" but the folder is "${folderName}"; they must be equal`);
  if (options.lessonsDir && !['.mdx', '.md', ''].some((ext) => existsSync(join(options.lessonsDir!, def.lesson + ext)))) {
    problems.push(`${exerciseFile}: lesson is "${def.lesson}", but there is no such lesson (expected content/lessons/${def.lesson}.mdx)`);
  }
  if (new Set(def.exports).size !== def.exports.length)
    problems.push(`${exerciseFile}: exports lists a name twice (${def.exports.join(', ')})`);

  const ids = def.tests.map((t) => t.id);
  const seen = new Set<string>();
  def.tests.forEach((t, i) => {
    if (seen.has(t.id)) problems.push(`${exerciseFile}: tests[${i}].id "${t.id}" is used by an earlier test; ids must be unique`);
    seen.add(t.id);
    if (t.kind === 'simulation') {
      for (const fn of t.fns)
        if (!def.exports.includes(fn))
          problems.push(`${exerciseFile}: tests[${i}].fns names "${fn}", expected one of exports (${def.exports.join(', ')})`);
    } else if (!def.exports.includes(t.fn))
      problems.push(`${exerciseFile}: tests[${i}].fn is "${t.fn}", expected one of exports (${def.exports.join(', ')})`);
  });
  if (def.tests.every((t) => t.hidden))
    problems.push(`${exerciseFile}: tests are all hidden; "Run" would have nothing to show. Make at least one visible`);
  for (const name of def.exports) {
    if (!def.tests.some((t) => (t.kind === 'simulation' ? t.fns.includes(name) : t.fn === name)))
      problems.push(`${exerciseFile}: exports lists "${name}" but no test calls it`);
  }

  const listed = new Set<string>();
  def.mistakes.forEach((m, i) => {
    listed.add(m.file);
    if (!existsSync(join(dir, m.file))) problems.push(`${exerciseFile}: mistakes[${i}].file "${m.file}" does not exist in ${label}/`);
    if (!ids.includes(m.caughtBy))
      problems.push(`${exerciseFile}: mistakes[${i}].caughtBy is "${m.caughtBy}", expected the id of a test (${ids.join(', ')})`);
  });
  for (const f of mistakeFiles) {
    if (!listed.has(`${MISTAKES_DIR}/${f}`))
      problems.push(`${label}/${MISTAKES_DIR}/${f}: not listed in exercise.ts mistakes; add it with the test that catches it`);
  }

  // learner-side sources: exactly the exported names, functions only, no imports
  for (const rel of ['starter.ts', 'solution.ts', ...mistakeFiles.map((f) => `${MISTAKES_DIR}/${f}`)]) {
    if (existsSync(join(dir, rel))) problems.push(...checkLearnerFile(`${label}/${rel}`, read(rel), def.exports));
  }
  if (existsSync(join(dir, 'starter.ts')) && !read('starter.ts').includes(STARTER_MESSAGE)) {
    problems.push(`${label}/starter.ts: each function body should throw new Error('${STARTER_MESSAGE} <name>()')`);
  }
  if (existsSync(join(dir, 'types.d.ts'))) {
    const shape = sourceShape('types.d.ts', read('types.d.ts'));
    if (shape.imports.length || shape.exports.length || shape.typeExports.length || shape.hasDefaultExport) {
      problems.push(
        `${label}/types.d.ts: has imports or exports, which make it a module whose types the editor will not see; keep it ambient`,
      );
    }
    for (const e of shape.syntaxErrors) problems.push(`${label}/types.d.ts:${e}`);
  }
  return [...problems, ...todos];
}
