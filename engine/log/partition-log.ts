/**
 * A partition's log: an append-only sequence of records, numbered by offset from 0, stored in segments.
 *
 * The rules:
 * - Offsets. The leader gives each appended record the next offset, `logEndOffset` (LEO); offsets are
 *   unique and increasing (an offset is given again only after follower truncation removed it). Compaction
 *   removes records but keeps the others' offsets, so a log can have gaps. `logStartOffset` is the first
 *   offset a reader may ask for; it moves forward (retention deleting old segments, DeleteRecords) and back
 *   only when a follower truncates below it. `highWatermark` (HW) is the end of the committed
 *   part: consumers read below it. This class never moves the HW on its own except to keep
 *   logStartOffset ≤ HW ≤ LEO; **the replication layer maintains it** with {@link PartitionLog.updateHighWatermark}
 *   (a single-replica log without replication should call `log.updateHighWatermark(log.logEndOffset)` after appends).
 * - Segments. Records live in segments, each starting at its `baseOffset`; the last one is the *active*
 *   segment, the only one written to. Before appending a batch, the active segment is rolled (a new one
 *   starts at the batch's first offset) when either
 *     (size)  active.sizeInBytes > segmentBytes − batchSizeBytes, i.e. the batch would overflow it, or
 *     (time)  the active segment is not empty and batch.maxTimestamp − active.firstBatchTimestamp > segmentMs
 *   (Kafka's LogSegment.shouldRoll, called from UnifiedLog.maybeRoll). A batch never spans two segments.
 * - Reads. `read(from, max)` returns up to `max` records with offset ≥ from; `from` below logStartOffset or
 *   above LEO is OFFSET_OUT_OF_RANGE (returned, not thrown). `from` = LEO is fine and returns nothing.
 *
 * Example (segmentBytes 100, records of 14 bytes, all timestamps equal):
 *   append 7 records  → segments [0..6] (98 B); LEO 7
 *   append 1 record   → 98 > 100 − 14, roll: segments [0..6], [7]; LEO 8; the active segment starts at 7
 *   updateHighWatermark(8); read(3, 2) → offsets 3, 4; read(9, 1) → OFFSET_OUT_OF_RANGE (LEO is 8)
 *
 * Caveats:
 * - Sizes are {@link recordSizeBytes} per record (Kafka's v2 record size with zero deltas); the 61-byte batch
 *   header is not counted, so segments hold a few more records than Kafka's would.
 * - Index-full and offset-overflow rolls and segment.jitter.ms are not modelled. Transactions: the log
 *   stores transactional records and control markers like any others; the last stable offset and the
 *   aborted transactions are computed from them in ./transaction-index.ts. Timestamps are taken from the records (CreateTime); LogAppendTime is not modelled.
 * - A segment's "last modified" time (Kafka reads the file's mtime) is the simulated time of its last write.
 *
 * Source: org.apache.kafka.storage.internals.log.UnifiedLog (append, maybeRoll, read, truncateTo,
 * truncateFullyAndStartAt, updateHighWatermark, maybeIncrementLogStartOffset), LogSegment (shouldRoll,
 * timeWaitedForRoll, largestTimestamp), LocalLog.
 */
import { tpKey } from '../common/notation.ts';
import type { LogRecord, TopicPartition } from '../common/record.ts';
import { recordSizeBytes } from '../common/record.ts';
import { hasCompactPolicy, logConfig } from './log-config.ts';
import type { LogConfig } from './log-config.ts';
import { checkOffset, copyRecord, emptySegment, lowerBound, recomputeSegment, toLogRecord } from './log-segment.ts';
import type { AppendRecord, AppendResult, LogSegment, PartitionLogSnapshot, ReadOptions, ReadResult } from './log-segment.ts';

export { RECORD_BATCH_OVERHEAD_BYTES, recomputeSegment } from './log-segment.ts';
export type { AppendError, AppendRecord, AppendResult, LogSegment, PartitionLogSnapshot, ReadOptions, ReadResult } from './log-segment.ts';
import { RECORD_BATCH_OVERHEAD_BYTES } from './log-segment.ts';

