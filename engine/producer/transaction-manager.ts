/**
 * Transactions (KIP-98): the transaction coordinator's state per transactional.id, and the
 * transactional producer's client side (KafkaProducer's initTransactions / beginTransaction / send /
 * sendOffsetsToTransaction / commitTransaction / abortTransaction).
 *
 * The rules:
 *   1. initTransactions(): the coordinator keeps one producerId per transactional.id and bumps its
 *      epoch. If the previous instance left a transaction open, it is aborted first (ABORT markers
 *      with the new epoch on every partition it touched). Every request carrying an older epoch is
 *      fenced from now on: the coordinator answers PRODUCER_FENCED, a partition leader that saw the
 *      newer epoch answers INVALID_PRODUCER_EPOCH — the zombie gets ProducerFencedException.
 *   2. beginTransaction() is local; the first send to a partition registers it with the coordinator
 *      (AddPartitionsToTxn) and the transaction becomes Ongoing. Records are written at once, with
 *      the transactional bit, producerId, epoch and sequence numbers: they take offsets, and readers
 *      with read_uncommitted see them immediately.
 *   3. sendOffsetsToTransaction(offsets, group): the group checks the consumer's generation now; the
 *      offsets are committed for the group only if the transaction commits.
 *   4. commitTransaction() / abortTransaction() (EndTxn): the coordinator writes a COMMIT / ABORT
 *      marker to every partition of the transaction (each takes an offset), then the group's offsets
 *      (commit only). read_committed readers see a partition's transactional records only once its
 *      marker is written (../log/transaction-index.ts: the last stable offset).
 *   5. A transaction open longer than transaction.timeout.ms (60000) is aborted by the coordinator,
 *      which bumps the epoch (the producer is fenced).
 *
 * Example: P0 (transactional.id tx) sends a → t0p0 @0, b → t1p0 @0, then hangs. P0' (same id):
 *   initTransactions → epoch 0 → 1, ABORT(t0p0) @1, ABORT(t1p0) @1. P0 wakes: commitTransaction →
 *   ProducerFencedException; a read_committed consumer never sees a or b.
 *
 * Caveats: markers are written at the instant of EndTxn (no PrepareCommit phase visible); the epoch
 * is bumped only by initTransactions and timeouts (the classic protocol; Kafka 4.0's transaction
 * version 2, KIP-890, also bumps it at every commit and abort); one send = one batch; the coordinator
 * never fails over.
 *
 * Source: org.apache.kafka.clients.producer.internals.TransactionManager (state machine, fencing),
 * KafkaProducer (initTransactions, sendOffsetsToTransaction), ProducerConfig (transaction.timeout.ms
 * 60000); kafka.coordinator.transaction.TransactionCoordinator (handleInitProducerId: epoch bump and
 * abort of an ongoing transaction; handleEndTransaction: PRODUCER_FENCED; abortTimedOutTransactions),
 * TransactionMarkerChannelManager; ProducerStateManager (epoch fencing at the partition).
 */
import type { TopicPartition } from '../common/record.ts';
import { compareTp, tpKey } from '../common/notation.ts';

/** transaction.timeout.ms: 60000 (ProducerConfig). */
export const DEFAULT_TRANSACTION_TIMEOUT_MS = 60_000;

/** The coordinator's state of a transactional.id (TransactionState, simplified: markers are immediate). */
export type TransactionStateName = 'Empty' | 'Ongoing' | 'CompleteCommit' | 'CompleteAbort';

/** What the coordinator writes through: the partition leaders and the group coordinators. */
export interface TransactionBroker {
  /** a new producer id (InitProducerId) */
  newProducerId(): number;
  /** write a COMMIT or ABORT marker for producerId at epoch to tp's leader; @returns its offset, or null when tp has no leader */
  writeMarker(tp: TopicPartition, producerId: number, producerEpoch: number, type: 'COMMIT' | 'ABORT'): number | null;
  /** the group's pending transactional offsets become committed */
  completeOffsets(groupId: string, offsets: { tp: TopicPartition; offset: number }[]): void;
}

/** One transactional.id as the coordinator keeps it (TransactionMetadata). */
export interface TransactionMetadata {
  transactionalId: string;
  producerId: number;
  producerEpoch: number;
  state: TransactionStateName;
  /** the partitions of the open transaction, in the order they were added */
  partitions: TopicPartition[];
  /** group offsets sent with the open transaction */
  offsets: { groupId: string; offsets: { tp: TopicPartition; offset: number }[] }[];
  /** when the open transaction started (its first partition), ms */
  startedMs: number | null;
  timeoutMs: number;
}

