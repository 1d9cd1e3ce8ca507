/**
 * Checkpoint `range-assignor`: implement Kafka's RangeAssignor (the classic rule, no racks):
 * per topic, its subscribers in Kafka's member order each get floor(n/c) consecutive partitions,
 * and the first n % c get one more.
 *
 * Every expected value comes from the engine (`RangeAssignor.assign`, called without rack metadata and with
 * subscriptions that carry no `rackId`, so it runs the classic rule), never typed by hand. The named examples
 * are the input shapes of Kafka's own RangeAssignorTest (apache/kafka
 * clients/src/test/java/org/apache/kafka/clients/consumer/RangeAssignorTest.java), in the lesson's notation.
 *
 * When an answer is wrong, `explainAssignment` names the rule broken, computed from the learner's actual output:
 *   t0p1 is assigned to both C0 and C1: within a group each partition has exactly one owner
 *   member order: C10 sorts before C2 by UTF-16 code unit (Kafka compares strings with compareTo), not numerically
 */
import * as fc from 'fast-check';
import { compareStrings, formatTp, formatTpList, plural, pluralWord, RangeAssignor, sortMembers } from '../../engine/index.ts';
import type { Assignment, Subscription, TopicPartition } from '../../engine/index.ts';
import { defineExercise, renderValue, type ExampleTest, type Plain, type PropertyTest } from '../../grader/index.ts';

/** The learner's input: subscriptions carry only what the classic rule reads. */
export type GroupSubscription = Pick<Subscription, 'topics' | 'groupInstanceId'>;
export type Args = [partitionsPerTopic: Record<string, number>, subscriptions: Record<string, GroupSubscription>];

/** The engine's answer: Kafka's RangeAssignor, classic rule (no rack metadata is passed). */
export function kafkaRange(partitionsPerTopic: Record<string, number>, subscriptions: Record<string, GroupSubscription>): Assignment {
  return RangeAssignor.assign(partitionsPerTopic, subscriptions);
}

// ---------------------------------------------------------------------------------------------
// Notation: C0, t0p1, `C0: [t0p0, t0p1]  C1: [t0p2]`.

const hasOwn = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

/** A memberId, topic or groupInstanceId as shown: bare when plain ASCII, else quoted with \u escapes. */
export function formatName(name: string): string {
  if (/^[\x21-\x7e]+$/.test(name) && !/["\\]/.test(name)) return name;
  return quoted(name);
}

/** `"caf\u00e9-1"`: printable ASCII as is, everything else as \uXXXX (so "é" and "e\u0301" look different). */
export function quoted(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    const ch = s[i];
    out += code >= 0x20 && code <= 0x7e && ch !== '"' && ch !== '\\' ? ch : `\\u${code.toString(16).padStart(4, '0')}`;
  }
  return `${out}"`;
}

/** formatTp over the topic as formatName writes it (a learner's odd topic name stays readable) */
const tpName = (tp: TopicPartition) => formatTp({ topic: formatName(tp.topic), partition: tp.partition });
const tpList = (tps: readonly TopicPartition[]) => formatTpList(tps, tpName);

function isTopicPartition(v: unknown): v is TopicPartition {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const tp = v as Record<string, unknown>;
  return typeof tp.topic === 'string' && typeof tp.partition === 'number' && Number.isInteger(tp.partition);
}

/**
 * The counterexample, compactly, in the lesson's notation (topics and members in the order given):
 *   t0: 3 partitions, t1: 2
 *   C0 → [t0, t1]
 *   C1 (static "i-1") → [t0, t5 (no such topic)]
 */
export function formatArgs([partitionsPerTopic, subscriptions]: Args): string {
  const topics = Object.keys(partitionsPerTopic);
  const first =
    topics.length === 0
      ? 'no topics (partitionsPerTopic is {})'
      : topics
          .map((t, i) => `${formatName(t)}: ${i === 0 ? plural(partitionsPerTopic[t], 'partition') : partitionsPerTopic[t]}`)
          .join(', ');
  const lines = [first];
  for (const m of Object.keys(subscriptions)) {
    const s = subscriptions[m];
    const id = s.groupInstanceId;
    const staticPart = id != null ? ` (static ${quoted(id)})` : '';
    const subscribed = s.topics.map((t) => (hasOwn(partitionsPerTopic, t) ? formatName(t) : `${formatName(t)} (no such topic)`));
    lines.push(`${formatName(m)}${staticPart} → [${subscribed.join(', ')}]`);
  }
  return lines.join('\n');
}

/**
 * An assignment as `C0: [t0p0, t0p1]  C1: [t0p2]  C2: []`, members by UTF-16 code unit, so expected and
 * actual line up. Returns undefined for a value that is not an object of arrays (the grader then shows it
 * with its own type-aware rendering); odd elements inside a list are rendered as they are.
 */
export function formatAssignment(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Uint8Array) return undefined;
  const record = value as Record<string, unknown>;
  const members = Object.keys(record).sort(compareStrings);
  if (members.length === 0) return '{} (no members)';
  if (!members.every((m) => Array.isArray(record[m]))) return undefined;
  const parts: string[] = [];
  let length = 0;
  for (const m of members) {
    const list = record[m] as unknown[];
    const shown = list.slice(0, 100).map((el) => (isTopicPartition(el) ? tpName(el) : renderValue(el, 60)));
    const part = `${formatName(m)}: [${shown.join(', ')}${list.length > shown.length ? `, … ${list.length - shown.length} more` : ''}]`;
    parts.push(part);
    length += part.length + 2;
    if (length > 2000) break;
  }
  return parts.join('  ');
}

