/**
 * Interview drills: unlimited practice questions generated from a seed, each answered and explained
 * by the engine itself (never a hand-typed key).
 *
 * The rule: `generateDrill(kind, seed)` draws the question's inputs from `createPrng(seed)`, runs
 * them through the engine (partitioner, assignors, the replicated cluster, the group coordinator)
 * and returns the prompt, the answer and the working. The same kind and seed always give the same
 * question, byte for byte, so a question can be shared as `?kind=…&seed=…` and replayed.
 *
 * Example: `generateDrill('range-assignment', 7)` → three consumers C0..C2 subscribed to t0 (7
 * partitions) and t1 (4), "How many partitions does C0 get?"; the answer comes from
 * `RangeAssignor.assign`, and the explanation traces it per topic:
 *   t0: 7 partitions, 3 members → 2 each, first 1 gets +1 → C0: [t0p0, t0p1, t0p2] …
 *
 * Kinds (see {@link DRILL_KINDS}): partition-for-key, keys-that-move, range-assignment,
 * round-robin-assignment, idle-consumers, high-watermark, acks-outcome, consumer-lag.
 *
 * Caveats:
 * - Hashes are given in the prompt (murmur2 is not mental arithmetic); the drill is the
 *   toPositive-and-modulo step and the "adding partitions moves keys" reasoning.
 * - Replication questions drive {@link Cluster} to the stated state (produce, fetch rounds, paused
 *   fetchers, crashed brokers) with no time passing, so no follower drops out of the ISR for lag.
 * - Member ids are the consumer names C0, C1, … (sorted as strings, like Kafka's memberIds); there
 *   are never more than 8, so string order is numeric order.
 *
 * Source: the engine modules each question drives; Kafka's BuiltInPartitioner, RangeAssignor,
 * RoundRobinAssignor, Partition (HW, acks, min.insync.replicas), kafka-consumer-groups' LAG column.
 */
import { createPrng } from '../common/prng.ts';
import type { Prng } from '../common/prng.ts';
import { murmur2 } from '../producer/murmur2.ts';
import { partitionForKey, toPositive, utf8 } from '../producer/partition-for-key.ts';
import { keysThatMove } from '../producer/partitioners.ts';
import { RangeAssignor } from '../assignors/range.ts';
import { RoundRobinAssignor } from '../assignors/round-robin.ts';
import type { Assignment, ConsumerPartitionAssignor, Subscription } from '../assignors/assignor.ts';
import { Cluster } from '../cluster/cluster.ts';
import type { ClusterEvent, TopicSpec } from '../cluster/cluster.ts';
import { GroupCoordinator } from '../group/member.ts';
import { groupLag, partitionLogView } from '../consumer/consumer.ts';
import { formatList, formatTp, formatTpList, plural } from '../common/notation.ts';
import type { KafkaRecord, TopicPartition } from '../common/record.ts';

// =============================================================================================
// Public shapes

/** The drill kinds, in course order. */
export type DrillKind =
  | 'partition-for-key'
  | 'keys-that-move'
  | 'range-assignment'
  | 'round-robin-assignment'
  | 'idle-consumers'
  | 'high-watermark'
  | 'acks-outcome'
  | 'consumer-lag';

/** Course areas, for filtering drills ("only assignors"). */
export type DrillArea = 'partitioning' | 'assignors' | 'replication' | 'consumers';

/** A kind's title and area, for menus and stats. */
export interface DrillKindInfo {
  kind: DrillKind;
  title: string;
  area: DrillArea;
  /** one line: what the drill practises */
  summary: string;
}

/** Every drill kind with its title, in course order. */
export const DRILL_KINDS: readonly DrillKindInfo[] = Object.freeze([
  { kind: 'partition-for-key', title: 'Which partition for a key', area: 'partitioning', summary: 'toPositive(murmur2(key)) % numPartitions' },
  { kind: 'keys-that-move', title: 'Keys that move when partitions are added', area: 'partitioning', summary: 'hash % n versus hash % m' },
  { kind: 'range-assignment', title: 'Range assignor', area: 'assignors', summary: 'per topic, floor(n/c) each, the first n % c get one more' },
  { kind: 'round-robin-assignment', title: 'Round-robin assignor', area: 'assignors', summary: 'deal every partition in turn, skipping non-subscribers' },
  { kind: 'idle-consumers', title: 'Idle consumers', area: 'assignors', summary: 'members that get no partition' },
  { kind: 'high-watermark', title: 'High watermark from the ISR', area: 'replication', summary: 'min logEndOffset over the ISR' },
  { kind: 'acks-outcome', title: 'acks and min.insync.replicas', area: 'replication', summary: 'NONE, NOT_ENOUGH_REPLICAS, …_AFTER_APPEND or no response' },
  { kind: 'consumer-lag', title: 'Consumer lag', area: 'consumers', summary: 'highWatermark − committed offset' },
] as DrillKindInfo[]);

/** Titles of the areas. */
export const DRILL_AREAS: Readonly<Record<DrillArea, string>> = Object.freeze({
  partitioning: 'Partitioning',
  assignors: 'Assignors',
  replication: 'Replication',
  consumers: 'Consumers',
});

