/**
 * Producer delivery: retries, in-flight requests and the idempotent producer.
 *
 * The rules (Kafka's `Sender`, `RecordAccumulator`, `TransactionManager`, broker `ProducerStateManager`):
 * 1. Each `send` becomes a batch in its partition's queue. The sender sends a partition's first
 *    batch to the partition's leader when that broker connection has fewer than
 *    maxInFlightRequestsPerConnection (default 5) requests awaiting an answer, and the batch is not
 *    backing off.
 * 2. A batch that fails with a retriable error (NOT_ENOUGH_REPLICAS, NOT_ENOUGH_REPLICAS_AFTER_APPEND,
 *    REQUEST_TIMED_OUT, NOT_LEADER_OR_FOLLOWER, LEADER_NOT_AVAILABLE, NETWORK_EXCEPTION) goes back to the
 *    *front* of its queue and is sent again after a backoff (retry.backoff.ms 100 doubling up to
 *    retry.backoff.max.ms 1000, KIP-580), as long as it has been retried fewer than `retries` times
 *    (default 2147483647) and deliveryTimeoutMs (default 120000) has not passed since `send`.
 * 3. A request with no answer after requestTimeoutMs (default 30000) is timed out: the client closes
 *    the connection, and every request in flight on it fails with NETWORK_EXCEPTION.
 * 4. Idempotence (enable.idempotence, default true since 3.0, needs acks=all, retries > 0,
 *    max.in.flight ≤ 5): the producer gets a producerId; each batch gets per-partition sequence
 *    numbers the first time it is sent and keeps them on retries. The broker appends a batch only if
 *    its first sequence is the last one + 1; a batch equal to one of the producer's last 5 batches is a
 *    duplicate and is answered with its original offset without being appended; any other gap is
 *    OUT_OF_ORDER_SEQUENCE_NUMBER, which the producer retries while an earlier batch is unanswered.
 *    A retried batch is only re-sent when it is the earliest unanswered one of its partition.
 *
 * Example (no idempotence, acks=all): send A(k=v1); it is written but its response is lost (the
 *   connection broke silently); send B(k=v2), lost on the broken connection; after 30000 ms A times
 *   out, the client reconnects, A and B are sent again → t0p0 holds v1, v1, v2: a duplicate.
 *   With idempotence: A's retry carries sequence 0 again; the broker finds it among the producer's last
 *   batches and answers with the first offset → t0p0 holds v1, v2.
 *
 * Caveats:
 * - One batch per send and one batch per request (Kafka groups records into batches by batch.size /
 *   linger.ms and batches for one broker into one request); in-flight limits count requests per broker.
 * - Metadata is always fresh: a batch goes to the partition's current leader; with no leader it waits.
 * - Backoff has no jitter (Kafka adds ±20%).
 * - When an idempotent batch fails for good (retries or delivery.timeout.ms exhausted), the producer
 *   bumps its epoch and renumbers its unsent batches from 0 (KIP-360 in spirit; Kafka waits for the
 *   partition's in-flight requests first). A renumbered batch whose earlier attempt was written (its
 *   answer lost) is then written again: the no-duplicates guarantee holds within one producer epoch.
 * - Lost responses are injected (`loseNextResponses`, or a probability with a seeded PRNG); a lost
 *   response's request still takes effect on the broker, and its connection breaks silently
 *   (./network-client.ts). So at most maxInFlight batches are ever unanswered, which is why the
 *   broker's last-5-batches memory suffices (max.in.flight ≤ 5).
 *
 * Source: org.apache.kafka.clients.producer.internals.Sender (completeBatch, canRetry, failBatch),
 * RecordAccumulator (./record-accumulator.ts: drain, reenqueue, shouldStopDrainBatchesForPartition),
 * NetworkClient and InFlightRequests (./network-client.ts), TransactionManager;
 * org.apache.kafka.clients.producer.ProducerConfig (defaults, KIP-679 for enable.idempotence /
 * acks=all since 3.0, KIP-580 backoff); kafka.log ProducerStateManager (NUM_BATCHES_TO_RETAIN = 5),
 * ProducerAppendInfo.checkSequence.
 */
