/**
 * The engine queries' content contract: the zod schema of `answer: { engine: … }` in a quiz file
 * (content/quizzes/<lesson-id>.yaml), with the checks a schema cannot express (a member of the
 * subscriptions, a partition below numPartitions, a `consume` / `replicate` story that is a valid
 * scenario), and the scenarios those two stories play. The vocabulary and what each query computes:
 * site/lib/quiz-answers.ts (murmur2, toPositive, partitionForKey, keysThatMove, keysOnPartition, assign,
 * consume), site/lib/quiz-share-answers.ts (shareAssign, shareRecords, reconcile; KIP-932, KIP-848) and
 * site/lib/quiz-replicate.ts (replicate). A wrong query fails the build naming the file, the field, what
 * was received and what was expected (content/schema/friendly-errors.ts).
 */
import { z } from 'zod';
import { KAFKA_VERSIONS } from '../../engine/index.ts';
import type { Scenario } from '../../engine/index.ts';
import { scenarioIssues } from './scenario.ts';

// ---- shareAssign, shareRecords, reconcile (site/lib/quiz-share-answers.ts) ----

const member = z.string().regex(/^C\d+$/, 'a member id like "C0"');

export const shareAssignQuery = z
  .object({
    engine: z.literal('shareAssign'),
    partitions: z.number().int().min(1).max(1000),
    members: z.number().int().min(1).max(1000),
    ask: z.enum(['membersPerPartition', 'partitionsOfMember', 'idleMembers']),
    member: member.optional(),
  })
  .strict();

const shareStep = z.union([
  z.object({ fetch: member, max: z.number().int().min(1).optional() }).strict(),
  z.object({ ack: z.object({ member, key: z.string().min(1), type: z.enum(['accept', 'release', 'reject', 'renew']) }).strict() }).strict(),
  z.object({ waitMs: z.number().int().min(1) }).strict(),
]);

export const shareRecordsQuery = z
  .object({
    engine: z.literal('shareRecords'),
    keys: z.array(z.string().min(1)).min(1).max(20),
    steps: z.array(shareStep).min(1),
    recordLockDurationMs: z.number().int().min(1).optional(),
    deliveryCountLimit: z.number().int().min(1).optional(),
    ask: z.enum(['inState', 'deliveryCount', 'startOffset']),
    state: z.enum(['available', 'acquired', 'acknowledged', 'archived']).optional(),
    key: z.string().min(1).optional(),
  })
  .strict();

const tpName = z.string().regex(/^t\d+p\d+$/, 'a partition like "t0p1"');
export const reconcileQuery = z
  .object({
    engine: z.literal('reconcile'),
    memberEpoch: z.number().int().min(0),
    assignmentEpoch: z.number().int().min(0),
    held: z.array(tpName),
    target: z.array(tpName),
    ownedElsewhere: z.array(tpName).optional(),
    ask: z.enum(['memberEpoch', 'receiveCount', 'revokeCount']),
  })
  .strict();
export type ReconcileQuery = z.infer<typeof reconcileQuery>;

export type ShareAssignQuery = z.infer<typeof shareAssignQuery>;
export type ShareRecordsQuery = z.infer<typeof shareRecordsQuery>;

/** Problems a schema cannot express, as sentences with a path: a missing `member`, `state` or `key`, an unknown key. */
export function shareQueryProblems(query: ShareAssignQuery | ShareRecordsQuery): { path: string[]; message: string }[] {
  const out: { path: string[]; message: string }[] = [];
  if (query.engine === 'shareAssign') {
    const n = query.member === undefined ? -1 : Number(query.member.slice(1));
    if (query.ask === 'partitionsOfMember' && !(n >= 0 && n < query.members)) {
      out.push({
        path: ['member'],
        message: `received ${query.member === undefined ? 'nothing' : `"${query.member}"`}; expected a member C0 … C${query.members - 1} for ask: partitionsOfMember`,
      });
    }
    return out;
  }
  if (query.ask === 'inState' && query.state === undefined)
    out.push({ path: ['state'], message: 'received nothing (the field is missing); expected a record state for ask: inState' });
  if (query.ask === 'deliveryCount' && (query.key === undefined || !query.keys.includes(query.key)))
    out.push({
      path: ['key'],
      message: `received ${query.key === undefined ? 'nothing' : `"${query.key}"`}; expected one of the keys for ask: deliveryCount`,
    });
  query.steps.forEach((s, i) => {
    if ('ack' in s && !query.keys.includes(s.ack.key))
      out.push({
        path: ['steps', String(i), 'ack', 'key'],
        message: `received "${s.ack.key}"; expected one of the keys ${query.keys.join(', ')}`,
      });
  });
  return out;
}

// ---- replicate (site/lib/quiz-replicate.ts) ----