/**
 * One replica's log of one partition. See the file comment for the rules.
 *
 * @example
 *   const log = new PartitionLog({ topic: 't0', partition: 1 }, { segmentBytes: 1024 });
 *   log.appendAsLeader([{ key: 'k', value: 'v', timestamp: 0 }]); // → { ok: true, firstOffset: 0, ... }
 */
export class PartitionLog {
  readonly topicPartition: TopicPartition;
  readonly config: LogConfig;
  /**
   * The cleaner's checkpoint: offsets below it have been compacted (Kafka's cleaner-offset-checkpoint).
   * Maintained by compaction; never above the active segment's base offset.
   */
  firstDirtyOffset: number;

  private segs: LogSegment[];
  private start: number;
  private end: number;
  private hw: number;
  private size: number;

  /**
   * @param topicPartition which partition this log holds
   * @param config overrides of Kafka's topic defaults (see {@link LogConfig})
   * @param options.logStartOffset where an empty log starts (default 0)
   * @param options.nowMs simulated creation time (default 0)
   * @throws RangeError for an invalid config value or logStartOffset
   */
  constructor(topicPartition: TopicPartition, config: Partial<LogConfig> = {}, options: { logStartOffset?: number; nowMs?: number } = {}) {
    const startOffset = options.logStartOffset ?? 0;
    checkOffset('logStartOffset', startOffset);
    this.topicPartition = { topic: topicPartition.topic, partition: topicPartition.partition };
    this.config = logConfig(config);
    this.segs = [emptySegment(startOffset, options.nowMs ?? 0)];
    this.start = startOffset;
    this.end = startOffset;
    this.hw = startOffset;
    this.size = 0;
    this.firstDirtyOffset = startOffset;
  }

  /** The first offset a reader may fetch. Only moves back on follower truncation below it (truncateTo, truncateFullyAndStartAt). */
  get logStartOffset(): number {
    return this.start;
  }

  /** The offset the next appended record gets (LEO). */
  get logEndOffset(): number {
    return this.end;
  }

  /** The high watermark: consumers read offsets below it. logStartOffset ≤ HW ≤ LEO. */
  get highWatermark(): number {
    return this.hw;
  }

  /** Total bytes over all segments. */
  get sizeInBytes(): number {
    return this.size;
  }

  /** The segments, oldest first; the last is the active segment. Read-only view. */
  get segments(): readonly LogSegment[] {
    return this.segs;
  }

  /** The segment appends go to. */
  get activeSegment(): LogSegment {
    return this.segs[this.segs.length - 1];
  }

  /** Number of records currently stored (after retention and compaction). */
  get recordCount(): number {
    let n = 0;
    for (const s of this.segs) n += s.records.length;
    return n;
  }

  /**
   * Append a batch as the partition leader: the log assigns offsets LEO, LEO+1, ….
   * @param records one batch (at least one record); each record's timestamp is kept (CreateTime)
   * @param options.nowMs simulated time of the write (default: the batch's largest timestamp)
   * @returns the assigned offsets, or a broker error:
   *   INVALID_RECORD — a keyless record sent to a compacted topic (Kafka: "Compacted topic cannot accept message without key");
   *   MESSAGE_TOO_LARGE — the batch (records + 61-byte header) exceeds maxMessageBytes;
   *   RECORD_LIST_TOO_LARGE — the batch is larger than segmentBytes.
   * @throws RangeError when `records` is empty or a timestamp is not a finite integer
   */
  appendAsLeader(records: readonly AppendRecord[], options: { nowMs?: number } = {}): AppendResult {
    if (records.length === 0) throw new RangeError('Expected at least one record to append, got 0');
    if (hasCompactPolicy(this.config)) {
      const i = records.findIndex((r) => r.key === null && r.controlType === undefined);
      if (i >= 0) {
        return {
          ok: false,
          error: 'INVALID_RECORD',
          message: `Compacted topic cannot accept message without key in ${tpKey(this.topicPartition)} (record ${i} of the batch has key null)`,
        };
      }
    }
    const stored: LogRecord[] = new Array(records.length);
    for (let i = 0; i < records.length; i++) stored[i] = toLogRecord(records[i], this.end + i);
    return this.appendBatch(stored, options.nowMs);
  }

