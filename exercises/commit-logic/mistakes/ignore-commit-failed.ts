/**
 * Mistake: catch CommitFailedException and carry on as if the offsets were committed: the state keeps
 * the partitions the group took away, and the next commits name partitions this consumer no longer owns.
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
  return { state };
}
