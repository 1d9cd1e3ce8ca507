/**
 * Scenarios: what an author writes (a {@link Scenario}) and what the engine plays out with
 * {@link runScenario} (a trace of {@link TraceEvent}s, each with a self-contained {@link Snapshot}).
 *
 * A scenario is plain data (YAML or JSON in content/scenarios/, validated by site/lib/scenario-schema.ts):
 * a cluster (brokers, topics with their configs), producers, consumer groups and consumers, and a
 * timeline of steps on a simulated clock. `runScenario` plays it out deterministically:
 * the same scenario gives a byte-identical JSON trace.
 *
 * Example (YAML):
 * ```yaml
 * id: consumer-crash
 * title: A consumer crashes
 * summary: C1 dies; after session.timeout.ms the group gives its partitions to C0.
 * seed: 1
 * brokers: 1
 * topics: [{ name: t0, partitions: 4 }]
 * producers: [{ id: P0 }]
 * groups: [{ id: g1, assignor: range }]
 * consumers:
 *   - { id: C0, group: g1, topics: [t0] }
 *   - { id: C1, group: g1, topics: [t0] }
 * steps:
 *   - note: Two consumers share t0's four partitions.
 *   - join: { consumer: C0 }
 *   - join: { consumer: C1 }
 *   - advanceTime: { ms: 3000 }
 *   - poll: {}
 *   - crash: { consumer: C1 }
 *   - advanceTime: { ms: 45000 }
 *   - poll: { consumer: C0 }
 * ```
 *
 * How it plays out (the rules):
 *   1. Time moves only in `advanceTime` steps (and `process` with durationMs); every other step
 *      happens at the current instant. While time moves, followers fetch every
 *      replicaFetchIntervalMs (100), the ISR is checked every replica.lag.time.max.ms / 2,
 *      heartbeats and session / poll timeouts run, retention runs every
 *      log.retention.check.interval.ms and the cleaner every log.cleaner.backoff.ms.
 *   2. Producers send each record at once (one record per request) through the producer client:
 *      acks=0/1 and RF 1 are answered in the same step; acks=all on RF > 1 waits for the followers,
 *      so for the next `advanceTime`. Keyless records are placed by the configured partitioner.
 *   3. Consumers poll only when a step says so (as an application's poll loop would). A member
 *      learns of a rebalance from its next heartbeat (heartbeat.interval.ms, 3 s) and rejoins at
 *      its next poll; the first members of a group wait group.initial.rebalance.delay.ms (3 s).
 *      So a typical timeline is: join all → advanceTime 3000 → poll.
 *   4. A crashed or restarted consumer is a new process: positions and unprocessed records are
 *      gone; the dead member stays in the group until its session times out (static members keep
 *      their assignment if they return before that).
 *
 * Caveats: brokers do not host group coordinators (a broker failure never affects groups); a
 * consumer reads from the partition leader only; a keyless record goes to the partitioner's choice
 * for its topic even if that partition is offline (it waits there).
 *
 * Conventions: Kafka's config names in camelCase with the unit kept (session.timeout.ms →
 * sessionTimeoutMs); absent configs take Kafka's defaults (cited where the engine defines them).
 * Descriptions write a partition as `t0p1` when the topic is named like `t0`, else as Kafka's
 * `TopicPartition.toString()`, `orders-1`.
 *
 * Note: steps never carry expected answers (no `expect` step): a story is checked by a spec that
 * computes over the trace (content/scenarios.spec.ts), never by numbers typed into the scenario.
 */
import { compareStrings } from '../assignors/assignor.ts';
import type { AssignorName } from '../assignors/assignor.ts';
import { Cluster } from '../cluster/cluster.ts';
import type { BrokerMetadata, ClusterEvent, TopicSpec } from '../cluster/cluster.ts';
import { Consumer } from '../consumer/consumer.ts';
import type { ConsumerEvent, FetchablePartition } from '../consumer/consumer.ts';
import { GroupCoordinator } from '../group/coordinator.ts';
import type { GroupEvent, GroupState, RebalanceProtocol } from '../group/coordinator.ts';
import { compactLog, needsCompaction } from '../log/compaction.ts';
import type { LogConfig } from '../log/log-config.ts';
import type { PartitionLog } from '../log/partition-log.ts';
import { applyRetention } from '../log/retention.ts';
import { createPrng } from '../common/prng.ts';
import type { Prng } from '../common/prng.ts';
import { Producer } from '../producer/sender.ts';
import type { BatchOutcome } from '../producer/sender.ts';
import { ProducerPartitioner } from '../producer/partitioners.ts';
import { compareTp, formatTp, tpKey } from '../common/record.ts';
import type { LogRecord, TopicPartition } from '../common/record.ts';
import type { PartitionReplication, PartitionSnapshot } from '../replication/partition-replication.ts';

// =============================================================================================
// The scenario an author writes
// =============================================================================================

/** A whole scenario: one file in content/scenarios/, `<id>.yaml` or `<id>.json`. */
export interface Scenario {
  /** kebab-case, equal to the file name without extension */
  id: string;
  title: string;
  /** one or two sentences shown above the player */
  summary: string;
  /** the lesson it illustrates (a lesson content id, e.g. "01-keys-and-partitions") */
  lesson?: string;
  /** seeds every random choice (sticky partitioner); same seed → same trace */
  seed: number;
  /**
   * The brokers: a count n (ids 0 … n−1, no racks) or explicit brokers with racks.
   * Replica placement is Kafka's AdminUtils rule from start index 0, so partition p's preferred
   * leader is broker p mod n (with ids 0 … n−1): stories can name the leader's broker.
   */
  brokers: number | BrokerSpec[];
  /** broker-level settings and simulation knobs */
  cluster?: ClusterSettings;
  topics: TopicDefinition[];
  producers?: ProducerSpec[];
  groups?: GroupSpec[];
  consumers?: ConsumerSpec[];
  /** the timeline, played in order */
  steps: Step[];
}

export interface BrokerSpec {
  /** a non-negative integer, unique */
  id: number;
  /** broker.rack */
  rack?: string;
}

/** Broker configs (cluster-wide) and simulation knobs. */
export interface ClusterSettings {
  /** replica.lag.time.max.ms; Kafka default 30000 (KIP-537) */
  replicaLagTimeMaxMs?: number;
  /**
   * Simulation knob: followers fetch from leaders every this many ms while time advances
   * (Kafka's fetchers long-poll continuously). Default 100. Replication only happens during
   * `advanceTime` steps: a produce followed at once by `brokerDown` finds followers behind.
   */
  replicaFetchIntervalMs?: number;
  /** log.retention.check.interval.ms: how often retention deletes segments; Kafka default 300000 */
  logRetentionCheckIntervalMs?: number;
  /** log.cleaner.backoff.ms: how often the log cleaner looks for logs to compact; Kafka default 15000 */
  logCleanerBackoffMs?: number;
}

/** A topic to create at time 0. */
export interface TopicDefinition {
  /** the topic name, e.g. "orders" or "t0" */
  name: string;
  /** a positive integer */
  partitions: number;
  /** a positive integer ≤ the broker count; default 1 */
  replicationFactor?: number;
  /** topic configs (overrides of Kafka's defaults) */
  configs?: TopicConfigs;
}

/** Topic-level configs, Kafka's names in camelCase with units. Absent = Kafka's default. */
export interface TopicConfigs {
  /** cleanup.policy: "delete" (default), "compact" or "compact,delete" */
  cleanupPolicy?: 'delete' | 'compact' | 'compact,delete';
  /** retention.ms; default 604800000 (7 days); -1 = no time limit */
  retentionMs?: number;
  /** retention.bytes; default -1 (no size limit) */
  retentionBytes?: number;
  /** segment.bytes; default 1073741824 (1 GiB). Small values let a story show segments. */
  segmentBytes?: number;
  /** segment.ms; default 604800000 (7 days) */
  segmentMs?: number;
  /** delete.retention.ms: how long a tombstone survives compaction; default 86400000 (1 day) */
  deleteRetentionMs?: number;
  /** min.compaction.lag.ms; default 0 */
  minCompactionLagMs?: number;
  /** min.cleanable.dirty.ratio; default 0.5 */
  minCleanableDirtyRatio?: number;
  /** min.insync.replicas; default 1 */
  minInsyncReplicas?: number;
  /** unclean.leader.election.enable; default false */
  uncleanLeaderElectionEnable?: boolean;
}

/** The keyless-record partitioner: Kafka ≥ 3.3's built-in uniform sticky (KIP-794), the KIP-480 sticky one, or RoundRobinPartitioner. */
export type ScenarioPartitioner = 'built-in' | 'sticky' | 'round-robin';

/** A producer client (KafkaProducer). Its id (e.g. "P0") is also its client.id. */
export interface ProducerSpec {
  id: string;
  config?: {
    /** acks: 0, 1 or "all" (= -1); default "all" (Kafka ≥ 3.0, KIP-679) */
    acks?: 0 | 1 | -1 | 'all';
    /** enable.idempotence; default true unless acks/retries/in-flight conflict (KIP-679) */
    enableIdempotence?: boolean;
    /** partitioner for keyless records; default "built-in" */
    partitioner?: ScenarioPartitioner;
    /** batch.size in bytes; default 16384 */
    batchSize?: number;
    /** linger.ms; default 5 (Kafka ≥ 4.0, KIP-1030) */
    lingerMs?: number;
    /** retries; default 2147483647 */
    retries?: number;
    /** max.in.flight.requests.per.connection; default 5 */
    maxInFlightRequestsPerConnection?: number;
    /** request.timeout.ms; default 30000 */
    requestTimeoutMs?: number;
    /** delivery.timeout.ms; default 120000 */
    deliveryTimeoutMs?: number;
  };
}

