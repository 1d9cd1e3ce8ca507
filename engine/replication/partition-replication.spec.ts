import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Cluster } from '../cluster/cluster.ts';
import type { ClusterEvent } from '../cluster/cluster.ts';
import { assignEpoch, endOffsetForEpoch } from './leader-epoch-cache.ts';
import type { EpochEntry } from './replication-types.ts';
import type { KafkaVersion } from './kafka-version.ts';

const t0p0 = { topic: 't0', partition: 0 };
const rec = (value: string) => [{ key: 'k', value, timestamp: 0 }];
const values = (c: Cluster, broker: number) => c.replicaRecords(t0p0, broker).map((r) => r.value);
const responseFor = (events: ClusterEvent[], requestId: number) =>
  events.find((e) => e.type === 'produce-response' && e.requestId === requestId);

/** A cluster of `brokers` with t0 (1 partition) on brokers [0, 1, …] in that order. */
function cluster(
  brokers: number,
  rf: number,
  config: { minInsyncReplicas?: number; uncleanLeaderElectionEnable?: boolean; kafkaVersion?: KafkaVersion } = {},
) {
  const c = new Cluster({ brokers: Array.from({ length: brokers }, (_, i) => i), ...config });
  c.createTopic({ name: 't0', partitions: 1, replicaAssignment: { 0: Array.from({ length: rf }, (_, i) => i) } });
  return c;
}

describe('leader epoch cache (LeaderEpochFileCache)', () => {
  it('endOffsetForEpoch: epochs [(0,0), (2,5)], LEO 9 → epoch 0 ends at 5, epoch 1 answers epoch 0, epoch 2 ends at LEO', () => {
    const cache: EpochEntry[] = [];
    assignEpoch(cache, 0, 0);
    assignEpoch(cache, 2, 5);
    expect(endOffsetForEpoch(cache, 9, 0)).toEqual({ epoch: 0, endOffset: 5 });
    expect(endOffsetForEpoch(cache, 9, 1)).toEqual({ epoch: 0, endOffset: 5 });
    expect(endOffsetForEpoch(cache, 9, 2)).toEqual({ epoch: 2, endOffset: 9 });
    expect(endOffsetForEpoch(cache, 9, 3)).toEqual({ epoch: 2, endOffset: 9 });
    expect(endOffsetForEpoch([{ epoch: 3, startOffset: 0 }], 4, 1)).toEqual({ epoch: -1, endOffset: -1 });
  });

  it('assignEpoch drops an empty epoch that starts where the new one does: [(1,5)] + (2,5) → [(2,5)]', () => {
    const cache: EpochEntry[] = [
      { epoch: 0, startOffset: 0 },
      { epoch: 1, startOffset: 5 },
    ];
    assignEpoch(cache, 2, 5);
    expect(cache).toEqual([
      { epoch: 0, startOffset: 0 },
      { epoch: 2, startOffset: 5 },
    ]);
  });
});

describe('high watermark and fetch rounds', () => {
  it('RF 3, acks=all: round 1 copies the record, round 2 moves the leader HW and answers, round 3 tells the followers', () => {
    const c = cluster(3, 3);
    const { requestId, events } = c.produce(t0p0, rec('a'), { acks: 'all' });
    expect(responseFor(events, requestId)).toBeUndefined();
    const r1 = c.fetchRound();
    expect(responseFor(r1, requestId)).toBeUndefined();
    expect(c.snapshot().partitions[0]).toMatchObject({ highWatermark: 0, logEndOffset: 1 });
    const r2 = c.fetchRound();
    expect(responseFor(r2, requestId)).toMatchObject({ error: 'NONE', baseOffset: 0 });
    expect(c.snapshot().partitions[0].replicaStates.map((r) => r.highWatermark)).toEqual([1, 0, 0]);
    c.fetchRound();
    expect(c.snapshot().partitions[0].replicaStates.map((r) => r.highWatermark)).toEqual([1, 1, 1]);
  });

  it('RF 3, acks=1: answered at once with the offset, before any follower has the record', () => {
    const c = cluster(3, 3);
    const { requestId, events } = c.produce(t0p0, rec('a'), { acks: 1 });
    expect(responseFor(events, requestId)).toMatchObject({ error: 'NONE', baseOffset: 0 });
    expect(values(c, 1)).toEqual([]);
  });

  it('acks=0: appended, never answered', () => {
    const c = cluster(3, 3);
    const { events } = c.produce(t0p0, rec('a'), { acks: 0 });
    expect(events.map((e) => e.type)).toEqual(['produce-request', 'append']);
    expect(
      c
        .fetchRound()
        .concat(c.fetchRound())
        .some((e) => e.type === 'produce-response'),
    ).toBe(false);
  });

  it('a consumer reads only below the HW', () => {
    const c = cluster(3, 3);
    c.produce(t0p0, rec('a'), { acks: 1 });
    expect(c.readCommitted(t0p0)).toEqual([]);
    c.fetchRound();
    c.fetchRound();
    expect(c.readCommitted(t0p0).map((r) => r.value)).toEqual(['a']);
  });
});

