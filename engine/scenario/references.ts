/**
 * Checks a scenario's references before it plays: undeclared producers, consumers, groups, topics
 * and brokers, replicationFactor > brokers, a rebalance protocol that contradicts the assignor, a
 * keyless record to a compacted topic. Problems name their path (`steps[3].produce.topic`).
 */
import type { Scenario, TopicDefinition, ProduceStep, StepKind, Step } from './authoring.ts';
import type { RebalanceProtocol } from '../group/group-types.ts';
import { parseTpKey } from '../common/notation.ts';
import { checkShareReferences } from './share-references.ts';

// =============================================================================================
// Checking a scenario before it plays
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
  'pauseFetching',
  'resumeFetching',
  'fetch',
  'advanceTime',
  'addPartitions',
  'initTransactions',
  'beginTransaction',
  'sendOffsetsToTransaction',
  'commitTransaction',
  'abortTransaction',
  'note',
  'sharePoll',
  'acknowledge',
  'shareCommit',
  'shareClose',
  'shareCrash',
];

/** The kind of a step: its only key. @throws ScenarioError when it has none or several known keys */
export function stepKind(step: Step, index = 0): StepKind {
  const kinds = Object.keys(step).filter((k): k is StepKind => (STEP_KINDS as readonly string[]).includes(k));
  if (kinds.length !== 1) {
    throw new ScenarioError(
      `steps[${index}]`,
      `Expected exactly one of ${STEP_KINDS.join(', ')}, got ${JSON.stringify(Object.keys(step))}`,
    );
  }
  return kinds[0];
}

/** Broker ids of a scenario (a count n → 0 … n−1). */
export function scenarioBrokerIds(s: Pick<Scenario, 'brokers'>): number[] {
  return typeof s.brokers === 'number' ? Array.from({ length: s.brokers }, (_, i) => i) : s.brokers.map((b) => b.id);
}

/**
 * Semantic checks a schema cannot express: every reference names something declared, ids are
 * unique, replicationFactor ≤ brokers, the group's rebalanceProtocol agrees with its assignor, a compacted
 * topic gets no keyless record, explicit partitions exist (counting addPartitions before them).
 * @returns the problems, in document order (empty when the scenario is consistent)
 */