/** A consumer group (group.id). Members choose the assignor; the protocol follows from it. */
export interface GroupSpec {
  id: string;
  /** partition.assignment.strategy of every member of this group */
  assignor: AssignorName;
  /**
   * The rebalance protocol, for the reader: "cooperative" exactly when the assignor is
   * cooperative-sticky (Kafka picks COOPERATIVE only if every configured assignor supports it).
   * Given, it must agree with the assignor; absent, it is derived.
   */
  protocol?: RebalanceProtocol;
  /** group.initial.rebalance.delay.ms (a broker config, KIP-134); default 3000 */
  initialRebalanceDelayMs?: number;
}

/** A consumer (KafkaConsumer) subscribed to topics through a group. Not running until it joins or polls. */
export interface ConsumerSpec {
  /** its name in lessons and traces, e.g. "C0" */
  id: string;
  /** a group id from `groups` */
  group: string;
  /** topics it subscribes to (each a topic from `topics`) */
  topics: string[];
  config?: {
    /** group.instance.id: makes it a static member (KIP-345) */
    groupInstanceId?: string;
    /** enable.auto.commit; default true */
    enableAutoCommit?: boolean;
    /** auto.commit.interval.ms; default 5000 */
    autoCommitIntervalMs?: number;
    /** auto.offset.reset; default "latest" */
    autoOffsetReset?: 'earliest' | 'latest' | 'none';
    /** session.timeout.ms; default 45000 (KIP-735) */
    sessionTimeoutMs?: number;
    /** heartbeat.interval.ms; default 3000 */
    heartbeatIntervalMs?: number;
    /** max.poll.interval.ms; default 300000 */
    maxPollIntervalMs?: number;
    /** max.poll.records; default 500 */
    maxPollRecords?: number;
  };
}

/**
 * Send records. One record: `key` (null or absent = keyless) and `value`, optionally an explicit
 * `partition`. Several: `records: [...]`. Bulk: `count` records whose `key`/`value` are templates
 * where `{i}` is the record's index (0 … count−1) and `{i%N}` is i mod N, e.g. key "user-{i%3}".
 * Records get the current simulated time as timestamp (CreateTime).
 */
export interface ProduceStep {
  /** a producer id from `producers` */
  producer: string;
  /** a topic name from `topics` */
  topic: string;
  key?: string | null;
  value?: string | null;
  partition?: number;
  records?: { key?: string | null; value: string | null; partition?: number }[];
  /** a positive integer: send this many records built from the key/value templates */
  count?: number;
}

/** The kinds of step, one per key of {@link Step}. */
export type StepKind =
  | 'produce'
  | 'poll'
  | 'process'
  | 'commit'
  | 'crash'
  | 'restart'
  | 'join'
  | 'leave'
  | 'brokerDown'
  | 'brokerUp'
  | 'advanceTime'
  | 'addPartitions'
  | 'note';

/**
 * One step of the timeline: an object with exactly one key, the step's kind.
 * - produce: see {@link ProduceStep}.
 * - poll: consumer.poll() for one consumer, several, or (empty) every running consumer, in the order
 *   given (declaration order for "every"). A consumer that is not running yet joins its group first.
 *   Records returned are *received*, not yet processed.
 * - process: the consumer processes `count` of its received, unprocessed records (default all), in
 *   order; with `durationMs`, processing blocks its poll loop that long (max.poll.interval.ms).
 * - commit: commitSync() (mode "sync", default) or commitAsync() of every owned partition's position.
 * - crash / restart: the consumer's process dies (no LeaveGroup, positions lost) / starts again.
 * - join: subscribe and first poll (joins the group). leave: consumer.close() (LeaveGroup if dynamic).
 * - brokerDown / brokerUp: a broker fails (its replicas keep their logs unless `diskLost`) / returns.
 * - advanceTime: the clock moves `ms` forward; heartbeats, session timeouts, follower fetches, ISR
 *   changes, retention and compaction happen on the way.
 * - addPartitions: grow a topic to `partitions` in total; producers see the new count at once.
 * - note: narration for the student, shown by the player; changes nothing.
 */
export type Step =
  | { produce: ProduceStep }
  | { poll: { consumer?: string; consumers?: string[] } }
  | { process: { consumer: string; count?: number; durationMs?: number } }
  | { commit: { consumer: string; mode?: 'sync' | 'async' } }
  | { crash: { consumer: string } }
  | { restart: { consumer: string } }
  | { join: { consumer: string } }
  | { leave: { consumer: string } }
  | { brokerDown: { broker: number; diskLost?: boolean } }
  | { brokerUp: { broker: number } }
  | { advanceTime: { ms: number } }
  | { addPartitions: { topic: string; partitions: number } }
  | { note: string };

// =============================================================================================
// The trace the engine plays out
// =============================================================================================

/** A record as a snapshot shows it. */
export interface RecordView {
  offset: number;
  key: string | null;
  value: string | null;
  /** CreateTime, ms on the simulated clock */
  timestamp: number;
  /** the scenario producer that wrote it, or null if unknown */
  producer: string | null;
  /** the leader epoch it was appended in */
  leaderEpoch: number | null;
}

/** A record as a consumer saw it: where it came from and what it held. */
export interface ConsumedRecord {
  topic: string;
  partition: number;
  offset: number;
  key: string | null;
  value: string | null;
  /** the scenario producer that wrote it, or null if unknown */
  producer: string | null;
}

/** One partition at one instant: replication state and the leader's log. */
export interface PartitionView {
  topic: string;
  partition: number;
  /** e.g. "t0p1" or "orders-1" */
  label: string;
  /** replica broker ids; the first is the preferred leader */
  replicas: number[];
  /** the leader's broker id, or null when the partition is offline */
  leader: number | null;
  leaderEpoch: number;
  isr: number[];
  /** the leader's (or, offline, the best replica's) log start / end offsets and high watermark */
  logStartOffset: number;
  logEndOffset: number;
  highWatermark: number;
  /** each replica's own offsets */
  replicaStates: { broker: number; alive: boolean; logStartOffset: number; logEndOffset: number; highWatermark: number }[];
  /** how many records the leader's log holds now (after retention and compaction) */
  recordCount: number;
  /** the leader's records, oldest first; only the last `recordLimit` when there are more */
  records: RecordView[];
  /** how many older records were left out of `records` (0 when all are shown) */
  recordsOmitted: number;
  /** the segments of the leader's log (base offset, record count, bytes, active or not) */
  segments: { baseOffset: number; recordCount: number; sizeInBytes: number; active: boolean }[];
}

/** A group member at one instant. */
export interface MemberView {
  /** the consumer's id in the scenario, e.g. "C0" */
  consumer: string;
  memberId: string;
  groupInstanceId: string | null;
  /** what the coordinator assigned it at the last rebalance */
  assignment: TopicPartition[];
}

/** A consumer group at one instant. */
export interface GroupView {
  id: string;
  state: GroupState;
  generationId: number;
  /** the assignor chosen at the last rebalance */
  assignor: AssignorName | null;
  protocol: RebalanceProtocol;
  /** the leader's consumer id */
  leader: string | null;
  /** members the coordinator knows, in join order */
  members: MemberView[];
  /** committed offset per partition of the subscribed topics (null = none yet) and lag = HW − committed */
  offsets: { topic: string; partition: number; committed: number | null; highWatermark: number; lag: number }[];
  /** sum of `offsets[].lag` */
  totalLag: number;
}

/** A consumer at one instant. */
export interface ConsumerView {
  id: string;
  group: string;
  /** running = its process is alive (joined and not crashed, closed, or fenced by a newer instance) */
  status: 'not-started' | 'running' | 'crashed' | 'closed' | 'fenced';
  /** null when it is not a member now */
  memberId: string | null;
  /** the generation it believes it is in (-1 for none) */
  generationId: number;
  /** the partitions it owns now (may fetch) */
  owned: TopicPartition[];
  /** position (next offset to read) and lag (HW − position) per owned partition */
  positions: { topic: string; partition: number; position: number | null; lag: number | null }[];
  receivedCount: number;
  processedCount: number;
  /** received but not processed yet, oldest first (at most `recordLimit`) */
  pending: ConsumedRecord[];
}

/** A send's fate, as the producer's callback reports it. */
export interface DeliveryView {
  /** the producer's batch id (one record per batch here) */
  batchId: number;
  topic: string;
  partition: number;
  key: string | null;
  value: string | null;
  status: 'pending' | 'acked' | 'failed';
  /** the offset the broker reported; null for acks=0, pending or failed */
  offset: number | null;
  /** the Kafka error code when failed (or last seen), else null */
  error: string | null;
  retries: number;
}

/** A producer at one instant. */
export interface ProducerView {
  id: string;
  acks: 0 | 1 | -1;
  enableIdempotence: boolean;
  counts: { pending: number; acked: number; failed: number };
  /** the latest sends, oldest first (at most `recordLimit`) */
  deliveries: DeliveryView[];
}

/** Everything a renderer needs at one instant; self-contained. */
export interface Snapshot {
  timeMs: number;
  brokers: { id: number; rack: string | null; alive: boolean }[];
  topics: { name: string; partitions: number; replicationFactor: number; cleanupPolicy: string; minInsyncReplicas: number }[];
  /** by topic (UTF-16 order), then partition */
  partitions: PartitionView[];
  groups: GroupView[];
  consumers: ConsumerView[];
  producers: ProducerView[];
}

