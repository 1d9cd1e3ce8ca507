/**
 * One member's reconciliation under the consumer protocol (KIP-848): the step the group
 * coordinator takes for a member towards its target assignment, on its own — no global barrier.
 *
 * The rule (CurrentAssignmentBuilder#computeNextAssignment):
 *   1. keep    = what it holds ∩ its target.
 *   2. revoke  = what it holds − its target. If anything must go, it goes FIRST: the member stays
 *      at its epoch, receives nothing new, and is UNREVOKED_PARTITIONS until it reports (in a
 *      heartbeat) that it no longer owns them. Revoke before assign.
 *   3. Otherwise it moves to the target's epoch and receives target − keep, except the partitions
 *      another member still owns (a partition is free for its new owner only after its previous
 *      owner reports it revoked): those are unreleased, and the member is UNRELEASED_PARTITIONS
 *      until a later heartbeat finds them free; with nothing unreleased it is STABLE.
 *
 * Example: C1 holds [t0p2, t0p3] at epoch 1; target epoch 2 is [t0p1, t0p2]; C0 still owns t0p1.
 *   keep [t0p2], revoke [t0p3] → UNREVOKED_PARTITIONS, epoch 1, receive []. After C1 reports t0p3
 *   revoked (holding [t0p2]): keep [t0p2], revoke [], t0p1 unreleased → UNRELEASED_PARTITIONS,
 *   epoch 2, receive []. Once C0 reports t0p1 revoked: receive [t0p1] → STABLE, epoch 2.
 *
 * Caveats: subscription changes and regular expressions are left out (the target already excludes
 * unsubscribed topics here); the coordinator (./group-coordinator.ts) skips the step while the member
 * still reports owning partitions pending revocation (CurrentAssignmentBuilder#build, state
 * UNREVOKED_PARTITIONS).
 *
 * Source: Kafka's group-coordinator CurrentAssignmentBuilder (modern/consumer), MemberState; KIP-848.
 */
import { compareTp, tpKey } from '../../common/notation.ts';
import type { TopicPartition } from '../../common/record.ts';
import type { MemberState } from './protocol-types.ts';

/** What a member has when reconciliation runs: its epoch and the partitions it holds (none pending revocation). */
export interface MemberAssignmentState {
  memberEpoch: number;
  assigned: TopicPartition[];
}

/** The member's target: the group's assignment epoch and the member's partitions in it. */
export interface MemberTarget {
  assignmentEpoch: number;
  partitions: TopicPartition[];
}

/** The step: partitions kept, revoked now, received now (all sorted, t0p0 < t0p1 < t1p0), and the member's next state. */
export interface ReconcileResult {
  keep: TopicPartition[];
  revoke: TopicPartition[];
  receive: TopicPartition[];
  /** in the target but still owned by another member: received on a later heartbeat */
  unreleased: TopicPartition[];
  nextState: { state: MemberState; memberEpoch: number };
}

/**
 * Reconcile one member towards its target (pure; inputs are not modified).
 * @param current the member's epoch and the partitions it holds
 * @param target the target assignment's epoch and this member's partitions in it
 * @param ownedElsewhere partitions other members still own (assigned to them or pending their revocation)
 * @returns keep / revoke / receive / unreleased (sorted, without duplicates) and the next state
 * @throws RangeError when an epoch is not a non-negative integer
 */
export function reconcileMember(
  current: MemberAssignmentState,
  target: MemberTarget,
  ownedElsewhere: readonly TopicPartition[],
): ReconcileResult {
  for (const [name, v] of [
    ['current.memberEpoch', current.memberEpoch],
    ['target.assignmentEpoch', target.assignmentEpoch],
  ] as const) {
    if (!Number.isInteger(v) || v < 0) throw new RangeError(`Expected ${name} to be a non-negative integer, got ${String(v)}`);
  }
  const targetKeys = new Set(target.partitions.map(tpKey));
  const heldKeys = new Set(current.assigned.map(tpKey));
  const elsewhere = new Set(ownedElsewhere.map(tpKey));
  const keep = unique(current.assigned.filter((tp) => targetKeys.has(tpKey(tp))));
  const revoke = unique(current.assigned.filter((tp) => !targetKeys.has(tpKey(tp))));
  const pending = unique(target.partitions.filter((tp) => !heldKeys.has(tpKey(tp))));
  const unreleased = pending.filter((tp) => elsewhere.has(tpKey(tp)));
  const free = pending.filter((tp) => !elsewhere.has(tpKey(tp)));
  if (revoke.length > 0) {
    return { keep, revoke, receive: [], unreleased, nextState: { state: 'UNREVOKED_PARTITIONS', memberEpoch: current.memberEpoch } };
  }
  return {
    keep,
    revoke: [],
    receive: free,
    unreleased,
    nextState: { state: unreleased.length > 0 ? 'UNRELEASED_PARTITIONS' : 'STABLE', memberEpoch: target.assignmentEpoch },
  };
}

function unique(tps: TopicPartition[]): TopicPartition[] {
  const seen = new Set<string>();
  const out: TopicPartition[] = [];
  for (const tp of tps) {
    const k = tpKey(tp);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push({ topic: tp.topic, partition: tp.partition });
  }
  return out.sort(compareTp);
}
