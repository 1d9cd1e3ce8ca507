/**
 * Mistake: revokes and receives in the same step — the member takes its free new partitions while it
 * still holds partitions it must give up (Kafka revokes first and assigns nothing new until then).
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
  const toReceive = input.target.filter((tp) => !held.has(key(tp)));
  const receive = toReceive.filter((tp) => !elsewhere.has(key(tp)));
  const unreleased = toReceive.length > receive.length;
  if (revoke.length > 0) return { keep, revoke, receive, state: 'UNREVOKED_PARTITIONS', memberEpoch: input.memberEpoch };
  return { keep, revoke: [], receive, state: unreleased ? 'UNRELEASED_PARTITIONS' : 'STABLE', memberEpoch: input.targetEpoch };
}