// ---------------------------------------------------------------------------------------------
// What a wrong assignment means, in Kafka terms, computed from the learner's actual output.

/** Why Kafka puts member `a` before member `b` (a comes first in Kafka's order). */
export function orderReason(a: string, b: string, subscriptions: Record<string, GroupSubscription>): string {
  const ia = subscriptions[a].groupInstanceId ?? null;
  const ib = subscriptions[b].groupInstanceId ?? null;
  if (ia !== null && ib === null) {
    return `${formatName(a)} is static (groupInstanceId ${quoted(ia)}) and ${formatName(b)} is dynamic: Kafka sorts static members first`;
  }
  if (ia !== null && ib !== null) {
    return `static members sort by groupInstanceId${compareStrings(a, b) > 0 ? ' (not memberId)' : ''}: ${formatName(a)} (${quoted(ia)}) comes before ${formatName(b)} (${quoted(ib)})${codeUnitDetail(ia, ib)}`;
  }
  return `${formatName(a)} sorts before ${formatName(b)}${codeUnitDetail(a, b)}`;
}

/** ` by UTF-16 code unit …`, naming the trap: numbers compared as text, case, or one code unit against another. */
function codeUnitDetail(a: string, b: string): string {
  const na = /^(.*?)(\d+)$/.exec(a);
  const nb = /^(.*?)(\d+)$/.exec(b);
  if (na && nb && na[1] === nb[1] && Number(na[2]) > Number(nb[2])) {
    return ' by UTF-16 code unit (Kafka compares strings with compareTo), not numerically';
  }
  // only spell out the code units when the usual ways to compare text disagree with them
  const nfc = (x: string) => x.normalize('NFC');
  if (
    a.localeCompare(b) <= 0 &&
    a.localeCompare(b, undefined, { numeric: true }) <= 0 &&
    nfc(a) <= nfc(b) &&
    a.toLowerCase() <= b.toLowerCase()
  ) {
    return ' (by UTF-16 code unit, as Kafka compares strings with compareTo)';
  }
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (i >= a.length || i >= b.length) return ' by UTF-16 code unit (a prefix sorts first; Kafka compares strings with compareTo)';
  const ca = a.charCodeAt(i);
  const cb = b.charCodeAt(i);
  const show = (code: number) =>
    `${code >= 0x21 && code <= 0x7e ? `'${String.fromCharCode(code)}' ` : ''}0x${code.toString(16).padStart(4, '0')}`;
  const caseNote =
    /[A-Z]/.test(String.fromCharCode(ca)) && /[a-z]/.test(String.fromCharCode(cb)) ? ', so uppercase comes before lowercase' : '';
  return ` by UTF-16 code unit: at index ${i}, ${show(ca)} < ${show(cb)}${caseNote} (Kafka compares strings with compareTo, not localeCompare)`;
}

/** Partition numbers of one topic with `n` partitions, by range's rule, for subscribers in `order`. */
function rangesInOrder(order: readonly string[], n: number): Map<string, number[]> {
  const q = Math.floor(n / order.length);
  const r = n % order.length;
  return new Map(
    order.map((m, i) => {
      const start = i * q + Math.min(i, r);
      return [m, Array.from({ length: q + (i < r ? 1 : 0) }, (_, k) => start + k)];
    }),
  );
}

