/**
 * Log compaction (cleanup.policy "compact"): keep the latest record for each key; offsets never change.
 *
 * The rule, one cleaner pass at simulated time `nowMs` (Kafka's LogCleanerManager.cleanableOffsets + Cleaner.doClean):
 *   1. Cleanable range. firstDirtyOffset = the cleaner checkpoint (never below logStartOffset).
 *      firstUncleanableOffset = the smallest of: the high watermark (the last stable offset, without
 *      transactions), the active segment's baseOffset (the active segment is never cleaned), and — when
 *      minCompactionLagMs > 0 — the baseOffset of the first dirty segment whose largest timestamp is newer
 *      than nowMs − minCompactionLagMs.
 *   2. Offset map. For every keyed record in [firstDirtyOffset, firstUncleanableOffset): key → its last offset.
 *      If the map is empty there is nothing to do. endOffset = the map's largest offset + 1.
 *   3. Clean. Every segment with baseOffset < endOffset is rewritten (grouped: consecutive segments merge while
 *      their total size ≤ segmentBytes). A record is kept when its offset > the map's largest offset, or it is
 *      the key's latest (offset ≥ map[key], or the key is not in the map) and it is not an expired tombstone.
 *      Keyless records in the cleaned range are dropped.
 *   4. Tombstones (value null, KIP-534): the first pass that keeps a tombstone stamps it with
 *      deleteHorizonMs = nowMs + deleteRetentionMs; a later pass at nowMs ≥ deleteHorizonMs drops it.
 *   5. The checkpoint moves to endOffset. Offsets, logStartOffset, LEO and HW never change.
 *
 * Example (segmentBytes large enough, HW = LEO; segment [0..4] then active segment [5]):
 *   [0] k1=a  [1] k2=b  [2] k1=c  [3] k2=null  [4] k3=d  |active| [5] k1=e
 *   pass at t=0 (deleteRetentionMs 100): map over [0, 5) = {k1→2, k2→3, k3→4}
 *     → keeps [2] k1=c, [3] k2=null (stamped horizon 100), [4] k3=d; [5] k1=e is in the active segment, untouched.
 *   Later, after more data is appended and the active segment rolls, a pass at t ≥ 100 drops the tombstone [3].
 *
 * Caveats: the offset map is unbounded (log.cleaner.dedupe.buffer.size is not modelled); transactions, control
 * batches and the retention of a producer's last batch are not modelled; the "legacy" (pre-v2) delete horizon is
 * not modelled. When the cleaner runs is the caller's choice: {@link needsCompaction} applies
 * min.cleanable.dirty.ratio and max.compaction.lag.ms, {@link compactLog} always runs one pass.
 * Source: org.apache.kafka.storage.internals.log.Cleaner (doClean, cleanSegments, cleanInto, shouldRetainRecord,
 * groupSegmentsBySize, buildOffsetMap), LogCleanerManager (cleanableOffsets, dirty ratio), KIP-534 (delete horizon
 * in the batch), KIP-354 (max.compaction.lag.ms).
 */
import type { LogSegment, PartitionLog } from './partition-log.ts';
import { hasCompactPolicy } from './log-config.ts';
import { recomputeSegment } from './partition-log.ts';
import { recordSizeBytes } from '../common/record.ts';
import type { LogRecord } from '../common/record.ts';
import { applyRetention, segmentLargestTimestamp } from './retention.ts';
import type { RetentionResult } from './retention.ts';

/** A stored record as the cleaner sees it; `deleteHorizonMs` is on LogRecord itself (KIP-534). */
export type CleanedRecord = LogRecord;

export interface CleanableOffsets {
  firstDirtyOffset: number;
  firstUncleanableOffset: number;
}

export interface CompactionResult extends CleanableOffsets {
  /** offset the checkpoint moved to (unchanged when nothing was cleaned) */
  endOffset: number;
  /** whether a pass ran (false when the dirty range held no keyed record) */
  cleaned: boolean;
  recordsRead: number;
  recordsRetained: number;
  /** superseded records dropped (an older value of a key with a newer one in the map) */
  duplicatesRemoved: number;
  /** tombstones dropped because their delete horizon had passed */
  tombstonesRemoved: number;
  /** tombstones stamped with a delete horizon in this pass */
  tombstonesStamped: number;
  /** keyless records dropped (a topic switched to compact after they were written) */
  keylessRemoved: number;
}

/**
 * The cleaner's range for `log` at `nowMs` (step 1 above).
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
 * Whether Kafka's cleaner would pick this log now: compact policy, something cleanable, and either the dirty
 * ratio exceeds minCleanableDirtyRatio or the oldest dirty record has waited longer than maxCompactionLagMs.
 * Source: LogCleanerManager.grabFilthiestCompactedLog; KIP-354.
 */
export function needsCompaction(log: PartitionLog, nowMs: number): boolean {
  if (!hasCompactPolicy(log.config)) return false;
  const { firstDirtyOffset, firstUncleanableOffset } = cleanableOffsets(log, nowMs);
  if (firstUncleanableOffset <= firstDirtyOffset) return false;
  if (dirtyRatio(log, nowMs) > log.config.minCleanableDirtyRatio) return true;
  for (const s of log.segments) {
    for (const r of s.records) {
      if (r.offset >= firstDirtyOffset && r.offset < firstUncleanableOffset) {
        return s.firstBatchTimestampMs !== null && nowMs - s.firstBatchTimestampMs > log.config.maxCompactionLagMs;
      }
    }
  }
  return false;
}

