/**
 * The page's side of the grader: owns the grader Web Worker (site/workers/grader-worker.ts), sends grade requests,
 * and guarantees an answer. Protocol (grader/worker-protocol.ts):
 *   page → worker  { type: 'grade', requestId, exerciseId, source, mode: 'run' | 'submit', seed? }
 *   worker → page  { type: 'ready' }                          once QuickJS is loaded
 *                  { type: 'report', requestId, report }      one per request
 *                  { type: 'deadline', requestId, deadline }  learner code is running until `deadline` (epoch ms)
 *                  { type: 'failed', requestId, message }     the request could not be graded at all
 *
 * The worker enforces the sandbox limits itself (interrupt handler, memory, stack). This client adds
 * the hard outer limit the page relies on, a watchdog per request:
 * - when the request is handed to a ready worker, it is armed for `timeLimitMs + graceMs`;
 * - each `deadline` hint re-arms it for `deadline + graceMs` (+ 250 ms: the worker coalesces hints that
 *   are less than 250 ms apart), so a suite that keeps making progress is never cut short;
 * - when it fires, the worker is terminated, a fresh one is started, and the request resolves with a
 *   `timeout` GradeReport in the GradeReport shape (grader/report.ts).
 * The page never waits on a stuck worker and never freezes (all of this runs off the main thread).
 *
 * Requests are graded one at a time in the order they were made.
 *
 * Example:
 *   const grader = createGraderClient({ exerciseId: 'key-to-partition', timeLimitMs: 4000 });
 *   const report = await grader.grade(source, 'run');   // rejects only when the grader itself is broken
 */
import { REPORT_VERSION, type GradeReport } from '../../grader/index.ts';

export type GradeMode = 'run' | 'submit';

