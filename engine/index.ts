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
export { tpKey, compareTp, formatTp, partitionLabel, formatList, formatTpList, formatAssignment, plural } from './common/notation.ts';

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
export { verifyStoryChecks, formatCheckFailures, checkStoryCheckReferences, describeStepRef } from './scenario/checks.ts';
export type { StoryCheck, StoryCheckKind, StepRef, CheckResult, CheckProblem } from './scenario/checks.ts';

// Interview drills: seeded questions whose answers and working the engine computes
export { isDrillKind, generateDrill, checkDrillAnswer, formatDrillAnswer } from './drills/drills.ts';
export { DRILL_KINDS, DRILL_AREAS } from './drills/drill-types.ts';
export type { DrillKind, DrillArea, DrillQuestion, DrillCheck } from './drills/drill-types.ts';

// The commit-logic simulation: a group's poll loops with the application's commit decisions plugged in,
// the delivery-guarantee checks, and the run replayed as a scenario (explicit-offset commits)
export { runCommitLoop, CommitLoopError } from './consumer/commit-loop.ts';
export { commitLoopScenario, describeOp, formatRecordRefs } from './consumer/commit-loop-replay.ts';
export type {
  LoopRecord,
  OffsetMap,
  CommitError,
  LoopState,
  CommitDecisions,
  CommitLoopWorld,
  LoopOp,
  LoopEvent,
  RecordRef,
  CommitLoopResult,
  Anomaly,
  AnomalyKind,
} from './consumer/commit-loop-types.ts';
