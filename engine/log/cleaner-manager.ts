/**
 * When the log cleaner runs, and which log it cleans first (Kafka's LogCleanerManager).
 *
 * The rules, at simulated time `nowMs`:
 *   1. Cleanable range (cleanableOffsets). firstDirtyOffset = the cleaner checkpoint (reset to logStartOffset when
 *      it is below it or beyond LEO). firstUncleanableOffset = the smallest of: the high watermark (the last
 *      stable offset, without transactions), the active segment's baseOffset (the active segment is never
 *      cleaned), and — when min.compaction.lag.ms > 0 — the baseOffset of the first dirty segment whose largest
 *      timestamp is newer than nowMs − minCompactionLagMs.
 *   2. The clean part is [logStartOffset, firstDirtyOffset), the dirty (cleanable) part
 *      [firstDirtyOffset, firstUncleanableOffset); dirty ratio = dirty bytes / (clean + dirty bytes).
 *   3. A log is a candidate when its policy includes compact, it holds bytes, and either its dirty ratio is
 *      above min.cleanable.dirty.ratio (0.5) or max.compaction.lag.ms has passed since the first batch of its
 *      oldest dirty closed segment (KIP-354: maxCompactionDelay > 0) with cleanable bytes left.
 *   4. Among candidates the cleaner takes the one with the highest dirty ratio ("the filthiest"); a cleaner thread
 *      cleans one log per round, so {@link logsToClean} lists them in the order they are cleaned.
 *
 * Example: two compacted logs, A with 300 clean and 300 dirty bytes (ratio 0.5), B with 100 clean and 300 dirty
 *   (0.75): with min.cleanable.dirty.ratio 0.5 only B is a candidate (0.5 is not above 0.5); at 0.4 both are,
 *   B first.
 *
 * Caveats: sizes are summed per record (./partition-log.ts's sizes), Kafka sums whole segments; uncleanable
 * partitions, paused cleaning and several cleaner threads are not modelled.
 * Source: org.apache.kafka.storage.internals.log.LogCleanerManager (grabFilthiestCompactedLog, cleanableOffsets,
 * maxCompactionDelay, calculateCleanableBytes), LogToClean (cleanableRatio, needCompactionNow); KIP-354.
 */
import type { PartitionLog } from './partition-log.ts';
import { hasCompactPolicy } from './log-config.ts';
import { recordSizeBytes } from '../common/record.ts';
import { segmentLargestTimestamp } from './retention.ts';

export interface CleanableOffsets {
  firstDirtyOffset: number;
  firstUncleanableOffset: number;
}

/**
 * The cleaner's range for `log` at `nowMs` (rule 1).
 * Source: LogCleanerManager.cleanableOffsets.
 */
export function cleanableOffsets(log: PartitionLog, nowMs: number): CleanableOffsets {
  const active = log.activeSegment;
  // a checkpoint below logStartOffset (retention ran) or beyond LEO (truncation) restarts at logStartOffset
  const checkpoint = log.firstDirtyOffset;
  const firstDirty = checkpoint < log.logStartOffset || checkpoint > log.logEndOffset ? log.logStartOffset : checkpoint;
  let firstUncleanable = Math.min(log.highWatermark, active.baseOffset);
  const lag = log.config.minCompactionLagMs;
  if (lag > 0) {
    const segs = log.segments;
    for (let i = 0; i < segs.length - 1; i++) {
      const next = segs[i + 1];
      if (next.baseOffset <= firstDirty) continue; // wholly clean
      if (segmentLargestTimestamp(segs[i]) > nowMs - lag) {
        firstUncleanable = Math.min(firstUncleanable, segs[i].baseOffset);
        break;
      }
    }
  }
  return { firstDirtyOffset: firstDirty, firstUncleanableOffset: Math.max(firstDirty, firstUncleanable) };
}

