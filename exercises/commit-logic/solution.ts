/// <reference path="./types.d.ts" />
/**
 * Reference solution for the `commit-logic` checkpoint: at-least-once with bounded redelivery.
 *
 * The rule: commit what has been processed, never more — after processing, the next offset to read
 * (last processed + 1) of every partition this consumer owns and has processed; when partitions are
 * revoked, commit them (synchronously) and forget them; when the group has removed this consumer
 * (CommitFailedException), forget everything — those partitions belong to someone else now.
 *
 * Example: C0 processes t0p0@0..2 → commitAsync({ 't0-0': { offset: 3 } }). The commit fails
 * (retriable); C0 processes t0p1@0..1 → commitAsync({ 't0-0': 3, 't0-1': 2 }), which covers the failed
 * one. C1 joins: onPartitionsRevoked([t0p0, t0p1]) → commitSync of both; the next owner starts at 3 and 2.
 *
 * Standalone on purpose: learner code runs in a sandbox and cannot import anything.
 */

/** What this loop remembers: the next offset to read of each partition it owns and has processed. */
interface State {
  processed?: OffsetMap;
}

/** `t0-1`: Kafka's TopicPartition.toString(), the key of an offset map */
function key(tp: { topic: string; partition: number }): string {
  return `${tp.topic}-${tp.partition}`;
}

/** poll() returned records: process them in the loop (no hand-off), commit nothing yet. */
export function onBatch(state: State, records: ConsumerRecord[]): BatchResult {
  return { state };
}

/** The batch is processed: remember last processed + 1 per partition, and commit all of it. */
export function onProcessed(state: State, records: ConsumerRecord[]): ProcessedResult {
  const processed: OffsetMap = { ...state.processed };
  for (const r of records) processed[key(r)] = { offset: r.offset + 1 };
  return { state: { processed }, commit: processed };
}

/** A rebalance takes these partitions away: commit what was processed of them, then forget them. */
export function onPartitionsRevoked(state: State, partitions: TopicPartition[]): RevokedResult {
  const processed: OffsetMap = { ...state.processed };
  const commit: OffsetMap = {};
  for (const tp of partitions) {
    const k = key(tp);
    if (processed[k]) commit[k] = processed[k];
    delete processed[k];
  }
  return { state: { processed }, commit };
}

/**
 * A commit failed. Retriable: keep the offsets, the next commit (or the revoke) sends them again.
 * CommitFailedException: the group removed this consumer; its partitions are gone — forget them all.
 */
export function onCommitFailed(state: State, error: CommitError): CommitFailedResult {
  if (error.name === 'CommitFailedException') return { state: { processed: {} } };
  return { state };
}
