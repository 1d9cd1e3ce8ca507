/**
 * Replication of one partition: a leader, followers that fetch from it, the ISR, the high
 * watermark, acks and min.insync.replicas, leader election and follower truncation.
 *
 * The rules (Kafka's `Partition`, `Replica`, `ReplicaManager`, the controller's election):
 * 1. Produce goes to the leader. With acks=all (-1) the leader first checks `isr.length ≥
 *    minInsyncReplicas`, else NOT_ENOUGH_REPLICAS and nothing is appended. It appends, stamping each
 *    record with its leader epoch. acks=0: no response; acks=1: answered at once; acks=all: the
 *    request waits (DelayedProduce) until highWatermark ≥ lastOffset + 1, then answers NONE if the
 *    ISR still has ≥ minInsyncReplicas members, else NOT_ENOUGH_REPLICAS_AFTER_APPEND (the record is
 *    in the log all the same); after `timeoutMs` it answers REQUEST_TIMED_OUT.
 * 2. A follower fetches with fetchOffset = its logEndOffset. The leader answers with the records
 *    from fetchOffset and its highWatermark *as it was before this fetch*, then records the
 *    follower's logEndOffset = fetchOffset. So the leader learns that a follower has a record only
 *    on the follower's *next* fetch, and the follower learns the new highWatermark one fetch later.
 * 3. highWatermark (leader) = min logEndOffset over the ISR (the leader's own and what it knows of
 *    each follower); it only moves forward while a replica stays leader. A follower sets its own
 *    highWatermark = min(leader's, its logEndOffset).
 * 4. ISR: a follower is added when its logEndOffset ≥ highWatermark and ≥ the start offset of the
 *    leader's epoch; it is removed when it has not been caught up (fetched up to the leader's
 *    logEndOffset) for more than replicaLagTimeMaxMs (default 30000), checked every
 *    replicaLagTimeMaxMs / 2, or at once when its broker fails (the controller fences it). The ISR
 *    never becomes empty: the last member stays even when it is down.
 * 5. Election, when the leader fails: the first replica in assignment order that is alive and in
 *    the ISR; else, if uncleanLeaderElectionEnable, the first alive replica (ISR := [it]); else the
 *    partition is offline (leader null) until an ISR member returns. Every new leader gets
 *    leaderEpoch + 1 and starts its epoch at its logEndOffset.
 * 6. Truncation (KIP-101 leader epochs, with KIP-279's repeat and KIP-595's diverging-epoch fetch):
 *    before fetching, a follower finds where its log diverges from the leader's by comparing epoch
 *    caches — the leader answers "epoch E ends at offset X" for the follower's last epoch; the
 *    follower truncates to min(X, its own end of E) and repeats until the epochs agree.
 *
 * Example: t0p0, replicas [0, 1, 2], leader 0, ISR [0, 1, 2], every logEndOffset 5, HW 5.
 *   produce "a" acks=1      → leader 0 appends offset 5 (epoch 0), answers at once; LEO 0:6, HW 5
 *   broker 0 crashes        → ISR [1, 2], leader 1 (epoch 1, starts at offset 5)
 *   broker 0 returns, fetches → leader 1 says epoch 0 ends at 5 → broker 0 truncates 6 → 5:
 *                              the acknowledged "a" is gone (the acks=1 story).
 *
 * Each replica holds a {@link PartitionLog} (../log/partition-log.ts): the log assigns offsets, stores
 * segments and answers reads; this module decides its highWatermark (updateHighWatermark),
 * truncates it, and keeps beside it the leader epoch cache and the idempotent producers' state.
 *
 * Caveats:
 * - ISR changes take effect at once (Kafka sends AlterPartition to the controller and waits).
 * - A broker failure is noticed at once (Kafka: broker.session.timeout.ms, 9000 in KRaft).
 * - The leader's HW ignores replicas outside the ISR that are about to join (Kafka's "maximal
 *   ISR" refinement); with instant ISR changes they are the same.
 * - A crash keeps the broker's log (a process crash, page cache flushed) unless `diskLost` is set.
 * - A fetch returns every record up to the leader's logEndOffset (no replica.fetch.max.bytes).
 * - Eligible Leader Replicas (KIP-966) are not modelled: this is the classic ISR-only election.
 * - Within one epoch a leader's HW never decreases; across a leader change it can: the new
 *   leader starts from the HW it had as a follower, which may lag the old leader's.
 *
 * Source: kafka.cluster.Partition (appendRecordsToLeader, checkEnoughReplicasReachOffset,
 * maybeIncrementLeaderHW, maybeExpandIsr, maybeShrinkIsr, makeLeader), kafka.cluster.Replica
 * (updateFetchStateOrThrow, isCaughtUp, resetReplicaState), LeaderEpochFileCache (assign,
 * endOffsetFor, truncateFromEnd), PartitionLeaderElectionAlgorithms.offlinePartitionLeaderElection,
 * KIP-101, KIP-279, KIP-595; configs replica.lag.time.max.ms, min.insync.replicas,
 * unclean.leader.election.enable, request.timeout.ms (Kafka documentation, "Broker Configs").
 */ import type { KafkaRecord, LogRecord } from '../common/record.ts';
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
import { assignEpoch, endOffsetForEpoch, truncateEpochCache } from './leader-epoch-cache.ts';
import { checkSequence, copyProducerBatches, recordBatch, truncateProducerBatches } from './producer-state.ts';

