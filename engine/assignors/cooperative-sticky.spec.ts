import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Assignment, Subscription } from './assignor.ts';
import { CooperativeStickyAssignor, cooperativeStickyAssign } from './cooperative-sticky.ts';
import { StickyAssignor } from './sticky.ts';
import { expectValid, groupArb, kafkaPartitionRacks, kafkaSorted, parseKafkaList, racks, show, tps } from './assignor.spec-helpers.ts';
import { DEFAULT_GENERATION } from './assignor.ts';
import { tpKey } from '../common/notation.ts';

function owning(topics: string[], owned: string, generationId: number): Subscription {
  return { topics, ownedPartitions: tps(owned), generationId };
}

function nextGeneration(
  subscriptions: Record<string, Subscription>,
  assignment: Assignment,
  generationId: number,
): Record<string, Subscription> {
  return Object.fromEntries(
    Object.entries(subscriptions).map(([m, s]) => [m, { ...s, ownedPartitions: assignment[m] ?? [], generationId }]),
  );
}

/** The cooperative safety rule: nobody is given a partition another member still owns. */
function expectNoDoubleOwnership(subscriptions: Record<string, Subscription>, assignment: Assignment): void {
  const ownedBy = new Map<string, string>();
  for (const [m, s] of Object.entries(subscriptions)) for (const tp of s.ownedPartitions ?? []) ownedBy.set(tpKey(tp), m);
  for (const [m, list] of Object.entries(assignment)) {
    for (const tp of list) {
      const owner = ownedBy.get(tpKey(tp));
      expect(owner === undefined || owner === m, `${tpKey(tp)} given to ${m} while ${owner} still owns it`).toBe(true);
    }
  }
}

