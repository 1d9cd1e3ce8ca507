/**
 * Engine queries: the small declarative vocabulary quiz authors use instead of typing answers.
 * Each query is computed by the reference engine at build time and returns the answer plus the
 * working (the arithmetic a student can follow) and named values the explanation may interpolate.
 *
 * Vocabulary (YAML):
 * ```
 * { engine: murmur2, key: "order-456" }                          → number (signed 32-bit)
 * { engine: toPositive, key: "order-456" }                       → number: toPositive(murmur2(utf8(key)))
 * { engine: toPositive, n: -973932308 }                          → number: n & 0x7fffffff
 * { engine: partitionForKey, key: "order-456", numPartitions: 6 } → number in [0, numPartitions)
 * { engine: keysThatMove, keys: [a, b, c], from: 6, to: 12 }      → string[]: keys whose partition differs
 * { engine: keysOnPartition, keys: [a, b, c], numPartitions: 6, partition: 2 } → string[]
 * { engine: assign, assignor: range, partitionsPerTopic: { t0: 3, t1: 3 },
 *   subscriptions: { C0: [t0, t1], C1: [t0, t1] }, ask: partitionCount, member: C0 } → number
 * ```
 * { engine: consume, consumers: { C0: { enableAutoCommit: false } }, steps: [...], ask: committed } → number
 * ```
 * `consume` plays a small consumer story with the engine's scenario runner (`runScenario`): one broker, topic
 * `t0` (`partitions`, default 1), producer `P0`, group `g1` (range) whose members are `consumers` (id →
 * consumer config, as in a scenario file), each subscribed to `t0`; `steps` are scenario steps. It asks, at the end:
 * - `committed`: g1's committed offset of `t0p<partition>` (default partition 0);
 * - `lag`: g1's total lag (high watermark − committed, summed over t0's partitions);
 * - `processedTwice`: how many records (topic, partition, offset) the group's consumers processed more than once;
 * - `neverProcessed`: how many records in t0's log no consumer processed;
 * - `received`: how many records the consumers received in all (duplicates included);
 * - `logStartOffset`: t0p<partition>'s log start offset at the end (after retention);
 * - `recordsInLog`: how many records t0p<partition>'s log holds at the end (after retention and compaction).
 * Optional `configs` are t0's topic configs and `cluster` the cluster settings, as in a scenario file.
 * ```
 * `replicate` plays a replication story (brokers, t0 replicated, producers, scenario steps) and asks about
 * t0p0 and the sends at the end: see quiz-replicate.ts.
 * `assign` runs a consumer-group assignor (range | roundrobin | sticky | cooperative-sticky) and asks:
 * - `partitionCount` (needs `member`): how many partitions that member gets;
 * - `idleMembers`: how many members get no partition;
 * - `spread`: the most partitions any member gets minus the fewest;
 * - `movedPartitions` (needs `previous`, member → topics of the previous generation): the previous
 *   generation's assignment is computed from scratch with the same assignor and reported as each
 *   member's ownedPartitions (generation 1); how many of those partitions end with another owner
 *   (for cooperative-sticky, after the follow-up rebalance). See `assignmentStory`.
 * `shareAssign` and `shareRecords` ask about share groups (KIP-932): see ./quiz-share-answers.ts.
 * Keys are Strings serialized as UTF-8 (Kafka's StringSerializer). The queries' zod schema (what an author may
 * write, with its friendly errors) is content/schema/engine-query.ts; this module computes them.
 *
 * Explanation variables (`{name}` in a question's explanation), besides `{answer}`:
 * - murmur2: key, murmur2
 * - toPositive: key?, n, toPositive
 * - partitionForKey: key, numPartitions, murmur2, toPositive, partition
 * - keysThatMove: from, to, moved, stayed, movedCount, total
 * - keysOnPartition: numPartitions, partition, matching, others
 * - assign: assignor, member, count, assignment, idle, idleCount, most, fewest, spread, moved, movedCount,
 *   total, before (the previous assignment, with `previous`)
 */
