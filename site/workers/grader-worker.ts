/**
 * The grader's Web Worker entry: the page's worker, so it lives with the site, which is the layer that may
 * know both the grader and the exercise registry (the grader itself never imports exercises/).
 * Protocol: grader/worker-protocol.ts (`handleGradeRequest`). Requests are graded one at a time, in arrival order.
 *
 * Warning: a hang QuickJS cannot interrupt (grader/README.md) blocks this worker; the page must terminate it and
 * start a new one (site/lib/grader-client.ts does).
 */
import { getExercise } from '../../exercises/index.ts';
import { handleGradeRequest, prepareGrader, type WorkerOutbound } from '../../grader/index.ts';

const scope = self as unknown as {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
};
const post = (message: WorkerOutbound): void => scope.postMessage(message);

let queue: Promise<void> = Promise.resolve();
scope.addEventListener('message', (event) => {
  queue = queue.then(() => handleGradeRequest(getExercise, event.data, post));
});

prepareGrader().then(
  () => post({ type: 'ready' }),
  (error: unknown) =>
    post({ type: 'failed', requestId: null, message: `QuickJS could not load: ${error instanceof Error ? error.message : String(error)}` }),
);
