/**
 * A lesson spec validates its front matter the way the build does (lessonFrontmatter): a broken field
 * reads as the build's message — the file, the field, what was received and what was expected — never
 * as zod's raw issue dump.
 */
import { describe, expect, it } from 'vitest';
import { AuthoringError } from '../schema/friendly-errors.ts';
import { lessonFrontmatter, readLesson } from './lesson-source.ts';

const lesson = readLesson(new URL('./04-replication.mdx', import.meta.url));

/** the error lessonFrontmatter throws for the lesson with `change` applied to its front matter */
function errorFor(change: Record<string, unknown>): AuthoringError {
  try {
    lessonFrontmatter({ file: lesson.file, frontmatter: { ...lesson.frontmatter, ...change } });
  } catch (e) {
    if (e instanceof AuthoringError) return e;
    throw e;
  }
  throw new Error('no error was thrown');
}

describe('lessonFrontmatter', () => {
  it('returns the parsed front matter of a lesson that is fine', () => {
    expect(lessonFrontmatter(lesson)).toMatchObject({ order: 4, quiz: '04-replication' });
  });

  it('a wrong type names the file and the field, with what came and what was expected', () => {
    const e = errorFor({ order: 'four' });
    expect(e.message.split('\n')[0]).toBe('content/lessons/04-replication.mdx has 1 problem:');
    expect(e.message).toMatch(/^ {2}- order: received "four".*expected/m);
    expect(e.message).not.toMatch(/"code":|invalid_type|"path": \[/);
  });

  it('a misspelt field suggests the right one; a quiz that does not exist says which file is missing', () => {
    expect(errorFor({ quizz: '04-replication' }).message).toMatch(/"quizz".*did you mean "quiz"\?/);
    const missing = errorFor({ quiz: '04-replications' });
    expect(missing.issues).toEqual([
      {
        path: 'quiz',
        message: 'received "04-replications"; expected the id of a quiz file, but content/quizzes/04-replications.yaml does not exist',
      },
    ]);
  });
});
