import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RoundRobinAssignor } from './round-robin.ts';
import { expectValid, groupArb, itAssignsExamples, show } from './assignor.spec-helpers.ts';
import type { AssignorExample } from './assignor.spec-helpers.ts';

// Ported as data from Kafka's RoundRobinAssignorTest (same shapes, lesson notation).
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
    expected: { C0: 't0p0 t0p2 t1p1', C1: 't0p1 t1p0 t1p2' },
  },
  {
    name: 'one static and one dynamic consumer, two topics, six partitions: the static one comes first',
    partitionsPerTopic: { t0: 3, t1: 3 },
    subscriptions: { C0: { topics: ['t0', 't1'] }, C1: { topics: ['t0', 't1'], groupInstanceId: 'i1' } },
    expected: { C0: 't0p1 t1p0 t1p2', C1: 't0p0 t0p2 t1p1' },
  },
  {
    name: 'three consumers, three topics with 1, 2, 3 partitions and growing subscriptions (the Javadoc example)',
    partitionsPerTopic: { t0: 1, t1: 2, t2: 3 },
    subscriptions: { C0: { topics: ['t0'] }, C1: { topics: ['t0', 't1'] }, C2: { topics: ['t0', 't1', 't2'] } },
    expected: { C0: 't0p0', C1: 't1p0', C2: 't1p1 t2p0 t2p1 t2p2' },
  },
];

describe('RoundRobinAssignor', () => {
  it('is named roundrobin', () => {
    expect(RoundRobinAssignor.name).toBe('roundrobin');
  });

  itAssignsExamples(RoundRobinAssignor, examples, 'equal-subscriptions');

  it('a static member keeps its partitions when its memberId changes after a restart', () => {
    const ppt = { t0: 3, t1: 3 };
    const first = RoundRobinAssignor.assign(ppt, {
      'consumer-b': { topics: ['t0', 't1'], groupInstanceId: 'instance-1' },
      'consumer-a': { topics: ['t0', 't1'], groupInstanceId: 'instance-2' },
    });
    const second = RoundRobinAssignor.assign(ppt, {
      'consumer-z': { topics: ['t0', 't1'], groupInstanceId: 'instance-1' },
      'consumer-a': { topics: ['t0', 't1'], groupInstanceId: 'instance-2' },
    });
    expect(show(second)['consumer-z']).toBe(show(first)['consumer-b']);
    expect(show(second)['consumer-a']).toBe(show(first)['consumer-a']);
  });

  it('property: valid, every partition owned once, counts within one when subscriptions are equal', () => {
    fc.assert(
      fc.property(groupArb(), ({ partitionsPerTopic, subscriptions }) => {
        expectValid(partitionsPerTopic, subscriptions, RoundRobinAssignor.assign(partitionsPerTopic, subscriptions), 'equal-subscriptions');
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(groupArb({ equalSubscriptions: true }), ({ partitionsPerTopic, subscriptions }) => {
        expectValid(partitionsPerTopic, subscriptions, RoundRobinAssignor.assign(partitionsPerTopic, subscriptions), 'equal-subscriptions');
      }),
      { numRuns: 200 },
    );
  });

  it('property: the order of the subscriptions object does not change the result', () => {
    fc.assert(
      fc.property(groupArb(), ({ partitionsPerTopic, subscriptions }) => {
        const reversed = Object.fromEntries(Object.entries(subscriptions).reverse());
        expect(RoundRobinAssignor.assign(partitionsPerTopic, reversed)).toEqual(
          RoundRobinAssignor.assign(partitionsPerTopic, subscriptions),
        );
      }),
      { numRuns: 100 },
    );
  });
});