describe('ISR and replica.lag.time.max.ms', () => {
  it('a paused follower behind the leader leaves the ISR at the first check after 30000 ms: t = 45000', () => {
    const c = cluster(3, 3);
    c.pauseFetching(2);
    c.produce(t0p0, rec('a'), { acks: 1 });
    c.fetchRound();
    c.fetchRound(); // follower 1 is caught up; follower 2 never fetched
    const events = c.advanceTime(60_000);
    const shrink = events.filter((e) => e.type === 'isr-shrink');
    // checks run every 15000 ms; at 30000 the lag is exactly 30000 (not > 30000), at 45000 it is 45000
    expect(shrink).toEqual([{ type: 'isr-shrink', timeMs: 45_000, topic: 't0', partition: 0, isr: [0, 1], changed: [2], reason: 'lag' }]);
  });

  it("a paused follower with the leader's LEO is never out of sync", () => {
    const c = cluster(3, 3);
    c.produce(t0p0, rec('a'), { acks: 1 });
    c.fetchRound();
    c.fetchRound();
    c.pauseFetching(2);
    const events = c.advanceTime(120_000);
    expect(events.some((e) => e.type === 'isr-shrink')).toBe(false);
  });

  it('a follower that catches up rejoins the ISR on the fetch that reaches the HW', () => {
    const c = cluster(3, 3);
    c.pauseFetching(2);
    c.produce(t0p0, rec('a'), { acks: 1 });
    c.fetchRound(); // follower 1 copies offset 0
    c.fetchRound(); // and tells the leader: caught up
    c.advanceTime(45_000);
    expect(c.snapshot().partitions[0].isr).toEqual([0, 1]);
    c.resumeFetching(2);
    // fetch offset 0 < HW 1: the follower copies the record but is not in sync yet
    expect(c.fetch(t0p0, 2).some((e) => e.type === 'isr-expand')).toBe(false);
    const events = c.fetch(t0p0, 2);
    expect(events.find((e) => e.type === 'isr-expand')).toMatchObject({ isr: [0, 1, 2], changed: [2] });
  });

  it('a broker going down leaves the ISR at once; without ELR (Kafka 3.6) the last ISR member stays in it', () => {
    const c = cluster(2, 2, { kafkaVersion: '3.6' });
    c.brokerDown(1);
    expect(c.snapshot().partitions[0].isr).toEqual([0]);
    c.brokerDown(0);
    expect(c.snapshot().partitions[0]).toMatchObject({ leader: null, isr: [0] });
  });

  it('with ELR (Kafka 4.1+) the ISR may become empty: the last member moves to the eligible leader replicas', () => {
    const c = cluster(2, 2);
    c.brokerDown(1);
    expect(c.snapshot().partitions[0]).toMatchObject({ isr: [0] });
    expect(c.snapshot().partitions[0].elr).toBeUndefined(); // ISR 1 ≥ min.insync.replicas 1: no ELR
    c.brokerDown(0);
    expect(c.snapshot().partitions[0]).toMatchObject({ leader: null, isr: [], elr: [0] });
  });
});

