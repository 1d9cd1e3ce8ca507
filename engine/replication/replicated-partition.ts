/**
 * One partition's replicas and its data path: produce on the leader, follower fetches, the ISR and
 * ELR bookkeeping, the high watermark. The rules are in ./leader-hw.ts (leader), ./follower-fetch.ts
 * (follower), ./leader-election.ts (ELR); failures and elections are in ./partition-replication.ts,
 * whose header tells the whole story.
 *
 * Example: see {@link PartitionReplication} (./partition-replication.ts).
 *
 * Source: kafka.cluster.Partition (appendRecordsToLeader, fetchRecords, updateFollowerFetchState,
 * maybeExpandIsr, maybeShrinkIsr, maybeIncrementLeaderHW), ReplicaState, KAFKA-15583, KIP-966.
 */
import type { KafkaRecord } from '../common/record.ts';
import { tpKey } from '../common/notation.ts';
import { PartitionLog } from '../log/partition-log.ts';
import type { LogConfig } from '../log/log-config.ts';
import type {
  Acks,
  BrokerStatus,
  DelayedProduce,
  FollowerView,
  PartitionSnapshot,
  ProduceError,
  ProducerBatchInfo,
  Replica,
  ReplicationConfig,
  ReplicationEvent,
} from './replication-types.ts';
import { DEFAULT_REPLICATION_CONFIG, normalizeAcks } from './replication-types.ts';
import { assignEpoch } from './leader-epoch-cache.ts';
import { appendBatchAsLeader } from './leader-append.ts';
import { DelayedProduceQueue } from './delayed-produce.ts';
import { snapshotPartition } from './partition-snapshot.ts';
import { kafkaVersionRules } from './kafka-version.ts';
import {
  canJoinIsr,
  checkProduceIsr,
  delayedProduceOutcome,
  effectiveMinIsr,
  nextHighWatermark,
  outOfSyncFollowers,
  recordFollowerFetch,
  unknownFollower,
} from './leader-hw.ts';
import type { LeaderHwConfig } from './leader-hw.ts';
import { nextElr } from './leader-election.ts';
import { applyFetchedRecords, divergenceOffset, resetToLeaderStart, truncateReplica } from './follower-fetch.ts';

/** Options to create a {@link ReplicatedPartition} / PartitionReplication. */
export interface PartitionReplicationInit {
  topic: string;
  partition: number;
  /** replica broker ids, the first is the preferred leader */
  replicas: number[];
  config?: Partial<ReplicationConfig>;
  /** each replica's log configs (segment.bytes, retention, cleanup.policy, …); Kafka's defaults if absent */
  logConfig?: Partial<LogConfig>;
}

/**
 * The data path of one partition's replication: its replicas, produce on the leader, follower
 * fetches, the ISR and ELR, the high watermark. {@link PartitionReplication}
 * (./partition-replication.ts) adds broker failures and elections. Methods take the simulated time
 * in ms and return the events that happened; none reads a clock or draws randomness.
 */
export class ReplicatedPartition {
  readonly topic: string;
  readonly partition: number;
  readonly replicas: number[];
  readonly config: ReplicationConfig;
  /** the rules of config.kafkaVersion: strict min ISR (3.7+) and whether ELR is on (KIP-966) */
  readonly rules: { strictMinIsr: boolean; eligibleLeaderReplicas: boolean };
  leader: number | null;
  leaderEpoch = 0;
  /** the offset where the current leader's epoch starts (its logEndOffset when elected) */
  leaderEpochStartOffset = 0;
  isr: number[];
  /** eligible leader replicas (KIP-966); [] when ELR is off or the ISR has ≥ min ISR members */
  elr: number[] = [];
  /** the leader before the partition went offline (Kafka's lastKnownElr with one member), when ELR is on */
  lastKnownLeader: number | null = null;
  /** brokers that went down without a clean shutdown and have not returned yet */
  protected readonly uncleanlyDown = new Set<number>();
  readonly replicaOf: Record<number, Replica> = {};
  /** the leader's view of each follower; reset on every election */
  followerViews: Record<number, FollowerView> = {};
  /** acks=all requests waiting for the high watermark (./delayed-produce.ts) */
  readonly delayed = new DelayedProduceQueue();
  readonly logConfig: Partial<LogConfig>;