import { ASSIGNORS, formatTp, murmur2, partitionForKey, sortMembers, toPositive, tpKey, utf8 } from '../../engine/index.ts';
import { runScenario } from '../../engine/index.ts';
import type { Assignment, AssignorName, Subscription, TopicPartition } from '../../engine/index.ts';
import { consumeScenario, type EngineQuery } from '../../content/schema/engine-query.ts';
import { computeReconcile, computeShareAssign, computeShareRecords } from './quiz-share-answers.ts';
import { replicateResult } from './quiz-replicate.ts';

/** What a query computes. `value` is a number or a set of keys (in the order the query listed them). */
export interface EngineResult {
  value: number | string[];
  /** the arithmetic, one step per line, shown under the explanation */
  working: string[];
  /** values an explanation may interpolate as `{name}` */
  vars: Record<string, string | number>;
}

const fmt = (n: number): string => n.toLocaleString('en-US');
const q = (k: string): string => `"${k}"`;
const list = (keys: string[]): string => (keys.length === 0 ? 'none' : keys.join(', '));

/** `murmur2("order-456") = -123 → toPositive = 456 → 456 % 6 = 0` as steps and values. */
function partitionWorking(k: string, numPartitions: number) {
  const hash = murmur2(utf8(k));
  const positive = toPositive(hash);
  const partition = partitionForKey(utf8(k), numPartitions);
  return {
    hash,
    positive,
    partition,
    line: `${q(k)}: murmur2 = ${fmt(hash)} → toPositive = ${fmt(positive)} → ${fmt(positive)} % ${numPartitions} = ${partition}`,
  };
}

/** What a question may give the learner, computed by the engine: the hash of each key it names. */
export type GivenFact = 'murmur2' | 'toPositive';

/**
 * The facts a question gives the learner (`given:` in a quiz), one line each, computed by the engine —
 * e.g. `murmur2("order-456") = -1234567890`. murmur2 is not mental arithmetic: the learner is asked to
 * apply the rule, so the hash is given, as the drills give it.
 * @param query the question's engine query; its keys are the keys hashed
 * @param fact `murmur2` (the signed hash) or `toPositive` (toPositive(murmur2(key)), the hash the modulo takes)
 * @returns the lines, or an error sentence when the fact would give the answer away or the query names no key
 */
export function givenFacts(query: EngineQuery, fact: GivenFact): { ok: true; lines: string[] } | { ok: false; error: string } {
  if (query.engine === fact) {
    return {
      ok: false,
      error: `received "${fact}" for a ${query.engine} question; expected a fact that is not the answer itself (omit "given", or give "murmur2" for a toPositive question)`,
    };
  }
  const keys =
    query.engine === 'keysThatMove' || query.engine === 'keysOnPartition'
      ? query.keys
      : (query.engine === 'murmur2' || query.engine === 'toPositive' || query.engine === 'partitionForKey') && query.key !== undefined
        ? [query.key]
        : [];
  if (keys.length === 0) {
    return {
      ok: false,
      error: `received "${fact}" for a ${query.engine} query that names no key; expected "given" only on questions about keys`,
    };
  }
  const lines = keys.map((k) => {
    const hash = murmur2(utf8(k));
    return fact === 'murmur2' ? `murmur2(${q(k)}) = ${hash}` : `toPositive(murmur2(${q(k)})) = ${toPositive(hash)}`;
  });
  return { ok: true, lines };
}

/**
 * Compute an engine query with the reference engine.
 * @param query a query validated by `engineQuerySchema`
 * @returns the answer, its working and the explanation variables
 */