/** A rebalance listener call that happened during a step. */
export interface CallbackView {
  consumer: string;
  group: string;
  kind: 'revoked' | 'assigned' | 'lost';
  partitions: TopicPartition[];
}

/**
 * One event of the trace: the state after one step (event 0 is the initial state, `step` null).
 * A renderer needs only this object: it carries the step, a description, what happened, and a full
 * snapshot.
 */
export interface TraceEvent {
  /** position in the trace, 0 … */
  index: number;
  /** index into `scenario.steps`, or null for the initial event */
  step: number | null;
  kind: StepKind | 'start';
  /** simulated time after the step, ms */
  timeMs: number;
  /** what the step did, in Kafka notation: "P0 sends key order-1 → orders-2 (acks=all)" */
  description: string;
  /** who and what the step acts on, for a renderer to highlight (empty lists for note / advanceTime) */
  focus: { consumers: string[]; producers: string[]; brokers: number[]; topics: string[] };
  /** the narration text for a `note` step (and the latest note for later steps until the next one), else null */
  narration: string | null;
  /** what the engine did as a consequence, one line each, in order ("C1 removed from g1 (session-timeout)") */
  happened: string[];
  /** records consumers received in this step (poll), per consumer; at most `recordLimit` each */
  received: { consumer: string; records: ConsumedRecord[] }[];
  /** records consumers processed in this step */
  processed: { consumer: string; records: ConsumedRecord[] }[];
  /** delivery outcomes decided in this step (acked / failed), across producers */
  deliveries: (DeliveryView & { producer: string })[];
  /** rebalance listener callbacks during this step */
  callbacks: CallbackView[];
  /** an error the step hit that a real client would see (e.g. CommitFailedException), else null */
  error: string | null;
  snapshot: Snapshot;
}

/** The final state, with complete histories (no caps), for specs and quizzes. */
export interface ScenarioState {
  snapshot: Snapshot;
  /** every record each consumer received, in order (duplicates included) */
  received: Record<string, ConsumedRecord[]>;
  /** every record each consumer processed, in order (duplicates included) */
  processed: Record<string, ConsumedRecord[]>;
  /** every send of each producer with its final fate */
  deliveries: Record<string, DeliveryView[]>;
  /** the leader's complete log per partition label (offline: the best replica's) */
  logs: Record<string, RecordView[]>;
  /** counts, always kept (also in summary mode) */
  totals: { produced: number; received: number; processed: number };
}

/** Options for runScenario. */
export interface RunOptions {
  /**
   * "full" (default): one TraceEvent per step with a snapshot. "none": no trace (trace = []), for
   * benchmarks; `state` still holds the final snapshot and totals.
   */
  trace?: 'full' | 'none';
  /** cap on records listed per partition / consumer / producer in snapshots; default 200 */
  recordLimit?: number;
  /** keep the full received/processed/delivery histories in `state`; default true (false for benchmarks) */
  keepHistory?: boolean;
}

/** What runScenario returns. `trace` is JSON-serialisable. */
export interface ScenarioResult {
  trace: TraceEvent[];
  state: ScenarioState;
}

// =============================================================================================
// Playing a scenario out
// =============================================================================================

/** A scenario that cannot be played: names the step (`steps[3].poll`) or field and what is wrong. */
export class ScenarioError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`${path}: ${message}`);
    this.name = 'ScenarioError';
  }
}

/** A reference problem found by {@link checkScenarioReferences}: where, and what. */
export interface ScenarioProblem {
  /** path segments, e.g. ['steps', 3, 'produce', 'topic'] */
  path: (string | number)[];
  message: string;
  /** what was found there */
  received: unknown;
  /** what would have been accepted */
  expected: string;
}

const STEP_KINDS: readonly StepKind[] = [
  'produce',
  'poll',
  'process',
  'commit',
  'crash',
  'restart',
  'join',
  'leave',
  'brokerDown',
  'brokerUp',
  'advanceTime',
  'addPartitions',
  'note',
];

/** The kind of a step: its only key. @throws ScenarioError when it has none or several known keys */
export function stepKind(step: Step, index = 0): StepKind {
  const kinds = Object.keys(step).filter((k): k is StepKind => (STEP_KINDS as readonly string[]).includes(k));
  if (kinds.length !== 1) {
    throw new ScenarioError(`steps[${index}]`, `Expected exactly one of ${STEP_KINDS.join(', ')}, got ${JSON.stringify(Object.keys(step))}`);
  }
  return kinds[0];
}

/** Broker ids of a scenario (a count n → 0 … n−1). */
export function scenarioBrokerIds(s: Pick<Scenario, 'brokers'>): number[] {
  return typeof s.brokers === 'number' ? Array.from({ length: s.brokers }, (_, i) => i) : s.brokers.map((b) => b.id);
}

/**
 * Semantic checks a schema cannot express: every reference names something declared, ids are
 * unique, replicationFactor ≤ brokers, the group protocol agrees with its assignor, a compacted
 * topic gets no keyless record, explicit partitions exist (counting addPartitions before them).
 * @returns the problems, in document order (empty when the scenario is consistent)
 */
export function checkScenarioReferences(s: Scenario): ScenarioProblem[] {
  const problems: ScenarioProblem[] = [];
  const add = (path: (string | number)[], message: string, received: unknown, expected: string) => problems.push({ path, message, received, expected });
  const brokerIds = scenarioBrokerIds(s);
  const list = (xs: Iterable<unknown>) => [...xs].map((x) => JSON.stringify(x)).join(', ') || '(none declared)';
  const dupes = (ids: string[], field: string) =>
    ids.forEach((id, i) => {
      if (ids.indexOf(id) !== i) add([field, i, 'id'], `duplicate ${field} id`, id, `an id not used by another entry of ${field}`);
    });
  if (new Set(brokerIds).size !== brokerIds.length) add(['brokers'], 'duplicate broker id', brokerIds, 'distinct broker ids');
  const topics = new Map<string, TopicDefinition>();
  (s.topics ?? []).forEach((t, i) => {
    if (topics.has(t.name)) add(['topics', i, 'name'], 'duplicate topic name', t.name, 'a topic name not used by another topic');
    topics.set(t.name, t);
    const rf = t.replicationFactor ?? 1;
    if (rf > brokerIds.length) add(['topics', i, 'replicationFactor'], `replicationFactor ${rf} is larger than the ${brokerIds.length} broker(s)`, rf, `an integer from 1 to ${brokerIds.length} (the broker count)`);
    const mir = t.configs?.minInsyncReplicas;
    if (mir !== undefined && mir > rf) add(['topics', i, 'configs', 'minInsyncReplicas'], `minInsyncReplicas ${mir} can never be met with replicationFactor ${rf}`, mir, `an integer from 1 to ${rf}`);
  });
  const producers = new Set((s.producers ?? []).map((p) => p.id));
  const groups = new Map((s.groups ?? []).map((g) => [g.id, g] as const));
  const consumers = new Set((s.consumers ?? []).map((c) => c.id));
  dupes((s.producers ?? []).map((p) => p.id), 'producers');
  dupes((s.groups ?? []).map((g) => g.id), 'groups');
  dupes((s.consumers ?? []).map((c) => c.id), 'consumers');
  (s.groups ?? []).forEach((g, i) => {
    const derived: RebalanceProtocol = g.assignor === 'cooperative-sticky' ? 'cooperative' : 'eager';
    if (g.protocol !== undefined && g.protocol !== derived) {
      add(['groups', i, 'protocol'], `assignor ${g.assignor} rebalances with the ${derived} protocol`, g.protocol, `"${derived}" (or leave protocol out)`);
    }
  });
  const instanceIds = new Set<string>();
  (s.consumers ?? []).forEach((c, i) => {
    if (!groups.has(c.group)) add(['consumers', i, 'group'], 'unknown group', c.group, `one of the declared groups: ${list(groups.keys())}`);
    c.topics.forEach((t, j) => {
      if (!topics.has(t)) add(['consumers', i, 'topics', j], 'unknown topic', t, `one of the declared topics: ${list(topics.keys())}`);
    });
    const gi = c.config?.groupInstanceId;
    if (gi !== undefined) {
      const k = `${c.group}/${gi}`;
      if (instanceIds.has(k)) add(['consumers', i, 'config', 'groupInstanceId'], 'two consumers of one group share a groupInstanceId', gi, 'a groupInstanceId unique within the group');
      instanceIds.add(k);
    }
  });
  const partitionCount = new Map([...topics].map(([n, t]) => [n, t.partitions] as const));
  (s.steps ?? []).forEach((step, i) => {
    let kind: StepKind;
    try {
      kind = stepKind(step, i);
    } catch {
      add(['steps', i], 'a step must have exactly one kind', Object.keys(step), `one of ${STEP_KINDS.join(', ')}`);
      return;
    }
    const body = (step as Record<string, unknown>)[kind] as Record<string, unknown>;
    const at = (...rest: (string | number)[]) => ['steps', i, kind, ...rest];
    const needConsumer = (name: unknown, path: (string | number)[]) => {
      if (!consumers.has(name as string)) add(path, 'unknown consumer', name, `one of the declared consumers: ${list(consumers)}`);
    };
    const needBroker = (id: unknown) => {
      if (!brokerIds.includes(id as number)) add(at('broker'), 'unknown broker', id, `one of the broker ids: ${brokerIds.join(', ')}`);
    };
    switch (kind) {
      case 'produce': {
        const p = body as unknown as ProduceStep;
        if (!producers.has(p.producer)) add(at('producer'), 'unknown producer', p.producer, `one of the declared producers: ${list(producers)}`);
        const t = topics.get(p.topic);
        if (!t) {
          add(at('topic'), 'unknown topic', p.topic, `one of the declared topics: ${list(topics.keys())}`);
          break;
        }
        const n = partitionCount.get(p.topic)!;
        const checkPartition = (part: number | undefined, path: (string | number)[]) => {
          if (part !== undefined && part >= n) add(path, `${p.topic} has ${n} partitions at this step`, part, `a partition from 0 to ${n - 1}`);
        };
        checkPartition(p.partition, at('partition'));
        p.records?.forEach((r, j) => checkPartition(r.partition, at('records', j, 'partition')));
        const compacted = (t.configs?.cleanupPolicy ?? 'delete') !== 'delete';
        if (compacted) {
          const keyless = p.records ? p.records.findIndex((r) => r.key === null || r.key === undefined) : p.key === null || p.key === undefined ? 0 : -1;
          if (keyless >= 0) {
            add(p.records ? at('records', keyless, 'key') : at('key'), `${p.topic} is compacted: Kafka rejects keyless records (INVALID_RECORD)`, null, 'a string key');
          }
        }
        const forms = [p.records !== undefined, p.count !== undefined].filter(Boolean).length;
        if (forms > 1) add(at(), 'give either records or count, not both', Object.keys(p), 'records (a list) or count with key/value templates');
        if (p.records === undefined && p.value === undefined) add(at('value'), 'missing value', undefined, 'a string, or null for a tombstone');
        break;
      }
      case 'poll': {
        const b = body as { consumer?: string; consumers?: string[] };
        if (b.consumer !== undefined && b.consumers !== undefined) {
          add(at(), 'give consumer or consumers, not both', Object.keys(b), 'consumer (one id), consumers (a list), or neither (every running consumer)');
        }
        if (b.consumer !== undefined) needConsumer(b.consumer, at('consumer'));
        b.consumers?.forEach((c, j) => needConsumer(c, at('consumers', j)));
        break;
      }
      case 'process':
      case 'commit':
      case 'crash':
      case 'restart':
      case 'join':
      case 'leave':
        needConsumer(body.consumer, at('consumer'));
        break;
      case 'brokerDown':
      case 'brokerUp':
        needBroker(body.broker);
        break;
      case 'addPartitions': {
        const t = body.topic as string;
        const n = body.partitions as number;
        if (!partitionCount.has(t)) {
          add(at('topic'), 'unknown topic', t, `one of the declared topics: ${list(topics.keys())}`);
          break;
        }
        if (n <= partitionCount.get(t)!) add(at('partitions'), `${t} already has ${partitionCount.get(t)} partitions; Kafka can only add`, n, `an integer larger than ${partitionCount.get(t)}`);
        else partitionCount.set(t, n);
        break;
      }
      default:
        break;
    }
  });
  return problems;
}