describe('min.insync.replicas', () => {
  it('ISR [0] below min.insync.replicas 2 before the append: NOT_ENOUGH_REPLICAS, nothing appended', () => {
    const c = cluster(2, 2, { minInsyncReplicas: 2 });
    c.brokerDown(1);
    const { requestId, events } = c.produce(t0p0, rec('a'), { acks: 'all' });
    expect(responseFor(events, requestId)).toMatchObject({ error: 'NOT_ENOUGH_REPLICAS', baseOffset: null });
    expect(values(c, 0)).toEqual([]);
    // acks=1 does not look at min.insync.replicas
    const one = c.produce(t0p0, rec('b'), { acks: 1 });
    expect(responseFor(one.events, one.requestId)).toMatchObject({ error: 'NONE', baseOffset: 0 });
  });

  it('Kafka 3.7+ (KAFKA-15583): the ISR shrinks below min ISR while an acks=all request waits: the HW stays, REQUEST_TIMED_OUT', () => {
    const c = cluster(2, 2, { minInsyncReplicas: 2 });
    c.pauseFetching(1);
    const { requestId } = c.produce(t0p0, rec('a'), { acks: 'all', timeoutMs: 60_000 });
    const events = c.advanceTime(70_000);
    expect(events.find((e) => e.type === 'isr-shrink')).toMatchObject({ timeMs: 45_000, isr: [0] });
    expect(responseFor(events, requestId)).toMatchObject({ timeMs: 60_000, error: 'REQUEST_TIMED_OUT' });
    expect(values(c, 0)).toEqual(['a']);
    expect(c.snapshot().partitions[0]).toMatchObject({ isr: [0], highWatermark: 0, logEndOffset: 1 });
    expect(c.readCommitted(t0p0)).toEqual([]);
  });

  it('Kafka 3.7+: acks=1 writes go on below min ISR but stay invisible until the ISR grows back', () => {
    const c = cluster(2, 2, { minInsyncReplicas: 2 });
    c.brokerDown(1);
    const one = c.produce(t0p0, rec('a'), { acks: 1 });
    expect(responseFor(one.events, one.requestId)).toMatchObject({ error: 'NONE', baseOffset: 0 });
    expect(c.snapshot().partitions[0]).toMatchObject({ highWatermark: 0, logEndOffset: 1 });
    c.brokerUp(1);
    c.fetchRound(); // broker 1 at 0 ≥ HW 0: rejoins the ISR, copies a
    c.fetchRound(); // the leader learns it has a: HW 1
    expect(c.snapshot().partitions[0]).toMatchObject({ isr: [0, 1], highWatermark: 1 });
  });

  it('Kafka 3.6: the ISR shrinks while an acks=all request waits: NOT_ENOUGH_REPLICAS_AFTER_APPEND, the record stays', () => {
    const c = cluster(2, 2, { minInsyncReplicas: 2, kafkaVersion: '3.6' });
    c.pauseFetching(1);
    const { requestId } = c.produce(t0p0, rec('a'), { acks: 'all', timeoutMs: 60_000 });
    const events = c.advanceTime(50_000);
    expect(responseFor(events, requestId)).toMatchObject({ timeMs: 45_000, error: 'NOT_ENOUGH_REPLICAS_AFTER_APPEND' });
    expect(values(c, 0)).toEqual(['a']);
    expect(c.snapshot().partitions[0]).toMatchObject({ isr: [0], highWatermark: 1 });
  });

  it('a stalled follower and request.timeout.ms 30000: REQUEST_TIMED_OUT, the record stays', () => {
    const c = cluster(2, 2, { minInsyncReplicas: 2 });
    c.pauseFetching(1);
    const { requestId } = c.produce(t0p0, rec('a'), { acks: 'all' });
    const events = c.advanceTime(40_000);
    expect(responseFor(events, requestId)).toMatchObject({ timeMs: 30_000, error: 'REQUEST_TIMED_OUT' });
    expect(values(c, 0)).toEqual(['a']);
  });
});

