/**
 * Which partitions does each member of a consumer group get, under Kafka's range assignor?
 *
 * Topic by topic: take the members that subscribe to the topic, in Kafka's member order — static
 * members (with a groupInstanceId) first, sorted by groupInstanceId, then the others, sorted by memberId;
 * strings compared by UTF-16 code unit, like Java's compareTo. With n partitions and c subscribers,
 * each gets floor(n / c) consecutive partitions, and the first n % c get one more.
 *
 * Example: C0 and C1 subscribe to t0 and t1, each with 3 partitions.
 *   3 partitions, 2 members → 1 each, and the first (C0) gets one more, in both topics:
 *   C0: [t0p0, t0p1, t1p0, t1p1]   C1: [t0p2, t1p2]
 *
 * Every member appears in the result, with [] if it gets nothing. Each member's list is sorted by
 * topic, then partition. The types (Subscription, TopicPartition, Assignment) are in the editor's types.
 * You may write helper functions in this file. Nothing can be imported: only JavaScript's built-ins exist.
 *
 * @param partitionsPerTopic topic → its partition count, e.g. { t0: 3, t1: 3 }
 * @param subscriptions memberId → { topics, groupInstanceId? }, e.g. { C0: { topics: ['t0', 't1'] } }
 * @returns memberId → its partitions, e.g. { C0: [{ topic: 't0', partition: 0 }, …], C1: […] }
 */
export function assign(partitionsPerTopic: Record<string, number>, subscriptions: Record<string, Subscription>): Assignment {
  throw new Error('Remove this line and implement assign()');
}
