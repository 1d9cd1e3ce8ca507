/**
 * What both paths of the sticky assignor share: partitions as dense integer ids (PartitionSpace),
 * members' and partitions' racks (KIP-881), members ordered by assigned count (Kafka's
 * sortedCurrentSubscriptions) and the record of partition movements that keeps stickiness honest.
 *
 * Source: AbstractStickyAssignor (RackInfo, PartitionMovements), KIP-881.
 */
import { javaStringHash } from './assignor.ts';
import type { AssignorMetadata, Subscription } from './assignor.ts';
import { useRackAwareAssignment } from './range.ts';
import type { TopicPartition } from '../common/record.ts';

/** Partitions of the subscribed, existing topics, numbered 0..total-1 topic by topic (topics by name). */
export interface PartitionSpace {
  topics: string[];
  topicIndex: Map<string, number>;
  base: number[];
  counts: number[];
  total: number;
  topicOf: Int32Array;
}

export function partitionSpace(counts: Map<string, number>): PartitionSpace {
  const topics = [...counts.keys()]; // already sorted by name
  const base: number[] = [];
  const cs: number[] = [];
  let total = 0;
  for (const t of topics) {
    base.push(total);
    cs.push(counts.get(t)!);
    total += counts.get(t)!;
  }
  const topicOf = new Int32Array(total);
  topics.forEach((_, i) => topicOf.fill(i, base[i], base[i] + cs[i]));
  return { topics, topicIndex: new Map(topics.map((t, i) => [t, i])), base, counts: cs, total, topicOf };
}

export function idOf(space: PartitionSpace, tp: TopicPartition): number {
  const t = space.topicIndex.get(tp.topic);
  if (t === undefined || !Number.isInteger(tp.partition) || tp.partition < 0 || tp.partition >= space.counts[t]) return -1;
  return space.base[t] + tp.partition;
}

export function toTp(space: PartitionSpace, id: number): TopicPartition {
  const t = space.topicOf[id];
  return { topic: space.topics[t], partition: id - space.base[t] };
}

/**
 * Racks of members and of partition replicas (Kafka's AbstractStickyAssignor.RackInfo).
 * `consumerRack[m]` is set only when rack-aware assignment is on.
 */
export interface RackInfo {
  enabled: boolean;
  consumerRack: (string | null)[];
  partitionRacks: Set<string>[];
  /** per partition: how many members sit on a rack holding a replica (null: no member has a rack) */
  numConsumersByPartition: Int32Array | null;
}

export function rackInfo(
  space: PartitionSpace,
  members: string[],
  subscriptions: Record<string, Subscription>,
  metadata?: AssignorMetadata,
): RackInfo {
  const rackOf = members.map((m) => {
    const r = subscriptions[m].rackId;
    return r != null && r !== '' ? r : null;
  });
  const consumersByRack = new Map<string, number>();
  for (const r of rackOf) if (r !== null) consumersByRack.set(r, (consumersByRack.get(r) ?? 0) + 1);
  const off: RackInfo = { enabled: false, consumerRack: members.map(() => null), partitionRacks: [], numConsumersByPartition: null };
  if (consumersByRack.size === 0) return off;
  const partitionRacks: Set<string>[] = [];
  const allPartitionRacks = new Set<string>();
  for (let id = 0; id < space.total; id++) {
    const t = space.topicOf[id];
    const racks = new Set((metadata?.partitionRacks?.[space.topics[t]]?.[id - space.base[t]] ?? []).filter((r) => r != null));
    partitionRacks.push(racks);
    for (const r of racks) allPartitionRacks.add(r);
  }
  const numConsumersByPartition = new Int32Array(space.total);
  partitionRacks.forEach((racks, id) => {
    let n = 0;
    for (const r of racks) n += consumersByRack.get(r) ?? 0;
    numConsumersByPartition[id] = n;
  });
  const enabled = useRackAwareAssignment(new Set(consumersByRack.keys()), allPartitionRacks, partitionRacks);
  return {
    enabled,
    consumerRack: enabled ? rackOf : off.consumerRack,
    partitionRacks: enabled ? partitionRacks : [],
    numConsumersByPartition,
  };
}