const small = z.number().int().min(1).max(6);

export const replicateQuery = z
  .object({
    engine: z.literal('replicate'),
    brokers: small.optional(),
    replicationFactor: small,
    minInsyncReplicas: small.optional(),
    uncleanLeaderElectionEnable: z.boolean().optional(),
    kafkaVersion: z.enum(KAFKA_VERSIONS).optional(),
    eligibleLeaderReplicasEnable: z.boolean().optional(),
    producers: z.record(z.string().regex(/^P\w*$/), z.record(z.string(), z.unknown())).optional(),
    steps: z.array(z.record(z.string(), z.unknown())).min(1),
    ask: z.enum(['highWatermark', 'logEndOffset', 'leader', 'isrSize', 'acked', 'failed', 'ackedLost']),
    producer: z.string().optional(),
  })
  .strict();

export type ReplicateQuery = z.infer<typeof replicateQuery>;

/** The scenario a `replicate` query plays. */
export function replicateScenario(query: ReplicateQuery): Scenario {
  const configs: Record<string, unknown> = {};
  if (query.minInsyncReplicas !== undefined) configs.minInsyncReplicas = query.minInsyncReplicas;
  if (query.uncleanLeaderElectionEnable !== undefined) configs.uncleanLeaderElectionEnable = query.uncleanLeaderElectionEnable;
  const cluster: Record<string, unknown> = {};
  if (query.kafkaVersion !== undefined) cluster.kafkaVersion = query.kafkaVersion;
  if (query.eligibleLeaderReplicasEnable !== undefined) cluster.eligibleLeaderReplicasEnable = query.eligibleLeaderReplicasEnable;
  return {
    id: 'quiz-replicate',
    title: 'A replication story asked about in a quiz',
    summary: 'Played by the engine at build time.',
    seed: 1,
    brokers: query.brokers ?? query.replicationFactor,
    ...(Object.keys(cluster).length ? { cluster } : {}),
    topics: [{ name: 't0', partitions: 1, replicationFactor: query.replicationFactor, configs }],
    producers: Object.entries(query.producers ?? { P0: {} }).map(([id, config]) => ({ id, config })),
    steps: query.steps,
  } as unknown as Scenario;
}

// ---- the vocabulary (site/lib/quiz-answers.ts) ----

const key = z.string();
const count = z.number().int().min(1).max(1_000_000);
const int32 = z.number().int().min(-2147483648).max(2147483647);
const keyList = z
  .array(key)
  .min(1)
  .superRefine((keys, ctx) => {
    const twice = keys.filter((k, i) => keys.indexOf(k) !== i);
    if (twice.length > 0) {
      ctx.addIssue({ code: 'custom', message: `received ${twice.map((k) => `"${k}"`).join(', ')} more than once; expected distinct keys` });
    }
  });
const topicName = z.string().min(1);
/** member → the topics it subscribes to, e.g. `{ C0: [t0, t1], C1: [t0] }` */
const membersTopics = z.record(z.string().min(1), z.array(topicName).min(1));
const assignQuery = z
  .object({
    engine: z.literal('assign'),
    assignor: z.enum(['range', 'roundrobin', 'sticky', 'cooperative-sticky']),
    partitionsPerTopic: z.record(topicName, count),
    subscriptions: membersTopics,
    previous: membersTopics.optional(),
    ask: z.enum(['partitionCount', 'idleMembers', 'spread', 'movedPartitions']),
    member: z.string().min(1).optional(),
  })
  .strict();

