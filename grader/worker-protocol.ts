/**
 * The grader Web Worker's message protocol, as plain functions (worker.ts is only the shell that wires
 * them to `self`), so it can be tested in Node.
 *
 *   page → worker  { type: 'grade', requestId, exerciseId, source, mode: 'run' | 'submit', seed? }
 *   worker → page  { type: 'ready' }                               once QuickJS is loaded
 *                  { type: 'report', requestId, report }           one per request, in order
 *                  { type: 'deadline', requestId, deadline }       optional watchdog hint: learner code is
 *                        running and must be done by `deadline` (epoch ms); a page may terminate the worker
 *                        when it is still busy at deadline + 1 s
 *                  { type: 'failed', requestId, message }          the request could not be graded at all
 *                        (unknown exercise, malformed request); not a verdict on the learner's code
 */
import type { ExerciseDefinition } from './exercise-api.ts';
import type { GradeReport } from './report.ts';
import { gradeSource } from './runner.ts';

export interface GradeRequest {
  type: 'grade';
  requestId: number | string;
  exerciseId: string;
  source: string;
  mode: 'run' | 'submit';
  seed?: number;
}

export type WorkerInbound = GradeRequest;

export type WorkerOutbound =
  | { type: 'ready' }
  | { type: 'report'; requestId: number | string; report: GradeReport }
  | { type: 'deadline'; requestId: number | string; deadline: number }
  | { type: 'failed'; requestId: number | string | null; message: string };

function isGradeRequest(msg: unknown): msg is GradeRequest {
  if (typeof msg !== 'object' || msg === null) return false;
  const m = msg as Record<string, unknown>;
  return (
    m.type === 'grade' &&
    (typeof m.requestId === 'number' || typeof m.requestId === 'string') &&
    typeof m.exerciseId === 'string' &&
    typeof m.source === 'string' &&
    (m.mode === 'run' || m.mode === 'submit') &&
    (m.seed === undefined || (typeof m.seed === 'number' && Number.isInteger(m.seed)))
  );
}

/**
 * Handle one inbound message: grade it and post the report (and watchdog hints) through `post`.
 * Never rejects: anything unexpected becomes a `failed` message.
 * @param getExercise the registry lookup (exercises/index.ts `getExercise`)
 */
export async function handleGradeRequest(
  getExercise: (id: string) => ExerciseDefinition | undefined,
  msg: unknown,
  post: (message: WorkerOutbound) => void,
): Promise<void> {
  if (!isGradeRequest(msg)) {
    const id = typeof msg === 'object' && msg !== null ? (msg as { requestId?: unknown }).requestId : undefined;
    post({ type: 'failed', requestId: typeof id === 'number' || typeof id === 'string' ? id : null, message: 'Malformed grade request.' });
    return;
  }
  const exercise = getExercise(msg.exerciseId);
  if (!exercise) {
    post({ type: 'failed', requestId: msg.requestId, message: `Unknown exercise "${msg.exerciseId}".` });
    return;
  }
  let lastPosted = 0;
  try {
    const report = await gradeSource(exercise, msg.source, {
      mode: msg.mode,
      ...(msg.seed !== undefined ? { seed: msg.seed } : {}),
      onCallStart: (budgetMs) => {
        const deadline = Date.now() + budgetMs;
        // A hint per call would flood the page during a 200-case property; post only when it moves on.
        if (deadline > lastPosted + 250) {
          lastPosted = deadline;
          post({ type: 'deadline', requestId: msg.requestId, deadline });
        }
      },
    });
    post({ type: 'report', requestId: msg.requestId, report });
  } catch (error) {
    post({
      type: 'failed',
      requestId: msg.requestId,
      message: `The grader failed: ${error instanceof Error ? error.message : String(error)}`,
    });
  }
}