export function computeEngineQuery(query: EngineQuery): EngineResult {
  switch (query.engine) {
    case 'murmur2': {
      const hash = murmur2(utf8(query.key));
      return {
        value: hash,
        working: [`murmur2 of the UTF-8 bytes of ${q(query.key)} = ${fmt(hash)} (a signed 32-bit integer)`],
        vars: { key: query.key, murmur2: hash },
      };
    }
    case 'toPositive': {
      const n = query.key !== undefined ? murmur2(utf8(query.key)) : (query.n as number);
      const positive = toPositive(n);
      const working = query.key !== undefined ? [`murmur2(${q(query.key)}) = ${fmt(n)}`] : [];
      working.push(`toPositive(${fmt(n)}) = ${fmt(n)} & 0x7fffffff = ${fmt(positive)}`);
      return { value: positive, working, vars: { ...(query.key !== undefined ? { key: query.key } : {}), n, toPositive: positive } };
    }
    case 'partitionForKey': {
      const w = partitionWorking(query.key, query.numPartitions);
      return {
        value: w.partition,
        working: [w.line],
        vars: { key: query.key, numPartitions: query.numPartitions, murmur2: w.hash, toPositive: w.positive, partition: w.partition },
      };
    }
    case 'keysThatMove': {
      const moved: string[] = [];
      const stayed: string[] = [];
      const working: string[] = [];
      for (const k of query.keys) {
        const before = partitionForKey(utf8(k), query.from);
        const after = partitionForKey(utf8(k), query.to);
        (before === after ? stayed : moved).push(k);
        working.push(
          `${q(k)}: partition ${before} of ${query.from} → partition ${after} of ${query.to}${before === after ? ' (stays)' : ' (moves)'}`,
        );
      }
      return {
        value: moved,
        working,
        vars: {
          from: query.from,
          to: query.to,
          moved: list(moved),
          stayed: list(stayed),
          movedCount: moved.length,
          total: query.keys.length,
        },
      };
    }
    case 'keysOnPartition': {
      const matching: string[] = [];
      const others: string[] = [];
      const working: string[] = [];
      for (const k of query.keys) {
        const w = partitionWorking(k, query.numPartitions);
        (w.partition === query.partition ? matching : others).push(k);
        working.push(w.line);
      }
      return {
        value: matching,
        working,
        vars: { numPartitions: query.numPartitions, partition: query.partition, matching: list(matching), others: list(others) },
      };
    }
    case 'shareAssign':
      return computeShareAssign(query);
    case 'shareRecords':
      return computeShareRecords(query);
    case 'reconcile':
      return computeReconcile(query);
    case 'consume':
      return consumeResult(query);
    case 'replicate':
      return replicateResult(query);
    case 'assign': {
      const story = assignmentStory(query.assignor, query.partitionsPerTopic, query.subscriptions, query.previous);
      const counts = story.members.map((m) => story.final[m].length);
      const most = Math.max(...counts);
      const fewest = Math.min(...counts);
      const total = Object.values(query.partitionsPerTopic).reduce((a, b) => a + b, 0);
      const working: string[] = [];
      if (story.before) working.push(`before (${query.assignor}): ${formatAssignment(story.before)}`);
      story.rounds.forEach((round, i) => {
        const label = story.rounds.length > 1 ? `rebalance ${i + 1}` : story.before ? 'after' : query.assignor;
        working.push(`${label}: ${formatAssignment(round)}`);
      });
      if (story.before) {
        working.push(
          story.moved.length === 0
            ? 'no partition changes owner'
            : `change owner: ${story.moved.map((m) => `${formatTp(m.tp)} (${m.from} → ${m.to})`).join(', ')}`,
        );
      }
      const value =
        query.ask === 'partitionCount'
          ? story.final[query.member as string].length
          : query.ask === 'idleMembers'
            ? story.idle.length
            : query.ask === 'spread'
              ? most - fewest
              : story.moved.length;
      return {
        value,
        working,
        vars: {
          assignor: query.assignor,
          ...(query.member !== undefined ? { member: query.member, count: story.final[query.member]?.length ?? 0 } : {}),
          assignment: formatAssignment(story.final),
          ...(story.before ? { before: formatAssignment(story.before) } : {}),
          idle: list(story.idle),
          idleCount: story.idle.length,
          most,
          fewest,
          spread: most - fewest,
          moved: list(story.moved.map((m) => formatTp(m.tp))),
          movedCount: story.moved.length,
          total,
        },
      };
    }
  }
}

