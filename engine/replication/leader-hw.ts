/**
 * The leader's bookkeeping for one partition, as pure functions: what it knows of each follower,
 * when the ISR shrinks and grows, where the high watermark goes, and when an acks=all produce is
 * answered. {@link PartitionReplication} (./partition-replication.ts) runs on these functions, and so
 * does {@link stepLeader}, the one-event-at-a-time form the `high-watermark` checkpoint grades against.
 *
 * The rules (Kafka's Partition and ReplicaState):
 * 1. A follower's fetch at `fetchOffset` tells the leader that the follower's logEndOffset is
 *    fetchOffset. It was caught up at this fetch's time if fetchOffset ≥ the leader's
 *    logEndOffset; else, if fetchOffset ≥ the leader's logEndOffset at its previous fetch, it was
 *    caught up at that previous fetch's time (ReplicaState.updateFetchState).
 * 2. The ISR grows by a follower whose logEndOffset ≥ highWatermark and ≥ the start offset of the
 *    leader's epoch (Partition.isFollowerInSync). It shrinks by every follower that has not been
 *    caught up for more than replica.lag.time.max.ms (default 30000; Partition.getOutOfSyncReplicas),
 *    and by a follower whose broker fails.
 * 3. highWatermark = min logEndOffset over the ISR (the leader's own included). It never moves
 *    backwards, and since Kafka 3.7 (KAFKA-15583) it does not move at all while the ISR has fewer than
 *    min(min.insync.replicas, replication factor) members (Partition.maybeIncrementLeaderHW, isUnderMinIsr).
 * 4. An acks=all produce is refused with NOT_ENOUGH_REPLICAS when the ISR is already too small
 *    (Partition.appendRecordsToLeader); otherwise it is appended and answered once highWatermark >
 *    its last offset: NONE, or NOT_ENOUGH_REPLICAS_AFTER_APPEND if the ISR has shrunk below min ISR
 *    meanwhile (Partition.checkEnoughReplicasReachOffset) — which strict min ISR makes impossible,
 *    so on 3.7+ such a request waits until it times out (REQUEST_TIMED_OUT).
 *
 * Example: replicas [0, 1, 2], leader 0, ISR [0, 1, 2], min.insync.replicas 2, leader LEO 8.
 *   fetch 1 @ 8, fetch 2 @ 6   → highWatermark min(8, 8, 6) = 6
 *   t = 30001 ms, isr-check     → broker 2 not caught up for 30 s: ISR [0, 1], highWatermark 8
 *   broker 1 down               → ISR [0] < 2: highWatermark stays 8 (3.7+), a new acks=all produce
 *                                 gets NOT_ENOUGH_REPLICAS
 *
 * Caveat: Kafka also holds the HW back for a follower that is caught up but not yet in the ISR (the
 * "maximal ISR", KIP-497); ISR changes here take effect at once, so that set is the ISR.
 *
 * Source: kafka.cluster.Partition (maybeIncrementLeaderHW, isUnderMinIsr, effectiveMinIsr,
 * isFollowerInSync, getOutOfSyncReplicas, appendRecordsToLeader, checkEnoughReplicasReachOffset),
 * org.apache.kafka.server.replica.ReplicaState (updateFetchState, isCaughtUp); configs
 * replica.lag.time.max.ms (ReplicationConfigs, 30000), min.insync.replicas (TopicConfig).
 */
import type { FollowerView, ProduceError } from './replication-types.ts';

/** The configs the leader's bookkeeping needs. */
export interface LeaderHwConfig {
  /** min.insync.replicas, a positive integer */
  minInsyncReplicas: number;
  /** replica.lag.time.max.ms, in ms */
  replicaLagTimeMaxMs: number;
  /** KAFKA-15583 (Kafka 3.7+): the HW stands still while the ISR is below min ISR */
  strictMinIsr: boolean;
}

/** Partition.effectiveMinIsr: min(min.insync.replicas, replication factor). */
export function effectiveMinIsr(minInsyncReplicas: number, replicationFactor: number): number {
  return Math.min(minInsyncReplicas, replicationFactor);
}

/** A follower the leader has not heard from since it became leader. */
export function unknownFollower(brokerId: number, lastCaughtUpTimeMs = 0): FollowerView {
  return { brokerId, logEndOffset: -1, lastCaughtUpTimeMs, lastFetchLeaderLogEndOffset: -1, lastFetchTimeMs: 0 };
}

/**
 * ReplicaState.updateFetchState: what the leader records when follower `view.brokerId` fetches at
 * `fetchOffset` while the leader's logEndOffset is `leaderLogEndOffset`, at `nowMs`.
 * @returns a new view (the input is not changed)
 */
