/**
 * Content collections (Astro 5 content layer), read from ../content with the glob loader.
 *
 * - `lessons`: content/lessons/*.mdx; frontmatter schema and reference checks in content/schema/lesson.ts
 *   (title, order, summary, objectives, quiz?, checkpoint?, draft?).
 * - `quizzes`: content/quizzes/*.yaml in the format of ./lib/quiz.ts; answers are computed by the engine
 *   while validating, so an engine query that cannot be answered fails here.
 *
 * Authoring mistakes fail the build with the file (Astro prints the entry and its location), the field,
 * what was received and what was expected, e.g.
 *   **lessons → 01-keys-and-partitions** data does not match collection schema.
 *     **order**: received "first" (a string); expected a number
 */
import { existsSync } from 'node:fs';
import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { withFriendlyErrors } from '../content/schema/friendly-errors.ts';
import { lessonReferenceIssues, lessonSchema } from '../content/schema/lesson.ts';
import { quizIssues } from './lib/quiz.ts';
import { quizSourceSchema } from '../content/schema/quiz.ts';

const contentDir = new URL('../content/', import.meta.url);

/**
 * The exercise ids registered in exercises/index.ts, or undefined while that module does not exist
 * (import.meta.glob matches nothing instead of failing the build).
 */
async function exerciseIds(): Promise<Set<string> | undefined> {
  const modules = import.meta.glob<{ exercises?: Record<string, unknown> }>('../exercises/index.ts');
  const load = Object.values(modules)[0];
  if (!load) {
    console.warn('[content] lesson checkpoints are not cross-checked: exercises/index.ts does not exist yet');
    return undefined;
  }
  const mod = await load();
  return mod.exercises ? new Set(Object.keys(mod.exercises)) : undefined;
}
const knownExercises = await exerciseIds();
const quizExists = (quizId: string): boolean => existsSync(new URL(`quizzes/${quizId}.yaml`, contentDir));

const lessons = defineCollection({
  loader: glob({ pattern: '*.mdx', base: './content/lessons' }),
  schema: withFriendlyErrors(lessonSchema, (lesson) => lessonReferenceIssues(lesson, quizExists, knownExercises)),
});

const quizzes = defineCollection({
  loader: glob({ pattern: '*.yaml', base: './content/quizzes' }),
  // The quiz id is not in the data, so this check compiles with a placeholder id (it only seeds shuffles).
  schema: withFriendlyErrors(quizSourceSchema, (quiz) => quizIssues('validation', quiz)),
});

export const collections = { lessons, quizzes };
