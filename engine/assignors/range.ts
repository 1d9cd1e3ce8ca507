/**
 * Range: per topic, members sorted by memberId (static members first, by groupInstanceId).
 * With n partitions and c members, each gets floor(n/c); the first n % c get one more.
 *
 * Example: C0, C1 subscribe to t0, t1, each with 3 partitions:
 *   C0: [t0p0, t0p1, t1p0, t1p1]   C1: [t0p2, t1p2]
 *
 * Rack-aware (KIP-881), used only when members set `rackId`, the metadata names replica racks, and some
 * partition is missing from some rack: members first take, within their quota, partitions with a
 * replica on their own rack; topics with the same partition count and the same subscribers keep
 * "partition i of every topic → one member" (co-partitioning) before rack alignment; the rest is
 * handed out by plain range. Each member's list is then sorted by topic, partition.
 *
 * Note: the extra partitions go to the same members in every topic, so imbalance adds up
 * (C0 above has 4, C1 has 2). Range ignores ownedPartitions: a member joining or leaving can shift
 * every range. A static member keeps its place in the order across restarts (its groupInstanceId
 * stays), so a rolling bounce with group.instance.id reproduces the same assignment.
 *
 * Source: org.apache.kafka.clients.consumer.RangeAssignor (3.5+, with TopicAssignmentState),
 * AbstractPartitionAssignor#useRackAwareAssignment and MemberInfo.
 */
import { emptyAssignment, sortMembers, subscribedPartitionsPerTopic } from './assignor.ts';
import type { Assignment, AssignorMetadata, ConsumerPartitionAssignor, Subscription } from './assignor.ts';
import { compareTp } from '../common/notation.ts';

/** One topic's progress through the assignment (Kafka's RangeAssignor.TopicAssignmentState). */
interface TopicState {
  topic: string;
  /** subscribers of the topic, in Kafka's member order */
  consumers: string[];
  /** the member's rack, when it has one */
  consumerRack: Map<string, string>;
  /** racks of each partition's replicas; empty when no subscriber has a rack */
  partitionRacks: Set<string>[];
  needsRackAwareAssignment: boolean;
  /** partitions not yet assigned, ascending */
  unassigned: number[];
  numAssigned: Map<string, number>;
  numPartitionsPerConsumer: number;
  remainingConsumersWithExtraPartition: number;
}

/**
 * Kafka's rule for turning rack awareness on: some member has a rack that holds replicas, and not
 * every partition has replicas on every rack (otherwise every member is "local" to every partition).
 * Source: AbstractPartitionAssignor#useRackAwareAssignment.
 */
export function useRackAwareAssignment(consumerRacks: Set<string>, partitionRacks: Set<string>, racksPerPartition: Set<string>[]): boolean {
  if (consumerRacks.size === 0 || ![...consumerRacks].some((r) => partitionRacks.has(r))) return false;
  return !racksPerPartition.every((racks) => racks.size === partitionRacks.size && [...racks].every((r) => partitionRacks.has(r)));
}

function maxAssignable(state: TopicState, consumer: string): number {
  const max = state.numPartitionsPerConsumer + (state.remainingConsumersWithExtraPartition > 0 ? 1 : 0) - state.numAssigned.get(consumer)!;
  return Math.max(0, max);
}

function racksMatch(state: TopicState, consumer: string, partition: number): boolean {
  const rack = state.consumerRack.get(consumer);
  return rack === undefined || (state.partitionRacks[partition]?.has(rack) ?? false);
}

function assignTo(state: TopicState, consumer: string, partitions: number[], assignment: Assignment): void {
  for (const p of partitions) assignment[consumer].push({ topic: state.topic, partition: p });
  const n = state.numAssigned.get(consumer)! + partitions.length;
  state.numAssigned.set(consumer, n);
  if (n > state.numPartitionsPerConsumer) state.remainingConsumersWithExtraPartition--;
  const taken = new Set(partitions);
  state.unassigned = state.unassigned.filter((p) => !taken.has(p));
}

function assignRanges(state: TopicState, mayAssign: (consumer: string, partition: number) => boolean, assignment: Assignment): void {
  for (const consumer of state.consumers) {
    if (state.unassigned.length === 0) break;
    const limit = maxAssignable(state, consumer);
    const chosen: number[] = [];
    for (const p of state.unassigned) {
      if (chosen.length >= limit) break;
      if (mayAssign(consumer, p)) chosen.push(p);
    }
    if (chosen.length > 0) assignTo(state, consumer, chosen, assignment);
  }
}

