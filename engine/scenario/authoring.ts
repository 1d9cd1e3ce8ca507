/**
 * What an author writes: a {@link Scenario}, plain data (YAML or JSON in content/scenarios/,
 * validated by content/schema/scenario.ts). ./runner.ts plays it out into a trace (./trace.ts).
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
 * Conventions: Kafka's config names in camelCase with the unit kept (session.timeout.ms →
 * sessionTimeoutMs); absent configs take Kafka's defaults (cited where the engine defines them).
 * Descriptions write a partition as `t0p1` when the topic is named like `t0`, else as Kafka's
 * `TopicPartition.toString()`, `orders-1`.
 *
 * Note: steps never carry expected answers (no `expect` step): a story is checked by a spec that
 * computes over the trace (content/scenarios.spec.ts), never by numbers typed into the scenario.
 */
import type { KafkaVersion } from '../replication/kafka-version.ts';
import type { AssignorName } from '../assignors/assignor.ts';
import type { RebalanceProtocol } from '../group/group-types.ts';
import type { ServerAssignorName } from '../group/consumer-protocol/protocol-types.ts';
import type { StoryCheck } from './check-types.ts';

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
  /** share groups (KIP-932): groups whose members share partitions and acknowledge records one by one */
  shareGroups?: ShareGroupSpec[];
  /** share consumers (KafkaShareConsumer), each a member of one share group; ids distinct from `consumers` */
  shareConsumers?: ShareConsumerSpec[];
  /** the timeline, played in order */
  steps: Step[];
  /**
   * Offer the player's protocol toggle: the same story played as classic-eager (range),
   * classic-cooperative (cooperative-sticky) and the consumer protocol (KIP-848, uniform), every
   * group switched together (./protocol-variants.ts). Default false.
   */
  compareProtocols?: boolean;
  /** what the story must show, verified by the engine on every play (./checks.ts); default none */
  checks?: StoryCheck[];
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
  /**
   * the Kafka version whose replication rules apply: strict min ISR from 3.7 (KAFKA-15583), eligible
   * leader replicas by default from 4.1 (KIP-966); default the newest (engine/replication/kafka-version.ts)
   */
  kafkaVersion?: KafkaVersion;
  /** eligible.leader.replicas.version=1 (KIP-966); default: on from 4.1; true needs 4.0 or later */
  eligibleLeaderReplicasEnable?: boolean;
  /**
   * Simulation knob: "every-interval" (default) lets followers fetch every replicaFetchIntervalMs;
   * "fetch-steps" makes them fetch only in `fetch` steps, one fetch per step (a replayed timeline).
   */
  followerFetching?: 'every-interval' | 'fetch-steps';
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
  /** max.compaction.lag.ms: dirty data older than this is cleaned whatever the dirty ratio (KIP-354); default 2^63 − 1 */
  maxCompactionLagMs?: number;
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
    /**
     * transactional.id: makes this a transactional producer (KIP-98). Its sends must sit inside a
     * transaction (initTransactions, beginTransaction … commitTransaction / abortTransaction steps);
     * two producers with the same transactionalId are two instances of one application (the older
     * one is fenced by the newer one's initTransactions).
     */
    transactionalId?: string;
    /** transaction.timeout.ms; default 60000: the coordinator aborts a transaction open this long */
    transactionTimeoutMs?: number;
  };
}

