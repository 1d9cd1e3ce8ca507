/**
 * The `simple` share-group assignor (KIP-932): Kafka's SimpleAssignor with its homogeneous
 * builder (group-coordinator/.../assignor/SimpleHomogeneousAssignmentBuilder.java). A partition
 * may go to several members, so a share group can have more members than partitions.
 *
 * The rule, with M members and P partitions (all members subscribed to the same topics):
 *   desiredSharing = ⌈M / P⌉ members per partition;
 *   member i (0-based, in the order given) wants ⌈x·(i+1)⌉ − ⌈x·i⌉ partitions, where x = desiredSharing · P / M;
 *   balance first (counts within one), then stickiness (keep what members already have).
 * Phases (as Kafka numbers them):
 *   1. keep each member's current partitions of subscribed topics;
 *   2. take partitions from members that hold more than they want;
 *   3. take members off partitions shared by more than desiredSharing;
 *   4. give partitions that have fewer than desiredSharing members to members that want more,
 *      partitions in order, cycling through the members that still want more.
 *
 * Example: 12 members C0 … C11 on t0 with 4 partitions, none assigned yet:
 *   desiredSharing = ⌈12 / 4⌉ = 3, x = 3·4/12 = 1 → one partition each, three members a partition:
 *   t0p0: C0, C1, C2   t0p1: C3, C4, C5   t0p2: C6, C7, C8   t0p3: C9, C10, C11
 * 5 members on 4 partitions: desiredSharing 2, x = 1.6 → wants [2, 2, 1, 2, 1]: every partition
 * gets two members. 2 members on 4 partitions: desiredSharing 1, x = 2 → [2, 2], like a
 * consumer group.
 *
 * Caveats: Kafka iterates HashMaps and HashSets, so which member gets which partition can differ
 * from the engine's (members in the order given — the scenario runner gives join order —,
 * partitions in topic-partition order); the counts
 * (desiredSharing, per-member counts) are Kafka's. Members with different subscriptions use
 * Kafka's heterogeneous builder, which the engine does not model (it throws).
 */
import type { TopicPartition } from '../common/record.ts';
import { compareTp, tpKey } from '../common/notation.ts';
import { compareStrings } from '../assignors/assignor.ts';

/** A share group's target assignment: memberId → partitions (sorted); a partition may appear under several members. */
export type ShareAssignment = Record<string, TopicPartition[]>;

/** Thrown for input the assignor cannot assign: shapes, and the heterogeneous case. */
export class ShareAssignorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShareAssignorError';
  }
}

/** desiredSharing: ⌈members / partitions⌉ (0 without partitions). */
export function desiredSharing(members: number, partitions: number): number {
  return partitions === 0 ? 0 : Math.ceil(members / partitions);
}

/**
 * How many partitions each member wants, member i in memberId order:
 * ⌈x·(i+1)⌉ − ⌈x·i⌉ with x = desiredSharing · partitions / members (Kafka computes it in doubles).
 */
export function desiredAssignmentCounts(members: number, partitions: number): number[] {
  const sharing = desiredSharing(members, partitions);
  const x = (sharing * partitions) / members;
  return Array.from({ length: members }, (_, i) => Math.ceil(x * (i + 1)) - Math.ceil(x * i));
}

/**
 * The simple assignor.
 * @param partitionsPerTopic topic → partition count (positive integers)
 * @param subscriptions memberId → subscribed topics (every member the same set), in member order
 * @param current memberId → partitions it holds now (default: none); partitions of unsubscribed
 *   topics or beyond the count are dropped
 * @returns memberId → partitions, each list sorted; every member appears
 * @throws ShareAssignorError for an unknown topic, or members with different subscriptions
 * Source: Kafka SimpleAssignor / SimpleHomogeneousAssignmentBuilder (KIP-932).
 */