function bytesIn(log: PartitionLog, from: number, to: number): number {
  let bytes = 0;
  for (const s of log.segments) {
    for (const r of s.records) if (r.offset >= from && r.offset < to) bytes += recordSizeBytes(r);
  }
  return bytes;
}

/**
 * The dirty ratio: dirty bytes / (clean + dirty bytes) over [logStartOffset, firstUncleanableOffset).
 * 0 when there is nothing cleanable.
 * Source: LogCleanerManager (LogToClean.cleanableRatio).
 */
export function dirtyRatio(log: PartitionLog, nowMs: number): number {
  const { firstDirtyOffset, firstUncleanableOffset } = cleanableOffsets(log, nowMs);
  const clean = bytesIn(log, log.logStartOffset, firstDirtyOffset);
  const dirty = bytesIn(log, firstDirtyOffset, firstUncleanableOffset);
  return clean + dirty === 0 ? 0 : dirty / (clean + dirty);
}

/**
 * How long past max.compaction.lag.ms the log's oldest dirty data is: (nowMs − maxCompactionLagMs) − the
 * earliest first-batch timestamp of the closed segments holding dirty offsets; 0 when not overdue.
 * Source: LogCleanerManager.maxCompactionDelay; KIP-354.
 */
export function maxCompactionDelayMs(log: PartitionLog, nowMs: number): number {
  const { firstDirtyOffset } = cleanableOffsets(log, nowMs);
  const segs = log.segments;
  let earliest = Number.POSITIVE_INFINITY;
  for (let i = 0; i < segs.length - 1; i++) {
    if (segs[i + 1].baseOffset <= firstDirtyOffset) continue; // wholly below the dirty part
    const ts = segs[i].firstBatchTimestampMs;
    if (ts !== null && ts > 0 && ts < earliest) earliest = ts;
  }
  const cleanUntil = nowMs - log.config.maxCompactionLagMs;
  return earliest < cleanUntil ? cleanUntil - earliest : 0;
}

/** A log the cleaner would take, with its numbers (LogToClean). */
export interface LogToClean {
  log: PartitionLog;
  dirtyRatio: number;
  /** dirty bytes in [firstDirtyOffset, firstUncleanableOffset) */
  cleanableBytes: number;
  /** true when max.compaction.lag.ms forces a clean now whatever the ratio */
  needCompactionNow: boolean;
}

function toClean(log: PartitionLog, nowMs: number): LogToClean | null {
  if (!hasCompactPolicy(log.config) || log.sizeInBytes === 0) return null;
  const { firstDirtyOffset, firstUncleanableOffset } = cleanableOffsets(log, nowMs);
  const cleanableBytes = bytesIn(log, firstDirtyOffset, firstUncleanableOffset);
  const ratio = dirtyRatio(log, nowMs);
  const now = maxCompactionDelayMs(log, nowMs) > 0;
  if ((now && cleanableBytes > 0) || ratio > log.config.minCleanableDirtyRatio) {
    return { log, dirtyRatio: ratio, cleanableBytes, needCompactionNow: now };
  }
  return null;
}

/**
 * Whether Kafka's cleaner would pick this log now (rule 3).
 * Source: LogCleanerManager.grabFilthiestCompactedLog; KIP-354.
 */
export function needsCompaction(log: PartitionLog, nowMs: number): boolean {
  return toClean(log, nowMs) !== null;
}

/**
 * The candidates among `logs` (rule 3), in the order one cleaner thread cleans them: the highest dirty ratio
 * first (ties keep the given order).
 * Source: LogCleanerManager.grabFilthiestCompactedLog (max by cleanableRatio).
 */
export function logsToClean(logs: readonly PartitionLog[], nowMs: number): LogToClean[] {
  const out: LogToClean[] = [];
  for (const log of logs) {
    const c = toClean(log, nowMs);
    if (c) out.push(c);
  }
  return out
    .map((c, i) => ({ c, i }))
    .sort((a, b) => b.c.dirtyRatio - a.c.dirtyRatio || a.i - b.i)
    .map((x) => x.c);
}
