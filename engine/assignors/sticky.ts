/**
 * Sticky: a balanced assignment that keeps as many previously owned partitions in place as it can.
 * Two goals, in order: (1) balance — counts differ by at most one, or no partition could move to a
 * member with 2+ fewer; (2) stickiness — move no more partitions than (1) needs.
 *
 * Phase 0 (claims). Each member reports ownedPartitions and the generationId it owned them in. The
 * highest generation's claim wins; two claims at the same generation are both dropped (the partition
 * is treated as unowned); partitions of deleted or unsubscribed topics are ignored.
 *
 * When every member subscribes to the same topics (the "constrained" path), with P partitions and
 * N members: minQuota = floor(P/N), maxQuota = ceil(P/N), and P % N members get maxQuota.
 *   1. Each member keeps its owned partitions, sorted by (partition, topic): all of them if fewer
 *      than minQuota; maxQuota of them while fewer than P % N members have been given maxQuota;
 *      otherwise minQuota. The rest are revoked.
 *   2. Unassigned partitions (by topic, partition) are dealt round robin to the members under
 *      minQuota (sorted by memberId), then one each to members at minQuota until P % N have maxQuota.
 * Otherwise (the "general" path):
 *   1. Keep each member's valid owned partitions.
 *   2. Give each unassigned partition (topics with fewest subscribers first) to the least-loaded
 *      member subscribed to it.
 *   3. While unbalanced, move partitions from a member to one with 2+ fewer, preferring to send a
 *      partition back to its previous-generation owner; keep the result only if balance improved.
 *
 * Example: t0 with 3 partitions. C0, C1 join: C0: [t0p0, t0p2]  C1: [t0p1]. Then C2 joins
 * (C0 owns [t0p0, t0p2], C1 owns [t0p1], generation 1): minQuota = maxQuota = 1, so C0 keeps t0p0,
 * revokes t0p2, C1 keeps t0p1, and t0p2 goes to C2 — one move, the fewest possible.
 *   C0: [t0p0]   C1: [t0p1]   C2: [t0p2]
 *
 * Rack-aware (KIP-881), used only when members set `rackId`, the metadata names replica racks, and
 * some partition is missing from some rack: owned partitions whose replicas are not on the member's
 * rack are given up, and new partitions go first to members on a rack holding a replica — always
 * within the balance quotas (balance first, racks second).
 *
 * Note: the sticky assignor runs the eager protocol (every member gives up everything before the
 * rebalance and gets its sticky share back after); see CooperativeStickyAssignor for the incremental
 * one. Kafka's StickyAssignor carries a member's previous assignment and generation in the
 * subscription's userData; here `ownedPartitions` + `generationId` play that role for both.
 * Deviation, for safety: where Kafka would hand a partition back to a previous-generation owner that
 * no longer subscribes to its topic, we skip that step (it would be an invalid assignment).
 * Rack-aware parts follow Kafka after KAFKA-15170 (an owned partition given up for rack alignment
 * counts as transferring; the rack round robin stops at the expected number of maxQuota members).
 * Where Kafka walks a java.util.HashMap of members (claims; who keeps maxQuota), we walk the members
 * in the order such a HashMap iterates them (javaHashMapOrder), so ties break as in the Java client.
 *
 * Source: org.apache.kafka.clients.consumer.internals.AbstractStickyAssignor (3.5+:
 * allSubscriptionsEqual, ConstrainedAssignmentBuilder, GeneralAssignmentBuilder, PartitionMovements),
 * org.apache.kafka.clients.consumer.StickyAssignor; KIP-54 (sticky), KIP-881 (racks), KAFKA-9987 and
 * KAFKA-12464 (constrained path), KAFKA-12984 (claims by generation), KAFKA-15106, KAFKA-15170.
 */
import { DEFAULT_GENERATION, compareStrings, javaHashMapOrder, sameSet, subscribedPartitionsPerTopic } from './assignor.ts';
import type { Assignment, AssignorMetadata, ConsumerPartitionAssignor, Subscription } from './assignor.ts';
import { tpKey } from '../common/notation.ts';
import type { PartitionSpace } from './sticky-common.ts';
import { idOf, partitionSpace, rackInfo, removeValue, toTp } from './sticky-common.ts';
import { constrainedAssign } from './sticky-constrained.ts';
import { GeneralAssignment, KafkaHandBackFailure } from './sticky-general.ts';

/** The full outcome of a sticky assignment, for the cooperative variant and for tests. */
export interface StickyAssignResult {
  assignment: Assignment;
  /**
   * partition (as `topic-partition`, Kafka's TopicPartition#toString) → the member it moves to, for
   * partitions another member owned (or several claimed) before this rebalance. Computed on the
   * constrained path only; `null` on the general path (Kafka's partitionsTransferringOwnership).
   */
  partitionsTransferringOwnership: Map<string, string> | null;
  /** the highest generationId among the subscriptions (DEFAULT_GENERATION when none) */
  maxGeneration: number;
  /** which algorithm ran */
  path: 'constrained' | 'general';
  /**
   * the general path's balancing: passes made (Kafka's performReassignments loops), whether they
   * would have looped forever (then the greedy fallback ran) and the fallback's moves; zeros on the
   * constrained path, which has no such loop
   */
  balancing: { passes: number; livelock: boolean; greedyMoves: number };
}

