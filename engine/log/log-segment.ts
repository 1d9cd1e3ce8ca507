/**
 * The pieces of a partition's log that are plain data: a segment, the append / read result shapes, the
 * snapshot, and the helpers that build and copy stored records. ./partition-log.ts holds the rules.
 *
 * Source: org.apache.kafka.storage.internals.log.LogSegment (baseOffset, size, maxTimestampSoFar,
 * rollingBasedTimestamp), UnifiedLog (append / read results), DefaultRecordBatch (RECORD_BATCH_OVERHEAD).
 */
import { recordSizeBytes } from '../common/record.ts';
import type { KafkaRecord, LogRecord } from '../common/record.ts';

/** Kafka's DefaultRecordBatch.RECORD_BATCH_OVERHEAD: counted only against maxMessageBytes. */
export const RECORD_BATCH_OVERHEAD_BYTES = 61;

/** One segment of a partition's log. Plain data; read it, never change it (the log owns it). */
export interface LogSegment {
  /** ≤ every offset in this segment and > every offset in earlier segments */
  baseOffset: number;
  /** the segment's records, in offset order (with gaps after compaction) */
  records: LogRecord[];
  /** the sum of recordSizeBytes over `records` */
  sizeInBytes: number;
  /** the first appended batch's max timestamp (Kafka's rollingBasedTimestamp); null while empty */
  firstBatchTimestampMs: number | null;
  /** the largest record timestamp (Kafka's maxTimestampSoFar); null while empty */
  maxTimestampMs: number | null;
  /** simulated time of the last write (stands in for the file's mtime) */
  lastModifiedMs: number;
}

/** A record for {@link PartitionLog.appendAsLeader}: what the producer sent plus optional producer/leader metadata. */
export type AppendRecord = KafkaRecord &
  Partial<Pick<LogRecord, 'leaderEpoch' | 'producerId' | 'producerEpoch' | 'sequence' | 'isTransactional' | 'controlType'>>;

/** Broker error codes an append can return (Kafka's Errors names). */
export type AppendError = 'INVALID_RECORD' | 'MESSAGE_TOO_LARGE' | 'RECORD_LIST_TOO_LARGE';

export type AppendResult =
  | {
      ok: true;
      /** offset of the first appended record */
      firstOffset: number;
      /** offset of the last appended record */
      lastOffset: number;
      /** LEO after the append */
      logEndOffset: number;
      /** true when the active segment was rolled before this batch */
      rolled: boolean;
    }
  | { ok: false; error: AppendError; message: string };

export type ReadResult =
  | {
      ok: true;
      /** copies of the stored records */
      records: LogRecord[];
      highWatermark: number;
      logStartOffset: number;
      logEndOffset: number;
    }
  | { ok: false; error: 'OFFSET_OUT_OF_RANGE'; message: string; logStartOffset: number; logEndOffset: number };

export interface ReadOptions {
  /**
   * "logEnd" (followers, Kafka's FetchIsolation.LOG_END): read up to LEO.
   * "highWatermark" (consumers, FetchIsolation.HIGH_WATERMARK): read only below HW. Default "logEnd".
   */
  isolation?: 'logEnd' | 'highWatermark';
}

/** A JSON-serialisable summary of a log for traces and renderers. */
export interface PartitionLogSnapshot {
  topic: string;
  partition: number;
  logStartOffset: number;
  logEndOffset: number;
  highWatermark: number;
  sizeInBytes: number;
  segments: Array<{
    baseOffset: number;
    recordCount: number;
    sizeInBytes: number;
    firstOffset: number | null;
    lastOffset: number | null;
    active: boolean;
  }>;
}

export function emptySegment(baseOffset: number, nowMs: number): LogSegment {
  return { baseOffset, records: [], sizeInBytes: 0, firstBatchTimestampMs: null, maxTimestampMs: null, lastModifiedMs: nowMs };
}

export function checkOffset(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`Expected ${name} to be a non-negative integer, got ${String(value)}`);
  }
}

/** first index whose record offset ≥ offset */
export function lowerBound(records: readonly LogRecord[], offset: number): number {
  let lo = 0;
  let hi = records.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (records[mid].offset < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Recompute size and timestamps of a segment from its records (after truncation or cleaning). */
export function recomputeSegment(s: LogSegment): void {
  let size = 0;
  let max: number | null = null;
  for (const r of s.records) {
    size += recordSizeBytes(r);
    if (max === null || r.timestamp > max) max = r.timestamp;
  }
  s.sizeInBytes = size;
  s.maxTimestampMs = max;
  s.firstBatchTimestampMs = s.records.length ? s.records[0].timestamp : null;
}

/** A fresh stored record: the known fields only, headers deep-copied, optional metadata kept when present. */
export function toLogRecord(r: AppendRecord, offset: number): LogRecord {
  const c: LogRecord = { offset, key: r.key, value: r.value, timestamp: r.timestamp };
  if (r.headers) c.headers = r.headers.map((h) => ({ key: h.key, value: h.value }));
  if (r.leaderEpoch !== undefined) c.leaderEpoch = r.leaderEpoch;
  if (r.producerId !== undefined) c.producerId = r.producerId;
  if (r.producerEpoch !== undefined) c.producerEpoch = r.producerEpoch;
  if (r.sequence !== undefined) c.sequence = r.sequence;
  if (r.isTransactional) c.isTransactional = true;
  if (r.controlType !== undefined) c.controlType = r.controlType;
  const horizon = (r as Partial<LogRecord>).deleteHorizonMs;
  if (horizon !== undefined) c.deleteHorizonMs = horizon; // a follower copies the cleaner's stamp too
  return c;
}

export function copyRecord<T extends KafkaRecord>(r: T): T {
  const c = { ...r };
  if (r.headers) c.headers = r.headers.map((h) => ({ ...h }));
  return c;
}