  /**
   * @throws RangeError for no or duplicate replicas, a bad minInsyncReplicas, an unknown
   *   kafkaVersion, or eligibleLeaderReplicasEnable true before Kafka 4.0
   */
  constructor(init: PartitionReplicationInit) {
    if (init.replicas.length === 0) throw new RangeError('Expected at least one replica, got []');
    if (new Set(init.replicas).size !== init.replicas.length) {
      throw new RangeError(`Expected distinct replica broker ids, got ${JSON.stringify(init.replicas)}`);
    }
    this.topic = init.topic;
    this.partition = init.partition;
    this.replicas = [...init.replicas];
    this.config = { ...DEFAULT_REPLICATION_CONFIG, ...init.config };
    if (!Number.isInteger(this.config.minInsyncReplicas) || this.config.minInsyncReplicas < 1) {
      throw new RangeError(`Expected minInsyncReplicas to be a positive integer, got ${String(this.config.minInsyncReplicas)}`);
    }
    const rules = kafkaVersionRules(this.config.kafkaVersion);
    const elr = this.config.eligibleLeaderReplicasEnable;
    if (elr === true && !rules.eligibleLeaderReplicasSupported) {
      throw new RangeError(
        `Expected kafkaVersion 4.0 or later for eligibleLeaderReplicasEnable (KIP-966), got ${this.config.kafkaVersion}`,
      );
    }
    this.rules = { strictMinIsr: rules.strictMinIsr, eligibleLeaderReplicas: elr ?? rules.eligibleLeaderReplicasDefault };
    this.logConfig = { ...init.logConfig };
    for (const b of this.replicas) this.replicaOf[b] = this.freshReplica(b);
    // a new partition: the preferred replica leads epoch 0, every replica is in sync (all empty)
    this.leader = this.replicas[0];
    this.isr = [...this.replicas];
    assignEpoch(this.replicaOf[this.leader].epochCache, 0, 0);
    this.resetFollowerViews(0);
  }

  protected freshReplica(brokerId: number, nowMs = 0): Replica {
    return {
      brokerId,
      log: new PartitionLog({ topic: this.topic, partition: this.partition }, this.logConfig, { nowMs }),
      epochCache: [],
      producers: {},
    };
  }

  protected base(timeMs: number) {
    return { timeMs, topic: this.topic, partition: this.partition };
  }

  /** The configs of the leader's bookkeeping (./leader-hw.ts). */
  get hwConfig(): LeaderHwConfig {
    return {
      minInsyncReplicas: this.config.minInsyncReplicas,
      replicaLagTimeMaxMs: this.config.replicaLagTimeMaxMs,
      strictMinIsr: this.rules.strictMinIsr,
    };
  }

  /** min(min.insync.replicas, replication factor) (Partition.effectiveMinIsr). */
  get effectiveMinIsr(): number {
    return effectiveMinIsr(this.config.minInsyncReplicas, this.replicas.length);
  }

  /** The leader's replica, or null when offline. */
  leaderReplica(): Replica | null {
    return this.leader === null ? null : this.replicaOf[this.leader];
  }

  /** The leader's highWatermark (null when offline). */
  get highWatermark(): number | null {
    const l = this.leaderReplica();
    return l ? l.log.highWatermark : null;
  }

  // ---- produce ---------------------------------------------------------------------------

  /**
   * A produce request arriving at the leader (Partition.appendRecordsToLeader + ReplicaManager).
   * @param records the batch, in order
   * @param options acks; requestId (for the response); timeoutMs (the request's timeout, the
   *   producer's request.timeout.ms, default 30000); producer: idempotent batch fields
   * @returns events: the append (if any) and the response when it is decided now; an acks=all
   *   request that must wait is answered later by fetch(), shrinkIsr(), tryCompleteDelayed() (its
   *   timeout), onBrokerDown() or an election
   * @throws RangeError when the batch is empty
   */
  appendToLeader(
    records: KafkaRecord[],
    options: { acks: Acks; requestId: number; timeoutMs?: number; producer?: ProducerBatchInfo },
    nowMs: number,
  ): ReplicationEvent[] {
    if (records.length === 0) throw new RangeError('Expected a non-empty batch of records, got []');
    const acks = normalizeAcks(options.acks);
    const events: ReplicationEvent[] = [];
    const respond = (error: ProduceError, baseOffset: number | null, duplicate?: boolean) => {
      if (acks === 0) return; // acks=0: the broker never answers
      events.push({
        type: 'produce-response',
        ...this.base(nowMs),
        broker: this.leader,
        requestId: options.requestId,
        error,
        baseOffset,
        ...(duplicate ? { duplicate } : {}),
      });
    };
    const leader = this.leaderReplica();
    if (!leader) {
      respond('LEADER_NOT_AVAILABLE', null);
      return events;
    }
    const refused = checkProduceIsr(acks, this.isr.length, this.config.minInsyncReplicas, this.replicas.length);
    if (refused) {
      respond(refused, null);
      return events;
    }

    const appended = appendBatchAsLeader(leader, records, this.leaderEpoch, options.producer, nowMs);
    if (!appended.ok) {
      respond(appended.error, null);
      return events;
    }
    const { baseOffset, lastOffset, duplicate } = appended;
    if (!duplicate) {
      events.push({
        type: 'append',
        ...this.base(nowMs),
        broker: leader.brokerId,
        requestId: options.requestId,
        acks,
        leaderEpoch: this.leaderEpoch,
        baseOffset,
        lastOffset,
      });
      events.push(...this.maybeIncrementLeaderHW(nowMs));
    }

    if (acks === 0 || acks === 1) {
      respond('NONE', baseOffset, duplicate);
      return events;
    }
    this.delayed.add({
      requestId: options.requestId,
      leader: leader.brokerId,
      leaderEpoch: this.leaderEpoch,
      baseOffset,
      requiredOffset: lastOffset + 1,
      deadlineMs: nowMs + (options.timeoutMs ?? 30_000),
      duplicate,
    });
    events.push(...this.tryCompleteDelayed(nowMs));
    return events;
  }