export function recordFollowerFetch(view: FollowerView, fetchOffset: number, leaderLogEndOffset: number, nowMs: number): FollowerView {
  let lastCaughtUpTimeMs = view.lastCaughtUpTimeMs;
  if (fetchOffset >= leaderLogEndOffset) lastCaughtUpTimeMs = Math.max(lastCaughtUpTimeMs, nowMs);
  else if (fetchOffset >= view.lastFetchLeaderLogEndOffset) lastCaughtUpTimeMs = Math.max(lastCaughtUpTimeMs, view.lastFetchTimeMs);
  return {
    brokerId: view.brokerId,
    logEndOffset: fetchOffset,
    lastCaughtUpTimeMs,
    lastFetchLeaderLogEndOffset: leaderLogEndOffset,
    lastFetchTimeMs: nowMs,
  };
}

/** Partition.isFollowerInSync: may this follower (re)join the ISR? */
export function canJoinIsr(view: FollowerView, highWatermark: number, leaderEpochStartOffset: number): boolean {
  return view.logEndOffset >= highWatermark && view.logEndOffset >= leaderEpochStartOffset;
}

/**
 * Partition.getOutOfSyncReplicas: the ISR followers not caught up within replica.lag.time.max.ms.
 * A follower counts as caught up if its logEndOffset equals the leader's, or it was caught up at
 * most replicaLagTimeMaxMs ago (ReplicaState.isCaughtUp).
 */
export function outOfSyncFollowers(
  leader: number,
  isr: readonly number[],
  followers: Readonly<Record<number, FollowerView>>,
  leaderLogEndOffset: number,
  replicaLagTimeMaxMs: number,
  nowMs: number,
): number[] {
  return isr.filter((b) => {
    if (b === leader) return false;
    const v = followers[b];
    if (!v) return true; // Partition.isFollowerOutOfSync: an unknown replica is out of sync
    const caughtUp = v.logEndOffset === leaderLogEndOffset || nowMs - v.lastCaughtUpTimeMs <= replicaLagTimeMaxMs;
    return !caughtUp;
  });
}

/**
 * Partition.maybeIncrementLeaderHW: the high watermark after an ISR or logEndOffset change.
 * @param isr the ISR, the leader included
 * @param followers what the leader knows of each follower (logEndOffset -1 = not heard from yet)
 * @returns the new high watermark: min logEndOffset over the ISR if that is higher than the current
 *   one, else the current one; the current one when strict min ISR holds it (ISR below min ISR)
 */
export function nextHighWatermark(
  current: number,
  leader: number,
  leaderLogEndOffset: number,
  isr: readonly number[],
  followers: Readonly<Record<number, FollowerView>>,
  config: LeaderHwConfig,
  replicationFactor: number,
): number {
  if (config.strictMinIsr && isr.length < effectiveMinIsr(config.minInsyncReplicas, replicationFactor)) return current;
  let hw = leaderLogEndOffset;
  for (const b of isr) {
    if (b === leader) continue;
    const leo = followers[b] ? followers[b].logEndOffset : -1;
    if (leo < hw) hw = leo;
  }
  return hw > current ? hw : current;
}

/**
 * Partition.appendRecordsToLeader's check: an acks=all produce is refused before appending when
 * the ISR is smaller than the effective min ISR. acks 0 and 1 are never refused for it.
 * @returns 'NOT_ENOUGH_REPLICAS', or null to append
 */
export function checkProduceIsr(
  acks: 0 | 1 | -1,
  isrSize: number,
  minInsyncReplicas: number,
  replicationFactor: number,
): 'NOT_ENOUGH_REPLICAS' | null {
  return acks === -1 && isrSize < effectiveMinIsr(minInsyncReplicas, replicationFactor) ? 'NOT_ENOUGH_REPLICAS' : null;
}

/**
 * Partition.checkEnoughReplicasReachOffset for a waiting acks=all request.
 * @param requiredOffset lastOffset + 1 of the request's batch
 * @returns NONE or NOT_ENOUGH_REPLICAS_AFTER_APPEND once highWatermark ≥ requiredOffset, else null (keep waiting)
 */
export function delayedProduceOutcome(
  highWatermark: number,
  requiredOffset: number,
  isrSize: number,
  minInsyncReplicas: number,
  replicationFactor: number,
): Extract<ProduceError, 'NONE' | 'NOT_ENOUGH_REPLICAS_AFTER_APPEND'> | null {
  if (highWatermark < requiredOffset) return null;
  return isrSize >= effectiveMinIsr(minInsyncReplicas, replicationFactor) ? 'NONE' : 'NOT_ENOUGH_REPLICAS_AFTER_APPEND';
}
