import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createGraderClient, GraderUnavailableError, gradeTimeLimitMs, type WorkerLike } from './grader-client.ts';
import { REPORT_VERSION, type GradeReport } from '../../grader/index.ts';

/** A scripted stand-in for site/workers/grader-worker.ts: records what the page sent, answers when told. */
class FakeWorker implements WorkerLike {
  static all: FakeWorker[] = [];
  sent: { type: string; requestId: number; exerciseId: string; source: string; mode: string; seed?: number }[] = [];
  terminated = false;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  constructor() {
    FakeWorker.all.push(this);
  }
  postMessage(message: unknown) {
    this.sent.push(message as FakeWorker['sent'][number]);
  }
  terminate() {
    this.terminated = true;
  }
  emit(data: unknown) {
    this.onmessage?.({ data } as MessageEvent);
  }
  ready() {
    this.emit({ type: 'ready' });
  }
  answer(requestId: number, status: GradeReport['status'] = 'passed') {
    const report: GradeReport = { version: REPORT_VERSION, exerciseId: 'ex', status, mode: 'run', tests: [], durationMs: 5 };
    this.emit({ type: 'report', requestId, report });
  }
}

const limit = gradeTimeLimitMs({ loadTimeoutMs: 2000, callTimeoutMs: 2000 });

function client(options: Partial<Parameters<typeof createGraderClient>[0]> = {}) {
  return createGraderClient({
    exerciseId: 'ex',
    timeLimitMs: limit,
    createWorker: () => new FakeWorker(),
    now: () => Date.now(),
    ...options,
  });
}

