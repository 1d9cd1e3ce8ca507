/**
 * Partition Lab's reference engine: Kafka's partition model as pure, deterministic TypeScript.
 * This barrel is the module's public surface; other modules import only from here.
 * Contract: ../shared/DESIGN.md ("Public API contract"). Extend it; never break it.
 */

// Producer partitioning
export { murmur2 } from './murmur2.ts';
export { toPositive, partitionForKey, utf8 } from './partitioner.ts';

// Shared primitives: seeded randomness, TopicPartition, records
export { createPrng } from './prng.ts';
export type { Prng } from './prng.ts';
export { tpKey, parseTpKey, formatTp, compareTp, utf8Length, recordSizeBytes } from './record.ts';
export type { TopicPartition, KafkaRecord, LogRecord, RecordHeader } from './record.ts';

// Consumer-group assignors (range, roundrobin, sticky, cooperative-sticky) and their shared checker
export {
  DEFAULT_GENERATION,
  compareStrings,
  compareMembers,
  sortMembers,
  verifyAssignment,
  javaStringHash,
  javaHashMapOrder,
} from './assignor.ts';
export type {
  Subscription,
  Assignment,
  AssignorName,
  AssignorMetadata,
  ConsumerPartitionAssignor,
  BalanceRule,
  VerifyOptions,
} from './assignor.ts';
export { RangeAssignor } from './range-assignor.ts';
export { RoundRobinAssignor } from './round-robin-assignor.ts';
export { StickyAssignor, stickyAssign } from './sticky-assignor.ts';
export type { StickyAssignResult } from './sticky-assignor.ts';
export { CooperativeStickyAssignor, cooperativeStickyAssign } from './cooperative-sticky-assignor.ts';

// Consumer groups: coordinator + members' rebalance protocol on a simulated clock
export {
  GroupCoordinator,
  GroupUsageError,
  ASSIGNORS,
  CONSUMER_GROUP_DEFAULTS,
  GROUP_INITIAL_REBALANCE_DELAY_MS,
} from './group-coordinator.ts';
export type {
  GroupState,
  GroupError,
  GroupEvent,
  MemberConfig,
  MemberListener,
  RebalanceProtocol,
  GroupCoordinatorOptions,
} from './group-coordinator.ts';

// Replication: brokers, replica placement, leader / followers / ISR / HW, elections, truncation
export { Cluster, assignReplicasToBrokers, rackAlternatedBrokerList } from './cluster.ts';
export type {
  BrokerMetadata,
  PlacementOptions,
  ClusterConfig,
  TopicSpec,
  ClusterEvent,
  ClusterSnapshot,
  BrokerSnapshot,
  ClockedActor,
} from './cluster.ts';
export {
  PartitionReplication,
  DEFAULT_REPLICATION_CONFIG,
  NUM_BATCHES_TO_RETAIN,
  normalizeAcks,
  assignEpoch,
  endOffsetForEpoch,
} from './replication.ts';
export type {
  Acks,
  ProduceError,
  ReplicationConfig,
  ReplicationEvent,
  PartitionSnapshot,
  ProducerBatchInfo,
  EpochEntry,
  BrokerStatus,
} from './replication.ts';
export { createReplicaLog } from './replica-log.ts';
export type { ReplicaLog } from './replica-log.ts';

// Producer delivery: retries, in-flight requests, idempotence
export { Producer, resolveProducerConfig, PRODUCER_DEFAULTS } from './producer-delivery.ts';
export type {
  ProducerConfig,
  ResolvedProducerConfig,
  ProducerRecord,
  ProducerEvent,
  BatchOutcome,
  NetworkModel,
} from './producer-delivery.ts';

// Partition logs: segments, offsets, high watermark (HW maintained by replication)
export { PartitionLog, RECORD_BATCH_OVERHEAD_BYTES } from './partition-log.ts';
export type { LogSegment, AppendRecord, AppendResult, AppendError, ReadResult, ReadOptions, PartitionLogSnapshot } from './partition-log.ts';
export { DEFAULT_LOG_CONFIG, logConfig, hasDeletePolicy, hasCompactPolicy } from './log-config.ts';
export type { LogConfig, CleanupPolicy } from './log-config.ts';
