import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_GENERATION, javaStringHash, verifyAssignment } from './assignor.ts';
import type { Assignment, Subscription } from './assignor.ts';
import { StickyAssignor, stickyAssign } from './sticky.ts';
import { cooperativeStickyAssign } from './cooperative-sticky.ts';
import { JavaHashSetOrder, javaTopicPartitionHash } from './sticky-common.ts';
import { MAX_BALANCING_PASSES } from './sticky-general.ts';
import {
  countMoves,
  expectValid,
  groupArb,
  kafkaPartitionRacks,
  kafkaSorted,
  minimumMoves,
  nullRacks,
  parseKafkaList,
  racks,
  show,
  showSets,
  tps,
} from './assignor.spec-helpers.ts';
import type { Group } from './assignor.spec-helpers.ts';

/** A member's subscription carrying what it owned in `generationId` (Kafka's buildSubscriptionV2Above). */
function owning(topics: string[], owned: string, generationId: number): Subscription {
  return { topics, ownedPartitions: tps(owned), generationId };
}

/** Run the sticky logic and the shared invariants; return the result. */
function run(partitionsPerTopic: Record<string, number>, subscriptions: Record<string, Subscription>) {
  const result = stickyAssign(partitionsPerTopic, subscriptions);
  expectValid(partitionsPerTopic, subscriptions, result.assignment, 'sticky');
  return result;
}

/** The next generation's subscriptions: each member reports what it got. */
function nextGeneration(
  subscriptions: Record<string, Subscription>,
  assignment: Assignment,
  generationId: number,
): Record<string, Subscription> {
  return Object.fromEntries(
    Object.entries(subscriptions).map(([m, s]) => [m, { ...s, ownedPartitions: assignment[m] ?? [], generationId }]),
  );
}

const transfers = (r: ReturnType<typeof stickyAssign>) => Object.fromEntries(r.partitionsTransferringOwnership ?? []);