/** Options to create a {@link PartitionReplication}. */
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
 * One partition's replicas and replication state. Methods take the simulated time in ms and
 * return the events that happened; none reads a clock or draws randomness.
 */
export class PartitionReplication {
  readonly topic: string;
  readonly partition: number;
  readonly replicas: number[];
  readonly config: ReplicationConfig;
  leader: number | null;
  leaderEpoch = 0;
  /** the offset where the current leader's epoch starts (its logEndOffset when elected) */
  leaderEpochStartOffset = 0;
  isr: number[];
  readonly replicaOf: Record<number, Replica> = {};
  /** the leader's view of each follower; reset on every election */
  followerViews: Record<number, FollowerView> = {};
  delayed: DelayedProduce[] = [];
  readonly logConfig: Partial<LogConfig>;

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
    this.logConfig = { ...init.logConfig };
    for (const b of this.replicas) this.replicaOf[b] = this.freshReplica(b);
    // a new partition: the preferred replica leads epoch 0, every replica is in sync (all empty)
    this.leader = this.replicas[0];
    this.isr = [...this.replicas];
    assignEpoch(this.replicaOf[this.leader].epochCache, 0, 0);
    this.resetFollowerViews(0);
  }

  private freshReplica(brokerId: number, nowMs = 0): Replica {
    return {
      brokerId,
      log: new PartitionLog({ topic: this.topic, partition: this.partition }, this.logConfig, { nowMs }),
      epochCache: [],
      producers: {},
    };
  }

  private base(timeMs: number) {
    return { timeMs, topic: this.topic, partition: this.partition };
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
    if (acks === -1 && this.isr.length < this.config.minInsyncReplicas) {
      respond('NOT_ENOUGH_REPLICAS', null);
      return events;
    }

    let baseOffset: number;
    let lastOffset: number;
    let duplicate = false;
    const p = options.producer;
    if (p) {
      const check = checkSequence(leader, p, records.length);
      if (check.kind === 'error') {
        respond(check.error, null);
        return events;
      }
      if (check.kind === 'duplicate') {
        duplicate = true;
        baseOffset = check.batch.firstOffset;
        lastOffset = check.batch.lastOffset;
      }
    }
    if (!duplicate) {
      const stamped: Omit<LogRecord, 'offset'>[] = records.map((r, i) => ({
        ...r,
        leaderEpoch: this.leaderEpoch,
        ...(p ? { producerId: p.producerId, producerEpoch: p.producerEpoch, sequence: p.baseSequence + i } : {}),
      }));
      const appended = leader.log.appendAsLeader(stamped, { nowMs });
      if (!appended.ok) {
        respond(appended.error, null); // INVALID_RECORD, MESSAGE_TOO_LARGE, RECORD_LIST_TOO_LARGE
        return events;
      }
      baseOffset = appended.firstOffset;
      lastOffset = appended.lastOffset;
      assignEpoch(leader.epochCache, this.leaderEpoch, baseOffset);
      if (p) {
        recordBatch(leader, p, {
          firstSeq: p.baseSequence,
          lastSeq: p.baseSequence + records.length - 1,
          firstOffset: baseOffset,
          lastOffset,
        });
      }
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
      respond('NONE', baseOffset!, duplicate);
      return events;
    }
    this.delayed.push({
      requestId: options.requestId,
      leader: leader.brokerId,
      leaderEpoch: this.leaderEpoch,
      baseOffset: baseOffset!,
      requiredOffset: lastOffset! + 1,
      deadlineMs: nowMs + (options.timeoutMs ?? 30_000),
      duplicate,
    });
    events.push(...this.tryCompleteDelayed(nowMs));
    return events;
  }

  /** Partition.checkEnoughReplicasReachOffset, applied to every waiting acks=all request. */
  tryCompleteDelayed(nowMs: number): ReplicationEvent[] {
    const events: ReplicationEvent[] = [];
    const keep: DelayedProduce[] = [];
    for (const d of this.delayed) {
      const outcome = this.checkDelayed(d, nowMs);
      if (outcome === null) {
        keep.push(d);
        continue;
      }
      events.push({
        type: 'produce-response',
        ...this.base(nowMs),
        broker: d.leader,
        requestId: d.requestId,
        error: outcome,
        baseOffset: outcome === 'NONE' ? d.baseOffset : null,
        ...(d.duplicate && outcome === 'NONE' ? { duplicate: true } : {}),
      });
    }
    this.delayed = keep;
    return events;
  }

  private checkDelayed(d: DelayedProduce, nowMs: number): ProduceError | null {
    if (this.leader !== d.leader || this.leaderEpoch !== d.leaderEpoch) return 'NOT_LEADER_OR_FOLLOWER';
    const hw = this.replicaOf[d.leader].log.highWatermark;
    if (hw >= d.requiredOffset) {
      return this.isr.length >= this.config.minInsyncReplicas ? 'NONE' : 'NOT_ENOUGH_REPLICAS_AFTER_APPEND';
    }
    if (nowMs >= d.deadlineMs) return 'REQUEST_TIMED_OUT';
    return null;
  }

  /** The earliest deadline among waiting acks=all requests, or null. */
  nextDelayedDeadlineMs(): number | null {
    let min: number | null = null;
    for (const d of this.delayed) if (min === null || d.deadlineMs < min) min = d.deadlineMs;
    return min;
  }

  /** Answer the waiting requests whose leader broker failed: the client sees its connection drop. */
  private failDelayedOnDeadLeader(deadBroker: number, nowMs: number): ReplicationEvent[] {
    const events: ReplicationEvent[] = [];
    this.delayed = this.delayed.filter((d) => {
      if (d.leader !== deadBroker) return true;
      events.push({
        type: 'produce-response',
        ...this.base(nowMs),
        broker: d.leader,
        requestId: d.requestId,
        error: 'NETWORK_EXCEPTION',
        baseOffset: null,
      });
      return false;
    });
    return events;
  }

  // ---- high watermark ----------------------------------------------------------------------

  /** Partition.maybeIncrementLeaderHW: HW := min LEO over the ISR, if that is higher. */
  maybeIncrementLeaderHW(nowMs: number): ReplicationEvent[] {
    const leader = this.leaderReplica();
    if (!leader) return [];
    let newHw = leader.log.logEndOffset;
    for (const b of this.isr) {
      if (b === leader.brokerId) continue;
      const view = this.followerViews[b];
      const leo = view ? view.logEndOffset : -1;
      if (leo < newHw) newHw = leo;
    }
    const from = leader.log.highWatermark;
    if (newHw <= from) return [];
    leader.log.updateHighWatermark(newHw);
    return [{ type: 'high-watermark', ...this.base(nowMs), broker: leader.brokerId, from, to: newHw }];
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
    const target = this.divergenceOffset(follower, leader);
    if (target < follower.log.logEndOffset) {
      events.push(this.truncateReplica(follower, target, 'leader-epoch', nowMs));
    }
    // fetching below the leader's logStartOffset: OFFSET_OUT_OF_RANGE, start over at it
    if (follower.log.logEndOffset < leader.log.logStartOffset) {
      const from = follower.log.logEndOffset;
      follower.log.truncateFullyAndStartAt(leader.log.logStartOffset, nowMs);
      follower.epochCache.length = 0;
      follower.producers = {};
      events.push({
        type: 'truncate',
        ...this.base(nowMs),
        broker: brokerId,
        fromOffset: from,
        toOffset: leader.log.logStartOffset,
        reason: 'offset-out-of-range',
      });
    }

    // 2. the leader reads, then records the follower's fetch state (Partition.fetchRecords)
    const fetchOffset = follower.log.logEndOffset;
    const leaderEnd = leader.log.logEndOffset;
    const responseHw = leader.log.highWatermark;
    const read = leader.log.read(fetchOffset, Number.MAX_SAFE_INTEGER, { isolation: 'logEnd' });
    if (!read.ok) throw new Error(`Follower ${brokerId} fetch of ${this.topic}-${this.partition}: ${read.message}`);
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
    if (fetched.length > 0) {
      const appended = follower.log.appendAsFollower(fetched, { nowMs });
      if (!appended.ok) throw new Error(`Follower ${brokerId} append to ${this.topic}-${this.partition}: ${appended.message}`);
      for (const r of fetched) {
        if (r.leaderEpoch !== undefined) assignEpoch(follower.epochCache, r.leaderEpoch, r.offset);
      }
      copyProducerBatches(leader, follower, fetched[0].offset, fetched[fetched.length - 1].offset);
    }
    const oldHw = follower.log.highWatermark;
    const newHw = follower.log.updateHighWatermark(Math.min(responseHw, follower.log.logEndOffset));
    if (newHw !== oldHw) events.push({ type: 'high-watermark', ...this.base(nowMs), broker: brokerId, from: oldHw, to: newHw });
    // the follower follows the leader's logStartOffset (retention on the leader), never past its own HW
    const lso = Math.min(leader.log.logStartOffset, newHw);
    if (lso > follower.log.logStartOffset) follower.log.maybeIncrementLogStartOffset(lso);
    return events;
  }

  /** Replica.updateFetchStateOrThrow + Partition.maybeExpandIsr + maybeIncrementLeaderHW. */
  private updateFollowerFetchState(
    brokerId: number,
    fetchOffset: number,
    leaderEnd: number,
    nowMs: number,
    status: BrokerStatus,
  ): ReplicationEvent[] {
    const view = this.followerViews[brokerId] ?? emptyView(brokerId);
    if (fetchOffset >= leaderEnd) view.lastCaughtUpTimeMs = Math.max(view.lastCaughtUpTimeMs, nowMs);
    else if (fetchOffset >= view.lastFetchLeaderLogEndOffset) {
      view.lastCaughtUpTimeMs = Math.max(view.lastCaughtUpTimeMs, view.lastFetchTimeMs);
    }
    view.logEndOffset = fetchOffset;
    view.lastFetchLeaderLogEndOffset = leaderEnd;
    view.lastFetchTimeMs = nowMs;
    this.followerViews[brokerId] = view;

    const events: ReplicationEvent[] = [];
    const leader = this.leaderReplica()!;
    if (
      !this.isr.includes(brokerId) &&
      status.isAlive(brokerId) &&
      fetchOffset >= leader.log.highWatermark &&
      fetchOffset >= this.leaderEpochStartOffset
    ) {
      this.isr = [...this.isr, brokerId];
      events.push({ type: 'isr-expand', ...this.base(nowMs), isr: [...this.isr], changed: [brokerId], reason: 'caught-up' });
    }
    events.push(...this.maybeIncrementLeaderHW(nowMs));
    events.push(...this.tryCompleteDelayed(nowMs));
    return events;
  }

  /** Where `follower`'s log stops agreeing with `leader`'s (OffsetsForLeaderEpoch, repeated). */
  divergenceOffset(follower: Replica, leader: Replica): number {
    const fLast = follower.epochCache[follower.epochCache.length - 1];
    const lLast = leader.epochCache[leader.epochCache.length - 1];
    // common case: same latest epoch → the logs agree up to the shorter one
    if (fLast && lLast && fLast.epoch === lLast.epoch) return Math.min(follower.log.logEndOffset, leader.log.logEndOffset);
    const fCache = follower.epochCache.map((e) => ({ ...e }));
    let fEnd = follower.log.logEndOffset;
    const lEnd = leader.log.logEndOffset;
    for (let guard = 0; guard < 10_000; guard++) {
      if (fCache.length === 0) return Math.min(fEnd, lEnd);
      const fEpoch = fCache[fCache.length - 1].epoch;
      const answer = endOffsetForEpoch(leader.epochCache, lEnd, fEpoch);
      if (answer.epoch === -1) {
        // the leader knows no epoch this old: keep only what precedes the leader's first epoch
        const first = leader.epochCache.length > 0 ? leader.epochCache[0].startOffset : lEnd;
        return Math.min(fEnd, first);
      }
      if (answer.epoch === fEpoch) return Math.min(fEnd, answer.endOffset);
      // the follower has epochs the leader never had: cut them and ask again (KIP-279)
      const own = endOffsetForEpoch(fCache, fEnd, answer.epoch);
      fEnd = Math.min(fEnd, answer.endOffset, own.endOffset === -1 ? answer.endOffset : own.endOffset);
      truncateEpochCache(fCache, fEnd);
    }
    throw new Error('divergenceOffset did not converge');
  }

  private truncateReplica(replica: Replica, offset: number, reason: 'leader-epoch', nowMs: number): ReplicationEvent {
    const from = replica.log.logEndOffset;
    replica.log.truncateTo(offset); // also lowers the replica's HW to its new LEO if needed
    truncateEpochCache(replica.epochCache, offset);
    truncateProducerBatches(replica, offset);
    return { type: 'truncate', ...this.base(nowMs), broker: replica.brokerId, fromOffset: from, toOffset: offset, reason };
  }

  // ---- ISR shrink ----------------------------------------------------------------------------

  /**
   * Partition.maybeShrinkIsr: drop followers not caught up within replicaLagTimeMaxMs, then
   * maybe advance the HW and answer waiting requests. Kafka runs this every replicaLagTimeMaxMs / 2.
   */
  shrinkIsr(nowMs: number): ReplicationEvent[] {
    const leader = this.leaderReplica();
    if (!leader) return [];
    const leaderEnd = leader.log.logEndOffset;
    const out = this.isr.filter((b) => {
      if (b === leader.brokerId) return false;
      const v = this.followerViews[b];
      if (!v) return true;
      const caughtUp = v.logEndOffset === leaderEnd || nowMs - v.lastCaughtUpTimeMs <= this.config.replicaLagTimeMaxMs;
      return !caughtUp;
    });
    if (out.length === 0) return [];
    this.isr = this.isr.filter((b) => !out.includes(b));
    const events: ReplicationEvent[] = [{ type: 'isr-shrink', ...this.base(nowMs), isr: [...this.isr], changed: out, reason: 'lag' }];
    events.push(...this.maybeIncrementLeaderHW(nowMs));
    events.push(...this.tryCompleteDelayed(nowMs));
    return events;
  }

  // ---- failures and elections ----------------------------------------------------------------

  /**
   * The controller's reaction to broker `brokerId` failing: remove it from the ISR (unless it is
   * the last member) and, if it led, elect a new leader.
   * @param diskLost when true the broker's replica comes back empty on restart
   */
  onBrokerDown(brokerId: number, status: BrokerStatus, nowMs: number, diskLost = false): ReplicationEvent[] {
    if (!this.replicaOf[brokerId]) return [];
    const events: ReplicationEvent[] = [];
    if (diskLost) this.replicaOf[brokerId] = this.freshReplica(brokerId, nowMs);
    events.push(...this.failDelayedOnDeadLeader(brokerId, nowMs));
    if (this.isr.includes(brokerId) && this.isr.length > 1) {
      this.isr = this.isr.filter((b) => b !== brokerId);
      events.push({ type: 'isr-shrink', ...this.base(nowMs), isr: [...this.isr], changed: [brokerId], reason: 'broker-down' });
    }
    if (this.leader === brokerId) {
      events.push(...this.elect(status, nowMs, 'leader-down'));
    } else if (this.leader !== null) {
      events.push(...this.maybeIncrementLeaderHW(nowMs));
      events.push(...this.tryCompleteDelayed(nowMs));
    }
    return events;
  }

  /** A broker returns: an offline partition may get a leader (clean if it is in the ISR). */
  onBrokerUp(brokerId: number, status: BrokerStatus, nowMs: number): ReplicationEvent[] {
    if (!this.replicaOf[brokerId] || this.leader !== null) return [];
    return this.elect(status, nowMs, 'broker-up');
  }

  /**
   * Elect a leader: first alive ISR member in assignment order; else (unclean enabled) the first
   * alive replica. Source: PartitionLeaderElectionAlgorithms.offlinePartitionLeaderElection.
   */
  elect(status: BrokerStatus, nowMs: number, reason: 'leader-down' | 'broker-up' | 'preferred'): ReplicationEvent[] {
    const previousLeader = this.leader;
    let next = this.replicas.find((b) => this.isr.includes(b) && status.isAlive(b)) ?? null;
    let unclean = false;
    if (next === null && this.config.uncleanLeaderElectionEnable) {
      next = this.replicas.find((b) => status.isAlive(b)) ?? null;
      unclean = next !== null;
    }
    if (next === null) {
      if (previousLeader === null) return [];
      this.leader = null;
      return [
        {
          type: 'leader-election',
          ...this.base(nowMs),
          previousLeader,
          leader: null,
          leaderEpoch: this.leaderEpoch,
          isr: [...this.isr],
          unclean: false,
          reason,
        },
      ];
    }
    return this.makeLeader(next, unclean, previousLeader, nowMs, reason);
  }

  /**
   * Preferred leader election (kafka-leader-election.sh --election-type preferred): move
   * leadership to the first replica if it is alive, in the ISR and not already leader.
   */
  electPreferred(status: BrokerStatus, nowMs: number): ReplicationEvent[] {
    const preferred = this.replicas[0];
    if (this.leader === preferred || !this.isr.includes(preferred) || !status.isAlive(preferred)) return [];
    return this.makeLeader(preferred, false, this.leader, nowMs, 'preferred');
  }

  private makeLeader(
    brokerId: number,
    unclean: boolean,
    previousLeader: number | null,
    nowMs: number,
    reason: 'initial' | 'leader-down' | 'broker-up' | 'preferred',
  ): ReplicationEvent[] {
    this.leader = brokerId;
    this.leaderEpoch += 1;
    if (unclean) this.isr = [brokerId];
    const r = this.replicaOf[brokerId];
    this.leaderEpochStartOffset = r.log.logEndOffset;
    assignEpoch(r.epochCache, this.leaderEpoch, this.leaderEpochStartOffset);
    this.resetFollowerViews(nowMs);
    const events: ReplicationEvent[] = [
      {
        type: 'leader-election',
        ...this.base(nowMs),
        previousLeader,
        leader: brokerId,
        leaderEpoch: this.leaderEpoch,
        isr: [...this.isr],
        unclean,
        reason,
      },
    ];
    // requests waiting on a leader that is still alive but lost leadership get NOT_LEADER_OR_FOLLOWER
    events.push(...this.tryCompleteDelayed(nowMs));
    events.push(...this.maybeIncrementLeaderHW(nowMs));
    return events;
  }

  /** Replica.resetReplicaState for a new leader: follower LEOs unknown, ISR members caught up now. */
  private resetFollowerViews(nowMs: number): void {
    this.followerViews = {};
    for (const b of this.replicas) {
      if (b === this.leader) continue;
      this.followerViews[b] = {
        brokerId: b,
        logEndOffset: -1,
        lastCaughtUpTimeMs: this.isr.includes(b) ? nowMs : 0,
        lastFetchLeaderLogEndOffset: -1,
        lastFetchTimeMs: 0,
      };
    }
  }

  // ---- views ----------------------------------------------------------------------------------

  snapshot(status: BrokerStatus): PartitionSnapshot {
    const leader = this.leaderReplica();
    const states = this.replicas.map((b) => {
      const r = this.replicaOf[b];
      return {
        broker: b,
        alive: status.isAlive(b),
        logStartOffset: r.log.logStartOffset,
        logEndOffset: r.log.logEndOffset,
        highWatermark: r.log.highWatermark,
      };
    });
    return {
      topic: this.topic,
      partition: this.partition,
      replicas: [...this.replicas],
      leader: this.leader,
      leaderEpoch: this.leaderEpoch,
      isr: [...this.isr],
      logStartOffset: leader
        ? leader.log.logStartOffset
        : states.reduce((best, s) => (s.logEndOffset > best.logEndOffset ? s : best)).logStartOffset,
      highWatermark: leader ? leader.log.highWatermark : Math.max(...states.map((s) => s.highWatermark)),
      logEndOffset: leader ? leader.log.logEndOffset : Math.max(...states.map((s) => s.logEndOffset)),
      replicaStates: states,
    };
  }
}

function emptyView(brokerId: number): FollowerView {
  return { brokerId, logEndOffset: -1, lastCaughtUpTimeMs: 0, lastFetchLeaderLogEndOffset: -1, lastFetchTimeMs: 0 };
}
