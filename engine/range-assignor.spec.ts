import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Subscription } from './assignor.ts';
import { RangeAssignor } from './range-assignor.ts';
import { expectValid, groupArb, show } from './assignor.spec-helpers.ts';

interface Example {
  name: string;
  partitionsPerTopic: Record<string, number>;
  subscriptions: Record<string, Subscription>;
  expected: Record<string, string>;
}

// Ported as data from Kafka's RangeAssignorTest (same shapes, lesson notation).
const examples: Example[] = [
  { name: 'one consumer, no topic', partitionsPerTopic: {}, subscriptions: { C0: { topics: [] } }, expected: { C0: '' } },
  { name: 'one consumer, nonexistent topic', partitionsPerTopic: {}, subscriptions: { C0: { topics: ['t0'] } }, expected: { C0: '' } },
  { name: 'one consumer, one topic, three partitions', partitionsPerTopic: { t0: 3 }, subscriptions: { C0: { topics: ['t0'] } }, expected: { C0: 't0p0 t0p1 t0p2' } },
  {
    name: 'one consumer, assigns only partitions of subscribed topics',
    partitionsPerTopic: { t0: 3, other: 3 },
    subscriptions: { C0: { topics: ['t0'] } },
    expected: { C0: 't0p0 t0p1 t0p2' },
  },
  {
    name: 'one consumer, two topics with one and two partitions',
    partitionsPerTopic: { t1: 1, t2: 2 },
    subscriptions: { C0: { topics: ['t1', 't2'] } },
    expected: { C0: 't1p0 t2p0 t2p1' },
  },
  {
    name: 'two consumers, one topic, one partition',
    partitionsPerTopic: { t0: 1 },
    subscriptions: { C0: { topics: ['t0'] }, C1: { topics: ['t0'] } },
    expected: { C0: 't0p0', C1: '' },
  },
  {
    name: 'two consumers, one topic, two partitions',
    partitionsPerTopic: { t0: 2 },
    subscriptions: { C0: { topics: ['t0'] }, C1: { topics: ['t0'] } },
    expected: { C0: 't0p0', C1: 't0p1' },
  },
  {
    name: 'three consumers with mixed topics: t1 (3) for all, t2 (2) for C1 only',
    partitionsPerTopic: { t1: 3, t2: 2 },
    subscriptions: { C0: { topics: ['t1'] }, C1: { topics: ['t1', 't2'] }, C2: { topics: ['t1'] } },
    expected: { C0: 't1p0', C1: 't1p1 t2p0 t2p1', C2: 't1p2' },
  },
  {
    name: 'two consumers, two topics, six partitions',
    partitionsPerTopic: { t0: 3, t1: 3 },
    subscriptions: { C0: { topics: ['t0', 't1'] }, C1: { topics: ['t0', 't1'] } },
    expected: { C0: 't0p0 t0p1 t1p0 t1p1', C1: 't0p2 t1p2' },
  },
  {
    name: 'two static consumers, two topics, six partitions: ordered by groupInstanceId, not memberId',
    partitionsPerTopic: { t0: 3, t1: 3 },
    subscriptions: { C0: { topics: ['t0', 't1'], groupInstanceId: 'i1' }, C1: { topics: ['t0', 't1'], groupInstanceId: 'i0' } },
    expected: { C0: 't0p2 t1p2', C1: 't0p0 t0p1 t1p0 t1p1' },
  },
  {
    name: 'one static and one dynamic consumer, two topics, six partitions: the static one comes first',
    partitionsPerTopic: { t0: 3, t1: 3 },
    subscriptions: { C0: { topics: ['t0', 't1'] }, C1: { topics: ['t0', 't1'], groupInstanceId: 'i1' } },
    expected: { C0: 't0p2 t1p2', C1: 't0p0 t0p1 t1p0 t1p1' },
  },
  {
    name: 'eleven consumers: memberIds sort by UTF-16 code unit (C10 before C2)',
    partitionsPerTopic: { t0: 2 },
    subscriptions: Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`C${i}`, { topics: ['t0'] }])),
    expected: { ...Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`C${i}`, ''])), C0: 't0p0', C1: 't0p1' },
  },
  {
    name: 'three consumers, one topic, seven partitions',
    partitionsPerTopic: { t0: 7 },
    subscriptions: { C0: { topics: ['t0'] }, C1: { topics: ['t0'] }, C2: { topics: ['t0'] } },
    expected: { C0: 't0p0 t0p1 t0p2', C1: 't0p3 t0p4', C2: 't0p5 t0p6' },
  },
];

