/**
 * The shapes of partition replication: acks, produce errors, the replication configs with Kafka's
 * defaults, a replica's state (its log, leader epoch cache, idempotent producers' batches, what the
 * leader knows of it), the events replication emits and a partition's snapshot.
 *
 * Source: kafka.cluster.Replica, org.apache.kafka.common.protocol.Errors, Kafka's broker configs.
 */
import type { PartitionLog } from '../log/partition-log.ts';
import type { AppendError } from '../log/partition-log.ts';
import type { KafkaVersion } from './kafka-version.ts';
import { LATEST_KAFKA_VERSION } from './kafka-version.ts';

/** acks as a producer sets it: 0, 1, or all (Kafka's -1). */
export type Acks = 0 | 1 | -1 | 'all';

/** Normalise acks: 'all' → -1. @throws RangeError for any other value */
export function normalizeAcks(acks: Acks): 0 | 1 | -1 {
  if (acks === 'all' || acks === -1) return -1;
  if (acks === 0 || acks === 1) return acks;
  throw new RangeError(`Expected acks to be 0, 1, -1 or "all", got ${JSON.stringify(acks)}`);
}

/** Kafka error codes that produce responses in this model carry (org.apache.kafka.common.protocol.Errors). */
export type ProduceError =
  | 'NONE'
  | 'NOT_ENOUGH_REPLICAS'
  | 'NOT_ENOUGH_REPLICAS_AFTER_APPEND'
  | 'REQUEST_TIMED_OUT'
  | 'NOT_LEADER_OR_FOLLOWER'
  | 'LEADER_NOT_AVAILABLE'
  | 'OUT_OF_ORDER_SEQUENCE_NUMBER'
  | 'INVALID_PRODUCER_EPOCH'
  | 'NETWORK_EXCEPTION'
  | AppendError;

/** Per-topic replication configs, camelCase with units. */
export interface ReplicationConfig {
  /** min.insync.replicas; Kafka default 1 (TopicConfig / ServerLogConfigs) */
  minInsyncReplicas: number;
  /** unclean.leader.election.enable; Kafka default false (since 0.11, KIP-106) */
  uncleanLeaderElectionEnable: boolean;
  /** replica.lag.time.max.ms; Kafka default 30000 (since 2.5, KIP-537; 10000 before) */
  replicaLagTimeMaxMs: number;
  /** the Kafka version whose replication rules apply (./kafka-version.ts); default the newest */
  kafkaVersion: KafkaVersion;
  /**
   * eligible leader replicas (KIP-966, the eligible.leader.replicas.version feature); null = the
   * version's default (on from 4.1, off before); true needs kafkaVersion 4.0 or later
   */
  eligibleLeaderReplicasEnable: boolean | null;
}

/** Kafka's defaults for {@link ReplicationConfig}. */
export const DEFAULT_REPLICATION_CONFIG: Readonly<ReplicationConfig> = Object.freeze({
  minInsyncReplicas: 1,
  uncleanLeaderElectionEnable: false,
  replicaLagTimeMaxMs: 30_000,
  kafkaVersion: LATEST_KAFKA_VERSION,
  eligibleLeaderReplicasEnable: null,
});

/** The idempotent producer's fields of a produce batch (RecordBatch v2 header). */
export interface ProducerBatchInfo {
  producerId: number;
  producerEpoch: number;
  /** the sequence number of the batch's first record; the others follow by +1 */
  baseSequence: number;
}

/** One entry of a replica's leader epoch cache: epoch `epoch` starts at `startOffset`. */
export interface EpochEntry {
  epoch: number;
  startOffset: number;
}

/** Metadata of an idempotent batch kept for duplicate detection (Kafka keeps the last 5 per producer). */
export interface BatchMetadata {
  firstSeq: number;
  lastSeq: number;
  firstOffset: number;
  lastOffset: number;
}

/** Kafka's ProducerStateEntry.NUM_BATCHES_TO_RETAIN. */
export const NUM_BATCHES_TO_RETAIN = 5;

/** What the leader knows of a follower (Kafka's ReplicaState on the leader). */
export interface FollowerView {
  brokerId: number;
  /** the follower's logEndOffset as of its last fetch; -1 = unknown (new leader, not fetched yet) */
  logEndOffset: number;
  lastCaughtUpTimeMs: number;
  lastFetchLeaderLogEndOffset: number;
  lastFetchTimeMs: number;
}