  /**
   * Append records fetched from the leader, keeping the leader's offsets (they may have gaps if the leader
   * compacted). The first offset must be ≥ LEO and offsets must increase.
   * @returns the offsets appended, or MESSAGE_TOO_LARGE / RECORD_LIST_TOO_LARGE as for appendAsLeader
   * @throws RangeError when `records` is empty, an offset is below LEO, or offsets do not increase
   *   (Kafka: UnexpectedAppendOffsetException / OffsetsOutOfOrderException)
   */
  appendAsFollower(records: readonly LogRecord[], options: { nowMs?: number } = {}): AppendResult {
    if (records.length === 0) throw new RangeError('Expected at least one record to append, got 0');
    let prev = this.end - 1;
    for (const r of records) {
      checkOffset('offset', r.offset);
      if (r.offset <= prev) {
        throw new RangeError(
          `Expected follower offsets ≥ logEndOffset ${this.end} and increasing, got ${r.offset} after ${prev} in ${tpKey(this.topicPartition)}`,
        );
      }
      prev = r.offset;
    }
    return this.appendBatch(
      records.map((r) => toLogRecord(r, r.offset)),
      options.nowMs,
    );
  }

  private appendBatch(batch: LogRecord[], nowMs: number | undefined): AppendResult {
    let batchBytes = 0;
    let maxTs = Number.NEGATIVE_INFINITY;
    for (const r of batch) {
      if (!Number.isSafeInteger(r.timestamp)) {
        throw new RangeError(`Expected record timestamp to be an integer (ms), got ${String(r.timestamp)}`);
      }
      batchBytes += recordSizeBytes(r);
      if (r.timestamp > maxTs) maxTs = r.timestamp;
    }
    if (batchBytes + RECORD_BATCH_OVERHEAD_BYTES > this.config.maxMessageBytes) {
      return {
        ok: false,
        error: 'MESSAGE_TOO_LARGE',
        message: `The batch is ${batchBytes + RECORD_BATCH_OVERHEAD_BYTES} bytes, larger than maxMessageBytes ${this.config.maxMessageBytes}`,
      };
    }
    if (batchBytes > this.config.segmentBytes) {
      return {
        ok: false,
        error: 'RECORD_LIST_TOO_LARGE',
        message: `The batch is ${batchBytes} bytes, larger than segmentBytes ${this.config.segmentBytes}`,
      };
    }
    const now = nowMs ?? maxTs;
    const firstOffset = batch[0].offset;
    let active = this.activeSegment;
    // LogSegment.shouldRoll: size > maxSegmentBytes - messagesSize || (size > 0 && reachedRollMs)
    const reachedRollMs = active.firstBatchTimestampMs !== null && maxTs - active.firstBatchTimestampMs > this.config.segmentMs;
    const rolled = active.sizeInBytes > this.config.segmentBytes - batchBytes || (active.sizeInBytes > 0 && reachedRollMs);
    if (rolled) active = this.roll(now, firstOffset);
    if (active.records.length === 0) active.firstBatchTimestampMs = maxTs;
    for (const r of batch) active.records.push(r);
    active.sizeInBytes += batchBytes;
    active.maxTimestampMs = active.maxTimestampMs === null ? maxTs : Math.max(active.maxTimestampMs, maxTs);
    active.lastModifiedMs = now;
    this.size += batchBytes;
    this.end = batch[batch.length - 1].offset + 1;
    return { ok: true, firstOffset, lastOffset: this.end - 1, logEndOffset: this.end, rolled };
  }

  /**
   * Start a new active segment at `baseOffset` (default LEO). An empty active segment is replaced instead.
   * @returns the new active segment
   * Source: UnifiedLog.roll / LocalLog.roll.
   */
  roll(nowMs: number, baseOffset: number = this.end): LogSegment {
    checkOffset('baseOffset', baseOffset);
    if (baseOffset < this.end) throw new RangeError(`Expected roll offset ≥ logEndOffset ${this.end}, got ${baseOffset}`);
    const active = this.activeSegment;
    const fresh = emptySegment(baseOffset, nowMs);
    if (active.records.length === 0) this.segs[this.segs.length - 1] = fresh;
    else this.segs.push(fresh);
    return fresh;
  }