export function checkScenarioReferences(s: Scenario): ScenarioProblem[] {
  const problems: ScenarioProblem[] = [];
  const add = (path: (string | number)[], message: string, received: unknown, expected: string) =>
    problems.push({ path, message, received, expected });
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
    if (rf > brokerIds.length)
      add(
        ['topics', i, 'replicationFactor'],
        `replicationFactor ${rf} is larger than the ${brokerIds.length} broker(s)`,
        rf,
        `an integer from 1 to ${brokerIds.length} (the broker count)`,
      );
    const mir = t.configs?.minInsyncReplicas;
    if (mir !== undefined && mir > rf)
      add(
        ['topics', i, 'configs', 'minInsyncReplicas'],
        `minInsyncReplicas ${mir} can never be met with replicationFactor ${rf}`,
        mir,
        `an integer from 1 to ${rf}`,
      );
  });
  const producers = new Set((s.producers ?? []).map((p) => p.id));
  const transactional = new Set((s.producers ?? []).filter((p) => p.config?.transactionalId !== undefined).map((p) => p.id));
  const groups = new Map((s.groups ?? []).map((g) => [g.id, g] as const));
  const consumers = new Set((s.consumers ?? []).map((c) => c.id));
  dupes(
    (s.producers ?? []).map((p) => p.id),
    'producers',
  );
  dupes(
    (s.groups ?? []).map((g) => g.id),
    'groups',
  );
  dupes(
    (s.consumers ?? []).map((c) => c.id),
    'consumers',
  );
  (s.groups ?? []).forEach((g, i) => {
    const derived: RebalanceProtocol = g.assignor === 'cooperative-sticky' ? 'cooperative' : 'eager';
    if (g.rebalanceProtocol !== undefined && g.rebalanceProtocol !== derived) {
      add(
        ['groups', i, 'rebalanceProtocol'],
        `assignor ${g.assignor} rebalances with the ${derived} protocol`,
        g.rebalanceProtocol,
        `"${derived}" (or leave rebalanceProtocol out)`,
      );
    }
  });
  const instanceIds = new Set<string>();
  (s.consumers ?? []).forEach((c, i) => {
    if (!groups.has(c.group))
      add(['consumers', i, 'group'], 'unknown group', c.group, `one of the declared groups: ${list(groups.keys())}`);
    c.topics.forEach((t, j) => {
      if (!topics.has(t)) add(['consumers', i, 'topics', j], 'unknown topic', t, `one of the declared topics: ${list(topics.keys())}`);
    });
    const gi = c.config?.groupInstanceId;
    if (gi !== undefined) {
      const k = `${c.group}/${gi}`;
      if (instanceIds.has(k))
        add(
          ['consumers', i, 'config', 'groupInstanceId'],
          'two consumers of one group share a groupInstanceId',
          gi,
          'a groupInstanceId unique within the group',
        );
      instanceIds.add(k);
    }
  });
  const partitionCount = new Map([...topics].map(([n, t]) => [n, t.partitions] as const));
  /** an offset map's keys are tpKey strings ("t0-1") of existing partitions */
  const checkOffsetMap = (offsets: Record<string, number> | undefined, path: (string | number)[]) => {
    for (const key of Object.keys(offsets ?? {})) {
      let tp: { topic: string; partition: number } | null = null;
      try {
        tp = parseTpKey(key);
      } catch {
        tp = null;
      }
      const n = tp ? partitionCount.get(tp.topic) : undefined;
      if (!tp || n === undefined || tp.partition >= n) {
        add(
          [...path, key],
          'not a partition of a declared topic',
          key,
          `"<topic>-<partition>" (TopicPartition.toString()), e.g. ${list([...partitionCount.keys()].slice(0, 2).map((t) => `${t}-0`))}`,
        );
      }
    }
  };
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
        if (!producers.has(p.producer))
          add(at('producer'), 'unknown producer', p.producer, `one of the declared producers: ${list(producers)}`);
        const t = topics.get(p.topic);
        if (!t) {
          add(at('topic'), 'unknown topic', p.topic, `one of the declared topics: ${list(topics.keys())}`);
          break;
        }
        const n = partitionCount.get(p.topic)!;
        const checkPartition = (part: number | undefined, path: (string | number)[]) => {
          if (part !== undefined && part >= n)
            add(path, `${p.topic} has ${n} partitions at this step`, part, `a partition from 0 to ${n - 1}`);
        };
        checkPartition(p.partition, at('partition'));
        p.records?.forEach((r, j) => checkPartition(r.partition, at('records', j, 'partition')));
        const compacted = (t.configs?.cleanupPolicy ?? 'delete') !== 'delete';
        if (compacted) {
          const keyless = p.records
            ? p.records.findIndex((r) => r.key === null || r.key === undefined)
            : p.key === null || p.key === undefined
              ? 0
              : -1;
          if (keyless >= 0) {
            add(
              p.records ? at('records', keyless, 'key') : at('key'),
              `${p.topic} is compacted: Kafka rejects keyless records (INVALID_RECORD)`,
              null,
              'a string key',
            );
          }
        }
        const forms = [p.records !== undefined, p.count !== undefined].filter(Boolean).length;
        if (forms > 1)
          add(at(), 'give either records or count, not both', Object.keys(p), 'records (a list) or count with key/value templates');
        if (p.records === undefined && p.value === undefined)
          add(at('value'), 'missing value', undefined, 'a string, or null for a tombstone');
        break;
      }
      case 'poll': {
        const b = body as { consumer?: string; consumers?: string[] };
        if (b.consumer !== undefined && b.consumers !== undefined) {
          add(
            at(),
            'give consumer or consumers, not both',
            Object.keys(b),
            'consumer (one id), consumers (a list), or neither (every running consumer)',
          );
        }
        if (b.consumer !== undefined) needConsumer(b.consumer, at('consumer'));
        b.consumers?.forEach((c, j) => needConsumer(c, at('consumers', j)));
        break;
      }
      case 'commit': {
        needConsumer(body.consumer, at('consumer'));
        const b = body as { mode?: string; offsets?: Record<string, number>; failAfterMs?: number; retry?: string };
        if ((b.failAfterMs !== undefined || b.retry !== undefined) && b.mode !== 'async') {
          add(at('mode'), 'failAfterMs and retry describe a commitAsync', b.mode ?? 'sync', '"async"');
        }
        if (b.retry !== undefined && b.failAfterMs === undefined)
          add(at('retry'), 'retry applies to a commit that fails', b.retry, 'failAfterMs as well');
        checkOffsetMap(b.offsets, at('offsets'));
        break;
      }
      case 'initTransactions':
      case 'beginTransaction':
      case 'commitTransaction':
      case 'abortTransaction':
      case 'sendOffsetsToTransaction': {
        const name = body.producer as string;
        if (!producers.has(name)) add(at('producer'), 'unknown producer', name, `one of the declared producers: ${list(producers)}`);
        else if (!transactional.has(name))
          add(
            at('producer'),
            `${name} has no transactionalId`,
            name,
            `a transactional producer (config.transactionalId): ${list(transactional)}`,
          );
        if (kind === 'sendOffsetsToTransaction') {
          needConsumer(body.consumer, at('consumer'));
          checkOffsetMap(body.offsets as Record<string, number> | undefined, at('offsets'));
        }
        break;
      }
      case 'process':
      case 'crash':
      case 'restart':
      case 'join':
      case 'leave':
        needConsumer(body.consumer, at('consumer'));
        break;
      case 'brokerDown':
      case 'brokerUp':
      case 'pauseFetching':
      case 'resumeFetching':
      case 'fetch':
        needBroker(body.broker);
        break;
      case 'addPartitions': {
        const t = body.topic as string;
        const n = body.partitions as number;
        if (!partitionCount.has(t)) {
          add(at('topic'), 'unknown topic', t, `one of the declared topics: ${list(topics.keys())}`);
          break;
        }
        if (n <= partitionCount.get(t)!)
          add(
            at('partitions'),
            `${t} already has ${partitionCount.get(t)} partitions; Kafka can only add`,
            n,
            `an integer larger than ${partitionCount.get(t)}`,
          );
        else partitionCount.set(t, n);
        break;
      }
      default:
        break;
    }
  });
  checkShareReferences(s, add);
  return problems;
}

/** `['steps', 3, 'produce', 'topic']` → `steps[3].produce.topic` */
export function formatPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : out === '' ? seg : `.${seg}`;
  return out || '(root)';
}
