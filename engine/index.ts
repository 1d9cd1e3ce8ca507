/**
 * Partition Lab's reference engine: Kafka's partition model as pure, deterministic TypeScript.
 * This barrel is the module's public surface; other modules import only from here (the
 * architecture spec, tests/unit/architecture.spec.ts, enforces it).
 *
 * It exports what other modules use, plus the public API contract (murmur2, toPositive,
 * partitionForKey, the four assignors and their types): extend it, never break it. Everything else
 * stays inside engine/, one folder per Kafka component (common, producer, assignors, group,
 * consumer, log, replication, cluster, scenario, drills).
 */

// Producer partitioning (public API contract): murmur2, toPositive, partitionForKey
export { murmur2 } from './producer/murmur2.ts';
export { toPositive, partitionForKey, utf8 } from './producer/partition-for-key.ts';
export { ProducerPartitioner, keysThatMove } from './producer/partitioners.ts';
export { Producer } from './producer/sender.ts';

// Shared primitives: seeded randomness, TopicPartition, and the course notation (t0p1, C0: [t0p0, t0p1], plurals)
export { createPrng } from './common/prng.ts';
export type { TopicPartition } from './common/record.ts';
export {
  tpKey,
  compareTp,
  formatTp,
  partitionLabel,
  formatList,
  formatTpList,
  formatAssignment,
  plural,
  pluralWord,
} from './common/notation.ts';

// Consumer-group assignors (public API contract: the four assignors and their types) and their shared checker
export { compareStrings, sortMembers, verifyAssignment } from './assignors/assignor.ts';
export type { Subscription, Assignment, AssignorName, ConsumerPartitionAssignor } from './assignors/assignor.ts';
export { RangeAssignor } from './assignors/range.ts';
export { RoundRobinAssignor } from './assignors/round-robin.ts';
export { StickyAssignor } from './assignors/sticky.ts';
export { CooperativeStickyAssignor } from './assignors/cooperative-sticky.ts';
export { ASSIGNORS } from './assignors/registry.ts';

// The simulation's building blocks that benchmarks drive directly
export { Cluster } from './cluster/cluster.ts';
export { PartitionLog } from './log/partition-log.ts';
export { compactLog } from './log/compaction.ts';

// Scenarios: a declarative timeline played out into a JSON trace (content/scenarios/)
export { runScenario } from './scenario/runner.ts';
export { checkScenarioReferences, formatPath } from './scenario/references.ts';
export type { Scenario, Step, StepKind } from './scenario/authoring.ts';
export type { TraceEvent, Snapshot, PartitionView, ConsumedRecord, GroupView, ScenarioResult } from './scenario/trace.ts';
export { verifyStoryChecks, formatCheckFailures, checkStoryCheckReferences } from './scenario/checks.ts';
export type { StoryCheck, StoryCheckKind, CheckResult } from './scenario/checks.ts';

// Interview drills: seeded questions whose answers and working the engine computes
export { isDrillKind, generateDrill, checkDrillAnswer, formatDrillAnswer } from './drills/drills.ts';
export { DRILL_KINDS, DRILL_AREAS } from './drills/drill-types.ts';
export type { DrillKind, DrillArea, DrillQuestion, DrillCheck } from './drills/drill-types.ts';

// The commit-logic simulation: a group's poll loops with the application's commit decisions plugged in,
// the delivery-guarantee checks, and the run replayed as a scenario (explicit-offset commits)
export { runCommitLoop, CommitLoopError } from './consumer/commit-loop.ts';
export { commitLoopScenario, describeOp } from './consumer/commit-loop-replay.ts';
export type {
  OffsetMap,
  CommitDecisions,
  CommitLoopWorld,
  LoopOp,
  CommitLoopResult,
  Anomaly,
  AnomalyKind,
} from './consumer/commit-loop-types.ts';

// Retention and compaction as pure rules (the log-cleaner checkpoint's oracle, the drills', the lessons')
export { segmentsToDelete, summarizeSegment, applyRetention } from './log/retention.ts';
export type { SegmentSummary } from './log/retention.ts';
export { compactCleanable } from './log/compaction.ts';
export type { CleanerRecord } from './log/compaction.ts';
export { dirtyRatio, needsCompaction, logsToClean } from './log/cleaner-manager.ts';
export { DEFAULT_LOG_CONFIG, KAFKA_MIN_SEGMENT_BYTES, localRetention } from './log/log-config.ts';
// Share groups (KIP-932): the simple share assignor, share partitions (record states, acquisition locks,
// delivery counts), their defaults, and how a scenario snapshot shows them
export { simpleAssign, desiredSharing, membersByPartition } from './share/simple-assignor.ts';
export { SharePartition } from './share/share-partition.ts';
export { defaultShareGroupConfig, DEFAULT_RECORD_LOCK_DURATION_MS, DEFAULT_DELIVERY_COUNT_LIMIT } from './share/share-config.ts';
export type { RecordState } from './share/share-config.ts';
export type { ShareGroupView, ShareRecordView } from './scenario/share-trace.ts';
// Replication rules by Kafka version (strict min ISR from 3.7, eligible leader replicas from 4.1)
export { KAFKA_VERSIONS, kafkaVersionRules } from './replication/kafka-version.ts';
// The consumer rebalance protocol (KIP-848, group.protocol=consumer): each member's reconciliation on its own
// (the reconcile checkpoint's oracle) and the protocol's member epochs
export { reconcileMember } from './group/consumer-protocol/reconcile.ts';
export type { ReconcileResult } from './group/consumer-protocol/reconcile.ts';
export {
  CONSUMER_PROTOCOL_DEFAULTS,
  JOIN_GROUP_MEMBER_EPOCH,
  LEAVE_GROUP_MEMBER_EPOCH,
  LEAVE_GROUP_STATIC_MEMBER_EPOCH,
} from './group/consumer-protocol/protocol-types.ts';
export type { MemberState } from './group/consumer-protocol/protocol-types.ts';
// One scenario under classic-eager, classic-cooperative and the consumer protocol (the player's protocol toggle)
export { PROTOCOL_VARIANTS, scenarioUnderProtocol, compareProtocols } from './scenario/protocol-variants.ts';
export type { ProtocolRun } from './scenario/protocol-variants.ts';
// The reconcile checkpoint's stories: a consumer-protocol group on a schedule, every reconciliation step recorded, replayable
export { normalizeStory, runReconcileStory, reconcileStoryScenario } from './group/consumer-protocol/reconcile-story.ts';
export type { ReconcileWorld, ReconcileOp, RecordedCall } from './group/consumer-protocol/reconcile-story.ts';
