/**
 * Mistake: the n % c extra partitions go to the last members instead of the first.
 * 3 partitions, 2 members: C0: [t0p0], C1: [t0p1, t0p2] instead of C0: [t0p0, t0p1], C1: [t0p2].
 */

/** What a member sends when it joins: the topics it subscribes to, and its group.instance.id if static. */
interface Subscription {
  topics: string[];
  groupInstanceId?: string | null;
}

/** One partition of one topic: `{ topic: 't0', partition: 1 }` is t0p1. */
interface TopicPartition {
  topic: string;
  partition: number;
}

/** memberId → the partitions it owns. */
type Assignment = Record<string, TopicPartition[]>;

/** Java's String#compareTo: by UTF-16 code unit. `<` on JavaScript strings does exactly that. */
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Kafka's member order: static members first (by groupInstanceId), then dynamic ones (by memberId). */
function compareMembers(a: string, b: string, subscriptions: Record<string, Subscription>): number {
  const ia = subscriptions[a].groupInstanceId ?? null;
  const ib = subscriptions[b].groupInstanceId ?? null;
  if (ia !== null && ib !== null) return compareStrings(ia, ib) || compareStrings(a, b);
  if (ia !== null) return -1;
  if (ib !== null) return 1;
  return compareStrings(a, b);
}

/**
 * Kafka's RangeAssignor.
 * @param partitionsPerTopic partition count of each existing topic
 * @param subscriptions memberId → its subscription
 * @returns memberId → its partitions, sorted by topic then partition; every member is a key
 */
export function assign(partitionsPerTopic: Record<string, number>, subscriptions: Record<string, Subscription>): Assignment {
  const members = Object.keys(subscriptions).sort((a, b) => compareMembers(a, b, subscriptions));
  const assignment: Assignment = {};
  for (const m of members) assignment[m] = [];

  // topics in code-unit order, so each member's list comes out sorted by topic, then partition
  const topics = Object.keys(partitionsPerTopic).sort(compareStrings);
  for (const topic of topics) {
    const n = partitionsPerTopic[topic];
    const consumers = members.filter((m) => subscriptions[m].topics.includes(topic));
    const c = consumers.length;
    if (c === 0) continue;
    // 7 partitions, 3 members → 2 each, the first 7 % 3 = 1 gets one more → [3, 2, 2]
    const quota = Math.floor(n / c);
    const extra = n % c;
    consumers.forEach((m, i) => {
      const firstWithExtra = c - extra;
      const start = i * quota + Math.max(0, i - firstWithExtra);
      const length = quota + (i >= firstWithExtra ? 1 : 0);
      for (let p = start; p < start + length; p++) assignment[m].push({ topic, partition: p });
    });
  }
  return assignment;
}