/** A replica of the partition on one broker: its log (whose highWatermark this module maintains). */
export interface Replica {
  brokerId: number;
  log: PartitionLog;
  epochCache: EpochEntry[];
  /** producerId → { producerEpoch, last ≤ 5 batches } (Kafka's ProducerStateManager) */
  producers: Record<string, { producerEpoch: number; batches: BatchMetadata[] }>;
}

/** A produce request waiting for the ISR (Kafka's DelayedProduce). */
export interface DelayedProduce {
  requestId: number;
  leader: number;
  leaderEpoch: number;
  baseOffset: number;
  /** lastOffset + 1: the highWatermark that completes the request */
  requiredOffset: number;
  deadlineMs: number;
  duplicate: boolean;
}

/** Events that replication emits; every one is plain JSON. */
export type ReplicationEvent =
  | {
      type: 'append';
      timeMs: number;
      topic: string;
      partition: number;
      broker: number;
      requestId: number;
      acks: 0 | 1 | -1;
      leaderEpoch: number;
      baseOffset: number;
      lastOffset: number;
    }
  | {
      type: 'produce-response';
      timeMs: number;
      topic: string;
      partition: number;
      broker: number | null;
      requestId: number;
      error: ProduceError;
      /** offset of the batch's first record when error is NONE (the original one for a duplicate) */
      baseOffset: number | null;
      /** true when the broker recognised a retried idempotent batch and did not append it again */
      duplicate?: boolean;
    }
  | {
      type: 'fetch';
      timeMs: number;
      topic: string;
      partition: number;
      broker: number;
      leader: number;
      fetchOffset: number;
      records: number;
      /** the highWatermark carried by the fetch response */
      highWatermark: number;
    }
  | {
      type: 'truncate';
      timeMs: number;
      topic: string;
      partition: number;
      broker: number;
      fromOffset: number;
      toOffset: number;
      reason: 'leader-epoch' | 'offset-out-of-range';
    }
  | {
      type: 'high-watermark';
      timeMs: number;
      topic: string;
      partition: number;
      broker: number;
      from: number;
      to: number;
    }
  | {
      type: 'isr-shrink' | 'isr-expand';
      timeMs: number;
      topic: string;
      partition: number;
      isr: number[];
      changed: number[];
      reason: 'lag' | 'broker-down' | 'caught-up';
    }
  | {
      type: 'leader-election';
      timeMs: number;
      topic: string;
      partition: number;
      previousLeader: number | null;
      leader: number | null;
      leaderEpoch: number;
      isr: number[];
      unclean: boolean;
      reason: 'initial' | 'leader-down' | 'broker-up' | 'preferred';
      /**
       * how the leader was chosen when not from the ISR (KIP-966): from the eligible leader replicas,
       * or the last known leader; absent for an ISR election, an unclean one (see `unclean`) or none
       */
      via?: 'elr' | 'last-known-leader';
      /** the eligible leader replicas after the change, when there are any */
      elr?: number[];
    }
  | {
      type: 'elr-change';
      timeMs: number;
      topic: string;
      partition: number;
      /** the eligible leader replicas after the change (KIP-966) */
      elr: number[];
      reason: 'isr-change' | 'unclean-shutdown';
    };

/** How replication sees the rest of the cluster. */
export interface BrokerStatus {
  isAlive(brokerId: number): boolean;
  /** false while a follower is paused (a stuck fetcher that is not down) */
  isFetching(brokerId: number): boolean;
}

/** A per-partition view for traces: leader, epoch, ISR, HW and each replica's offsets. */
export interface PartitionSnapshot {
  topic: string;
  partition: number;
  replicas: number[];
  leader: number | null;
  leaderEpoch: number;
  isr: number[];
  /** the eligible leader replicas (KIP-966, PartitionRegistration.elr); present only when non-empty */
  elr?: number[];
  /** the leader's logStartOffset; when offline, that of the replica with the highest logEndOffset */
  logStartOffset: number;
  /** the leader's highWatermark; when offline, the highest any replica knows */
  highWatermark: number;
  /** the leader's logEndOffset; when offline, the highest any replica has */
  logEndOffset: number;
  replicaStates: {
    broker: number;
    alive: boolean;
    logStartOffset: number;
    logEndOffset: number;
    highWatermark: number;
  }[];
}