describe('stories: what is lost and what is not', () => {
  it('acks=1 + leader crash before followers fetched loses an acknowledged write', () => {
    const c = cluster(3, 3);
    c.produce(t0p0, rec('a'), { acks: 'all' });
    c.fetchRound();
    c.fetchRound();
    const { requestId, events } = c.produce(t0p0, rec('b'), { acks: 1 });
    expect(responseFor(events, requestId)).toMatchObject({ error: 'NONE', baseOffset: 1 });
    const down = c.brokerDown(0);
    expect(down.find((e) => e.type === 'leader-election')).toMatchObject({ leader: 1, leaderEpoch: 1, unclean: false });
    c.produce(t0p0, rec('c'), { acks: 1 });
    c.brokerUp(0);
    const up = c.fetchRound();
    expect(up.find((e) => e.type === 'truncate')).toMatchObject({ broker: 0, fromOffset: 2, toOffset: 1, reason: 'leader-epoch' });
    c.fetchRound();
    for (const b of [0, 1, 2]) expect(values(c, b)).toEqual(['a', 'c']);
  });

  it('unclean election loses committed data; a clean-only cluster waits instead', () => {
    const run = (unclean: boolean) => {
      const c = cluster(2, 2, { uncleanLeaderElectionEnable: unclean });
      c.pauseFetching(1);
      c.advanceTime(45_000); // follower 1 leaves the ISR
      const { requestId, events } = c.produce(t0p0, rec('committed'), { acks: 'all' });
      expect(responseFor(events, requestId)).toMatchObject({ error: 'NONE', baseOffset: 0 });
      expect(c.snapshot().partitions[0].highWatermark).toBe(1);
      c.resumeFetching(1);
      const down = c.brokerDown(0);
      return { c, election: down.find((e) => e.type === 'leader-election') };
    };

    const unclean = run(true);
    expect(unclean.election).toMatchObject({ leader: 1, isr: [1], unclean: true });
    unclean.c.produce(t0p0, rec('after'), { acks: 1 });
    unclean.c.brokerUp(0);
    unclean.c.fetchRound();
    expect(values(unclean.c, 0)).toEqual(['after']);
    expect(values(unclean.c, 1)).toEqual(['after']);

    const clean = run(false);
    // Kafka 4.1+: the ISR empties, broker 0 is eligible (ELR) while down, and the last known leader
    expect(clean.election).toMatchObject({ leader: null, isr: [], elr: [0] });
    const up = clean.c.brokerUp(0);
    // back from a crash (an unclean shutdown) it leaves the ELR, and leads again as the last known leader
    expect(up.find((e) => e.type === 'elr-change')).toMatchObject({ elr: [], reason: 'unclean-shutdown' });
    expect(up.find((e) => e.type === 'leader-election')).toMatchObject({
      leader: 0,
      unclean: false,
      reason: 'broker-up',
      via: 'last-known-leader',
    });
    clean.c.fetchRound();
    expect(values(clean.c, 1)).toEqual(['committed']);
  });

  it('acks=all with min.insync.replicas=2 loses no acknowledged write while two replicas survive', () => {
    const c = cluster(3, 3, { minInsyncReplicas: 2 });
    const acked: { value: string; offset: number }[] = [];
    const produce = (value: string) => {
      const { requestId, events } = c.produce(t0p0, rec(value), { acks: 'all' });
      const all = events.concat(c.fetchRound(), c.fetchRound());
      const resp = responseFor(all, requestId);
      if (resp && resp.type === 'produce-response' && resp.error === 'NONE') acked.push({ value, offset: resp.baseOffset! });
      return resp;
    };
    produce('a');
    produce('b');
    c.brokerDown(0, { diskLost: true }); // broker 0 is gone for good
    produce('c');
    c.brokerDown(2); // only broker 1 is left: ISR [1] < 2
    expect(produce('d')).toMatchObject({ error: 'NOT_ENOUGH_REPLICAS' });
    c.brokerUp(2);
    c.brokerUp(0); // a new, empty broker 0
    c.fetchRound(); // 2 rejoins the ISR; 0 copies everything
    produce('e');
    c.fetchRound();
    expect(acked.map((a) => a.value)).toEqual(['a', 'b', 'c', 'e']);
    for (const b of [0, 1, 2]) {
      const log = c.replicaRecords(t0p0, b);
      for (const a of acked) expect(log.find((r) => r.offset === a.offset)?.value).toBe(a.value);
    }
  });

  it('Kafka 4.1+: the same loss with ELR: the stalled replica stayed eligible and leads with the acknowledged write', () => {
    const c = cluster(2, 2, { minInsyncReplicas: 2 });
    const { requestId } = c.produce(t0p0, rec('a'), { acks: 'all' });
    expect(responseFor(c.fetchRound().concat(c.fetchRound()), requestId)).toMatchObject({ error: 'NONE', baseOffset: 0 });
    c.pauseFetching(1);
    c.produce(t0p0, rec('b'), { acks: 1 });
    c.advanceTime(45_000);
    // ISR [0] < min ISR 2: broker 1 leaves the ISR into the ELR; the HW stays at 1 (strict min ISR)
    expect(c.snapshot().partitions[0]).toMatchObject({ isr: [0], elr: [1], highWatermark: 1 });
    const down = c.brokerDown(0, { diskLost: true });
    expect(down.find((e) => e.type === 'leader-election')).toMatchObject({ leader: 1, via: 'elr', isr: [1], unclean: false });
    c.brokerUp(0);
    c.resumeFetching(1);
    c.fetchRound();
    expect(values(c, 1)).toEqual(['a']);
    expect(values(c, 0)).toEqual(['a']);
  });

  it('Kafka 3.6: the last ISR member loses its disk and returns empty: its clean election loses an acknowledged write', () => {
    // the limit of ISR-only election (what KIP-966's eligible leader replicas address): replica 1 still
    // holds the record but left the ISR while stalled, so only the emptied broker 0 may lead
    const c = cluster(2, 2, { minInsyncReplicas: 2, kafkaVersion: '3.6' });
    const { requestId } = c.produce(t0p0, rec('a'), { acks: 'all' });
    const acked = responseFor(c.fetchRound().concat(c.fetchRound()), requestId);
    expect(acked).toMatchObject({ error: 'NONE', baseOffset: 0 });
    c.pauseFetching(1);
    c.produce(t0p0, rec('b'), { acks: 1 }); // the leader moves ahead of the stalled follower
    c.advanceTime(45_000);
    expect(c.snapshot().partitions[0].isr).toEqual([0]);
    c.brokerDown(0, { diskLost: true });
    const up = c.brokerUp(0);
    expect(up.find((e) => e.type === 'leader-election')).toMatchObject({ leader: 0, unclean: false });
    c.resumeFetching(1);
    c.fetchRound();
    expect(values(c, 0)).toEqual([]);
    expect(values(c, 1)).toEqual([]);
  });

  it("divergent logs over three epochs converge on the leader's (KIP-279)", () => {
    const c = cluster(3, 3);
    c.produce(t0p0, rec('a'), { acks: 'all' });
    c.fetchRound();
    c.fetchRound();
    c.produce(t0p0, rec('b'), { acks: 1 }); // only on 0, epoch 0
    c.brokerDown(0); // 1 leads epoch 1
    c.produce(t0p0, rec('c'), { acks: 1 }); // only on 1, epoch 1
    c.brokerDown(1); // 2 leads epoch 2
    c.produce(t0p0, rec('d'), { acks: 1 }); // only on 2, epoch 2
    expect([values(c, 0), values(c, 1), values(c, 2)]).toEqual([
      ['a', 'b'],
      ['a', 'c'],
      ['a', 'd'],
    ]);
    c.brokerUp(0);
    c.brokerUp(1);
    const events = c.fetchRound();
    expect(events.filter((e) => e.type === 'truncate').map((e) => e.type === 'truncate' && [e.broker, e.toOffset])).toEqual([
      [0, 1],
      [1, 1],
    ]);
    for (const b of [0, 1, 2]) expect(values(c, b)).toEqual(['a', 'd']);
  });

  it('the preferred replica returns, catches up and takes leadership back on a preferred election', () => {
    const c = cluster(3, 3);
    c.brokerDown(0);
    c.produce(t0p0, rec('a'), { acks: 'all' });
    c.fetchRound();
    c.fetchRound();
    c.brokerUp(0);
    expect(c.electPreferredLeaders()).toEqual([]); // not in the ISR yet
    c.fetchRound(); // 0 copies offset 0
    expect(c.electPreferredLeaders()).toEqual([]); // the leader does not know yet
    c.fetchRound(); // 0 fetches from offset 1 = HW: back in the ISR
    const events = c.electPreferredLeaders();
    expect(events[0]).toMatchObject({ type: 'leader-election', leader: 0, leaderEpoch: 2, reason: 'preferred' });
    expect(values(c, 0)).toEqual(['a']);
  });
});

