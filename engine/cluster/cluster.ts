/**
 * The cluster: brokers that fail and return, topics whose partitions are replicated, one simulated
 * clock. Replicas are placed by ./replica-placement.ts.
 *
 * The rules:
 * 1. A new partition's replicas are placed by {@link assignReplicasToBrokers} (or given
 *    explicitly); the preferred replica leads epoch 0 with every replica in the ISR.
 * 2. Every operation (produce, fetch round, broker down / up, pause / resume a follower, advance
 *    time) returns the events it caused; `advanceTime` runs the timers that fall due on the way:
 *    ISR expiry every replicaLagTimeMaxMs / 2 (ReplicaManager's "isr-expiration" task),
 *    acks=all request timeouts, optional follower fetch ticks, and attached clocked actors (clients
 *    such as producers, which the cluster knows only as {@link ClockedActor}s).
 *
 * Caveats:
 * - Auto leader rebalancing (auto.leader.rebalance.enable) is not run; `electPreferredLeaders`
 *   does what kafka-leader-election.sh --election-type preferred does.
 *
 * Source: kafka.server.ReplicaManager (isr-expiration); replication rules in
 * ../replication/partition-replication.ts.
 */
import type { Prng } from '../common/prng.ts';
import { assignReplicasToBrokers } from './replica-placement.ts';
import type { BrokerMetadata } from './replica-placement.ts';
import { PartitionReplication } from '../replication/partition-replication.ts';
import { DEFAULT_REPLICATION_CONFIG, normalizeAcks } from '../replication/replication-types.ts';
import type { Acks, BrokerStatus, ProducerBatchInfo, ReplicationConfig } from '../replication/replication-types.ts';
import { compareTp, tpKey } from '../common/notation.ts';
import { kafkaVersionRules } from '../replication/kafka-version.ts';
import type { KafkaRecord, LogRecord, TopicPartition } from '../common/record.ts';

export type { ClusterConfig, TopicSpec, ClusterEvent, BrokerSnapshot, ClusterSnapshot, ActorEvent, ClockedActor } from './cluster-types.ts';
import type { ActorEvent, BrokerSnapshot, ClockedActor, ClusterConfig, ClusterEvent, ClusterSnapshot, TopicSpec } from './cluster-types.ts';

/**
 * A simulated Kafka cluster: brokers that fail and return, topics whose partitions are
 * replicated (see ../replication/partition-replication.ts), a clock in ms, and timers (ISR expiry
 * every replicaLagTimeMaxMs / 2, acks=all request timeouts, optional follower fetch ticks).
 * `E`: the events of the clients attached with {@link Cluster.attach} (a producer's, in
 * ../producer/sender.ts); the cluster returns them with its own and never looks inside.
 *
 * Example: `const c = new Cluster({ brokers: [0, 1, 2] });`
 *   `c.createTopic({ name: 't0', partitions: 1, replicationFactor: 3 })` → t0p0 on [0, 1, 2], leader 0
 *   `c.produce({ topic: 't0', partition: 0 }, [{ key: 'k', value: 'v', timestamp: 0 }], { acks: 'all' })`
 *   `c.fetchRound(); c.fetchRound()` → followers copy offset 0, then the leader's HW becomes 1 and
 *   the produce is answered NONE.
 *
 * Note: every method returns the events it caused, in the order they happened; nothing reads a
 * wall clock or an unseeded random source.
 */
export class Cluster<E extends ActorEvent = never> {
  private clock = 0;
  private readonly brokers: BrokerSnapshot[];
  private readonly partitions = new Map<string, PartitionReplication>();
  private readonly replicationDefaults: ReplicationConfig;
  private readonly fetchIntervalMs: number | null;
  private readonly rng: Prng | undefined;

  private nextIsrCheckMs: number;
  private nextFetchMs: number | null;
  private requestCounter = 0;
  private depth = 0;
  private producerIdCounter = 0;
  private readonly actors: ClockedActor<E>[] = [];
  private readonly status: BrokerStatus;

  /** The simulated time, in ms since the cluster started. Moves only through advanceTime. */
  get nowMs(): number {
    return this.clock;
  }