  /**
   * Read records from `fromOffset`.
   * @param fromOffset the first offset wanted; in a compaction gap, reading starts at the next stored record
   * @param maxRecords at most this many records (a positive integer)
   * @param options.isolation "logEnd" (default, followers) or "highWatermark" (consumers)
   * @returns the records, or OFFSET_OUT_OF_RANGE when fromOffset < logStartOffset or fromOffset > LEO
   * @throws RangeError when fromOffset is not an integer or maxRecords is not a positive integer
   * Source: UnifiedLog.read (OffsetOutOfRangeException), FetchIsolation.
   */
  read(fromOffset: number, maxRecords: number, options: ReadOptions = {}): ReadResult {
    if (!Number.isSafeInteger(fromOffset)) throw new RangeError(`Expected fromOffset to be an integer, got ${String(fromOffset)}`);
    if (!Number.isSafeInteger(maxRecords) || maxRecords < 1) {
      throw new RangeError(`Expected maxRecords to be a positive integer, got ${String(maxRecords)}`);
    }
    if (fromOffset < this.start || fromOffset > this.end) {
      return {
        ok: false,
        error: 'OFFSET_OUT_OF_RANGE',
        message: `Offset ${fromOffset} is out of range for ${tpKey(this.topicPartition)}: logStartOffset ${this.start}, logEndOffset ${this.end}`,
        logStartOffset: this.start,
        logEndOffset: this.end,
      };
    }
    const upTo = (options.isolation ?? 'logEnd') === 'highWatermark' ? this.hw : this.end;
    const out: LogRecord[] = [];
    let si = this.segmentIndexFor(fromOffset);
    for (; si < this.segs.length && out.length < maxRecords; si++) {
      const recs = this.segs[si].records;
      let ri = lowerBound(recs, fromOffset);
      for (; ri < recs.length && out.length < maxRecords; ri++) {
        const r = recs[ri];
        if (r.offset >= upTo) return this.readOk(out);
        out.push(copyRecord(r) as LogRecord);
      }
    }
    return this.readOk(out);
  }

  private readOk(records: LogRecord[]): ReadResult {
    return { ok: true, records, highWatermark: this.hw, logStartOffset: this.start, logEndOffset: this.end };
  }

