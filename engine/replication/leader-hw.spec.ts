import { describe, expect, it } from 'vitest';
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
import type { FollowerView } from './replication-types.ts';

const strict = { minInsyncReplicas: 2, replicaLagTimeMaxMs: 30_000, strictMinIsr: true };
const view = (brokerId: number, logEndOffset: number, lastCaughtUpTimeMs = 0): FollowerView => ({
  ...unknownFollower(brokerId, lastCaughtUpTimeMs),
  logEndOffset,
});

describe('leader-hw: the leader’s bookkeeping (Partition, ReplicaState)', () => {
  it('HW = min logEndOffset over the ISR; followers outside the ISR do not count', () => {
    const followers = { 1: view(1, 8), 2: view(2, 6) };
    expect(nextHighWatermark(0, 0, 9, [0, 1, 2], followers, strict, 3)).toBe(6);
    expect(nextHighWatermark(0, 0, 9, [0, 1], followers, strict, 3)).toBe(8);
  });

  it('HW never moves backwards, and a follower not heard from (-1) does not pull it down', () => {
    expect(nextHighWatermark(5, 0, 9, [0, 1, 2], { 1: view(1, 8), 2: view(2, -1) }, strict, 3)).toBe(5);
  });

  it('KAFKA-15583: below min ISR the HW stands still (3.7+); before 3.7 it follows the ISR down', () => {
    const followers = { 1: view(1, 3), 2: view(2, 3) };
    expect(nextHighWatermark(3, 0, 9, [0], followers, strict, 3)).toBe(3);
    expect(nextHighWatermark(3, 0, 9, [0], followers, { ...strict, strictMinIsr: false }, 3)).toBe(9);
    // the effective min ISR is capped by the replication factor: RF 1 with min.insync.replicas 2 still commits
    expect(effectiveMinIsr(2, 1)).toBe(1);
    expect(nextHighWatermark(0, 0, 4, [0], {}, strict, 1)).toBe(4);
  });

  it('a fetch at the leader’s LEO is caught up now; one at the previous fetch’s leader LEO, at that fetch’s time', () => {
    let v = recordFollowerFetch(unknownFollower(1), 5, 5, 1000);
    expect(v).toMatchObject({ logEndOffset: 5, lastCaughtUpTimeMs: 1000, lastFetchLeaderLogEndOffset: 5, lastFetchTimeMs: 1000 });
    v = recordFollowerFetch(v, 5, 8, 2000); // behind now (leader at 8), but it had reached 5 by the previous fetch
    expect(v.lastCaughtUpTimeMs).toBe(1000);
    v = recordFollowerFetch(v, 8, 9, 3000); // it reached the leader's LEO of the previous fetch (8): caught up at 2000
    expect(v.lastCaughtUpTimeMs).toBe(2000);
  });

  it('ISR: out after more than replica.lag.time.max.ms without catching up, never when at the leader’s LEO; back at ≥ HW', () => {
    const followers = { 1: view(1, 9, 0), 2: view(2, 4, 0) };
    expect(outOfSyncFollowers(0, [0, 1, 2], followers, 9, 30_000, 30_000)).toEqual([]);
    expect(outOfSyncFollowers(0, [0, 1, 2], followers, 9, 30_000, 30_001)).toEqual([2]);
    expect(canJoinIsr(view(2, 6), 6, 0)).toBe(true);
    expect(canJoinIsr(view(2, 5), 6, 0)).toBe(false);
    expect(canJoinIsr(view(2, 6), 6, 7)).toBe(false); // not yet at the start of the leader's epoch
  });

  it('acks=all: refused below min ISR; answered once the HW passes the record', () => {
    expect(checkProduceIsr(-1, 1, 2, 3)).toBe('NOT_ENOUGH_REPLICAS');
    expect(checkProduceIsr(1, 1, 2, 3)).toBeNull();
    expect(delayedProduceOutcome(4, 5, 2, 2, 3)).toBeNull();
    expect(delayedProduceOutcome(5, 5, 2, 2, 3)).toBe('NONE');
    expect(delayedProduceOutcome(5, 5, 1, 2, 3)).toBe('NOT_ENOUGH_REPLICAS_AFTER_APPEND'); // reachable only before 3.7
  });
});