/**
 * Member orders a learner plausibly uses instead of Kafka's, each different from `kafkaOrder`: the order
 * of the subscriptions object (not sorted), memberId only (static members not first), numbers inside the
 * ids compared as numbers, and localeCompare (with and without the numeric option).
 */
function plausibleOrders(kafkaOrder: readonly string[], subscriptions: Record<string, GroupSubscription>): string[][] {
  const instance = (m: string) => subscriptions[m].groupInstanceId ?? null;
  const staticFirst = (cmp: (x: string, y: string) => number) => (a: string, b: string) => {
    const ia = instance(a);
    const ib = instance(b);
    if (ia !== null && ib !== null) return cmp(ia, ib) || cmp(a, b);
    if (ia !== null || ib !== null) return ia !== null ? -1 : 1;
    return cmp(a, b);
  };
  const numeric = (x: string, y: string) => {
    const nx = /\d+/.exec(x);
    const ny = /\d+/.exec(y);
    return (nx && ny ? Number(nx[0]) - Number(ny[0]) : 0) || compareStrings(x, y);
  };
  const locale = (x: string, y: string) => x.localeCompare(y);
  const natural = (x: string, y: string) => x.localeCompare(y, undefined, { numeric: true });
  const inGivenOrder = Object.keys(subscriptions).filter((m) => kafkaOrder.includes(m));
  const candidates = [
    inGivenOrder,
    [...kafkaOrder].sort(compareStrings),
    [...kafkaOrder].sort(staticFirst(numeric)),
    [...kafkaOrder].sort(numeric),
    [...kafkaOrder].sort(staticFirst(locale)),
    [...kafkaOrder].sort(staticFirst(natural)),
  ];
  return candidates.filter((o) => o.some((m, i) => m !== kafkaOrder[i]));
}

/**
 * One line on the rule the learner's assignment breaks, computed from `actual`; undefined when it equals
 * Kafka's. Checks, in order: shape and membership, existence and subscription, one owner per partition,
 * coverage, per-topic counts (floor(n/c), the first n % c one more), member order, list order.
 */
