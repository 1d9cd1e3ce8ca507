/**
 * The idempotent producers' state a replica keeps beside its log: per producerId, its epoch and
 * its last 5 batches (sequence range and offsets), so a retried batch is recognised as a duplicate
 * and answered with its original offset, and a gap in sequence numbers is refused.
 *
 * The rule: a batch equal to one of the producer's last 5 is a duplicate; otherwise its first
 * sequence must be the last one + 1 (0 for a new producer or a new epoch), else
 * OUT_OF_ORDER_SEQUENCE_NUMBER; an older epoch is INVALID_PRODUCER_EPOCH.
 *
 * Source: kafka.log ProducerStateManager (NUM_BATCHES_TO_RETAIN = 5), ProducerAppendInfo.checkSequence.
 */
import type { BatchMetadata, ProducerBatchInfo, Replica } from './replication-types.ts';
import { NUM_BATCHES_TO_RETAIN } from './replication-types.ts';

export type SequenceCheck =
  | { kind: 'append' }
  | { kind: 'duplicate'; batch: BatchMetadata }
  | { kind: 'error'; error: 'OUT_OF_ORDER_SEQUENCE_NUMBER' | 'INVALID_PRODUCER_EPOCH' };

/**
 * ProducerAppendInfo.checkSequence + findDuplicateBatch: a batch equal to one of the last 5 is a
 * duplicate; otherwise its first sequence must be lastSeq + 1 (0 for a new producer or epoch).
 */
export function checkSequence(replica: Replica, p: ProducerBatchInfo, count: number): SequenceCheck {
  const entry = replica.producers[String(p.producerId)];
  const lastSeq = p.baseSequence + count - 1;
  if (!entry || p.producerEpoch > entry.producerEpoch) {
    return p.baseSequence === 0 ? { kind: 'append' } : { kind: 'error', error: 'OUT_OF_ORDER_SEQUENCE_NUMBER' };
  }
  if (p.producerEpoch < entry.producerEpoch) return { kind: 'error', error: 'INVALID_PRODUCER_EPOCH' };
  const dup = entry.batches.find((b) => b.firstSeq === p.baseSequence && b.lastSeq === lastSeq);
  if (dup) return { kind: 'duplicate', batch: dup };
  const last = entry.batches[entry.batches.length - 1];
  const expected = last ? last.lastSeq + 1 : 0;
  return p.baseSequence === expected ? { kind: 'append' } : { kind: 'error', error: 'OUT_OF_ORDER_SEQUENCE_NUMBER' };
}

/** Remember an appended batch; a producer keeps its last NUM_BATCHES_TO_RETAIN (5). */
export function recordBatch(replica: Replica, p: ProducerBatchInfo, batch: BatchMetadata): void {
  const key = String(p.producerId);
  const entry = replica.producers[key];
  if (!entry || p.producerEpoch > entry.producerEpoch) {
    replica.producers[key] = { producerEpoch: p.producerEpoch, batches: [batch] };
    return;
  }
  entry.batches.push(batch);
  if (entry.batches.length > NUM_BATCHES_TO_RETAIN) entry.batches.shift();
}

/** A follower copies the producer state of the records it fetched (offsets firstOffset..lastOffset). */
export function copyProducerBatches(from: Replica, to: Replica, firstOffset: number, lastOffset: number): void {
  for (const pid in from.producers) {
    const entry = from.producers[pid];
    for (const b of entry.batches) {
      if (b.firstOffset >= firstOffset && b.lastOffset <= lastOffset) {
        recordBatch(to, { producerId: Number(pid), producerEpoch: entry.producerEpoch, baseSequence: b.firstSeq }, { ...b });
      }
    }
  }
}

/** Forget the batches at or after `offset` (the log was truncated there). */
export function truncateProducerBatches(replica: Replica, offset: number): void {
  for (const [pid, entry] of Object.entries(replica.producers)) {
    entry.batches = entry.batches.filter((b) => b.lastOffset < offset);
    if (entry.batches.length === 0) delete replica.producers[pid];
  }
}