  constructor(config: ClusterConfig) {
    const metas = config.brokers.map((b) => (typeof b === 'number' ? { id: b, rack: null } : { id: b.id, rack: b.rack ?? null }));
    if (metas.length === 0) throw new RangeError('Expected at least one broker, got []');
    if (new Set(metas.map((b) => b.id)).size !== metas.length) {
      throw new RangeError(`Expected distinct broker ids, got ${JSON.stringify(metas.map((b) => b.id))}`);
    }
    this.brokers = metas.map((b) => ({ id: b.id, rack: b.rack, alive: true, fetching: true }));
    this.replicationDefaults = {
      replicaLagTimeMaxMs: config.replicaLagTimeMaxMs ?? DEFAULT_REPLICATION_CONFIG.replicaLagTimeMaxMs,
      minInsyncReplicas: config.minInsyncReplicas ?? DEFAULT_REPLICATION_CONFIG.minInsyncReplicas,
      uncleanLeaderElectionEnable: config.uncleanLeaderElectionEnable ?? DEFAULT_REPLICATION_CONFIG.uncleanLeaderElectionEnable,
      kafkaVersion: config.kafkaVersion ?? DEFAULT_REPLICATION_CONFIG.kafkaVersion,
      eligibleLeaderReplicasEnable: config.eligibleLeaderReplicasEnable ?? DEFAULT_REPLICATION_CONFIG.eligibleLeaderReplicasEnable,
    };
    // fail fast on a bad version (the same check every partition makes)
    kafkaVersionRules(this.replicationDefaults.kafkaVersion);
    const interval = config.replicaFetchIntervalMs ?? null;
    if (interval !== null && !(interval > 0)) {
      throw new RangeError(`Expected replicaFetchIntervalMs to be a positive number or null, got ${String(interval)}`);
    }
    this.fetchIntervalMs = interval;
    this.nextFetchMs = interval;
    // ReplicaManager schedules "isr-expiration" every replicaLagTimeMaxMs / 2
    this.nextIsrCheckMs = this.replicationDefaults.replicaLagTimeMaxMs / 2;
    this.rng = config.rng;

    this.status = {
      isAlive: (id) => this.broker(id).alive,
      isFetching: (id) => this.broker(id).fetching,
    };
  }

  private broker(id: number): BrokerSnapshot {
    const b = this.brokers.find((x) => x.id === id);
    if (!b) throw new RangeError(`Expected a broker id in ${JSON.stringify(this.brokers.map((x) => x.id))}, got ${id}`);
    return b;
  }

  /** Broker ids in the order given. */
  brokerIds(): number[] {
    return this.brokers.map((b) => b.id);
  }

  isAlive(brokerId: number): boolean {
    return this.broker(brokerId).alive;
  }

  /**
   * Create a topic: place replicas (AdminUtils' rule, or the explicit assignment), the first
   * replica of each partition leads epoch 0.
   * @throws RangeError for a duplicate topic, a bad count, or an assignment naming unknown brokers
   */
  createTopic(spec: TopicSpec): Array<ClusterEvent | E> {
    if ([...this.partitions.values()].some((p) => p.topic === spec.name)) {
      throw new RangeError(`Expected a new topic name, got existing ${JSON.stringify(spec.name)}`);
    }
    const rf = spec.replicationFactor ?? 1;
    const assignment = spec.replicaAssignment ?? assignReplicasToBrokers(this.brokerMetadata(), spec.partitions, rf, { rng: this.rng });
    for (let p = 0; p < spec.partitions; p++) {
      const replicas = assignment[p];
      if (!replicas) throw new RangeError(`Expected replicaAssignment for partition ${p} of ${spec.name}, got none`);
      for (const b of replicas) this.broker(b);
      this.partitions.set(
        tpKey({ topic: spec.name, partition: p }),
        this.newPartition(spec.name, p, replicas, spec.config, spec.logConfig),
      );
    }
    return [{ type: 'topic-created', timeMs: this.nowMs, topic: spec.name, assignment }];
  }

  /** The brokers by id, as the replica placement takes them. */
  private brokerMetadata(): BrokerMetadata[] {
    return [...this.brokers].sort((a, b) => a.id - b.id).map((b) => ({ id: b.id, rack: b.rack }));
  }

  private newPartition(
    topic: string,
    partition: number,
    replicas: number[],
    overrides: TopicSpec['config'],
    logConfig: TopicSpec['logConfig'],
  ): PartitionReplication {
    const p = new PartitionReplication({
      topic,
      partition,
      replicas,
      config: { ...this.replicationDefaults, ...overrides },
      logConfig,
    });
    // brokers already down when the topic is created are not in sync and cannot lead
    for (const b of replicas) if (!this.broker(b).alive) p.onBrokerDown(b, this.status, this.nowMs);
    return p;
  }

