/**
 * Mistake: members sorted by the number in their id, so C2 comes before C10. Kafka compares the ids as strings,
 * by UTF-16 code unit: "C10" < "C2".
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

/** Natural order: compare the numbers inside the ids, so C2 comes before C10. */
function compareStrings(a: string, b: string): number {
  const na = Number((/\d+/.exec(a) ?? ['0'])[0]);
  const nb = Number((/\d+/.exec(b) ?? ['0'])[0]);
  if (na !== nb) return na - nb;
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
      const start = i * quota + Math.min(i, extra);
      const length = quota + (i < extra ? 1 : 0);
      for (let p = start; p < start + length; p++) assignment[m].push({ topic, partition: p });
    });
  }
  return assignment;
}