describe("on top of each replica's PartitionLog", () => {
  it("a keyless record to a compacted topic: INVALID_RECORD from the leader's log, nothing appended", () => {
    const c = new Cluster({ brokers: [0, 1] });
    c.createTopic({ name: 't0', partitions: 1, replicationFactor: 2, logConfig: { cleanupPolicy: 'compact' } });
    const { requestId, events } = c.produce(t0p0, [{ key: null, value: 'v', timestamp: 0 }], { acks: 1 });
    expect(responseFor(events, requestId)).toMatchObject({ error: 'INVALID_RECORD' });
    expect(c.snapshot().partitions[0].logEndOffset).toBe(0);
  });

  it('the leader deleted records below offset 3 while follower 1 stalled at 0: it restarts its log at 3', () => {
    const c = cluster(2, 2);
    c.pauseFetching(1);
    for (const v of ['a', 'b', 'c', 'd', 'e']) c.produce(t0p0, rec(v), { acks: 1 });
    c.advanceTime(45_000); // follower 1 leaves the ISR; HW = 5
    c.partition(t0p0).replicaOf[0].log.maybeIncrementLogStartOffset(3); // DeleteRecords / retention
    c.resumeFetching(1);
    const events = c.fetch(t0p0, 1);
    expect(events.find((e) => e.type === 'truncate')).toMatchObject({
      broker: 1,
      fromOffset: 0,
      toOffset: 3,
      reason: 'offset-out-of-range',
    });
    expect(c.replicaRecords(t0p0, 1).map((r) => [r.offset, r.value])).toEqual([
      [3, 'd'],
      [4, 'e'],
    ]);
    expect(c.snapshot().partitions[0].replicaStates[1]).toMatchObject({ logStartOffset: 3, logEndOffset: 5 });
  });

  it("each replica's log carries the leader epoch of every record", () => {
    const c = cluster(3, 3);
    c.produce(t0p0, rec('a'), { acks: 'all' });
    c.fetchRound();
    c.brokerDown(0);
    c.produce(t0p0, rec('b'), { acks: 1 });
    c.fetchRound();
    expect(c.replicaRecords(t0p0, 2).map((r) => [r.value, r.leaderEpoch])).toEqual([
      ['a', 0],
      ['b', 1],
    ]);
  });
});