export function explainAssignment(actual: unknown, [partitionsPerTopic, subscriptions]: Args): string | undefined {
  const expected = kafkaRange(partitionsPerTopic, subscriptions);
  const members = sortMembers(subscriptions);
  if (actual === null || typeof actual !== 'object' || Array.isArray(actual) || actual instanceof Uint8Array) {
    return 'assign() returns an object: memberId → array of { topic, partition }, with one key per member';
  }
  const result = actual as Record<string, unknown>;

  // 1. one key per member, each an array of TopicPartitions
  for (const m of members) {
    if (!hasOwn(result, m)) return `${formatName(m)} is missing from the result: every member appears, with [] when it gets no partitions`;
  }
  for (const k of Object.keys(result)) {
    if (!hasOwn(subscriptions, k))
      return `${formatName(k)} is not a member of the group: the result has one key per member of subscriptions`;
  }
  for (const m of members) {
    const list = result[m];
    if (!Array.isArray(list))
      return `${formatName(m)} maps to ${renderValue(list, 60)}; each member maps to an array of { topic, partition }`;
    const odd = list.find((el) => !isTopicPartition(el));
    if (odd !== undefined) {
      return `${formatName(m)}'s list holds ${renderValue(odd, 60)}; each element is { topic, partition }, e.g. { topic: "t0", partition: 1 } for t0p1`;
    }
  }
  const lists = result as Record<string, TopicPartition[]>;

  // 2. every partition exists and belongs to a topic its owner subscribes to
  for (const m of members) {
    const subscribed = new Set(subscriptions[m].topics);
    for (const tp of lists[m]) {
      const t = formatName(tp.topic);
      if (!hasOwn(partitionsPerTopic, tp.topic)) {
        return `${tpName(tp)} is assigned to ${formatName(m)}, but topic ${t} does not exist (it is not in partitionsPerTopic): a subscribed topic that does not exist gets no partitions`;
      }
      const n = partitionsPerTopic[tp.topic];
      if (tp.partition < 0 || tp.partition >= n) {
        return `${tpName(tp)} is assigned to ${formatName(m)}, but ${t} has ${plural(n, 'partition')}${n > 0 ? ` (${formatTp({ topic: t, partition: 0 })}..${formatTp({ topic: t, partition: n - 1 })})` : ''}`;
      }
      if (!subscribed.has(tp.topic)) {
        return `${tpName(tp)} is assigned to ${formatName(m)}, which does not subscribe to ${t}: only a topic's subscribers share its partitions`;
      }
    }
  }

  // 3. one owner per partition
  const owner = new Map<string, string>();
  for (const m of members) {
    for (const tp of lists[m]) {
      const key = `${tp.topic}\u0000${tp.partition}`;
      const other = owner.get(key);
      if (other === m) return `${tpName(tp)} appears twice in ${formatName(m)}'s list: each partition is assigned once`;
      if (other !== undefined) {
        return `${tpName(tp)} is assigned to both ${formatName(other)} and ${formatName(m)}: within a group each partition has exactly one owner`;
      }
      owner.set(key, m);
    }
  }

  // 4. every partition of a subscribed, existing topic has an owner
  const topics = Object.keys(partitionsPerTopic).sort(compareStrings);
  const subscribersOf = (t: string) => members.filter((m) => subscriptions[m].topics.includes(t));
  for (const t of topics) {
    if (subscribersOf(t).length === 0) continue;
    for (let p = 0; p < partitionsPerTopic[t]; p++) {
      if (!owner.has(`${t}\u0000${p}`)) {
        return `${tpName({ topic: t, partition: p })} is not assigned to anyone: every partition of a subscribed topic goes to one of its subscribers`;
      }
    }
  }

  // 5. per topic: the counts, then who gets the blocks (member order)
  for (const t of topics) {
    const consumers = subscribersOf(t);
    const n = partitionsPerTopic[t];
    const c = consumers.length;
    if (c === 0 || n === 0) continue;
    const got = new Map(consumers.map((m) => [m, lists[m].filter((tp) => tp.topic === t).map((tp) => tp.partition)]));
    const want = new Map(consumers.map((m) => [m, expected[m].filter((tp) => tp.topic === t).map((tp) => tp.partition)]));
    const same = consumers.every((m) => [...got.get(m)!].sort((x, y) => x - y).join() === want.get(m)!.join());
    if (same) continue;

    const q = Math.floor(n / c);
    const r = n % c;
    const rule = `range gives each of the ${c} subscribers of ${formatName(t)} floor(${n}/${c}) = ${q} and the first ${n} % ${c} = ${r} in member order one more`;
    const bySize = [...consumers].sort((a, b) => got.get(b)!.length - got.get(a)!.length);
    const hi = bySize[0];
    const lo = bySize[bySize.length - 1];
    if (got.get(hi)!.length - got.get(lo)!.length > 1) {
      return `${formatName(hi)} got ${plural(got.get(hi)!.length, 'partition')} of ${formatName(t)} and ${formatName(lo)} got ${got.get(lo)!.length}: ${rule}`;
    }
    // member order: the learner's ranges are exactly range's under another order of the same members
    for (const order of plausibleOrders(consumers, subscriptions)) {
      const ranges = rangesInOrder(order, n);
      if (consumers.every((m) => [...got.get(m)!].sort((x, y) => x - y).join() === ranges.get(m)!.join())) {
        const i = order.findIndex((m, k) => m !== consumers[k]);
        const a = consumers[i];
        return `member order: ${orderReason(a, order[i], subscriptions)}; so ${formatName(a)} takes its range of ${formatName(t)} first: ${tpList(expected[a].filter((tp) => tp.topic === t))}`;
      }
    }
    // member order: two members with blocks that Kafka orders a before b, but the learner b before a
    const first = (m: string) => Math.min(...got.get(m)!);
    for (let i = 0; i < c; i++) {
      for (let j = i + 1; j < c; j++) {
        const a = consumers[i];
        const b = consumers[j];
        const kafkaGivesA = expected[a].some((tp) => tp.topic === t);
        if (kafkaGivesA && got.get(a)!.length > 0 && got.get(b)!.length > 0 && first(b) < first(a)) {
          return `member order: ${orderReason(a, b, subscriptions)}; so ${formatName(a)} takes its range of ${formatName(t)} first: ${tpList(expected[a].filter((tp) => tp.topic === t))}`;
        }
      }
    }
    // the blocks are in Kafka's order, but the n % c extra partitions went to other members
    const extras = consumers.filter((m) => got.get(m)!.length > q);
    const firstR = consumers.slice(0, r);
    if (r > 0 && extras.length === r && extras.some((m) => !firstR.includes(m))) {
      if (extras.every((m) => consumers.indexOf(m) >= c - r)) {
        return `${formatName(t)} has ${plural(n, 'partition')} and ${c} subscribers: each gets ${q}, and the first ${r} in member order (${firstR.map(formatName).join(', ')}) ${pluralWord(r, 'gets', 'get')} one more, not the last (${extras.map(formatName).join(', ')})`;
      }
      const a = firstR.find((m) => !extras.includes(m))!;
      const b = extras.find((m) => !firstR.includes(m))!;
      return `member order: ${orderReason(a, b, subscriptions)}; so ${formatName(a)} is among the first ${r} that get an extra partition of ${formatName(t)}, not ${formatName(b)}`;
    }
    const m = consumers.find((x) => [...got.get(x)!].sort((p1, p2) => p1 - p2).join() !== want.get(x)!.join())!;
    return `${formatName(m)} gets ${tpList(expected[m].filter((tp) => tp.topic === t))} of ${formatName(t)} (one contiguous range), got ${tpList(lists[m].filter((tp) => tp.topic === t))}: ${rule}`;
  }

  // 6. the same partitions, listed in another order
  for (const m of members) {
    const got = lists[m].map(tpName).join(', ');
    const want = expected[m].map(tpName).join(', ');
    if (got !== want) {
      return `${formatName(m)}'s partitions are listed as [${got}]; list them by topic (UTF-16 code unit order), then by partition: [${want}]`;
    }
  }
  return undefined;
}