/** What ending a transaction did: the markers written, with their offsets. */
export interface TransactionEnd {
  result: 'COMMIT' | 'ABORT';
  markers: { tp: TopicPartition; offset: number | null }[];
  /** offsets committed for groups (COMMIT only) */
  offsets: { groupId: string; offsets: { tp: TopicPartition; offset: number }[] }[];
}

/** Thrown to a producer whose epoch is older than the coordinator's (PRODUCER_FENCED / INVALID_PRODUCER_EPOCH). */
export class ProducerFencedException extends Error {
  constructor(transactionalId: string, epoch: number, current: number) {
    super(
      `There is a newer producer with the same transactionalId ${JSON.stringify(transactionalId)} which fences the current one ` +
        `(this producer's epoch ${epoch}, the coordinator's ${current})`,
    );
    this.name = 'ProducerFencedException';
  }
}

/** A transactional call made in the wrong state (Kafka's IllegalStateException / KafkaException). */
export class TransactionStateException extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IllegalStateException';
  }
}

/**
 * The transaction coordinator: one {@link TransactionMetadata} per transactional.id.
 */
export class TransactionCoordinator {
  private readonly txns = new Map<string, TransactionMetadata>();

  constructor(private readonly broker: TransactionBroker) {}

  /** The metadata of a transactional.id, or undefined before its first initTransactions. */
  metadata(transactionalId: string): Readonly<TransactionMetadata> | undefined {
    return this.txns.get(transactionalId);
  }

  /**
   * InitProducerId for a transactional.id: same producerId, epoch + 1; an open transaction is aborted
   * first (with the bumped epoch, so its markers fence the old instance at every partition).
   * @returns the producer id and epoch, and the abort it caused (null when nothing was open)
   */
  initProducerId(
    transactionalId: string,
    timeoutMs: number,
  ): { producerId: number; producerEpoch: number; aborted: TransactionEnd | null } {
    let m = this.txns.get(transactionalId);
    if (!m) {
      m = {
        transactionalId,
        producerId: this.broker.newProducerId(),
        producerEpoch: 0,
        state: 'Empty',
        partitions: [],
        offsets: [],
        startedMs: null,
        timeoutMs,
      };
      this.txns.set(transactionalId, m);
      return { producerId: m.producerId, producerEpoch: m.producerEpoch, aborted: null };
    }
    m.producerEpoch += 1;
    m.timeoutMs = timeoutMs;
    const aborted = m.state === 'Ongoing' ? this.end(m, 'ABORT') : null;
    m.state = 'Empty';
    return { producerId: m.producerId, producerEpoch: m.producerEpoch, aborted };
  }

  /** AddPartitionsToTxn. @returns NONE or PRODUCER_FENCED */
  addPartition(transactionalId: string, producerEpoch: number, tp: TopicPartition, nowMs: number): 'NONE' | 'PRODUCER_FENCED' {
    const m = this.require(transactionalId);
    if (producerEpoch !== m.producerEpoch) return 'PRODUCER_FENCED';
    if (m.state !== 'Ongoing') {
      m.state = 'Ongoing';
      m.partitions = [];
      m.offsets = [];
      m.startedMs = nowMs;
    }
    if (!m.partitions.some((p) => tpKey(p) === tpKey(tp))) m.partitions.push(tp);
    return 'NONE';
  }

  /** AddOffsetsToTxn + TxnOffsetCommit (group checks are the caller's). @returns NONE or PRODUCER_FENCED */
  addOffsets(
    transactionalId: string,
    producerEpoch: number,
    groupId: string,
    offsets: { tp: TopicPartition; offset: number }[],
    nowMs: number,
  ): 'NONE' | 'PRODUCER_FENCED' {
    const m = this.require(transactionalId);
    if (producerEpoch !== m.producerEpoch) return 'PRODUCER_FENCED';
    if (m.state !== 'Ongoing') {
      m.state = 'Ongoing';
      m.partitions = [];
      m.offsets = [];
      m.startedMs = nowMs;
    }
    m.offsets.push({ groupId, offsets: offsets.map((o) => ({ tp: o.tp, offset: o.offset })) });
    return 'NONE';
  }

