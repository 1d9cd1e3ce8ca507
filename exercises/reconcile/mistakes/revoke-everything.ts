/**
 * Mistake: the eager habit — when the target changes, revoke everything the member holds, even the
 * partitions that stay with it.
 */
function key(tp: TopicPartition): string {
  return `${tp.topic}-${tp.partition}`;
}

export function reconcile(input: ReconcileInput): ReconcileOutput {
  const inTarget = new Set(input.target.map(key));
  const held = new Set(input.assigned.map(key));
  const elsewhere = new Set(input.ownedByOthers.map((o) => key(o.partition)));
  const changed = input.assigned.some((tp) => !inTarget.has(key(tp)));
  if (changed) return { keep: [], revoke: [...input.assigned], receive: [], state: 'UNREVOKED_PARTITIONS', memberEpoch: input.memberEpoch };
  const toReceive = input.target.filter((tp) => !held.has(key(tp)));
  const unreleased = toReceive.filter((tp) => elsewhere.has(key(tp)));
  return {
    keep: [...input.assigned],
    revoke: [],
    receive: toReceive.filter((tp) => !elsewhere.has(key(tp))),
    state: unreleased.length > 0 ? 'UNRELEASED_PARTITIONS' : 'STABLE',
    memberEpoch: input.targetEpoch,
  };
}
