import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { assignReplicasToBrokers, rackAlternatedBrokerList } from './replica-placement.ts';
import { createPrng } from '../common/prng.ts';

const ids = (n: number) => Array.from({ length: n }, (_, i) => ({ id: i }));

describe('assignReplicasToBrokers (AdminUtils, rack-unaware)', () => {
  it('5 brokers, 10 partitions, RF 3, fixed start 0: Kafka AdminUtilsTest.testReplicaAssignment', () => {
    // expected values from Kafka's AdminUtilsTest / AdminRackAwareTest#testReplicaAssignment
    expect(assignReplicasToBrokers(ids(5), 10, 3, { fixedStartIndex: 0 })).toEqual({
      0: [0, 1, 2],
      1: [1, 2, 3],
      2: [2, 3, 4],
      3: [3, 4, 0],
      4: [4, 0, 1],
      5: [0, 2, 3],
      6: [1, 3, 4],
      7: [2, 4, 0],
      8: [3, 0, 1],
      9: [4, 1, 2],
    });
  });

  it('RF 0 and RF larger than the broker count are rejected, as Kafka throws InvalidReplicationFactorException', () => {
    expect(() => assignReplicasToBrokers(ids(5), 10, 0)).toThrow(/replicationFactor/);
    expect(() => assignReplicasToBrokers(ids(5), 10, 6)).toThrow(/available brokers \(5\)/);
    expect(() => assignReplicasToBrokers(ids(5), 0, 1)).toThrow(/numPartitions/);
  });

  it('adding partitions from startPartitionId 6: leaders continue the round robin, the shift restarts', () => {
    const all = assignReplicasToBrokers(ids(5), 10, 3, { fixedStartIndex: 0 });
    const tail = assignReplicasToBrokers(ids(5), 4, 3, { fixedStartIndex: 0, startPartitionId: 6 });
    expect(Object.keys(tail)).toEqual(['6', '7', '8', '9']);
    expect([6, 7, 8, 9].map((p) => tail[p][0])).toEqual([6, 7, 8, 9].map((p) => all[p][0]));
    // Kafka's nextReplicaShift counts wraps only inside one call: p6..p9 use shift 0 like p1..p4
    expect([6, 7, 8, 9].map((p) => tail[p])).toEqual([1, 2, 3, 4].map((p) => all[p]));
  });

  it('property: every partition gets RF distinct brokers and leaders are spread within one of even', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 1000 }), (n, parts, seed) => {
        const rf = 1 + (seed % n);
        const a = assignReplicasToBrokers(ids(n), parts, rf, { rng: createPrng(seed) });
        const leaders = new Map<number, number>();
        for (let p = 0; p < parts; p++) {
          expect(new Set(a[p]).size).toBe(rf);
          leaders.set(a[p][0], (leaders.get(a[p][0]) ?? 0) + 1);
        }
        const counts = [...Array(n).keys()].map((b) => leaders.get(b) ?? 0);
        expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
      }),
    );
  });
});

describe('assignReplicasToBrokers (rack-aware)', () => {
  const rackMap: Record<number, string> = { 0: 'rack1', 1: 'rack3', 2: 'rack3', 3: 'rack2', 4: 'rack2', 5: 'rack1' };
  const brokers = Object.entries(rackMap).map(([id, rack]) => ({ id: Number(id), rack }));

  it('6 brokers on 3 racks: rack-alternated list 0, 3, 1, 5, 4, 2 (AdminRackAwareTest)', () => {
    expect(rackAlternatedBrokerList(brokers)).toEqual([0, 3, 1, 5, 4, 2]);
    expect(rackAlternatedBrokerList(brokers.filter((b) => b.id !== 5))).toEqual([0, 3, 1, 4, 2]);
  });

  it('6 brokers on 3 racks, 7 partitions, RF 3, fixed start 0 (AdminRackAwareTest)', () => {
    expect(assignReplicasToBrokers(brokers, 7, 3, { fixedStartIndex: 0, startPartitionId: 0 })).toEqual({
      0: [0, 3, 1],
      1: [3, 1, 5],
      2: [1, 5, 4],
      3: [5, 4, 2],
      4: [4, 2, 0],
      5: [2, 0, 3],
      6: [0, 4, 2],
    });
  });

  it('racks on some brokers but not all are rejected', () => {
    expect(() => assignReplicasToBrokers([{ id: 0, rack: 'r1' }, { id: 1 }], 1, 1)).toThrow(/rack/);
  });
});