// ---------------------------------------------------------------------------------------------
// The runner
// ---------------------------------------------------------------------------------------------

/** Simulation default: followers fetch every 100 ms while time advances (see ClusterSettings). */
export const DEFAULT_REPLICA_FETCH_INTERVAL_MS = 100;
/** log.retention.check.interval.ms: 300000 (Kafka broker config). */
export const DEFAULT_LOG_RETENTION_CHECK_INTERVAL_MS = 300_000;
/** log.cleaner.backoff.ms: 15000 (Kafka broker config). */
export const DEFAULT_LOG_CLEANER_BACKOFF_MS = 15_000;
const DEFAULT_RECORD_LIMIT = 200;
/** above this many records, a produce step summarises per partition instead of one line per record */
const DETAIL_LINES = 20;

/**
 * The lesson notation for a partition: `t0p1` ({@link formatTp}) for topics named like t0, else Kafka's
 * `orders-1` ({@link tpKey}, TopicPartition.toString()), since formatTp would give "ordersp1".
 */
export function partitionLabel(tp: TopicPartition): string {
  return /^t\d+$/.test(tp.topic) ? formatTp(tp) : tpKey(tp);
}

/** a copy without the keys whose value is undefined (so `{ ...defaults, ...x }` keeps the defaults) */
function withoutUndefined<T extends object>(o: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}

function fill(template: string, i: number): string {
  return template.replace(/\{i(?:%(\d+))?\}/g, (_, mod: string | undefined) => String(mod ? i % Number(mod) : i));
}

function offsetRange(records: { offset: number }[]): string {
  if (records.length === 0) return 'nothing';
  const first = records[0].offset;
  const last = records[records.length - 1].offset;
  return first === last ? `offset ${first}` : `offsets ${first}–${last}`;
}

interface ConsumerSlot {
  spec: ConsumerSpec;
  consumer: Consumer;
  group: GroupCoordinator;
  status: ConsumerView['status'];
  pending: ConsumedRecord[];
  received: ConsumedRecord[];
  processed: ConsumedRecord[];
  receivedCount: number;
  processedCount: number;
}

interface ProducerSlot {
  spec: ProducerSpec;
  producer: Producer;
  partitioners: Map<string, ProducerPartitioner>;
  /** last status reported per batch id (to report changes once), for batches from `settled` on */
  reported: Map<number, string>;
  /** batches before this index are final and reported */
  settled: number;
}

interface StepLog {
  happened: string[];
  received: { consumer: string; records: ConsumedRecord[] }[];
  processed: { consumer: string; records: ConsumedRecord[] }[];
  callbacks: CallbackView[];
  error: string | null;
}

class ScenarioRun {
  readonly cluster: Cluster;
  private readonly topicConfigs = new Map<string, Partial<LogConfig>>();
  private readonly producers = new Map<string, ProducerSlot>();
  private readonly groups = new Map<string, { spec: GroupSpec; group: GroupCoordinator; topics: string[] }>();
  private readonly consumers = new Map<string, ConsumerSlot>();
  private readonly clientOfRequest = new Map<number, string>();
  /** `${tpKey}@${offset}@${leaderEpoch}` → producer id */
  private readonly writer = new Map<string, string>();
  private readonly clusterEvents: ClusterEvent[] = [];
  /** group and consumer events in one array, so their order is kept */
  private readonly memberEvents: (GroupEvent | ConsumerEvent)[] = [];
  private readonly rng: Prng;
  private readonly recordLimit: number;
  private readonly keepHistory: boolean;
  private readonly detailed: boolean;
  private nextRetentionMs: number;
  private nextCleanerMs: number;
  private readonly retentionIntervalMs: number;
  private readonly cleanerIntervalMs: number;
  totals = { produced: 0, received: 0, processed: 0 };

  constructor(
    readonly scenario: Scenario,
    options: RunOptions,
  ) {
    this.recordLimit = options.recordLimit ?? DEFAULT_RECORD_LIMIT;
    this.keepHistory = options.keepHistory ?? true;
    this.detailed = (options.trace ?? 'full') === 'full';
    this.rng = createPrng(scenario.seed);
    const settings = scenario.cluster ?? {};
    this.retentionIntervalMs = settings.logRetentionCheckIntervalMs ?? DEFAULT_LOG_RETENTION_CHECK_INTERVAL_MS;
    this.cleanerIntervalMs = settings.logCleanerBackoffMs ?? DEFAULT_LOG_CLEANER_BACKOFF_MS;
    this.nextRetentionMs = this.retentionIntervalMs;
    this.nextCleanerMs = this.cleanerIntervalMs;
    const brokers: BrokerMetadata[] =
      typeof scenario.brokers === 'number' ? scenarioBrokerIds(scenario).map((id) => ({ id })) : scenario.brokers.map((b) => ({ id: b.id, rack: b.rack ?? null }));
    this.cluster = new Cluster({
      brokers,
      replicaLagTimeMaxMs: settings.replicaLagTimeMaxMs,
      replicaFetchIntervalMs: settings.replicaFetchIntervalMs ?? DEFAULT_REPLICA_FETCH_INTERVAL_MS,
    });
    this.cluster.attach({ nextDeadlineMs: () => null, onTime: () => [], onEvent: (e) => this.onClusterEvent(e) });
    for (const t of scenario.topics) {
      const c = t.configs ?? {};
      const logCfg: Partial<LogConfig> = {};
      for (const k of ['cleanupPolicy', 'retentionMs', 'retentionBytes', 'segmentBytes', 'segmentMs', 'deleteRetentionMs', 'minCompactionLagMs', 'minCleanableDirtyRatio'] as const) {
        if (c[k] !== undefined) (logCfg as Record<string, unknown>)[k] = c[k];
      }
      this.topicConfigs.set(t.name, logCfg);
      const replication: TopicSpec['config'] = {};
      if (c.minInsyncReplicas !== undefined) replication.minInsyncReplicas = c.minInsyncReplicas;
      if (c.uncleanLeaderElectionEnable !== undefined) replication.uncleanLeaderElectionEnable = c.uncleanLeaderElectionEnable;
      this.cluster.createTopic({ name: t.name, partitions: t.partitions, replicationFactor: t.replicationFactor ?? 1, config: replication, logConfig: logCfg });
    }
    for (const p of scenario.producers ?? []) {
      const c = p.config ?? {};
      const producer = new Producer(this.cluster, {
        clientId: p.id,
        acks: c.acks,
        enableIdempotence: c.enableIdempotence,
        retries: c.retries,
        maxInFlightRequestsPerConnection: c.maxInFlightRequestsPerConnection,
        requestTimeoutMs: c.requestTimeoutMs,
        deliveryTimeoutMs: c.deliveryTimeoutMs,
      });
      const partitioners = new Map<string, ProducerPartitioner>();
      for (const t of scenario.topics) {
        partitioners.set(t.name, new ProducerPartitioner(t.partitions, this.rng.fork(), withoutUndefined({ partitioner: c.partitioner, batchSize: c.batchSize, lingerMs: c.lingerMs })));
      }
      this.producers.set(p.id, { spec: p, producer, partitioners, reported: new Map(), settled: 0 });
    }
    for (const g of scenario.groups ?? []) {
      const topics = [...new Set((scenario.consumers ?? []).filter((c) => c.group === g.id).flatMap((c) => c.topics))].sort(compareStrings);
      const group = new GroupCoordinator({
        groupId: g.id,
        partitionsPerTopic: () => this.partitionsPerTopic(),
        groupInitialRebalanceDelayMs: g.initialRebalanceDelayMs,
        trace: this.memberEvents as GroupEvent[],
        nowMs: 0,
      });
      this.groups.set(g.id, { spec: g, group, topics });
    }
    for (const c of scenario.consumers ?? []) {
      const g = this.groups.get(c.group);
      if (!g) throw new ScenarioError(`consumers`, `consumer ${c.id} names unknown group ${JSON.stringify(c.group)}`);
      const cfg = c.config ?? {};
      const consumer = new Consumer({
        name: c.id,
        group: g.group,
        partition: (tp) => this.fetchable(tp),
        trace: this.memberEvents as ConsumerEvent[],
        config: {
          topics: [...c.topics],
          groupInstanceId: cfg.groupInstanceId ?? null,
          partitionAssignmentStrategy: [g.spec.assignor],
          sessionTimeoutMs: cfg.sessionTimeoutMs,
          heartbeatIntervalMs: cfg.heartbeatIntervalMs,
          maxPollIntervalMs: cfg.maxPollIntervalMs,
          enableAutoCommit: cfg.enableAutoCommit,
          autoCommitIntervalMs: cfg.autoCommitIntervalMs,
          autoOffsetReset: cfg.autoOffsetReset,
          maxPollRecords: cfg.maxPollRecords,
        },
      });
      this.consumers.set(c.id, {
        spec: c,
        consumer,
        group: g.group,
        status: 'not-started',
        pending: [],
        received: [],
        processed: [],
        receivedCount: 0,
        processedCount: 0,
      });
    }
  }

