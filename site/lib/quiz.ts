/**
 * The quiz compiler: a quiz file (content/quizzes/<lesson-id>.yaml), validated by its schema
 * (content/schema/quiz.ts: the format, per question type), compiled with every answer computed by the
 * engine (./quiz-answers.ts) at build time. The compiled quiz (plain JSON, {@link CompiledQuiz}) is what
 * the Quiz island receives and grades against in the browser.
 */
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { AuthoringError, friendlyParse, preview, type FieldIssue } from '../../content/schema/friendly-errors.ts';
import { quizSourceSchema, type QuestionSource, type QuizSource } from '../../content/schema/quiz.ts';
import { computeEngineQuery, givenFacts, type EngineResult } from './quiz-answers.ts';

/** A choice or step as the island shows it. `html` is rendered inline Markdown (escaped). */
export interface CompiledOption {
  id: string;
  html: string;
}

interface CompiledBase {
  id: string;
  promptHtml: string;
  /** the explanation with `{answer}` and variables filled in, as HTML */
  explanationHtml: string;
  /** the engine's working, one step per line (plain text); empty for conceptual questions */
  working: string[];
  /** facts given with the prompt (`given:`), computed by the engine, one per line (plain text) */
  given?: string[];
}

/** A best-fit design: its text and why it fits the situation or not (HTML). */
export interface CompiledBestFitOption extends CompiledOption {
  explanationHtml: string;
}

/**
 * A question ready for the Quiz island: plain JSON, answers included.
 * best-fit: `explanationHtml` is the optional takeaway ('' when none); each option carries its own.
 * recall: `explanationHtml` is the model answer (paragraphs, `<p>…</p>`); `points` are the key points.
 */
export type CompiledQuestion =
  | (CompiledBase & { type: 'single-choice'; choices: CompiledOption[]; correct: string })
  | (CompiledBase & { type: 'multi-select'; choices: CompiledOption[]; correct: string[] })
  | (CompiledBase & { type: 'numeric'; correct: number; unit?: string })
  | (CompiledBase & { type: 'order-steps'; steps: CompiledOption[]; correct: string[] })
  | (CompiledBase & { type: 'best-fit'; options: CompiledBestFitOption[]; correct: string })
  | (CompiledBase & { type: 'recall'; points: CompiledOption[] });

export interface CompiledQuiz {
  /** the quiz id: the file name without `.yaml` (= the lesson id by convention) */
  id: string;
  title: string;
  questions: CompiledQuestion[];
}

// ---------------------------------------------------------------------------------------------
// Inline Markdown (escaped): enough for prompts and explanations.

const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/**
 * Render inline Markdown to HTML: `code`, **bold**, *em*, [text](url); everything else is escaped text.
 * Code spans are not further formatted.
 */
