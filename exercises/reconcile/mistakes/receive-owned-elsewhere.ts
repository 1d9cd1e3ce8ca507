/**
 * Mistake: hands the member its whole target at once, without checking whether another member still
 * owns a partition — two consumers would read it at the same time.
 */
function key(tp: TopicPartition): string {
  return `${tp.topic}-${tp.partition}`;
}

export function reconcile(input: ReconcileInput): ReconcileOutput {
  const inTarget = new Set(input.target.map(key));
  const held = new Set(input.assigned.map(key));
  const keep = input.assigned.filter((tp) => inTarget.has(key(tp)));
  const revoke = input.assigned.filter((tp) => !inTarget.has(key(tp)));
  if (revoke.length > 0) return { keep, revoke, receive: [], state: 'UNREVOKED_PARTITIONS', memberEpoch: input.memberEpoch };
  return { keep, revoke: [], receive: input.target.filter((tp) => !held.has(key(tp))), state: 'STABLE', memberEpoch: input.targetEpoch };
}