import type { Cluster, ClockedActor } from '../cluster/cluster.ts';
import type { ProduceError, ProducerBatchInfo } from '../replication/replication-types.ts';
import { partitionForKey, utf8 } from './partition-for-key.ts';
import { RETRIABLE, resolveProducerConfig } from './producer-config.ts';
import type {
  BatchOutcome,
  NetworkModel,
  ProducerConfig,
  ProducerEvent,
  ProducerRecord,
  ResolvedProducerConfig,
} from './producer-config.ts';
import { RecordAccumulator, samePartition, type Batch } from './record-accumulator.ts';
import { NetworkClient } from './network-client.ts';
import type { InFlight, ProducerClusterEvent } from './network-client.ts';

export type { ProducerClusterEvent } from './network-client.ts';

/**
 * A producer client attached to a {@link Cluster}. It runs on the cluster's clock: every cluster
 * operation lets it handle responses and send what is ready.
 *
 * Example: `const p = new Producer(cluster, { maxInFlightRequestsPerConnection: 5 });`
 *   `p.send({ topic: 't0', partition: 0, key: 'k', value: 'v1' })`, then `cluster.fetchRound()` …
 *   `p.outcomes()` → [{ batchId: 1, status: 'delivered', offset: 0, … }].
 */
export class Producer implements ClockedActor<ProducerEvent> {
  readonly config: ResolvedProducerConfig;
  readonly producerId: number | null;
  producerEpoch = 0;
  private readonly cluster: Cluster<ProducerEvent>;
  /** the per-partition queues of batches waiting to be sent (or sent again) */
  private readonly accumulator = new RecordAccumulator();
  /** the connections to the brokers: requests in flight, answers to read (./network-client.ts) */
  private readonly network: NetworkClient;
  private running = false;

  /**
   * @param cluster the cluster to send to; the producer attaches itself to its clock
   * @param config producer configs; see {@link resolveProducerConfig}
   * @param network latency and random response loss; default: no latency, no loss
   * @throws RangeError for a loss probability without an rng, or a negative latency
   */
  constructor(cluster: Cluster<ProducerEvent>, config: ProducerConfig = {}, network: NetworkModel = {}) {
    this.config = resolveProducerConfig(config);
    this.cluster = cluster;
    this.network = new NetworkClient(network, this.config.clientId);
    this.producerId = this.config.enableIdempotence ? cluster.initProducerId().producerId : null;
    cluster.attach(this);
  }

  /**
   * Lose the responses to the next `count` requests this producer sends (they still take effect on
   * the broker). A lost response means the connection broke silently: later answers and requests on
   * it are lost too, until the oldest request times out and the client reconnects.
   */
  loseNextResponses(count = 1): void {
    this.network.loseNextResponses(count);
  }

  /**
   * Hand a record to the producer (KafkaProducer#send). It is sent at once if the in-flight limit
   * allows, else when a slot frees up.
   * @returns the batch id and the events (the send, and the requests and responses it caused)
   * @throws RangeError for a keyless record without a partition or an unknown topic/partition
   */
  send(record: ProducerRecord): { batchId: number; events: ProducerClusterEvent[] } {
    const partitions = this.cluster.topicPartitions(record.topic).length;
    if (partitions === 0) throw new RangeError(`Expected an existing topic, got ${JSON.stringify(record.topic)}`);
    let partition = record.partition;
    if (partition === undefined) {
      if (record.key === null) {
        throw new RangeError(`Expected a partition for a keyless record to ${record.topic} (sticky partitioning is not modelled here)`);
      }
      partition = partitionForKey(utf8(record.key), partitions);
    }
    const tp = { topic: record.topic, partition };
    this.cluster.partition(tp); // throws for an unknown partition
    const now = this.cluster.nowMs;
    const batch = this.accumulator.append(
      tp,
      { key: record.key, value: record.value, timestamp: record.timestamp ?? now },
      now,
      this.producerEpoch,
    );
    const batchId = batch.batchId;
    const events: ProducerClusterEvent[] = [
      {
        type: 'send',
        timeMs: now,
        clientId: this.config.clientId,
        batchId,
        topic: tp.topic,
        partition,
        key: record.key,
        value: record.value,
      },
    ];
    events.push(...this.onTime(now));
    return { batchId, events };
  }

