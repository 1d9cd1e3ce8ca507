/**
 * Assignor drills: who gets which partitions under range and round-robin, and how many consumers
 * sit idle; the working traces each assignor's rule in the lesson notation.
 *
 * Source: Kafka's RangeAssignor, RoundRobinAssignor.
 */
import type { Prng } from '../common/prng.ts';
import { RangeAssignor } from '../assignors/range.ts';
import { RoundRobinAssignor } from '../assignors/round-robin.ts';
import type { Assignment, ConsumerPartitionAssignor, Subscription } from '../assignors/assignor.ts';
import { formatTp, formatTpList, plural, pluralWord } from '../common/notation.ts';
import type { TopicPartition } from '../common/record.ts';
import type { DrillBody } from './drill-types.ts';
import { between, members, pick } from './drill-helpers.ts';

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
    const subs = Object.keys(group.subscriptions)
      .filter((m) => group.subscriptions[m].topics.includes(topic))
      .sort();
    const c = subs.length;
    const each = Math.floor(n / c);
    const extra = n % c;
    const got = subs.map((m) => `${m}: ${formatTpList(assignment[m].filter((tp) => tp.topic === topic))}`);
    lines.push(
      `- \`${topic}\`: ${plural(n, 'partition')}, ${plural(c, 'subscriber')} → ${each} each${extra ? `, first ${extra} ${pluralWord(extra, 'gets', 'get')} +1` : ''} → ${got.join('; ')}`,
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
    for (let p = 0; p < n; p++) dealt.push(`${formatTp({ topic, partition: p })}→${owner.get(formatTp({ topic, partition: p }))}`);
  }
  return [`- Dealt in order, skipping members not subscribed to the topic: ${dealt.join(', ')}`];
}

export function assignmentDrill(rng: Prng, kind: 'range-assignment' | 'round-robin-assignment'): DrillBody {
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

export function idleConsumersDrill(rng: Prng): DrillBody {
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
  const lines = [...working, `- Idle (no partitions): ${idle.length ? idle.join(', ') : 'none'} → **${idle.length}**`];
  if (assignorName === 'range' && topics.length === 2 && idle.length > Math.max(0, c - total)) {
    lines.push(
      `- Range works topic by topic, so the same first members take every topic's partitions: ${total} partitions in all, yet ${plural(idle.length, 'consumer')} idle.`,
    );
  }
  const topicText = topics.map((t) => `\`${t}\` (${plural(partitionsPerTopic[t], 'partition')})`).join(' and ');
  return {
    prompt: `A group of ${plural(c, 'consumer')} (${members(c).join(', ')}) subscribes to ${topicText} with the \`${assignorName}\` assignor.\n\nHow many consumers get no partition at all?`,
    answer: { type: 'number', value: idle.length },
    explanation: lines.join('\n'),
    params: { kind: 'idle-consumers', assignor: assignorName, partitionsPerTopic, subscriptions },
  };
}
