/**
 * Grading a compiled quiz question in the browser, from the build-time answers (site/lib/quiz.ts).
 * Pure functions: the Quiz island and the unit tests share them.
 */
import type { CompiledQuestion } from './quiz.ts';
import type { QuizAnswer } from './progress.ts';
import { recallOutcome, type RecallOutcome } from './recall-schedule.ts';

// ---------------------------------------------------------------------------------------------
// Recall answers

/** The first item of a stored recall answer (progress.ts keeps answers as string | number | string[]). */
export const RECALL_TAG = 'recall/v1';

/**
 * A recall answer: the learner's own words, the key points they ticked, and whether they have graded
 * themselves yet (`revealed`: the model answer is shown and they are ticking; `graded`: done, scheduled).
 */
export interface RecallAnswer {
  phase: 'revealed' | 'graded';
  text: string;
  ticked: string[];
}

/**
 * Store a recall answer in progress's answer shape: `["recall/v1", phase, text, ...tickedPointIds]`.
 * (A list of strings, so progress files stay readable by versions that do not know recall questions.)
 */
export function encodeRecallAnswer(a: RecallAnswer): string[] {
  return [RECALL_TAG, a.phase, a.text, ...a.ticked];
}

/** Read a stored recall answer; undefined when `answer` is not one. */
export function decodeRecallAnswer(answer: QuizAnswer): RecallAnswer | undefined {
  if (!Array.isArray(answer) || answer.length < 3 || answer[0] !== RECALL_TAG) return undefined;
  const phase = answer[1];
  if (phase !== 'revealed' && phase !== 'graded') return undefined;
  return { phase, text: answer[2], ticked: answer.slice(3) };
}

/** The self-graded outcome of a recall answer for a question: from the fraction of its points ticked. */
export function recallAnswerOutcome(question: Extract<CompiledQuestion, { type: 'recall' }>, a: RecallAnswer): RecallOutcome {
  const ticked = question.points.filter((p) => a.ticked.includes(p.id)).length;
  return recallOutcome(ticked, question.points.length);
}

/**
 * Read a learner's numeric input: a whole number, optionally with thousands separators (`1,234`, `1 234`,
 * `1_234`) and a sign. Returns undefined for anything else (empty, `4.5`, `four`).
 */
export function parseWholeNumber(input: string): number | undefined {
  const compact = input.trim().replace(/[\s,_]/g, '');
  if (!/^[-+−]?\d{1,16}$/.test(compact)) return undefined;
  return Number(compact.replace('−', '-'));
}

/**
 * Is `answer` right for `question`? The answer's kind must fit the question's type: a choice id
 * (single-choice), choice ids in any order (multi-select), a number (numeric), step ids in order
 * (order-steps), the best option's id (best-fit), a graded recall answer with every key point ticked
 * (recall: "got it"). A wrongly shaped answer (e.g. a stored one from an older quiz) is simply not correct.
 */
export function isCorrect(question: CompiledQuestion, answer: QuizAnswer): boolean {
  switch (question.type) {
    case 'single-choice':
      return answer === question.correct;
    case 'multi-select': {
      if (!Array.isArray(answer)) return false;
      const picked = new Set(answer);
      return picked.size === question.correct.length && question.correct.every((id) => picked.has(id));
    }
    case 'numeric':
      return typeof answer === 'number' && answer === question.correct;
    case 'order-steps':
      return Array.isArray(answer) && answer.length === question.correct.length && answer.every((id, i) => id === question.correct[i]);
    case 'best-fit':
      return answer === question.correct;
    case 'recall': {
      const recall = decodeRecallAnswer(answer);
      return recall !== undefined && recall.phase === 'graded' && recallAnswerOutcome(question, recall) === 'got-it';
    }
  }
}

/**
 * Does a stored answer still fit the question as built now (same choice/step ids)? Used to restore
 * the UI after a reload; answers that no longer fit are ignored rather than shown half-valid.
 */
export function answerFits(question: CompiledQuestion, answer: QuizAnswer): boolean {
  switch (question.type) {
    case 'single-choice':
      return typeof answer === 'string' && question.choices.some((c) => c.id === answer);
    case 'multi-select':
      return Array.isArray(answer) && answer.every((id) => question.choices.some((c) => c.id === id));
    case 'numeric':
      return typeof answer === 'number';
    case 'order-steps':
      return Array.isArray(answer) && answer.length === question.steps.length && question.steps.every((s) => answer.includes(s.id));
    case 'best-fit':
      return typeof answer === 'string' && question.options.some((o) => o.id === answer);
    case 'recall': {
      const recall = decodeRecallAnswer(answer);
      return recall !== undefined && recall.ticked.every((id) => question.points.some((p) => p.id === id));
    }
  }
}