// ---- properties ------------------------------------------------------------------------------

type Op =
  | { op: 'produce'; acks: 0 | 1 | 'all' }
  | { op: 'fetchRound' }
  | { op: 'fetch'; broker: number }
  | { op: 'down'; broker: number }
  | { op: 'up'; broker: number }
  | { op: 'pause'; broker: number }
  | { op: 'resume'; broker: number }
  | { op: 'advance'; ms: number };

const broker = fc.integer({ min: 0, max: 2 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({ op: fc.constant('produce' as const), acks: fc.constantFrom(0 as const, 1 as const, 'all' as const) }),
  },
  { weight: 3, arbitrary: fc.constant({ op: 'fetchRound' as const }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('fetch' as const), broker }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('down' as const), broker }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('up' as const), broker }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('pause' as const), broker }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('resume' as const), broker }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 40_000 }) }) },
);

function apply(c: Cluster, o: Op, i: number): ClusterEvent[] {
  switch (o.op) {
    case 'produce':
      return c.produce(t0p0, rec(`v${i}`), { acks: o.acks }).events;
    case 'fetchRound':
      return c.fetchRound();
    case 'fetch':
      return c.fetch(t0p0, o.broker);
    case 'down':
      return c.brokerDown(o.broker);
    case 'up':
      return c.brokerUp(o.broker);
    case 'pause':
      return c.pauseFetching(o.broker);
    case 'resume':
      return c.resumeFetching(o.broker);
    case 'advance':
      return c.advanceTime(o.ms);
  }
}