  /** Partition.checkEnoughReplicasReachOffset, applied to every waiting acks=all request. */
  tryCompleteDelayed(nowMs: number): ReplicationEvent[] {
    return this.delayed.complete((d) => this.checkDelayed(d, nowMs), this.base(nowMs));
  }

  private checkDelayed(d: DelayedProduce, nowMs: number): ProduceError | null {
    if (this.leader !== d.leader || this.leaderEpoch !== d.leaderEpoch) return 'NOT_LEADER_OR_FOLLOWER';
    const hw = this.replicaOf[d.leader].log.highWatermark;
    const outcome = delayedProduceOutcome(hw, d.requiredOffset, this.isr.length, this.config.minInsyncReplicas, this.replicas.length);
    if (outcome !== null) return outcome;
    if (nowMs >= d.deadlineMs) return 'REQUEST_TIMED_OUT';
    return null;
  }

  /** The earliest deadline among waiting acks=all requests, or null. */
  nextDelayedDeadlineMs(): number | null {
    return this.delayed.nextDeadlineMs();
  }

  // ---- high watermark ----------------------------------------------------------------------

  /** Partition.maybeIncrementLeaderHW (./leader-hw.ts nextHighWatermark): HW := min LEO over the ISR, if higher and allowed. */
  maybeIncrementLeaderHW(nowMs: number): ReplicationEvent[] {
    const leader = this.leaderReplica();
    if (!leader) return [];
    const from = leader.log.highWatermark;
    const to = nextHighWatermark(
      from,
      leader.brokerId,
      leader.log.logEndOffset,
      this.isr,
      this.followerViews,
      this.hwConfig,
      this.replicas.length,
    );
    if (to <= from) return [];
    leader.log.updateHighWatermark(to);
    return [{ type: 'high-watermark', ...this.base(nowMs), broker: leader.brokerId, from, to }];
  }

  // ---- fetch -------------------------------------------------------------------------------

  /**
   * One fetch by follower `brokerId` from the leader: truncate first if the logs diverge, then
   * the leader records the fetch offset (ISR expansion, HW), then the follower appends the records.
   * Nothing happens if the follower or leader is down, the follower is paused or is the leader.
   */
  fetch(brokerId: number, status: BrokerStatus, nowMs: number): ReplicationEvent[] {
    const leader = this.leaderReplica();
    const follower = this.replicaOf[brokerId];
    if (!leader || !follower || leader === follower) return [];
    if (!status.isAlive(brokerId) || !status.isFetching(brokerId) || !status.isAlive(leader.brokerId)) return [];
    const events: ReplicationEvent[] = [];

    // 1. find the divergence point through the epoch caches and truncate (KIP-101/279/595)
    const target = divergenceOffset(follower, leader);
    if (target < follower.log.logEndOffset) {
      events.push({
        type: 'truncate',
        ...this.base(nowMs),
        broker: brokerId,
        ...truncateReplica(follower, target),
        reason: 'leader-epoch',
      });
    }
    // fetching below the leader's logStartOffset: OFFSET_OUT_OF_RANGE, start over at it
    if (follower.log.logEndOffset < leader.log.logStartOffset) {
      const reset = resetToLeaderStart(follower, leader, nowMs);
      events.push({ type: 'truncate', ...this.base(nowMs), broker: brokerId, ...reset, reason: 'offset-out-of-range' });
    }

    // 2. the leader reads, then records the follower's fetch state (Partition.fetchRecords)
    const fetchOffset = follower.log.logEndOffset;
    const leaderEnd = leader.log.logEndOffset;
    const responseHw = leader.log.highWatermark;
    const read = leader.log.read(fetchOffset, Number.MAX_SAFE_INTEGER, { isolation: 'logEnd' });
    if (!read.ok) throw new Error(`Follower ${brokerId} fetch of ${tpKey(this)}: ${read.message}`);
    const fetched = read.records;
    events.push({
      type: 'fetch',
      ...this.base(nowMs),
      broker: brokerId,
      leader: leader.brokerId,
      fetchOffset,
      records: fetched.length,
      highWatermark: responseHw,
    });
    events.push(...this.updateFollowerFetchState(brokerId, fetchOffset, leaderEnd, nowMs, status));

    // 3. the follower appends with the leader's offsets and learns the HW
    const hw = applyFetchedRecords(follower, leader, fetched, responseHw, nowMs);
    if (hw.to !== hw.from) events.push({ type: 'high-watermark', ...this.base(nowMs), broker: brokerId, from: hw.from, to: hw.to });
    return events;
  }

