/**
 * Types for the `reconcile` checkpoint, given to the editor as an extra lib.
 * Ambient (no imports, no exports): everything here is visible in your file without an import.
 * These are types only; nothing here exists at run time. Your code must define every function it calls.
 */

/**
 * One partition of one topic (Kafka's `TopicPartition`). In the lesson's notation,
 * `{ topic: 't0', partition: 1 }` is written t0p1.
 */
interface TopicPartition {
  topic: string;
  partition: number;
}

/**
 * A member's reconciliation state, as the group coordinator records it (Kafka's `MemberState`):
 * - `STABLE`: it holds its whole target;
 * - `UNREVOKED_PARTITIONS`: it must first revoke partitions; its epoch stays where it was;
 * - `UNRELEASED_PARTITIONS`: it is at the target's epoch but waits for partitions another member still owns.
 */
type MemberState = 'STABLE' | 'UNREVOKED_PARTITIONS' | 'UNRELEASED_PARTITIONS';

/** What the coordinator knows when it reconciles one member, on that member's heartbeat. */
interface ReconcileInput {
  /** the member's name, e.g. "C1" */
  member: string;
  /** its memberEpoch now: the epoch of the assignment it has reached */
  memberEpoch: number;
  /** the partitions it holds now (it has already revoked everything it was asked to revoke) */
  assigned: TopicPartition[];
  /** the epoch of the group's target assignment (the group epoch when the target was computed) */
  targetEpoch: number;
  /** this member's partitions in the target assignment */
  target: TopicPartition[];
  /** partitions other members still own (assigned to them, or still to be revoked by them), with the owner */
  ownedByOthers: { partition: TopicPartition; owner: string }[];
}

/** The step: what it keeps, revokes now and receives now, and its next state. Lists in any order, no duplicates. */
interface ReconcileOutput {
  keep: TopicPartition[];
  revoke: TopicPartition[];
  receive: TopicPartition[];
  state: MemberState;
  memberEpoch: number;
}
