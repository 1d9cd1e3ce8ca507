/**
 * Setting a scenario up: the cluster with its brokers and topics (log and replication configs
 * split out of each topic's `configs`), one producer client and one partitioner per topic for each
 * producer, one coordinator per group, one consumer per declared consumer — nothing running yet.
 *
 * Note: randomness is one PRNG seeded with the scenario's `seed`; each partitioner forks it, in
 * declaration order (producers, then topics), so adding a topic never changes another's choices.
 */
import type { Scenario } from './authoring.ts';
import { ScenarioError, scenarioBrokerIds } from './references.ts';
import type { ConsumerSlot, ProducerSlot, GroupSlot } from './run-state.ts';
import { compareStrings } from '../assignors/assignor.ts';
import { Cluster } from '../cluster/cluster.ts';
import type { TopicSpec } from '../cluster/cluster.ts';
import type { ProducerClusterEvent } from '../producer/sender.ts';
import type { ProducerEvent } from '../producer/producer-config.ts';
import type { BrokerMetadata } from '../cluster/replica-placement.ts';
import { Consumer } from '../consumer/consumer.ts';
import type { ConsumerEvent, FetchablePartition } from '../consumer/consumer.ts';
import { GroupCoordinator } from '../group/member.ts';
import { ConsumerProtocolGroup } from '../group/consumer-protocol/consumer-group.ts';
import type { GroupEvent } from '../group/group-types.ts';
import type { LogConfig } from '../log/log-config.ts';
import { createPrng } from '../common/prng.ts';
import { Producer } from '../producer/sender.ts';
import { ProducerPartitioner } from '../producer/partitioners.ts';
import type { TopicPartition } from '../common/record.ts';

/** Simulation default: followers fetch every 100 ms while time advances (see ClusterSettings). */
export const DEFAULT_REPLICA_FETCH_INTERVAL_MS = 100;

/** What the set-up clients call back into: the run that owns them. */
export interface SetupHooks {
  /** where groups and consumers record their events, in order */
  memberEvents: (GroupEvent | ConsumerEvent)[];
  /** every cluster event, once, when the outermost cluster operation ends */
  onClusterEvent(e: ProducerClusterEvent): void;
  /** the current partition count of every topic (groups read it at each rebalance) */
  partitionsPerTopic(): Record<string, number>;
  /** what a consumer can fetch from a partition's leader */
  fetchable(tp: TopicPartition): FetchablePartition | undefined;
  /** a consumer with commitOnRevoke: its onPartitionsRevoked (the application's listener) */
  onPartitionsRevoked(name: string, nowMs: number, partitions: TopicPartition[]): void;
}

/** a copy without the keys whose value is undefined (so `{ ...defaults, ...x }` keeps the defaults) */
function withoutUndefined<T extends object>(o: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}

/**
 * Build everything a scenario declares.
 * @throws ScenarioError when a consumer names an unknown group
 */
