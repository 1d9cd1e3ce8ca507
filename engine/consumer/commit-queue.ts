/**
 * commitAsync's in-flight commits: why a stale commit can land last and move the committed offset
 * backwards, and the sequence-number check that prevents it.
 *
 * The rule:
 *   - commitAsync sends an OffsetCommit and returns; the result reaches the callback later (Kafka
 *     runs completed callbacks inside the next poll() or commit call). The client never retries an
 *     async commit: by the time a failure arrives, a later commit may already have succeeded.
 *   - A commit whose request fails (here: the coordinator moved, COORDINATOR_NOT_AVAILABLE, reported
 *     `failAfterMs` after sending) completes after later commits that went to the new coordinator.
 *   - If the callback retries it blindly, the retry carries the *older* offsets and lands last: the
 *     committed offset goes backwards, and a restart re-reads everything after it.
 *   - The fix (Kafka: The Definitive Guide; KafkaConsumer's Javadoc): number each commitAsync with an
 *     increasing sequence; in the callback, retry only if the failed commit's number is still the
 *     latest one sent (`retry: if-latest`); else a newer commit supersedes it.
 *
 * Example: commit #1 {t0p0=5} fails, reported 3000 ms later; meanwhile #2 {t0p0=10} succeeds →
 *   committed 10. #1's callback: retry "always" → commits 5 again → committed 5 (backwards);
 *   retry "if-latest" → #1 < #2, skipped → committed stays 10.
 *
 * Caveats: on one connection Kafka sends async commits and invokes their callbacks in invocation
 * order; what overtakes here is a commit sent after a coordinator change while the older request's
 * failure is still on its way. A retry is sent at the instant its failure is handled.
 *
 * Source: KafkaConsumer#commitAsync Javadoc (ordering, callbacks), ConsumerCoordinator
 * (commitOffsetsAsync, doCommitOffsetsAsync: RetriableCommitFailedException, no retries;
 * invokeCompletedOffsetCommitCallbacks), AsyncKafkaConsumer / CommitRequestManager (4.0).
 */
import type { TopicPartition } from '../common/record.ts';

/** How the application's callback treats a failed async commit. */
export type AsyncCommitRetry = 'never' | 'always' | 'if-latest';

/** A commitAsync whose request fails and whose failure arrives later. */
export interface AsyncCommitFault {
  /** the failure reaches the callback this many ms after sending (0 = at the next poll or commit) */
  failAfterMs: number;
  /** what the callback does with the failure (default "never", Kafka's advice for async commits) */
  retry?: AsyncCommitRetry;
}

/** One async commit awaiting its completion. */
export interface InFlightCommit {
  /** 1, 2, … per consumer, in sending order (the application's sequence number) */
  seq: number;
  offsets: { tp: TopicPartition; offset: number }[];
  sentMs: number;
  completeAtMs: number;
  error: 'COORDINATOR_NOT_AVAILABLE';
  retry: AsyncCommitRetry;
}

/** The async commits of one consumer that have not completed yet. */
export class CommitQueue {
  private seq = 0;
  private readonly inFlight: InFlightCommit[] = [];

  /** The sequence number of the latest commit sent (0 before any). */
  get latestSeq(): number {
    return this.seq;
  }

  /** A number for a commit sent now (every async commit takes one, failing or not). */
  next(): number {
    return ++this.seq;
  }

  /** Queue a failing commit (already numbered with {@link next}). */
  add(c: InFlightCommit): void {
    this.inFlight.push(c);
  }

  /** Commits whose failure has arrived by nowMs, in arrival order (then sending order); removed from the queue. */
  takeDue(nowMs: number): InFlightCommit[] {
    const due = this.inFlight.filter((c) => c.completeAtMs <= nowMs).sort((a, b) => a.completeAtMs - b.completeAtMs || a.seq - b.seq);
    for (const c of due) this.inFlight.splice(this.inFlight.indexOf(c), 1);
    return due;
  }

  /** Forget everything in flight (the process died). */
  clear(): void {
    this.inFlight.length = 0;
  }

  get size(): number {
    return this.inFlight.length;
  }
}

/**
 * Whether a failed commit's callback retries it.
 * @param c the failed commit
 * @param latestSeq the sequence number of the latest commit sent
 */
export function shouldRetry(c: InFlightCommit, latestSeq: number): boolean {
  return c.retry === 'always' || (c.retry === 'if-latest' && c.seq === latestSeq);
}
