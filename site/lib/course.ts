/**
 * The course outline, built from the content collections at build time (server side only):
 * lessons sorted by `order`, each with its compiled quiz and its checkpoint.
 * Used by the home page and the lesson page; never shipped to the browser.
 */
import { getCollection, type CollectionEntry } from 'astro:content';
import { AuthoringError } from '../../content/schema/friendly-errors.ts';
import { compileQuiz, type CompiledQuiz } from './quiz.ts';
import { BASE as base } from './base-url.ts';

export interface CheckpointInfo {
  id: string;
  title: string;
  objectives: string[];
  href: string;
}

export interface OutlineLesson {
  entry: CollectionEntry<'lessons'>;
  id: string;
  order: number;
  title: string;
  summary: string;
  href: string;
  quiz?: CompiledQuiz;
  checkpoint?: CheckpointInfo;
}

type ExerciseMeta = { title?: string; objectives?: string[] };

/** Exercise titles/objectives from exercises/index.ts when it exists (import.meta.glob: no failure when absent). */
async function exerciseRegistry(): Promise<Record<string, ExerciseMeta>> {
  const modules = import.meta.glob<{ exercises?: Record<string, ExerciseMeta> }>('../../exercises/index.ts');
  const load = Object.values(modules)[0];
  return load ? ((await load()).exercises ?? {}) : {};
}

/**
 * The published lessons (drafts left out), sorted by `order`, with quiz and checkpoint.
 * @throws AuthoringError when two lessons share an `order`
 */
export async function courseOutline(): Promise<OutlineLesson[]> {
  const [lessons, quizzes, exercises] = await Promise.all([getCollection('lessons'), getCollection('quizzes'), exerciseRegistry()]);
  const published = lessons.filter((l) => !l.data.draft).sort((a, b) => a.data.order - b.data.order);
  for (let i = 1; i < published.length; i++) {
    if (published[i].data.order === published[i - 1].data.order) {
      throw new AuthoringError(`content/lessons/${published[i].id}.mdx`, [
        {
          path: 'order',
          message: `received ${published[i].data.order}, which content/lessons/${published[i - 1].id}.mdx also uses; expected a unique order`,
        },
      ]);
    }
  }
  return published.map((entry) => {
    const quizEntry = entry.data.quiz ? quizzes.find((q) => q.id === entry.data.quiz) : undefined;
    let quiz: CompiledQuiz | undefined;
    if (quizEntry) {
      const compiled = compileQuiz(quizEntry.id, quizEntry.data);
      if (!compiled.ok) throw new AuthoringError(`content/quizzes/${quizEntry.id}.yaml`, compiled.issues);
      quiz = compiled.quiz;
    }
    const checkpointId = entry.data.checkpoint;
    const meta = checkpointId ? exercises[checkpointId] : undefined;
    return {
      entry,
      id: entry.id,
      order: entry.data.order,
      title: entry.data.title,
      summary: entry.data.summary,
      href: `${base}lessons/${entry.id}/`,
      quiz,
      checkpoint: checkpointId
        ? {
            id: checkpointId,
            title: meta?.title ?? checkpointId,
            objectives: meta?.objectives ?? [],
            href: `${base}checkpoints/${checkpointId}/`,
          }
        : undefined,
    };
  });
}
