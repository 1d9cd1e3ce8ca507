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
 * The rule itself is {@link segmentsToDelete}, a pure function over plain segment summaries
 * ({@link SegmentSummary}): the log-cleaner checkpoint grades learners against it, the drills ask it, and
 * {@link applyRetention} applies its answer to a {@link PartitionLog}.
 *
 * Why data outlives retention.ms: only whole segments go, and a segment goes only when its *newest* record
 * has expired; the active segment goes only when every segment of the log has expired (Kafka rolls a new,
 * empty active segment first), and an empty active segment is never deleted. retention.bytes is per
 * partition: a log is trimmed only while what remains stays at least retention.bytes.
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

/**
 * A segment as retention sees it: plain data (what the log-cleaner checkpoint hands a learner).
 * Offsets are Kafka offsets; times are ms on the simulated clock; sizes in bytes.
 */
export interface SegmentSummary {
  /** the segment's first offset (Kafka names segment files after it) */
  baseOffset: number;
  /** records stored in it */
  recordCount: number;
  /** LogSegment.size(): bytes on disk */
  sizeInBytes: number;
  /** the oldest record's timestamp, null when empty (retention does not use it) */
  firstTimestampMs: number | null;
  /** LogSegment.largestTimestamp(): the newest record's timestamp, or the file's last-modified time when empty */
  largestTimestampMs: number;
}

/** What {@link segmentsToDelete} needs: the log's segments (oldest first; the last is the active one) and the configs. */
export interface RetentionCheck {
  segments: readonly SegmentSummary[];
  /** the time of the retention check (ms) */
  nowMs: number;
  /** retention.ms; -1 = no time limit */
  retentionMs: number;
  /** retention.bytes (per partition); -1 = no size limit */
  retentionBytes: number;
  /** cleanup.policy; default "delete". With "compact" only logStartOffset breaches delete segments. */
  cleanupPolicy?: 'delete' | 'compact' | 'compact,delete';
  /** default: the first segment's baseOffset */
  logStartOffset?: number;
  /** LEO; default: no high-watermark limit (every record committed) */
  logEndOffset?: number;
  /** default: LEO (every record committed). Segments with offsets at or above it are never deleted. */
  highWatermark?: number;
}

/** One segment retention deletes, and the config that made it go. */
export interface SegmentDeletion {
  baseOffset: number;
  reason: DeletionReason;
}

/**
 * Which segments one retention pass deletes (Kafka's UnifiedLog.deleteOldSegments without the side effects).
 * @returns the deleted segments, oldest first: always a prefix of `segments`, each with the sweep that took it
 * @throws RangeError when `segments` is empty or its baseOffsets do not increase
 * Source: UnifiedLog.deleteOldSegments, deletableSegments, deleteLogStartOffsetBreachedSegments,
 * deleteRetentionSizeBreachedSegments, deleteRetentionMsBreachedSegments.
 */
export function segmentsToDelete(check: RetentionCheck): SegmentDeletion[] {
  const { segments, nowMs, retentionMs, retentionBytes } = check;
  if (segments.length === 0) throw new RangeError('Expected at least one segment (a log always has an active segment), got 0');
  for (let i = 1; i < segments.length; i++) {
    if (!(segments[i].baseOffset > segments[i - 1].baseOffset)) {
      throw new RangeError(
        `Expected segments in offset order, got baseOffset ${segments[i].baseOffset} after ${segments[i - 1].baseOffset}`,
      );
    }
  }
  const logStartOffset = check.logStartOffset ?? segments[0].baseOffset;
  const hw = check.highWatermark ?? Number.POSITIVE_INFINITY;
  const leo = check.logEndOffset ?? Number.POSITIVE_INFINITY;
  const deletions: SegmentDeletion[] = [];
  let first = 0; // segments[first..] remain
  let size = 0;
  for (const s of segments) size += s.sizeInBytes;

  const sweep = (reason: DeletionReason, predicate: (s: SegmentSummary, next: SegmentSummary | undefined) => boolean) => {
    for (let i = first; i < segments.length; i++) {
      const s = segments[i];
      const next = segments[i + 1];
      const upperBound = next ? next.baseOffset : leo;
      const isLastAndEmpty = !next && s.recordCount === 0;
      // never data at or above the high watermark, so logStartOffset can never pass it
      if (!(hw >= upperBound && !isLastAndEmpty && predicate(s, next))) break;
      deletions.push({ baseOffset: s.baseOffset, reason });
      size -= s.sizeInBytes;
      first = i + 1;
    }
  };

  sweep('logStartOffset', (_s, next) => next !== undefined && next.baseOffset <= logStartOffset);
  if ((check.cleanupPolicy ?? 'delete') !== 'compact') {
    if (retentionBytes >= 0 && size >= retentionBytes) {
      let excess = size - retentionBytes;
      sweep('retention.bytes', (s) => {
        if (excess - s.sizeInBytes < 0) return false;
        excess -= s.sizeInBytes;
        return true;
      });
    }
    if (retentionMs >= 0) sweep('retention.ms', (s) => nowMs - s.largestTimestampMs > retentionMs);
  }
  return deletions;
}

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

/** A log segment as plain data for {@link segmentsToDelete} (and for learners and drills). */
export function summarizeSegment(s: LogSegment): SegmentSummary {
  return {
    baseOffset: s.baseOffset,
    recordCount: s.records.length,
    sizeInBytes: s.sizeInBytes,
    firstTimestampMs: s.records.length ? s.records[0].timestamp : null,
    largestTimestampMs: segmentLargestTimestamp(s),
  };
}

/** The {@link RetentionCheck} for `log` at `nowMs`: its segments, configs, logStartOffset, LEO and HW. */
export function retentionCheckOf(log: PartitionLog, nowMs: number): RetentionCheck {
  return {
    segments: log.segments.map(summarizeSegment),
    nowMs,
    retentionMs: log.config.retentionMs,
    retentionBytes: log.config.retentionBytes,
    cleanupPolicy: hasDeletePolicy(log.config) ? log.config.cleanupPolicy : 'compact',
    logStartOffset: log.logStartOffset,
    logEndOffset: log.logEndOffset,
    highWatermark: log.highWatermark,
  };
}

/**
 * Run one retention pass over `log` at simulated time `nowMs` ({@link segmentsToDelete}, then delete). Mutates the log.
 * @param log the partition's log (its config decides the policy and limits)
 * @param nowMs simulated time in ms
 * @returns the deleted segments (oldest first, with the reason) and the logStartOffset before and after
 */
export function applyRetention(log: PartitionLog, nowMs: number): RetentionResult {
  const before = log.logStartOffset;
  const deletions = segmentsToDelete(retentionCheckOf(log, nowMs));
  const segs = log.segments;
  const deleted: DeletedSegment[] = deletions.map((d, i) => ({
    baseOffset: d.baseOffset,
    endOffset: segs[i + 1] ? segs[i + 1].baseOffset : log.logEndOffset,
    recordCount: segs[i].records.length,
    sizeInBytes: segs[i].sizeInBytes,
    reason: d.reason,
  }));
  const rolled = deleted.length > 0 && deleted.length === segs.length;
  log.deleteOldestSegments(deleted.length, nowMs);
  return { deleted, logStartOffsetBefore: before, logStartOffset: log.logStartOffset, rolled };
}
