/**
 * The follower's side of a fetch: finding where its log diverges from the leader's, truncating,
 * and appending what the leader sent. The leader's side (what it records, the ISR, the high
 * watermark) is in ./leader-hw.ts.
 *
 * The rules:
 * 1. Truncation (KIP-101 leader epochs, with KIP-279's repeat and KIP-595's diverging-epoch fetch):
 *    before fetching, a follower finds where its log diverges from the leader's by comparing epoch
 *    caches — the leader answers "epoch E ends at offset X" for the follower's last epoch; the
 *    follower truncates to min(X, its own end of E) and repeats until the epochs agree.
 * 2. A follower whose logEndOffset is below the leader's logStartOffset gets OFFSET_OUT_OF_RANGE and
 *    starts over, empty, at the leader's logStartOffset.
 * 3. The follower appends the records with the leader's offsets, learns their epochs and producer
 *    batches, sets highWatermark = min(the leader's HW in the response, its logEndOffset), and
 *    follows the leader's logStartOffset (never past its own HW).
 *
 * Example: a follower with epochs [0@0] and LEO 6, a leader with [0@0, 1@5] → the leader says epoch
 * 0 ends at 5 → the follower truncates 6 → 5 (the acks=1 story of partition-replication.ts).
 *
 * Source: LeaderEpochFileCache (endOffsetFor, truncateFromEnd), kafka.server.AbstractFetcherThread
 * (truncate, handleOutOfRangeError), KIP-101, KIP-279, KIP-595.
 */
import type { LogRecord } from '../common/record.ts';
import type { Replica } from './replication-types.ts';
import { assignEpoch, endOffsetForEpoch, truncateEpochCache } from './leader-epoch-cache.ts';
import { copyProducerBatches, truncateProducerBatches } from './producer-state.ts';

/** Where `follower`'s log stops agreeing with `leader`'s (OffsetsForLeaderEpoch, repeated). */
export function divergenceOffset(follower: Replica, leader: Replica): number {
  const fLast = follower.epochCache[follower.epochCache.length - 1];
  const lLast = leader.epochCache[leader.epochCache.length - 1];
  // common case: same latest epoch → the logs agree up to the shorter one
  if (fLast && lLast && fLast.epoch === lLast.epoch) return Math.min(follower.log.logEndOffset, leader.log.logEndOffset);
  const fCache = follower.epochCache.map((e) => ({ ...e }));
  let fEnd = follower.log.logEndOffset;
  const lEnd = leader.log.logEndOffset;
  for (let guard = 0; guard < 10_000; guard++) {
    if (fCache.length === 0) return Math.min(fEnd, lEnd);
    const fEpoch = fCache[fCache.length - 1].epoch;
    const answer = endOffsetForEpoch(leader.epochCache, lEnd, fEpoch);
    if (answer.epoch === -1) {
      // the leader knows no epoch this old: keep only what precedes the leader's first epoch
      const first = leader.epochCache.length > 0 ? leader.epochCache[0].startOffset : lEnd;
      return Math.min(fEnd, first);
    }
    if (answer.epoch === fEpoch) return Math.min(fEnd, answer.endOffset);
    // the follower has epochs the leader never had: cut them and ask again (KIP-279)
    const own = endOffsetForEpoch(fCache, fEnd, answer.epoch);
    fEnd = Math.min(fEnd, answer.endOffset, own.endOffset === -1 ? answer.endOffset : own.endOffset);
    truncateEpochCache(fCache, fEnd);
  }
  throw new Error('divergenceOffset did not converge');
}

/** Cut a replica's log, epoch cache and producer batches back to `offset`. @returns the offsets it went from and to */
export function truncateReplica(replica: Replica, offset: number): { fromOffset: number; toOffset: number } {
  const fromOffset = replica.log.logEndOffset;
  replica.log.truncateTo(offset); // also lowers the replica's HW to its new LEO if needed
  truncateEpochCache(replica.epochCache, offset);
  truncateProducerBatches(replica, offset);
  return { fromOffset, toOffset: offset };
}

/** OFFSET_OUT_OF_RANGE below the leader's logStartOffset: start over, empty, at it. @returns from/to */
export function resetToLeaderStart(follower: Replica, leader: Replica, nowMs: number): { fromOffset: number; toOffset: number } {
  const fromOffset = follower.log.logEndOffset;
  follower.log.truncateFullyAndStartAt(leader.log.logStartOffset, nowMs);
  follower.epochCache.length = 0;
  follower.producers = {};
  return { fromOffset, toOffset: leader.log.logStartOffset };
}

/**
 * The follower appends the fetched records and learns the high watermark of the response.
 * @returns the follower's highWatermark before and after
 * @throws Error when the append fails (a bug: the leader's records always fit)
 */
export function applyFetchedRecords(
  follower: Replica,
  leader: Replica,
  fetched: readonly LogRecord[],
  responseHighWatermark: number,
  nowMs: number,
): { from: number; to: number } {
  if (fetched.length > 0) {
    const appended = follower.log.appendAsFollower(fetched, { nowMs });
    if (!appended.ok) throw new Error(`Follower ${follower.brokerId} append: ${appended.message}`);
    for (const r of fetched) {
      if (r.leaderEpoch !== undefined) assignEpoch(follower.epochCache, r.leaderEpoch, r.offset);
    }
    copyProducerBatches(leader, follower, fetched[0].offset, fetched[fetched.length - 1].offset);
  }
  const from = follower.log.highWatermark;
  const to = follower.log.updateHighWatermark(Math.min(responseHighWatermark, follower.log.logEndOffset));
  // the follower follows the leader's logStartOffset (retention on the leader), never past its own HW
  const lso = Math.min(leader.log.logStartOffset, to);
  if (lso > follower.log.logStartOffset) follower.log.maybeIncrementLogStartOffset(lso);
  return { from, to };
}
