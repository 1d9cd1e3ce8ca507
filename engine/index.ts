/**
 * Partition Lab's reference engine: Kafka's partition model as pure, deterministic TypeScript.
 * This barrel is the module's public surface; other modules import only from here.
 * Contract: ../shared/DESIGN.md ("Public API contract"). Extend it; never break it.
 */

// Producer partitioning
export { murmur2 } from './producer/murmur2.ts';
export { toPositive, partitionForKey, utf8 } from './producer/partition-for-key.ts';

// Shared primitives: seeded randomness, TopicPartition, records
export { createPrng } from './common/prng.ts';
export type { Prng } from './common/prng.ts';
export { utf8Length, recordSizeBytes } from './common/record.ts';
export { tpKey, parseTpKey, formatTp, compareTp, partitionLabel, formatList, formatTpList, formatAssignment, plural } from './common/notation.ts';
export type { TopicPartition, KafkaRecord, LogRecord, RecordHeader } from './common/record.ts';

// Consumer-group assignors (range, roundrobin, sticky, cooperative-sticky) and their shared checker
export {
  DEFAULT_GENERATION,
  compareStrings,
  compareMembers,
  sortMembers,
  verifyAssignment,
  javaStringHash,
  javaHashMapOrder,
} from './assignors/assignor.ts';
export type {
  Subscription,
  Assignment,
  AssignorName,
  AssignorMetadata,
  ConsumerPartitionAssignor,
  BalanceRule,
  VerifyOptions,
} from './assignors/assignor.ts';
export { RangeAssignor } from './assignors/range.ts';
export { RoundRobinAssignor } from './assignors/round-robin.ts';
export { StickyAssignor, stickyAssign } from './assignors/sticky.ts';
export type { StickyAssignResult } from './assignors/sticky.ts';
export { CooperativeStickyAssignor, cooperativeStickyAssign } from './assignors/cooperative-sticky.ts';

// Consumer groups: coordinator + members' rebalance protocol on a simulated clock
export { ASSIGNORS } from './assignors/registry.ts';
export { GroupUsageError, CONSUMER_GROUP_DEFAULTS, GROUP_INITIAL_REBALANCE_DELAY_MS, OFFSETS_RETENTION_MS } from './group/group-types.ts';
export { GroupCoordinator } from './group/member.ts';
export type { GroupState, GroupError, GroupEvent, MemberConfig, MemberListener, RebalanceProtocol, GroupCoordinatorOptions } from './group/group-types.ts';

// Replication: brokers, replica placement, leader / followers / ISR / HW, elections, truncation
export { Cluster } from './cluster/cluster.ts';
export { assignReplicasToBrokers, rackAlternatedBrokerList } from './cluster/replica-placement.ts';
export type { BrokerMetadata, PlacementOptions } from './cluster/replica-placement.ts';
export type {
  ClusterConfig,
  TopicSpec,
  ClusterEvent,
  ClusterSnapshot,
  BrokerSnapshot,
  ClockedActor,
  ActorEvent,
} from './cluster/cluster.ts';
export { PartitionReplication } from './replication/partition-replication.ts';
export { assignEpoch, endOffsetForEpoch } from './replication/leader-epoch-cache.ts';
export { DEFAULT_REPLICATION_CONFIG, NUM_BATCHES_TO_RETAIN, normalizeAcks } from './replication/replication-types.ts';
export type { Acks, ProduceError, ReplicationConfig, ReplicationEvent, PartitionSnapshot, ProducerBatchInfo, EpochEntry, BrokerStatus } from './replication/replication-types.ts';

// Producer delivery: retries, in-flight requests, idempotence
export { Producer } from './producer/sender.ts';
export type { ProducerClusterEvent } from './producer/sender.ts';
export { resolveProducerConfig, PRODUCER_DEFAULTS } from './producer/producer-config.ts';
export type {
  ProducerConfig,
  ResolvedProducerConfig,
  ProducerRecord,
  ProducerEvent,
  BatchOutcome,
  NetworkModel,
} from './producer/producer-config.ts';

