/**
 * The course's notation, in one place: how the engine's narration, the drills, the exercises'
 * explanations and the site write partitions, lists, assignments and counts, so a counterexample
 * reads exactly like the lesson.
 *
 * - a partition: `t0p1` ({@link formatTp}) in lessons; Kafka's `TopicPartition.toString()`,
 *   `orders-3` ({@link tpKey}), as a map key and for topics not named like `t0`
 *   ({@link partitionLabel} picks);
 * - a list: `[t0p0, t0p1]` ({@link formatTpList}, {@link formatList});
 * - an assignment: `C0: [t0p0, t0p1]  C1: [t0p2]` ({@link formatAssignment});
 * - a count: `1 partition`, `3 partitions` ({@link plural}); the word alone, agreeing with a count
 *   ({@link pluralWord}: `was` / `were`).
 *
 * Example: formatAssignment({ C0: [t0p0, t0p1], C1: [t0p2] }) → "C0: [t0p0, t0p1]  C1: [t0p2]".
 *
 * Source: org.apache.kafka.common.TopicPartition#toString (`topic-partition`).
 */
import type { TopicPartition } from './record.ts';

/**
 * The map key for a TopicPartition, as Kafka's `TopicPartition.toString()`: `${topic}-${partition}`.
 * Unambiguous because the partition (digits) follows the last dash: topic "a-1", partition 2 → "a-1-2".
 * @param tp the TopicPartition
 * @returns e.g. "orders-3"
 */
export function tpKey(tp: TopicPartition): string {
  return `${tp.topic}-${tp.partition}`;
}

/**
 * Parse a {@link tpKey} back into a TopicPartition.
 * @param key a string produced by tpKey, e.g. "orders-3"
 * @throws Error when the key has no "-<digits>" suffix, e.g. "orders"
 */
export function parseTpKey(key: string): TopicPartition {
  const dash = key.lastIndexOf('-');
  const digits = key.slice(dash + 1);
  if (dash < 0 || !/^\d+$/.test(digits)) {
    throw new Error(`Expected a TopicPartition key like "orders-3", got ${JSON.stringify(key)}`);
  }
  return { topic: key.slice(0, dash), partition: Number(digits) };
}

/**
 * The lesson notation for a TopicPartition: topic then `p` then the partition. Topic "t0",
 * partition 1 → "t0p1"; topic "orders", partition 3 → "ordersp3" (meant for short topic names).
 */
export function formatTp(tp: TopicPartition): string {
  return `${tp.topic}p${tp.partition}`;
}

/** Kafka's usual order for TopicPartitions: by topic (UTF-16 code units), then by partition. */
export function compareTp(a: TopicPartition, b: TopicPartition): number {
  if (a.topic !== b.topic) return a.topic < b.topic ? -1 : 1;
  return a.partition - b.partition;
}

/**
 * The lesson notation for a partition in narration: `t0p1` ({@link formatTp}) for topics named
 * like t0, else Kafka's `orders-1` ({@link tpKey}, TopicPartition.toString()), since formatTp would
 * give "ordersp1".
 */
export function partitionLabel(tp: TopicPartition): string {
  return /^t\d+$/.test(tp.topic) ? formatTp(tp) : tpKey(tp);
}

/** A bracketed list: [0, 1, 2] → "[0, 1, 2]"; [] → "[]". */
export function formatList(items: readonly (string | number)[]): string {
  return `[${items.join(', ')}]`;
}

/** Partitions as a list in the lesson notation: "[t0p0, t0p1]" (label: another notation, e.g. partitionLabel). */
export function formatTpList(tps: readonly TopicPartition[], label: (tp: TopicPartition) => string = formatTp): string {
  return formatList(tps.map(label));
}

/**
 * An assignment, member by member in the order given: "C0: [t0p0, t0p1]  C1: [t0p2]".
 * @param assignment member → partitions
 * @param options label (default formatTp) and the separator between members (default two spaces)
 */
export function formatAssignment(
  assignment: Readonly<Record<string, readonly TopicPartition[]>>,
  options: { label?: (tp: TopicPartition) => string; separator?: string } = {},
): string {
  return Object.entries(assignment)
    .map(([member, tps]) => `${member}: ${formatTpList(tps, options.label)}`)
    .join(options.separator ?? '  ');
}

/** A count with its noun: plural(1, 'partition') → "1 partition"; plural(3, 'partition') → "3 partitions". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${pluralWord(n, one, many)}`;
}

/** The word that agrees with a count, without the count: pluralWord(1, 'was', 'were') → "was"; pluralWord(2, 'record') → "records". */
export function pluralWord(n: number, one: string, many = `${one}s`): string {
  return n === 1 ? one : many;
}