  /**
   * Grow a topic to `total` partitions; new ones are placed from startPartitionId = old count.
   * @throws RangeError when the topic is unknown or total is not larger than the current count
   */
  addPartitions(topic: string, total: number): Array<ClusterEvent | E> {
    const existing = this.topicPartitions(topic);
    if (existing.length === 0) throw new RangeError(`Expected an existing topic, got ${JSON.stringify(topic)}`);
    if (!Number.isInteger(total) || total <= existing.length) {
      throw new RangeError(`Expected more than ${existing.length} partitions for ${topic}, got ${String(total)}`);
    }
    const first = existing[0];
    const rf = first.replicas.length;
    const assignment = assignReplicasToBrokers(this.brokerMetadata(), total - existing.length, rf, {
      rng: this.rng,
      startPartitionId: existing.length,
    });
    for (const [p, replicas] of Object.entries(assignment)) {
      const n = Number(p);
      const overrides = {
        minInsyncReplicas: first.config.minInsyncReplicas,
        uncleanLeaderElectionEnable: first.config.uncleanLeaderElectionEnable,
      };
      this.partitions.set(tpKey({ topic, partition: n }), this.newPartition(topic, n, replicas, overrides, first.logConfig));
    }
    return [{ type: 'topic-created', timeMs: this.nowMs, topic, assignment }];
  }

  /** The partitions of a topic, by partition number. */
  topicPartitions(topic: string): PartitionReplication[] {
    return this.sortedPartitions().filter((p) => p.topic === topic);
  }

  /** Topic names, sorted. */
  topics(): string[] {
    return [...new Set([...this.partitions.values()].map((p) => p.topic))].sort();
  }

  /** The replication state of one partition. @throws RangeError when unknown */
  partition(tp: TopicPartition): PartitionReplication {
    const p = this.partitions.get(tpKey(tp));
    if (!p) throw new RangeError(`Expected an existing partition, got ${tpKey(tp)}`);
    return p;
  }

  /** The current leader of a partition, or null when offline. */
  leaderFor(tp: TopicPartition): number | null {
    return this.partition(tp).leader;
  }

  private sortedCache: PartitionReplication[] | null = null;

  /** Partitions by topic (UTF-16 order), then partition number; cached until a topic changes. */
  private sortedPartitions(): PartitionReplication[] {
    if (!this.sortedCache || this.sortedCache.length !== this.partitions.size) {
      this.sortedCache = [...this.partitions.values()].sort(compareTp);
    }
    return this.sortedCache;
  }

  /** The id the next produce request will get (a client uses it to match the answer). */
  get nextRequestId(): number {
    return this.requestCounter + 1;
  }

  /** Use up one request id without a request (a client's synthetic answer keeps ids unique). */
  reserveRequestId(): number {
    return ++this.requestCounter;
  }

  /** A new idempotent producer id (InitProducerId): 0, 1, 2, … with producerEpoch 0. */
  initProducerId(): { producerId: number; producerEpoch: number } {
    return { producerId: this.producerIdCounter++, producerEpoch: 0 };
  }

  /**
   * Send a produce request for one partition to its current leader.
   * @param options acks (default 'all', the producer default since Kafka 3.0); timeoutMs (the
   *   request's timeout, request.timeout.ms, default 30000); producer: idempotent batch fields
   * @returns the request id and the events; the response is a `produce-response` event with this
   *   requestId, now or later (never for acks=0)
   */
  produce(
    tp: TopicPartition,
    records: KafkaRecord[],
    options: { acks?: Acks; timeoutMs?: number; producer?: ProducerBatchInfo; clientId?: string } = {},
  ): { requestId: number; events: Array<ClusterEvent | E> } {
    const p = this.partition(tp);
    const acks = normalizeAcks(options.acks ?? 'all');
    const requestId = ++this.requestCounter;
    const events = this.run(() => [
      {
        type: 'produce-request',
        timeMs: this.nowMs,
        topic: tp.topic,
        partition: tp.partition,
        broker: p.leader,
        requestId,
        ...(options.clientId !== undefined ? { clientId: options.clientId } : {}),
        acks,
        records: records.length,
        ...(options.producer ? { producer: { ...options.producer } } : {}),
      },
      ...p.appendToLeader(records, { acks, requestId, timeoutMs: options.timeoutMs, producer: options.producer }, this.nowMs),
    ]);
    return { requestId, events };
  }

