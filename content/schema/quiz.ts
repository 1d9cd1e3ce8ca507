/**
 * The quiz format (content/quizzes/<lesson-id>.yaml): the zod schema of a quiz file and its questions,
 * the content contract. site/lib/quiz.ts compiles a valid file (answers from the engine).
 *
 * A quiz file:
 * ```yaml
 * title: Keys and partitions            # optional; default "Check your understanding"
 * questions:
 *   - id: order-456-with-6              # kebab-case, unique in the quiz; answers are stored under it
 *     type: numeric                     # single-choice | multi-select | numeric | order-steps | best-fit | recall
 *     prompt: With 6 partitions, which partition does the key `order-456` go to?
 *     answer: { engine: partitionForKey, key: order-456, numPartitions: 6 }
 *     explanation: Partition {answer}. The producer hashes the key's bytes …
 * ```
 * Per type:
 * - `single-choice`: `choices` (≥ 2; each `{ text, id?, value? }`) and EITHER `correct: <choice id>`
 *   (conceptual questions only) OR `answer: <engine query>` whose number or string is matched against
 *   the choices' `value`s (exactly one must match).
 * - `multi-select`: EITHER `choices` + `correct: [choice ids]` (conceptual) OR `answer: <engine query>`
 *   returning keys (`keysThatMove`, `keysOnPartition`); then `choices` may be omitted and default to
 *   the query's keys, or list choices whose `value` is a key.
 * - `numeric`: `answer: <engine query>` returning a number; optional `unit` ("partition") shown next to the input.
 * - `order-steps`: `steps` (≥ 3; text or `{ id, text }`), authored in the RIGHT order; shown shuffled
 *   deterministically (seeded by quiz and question id, never in the right order).
 * - `best-fit` (conceptual): a production situation as the `prompt`, 3–4 `options` (`{ text, explanation,
 *   best?: true, id? }`), exactly one `best: true`, each with its own `explanation` of why it fits or not;
 *   the question-level `explanation` (the takeaway) is optional. All explanations show after answering.
 * - `recall` (conceptual, self-graded): a free-text `prompt`, a `modelAnswer` (inline Markdown; blank lines
 *   separate paragraphs) and 3–6 key `points` (text or `{ id, text }`) the learner ticks off; no
 *   `explanation` (the model answer is it). Scheduled for review (site/lib/recall-schedule.ts).
 *
 * Choice ids default to the choice's `value` (as a string), else a slug of its text.
 * `prompt`, choice texts, steps and `explanation` accept inline Markdown: `code`, **bold**, *em*, [link](url).
 * `given: murmur2 | toPositive` (questions with a key query): the engine's hash of each key the query names,
 * shown under the prompt (`murmur2("order-456") = -1234567890`), so the learner applies the rule rather than
 * computing murmur2 by hand — never typed into a prompt.
 * `explanation` may interpolate `{answer}` and the engine query's variables (see site/lib/quiz-answers.ts), e.g.
 * `{murmur2}`, `{toPositive}`; the query's working (hash → toPositive → modulo) is shown under it.
 *
 * Answers are computed by the engine at build time (site/lib/quiz.ts); the engine queries' schema is
 * ./engine-query.ts.
 */
import { z } from 'zod';
import { stringMatching } from './friendly-errors.ts';
import { engineQuerySchema } from './engine-query.ts';

const kebab = stringMatching(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'a kebab-case id like "order-456-with-6"');
const text = z.string().trim().min(1);

const choiceSchema = z.object({ id: kebab.optional(), text, value: z.union([z.string(), z.number()]).optional() }).strict();
const stepSchema = z.union([text, z.object({ id: kebab, text }).strict()]);

const givenSchema = z.enum(['murmur2', 'toPositive']);
const base = { id: kebab, prompt: text, explanation: text, given: givenSchema.optional() };

const bestFitOptionSchema = z.object({ id: kebab.optional(), text, explanation: text, best: z.boolean().optional() }).strict();
const pointSchema = z.union([text, z.object({ id: kebab, text }).strict()]);

/** The zod schema of one authored question (before compilation). */
export const questionSourceSchema = z.discriminatedUnion('type', [
  z
    .object({
      ...base,
      type: z.literal('single-choice'),
      choices: z.array(choiceSchema).min(2),
      correct: kebab.optional(),
      answer: engineQuerySchema.optional(),
    })
    .strict(),
  z
    .object({
      ...base,
      type: z.literal('multi-select'),
      choices: z.array(choiceSchema).min(2).optional(),
      correct: z.array(kebab).optional(),
      answer: engineQuerySchema.optional(),
    })
    .strict(),
  z.object({ ...base, type: z.literal('numeric'), answer: engineQuerySchema, unit: text.optional() }).strict(),
  z.object({ ...base, type: z.literal('order-steps'), steps: z.array(stepSchema).min(3) }).strict(),
  z
    .object({
      id: kebab,
      type: z.literal('best-fit'),
      prompt: text,
      options: z.array(bestFitOptionSchema).min(3).max(4),
      explanation: text.optional(),
    })
    .strict(),
  z.object({ id: kebab, type: z.literal('recall'), prompt: text, modelAnswer: text, points: z.array(pointSchema).min(3).max(6) }).strict(),
]);

/** The zod schema of an authored quiz file. */
export const quizSourceSchema = z
  .object({
    title: text.optional(),
    questions: z.array(questionSourceSchema).min(1),
  })
  .strict();

export type QuizSource = z.infer<typeof quizSourceSchema>;
export type QuestionSource = z.infer<typeof questionSourceSchema>;