// Ported from Kafka's AbstractStickyAssignorTest; names follow the input shape.
describe('StickyAssignor: named examples from AbstractStickyAssignorTest', () => {
  it('is named sticky', () => {
    expect(StickyAssignor.name).toBe('sticky');
  });

  it('the worked example: t0 with 3 partitions, C0 and C1, then C2 joins — one move', () => {
    const first = run({ t0: 3 }, { C0: { topics: ['t0'] }, C1: { topics: ['t0'] } }).assignment;
    expect(show(first)).toEqual({ C0: 't0p0 t0p2', C1: 't0p1' });
    const r = run(
      { t0: 3 },
      {
        C0: { topics: ['t0'], ownedPartitions: first.C0, generationId: 1 },
        C1: { topics: ['t0'], ownedPartitions: first.C1, generationId: 1 },
        C2: { topics: ['t0'] },
      },
    );
    expect(show(r.assignment)).toEqual({ C0: 't0p0', C1: 't0p1', C2: 't0p2' });
    expect(countMoves(first, r.assignment)).toBe(1);
  });

  it('one consumer, no topic', () => {
    const r = run({}, { consumer: { topics: [] } });
    expect(show(r.assignment)).toEqual({ consumer: '' });
    expect(transfers(r)).toEqual({});
  });

  it('one consumer, a topic with no partitions', () => {
    expect(show(run({ topic: 0 }, { consumer: { topics: ['topic'] } }).assignment)).toEqual({ consumer: '' });
  });

  it('one consumer, one topic, three partitions', () => {
    expect(show(run({ topic: 3 }, { consumer: { topics: ['topic'] } }).assignment)).toEqual({ consumer: 'topicp0 topicp1 topicp2' });
  });

  it('one consumer that owned partitions of a topic it no longer subscribes to: only subscribed topics are assigned', () => {
    const r = run({ topic: 2 }, { consumer: owning(['topic'], 'topic-0 topic-1 other-0 other-1', 1) });
    expect(show(r.assignment)).toEqual({ consumer: 'topicp0 topicp1' });
    expect(transfers(r)).toEqual({});
  });

  it('one consumer, two topics with one and two partitions', () => {
    expect(show(run({ topic1: 1, topic2: 2 }, { consumer: { topics: ['topic1', 'topic2'] } }).assignment)).toEqual({
      consumer: 'topic1p0 topic2p0 topic2p1',
    });
  });

  it('two consumers, one topic, one partition', () => {
    const r = run({ topic: 1 }, { consumer1: { topics: ['topic'] }, consumer2: { topics: ['topic'] } });
    expect(show(r.assignment)).toEqual({ consumer1: 'topicp0', consumer2: '' });
  });

  it('two consumers, one topic, two partitions', () => {
    const r = run({ topic: 2 }, { consumer1: { topics: ['topic'] }, consumer2: { topics: ['topic'] } });
    expect(show(r.assignment)).toEqual({ consumer1: 'topicp0', consumer2: 'topicp1' });
  });

  it('three consumers with mixed subscriptions: topic1 (3) for all, topic2 (2) for consumer2 only', () => {
    const r = run(
      { topic1: 3, topic2: 2 },
      { consumer1: { topics: ['topic1'] }, consumer2: { topics: ['topic1', 'topic2'] }, consumer3: { topics: ['topic1'] } },
    );
    expect(show(r.assignment)).toEqual({ consumer1: 'topic1p0 topic1p2', consumer2: 'topic2p0 topic2p1', consumer3: 'topic1p1' });
    expect(r.partitionsTransferringOwnership).toBeNull();
    expect(r.path).toBe('general');
  });

  it('two consumers, two topics, six partitions', () => {
    const all = ['topic1', 'topic2'];
    const r = run({ topic1: 3, topic2: 3 }, { consumer1: { topics: all }, consumer2: { topics: all } });
    expect(show(r.assignment)).toEqual({ consumer1: 'topic1p0 topic1p2 topic2p1', consumer2: 'topic1p1 topic2p0 topic2p2' });
  });

  it('two consumers owning the minQuota of five partitions: the one due maxQuota keeps its own and gets one more', () => {
    const all = ['topic1', 'topic2'];
    const r = run(
      { topic1: 2, topic2: 3 },
      { consumer1: owning(all, 'topic1-0 topic2-1', 1), consumer2: owning(all, 'topic1-1 topic2-2', 1) },
    );
    expect(show(r.assignment)).toEqual({ consumer1: 'topic1p0 topic2p1 topic2p0', consumer2: 'topic1p1 topic2p2' });
    expect(transfers(r)).toEqual({});
  });

  it('more members own maxQuota than may keep it: four partitions, two members own two each, a third joins', () => {
    const all = ['topic1', 'topic2'];
    const r = run(
      { topic1: 2, topic2: 2 },
      { consumer1: owning(all, 'topic1-0 topic2-0', 1), consumer2: owning(all, 'topic1-1 topic2-1', 1), consumer3: owning(all, '', 1) },
    );
    expect(show(r.assignment)).toEqual({ consumer1: 'topic1p0', consumer2: 'topic1p1 topic2p1', consumer3: 'topic2p0' });
    expect(transfers(r)).toEqual({ 'topic2-0': 'consumer3' });
  });

  it('all members under minQuota: five partitions, two members own one each, a third joins', () => {
    const all = ['topic1', 'topic2'];
    const r = run(
      { topic1: 2, topic2: 3 },
      { consumer1: owning(all, 'topic1-0', 1), consumer2: owning(all, 'topic1-1', 1), consumer3: owning(all, '', 1) },
    );
    expect(show(r.assignment)).toEqual({ consumer1: 'topic1p0 topic2p1', consumer2: 'topic1p1 topic2p2', consumer3: 'topic2p0' });
    expect(transfers(r)).toEqual({});
  });

  it('one topic, three partitions: a second consumer joins, then the first leaves', () => {
    const t = ['topic'];
    let r = run({ topic: 3 }, { consumer1: { topics: t } });
    expect(show(r.assignment)).toEqual({ consumer1: 'topicp0 topicp1 topicp2' });
    const subs2 = { consumer1: owning(t, 'topic-0 topic-1 topic-2', 1), consumer2: owning(t, '', 1) };
    r = run({ topic: 3 }, subs2);
    expect(show(r.assignment)).toEqual({ consumer1: 'topicp0 topicp1', consumer2: 'topicp2' });
    expect(transfers(r)).toEqual({ 'topic-2': 'consumer2' });
    r = run({ topic: 3 }, { consumer2: { topics: t, ownedPartitions: r.assignment.consumer2, generationId: 2 } });
    expect(showSets(r.assignment)).toEqual({ consumer2: 'topicp0 topicp1 topicp2' });
    expect(transfers(r)).toEqual({});
  });

  it('two topics with 3 and 4 partitions: two consumers join a pair, then the pair leaves', () => {
    const all = ['topic1', 'topic2'];
    const ppt = { topic1: 3, topic2: 4 };
    let r = run(ppt, { consumer1: { topics: all }, consumer2: { topics: all } });
    expect(show(r.assignment)).toEqual({ consumer1: 'topic1p0 topic1p2 topic2p1 topic2p3', consumer2: 'topic1p1 topic2p0 topic2p2' });
    r = run(ppt, {
      consumer1: { topics: all, ownedPartitions: r.assignment.consumer1, generationId: 1 },
      consumer2: { topics: all, ownedPartitions: r.assignment.consumer2, generationId: 1 },
      consumer3: owning(all, '', 1),
      consumer4: owning(all, '', 1),
    });
    expect(transfers(r)).toEqual({ 'topic1-2': 'consumer3', 'topic2-3': 'consumer3', 'topic2-2': 'consumer4' });
    expect(show(r.assignment)).toEqual({
      consumer1: 'topic1p0 topic2p1',
      consumer2: 'topic2p0 topic1p1',
      consumer3: 'topic1p2 topic2p3',
      consumer4: 'topic2p2',
    });
    r = run(ppt, {
      consumer3: { topics: all, ownedPartitions: r.assignment.consumer3, generationId: 2 },
      consumer4: { topics: all, ownedPartitions: r.assignment.consumer4, generationId: 2 },
    });
    expect(show(r.assignment)).toEqual({ consumer3: 'topic1p2 topic2p3 topic1p0 topic2p1', consumer4: 'topic2p2 topic1p1 topic2p0' });
    expect(transfers(r)).toEqual({});
  });

  it('two topics with 12 partitions each, 1 → 2 → 4 → 2 consumers: every topic stays split evenly', () => {
    const all = ['topic1', 'topic2'];
    const ppt = { topic1: 12, topic2: 12 };
    const perTopic = (a: Assignment, each: number) => {
      for (const list of Object.values(a)) {
        expect(list.filter((tp) => tp.topic === 'topic1')).toHaveLength(each);
        expect(list.filter((tp) => tp.topic === 'topic2')).toHaveLength(each);
      }
    };
    let subs: Record<string, Subscription> = { consumer1: { topics: all } };
    let r = run(ppt, subs);
    perTopic(r.assignment, 12);
    subs = { ...nextGeneration(subs, r.assignment, 1), consumer2: owning(all, '', 1) };
    r = run(ppt, subs);
    perTopic(r.assignment, 6);
    subs = { ...nextGeneration(subs, r.assignment, 2), consumer3: owning(all, '', 2), consumer4: owning(all, '', 2) };
    r = run(ppt, subs);
    perTopic(r.assignment, 3);
    const { consumer1: _a, consumer2: _b, ...rest } = nextGeneration(subs, r.assignment, 3);
    r = run(ppt, rest);
    perTopic(r.assignment, 6);
    expect(transfers(r)).toEqual({});
  });

  it('four consumers, one topic, three partitions: the leader leaves, the others keep their partition', () => {
    const t = ['topic1'];
    const subs = { consumer1: { topics: t }, consumer2: { topics: t }, consumer3: { topics: t }, consumer4: { topics: t } };
    const first = run({ topic1: 3 }, subs).assignment;
    const { consumer1: _gone, ...rest } = nextGeneration(subs, first, 1);
    const second = run({ topic1: 3 }, rest).assignment;
    for (const m of Object.keys(rest)) {
      expect(second[m]).toHaveLength(1);
      if (first[m].length === 1) expect(second[m]).toEqual(first[m]);
    }
  });

  it('one consumer subscribed to topic1 (1), a deleted topic2 and topic3 (100): gets all 101 existing partitions', () => {
    const r = run({ topic1: 1, topic3: 100 }, { consumer: { topics: ['topic1', 'topic2', 'topic3'] } });
    expect(r.assignment.consumer).toHaveLength(101);
  });

  it('one consumer whose only topic was deleted: no exception, an empty assignment', () => {
    const r1 = run({ topic: 3 }, { consumer: { topics: ['topic'] } });
    const r2 = run({}, { consumer: { topics: ['topic'], ownedPartitions: r1.assignment.consumer, generationId: 1 } });
    expect(show(r2.assignment)).toEqual({ consumer: '' });
    expect(transfers(r2)).toEqual({});
  });

  it('three members, one topic with four partitions, quotas already met: nothing moves', () => {
    const t = ['topic'];
    const r = run(
      { topic: 4 },
      { consumer1: owning(t, 'topic-0 topic-1', 1), consumer2: owning(t, 'topic-2', 1), consumer3: owning(t, '', 1) },
    );
    expect(show(r.assignment)).toEqual({ consumer1: 'topicp0 topicp1', consumer2: 'topicp2', consumer3: 'topicp3' });
    expect(transfers(r)).toEqual({});
  });

  it('two members claim the same partitions in generations 10 and 9: the newer claim wins', () => {
    const all = ['topic', 'topic2'];
    const r = run(
      { topic: 3, topic2: 3 },
      { consumer1: owning(all, 'topic-0 topic-2 topic2-1', 10), consumer2: owning(all, 'topic-0 topic-2 topic2-1', 9) },
    );
    expect(showSets(r.assignment)).toEqual({ consumer1: 'topic2p1 topicp0 topicp2', consumer2: 'topic2p0 topic2p2 topicp1' });
    expect(transfers(r)).toEqual({});
  });

  it('two members claim the same partitions, one with generation 10 and one with none: the known generation wins', () => {
    const all = ['topic', 'topic2'];
    const r = run(
      { topic: 3, topic2: 3 },
      { consumer1: owning(all, 'topic-0 topic-2 topic2-1', 10), consumer2: owning(all, 'topic-0 topic-2 topic2-1', DEFAULT_GENERATION) },
    );
    expect(showSets(r.assignment)).toEqual({ consumer1: 'topic2p1 topicp0 topicp2', consumer2: 'topic2p0 topic2p2 topicp1' });
  });

  it('two members claim topic-0 in the same generation: the claim is dropped and it moves to a third member', () => {
    const t = ['topic'];
    const r = run(
      { topic: 3 },
      { consumer1: owning(t, 'topic-0 topic-1', 1), consumer2: owning(t, 'topic-0 topic-2', 1), consumer3: owning(t, '', 1) },
    );
    expect(transfers(r)).toEqual({ 'topic-0': 'consumer3' });
    expect(show(r.assignment)).toEqual({ consumer1: 'topicp1', consumer2: 'topicp2', consumer3: 'topicp0' });
  });

  it('three members with generations 10, 9 and 8 claiming overlapping partitions: each partition goes to its newest claimer', () => {
    const all = ['topic', 'topic2', 'topic3'];
    const r = run(
      { topic: 3, topic2: 3, topic3: 3 },
      {
        consumer1: owning(all, 'topic-0 topic2-0 topic3-0', 10),
        consumer2: owning(all, 'topic-1 topic2-1 topic3-1', 9),
        consumer3: owning(all, 'topic2-1 topic3-0 topic3-2', 8),
      },
    );
    expect(showSets(r.assignment)).toEqual({
      consumer1: 'topic2p0 topic3p0 topicp0',
      consumer2: 'topic2p1 topic3p1 topicp1',
      consumer3: 'topic2p2 topic3p2 topicp2',
    });
    expect(transfers(r)).toEqual({});
  });

  it('four topics of three partitions, a new member and three with older generations: owned partitions stay put', () => {
    const all = ['topic', 'topic2', 'topic3', 'topic1'];
    const r = run(
      { topic: 3, topic1: 3, topic2: 3, topic3: 3 },
      {
        consumer1: owning(all, '', DEFAULT_GENERATION),
        consumer2: owning(all, 'topic-0 topic2-0 topic1-0', 9),
        consumer3: owning(all, 'topic3-2 topic2-2 topic1-1', 8),
        consumer4: owning(all, 'topic3-1 topic-1 topic-2', 7),
      },
    );
    expect(showSets(r.assignment).consumer1).toBe('topic1p2 topic2p1 topic3p0');
    expect(transfers(r)).toEqual({});
  });

  it('two members with generations 10 and 8 claiming two of the same partitions', () => {
    const all = ['topic', 'topic2'];
    const r = run(
      { topic: 3, topic2: 3 },
      { consumer1: owning(all, 'topic-0 topic2-1 topic-1', 10), consumer2: owning(all, 'topic-0 topic2-1 topic2-2', 8) },
    );
    expect(showSets(r.assignment)).toEqual({ consumer1: 'topic2p1 topicp0 topicp1', consumer2: 'topic2p0 topic2p2 topicp2' });
  });

  it('unequal subscriptions and one partition claimed in three generations, in every order: each partition owned once, 1–2 each', () => {
    for (const [g1, g2, g3] of [
      [1, 2, 3],
      [1, 3, 2],
      [2, 1, 3],
      [2, 3, 1],
      [3, 1, 2],
      [3, 2, 1],
    ]) {
      const subs = {
        consumer1: owning(['topic'], 'topic-0 topic-2', g1),
        consumer2: owning(['topic'], 'topic-1 topic-2 topic-3', g2),
        consumer3: owning(['topic'], 'topic-2 topic-4 topic-5', g3),
        consumer4: owning(['topic1'], 'topic1-0', 2),
      };
      const r = run({ topic: 6, topic1: 1 }, subs);
      for (const list of Object.values(r.assignment)) {
        expect(list.length).toBeGreaterThanOrEqual(1);
        expect(list.length).toBeLessThanOrEqual(2);
      }
    }
  });

  it('five topics of 2,1,2,1,2 partitions where round robin leaves a member idle: sticky balances', () => {
    const ppt = { topic1: 2, topic2: 1, topic3: 2, topic4: 1, topic5: 2 };
    const all = Object.keys(ppt);
    const odd = ['topic1', 'topic3', 'topic5'];
    const r = run(ppt, { consumer1: { topics: all }, consumer2: { topics: odd }, consumer3: { topics: odd }, consumer4: { topics: all } });
    for (const list of Object.values(r.assignment)) expect(list).toHaveLength(2);
  });

  it('six single-partition topics, three members with overlapping subscriptions owning partitions: valid and balanced', () => {
    const r = run(
      { topic1: 1, topic2: 1, topic3: 1, topic4: 1, topic5: 1, topic6: 1 },
      {
        consumer1: owning(['topic1', 'topic2'], 'topic1-0', 1),
        consumer2: owning(['topic1', 'topic2', 'topic3', 'topic4'], 'topic2-0 topic3-0', 1),
        consumer3: owning(['topic2', 'topic3', 'topic4', 'topic5', 'topic6'], 'topic4-0 topic5-0 topic6-0', 1),
      },
    );
    expect(r.partitionsTransferringOwnership).toBeNull();
  });

  it('topics t01..t19 with i partitions, consumer i subscribed to t01..ti; consumer10 leaves', () => {
    const ppt: Record<string, number> = {};
    const subs: Record<string, Subscription> = {};
    for (let i = 1; i < 20; i++) ppt[`t${String(i).padStart(2, '0')}`] = i;
    for (let i = 1; i < 20; i++) subs[`c${String(i).padStart(2, '0')}`] = { topics: Object.keys(ppt).slice(0, i) };
    const first = run(ppt, subs).assignment;
    const { c10: _gone, ...rest } = nextGeneration(subs, first, 1);
    run(ppt, rest);
  });

  it('one topic with 20 partitions, nine consumers, a tenth joins', () => {
    const subs: Record<string, Subscription> = {};
    for (let i = 1; i < 10; i++) subs[`consumer${i}`] = { topics: ['topic'] };
    run({ topic: 20 }, subs);
    subs.consumer10 = { topics: ['topic'] };
    const r = run({ topic: 20 }, subs);
    expect(transfers(r)).toEqual({});
  });

  it('fourteen topics with 1..14 partitions, eight consumers subscribed to all, one leaves: nothing changes hands', () => {
    const ppt: Record<string, number> = {};
    for (let i = 1; i < 15; i++) ppt[`t${String(i).padStart(2, '0')}`] = i;
    const subs: Record<string, Subscription> = {};
    for (let i = 1; i < 9; i++) subs[`c${i}`] = { topics: Object.keys(ppt) };
    const first = run(ppt, subs).assignment;
    const { c5: _gone, ...rest } = nextGeneration(subs, first, 1);
    const r = run(ppt, rest);
    expect(transfers(r)).toEqual({});
    expect(countMoves(first, r.assignment)).toBe(0);
  });
});