export function inlineMarkdown(source: string): string {
  const parts = source.split(/(`[^`]+`)/g);
  return parts
    .map((part) => {
      if (part.startsWith('`') && part.endsWith('`') && part.length >= 2) return `<code>${escapeHtml(part.slice(1, -1))}</code>`;
      return escapeHtml(part)
        .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
        .replace(/\*([^*\s][^*]*)\*/g, '<em>$1</em>')
        .replace(/\[([^\]]+)\]\(((?:https?:\/\/|\/|#)[^)\s]*)\)/g, '<a href="$2">$1</a>');
    })
    .join('');
}

/** Paragraphs (separated by blank lines) of inline Markdown, each as `<p>…</p>`. */
export function paragraphsMarkdown(source: string): string {
  return source
    .split(/\n\s*\n/)
    .map((p) => p.trim().replace(/\s*\n\s*/g, ' '))
    .filter((p) => p.length > 0)
    .map((p) => `<p>${inlineMarkdown(p)}</p>`)
    .join('');
}

/** Plain text of inline Markdown (for `{answer}` inside explanations and aria labels). */
const plain = (source: string): string => source.replace(/\*\*|\*|`/g, '');

// ---------------------------------------------------------------------------------------------
// Deterministic shuffle for order-steps

/** FNV-1a 32-bit of a string (a seed, nothing cryptographic). */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** mulberry32: a tiny seeded PRNG in [0, 1). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Shuffle deterministically from `seed` (Fisher–Yates with mulberry32); never returns the input order
 * when there are ≥ 2 items (rotates by one if the shuffle happened to keep it).
 */
export function deterministicShuffle<T>(items: readonly T[], seed: string): T[] {
  const out = [...items];
  const random = mulberry32(fnv1a(seed));
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  if (out.length >= 2 && out.every((x, i) => x === items[i])) out.push(out.shift() as T);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Compilation

const slug = (s: string): string =>
  plain(s)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)
    .replace(/-+$/g, '') || 'choice';

function choiceId(c: { id?: string; text: string; value?: string | number }): string {
  if (c.id) return c.id;
  if (c.value !== undefined) return slug(String(c.value)) || String(c.value);
  return slug(c.text);
}

function fill(template: string, vars: Record<string, string | number>, path: string, issues: FieldIssue[]): string {
  return template.replace(/\{([A-Za-z][A-Za-z0-9]*)\}/g, (whole, name: string) => {
    if (name in vars) {
      const v = vars[name];
      return typeof v === 'number' ? v.toLocaleString('en-US') : v;
    }
    issues.push({
      path,
      message: `received the placeholder "${whole}"; expected one of ${Object.keys(vars)
        .map((k) => `{${k}}`)
        .join(', ')}`,
    });
    return whole;
  });
}

function compileQuestion(quizId: string, q: QuestionSource, at: string, issues: FieldIssue[]): CompiledQuestion | undefined {
  const before = issues.length;
  let result: EngineResult | undefined;
  if ('answer' in q && q.answer) {
    try {
      result = computeEngineQuery(q.answer);
    } catch (e) {
      issues.push({ path: `${at}.answer`, message: `the engine query failed: ${(e as Error).message}` });
      return undefined;
    }
  }
  const working = result?.working ?? [];
  let given: string[] = [];
  if ('given' in q && q.given !== undefined) {
    if (!('answer' in q) || !q.answer) {
      issues.push({
        path: `${at}.given`,
        message: `received "${q.given}" on a question without an engine query; expected "given" only with "answer: <engine query>" about keys`,
      });
    } else {
      const facts = givenFacts(q.answer, q.given);
      if (facts.ok) given = facts.lines;
      else issues.push({ path: `${at}.given`, message: facts.error });
    }
  }
  const vars: Record<string, string | number> = { ...(result?.vars ?? {}) };
  const common = (answerText: string | number) => {
    vars.answer = answerText;
    return {
      id: q.id,
      promptHtml: inlineMarkdown(q.prompt),
      explanationHtml: 'explanation' in q && q.explanation ? inlineMarkdown(fill(q.explanation, vars, `${at}.explanation`, issues)) : '',
      working,
      ...(given.length > 0 ? { given } : {}),
    };
  };

  switch (q.type) {
    case 'single-choice': {
      const choices = q.choices.map((c) => ({ ...c, id: choiceId(c) }));
      checkDistinct(
        choices.map((c) => c.id),
        `${at}.choices`,
        issues,
      );
      let correct: string | undefined;
      if ((q.correct === undefined) === (q.answer === undefined)) {
        issues.push({
          path: at,
          message: `received ${q.correct === undefined ? 'neither' : 'both'} "correct" and "answer"; expected exactly one: "answer" (an engine query) for computable questions, "correct" (a choice id) for conceptual ones`,
        });
      } else if (q.correct !== undefined) {
        correct = q.correct;
        if (!choices.some((c) => c.id === correct)) {
          issues.push({
            path: `${at}.correct`,
            message: `received ${preview(correct)}; expected one of the choice ids ${choices.map((c) => preview(c.id)).join(', ')}`,
          });
        }
      } else if (result) {
        if (Array.isArray(result.value)) {
          issues.push({
            path: `${at}.answer.engine`,
            message: `received ${preview(q.answer?.engine)}, which returns a list of keys; expected a query returning one number for a single-choice question (or use type: multi-select)`,
          });
        } else {
          const matches = choices.filter((c) => c.value !== undefined && String(c.value) === String(result!.value));
          if (matches.length !== 1) {
            issues.push({
              path: `${at}.choices`,
              message: `received ${matches.length} choices whose value is the engine's answer ${result.value}; expected exactly one (give the right choice \`value: ${result.value}\`)`,
            });
          } else correct = matches[0].id;
        }
      }
      if (issues.length > before || correct === undefined) return undefined;
      const answerChoice = choices.find((c) => c.id === correct)!;
      return {
        ...common(result ? (result.value as number) : plain(answerChoice.text)),
        type: 'single-choice',
        choices: choices.map((c) => ({ id: c.id, html: inlineMarkdown(c.text) })),
        correct,
      };
    }
    case 'multi-select': {
      if ((q.correct === undefined) === (q.answer === undefined)) {
        issues.push({
          path: at,
          message: `received ${q.correct === undefined ? 'neither' : 'both'} "correct" and "answer"; expected exactly one: "answer" (an engine query returning keys) or "correct" (choice ids, conceptual questions only)`,
        });
        return undefined;
      }
      let choices: { id: string; text: string; value?: string | number }[];
      let correct: string[];
      if (q.correct !== undefined) {
        if (!q.choices) {
          issues.push({
            path: `${at}.choices`,
            message: 'received nothing (the field is missing); expected a list of at least 2 choices when "correct" is given',
          });
          return undefined;
        }
        choices = q.choices.map((c) => ({ ...c, id: choiceId(c) }));
        correct = q.correct;
        const unknown = correct.filter((id) => !choices.some((c) => c.id === id));
        if (unknown.length > 0) {
          issues.push({
            path: `${at}.correct`,
            message: `received unknown choice id${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => preview(u)).join(', ')}; expected ids among ${choices.map((c) => preview(c.id)).join(', ')}`,
          });
        }
      } else {
        if (!result || !Array.isArray(result.value)) {
          issues.push({
            path: `${at}.answer.engine`,
            message: `received ${preview(q.answer?.engine)}, which returns a number; expected a query returning keys (keysThatMove, keysOnPartition) for a multi-select question`,
          });
          return undefined;
        }
        const keys = 'keys' in q.answer! ? (q.answer as { keys: string[] }).keys : [];
        const authored = q.choices ?? keys.map((k) => ({ text: `\`${k}\``, value: k }));
        choices = authored.map((c) => ({ ...c, id: choiceId(c) }));
        const valueless = choices.filter((c) => c.value === undefined || !keys.includes(String(c.value)));
        if (valueless.length > 0) {
          issues.push({
            path: `${at}.choices`,
            message: `received choice${valueless.length > 1 ? 's' : ''} ${valueless.map((c) => preview(c.text)).join(', ')} without a "value" among the query's keys; expected each choice's value to be one of ${keys.map((k) => preview(k)).join(', ')}`,
          });
        }
        const set = new Set(result.value);
        correct = choices.filter((c) => set.has(String(c.value))).map((c) => c.id);
      }
      checkDistinct(
        choices.map((c) => c.id),
        `${at}.choices`,
        issues,
      );
      if (issues.length > before) return undefined;
      const answerText =
        correct.length === 0
          ? 'none of them'
          : choices
              .filter((c) => correct.includes(c.id))
              .map((c) => plain(c.text))
              .join(', ');
      return {
        ...common(answerText),
        type: 'multi-select',
        choices: choices.map((c) => ({ id: c.id, html: inlineMarkdown(c.text) })),
        correct,
      };
    }
    case 'numeric': {
      if (!result || Array.isArray(result.value)) {
        issues.push({
          path: `${at}.answer.engine`,
          message: `received ${preview(q.answer.engine)}, which returns a list of keys; expected a query returning a number (murmur2, toPositive, partitionForKey) for a numeric question`,
        });
        return undefined;
      }
      const compiled = { ...common(result.value), type: 'numeric' as const, correct: result.value, ...(q.unit ? { unit: q.unit } : {}) };
      return issues.length > before ? undefined : compiled;
    }
    case 'order-steps': {
      const steps = q.steps.map((s) => (typeof s === 'string' ? { id: slug(s), text: s } : s));
      checkDistinct(
        steps.map((s) => s.id),
        `${at}.steps`,
        issues,
      );
      const answerText = steps.map((s, i) => `${i + 1}. ${plain(s.text)}`).join(' ');
      const compiled = {
        ...common(answerText),
        type: 'order-steps' as const,
        steps: deterministicShuffle(steps, `${quizId}/${q.id}`).map((s) => ({ id: s.id, html: inlineMarkdown(s.text) })),
        correct: steps.map((s) => s.id),
      };
      return issues.length > before ? undefined : compiled;
    }
    case 'best-fit': {
      const options = q.options.map((o) => ({ ...o, id: choiceId(o) }));
      checkDistinct(
        options.map((o) => o.id),
        `${at}.options`,
        issues,
      );
      const best = options.filter((o) => o.best === true);
      if (best.length !== 1) {
        issues.push({
          path: `${at}.options`,
          message: `received ${best.length} options with "best: true"${best.length > 1 ? ` (${best.map((o) => preview(o.id)).join(', ')})` : ''}; expected exactly one: mark the design that fits the situation best with "best: true"`,
        });
      }
      if (issues.length > before) return undefined;
      const compiled = {
        ...common(plain(best[0].text)),
        type: 'best-fit' as const,
        options: options.map((o, i) => ({
          id: o.id,
          html: inlineMarkdown(o.text),
          explanationHtml: inlineMarkdown(fill(o.explanation, vars, `${at}.options.${i}.explanation`, issues)),
        })),
        correct: best[0].id,
      };
      return issues.length > before ? undefined : compiled;
    }
    case 'recall': {
      const points = q.points.map((p) => (typeof p === 'string' ? { id: slug(p), text: p } : p));
      checkDistinct(
        points.map((p) => p.id),
        `${at}.points`,
        issues,
      );
      if (issues.length > before) return undefined;
      return {
        ...common(''),
        explanationHtml: paragraphsMarkdown(q.modelAnswer),
        type: 'recall',
        points: points.map((p) => ({ id: p.id, html: inlineMarkdown(p.text) })),
      };
    }
  }
}

function checkDistinct(ids: string[], path: string, issues: FieldIssue[]): void {
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id))
      issues.push({ path, message: `received the id ${preview(id)} twice; expected distinct ids (give each item an explicit "id")` });
    seen.add(id);
  }
}