  get nowMs(): number {
    return this.cluster.nowMs;
  }

  private partitionsPerTopic(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const t of this.cluster.topics()) out[t] = this.cluster.topicPartitions(t).length;
    return out;
  }

  private fetchable(tp: TopicPartition): FetchablePartition | undefined {
    let p: PartitionReplication;
    try {
      p = this.cluster.partition(tp);
    } catch {
      return undefined;
    }
    const leader = p.leaderReplica();
    if (!leader) {
      // offline: the fetch gets LEADER_NOT_AVAILABLE and tries again later; nothing to read
      return { logStartOffset: 0, logEndOffset: Number.MAX_SAFE_INTEGER, highWatermark: 0, read: () => [] };
    }
    return {
      logStartOffset: leader.log.logStartOffset,
      logEndOffset: leader.log.logEndOffset,
      highWatermark: leader.log.highWatermark,
      read: (from, to) => {
        const r = to > from ? leader.log.read(from, to - from) : null;
        return r && r.ok ? r.records.filter((x) => x.offset < to) : [];
      },
    };
  }

  private onClusterEvent(e: ClusterEvent): void {
    if (this.detailed) this.clusterEvents.push(e);
    if (!this.attribute) return;
    if (e.type === 'produce-request' && e.clientId !== undefined) this.clientOfRequest.set(e.requestId, e.clientId);
    else if (e.type === 'append') {
      const client = this.clientOfRequest.get(e.requestId);
      if (client !== undefined) {
        const key = tpKey(e);
        for (let o = e.baseOffset; o <= e.lastOffset; o++) this.writer.set(`${key}@${o}@${e.leaderEpoch}`, client);
        this.clientOfRequest.delete(e.requestId);
      }
    }
  }

  /** who wrote each record is tracked unless the run keeps neither a trace nor histories (benchmarks) */
  private get attribute(): boolean {
    return this.detailed || this.keepHistory;
  }

  private producerOf(tp: TopicPartition, r: LogRecord): string | null {
    if (!this.attribute) return null;
    return this.writer.get(`${tpKey(tp)}@${r.offset}@${r.leaderEpoch ?? 0}`) ?? null;
  }

  private recordView(tp: TopicPartition, r: LogRecord): RecordView {
    return { offset: r.offset, key: r.key, value: r.value, timestamp: r.timestamp, producer: this.producerOf(tp, r), leaderEpoch: r.leaderEpoch ?? null };
  }

  private consumed(r: { topic: string; partition: number } & LogRecord): ConsumedRecord {
    return { topic: r.topic, partition: r.partition, offset: r.offset, key: r.key, value: r.value, producer: this.producerOf(r, r) };
  }

  // ---- time ----

  private advance(ms: number): void {
    const target = this.nowMs + ms;
    for (;;) {
      const next = Math.min(this.nextRetentionMs, this.nextCleanerMs);
      if (next > target) break;
      if (next > this.nowMs) this.cluster.advanceTime(next - this.nowMs);
      if (this.nextRetentionMs <= this.nowMs) {
        this.runLogTask('retention');
        this.nextRetentionMs += this.retentionIntervalMs;
      }
      if (this.nextCleanerMs <= this.nowMs) {
        this.runLogTask('cleaner');
        this.nextCleanerMs += this.cleanerIntervalMs;
      }
    }
    if (target > this.nowMs || ms === 0) this.cluster.advanceTime(target - this.nowMs);
    for (const g of this.groups.values()) g.group.advanceTo(this.nowMs);
  }

  private logLines: string[] = [];

  private runLogTask(task: 'retention' | 'cleaner'): void {
    for (const t of this.cluster.topics()) {
      for (const p of this.cluster.topicPartitions(t)) {
        for (const b of p.replicas) {
          if (!this.cluster.isAlive(b)) continue;
          const log = p.replicaOf[b].log;
          const label = partitionLabel(p);
          const lead = b === p.leader;
          if (task === 'retention') {
            const r = applyRetention(log, this.nowMs);
            const n = r.deleted.reduce((sum, d) => sum + d.recordCount, 0);
            if (lead && r.deleted.length) {
              this.logLines.push(`retention (${[...new Set(r.deleted.map((d) => d.reason))].join(', ')}) deleted ${r.deleted.length} segment(s), ${n} record(s), of ${label} on broker ${b}: logStartOffset ${r.logStartOffsetBefore} → ${r.logStartOffset}`);
            }
          } else if (needsCompaction(log, this.nowMs)) {
            const r = compactLog(log, this.nowMs);
            const removed = r.duplicatesRemoved + r.tombstonesRemoved + r.keylessRemoved;
            if (lead && r.cleaned && removed > 0) {
              this.logLines.push(`the log cleaner compacted ${label} on broker ${b}: ${r.duplicatesRemoved} superseded record(s) and ${r.tombstonesRemoved} tombstone(s) removed, offsets kept`);
            }
          }
        }
      }
    }
  }

  // ---- steps ----

  runStep(step: Step, index: number): { kind: StepKind; description: string; log: StepLog } {
    const kind = stepKind(step, index);
    const log: StepLog = { happened: [], received: [], processed: [], callbacks: [], error: null };
    const path = `steps[${index}].${kind}`;
    const body = (step as Record<string, unknown>)[kind] as never;
    let description: string;
    switch (kind) {
      case 'produce':
        description = this.produce(body as ProduceStep, path, log);
        break;
      case 'poll':
        description = this.poll(body as { consumer?: string; consumers?: string[] }, path, log);
        break;
      case 'process':
        description = this.process(body as { consumer: string; count?: number; durationMs?: number }, path, log);
        break;
      case 'commit':
        description = this.commit(body as { consumer: string; mode?: 'sync' | 'async' }, path, log);
        break;
      case 'crash': {
        const s = this.slot((body as { consumer: string }).consumer, path);
        this.requireRunning(s, path);
        s.consumer.crash(this.nowMs);
        s.status = 'crashed';
        s.pending = [];
        description = `${s.spec.id} crashes: no LeaveGroup; its positions and unprocessed records are gone`;
        break;
      }
      case 'restart': {
        const s = this.slot((body as { consumer: string }).consumer, path);
        if (s.status === 'running') throw new ScenarioError(path, `${s.spec.id} is already running`);
        if (s.status === 'not-started') s.consumer.poll(this.nowMs);
        else s.consumer.restart(this.nowMs);
        s.status = 'running';
        description = `${s.spec.id} starts again${s.spec.config?.groupInstanceId ? ` with group.instance.id ${s.spec.config.groupInstanceId}` : ''} and joins ${s.spec.group}`;
        break;
      }
      case 'join': {
        const s = this.slot((body as { consumer: string }).consumer, path);
        if (s.status === 'running') throw new ScenarioError(path, `${s.spec.id} is already running`);
        let records: ReturnType<Consumer['poll']>;
        if (s.status === 'not-started') records = s.consumer.poll(this.nowMs);
        else {
          s.consumer.restart(this.nowMs);
          records = s.consumer.poll(this.nowMs);
        }
        s.status = 'running';
        this.receive(s, records, log);
        description = `${s.spec.id} subscribes to ${s.spec.topics.join(', ')} and joins group ${s.spec.group}${records.length ? `; its first poll() returns ${this.describeRecords(records)}` : ''}`;
        break;
      }
      case 'leave': {
        const s = this.slot((body as { consumer: string }).consumer, path);
        this.requireRunning(s, path);
        s.consumer.close(this.nowMs);
        s.status = 'closed';
        s.pending = [];
        description = `${s.spec.id} closes${s.spec.config?.groupInstanceId ? ' (a static member sends no LeaveGroup)' : ' and leaves the group'}`;
        break;
      }
      case 'brokerDown': {
        const b = body as { broker: number; diskLost?: boolean };
        this.cluster.brokerDown(b.broker, { diskLost: b.diskLost ?? false });
            description = `broker ${b.broker} goes down${b.diskLost ? ' and loses its disk' : ''}`;
        break;
      }
      case 'brokerUp': {
        const b = body as { broker: number };
        this.cluster.brokerUp(b.broker);
        description = `broker ${b.broker} comes back`;
        break;
      }
      case 'advanceTime': {
        const ms = (body as { ms: number }).ms;
        this.advance(ms);
        description = `${ms} ms pass`;
        break;
      }
      case 'addPartitions': {
        const b = body as { topic: string; partitions: number };
        const before = this.cluster.topicPartitions(b.topic).length;
        this.cluster.addPartitions(b.topic, b.partitions);
            for (const p of this.producers.values()) p.partitioners.get(b.topic)?.setNumPartitions(b.partitions);
        description = `${b.topic} grows from ${before} to ${b.partitions} partitions`;
        break;
      }
      case 'note':
        description = body as string;
        break;
    }
    for (const g of this.groups.values()) g.group.advanceTo(this.nowMs);
    return { kind, description, log };
  }

  /** ids of consumers whose process runs now, in declaration order */
  runningConsumers(): string[] {
    return [...this.consumers.values()].filter((s) => (this.syncStatus(s), s.status === 'running')).map((s) => s.spec.id);
  }

  private slot(id: string, path: string): ConsumerSlot {
    const s = this.consumers.get(id);
    if (!s) throw new ScenarioError(path, `unknown consumer ${JSON.stringify(id)}`);
    this.syncStatus(s);
    return s;
  }

  private syncStatus(s: ConsumerSlot): void {
    if (s.status === 'running' && !s.group.isAlive(s.spec.id)) s.status = 'fenced';
  }

  private requireRunning(s: ConsumerSlot, path: string): void {
    if (s.status !== 'running') throw new ScenarioError(path, `${s.spec.id} is not running (${s.status})`);
  }

  private produce(p: ProduceStep, path: string, log: StepLog): string {
    const slot = this.producers.get(p.producer);
    if (!slot) throw new ScenarioError(path, `unknown producer ${JSON.stringify(p.producer)}`);
    const partitioner = slot.partitioners.get(p.topic);
    if (!partitioner) throw new ScenarioError(path, `unknown topic ${JSON.stringify(p.topic)}`);
    const records: { key: string | null; value: string | null; partition?: number }[] =
      p.records?.map((r) => ({ key: r.key ?? null, value: r.value, partition: r.partition })) ??
      (p.count !== undefined
        ? Array.from({ length: p.count }, (_, i) => ({
            key: p.key === undefined || p.key === null ? null : fill(p.key, i),
            value: p.value === undefined || p.value === null ? null : fill(p.value, i),
            partition: p.partition,
          }))
        : [{ key: p.key ?? null, value: p.value ?? null, partition: p.partition }]);
    const perPartition = new Map<number, number>();
    const acks = slot.producer.config.acks === -1 ? 'all' : String(slot.producer.config.acks);
    for (const r of records) {
      const ts = this.nowMs;
      const decision = partitioner.send({ key: r.key, value: r.value, timestamp: ts, partition: r.partition ?? null });
      const { batchId } = slot.producer.send({ topic: p.topic, partition: decision.partition, key: r.key, value: r.value, timestamp: ts });
      this.totals.produced++;
      perPartition.set(decision.partition, (perPartition.get(decision.partition) ?? 0) + 1);
      if (this.detailed && records.length <= DETAIL_LINES) {
        const out = slot.producer.outcomes()[batchId - 1];
        const fate =
          out.status === 'delivered' ? (out.offset === null ? 'sent (acks=0: no answer)' : `acked at offset ${out.offset}`) : out.status === 'failed' ? `failed: ${out.error}` : 'awaiting acknowledgement';
        log.happened.push(`${p.producer}: key ${r.key ?? 'null'} → ${partitionLabel({ topic: p.topic, partition: decision.partition })} (${decision.via}), ${fate}`);
      }
    }
    if (this.detailed && records.length > DETAIL_LINES) {
      const parts = [...perPartition].sort((a, b) => a[0] - b[0]).map(([part, n]) => `${partitionLabel({ topic: p.topic, partition: part })}: ${n}`);
      log.happened.push(`${p.producer} spread ${records.length} records: ${parts.join(', ')}`);
    }
    if (records.length === 1) {
      const r = records[0];
      return `${p.producer} sends key ${r.key ?? 'null'}, value ${r.value ?? 'null (tombstone)'} to ${p.topic} (acks=${acks})`;
    }
    return `${p.producer} sends ${records.length} records to ${p.topic} (acks=${acks})`;
  }

  private receive(s: ConsumerSlot, records: ReturnType<Consumer['poll']>, log: StepLog): void {
    if (records.length === 0) return;
    const list = records.map((r) => this.consumed(r));
    s.receivedCount += list.length;
    this.totals.received += list.length;
    if (this.keepHistory) for (const r of list) s.received.push(r);
    for (const r of list) s.pending.push(r);
    if (this.detailed) log.received.push({ consumer: s.spec.id, records: list.slice(0, this.recordLimit) });
  }

  private poll(b: { consumer?: string; consumers?: string[] }, path: string, log: StepLog): string {
    const explicit = b.consumer !== undefined || b.consumers !== undefined;
    const names = b.consumer !== undefined ? [b.consumer] : (b.consumers ?? [...this.consumers.keys()]);
    const parts: string[] = [];
    for (const name of names) {
      const s = this.slot(name, path);
      if (s.status !== 'running' && s.status !== 'not-started') {
        if (explicit) throw new ScenarioError(path, `${name} is not running (${s.status})`);
        continue;
      }
      if (!explicit && s.status === 'not-started') continue;
      try {
        const records = s.consumer.poll(this.nowMs);
        s.status = 'running';
        this.receive(s, records, log);
        if (this.detailed) parts.push(`${name}: ${this.describeRecords(records)}`);
      } catch (e) {
        log.error = `${name}: ${(e as Error).name}: ${(e as Error).message}`;
        parts.push(`${name}: ${(e as Error).name}`);
      }
      this.syncStatus(s);
    }
    return `poll() — ${parts.length ? parts.join('; ') : 'no running consumer'}`;
  }

  private describeRecords(records: { topic: string; partition: number; offset: number }[]): string {
    if (records.length === 0) return 'no records';
    const by = new Map<string, { topic: string; partition: number; offset: number }[]>();
    for (const r of records) {
      const k = partitionLabel(r);
      const list = by.get(k);
      if (list) list.push(r);
      else by.set(k, [r]);
    }
    return `${records.length} record(s) (${[...by].map(([k, rs]) => `${k} ${offsetRange(rs)}`).join(', ')})`;
  }

  private process(b: { consumer: string; count?: number; durationMs?: number }, path: string, log: StepLog): string {
    const s = this.slot(b.consumer, path);
    this.requireRunning(s, path);
    const n = Math.min(b.count ?? s.pending.length, s.pending.length);
    const done = s.pending.splice(0, n);
    s.processedCount += done.length;
    this.totals.processed += done.length;
    if (this.keepHistory) for (const r of done) s.processed.push(r);
    if (this.detailed && done.length) log.processed.push({ consumer: s.spec.id, records: done.slice(0, this.recordLimit) });
    let text = this.detailed ? `${s.spec.id} processes ${this.describeRecords(done)}` : '';
    if (b.durationMs !== undefined && b.durationMs > 0) {
      s.group.process(this.nowMs, s.spec.id, b.durationMs);
      this.advance(b.durationMs);
      text += `, busy for ${b.durationMs} ms without polling`;
    }
    return text;
  }

  private commit(b: { consumer: string; mode?: 'sync' | 'async' }, path: string, log: StepLog): string {
    const s = this.slot(b.consumer, path);
    this.requireRunning(s, path);
    const mode = b.mode ?? 'sync';
    const positions = s.consumer
      .assignment()
      .map((tp) => ({ tp, offset: s.consumer.position(tp) }))
      .filter((x) => x.offset !== null);
    const what = this.detailed ? positions.map((x) => `${partitionLabel(x.tp)}=${x.offset}`).join(', ') || 'nothing' : '';
    if (mode === 'sync') {
      try {
        s.consumer.commitSync(this.nowMs);
      } catch (e) {
        log.error = `${s.spec.id}: ${(e as Error).name}: ${(e as Error).message}`;
      }
    } else {
      s.consumer.commitAsync(this.nowMs, undefined, (error) => {
        if (error !== 'NONE') log.error = `${s.spec.id}: commitAsync failed with ${error}`;
      });
    }
    return `${s.spec.id} ${mode === 'sync' ? 'commitSync()' : 'commitAsync()'}: ${what}`;
  }

  // ---- what happened (from the engines' own events) ----

  private seen = { cluster: 0, member: 0 };

  collect(log: StepLog): void {
    const clusterNew = this.clusterEvents.slice(this.seen.cluster);
    const memberNew = this.memberEvents.slice(this.seen.member);
    this.seen = { cluster: this.clusterEvents.length, member: this.memberEvents.length };
    for (const e of clusterNew) {
      const label = 'topic' in e && 'partition' in e ? partitionLabel({ topic: e.topic as string, partition: e.partition as number }) : '';
      switch (e.type) {
        case 'leader-election':
          if (e.reason !== 'initial') {
            log.happened.push(
              e.leader === null
                ? `${label} is offline: no in-sync replica is alive to lead`
                : `${label}: broker ${e.leader} becomes leader (epoch ${e.leaderEpoch})${e.unclean ? ' — UNCLEAN election of an out-of-sync replica' : ''}`,
            );
          }
          break;
        case 'isr-shrink':
        case 'isr-expand':
          log.happened.push(`${label}: ISR ${e.type === 'isr-shrink' ? 'shrinks' : 'expands'} to [${e.isr.join(', ')}] (${e.reason})`);
          break;
        case 'truncate':
          log.happened.push(`${label}: broker ${e.broker} truncates its log ${e.fromOffset} → ${e.toOffset} (${e.reason})`);
          break;
        case 'delivery-failed':
          log.happened.push(`${e.clientId}: send to ${label} failed for good (${e.error})`);
          break;
        case 'retry':
          if (log.happened.length < 200) log.happened.push(`${e.clientId}: retrying a send to ${label} after ${e.error}`);
          break;
        case 'topic-created':
          break;
        default:
          break;
      }
    }
    for (const e of memberNew) {
      switch (e.type) {
        case 'rebalance-started':
          log.happened.push(`${e.groupId}: rebalance starts (${e.reason})`);
          break;
        case 'rebalance-completed': {
          const a = Object.entries(e.assignment)
            .map(([m, tps]) => `${m}: [${tps.map(partitionLabel).join(', ')}]`)
            .join('  ');
          log.happened.push(`${e.groupId}: generation ${e.generationId} (${e.protocol}, ${e.rebalanceProtocol}) — ${a}`);
          break;
        }
        case 'member-removed':
          log.happened.push(`${e.groupId}: ${e.member} removed (${e.reason})`);
          break;
        case 'static-member-replaced':
          log.happened.push(`${e.groupId}: static member ${e.member} is back with a new memberId; its assignment is kept, no rebalance`);
          break;
        case 'member-fenced':
          log.happened.push(`${e.groupId}: ${e.member} is fenced (${e.error})`);
          break;
        case 'partitions-revoked':
        case 'partitions-assigned':
        case 'partitions-lost': {
          const kind = e.type === 'partitions-revoked' ? 'revoked' : e.type === 'partitions-assigned' ? 'assigned' : 'lost';
          log.callbacks.push({ consumer: e.member, group: e.groupId, kind, partitions: e.partitions.map((tp) => ({ topic: tp.topic, partition: tp.partition })) });
          if (e.partitions.length) log.happened.push(`${e.member}: onPartitions${kind[0].toUpperCase()}${kind.slice(1)}([${e.partitions.map(partitionLabel).join(', ')}])`);
          break;
        }
        case 'committed':
          if (e.mode === 'auto' || e.error !== 'NONE') {
            const what = e.offsets.map((o) => `${partitionLabel(o.tp)}=${o.offset}`).join(', ');
            log.happened.push(`${e.member}: ${e.mode === 'auto' ? 'auto-commit' : `commit${e.mode === 'sync' ? 'Sync' : 'Async'}`} ${what}${e.error !== 'NONE' ? ` failed (${e.error})` : ''}`);
          }
          break;
        case 'offset-reset':
          log.happened.push(`${e.member}: ${partitionLabel(e.tp)} position reset to ${e.toOffset} (auto.offset.reset=${e.strategy}, ${e.reason})`);
          break;
        default:
          break;
      }
    }
    log.happened.push(...this.logLines);
    this.logLines = [];
    // an auto-commit in poll() and another in onJoinPrepare at the same instant read as one line
    log.happened = log.happened.filter((line, i, all) => i === 0 || line !== all[i - 1]);
  }

  /** delivery outcomes that changed since the last call */
  deliveryChanges(): (DeliveryView & { producer: string })[] {
    const out: (DeliveryView & { producer: string })[] = [];
    for (const slot of this.producers.values()) {
      const all = slot.producer.outcomes();
      for (let i = slot.settled; i < all.length; i++) {
        const o = all[i];
        if (o.status === 'pending') continue;
        const key = `${o.status}@${o.offset}@${o.error}`;
        if (slot.reported.get(o.batchId) === key) continue;
        slot.reported.set(o.batchId, key);
        out.push({ producer: slot.spec.id, ...deliveryView(o) });
      }
      // batches before the first pending one are final (acked or failed for good)
      while (slot.settled < all.length && all[slot.settled].status !== 'pending') slot.reported.delete(all[slot.settled++].batchId);
    }
    return out;
  }

  // ---- snapshots ----

  snapshot(): Snapshot {
    const cs = this.cluster.snapshot();
    const partitions: PartitionView[] = cs.partitions.map((ps) => this.partitionView(ps));
    const viewOf = new Map(partitions.map((p) => [tpKey(p), p] as const));
    const groups: GroupView[] = [...this.groups.values()].map(({ spec, group, topics }) => {
      const tps = topics.flatMap((t) => this.cluster.topicPartitions(t).map((p) => ({ topic: t, partition: p.partition })));
      const offsets = tps.sort(compareTp).map((tp) => {
        const committed = group.committed(tp);
        const view = viewOf.get(tpKey(tp))!;
        const hw = view.highWatermark;
        const base = Math.max(committed ?? view.logStartOffset, view.logStartOffset);
        return { topic: tp.topic, partition: tp.partition, committed, highWatermark: hw, lag: Math.max(0, hw - base) };
      });
      const assignment = group.assignment();
      return {
        id: spec.id,
        state: group.state,
        generationId: group.generationId,
        assignor: group.protocol,
        protocol: spec.assignor === 'cooperative-sticky' ? 'cooperative' : 'eager',
        leader: group.leader,
        members: this.memberViews(spec.id, group, assignment),
        offsets,
        totalLag: offsets.reduce((n, o) => n + o.lag, 0),
      };
    });
    const consumers: ConsumerView[] = [...this.consumers.values()].map((s) => {
      this.syncStatus(s);
      const started = s.status !== 'not-started';
      const owned = started ? s.consumer.assignment().map((tp) => ({ topic: tp.topic, partition: tp.partition })) : [];
      return {
        id: s.spec.id,
        group: s.spec.group,
        status: s.status,
        memberId: started ? s.group.memberIdOf(s.spec.id) : null,
        generationId: started ? s.group.memberGenerationId(s.spec.id) : -1,
        owned,
        positions: owned.map((tp) => ({ topic: tp.topic, partition: tp.partition, position: s.consumer.position(tp), lag: s.consumer.lag(tp) })),
        receivedCount: s.receivedCount,
        processedCount: s.processedCount,
        pending: s.pending.slice(0, this.recordLimit),
      };
    });
    const producers: ProducerView[] = [...this.producers.values()].map((slot) => {
      const all = slot.producer.outcomes().map(deliveryView);
      const counts = { pending: 0, acked: 0, failed: 0 };
      for (const d of all) counts[d.status]++;
      return {
        id: slot.spec.id,
        acks: slot.producer.config.acks,
        enableIdempotence: slot.producer.config.enableIdempotence,
        counts,
        deliveries: all.slice(Math.max(0, all.length - this.recordLimit)),
      };
    });
    return {
      timeMs: this.nowMs,
      brokers: cs.brokers.map((b) => ({ id: b.id, rack: b.rack, alive: b.alive })),
      topics: this.cluster.topics().map((name) => {
        const parts = this.cluster.topicPartitions(name);
        return {
          name,
          partitions: parts.length,
          replicationFactor: parts[0].replicas.length,
          cleanupPolicy: this.topicConfigs.get(name)?.cleanupPolicy ?? 'delete',
          minInsyncReplicas: parts[0].config.minInsyncReplicas,
        };
      }),
      partitions,
      groups,
      consumers,
      producers,
    };
  }

  /**
   * Members as the coordinator knows them. The coordinator reports assignments by consumer name;
   * a restarted dynamic consumer is a *new* member under the same name while its dead predecessor
   * waits for its session to time out. For such a name, the older member keeps the assignment of
   * the last completed rebalance and the newer one has none yet (a name is unique again at every
   * completed rebalance: the join phase only ends once the dead member is removed).
   */
  private memberViews(groupId: string, group: GroupCoordinator, assignment: Record<string, TopicPartition[]>): MemberView[] {
    this.trackMembers();
    const names = group.memberNames();
    const seen = new Map<string, number>();
    return names.map((name) => {
      const k = seen.get(name) ?? 0;
      seen.set(name, k + 1);
      const shared = names.filter((n) => n === name).length > 1;
      const ids = this.memberIds.get(`${groupId}/${name}`) ?? [];
      const tps = !shared ? (assignment[name] ?? []) : k === 0 ? (this.lastAssignment.get(`${groupId}/${name}`) ?? []) : [];
      return {
        consumer: name,
        memberId: shared ? (ids[k] ?? '') : (group.memberIdOf(name) ?? ids[ids.length - 1] ?? ''),
        groupInstanceId: this.consumers.get(name)?.spec.config?.groupInstanceId ?? null,
        assignment: [...tps].sort(compareTp).map((tp) => ({ topic: tp.topic, partition: tp.partition })),
      };
    });
  }

  /** `${group}/${name}` → memberIds the coordinator holds for that name, oldest first */
  private readonly memberIds = new Map<string, string[]>();
  /** `${group}/${name}` → assignment at the last completed rebalance */
  private readonly lastAssignment = new Map<string, TopicPartition[]>();
  private tracked = 0;

  /** follow the coordinators' own events: joins, replacements, removals, completed rebalances */
  private trackMembers(): void {
    for (; this.tracked < this.memberEvents.length; this.tracked++) {
      const e = this.memberEvents[this.tracked];
      const key = (name: string) => `${e.groupId}/${name}`;
      if (e.type === 'member-joined') this.memberIds.set(key(e.member), [...(this.memberIds.get(key(e.member)) ?? []), e.memberId]);
      else if (e.type === 'static-member-replaced') {
        this.memberIds.set(key(e.member), (this.memberIds.get(key(e.member)) ?? []).map((id) => (id === e.oldMemberId ? e.memberId : id)));
      } else if (e.type === 'member-removed') {
        this.memberIds.set(key(e.member), (this.memberIds.get(key(e.member)) ?? []).filter((id) => id !== e.memberId));
      } else if (e.type === 'rebalance-completed') {
        for (const [name, tps] of Object.entries(e.assignment)) this.lastAssignment.set(key(name), tps);
      }
    }
  }

  /** the log a reader sees: the leader's, or (offline) the replica with the most records */
  private viewLog(tp: TopicPartition): PartitionLog {
    const p = this.cluster.partition(tp);
    const leader = p.leaderReplica();
    if (leader) return leader.log;
    let best = p.replicaOf[p.replicas[0]];
    for (const b of p.replicas) if (p.replicaOf[b].log.logEndOffset > best.log.logEndOffset) best = p.replicaOf[b];
    return best.log;
  }

  logRecords(tp: TopicPartition): RecordView[] {
    const log = this.viewLog(tp);
    const out: RecordView[] = [];
    for (const seg of log.segments) {
      for (const r of seg.records) {
        if (r.offset < log.logStartOffset) continue;
        out.push(this.recordView(tp, r));
      }
    }
    return out;
  }

  private partitionView(ps: PartitionSnapshot): PartitionView {
    const tp = { topic: ps.topic, partition: ps.partition };
    const log = this.viewLog(tp);
    let count = 0;
    for (const seg of log.segments) for (const r of seg.records) if (r.offset >= log.logStartOffset) count++;
    const omitted = Math.max(0, count - this.recordLimit);
    let records: RecordView[] = [];
    if (this.detailed) {
      // walk from the end so a capped view costs only the records shown
      const tail: RecordView[] = [];
      const segs = log.segments;
      for (let si = segs.length - 1; si >= 0 && tail.length < this.recordLimit; si--) {
        const rs = segs[si].records;
        for (let ri = rs.length - 1; ri >= 0 && tail.length < this.recordLimit; ri--) {
          const r = rs[ri];
          if (r.offset < log.logStartOffset) continue;
          tail.push(this.recordView(tp, r));
        }
      }
      records = tail.reverse();
    }
    return {
      topic: ps.topic,
      partition: ps.partition,
      label: partitionLabel(tp),
      replicas: [...ps.replicas],
      leader: ps.leader,
      leaderEpoch: ps.leaderEpoch,
      isr: [...ps.isr],
      logStartOffset: log.logStartOffset,
      logEndOffset: ps.logEndOffset,
      highWatermark: ps.highWatermark,
      replicaStates: ps.replicaStates.map((r) => ({ ...r })),
      recordCount: count,
      records,
      recordsOmitted: this.detailed ? omitted : count,
      segments: log.segments.map((s, i) => ({ baseOffset: s.baseOffset, recordCount: s.records.length, sizeInBytes: s.sizeInBytes, active: i === log.segments.length - 1 })),
    };
  }

  state(): ScenarioState {
    const received: Record<string, ConsumedRecord[]> = {};
    const processed: Record<string, ConsumedRecord[]> = {};
    for (const [id, s] of this.consumers) {
      received[id] = s.received.map((r) => ({ ...r }));
      processed[id] = s.processed.map((r) => ({ ...r }));
    }
    const deliveries: Record<string, DeliveryView[]> = {};
    for (const [id, slot] of this.producers) deliveries[id] = this.keepHistory ? slot.producer.outcomes().map(deliveryView) : [];
    const logs: Record<string, RecordView[]> = {};
    for (const t of this.cluster.topics()) {
      for (const p of this.cluster.topicPartitions(t)) {
        const tp = { topic: t, partition: p.partition };
        logs[partitionLabel(tp)] = this.keepHistory ? this.logRecords(tp) : [];
      }
    }
    return { snapshot: this.snapshot(), received, processed, deliveries, logs, totals: { ...this.totals } };
  }
}

