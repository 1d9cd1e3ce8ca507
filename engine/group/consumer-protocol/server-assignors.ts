/**
 * The server-side assignors of the consumer protocol (KIP-848): the group coordinator, not a
 * leader consumer, computes the target assignment with one of group.consumer.assignors.
 *
 * `uniform` (UniformAssignor, the default): balance first (member sizes differ by at most one),
 * then stickiness (keep as much of the current target as possible).
 *   - Homogeneous (every member subscribes to the same topics; UniformHomogeneousAssignmentBuilder):
 *     quota = ⌊P / M⌋, and P mod M members may hold one extra. Walking the members in order, each
 *     keeps up to its quota of its current partitions (an extra is claimed only while extras
 *     remain, and given up unless the member is among the last that must take one); the rest are
 *     freed. Free partitions (freed or never assigned, by topic then partition) fill the members
 *     below quota, in order.
 *   - Heterogeneous (UniformHeterogeneousAssignmentBuilder): a member keeps its current partitions
 *     of topics it still subscribes to; each topic's free partitions go, one at a time, to its
 *     least-loaded subscriber (topics in order of most partitions per subscriber first); then
 *     partitions move from a topic's most-loaded subscriber to its least-loaded one while they
 *     differ by more than one (at most 16 passes).
 * `range` (RangeAssignor, server side): members sorted by group.instance.id (static members first),
 *   then memberId; each topic's partitions are cut into contiguous ranges in that order, the first
 *   P mod N subscribers getting one more. Not sticky: since KAFKA-16944 it recomputes from scratch.
 *
 * Example (uniform, homogeneous, t0 with 4 partitions): C0 alone → C0: [t0p0 … t0p3]. C1 joins →
 *   quota 2: C0 keeps [t0p0, t0p1], frees t0p2, t0p3 → C1: [t0p2, t0p3]. Range gives the same here.
 *
 * Caveats: Kafka iterates members and topics in hash order; this engine walks members in the order
 * given (the coordinator passes join order) and topics by name, so ties can break differently;
 * rack awareness is left out. The heterogeneous balancing follows Kafka's phases, not its exact
 * tie-breaks.
 *
 * Source: Kafka's group-coordinator assignor/UniformAssignor, UniformHomogeneousAssignmentBuilder,
 * UniformHeterogeneousAssignmentBuilder, RangeAssignor; GroupCoordinatorConfig (group.consumer.assignors).
 */
import { compareStrings } from '../../assignors/assignor.ts';
import { compareTp, tpKey } from '../../common/notation.ts';
import type { TopicPartition } from '../../common/record.ts';
import type { ServerAssignorName } from './protocol-types.ts';

/** A member as the assignor sees it: its subscription and its partitions in the current target. */
export interface ServerAssignorMember {
  memberId: string;
  groupInstanceId: string | null;
  topics: string[];
  /** its partitions in the current target assignment (empty for a new member) */
  current: TopicPartition[];
}

/**
 * Compute a target assignment.
 * @param assignor 'uniform' or 'range'
 * @param members in the order the coordinator knows them (join order)
 * @param partitionsPerTopic current partition count per topic
 * @returns memberId → its partitions, sorted; every member present
 * @throws RangeError when a member subscribes to a topic missing from partitionsPerTopic
 */
export function computeTargetAssignment(
  assignor: ServerAssignorName,
  members: readonly ServerAssignorMember[],
  partitionsPerTopic: Readonly<Record<string, number>>,
): Record<string, TopicPartition[]> {
  for (const m of members) {
    for (const t of m.topics) {
      if (!(t in partitionsPerTopic))
        throw new RangeError(`Member ${m.memberId} subscribes to topic ${JSON.stringify(t)}, which does not exist`);
    }
  }
  const out = assignor === 'range' ? range(members, partitionsPerTopic) : uniform(members, partitionsPerTopic);
  for (const m of members) out[m.memberId] = (out[m.memberId] ?? []).sort(compareTp);
  return out;
}

function uniform(members: readonly ServerAssignorMember[], ppt: Readonly<Record<string, number>>): Record<string, TopicPartition[]> {
  if (members.length === 0) return {};
  const first = [...new Set(members[0].topics)].sort(compareStrings);
  const homogeneous = members.every((m) => sameTopics(m.topics, first));
  return homogeneous ? uniformHomogeneous(members, first, ppt) : uniformHeterogeneous(members, ppt);
}

function sameTopics(topics: readonly string[], sorted: readonly string[]): boolean {
  const s = [...new Set(topics)].sort(compareStrings);
  return s.length === sorted.length && s.every((t, i) => t === sorted[i]);
}

