import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RangeAssignor } from './range.ts';
import {
  expectValid,
  groupArb,
  itAssignsExamples,
  kafkaPartitionRacks,
  kafkaSorted,
  nullRacks,
  racks,
  show,
} from './assignor.spec-helpers.ts';
import type { AssignorExample } from './assignor.spec-helpers.ts';

// Ported as data from Kafka's RangeAssignorTest (same shapes, lesson notation).
const examples: AssignorExample[] = [
  { name: 'one consumer, no topic', partitionsPerTopic: {}, subscriptions: { C0: { topics: [] } }, expected: { C0: '' } },
  { name: 'one consumer, nonexistent topic', partitionsPerTopic: {}, subscriptions: { C0: { topics: ['t0'] } }, expected: { C0: '' } },
  {
    name: 'one consumer, one topic, three partitions',
    partitionsPerTopic: { t0: 3 },
    subscriptions: { C0: { topics: ['t0'] } },
    expected: { C0: 't0p0 t0p1 t0p2' },
  },
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

  itAssignsExamples(RangeAssignor, examples, 'per-topic');

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
      const assignment = RangeAssignor.assign(ppt, subs, {
        partitionRacks: {
          t0: [
            ['a', 'b'],
            ['b', 'a'],
          ],
        },
      });
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
      fc.property(
        groupArb(),
        fc.array(fc.integer({ min: 0, max: 7 }), { minLength: 40, maxLength: 40 }),
        ({ partitionsPerTopic, subscriptions }, bits) => {
          let k = 0;
          const withRacks = Object.fromEntries(
            Object.entries(subscriptions).map(([m, s]) => [m, { ...s, rackId: racks[bits[k++ % 40] % 3] }]),
          );
          const partitionRacks = Object.fromEntries(
            Object.entries(partitionsPerTopic).map(([t, n]) => [
              t,
              Array.from({ length: n }, () => racks.filter((_, i) => (bits[k++ % 40] >> i) & 1)),
            ]),
          );
          expectValid(partitionsPerTopic, withRacks, RangeAssignor.assign(partitionsPerTopic, withRacks, { partitionRacks }), 'per-topic');
        },
      ),
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

/**
 * Rack-aware range, ported as data from Kafka's RangeAssignorTest (testRackAwareAssignment*,
 * testCoPartitionedAssignmentWithSameSubscription) with its cluster layout
 * (AbstractPartitionAssignorTest#partitionsPerTopic): broker i sits on brokerRacks[i]; topics are laid
 * out in order, and partition p of a topic whose first partition has global index n has replicas on
 * brokers (p + j + n) % brokers for j < replicationFactor.
 */
describe('RangeAssignor: rack-aware examples from RangeAssignorTest', () => {
  function verifyRackAssignment(
    topics: [string, number][],
    replicationFactor: number,
    brokerRacks: (string | null)[],
    consumerRacks: (string | null)[],
    consumerTopics: string[][],
    expected: string[],
    numPartitionsWithRackMismatch: number,
  ) {
    const partitionRacks = kafkaPartitionRacks(topics, replicationFactor, brokerRacks);
    const ppt = Object.fromEntries(topics);
    const subs = Object.fromEntries(consumerTopics.map((ts, i) => [`consumer${i}`, { topics: ts, rackId: consumerRacks[i] }]));
    const assignment = RangeAssignor.assign(ppt, subs, { partitionRacks });
    const actual = consumerTopics.map((_, i) => kafkaSorted(assignment[`consumer${i}`]));
    expect(actual).toEqual(expected);
    expectValid(ppt, subs, assignment, 'per-topic');
    if (numPartitionsWithRackMismatch >= 0) {
      let mismatched = 0;
      consumerTopics.forEach((_, i) => {
        const rack = consumerRacks[i];
        if (rack === null) return;
        for (const tp of assignment[`consumer${i}`]) if (!partitionRacks[tp.topic][tp.partition].includes(rack)) mismatched++;
      });
      expect(mismatched).toBe(numPartitionsWithRackMismatch);
    }
  }

  function verifyNonRackAware(topics: [string, number][], consumerTopics: string[][], expected: string[]) {
    verifyRackAssignment(topics, 3, nullRacks(3), racks(3), consumerTopics, expected, -1);
    verifyRackAssignment(topics, 3, racks(3), nullRacks(3), consumerTopics, expected, -1);
    verifyRackAssignment(topics, 3, racks(3), racks(3), consumerTopics, expected, 0);
    verifyRackAssignment(topics, 4, racks(4), racks(3), consumerTopics, expected, 0);
    verifyRackAssignment(topics, 3, racks(3), ['d', 'e', 'f'], consumerTopics, expected, -1);
    verifyRackAssignment(topics, 3, racks(3), [null, 'e', 'f'], consumerTopics, expected, -1);
  }

  const t123: [string, number][] = [
    ['t1', 6],
    ['t2', 7],
    ['t3', 2],
  ];
  const all3 = ['t1', 't2', 't3'];

  it('three consumers, topics of 6, 7, 2 partitions, same subscription', () => {
    const consumerTopics = [all3, all3, all3];
    verifyNonRackAware(t123, consumerTopics, [
      't1-0, t1-1, t2-0, t2-1, t2-2, t3-0',
      't1-2, t1-3, t2-3, t2-4, t3-1',
      't1-4, t1-5, t2-5, t2-6',
    ]);
    verifyRackAssignment(
      t123,
      1,
      racks(3),
      racks(3),
      consumerTopics,
      ['t1-0, t1-3, t2-0, t2-3, t2-6', 't1-1, t1-4, t2-1, t2-4, t3-0', 't1-2, t1-5, t2-2, t2-5, t3-1'],
      0,
    );
    verifyRackAssignment(
      t123,
      2,
      racks(3),
      racks(3),
      consumerTopics,
      ['t1-0, t1-2, t2-0, t2-2, t2-3, t3-1', 't1-1, t1-3, t2-1, t2-4, t3-0', 't1-4, t1-5, t2-5, t2-6'],
      1,
    );
    verifyRackAssignment(
      t123,
      3,
      racks(2),
      racks(3),
      consumerTopics,
      ['t1-0, t1-1, t2-0, t2-1, t2-2, t3-0', 't1-2, t1-3, t2-3, t2-4, t3-1', 't1-4, t1-5, t2-5, t2-6'],
      4,
    );
  });

  it('three consumers, topics of 6, 7, 2 partitions, the third not subscribed to t2', () => {
    const consumerTopics = [all3, all3, ['t1', 't3']];
    verifyNonRackAware(t123, consumerTopics, [
      't1-0, t1-1, t2-0, t2-1, t2-2, t2-3, t3-0',
      't1-2, t1-3, t2-4, t2-5, t2-6, t3-1',
      't1-4, t1-5',
    ]);
    verifyRackAssignment(
      t123,
      1,
      racks(3),
      racks(3),
      consumerTopics,
      ['t1-0, t1-3, t2-0, t2-2, t2-3, t2-6', 't1-1, t1-4, t2-1, t2-4, t2-5, t3-0', 't1-2, t1-5, t3-1'],
      2,
    );
    verifyRackAssignment(
      t123,
      2,
      racks(3),
      racks(3),
      consumerTopics,
      ['t1-0, t1-2, t2-0, t2-2, t2-3, t2-5, t3-1', 't1-1, t1-3, t2-1, t2-4, t2-6, t3-0', 't1-4, t1-5'],
      0,
    );
    verifyRackAssignment(
      t123,
      3,
      racks(2),
      racks(3),
      consumerTopics,
      ['t1-0, t1-1, t2-0, t2-1, t2-2, t2-3, t3-0', 't1-2, t1-3, t2-4, t2-5, t2-6, t3-1', 't1-4, t1-5'],
      2,
    );
  });

  it('three consumers, three topics of 5 partitions: co-partitioning wins over rack alignment', () => {
    const t5: [string, number][] = [
      ['t1', 5],
      ['t2', 5],
      ['t3', 5],
    ];
    const consumerTopics = [all3, all3, all3];
    const nonRackAware = ['t1-0, t1-1, t2-0, t2-1, t3-0, t3-1', 't1-2, t1-3, t2-2, t2-3, t3-2, t3-3', 't1-4, t2-4, t3-4'];
    verifyNonRackAware(t5, consumerTopics, nonRackAware);
    verifyRackAssignment(t5, 1, racks(3), racks(3), consumerTopics, nonRackAware, 10);
    verifyRackAssignment(t5, 2, racks(3), racks(3), consumerTopics, nonRackAware, 5);
    verifyRackAssignment(t5, 3, racks(2), racks(3), consumerTopics, nonRackAware, 3);
  });

  it('three consumers, three topics of 5 partitions, the third not subscribed to t2', () => {
    const t5: [string, number][] = [
      ['t1', 5],
      ['t2', 5],
      ['t3', 5],
    ];
    const consumerTopics = [all3, all3, ['t1', 't3']];
    verifyNonRackAware(t5, consumerTopics, [
      't1-0, t1-1, t2-0, t2-1, t2-2, t3-0, t3-1',
      't1-2, t1-3, t2-3, t2-4, t3-2, t3-3',
      't1-4, t3-4',
    ]);
    verifyRackAssignment(
      t5,
      1,
      racks(3),
      racks(3),
      consumerTopics,
      ['t1-0, t1-1, t2-0, t2-1, t2-4, t3-0, t3-1', 't1-2, t1-3, t2-2, t2-3, t3-2, t3-3', 't1-4, t3-4'],
      9,
    );
    verifyRackAssignment(
      t5,
      2,
      racks(3),
      racks(3),
      consumerTopics,
      ['t1-2, t2-0, t2-1, t2-3, t3-2', 't1-0, t1-3, t2-2, t2-4, t3-0, t3-3', 't1-1, t1-4, t3-1, t3-4'],
      0,
    );
    verifyRackAssignment(
      t5,
      3,
      racks(2),
      racks(3),
      consumerTopics,
      ['t1-0, t1-1, t2-0, t2-1, t2-2, t3-0, t3-1', 't1-2, t1-3, t2-3, t2-4, t3-2, t3-3', 't1-4, t3-4'],
      2,
    );
  });

  it('four consumers on racks a, b, b, a, two pairs of co-partitioned topics', () => {
    const t1234: [string, number][] = [
      ['t1', 6],
      ['t2', 6],
      ['t3', 2],
      ['t4', 2],
    ];
    const consumerRacks = ['a', 'b', 'b', 'a'];
    let consumerTopics = [
      ['t1', 't2'],
      ['t1', 't2'],
      ['t3', 't4'],
      ['t3', 't4'],
    ];
    let nonRackAware = ['t1-0, t1-1, t1-2, t2-0, t2-1, t2-2', 't1-3, t1-4, t1-5, t2-3, t2-4, t2-5', 't3-0, t4-0', 't3-1, t4-1'];
    verifyRackAssignment(t1234, 3, racks(2), consumerRacks, consumerTopics, nonRackAware, -1);
    verifyRackAssignment(t1234, 2, racks(2), consumerRacks, consumerTopics, nonRackAware, 0);
    verifyRackAssignment(
      t1234,
      1,
      racks(2),
      consumerRacks,
      consumerTopics,
      ['t1-0, t1-2, t1-4, t2-0, t2-2, t2-4', 't1-1, t1-3, t1-5, t2-1, t2-3, t2-5', 't3-1, t4-1', 't3-0, t4-0'],
      0,
    );

    const all4 = ['t1', 't2', 't3', 't4'];
    consumerTopics = [all4, all4, all4, all4];
    nonRackAware = ['t1-0, t1-1, t2-0, t2-1, t3-0, t4-0', 't1-2, t1-3, t2-2, t2-3, t3-1, t4-1', 't1-4, t2-4', 't1-5, t2-5'];
    verifyRackAssignment(t1234, 3, racks(2), consumerRacks, consumerTopics, nonRackAware, -1);
    verifyRackAssignment(t1234, 2, racks(2), consumerRacks, consumerTopics, nonRackAware, 0);
    verifyRackAssignment(
      t1234,
      1,
      racks(2),
      consumerRacks,
      consumerTopics,
      ['t1-0, t1-2, t2-0, t2-2, t3-0, t4-0', 't1-1, t1-3, t2-1, t2-3, t3-1, t4-1', 't1-5, t2-5', 't1-4, t2-4'],
      0,
    );
    verifyRackAssignment(
      t1234,
      1,
      racks(3),
      consumerRacks,
      consumerTopics,
      ['t1-0, t1-3, t2-0, t2-3, t3-0, t4-0', 't1-1, t1-4, t2-1, t2-4, t3-1, t4-1', 't1-2, t2-2', 't1-5, t2-5'],
      6,
    );
  });

  it('three consumers on racks a, b, c subscribed to t1..t9 (t7..t9 do not exist), three pairs of co-partitioned topics', () => {
    const topics: [string, number][] = [
      ['t1', 6],
      ['t2', 6],
      ['t3', 2],
      ['t4', 2],
      ['t5', 4],
      ['t6', 4],
    ];
    const list = ['t1', 't2', 't3', 't4', 't5', 't6', 't7', 't8', 't9'];
    const consumerTopics = [list, list, list];
    verifyRackAssignment(
      topics,
      3,
      nullRacks(3),
      ['a', 'b', 'c'],
      consumerTopics,
      [
        't1-0, t1-1, t2-0, t2-1, t3-0, t4-0, t5-0, t5-1, t6-0, t6-1',
        't1-2, t1-3, t2-2, t2-3, t3-1, t4-1, t5-2, t6-2',
        't1-4, t1-5, t2-4, t2-5, t5-3, t6-3',
      ],
      -1,
    );
    verifyRackAssignment(
      topics,
      2,
      racks(3),
      ['a', 'b', 'c'],
      consumerTopics,
      [
        't1-0, t1-2, t2-0, t2-2, t3-0, t4-0, t5-1, t6-1',
        't1-1, t1-3, t2-1, t2-3, t3-1, t4-1, t5-2, t6-2',
        't1-4, t1-5, t2-4, t2-5, t5-0, t5-3, t6-0, t6-3',
      ],
      0,
    );
  });

  it('three static consumers on racks a, b, c, two topics of 5 partitions (RF 2 over 3 racks): the same ranges after their memberIds change', () => {
    const ppt = { topic1: 5, topic2: 5 };
    const brokerRacks = ['a', 'b', 'c', 'a', 'b', 'c'];
    const layout = (n: number) => Array.from({ length: n }, (_, p) => [brokerRacks[p % 6], brokerRacks[(p + 1) % 6]]);
    const partitionRacks = { topic1: layout(5), topic2: layout(5) };
    const sub = (instance: string, rack: string) => ({ topics: ['topic1', 'topic2'], groupInstanceId: instance, rackId: rack });
    const byInstance = (subs: Record<string, ReturnType<typeof sub>>) => {
      const a = RangeAssignor.assign(ppt, subs, { partitionRacks });
      return Object.fromEntries(Object.entries(subs).map(([m, s]) => [s.groupInstanceId, show({ [m]: a[m] })[m]]));
    };
    const before = byInstance({ consumer1: sub('instance1', 'a'), consumer2: sub('instance2', 'b'), consumer3: sub('instance3', 'c') });
    expect(before).toEqual({
      instance1: 'topic1p0 topic1p2 topic2p0 topic2p2',
      instance2: 'topic1p1 topic1p3 topic2p1 topic2p3',
      instance3: 'topic1p4 topic2p4',
    });
    const after = byInstance({ consumer1: sub('instance1', 'a'), consumer5: sub('instance2', 'b'), consumer4: sub('instance3', 'c') });
    expect(after).toEqual(before);
  });
});