/** The expected answer: a whole number, one choice (index into `choices`), or a set of choices (sorted indices). */
export type DrillAnswer =
  | { type: 'number'; value: number }
  | { type: 'choice'; index: number }
  | { type: 'choices'; indices: number[] };

/** The inputs a question was built from (plain JSON), per kind. Tests recompute answers from them. */
export type DrillParams =
  | { kind: 'partition-for-key'; key: string; numPartitions: number }
  | { kind: 'keys-that-move'; keys: string[]; fromPartitions: number; toPartitions: number }
  | {
      kind: 'range-assignment' | 'round-robin-assignment';
      partitionsPerTopic: Record<string, number>;
      subscriptions: Record<string, { topics: string[] }>;
      ask: { what: 'count'; member: string } | { what: 'owner'; tp: TopicPartition };
    }
  | {
      kind: 'idle-consumers';
      assignor: 'range' | 'roundrobin';
      partitionsPerTopic: Record<string, number>;
      subscriptions: Record<string, { topics: string[] }>;
    }
  | {
      kind: 'high-watermark';
      replicas: number[];
      /** broker → its replica's logEndOffset (as the leader knows it: every follower has reported) */
      logEndOffsets: Record<number, number>;
      /** the follower whose broker is down (out of the ISR), if any */
      downBroker: number | null;
    }
  | {
      kind: 'acks-outcome';
      acks: 0 | 1 | 'all';
      minInsyncReplicas: number;
      replicas: number[];
      /** followers down before the produce request */
      downBefore: number[];
      /** followers that crash while an acks=all request waits (before they fetch the record) */
      crashWhileWaiting: number[];
    }
  | {
      kind: 'consumer-lag';
      /** per partition of t0: replicated (committed) records, then records only on the leader */
      partitions: { replicated: number; unreplicated: number; committed: number }[];
      /** say "last processed offset committed-1" instead of the committed offset */
      phraseAsLastProcessed: boolean;
    };

/** A generated question. Plain JSON. */
export interface DrillQuestion {
  /** `${kind}-${seed}`: kind and seed identify the question */
  id: string;
  kind: DrillKind;
  seed: number;
  /** the question, in Markdown (paragraphs, `- ` lists, `code`, **bold**), in Kafka notation */
  prompt: string;
  answer: DrillAnswer;
  /** labels for choice answers (Markdown inline) */
  choices?: string[];
  /** the working, computed by the engine, in Markdown */
  explanation: string;
  params: DrillParams;
}

/** What the learner gave: a number (or its text) for numeric answers, an index for a choice, indices for a set. */
export type DrillInput = number | string | readonly number[];

/** The verdict of {@link checkDrillAnswer}. */
export interface DrillCheck {
  correct: boolean;
  /** the expected answer as text (a number, a choice label, or labels joined with ", ") */
  expected: string;
  /** the question's explanation */
  explanation: string;
  /** set when the input could not be read as an answer (e.g. "abc" for a number); then correct is false */
  problem?: string;
}

// =============================================================================================
// Generation

const KIND_SET: ReadonlySet<string> = new Set(DRILL_KINDS.map((k) => k.kind));

/** True when `kind` names a drill kind. */
export function isDrillKind(kind: unknown): kind is DrillKind {
  return typeof kind === 'string' && KIND_SET.has(kind);
}

/**
 * Generate one question.
 * @param kind a {@link DrillKind}
 * @param seed an integer in [0, 2^32): the question's identity
 * @returns the question with its engine-computed answer and explanation
 * @throws RangeError for an unknown kind or a seed that is not an integer in [0, 2^32)
 */
export function generateDrill(kind: DrillKind, seed: number): DrillQuestion {
  if (!isDrillKind(kind)) {
    throw new RangeError(`Expected a drill kind (${DRILL_KINDS.map((k) => k.kind).join(', ')}), got ${JSON.stringify(kind)}`);
  }
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new RangeError(`Expected seed to be an integer in [0, 2^32), got ${String(seed)}`);
  }
  const rng = createPrng(seed);
  const body = GENERATORS[kind](rng);
  return { id: `${kind}-${seed}`, kind, seed, ...body };
}

type Body = Omit<DrillQuestion, 'id' | 'kind' | 'seed'>;

const GENERATORS: Record<DrillKind, (rng: Prng) => Body> = {
  'partition-for-key': partitionForKeyDrill,
  'keys-that-move': keysThatMoveDrill,
  'range-assignment': (rng) => assignmentDrill(rng, 'range-assignment'),
  'round-robin-assignment': (rng) => assignmentDrill(rng, 'round-robin-assignment'),
  'idle-consumers': idleConsumersDrill,
  'high-watermark': highWatermarkDrill,
  'acks-outcome': acksOutcomeDrill,
  'consumer-lag': consumerLagDrill,
};

// ---- small helpers ----------------------------------------------------------------------------

/** An integer in [lo, hi]. */
function between(rng: Prng, lo: number, hi: number): number {
  return lo + rng.nextInt(hi - lo + 1);
}

