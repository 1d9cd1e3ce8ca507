/**
 * The producer's record accumulator: one queue of batches per partition, drained in partition order,
 * with the idempotent producer's per-partition sequence numbers. The sender (sender.ts) decides when a
 * queue's head may go, sends it, and puts a failed batch back here to be retried.
 *
 * Rules kept here (Kafka's `RecordAccumulator` and `TransactionManager`):
 * - `send` appends a batch to its partition's queue; queues are drained in a fixed partition order
 *   (topic, then partition number), one head per queue per pass.
 * - A retried batch goes back to the *front* of its queue — in sequence order when the producer is
 *   idempotent (`reenqueue`, `insertInSequenceOrder`), so a partition's batches still go in order.
 * - An idempotent batch gets its base sequence the first time it is sent and keeps it on retries; when
 *   the producer bumps its epoch, every unsent batch is renumbered from 0 (`resetSequences`).
 * - A queued batch older than delivery.timeout.ms is removed and fails (`removeExpired`).
 *
 * Caveat: one record per batch (Kafka groups records by batch.size and linger.ms).
 *
 * Source: org.apache.kafka.clients.producer.internals.RecordAccumulator (append, drain, reenqueue,
 * insertInSequenceOrder, expiredBatches), TransactionManager (sequence numbers per partition).
 */
import { tpKey } from '../common/notation.ts';
import type { KafkaRecord, TopicPartition } from '../common/record.ts';
import type { ProducerBatchInfo } from '../replication/replication-types.ts';
import type { BatchOutcome } from './producer-config.ts';

/** One send's batch, from `send` until it is delivered or fails. */
export interface Batch {
  batchId: number;
  tp: TopicPartition;
  records: KafkaRecord[];
  /** the first record's sequence number (idempotence); null until first sent, or after an epoch bump */
  baseSequence: number | null;
  producerEpoch: number;
  /** when `send` was called (ms); delivery.timeout.ms counts from here */
  createdMs: number;
  retries: number;
  /** not sent again before this time (ms): retry backoff */
  nextAttemptMs: number;
  outcome: BatchOutcome;
  producerInfo?: ProducerBatchInfo;
}

/** Whether two topic-partitions are the same one. */
export function samePartition(a: TopicPartition, b: TopicPartition): boolean {
  return a.topic === b.topic && a.partition === b.partition;
}

export class RecordAccumulator {
  private readonly queues = new Map<string, Batch[]>();
  /** every batch, in send order */
  private readonly batches: Batch[] = [];
  private readonly nextSequence = new Map<string, number>();
  private batchCounter = 0;
  /** the partitions' queue keys, sorted (drain order) */
  private queueKeys: string[] = [];

  /**
   * A new batch of one record at the back of its partition's queue.
   * @param nowMs the send time (ms): the batch's createdMs and first possible attempt
   * @param producerEpoch the producer's epoch now
   */
  append(tp: TopicPartition, record: KafkaRecord, nowMs: number, producerEpoch: number): Batch {
    const batchId = ++this.batchCounter;
    const batch: Batch = {
      batchId,
      tp,
      records: [record],
      baseSequence: null,
      producerEpoch,
      createdMs: nowMs,
      retries: 0,
      nextAttemptMs: nowMs,
      outcome: {
        batchId,
        topic: tp.topic,
        partition: tp.partition,
        key: record.key,
        value: record.value,
        status: 'pending',
        offset: null,
        error: null,
        retries: 0,
      },
    };
    this.batches.push(batch);
    this.queue(tp).push(batch);
    return batch;
  }

  /** Copies of every batch's fate so far, in send order. */
  outcomes(): BatchOutcome[] {
    return this.batches.map((b) => ({ ...b.outcome }));
  }

  /** The head of every non-empty queue, in drain order (a snapshot: taking one does not disturb the walk). */
  heads(): Batch[] {
    const out: Batch[] = [];
    for (const key of this.queueKeys) {
      const head = this.queues.get(key)![0];
      if (head) out.push(head);
    }
    return out;
  }

  /**
   * Removes `head` from the front of its queue (to send it).
   * @throws Error when it is not the head of its queue
   */
  takeHead(head: Batch): void {
    const q = this.queue(head.tp);
    if (q[0] !== head) throw new Error(`batch ${head.batchId} is not the head of ${tpKey(head.tp)}'s queue`);
    q.shift();
  }

  /**
   * Gives an idempotent batch its base sequence the first time it is sent, or again after an epoch bump;
   * a retry keeps the sequence it had.
   * @returns the batch's base sequence
   */
  assignSequence(batch: Batch, producerEpoch: number): number {
    if (batch.baseSequence !== null && batch.producerEpoch === producerEpoch) return batch.baseSequence;
    const key = tpKey(batch.tp);
    const baseSequence = this.nextSequence.get(key) ?? 0;
    batch.producerEpoch = producerEpoch;
    batch.baseSequence = baseSequence;
    this.nextSequence.set(key, baseSequence + batch.records.length);
    return baseSequence;
  }

  /** Whether a batch of `tp` with a sequence below `sequence` waits in its queue. */
  hasQueuedBefore(tp: TopicPartition, sequence: number): boolean {
    return this.queue(tp).some((b) => b.baseSequence !== null && b.baseSequence < sequence);
  }

  /** Puts a batch back into its queue: in sequence order when idempotent, else at the front. */
  reenqueue(batch: Batch, idempotent: boolean): void {
    const q = this.queue(batch.tp);
    if (idempotent && batch.baseSequence !== null) {
      let i = 0;
      while (i < q.length && q[i].baseSequence !== null && q[i].baseSequence! < batch.baseSequence) i++;
      q.splice(i, 0, batch);
    } else {
      q.unshift(batch);
    }
  }

  /** After an epoch bump: sequences start again from 0 and every queued batch is renumbered when sent. */
  resetSequences(): void {
    this.nextSequence.clear();
    for (const q of this.queues.values()) for (const b of q) b.baseSequence = null;
  }

  /**
   * Removes and returns the queued batches whose delivery.timeout.ms has passed, queue by queue.
   * @param deliveryTimeoutMs delivery.timeout.ms (ms), counted from each batch's send
   */
  removeExpired(nowMs: number, deliveryTimeoutMs: number): Batch[] {
    const expired: Batch[] = [];
    for (const q of this.queues.values()) {
      for (let i = 0; i < q.length;) {
        if (nowMs >= q[i].createdMs + deliveryTimeoutMs) expired.push(...q.splice(i, 1));
        else i++;
      }
    }
    return expired;
  }

  private queue(tp: TopicPartition): Batch[] {
    const key = tpKey(tp);
    let q = this.queues.get(key);
    if (!q) {
      q = [];
      this.queues.set(key, q);
      this.queueKeys = [...this.queues.keys()].sort();
    }
    return q;
  }
}
