/**
 * The leader epoch cache (KIP-101): for each leader epoch, the offset at which it started. A
 * follower compares its cache with the leader's answer to OffsetsForLeaderEpoch to find where its
 * log diverges, instead of trusting its high watermark.
 *
 * Example: cache [{ epoch 0, start 0 }, { epoch 2, start 7 }], logEndOffset 9: epoch 0 ends at 7,
 *   epoch 1 (unknown) answers epoch 0 ending at 7, epoch 2 ends at 9.
 *
 * Source: kafka.server.epoch.LeaderEpochFileCache (assign, endOffsetFor, truncateFromEnd).
 */
import type { EpochEntry } from './replication-types.ts';

/**
 * Record that `epoch` starts at `startOffset`, dropping entries that conflict with it (a higher or
 * equal epoch, or a start offset at or after this one). Source: LeaderEpochFileCache#assign.
 */
export function assignEpoch(cache: EpochEntry[], epoch: number, startOffset: number): void {
  const last = cache[cache.length - 1];
  if (last && last.epoch === epoch) return;
  while (cache.length > 0) {
    const top = cache[cache.length - 1];
    if (top.epoch >= epoch || top.startOffset >= startOffset) cache.pop();
    else break;
  }
  cache.push({ epoch, startOffset });
}

/**
 * The leader's answer to OffsetsForLeaderEpoch: the largest epoch ≤ `requestedEpoch` it knows and
 * the offset where that epoch ends (the start of the next epoch, or its logEndOffset).
 * `{ epoch: -1, endOffset: -1 }` when it knows no epoch ≤ the requested one.
 * Source: LeaderEpochFileCache#endOffsetFor.
 */
export function endOffsetForEpoch(cache: EpochEntry[], logEndOffset: number, requestedEpoch: number): { epoch: number; endOffset: number } {
  if (cache.length === 0) return { epoch: -1, endOffset: -1 };
  const last = cache[cache.length - 1];
  if (requestedEpoch === last.epoch) return { epoch: last.epoch, endOffset: logEndOffset };
  let floor: EpochEntry | undefined;
  let higher: EpochEntry | undefined;
  for (const e of cache) {
    if (e.epoch <= requestedEpoch) floor = e;
    else {
      higher = e;
      break;
    }
  }
  if (!floor) return { epoch: -1, endOffset: -1 };
  return { epoch: floor.epoch, endOffset: higher ? higher.startOffset : logEndOffset };
}

/** Drop the entries of epochs that start at or after `offset` (the log was truncated there). Source: LeaderEpochFileCache#truncateFromEnd. */
export function truncateEpochCache(cache: EpochEntry[], offset: number): void {
  while (cache.length > 0 && cache[cache.length - 1].startOffset >= offset) cache.pop();
}