function pick<T>(rng: Prng, items: readonly T[]): T {
  return items[rng.nextInt(items.length)];
}

function shuffled<T>(rng: Prng, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

const KEY_PREFIXES = ['user', 'order', 'cart', 'device', 'sensor', 'account', 'invoice', 'session'];

function randomKey(rng: Prng): string {
  return `${pick(rng, KEY_PREFIXES)}-${rng.nextInt(10_000)}`;
}

const members = (c: number): string[] => Array.from({ length: c }, (_, i) => `C${i}`);

// ---- partition for a key ----------------------------------------------------------------------

function partitionForKeyDrill(rng: Prng): Body {
  const key = randomKey(rng);
  // counts whose remainder a person can work out by hand (last digits, digit sums)
  const numPartitions = pick(rng, [2, 3, 4, 5, 6, 8, 9, 10, 12]);
  const bytes = utf8(key);
  const hash = murmur2(bytes);
  const positive = toPositive(hash);
  const partition = partitionForKey(bytes, numPartitions);
  const prompt = [
    `A producer sends a record with key \`"${key}"\` to topic \`t0\`, which has ${plural(numPartitions, 'partition')}, with Kafka's default partitioner.`,
    `The key's UTF-8 bytes hash to \`murmur2 = ${hash}\`.`,
    'Which partition does the record go to? (Answer with the partition number.)',
  ].join('\n\n');
  const lines = [
    hash < 0
      ? `- toPositive(${hash}) = ${hash} & 0x7fffffff = ${positive} (clear the sign bit)`
      : `- toPositive(${hash}) = ${positive} (already non-negative)`,
    `- ${positive} % ${numPartitions} = ${partition} → **${formatTp({ topic: 't0', partition })}**`,
  ];
  if (hash < 0) {
    const abs = Math.abs(hash) % numPartitions;
    lines.push(
      abs === partition
        ? `- Math.abs(${hash}) % ${numPartitions} happens to give ${abs} too, but not for every key: Kafka clears the sign bit, it does not negate.`
        : `- Math.abs(${hash}) % ${numPartitions} = ${abs}: the Math.abs mistake sends this key to the wrong partition.`,
    );
  }
  return {
    prompt,
    answer: { type: 'number', value: partition },
    explanation: lines.join('\n'),
    params: { kind: 'partition-for-key', key, numPartitions },
  };
}

// ---- keys that move ---------------------------------------------------------------------------

function keysThatMoveDrill(rng: Prng): Body {
  const fromPartitions = pick(rng, [2, 3, 4, 5, 6, 8]);
  const toPartitions = rng.nextInt(2) === 0 ? fromPartitions * 2 : fromPartitions + between(rng, 1, 3);
  const keys: string[] = [];
  while (keys.length < 5) {
    const k = randomKey(rng);
    if (!keys.includes(k)) keys.push(k);
  }
  const moves = keysThatMove(keys, fromPartitions, toPartitions);
  const moved = new Set(moves.map((m) => m.key));
  const indices = keys.map((k, i) => (moved.has(k) ? i : -1)).filter((i) => i >= 0);
  const hashOf = (k: string) => toPositive(murmur2(utf8(k)));
  const choices = keys.map((k) => `\`${k}\` (toPositive(murmur2) = ${hashOf(k)})`);
  const prompt = [
    `Topic \`t0\` grows from ${fromPartitions} to ${toPartitions} partitions. Producers use Kafka's default partitioner.`,
    'Which of these keys send their new records to a different partition than before? Select every one that moves (possibly none).',
  ].join('\n\n');
  const lines = keys.map((k) => {
    const h = hashOf(k);
    const a = h % fromPartitions;
    const b = h % toPartitions;
    return `- \`${k}\`: ${h} % ${fromPartitions} = ${a}, ${h} % ${toPartitions} = ${b} → ${a === b ? `stays on t0p${a}` : `**moves** t0p${a} → t0p${b}`}`;
  });
  if (toPartitions === fromPartitions * 2) {
    lines.push(
      `- Doubling: h % ${toPartitions} is either h % ${fromPartitions} or h % ${fromPartitions} + ${fromPartitions}, so a key moves exactly when h % ${toPartitions} ≥ ${fromPartitions} (about half of all keys).`,
    );
  }
  lines.push(`- ${plural(moves.length, 'key')} of ${keys.length} move${moves.length === 1 ? 's' : ''}. Old records stay where they were: per-key order is lost across the change.`);
  return {
    prompt,
    answer: { type: 'choices', indices },
    choices,
    explanation: lines.join('\n'),
    params: { kind: 'keys-that-move', keys, fromPartitions, toPartitions },
  };
}

// ---- range and round robin --------------------------------------------------------------------

type Group = { partitionsPerTopic: Record<string, number>; subscriptions: Record<string, { topics: string[] }> };

/** 2–4 members, 1–2 topics with 1–8 partitions; with two topics, sometimes one member takes only t0. */
function randomGroup(rng: Prng, maxMembers = 4): Group {
  const c = between(rng, 2, maxMembers);
  const numTopics = between(rng, 1, 2);
  const partitionsPerTopic: Record<string, number> = {};
  for (let t = 0; t < numTopics; t++) partitionsPerTopic[`t${t}`] = between(rng, 1, 8);
  const all = Object.keys(partitionsPerTopic);
  const subscriptions: Record<string, { topics: string[] }> = {};
  const narrow = numTopics === 2 && rng.nextInt(3) === 0 ? rng.nextInt(c) : -1;
  for (const [i, m] of members(c).entries()) subscriptions[m] = { topics: i === narrow ? ['t0'] : [...all] };
  return { partitionsPerTopic, subscriptions };
}

function runAssignor(assignor: ConsumerPartitionAssignor, group: Group): Assignment {
  const subs: Record<string, Subscription> = {};
  for (const [m, s] of Object.entries(group.subscriptions)) subs[m] = { topics: [...s.topics] };
  return assignor.assign({ ...group.partitionsPerTopic }, subs);
}

function describeGroup(group: Group, assignorName: string): string {
  const topics = Object.entries(group.partitionsPerTopic).map(([t, n]) => `\`${t}\` (${plural(n, 'partition')})`);
  const names = Object.keys(group.subscriptions);
  const everyone = names.every((m) => group.subscriptions[m].topics.length === Object.keys(group.partitionsPerTopic).length);
  const subs = everyone
    ? `Consumers ${names.join(', ')} all subscribe to ${topics.join(' and ')}.`
    : `Consumers ${names.join(', ')} subscribe to ${topics.join(' and ')}, except ${names
        .filter((m) => group.subscriptions[m].topics.length === 1)
        .join(', ')}, which subscribes only to \`t0\`.`;
  return `${subs} The group uses the \`${assignorName}\` assignor (memberIds are C0, C1, …).`;
}

/** Range's per-topic working, read off the assignment. */
function rangeWorking(group: Group, assignment: Assignment): string[] {
  const lines: string[] = [];
  for (const [topic, n] of Object.entries(group.partitionsPerTopic)) {
    const subs = Object.keys(group.subscriptions).filter((m) => group.subscriptions[m].topics.includes(topic)).sort();
    const c = subs.length;
    const each = Math.floor(n / c);
    const extra = n % c;
    const got = subs.map((m) => `${m}: ${formatTpList(assignment[m].filter((tp) => tp.topic === topic))}`);
    lines.push(
      `- \`${topic}\`: ${plural(n, 'partition')}, ${plural(c, 'subscriber')} → ${each} each${extra ? `, first ${extra} get${extra === 1 ? 's' : ''} +1` : ''} → ${got.join('; ')}`,
    );
  }
  return lines;
}

/** Round robin's dealing order, read off the assignment. */
function roundRobinWorking(group: Group, assignment: Assignment): string[] {
  const owner = new Map<string, string>();
  for (const [m, parts] of Object.entries(assignment)) for (const tp of parts) owner.set(formatTp(tp), m);
  const dealt: string[] = [];
  const topics = Object.keys(group.partitionsPerTopic).sort();
  for (const topic of topics) {
    const n = group.partitionsPerTopic[topic];
    for (let p = 0; p < n; p++) dealt.push(`${topic}p${p}→${owner.get(`${topic}p${p}`)}`);
  }
  return [`- Dealt in order, skipping members not subscribed to the topic: ${dealt.join(', ')}`];
}

function assignmentDrill(rng: Prng, kind: 'range-assignment' | 'round-robin-assignment'): Body {
  const group = randomGroup(rng);
  const assignor = kind === 'range-assignment' ? RangeAssignor : RoundRobinAssignor;
  const assignment = runAssignor(assignor, group);
  const names = Object.keys(group.subscriptions);
  const working = kind === 'range-assignment' ? rangeWorking(group, assignment) : roundRobinWorking(group, assignment);
  const result = `- Result: ${names.map((m) => `${m}: ${formatTpList(assignment[m])}`).join('; ')}`;
  const intro = describeGroup(group, assignor.name);
  if (rng.nextInt(2) === 0) {
    const member = pick(rng, names);
    const count = assignment[member].length;
    return {
      prompt: `${intro}\n\nHow many partitions does ${member} get in total?`,
      answer: { type: 'number', value: count },
      explanation: [...working, result, `- ${member} gets ${plural(count, 'partition')}: **${count}**`].join('\n'),
      params: { kind, ...group, ask: { what: 'count', member } },
    };
  }
  const all: TopicPartition[] = Object.entries(group.partitionsPerTopic).flatMap(([topic, n]) =>
    Array.from({ length: n }, (_, partition) => ({ topic, partition })),
  );
  const tp = pick(rng, all);
  const owner = names.find((m) => assignment[m].some((x) => x.topic === tp.topic && x.partition === tp.partition))!;
  return {
    prompt: `${intro}\n\nWhich consumer is assigned ${formatTp(tp)}?`,
    answer: { type: 'choice', index: names.indexOf(owner) },
    choices: [...names],
    explanation: [...working, result, `- ${formatTp(tp)} goes to **${owner}**`].join('\n'),
    params: { kind, ...group, ask: { what: 'owner', tp } },
  };
}

// ---- idle consumers ---------------------------------------------------------------------------

function idleConsumersDrill(rng: Prng): Body {
  const assignorName = pick(rng, ['range', 'roundrobin'] as const);
  const c = between(rng, 2, 8);
  const partitionsPerTopic: Record<string, number> = {};
  if (rng.nextInt(3) === 0) {
    // two small topics: range hands partition i of every topic to the same member
    partitionsPerTopic.t0 = between(rng, 1, c);
    partitionsPerTopic.t1 = between(rng, 1, c);
  } else {
    partitionsPerTopic.t0 = between(rng, 1, c + 1); // mostly fewer partitions than members: someone idles
  }
  const topics = Object.keys(partitionsPerTopic);
  const subscriptions: Record<string, { topics: string[] }> = {};
  for (const m of members(c)) subscriptions[m] = { topics: [...topics] };
  const group = { partitionsPerTopic, subscriptions };
  const assignor = assignorName === 'range' ? RangeAssignor : RoundRobinAssignor;
  const assignment = runAssignor(assignor, group);
  const idle = members(c).filter((m) => assignment[m].length === 0);
  const working = assignorName === 'range' ? rangeWorking(group, assignment) : roundRobinWorking(group, assignment);
  const total = topics.reduce((s, t) => s + partitionsPerTopic[t], 0);
  const lines = [
    ...working,
    `- Idle (no partitions): ${idle.length ? idle.join(', ') : 'none'} → **${idle.length}**`,
  ];
  if (assignorName === 'range' && topics.length === 2 && idle.length > Math.max(0, c - total)) {
    lines.push(`- Range works topic by topic, so the same first members take every topic's partitions: ${total} partitions in all, yet ${plural(idle.length, 'consumer')} idle.`);
  }
  const topicText = topics.map((t) => `\`${t}\` (${plural(partitionsPerTopic[t], 'partition')})`).join(' and ');
  return {
    prompt: `A group of ${plural(c, 'consumer')} (${members(c).join(', ')}) subscribes to ${topicText} with the \`${assignorName}\` assignor.\n\nHow many consumers get no partition at all?`,
    answer: { type: 'number', value: idle.length },
    explanation: lines.join('\n'),
    params: { kind: 'idle-consumers', assignor: assignorName, partitionsPerTopic, subscriptions },
  };
}

// ---- replication: high watermark --------------------------------------------------------------

const TP0: TopicPartition = { topic: 't0', partition: 0 };

function records(count: number, fromOffset: number): KafkaRecord[] {
  return Array.from({ length: count }, (_, i) => ({ key: `k${fromOffset + i}`, value: `v${fromOffset + i}`, timestamp: 0 }));
}

/** A cluster of just `replicas`, holding topic t0 with one partition t0p0 placed on them in that order (first = leader). */
function singlePartitionCluster(replicas: readonly number[], config?: TopicSpec['config']): Cluster {
  const cluster = new Cluster({ brokers: [...replicas].sort((a, b) => a - b) });
  cluster.createTopic({ name: 't0', partitions: 1, replicationFactor: replicas.length, replicaAssignment: { 0: [...replicas] }, config });
  return cluster;
}

/**
 * Drive a cluster until every replica of t0p0 has its target logEndOffset and the leader knows each
 * follower's: produce up to each level, two fetch rounds (copy, then report), pause the followers
 * whose target that level is. No time passes, so nobody leaves the ISR for lag.
 */
function clusterWithLogEndOffsets(replicas: number[], logEndOffsets: Record<number, number>, downBroker: number | null): Cluster {
  const cluster = singlePartitionCluster(replicas);
  const followers = replicas.slice(1);
  const levels = [...new Set(replicas.map((b) => logEndOffsets[b]))].sort((a, b) => a - b);
  let produced = 0;
  for (const level of levels) {
    if (level > produced) {
      cluster.produce(TP0, records(level - produced, produced), { acks: 1 });
      produced = level;
    }
    cluster.fetchRound(TP0);
    cluster.fetchRound(TP0);
    for (const f of followers) if (logEndOffsets[f] === level) cluster.pauseFetching(f);
  }
  if (downBroker !== null) cluster.brokerDown(downBroker);
  return cluster;
}

function highWatermarkDrill(rng: Prng): Body {
  const rf = pick(rng, [3, 3, 4]);
  const replicas = shuffled(rng, Array.from({ length: rf }, (_, i) => i));
  const leader = replicas[0];
  const leaderLeo = between(rng, 6, 40);
  const logEndOffsets: Record<number, number> = { [leader]: leaderLeo };
  for (const f of replicas.slice(1)) logEndOffsets[f] = leaderLeo - between(rng, 0, 6);
  // sometimes a follower is down (out of the ISR) and is the furthest behind: the trap
  let downBroker: number | null = null;
  if (rng.nextInt(2) === 0) {
    downBroker = pick(rng, replicas.slice(1));
    const others = replicas.filter((b) => b !== downBroker).map((b) => logEndOffsets[b]);
    logEndOffsets[downBroker] = Math.max(1, Math.min(...others) - between(rng, 1, 5));
  }
  const cluster = clusterWithLogEndOffsets(replicas, logEndOffsets, downBroker);
  const snap = cluster.snapshot().partitions[0];
  const leo = (b: number) => snap.replicaStates.find((s) => s.broker === b)!.logEndOffset;
  const rows = [...replicas]
    .sort((a, b) => a - b)
    .map((b) => {
      const role = b === snap.leader ? 'leader' : 'follower';
      const status = !snap.isr.includes(b) ? ', not in the ISR (its broker is down)' : ', in the ISR';
      return `- broker ${b} (${role}): logEndOffset ${leo(b)}${status}`;
    });
  const prompt = [
    `Partition t0p0 has replicas ${formatList(replicas)}. Every follower has fetched and reported its position, so the leader knows each logEndOffset:`,
    rows.join('\n'),
    'What is the high watermark of t0p0 on the leader?',
  ].join('\n\n');
  const isrLeos = snap.isr.map((b) => `${leo(b)} (broker ${b})`);
  const lines = [
    `- ISR = ${formatList(snap.isr)}; the high watermark is the minimum logEndOffset over the ISR.`,
    `- min(${isrLeos.join(', ')}) = **${snap.highWatermark}**`,
  ];
  if (downBroker !== null) {
    lines.push(`- Broker ${downBroker} (logEndOffset ${leo(downBroker)}) left the ISR when it went down, so it no longer holds the high watermark back.`);
  }
  lines.push(
    snap.logEndOffset > snap.highWatermark
      ? `- Consumers read offsets below ${snap.highWatermark}; offsets ${snap.highWatermark}..${snap.logEndOffset - 1} are on the leader but not committed yet.`
      : '- Every record on the leader is committed: consumers can read them all.',
  );
  return {
    prompt,
    answer: { type: 'number', value: snap.highWatermark },
    explanation: lines.join('\n'),
    params: { kind: 'high-watermark', replicas, logEndOffsets, downBroker },
  };
}

// ---- replication: acks and min.insync.replicas ------------------------------------------------

/** The fixed choices of the acks drill, by the producer's view. */
export const ACKS_OUTCOMES = [
  'NONE',
  'NOT_ENOUGH_REPLICAS',
  'NOT_ENOUGH_REPLICAS_AFTER_APPEND',
  'no response',
] as const;
export type AcksOutcome = (typeof ACKS_OUTCOMES)[number];

const ACKS_LABELS: Record<AcksOutcome, string> = {
  NONE: '`NONE`: acknowledged',
  NOT_ENOUGH_REPLICAS: '`NOT_ENOUGH_REPLICAS`: rejected',
  NOT_ENOUGH_REPLICAS_AFTER_APPEND: '`NOT_ENOUGH_REPLICAS_AFTER_APPEND`: an error after the write',
  'no response': 'no response at all',
};

/**
 * Play the acks scenario on a cluster.
 * @returns the producer's outcome, whether the leader appended the record, and the ISR at the request
 */
export function playAcksScenario(p: Extract<DrillParams, { kind: 'acks-outcome' }>): {
  outcome: AcksOutcome;
  appended: boolean;
  isrAtRequest: number[];
  isrAtEnd: number[];
} {
  const cluster = singlePartitionCluster(p.replicas, { minInsyncReplicas: p.minInsyncReplicas });
  for (const b of p.downBefore) cluster.brokerDown(b);
  const isrAtRequest = [...cluster.partition(TP0).isr];
  const events: ClusterEvent[] = [];
  const { requestId, events: produced } = cluster.produce(TP0, records(1, 0), { acks: p.acks });
  events.push(...produced);
  const answered = () => events.some((e) => e.type === 'produce-response' && e.requestId === requestId);
  if (!answered()) for (const b of p.crashWhileWaiting) events.push(...cluster.brokerDown(b));
  // followers fetch (copy), then fetch again (the leader learns their position and moves the HW)
  for (let i = 0; i < 2 && !answered(); i++) events.push(...cluster.fetchRound(TP0));
  const response = events.find((e) => e.type === 'produce-response' && e.requestId === requestId);
  const appended = events.some((e) => e.type === 'append' && e.requestId === requestId);
  let outcome: AcksOutcome;
  if (!response) {
    if (p.acks !== 0) throw new Error(`acks=${p.acks} request ${requestId} got no response after two fetch rounds`);
    outcome = 'no response';
  } else {
    const error = (response as { error: string }).error;
    if (!(ACKS_OUTCOMES as readonly string[]).includes(error)) throw new Error(`Unexpected produce error ${error}`);
    outcome = error as AcksOutcome;
  }
  return { outcome, appended, isrAtRequest, isrAtEnd: [...cluster.partition(TP0).isr] };
}

function acksOutcomeDrill(rng: Prng): Body {
  const replicas = [0, 1, 2];
  const acks = pick(rng, [0, 1, 'all', 'all', 'all'] as const);
  const minInsyncReplicas = pick(rng, [1, 2, 2, 3]);
  let downBefore: number[] = [];
  let crashWhileWaiting: number[] = [];
  if (acks === 'all' && rng.nextInt(3) === 0) {
    crashWhileWaiting = shuffled(rng, [1, 2]).slice(0, between(rng, 1, 2)).sort();
  } else {
    downBefore = shuffled(rng, [1, 2]).slice(0, between(rng, 0, 2)).sort();
  }
  const params: Extract<DrillParams, { kind: 'acks-outcome' }> = { kind: 'acks-outcome', acks, minInsyncReplicas, replicas, downBefore, crashWhileWaiting };
  const played = playAcksScenario(params);

  const setup = [
    `Topic \`t0\` has one partition with replicas ${formatList(replicas)} (leader 0) and \`min.insync.replicas=${minInsyncReplicas}\`.`,
    downBefore.length
      ? `Broker${downBefore.length > 1 ? 's' : ''} ${downBefore.join(' and ')} ${downBefore.length > 1 ? 'are' : 'is'} down, so the ISR is ${formatList(played.isrAtRequest)}.`
      : `All brokers are up and the ISR is ${formatList(played.isrAtRequest)}.`,
    `A producer with \`acks=${acks}\` sends one record to t0p0.`,
  ];
  if (crashWhileWaiting.length) {
    const both = crashWhileWaiting.length > 1;
    setup.push(
      `While the request waits for the followers, broker${both ? 's' : ''} ${crashWhileWaiting.join(' and ')} crash${both ? '' : 'es'} before fetching the record${both ? '' : '; the other follower keeps fetching'}.`,
    );
  }
  const prompt = `${setup.join(' ')}\n\nWhat does the producer get back?`;

  const isr = played.isrAtRequest.length;
  const lines: string[] = [];
  if (acks === 0) lines.push('- acks=0: the leader appends and never answers; the producer counts the record as sent as soon as it is on the wire.');
  else if (acks === 1) lines.push('- acks=1: the leader answers as soon as it has appended; min.insync.replicas is not checked for acks=1.');
  else {
    lines.push(`- acks=all: before appending, the leader checks ISR size ${isr} ≥ min.insync.replicas ${minInsyncReplicas}: ${isr >= minInsyncReplicas ? 'yes, it appends and waits for the ISR' : 'no, it rejects the request'}.`);
    if (crashWhileWaiting.length && played.appended) {
      lines.push(`- The crash shrinks the ISR to ${formatList(played.isrAtEnd)}; once every ISR member has the record the high watermark passes it and the leader checks again: ${played.isrAtEnd.length} ${played.isrAtEnd.length >= minInsyncReplicas ? '≥' : '<'} ${minInsyncReplicas}.`);
    }
  }
  lines.push(`- The record ${played.appended ? 'is in the leader\'s log' : 'was not written'}; the producer gets **${played.outcome}**.`);
  if (played.outcome === 'NOT_ENOUGH_REPLICAS_AFTER_APPEND') lines.push('- The producer retries, so the record may end up in the log twice (unless the producer is idempotent).');
  return {
    prompt,
    answer: { type: 'choice', index: ACKS_OUTCOMES.indexOf(played.outcome) },
    choices: ACKS_OUTCOMES.map((o) => ACKS_LABELS[o]),
    explanation: lines.join('\n'),
    params,
  };
}

// ---- consumers: lag ---------------------------------------------------------------------------

/** Build the partitions and the group of a lag question and run the engine's groupLag. */
export function playLagScenario(p: Extract<DrillParams, { kind: 'consumer-lag' }>): ReturnType<typeof groupLag> & {
  logEndOffsets: number[];
} {
  const cluster = new Cluster({ brokers: [0, 1] });
  cluster.createTopic({ name: 't0', partitions: p.partitions.length, replicationFactor: 2, replicaAssignment: Object.fromEntries(p.partitions.map((_, i) => [i, [0, 1]])) });
  p.partitions.forEach((part, i) => {
    const tp = { topic: 't0', partition: i };
    if (part.replicated > 0) cluster.produce(tp, records(part.replicated, 0), { acks: 1 });
    cluster.fetchRound(tp); // the follower copies the records
    cluster.fetchRound(tp); // … and reports its position: highWatermark = replicated
    // records after that reach only the leader (no more fetches of this partition): past the HW
    if (part.unreplicated > 0) cluster.produce(tp, records(part.unreplicated, part.replicated), { acks: 1 });
  });
  const group = new GroupCoordinator({ groupId: 'g1', partitionsPerTopic: () => ({ t0: p.partitions.length }) });
  const error = group.commitOffsets(0, null, p.partitions.map((part, i) => ({ tp: { topic: 't0', partition: i }, offset: part.committed })));
  if (error !== 'NONE') throw new Error(`Commit failed: ${error}`);
  const all = p.partitions.map((_, i) => ({ topic: 't0', partition: i }));
  const lag = groupLag(group, all, (tp) => partitionLogView(cluster.partition(tp).leaderReplica()!.log));
  return { ...lag, logEndOffsets: all.map((tp) => cluster.partition(tp).leaderReplica()!.log.logEndOffset) };
}

function consumerLagDrill(rng: Prng): Body {
  const count = between(rng, 1, 2);
  const partitions = Array.from({ length: count }, () => {
    const replicated = between(rng, 5, 60);
    const unreplicated = pick(rng, [0, between(rng, 1, 9)]);
    const committed = replicated - between(rng, 0, Math.min(replicated, 15));
    return { replicated, unreplicated, committed };
  });
  const phraseAsLastProcessed = partitions.every((x) => x.committed >= 1) && rng.nextInt(2) === 0;
  const params: Extract<DrillParams, { kind: 'consumer-lag' }> = { kind: 'consumer-lag', partitions, phraseAsLastProcessed };
  const lag = playLagScenario(params);
  const rows = lag.partitions.map((r, i) => {
    const progress = phraseAsLastProcessed
      ? `the group processed up to offset ${r.committed! - 1} and committed after it`
      : `committed offset ${r.committed}`;
    return `- ${formatTp(r.tp)}: logEndOffset ${lag.logEndOffsets[i]}, highWatermark ${r.highWatermark}, ${progress}`;
  });
  const question = count === 1 ? 'What lag does `kafka-consumer-groups --describe` report for group g1?' : 'What total lag does `kafka-consumer-groups --describe` report for group g1 (summed over both partitions)?';
  const prompt = [`Consumer group g1 reads topic \`t0\` (${plural(count, 'partition')}):`, rows.join('\n'), question].join('\n\n');
  const lines = lag.partitions.map(
    (r, i) =>
      `- ${formatTp(r.tp)}: lag = highWatermark − committed = ${r.highWatermark} − ${r.committed} = ${r.lag}${lag.logEndOffsets[i] > r.highWatermark ? ` (not logEndOffset ${lag.logEndOffsets[i]}: a consumer cannot read past the high watermark)` : ''}`,
  );
  if (phraseAsLastProcessed) lines.push('- The committed offset is the *next* offset to read: last processed offset + 1.');
  lines.push("- The tool's LOG-END-OFFSET column is the end a consumer can read to, the high watermark, not the leader's logEndOffset.");
  lines.push(count === 1 ? `- Lag: **${lag.total}**` : `- Total: ${lag.partitions.map((r) => r.lag).join(' + ')} = **${lag.total}**`);
  return {
    prompt,
    answer: { type: 'number', value: lag.total },
    explanation: lines.join('\n'),
    params,
  };
}

// =============================================================================================
// Checking

/** The expected answer as text: the number, the choice label, or the labels joined with ", " ("none"). */
export function formatDrillAnswer(q: DrillQuestion): string {
  const a = q.answer;
  switch (a.type) {
    case 'number':
      return String(a.value);
    case 'choice':
      return q.choices![a.index];
    case 'choices':
      return a.indices.length ? a.indices.map((i) => q.choices![i]).join(', ') : 'none of them';
  }
}

/**
 * Check the learner's answer.
 * @param q a generated question
 * @param input numeric answers: a number or its text (whole numbers; spaces ignored); a choice: its
 *   0-based index or its exact label; a set: the 0-based indices, in any order, duplicates ignored
 * @returns the verdict with the expected answer and the explanation; unreadable input is not
 *   correct and carries `problem` (e.g. `Expected a whole number, got "abc"`)
 */
export function checkDrillAnswer(q: DrillQuestion, input: DrillInput): DrillCheck {
  const base = { expected: formatDrillAnswer(q), explanation: q.explanation };
  const fail = (problem: string): DrillCheck => ({ correct: false, ...base, problem });
  const a = q.answer;
  switch (a.type) {
    case 'number': {
      let value: number;
      if (typeof input === 'number') value = input;
      else if (typeof input === 'string' && /^\s*-?\d+\s*$/.test(input)) value = Number(input.trim());
      else return fail(`Expected a whole number, got ${JSON.stringify(input)}`);
      if (!Number.isInteger(value)) return fail(`Expected a whole number, got ${value}`);
      return { correct: value === a.value, ...base };
    }
    case 'choice': {
      const choices = q.choices!;
      let index: number;
      if (typeof input === 'number') index = input;
      else if (typeof input === 'string') index = choices.indexOf(input);
      else return fail(`Expected one choice, got ${input.length} indices`);
      if (!Number.isInteger(index) || index < 0 || index >= choices.length) {
        return fail(`Expected a choice index in [0, ${choices.length}) or a choice label, got ${JSON.stringify(input)}`);
      }
      return { correct: index === a.index, ...base };
    }
    case 'choices': {
      const choices = q.choices!;
      if (typeof input === 'number' || typeof input === 'string') return fail(`Expected a list of choice indices, got ${JSON.stringify(input)}`);
      const bad = input.find((i) => !Number.isInteger(i) || i < 0 || i >= choices.length);
      if (bad !== undefined) return fail(`Expected choice indices in [0, ${choices.length}), got ${bad}`);
      const picked = [...new Set(input)].sort((x, y) => x - y);
      const correct = picked.length === a.indices.length && picked.every((i, k) => i === a.indices[k]);
      return { correct, ...base };
    }
  }
}