export function setUpRun(
  scenario: Scenario,
  hooks: SetupHooks,
): {
  cluster: Cluster<ProducerEvent>;
  topicConfigs: Map<string, Partial<LogConfig>>;
  producers: Map<string, ProducerSlot>;
  groups: Map<string, GroupSlot>;
  consumers: Map<string, ConsumerSlot>;
} {
  const rng = createPrng(scenario.seed);
  const settings = scenario.cluster ?? {};
  const topicConfigs = new Map<string, Partial<LogConfig>>();
  const producers = new Map<string, ProducerSlot>();
  const groups = new Map<string, GroupSlot>();
  const consumers = new Map<string, ConsumerSlot>();
  const brokers: BrokerMetadata[] =
    typeof scenario.brokers === 'number'
      ? scenarioBrokerIds(scenario).map((id) => ({ id }))
      : scenario.brokers.map((b) => ({ id: b.id, rack: b.rack ?? null }));
  const cluster = new Cluster<ProducerEvent>({
    brokers,
    replicaLagTimeMaxMs: settings.replicaLagTimeMaxMs,
    replicaFetchIntervalMs:
      settings.followerFetching === 'fetch-steps' ? null : (settings.replicaFetchIntervalMs ?? DEFAULT_REPLICA_FETCH_INTERVAL_MS),
    ...(settings.kafkaVersion !== undefined ? { kafkaVersion: settings.kafkaVersion } : {}),
    ...(settings.eligibleLeaderReplicasEnable !== undefined ? { eligibleLeaderReplicasEnable: settings.eligibleLeaderReplicasEnable } : {}),
  });
  cluster.attach({ nextDeadlineMs: () => null, onTime: () => [], onEvent: (e) => hooks.onClusterEvent(e) });
  for (const t of scenario.topics) {
    const c = t.configs ?? {};
    const logCfg: Partial<LogConfig> = {};
    for (const k of [
      'cleanupPolicy',
      'retentionMs',
      'retentionBytes',
      'segmentBytes',
      'segmentMs',
      'deleteRetentionMs',
      'minCompactionLagMs',
      'minCleanableDirtyRatio',
      'maxCompactionLagMs',
    ] as const) {
      if (c[k] !== undefined) (logCfg as Record<string, unknown>)[k] = c[k];
    }
    topicConfigs.set(t.name, logCfg);
    const replication: TopicSpec['config'] = {};
    if (c.minInsyncReplicas !== undefined) replication.minInsyncReplicas = c.minInsyncReplicas;
    if (c.uncleanLeaderElectionEnable !== undefined) replication.uncleanLeaderElectionEnable = c.uncleanLeaderElectionEnable;
    cluster.createTopic({
      name: t.name,
      partitions: t.partitions,
      replicationFactor: t.replicationFactor ?? 1,
      config: replication,
      logConfig: logCfg,
    });
  }
  for (const p of scenario.producers ?? []) {
    const c = p.config ?? {};
    const producer = new Producer(cluster, {
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
      partitioners.set(
        t.name,
        new ProducerPartitioner(
          t.partitions,
          rng.fork(),
          withoutUndefined({ partitioner: c.partitioner, batchSize: c.batchSize, lingerMs: c.lingerMs }),
        ),
      );
    }
    producers.set(p.id, { spec: p, producer, partitioners, reported: new Map(), settled: 0 });
  }
  for (const g of scenario.groups ?? []) {
    const topics = [...new Set((scenario.consumers ?? []).filter((c) => c.group === g.id).flatMap((c) => c.topics))].sort(compareStrings);
    const group =
      g.groupProtocol === 'consumer'
        ? new ConsumerProtocolGroup({
            groupId: g.id,
            partitionsPerTopic: hooks.partitionsPerTopic,
            groupRemoteAssignor: g.remoteAssignor ?? null,
            trace: hooks.memberEvents as GroupEvent[],
            nowMs: 0,
          })
        : new GroupCoordinator({
            groupId: g.id,
            partitionsPerTopic: hooks.partitionsPerTopic,
            groupInitialRebalanceDelayMs: g.initialRebalanceDelayMs,
            trace: hooks.memberEvents as GroupEvent[],
            nowMs: 0,
          });
    groups.set(g.id, { spec: g, group, topics });
  }
  for (const c of scenario.consumers ?? []) {
    const g = groups.get(c.group);
    if (!g) throw new ScenarioError(`consumers`, `consumer ${c.id} names unknown group ${JSON.stringify(c.group)}`);
    const cfg = c.config ?? {};
    const consumer = new Consumer({
      name: c.id,
      group: g.group,
      partition: hooks.fetchable,
      trace: hooks.memberEvents as ConsumerEvent[],
      ...(cfg.commitOnRevoke
        ? { listener: { onPartitionsRevoked: (nowMs: number, tps: TopicPartition[]) => hooks.onPartitionsRevoked(c.id, nowMs, tps) } }
        : {}),
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
        isolationLevel: cfg.isolationLevel,
      },
    });
    consumers.set(c.id, {
      spec: c,
      consumer,
      group: g.group,
      status: 'not-started',
      pending: [],
      received: [],
      processed: [],
      receivedCount: 0,
      processedCount: 0,
      processedUpTo: new Map(),
    });
  }
  return { cluster, topicConfigs, producers, groups, consumers };
}