beforeEach(() => {
  FakeWorker.all = [];
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('grader client', () => {
  it('load 2 s + call 2 s → an outer budget of 4 s', () => {
    expect(limit).toBe(4000);
  });

  it('a request made before the worker is ready is sent once it says ready, in the worker protocol', async () => {
    const grader = client();
    const pending = grader.grade('export const x = 1', 'submit', 42);
    const [w] = FakeWorker.all;
    expect(w.sent).toEqual([]);
    w.ready();
    expect(w.sent).toEqual([{ type: 'grade', requestId: 1, exerciseId: 'ex', source: 'export const x = 1', mode: 'submit', seed: 42 }]);
    w.answer(1, 'failed');
    await expect(pending).resolves.toMatchObject({ status: 'failed' });
  });

  it('two requests in a row: the second is sent only after the first report', async () => {
    const grader = client();
    const [w] = FakeWorker.all;
    w.ready();
    const first = grader.grade('a', 'run');
    const second = grader.grade('b', 'run');
    expect(w.sent.map((m) => m.source)).toEqual(['a']);
    w.answer(w.sent[0].requestId);
    await first;
    expect(w.sent.map((m) => m.source)).toEqual(['a', 'b']);
    w.answer(w.sent[1].requestId);
    await expect(second).resolves.toMatchObject({ status: 'passed' });
  });

  it('a report for another request id is ignored', async () => {
    const grader = client();
    const [w] = FakeWorker.all;
    w.ready();
    const pending = grader.grade('a', 'run');
    let settled = false;
    pending.then(() => (settled = true));
    w.answer(999);
    await Promise.resolve();
    expect(settled).toBe(false);
    w.answer(w.sent[0].requestId);
    await pending;
    expect(settled).toBe(true);
  });

  it('a worker silent past the limit + 1 s is terminated, replaced, and the request gets a timeout report', async () => {
    const grader = client();
    const [stuck] = FakeWorker.all;
    stuck.ready();
    const pending = grader.grade('while (true) {}', 'run');
    vi.advanceTimersByTime(limit + 999);
    expect(stuck.terminated).toBe(false);
    vi.advanceTimersByTime(1);
    const report = await pending;
    expect(stuck.terminated).toBe(true);
    expect(report).toMatchObject({ version: REPORT_VERSION, exerciseId: 'ex', status: 'error', mode: 'run', tests: [] });
    expect(report.error?.kind).toBe('timeout');
    expect(report.error?.message).toContain('stopped it after 5 s');
    expect(report.durationMs).toBe(limit + 1000);
    expect(FakeWorker.all).toHaveLength(2);
    expect(grader.restarts).toBe(1);

    // the fresh worker serves the next request; a late message from the old one is ignored
    const fresh = FakeWorker.all[1];
    const next = grader.grade('ok', 'run');
    stuck.answer(1);
    fresh.ready();
    fresh.answer(fresh.sent[0].requestId);
    await expect(next).resolves.toMatchObject({ status: 'passed' });
  });

  it('the outer clock starts when the request is sent, not while the worker boots', async () => {
    const grader = client();
    const [w] = FakeWorker.all;
    const pending = grader.grade('a', 'run');
    vi.advanceTimersByTime(limit + 5000); // slow boot
    w.ready();
    vi.advanceTimersByTime(limit);
    w.answer(w.sent[0].requestId);
    await expect(pending).resolves.toMatchObject({ status: 'passed' });
    expect(w.terminated).toBe(false);
  });

  it('a worker that never says ready rejects with GraderUnavailableError; the next grade starts a new worker', async () => {
    const grader = client({ bootTimeoutMs: 1000 });
    const pending = grader.grade('a', 'run');
    vi.advanceTimersByTime(1000);
    await expect(pending).rejects.toBeInstanceOf(GraderUnavailableError);
    expect(grader.state).toBe('broken');
    const retry = grader.grade('a', 'run');
    const w2 = FakeWorker.all[1];
    w2.ready();
    w2.answer(w2.sent[0].requestId);
    await expect(retry).resolves.toMatchObject({ status: 'passed' });
  });

  it('a worker error event rejects the request in flight instead of hanging', async () => {
    const grader = client();
    const [w] = FakeWorker.all;
    w.ready();
    const pending = grader.grade('a', 'run');
    w.onerror?.({ message: 'Failed to fetch module' } as ErrorEvent);
    await expect(pending).rejects.toThrow(/Failed to fetch module/);
    expect(w.terminated).toBe(true);
  });

  it('states: starting → ready → busy → ready', async () => {
    const states: string[] = [];
    const grader = client({ onStateChange: (s) => states.push(s) });
    const [w] = FakeWorker.all;
    w.ready();
    const pending = grader.grade('a', 'run');
    w.answer(w.sent[0].requestId);
    await pending;
    expect(states).toEqual(['ready', 'busy', 'ready']);
  });

  it('deadline hints re-arm the watchdog: a long suite that keeps making progress is not killed', async () => {
    const grader = client();
    const [w] = FakeWorker.all;
    w.ready();
    const pending = grader.grade('slow but fine', 'submit');
    const id = w.sent[0].requestId;
    for (let i = 0; i < 10; i++) {
      w.emit({ type: 'deadline', requestId: id, deadline: Date.now() + 2000 });
      vi.advanceTimersByTime(1500); // 15 s in all, far past the initial 5 s
    }
    expect(w.terminated).toBe(false);
    w.answer(id);
    await expect(pending).resolves.toMatchObject({ status: 'passed' });
  });

  it('a call stuck past its deadline hint is killed at deadline + 1 s (+ the 250 ms hint coalescing)', async () => {
    const grader = client();
    const [w] = FakeWorker.all;
    w.ready();
    const pending = grader.grade('while (true) {}', 'run');
    w.emit({ type: 'deadline', requestId: w.sent[0].requestId, deadline: Date.now() + 2000 });
    vi.advanceTimersByTime(3249);
    expect(w.terminated).toBe(false);
    vi.advanceTimersByTime(1);
    expect(w.terminated).toBe(true);
    await expect(pending).resolves.toMatchObject({ status: 'error', error: { kind: 'timeout' } });
  });

  it('failed for the request in flight rejects it, and the same worker grades the next request', async () => {
    const grader = client();
    const [w] = FakeWorker.all;
    w.ready();
    const first = grader.grade('a', 'run');
    const second = grader.grade('b', 'run');
    w.emit({ type: 'failed', requestId: w.sent[0].requestId, message: 'Unknown exercise "ex".' });
    await expect(first).rejects.toThrow('Unknown exercise "ex".');
    expect(w.terminated).toBe(false);
    w.answer(w.sent[1].requestId);
    await expect(second).resolves.toMatchObject({ status: 'passed' });
  });

  it('failed without a request id (QuickJS could not load) breaks the client until the next grade', async () => {
    const grader = client();
    const [w] = FakeWorker.all;
    const pending = grader.grade('a', 'run');
    w.emit({ type: 'failed', requestId: null, message: 'QuickJS could not load: 404' });
    await expect(pending).rejects.toThrow(/QuickJS could not load/);
    expect(grader.state).toBe('broken');
    expect(w.terminated).toBe(true);
  });
});