describe('StickyAssignor: properties', () => {
  it('valid and balanced (Kafka rule) over random subscriptions', () => {
    fc.assert(
      fc.property(groupArb(), ({ partitionsPerTopic, subscriptions }) => {
        expectValid(partitionsPerTopic, subscriptions, StickyAssignor.assign(partitionsPerTopic, subscriptions), 'sticky');
      }),
      { numRuns: 300 },
    );
  });

  it('with random member and replica racks: still valid and balanced (balance comes before rack alignment)', () => {
    const rackNames = ['a', 'b', 'c'];
    fc.assert(
      fc.property(
        groupArb(),
        fc.array(fc.integer({ min: 0, max: 7 }), { minLength: 64, maxLength: 64 }),
        ({ partitionsPerTopic, subscriptions }, bits) => {
          let k = 0;
          const subs = Object.fromEntries(
            Object.entries(subscriptions).map(([m, sub]) => [
              m,
              { ...sub, rackId: bits[k++ % 64] === 7 ? null : rackNames[bits[k++ % 64] % 3] },
            ]),
          );
          const partitionRacks = Object.fromEntries(
            Object.entries(partitionsPerTopic).map(([t, n]) => [
              t,
              Array.from({ length: n }, () => rackNames.filter((_, i) => (bits[k++ % 64] >> i) & 1)),
            ]),
          );
          const first = StickyAssignor.assign(partitionsPerTopic, subs, { partitionRacks });
          expectValid(partitionsPerTopic, subs, first, 'sticky');
          const again = StickyAssignor.assign(partitionsPerTopic, nextGeneration(subs, first, 1), { partitionRacks });
          expectValid(partitionsPerTopic, subs, again, 'sticky');
        },
      ),
      { numRuns: 300 },
    );
  });

  /** A membership change between two rebalances: some members leave, some join, topics may grow. */
  const changeArb = (equal: boolean) =>
    fc.record({
      group: groupArb({ equalSubscriptions: equal }),
      leave: fc.array(fc.boolean(), { minLength: 7, maxLength: 7 }),
      join: fc.integer({ min: 0, max: 3 }),
      grow: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 4, maxLength: 4 }),
    });

  function secondRound({ group, leave, join, grow }: { group: Group; leave: boolean[]; join: number; grow: number[] }, equal: boolean) {
    const first = StickyAssignor.assign(group.partitionsPerTopic, group.subscriptions);
    const ppt = Object.fromEntries(Object.entries(group.partitionsPerTopic).map(([t, n], i) => [t, n + grow[i]]));
    const subs: Record<string, Subscription> = {};
    const members = Object.keys(group.subscriptions);
    members.forEach((m, i) => {
      if (!leave[i] || i === 0) subs[m] = { ...group.subscriptions[m], ownedPartitions: first[m], generationId: 1 };
    });
    const allTopics = [...new Set(members.flatMap((m) => group.subscriptions[m].topics))];
    for (let j = 0; j < join; j++)
      subs[`N${j}`] = { topics: equal ? allTopics : allTopics.slice(0, 1 + (j % allTopics.length)), generationId: 1 };
    return { first, ppt, subs };
  }

  it('stickiness, equal subscriptions: after members leave/join and topics grow, moves exactly the minimum', () => {
    fc.assert(
      fc.property(changeArb(true), (change) => {
        const { first, ppt, subs } = secondRound(change, true);
        const second = StickyAssignor.assign(ppt, subs);
        expectValid(ppt, subs, second, 'sticky');
        const members = Object.keys(subs);
        const total = Object.entries(ppt)
          .filter(([t]) => subs[members[0]].topics.includes(t))
          .reduce((s, [, n]) => s + n, 0);
        const owned = members.map((m) => first[m]?.length ?? 0);
        expect(countMoves(first, second)).toBe(minimumMoves(owned, total));
      }),
      { numRuns: 300 },
    );
  });

  it('stickiness, any subscriptions: re-running on its own output moves nothing', () => {
    fc.assert(
      fc.property(groupArb(), ({ partitionsPerTopic, subscriptions }) => {
        const first = StickyAssignor.assign(partitionsPerTopic, subscriptions);
        const again = StickyAssignor.assign(partitionsPerTopic, nextGeneration(subscriptions, first, 1));
        expect(countMoves(first, again)).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  it('after membership changes with unequal subscriptions: valid and balanced', () => {
    fc.assert(
      fc.property(changeArb(false), (change) => {
        const { ppt, subs } = secondRound(change, false);
        expectValid(ppt, subs, StickyAssignor.assign(ppt, subs), 'sticky');
      }),
      { numRuns: 300 },
    );
  });

  it("the order of the subscriptions object changes nothing while no two members share a bucket of Kafka's HashMap", () => {
    fc.assert(
      fc.property(changeArb(false), (change) => {
        const { ppt, subs } = secondRound(change, false);
        const members = Object.keys(subs);
        const buckets = members.length > 12 ? 32 : 16; // ≤ 12 members fit 16 buckets at load factor 0.75
        const bucketOf = (m: string) => {
          const h = javaStringHash(m);
          return (h ^ (h >>> 16)) & (buckets - 1);
        };
        fc.pre(new Set(members.map(bucketOf)).size === members.length); // N0 and C5 share bucket 2
        const reversed = Object.fromEntries(Object.entries(subs).reverse());
        expect(StickyAssignor.assign(ppt, reversed)).toEqual(StickyAssignor.assign(ppt, subs));
      }),
      { numRuns: 100 },
    );
  });
});

/**
 * Rack-aware sticky assignment, ported as data from AbstractStickyAssignorTest
 * (testRackAwareAssignmentWithUniformSubscription / WithNonEqualSubscription; the lines that do not
 * force Kafka's test-only preferRackAwareLogic flag). Consumers consumer0..2, owned partitions at
 * DEFAULT_GENERATION, Kafka's test cluster layout.
 */
describe('StickyAssignor: rack-aware examples from AbstractStickyAssignorTest', () => {
  const topics: [string, number][] = [
    ['t1', 6],
    ['t2', 7],
    ['t3', 2],
  ];
  const all = ['t1', 't2', 't3'];

  function verify(
    rf: number,
    brokerRacks: (string | null)[],
    consumerRacks: (string | null)[],
    consumerTopics: string[][],
    owned: string[] | null,
    expected: string[],
    mismatches: number,
  ) {
    const partitionRacks = kafkaPartitionRacks(topics, rf, brokerRacks);
    const ppt = Object.fromEntries(topics);
    const subs: Record<string, Subscription> = Object.fromEntries(
      consumerTopics.map((ts, i) => [
        `consumer${i}`,
        { topics: ts, rackId: consumerRacks[i], ownedPartitions: owned ? parseKafkaList(owned[i]) : [], generationId: DEFAULT_GENERATION },
      ]),
    );
    const assignment = StickyAssignor.assign(ppt, subs, { partitionRacks });
    expect(consumerTopics.map((_, i) => kafkaSorted(assignment[`consumer${i}`]))).toEqual(expected);
    expectValid(ppt, subs, assignment, 'sticky');
    if (mismatches >= 0) {
      let n = 0;
      consumerTopics.forEach((_, i) => {
        const rack = consumerRacks[i];
        if (rack !== null) for (const tp of assignment[`consumer${i}`]) if (!partitionRacks[tp.topic][tp.partition].includes(rack)) n++;
      });
      expect(n).toBe(mismatches);
    }
  }
  /** Kafka's verifyUniformSubscription / verifyNonEqualSubscription: from nothing, then from the expected result itself */
  const twice = (rf: number, b: (string | null)[], c: (string | null)[], ct: string[][], expected: string[], mismatches: number) => {
    verify(rf, b, c, ct, null, expected, mismatches);
    verify(rf, b, c, ct, expected, expected, mismatches);
  };

  it('six consumers (racks a, a, c, b, none, none), one topic of 7 partitions on racks b, -, -, c, -, c, b: the rack round robin stops at one maxQuota member (KAFKA-15170)', () => {
    const ppt = { t0: 7 };
    const rackIds = ['a', 'a', 'c', 'b', null, null];
    const subs = Object.fromEntries(rackIds.map((r, i) => [`C${i}`, { topics: ['t0'], rackId: r }]));
    const partitionRacks = { t0: [['b'], [], [], ['c'], [], ['c'], ['b']] };
    const assignment = StickyAssignor.assign(ppt, subs, { partitionRacks });
    expectValid(ppt, subs, assignment, 'sticky');
    expect(
      Object.values(assignment)
        .map((l) => l.length)
        .sort(),
    ).toEqual([1, 1, 1, 1, 1, 2]);
    expect(show(assignment).C2).toMatch(/t0p3|t0p5/); // C2 (rack c) reads a partition with a replica on c
    expect(show(assignment).C3).toMatch(/t0p0|t0p6/);
  });

  it('three consumers, topics of 6, 7, 2 partitions, same subscription', () => {
    const ct = [all, all, all];
    const nonRackAware = ['t1-0, t1-3, t2-0, t2-3, t2-6', 't1-1, t1-4, t2-1, t2-4, t3-0', 't1-2, t1-5, t2-2, t2-5, t3-1'];
    twice(3, nullRacks(3), racks(3), ct, nonRackAware, -1);
    twice(3, racks(3), nullRacks(3), ct, nonRackAware, -1);
    twice(3, racks(3), racks(3), ct, nonRackAware, 0);
    twice(3, racks(3), ['d', 'e', 'f'], ct, nonRackAware, -1);
    twice(3, racks(3), [null, 'e', 'f'], ct, nonRackAware, -1);
    twice(1, racks(3), racks(3), ct, nonRackAware, 0);
    twice(2, racks(3), racks(3), ct, nonRackAware, 0);
    twice(3, racks(2), racks(3), ct, nonRackAware, 5); // consumer2 is on rack c, which holds no replica
    // owned partitions misaligned with racks (replication factor 1): rack alignment improves
    const owned = ['t1-0, t1-1, t1-2, t1-3, t1-4', 't1-5, t2-0, t2-1, t2-2, t2-3', 't2-4, t2-5, t2-6, t3-0, t3-1'];
    verify(1, racks(3), racks(3), ct, owned, nonRackAware, 0);
    verify(3, racks(3), racks(3), ct, nonRackAware, nonRackAware, 0); // racks match: stickiness kept
  });

  it('three consumers, topics of 6, 7, 2 partitions, the third not subscribed to t2', () => {
    const ct = [all, all, ['t1', 't3']];
    const nonRackAware = ['t1-5, t2-0, t2-2, t2-4, t2-6', 't1-3, t2-1, t2-3, t2-5, t3-0', 't1-0, t1-1, t1-2, t1-4, t3-1'];
    twice(3, nullRacks(3), racks(3), ct, nonRackAware, -1);
    twice(3, racks(3), nullRacks(3), ct, nonRackAware, -1);
    twice(3, racks(3), racks(3), ct, nonRackAware, 0);
    twice(3, racks(3), ['d', 'e', 'f'], ct, nonRackAware, -1);
    twice(3, racks(3), [null, 'e', 'f'], ct, nonRackAware, -1);
    twice(1, racks(3), racks(3), ct, ['t1-3, t2-0, t2-2, t2-3, t2-6', 't1-4, t2-1, t2-4, t2-5, t3-0', 't1-0, t1-1, t1-2, t1-5, t3-1'], 4);
    twice(2, racks(3), racks(3), ct, ['t1-3, t2-0, t2-2, t2-5, t2-6', 't1-0, t2-1, t2-3, t2-4, t3-0', 't1-1, t1-2, t1-4, t1-5, t3-1'], 0);
    twice(3, racks(2), racks(3), ct, nonRackAware, 5);
    // (Kafka's owned-partition lines for this case feed StickyAssignor no userData, so it ignores them;
    //  the cooperative spec ports them, where ownedPartitions count)
  });
});

/** Java's HashMap/HashSet orders, modelled where Kafka's sticky code lets them break ties. */
describe('StickyAssignor: Java hash orders', () => {
  it('TopicPartition#hashCode: 31 * (31 + partition) + topic.hashCode()', () => {
    expect(javaTopicPartitionHash('t0', 0)).toBe(4605);
    expect(javaTopicPartitionHash('t0', 1)).toBe(4636);
    // "topic".hashCode() = 110546223; 31 · 31 + 110546223
    expect(javaTopicPartitionHash('topic', 0)).toBe(110547184);
  });

  it('a HashSet of t0p0, t0p1 (inserted in that order) iterates t0p1 first: buckets 13 and 12 of 16', () => {
    const set = new JavaHashSetOrder((p) => javaTopicPartitionHash('t0', p));
    set.add(0);
    set.add(1);
    expect(set.first()).toBe(1);
    set.delete(1);
    expect(set.first()).toBe(0);
  });

  it('a HashSet grows past 12 entries to 32 buckets, which changes which partition comes first', () => {
    // t0p2..t0p13 in 16 buckets: t0p13 sits in bucket 0 and comes first. A 13th entry (t0p14) makes
    // 13 > 0.75 × 16, the table doubles: t0p14 sits in bucket 15 of 32, t0p13 in bucket 16
    const set = new JavaHashSetOrder((p) => javaTopicPartitionHash('t0', p));
    for (let p = 2; p <= 13; p++) set.add(p);
    expect(set.first()).toBe(13);
    set.add(14);
    expect(set.first()).toBe(14);
  });

  it('member order is the key order of the subscriptions (the JoinGroup order): consumer-Q and consumer-A share a HashMap bucket', () => {
    // t0 with 7 partitions, 3 members → minQuota 2, maxQuota 3, one member keeps 3. Q and A own 3 each;
    // Kafka walks its HashMap bucket by bucket, and within bucket 13 in insertion order: the first one walked keeps 3.
    const q = owning(['t0'], 't0-3 t0-4 t0-5', 1);
    const a = owning(['t0'], 't0-0 t0-1 t0-2', 1);
    const c: Subscription = { topics: ['t0'] };
    const qFirst = run({ t0: 7 }, { 'consumer-Q': q, 'consumer-A': a, 'consumer-C': c }).assignment;
    expect(show(qFirst)).toEqual({ 'consumer-A': 't0p0 t0p1', 'consumer-C': 't0p2 t0p6', 'consumer-Q': 't0p3 t0p4 t0p5' });
    const aFirst = run({ t0: 7 }, { 'consumer-A': a, 'consumer-Q': q, 'consumer-C': c }).assignment;
    expect(show(aFirst)).toEqual({ 'consumer-A': 't0p0 t0p1 t0p2', 'consumer-C': 't0p5 t0p6', 'consumer-Q': 't0p3 t0p4' });
  });
});

/**
 * Issue 15: Kafka's general sticky path can loop forever; the engine must finish on every input with
 * a valid, balanced assignment. The inputs mix what a leader really sees: unequal subscriptions,
 * previous ownership with and without generations, stale claims on topics a member left, partitions
 * claimed twice, partitions that no longer exist, members in any JoinGroup order.
 */
describe('StickyAssignor: termination (issue 15)', () => {
  it('the livelock input (t0: 29, t1: 7, t2: 14, t3: 13; C3, C0, C2, C4 owning t1, C1): Kafka never returns, the engine balances greedily', () => {
    const ppt = { t0: 29, t1: 7, t2: 14, t3: 13 };
    const subs: Record<string, Subscription> = {
      C3: { topics: ['t2'] },
      C0: { topics: ['t0'] },
      C2: { topics: ['t1'] },
      C4: owning(['t1', 't0', 't2'], 't1-4 t1-3 t1-0 t1-1 t1-6 t1-2', 1),
      C1: { topics: ['t2', 't3'] },
    };
    const r = run(ppt, subs);
    expect(r.balancing.livelock).toBe(true);
    expect(r.balancing.passes).toBeLessThanOrEqual(2 * MAX_BALANCING_PASSES);
    // C2 subscribes only to t1 (7 partitions), so C4 (which also takes t0 and t2) must give all of t1 up
    expect(showSets(r.assignment)).toEqual({
      C0: 't0p10 t0p12 t0p14 t0p16 t0p18 t0p20 t0p22 t0p24 t0p26 t0p28 t0p3 t0p4 t0p5 t0p6 t0p8',
      C1: 't2p0 t3p0 t3p1 t3p10 t3p11 t3p12 t3p2 t3p3 t3p4 t3p5 t3p6 t3p7 t3p8 t3p9',
      C2: 't1p0 t1p1 t1p2 t1p3 t1p4 t1p5 t1p6',
      C3: 't2p1 t2p10 t2p11 t2p12 t2p13 t2p2 t2p3 t2p4 t2p5 t2p6 t2p7 t2p8 t2p9',
      C4: 't0p0 t0p1 t0p11 t0p13 t0p15 t0p17 t0p19 t0p2 t0p21 t0p23 t0p25 t0p27 t0p7 t0p9',
    });
    // and the cooperative assignor finishes too, handing over nothing another member still owns
    const coop = cooperativeStickyAssign(ppt, subs);
    expect(verifyAssignment(ppt, subs, coop.assignment, { balance: 'none', allowUnassigned: true })).toEqual([]);
    expect([...coop.transferring.keys()].sort()).toEqual(['t1-0', 't1-1', 't1-2', 't1-3', 't1-4', 't1-6']);
  });

  // The header's deliberate differences; Kafka's outputs come from running its StickyAssignor and
  // CooperativeStickyAssignor (trunk 1eb7644, compiled with javac) on these inputs.
  it("difference 1: X left t0 but its generation-1 claim makes it t0p0's previous owner — Kafka hands t0p0 to X, the engine does not", () => {
    const ppt = { t0: 4, t1: 2 };
    const subs: Record<string, Subscription> = {
      X: owning(['t1'], 't0-0', 1),
      Y: owning(['t0'], 't0-0 t0-1 t0-2 t0-3', 2),
      Z: { topics: ['t0'] },
      W: { topics: ['t1'] },
    };
    // Kafka: X: [t1p1, t0p0]  Y: [t0p2, t0p3]  Z: [t0p1]  W: [t1p0] — invalid
    expect(show(run(ppt, subs).assignment)).toEqual({ W: 't1p0', X: 't1p1', Y: 't0p2 t0p3', Z: 't0p0 t0p1' });
  });

  it('difference 1, fixed previous owner: t1 has one partition and one subscriber, X — Kafka throws a NullPointerException', () => {
    const ppt = { t0: 4, t1: 1 };
    const subs: Record<string, Subscription> = {
      X: owning(['t1'], 't0-0', 1),
      Y: owning(['t0'], 't0-0 t0-1 t0-2 t0-3', 2),
      Z: { topics: ['t0'] },
    };
    expect(show(run(ppt, subs).assignment)).toEqual({ X: 't1p0', Y: 't0p2 t0p3', Z: 't0p0 t0p1' });
  });

  it('difference 2: t0 re-created with 2 partitions while C0 still claims t0p3 — Kafka keeps it, the engine drops it', () => {
    const ppt = { t0: 2, t1: 2 };
    const subs: Record<string, Subscription> = { C0: owning(['t0', 't1'], 't0-0 t0-3', 1), C1: owning(['t0'], 't0-1', 1) };
    // Kafka: C0: [t0p3, t1p0, t1p1]  C1: [t0p1, t0p0] — t0p3 does not exist
    expect(show(run(ppt, subs).assignment)).toEqual({ C0: 't1p0 t1p1', C1: 't0p1 t0p0' });
  });

  /** Random groups shaped like a leader's input after churn (see the describe's doc). */
  const messyGroupArb = fc
    .record({
      counts: fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 1, maxLength: 5 }),
      order: fc.shuffledSubarray(['C0', 'C1', 'C2', 'C3', 'C4', 'C5', 'C6'], { minLength: 1 }),
      subs: fc.array(fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }), { minLength: 7, maxLength: 7 }),
      owned: fc.array(fc.array(fc.tuple(fc.nat(4), fc.nat(31)), { maxLength: 20 }), { minLength: 7, maxLength: 7 }),
      generations: fc.array(fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }), { minLength: 7, maxLength: 7 }),
    })
    .map(({ counts, order, subs, owned, generations }) => {
      const partitionsPerTopic: Record<string, number> = {};
      counts.forEach((n, i) => (partitionsPerTopic[`t${i}`] = n));
      const topics = Object.keys(partitionsPerTopic);
      const subscriptions: Record<string, Subscription> = {};
      for (const m of order) {
        const i = Number(m.slice(1));
        const mine = topics.filter((_, j) => subs[i][j]);
        subscriptions[m] = {
          topics: mine.length > 0 ? mine : [topics[i % topics.length]],
          // claims on any topic (also ones the member left) and partition numbers past a shrunk topic's end
          ownedPartitions: owned[i]
            .map(([t, p]) => ({ topic: `t${t}`, partition: p }))
            .filter((tp, k, all) => all.findIndex((x) => x.topic === tp.topic && x.partition === tp.partition) === k),
          generationId: generations[i],
        };
      }
      return { partitionsPerTopic, subscriptions };
    });

  it('property: every random group finishes within the pass bound with a valid, balanced assignment (sticky and cooperative-sticky)', () => {
    fc.assert(
      fc.property(messyGroupArb, ({ partitionsPerTopic, subscriptions }) => {
        const r = stickyAssign(partitionsPerTopic, subscriptions);
        expect(r.balancing.passes).toBeLessThanOrEqual(2 * MAX_BALANCING_PASSES);
        const total = Object.values(partitionsPerTopic).reduce((s, n) => s + n, 0);
        expect(r.balancing.greedyMoves).toBeLessThanOrEqual((total * total) / 2); // Σ count² falls by 2+ per move
        expect(verifyAssignment(partitionsPerTopic, subscriptions, r.assignment, { balance: 'sticky' })).toEqual([]);
        const coop = cooperativeStickyAssign(partitionsPerTopic, subscriptions);
        expect(verifyAssignment(partitionsPerTopic, subscriptions, coop.assignment, { balance: 'none', allowUnassigned: true })).toEqual(
          [],
        );
      }),
      { numRuns: 400 },
    );
  });
});