const explain = (actual: unknown, _expected: unknown, args: Plain[]) => explainAssignment(actual, args as unknown as Args);

// ---------------------------------------------------------------------------------------------
// Named examples: the input shapes of Kafka's RangeAssignorTest, and the traps of the instructions.

const dyn = (...topics: string[]): GroupSubscription => ({ topics });
const stat = (groupInstanceId: string, ...topics: string[]): GroupSubscription => ({ topics, groupInstanceId });

function example(
  id: string,
  title: string,
  partitionsPerTopic: Record<string, number>,
  subscriptions: Record<string, GroupSubscription>,
  hidden = false,
): ExampleTest {
  return {
    kind: 'example',
    id,
    title,
    hidden,
    fn: 'assign',
    args: [partitionsPerTopic, subscriptions] as unknown as Plain[],
    expected: kafkaRange(partitionsPerTopic, subscriptions) as unknown as Plain,
    explain,
    formatResult: formatAssignment,
  };
}

const members = (count: number, ...topics: string[]) =>
  Object.fromEntries(Array.from({ length: count }, (_, i) => [`C${i}`, dyn(...topics)]));

const exampleTests: ExampleTest[] = [
  example('one-consumer-no-topic', 'one consumer, no topic: C0 still appears, with []', {}, { C0: dyn() }),
  example('one-consumer-nonexistent-topic', 'one consumer subscribed to t0, which does not exist', {}, { C0: dyn('t0') }),
  example('one-consumer-one-topic', 'one consumer, one topic, three partitions', { t0: 3 }, { C0: dyn('t0') }),
  example('only-subscribed-topics', "one consumer, two topics, subscribed to t0 only: t1 is nobody's", { t0: 3, t1: 3 }, { C0: dyn('t0') }),
  example('one-consumer-two-topics', 'one consumer, two topics with one and two partitions', { t0: 1, t1: 2 }, { C0: dyn('t0', 't1') }),
  example('two-consumers-one-topic-one-partition', 'two consumers, one topic, one partition: C1 gets nothing', { t0: 1 }, members(2, 't0')),
  example('two-consumers-one-topic-two-partitions', 'two consumers, one topic, two partitions', { t0: 2 }, members(2, 't0')),
  example(
    'two-consumers-one-topic-three-partitions',
    'two consumers, one topic, three partitions: the extra one goes to the first member',
    { t0: 3 },
    members(2, 't0'),
  ),
  example(
    'three-consumers-one-topic-seven-partitions',
    'three consumers, one topic, seven partitions: 3, 2, 2',
    { t0: 7 },
    members(3, 't0'),
  ),
  example(
    'two-consumers-two-topics-imbalance-adds-up',
    'two consumers, two topics, three partitions each: C0 gets the extra partition of both (4 against 2)',
    { t0: 3, t1: 3 },
    members(2, 't0', 't1'),
  ),
  example(
    'only-subscribers-get-a-topic',
    "three consumers, t0 (3 partitions) for all, t1 (2) for C1 only: only a subscriber gets a topic's partitions",
    { t0: 3, t1: 2 },
    { C0: dyn('t0'), C1: dyn('t0', 't1'), C2: dyn('t0') },
  ),
  example(
    'four-consumers-one-topic-two-partitions',
    'four consumers, one topic, two partitions: more members than partitions, C2 and C3 get nothing',
    { t0: 2 },
    members(4, 't0'),
  ),
  example(
    'static-member-before-dynamic',
    'one dynamic (C0) and one static member (C1, "i-1"), two topics, three partitions each: the static one comes first',
    { t0: 3, t1: 3 },
    { C0: { topics: ['t0', 't1'], groupInstanceId: null }, C1: stat('i-1', 't0', 't1') },
  ),
  example(
    'two-static-members-by-group-instance-id',
    'two static members, C0 ("i-1") and C1 ("i-0"), two topics, three partitions each: ordered by groupInstanceId, not memberId',
    { t0: 3, t1: 3 },
    { C0: stat('i-1', 't0', 't1'), C1: stat('i-0', 't0', 't1') },
  ),
  example(
    'three-static-one-dynamic',
    'three static members (C1–C3) and one dynamic (C0), t0 (5 partitions), t1 (4): the dynamic C0 goes last',
    { t0: 5, t1: 4 },
    { C0: dyn('t0', 't1'), C1: stat('i-1', 't0', 't1'), C2: stat('i-2', 't0', 't1'), C3: stat('i-3', 't0', 't1') },
  ),
  example(
    'eleven-consumers-c10-before-c2',
    'eleven consumers C0–C10, one topic, 13 partitions: C10 sorts before C2 (UTF-16 code units, not numbers)',
    { t0: 13 },
    members(11, 't0'),
  ),
  example(
    'memberids-uppercase-before-lowercase',
    'memberIds "consumer-a" and "consumer-B", one topic, two partitions: uppercase B (0x42) sorts before lowercase a (0x61)',
    { t0: 2 },
    { 'consumer-a': dyn('t0'), 'consumer-B': dyn('t0') },
  ),
  example(
    'memberids-utf16-code-units',
    'memberIds "caf\\u00e9-1" and "cafe\\u0301-2" (é as one code unit, and e + a combining accent), one topic, two partitions: e (0x65) < é (0xe9), so "cafe\\u0301-2" comes first',
    { t0: 2 },
    { 'caf\u00e9-1': dyn('t0'), 'cafe\u0301-2': dyn('t0') },
  ),
  example(
    'subscription-lists-t1-first',
    'two consumers subscribed to [t1, t0], partitionsPerTopic listing t1 first: each list still goes by topic, then partition',
    { t1: 2, t0: 3 },
    { C1: dyn('t1', 't0'), C0: dyn('t1', 't0') },
  ),
  example(
    'static-instance-ids-by-code-unit',
    'static members C0 ("i-2") and C1 ("i-10"), one topic, three partitions: "i-10" sorts before "i-2"',
    { t0: 3 },
    { C0: stat('i-2', 't0'), C1: stat('i-10', 't0') },
    true,
  ),
  example(
    'memberids-surrogate-pairs',
    'memberIds "\\uff21-consumer" (fullwidth A, one code unit 0xff21) and "\\ud83e\\udd8a-consumer" (🦊, the surrogate pair 0xd83e 0xdd8a), one topic, three partitions: 0xd83e < 0xff21, so the fox comes first',
    { t0: 3 },
    { '\uff21-consumer': dyn('t0'), '\ud83e\udd8a-consumer': dyn('t0') },
    true,
  ),
  example(
    'topic-with-zero-partitions',
    'two consumers, t0 with 0 partitions and t1 with 3',
    { t0: 0, t1: 3 },
    members(2, 't0', 't1'),
    true,
  ),
  example(
    'mixed-group-twelve-members',
    'twelve members, some static, three topics, mixed subscriptions',
    { t0: 17, t1: 5, t2: 40 },
    {
      C7: dyn('t0', 't2'),
      C11: stat('i-3', 't1', 't2'),
      C0: dyn('t0'),
      C10: dyn('t0', 't1', 't2'),
      C3: stat('i-11', 't0'),
      C5: dyn('t2'),
      C1: dyn(),
      C9: stat('i-20', 't0', 't1'),
      C2: dyn('t0', 't1', 't2', 't3'),
      C4: dyn('t1'),
      C6: dyn('t2', 't0'),
      C8: stat('i-1', 't2'),
    },
    true,
  ),
];

