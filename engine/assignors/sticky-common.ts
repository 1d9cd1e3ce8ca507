/**
 * What both paths of the sticky assignor share: partitions as dense integer ids (PartitionSpace),
 * members' and partitions' racks (KIP-881), members ordered by assigned count (Kafka's
 * sortedCurrentSubscriptions) and the record of partition movements that keeps stickiness honest.
 *
 * Source: AbstractStickyAssignor (RackInfo, PartitionMovements), KIP-881.
 */
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

export function rackInfo(space: PartitionSpace, members: string[], subscriptions: Record<string, Subscription>, metadata?: AssignorMetadata): RackInfo {
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
  constructor(capacity: number, private readonly sizeOf: (m: number) => number) {
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

/** Kafka's PartitionMovements: who moved what, so a partition can be swapped back instead of cycling. */
export class PartitionMovements {
  private readonly byTopic = new Map<number, Map<string, Set<number>>>();
  private readonly movements = new Map<number, { src: number; dst: number }>();
  constructor(private readonly space: PartitionSpace) {}

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
    const forTopic = this.byTopic.get(t) ?? new Map<string, Set<number>>();
    this.byTopic.set(t, forTopic);
    const key = `${pair.src},${pair.dst}`;
    const set = forTopic.get(key) ?? new Set<number>();
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
    return reverse.values().next().value!;
  }
}