describe('CooperativeStickyAssignor', () => {
  it('is named cooperative-sticky and supports both protocols', () => {
    expect(CooperativeStickyAssignor.name).toBe('cooperative-sticky');
    expect(CooperativeStickyAssignor.supportedProtocols).toEqual(['cooperative', 'eager']);
  });

  it('one topic, three partitions, all owned by C0; C1 joins: C0 revokes t0p2 first, C1 gets it in the follow-up rebalance', () => {
    const ppt = { t0: 3 };
    const round1 = { C0: owning(['t0'], 't0p0 t0p1 t0p2', 1), C1: owning(['t0'], '', 1) };
    const r1 = cooperativeStickyAssign(ppt, round1);
    expect(show(r1.assignment)).toEqual({ C0: 't0p0 t0p1', C1: '' });
    expect(Object.fromEntries(r1.transferring)).toEqual({ 't0-2': 'C1' });
    expectValid(ppt, round1, r1.assignment, 'none', true);

    const round2 = nextGeneration(round1, r1.assignment, 2);
    const r2 = cooperativeStickyAssign(ppt, round2);
    expect(show(r2.assignment)).toEqual({ C0: 't0p0 t0p1', C1: 't0p2' });
    expect(r2.transferring.size).toBe(0);
    expectValid(ppt, round2, r2.assignment, 'sticky');
  });

  it('three consumers, one topic, three partitions, topic-0 claimed by two in one generation: nobody gets it until both let go', () => {
    const t = ['topic'];
    const ppt = { topic: 3 };
    const subs = { consumer1: owning(t, 'topic-0 topic-1', 1), consumer2: owning(t, 'topic-0 topic-2', 1), consumer3: owning(t, '', 1) };
    const r1 = cooperativeStickyAssign(ppt, subs);
    expect(show(r1.assignment)).toEqual({ consumer1: 'topicp1', consumer2: 'topicp2', consumer3: '' });
    expectNoDoubleOwnership(subs, r1.assignment);
    const r2 = cooperativeStickyAssign(ppt, nextGeneration(subs, r1.assignment, 2));
    expect(show(r2.assignment)).toEqual({ consumer1: 'topicp1', consumer2: 'topicp2', consumer3: 'topicp0' });
  });

  it('one topic, three partitions, t0p0 claimed by B and C in generation 5 and by A0 in 6: A0 wins it, but only in the follow-up rebalance', () => {
    // Kafka (CooperativeStickyAssignor, trunk 1eb7644, run on this input): B: [t0p1]  C: [t0p2]  A0: [] — a partition claimed by
    // several members is held back even from the newest claimant, until nobody else lists it
    const ppt = { t0: 3 };
    const subs = { B: owning(['t0'], 't0-0', 5), C: owning(['t0'], 't0-0', 5), A0: owning(['t0'], 't0-0', 6) };
    const r1 = cooperativeStickyAssign(ppt, subs);
    expect(show(r1.assignment)).toEqual({ A0: '', B: 't0p1', C: 't0p2' });
    expect(Object.fromEntries(r1.transferring)).toEqual({ 't0-0': 'A0' });
    const r2 = cooperativeStickyAssign(ppt, nextGeneration(subs, r1.assignment, 7));
    expect(show(r2.assignment)).toEqual({ A0: 't0p0', B: 't0p1', C: 't0p2' });
  });

  it('unequal subscriptions (t0: 3 for both, t1: 1 for C0 only), C1 joins: its t0 share waits for the follow-up', () => {
    const ppt = { t0: 3, t1: 1 };
    const subs = { C0: owning(['t0', 't1'], 't0p0 t0p1 t0p2 t1p0', 1), C1: owning(['t0'], '', 1) };
    const sticky = StickyAssignor.assign(ppt, subs);
    const r1 = cooperativeStickyAssign(ppt, subs);
    expect(r1.assignment.C1).toEqual([]);
    expect(r1.assignment.C0.length).toBe(sticky.C0.length);
    expect([...r1.transferring.values()].every((m) => m === 'C1')).toBe(true);
    expect(r1.transferring.size).toBe(sticky.C1.length);
    const round2 = nextGeneration(subs, r1.assignment, 2);
    const r2 = cooperativeStickyAssign(ppt, round2);
    expect(show(r2.assignment)).toEqual(show(sticky));
    expectValid(ppt, round2, r2.assignment, 'sticky');
  });

  it('with no owned partitions (a new group), the same as the sticky assignor', () => {
    fc.assert(
      fc.property(groupArb(), ({ partitionsPerTopic, subscriptions }) => {
        expect(CooperativeStickyAssignor.assign(partitionsPerTopic, subscriptions)).toEqual(
          StickyAssignor.assign(partitionsPerTopic, subscriptions),
        );
      }),
      { numRuns: 100 },
    );
  });

  const changeArb = (equal: boolean) =>
    fc.record({
      group: groupArb({ equalSubscriptions: equal }),
      leave: fc.array(fc.boolean(), { minLength: 7, maxLength: 7 }),
      join: fc.integer({ min: 0, max: 3 }),
    });

  for (const equal of [true, false]) {
    it(`property (${equal ? 'equal' : 'random'} subscriptions): members leave and join — never two owners at once, and a follow-up rebalance completes a valid, balanced assignment`, () => {
      fc.assert(
        fc.property(changeArb(equal), ({ group, leave, join }) => {
          const ppt = group.partitionsPerTopic;
          const first = StickyAssignor.assign(ppt, group.subscriptions);
          const subs: Record<string, Subscription> = {};
          const members = Object.keys(group.subscriptions);
          members.forEach((m, i) => {
            if (!leave[i] || i === 0) subs[m] = { ...group.subscriptions[m], ownedPartitions: first[m], generationId: 1 };
          });
          const topics = [...new Set(members.flatMap((m) => group.subscriptions[m].topics))];
          for (let j = 0; j < join; j++) subs[`N${j}`] = { topics: equal ? topics : topics.slice(0, 1 + j), generationId: 1 };

          let current = subs;
          let result = cooperativeStickyAssign(ppt, current);
          expectNoDoubleOwnership(current, result.assignment);
          expectValid(ppt, current, result.assignment, 'none', true);
          let rounds = 1;
          while (result.transferring.size > 0) {
            current = nextGeneration(current, result.assignment, 1 + rounds);
            result = cooperativeStickyAssign(ppt, current);
            expectNoDoubleOwnership(current, result.assignment);
            rounds++;
            expect(rounds).toBeLessThanOrEqual(equal ? 2 : 3);
          }
          expectValid(ppt, current, result.assignment, 'sticky');
        }),
        { numRuns: 300 },
      );
    });
  }
});