function deliveryView(o: BatchOutcome): DeliveryView {
  return {
    batchId: o.batchId,
    topic: o.topic,
    partition: o.partition,
    key: o.key,
    value: o.value,
    status: o.status === 'delivered' ? 'acked' : o.status,
    offset: o.offset,
    error: o.error,
    retries: o.retries,
  };
}

/**
 * Play a scenario out on the simulated clock.
 *
 * The rule: event 0 is the state after setup (brokers up, topics created, nothing running); then
 * one event per step, in order, each with a full snapshot after the step. Same scenario (and
 * options) → byte-identical `JSON.stringify(trace)`.
 *
 * Example: the YAML at the top of this file gives 9 events. Event 4 (advanceTime 3000, the
 * initial rebalance delay) shows generation 1, C0: [t0p0, t0p1], C1: [t0p2, t0p3]; event 7
 * (advanceTime 45000) has `happened` ["g1: C1 removed (session-timeout)", "g1: rebalance starts
 * (…)"]; event 8 (C0's poll) shows C0 revoking, then generation 2 with C0: [t0p0 … t0p3].
 *
 * @param scenario a scenario (validate authored files with site/lib/scenario-schema.ts first)
 * @param options trace "full" (default) or "none"; recordLimit (200); keepHistory (true)
 * @returns the trace and the final state with complete histories
 * @throws ScenarioError naming the step (`steps[3].poll`) when a step cannot run (an unknown
 *   consumer, a consumer that is not running, a reference problem found by checkScenarioReferences)
 */
