/**
 * One member's reconciliation step under the consumer protocol (KIP-848, group.protocol=consumer).
 *
 * On each heartbeat of a member, the group coordinator moves that member — and only that member —
 * one step towards its target assignment. Given what the member holds, its target, and which
 * partitions other members still own, return what it keeps, revokes now and receives now, and its
 * next state and memberEpoch. The rules are in the instructions.
 *
 * The types (ReconcileInput, ReconcileOutput, TopicPartition, MemberState) are in the editor's types.
 * You may write helper functions in this file. Nothing can be imported: only JavaScript's built-ins exist.
 */

export function reconcile(input: ReconcileInput): ReconcileOutput {
  throw new Error('Remove this line and implement reconcile()');
}
