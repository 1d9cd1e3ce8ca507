/**
 * The consumer's fetch path: what it needs from a partition's leader ({@link FetchablePartition}),
 * which positions are out of range, and how one poll() collects records from the owned partitions.
 *
 * Mirrors Kafka's Fetcher / AbstractFetch (which partitions to fetch), FetchCollector
 * (collectFetch: at most max.poll.records per poll, positions moved past what is returned,
 * OFFSET_OUT_OF_RANGE handed to the reset logic) and CompletedFetch (control records dropped;
 * read_committed stops at the last stable offset and skips aborted transactions).
 *
 * The rule: partitions are taken in turn, starting one further at each poll (Kafka moves a
 * partition it served to the end, SubscriptionState#movePartitionToEnd); each is read from its
 * position up to the high watermark (read_committed: the LSO) until max.poll.records are collected.
 *
 * Example: owned [t0p0, t0p1], positions 4 and 0, high watermarks 10 and 2, max.poll.records 3,
 * start 0 → t0p0@4, 5, 6 (position 7); the next poll starts at t0p1 → t0p1@0, 1, then t0p0@7.
 */
import { tpKey } from '../common/notation.ts';
import type { LogRecord, TopicPartition } from '../common/record.ts';
import { visibleRecords } from '../log/transaction-index.ts';
import type { IsolationLevel } from '../log/transaction-index.ts';

/**
 * What a consumer needs from a partition (the leader's view): its offsets and a read below the
 * high watermark. {@link partitionLogView} adapts ../log/partition-log.ts's PartitionLog (also the
 * leader replica's log in ../replication/partition-replication.ts, whose highWatermark replication maintains).
 */
export interface FetchablePartition {
  readonly logStartOffset: number;
  readonly logEndOffset: number;
  /** consumers read only below it (records every in-sync replica has) */
  readonly highWatermark: number;
  /**
   * The records with fromOffset ≤ offset < toOffset, in offset order (compaction may leave gaps).
   * The consumer asks only below the high watermark.
   */
  read(fromOffset: number, toOffset: number): LogRecord[];
  /** the last stable offset, when the partition holds transactional records (absent: = highWatermark) */
  readonly lastStableOffset?: number;
  /** offsets of records in aborted transactions (absent: none) */
  readonly abortedOffsets?: ReadonlySet<number>;
}

/**
 * A PartitionLog (../log/partition-log.ts) as a consumer sees it: reads with isolation "highWatermark".
 * Typed by shape, so the consumer does not depend on the log's class.
 */
export function partitionLogView(log: {
  readonly logStartOffset: number;
  readonly logEndOffset: number;
  readonly highWatermark: number;
  read(
    fromOffset: number,
    maxRecords: number,
    options?: { isolation?: 'logEnd' | 'highWatermark' },
  ): { ok: true; records: LogRecord[] } | { ok: false };
}): FetchablePartition {
  return {
    get logStartOffset() {
      return log.logStartOffset;
    },
    get logEndOffset() {
      return log.logEndOffset;
    },
    get highWatermark() {
      return log.highWatermark;
    },
    read(fromOffset, toOffset) {
      if (toOffset <= fromOffset) return [];
      const r = log.read(fromOffset, toOffset - fromOffset, { isolation: 'highWatermark' });
      return r.ok ? r.records.filter((x) => x.offset < toOffset) : [];
    },
  };
}

/** A record as poll() hands it over. */
export interface ConsumerRecord extends LogRecord {
  topic: string;
  partition: number;
}

/** Where reads stop: the high watermark, or the last stable offset for read_committed. */
export function readLimit(part: FetchablePartition, isolationLevel: IsolationLevel): number {
  return isolationLevel === 'read_committed' ? (part.lastStableOffset ?? part.highWatermark) : part.highWatermark;
}

/**
 * The owned partitions whose position is below logStartOffset or beyond the log end (Kafka's fetch
 * answers OFFSET_OUT_OF_RANGE); partitions without a leader or a position are skipped.
 */
export function outOfRangePositions(
  owned: readonly TopicPartition[],
  positions: ReadonlyMap<string, number>,
  partitionOf: (tp: TopicPartition) => FetchablePartition | undefined,
): { tp: TopicPartition; offset: number }[] {
  const outOfRange: { tp: TopicPartition; offset: number }[] = [];
  for (const tp of owned) {
    const part = partitionOf(tp);
    const pos = positions.get(tpKey(tp));
    if (!part || pos === undefined) continue; // no leader right now, or no position yet
    if (pos < part.logStartOffset || pos > part.logEndOffset) outOfRange.push({ tp, offset: pos });
  }
  return outOfRange;
}

/**
 * Collect one poll's records (FetchCollector#collectFetch): owned partitions in turn from `start`,
 * each from its position up to its read limit, until maxPollRecords; moves `positions` past what
 * it returns.
 * @param owned the owned partitions, in partition order (non-empty)
 * @param positions tpKey → the next offset to read; updated in place
 * @param start the index in `owned` to start at (fairness between partitions)
 * @returns the records, and per partition read the offsets it went from and to
 */
export function collectFetch(
  owned: readonly TopicPartition[],
  positions: Map<string, number>,
  partitionOf: (tp: TopicPartition) => FetchablePartition | undefined,
  start: number,
  config: { maxPollRecords: number; isolationLevel: IsolationLevel },
): { records: ConsumerRecord[]; fetched: { tp: TopicPartition; fromOffset: number; toOffset: number }[] } {
  const out: ConsumerRecord[] = [];
  const fetched: { tp: TopicPartition; fromOffset: number; toOffset: number }[] = [];
  for (let i = 0; i < owned.length && out.length < config.maxPollRecords; i++) {
    const tp = owned[(start + i) % owned.length];
    const part = partitionOf(tp);
    const pos = positions.get(tpKey(tp));
    if (!part || pos === undefined) continue;
    const hw = readLimit(part, config.isolationLevel);
    if (pos >= hw) continue;
    const room = config.maxPollRecords - out.length;
    // read windows until `room` records or the high watermark (compaction leaves offset gaps)
    const records: LogRecord[] = [];
    let from = pos;
    let window = room;
    while (records.length < room && from < hw) {
      const to = Math.min(hw, from + window);
      const read = part.read(from, to);
      // control records never reach the application; read_committed also skips aborted records
      const visible =
        part.abortedOffsets !== undefined || read.some((r) => r.controlType !== undefined)
          ? visibleRecords(read, config.isolationLevel, part.abortedOffsets ?? new Set())
          : read;
      for (const r of visible) if (records.length < room && r.offset >= from && r.offset < to) records.push(r);
      from = to;
      window *= 2;
    }
    const next = records.length === room ? records[records.length - 1].offset + 1 : hw;
    for (const r of records) out.push({ ...r, topic: tp.topic, partition: tp.partition });
    positions.set(tpKey(tp), next);
    fetched.push({ tp, fromOffset: pos, toOffset: next });
  }
  return { records: out, fetched };
}
