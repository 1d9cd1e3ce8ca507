/**
 * The leader appending one produce batch to its replica: the idempotent producer's sequence check,
 * stamping the records with the leader epoch and producer fields, the log append, the epoch cache
 * and the producer state. The acks and min ISR rules around it are in ./leader-hw.ts.
 *
 * Example: leader epoch 2, an idempotent batch (producerId 0, epoch 0, baseSequence 3) of 2 records
 * on a log ending at 7 → offsets 7..8 stamped leaderEpoch 2, sequences 3 and 4; the same batch sent
 * again → a duplicate at 7..8, nothing appended.
 *
 * Source: kafka.cluster.Partition.appendRecordsToLeader → UnifiedLog.appendAsLeader,
 * ProducerStateManager, LeaderEpochFileCache.assign.
 */
import type { KafkaRecord, LogRecord } from '../common/record.ts';
import type { ProduceError, ProducerBatchInfo, Replica } from './replication-types.ts';
import { assignEpoch } from './leader-epoch-cache.ts';
import { checkSequence, recordBatch } from './producer-state.ts';

/** What appending a batch on the leader gave: the offsets (a duplicate keeps the original ones) or the error. */
export type LeaderAppendResult =
  { ok: true; baseOffset: number; lastOffset: number; duplicate: boolean } | { ok: false; error: ProduceError };

/**
 * Append `records` to the leader's replica in `leaderEpoch`.
 * @returns the offsets, or OUT_OF_ORDER_SEQUENCE_NUMBER / INVALID_PRODUCER_EPOCH (idempotence) or
 *   INVALID_RECORD / MESSAGE_TOO_LARGE / RECORD_LIST_TOO_LARGE (the log); nothing is appended then
 */
export function appendBatchAsLeader(
  leader: Replica,
  records: readonly KafkaRecord[],
  leaderEpoch: number,
  producer: ProducerBatchInfo | undefined,
  nowMs: number,
): LeaderAppendResult {
  const p = producer;
  if (p) {
    const check = checkSequence(leader, p, records.length);
    if (check.kind === 'error') return { ok: false, error: check.error };
    if (check.kind === 'duplicate') {
      return { ok: true, baseOffset: check.batch.firstOffset, lastOffset: check.batch.lastOffset, duplicate: true };
    }
  }
  const stamped: Omit<LogRecord, 'offset'>[] = records.map((r, i) => ({
    ...r,
    leaderEpoch,
    ...(p ? { producerId: p.producerId, producerEpoch: p.producerEpoch, sequence: p.baseSequence + i } : {}),
  }));
  const appended = leader.log.appendAsLeader(stamped, { nowMs });
  if (!appended.ok) return { ok: false, error: appended.error };
  const baseOffset = appended.firstOffset;
  const lastOffset = appended.lastOffset;
  assignEpoch(leader.epochCache, leaderEpoch, baseOffset);
  if (p) {
    recordBatch(leader, p, { firstSeq: p.baseSequence, lastSeq: p.baseSequence + records.length - 1, firstOffset: baseOffset, lastOffset });
  }
  return { ok: true, baseOffset, lastOffset, duplicate: false };
}