  /** EndTxn. @returns the markers written, or PRODUCER_FENCED for an old epoch */
  endTransaction(transactionalId: string, producerEpoch: number, commit: boolean): TransactionEnd | 'PRODUCER_FENCED' {
    const m = this.require(transactionalId);
    if (producerEpoch !== m.producerEpoch) return 'PRODUCER_FENCED';
    if (m.state !== 'Ongoing') return { result: commit ? 'COMMIT' : 'ABORT', markers: [], offsets: [] }; // nothing was sent
    return this.end(m, commit ? 'COMMIT' : 'ABORT');
  }

  /**
   * Abort every transaction open longer than its transaction.timeout.ms, bumping the epoch so the
   * producer is fenced (TransactionCoordinator#abortTimedOutTransactions).
   * @returns the aborted transactional.ids with what their abort wrote
   */
  abortTimedOut(nowMs: number): { transactionalId: string; end: TransactionEnd }[] {
    const out: { transactionalId: string; end: TransactionEnd }[] = [];
    for (const m of this.txns.values()) {
      if (m.state === 'Ongoing' && m.startedMs !== null && nowMs >= m.startedMs + m.timeoutMs) {
        m.producerEpoch += 1;
        out.push({ transactionalId: m.transactionalId, end: this.end(m, 'ABORT') });
      }
    }
    return out;
  }

  private end(m: TransactionMetadata, result: 'COMMIT' | 'ABORT'): TransactionEnd {
    const markers = [...m.partitions]
      .sort(compareTp)
      .map((tp) => ({ tp, offset: this.broker.writeMarker(tp, m.producerId, m.producerEpoch, result) }));
    const offsets = result === 'COMMIT' ? m.offsets : [];
    for (const o of offsets) this.broker.completeOffsets(o.groupId, o.offsets);
    m.state = result === 'COMMIT' ? 'CompleteCommit' : 'CompleteAbort';
    m.partitions = [];
    m.offsets = [];
    m.startedMs = null;
    return { result, markers, offsets };
  }

  private require(transactionalId: string): TransactionMetadata {
    const m = this.txns.get(transactionalId);
    if (!m)
      throw new TransactionStateException(`Unknown transactionalId ${JSON.stringify(transactionalId)}: call initTransactions() first`);
    return m;
  }
}

/** The client's transaction state (TransactionManager.State, simplified). */
export type ProducerTransactionState = 'UNINITIALIZED' | 'READY' | 'IN_TRANSACTION' | 'FENCED';

/** How a transactional producer writes a data record: to the partition leader, with its producer fields. */
export type TransactionalAppend = (
  tp: TopicPartition,
  record: { key: string | null; value: string | null; timestamp: number },
  producer: { producerId: number; producerEpoch: number; baseSequence: number },
) => { error: string; offset: number | null };

/**
 * A KafkaProducer with transactional.id set: one instance (two instances with the same id are a
 * restarted producer and, possibly, its zombie).
 */
export class TransactionalProducer {
  state: ProducerTransactionState = 'UNINITIALIZED';
  producerId: number | null = null;
  producerEpoch = -1;
  private readonly sequences = new Map<string, number>();
  /** partitions already added to the open transaction (AddPartitionsToTxn is sent once per partition) */
  private readonly txnPartitions = new Set<string>();
  /** the last error a partition leader answered (e.g. INVALID_PRODUCER_EPOCH), for the trace */
  lastSendError: string | null = null;

  /**
   * @param transactionalId transactional.id
   * @param coordinator the cluster's transaction coordinator
   * @param append writes a data record to a partition leader
   * @param transactionTimeoutMs transaction.timeout.ms (default 60000)
   */
  constructor(
    readonly transactionalId: string,
    private readonly coordinator: TransactionCoordinator,
    private readonly append: TransactionalAppend,
    readonly transactionTimeoutMs: number = DEFAULT_TRANSACTION_TIMEOUT_MS,
  ) {}

  /** initTransactions(): get the producer id and a new epoch, fencing older instances. */
  initTransactions(): TransactionEnd | null {
    if (this.state !== 'UNINITIALIZED')
      throw new TransactionStateException('initTransactions() may be called only once per producer instance');
    const r = this.coordinator.initProducerId(this.transactionalId, this.transactionTimeoutMs);
    this.producerId = r.producerId;
    this.producerEpoch = r.producerEpoch;
    this.sequences.clear();
    this.state = 'READY';
    return r.aborted;
  }