  /**
   * Run an operation. Only the outermost operation hands events to the attached actors (each event
   * exactly once: an operation nested inside an actor's onTime returns its events through the
   * actor, and settle() hands those over), then lets actors with work due now run.
   * @param preDelivered the operation handed over its events itself (advanceTime does, step by step)
   */
  private run(op: () => Array<ClusterEvent | E>, preDelivered = false): Array<ClusterEvent | E> {
    this.depth += 1;
    try {
      const events = op();
      if (this.depth === 1) {
        if (!preDelivered) this.deliver(events);
        events.push(...this.settle());
      }
      return events;
    } finally {
      this.depth -= 1;
    }
  }

  private deliver(events: Array<ClusterEvent | E>): void {
    for (const a of this.actors) {
      if (a.onEvent) for (const e of events) a.onEvent(e);
    }
  }

  /** Run actors whose deadline is due, handing their events to every actor, until none is due (bounded). */
  private settle(): Array<ClusterEvent | E> {
    const events: Array<ClusterEvent | E> = [];
    if (this.actors.length === 0) return events;
    for (let guard = 0; guard < 10_000; guard++) {
      const due = this.actors.filter((a) => {
        const d = a.nextDeadlineMs();
        return d !== null && d <= this.nowMs;
      });
      if (due.length === 0) break;
      for (const a of due) {
        const out = a.onTime(this.nowMs);
        this.deliver(out);
        for (const e of out) events.push(e);
      }
    }
    return events;
  }

  /**
   * One fetch by every alive, unpaused follower of every partition (or of one partition), in
   * topic, partition, then assignment order.
   */
  fetchRound(tp?: TopicPartition): Array<ClusterEvent | E> {
    const parts = tp ? [this.partition(tp)] : this.sortedPartitions();
    return this.run(() => {
      const events: Array<ClusterEvent | E> = [];
      for (const p of parts) for (const b of p.replicas) events.push(...p.fetch(b, this.status, this.nowMs));
      return events;
    });
  }

  /** One fetch by one follower of one partition. */
  fetch(tp: TopicPartition, brokerId: number): Array<ClusterEvent | E> {
    const p = this.partition(tp);
    return this.run(() => p.fetch(brokerId, this.status, this.nowMs));
  }

  /**
   * Records a consumer may read from the leader: fromOffset ≤ offset < highWatermark.
   * @returns [] when the partition is offline
   */
  readCommitted(tp: TopicPartition, fromOffset?: number, maxRecords = Number.MAX_SAFE_INTEGER): LogRecord[] {
    const p = this.partition(tp);
    const leader = p.leaderReplica();
    if (!leader) return [];
    const res = leader.log.read(fromOffset ?? leader.log.logStartOffset, maxRecords, { isolation: 'highWatermark' });
    return res.ok ? res.records : [];
  }

  /** Every record in broker `brokerId`'s replica of a partition (committed or not). */
  replicaRecords(tp: TopicPartition, brokerId: number): LogRecord[] {
    const r = this.partition(tp).replicaOf[brokerId];
    if (!r) throw new RangeError(`Expected broker ${brokerId} to hold a replica of ${tpKey(tp)}`);
    const res = r.log.read(r.log.logStartOffset, Number.MAX_SAFE_INTEGER);
    return res.ok ? res.records : [];
  }

  /**
   * A broker fails: it stops serving; the controller removes it from ISRs and moves leadership.
   * @param options diskLost: its replicas return empty (a replaced machine); cleanShutdown: a
   *   controlled shutdown rather than a crash, so its replicas stay eligible leaders (KIP-966)
   * @returns [] when it is already down
   */
  brokerDown(brokerId: number, options: { diskLost?: boolean; cleanShutdown?: boolean } = {}): Array<ClusterEvent | E> {
    const b = this.broker(brokerId);
    if (!b.alive) return [];
    b.alive = false;
    const diskLost = options.diskLost ?? false;
    return this.run(() => {
      const clean = options.cleanShutdown ?? false;
      const events: Array<ClusterEvent | E> = [
        { type: 'broker-down', timeMs: this.nowMs, broker: brokerId, diskLost, ...(clean ? { cleanShutdown: true as const } : {}) },
      ];
      for (const p of this.sortedPartitions()) events.push(...p.onBrokerDown(brokerId, this.status, this.nowMs, diskLost, clean));
      return events;
    });
  }

