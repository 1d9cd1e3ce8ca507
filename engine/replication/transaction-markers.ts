/**
 * Writing a transaction marker (WriteTxnMarkers) to a partition's leader: one control record, COMMIT
 * or ABORT, for a producer at an epoch. It takes an offset like any record and replicates like one.
 *
 * The rule: a marker with a newer epoch than the producer state knows replaces that producer's entry
 * (epoch = the marker's, no batches), so a later write with an older epoch is refused with
 * INVALID_PRODUCER_EPOCH (./producer-state.ts#checkSequence): this is how an aborted zombie is
 * fenced at every partition of its transaction.
 *
 * Example: t0p0 holds P7's transactional records at 4, 5 (epoch 0); the coordinator writes
 * ABORT(P7, epoch 1) → offset 6; P7's old instance then sends with epoch 0 → INVALID_PRODUCER_EPOCH.
 *
 * Caveats: followers copy the marker record but not the epoch bump of the producer state (only the
 * leader fences); the marker is written with acks=1 semantics (the HW moves when followers fetch).
 *
 * Source: kafka.server.ReplicaManager#appendRecords with AppendOrigin.COORDINATOR (from
 * KafkaApis#handleWriteTxnMarkersRequest); ProducerStateManager / ProducerAppendInfo#appendEndTxnMarker
 * (checkProducerEpoch, updates the producer epoch).
 */
import type { PartitionReplication } from './partition-replication.ts';
import type { ReplicationEvent } from './replication-types.ts';
import { assignEpoch } from './leader-epoch-cache.ts';

/**
 * Append a COMMIT or ABORT control record for producerId at producerEpoch to the partition's leader.
 * @returns the marker's offset and the replication events (a high watermark move), or offset null
 *   when the partition has no leader (Kafka's coordinator retries until it has one)
 */
export function writeTxnMarker(
  p: PartitionReplication,
  marker: { producerId: number; producerEpoch: number; type: 'COMMIT' | 'ABORT' },
  nowMs: number,
): { offset: number | null; events: ReplicationEvent[] } {
  const leader = p.leaderReplica();
  if (!leader) return { offset: null, events: [] };
  const appended = leader.log.appendAsLeader(
    [
      {
        key: null,
        value: null,
        timestamp: nowMs,
        leaderEpoch: p.leaderEpoch,
        producerId: marker.producerId,
        producerEpoch: marker.producerEpoch,
        controlType: marker.type,
      },
    ],
    { nowMs },
  );
  if (!appended.ok) return { offset: null, events: [] };
  assignEpoch(leader.epochCache, p.leaderEpoch, appended.firstOffset);
  const key = String(marker.producerId);
  const entry = leader.producers[key];
  if (!entry || entry.producerEpoch < marker.producerEpoch) leader.producers[key] = { producerEpoch: marker.producerEpoch, batches: [] };
  return { offset: appended.firstOffset, events: p.maybeIncrementLeaderHW(nowMs) };
}