const consumeQuery = z
  .object({
    engine: z.literal('consume'),
    partitions: count.max(12).optional(),
    consumers: z
      .record(z.string().regex(/^C\d+$/), z.record(z.string(), z.unknown()))
      .refine((c) => Object.keys(c).length > 0, 'expected at least one consumer, e.g. { C0: {} }'),
    steps: z.array(z.record(z.string(), z.unknown())).min(1),
    ask: z.enum(['committed', 'lag', 'processedTwice', 'neverProcessed', 'received', 'logStartOffset', 'recordsInLog']),
    partition: z.number().int().min(0).optional(),
    /** t0's topic configs, as in a scenario file (retentionMs, cleanupPolicy, segmentBytes, …) */
    configs: z.record(z.string(), z.unknown()).optional(),
    /** cluster settings, as in a scenario file (logRetentionCheckIntervalMs, logCleanerBackoffMs) */
    cluster: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

/**
 * The scenario a `consume` query plays: one broker, topic t0, producer P0, group g1 (range) of the query's
 * consumers, each subscribed to t0.
 */
export function consumeScenario(query: {
  partitions?: number;
  consumers: Record<string, Record<string, unknown>>;
  steps: Record<string, unknown>[];
  configs?: Record<string, unknown>;
  cluster?: Record<string, unknown>;
}): Scenario {
  return {
    id: 'quiz-consume',
    title: 'A consumer story asked about in a quiz',
    summary: 'Played by the engine at build time.',
    seed: 1,
    brokers: 1,
    topics: [{ name: 't0', partitions: query.partitions ?? 1, ...(query.configs ? { configs: query.configs } : {}) }],
    ...(query.cluster ? { cluster: query.cluster } : {}),
    producers: [{ id: 'P0' }],
    groups: [{ id: 'g1', assignor: 'range' }],
    consumers: Object.entries(query.consumers).map(([id, config]) => ({ id, group: 'g1', topics: ['t0'], config })),
    steps: query.steps,
  } as unknown as Scenario;
}

/** The zod schema of an engine query (discriminated by `engine`). Unknown fields are errors. */
export const engineQuerySchema = z
  .discriminatedUnion('engine', [
    z.object({ engine: z.literal('murmur2'), key }).strict(),
    z.object({ engine: z.literal('toPositive'), key: key.optional(), n: int32.optional() }).strict(),
    z.object({ engine: z.literal('partitionForKey'), key, numPartitions: count }).strict(),
    z.object({ engine: z.literal('keysThatMove'), keys: keyList, from: count, to: count }).strict(),
    z.object({ engine: z.literal('keysOnPartition'), keys: keyList, numPartitions: count, partition: z.number().int().min(0) }).strict(),
    assignQuery,
    consumeQuery,
    shareAssignQuery,
    shareRecordsQuery,
    replicateQuery,
    reconcileQuery,
  ])
  .superRefine((query, ctx) => {
    if (query.engine === 'shareAssign' || query.engine === 'shareRecords') {
      for (const p of shareQueryProblems(query)) ctx.addIssue({ code: 'custom', path: p.path, message: p.message });
    }
    if (query.engine === 'toPositive' && (query.key === undefined) === (query.n === undefined)) {
      ctx.addIssue({
        code: 'custom',
        message: `received ${query.key === undefined ? 'neither' : 'both'} "key" and "n"; expected exactly one of "key" (a string to hash) or "n" (a signed 32-bit integer)`,
      });
    }
    if (query.engine === 'keysOnPartition' && query.partition >= query.numPartitions) {
      ctx.addIssue({
        code: 'custom',
        path: ['partition'],
        message: `received ${query.partition}; expected a partition below numPartitions (${query.numPartitions})`,
      });
    }
    if (query.engine === 'consume') {
      for (const issue of scenarioIssues(consumeScenario(query), 'consume')) {
        const path = issue.path.replace(/^consumers\[(\d+)\]/, (_, i: string) => `consumers.${Object.keys(query.consumers)[Number(i)]}`);
        ctx.addIssue({ code: 'custom', message: `${path ? `${path}: ` : ''}${issue.message}` });
      }
      if (query.partition !== undefined && query.partition >= (query.partitions ?? 1)) {
        ctx.addIssue({
          code: 'custom',
          path: ['partition'],
          message: `received ${query.partition}; expected a partition of t0 (below ${query.partitions ?? 1})`,
        });
      }
    }
    if (query.engine === 'replicate') {
      for (const issue of scenarioIssues(replicateScenario(query), 'replicate'))
        ctx.addIssue({ code: 'custom', message: `${issue.path ? `${issue.path}: ` : ''}${issue.message}` });
    }
    if (query.engine === 'assign') {
      const topics = Object.keys(query.partitionsPerTopic);
      for (const field of ['subscriptions', 'previous'] as const) {
        for (const [member, subscribed] of Object.entries(query[field] ?? {})) {
          const unknown = subscribed.filter((t) => !topics.includes(t));
          if (unknown.length > 0) {
            ctx.addIssue({
              code: 'custom',
              path: [field, member],
              message: `received topic ${unknown.map((t) => `"${t}"`).join(', ')}; expected topics of partitionsPerTopic: ${topics.map((t) => `"${t}"`).join(', ')}`,
            });
          }
        }
      }
      if (query.ask === 'partitionCount' && (query.member === undefined || !(query.member in query.subscriptions))) {
        ctx.addIssue({
          code: 'custom',
          path: ['member'],
          message: `received ${query.member === undefined ? 'nothing' : `"${query.member}"`}; expected a member of subscriptions (${Object.keys(query.subscriptions).join(', ')}) for ask: partitionCount`,
        });
      }
      if (query.ask === 'movedPartitions' && query.previous === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['previous'],
          message: 'received nothing (the field is missing); expected the previous generation (member → topics) for ask: movedPartitions',
        });
      }
    }
  });

export type EngineQuery = z.infer<typeof engineQuerySchema>;