/**
 * Rack-aware, ported from AbstractStickyAssignorTest#testRackAwareAssignmentWithNonEqualSubscription
 * (the CooperativeStickyAssignor branches): owned partitions misaligned with racks are revoked first
 * ("intermediate"), then the follow-up rebalance completes the assignment.
 */
describe('CooperativeStickyAssignor: rack-aware examples from AbstractStickyAssignorTest', () => {
  const topics: [string, number][] = [
    ['t1', 6],
    ['t2', 7],
    ['t3', 2],
  ];
  const all = ['t1', 't2', 't3'];
  const owned = ['t1-0, t1-1, t1-2, t1-3, t1-4', 't1-5, t2-0, t2-1, t2-2, t2-3', 't2-4, t2-5, t2-6, t3-0, t3-1'];

  function step(rf: number, consumerTopics: string[][], ownedNow: string[], expected: string[]) {
    const partitionRacks = kafkaPartitionRacks(topics, rf, racks(3));
    const ppt = Object.fromEntries(topics);
    const subs: Record<string, Subscription> = Object.fromEntries(
      consumerTopics.map((ts, i) => [
        `consumer${i}`,
        { topics: ts, rackId: racks(3)[i], ownedPartitions: parseKafkaList(ownedNow[i]), generationId: DEFAULT_GENERATION },
      ]),
    );
    const { assignment } = cooperativeStickyAssign(ppt, subs, { partitionRacks });
    expect(consumerTopics.map((_, i) => kafkaSorted(assignment[`consumer${i}`]))).toEqual(expected);
    expectNoDoubleOwnership(subs, assignment);
  }

  it('three consumers, the third not subscribed to t2, replication factor 1: revoke to 1 each, then rack-aligned', () => {
    const ct = [all, all, ['t1', 't3']];
    const intermediate = ['t1-3', 't2-1', 't3-1'];
    step(1, ct, owned, intermediate);
    step(1, ct, intermediate, ['t1-3, t2-0, t2-2, t2-3, t2-6', 't1-4, t2-1, t2-4, t2-5, t3-0', 't1-0, t1-1, t1-2, t1-5, t3-1']);
  });

  it('three consumers, the third not subscribed to t2, replication factor 3 (racks all match): sticky in two steps', () => {
    const ct = [all, all, ['t1', 't3']];
    const intermediate = ['t1-2, t1-3, t1-4', 't2-0, t2-1, t2-2, t2-3', 't3-0, t3-1'];
    step(3, ct, owned, intermediate);
    step(3, ct, intermediate, ['t1-2, t1-3, t1-4, t2-4, t2-5', 't2-0, t2-1, t2-2, t2-3, t2-6', 't1-0, t1-1, t1-5, t3-0, t3-1']);
  });

  it("three consumers, same subscription, replication factor 1, owned misaligned: never handed over while owned (our deviation), then Kafka's result", () => {
    const ct = [all, all, all];
    const partitionRacks = kafkaPartitionRacks(topics, 1, racks(3));
    const ppt = Object.fromEntries(topics);
    const subs = (o: string[]): Record<string, Subscription> =>
      Object.fromEntries(
        ct.map((ts, i) => [
          `consumer${i}`,
          { topics: ts, rackId: racks(3)[i], ownedPartitions: parseKafkaList(o[i]), generationId: DEFAULT_GENERATION },
        ]),
      );
    const first = cooperativeStickyAssign(ppt, subs(owned), { partitionRacks });
    expectNoDoubleOwnership(subs(owned), first.assignment);
    const second = cooperativeStickyAssign(ppt, subs(ct.map((_, i) => kafkaSorted(first.assignment[`consumer${i}`]))), { partitionRacks });
    expect(ct.map((_, i) => kafkaSorted(second.assignment[`consumer${i}`]))).toEqual([
      't1-0, t1-3, t2-0, t2-3, t2-6',
      't1-1, t1-4, t2-1, t2-4, t3-0',
      't1-2, t1-5, t2-2, t2-5, t3-1',
    ]);
  });
});