export function simpleAssign(
  partitionsPerTopic: Record<string, number>,
  subscriptions: Record<string, readonly string[]>,
  current: Record<string, readonly TopicPartition[]> = {},
): ShareAssignment {
  const memberIds = Object.keys(subscriptions);
  if (memberIds.length === 0) return {};
  const topics = [...new Set(subscriptions[memberIds[0]])].sort(compareStrings);
  for (const m of memberIds) {
    const t = [...new Set(subscriptions[m])].sort(compareStrings);
    if (t.join('\u0000') !== topics.join('\u0000')) {
      throw new ShareAssignorError(
        `members subscribe to different topics (${memberIds[0]}: ${topics.join(', ')}; ${m}: ${t.join(', ')}): Kafka's heterogeneous builder is not modelled`,
      );
    }
  }
  for (const t of topics) {
    const n = partitionsPerTopic[t];
    if (n === undefined)
      throw new ShareAssignorError(`unknown topic ${JSON.stringify(t)}: expected one of ${Object.keys(partitionsPerTopic).join(', ')}`);
    if (!Number.isInteger(n) || n < 1) throw new ShareAssignorError(`Expected partitionsPerTopic[${t}] to be a positive integer, got ${n}`);
  }
  const targets: TopicPartition[] = topics.flatMap((topic) =>
    Array.from({ length: partitionsPerTopic[topic] }, (_, partition) => ({ topic, partition })),
  );
  const valid = new Set(targets.map(tpKey));
  const sharing = desiredSharing(memberIds.length, targets.length);
  const wants = desiredAssignmentCounts(memberIds.length, targets.length);

  // phase 1: keep current partitions that are still assignable
  const byMember = new Map<number, Map<string, TopicPartition>>();
  const byPartition = new Map<string, number[]>(targets.map((tp) => [tpKey(tp), []]));
  memberIds.forEach((m, i) => {
    const held = new Map<string, TopicPartition>();
    for (const tp of [...(current[m] ?? [])].sort(compareTp)) {
      const k = tpKey(tp);
      if (!valid.has(k) || held.has(k)) continue;
      held.set(k, { topic: tp.topic, partition: tp.partition });
      byPartition.get(k)!.push(i);
    }
    byMember.set(i, held);
  });
  const drop = (i: number, k: string) => {
    byMember.get(i)!.delete(k);
    const list = byPartition.get(k)!;
    list.splice(list.indexOf(i), 1);
  };

  // phase 2: members holding more than they want give up their highest partitions
  memberIds.forEach((_, i) => {
    const held = byMember.get(i)!;
    const extra = [...held.keys()].slice(wants[i]);
    for (const k of extra) drop(i, k);
  });

  // phase 3: partitions shared by more than desiredSharing lose their last members
  for (const tp of targets) {
    const k = tpKey(tp);
    const list = byPartition.get(k)!;
    while (list.length > sharing) drop(list[list.length - 1], k);
  }

  // phase 4: fill partitions short of desiredSharing from members short of what they want
  let unfilled = memberIds.map((_, i) => i).filter((i) => byMember.get(i)!.size < wants[i]);
  let cursor = 0;
  for (const tp of targets) {
    if (unfilled.length === 0) break;
    const k = tpKey(tp);
    const list = byPartition.get(k)!;
    let tried = 0;
    while (list.length < sharing && unfilled.length > 0 && tried < unfilled.length) {
      if (cursor >= unfilled.length) cursor = 0;
      const i = unfilled[cursor];
      if (list.includes(i)) {
        cursor++;
        tried++;
        continue;
      }
      byMember.get(i)!.set(k, tp);
      list.push(i);
      tried = 0;
      if (byMember.get(i)!.size >= wants[i]) unfilled = unfilled.filter((x) => x !== i);
      else cursor++;
    }
  }

  const out: ShareAssignment = {};
  memberIds.forEach((m, i) => (out[m] = [...byMember.get(i)!.values()].sort(compareTp)));
  return out;
}

/** The members of each partition under an assignment: `tpKey` → memberIds (in the assignment's member order), partitions in order. */
export function membersByPartition(assignment: ShareAssignment): Map<string, string[]> {
  const out = new Map<string, { tp: TopicPartition; members: string[] }>();
  for (const m of Object.keys(assignment)) {
    for (const tp of assignment[m]) {
      const k = tpKey(tp);
      if (!out.has(k)) out.set(k, { tp, members: [] });
      out.get(k)!.members.push(m);
    }
  }
  return new Map([...out.values()].sort((a, b) => compareTp(a.tp, b.tp)).map((e) => [tpKey(e.tp), e.members]));
}
