/**
 * Types for the `range-assignor` checkpoint, given to the editor as an extra lib.
 * Ambient (no imports, no exports): everything here is visible in your file without an import.
 * These are types only; nothing here exists at run time. Your code must define every function it calls.
 */

/**
 * One partition of one topic (Kafka's `TopicPartition`). In the lesson's notation,
 * `{ topic: 't0', partition: 1 }` is written t0p1.
 */
interface TopicPartition {
  /** the topic's name, e.g. `t0` */
  topic: string;
  /** the partition number, an integer in [0, partition count of the topic) */
  partition: number;
}

/**
 * What a member tells the group when it joins (Kafka's `ConsumerPartitionAssignor.Subscription`),
 * reduced to what the range assignor reads.
 */
interface Subscription {
  /**
   * The topics this member subscribes to, in no particular order. A topic may be missing from
   * `partitionsPerTopic` (deleted, or not created yet): it has no partitions to give.
   */
  topics: string[];
  /**
   * `group.instance.id` for a static member (KIP-345). Absent or `null` for a dynamic member.
   * Static members come first in the member order, sorted by this id.
   */
  groupInstanceId?: string | null;
}

/**
 * memberId → the partitions assigned to it (Kafka's `Map<String, List<TopicPartition>>`).
 * Every member of the group is a key, with `[]` when it gets nothing. Each list is sorted by topic
 * (UTF-16 code-unit order), then by partition: `C0: [t0p0, t0p1, t1p0]`.
 */
type Assignment = Record<string, TopicPartition[]>;

/**
 * The function this checkpoint asks for: Kafka's RangeAssignor.
 * @param partitionsPerTopic topic → its partition count (a non-negative integer); topics nobody subscribes to may be listed
 * @param subscriptions memberId → its Subscription (1–12 members in the tests)
 * @returns the assignment: every member, each with its partitions sorted by topic, then partition
 */
type RangeAssign = (partitionsPerTopic: Record<string, number>, subscriptions: Record<string, Subscription>) => Assignment;
