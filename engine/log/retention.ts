/**
 * Retention (cleanup.policy "delete"): whole old segments are deleted and logStartOffset moves up.
 *
 * The rule, one pass at simulated time `nowMs` (Kafka's UnifiedLog.deleteOldSegments), three sweeps in order:
 *   1. logStartOffset breach (every policy): a segment goes when the next segment's baseOffset ≤ logStartOffset.
 *   2. retention.bytes (delete policy, retentionBytes ≥ 0): with excess = log size − retentionBytes, oldest
 *      segments go while their size fits in what is left of the excess.
 *   3. retention.ms (delete policy, retentionMs ≥ 0): a segment goes when nowMs − its largest timestamp > retentionMs
 *      (the largest record timestamp; an empty segment uses its last-modified time).
 *   Each sweep walks from the oldest segment and stops at the first one it keeps. A segment is only deletable if
 *   every offset in it is below the high watermark (next segment's baseOffset, or LEO for the last, ≤ HW), and an
 *   empty active segment is never deleted. If every segment is deletable, the log first rolls a new empty active
 *   segment at LEO, then deletes the old ones: the log is then empty and logStartOffset = LEO.
 *   After deleting, logStartOffset = max(logStartOffset, first remaining segment's baseOffset).
 *
 * Example (retentionMs 1000, segments [0..2] max ts 100, [3..5] max ts 900, active [6..7] max ts 1500, HW = LEO = 8):
 *   at nowMs 1500: 1500 − 100 = 1400 > 1000 → delete [0..2]; 1500 − 900 = 600 → keep, stop.
 *   logStartOffset 0 → 3; a consumer at offset 1 now gets OFFSET_OUT_OF_RANGE.
 *
 * Caveats: deletion is immediate (file.delete.delay.ms is not modelled); log.retention.check.interval.ms
 * (5 minutes) is the caller's business — call this whenever the simulation says the check runs.
 * Remote (tiered) storage is not modelled.
 * Source: org.apache.kafka.storage.internals.log.UnifiedLog (deleteOldSegments, deletableSegments,
 * deleteRetentionMsBreachedSegments, deleteRetentionSizeBreachedSegments, deleteLogStartOffsetBreachedSegments,
 * deleteSegments), LogSegment.largestTimestamp.
 */
import type { LogSegment, PartitionLog } from './partition-log.ts';
import { hasDeletePolicy } from './log-config.ts';

/** Why a segment was deleted, named after the config that caused it. */
export type DeletionReason = 'logStartOffset' | 'retention.bytes' | 'retention.ms';

export interface DeletedSegment {
  baseOffset: number;
  /** the offset after the segment: the next segment's baseOffset, or LEO */
  endOffset: number;
  recordCount: number;
  sizeInBytes: number;
  reason: DeletionReason;
}

export interface RetentionResult {
  deleted: DeletedSegment[];
  logStartOffsetBefore: number;
  logStartOffset: number;
  /** true when every segment was deleted and a new empty active segment was rolled first */
  rolled: boolean;
}

/** Kafka's LogSegment.largestTimestamp: the largest record timestamp, else the last-modified time. */
export function segmentLargestTimestamp(s: LogSegment): number {
  return s.maxTimestampMs ?? s.lastModifiedMs;
}

/**
 * Run one retention pass over `log` at simulated time `nowMs`. Mutates the log.
 * @param log the partition's log (its config decides the policy and limits)
 * @param nowMs simulated time in ms
 * @returns the deleted segments (oldest first, with the reason) and the logStartOffset before and after
 */
export function applyRetention(log: PartitionLog, nowMs: number): RetentionResult {
  const before = log.logStartOffset;
  const deleted: DeletedSegment[] = [];
  let rolled = false;

  const sweep = (reason: DeletionReason, predicate: (s: LogSegment, next: LogSegment | undefined) => boolean) => {
    const segs = log.segments;
    let count = 0;
    for (let i = 0; i < segs.length; i++) {
      const s = segs[i];
      const next = segs[i + 1];
      const upperBound = next ? next.baseOffset : log.logEndOffset;
      const isLastAndEmpty = !next && s.records.length === 0;
      // We never delete data at or above the high watermark, so logStartOffset can never pass it.
      if (log.highWatermark >= upperBound && !isLastAndEmpty && predicate(s, next)) count++;
      else break;
    }
    if (count === 0) return;
    const infos = segs.slice(0, count).map((s, i) => ({
      baseOffset: s.baseOffset,
      endOffset: segs[i + 1] ? segs[i + 1].baseOffset : log.logEndOffset,
      recordCount: s.records.length,
      sizeInBytes: s.sizeInBytes,
      reason,
    }));
    if (count === segs.length) rolled = true;
    log.deleteOldestSegments(count, nowMs);
    deleted.push(...infos);
  };

  const { retentionBytes, retentionMs } = log.config;
  // 1. segments wholly below logStartOffset (after DeleteRecords), for every cleanup policy
  sweep('logStartOffset', (_s, next) => next !== undefined && next.baseOffset <= log.logStartOffset);
  if (hasDeletePolicy(log.config)) {
    // 2. retention.bytes: delete while the remaining excess still covers the whole segment
    if (retentionBytes >= 0 && log.sizeInBytes >= retentionBytes) {
      let excess = log.sizeInBytes - retentionBytes;
      sweep('retention.bytes', (s) => {
        if (excess - s.sizeInBytes >= 0) {
          excess -= s.sizeInBytes;
          return true;
        }
        return false;
      });
    }
    // 3. retention.ms: the segment's newest record is older than retentionMs
    if (retentionMs >= 0) sweep('retention.ms', (s) => nowMs - segmentLargestTimestamp(s) > retentionMs);
  }
  return { deleted, logStartOffsetBefore: before, logStartOffset: log.logStartOffset, rolled };
}
