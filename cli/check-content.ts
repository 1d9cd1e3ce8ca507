/**
 * Every content file checked in seconds, with the build's friendly messages and no build:
 * `npm run content:check` (cli/content-check.ts). Node only (reads the content folders).
 *
 * - scenarios (content/scenarios/*.yaml|json): YAML syntax (line and column), the scenario format and
 *   its references (content/schema/scenario.ts), `lesson:` naming a lesson that exists, the engine
 *   playing it, and its story checks (`checks:`, engine/scenario/checks.ts) holding;
 * - quizzes (content/quizzes/*.yaml): parsed and compiled as the build does (site/lib/quiz.ts), every
 *   engine query answered;
 * - lessons (content/lessons/*.mdx): the frontmatter schema and references (content/schema/lesson.ts),
 *   and every `<Scenario id="…" />` naming a scenario file.
 *
 * Each problem is one line under its file: `steps[3].produce.topic: unknown topic — received "ordrs"; expected …`.
 * A thrown error that is not an authoring error (a zod dump, an engine exception) is turned into the same
 * shape: its issues one per line, never a stack trace.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { ZodError } from 'zod';
import { formatCheckFailures, runScenario, verifyStoryChecks } from '../engine/index.ts';
import type { Scenario } from '../engine/index.ts';
import { AuthoringError, friendlyParse, type FieldIssue } from '../content/schema/friendly-errors.ts';
import { lessonReferenceIssues, lessonSchema } from '../content/schema/lesson.ts';
import { scenarioIssues } from '../content/schema/scenario.ts';

/** The problems of one file (none: it is fine). */
export interface FileReport {
  /** project-relative path, e.g. content/scenarios/acks-1-loss.yaml */
  file: string;
  problems: FieldIssue[];
}

/** What the checks need to know about the rest of the content. */
export interface ContentIndex {
  lessonIds: readonly string[];
  quizIds: readonly string[];
  scenarioIds: readonly string[];
  /** exercise ids registered in exercises/index.ts (undefined: not checked) */
  exerciseIds?: ReadonlySet<string>;
}

const quoteList = (ids: readonly string[]) => ids.map((i) => `"${i}"`).join(', ') || '(none)';

/** A YAML syntax error as an issue at the top level, with line and column. */
function yamlProblem(e: unknown, expected: string): FieldIssue {
  const where = e instanceof YAMLParseError && e.linePos ? ` at line ${e.linePos[0].line}, column ${e.linePos[0].col}` : '';
  return {
    path: '',
    message: `received text that is not valid YAML${where} (${(e as Error).message.split('\n')[0]}); expected ${expected}`,
  };
}

/** Any thrown error as issues for an author: AuthoringError and ZodError issue by issue, else its message's first line. */
export function errorIssues(e: unknown): FieldIssue[] {
  if (e instanceof AuthoringError) return [...e.issues];
  if (e instanceof ZodError) {
    return e.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
  }
  return [{ path: '', message: String((e as Error)?.message ?? e).split('\n')[0] }];
}

/**
 * Check one scenario file's text: syntax, format, references, lesson, the engine's run and the story checks.
 * @param file the path named in messages; its base name must be the scenario's id
 */
export function checkScenarioText(file: string, text: string, index: Pick<ContentIndex, 'lessonIds'>): FieldIssue[] {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (e) {
    return [yamlProblem(e, 'a YAML or JSON scenario')];
  }
  const issues = scenarioIssues(raw, file);
  if (issues.length) return issues;
  const scenario = raw as Scenario;
  if (scenario.lesson !== undefined && !index.lessonIds.includes(scenario.lesson)) {
    issues.push({
      path: 'lesson',
      message: `unknown lesson — received "${scenario.lesson}"; expected one of the lessons in content/lessons/: ${quoteList(index.lessonIds)}`,
    });
  }
  try {
    const result = runScenario(scenario);
    for (const line of formatCheckFailures(verifyStoryChecks(scenario, result))) {
      const [path, ...rest] = line.split(': ');
      issues.push({ path, message: rest.join(': ') });
    }
  } catch (e) {
    issues.push(...errorIssues(e).map((i) => ({ ...i, message: `the engine could not play it: ${i.message}` })));
  }
  return issues;
}

/** Check one quiz file's text as the build does (site/lib/quiz.ts, loaded lazily: it pulls the engine's query vocabulary). */
export async function checkQuizText(file: string, text: string): Promise<FieldIssue[]> {
  const { parseQuizFile } = await import('../site/lib/quiz.ts');
  try {
    parseQuizFile(file, text);
    return [];
  } catch (e) {
    return errorIssues(e);
  }
}

/** Check one lesson's frontmatter and its `<Scenario id="…" />` references. */
export function checkLessonText(file: string, text: string, index: ContentIndex): FieldIssue[] {
  const m = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text);
  if (!m)
    return [
      { path: '', message: 'received no frontmatter; expected the file to start with a --- block (title, order, summary, objectives)' },
    ];
  let data: unknown;
  try {
    data = parseYaml(m[1]);
  } catch (e) {
    return [yamlProblem(e, 'YAML frontmatter')];
  }
  const parsed = friendlyParse(lessonSchema, data);
  if (!parsed.success) return parsed.issues;
  const issues = lessonReferenceIssues(parsed.data, (q) => index.quizIds.includes(q), index.exerciseIds);
  for (const [, id] of text.matchAll(/<Scenario\s+id="([^"]*)"/g)) {
    if (!index.scenarioIds.includes(id))
      issues.push({
        path: `<Scenario id="${id}">`,
        message: `unknown scenario — received "${id}"; expected one of the files in content/scenarios/: ${quoteList(index.scenarioIds)}`,
      });
  }
  return issues;
}

const base = (f: string) => f.replace(/\.(ya?ml|json|mdx)$/, '');

/**
 * Check every lesson, quiz and scenario under `root` (the project root).
 * @returns one report per file, in the order lessons, quizzes, scenarios
 */
export async function checkAllContent(root: string, exerciseIds?: ReadonlySet<string>): Promise<FileReport[]> {
  const list = (dir: string, re: RegExp) =>
    readdirSync(join(root, dir))
      .filter((f) => re.test(f))
      .sort();
  const lessons = list('content/lessons', /\.mdx$/);
  const quizzes = list('content/quizzes', /\.ya?ml$/);
  const scenarios = list('content/scenarios', /\.(ya?ml|json)$/);
  const index: ContentIndex = { lessonIds: lessons.map(base), quizIds: quizzes.map(base), scenarioIds: scenarios.map(base), exerciseIds };
  const read = (dir: string, f: string) => readFileSync(join(root, dir, f), 'utf8');
  const reports: FileReport[] = [];
  for (const f of lessons) reports.push({ file: `content/lessons/${f}`, problems: checkLessonText(f, read('content/lessons', f), index) });
  for (const f of quizzes) {
    const file = `content/quizzes/${f}`;
    reports.push({ file, problems: await checkQuizText(file, read('content/quizzes', f)) });
  }
  for (const f of scenarios) {
    const file = `content/scenarios/${f}`;
    reports.push({ file, problems: checkScenarioText(file, read('content/scenarios', f), index) });
  }
  return reports;
}