  /** beginTransaction(): local only. */
  beginTransaction(): void {
    this.checkUsable();
    if (this.state !== 'READY') throw new TransactionStateException(`beginTransaction() needs state READY, the producer is ${this.state}`);
    this.state = 'IN_TRANSACTION';
    this.txnPartitions.clear();
  }

  /**
   * send() inside a transaction: AddPartitionsToTxn for a new partition, then the write.
   * @returns the record's offset
   * @throws ProducerFencedException when a newer instance bumped the epoch (coordinator or partition leader)
   */
  send(tp: TopicPartition, record: { key: string | null; value: string | null; timestamp: number }, nowMs: number): number | null {
    this.requireInTransaction('send()');
    const key = tpKey(tp);
    this.lastSendError = null;
    if (!this.txnPartitions.has(key)) {
      if (this.coordinator.addPartition(this.transactionalId, this.producerEpoch, tp, nowMs) === 'PRODUCER_FENCED') {
        this.lastSendError = 'PRODUCER_FENCED';
        this.fence();
      }
      this.txnPartitions.add(key);
    }
    const baseSequence = this.sequences.get(key) ?? 0;
    const r = this.append(tp, record, { producerId: this.producerId!, producerEpoch: this.producerEpoch, baseSequence });
    if (r.error !== 'NONE') this.lastSendError = r.error;
    if (r.error === 'INVALID_PRODUCER_EPOCH' || r.error === 'PRODUCER_FENCED') this.fence();
    if (r.error !== 'NONE') throw new Error(`send to ${key} failed: ${r.error}`);
    this.sequences.set(key, baseSequence + 1);
    return r.offset;
  }

  /**
   * sendOffsetsToTransaction(offsets, groupMetadata): the consumer's offsets, committed with the transaction.
   * @param validate the group's check of the consumer's generation (KIP-447); a non-NONE answer throws
   */
  sendOffsetsToTransaction(
    groupId: string,
    offsets: { tp: TopicPartition; offset: number }[],
    nowMs: number,
    validate: () => string,
  ): void {
    this.requireInTransaction('sendOffsetsToTransaction()');
    const error = validate();
    if (error !== 'NONE')
      throw new TransactionStateException(
        `TxnOffsetCommit for group ${groupId} failed: ${error} (CommitFailedException: the consumer's generation is fenced)`,
      );
    if (this.coordinator.addOffsets(this.transactionalId, this.producerEpoch, groupId, offsets, nowMs) === 'PRODUCER_FENCED') this.fence();
  }

  /** commitTransaction(): COMMIT markers, then the group offsets. @throws ProducerFencedException */
  commitTransaction(): TransactionEnd {
    return this.endTransaction(true);
  }

  /** abortTransaction(): ABORT markers; the group offsets are dropped. @throws ProducerFencedException */
  abortTransaction(): TransactionEnd {
    return this.endTransaction(false);
  }

  private endTransaction(commit: boolean): TransactionEnd {
    this.requireInTransaction(commit ? 'commitTransaction()' : 'abortTransaction()');
    const r = this.coordinator.endTransaction(this.transactionalId, this.producerEpoch, commit);
    if (r === 'PRODUCER_FENCED') this.fence();
    this.state = 'READY';
    return r as TransactionEnd;
  }

  private fence(): never {
    this.state = 'FENCED';
    const current = this.coordinator.metadata(this.transactionalId)?.producerEpoch ?? this.producerEpoch;
    throw new ProducerFencedException(this.transactionalId, this.producerEpoch, current);
  }

  private checkUsable(): void {
    if (this.state === 'UNINITIALIZED') throw new TransactionStateException('Call initTransactions() before any transactional call');
    if (this.state === 'FENCED') {
      const current = this.coordinator.metadata(this.transactionalId)?.producerEpoch ?? this.producerEpoch;
      throw new ProducerFencedException(this.transactionalId, this.producerEpoch, current);
    }
  }

  private requireInTransaction(call: string): void {
    this.checkUsable();
    if (this.state !== 'IN_TRANSACTION')
      throw new TransactionStateException(
        `${call} needs an open transaction (call beginTransaction() first); the producer is ${this.state}`,
      );
  }
}