/** The subset of `Worker` the client uses, so tests can pass a fake. */
export interface WorkerLike {
  postMessage(message: unknown): void;
  terminate(): void;
  onmessage: ((event: MessageEvent) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
}

export type GraderState = 'starting' | 'ready' | 'busy' | 'broken';

export interface GraderClientOptions {
  exerciseId: string;
  /**
   * The watchdog's budget from sending a request until the worker's first `deadline` hint, ms: the
   * exercise's module-load limit plus one call limit. Use `gradeTimeLimitMs(limits)`.
   */
  timeLimitMs: number;
  /** slack after `timeLimitMs` before the hard kill, ms; default 1000 */
  graceMs?: number;
  /** how long a new worker may take to say `ready`, ms; default 30 000 (QuickJS + wasm on a slow machine) */
  bootTimeoutMs?: number;
  /** creates the grader worker; default: the bundled site/workers/grader-worker.ts as an ES module worker */
  createWorker?: () => WorkerLike;
  /** observe the worker's state (for a status line) */
  onStateChange?: (state: GraderState) => void;
  /** clock for durations and `deadline` hints, epoch ms (the worker's Date.now); default Date.now */
  now?: () => number;
}

/** The worker coalesces `deadline` hints that are less than this far apart (grader/worker-protocol.ts). */
const HINT_COALESCING_MS = 250;

/** The grader could not run at all (the worker failed to start or crashed): not the learner's fault. */
export class GraderUnavailableError extends Error {
  override name = 'GraderUnavailableError';
}

export interface GraderClient {
  /** Grade `source`; resolves with a report for anything learner code does, rejects only with GraderUnavailableError. */
  grade(source: string, mode: GradeMode, seed?: number): Promise<GradeReport>;
  readonly state: GraderState;
  /** how many times a stuck or crashed worker was replaced */
  readonly restarts: number;
  /** terminate the worker; pending requests reject */
  dispose(): void;
}

/** The outer budget for one grade from an exercise's resolved limits: module load + one call, ms. */
export function gradeTimeLimitMs(limits: { loadTimeoutMs: number; callTimeoutMs: number }): number {
  return limits.loadTimeoutMs + limits.callTimeoutMs;
}

/** The report for a grade the client had to kill, in the learner's terms. */
export function outerTimeoutReport(exerciseId: string, mode: GradeMode, durationMs: number): GradeReport {
  const seconds = Number((durationMs / 1000).toFixed(1));
  return {
    version: REPORT_VERSION,
    exerciseId,
    status: 'error',
    mode,
    error: {
      kind: 'timeout',
      message:
        `Your code kept running past its time limit, so the grader stopped it after ${seconds} s. ` +
        'Look for a loop that never ends (a condition that never becomes false) or work that grows much faster than the input.',
    },
    tests: [],
    durationMs: Math.round(durationMs),
  };
}

function defaultCreateWorker(): WorkerLike {
  return new Worker(new URL('../workers/grader-worker.ts', import.meta.url), { type: 'module', name: 'partition-lab-grader' });
}

interface Pending {
  requestId: number;
  source: string;
  mode: GradeMode;
  seed?: number;
  resolve(report: GradeReport): void;
  reject(error: Error): void;
}

export function createGraderClient(options: GraderClientOptions): GraderClient {
  const { exerciseId, timeLimitMs } = options;
  const graceMs = options.graceMs ?? 1000;
  const bootTimeoutMs = options.bootTimeoutMs ?? 30_000;
  const create = options.createWorker ?? defaultCreateWorker;
  const now = options.now ?? (() => Date.now());

  let worker: WorkerLike | undefined;
  let state: GraderState = 'starting';
  let restarts = 0;
  let nextRequestId = 1;
  let bootTimer: ReturnType<typeof setTimeout> | undefined;
  let killTimer: ReturnType<typeof setTimeout> | undefined;
  let inFlight: (Pending & { startedAt: number }) | undefined;
  const queue: Pending[] = [];
  let disposed = false;

  function setState(next: GraderState) {
    if (state === next) return;
    state = next;
    options.onStateChange?.(next);
  }

  function spawn() {
    setState('starting');
    let w: WorkerLike;
    try {
      w = create();
    } catch (e) {
      fail(`The grader could not start: ${(e as Error).message}`);
      return;
    }
    worker = w;
    w.onmessage = (event) => onMessage(w, event.data);
    w.onerror = (event) => {
      if (w !== worker) return;
      const detail = event?.message || 'the worker failed to load';
      kill();
      fail(`The grader stopped unexpectedly (${detail}). Reload the page to try again.`);
    };
    bootTimer = setTimeout(() => {
      if (w !== worker || state !== 'starting') return;
      kill();
      fail(`The grader did not start within ${bootTimeoutMs / 1000} s. Reload the page to try again.`);
    }, bootTimeoutMs);
  }

  function kill() {
    clearTimeout(bootTimer);
    clearTimeout(killTimer);
    if (worker) {
      worker.onmessage = null;
      worker.onerror = null;
      worker.terminate();
    }
    worker = undefined;
  }

  /** Every waiting request rejects; the next grade() tries a fresh worker. */
  function fail(message: string) {
    setState('broken');
    const error = new GraderUnavailableError(message);
    const waiting = inFlight ? [inFlight, ...queue.splice(0)] : queue.splice(0);
    inFlight = undefined;
    for (const p of waiting) p.reject(error);
  }

  function onMessage(from: WorkerLike, data: unknown) {
    if (from !== worker || typeof data !== 'object' || data === null) return;
    const message = data as { type?: string; requestId?: number | null; report?: GradeReport; deadline?: number; message?: string };
    const forInFlight = inFlight !== undefined && message.requestId === inFlight.requestId;
    if (message.type === 'ready') {
      clearTimeout(bootTimer);
      setState('ready');
      pump();
    } else if (message.type === 'report' && forInFlight && message.report) {
      clearTimeout(killTimer);
      const done = inFlight!;
      inFlight = undefined;
      setState('ready');
      done.resolve(message.report);
      pump();
    } else if (message.type === 'deadline' && forInFlight && typeof message.deadline === 'number') {
      arm(Math.max(0, message.deadline - now()) + graceMs + HINT_COALESCING_MS);
    } else if (message.type === 'failed') {
      const text = message.message ?? 'The grader failed.';
      if (forInFlight) {
        // Not a verdict on the learner's code: this request could not be graded; the worker carries on.
        clearTimeout(killTimer);
        const done = inFlight!;
        inFlight = undefined;
        setState('ready');
        done.reject(new GraderUnavailableError(text));
        pump();
      } else if (message.requestId === null || message.requestId === undefined) {
        kill();
        fail(`${text} Reload the page to try again.`);
      }
    }
  }

  /** (Re-)arm the watchdog of the request in flight: kill the worker if it is still busy after `ms`. */
  function arm(ms: number) {
    clearTimeout(killTimer);
    const w = worker;
    const request = inFlight;
    if (!w || !request) return;
    killTimer = setTimeout(() => {
      if (w !== worker || inFlight !== request) return;
      inFlight = undefined;
      kill();
      restarts += 1;
      request.resolve(outerTimeoutReport(exerciseId, request.mode, now() - request.startedAt));
      spawn(); // queued requests go to the fresh worker once it is ready
    }, ms);
  }

  function pump() {
    if (disposed || inFlight || state !== 'ready' || !worker) return;
    const next = queue.shift();
    if (!next) return;
    inFlight = { ...next, startedAt: now() };
    setState('busy');
    const w = worker;
    arm(timeLimitMs + graceMs);
    w.postMessage({
      type: 'grade',
      requestId: next.requestId,
      exerciseId,
      source: next.source,
      mode: next.mode,
      ...(next.seed === undefined ? {} : { seed: next.seed }),
    });
  }

  spawn();

  return {
    grade(source, mode, seed) {
      if (disposed) return Promise.reject(new GraderUnavailableError('The grader was shut down.'));
      return new Promise<GradeReport>((resolve, reject) => {
        queue.push({ requestId: nextRequestId++, source, mode, seed, resolve, reject });
        if (state === 'broken') {
          restarts += 1;
          spawn();
        } else pump();
      });
    },
    get state() {
      return state;
    },
    get restarts() {
      return restarts;
    },
    dispose() {
      disposed = true;
      kill();
      fail('The grader was shut down.');
    },
  };
}
