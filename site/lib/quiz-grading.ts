/**
 * Grading a compiled quiz question in the browser, from the build-time answers (site/lib/quiz.ts).
 * Pure functions: the Quiz island and the unit tests share them.
 */
import type { CompiledQuestion } from './quiz.ts';
import type { QuizAnswer } from './progress.ts';

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
 * (order-steps). A wrongly shaped answer (e.g. a stored one from an older quiz) is simply not correct.
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
      return (
        Array.isArray(answer) &&
        answer.length === question.steps.length &&
        question.steps.every((s) => answer.includes(s.id))
      );
  }
}