/**
 * Compile a validated quiz: compute every engine answer, fill explanations, shuffle order-steps.
 * @param quizId the quiz id (file name without extension), part of the shuffle seed
 * @returns the compiled quiz, or the authoring issues (field path + received + expected)
 */
export function compileQuiz(quizId: string, source: QuizSource): { ok: true; quiz: CompiledQuiz } | { ok: false; issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  checkDistinct(
    source.questions.map((q) => q.id),
    'questions',
    issues,
  );
  const questions = source.questions.map((q, i) => compileQuestion(quizId, q, `questions.${i}`, issues));
  if (issues.length > 0) return { ok: false, issues };
  return {
    ok: true,
    quiz: { id: quizId, title: source.title ?? 'Check your understanding', questions: questions as CompiledQuestion[] },
  };
}

/** Validate and compile authored quiz data; `[]` when fine, else the issues. For content.config.ts. */
export function quizIssues(quizId: string, data: unknown): FieldIssue[] {
  const parsed = friendlyParse(quizSourceSchema, data);
  if (!parsed.success) return parsed.issues;
  const compiled = compileQuiz(quizId, parsed.data);
  return compiled.ok ? [] : compiled.issues;
}

/**
 * Parse, validate and compile a quiz file's text.
 * @param file the path shown in errors, e.g. `content/quizzes/01-keys-and-partitions.yaml`
 * @param yamlText the file's contents
 * @throws AuthoringError naming the file, each field, what was received and what was expected
 */
export function parseQuizFile(file: string, yamlText: string): CompiledQuiz {
  let data: unknown;
  try {
    data = parseYaml(yamlText);
  } catch (e) {
    const where = e instanceof YAMLParseError && e.linePos ? ` at line ${e.linePos[0].line}, column ${e.linePos[0].col}` : '';
    throw new AuthoringError(file, [
      {
        path: '',
        message: `received text that is not valid YAML${where}; expected a YAML mapping with "questions" (${(e as Error).message.split('\n')[0]})`,
      },
    ]);
  }
  const parsed = friendlyParse(quizSourceSchema, data);
  if (!parsed.success) throw new AuthoringError(file, parsed.issues);
  const id = file.replace(/^.*\//, '').replace(/\.ya?ml$/, '');
  const compiled = compileQuiz(id, parsed.data);
  if (!compiled.ok) throw new AuthoringError(file, compiled.issues);
  return compiled.quiz;
}
