/**
 * The commit decisions of a consumer's poll loop. The engine runs a consumer group (C0, C1, …) over
 * topic t0 with auto-commit off, and calls these functions at each decision point. Each gets your
 * `state` (any JSON value you like; `{}` for a fresh process, lost when it crashes) and returns the
 * next state — plus, optionally, offsets to commit: `{ 't0-1': { offset: 6 } }` commits t0p1 → 6.
 *
 * The guarantee to give: at-least-once with bounded redelivery —
 *   - never commit a record before it is processed (a crash would lose it);
 *   - the committed offset is the next record to read: last processed + 1;
 *   - after a rebalance, the next owner of a partition processes nothing twice;
 *   - commit only partitions this consumer owns.
 *
 * The types (ConsumerRecord, OffsetMap, BatchResult, …) are in the editor's types. You may write helper
 * functions in this file. Nothing can be imported: only JavaScript's built-ins exist.
 */

/** Shape your state as you like; this is a suggestion. */
interface State {
  processed?: OffsetMap;
}

/**
 * poll() returned `records` (1 to max.poll.records of them, from the partitions you own), before any
 * is processed. Return `handOff: true` to give them to your worker thread; otherwise the loop
 * processes them right after you return. A `commit` returned here is sent now, before processing.
 */
export function onBatch(state: State, records: ConsumerRecord[]): BatchResult {
  throw new Error('Remove this line and implement onBatch()');
}

/** `records` (one batch, from onBatch) have been processed — by the loop, or by the worker. */
export function onProcessed(state: State, records: ConsumerRecord[]): ProcessedResult {
  throw new Error('Remove this line and implement onProcessed()');
}

/**
 * A rebalance is about to give `partitions` (everything you own: eager rebalancing) to the group
 * again. Your worker has finished. A `commit` returned here is commitSync: done before anyone else
 * reads these partitions.
 */
export function onPartitionsRevoked(state: State, partitions: TopicPartition[]): RevokedResult {
  throw new Error('Remove this line and implement onPartitionsRevoked()');
}

/** A commit you returned failed: `error.offsets` were not committed. See CommitError for the two kinds. */
export function onCommitFailed(state: State, error: CommitError): CommitFailedResult {
  throw new Error('Remove this line and implement onCommitFailed()');
}