// Partition logs: segments, offsets, high watermark (HW maintained by replication)
export { PartitionLog, RECORD_BATCH_OVERHEAD_BYTES } from './log/partition-log.ts';
export type { LogSegment, AppendRecord, AppendResult, AppendError, ReadResult, ReadOptions, PartitionLogSnapshot } from './log/partition-log.ts';
export { DEFAULT_LOG_CONFIG, logConfig, hasDeletePolicy, hasCompactPolicy } from './log/log-config.ts';
export type { LogConfig, CleanupPolicy } from './log/log-config.ts';

// Producer partitioning strategies (explicit → key → built-in/sticky/round-robin) and adding partitions
export { ProducerPartitioner, DEFAULT_PARTITIONER_CONFIG, keysThatMove } from './producer/partitioners.ts';
export type { PartitionerKind, PartitionerConfig, ProducerSend, PartitionDecision, KeyMove } from './producer/partitioners.ts';

// Consumer data path: positions, commits, auto.offset.reset, seek, lag
export {
  Consumer,
  CONSUMER_DEFAULTS,
  CommitFailedException,
  RebalanceInProgressException,
  NoOffsetForPartitionException,
  OffsetOutOfRangeException,
  groupLag,
  partitionLogView,
} from './consumer/consumer.ts';
export type { ConsumerConfig, ConsumerEvent, ConsumerOptions, ConsumerRecord, FetchablePartition, OffsetResetStrategy } from './consumer/consumer.ts';

// Retention (cleanup.policy=delete) and compaction (cleanup.policy=compact)
export { applyRetention, segmentLargestTimestamp } from './log/retention.ts';
export type { RetentionResult, DeletedSegment, DeletionReason } from './log/retention.ts';
export { compactLog, cleanableOffsets, dirtyRatio, needsCompaction, cleanUpLog } from './log/compaction.ts';
export type { CompactionResult, CleanableOffsets, CleanedRecord, CleanupResult } from './log/compaction.ts';

// Scenarios: a declarative timeline played out into a JSON trace (content/scenarios/)
export { runScenario, DEFAULT_LOG_RETENTION_CHECK_INTERVAL_MS, DEFAULT_LOG_CLEANER_BACKOFF_MS } from './scenario/runner.ts';
export { DEFAULT_REPLICA_FETCH_INTERVAL_MS } from './scenario/setup.ts';
export { checkScenarioReferences, stepKind, scenarioBrokerIds, formatPath, ScenarioError } from './scenario/references.ts';
export type { ScenarioProblem } from './scenario/references.ts';
export type {
  Scenario,
  Step,
  StepKind,
  ProduceStep,
  BrokerSpec,
  ClusterSettings,
  TopicDefinition,
  TopicConfigs,
  ScenarioPartitioner,
  ProducerSpec,
  GroupSpec,
  ConsumerSpec,
} from './scenario/authoring.ts';
export type {
  TraceEvent,
  Snapshot,
  PartitionView,
  RecordView,
  ConsumedRecord,
  GroupView,
  MemberView,
  ConsumerView,
  ProducerView,
  DeliveryView,
  CallbackView,
  ScenarioState,
  ScenarioResult,
  RunOptions,
} from './scenario/trace.ts';

// Interview drills: seeded questions whose answers and working the engine computes
export { isDrillKind, generateDrill, checkDrillAnswer, formatDrillAnswer } from './drills/drills.ts';
export { DRILL_KINDS, DRILL_AREAS, ACKS_OUTCOMES } from './drills/drill-types.ts';
export type { DrillKind, DrillArea, DrillKindInfo, DrillAnswer, DrillParams, DrillQuestion, DrillInput, DrillCheck, AcksOutcome } from './drills/drill-types.ts';
export { playAcksScenario } from './drills/replication.ts';
export { playLagScenario } from './drills/consumers.ts';