export function runScenario(scenario: Scenario, options: RunOptions = {}): ScenarioResult {
  const problems = checkScenarioReferences(scenario);
  if (problems.length) {
    const p = problems[0];
    throw new ScenarioError(formatPath(p.path), `${p.message}: expected ${p.expected}, received ${JSON.stringify(p.received)}`);
  }
  const run = new ScenarioRun(scenario, options);
  const full = (options.trace ?? 'full') === 'full';
  const trace: TraceEvent[] = [];
  let narration: string | null = null;
  if (full) {
    const log: StepLog = { happened: [], received: [], processed: [], callbacks: [], error: null };
    run.collect(log);
    trace.push({
      index: 0,
      step: null,
      kind: 'start',
      timeMs: run.nowMs,
      description: describeSetup(scenario),
      focus: focusOf(null, []),
      narration,
      happened: log.happened,
      received: [],
      processed: [],
      deliveries: [],
      callbacks: [],
      error: null,
      snapshot: run.snapshot(),
    });
  }
  scenario.steps.forEach((step, i) => {
    let result: ReturnType<ScenarioRun['runStep']>;
    try {
      result = run.runStep(step, i);
    } catch (e) {
      if (e instanceof ScenarioError) throw e;
      throw new ScenarioError(`steps[${i}]`, `${(e as Error).name}: ${(e as Error).message}`);
    }
    if (!full) return;
    if (result.kind === 'note') narration = result.description;
    run.collect(result.log);
    trace.push({
      index: trace.length,
      step: i,
      kind: result.kind,
      timeMs: run.nowMs,
      description: result.description,
      focus: focusOf(step, run.runningConsumers()),
      narration,
      happened: result.log.happened,
      received: result.log.received,
      processed: result.log.processed,
      deliveries: run.deliveryChanges(),
      callbacks: result.log.callbacks,
      error: result.log.error,
      snapshot: run.snapshot(),
    });
  });
  return { trace, state: run.state() };
}

