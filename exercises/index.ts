/**
 * The exercise registry: every graded checkpoint, by id. This barrel is the module's public surface.
 *
 * Static imports only, so the registry bundles into the grader's Web Worker and loads in Node (CLI, tests)
 * alike. `npm run new:exercise -- <id>` adds its import and entry above the markers below;
 * exercises/verify.spec.ts checks that every folder under exercises/ is registered here under its own id.
 */
import type { ExerciseDefinition } from '../grader/index.ts';
import keyToPartition from './key-to-partition/exercise.ts';
import rangeAssignor from './range-assignor/exercise.ts';
import commitLogic from './commit-logic/exercise.ts';
import reconcile from './reconcile/exercise.ts';
// new:exercise imports (keep this marker)

/** Every exercise, keyed by its id (equal to its folder name). */
export const exercises: Record<string, ExerciseDefinition> = {
  [keyToPartition.id]: keyToPartition,
  [rangeAssignor.id]: rangeAssignor,
  [commitLogic.id]: commitLogic,
  [reconcile.id]: reconcile,
  // new:exercise entries (keep this marker)
};

/**
 * The exercise with this id, or undefined when there is none (the CLI turns that into exit 2).
 * @param id an exercise id such as `key-to-partition`
 */
export function getExercise(id: string): ExerciseDefinition | undefined {
  return Object.hasOwn(exercises, id) ? exercises[id] : undefined;
}

export type { ExerciseDefinition };