function uniformHomogeneous(
  members: readonly ServerAssignorMember[],
  topics: readonly string[],
  ppt: Readonly<Record<string, number>>,
): Record<string, TopicPartition[]> {
  const subscribed = new Set(topics);
  const out: Record<string, TopicPartition[]> = {};
  if (topics.length === 0) {
    for (const m of members) out[m.memberId] = [];
    return out;
  }
  const taken = new Set(members.flatMap((m) => m.current.filter((tp) => subscribed.has(tp.topic)).map(tpKey)));
  const unassigned: TopicPartition[] = [];
  let total = 0;
  for (const t of topics) {
    for (let p = 0; p < ppt[t]; p++) if (!taken.has(tpKey({ topic: t, partition: p }))) unassigned.push({ topic: t, partition: p });
    total += ppt[t];
  }
  const minQuota = Math.floor(total / members.length);
  let extras = total % members.length;
  const unfilled: { memberId: string; quota: number }[] = [];
  members.forEach((m, index) => {
    let quota = minQuota;
    let hasExtra = false;
    if (extras > 0) {
      quota++;
      hasExtra = true;
    }
    const kept: TopicPartition[] = [];
    for (const tp of [...m.current].filter((x) => subscribed.has(x.topic) && x.partition < ppt[x.topic]).sort(compareTp)) {
      if (quota > 0) {
        quota--;
        kept.push(tp);
      } else unassigned.push(tp);
    }
    // give up the extra slot unless this member is one of the last that must take one
    if (quota > 0 && hasExtra && members.length - index > extras) {
      quota--;
      hasExtra = false;
    }
    if (quota > 0) unfilled.push({ memberId: m.memberId, quota });
    if (hasExtra) extras--;
    out[m.memberId] = kept;
  });
  let next = 0;
  for (const u of unfilled) {
    for (let i = 0; i < u.quota && next < unassigned.length; i++) out[u.memberId].push(unassigned[next++]);
  }
  if (next < unassigned.length) throw new RangeError('Partitions were left unassigned');
  return out;
}

function uniformHeterogeneous(
  members: readonly ServerAssignorMember[],
  ppt: Readonly<Record<string, number>>,
): Record<string, TopicPartition[]> {
  const out: Record<string, TopicPartition[]> = {};
  const subscribers = new Map<string, string[]>();
  const subs = new Map(members.map((m) => [m.memberId, new Set(m.topics)] as const));
  for (const m of members) for (const t of new Set(m.topics)) subscribers.set(t, [...(subscribers.get(t) ?? []), m.memberId]);
  const taken = new Set<string>();
  for (const m of members) {
    out[m.memberId] = m.current.filter(
      (tp) => subs.get(m.memberId)!.has(tp.topic) && tp.partition < ppt[tp.topic] && !taken.has(tpKey(tp)),
    );
    for (const tp of out[m.memberId]) taken.add(tpKey(tp));
  }
  const order = new Map(members.map((m, i) => [m.memberId, i] as const));
  const load = (id: string) => out[id].length;
  const leastLoaded = (ids: string[]) =>
    ids.reduce((a, b) => (load(b) < load(a) || (load(b) === load(a) && order.get(b)! < order.get(a)!) ? b : a));
  const mostLoaded = (ids: string[]) =>
    ids.reduce((a, b) => (load(b) > load(a) || (load(b) === load(a) && order.get(b)! > order.get(a)!) ? b : a));
  // most partitions per subscriber first, then fewer subscribers, then by name (Kafka's topicComparator)
  const sortedTopics = [...subscribers.keys()].sort((a, b) => {
    const ra = ppt[a] / subscribers.get(a)!.length;
    const rb = ppt[b] / subscribers.get(b)!.length;
    return rb - ra || subscribers.get(a)!.length - subscribers.get(b)!.length || compareStrings(a, b);
  });
  for (const t of sortedTopics) {
    for (let p = 0; p < ppt[t]; p++) {
      const tp = { topic: t, partition: p };
      if (taken.has(tpKey(tp))) continue;
      out[leastLoaded(subscribers.get(t)!)].push(tp);
      taken.add(tpKey(tp));
    }
  }
  // balance: move a topic's partitions from its most-loaded holder to its least-loaded subscriber
  for (let pass = 0; pass < 16; pass++) {
    let moved = false;
    for (const t of sortedTopics) {
      const ids = subscribers.get(t)!;
      if (ids.length < 2) continue;
      for (;;) {
        const holders = ids.filter((id) => out[id].some((tp) => tp.topic === t));
        if (holders.length === 0) break;
        const from = mostLoaded(holders);
        const to = leastLoaded(ids);
        if (load(from) - load(to) <= 1) break;
        const give = out[from]
          .filter((tp) => tp.topic === t)
          .sort(compareTp)
          .pop()!;
        out[from] = out[from].filter((tp) => tpKey(tp) !== tpKey(give));
        out[to].push(give);
        moved = true;
      }
    }
    if (!moved) break;
  }
  return out;
}

function range(members: readonly ServerAssignorMember[], ppt: Readonly<Record<string, number>>): Record<string, TopicPartition[]> {
  const sorted = [...members].sort((a, b) => {
    if (a.groupInstanceId !== null && b.groupInstanceId !== null) return compareStrings(a.groupInstanceId, b.groupInstanceId);
    if (a.groupInstanceId !== null) return -1;
    if (b.groupInstanceId !== null) return 1;
    return compareStrings(a.memberId, b.memberId);
  });
  const topics = new Map<string, { members: number; minQuota: number; extra: number; next: number }>();
  for (const m of sorted) {
    for (const t of new Set(m.topics)) {
      const meta = topics.get(t) ?? { members: 0, minQuota: 0, extra: 0, next: 0 };
      meta.members++;
      topics.set(t, meta);
    }
  }
  for (const [t, meta] of topics) {
    meta.minQuota = Math.floor(ppt[t] / meta.members);
    meta.extra = ppt[t] % meta.members;
  }
  const out: Record<string, TopicPartition[]> = {};
  for (const m of sorted) {
    out[m.memberId] = [];
    for (const t of [...new Set(m.topics)].sort(compareStrings)) {
      const meta = topics.get(t)!;
      let quota = meta.minQuota;
      if (meta.extra > 0) {
        quota++;
        meta.extra--;
      }
      const end = Math.min(meta.next + quota, ppt[t]);
      for (let p = meta.next; p < end; p++) out[m.memberId].push({ topic: t, partition: p });
      meta.next = end;
    }
  }
  return out;
}
