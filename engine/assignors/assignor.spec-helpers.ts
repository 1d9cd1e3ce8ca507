/**
 * Test support shared by the assignor specs (not a spec itself; imports fast-check, so it stays out of
 * the engine's runtime surface): `t0p1` notation, the invariants checker as an expectation, fast-check
 * arbitraries for groups, and the minimum number of moves a sticky assignor may make.
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { verifyAssignment } from './assignor.ts';
import type { Assignment, BalanceRule, ConsumerPartitionAssignor, Subscription } from './assignor.ts';
import { formatTp, parseTpKey, tpKey } from '../common/notation.ts';
import type { TopicPartition } from '../common/record.ts';

/** `tps('t0p0 t1p2')` → [{t0,0}, {t1,2}]; also accepts Kafka's `topic-0` form. */
export function tps(s: string): TopicPartition[] {
  return s
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((x) => {
      const m = /^(.*?)(?:p|-)(\d+)$/.exec(x);
      if (!m) throw new Error(`bad partition ${x}`);
      return { topic: m[1], partition: Number(m[2]) };
    });
}

/** An assignment in lesson notation: `{ C0: 't0p0 t0p1', C1: '' }` (order kept). */
export function show(a: Assignment): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of Object.keys(a).sort()) out[m] = a[m].map(formatTp).join(' ');
  return out;
}

/** The same, with each member's partitions sorted (for Kafka tests that compare sets). */
export function showSets(a: Assignment): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of Object.keys(a).sort()) out[m] = a[m].map(formatTp).sort().join(' ');
  return out;
}

/** The shared invariants (Kafka's verifyValidityAndBalance + coverage), as a vitest expectation. */
export function expectValid(
  partitionsPerTopic: Record<string, number>,
  subscriptions: Record<string, Subscription>,
  assignment: Assignment,
  balance: BalanceRule,
  allowUnassigned = false,
): void {
  expect(verifyAssignment(partitionsPerTopic, subscriptions, assignment, { balance, allowUnassigned })).toEqual([]);
}

/** A named example ported from one of Kafka's assignor tests: inputs and the expected assignment in lesson notation. */
export interface AssignorExample {
  name: string;
  partitionsPerTopic: Record<string, number>;
  subscriptions: Record<string, Subscription>;
  /** memberId → its partitions as {@link show} prints them, e.g. `'t0p0 t0p1'` */
  expected: Record<string, string>;
}

/** One test per example: the assignment matches `expected` and passes the shared invariants under `balance`. */
export function itAssignsExamples(assignor: ConsumerPartitionAssignor, examples: AssignorExample[], balance: BalanceRule): void {
  for (const ex of examples) {
    it(ex.name, () => {
      const assignment = assignor.assign(ex.partitionsPerTopic, ex.subscriptions);
      expect(show(assignment)).toEqual(ex.expected);
      expectValid(ex.partitionsPerTopic, ex.subscriptions, assignment, balance);
    });
  }
}

export interface Group {
  partitionsPerTopic: Record<string, number>;
  subscriptions: Record<string, Subscription>;
}

/**
 * Random groups: 1–4 topics with 0–9 partitions (sometimes a subscribed topic that does not exist),
 * 1–7 members with random subscriptions (or all equal), some static members.
 */
