/**
 * The transaction steps of a scenario (initTransactions, beginTransaction, sendOffsetsToTransaction,
 * commitTransaction, abortTransaction), a transactional producer's sends, the coordinator's
 * transaction timeouts, and each partition's transactions as consumers and snapshots read them.
 *
 * The rules are the engine's (../producer/transaction-manager.ts, ../log/transaction-index.ts):
 * sends write at once (read_uncommitted consumers see them), markers end the transaction on every
 * partition it touched, read_committed consumers stop at the last stable offset.
 *
 * Example (YAML):
 * ```yaml
 * producers: [{ id: P0, config: { transactionalId: tx-0 } }]
 * steps:
 *   - initTransactions: { producer: P0 }
 *   - beginTransaction: { producer: P0 }
 *   - produce: { producer: P0, topic: out, key: k, value: v }
 *   - sendOffsetsToTransaction: { producer: P0, consumer: C0 }
 *   - commitTransaction: { producer: P0 }      # COMMIT marker on out-0, then C0's group offsets
 * ```
 */
import type { StepLog, ProducerSlot, ConsumerSlot, GroupSlot } from './run-state.ts';
import { ScenarioError } from './references.ts';
import type { Cluster } from '../cluster/cluster.ts';
import type { ProducerEvent } from '../producer/producer-config.ts';
import { TransactionCoordinator, TransactionalProducer } from '../producer/transaction-manager.ts';
import type { TransactionEnd } from '../producer/transaction-manager.ts';
import { writeTxnMarker } from '../replication/transaction-markers.ts';
import { scanTransactions } from '../log/transaction-index.ts';
import { parseTpKey, partitionLabel, tpKey } from '../common/notation.ts';
import type { TopicPartition } from '../common/record.ts';

/** What the transaction steps read and change of the run. */
export interface TransactionRunHooks {
  readonly cluster: Cluster<ProducerEvent>;
  readonly producers: ReadonlyMap<string, ProducerSlot>;
  readonly consumers: ReadonlyMap<string, ConsumerSlot>;
  readonly groups: ReadonlyMap<string, GroupSlot>;
  readonly nowMs: number;
  /** remember who wrote the record at tp@offset (the trace names a marker's producer) */
  attribute(tp: TopicPartition, offset: number, leaderEpoch: number, producer: string): void;
}

/** Per-partition transaction state, cached until the partition's log changes. */
interface TxnCacheEntry {
  logEndOffset: number;
  logStartOffset: number;
  highWatermark: number;
  value: { lastStableOffset: number; abortedOffsets: Set<number>; openOffsets: Set<number> };
}

export class TransactionSteps {
  readonly coordinator: TransactionCoordinator;
  private readonly cache = new Map<string, TxnCacheEntry>();
  /** the producer whose transaction is ending (markers are attributed to it) */
  private endingFor: string | null = null;

  constructor(private readonly run: TransactionRunHooks) {
    this.coordinator = new TransactionCoordinator({
      newProducerId: () => run.cluster.initProducerId().producerId,
      writeMarker: (tp, producerId, producerEpoch, type) => {
        const p = run.cluster.partition(tp);
        const { offset } = writeTxnMarker(p, { producerId, producerEpoch, type }, run.nowMs);
        if (offset !== null && this.endingFor !== null) run.attribute(tp, offset, p.leaderEpoch, this.endingFor);
        return offset;
      },
      completeOffsets: (groupId, offsets) => run.groups.get(groupId)?.group.completeTxnOffsetCommit(run.nowMs, offsets),
    });
  }

  /**
   * Give every producer with a transactionalId its transactional client. Its data records go to the
   * partition leader as one-record batches with acks=all, the transactional bit and its producer
   * fields (sequence numbers per partition, from 0 in each epoch).
   */
  attach(producers: ReadonlyMap<string, ProducerSlot>): void {
    for (const slot of producers.values()) {
      const c = slot.spec.config ?? {};
      if (c.transactionalId === undefined) continue;
      slot.transactional = new TransactionalProducer(
        c.transactionalId,
        this.coordinator,
        (tp, record, producer) => {
          const { requestId, events } = this.run.cluster.produce(tp, [{ ...record, isTransactional: true } as never], {
            acks: 'all',
            producer,
            clientId: slot.spec.id,
          });
          const answer = events.find((e) => e.type === 'produce-response' && e.requestId === requestId) as
            { error: string; baseOffset: number | null } | undefined;
          // no answer yet: acks=all still waiting for followers; the record is in the leader's log
          return answer ? { error: answer.error, offset: answer.baseOffset } : { error: 'NONE', offset: null };
        },
        c.transactionTimeoutMs,
      );
    }
  }