  /** A broker returns: its replicas follow (and truncate on their first fetch); offline partitions may get a leader. */
  brokerUp(brokerId: number): Array<ClusterEvent | E> {
    const b = this.broker(brokerId);
    if (b.alive) return [];
    b.alive = true;
    return this.run(() => {
      const events: Array<ClusterEvent | E> = [{ type: 'broker-up', timeMs: this.nowMs, broker: brokerId }];
      for (const p of this.sortedPartitions()) events.push(...p.onBrokerUp(brokerId, this.status, this.nowMs));
      return events;
    });
  }

  /** A broker stays up but its follower fetchers stop (a stuck or partitioned follower). */
  pauseFetching(brokerId: number): Array<ClusterEvent | E> {
    const b = this.broker(brokerId);
    if (!b.fetching) return [];
    b.fetching = false;
    return this.run(() => [{ type: 'fetch-paused', timeMs: this.nowMs, broker: brokerId }]);
  }

  resumeFetching(brokerId: number): Array<ClusterEvent | E> {
    const b = this.broker(brokerId);
    if (b.fetching) return [];
    b.fetching = true;
    return this.run(() => [{ type: 'fetch-resumed', timeMs: this.nowMs, broker: brokerId }]);
  }

  /** Preferred leader election on every partition whose first replica is alive and in sync. */
  electPreferredLeaders(): Array<ClusterEvent | E> {
    return this.run(() => {
      const events: Array<ClusterEvent | E> = [];
      for (const p of this.sortedPartitions()) events.push(...p.electPreferred(this.status, this.nowMs));
      return events;
    });
  }

  /** Register a clocked actor (a producer client); advanceTime runs it at its deadlines. */
  attach(actor: ClockedActor<E>): void {
    this.actors.push(actor);
  }

  /**
   * Advance the clock by `ms`, running every timer that falls due on the way, in time order; at
   * equal times: follower fetches, then request timeouts, then the ISR check, then actors.
   * @throws RangeError when ms is negative or not finite
   */
  advanceTime(ms: number): Array<ClusterEvent | E> {
    if (!(ms >= 0) || !Number.isFinite(ms)) throw new RangeError(`Expected a non-negative number of ms, got ${String(ms)}`);
    return this.run(() => {
      const fromMs = this.nowMs;
      const target = this.nowMs + ms;
      const events: Array<ClusterEvent | E> = [];
      const step = (): void => {
        const due = this.runDue();
        this.deliver(due);
        events.push(...due, ...this.settle());
      };
      step(); // work due at the start (an actor with work now)
      for (let guard = 0; guard < 10_000_000; guard++) {
        let next = Number.POSITIVE_INFINITY;
        if (this.nextFetchMs !== null) next = Math.min(next, this.nextFetchMs);
        next = Math.min(next, this.nextIsrCheckMs);
        for (const p of this.partitions.values()) {
          const d = p.nextDelayedDeadlineMs();
          if (d !== null) next = Math.min(next, d);
        }
        for (const a of this.actors) {
          const d = a.nextDeadlineMs();
          if (d !== null && d > this.nowMs) next = Math.min(next, d);
        }
        if (next > target) break;
        this.clock = Math.max(this.nowMs, next);
        step();
      }
      this.clock = target;
      step();
      events.push({ type: 'time-advanced', timeMs: this.nowMs, fromMs });
      return events;
    }, true);
  }

  private runDue(): Array<ClusterEvent | E> {
    const events: Array<ClusterEvent | E> = [];
    if (this.nextFetchMs !== null && this.nextFetchMs <= this.nowMs) {
      events.push(...this.fetchRound());
      while (this.nextFetchMs <= this.nowMs) this.nextFetchMs += this.fetchIntervalMs!;
    }
    for (const p of this.sortedPartitions()) {
      const d = p.nextDelayedDeadlineMs();
      if (d !== null && d <= this.nowMs) events.push(...p.tryCompleteDelayed(this.nowMs));
    }
    if (this.nextIsrCheckMs <= this.nowMs) {
      for (const p of this.sortedPartitions()) events.push(...p.shrinkIsr(this.nowMs));
      const step = this.replicationDefaults.replicaLagTimeMaxMs / 2;
      while (this.nextIsrCheckMs <= this.nowMs) this.nextIsrCheckMs += step;
    }
    return events;
  }

  /** LEO / HW / ISR / leader of every partition and the state of every broker, as plain data. */
  snapshot(): ClusterSnapshot {
    return {
      timeMs: this.nowMs,
      brokers: this.brokers.map((b) => ({ ...b })),
      partitions: this.sortedPartitions().map((p) => p.snapshot(this.status)),
    };
  }
}