  /** Every batch's fate so far, in send order. */
  outcomes(): BatchOutcome[] {
    return this.accumulator.outcomes();
  }

  /** Number of requests awaiting an answer. */
  inFlightCount(): number {
    return this.network.inFlight.length;
  }

  // ---- ClockedActor --------------------------------------------------------------------------

  onEvent(event: ProducerClusterEvent): void {
    this.network.hear(event, this.cluster.nowMs);
  }

  nextDeadlineMs(): number | null {
    if (this.running) return null;
    const now = this.cluster.nowMs;
    let next: number | null = null;
    const consider = (t: number) => {
      if (next === null || t < next) next = t;
    };
    this.network.considerDeadlines(consider);
    for (const head of this.accumulator.heads()) {
      consider(head.createdMs + this.config.deliveryTimeoutMs);
      if (this.canSend(head)) consider(Math.max(now, head.nextAttemptMs));
      else if (head.nextAttemptMs > now) consider(head.nextAttemptMs);
    }
    for (const f of this.network.inFlight) consider(f.batch.createdMs + this.config.deliveryTimeoutMs);
    return next;
  }

  onTime(nowMs: number): ProducerClusterEvent[] {
    if (this.running) return [];
    this.running = true;
    const events: ProducerClusterEvent[] = [];
    try {
      for (let guard = 0; guard < 100_000; guard++) {
        const before = events.length;
        // 0. requests reaching their broker, in send order
        for (const f of this.network.arriving(nowMs)) {
          events.push(...this.arrive(f, nowMs));
        }
        // 1. answers the client can read now, in arrival order
        for (;;) {
          const e = this.network.takeAnswer(nowMs);
          if (e === null) break;
          if (e.type === 'produce-response') {
            events.push(...this.handleResponse(e.requestId, e.error, e.baseOffset, e.duplicate ?? false, nowMs));
          } else if (e.type === 'broker-down') events.push(...this.disconnect(e.broker, null, nowMs));
        }
        // 2. requests without an answer after requestTimeoutMs: close the connection
        for (;;) {
          const late = this.network.firstTimedOut(nowMs);
          if (!late) break;
          events.push(...this.disconnect(late.broker, late.requestId, nowMs));
        }
        // 3. delivery timeouts
        events.push(...this.expireBatches(nowMs));
        // 4. send what is ready (answers to these may land in the inbox: go round again)
        events.push(...this.drain(nowMs));
        if (events.length === before && !this.network.hasAnswer(nowMs)) break;
      }
    } finally {
      this.running = false;
    }
    return events;
  }

  // ---- internals -----------------------------------------------------------------------------

  private emit(e: ProducerEvent): ProducerClusterEvent {
    return e;
  }

  /** Whether a queue head may be sent now (ignoring backoff). */
  private canSend(head: Batch): boolean {
    const leader = this.cluster.leaderFor(head.tp);
    if (leader === null) return false;
    const toBroker = this.network.inFlightTo(leader);
    if (toBroker >= this.config.maxInFlightRequestsPerConnection) return false;
    if (this.config.enableIdempotence && head.baseSequence !== null) {
      // a retried batch goes only when no earlier batch of its partition is unanswered
      const earlier = this.network.inFlight.some(
        (f) => samePartition(f.batch.tp, head.tp) && f.batch.baseSequence !== null && f.batch.baseSequence < head.baseSequence!,
      );
      if (earlier) return false;
    }
    return true;
  }

  private drain(nowMs: number): ProducerClusterEvent[] {
    const events: ProducerClusterEvent[] = [];
    for (let progress = true; progress;) {
      progress = false;
      for (const head of this.accumulator.heads()) {
        if (head.nextAttemptMs > nowMs || !this.canSend(head)) continue;
        this.accumulator.takeHead(head);
        events.push(...this.sendBatch(head, nowMs));
        progress = true;
      }
    }
    return events;
  }