/** the member has a rack and no replica of the partition is on it */
export function racksMismatch(info: RackInfo, m: number, id: number): boolean {
  const rack = info.consumerRack[m];
  return rack !== null && !(info.partitionRacks[id]?.has(rack) ?? false);
}

/** the first member (from firstIndex, wrapping) on a rack holding a replica of the partition, or -1 */
export function nextRackConsumer(info: RackInfo, id: number, list: number[], firstIndex: number): number {
  const racks = info.partitionRacks[id];
  if (!racks || racks.size === 0) return -1;
  for (let i = 0; i < list.length; i++) {
    const index = (firstIndex + i) % list.length;
    const rack = info.consumerRack[list[index]];
    if (rack !== null && racks.has(rack)) return index;
  }
  return -1;
}

export function removeValue(list: number[], v: number): void {
  const i = list.indexOf(v);
  if (i >= 0) list.splice(i, 1);
}

/** Members ordered by (assigned count, memberId): Kafka's sortedCurrentSubscriptions (a TreeSet). */
export class MembersBySize {
  private readonly order: Int32Array;
  private readonly present: Uint8Array;
  private n = 0;
  constructor(
    capacity: number,
    private readonly sizeOf: (m: number) => number,
  ) {
    this.order = new Int32Array(capacity);
    this.present = new Uint8Array(capacity);
  }
  get length(): number {
    return this.n;
  }
  at(i: number): number {
    return this.order[i];
  }
  first(): number {
    return this.order[0];
  }
  last(): number {
    return this.order[this.n - 1];
  }
  has(m: number): boolean {
    return this.present[m] === 1;
  }
  private lowerBound(m: number): number {
    const s = this.sizeOf(m);
    let lo = 0;
    let hi = this.n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const o = this.order[mid];
      const c = this.sizeOf(o) - s || o - m;
      if (c < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
  add(m: number): void {
    if (this.present[m]) return;
    const i = this.lowerBound(m);
    this.order.copyWithin(i + 1, i, this.n);
    this.order[i] = m;
    this.n++;
    this.present[m] = 1;
  }
  /** remove, using the size the member had when it was added */
  remove(m: number): void {
    if (!this.present[m]) return;
    let i = this.lowerBound(m);
    if (this.order[i] !== m) i = this.order.subarray(0, this.n).indexOf(m); // size changed while inside: find it
    this.order.copyWithin(i, i + 1, this.n);
    this.n--;
    this.present[m] = 0;
  }
}

/**
 * Java's `TopicPartition#hashCode`: `31 * (31 + partition) + topic.hashCode()`, in 32-bit int.
 * Example: t0p0 → 31·31 + "t0".hashCode() = 961 + 3644 = 4605.
 * Source: org.apache.kafka.common.TopicPartition#hashCode.
 */
export function javaTopicPartitionHash(topic: string, partition: number): number {
  return (Math.imul(31, 31 + partition) + javaStringHash(topic)) | 0;
}

/**
 * A set of partition ids that knows which element a `java.util.HashSet<TopicPartition>` would
 * iterate first (Kafka takes `set.iterator().next()` when it undoes an earlier move).
 *
 * The rule (java.util.HashMap): the table starts with 16 buckets and doubles when it holds more than
 * 0.75 × buckets, or when one bucket would hold a 9th entry while the table is smaller than 64; it
 * never shrinks. An entry sits in bucket `(h ^ (h >>> 16)) & (buckets − 1)`; iteration goes bucket
 * by bucket and, within a bucket, in insertion order (a resize splits a bucket keeping that order).
 *
 * Example: t0p0 (hash 4605, bucket 13) and t0p1 (hash 4636, bucket 12) inserted in that order:
 * a HashSet iterates t0p1 first.
 *
 * Note: a bucket of 9+ entries in a table of 64+ buckets becomes a tree in Java, which iterates
 * differently; that needs 9 partitions of one topic in one bucket of one movement set and is not modelled.
 */
export class JavaHashSetOrder {
  private buckets = 16;
  private seq = 0;
  /** id → [spread hash, insertion sequence] */
  private readonly entries = new Map<number, [number, number]>();
  constructor(private readonly hashOf: (id: number) => number) {}

  get size(): number {
    return this.entries.size;
  }

  has(id: number): boolean {
    return this.entries.has(id);
  }

  add(id: number): void {
    if (this.entries.has(id)) return;
    const h = this.hashOf(id);
    const spread = h ^ (h >>> 16);
    this.entries.set(id, [spread, this.seq++]);
    let inBucket = 0;
    const b = spread & (this.buckets - 1);
    for (const [s] of this.entries.values()) if ((s & (this.buckets - 1)) === b) inBucket++;
    if (inBucket >= 9 && this.buckets < 64) this.buckets *= 2; // treeifyBin on a small table resizes instead
    if (this.entries.size > this.buckets * 0.75) this.buckets *= 2;
  }

  delete(id: number): void {
    this.entries.delete(id);
  }

  /** the element `iterator().next()` returns */
  first(): number {
    let best = -1;
    let bestBucket = Infinity;
    let bestSeq = Infinity;
    for (const [id, [spread, seq]] of this.entries) {
      const b = spread & (this.buckets - 1);
      if (b < bestBucket || (b === bestBucket && seq < bestSeq)) {
        best = id;
        bestBucket = b;
        bestSeq = seq;
      }
    }
    return best;
  }

  /** the state that decides future iteration order, as text (for the balancing loop's repeat check) */
  signature(): string {
    return `${this.buckets}:${[...this.entries.keys()].join(',')}`; // a Map iterates in insertion order
  }
}

/**
 * Kafka's PartitionMovements: who moved what, so a partition can be swapped back instead of cycling.
 * The partitions that moved between one pair of members are a HashSet<TopicPartition> in Kafka;
 * which one an "undo" picks follows Java's iteration order (JavaHashSetOrder).
 */
export class PartitionMovements {
  private readonly byTopic = new Map<number, Map<string, JavaHashSetOrder>>();
  private readonly movements = new Map<number, { src: number; dst: number }>();
  private readonly hashOf: (id: number) => number;
  constructor(private readonly space: PartitionSpace) {
    this.hashOf = (id) => {
      const t = space.topicOf[id];
      return javaTopicPartitionHash(space.topics[t], id - space.base[t]);
    };
  }

  private removeRecord(p: number): { src: number; dst: number } {
    const pair = this.movements.get(p)!;
    this.movements.delete(p);
    const t = this.space.topicOf[p];
    const forTopic = this.byTopic.get(t)!;
    const key = `${pair.src},${pair.dst}`;
    forTopic.get(key)!.delete(p);
    if (forTopic.get(key)!.size === 0) forTopic.delete(key);
    if (forTopic.size === 0) this.byTopic.delete(t);
    return pair;
  }

  private addRecord(p: number, pair: { src: number; dst: number }): void {
    this.movements.set(p, pair);
    const t = this.space.topicOf[p];
    const forTopic = this.byTopic.get(t) ?? new Map<string, JavaHashSetOrder>();
    this.byTopic.set(t, forTopic);
    const key = `${pair.src},${pair.dst}`;
    const set = forTopic.get(key) ?? new JavaHashSetOrder(this.hashOf);
    forTopic.set(key, set);
    set.add(p);
  }

  movePartition(p: number, oldConsumer: number, newConsumer: number): void {
    if (this.movements.has(p)) {
      const existing = this.removeRecord(p);
      if (existing.src !== newConsumer) this.addRecord(p, { src: existing.src, dst: newConsumer }); // not moving back home
    } else {
      this.addRecord(p, { src: oldConsumer, dst: newConsumer });
    }
  }

  /** If some partition of the same topic moved newConsumer → oldConsumer, move that one back instead. */
  actualPartitionToMove(p: number, oldConsumer: number, newConsumer: number): number {
    const forTopic = this.byTopic.get(this.space.topicOf[p]);
    if (!forTopic) return p;
    if (this.movements.has(p)) oldConsumer = this.movements.get(p)!.src;
    const reverse = forTopic.get(`${newConsumer},${oldConsumer}`);
    if (!reverse) return p;
    return reverse.first();
  }

  /** everything that decides future moves, as text (for the balancing loop's repeat check) */
  signature(): string {
    const parts: string[] = [];
    for (const [t, forTopic] of [...this.byTopic].sort((a, b) => a[0] - b[0])) {
      for (const [key, set] of [...forTopic].sort((a, b) => (a[0] < b[0] ? -1 : 1))) parts.push(`${t}/${key}/${set.signature()}`);
    }
    return parts.join(';');
  }
}