export function groupArb(opts: { equalSubscriptions?: boolean; maxMembers?: number } = {}): fc.Arbitrary<Group> {
  return fc
    .record({
      counts: fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 1, maxLength: 4 }),
      deletedTopic: fc.boolean(),
      members: fc.integer({ min: 1, max: opts.maxMembers ?? 7 }),
      seedSubs: fc.array(fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }), { minLength: 7, maxLength: 7 }),
      statics: fc.array(fc.option(fc.constantFrom('i0', 'i1', 'i2', 'i3', 'i4', 'i5', 'i6'), { nil: null }), {
        minLength: 7,
        maxLength: 7,
      }),
    })
    .map(({ counts, deletedTopic, members, seedSubs, statics }) => {
      const partitionsPerTopic: Record<string, number> = {};
      counts.forEach((n, i) => (partitionsPerTopic[`t${i}`] = n));
      const allTopics = [...Object.keys(partitionsPerTopic), ...(deletedTopic ? ['gone'] : [])];
      const subscriptions: Record<string, Subscription> = {};
      const usedInstance = new Set<string>();
      for (let i = 0; i < members; i++) {
        const pick = opts.equalSubscriptions ? allTopics : allTopics.filter((_, j) => seedSubs[i][j % 5] || j === i % allTopics.length);
        const inst = statics[i];
        const groupInstanceId = inst && !usedInstance.has(inst) ? inst : null;
        if (groupInstanceId) usedInstance.add(groupInstanceId);
        subscriptions[`C${i}`] = { topics: pick, groupInstanceId };
      }
      return { partitionsPerTopic, subscriptions };
    });
}

/** The partitions each member owned (after Kafka's claim rule) that now belong to someone else. */
export function countMoves(before: Assignment, after: Assignment): number {
  const ownerAfter = new Map<string, string>();
  for (const m of Object.keys(after)) for (const tp of after[m]) ownerAfter.set(formatTp(tp), m);
  let moves = 0;
  for (const m of Object.keys(before)) {
    if (!(m in after)) continue; // a member that left: its partitions had to move
    for (const tp of before[m]) {
      const now = ownerAfter.get(formatTp(tp));
      if (now !== undefined && now !== m) moves++;
    }
  }
  return moves;
}

/**
 * The fewest partitions a balanced assignment must take from their owners, when every member
 * subscribes to the same topics: give maxQuota to the P % N members that own the most, minQuota to
 * the rest; every owned partition beyond its owner's quota must move.
 * @param owned member → number of (still existing, uncontested) partitions it owns
 * @param total P, the number of partitions
 */
export function minimumMoves(owned: number[], total: number): number {
  const n = owned.length;
  const minQuota = Math.floor(total / n);
  const extra = total % n;
  const sorted = [...owned].sort((a, b) => b - a);
  return sorted.reduce((sum, o, i) => sum + Math.max(0, o - (i < extra ? minQuota + 1 : minQuota)), 0);
}

/** Kafka's AbstractPartitionAssignorTest rack helpers: racks(3) = [a, b, c], nullRacks(3) = [null ×3]. */
const ALL_RACKS = ['a', 'b', 'c', 'd', 'e', 'f'];
export const racks = (n: number): (string | null)[] => Array.from({ length: n }, (_, i) => ALL_RACKS[i % 6]);
export const nullRacks = (n: number): (string | null)[] => Array.from({ length: n }, () => null);

/**
 * Kafka's test cluster layout (AbstractPartitionAssignorTest#partitionsPerTopic): broker i is on
 * brokerRacks[i]; topics laid out in order; partition p of a topic whose first partition has global
 * index n has replicas on brokers (p + j + n) % brokers, j < replicationFactor.
 * @returns partitionRacks for AssignorMetadata
 */
export function kafkaPartitionRacks(
  topics: [string, number][],
  replicationFactor: number,
  brokerRacks: (string | null)[],
): Record<string, string[][]> {
  const out: Record<string, string[][]> = {};
  let next = 0;
  for (const [t, n] of topics) {
    out[t] = Array.from({ length: n }, (_, p) =>
      Array.from({ length: replicationFactor }, (_, j) => brokerRacks[(p + j + next) % brokerRacks.length]).filter(
        (r): r is string => r !== null,
      ),
    );
    next += n;
  }
  return out;
}

/** Parse Kafka's "t1-0, t1-3" strings into TopicPartitions. */
export function parseKafkaList(s: string): TopicPartition[] {
  return s === '' ? [] : s.split(', ').map(parseTpKey);
}

/** An assignment as Kafka's rack tests print it: per consumer, sorted "t1-0, t1-3" strings. */
export function kafkaSorted(list: TopicPartition[]): string {
  return list.map(tpKey).sort().join(', ');
}