  private sendBatch(batch: Batch, nowMs: number): ProducerClusterEvent[] {
    let producer: ProducerBatchInfo | undefined;
    if (this.config.enableIdempotence) {
      const baseSequence = this.accumulator.assignSequence(batch, this.producerEpoch);
      producer = { producerId: this.producerId!, producerEpoch: batch.producerEpoch, baseSequence };
    }
    const broker = this.cluster.leaderFor(batch.tp)!;
    const flight = this.network.open(batch, broker, nowMs, this.config.requestTimeoutMs);
    batch.producerInfo = producer;
    return flight.arriveAtMs <= nowMs ? this.arrive(flight, nowMs) : [];
  }

  /** The request reaches its broker: the cluster handles it (an acks=1 answer comes back at once). */
  private arrive(flight: InFlight, nowMs: number): ProducerClusterEvent[] {
    flight.arrived = true;
    const batch = flight.batch;
    if (!this.cluster.isAlive(flight.broker)) return []; // the disconnect fails it
    // sent on a connection that silently broke: it never reaches the broker
    const lost = this.network.lostOnBrokenConnection(flight, nowMs);
    if (lost) return [lost];
    if (this.cluster.leaderFor(batch.tp) !== flight.broker) {
      // sent to a broker that no longer leads: it answers NOT_LEADER_OR_FOLLOWER
      flight.requestId = this.cluster.nextRequestId;
      const answer: ProducerClusterEvent = {
        type: 'produce-response',
        timeMs: nowMs,
        topic: batch.tp.topic,
        partition: batch.tp.partition,
        broker: flight.broker,
        requestId: flight.requestId,
        error: 'NOT_LEADER_OR_FOLLOWER',
        baseOffset: null,
      };
      this.cluster.reserveRequestId();
      this.network.answerLocally(answer, nowMs);
      return [answer];
    }
    flight.requestId = this.cluster.nextRequestId;
    const { requestId, events } = this.cluster.produce(batch.tp, batch.records, {
      acks: this.config.acks,
      timeoutMs: this.config.requestTimeoutMs,
      producer: batch.producerInfo,
      clientId: this.config.clientId,
    });
    flight.requestId = requestId;
    const out = [...events];
    if (this.config.acks === 0) {
      // acks=0: no answer will come; the batch counts as sent (offset unknown, Kafka reports -1)
      this.network.removeInFlight(requestId);
      out.push(...this.complete(batch, null, false, nowMs));
    }
    return out;
  }

  private handleResponse(
    requestId: number,
    error: ProduceError,
    offset: number | null,
    duplicate: boolean,
    nowMs: number,
  ): ProducerClusterEvent[] {
    const answer = this.network.answerFor(requestId, nowMs);
    if (answer === null) return []; // a late answer on a closed connection
    if ('lost' in answer) return answer.lost; // the request stays in flight until requestTimeoutMs
    const flight = answer.flight;
    const batch = flight.batch;
    if (error === 'NONE') return this.complete(batch, offset, duplicate, nowMs);
    return this.failOrRetry(batch, error, nowMs);
  }

  private complete(batch: Batch, offset: number | null, duplicate: boolean, nowMs: number): ProducerClusterEvent[] {
    if (batch.outcome.status !== 'pending') return [];
    batch.outcome.status = 'delivered';
    batch.outcome.offset = offset;
    return [
      this.emit({
        type: 'delivered',
        timeMs: nowMs,
        clientId: this.config.clientId,
        batchId: batch.batchId,
        topic: batch.tp.topic,
        partition: batch.tp.partition,
        offset,
        ...(duplicate ? { duplicate } : {}),
      }),
    ];
  }