/** The actors and topics a step names (a poll of every consumer lists the running ones). */
function focusOf(step: Step | null, running: string[]): TraceEvent['focus'] {
  const focus: TraceEvent['focus'] = { consumers: [], producers: [], brokers: [], topics: [] };
  if (step === null) return focus;
  const body = Object.values(step)[0] as Record<string, unknown> | string;
  if (typeof body !== 'object' || body === null) return focus;
  if (typeof body.consumer === 'string') focus.consumers.push(body.consumer);
  if (Array.isArray(body.consumers)) focus.consumers.push(...(body.consumers as string[]));
  if ('poll' in step && body.consumer === undefined && body.consumers === undefined) focus.consumers.push(...running);
  if (typeof body.producer === 'string') focus.producers.push(body.producer);
  if (typeof body.broker === 'number') focus.brokers.push(body.broker);
  if (typeof body.topic === 'string') focus.topics.push(body.topic);
  return focus;
}

/** `['steps', 3, 'produce', 'topic']` → `steps[3].produce.topic` */
export function formatPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : out === '' ? seg : `.${seg}`;
  return out || '(root)';
}

function describeSetup(s: Scenario): string {
  const brokers = scenarioBrokerIds(s);
  const topics = s.topics.map((t) => `${t.name} (${t.partitions} partition${t.partitions === 1 ? '' : 's'}, RF ${t.replicationFactor ?? 1})`).join(', ');
  return `${brokers.length} broker${brokers.length === 1 ? '' : 's'} [${brokers.join(', ')}]; topics ${topics}`;
}
