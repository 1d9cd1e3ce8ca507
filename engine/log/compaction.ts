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
 * The per-record rule is {@link compactCleanable}, a pure function over the cleanable part of a log (records in
 * offset order): the log-cleaner checkpoint grades learners against it, the drills ask it, and
 * {@link compactLog} applies the same {@link cleanRecord} to a {@link PartitionLog}'s segments. When the cleaner
 * runs, and which log it cleans first, is ./cleaner-manager.ts (LogCleanerManager).
 *
 * What compaction guarantees: every key's latest value below the cleaning point survives, at its original
 * offset, in offset order; it does not guarantee that older values are gone (the active segment, and the
 * part newer than min.compaction.lag.ms, are never cleaned), nor when (the dirty ratio and max.compaction.lag.ms
 * decide), and a reader slower than delete.retention.ms can miss a tombstone.
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
import { recomputeSegment } from './partition-log.ts';
import type { LogRecord } from '../common/record.ts';
import { applyRetention } from './retention.ts';
import type { RetentionResult } from './retention.ts';
import { hasCompactPolicy } from './log-config.ts';
import { cleanableOffsets, needsCompaction } from './cleaner-manager.ts';
import type { CleanableOffsets } from './cleaner-manager.ts';

export { cleanableOffsets, dirtyRatio, needsCompaction, maxCompactionDelayMs, logsToClean } from './cleaner-manager.ts';
export type { CleanableOffsets, LogToClean } from './cleaner-manager.ts';

/** A stored record as the cleaner sees it; `deleteHorizonMs` is on LogRecord itself (KIP-534). */
export type CleanedRecord = LogRecord;

/** A record as {@link compactCleanable} reads it: the fields the cleaner looks at (plain data). */
export interface CleanerRecord {
  offset: number;
  key: string | null;
  /** null = a tombstone */
  value: string | null;
  /** CreateTime, ms */
  timestamp: number;
  /** KIP-534: stamped on a tombstone by the first pass that keeps it; the pass at or after it drops the tombstone */
  deleteHorizonMs?: number;
}

/** What the cleaner does with one record: keep it, or why it drops it. */
export type CleanerVerdict = 'keep' | 'duplicate' | 'expired-tombstone' | 'keyless';

/** The offset map of the dirty part: key → its last offset there (Cleaner.buildOffsetMap). */
export interface OffsetMap {
  map: Map<string, number>;
  /** the largest offset put in the map, -1 when empty (OffsetMap.latestOffset) */
  latestOffset: number;
}

/**
 * Build the offset map over the keyed records with firstDirtyOffset ≤ offset < firstUncleanableOffset.
 * Source: Cleaner.buildOffsetMap.
 */
export function buildOffsetMap(
  records: Iterable<CleanerRecord>,
  firstDirtyOffset: number,
  firstUncleanableOffset: number = Number.POSITIVE_INFINITY,
): OffsetMap {
  const map = new Map<string, number>();
  let latestOffset = -1;
  for (const r of records) {
    if (r.offset < firstDirtyOffset || r.offset >= firstUncleanableOffset || r.key === null) continue;
    map.set(r.key, r.offset);
    latestOffset = r.offset;
  }
  return { map, latestOffset };
}

/**
 * Cleaner.shouldRetainRecord with the KIP-534 delete horizon: the verdict for one record of a segment being
 * rewritten, and the record to write (a kept tombstone without a horizon gets nowMs + deleteRetentionMs).
 */
export function cleanRecord<R extends CleanerRecord>(
  r: R,
  offsets: OffsetMap,
  nowMs: number,
  deleteRetentionMs: number,
): { verdict: CleanerVerdict; record: R } {
  let verdict: CleanerVerdict = 'keep';
  if (r.offset > offsets.latestOffset) verdict = 'keep';
  else if (r.key === null) verdict = 'keyless';
  else {
    const found = offsets.map.get(r.key);
    if (found !== undefined && r.offset < found) verdict = 'duplicate';
    else if (r.value === null && r.deleteHorizonMs !== undefined && nowMs >= r.deleteHorizonMs) verdict = 'expired-tombstone';
  }
  if (verdict === 'keep' && r.value === null && r.deleteHorizonMs === undefined) {
    return { verdict, record: { ...r, deleteHorizonMs: nowMs + deleteRetentionMs } };
  }
  return { verdict, record: r };
}

/**
 * One cleaner pass over the cleanable part of a log, as plain data: `records` are every record below the
 * first uncleanable offset, in offset order; those below `firstDirtyOffset` are the clean part (cleaned by an
 * earlier pass), the rest the dirty part. The offset map is built over the dirty part; a record survives when
 * it is its key's latest (in the map, or its key is not in the dirty part) and it is not a tombstone whose
 * delete horizon has passed. Kept tombstones without a horizon are stamped nowMs + deleteRetentionMs.
 *
 * Example: [0] k1=a [1] k2=b | dirty from 2: [2] k1=c [3] k2=null → [1] is superseded by the tombstone [3],
 *   [0] by [2]: keeps [2] k1=c, [3] k2=null (deleteHorizonMs now + deleteRetentionMs).
 * @returns the kept records (copies where stamped), offsets unchanged; nothing changes when the dirty part
 *   holds no keyed record (the cleaner has nothing to do)
 * @throws RangeError when offsets do not increase
 * Source: Cleaner.doClean / cleanInto / shouldRetainRecord; KIP-534.
 */
export function compactCleanable<R extends CleanerRecord>(
  records: readonly R[],
  firstDirtyOffset: number,
  nowMs: number,
  deleteRetentionMs: number,
): R[] {
  for (let i = 1; i < records.length; i++) {
    if (!(records[i].offset > records[i - 1].offset)) {
      throw new RangeError(`Expected records in offset order, got offset ${records[i].offset} after ${records[i - 1].offset}`);
    }
  }
  const offsets = buildOffsetMap(records, firstDirtyOffset);
  if (offsets.map.size === 0) return [...records];
  const kept: R[] = [];
  for (const r of records) {
    const { verdict, record } = cleanRecord(r, offsets, nowMs, deleteRetentionMs);
    if (verdict === 'keep') kept.push(record);
  }
  return kept;
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
  const dirty: LogRecord[] = [];
  for (const s of log.segments) {
    if (s.baseOffset >= firstUncleanableOffset) break;
    for (const r of s.records) dirty.push(r);
  }
  const offsets = buildOffsetMap(dirty, firstDirtyOffset, firstUncleanableOffset);
  if (offsets.map.size === 0) return result;
  const endOffset = offsets.latestOffset + 1;

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
      for (const rec of s.records) {
        result.recordsRead++;
        const { verdict, record } = cleanRecord(rec, offsets, nowMs, log.config.deleteRetentionMs);
        if (verdict === 'duplicate') result.duplicatesRemoved++;
        else if (verdict === 'expired-tombstone') result.tombstonesRemoved++;
        else if (verdict === 'keyless') result.keylessRemoved++;
        else {
          if (record !== rec) result.tombstonesStamped++;
          kept.push(record);
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
