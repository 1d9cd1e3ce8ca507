/// <reference path="./types.d.ts" />
/**
 * Reference solution: one member's reconciliation step under the consumer protocol (KIP-848), as
 * Kafka's CurrentAssignmentBuilder#computeNextAssignment takes it.
 */

/** `t0p1` → a string key, for sets */
function key(tp: TopicPartition): string {
  return `${tp.topic}-${tp.partition}`;
}

export function reconcile(input: ReconcileInput): ReconcileOutput {
  const inTarget = new Set(input.target.map(key));
  const held = new Set(input.assigned.map(key));
  const elsewhere = new Set(input.ownedByOthers.map((o) => key(o.partition)));
  const keep = input.assigned.filter((tp) => inTarget.has(key(tp)));
  const revoke = input.assigned.filter((tp) => !inTarget.has(key(tp)));
  const toReceive = input.target.filter((tp) => !held.has(key(tp)));
  const unreleased = toReceive.filter((tp) => elsewhere.has(key(tp)));
  // revoke before assign: the epoch stays, nothing new until the member reports the revocation
  if (revoke.length > 0) return { keep, revoke, receive: [], state: 'UNREVOKED_PARTITIONS', memberEpoch: input.memberEpoch };
  return {
    keep,
    revoke: [],
    receive: toReceive.filter((tp) => !elsewhere.has(key(tp))),
    state: unreleased.length > 0 ? 'UNRELEASED_PARTITIONS' : 'STABLE',
    memberEpoch: input.targetEpoch,
  };
}