describe('RangeAssignor', () => {
  it('is named range', () => {
    expect(RangeAssignor.name).toBe('range');
  });

  for (const ex of examples) {
    it(ex.name, () => {
      const assignment = RangeAssignor.assign(ex.partitionsPerTopic, ex.subscriptions);
      expect(show(assignment)).toEqual(ex.expected);
      expectValid(ex.partitionsPerTopic, ex.subscriptions, assignment, 'per-topic');
    });
  }

  it('a static member keeps its range when its memberId changes after a restart (persistent across generations)', () => {
    const ppt = { t0: 3, t1: 3 };
    const before = RangeAssignor.assign(ppt, {
      'consumer-b': { topics: ['t0', 't1'], groupInstanceId: 'instance-1' },
      'consumer-a': { topics: ['t0', 't1'], groupInstanceId: 'instance-2' },
    });
    const after = RangeAssignor.assign(ppt, {
      'consumer-z': { topics: ['t0', 't1'], groupInstanceId: 'instance-1' },
      'consumer-a': { topics: ['t0', 't1'], groupInstanceId: 'instance-2' },
    });
    expect(show(after)['consumer-z']).toBe(show(before)['consumer-b']);
    expect(show(after)['consumer-a']).toBe(show(before)['consumer-a']);
    expectValid(ppt, { 'consumer-z': { topics: ['t0', 't1'] }, 'consumer-a': { topics: ['t0', 't1'] } }, after, 'per-topic');
  });

  describe('rack-aware (KIP-881)', () => {
    it('two consumers on racks a and b, one topic whose partitions live on one rack each: each consumer reads locally', () => {
      const ppt = { t0: 2 };
      const subs = { C0: { topics: ['t0'], rackId: 'a' }, C1: { topics: ['t0'], rackId: 'b' } };
      const partitionRacks = { t0: [['b'], ['a']] };
      expect(show(RangeAssignor.assign(ppt, subs))).toEqual({ C0: 't0p0', C1: 't0p1' });
      const assignment = RangeAssignor.assign(ppt, subs, { partitionRacks });
      expect(show(assignment)).toEqual({ C0: 't0p1', C1: 't0p0' });
      expectValid(ppt, subs, assignment, 'per-topic');
    });

    it('two co-partitioned topics keep partition i of both on one consumer while aligning racks', () => {
      const ppt = { t0: 2, t1: 2 };
      const subs = { C0: { topics: ['t0', 't1'], rackId: 'a' }, C1: { topics: ['t0', 't1'], rackId: 'b' } };
      const assignment = RangeAssignor.assign(ppt, subs, { partitionRacks: { t0: [['b'], ['a']], t1: [['b'], ['a']] } });
      expect(show(assignment)).toEqual({ C0: 't0p1 t1p1', C1: 't0p0 t1p0' });
      expectValid(ppt, subs, assignment, 'per-topic');
    });

    it('stays plain range when every partition has a replica on every rack', () => {
      const ppt = { t0: 2 };
      const subs = { C0: { topics: ['t0'], rackId: 'a' }, C1: { topics: ['t0'], rackId: 'b' } };
      const assignment = RangeAssignor.assign(ppt, subs, { partitionRacks: { t0: [['a', 'b'], ['b', 'a']] } });
      expect(show(assignment)).toEqual({ C0: 't0p0', C1: 't0p1' });
    });

    it('keeps balance before rack alignment: three consumers on rack a, partitions only on rack b', () => {
      const ppt = { t0: 3 };
      const subs = { C0: { topics: ['t0'], rackId: 'a' }, C1: { topics: ['t0'], rackId: 'a' }, C2: { topics: ['t0'], rackId: 'c' } };
      const assignment = RangeAssignor.assign(ppt, subs, { partitionRacks: { t0: [['b'], ['c'], ['b']] } });
      expect(show(assignment)).toEqual({ C0: 't0p0', C1: 't0p2', C2: 't0p1' });
      expectValid(ppt, subs, assignment, 'per-topic');
    });
  });

  it('property: valid, every partition owned once, each topic split within one', () => {
    fc.assert(
      fc.property(groupArb(), ({ partitionsPerTopic, subscriptions }) => {
        expectValid(partitionsPerTopic, subscriptions, RangeAssignor.assign(partitionsPerTopic, subscriptions), 'per-topic');
      }),
      { numRuns: 300 },
    );
  });

  it('property: with random racks, still valid and split within one per topic', () => {
    const racks = ['a', 'b', 'c'];
    fc.assert(
      fc.property(groupArb(), fc.array(fc.integer({ min: 0, max: 7 }), { minLength: 40, maxLength: 40 }), ({ partitionsPerTopic, subscriptions }, bits) => {
        let k = 0;
        const withRacks = Object.fromEntries(
          Object.entries(subscriptions).map(([m, s]) => [m, { ...s, rackId: racks[bits[k++ % 40] % 3] }]),
        );
        const partitionRacks = Object.fromEntries(
          Object.entries(partitionsPerTopic).map(([t, n]) => [t, Array.from({ length: n }, () => racks.filter((_, i) => (bits[k++ % 40] >> i) & 1))]),
        );
        expectValid(partitionsPerTopic, withRacks, RangeAssignor.assign(partitionsPerTopic, withRacks, { partitionRacks }), 'per-topic');
      }),
      { numRuns: 300 },
    );
  });

  it('property: the order of the subscriptions object does not change the result', () => {
    fc.assert(
      fc.property(groupArb(), ({ partitionsPerTopic, subscriptions }) => {
        const reversed = Object.fromEntries(Object.entries(subscriptions).reverse());
        expect(RangeAssignor.assign(partitionsPerTopic, reversed)).toEqual(RangeAssignor.assign(partitionsPerTopic, subscriptions));
      }),
      { numRuns: 100 },
    );
  });
});
