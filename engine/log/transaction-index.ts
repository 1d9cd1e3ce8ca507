/**
 * Transactions in a partition's log (KIP-98): which records belong to an open, a committed or an
 * aborted transaction, the last stable offset (LSO), and what a `read_committed` consumer is given.
 *
 * The rules:
 *   - A transactional producer's data records carry `isTransactional` and its producerId. Its
 *     transaction on this partition starts at its first such record after its previous marker, and
 *     ends at the next control record (`controlType` COMMIT or ABORT) with that producerId, written
 *     by the transaction coordinator. The marker occupies an offset of its own.
 *   - The first unstable offset is the first offset of the earliest transaction still open; the
 *     LSO = min(first unstable offset, high watermark) (no open transaction: LSO = HW).
 *   - The broker tells a read_committed fetch the aborted transactions (producerId, firstOffset) of the
 *     range it returns; the consumer skips a transactional record whose producer has an aborted
 *     transaction started at or before it, until that producer's ABORT marker. Control records are
 *     never handed to any application, whatever the isolation level.
 *   - read_committed reads stop at the LSO; read_uncommitted reads stop at the HW and include open
 *     and aborted transactional records.
 *
 * Example (P = producerId 7, Q = producerId 8; `*` = transactional):
 *   t0p0: 0 a   1 b*P   2 c*Q   3 COMMIT(P)   4 d*Q   5 ABORT(Q)   6 e*P      HW 7
 *   open: P from 6 → LSO 6.   aborted: Q from 2 (marker 5).
 *   read_committed from 0 → a, b (c and d were aborted; 3 and 5 are markers; 6 is past the LSO)
 *   read_uncommitted from 0 → a, b, c, d, e
 *
 * Caveats: computed by scanning the records given (Kafka keeps a transaction index per segment and
 * the producer state's ongoing transactions); a transaction's records are assumed to be still in the
 * log (retention that deletes an open transaction's first records is not modelled).
 *
 * Source: org.apache.kafka.storage.internals.log.UnifiedLog (firstUnstableOffset, lastStableOffset,
 * updateHighWatermarkMetadata), ProducerStateManager (ongoingTxns, firstUnstableOffset),
 * LogSegment / TransactionIndex (collectAbortedTxns); clients CompletedFetch (abortedProducerIds,
 * isBatchAborted, control batches skipped), org.apache.kafka.common.record ControlRecordType.
 */
import type { LogRecord } from '../common/record.ts';

/** isolation.level: read_uncommitted (Kafka's default) or read_committed. */
export type IsolationLevel = 'read_uncommitted' | 'read_committed';

/** An aborted transaction as the fetch response lists it: the producer and its first offset. */
export interface AbortedTransaction {
  producerId: number;
  /** the transaction's first record on this partition */
  firstOffset: number;
  /** the offset of its ABORT marker */
  lastOffset: number;
}

/** What one scan of a log finds: the open transactions' first offsets and the aborted transactions. */
export interface TransactionState {
  /** producerId → first offset of its open transaction on this partition */
  open: Map<number, number>;
  aborted: AbortedTransaction[];
  /** offsets of records in aborted transactions */
  abortedOffsets: Set<number>;
  /** offsets of records in transactions not decided yet */
  openOffsets: Set<number>;
}

/**
 * Scan records (in offset order) for transactions.
 * @param records a partition's records, oldest first
 * @returns open transactions, aborted transactions and which offsets they hold
 */
export function scanTransactions(records: readonly LogRecord[]): TransactionState {
  const open = new Map<number, number>();
  const members = new Map<number, number[]>();
  const aborted: AbortedTransaction[] = [];
  const abortedOffsets = new Set<number>();
  for (const r of records) {
    if (r.producerId === undefined) continue;
    if (r.controlType !== undefined) {
      const first = open.get(r.producerId);
      if (first !== undefined && r.controlType === 'ABORT') {
        aborted.push({ producerId: r.producerId, firstOffset: first, lastOffset: r.offset });
        for (const o of members.get(r.producerId) ?? []) abortedOffsets.add(o);
      }
      open.delete(r.producerId);
      members.delete(r.producerId);
    } else if (r.isTransactional) {
      if (!open.has(r.producerId)) open.set(r.producerId, r.offset);
      const list = members.get(r.producerId) ?? [];
      list.push(r.offset);
      members.set(r.producerId, list);
    }
  }
  const openOffsets = new Set<number>();
  for (const list of members.values()) for (const o of list) openOffsets.add(o);
  return { open, aborted, abortedOffsets, openOffsets };
}

/**
 * The last stable offset: min(first offset of the earliest open transaction, highWatermark).
 * @param records the partition's records, oldest first
 * @param highWatermark the partition's high watermark
 * Example: the log at the top of this file, HW 7 → 6.
 */
export function lastStableOffset(records: readonly LogRecord[], highWatermark: number): number {
  let lso = highWatermark;
  for (const first of scanTransactions(records).open.values()) lso = Math.min(lso, first);
  return lso;
}

/**
 * What a consumer application is handed from `records` (already cut at HW or LSO by the caller):
 * never control records; with read_committed, no record of an aborted transaction.
 * @param records fetched records, in offset order
 * @param isolation the consumer's isolation.level
 * @param abortedOffsets offsets in aborted transactions ({@link scanTransactions}), needed for read_committed
 */
export function visibleRecords(records: readonly LogRecord[], isolation: IsolationLevel, abortedOffsets: ReadonlySet<number>): LogRecord[] {
  return records.filter((r) => r.controlType === undefined && (isolation === 'read_uncommitted' || !abortedOffsets.has(r.offset)));
}