// ---------------------------------------------------------------------------------------------
// Generated groups, members C0…, topics t0…; the engine is the oracle.

export interface GroupOptions {
  minMembers?: number;
  maxMembers?: number;
  maxPartitions?: number;
  /** chance weight of a static member, against 3 for a dynamic one */
  staticWeight?: number;
}

const MAX_TOPICS = 5;

/**
 * Random groups in the lesson's notation: 1–5 topics t0… with 0–maxPartitions partitions (now and then a
 * subscribed topic that does not exist), 1–12 members C0… with random subscriptions (or all the same),
 * some static (groupInstanceId "i-<0..15>", unique), dynamic ones with groupInstanceId absent or null.
 * Members, topics and each subscription's topics are inserted in shuffled order, so Object.keys order is
 * never the answer. exercise.spec.ts samples it and checks that each kind of group shows up.
 */
export function groupArbitrary(options: GroupOptions = {}): fc.Arbitrary<Args> {
  const { minMembers = 1, maxMembers = 12, maxPartitions = 40, staticWeight = 1 } = options;
  const member = fc.record({
    topics: fc.array(fc.boolean(), { minLength: MAX_TOPICS, maxLength: MAX_TOPICS }),
    rotate: fc.nat(MAX_TOPICS - 1),
    instance: fc.oneof({ arbitrary: fc.constant(null), weight: 3 }, { arbitrary: fc.nat(15), weight: staticWeight }),
    explicitNull: fc.boolean(),
    order: fc.nat(99),
  });
  return fc
    .record({
      partitions: fc.array(
        fc.oneof({ arbitrary: fc.integer({ min: 0, max: maxPartitions }), weight: 9 }, { arbitrary: fc.constant(null), weight: 1 }),
        { minLength: 1, maxLength: MAX_TOPICS },
      ),
      members: fc.array(member, { minLength: minMembers, maxLength: maxMembers }),
      everyoneEverything: fc.nat(3),
      topicOrder: fc.array(fc.nat(99), { minLength: MAX_TOPICS, maxLength: MAX_TOPICS }),
    })
    .map(({ partitions, members: shape, everyoneEverything, topicOrder }): Args => {
      const topicIndexes = partitions.map((_, i) => i);
      const partitionsPerTopic: Record<string, number> = {};
      for (const i of [...topicIndexes].sort((a, b) => topicOrder[a] - topicOrder[b] || a - b)) {
        const n = partitions[i];
        if (n !== null) partitionsPerTopic[`t${i}`] = n; // null: subscribed to, but the topic does not exist
      }
      const used = new Set<string>();
      const entries = shape.map((m, i): [string, GroupSubscription, number] => {
        const chosen = topicIndexes.filter((j) => everyoneEverything === 0 || m.topics[j]).map((j) => `t${j}`);
        const k = chosen.length ? m.rotate % chosen.length : 0;
        const topics = [...chosen.slice(k), ...chosen.slice(0, k)];
        const sub: GroupSubscription = { topics };
        const instance = m.instance === null ? null : `i-${m.instance}`;
        if (instance !== null && !used.has(instance)) {
          used.add(instance);
          sub.groupInstanceId = instance;
        } else if (m.explicitNull) {
          sub.groupInstanceId = null;
        }
        return [`C${i}`, sub, m.order];
      });
      entries.sort((a, b) => a[2] - b[2]);
      return [partitionsPerTopic, Object.fromEntries(entries.map(([id, sub]) => [id, sub]))];
    });
}