  /** Run one transaction step. @returns its description; a client error goes to log.error */
  step(
    kind: 'initTransactions' | 'beginTransaction' | 'sendOffsetsToTransaction' | 'commitTransaction' | 'abortTransaction',
    body: { producer: string; consumer?: string; offsets?: Record<string, number> },
    path: string,
    log: StepLog,
  ): string {
    const slot = this.run.producers.get(body.producer);
    const tx = slot?.transactional;
    if (!slot || !tx) throw new ScenarioError(path, `${body.producer} is not a transactional producer`);
    const id = slot.spec.id;
    try {
      switch (kind) {
        case 'initTransactions': {
          this.endingFor = id;
          const aborted = tx.initTransactions();
          this.endingFor = null;
          if (aborted) log.happened.push(`coordinator: the previous instance's open transaction is aborted — ${this.describeEnd(aborted)}`);
          return `${id}.initTransactions(): transactional.id ${tx.transactionalId} → producerId ${tx.producerId}, epoch ${tx.producerEpoch}${tx.producerEpoch > 0 ? ' (older instances are fenced)' : ''}`;
        }
        case 'beginTransaction':
          tx.beginTransaction();
          return `${id}.beginTransaction()`;
        case 'sendOffsetsToTransaction': {
          const c = this.run.consumers.get(body.consumer!);
          if (!c) throw new ScenarioError(path, `unknown consumer ${JSON.stringify(body.consumer)}`);
          const offsets = body.offsets
            ? Object.entries(body.offsets).map(([k, offset]) => ({ tp: parseTpKey(k), offset }))
            : c.consumer
                .assignment()
                .map((tp) => ({ tp, offset: c.consumer.position(tp) }))
                .filter((o): o is { tp: TopicPartition; offset: number } => o.offset !== null);
          const groupId = c.spec.group;
          tx.sendOffsetsToTransaction(groupId, offsets, this.run.nowMs, () => c.group.validateTxnOffsetCommit(this.run.nowMs, c.spec.id));
          return `${id}.sendOffsetsToTransaction(${offsets.map((o) => `${partitionLabel(o.tp)}=${o.offset}`).join(', ') || 'nothing'}, group ${groupId}): committed only if the transaction commits`;
        }
        case 'commitTransaction':
        case 'abortTransaction': {
          this.endingFor = id;
          const end = kind === 'commitTransaction' ? tx.commitTransaction() : tx.abortTransaction();
          this.endingFor = null;
          return `${id}.${kind}(): ${this.describeEnd(end)}`;
        }
      }
    } catch (e) {
      this.endingFor = null;
      if (e instanceof ScenarioError) throw e;
      log.error = `${id}: ${(e as Error).name}: ${(e as Error).message}`;
      return `${id}.${kind}() fails: ${(e as Error).name}`;
    }
  }

  /**
   * A transactional producer's send: written at once inside its transaction.
   * @returns the offset, or null with log.error set (fenced, or no open transaction)
   */
  send(
    slot: ProducerSlot,
    tp: TopicPartition,
    record: { key: string | null; value: string | null; timestamp: number },
    log: StepLog,
  ): number | null {
    try {
      return slot.transactional!.send(tp, record, this.run.nowMs);
    } catch (e) {
      const answer = slot.transactional!.lastSendError;
      log.error = `${slot.spec.id}: ${(e as Error).name}: ${(e as Error).message}${answer ? ` (${answer} from ${answer === 'PRODUCER_FENCED' ? 'the transaction coordinator' : `${partitionLabel(tp)}'s leader`})` : ''}`;
      return null;
    }
  }

  /** The coordinator aborts transactions open longer than transaction.timeout.ms (after every step). */
  afterStep(log: StepLog): void {
    for (const { transactionalId, end } of this.coordinator.abortTimedOut(this.run.nowMs)) {
      log.happened.push(
        `coordinator: transaction ${transactionalId} timed out (transaction.timeout.ms) and is aborted, epoch bumped — ${this.describeEnd(end)}`,
      );
    }
  }

  /** The partition's LSO, aborted and open offsets (recomputed when its log changed). */
  transactionsOf(tp: TopicPartition): TxnCacheEntry['value'] | null {
    let p;
    try {
      p = this.run.cluster.partition(tp);
    } catch {
      return null;
    }
    const leader = p.leaderReplica();
    if (!leader) return null;
    const log = leader.log;
    const key = tpKey(tp);
    const hit = this.cache.get(key);
    if (
      hit &&
      hit.logEndOffset === log.logEndOffset &&
      hit.logStartOffset === log.logStartOffset &&
      hit.highWatermark === log.highWatermark
    )
      return hit.value;
    const r = log.read(log.logStartOffset, Number.MAX_SAFE_INTEGER);
    const records = r.ok ? r.records : [];
    const scan = scanTransactions(records);
    let lso = log.highWatermark;
    for (const first of scan.open.values()) lso = Math.min(lso, first);
    const value = { lastStableOffset: lso, abortedOffsets: scan.abortedOffsets, openOffsets: scan.openOffsets };
    this.cache.set(key, { logEndOffset: log.logEndOffset, logStartOffset: log.logStartOffset, highWatermark: log.highWatermark, value });
    return value;
  }

  private describeEnd(end: TransactionEnd): string {
    const markers =
      end.markers.map((m) => `${end.result} marker at ${partitionLabel(m.tp)}@${m.offset ?? '(offline)'}`).join(', ') ||
      'no partition was written';
    const offsets = end.offsets.flatMap((g) => g.offsets.map((o) => `${g.groupId} ${partitionLabel(o.tp)}=${o.offset}`));
    return `${markers}${offsets.length ? `; offsets committed: ${offsets.join(', ')}` : ''}`;
  }
}
