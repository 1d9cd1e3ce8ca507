/**
 * Mistake: reports the member STABLE even though part of its target is still owned by another member
 * (it is UNRELEASED_PARTITIONS until those are free and received).
 */
function key(tp: TopicPartition): string {
  return `${tp.topic}-${tp.partition}`;
}

export function reconcile(input: ReconcileInput): ReconcileOutput {
  const inTarget = new Set(input.target.map(key));
  const held = new Set(input.assigned.map(key));
  const elsewhere = new Set(input.ownedByOthers.map((o) => key(o.partition)));
  const keep = input.assigned.filter((tp) => inTarget.has(key(tp)));
  const revoke = input.assigned.filter((tp) => !inTarget.has(key(tp)));
  if (revoke.length > 0) return { keep, revoke, receive: [], state: 'UNREVOKED_PARTITIONS', memberEpoch: input.memberEpoch };
  const receive = input.target.filter((tp) => !held.has(key(tp)) && !elsewhere.has(key(tp)));
  return { keep, revoke: [], receive, state: 'STABLE', memberEpoch: input.targetEpoch };
}
