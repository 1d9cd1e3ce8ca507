/**
 * Replication of one partition: a leader, followers that fetch from it, the ISR and the eligible
 * leader replicas, the high watermark, acks and min.insync.replicas, leader election and truncation.
 * This class holds the state and plays the events; the rules live in three pure modules:
 * ./leader-hw.ts (the leader's bookkeeping: follower fetch state, ISR, HW, acks=all answers),
 * ./leader-election.ts (the controller: elections and the ELR, KIP-966) and ./follower-fetch.ts
 * (the follower: divergence, truncation, append).
 *
 * The rules, in the order a request meets them (details in those modules):
 * 1. Produce goes to the leader: acks=all is refused NOT_ENOUGH_REPLICAS while the ISR is below
 *    min ISR; otherwise the batch is appended (./leader-append.ts) and acks=0 / 1 are answered at
 *    once, acks=all when the high watermark passes the batch (./delayed-produce.ts).
 * 2. A follower fetches at its logEndOffset; the leader answers with the records and its HW *as it
 *    was before this fetch*, then records the fetch: it learns that a follower has a record only on
 *    the follower's *next* fetch, and the follower learns the new HW one fetch later.
 * 3. HW = min logEndOffset over the ISR, never backwards within an epoch, frozen below min ISR
 *    since Kafka 3.7. The ISR shrinks by followers lagging > replicaLagTimeMaxMs (checked every
 *    replicaLagTimeMaxMs / 2) or down, and grows by followers that reach the HW.
 * 4. Election, when the leader fails: ISR, then ELR, then the last known leader, then (if
 *    uncleanLeaderElectionEnable) any alive replica; else offline. Every new leader gets
 *    leaderEpoch + 1 and starts its epoch at its logEndOffset; followers truncate by leader epochs.
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
 * - A crash keeps the broker's log (a process crash, page cache flushed) unless `diskLost` is set;
 *   it is an unclean shutdown unless `cleanShutdown` is set (KIP-966 cares about the difference).
 * - A fetch returns every record up to the leader's logEndOffset (no replica.fetch.max.bytes).
 * - Within one epoch a leader's HW never decreases; across a leader change it can: the new
 *   leader starts from the HW it had as a follower, which may lag the old leader's.
 *
 * Source: kafka.cluster.Partition (appendRecordsToLeader, checkEnoughReplicasReachOffset,
 * maybeIncrementLeaderHW, maybeExpandIsr, maybeShrinkIsr, makeLeader), ReplicaState,
 * PartitionChangeBuilder, LeaderEpochFileCache, KIP-101, KIP-279, KIP-595, KIP-966, KAFKA-15583;
 * configs replica.lag.time.max.ms, min.insync.replicas, unclean.leader.election.enable,
 * request.timeout.ms (Kafka documentation, "Broker Configs").
 */
import type { BrokerStatus, ReplicationEvent } from './replication-types.ts';
import { assignEpoch } from './leader-epoch-cache.ts';
import { electLeader } from './leader-election.ts';
import { ReplicatedPartition } from './replicated-partition.ts';

export type { PartitionReplicationInit } from './replicated-partition.ts';

/**
 * One partition's replicas and replication state, with broker failures and leader elections.
 * Methods take the simulated time in ms and return the events that happened; none reads a clock
 * or draws randomness.
 */
export class PartitionReplication extends ReplicatedPartition {
  // ---- failures and elections ----------------------------------------------------------------

  /**
   * The controller's reaction to broker `brokerId` failing: remove it from the ISR (without ELR:
   * unless it is the last member) and, if it led, elect a new leader.
   * @param diskLost when true the broker's replica comes back empty on restart
   * @param cleanShutdown a controlled shutdown: the broker stays eligible (KIP-966); default false, a crash
   */
  onBrokerDown(brokerId: number, status: BrokerStatus, nowMs: number, diskLost = false, cleanShutdown = false): ReplicationEvent[] {
    if (!this.replicaOf[brokerId]) return [];
    const events: ReplicationEvent[] = [];
    if (diskLost) this.replicaOf[brokerId] = this.freshReplica(brokerId, nowMs);
    if (!cleanShutdown || diskLost) this.uncleanlyDown.add(brokerId);
    events.push(...this.delayed.failOnDeadLeader(brokerId, this.base(nowMs)));
    if (this.isr.includes(brokerId) && (this.isr.length > 1 || this.rules.eligibleLeaderReplicas)) {
      // an unclean shutdown is only known when the broker re-registers (onBrokerUp)
      const isr = this.isr.filter((b) => b !== brokerId);
      events.push(...this.changeIsr(isr, nowMs, { type: 'isr-shrink', changed: [brokerId], reason: 'broker-down' }));
    }
    if (this.leader === brokerId) {
      events.push(...this.elect(status, nowMs, 'leader-down'));
    } else if (this.leader !== null) {
      events.push(...this.maybeIncrementLeaderHW(nowMs));
      events.push(...this.tryCompleteDelayed(nowMs));
    }
    return events;
  }

  /**
   * A broker returns. After an unclean shutdown it leaves the ELR (handleBrokerUncleanShutdown);
   * then an offline partition may get a leader.
   */
  onBrokerUp(brokerId: number, status: BrokerStatus, nowMs: number): ReplicationEvent[] {
    if (!this.replicaOf[brokerId]) return [];
    const events: ReplicationEvent[] = [];
    if (this.uncleanlyDown.delete(brokerId) && this.elr.includes(brokerId)) {
      events.push(
        ...this.setElr(
          this.elr.filter((b) => b !== brokerId),
          nowMs,
          'unclean-shutdown',
        ),
      );
    }
    if (this.leader === null) events.push(...this.elect(status, nowMs, 'broker-up'));
    return events;
  }

  /**
   * Elect a leader (./leader-election.ts electLeader): ISR, then ELR, then the last known leader,
   * then (unclean enabled) any alive replica. Source: PartitionChangeBuilder.electAnyLeader.
   */
  elect(status: BrokerStatus, nowMs: number, reason: 'leader-down' | 'broker-up' | 'preferred'): ReplicationEvent[] {
    const previousLeader = this.leader;
    const result = electLeader({
      replicas: this.replicas,
      membership: { isr: this.isr, elr: this.elr },
      lastKnownLeader: this.lastKnownLeader ?? previousLeader,
      isAlive: (b) => status.isAlive(b),
      elrEnabled: this.rules.eligibleLeaderReplicas,
      uncleanLeaderElectionEnable: this.config.uncleanLeaderElectionEnable,
    });
    if (result.leader === null) {
      if (previousLeader === null) return [];
      this.leader = null;
      if (this.rules.eligibleLeaderReplicas && this.lastKnownLeader === null) this.lastKnownLeader = previousLeader;
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
          ...(this.elr.length > 0 ? { elr: [...this.elr] } : {}),
        },
      ];
    }
    this.isr = result.membership.isr;
    this.elr = result.membership.elr;
    this.lastKnownLeader = null;
    const via = result.via === 'elr' || result.via === 'last-known-leader' ? result.via : undefined;
    return this.makeLeader(result.leader, result.via === 'unclean', previousLeader, nowMs, reason, via);
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
    via?: 'elr' | 'last-known-leader',
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
        ...(via ? { via } : {}),
        ...(this.elr.length > 0 ? { elr: [...this.elr] } : {}),
      },
    ];
    // requests waiting on a leader that is still alive but lost leadership get NOT_LEADER_OR_FOLLOWER
    events.push(...this.tryCompleteDelayed(nowMs));
    events.push(...this.maybeIncrementLeaderHW(nowMs));
    return events;
  }
}