/** Play a `consume` query's story and read the answer from the engine's final state. */
function consumeResult(query: Extract<EngineQuery, { engine: 'consume' }>): EngineResult {
  const { state } = runScenario(consumeScenario(query), { trace: 'none' });
  const group = state.snapshot.groups.find((g) => g.id === 'g1')!;
  const at = (r: { topic: string; partition: number; offset: number }) => `${formatTp(r)}@${r.offset}`;
  const processed = Object.values(state.processed).flat();
  const times = new Map<string, number>();
  for (const r of processed) times.set(at(r), (times.get(at(r)) ?? 0) + 1);
  const twice = [...times].filter(([, n]) => n > 1).map(([r]) => r);
  const inLog = Object.entries(state.logs).flatMap(([label, records]) => {
    const p = state.snapshot.partitions.find((x) => x.label === label)!;
    return records.map((r) => at({ topic: p.topic, partition: p.partition, offset: r.offset }));
  });
  const never = inLog.filter((r) => !times.has(r));
  const received = Object.values(state.received).flat().length;
  const partition = query.partition ?? 0;
  const offsets = group.offsets.find((o) => o.topic === 't0' && o.partition === partition)!;
  const working = group.offsets.map(
    (o) =>
      `${formatTp(o)}: high watermark ${fmt(o.highWatermark)}, committed ${o.committed === null ? 'none' : fmt(o.committed)}, lag ${fmt(o.lag)}`,
  );
  working.push(`processed more than once: ${list(twice)}`, `never processed: ${list(never)}`);
  let value: number;
  switch (query.ask) {
    case 'committed':
      if (offsets.committed === null)
        throw new Error(
          `consume query: g1 has no committed offset for ${formatTp({ topic: 't0', partition })} at the end; ask something else or commit in the steps`,
        );
      value = offsets.committed;
      break;
    case 'lag':
      value = group.totalLag;
      break;
    case 'processedTwice':
      value = twice.length;
      break;
    case 'neverProcessed':
      value = never.length;
      break;
    case 'received':
      value = received;
      break;
    case 'logStartOffset':
      value = state.snapshot.partitions[partition].logStartOffset;
      break;
    case 'recordsInLog':
      value = state.snapshot.partitions[partition].recordCount;
      break;
  }
  return {
    value,
    working,
    vars: {
      committed: offsets.committed === null ? 'none' : offsets.committed,
      highWatermark: offsets.highWatermark,
      lag: group.totalLag,
      twice: list(twice),
      twiceCount: twice.length,
      never: list(never),
      neverCount: never.length,
      received,
      processed: processed.length,
      logStartOffset: state.snapshot.partitions[partition].logStartOffset,
      logEndOffset: state.snapshot.partitions[partition].logEndOffset,
      recordsInLog: state.snapshot.partitions[partition].recordCount,
    },
  };
}

/** `C0: t0p0, t0p1; C1: t0p2; C2: (none)` in Kafka's member order. */
export function formatAssignment(assignment: Assignment): string {
  const subs: Record<string, Subscription> = Object.fromEntries(Object.keys(assignment).map((m) => [m, { topics: [] }]));
  return sortMembers(subs)
    .map((m) => `${m}: ${assignment[m].length === 0 ? '(none)' : assignment[m].map(formatTp).join(', ')}`)
    .join('; ');
}

/** What happens to a group's assignment, computed by the engine's assignors (see `assignmentStory`). */
export interface AssignmentStory {
  assignor: AssignorName;
  /** the current members, in Kafka's member order (memberId, compared as Java strings: "C10" < "C2") */
  members: string[];
  /** the previous generation's assignment, when a previous generation was given */
  before?: Assignment;
  /**
   * one assignment per rebalance: one for range, roundrobin and sticky; for cooperative-sticky, a
   * second (follow-up) one when the first held back partitions that were being revoked
   */
  rounds: Assignment[];
  /** the last round: who owns what once the group is stable */
  final: Assignment;
  /** members of the final assignment with no partition */
  idle: string[];
  /** partitions owned in `before` whose owner in `final` is another member (by topic, partition) */
  moved: { tp: TopicPartition; from: string; to: string }[];
}

