/**
 * Cooperative sticky: the sticky assignment, minus every partition that is moving from one member to
 * another. Those are revoked by their current owner in this rebalance and assigned to their new
 * owner in the follow-up rebalance, so a partition is never owned by two members at once and the
 * members that keep their partitions never stop consuming them.
 *
 *   1. Compute the sticky assignment (see StickyAssignor), with ownedPartitions and generations.
 *   2. A partition is "transferring" when the sticky assignment gives it to member B while another
 *      member A still claims it (A revokes it). Remove it from B's assignment for now.
 *   3. A revokes it after this rebalance and, because it revoked something, rejoins; in the follow-up
 *      rebalance nobody owns it any more and the sticky assignment gives it to B.
 *
 * Example: t0 with 3 partitions; C0 owns [t0p0, t0p1, t0p2] (generation 1); C1 joins.
 *   Rebalance 1: sticky says C0: [t0p0, t0p1], C1: [t0p2]; t0p2 is still owned by C0, so
 *                C0: [t0p0, t0p1]   C1: []          (C0 revokes t0p2 and keeps consuming t0p0, t0p1)
 *   Rebalance 2: C0 owns [t0p0, t0p1] (generation 2), nobody owns t0p2
 *                C0: [t0p0, t0p1]   C1: [t0p2]
 *
 * Note: a partition claimed by two members in the same generation counts as owned by both, so it
 * also waits for the follow-up rebalance — even when a third member claims it in a newer generation
 * and the sticky assignment gives it to that one (Kafka holds it back unconditionally: B and C claim
 * t0p0 in generation 5, A0 in 6 → A0 gets it only in the follow-up); so does one its owner gives
 * up for rack alignment (KIP-881, when `metadata.partitionRacks` and members' rackId are given).
 * The group runs the cooperative protocol only if every member's assignors support it (this one
 * supports both cooperative and eager).
 *
 * Source: org.apache.kafka.clients.consumer.CooperativeStickyAssignor (adjustAssignment,
 * computePartitionsTransferringOwnership); KIP-429.
 */
import { stickyAssign } from './sticky.ts';
import type { Assignment, AssignorMetadata, ConsumerPartitionAssignor, Subscription } from './assignor.ts';
import { tpKey } from '../common/notation.ts';

/**
 * The sticky assignment with transferring partitions held back, plus which ones were held back.
 * @returns `assignment` (what each member gets now) and `transferring` (`topic-partition` → the
 *   member it will go to in the follow-up rebalance)
 */
export function cooperativeStickyAssign(
  partitionsPerTopic: Record<string, number>,
  subscriptions: Record<string, Subscription>,
  metadata?: AssignorMetadata,
): { assignment: Assignment; transferring: Map<string, string> } {
  const { assignment, partitionsTransferringOwnership } = stickyAssign(partitionsPerTopic, subscriptions, metadata);
  let transferring = partitionsTransferringOwnership;
  if (transferring === null) {
    // the general path does not track movements: added ∩ revoked, from the raw ownedPartitions
    // (Kafka's CooperativeStickyAssignor#computePartitionsTransferringOwnership)
    const added = new Map<string, string>();
    const revoked = new Set<string>();
    for (const member of Object.keys(assignment)) {
      const ownedKeys = new Set((subscriptions[member].ownedPartitions ?? []).map(tpKey));
      const assignedKeys = new Set(assignment[member].map(tpKey));
      for (const k of assignedKeys) if (!ownedKeys.has(k)) added.set(k, member);
      for (const k of ownedKeys) if (!assignedKeys.has(k)) revoked.add(k);
    }
    transferring = new Map([...added].filter(([k]) => revoked.has(k)));
  }
  // hold each transferring partition back from the member it is going to (Kafka's adjustAssignment)
  for (const member of new Set(transferring.values())) {
    assignment[member] = assignment[member].filter((tp) => transferring.get(tpKey(tp)) !== member);
  }
  return { assignment, transferring };
}

/** Kafka's CooperativeStickyAssignor (`cooperative-sticky`): sticky, incremental (KIP-429). */
export const CooperativeStickyAssignor: ConsumerPartitionAssignor = {
  name: 'cooperative-sticky',
  supportedProtocols: ['cooperative', 'eager'],
  assign(partitionsPerTopic: Record<string, number>, subscriptions: Record<string, Subscription>, metadata?: AssignorMetadata): Assignment {
    return cooperativeStickyAssign(partitionsPerTopic, subscriptions, metadata).assignment;
  },
};