/**
 * Run Kafka's AbstractStickyAssignor on plain data.
 * @param partitionsPerTopic partition count per existing topic
 * @param subscriptions memberId → Subscription (ownedPartitions + generationId feed stickiness)
 * @returns the assignment plus what the cooperative variant needs
 */
export function stickyAssign(
  partitionsPerTopic: Record<string, number>,
  subscriptions: Record<string, Subscription>,
  metadata?: AssignorMetadata,
): StickyAssignResult {
  const counts = subscribedPartitionsPerTopic(partitionsPerTopic, subscriptions);
  const members = Object.keys(subscriptions).sort(compareStrings); // index = rank in memberId order
  if (members.length === 0) {
    return { assignment: {}, partitionsTransferringOwnership: new Map(), maxGeneration: DEFAULT_GENERATION, path: 'constrained', balancing: NO_BALANCING };
  }
  const space = partitionSpace(counts);
  const racks = rackInfo(space, members, subscriptions, metadata);

  // Phase 0: claims (Kafka's allSubscriptionsEqual): highest generation wins, same-generation ties dropped.
  const generation = members.map((m) => subscriptions[m].generationId ?? DEFAULT_GENERATION);
  const maxGeneration = Math.max(DEFAULT_GENERATION, ...generation);
  const firstTopics = new Set(subscriptions[members[0]].topics);
  const allEqual = members.every((m) => sameSet(new Set(subscriptions[m].topics), firstTopics));
  const owned: number[][] = members.map(() => []);
  const claimedBy = new Int32Array(space.total).fill(-1);
  const multipleOwners = new Set<number>();
  // Kafka walks the leader's subscriptions HashMap, filled in JoinGroup order; the key order of
  // `subscriptions` is that insertion order, so we walk the members as such a HashMap iterates them
  const memberIndex = new Map(members.map((m, i) => [m, i]));
  const hashOrder = javaHashMapOrder(Object.keys(subscriptions)).map((m) => memberIndex.get(m)!);
  hashOrder.forEach((mi) => {
    for (const tp of subscriptions[members[mi]].ownedPartitions ?? []) {
      const id = idOf(space, tp);
      if (id < 0) continue; // deleted topic, unsubscribed-by-everyone topic, or no such partition
      const other = claimedBy[id];
      if (other < 0) {
        owned[mi].push(id);
        claimedBy[id] = mi;
      } else if (generation[mi] === generation[other]) {
        multipleOwners.add(id); // two claims in one generation: nobody keeps it
        removeValue(owned[other], id);
        claimedBy[id] = mi;
      } else if (generation[mi] > generation[other]) {
        owned[mi].push(id);
        removeValue(owned[other], id);
        claimedBy[id] = mi;
      } // else the other member's newer claim stands
    }
  });

  if (allEqual) {
    const { assignment, transferring } = constrainedAssign(space, members, hashOrder, owned, multipleOwners, racks);
    return {
      assignment: toAssignment(space, members, assignment),
      partitionsTransferringOwnership: new Map([...transferring].map(([id, m]) => [tpKey(toTp(space, id)), members[m]])),
      maxGeneration,
      path: 'constrained',
      balancing: NO_BALANCING,
    };
  }
  // Kafka's way first; where it would give a member a partition of a topic it no longer subscribes
  // to (or throw), the same algorithm without that hand-back (see the header: differences)
  let builder = new GeneralAssignment(space, members, hashOrder, subscriptions, owned, maxGeneration, racks, true);
  let assignment: number[][] | null = null;
  try {
    assignment = builder.build();
    if (!builder.valid()) assignment = null;
  } catch (e) {
    if (!(e instanceof KafkaHandBackFailure)) throw e;
  }
  if (assignment === null) {
    builder = new GeneralAssignment(space, members, hashOrder, subscriptions, owned, maxGeneration, racks, false);
    assignment = builder.build();
  }
  return {
    assignment: toAssignment(space, members, assignment),
    partitionsTransferringOwnership: null,
    maxGeneration,
    path: 'general',
    balancing: { passes: builder.passes, livelock: builder.livelock, greedyMoves: builder.greedyMoves },
  };
}

const NO_BALANCING = { passes: 0, livelock: false, greedyMoves: 0 };

function toAssignment(space: PartitionSpace, members: string[], lists: number[][]): Assignment {
  const out: Assignment = {};
  members.forEach((m, i) => {
    out[m] = lists[i].map((id) => toTp(space, id));
  });
  return out;
}

/** Kafka's StickyAssignor (`sticky`): balanced and sticky, eager protocol. */
export const StickyAssignor: ConsumerPartitionAssignor = {
  name: 'sticky',
  supportedProtocols: ['eager'],
  assign(partitionsPerTopic: Record<string, number>, subscriptions: Record<string, Subscription>, metadata?: AssignorMetadata): Assignment {
    return stickyAssign(partitionsPerTopic, subscriptions, metadata).assignment;
  },
};