/**
 * Run a consumer-group assignor the way a group would, for lessons and quizzes.
 *
 * Without `previous`: one assignment from scratch. With `previous` (member → topics of the previous
 * generation): that generation's assignment is computed from scratch with the same assignor; then every
 * current member reports what it owned there as `ownedPartitions` (generation 1) and the assignor runs
 * again. For cooperative-sticky, partitions being revoked are held back in that rebalance; their owners
 * revoke them and rejoin, and a follow-up rebalance (ownedPartitions = the first result, generation 2)
 * hands them over.
 *
 * Example: range, t0 with 6 partitions, previous C0, C1, now C0, C1, C2:
 *   before C0: t0p0, t0p1, t0p2; C1: t0p3, t0p4, t0p5 → after C0: t0p0, t0p1; C1: t0p2, t0p3; C2: t0p4, t0p5
 *   moved: t0p2 (C0 → C1), t0p4 (C1 → C2), t0p5 (C1 → C2)
 *
 * @param assignor a `partition.assignment.strategy` name
 * @param partitionsPerTopic topic → partition count
 * @param subscriptions current member → topics it subscribes to
 * @param previous previous generation's member → topics, optional
 * @throws RangeError from the assignor for a bad partition count
 */
export function assignmentStory(
  assignor: AssignorName,
  partitionsPerTopic: Record<string, number>,
  subscriptions: Record<string, string[]>,
  previous?: Record<string, string[]>,
): AssignmentStory {
  const run = ASSIGNORS[assignor];
  const toSubs = (members: Record<string, string[]>, owned?: Assignment, generationId?: number): Record<string, Subscription> =>
    Object.fromEntries(
      Object.entries(members).map(([m, topics]) => [
        m,
        owned ? { topics, ownedPartitions: owned[m] ?? [], generationId: owned[m] ? generationId : undefined } : { topics },
      ]),
    );
  const before = previous ? run.assign(partitionsPerTopic, toSubs(previous)) : undefined;
  const rounds: Assignment[] = [run.assign(partitionsPerTopic, toSubs(subscriptions, before, 1))];
  // cooperative: a follow-up rebalance while the last one left subscribed partitions without an owner
  const subscribedTotal = Object.entries(partitionsPerTopic)
    .filter(([t]) => Object.values(subscriptions).some((topics) => topics.includes(t)))
    .reduce((a, [, n]) => a + n, 0);
  const owned = (a: Assignment) => Object.values(a).reduce((n, tps) => n + tps.length, 0);
  while (assignor === 'cooperative-sticky' && owned(rounds[rounds.length - 1]) < subscribedTotal && rounds.length < 3) {
    rounds.push(run.assign(partitionsPerTopic, toSubs(subscriptions, rounds[rounds.length - 1], rounds.length + 1)));
  }
  const final = rounds[rounds.length - 1];
  const members = sortMembers(toSubs(subscriptions));
  const moved: AssignmentStory['moved'] = [];
  if (before) {
    const ownerAfter = new Map<string, string>();
    for (const m of Object.keys(final)) for (const tp of final[m]) ownerAfter.set(tpKey(tp), m);
    const all = Object.keys(before).flatMap((m) => before[m].map((tp) => ({ tp, from: m })));
    all.sort((a, b) => (a.tp.topic < b.tp.topic ? -1 : a.tp.topic > b.tp.topic ? 1 : a.tp.partition - b.tp.partition));
    for (const { tp, from } of all) {
      const to = ownerAfter.get(tpKey(tp));
      if (to !== undefined && to !== from) moved.push({ tp, from, to });
    }
  }
  return { assignor, members, before, rounds, final, idle: members.filter((m) => final[m].length === 0), moved };
}
