import { describe, expect, it } from 'vitest';
import type { CompiledQuestion } from './quiz.ts';
import { answerFits, decodeRecallAnswer, encodeRecallAnswer, isCorrect, parseWholeNumber, recallAnswerOutcome } from './quiz-grading.ts';

const base = { promptHtml: '', explanationHtml: '', working: [] };
const single: CompiledQuestion = {
  ...base,
  id: 's',
  type: 'single-choice',
  choices: [
    { id: 'a', html: 'A' },
    { id: 'b', html: 'B' },
  ],
  correct: 'b',
};
const multi: CompiledQuestion = {
  ...base,
  id: 'm',
  type: 'multi-select',
  choices: ['a', 'b', 'c'].map((id) => ({ id, html: id })),
  correct: ['a', 'c'],
};
const numeric: CompiledQuestion = { ...base, id: 'n', type: 'numeric', correct: 531491656 };
const order: CompiledQuestion = {
  ...base,
  id: 'o',
  type: 'order-steps',
  steps: ['y', 'z', 'x'].map((id) => ({ id, html: id })),
  correct: ['x', 'y', 'z'],
};

describe('parseWholeNumber', () => {
  it.each([
    ['4', 4],
    [' 4 ', 4],
    ['531,491,656', 531491656],
    ['531 491 656', 531491656],
    ['1_000', 1000],
    ['-1615991992', -1615991992],
    ['−7', -7],
  ])('%j → %d', (input, expected) => expect(parseWholeNumber(input)).toBe(expected));

  it.each(['', 'four', '4.5', '4e3', '0x10', '--4'])('%j → undefined', (input) => expect(parseWholeNumber(input)).toBeUndefined());
});

describe('isCorrect', () => {
  it('single-choice: only the correct id', () => {
    expect(isCorrect(single, 'b')).toBe(true);
    expect(isCorrect(single, 'a')).toBe(false);
    expect(isCorrect(single, ['b'])).toBe(false);
  });
  it('multi-select: the same set in any order, no more, no less', () => {
    expect(isCorrect(multi, ['c', 'a'])).toBe(true);
    expect(isCorrect(multi, ['a'])).toBe(false);
    expect(isCorrect(multi, ['a', 'b', 'c'])).toBe(false);
    expect(isCorrect(multi, 'a')).toBe(false);
  });
  it('numeric: the number, not its string', () => {
    expect(isCorrect(numeric, 531491656)).toBe(true);
    expect(isCorrect(numeric, '531491656')).toBe(false);
    expect(isCorrect(numeric, 531491657)).toBe(false);
  });
  it('order-steps: exactly the authored order', () => {
    expect(isCorrect(order, ['x', 'y', 'z'])).toBe(true);
    expect(isCorrect(order, ['y', 'z', 'x'])).toBe(false);
    expect(isCorrect(order, ['x', 'y'])).toBe(false);
  });
});

describe('answerFits (restoring a stored answer)', () => {
  it('rejects answers that name choices or steps the quiz no longer has', () => {
    expect(answerFits(single, 'b')).toBe(true);
    expect(answerFits(single, 'gone')).toBe(false);
    expect(answerFits(multi, ['a', 'gone'])).toBe(false);
    expect(answerFits(multi, [])).toBe(true);
    expect(answerFits(numeric, 3)).toBe(true);
    expect(answerFits(numeric, 'three')).toBe(false);
    expect(answerFits(order, ['z', 'x', 'y'])).toBe(true);
    expect(answerFits(order, ['z', 'x'])).toBe(false);
  });
});

describe('best-fit and recall', () => {
  const bestFit: CompiledQuestion = {
    ...base,
    id: 'b',
    type: 'best-fit',
    options: ['in-place', 'new-topic', 'more-consumers'].map((id) => ({ id, html: id, explanationHtml: `why ${id}` })),
    correct: 'new-topic',
  };
  const recall = { ...base, id: 'r', type: 'recall' as const, points: ['p1', 'p2', 'p3', 'p4'].map((id) => ({ id, html: id })) };

  it('best-fit: only the best option is correct; a stored option id that is gone does not fit', () => {
    expect(isCorrect(bestFit, 'new-topic')).toBe(true);
    expect(isCorrect(bestFit, 'in-place')).toBe(false);
    expect(isCorrect(bestFit, ['new-topic'])).toBe(false);
    expect(answerFits(bestFit, 'more-consumers')).toBe(true);
    expect(answerFits(bestFit, 'gone')).toBe(false);
  });

  it('recall answers round-trip through the stored shape', () => {
    const a = { phase: 'graded' as const, text: 'Keys move because the modulo changes.', ticked: ['p1', 'p3'] };
    expect(encodeRecallAnswer(a)).toEqual(['recall/v1', 'graded', 'Keys move because the modulo changes.', 'p1', 'p3']);
    expect(decodeRecallAnswer(encodeRecallAnswer(a))).toEqual(a);
    expect(decodeRecallAnswer(['p1', 'p2', 'p3'])).toBeUndefined();
    expect(decodeRecallAnswer(['recall/v1', 'unknown-phase', 'x'])).toBeUndefined();
    expect(decodeRecallAnswer('recall/v1')).toBeUndefined();
  });

  it('recall: outcome from the ticked fraction; correct only when graded with every point ticked', () => {
    const answer = (phase: 'revealed' | 'graded', ticked: string[]) => encodeRecallAnswer({ phase, text: 'my words', ticked });
    expect(recallAnswerOutcome(recall, { phase: 'graded', text: '', ticked: ['p1', 'p2', 'p3', 'p4'] })).toBe('got-it');
    expect(recallAnswerOutcome(recall, { phase: 'graded', text: '', ticked: ['p2'] })).toBe('partly');
    expect(recallAnswerOutcome(recall, { phase: 'graded', text: '', ticked: [] })).toBe('missed');
    // a ticked id the question no longer has does not count
    expect(recallAnswerOutcome(recall, { phase: 'graded', text: '', ticked: ['p1', 'p2', 'p3', 'gone'] })).toBe('partly');
    expect(isCorrect(recall, answer('graded', ['p4', 'p3', 'p2', 'p1']))).toBe(true);
    expect(isCorrect(recall, answer('graded', ['p1', 'p2', 'p3']))).toBe(false);
    expect(isCorrect(recall, answer('revealed', ['p1', 'p2', 'p3', 'p4']))).toBe(false);
    expect(answerFits(recall, answer('revealed', ['p1']))).toBe(true);
    expect(answerFits(recall, answer('graded', ['gone']))).toBe(false);
    expect(answerFits(recall, 'p1')).toBe(false);
  });
});