  /** index of the last segment with baseOffset ≤ offset (0 if none) */
  private segmentIndexFor(offset: number): number {
    let lo = 0;
    let hi = this.segs.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.segs[mid].baseOffset <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /**
   * Set the high watermark, clamped to [logStartOffset, LEO] as Kafka does.
   * @param offset the proposed HW (the replication layer computes min LEO over the ISR)
   * @returns the HW after clamping
   * Source: UnifiedLog.updateHighWatermark.
   */
  updateHighWatermark(offset: number): number {
    if (!Number.isSafeInteger(offset)) throw new RangeError(`Expected highWatermark to be an integer, got ${String(offset)}`);
    this.hw = Math.min(Math.max(offset, this.start), this.end);
    return this.hw;
  }

  /**
   * Advance logStartOffset (DeleteRecords, or retention after deleting segments). Records below it become
   * unreadable; whole segments below it are deleted by the next retention pass.
   * @returns true if it moved; false if `offset` ≤ the current logStartOffset
   * @throws RangeError when offset > highWatermark (Kafka: OffsetOutOfRangeException)
   * Source: UnifiedLog.maybeIncrementLogStartOffset.
   */
  maybeIncrementLogStartOffset(offset: number): boolean {
    checkOffset('logStartOffset', offset);
    if (offset > this.hw) {
      throw new RangeError(`Expected logStartOffset ≤ highWatermark ${this.hw}, got ${offset}`);
    }
    if (offset <= this.start) return false;
    this.start = offset;
    if (this.firstDirtyOffset < offset) this.firstDirtyOffset = offset;
    return true;
  }

  /**
   * Follower truncation: remove every record with offset ≥ `offset`. No-op when offset ≥ LEO.
   * When `offset` is below the first segment's baseOffset the log is emptied and restarted there
   * (truncateFullyAndStartAt); otherwise logStartOffset becomes min(logStartOffset, offset) — the one case
   * where logStartOffset moves back — and the HW is lowered to the new LEO if it was above.
   * @returns true if anything was removed
   * Source: UnifiedLog.truncateTo.
   */
  truncateTo(offset: number): boolean {
    checkOffset('offset', offset);
    if (offset >= this.end) return false;
    if (offset < this.segs[0].baseOffset) {
      this.truncateFullyAndStartAt(offset, this.activeSegment.lastModifiedMs);
      return true;
    }
    // keep segments with baseOffset ≤ offset; cut records ≥ offset out of the last kept one
    while (this.segs.length > 1 && this.segs[this.segs.length - 1].baseOffset > offset) this.segs.pop();
    const last = this.segs[this.segs.length - 1];
    const keep = lowerBound(last.records, offset);
    last.records.length = keep;
    recomputeSegment(last);
    this.size = this.segs.reduce((n, s) => n + s.sizeInBytes, 0);
    this.end = offset;
    if (this.start > offset) this.start = offset;
    if (this.hw > this.end) this.hw = this.end;
    // LogCleanerManager.maybeTruncateCheckpoint: the cleaner checkpoint never stays above the new LEO
    if (this.firstDirtyOffset > offset) this.firstDirtyOffset = offset;
    return true;
  }

  /**
   * Delete everything and restart the log at `offset`: LEO = logStartOffset = HW = offset.
   * Used when a follower's fetch offset is out of range on the leader.
   * Source: UnifiedLog.truncateFullyAndStartAt.
   */
  truncateFullyAndStartAt(offset: number, nowMs: number = this.activeSegment.lastModifiedMs): void {
    checkOffset('offset', offset);
    this.segs = [emptySegment(offset, nowMs)];
    this.start = offset;
    this.end = offset;
    this.hw = offset;
    this.size = 0;
    this.firstDirtyOffset = offset;
  }

  /**
   * @internal For retention and compaction: delete the first `count` segments (rolling first if that is all
   * of them), then move logStartOffset up to the first remaining segment's base offset.
   */
  deleteOldestSegments(count: number, nowMs: number): LogSegment[] {
    if (count <= 0) return [];
    if (count >= this.segs.length) this.roll(nowMs);
    const deleted = this.segs.splice(0, count);
    for (const s of deleted) this.size -= s.sizeInBytes;
    const base = this.segs[0].baseOffset;
    if (base > this.start) this.start = base;
    if (this.hw < this.start) this.hw = this.start;
    if (this.firstDirtyOffset < this.start) this.firstDirtyOffset = this.start;
    return deleted;
  }

  /** @internal For compaction: replace segments [from, from + count) with `replacement` (same offset range). */
  replaceSegments(from: number, count: number, replacement: LogSegment[]): void {
    const removed = this.segs.splice(from, count, ...replacement);
    for (const s of removed) this.size -= s.sizeInBytes;
    for (const s of replacement) this.size += s.sizeInBytes;
  }

  /** A JSON-serialisable summary (no record bodies) for traces. */
  snapshot(): PartitionLogSnapshot {
    return {
      topic: this.topicPartition.topic,
      partition: this.topicPartition.partition,
      logStartOffset: this.start,
      logEndOffset: this.end,
      highWatermark: this.hw,
      sizeInBytes: this.size,
      segments: this.segs.map((s, i) => ({
        baseOffset: s.baseOffset,
        recordCount: s.records.length,
        sizeInBytes: s.sizeInBytes,
        firstOffset: s.records.length ? s.records[0].offset : null,
        lastOffset: s.records.length ? s.records[s.records.length - 1].offset : null,
        active: i === this.segs.length - 1,
      })),
    };
  }
}
