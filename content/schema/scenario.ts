/**
 * The scenario file format (content/scenarios/<id>.yaml or .json), checked with zod against the
 * engine's hand-written types (engine `Scenario`): the schema is typed `z.ZodType<Scenario>`, so the
 * two cannot drift apart without a type error.
 *
 * Errors are for authors: the file, the path inside it (`steps[3].produce.topic`), what was received
 * and what was expected, e.g.
 * ```
 * content/scenarios/acks-1-loss.yaml has 1 problem:
 *   - steps[3].produce.topic: unknown topic — received "ordrs" (a string); expected one of the declared topics: "orders"
 * ```
 * Beyond shapes, the engine's `checkScenarioReferences` finds references to undeclared producers,
 * consumers, groups, topics and brokers, replicationFactor > brokers, keyless records sent to a
 * compacted topic, and similar mistakes; this module reports them the same way.
 *
 * Note: unknown fields are errors (a misspelt `replicationFactr` would otherwise be silently ignored).
 * Steps cannot carry expected answers: a story is checked by computing over the trace in a spec.
 */
import { z } from 'zod';
import { checkScenarioReferences, checkStoryCheckReferences, formatPath, KAFKA_VERSIONS } from '../../engine/index.ts';
import type { Scenario, Step, StepKind, StoryCheck, StoryCheckKind } from '../../engine/index.ts';
import { AuthoringError, friendlyErrorMap, preview } from './friendly-errors.ts';
import type { FieldIssue } from './friendly-errors.ts';

const id = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'a kebab-case id like "acks-1-loss"');
const name = z.string().min(1);
const nonNegativeInt = z.number().int().min(0);
const positiveInt = z.number().int().min(1);
/** a duration or size that Kafka allows to be -1 for "unlimited" */
const limit = z.number().int().min(-1);

const topicConfigs = z
  .object({
    cleanupPolicy: z.enum(['delete', 'compact', 'compact,delete']).optional(),
    retentionMs: limit.optional(),
    retentionBytes: limit.optional(),
    segmentBytes: positiveInt.optional(),
    segmentMs: positiveInt.optional(),
    deleteRetentionMs: nonNegativeInt.optional(),
    minCompactionLagMs: nonNegativeInt.optional(),
    minCleanableDirtyRatio: z.number().min(0).max(1).optional(),
    maxCompactionLagMs: positiveInt.optional(),
    minInsyncReplicas: positiveInt.optional(),
    uncleanLeaderElectionEnable: z.boolean().optional(),
  })
  .strict();

const topic = z
  .object({
    name: z.string().regex(/^[a-zA-Z0-9._-]+$/, 'a topic name of letters, digits, ".", "_" and "-"'),
    partitions: positiveInt,
    replicationFactor: positiveInt.optional(),
    configs: topicConfigs.optional(),
  })
  .strict();

