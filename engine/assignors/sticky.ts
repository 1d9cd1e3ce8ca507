/**
 * Sticky: a balanced assignment that keeps as many previously owned partitions in place as it can.
 * Two goals, in order: (1) balance — counts differ by at most one, or no partition could move to a
 * member with 2+ fewer; (2) stickiness — move no more partitions than (1) needs.
 *
 * Phase 0 (claims). Each member reports ownedPartitions and the generationId it owned them in. The
 * highest generation's claim wins; two claims at the same generation are both dropped (the partition
 * is treated as unowned); partitions of deleted topics, or of topics nobody subscribes to, are ignored.
 *
 * When every member subscribes to the same topics (the "constrained" path), with P partitions and
 * N members: minQuota = floor(P/N), maxQuota = ceil(P/N), and P % N members get maxQuota.
 *   1. Each member keeps its owned partitions, sorted by (partition, topic): all of them if fewer
 *      than minQuota; maxQuota of them while fewer than P % N members have been given maxQuota;
 *      otherwise minQuota. The rest are revoked.
 *   2. Unassigned partitions (by topic, partition) are dealt round robin to the members under
 *      minQuota (sorted by memberId), then one each to members at minQuota until P % N have maxQuota.
 * Otherwise (the "general" path):
 *   1. Keep each member's owned partitions of topics it still subscribes to.
 *   2. Give each unassigned partition (topics with fewest subscribers first) to the least-loaded
 *      member subscribed to it (least-loaded: fewest partitions, then memberId).
 *   3. Balancing passes: while unbalanced, move a partition from a member to one with 2+ fewer,
 *      preferring to send it back to its previous-generation owner, and undoing an earlier move of
 *      the same topic between the same two members instead where there is one; first over the newly
 *      assigned partitions, then over all; keep the result only if the balance score improved.
 *
 * Example: t0 with 3 partitions. C0, C1 join: C0: [t0p0, t0p2]  C1: [t0p1]. Then C2 joins
 * (C0 owns [t0p0, t0p2], C1 owns [t0p1], generation 1): minQuota = maxQuota = 1, so C0 keeps t0p0,
 * revokes t0p2, C1 keeps t0p1, and t0p2 goes to C2 — one move, the fewest possible.
 *   C0: [t0p0]   C1: [t0p1]   C2: [t0p2]
 *
 * Rack-aware (KIP-881), used only when members set `rackId`, the metadata names replica racks, and
 * some partition is missing from some rack: owned partitions whose replicas are not on the member's
 * rack are given up, and new partitions go first to members on a rack holding a replica — always
 * within the balance quotas (balance first, racks second). This follows Kafka after KAFKA-15170 (an
 * owned partition given up for rack alignment counts as transferring; the rack round robin stops at
 * the expected number of maxQuota members).
 *
 * Note: the sticky assignor runs the eager protocol (every member gives up everything before the
 * rebalance and gets its sticky share back after); see CooperativeStickyAssignor for the incremental
 * one. Kafka's StickyAssignor carries a member's previous assignment and generation in the
 * subscription's userData; here `ownedPartitions` + `generationId` play that role for both.
 *
 * Note (ties, as in the Java client): the leader fills a java.util.HashMap with the subscriptions in
 * JoinGroup order, and Kafka walks that map for the claims, for who keeps maxQuota on the constrained
 * path, and for which of two same-generation previous owners counts. Pass `subscriptions` with its
 * keys in JoinGroup order (the group coordinator does): we walk them as such a HashMap iterates them
 * (javaHashMapOrder: bucket by bucket, insertion order within a bucket). Example: consumer-Q and
 * consumer-A share bucket 13 of 16; t0 (7 partitions), Q owns t0p3–t0p5, A owns t0p0–t0p2, C joins
 * (generation 1): whichever of Q, A joined first keeps 3, the other 2. "Undo an earlier move" takes
 * the partition a HashSet<TopicPartition> iterates first (JavaHashSetOrder, with TopicPartition's hash
 * 31·(31 + partition) + topic.hashCode()). Warning: JavaScript iterates integer-like keys ("7", "42")
 * first, in numeric order, whatever the insertion order — give members non-numeric ids.
 *
 * Differences from Kafka, on purpose (trunk 1eb7644; everywhere else the engine gives Kafka's answer,
 * and on inputs where Kafka's answer is valid it never moves more partitions or ends less balanced):
 *   1. Kafka hands a partition back to its previous-generation owner without checking that the owner
 *      still subscribes to the topic. The engine does the same, except where the final assignment
 *      would then give a member a partition of a topic it does not subscribe to, or where Kafka would
 *      throw: there it runs the same steps without that hand-back.
 *        t0 (4), t1 (2); X → [t1] owned [t0p0] in generation 1; Y → [t0] owned [t0p0–t0p3] in
 *        generation 2; Z → [t0]; W → [t1].
 *        Kafka:  X: [t1p1, t0p0]   Y: [t0p2, t0p3]   Z: [t0p1]         W: [t1p0]   (X does not subscribe to t0)
 *        engine: X: [t1p1]         Y: [t0p2, t0p3]   Z: [t0p0, t0p1]   W: [t1p0]
 *      With t1 (1) and no W, X's assignment is fixed and Kafka throws a NullPointerException; the
 *      engine returns X: [t1p0]  Y: [t0p2, t0p3]  Z: [t0p0, t0p1].
 *   2. A topic re-created with fewer partitions: Kafka checks only the topic name of an owned
 *      partition and keeps one that no longer exists; the engine drops it.
 *        t0 (2), t1 (2); C0 → [t0, t1] owned [t0p0, t0p3], C1 → [t0] owned [t0p1], both generation 1.
 *        Kafka:  C0: [t0p3, t1p0, t1p1]   C1: [t0p1, t0p0]   (t0p3 does not exist)
 *        engine: C0: [t1p0, t1p1]         C1: [t0p1, t0p0]
 *   3. Kafka's balancing passes (general path, step 3) can go on forever: undoing an earlier move
 *      recreates the imbalance the next pass moves again. A pass that starts in a state an earlier
 *      pass started in (assignment and move records) would repeat forever; the engine stops there, or
 *      after MAX_BALANCING_PASSES passes of one round, drops the passes' moves and balances greedily
 *      from the assignment of step 2: move a partition from its owner to the least-loaded subscriber
 *      with 2+ fewer (to its previous owner if that one qualifies) until no such move is left. Each
 *      move lowers Σ count² by 2 or more, so this ends, and it stops only when balanced.
 *        t0 (29), t1 (7), t2 (14), t3 (13); in JoinGroup order C3 → [t2], C0 → [t0], C2 → [t1],
 *        C4 → [t1, t0, t2] owning t1p0–t1p4 and t1p6 (generation 1), C1 → [t2, t3].
 *        Kafka: moving t2p0 from C4 to C1 becomes "undo": t2p13 from C3 to C1; the next pass moves it
 *        back; the call never returns.
 *        engine: C0: 15 of t0   C1: t3p0–t3p12, t2p0   C2: t1p0–t1p6   C3: t2p1–t2p13   C4: 14 of t0
 *   Not modelled: a java.util.HashMap/HashSet bucket with 9+ entries in a table of 64+ buckets
 *   becomes a tree, which iterates in another order (9 members, or 9 moved partitions of one topic
 *   between the same two members, in one bucket).
 *
 * Source: org.apache.kafka.clients.consumer.internals.AbstractStickyAssignor (3.5+:
 * allSubscriptionsEqual, ConstrainedAssignmentBuilder, GeneralAssignmentBuilder, PartitionMovements),
 * org.apache.kafka.clients.consumer.StickyAssignor; KIP-54 (sticky), KIP-881 (racks), KAFKA-9987 and
 * KAFKA-12464 (constrained path), KAFKA-12984 (claims by generation), KAFKA-15106, KAFKA-15170.
 * Checked against Kafka's own classes (trunk 1eb7644, compiled with javac) on random groups (issue 15).
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
    return {
      assignment: {},
      partitionsTransferringOwnership: new Map(),
      maxGeneration: DEFAULT_GENERATION,
      path: 'constrained',
      balancing: NO_BALANCING,
    };
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
