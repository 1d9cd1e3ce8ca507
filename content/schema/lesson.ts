/**
 * The lesson frontmatter schema and its cross-reference checks, shared by site/content.config.ts and
 * the content tests (no Astro import here, so Node tests can load it).
 *
 * Frontmatter of content/lessons/<id>.mdx:
 *   title (string), order (integer ≥ 1, unique across lessons), summary (string),
 *   objectives (non-empty list of strings), quiz? (a quiz id: content/quizzes/<quiz>.yaml must exist),
 *   checkpoint? (an exercise id registered in exercises/index.ts `exercises`), draft? (boolean).
 */
import { z } from 'zod';
import { stringMatching, type FieldIssue } from './friendly-errors.ts';

const id = stringMatching(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'a kebab-case id like "key-to-partition"');

/** Zod schema of a lesson's frontmatter (strict: a misspelt field is an error, not ignored). */
export const lessonSchema = z
  .object({
    title: z.string().trim().min(1),
    order: z.number().int().min(1),
    summary: z.string().trim().min(1),
    objectives: z.array(z.string().trim().min(1)).min(1),
    quiz: id.optional(),
    checkpoint: id.optional(),
    draft: z.boolean().optional(),
  })
  .strict();

export type LessonFrontmatter = z.infer<typeof lessonSchema>;

/**
 * Check a lesson's references to other content.
 * @param quizExists whether content/quizzes/<id>.yaml exists
 * @param exerciseIds the ids in the exercises registry; undefined skips the checkpoint check
 * @returns issues naming the field, what was received and what was expected (empty when fine)
 */
export function lessonReferenceIssues(
  lesson: LessonFrontmatter,
  quizExists: (quizId: string) => boolean,
  exerciseIds: ReadonlySet<string> | undefined,
): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (lesson.quiz !== undefined && !quizExists(lesson.quiz)) {
    issues.push({
      path: 'quiz',
      message: `received "${lesson.quiz}"; expected the id of a quiz file, but content/quizzes/${lesson.quiz}.yaml does not exist`,
    });
  }
  if (lesson.checkpoint !== undefined && exerciseIds && !exerciseIds.has(lesson.checkpoint)) {
    issues.push({
      path: 'checkpoint',
      message: `received "${lesson.checkpoint}"; expected an exercise id registered in exercises/index.ts: ${[...exerciseIds]
        .map((e) => `"${e}"`)
        .join(', ')}`,
    });
  }
  return issues;
}