const producer = z
  .object({
    id: name,
    config: z
      .object({
        acks: z.union([z.literal(0), z.literal(1), z.literal(-1), z.literal('all')]).optional(),
        enableIdempotence: z.boolean().optional(),
        partitioner: z.enum(['built-in', 'sticky', 'round-robin']).optional(),
        batchSize: positiveInt.optional(),
        lingerMs: nonNegativeInt.optional(),
        retries: nonNegativeInt.optional(),
        maxInFlightRequestsPerConnection: positiveInt.optional(),
        requestTimeoutMs: positiveInt.optional(),
        deliveryTimeoutMs: positiveInt.optional(),
        transactionalId: name.optional(),
        transactionTimeoutMs: positiveInt.optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

const group = z
  .object({
    id: name,
    assignor: z.enum(['range', 'roundrobin', 'sticky', 'cooperative-sticky']),
    rebalanceProtocol: z.enum(['eager', 'cooperative']).optional(),
    initialRebalanceDelayMs: nonNegativeInt.optional(),
    groupProtocol: z.enum(['classic', 'consumer']).optional(),
    remoteAssignor: z.enum(['uniform', 'range']).optional(),
  })
  .strict();

const consumer = z
  .object({
    id: name,
    group: name,
    topics: z.array(name).min(1),
    config: z
      .object({
        groupInstanceId: name.optional(),
        enableAutoCommit: z.boolean().optional(),
        autoCommitIntervalMs: positiveInt.optional(),
        autoOffsetReset: z
          .union([
            z.enum(['earliest', 'latest', 'none']),
            z.custom<`by_duration:${string}`>((v) => typeof v === 'string' && isByDuration(v), {
              message: 'expected earliest, latest, none or by_duration:<ISO-8601 duration> such as by_duration:PT1H',
            }),
          ])
          .optional(),
        isolationLevel: z.enum(['read_uncommitted', 'read_committed']).optional(),
        commitOnRevoke: z.boolean().optional(),
        sessionTimeoutMs: positiveInt.optional(),
        heartbeatIntervalMs: positiveInt.optional(),
        maxPollIntervalMs: positiveInt.optional(),
        maxPollRecords: positiveInt.optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

/** The body of a step of kind K, e.g. StepBody<'produce'> = ProduceStep. */
type StepBody<K extends StepKind> = Extract<Step, Record<K, unknown>>[K];

const consumerRef = z.object({ consumer: name }).strict();
const producerRef = z.object({ producer: name }).strict();
/** an explicit offset map: keys are Kafka's TopicPartition.toString(), "<topic>-<partition>" (checked against the topics later) */
const offsetMap = z.record(z.string().regex(/-\d+$/, 'expected a key "<topic>-<partition>" such as "t0-1"'), nonNegativeInt);

/** by_duration:<ISO-8601 PnDTnHnMn.nS> (KIP-1106) */
function isByDuration(v: string): boolean {
  const m = /^by_duration:(.*)$/.exec(v);
  return (
    !!m && /^P(?:\d+D)?(?:T(?:\d+H)?(?:\d+M)?(?:\d+(?:[.,]\d{1,3})?S)?)?$/i.test(m[1]) && !/T$/i.test(m[1]) && m[1].toUpperCase() !== 'P'
  );
}
const brokerId = nonNegativeInt;

/** One schema per step kind, each typed against the engine's Step so they cannot drift. */
const stepBodies: { [K in StepKind]: z.ZodType<StepBody<K>> } = {
  produce: z
    .object({
      producer: name,
      topic: name,
      key: z.string().nullable().optional(),
      value: z.string().nullable().optional(),
      partition: nonNegativeInt.optional(),
      records: z
        .array(
          z
            .object({
              key: z.string().nullable().optional(),
              value: z.string().nullable(),
              partition: nonNegativeInt.optional(),
              timestamp: nonNegativeInt.optional(),
            })
            .strict(),
        )
        .min(1)
        .optional(),
      count: positiveInt.optional(),
    })
    .strict(),
  poll: z.object({ consumer: name.optional(), consumers: z.array(name).min(1).optional() }).strict(),
  process: z.object({ consumer: name, count: nonNegativeInt.optional(), durationMs: nonNegativeInt.optional() }).strict(),
  commit: z
    .object({
      consumer: name,
      mode: z.enum(['sync', 'async']).optional(),
      offsets: offsetMap.optional(),
      failAfterMs: nonNegativeInt.optional(),
      retry: z.enum(['never', 'always', 'if-latest']).optional(),
    })
    .strict(),
  initTransactions: producerRef,
  beginTransaction: producerRef,
  sendOffsetsToTransaction: z.object({ producer: name, consumer: name, offsets: offsetMap.optional() }).strict(),
  commitTransaction: producerRef,
  abortTransaction: producerRef,
  crash: consumerRef,
  restart: consumerRef,
  join: consumerRef,
  leave: consumerRef,
  brokerDown: z.object({ broker: brokerId, diskLost: z.boolean().optional(), cleanShutdown: z.boolean().optional() }).strict(),
  pauseFetching: z.object({ broker: brokerId }).strict(),
  resumeFetching: z.object({ broker: brokerId }).strict(),
  fetch: z.object({ broker: brokerId }).strict(),
  brokerUp: z.object({ broker: brokerId }).strict(),
  advanceTime: z.object({ ms: positiveInt }).strict(),
  addPartitions: z.object({ topic: name, partitions: positiveInt }).strict(),
  note: z.string().min(1),
  sharePoll: z.object({ consumer: name.optional(), consumers: z.array(name).min(1).optional() }).strict(),
  acknowledge: z
    .object({
      consumer: name,
      type: z.enum(['accept', 'release', 'reject', 'renew']),
      offsets: z
        .record(z.string().regex(/-\d+$/, 'expected a key "<topic>-<partition>" such as "t0-1"'), z.array(nonNegativeInt).min(1))
        .optional(),
    })
    .strict(),
  shareCommit: consumerRef,
  shareClose: consumerRef,
  shareCrash: consumerRef,
};

const STEP_KINDS = Object.keys(stepBodies) as StepKind[];

/**
 * A step: an object with exactly one key, its kind; the body is checked by that kind's schema, so
 * an error points into it (`steps[3].produce.topic`) rather than at a failed union.
 */
const step = z.unknown().superRefine((raw, ctx) => {
  const expectedKinds = `an object with exactly one of ${STEP_KINDS.join(', ')}`;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    ctx.addIssue({ code: 'custom', message: `received ${preview(raw)}; expected ${expectedKinds}` });
    return;
  }
  const keys = Object.keys(raw);
  if (keys.includes('expect')) {
    ctx.addIssue({
      code: 'custom',
      path: ['expect'],
      message:
        'received an expect step; expected no hand-typed answers in a scenario (check the story in content/scenarios.spec.ts by computing over the trace)',
    });
    return;
  }
  if (keys.length !== 1 || !(STEP_KINDS as string[]).includes(keys[0])) {
    ctx.addIssue({
      code: 'custom',
      message: `received ${keys.length ? `fields ${keys.map((k) => `"${k}"`).join(', ')}` : 'an empty object'}; expected ${expectedKinds}`,
    });
    return;
  }
  const kind = keys[0] as StepKind;
  const result = stepBodies[kind].safeParse((raw as Record<string, unknown>)[kind], { error: friendlyErrorMap });
  if (!result.success) {
    for (const issue of result.error.issues) ctx.addIssue({ code: 'custom', path: [kind, ...issue.path], message: issue.message });
  }
}) as unknown as z.ZodType<Step>;

const broker = z.object({ id: brokerId, rack: name.optional() }).strict();

/** A share group (KIP-932) and its share consumers. */
const shareGroup = z
  .object({
    id: name,
    recordLockDurationMs: positiveInt.optional(),
    deliveryCountLimit: positiveInt.optional(),
    autoOffsetReset: z.enum(['earliest', 'latest']).optional(),
    sessionTimeoutMs: positiveInt.optional(),
  })
  .strict();
const shareConsumer = z
  .object({
    id: name,
    group: name,
    topics: z.array(name).min(1),
    config: z
      .object({ shareAcknowledgementMode: z.enum(['implicit', 'explicit']).optional(), maxPollRecords: positiveInt.optional() })
      .strict()
      .optional(),
  })
  .strict();

// ---- story checks (engine/scenario/checks.ts): what the story must show, verified on every play ----

/** The body of a story check of kind K. */
type CheckBody<K extends StoryCheckKind> = Extract<StoryCheck, Record<K, unknown>>[K];
/** `start`, `end`, or N: after step N (1-based, the player's counter) */
const stepRef = z.union([nonNegativeInt, z.literal('start'), z.literal('end')]);
/** a partition as the player labels it: t0p2 or orders-1 */
const partitionRef = z.string().regex(/^.+(p|-)\d+$/, 'a partition as the player labels it, such as "t0p2" or "orders-1"');
const compare = { equals: nonNegativeInt.optional(), atLeast: nonNegativeInt.optional(), atMost: nonNegativeInt.optional() };

/** One schema per story-check kind, typed against the engine's StoryCheck. */
const storyCheckBodies: { [K in StoryCheckKind]: z.ZodType<CheckBody<K>> } = {
  owns: z
    .object({
      consumer: name,
      at: stepRef.optional(),
      partition: partitionRef.optional(),
      partitions: z.array(partitionRef).optional(),
      count: nonNegativeInt.optional(),
    })
    .strict(),
  members: z
    .object({ group: name, at: stepRef.optional(), consumers: z.array(name).optional(), count: nonNegativeInt.optional() })
    .strict(),
  generation: z
    .object({
      group: name,
      at: stepRef.optional(),
      equals: nonNegativeInt.optional(),
      sameAs: stepRef.optional(),
      above: stepRef.optional(),
    })
    .strict(),
  groupState: z
    .object({ group: name, at: stepRef.optional(), is: z.enum(['Empty', 'PreparingRebalance', 'CompletingRebalance', 'Stable', 'Dead']) })
    .strict(),
  lag: z.object({ group: name, at: stepRef.optional(), partition: partitionRef.optional(), ...compare }).strict(),
  committed: z.object({ group: name, partition: partitionRef, at: stepRef.optional(), none: z.boolean().optional(), ...compare }).strict(),
  processed: z
    .object({
      value: z.string().optional(),
      key: z.string().optional(),
      consumer: name.optional(),
      times: nonNegativeInt.optional(),
      atLeast: positiveInt.optional(),
    })
    .strict(),
  processedOnce: z.object({ topic: name.optional() }).strict(),
  delivery: z.object({ value: z.string(), producer: name.optional(), status: z.enum(['acked', 'failed', 'pending']) }).strict(),
  inLog: z
    .object({ partition: partitionRef, value: z.string().optional(), key: z.string().optional(), present: z.boolean().optional() })
    .strict(),
  leader: z.object({ partition: partitionRef, at: stepRef.optional(), broker: brokerId.nullable() }).strict(),
  isr: z.object({ partition: partitionRef, at: stepRef.optional(), brokers: z.array(brokerId) }).strict(),
  error: z.object({ at: stepRef, includes: z.string().min(1) }).strict(),
  highWatermark: z.object({ partition: partitionRef, at: stepRef.optional(), sameAs: stepRef.optional(), ...compare }).strict(),
  logStartOffset: z.object({ partition: partitionRef, at: stepRef.optional(), ...compare }).strict(),
  elr: z.object({ partition: partitionRef, at: stepRef.optional(), brokers: z.array(brokerId) }).strict(),
  memberEpoch: z
    .object({
      group: name,
      consumer: name,
      at: stepRef.optional(),
      // -1 (LEAVE_GROUP_MEMBER_EPOCH) and -2 (LEAVE_GROUP_STATIC_MEMBER_EPOCH) are a leaving member's epochs
      equals: z.number().int().min(-2).optional(),
      sameAs: stepRef.optional(),
      above: stepRef.optional(),
    })
    .strict(),
  happened: z.object({ at: stepRef, includes: z.string().min(1) }).strict(),
  shareRecord: z
    .object({
      group: name,
      partition: partitionRef,
      at: stepRef.optional(),
      offset: nonNegativeInt.optional(),
      value: z.string().optional(),
      key: z.string().optional(),
      state: z.enum(['available', 'acquired', 'acknowledged', 'archived']).optional(),
      deliveryCount: nonNegativeInt.optional(),
    })
    .strict(),
};

const CHECK_KINDS = Object.keys(storyCheckBodies) as StoryCheckKind[];

/** A story check: an object with exactly one key, its kind; errors point into it (`checks[2].owns.consumer`). */
const storyCheck = z.unknown().superRefine((raw, ctx) => {
  const expectedKinds = `an object with exactly one of ${CHECK_KINDS.join(', ')}`;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    ctx.addIssue({ code: 'custom', message: `received ${preview(raw)}; expected ${expectedKinds}` });
    return;
  }
  const keys = Object.keys(raw);
  if (keys.length !== 1 || !(CHECK_KINDS as string[]).includes(keys[0])) {
    ctx.addIssue({
      code: 'custom',
      message: `received ${keys.length ? `fields ${keys.map((k) => `"${k}"`).join(', ')}` : 'an empty object'}; expected ${expectedKinds}`,
    });
    return;
  }
  const kind = keys[0] as StoryCheckKind;
  const result = storyCheckBodies[kind].safeParse((raw as Record<string, unknown>)[kind], { error: friendlyErrorMap });
  if (!result.success) {
    for (const issue of result.error.issues) ctx.addIssue({ code: 'custom', path: [kind, ...issue.path], message: issue.message });
  }
}) as unknown as z.ZodType<StoryCheck>;

/** The whole scenario file. */
export const scenarioSchema: z.ZodType<Scenario> = z
  .object({
    id,
    title: z.string().min(1),
    summary: z.string().min(1),
    lesson: z.string().min(1).optional(),
    seed: z.number().int(),
    brokers: z.union([positiveInt, z.array(broker).min(1)]),
    cluster: z
      .object({
        replicaLagTimeMaxMs: positiveInt.optional(),
        replicaFetchIntervalMs: positiveInt.optional(),
        logRetentionCheckIntervalMs: positiveInt.optional(),
        logCleanerBackoffMs: positiveInt.optional(),
        kafkaVersion: z.enum(KAFKA_VERSIONS).optional(),
        eligibleLeaderReplicasEnable: z.boolean().optional(),
        followerFetching: z.enum(['every-interval', 'fetch-steps']).optional(),
      })
      .strict()
      .optional(),
    topics: z.array(topic).min(1),
    producers: z.array(producer).optional(),
    groups: z.array(group).optional(),
    consumers: z.array(consumer).optional(),
    shareGroups: z.array(shareGroup).optional(),
    shareConsumers: z.array(shareConsumer).optional(),
    steps: z.array(step).min(1),
    compareProtocols: z.boolean().optional(),
    checks: z.array(storyCheck).optional(),
  })
  .strict();

/** zod's path (['steps', 3, 'produce', 'topic']) in the authors' notation: `steps[3].produce.topic`. */
function issuePath(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '' : formatPath(path.map((p) => (typeof p === 'number' ? p : String(p))));
}

/**
 * Check a parsed file against the scenario format and the engine's reference checks.
 * @param raw the parsed YAML/JSON value
 * @param file the file's path, for messages (its base name must equal the scenario id)
 * @returns the problems (empty when valid), each `{ path: 'steps[3].produce.topic', message: 'received …; expected …' }`
 */
export function scenarioIssues(raw: unknown, file: string): FieldIssue[] {
  const result = scenarioSchema.safeParse(raw, { error: friendlyErrorMap });
  if (!result.success) return result.error.issues.map((i) => ({ path: issuePath(i.path), message: i.message }));
  const issues: FieldIssue[] = [];
  const base = file
    .split(/[\\/]/)
    .pop()!
    .replace(/\.(ya?ml|json)$/, '');
  if (base !== result.data.id && /\.(ya?ml|json)$/.test(file)) {
    issues.push({
      path: 'id',
      message: `received ${preview(result.data.id)}; expected ${preview(base)} (the file name without extension)`,
    });
  }
  for (const p of checkScenarioReferences(result.data)) {
    issues.push({ path: issuePath(p.path), message: `${p.message} — received ${preview(p.received)}; expected ${p.expected}` });
  }
  for (const p of checkStoryCheckReferences(result.data)) {
    issues.push({ path: issuePath(p.path), message: `${p.message} — received ${preview(p.received)}; expected ${p.expected}` });
  }
  return issues;
}

/**
 * Parse and check a scenario.
 * @param raw the parsed YAML/JSON value
 * @param file the file's path, named in every message
 * @returns the scenario, typed as the engine's Scenario
 * @throws AuthoringError whose message names the file and, per problem, the path, what was
 *   received and what was expected
 */
export function parseScenario(raw: unknown, file: string): Scenario {
  const issues = scenarioIssues(raw, file);
  if (issues.length) throw new AuthoringError(file, issues);
  return raw as Scenario;
}

/**
 * Read, parse (YAML or JSON; YAML is a superset) and check one scenario file. Node only (build
 * time and tests): node:fs is imported lazily so browser bundles of this module do not pull it in.
 * @throws AuthoringError for a YAML syntax error or any scenario problem
 */
export async function loadScenarioFile(path: string): Promise<Scenario> {
  const [{ readFile }, { parse }] = await Promise.all([import('node:fs/promises'), import('yaml')]);
  const text = await readFile(path, 'utf8');
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (e) {
    throw new AuthoringError(path, [
      {
        path: '',
        message: `received text that is not valid YAML (${(e as Error).message.split('\n')[0]}); expected a YAML or JSON scenario`,
      },
    ]);
  }
  return parseScenario(raw, path);
}

/** The schema of each step kind's body and of each story check's body: the JSON Schema and AUTHORING.md's reference are generated from these. */
export { stepBodies as scenarioStepBodies, storyCheckBodies };