/** Topics with the same subscribers and partition count: partition i of each goes to one member. */
function assignCoPartitionedWithRackMatching(
  consumers: string[],
  numPartitions: number,
  states: TopicState[],
  assignment: Assignment,
): void {
  const remaining = [...consumers];
  for (let p = 0; p < numPartitions; p++) {
    const consumer = remaining.find((c) => states.every((s) => racksMatch(s, c, p) && maxAssignable(s, c) > 0));
    if (consumer === undefined) continue;
    for (const s of states) assignTo(s, consumer, [p], assignment);
    if (states.every((s) => maxAssignable(s, consumer) === 0)) {
      remaining.splice(remaining.indexOf(consumer), 1);
      if (remaining.length === 0) break;
    }
  }
}

function assignWithRackMatching(states: TopicState[], assignment: Assignment): void {
  // group by (subscribers with their racks), then by partition count
  const groups = new Map<string, Map<number, TopicState[]>>();
  for (const s of states) {
    const key = JSON.stringify(s.consumers.map((c) => [c, s.consumerRack.get(c) ?? null]));
    const byCount = groups.get(key) ?? new Map<number, TopicState[]>();
    groups.set(key, byCount);
    const list = byCount.get(s.partitionRacks.length) ?? [];
    byCount.set(s.partitionRacks.length, list);
    list.push(s);
  }
  for (const byCount of groups.values()) {
    for (const [numPartitions, coPartitioned] of byCount) {
      if (coPartitioned.length > 1) {
        assignCoPartitionedWithRackMatching(coPartitioned[0].consumers, numPartitions, coPartitioned, assignment);
      } else {
        const s = coPartitioned[0];
        if (s.needsRackAwareAssignment) assignRanges(s, (c, p) => racksMatch(s, c, p), assignment);
      }
    }
  }
}

/**
 * Kafka's RangeAssignor (`range`, the default strategy before Kafka 3.0's `[range, cooperative-sticky]`).
 * Rack-aware when `metadata.partitionRacks` and members' `rackId` allow it (KIP-881).
 */
export const RangeAssignor: ConsumerPartitionAssignor = {
  name: 'range',
  supportedProtocols: ['eager'],
  assign(partitionsPerTopic: Record<string, number>, subscriptions: Record<string, Subscription>, metadata?: AssignorMetadata): Assignment {
    const counts = subscribedPartitionsPerTopic(partitionsPerTopic, subscriptions);
    const assignment = emptyAssignment(subscriptions);
    const members = sortMembers(subscriptions);
    const consumerRack = new Map<string, string>();
    for (const m of members) {
      const rack = subscriptions[m].rackId;
      if (rack != null && rack !== '') consumerRack.set(m, rack);
    }

    const states: TopicState[] = [];
    for (const [topic, n] of counts) {
      if (n === 0) continue;
      const consumers = members.filter((m) => subscriptions[m].topics.includes(topic));
      const topicConsumerRacks = new Set(consumers.filter((c) => consumerRack.has(c)).map((c) => consumerRack.get(c)!));
      const allPartitionRacks = new Set<string>();
      const partitionRacks: Set<string>[] = [];
      if (topicConsumerRacks.size > 0) {
        for (let p = 0; p < n; p++) {
          const racks = new Set((metadata?.partitionRacks?.[topic]?.[p] ?? []).filter((r) => r != null));
          partitionRacks.push(racks);
          for (const r of racks) allPartitionRacks.add(r);
        }
      }
      states.push({
        topic,
        consumers,
        consumerRack: new Map(consumers.filter((c) => consumerRack.has(c)).map((c) => [c, consumerRack.get(c)!])),
        partitionRacks,
        needsRackAwareAssignment: useRackAwareAssignment(topicConsumerRacks, allPartitionRacks, partitionRacks),
        unassigned: Array.from({ length: n }, (_, p) => p),
        numAssigned: new Map(consumers.map((c) => [c, 0])),
        // 7 partitions, 3 members → 2 each, the first 7 % 3 = 1 gets +1 → [3, 2, 2]
        numPartitionsPerConsumer: consumers.length === 0 ? 0 : Math.floor(n / consumers.length),
        remainingConsumersWithExtraPartition: consumers.length === 0 ? 0 : n % consumers.length,
      });
    }

    const useRackAware = states.some((s) => s.needsRackAwareAssignment);
    if (useRackAware) assignWithRackMatching(states, assignment);
    for (const s of states) assignRanges(s, () => true, assignment);
    if (useRackAware) for (const m of members) assignment[m].sort(compareTp);
    return assignment;
  },
};