/**
 * Run one cleaner pass over `log` at simulated time `nowMs` (steps 1–5 above). Mutates the log.
 * Runs regardless of cleanup.policy and dirty ratio (ask {@link needsCompaction} first to mimic Kafka's scheduling).
 * @returns the range cleaned and counts of what was kept and dropped
 */
export function compactLog(log: PartitionLog, nowMs: number): CompactionResult {
  const range = cleanableOffsets(log, nowMs);
  const { firstDirtyOffset, firstUncleanableOffset } = range;
  const result: CompactionResult = {
    ...range,
    endOffset: log.firstDirtyOffset,
    cleaned: false,
    recordsRead: 0,
    recordsRetained: 0,
    duplicatesRemoved: 0,
    tombstonesRemoved: 0,
    tombstonesStamped: 0,
    keylessRemoved: 0,
  };

  // 2. offset map over the dirty range
  const map = new Map<string, number>();
  let latestOffset = -1;
  for (const s of log.segments) {
    if (s.baseOffset >= firstUncleanableOffset) break;
    for (const r of s.records) {
      if (r.offset < firstDirtyOffset || r.offset >= firstUncleanableOffset || r.key === null) continue;
      map.set(r.key, r.offset);
      latestOffset = r.offset;
    }
  }
  if (map.size === 0) return result;
  const endOffset = latestOffset + 1;

  // 3. group segments with baseOffset < endOffset by size, then clean each group into one segment
  const segs = log.segments;
  let count = 0;
  while (count < segs.length - 1 && segs[count].baseOffset < endOffset) count++;
  const groups: LogSegment[][] = [];
  for (let i = 0; i < count;) {
    const group = [segs[i]];
    let size = segs[i].sizeInBytes;
    i++;
    while (i < count && size + segs[i].sizeInBytes <= log.config.segmentBytes) {
      size += segs[i].sizeInBytes;
      group.push(segs[i]);
      i++;
    }
    groups.push(group);
  }

  const cleanedSegments: LogSegment[] = groups.map((group) => {
    const kept: CleanedRecord[] = [];
    for (const s of group) {
      for (const rec of s.records as CleanedRecord[]) {
        result.recordsRead++;
        const verdict = retain(rec, map, latestOffset, nowMs);
        if (verdict === 'duplicate') result.duplicatesRemoved++;
        else if (verdict === 'expired-tombstone') result.tombstonesRemoved++;
        else if (verdict === 'keyless') result.keylessRemoved++;
        else if (verdict === 'keep') {
          let r = rec;
          if (r.value === null && r.deleteHorizonMs === undefined) {
            r = { ...r, deleteHorizonMs: nowMs + log.config.deleteRetentionMs };
            result.tombstonesStamped++;
          }
          kept.push(r);
        }
      }
    }
    result.recordsRetained += kept.length;
    const last = group[group.length - 1];
    const cleaned: LogSegment = {
      baseOffset: group[0].baseOffset,
      records: kept,
      sizeInBytes: 0,
      firstBatchTimestampMs: null,
      maxTimestampMs: null,
      lastModifiedMs: last.lastModifiedMs, // Kafka keeps the last segment's mtime on the cleaned file
    };
    recomputeSegment(cleaned);
    return cleaned;
  });
  log.replaceSegments(0, count, cleanedSegments);

  // 5. checkpoint
  log.firstDirtyOffset = endOffset;
  result.endOffset = endOffset;
  result.cleaned = true;
  return result;
}

/** Cleaner.shouldRetainRecord with the KIP-534 delete horizon. */
function retain(
  r: CleanedRecord,
  map: Map<string, number>,
  latestOffset: number,
  nowMs: number,
): 'keep' | 'duplicate' | 'expired-tombstone' | 'keyless' {
  if (r.offset > latestOffset) return 'keep';
  if (r.key === null) return 'keyless';
  const found = map.get(r.key);
  if (found !== undefined && r.offset < found) return 'duplicate';
  if (r.value === null && r.deleteHorizonMs !== undefined && nowMs >= r.deleteHorizonMs) return 'expired-tombstone';
  return 'keep';
}

export interface CleanupResult {
  /** null when the policy has no "compact" or the cleaner would not pick the log */
  compaction: CompactionResult | null;
  retention: RetentionResult;
}

/**
 * One round of background log cleanup as a broker runs it, at `nowMs`: the cleaner (compact policies, when
 * {@link needsCompaction} says so, or always with `forceCompaction`), then the retention check (every policy:
 * logStartOffset breaches; "delete" and "compact,delete" also retention.ms / retention.bytes).
 */
export function cleanUpLog(log: PartitionLog, nowMs: number, options: { forceCompaction?: boolean } = {}): CleanupResult {
  let compaction: CompactionResult | null = null;
  if (hasCompactPolicy(log.config) && (options.forceCompaction || needsCompaction(log, nowMs))) {
    compaction = compactLog(log, nowMs);
  }
  return { compaction, retention: applyRetention(log, nowMs) };
}
