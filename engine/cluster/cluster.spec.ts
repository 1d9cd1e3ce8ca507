import { describe, expect, it } from 'vitest';
import { assignReplicasToBrokers } from './replica-placement.ts';
import { Cluster } from './cluster.ts';
import { createPrng } from '../common/prng.ts';

const ids = (n: number) => Array.from({ length: n }, (_, i) => ({ id: i }));

describe('Cluster', () => {
  it('3 brokers, topic t0 with 3 partitions RF 2: placement from broker 0, preferred replica leads epoch 0', () => {
    const c = new Cluster({ brokers: [0, 1, 2] });
    const events = c.createTopic({ name: 't0', partitions: 3, replicationFactor: 2 });
    const expected = assignReplicasToBrokers(ids(3), 3, 2, { fixedStartIndex: 0 });
    expect(events).toEqual([{ type: 'topic-created', timeMs: 0, topic: 't0', assignment: expected }]);
    const snap = c.snapshot();
    expect(snap.partitions.map((p) => [p.leader, p.leaderEpoch, p.isr])).toEqual([0, 1, 2].map((p) => [expected[p][0], 0, expected[p]]));
  });

  it('an explicit replica assignment naming an unknown broker is rejected', () => {
    const c = new Cluster({ brokers: [0, 1] });
    expect(() => c.createTopic({ name: 't0', partitions: 1, replicaAssignment: { 0: [0, 7] } })).toThrow(/broker id/);
  });

  it('a seeded placement is the same on every run and differs by seed', () => {
    const place = (seed: number) => {
      const c = new Cluster({ brokers: [0, 1, 2, 3, 4], rng: createPrng(seed) });
      return c.createTopic({ name: 't0', partitions: 8, replicationFactor: 3 });
    };
    expect(JSON.stringify(place(7))).toBe(JSON.stringify(place(7)));
    const distinct = new Set([1, 2, 3, 4, 5, 6].map((s) => JSON.stringify(place(s))));
    expect(distinct.size).toBeGreaterThan(1);
  });

  it('addPartitions grows t0 from 2 to 4 partitions with the continued placement', () => {
    const c = new Cluster({ brokers: [0, 1, 2] });
    c.createTopic({ name: 't0', partitions: 2, replicationFactor: 2 });
    c.addPartitions('t0', 4);
    const expected = assignReplicasToBrokers(ids(3), 4, 2, { fixedStartIndex: 0 });
    expect(c.topicPartitions('t0').map((p) => p.replicas)).toEqual([0, 1, 2, 3].map((p) => expected[p]));
    expect(() => c.addPartitions('t0', 4)).toThrow(/more than 4/);
  });

  it('snapshot is plain JSON: LEO, HW, ISR and leader per partition survive a JSON round trip', () => {
    const c = new Cluster({ brokers: [0, 1, 2] });
    c.createTopic({ name: 't0', partitions: 1, replicationFactor: 3 });
    c.produce({ topic: 't0', partition: 0 }, [{ key: 'k', value: 'v', timestamp: 0 }], { acks: 1 });
    const snap = c.snapshot();
    expect(JSON.parse(JSON.stringify(snap))).toEqual(snap);
    expect(snap.partitions[0]).toMatchObject({ leader: 0, isr: [0, 1, 2], logEndOffset: 1, highWatermark: 0 });
  });

  it('advanceTime rejects a negative duration', () => {
    const c = new Cluster({ brokers: [0] });
    expect(() => c.advanceTime(-1)).toThrow(/non-negative/);
  });

  it('replicaFetchIntervalMs 100: followers fetch while time advances and the HW follows', () => {
    const c = new Cluster({ brokers: [0, 1, 2], replicaFetchIntervalMs: 100 });
    c.createTopic({ name: 't0', partitions: 1, replicationFactor: 3 });
    c.produce({ topic: 't0', partition: 0 }, [{ key: 'k', value: 'v', timestamp: 0 }], { acks: 'all' });
    const events = c.advanceTime(300);
    const fetchTimes = [...new Set(events.filter((e) => e.type === 'fetch').map((e) => e.timeMs))];
    expect(fetchTimes).toEqual([100, 200, 300]);
    expect(events.find((e) => e.type === 'produce-response')).toMatchObject({ error: 'NONE', timeMs: 200 });
  });
});