function property(id: string, title: string, arbitrary: fc.Arbitrary<Args>, numRuns: number, hidden: boolean): PropertyTest<Args> {
  return {
    kind: 'property',
    id,
    title,
    hidden,
    fn: 'assign',
    arbitrary: arbitrary as unknown as fc.Arbitrary<Args>,
    numRuns,
    expected: (partitionsPerTopic, subscriptions) => kafkaRange(partitionsPerTopic, subscriptions) as unknown as Plain,
    formatArgs,
    explain: (actual, _expected, args) => explainAssignment(actual, args),
    formatResult: formatAssignment,
  };
}

const propertyTests: PropertyTest<Args>[] = [
  property(
    'matches-kafka-generated-groups',
    'generated groups (1–12 members C0…, 1–5 topics t0… with 0–40 partitions, random subscriptions, some static members): same assignment as Kafka',
    groupArbitrary(),
    200,
    false,
  ),
  property(
    'matches-kafka-more-members-than-partitions',
    'generated groups with 4–12 members and 0–6 partitions per topic: same assignment as Kafka',
    groupArbitrary({ minMembers: 4, maxPartitions: 6 }),
    150,
    true,
  ),
  property(
    'matches-kafka-mostly-static-groups',
    'generated groups where most members are static: same assignment as Kafka',
    groupArbitrary({ staticWeight: 9 }),
    150,
    true,
  ),
];

