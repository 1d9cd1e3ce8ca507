/**
 * The shapes around the {@link Cluster} (./cluster.ts): its configs, a topic to create, the events it
 * emits, its snapshot, and the clocked actors (clients) it drives.
 *
 * Source: Kafka's broker and topic configs (KafkaConfig, TopicConfig, ReplicationConfigs).
 */
import type { Prng } from '../common/prng.ts';
import type { BrokerMetadata } from './replica-placement.ts';
import type { PartitionSnapshot, ProducerBatchInfo, ReplicationConfig, ReplicationEvent } from '../replication/replication-types.ts';
import type { KafkaVersion } from '../replication/kafka-version.ts';
import type { LogConfig } from '../log/log-config.ts';

// =============================================================================================
// The cluster: brokers, topics, partitions, one simulated clock.

/** Cluster-wide (broker) configs and simulation knobs. */
export interface ClusterConfig {
  /** broker ids, or ids with racks (`broker.rack`) */
  brokers: (number | BrokerMetadata)[];
  /** replica.lag.time.max.ms; Kafka default 30000 (KIP-537) */
  replicaLagTimeMaxMs?: number;
  /** broker default min.insync.replicas; Kafka default 1 */
  minInsyncReplicas?: number;
  /** broker default unclean.leader.election.enable; Kafka default false */
  uncleanLeaderElectionEnable?: boolean;
  /** the Kafka version whose replication rules apply (strict min ISR from 3.7, ELR default from 4.1); default the newest */
  kafkaVersion?: KafkaVersion;
  /** eligible.leader.replicas.version=1 (KIP-966); default: on from Kafka 4.1, off before; true needs 4.0+ */
  eligibleLeaderReplicasEnable?: boolean;
  /**
   * Simulation knob, not a Kafka config: when set, every follower fetches once every this many ms
   * while time advances (Kafka's fetchers long-poll continuously; replica.fetch.wait.max.ms = 500
   * bounds each wait). When absent, followers fetch only on Cluster.fetchRound.
   */
  replicaFetchIntervalMs?: number | null;
  /** randomness for replica placement (AdminUtils' two random numbers); absent = start index 0 */
  rng?: Prng;
}

/** A topic to create. */
export interface TopicSpec {
  name: string;
  /** a positive integer */
  partitions: number;
  /** default.replication.factor; Kafka default 1 */
  replicationFactor?: number;
  /** explicit placement (partition → broker ids), as `--replica-assignment`; overrides placement */
  replicaAssignment?: Record<number, number[]>;
  /** topic-level overrides of min.insync.replicas and unclean.leader.election.enable */
  config?: Partial<Pick<ReplicationConfig, 'minInsyncReplicas' | 'uncleanLeaderElectionEnable'>>;
  /** every replica's log configs (segment.bytes, cleanup.policy, retention.ms, …); Kafka's defaults if absent */
  logConfig?: Partial<LogConfig>;
}

/**
 * Events the cluster itself emits, besides replication's. All plain JSON. Events of the clients it
 * hosts (a producer's retries and deliveries) are the actors' own type, `E` of Cluster.
 */
export type ClusterEvent =
  | ReplicationEvent
  | { type: 'broker-down'; timeMs: number; broker: number; diskLost: boolean; cleanShutdown?: true }
  | { type: 'broker-up'; timeMs: number; broker: number }
  | { type: 'fetch-paused' | 'fetch-resumed'; timeMs: number; broker: number }
  | { type: 'topic-created'; timeMs: number; topic: string; assignment: Record<number, number[]> }
  | {
      type: 'produce-request';
      timeMs: number;
      topic: string;
      partition: number;
      broker: number | null;
      requestId: number;
      clientId?: string;
      acks: 0 | 1 | -1;
      records: number;
      producer?: ProducerBatchInfo;
    }
  | { type: 'time-advanced'; timeMs: number; fromMs: number };

/** Per-broker state in a snapshot. */
export interface BrokerSnapshot {
  id: number;
  rack: string | null;
  alive: boolean;
  fetching: boolean;
}

/** Everything a trace event needs about the cluster at one instant. */
export interface ClusterSnapshot {
  timeMs: number;
  brokers: BrokerSnapshot[];
  partitions: PartitionSnapshot[];
}

/** The shape every event has: a discriminating `type` and the simulated time it happened at. */
export interface ActorEvent {
  type: string;
  timeMs: number;
}

/**
 * Something driven by the cluster clock (a client such as a producer): it hears every event, and
 * runs when its next deadline is due (a deadline ≤ now means "has work now": the cluster runs it
 * at the end of the current operation). `E` is the type of the events actors emit themselves; the
 * cluster hands them on without knowing what they are.
 */
export interface ClockedActor<E extends ActorEvent = never> {
  /** the next simulated time at which the actor wants to run, or null for none */
  nextDeadlineMs(): number | null;
  /** run everything due at `nowMs`; return what happened */
  onTime(nowMs: number): (ClusterEvent | E)[];
  /**
   * called once with every event, when the outermost cluster operation (or advanceTime step) ends;
   * it only records what it needs (it must not call the cluster)
   */
  onEvent?(event: ClusterEvent | E): void;
}