  private failOrRetry(batch: Batch, error: ProduceError, nowMs: number): ProducerClusterEvent[] {
    if (batch.outcome.status !== 'pending') return [];
    let retriable = RETRIABLE.has(error);
    if (error === 'OUT_OF_ORDER_SEQUENCE_NUMBER' && this.config.enableIdempotence) {
      // retriable while an earlier batch of the partition is unanswered (TransactionManager#canRetry)
      retriable = this.hasEarlierUnanswered(batch);
    }
    const expired = nowMs >= batch.createdMs + this.config.deliveryTimeoutMs;
    if (retriable && batch.retries < this.config.retries && !expired) {
      batch.retries += 1;
      batch.outcome.retries = batch.retries;
      const backoff = Math.min(this.config.retryBackoffMs * 2 ** (batch.retries - 1), this.config.retryBackoffMaxMs);
      batch.nextAttemptMs = nowMs + backoff;
      this.accumulator.reenqueue(batch, this.config.enableIdempotence);
      return [
        this.emit({
          type: 'retry',
          timeMs: nowMs,
          clientId: this.config.clientId,
          batchId: batch.batchId,
          topic: batch.tp.topic,
          partition: batch.tp.partition,
          retries: batch.retries,
          error,
          nextAttemptMs: batch.nextAttemptMs,
        }),
      ];
    }
    return this.fail(batch, expired && retriable ? 'DELIVERY_TIMEOUT' : error, nowMs);
  }

  private hasEarlierUnanswered(batch: Batch): boolean {
    const seq = batch.baseSequence ?? 0;
    const earlierInFlight = this.network.inFlight.some(
      (f) => samePartition(f.batch.tp, batch.tp) && (f.batch.baseSequence ?? Infinity) < seq,
    );
    const earlierQueued = this.accumulator.hasQueuedBefore(batch.tp, seq);
    return earlierInFlight || earlierQueued;
  }

  private fail(batch: Batch, error: ProduceError | 'DELIVERY_TIMEOUT', nowMs: number): ProducerClusterEvent[] {
    if (batch.outcome.status !== 'pending') return [];
    batch.outcome.status = 'failed';
    batch.outcome.error = error;
    const events: ProducerClusterEvent[] = [
      this.emit({
        type: 'delivery-failed',
        timeMs: nowMs,
        clientId: this.config.clientId,
        batchId: batch.batchId,
        topic: batch.tp.topic,
        partition: batch.tp.partition,
        error,
      }),
    ];
    if (this.config.enableIdempotence && batch.baseSequence !== null) {
      // the sequence has a hole now: bump the epoch and renumber this partition from 0
      this.producerEpoch += 1;
      this.accumulator.resetSequences();
      events.push(
        this.emit({
          type: 'producer-epoch-bump',
          timeMs: nowMs,
          clientId: this.config.clientId,
          producerId: this.producerId!,
          producerEpoch: this.producerEpoch,
        }),
      );
    }
    return events;
  }

  /** Close the connection to `broker`: every request in flight on it fails with NETWORK_EXCEPTION. */
  private disconnect(broker: number, timedOut: number | null, nowMs: number): ProducerClusterEvent[] {
    const failed = this.network.closeConnection(broker); // the next request opens a fresh connection
    const events: ProducerClusterEvent[] = [];
    if (timedOut !== null) {
      events.push(
        this.emit({
          type: 'request-timeout',
          timeMs: nowMs,
          clientId: this.config.clientId,
          requestId: timedOut,
          broker,
          failedRequests: failed.filter((f) => f.arrived).map((f) => f.requestId),
        }),
      );
    }
    // newest first, each to the front of its queue: the original order survives (NetworkClient)
    for (const f of [...failed].reverse()) {
      this.network.remove(f);
      events.push(...this.failOrRetry(f.batch, 'NETWORK_EXCEPTION', nowMs));
    }
    return events;
  }

  private expireBatches(nowMs: number): ProducerClusterEvent[] {
    const events: ProducerClusterEvent[] = [];
    for (const b of this.accumulator.removeExpired(nowMs, this.config.deliveryTimeoutMs)) {
      events.push(...this.fail(b, 'DELIVERY_TIMEOUT', nowMs));
    }
    for (const f of [...this.network.inFlight]) {
      if (nowMs >= f.batch.createdMs + this.config.deliveryTimeoutMs) {
        this.network.remove(f);
        events.push(...this.fail(f.batch, 'DELIVERY_TIMEOUT', nowMs));
      }
    }
    return events;
  }
}