export default defineExercise({
  id: 'range-assignor',
  title: 'Range assignor',
  lesson: '02-consumer-groups-and-assignors',
  exports: ['assign'],
  objectives: [
    "Compute the assignment Kafka's RangeAssignor gives a consumer group: per topic, its subscribers in member order each get floor(n/c) consecutive partitions, and the first n % c get one more.",
    "Order members as Kafka does: static members first by groupInstanceId, then dynamic members by memberId, comparing strings by UTF-16 code unit (Java's compareTo), not localeCompare or numbers.",
    "Explain why range's imbalance adds up across topics when the same members subscribe to several, and why members beyond the partition count sit idle.",
    'Handle the edges of a real group: members with no partitions, unsubscribed topics, and subscribed topics that do not exist.',
  ],
  hints: [
    'Work **topic by topic**. For each topic in `partitionsPerTopic`, collect the members whose `topics` include it; a topic nobody subscribes to is skipped, and a subscribed topic that is not in `partitionsPerTopic` simply has no partitions to hand out.',
    'Start the result with **every** member mapped to `[]`, so members that end up with nothing are still there.',
    'Sort the members once, before the loop, with a comparator: a member with a `groupInstanceId` (not `null`, not absent) comes before one without; two static members compare their `groupInstanceId`s; two dynamic members compare their memberIds.',
    'Compare strings with `<` and `>` (`a < b ? -1 : a > b ? 1 : 0`). That is UTF-16 code-unit order, like Java\'s `compareTo`: `"C10" < "C2"` and `"B" < "a"`. Not `localeCompare`, and not by the number inside the name.',
    'For a topic with `n` partitions and `c` subscribers: `quota = Math.floor(n / c)`, `extra = n % c`. The member at position `i` gets `quota + (i < extra ? 1 : 0)` partitions, starting at `i * quota + Math.min(i, extra)`. With c > n, quota is 0 and the last c − n members get nothing.',
    "Go through the topics in sorted order (`Object.keys(partitionsPerTopic).sort()` — the default sort also compares code units) and push partitions in increasing order, so each member's list comes out sorted by topic, then partition: `C0: [t0p0, t0p1, t1p0, t1p1]`.",
  ],
  mistakes: [
    {
      file: 'mistakes/locale-compare.ts',
      description: 'memberIds sorted with localeCompare instead of by UTF-16 code unit',
      caughtBy: 'memberids-utf16-code-units',
    },
    {
      file: 'mistakes/numeric-member-order.ts',
      description: 'members sorted by the number in their id (C2 before C10)',
      caughtBy: 'eleven-consumers-c10-before-c2',
    },
    {
      file: 'mistakes/extra-to-last-members.ts',
      description: 'the n % c extra partitions go to the last members instead of the first',
      caughtBy: 'two-consumers-one-topic-three-partitions',
    },
    {
      file: 'mistakes/ignore-subscriptions.ts',
      description: 'every topic split among all members, whether they subscribe to it or not',
      caughtBy: 'only-subscribers-get-a-topic',
    },
    {
      file: 'mistakes/static-not-first.ts',
      description: 'members sorted by memberId only: static members are not put first by groupInstanceId',
      caughtBy: 'static-member-before-dynamic',
    },
    {
      file: 'mistakes/omit-empty-members.ts',
      description: 'members that get no partitions are left out of the result',
      caughtBy: 'one-consumer-no-topic',
    },
    {
      file: 'mistakes/at-least-one-each.ts',
      description: 'every member gets at least one partition, wrapping around when there are more members than partitions (duplicates)',
      caughtBy: 'four-consumers-one-topic-two-partitions',
    },
    {
      file: 'mistakes/topics-in-subscription-order.ts',
      description: "partitions listed in the order of the member's subscription, not by topic then partition",
      caughtBy: 'subscription-lists-t1-first',
    },
  ],
  tests: [...exampleTests, ...propertyTests],
});