describe('properties over random produce / fetch / crash / restart / pause / advance-time runs', () => {
  const setup = fc.record({ rf: fc.integer({ min: 1, max: 3 }), minIsr: fc.integer({ min: 1, max: 2 }) });

  it("HW ≤ LEO of every ISR member; a leader's HW never decreases within its epoch; acks=all writes survive clean elections", () => {
    fc.assert(
      fc.property(setup, fc.array(opArb, { maxLength: 60 }), ({ rf, minIsr }, ops) => {
        const c = cluster(3, rf, { minInsyncReplicas: Math.min(minIsr, rf) });
        const lastHw = new Map<string, number>();
        const pendingAll = new Map<number, string>(); // requestId → value of acks=all requests
        const acked: { value: string; offset: number }[] = [];
        ops.forEach((o, i) => {
          let events = apply(c, o, i);
          if (o.op === 'produce' && o.acks === 'all') {
            const req = events.find((e) => e.type === 'produce-request');
            if (req && req.type === 'produce-request') pendingAll.set(req.requestId, `v${i}`);
          }
          for (const e of events) {
            if (e.type !== 'produce-response' || !pendingAll.has(e.requestId)) continue;
            if (e.error === 'NONE') {
              const value = pendingAll.get(e.requestId)!;
              acked.push({ value, offset: e.baseOffset! });
              // at acknowledgement, at least min.insync.replicas replicas hold the record
              const holders = [0, 1, 2].filter(
                (b) => b < rf && c.replicaRecords(t0p0, b).some((r) => r.offset === e.baseOffset && r.value === value),
              );
              expect(holders.length).toBeGreaterThanOrEqual(Math.min(minIsr, rf));
            }
            pendingAll.delete(e.requestId);
          }
          const p = c.snapshot().partitions[0];
          expect(events.some((e) => e.type === 'leader-election' && e.unclean)).toBe(false);
          if (p.leader === null) return;
          for (const b of p.isr) {
            const leo = p.replicaStates.find((r) => r.broker === b)!.logEndOffset;
            expect(p.highWatermark).toBeLessThanOrEqual(leo);
          }
          const key = `${p.leader}@${p.leaderEpoch}`;
          expect(p.highWatermark).toBeGreaterThanOrEqual(lastHw.get(key) ?? 0);
          lastHw.set(key, p.highWatermark);
          const leaderLog = c.replicaRecords(t0p0, p.leader);
          for (const a of acked) expect(leaderLog.find((r) => r.offset === a.offset)?.value).toBe(a.value);
          events = [];
        });
        // bring everything back: every replica ends with every acknowledged acks=all write
        for (const b of [0, 1, 2]) {
          c.brokerUp(b);
          c.resumeFetching(b);
        }
        c.fetchRound();
        c.fetchRound();
        for (let b = 0; b < rf; b++) {
          const log = c.replicaRecords(t0p0, b);
          for (const a of acked) expect(log.find((r) => r.offset === a.offset)?.value).toBe(a.value);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('with unclean elections allowed: HW ≤ LEO of every ISR member and never decreasing within an epoch still hold', () => {
    fc.assert(
      fc.property(setup, fc.array(opArb, { maxLength: 60 }), ({ rf, minIsr }, ops) => {
        const c = cluster(3, rf, { minInsyncReplicas: Math.min(minIsr, rf), uncleanLeaderElectionEnable: true });
        const lastHw = new Map<string, number>();
        ops.forEach((o, i) => {
          apply(c, o, i);
          const p = c.snapshot().partitions[0];
          if (p.leader === null) return;
          for (const b of p.isr) {
            expect(p.highWatermark).toBeLessThanOrEqual(p.replicaStates.find((r) => r.broker === b)!.logEndOffset);
          }
          const key = `${p.leader}@${p.leaderEpoch}`;
          expect(p.highWatermark).toBeGreaterThanOrEqual(lastHw.get(key) ?? 0);
          lastHw.set(key, p.highWatermark);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('the same operations give a byte-identical trace', () => {
    fc.assert(
      fc.property(setup, fc.array(opArb, { maxLength: 40 }), ({ rf, minIsr }, ops) => {
        const trace = () => {
          const c = cluster(3, rf, { minInsyncReplicas: Math.min(minIsr, rf), uncleanLeaderElectionEnable: true });
          return JSON.stringify(ops.map((o, i) => [apply(c, o, i), c.snapshot()]));
        };
        expect(trace()).toBe(trace());
      }),
      { numRuns: 50 },
    );
  });
});