  /** ReplicaState.updateFetchState + Partition.maybeExpandIsr + maybeIncrementLeaderHW. */
  private updateFollowerFetchState(
    brokerId: number,
    fetchOffset: number,
    leaderEnd: number,
    nowMs: number,
    status: BrokerStatus,
  ): ReplicationEvent[] {
    const view = recordFollowerFetch(this.followerViews[brokerId] ?? unknownFollower(brokerId), fetchOffset, leaderEnd, nowMs);
    this.followerViews[brokerId] = view;

    const events: ReplicationEvent[] = [];
    const leader = this.leaderReplica()!;
    if (
      !this.isr.includes(brokerId) &&
      status.isAlive(brokerId) &&
      canJoinIsr(view, leader.log.highWatermark, this.leaderEpochStartOffset)
    ) {
      events.push(...this.changeIsr([...this.isr, brokerId], nowMs, { type: 'isr-expand', changed: [brokerId], reason: 'caught-up' }));
    }
    events.push(...this.maybeIncrementLeaderHW(nowMs));
    events.push(...this.tryCompleteDelayed(nowMs));
    return events;
  }

  /** Where `follower`'s log stops agreeing with `leader`'s (./follower-fetch.ts). */
  divergenceOffset(follower: Replica, leader: Replica): number {
    return divergenceOffset(follower, leader);
  }

  // ---- ISR and ELR ---------------------------------------------------------------------------

  /**
   * Set the ISR (an AlterPartition or a controller change) and, with ELR on, the ELR after it
   * (PartitionChangeBuilder.maybePopulateTargetElr). @returns the isr event and an elr-change if it changed
   */
  protected changeIsr(
    nextIsr: number[],
    nowMs: number,
    why: { type: 'isr-shrink' | 'isr-expand'; changed: number[]; reason: 'lag' | 'broker-down' | 'caught-up' },
  ): ReplicationEvent[] {
    const before = { isr: this.isr, elr: this.elr };
    this.isr = nextIsr;
    const events: ReplicationEvent[] = [
      { type: why.type, ...this.base(nowMs), isr: [...nextIsr], changed: why.changed, reason: why.reason },
    ];
    const elr = nextElr(this.replicas, before, nextIsr, this.effectiveMinIsr, this.rules.eligibleLeaderReplicas);
    events.push(...this.setElr(elr, nowMs, 'isr-change'));
    return events;
  }

  protected setElr(elr: number[], nowMs: number, reason: 'isr-change' | 'unclean-shutdown'): ReplicationEvent[] {
    if (elr.length === this.elr.length && elr.every((b, i) => b === this.elr[i])) return [];
    this.elr = elr;
    return [{ type: 'elr-change', ...this.base(nowMs), elr: [...elr], reason }];
  }

  /**
   * Partition.maybeShrinkIsr: drop followers not caught up within replicaLagTimeMaxMs, then
   * maybe advance the HW and answer waiting requests. Kafka runs this every replicaLagTimeMaxMs / 2.
   */
  shrinkIsr(nowMs: number): ReplicationEvent[] {
    const leader = this.leaderReplica();
    if (!leader) return [];
    const out = outOfSyncFollowers(
      leader.brokerId,
      this.isr,
      this.followerViews,
      leader.log.logEndOffset,
      this.config.replicaLagTimeMaxMs,
      nowMs,
    );
    if (out.length === 0) return [];
    const events = this.changeIsr(
      this.isr.filter((b) => !out.includes(b)),
      nowMs,
      { type: 'isr-shrink', changed: out, reason: 'lag' },
    );
    events.push(...this.maybeIncrementLeaderHW(nowMs));
    events.push(...this.tryCompleteDelayed(nowMs));
    return events;
  }

  /** ReplicaState.resetReplicaState for a new leader: follower LEOs unknown, ISR members caught up now. */
  protected resetFollowerViews(nowMs: number): void {
    this.followerViews = {};
    for (const b of this.replicas) {
      if (b === this.leader) continue;
      this.followerViews[b] = unknownFollower(b, this.isr.includes(b) ? nowMs : 0);
    }
  }

  // ---- views ----------------------------------------------------------------------------------

  /** LEO / HW / ISR / ELR / leader as plain data (./partition-snapshot.ts). */
  snapshot(status: BrokerStatus): PartitionSnapshot {
    return snapshotPartition(this, status);
  }
}
