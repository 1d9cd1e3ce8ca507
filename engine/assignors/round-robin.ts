/**
 * Round robin: lay out every partition of every subscribed topic (topics by name, partitions in
 * order) and deal them one by one to the members, in Kafka's member order (static members first by
 * groupInstanceId, then memberId), going round in a circle; a member not subscribed to the
 * partition's topic is skipped.
 *
 * Example: C0, C1 subscribe to t0, t1, each with 3 partitions:
 *   t0p0→C0, t0p1→C1, t0p2→C0, t1p0→C1, t1p1→C0, t1p2→C1
 *   C0: [t0p0, t0p2, t1p1]   C1: [t0p1, t1p0, t1p2]
 *
 * Example with different subscriptions: t0 (1), t1 (2), t2 (3); C0 → [t0], C1 → [t0, t1],
 * C2 → [t0, t1, t2]:
 *   C0: [t0p0]   C1: [t1p0]   C2: [t1p1, t2p0, t2p1, t2p2]
 *   (t1p1 could have gone to C1 for balance; round robin does not look back.)
 *
 * Note: balanced (counts within one) only when every member subscribes to the same topics. It
 * ignores ownedPartitions, so one member joining can move almost every partition.
 *
 * Source: org.apache.kafka.clients.consumer.RoundRobinAssignor (with CircularIterator over sorted
 * MemberInfo).
 */
import { emptyAssignment, sortMembers, subscribedPartitionsPerTopic } from './assignor.ts';
import type { Assignment, ConsumerPartitionAssignor, Subscription } from './assignor.ts';

/** Kafka's RoundRobinAssignor (`roundrobin`). */
export const RoundRobinAssignor: ConsumerPartitionAssignor = {
  name: 'roundrobin',
  supportedProtocols: ['eager'],
  assign(partitionsPerTopic: Record<string, number>, subscriptions: Record<string, Subscription>): Assignment {
    const counts = subscribedPartitionsPerTopic(partitionsPerTopic, subscriptions); // topics sorted by name
    const assignment = emptyAssignment(subscriptions);
    const members = sortMembers(subscriptions);
    if (members.length === 0) return assignment;
    const topicSets = members.map((m) => new Set(subscriptions[m].topics));
    let next = 0; // the circular iterator's position
    for (const [topic, n] of counts) {
      for (let p = 0; p < n; p++) {
        // skip members not subscribed to this topic; one is, since the topic is in someone's subscription
        while (!topicSets[next].has(topic)) next = (next + 1) % members.length;
        assignment[members[next]].push({ topic, partition: p });
        next = (next + 1) % members.length;
      }
    }
    return assignment;
  },
};