/** A consumer group (group.id). Members choose the assignor; the rebalance protocol follows from it. */
export interface GroupSpec {
  id: string;
  /** partition.assignment.strategy of every member of this group */
  assignor: AssignorName;
  /**
   * The rebalance protocol, for the reader: "cooperative" exactly when the assignor is
   * cooperative-sticky (Kafka picks COOPERATIVE only if every configured assignor supports it).
   * Given, it must agree with the assignor; absent, it is derived.
   */
  rebalanceProtocol?: RebalanceProtocol;
  /** group.initial.rebalance.delay.ms (a broker config, KIP-134); default 3000 */
  initialRebalanceDelayMs?: number;
  /**
   * group.protocol of its consumers (ConsumerConfig.GROUP_PROTOCOL_CONFIG): "classic" (default; JoinGroup/SyncGroup, the leader runs
   * `assignor`) or "consumer" (KIP-848: the coordinator assigns with `remoteAssignor`, members
   * reconcile on their own heartbeats; `assignor`, `rebalanceProtocol` and `initialRebalanceDelayMs`
   * do not apply; session.timeout.ms and heartbeat.interval.ms are broker configs, 45000 and 5000).
   */
  groupProtocol?: 'classic' | 'consumer';
  /** group.remote.assignor under the consumer protocol: "uniform" (the broker's default) or "range" */
  remoteAssignor?: ServerAssignorName;
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
    /** auto.offset.reset; default "latest"; `by_duration:PT1H` (Kafka 4.0, KIP-1106) starts at the first record at most that old */
    autoOffsetReset?: 'earliest' | 'latest' | 'none' | `by_duration:${string}`;
    /** isolation.level; default "read_uncommitted"; read_committed reads up to the last stable offset and skips aborted records */
    isolationLevel?: 'read_uncommitted' | 'read_committed';
    /**
     * Not a Kafka config: the application's ConsumerRebalanceListener commits, in
     * onPartitionsRevoked, the offset after the last record it processed of each revoked partition
     * (commitSync). Default false: nothing is committed on revoke.
     */
    commitOnRevoke?: boolean;
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
  /** `timestamp`: the record's CreateTime in ms (ProducerRecord's timestamp); default the current simulated time */
  records?: { key?: string | null; value: string | null; partition?: number; timestamp?: number }[];
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
  | 'pauseFetching'
  | 'resumeFetching'
  | 'fetch'
  | 'advanceTime'
  | 'addPartitions'
  | 'initTransactions'
  | 'beginTransaction'
  | 'sendOffsetsToTransaction'
  | 'commitTransaction'
  | 'abortTransaction'
  | 'note'
  | 'sharePoll'
  | 'acknowledge'
  | 'shareCommit'
  | 'shareClose'
  | 'shareCrash';

/**
 * commitSync() / commitAsync(). `offsets` is an explicit offset map keyed by Kafka's
 * TopicPartition.toString(), `"<topic>-<partition>"` (e.g. `"t0-1": 5`, `"orders-3": 12`): each value
 * is the next offset to read (last processed + 1). Without it, every owned partition's position.
 * `failAfterMs` (async only): the request fails (the coordinator moved) and the failure reaches
 * the callback this many ms later; `retry` says what that callback does: never (default), always,
 * or if-latest (only when no later commitAsync was sent — the sequence-number check).
 */
export interface CommitStep {
  consumer: string;
  mode?: 'sync' | 'async';
  offsets?: Record<string, number>;
  failAfterMs?: number;
  retry?: 'never' | 'always' | 'if-latest';
}

/**
 * One step of the timeline: an object with exactly one key, the step's kind.
 * - produce: see {@link ProduceStep}.
 * - poll: consumer.poll() for one consumer, several, or (empty) every running consumer, in the order
 *   given (declaration order for "every"). A consumer that is not running yet joins its group first.
 *   Records returned are *received*, not yet processed.
 * - process: the consumer processes `count` of its received, unprocessed records (default all), in
 *   order; with `durationMs`, processing blocks its poll loop that long (max.poll.interval.ms).
 * - commit: commitSync() (mode "sync", default) or commitAsync() of every owned partition's position,
 *   or of an explicit offset map ({@link CommitStep}).
 * - initTransactions / beginTransaction / commitTransaction / abortTransaction: a transactional
 *   producer's calls (KIP-98); `produce` by a transactional producer writes inside its transaction.
 * - sendOffsetsToTransaction: the producer adds `consumer`'s positions (or `offsets`) for its group
 *   to the transaction; the group sees them only if the transaction commits.
 * - crash / restart: the consumer's process dies (no LeaveGroup, positions lost) / starts again.
 * - join: subscribe and first poll (joins the group). leave: consumer.close() (LeaveGroup if dynamic).
 * - brokerDown / brokerUp: a broker fails (its replicas keep their logs unless `diskLost`; a crash
 *   unless `cleanShutdown`, which keeps it an eligible leader replica, KIP-966) / returns.
 * - pauseFetching / resumeFetching: a broker stays up but its followers stop / start fetching.
 * - fetch: one fetch by each follower replica on `broker` (followerFetching "fetch-steps").

 * - advanceTime: the clock moves `ms` forward; heartbeats, session timeouts, follower fetches, ISR
 *   changes, retention and compaction happen on the way.
 * - addPartitions: grow a topic to `partitions` in total; producers see the new count at once.
 * - note: narration for the student, shown by the player; changes nothing.
 * - sharePoll: ShareConsumer.poll() for one share consumer, several, or (empty) every share consumer
 *   that runs (declaration order); a share consumer not running yet (or crashed) starts and joins its
 *   share group. It sends the acknowledgements due (implicit mode: ACCEPT of everything the last
 *   poll returned) and acquires records.
 * - acknowledge: ShareConsumer.acknowledge(record, type) in explicit mode ({@link AcknowledgeStep}),
 *   sent with the next sharePoll or shareCommit.
 * - shareCommit: ShareConsumer.commitSync(): sends the acknowledgements due now.
 * - shareClose: ShareConsumer.close(): acknowledgements sent, held records released, the member leaves.
 * - shareCrash: the share consumer's process dies: its locks run out on their own and the group
 *   removes it after group.share.session.timeout.ms (45000).
 */
export type Step =
  | { produce: ProduceStep }
  | { poll: { consumer?: string; consumers?: string[] } }
  | { process: { consumer: string; count?: number; durationMs?: number } }
  | { commit: CommitStep }
  | { initTransactions: { producer: string } }
  | { beginTransaction: { producer: string } }
  | { sendOffsetsToTransaction: { producer: string; consumer: string; offsets?: Record<string, number> } }
  | { commitTransaction: { producer: string } }
  | { abortTransaction: { producer: string } }
  | { crash: { consumer: string } }
  | { restart: { consumer: string } }
  | { join: { consumer: string } }
  | { leave: { consumer: string } }
  | { brokerDown: { broker: number; diskLost?: boolean; cleanShutdown?: boolean } }
  | { pauseFetching: { broker: number } }
  | { resumeFetching: { broker: number } }
  | { fetch: { broker: number } }
  | { brokerUp: { broker: number } }
  | { advanceTime: { ms: number } }
  | { addPartitions: { topic: string; partitions: number } }
  | { note: string }
  | { sharePoll: { consumer?: string; consumers?: string[] } }
  | { acknowledge: AcknowledgeStep }
  | { shareCommit: { consumer: string } }
  | { shareClose: { consumer: string } }
  | { shareCrash: { consumer: string } };

/** A share group (KIP-932). Its assignor is `simple`, the only share assignor Kafka ships. */
export interface ShareGroupSpec {
  id: string;
  /** share.record.lock.duration.ms (group config; broker default group.share.record.lock.duration.ms = 30000) */
  recordLockDurationMs?: number;
  /** share.delivery.count.limit (group config; broker default group.share.delivery.count.limit = 5) */
  deliveryCountLimit?: number;
  /** share.auto.offset.reset: where the group starts on a partition it has never read; default "latest" */
  autoOffsetReset?: 'earliest' | 'latest';
  /** group.share.session.timeout.ms; default 45000 */
  sessionTimeoutMs?: number;
}

/** A KafkaShareConsumer subscribed to topics through a share group. */
export interface ShareConsumerSpec {
  /** its name in lessons and traces, e.g. "C0"; distinct from the ids in `consumers` */
  id: string;
  /** a share group id from `shareGroups` */
  group: string;
  topics: string[];
  config?: {
    /** share.acknowledgement.mode: "implicit" (default) or "explicit" */
    shareAcknowledgementMode?: 'implicit' | 'explicit';
    /** max.poll.records; default 500 */
    maxPollRecords?: number;
  };
}

/**
 * ShareConsumer.acknowledge(record, type) in explicit mode, for records the consumer's last poll
 * returned: those in `offsets` (keys are Kafka's TopicPartition.toString(), `"t0-1": [3, 4]`), or
 * every one not yet acknowledged. `type`: accept, release, reject or renew (Kafka 4.2, KIP-1222).
 */
export interface AcknowledgeStep {
  consumer: string;
  type: 'accept' | 'release' | 'reject' | 'renew';
  offsets?: Record<string, number[]>;
}
