/**
 * A partition's replication state as plain data for traces (leader, epoch, ISR, ELR, each replica's
 * offsets). When the partition is offline, the partition-level offsets are the best any replica has.
 *
 * Example: replicas [0, 1, 2], leader 0, ISR [0, 1], leader LEO 9, HW 7 →
 *   { leader: 0, isr: [0, 1], highWatermark: 7, logEndOffset: 9, replicaStates: [{ broker: 0, … }, …] }
 */
import type { BrokerStatus, PartitionSnapshot, Replica } from './replication-types.ts';

/** The state {@link snapshotPartition} reads. */
export interface SnapshotSource {
  topic: string;
  partition: number;
  replicas: readonly number[];
  leader: number | null;
  leaderEpoch: number;
  isr: readonly number[];
  elr: readonly number[];
  replicaOf: Readonly<Record<number, Replica>>;
}

/** The {@link PartitionSnapshot} of `p`; `elr` appears only when non-empty. */
export function snapshotPartition(p: SnapshotSource, status: BrokerStatus): PartitionSnapshot {
  const leader = p.leader === null ? null : p.replicaOf[p.leader];
  const states = p.replicas.map((b) => {
    const r = p.replicaOf[b];
    return {
      broker: b,
      alive: status.isAlive(b),
      logStartOffset: r.log.logStartOffset,
      logEndOffset: r.log.logEndOffset,
      highWatermark: r.log.highWatermark,
    };
  });
  return {
    topic: p.topic,
    partition: p.partition,
    replicas: [...p.replicas],
    leader: p.leader,
    leaderEpoch: p.leaderEpoch,
    isr: [...p.isr],
    ...(p.elr.length > 0 ? { elr: [...p.elr] } : {}),
    logStartOffset: leader
      ? leader.log.logStartOffset
      : states.reduce((best, s) => (s.logEndOffset > best.logEndOffset ? s : best)).logStartOffset,
    highWatermark: leader ? leader.log.highWatermark : Math.max(...states.map((s) => s.highWatermark)),
    logEndOffset: leader ? leader.log.logEndOffset : Math.max(...states.map((s) => s.logEndOffset)),
    replicaStates: states,
  };
}
