/**
 * Sticky: a balanced assignment that keeps as many previously owned partitions in place as it can.
 * Two goals, in order: (1) balance — counts differ by at most one, or no partition could move to a
 * member with 2+ fewer; (2) stickiness — move no more partitions than (1) needs.
 *
 * Phase 0 (claims). Each member reports ownedPartitions and the generationId it owned them in. The
 * highest generation's claim wins; two claims at the same generation are both dropped (the partition
 * is treated as unowned); partitions of deleted or unsubscribed topics are ignored.
 *
 * When every member subscribes to the same topics (the "constrained" path), with P partitions and
 * N members: minQuota = floor(P/N), maxQuota = ceil(P/N), and P % N members get maxQuota.
 *   1. Each member keeps its owned partitions, sorted by (partition, topic): all of them if fewer
 *      than minQuota; maxQuota of them while fewer than P % N members have been given maxQuota;
 *      otherwise minQuota. The rest are revoked.
 *   2. Unassigned partitions (by topic, partition) are dealt round robin to the members under
 *      minQuota (sorted by memberId), then one each to members at minQuota until P % N have maxQuota.
 * Otherwise (the "general" path):
 *   1. Keep each member's valid owned partitions.
 *   2. Give each unassigned partition (topics with fewest subscribers first) to the least-loaded
 *      member subscribed to it.
 *   3. While unbalanced, move partitions from a member to one with 2+ fewer, preferring to send a
 *      partition back to its previous-generation owner; keep the result only if balance improved.
 *
 * Example: t0 with 3 partitions. C0, C1 join: C0: [t0p0, t0p2]  C1: [t0p1]. Then C2 joins
 * (C0 owns [t0p0, t0p2], C1 owns [t0p1], generation 1): minQuota = maxQuota = 1, so C0 keeps t0p0,
 * revokes t0p2, C1 keeps t0p1, and t0p2 goes to C2 — one move, the fewest possible.
 *   C0: [t0p0]   C1: [t0p1]   C2: [t0p2]
 *
 * Rack-aware (KIP-881), used only when members set `rackId`, the metadata names replica racks, and
 * some partition is missing from some rack: owned partitions whose replicas are not on the member's
 * rack are given up, and new partitions go first to members on a rack holding a replica — always
 * within the balance quotas (balance first, racks second).
 *
 * Note: the sticky assignor runs the eager protocol (every member gives up everything before the
 * rebalance and gets its sticky share back after); see CooperativeStickyAssignor for the incremental
 * one. Kafka's StickyAssignor carries a member's previous assignment and generation in the
 * subscription's userData; here `ownedPartitions` + `generationId` play that role for both.
 * Deviation, for safety: where Kafka would hand a partition back to a previous-generation owner that
 * no longer subscribes to its topic, we skip that step (it would be an invalid assignment).
 * Rack-aware parts follow Kafka after KAFKA-15170 (an owned partition given up for rack alignment
 * counts as transferring; the rack round robin stops at the expected number of maxQuota members).
 * Where Kafka walks a java.util.HashMap of members (claims; who keeps maxQuota), we walk the members
 * in the order such a HashMap iterates them (javaHashMapOrder), so ties break as in the Java client.
 *
 * Source: org.apache.kafka.clients.consumer.internals.AbstractStickyAssignor (3.5+:
 * allSubscriptionsEqual, ConstrainedAssignmentBuilder, GeneralAssignmentBuilder, PartitionMovements),
 * org.apache.kafka.clients.consumer.StickyAssignor; KIP-54 (sticky), KIP-881 (racks), KAFKA-9987 and
 * KAFKA-12464 (constrained path), KAFKA-12984 (claims by generation), KAFKA-15106, KAFKA-15170.
 */
import {
  DEFAULT_GENERATION,
  compareStrings,
  javaHashMapOrder,
  sameSet,
  subscribedPartitionsPerTopic,
} from './assignor.ts';
import type { Assignment, AssignorMetadata, ConsumerPartitionAssignor, Subscription } from './assignor.ts';
import { useRackAwareAssignment } from './range.ts';
import { tpKey } from '../common/notation.ts';
import type { TopicPartition } from '../common/record.ts';

/** The full outcome of a sticky assignment, for the cooperative variant and for tests. */
export interface StickyAssignResult {
  assignment: Assignment;
  /**
   * partition (as `topic-partition`, Kafka's TopicPartition#toString) → the member it moves to, for
   * partitions another member owned (or several claimed) before this rebalance. Computed on the
   * constrained path only; `null` on the general path (Kafka's partitionsTransferringOwnership).
   */
  partitionsTransferringOwnership: Map<string, string> | null;
  /** the highest generationId among the subscriptions (DEFAULT_GENERATION when none) */
  maxGeneration: number;
  /** which algorithm ran */
  path: 'constrained' | 'general';
}

/** Partitions of the subscribed, existing topics, numbered 0..total-1 topic by topic (topics by name). */
interface PartitionSpace {
  topics: string[];
  topicIndex: Map<string, number>;
  base: number[];
  counts: number[];
  total: number;
  topicOf: Int32Array;
}

function partitionSpace(counts: Map<string, number>): PartitionSpace {
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

function idOf(space: PartitionSpace, tp: TopicPartition): number {
  const t = space.topicIndex.get(tp.topic);
  if (t === undefined || !Number.isInteger(tp.partition) || tp.partition < 0 || tp.partition >= space.counts[t]) return -1;
  return space.base[t] + tp.partition;
}

function toTp(space: PartitionSpace, id: number): TopicPartition {
  const t = space.topicOf[id];
  return { topic: space.topics[t], partition: id - space.base[t] };
}

/**
 * Racks of members and of partition replicas (Kafka's AbstractStickyAssignor.RackInfo).
 * `consumerRack[m]` is set only when rack-aware assignment is on.
 */
interface RackInfo {
  enabled: boolean;
  consumerRack: (string | null)[];
  partitionRacks: Set<string>[];
  /** per partition: how many members sit on a rack holding a replica (null: no member has a rack) */
  numConsumersByPartition: Int32Array | null;
}

function rackInfo(space: PartitionSpace, members: string[], subscriptions: Record<string, Subscription>, metadata?: AssignorMetadata): RackInfo {
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
function racksMismatch(info: RackInfo, m: number, id: number): boolean {
  const rack = info.consumerRack[m];
  return rack !== null && !(info.partitionRacks[id]?.has(rack) ?? false);
}

/** the first member (from firstIndex, wrapping) on a rack holding a replica of the partition, or -1 */
function nextRackConsumer(info: RackInfo, id: number, list: number[], firstIndex: number): number {
  const racks = info.partitionRacks[id];
  if (!racks || racks.size === 0) return -1;
  for (let i = 0; i < list.length; i++) {
    const index = (firstIndex + i) % list.length;
    const rack = info.consumerRack[list[index]];
    if (rack !== null && racks.has(rack)) return index;
  }
  return -1;
}

function removeValue(list: number[], v: number): void {
  const i = list.indexOf(v);
  if (i >= 0) list.splice(i, 1);
}

/**
 * Run Kafka's AbstractStickyAssignor on plain data.
 * @param partitionsPerTopic partition count per existing topic
 * @param subscriptions memberId → Subscription (ownedPartitions + generationId feed stickiness)
 * @returns the assignment plus what the cooperative variant needs
 */
export function stickyAssign(
  partitionsPerTopic: Record<string, number>,
  subscriptions: Record<string, Subscription>,
  metadata?: AssignorMetadata,
): StickyAssignResult {
  const counts = subscribedPartitionsPerTopic(partitionsPerTopic, subscriptions);
  const members = Object.keys(subscriptions).sort(compareStrings); // index = rank in memberId order
  if (members.length === 0) {
    return { assignment: {}, partitionsTransferringOwnership: new Map(), maxGeneration: DEFAULT_GENERATION, path: 'constrained' };
  }
  const space = partitionSpace(counts);
  const racks = rackInfo(space, members, subscriptions, metadata);

  // Phase 0: claims (Kafka's allSubscriptionsEqual): highest generation wins, same-generation ties dropped.
  const generation = members.map((m) => subscriptions[m].generationId ?? DEFAULT_GENERATION);
  const maxGeneration = Math.max(DEFAULT_GENERATION, ...generation);
  const firstTopics = new Set(subscriptions[members[0]].topics);
  const allEqual = members.every((m) => sameSet(new Set(subscriptions[m].topics), firstTopics));
  const owned: number[][] = members.map(() => []);
  const claimedBy = new Int32Array(space.total).fill(-1);
  const multipleOwners = new Set<number>();
  // Kafka walks the subscriptions HashMap; we walk the members in the same order (javaHashMapOrder)
  const memberIndex = new Map(members.map((m, i) => [m, i]));
  const hashOrder = javaHashMapOrder(members).map((m) => memberIndex.get(m)!);
  hashOrder.forEach((mi) => {
    for (const tp of subscriptions[members[mi]].ownedPartitions ?? []) {
      const id = idOf(space, tp);
      if (id < 0) continue; // deleted topic, unsubscribed-by-everyone topic, or no such partition
      const other = claimedBy[id];
      if (other < 0) {
        owned[mi].push(id);
        claimedBy[id] = mi;
      } else if (generation[mi] === generation[other]) {
        multipleOwners.add(id); // two claims in one generation: nobody keeps it
        removeValue(owned[other], id);
        claimedBy[id] = mi;
      } else if (generation[mi] > generation[other]) {
        owned[mi].push(id);
        removeValue(owned[other], id);
        claimedBy[id] = mi;
      } // else the other member's newer claim stands
    }
  });

  if (allEqual) {
    const { assignment, transferring } = constrainedAssign(space, members, hashOrder, owned, multipleOwners, racks);
    return {
      assignment: toAssignment(space, members, assignment),
      partitionsTransferringOwnership: new Map([...transferring].map(([id, m]) => [tpKey(toTp(space, id)), members[m]])),
      maxGeneration,
      path: 'constrained',
    };
  }
  const assignment = new GeneralAssignment(space, members, subscriptions, owned, maxGeneration, racks).build();
  return { assignment: toAssignment(space, members, assignment), partitionsTransferringOwnership: null, maxGeneration, path: 'general' };
}

function toAssignment(space: PartitionSpace, members: string[], lists: number[][]): Assignment {
  const out: Assignment = {};
  members.forEach((m, i) => {
    out[m] = lists[i].map((id) => toTp(space, id));
  });
  return out;
}

/**
 * The constrained path (all subscriptions equal). Kafka's ConstrainedAssignmentBuilder.
 * @returns member index → partition ids, and partition id → new member index for moved partitions
 */
function constrainedAssign(
  space: PartitionSpace,
  members: string[],
  hashOrder: number[],
  owned: number[][],
  multipleOwners: Set<number>,
  racks: RackInfo,
): { assignment: number[][]; transferring: Map<number, number> } {
  const n = members.length;
  const total = space.total;
  // 7 partitions, 3 members → minQuota 2, maxQuota 3, and 7 % 3 = 1 member gets maxQuota
  const minQuota = Math.floor(total / n);
  const maxQuota = Math.ceil(total / n);
  const expectedNumMembersWithOverMinQuota = total % n;
  let currentNumMembersWithOverMinQuota = 0;
  const assignment: number[][] = members.map(() => []);
  const assigned = new Uint8Array(total);
  const revoked = new Uint8Array(total);
  const transferring = new Map<number, number>();
  const underMinQuota: number[] = [];
  let exactlyMinQuota: number[] = [];
  const partitionOf = (id: number) => id - space.base[space.topicOf[id]];

  // 1. Reassign previously owned partitions, up to the expected number per member (in HashMap order:
  //    when more members own maxQuota than may keep it, the first ones walked keep it).
  for (const m of hashOrder) {
    for (const id of owned[m]) if (racksMismatch(racks, m, id)) revoked[id] = 1; // given up for rack alignment
    const mine = owned[m]
      .filter((id) => !multipleOwners.has(id) && !racksMismatch(racks, m, id))
      .sort((a, b) => partitionOf(a) - partitionOf(b) || space.topicOf[a] - space.topicOf[b]);
    let keep: number;
    if (mine.length < minQuota) {
      keep = mine.length;
      underMinQuota.push(m);
    } else if (mine.length >= maxQuota && currentNumMembersWithOverMinQuota < expectedNumMembersWithOverMinQuota) {
      keep = maxQuota;
      currentNumMembersWithOverMinQuota++;
      if (currentNumMembersWithOverMinQuota === expectedNumMembersWithOverMinQuota) exactlyMinQuota = [];
    } else {
      keep = minQuota;
      if (currentNumMembersWithOverMinQuota < expectedNumMembersWithOverMinQuota) exactlyMinQuota.push(m);
    }
    for (let i = 0; i < mine.length; i++) {
      if (i < keep) {
        assignment[m].push(mine[i]);
        assigned[mine[i]] = 1;
      } else revoked[mine[i]] = 1;
    }
  }

  let unassigned: number[] = [];
  for (let id = 0; id < total; id++) if (!assigned[id]) unassigned.push(id); // by topic, then partition
  underMinQuota.sort((a, b) => a - b); // member index order = memberId order
  exactlyMinQuota.sort((a, b) => a - b);
  const claimant = new Int32Array(total).fill(-1);
  owned.forEach((list, m) => list.forEach((id) => (claimant[id] = m)));
  const assignNew = (id: number, m: number) => {
    assignment[m].push(id);
    // moving from another member (or contested): the cooperative variant must wait for the revoke
    if ((revoked[id] || multipleOwners.has(id)) && claimant[id] !== m) transferring.set(id, m);
  };

  // 2. (rack-aware only) Round robin within racks: partitions with the fewest local members first,
  //    each to the next member under quota on a rack holding a replica.
  if (racks.numConsumersByPartition) {
    const n = racks.numConsumersByPartition;
    unassigned = unassigned.map((id, i) => [id, i]).sort((a, b) => n[a[0]] - n[b[0]] || a[1] - b[1]).map(([id]) => id);
  }
  if (racks.enabled) {
    let nextIndex = 0;
    const left: number[] = [];
    for (const id of unassigned) {
      let m = -1;
      let index = nextRackConsumer(racks, id, underMinQuota, nextIndex);
      if (index >= 0) {
        m = underMinQuota[index];
        const count = assignment[m].length + 1;
        if (count >= minQuota) {
          underMinQuota.splice(index, 1);
          if (count < maxQuota && currentNumMembersWithOverMinQuota < expectedNumMembersWithOverMinQuota) exactlyMinQuota.push(m);
        } else index++;
        nextIndex = underMinQuota.length === 0 ? 0 : index % underMinQuota.length;
      } else if (exactlyMinQuota.length > 0) {
        const first = nextRackConsumer(racks, id, exactlyMinQuota, 0);
        if (first >= 0) {
          m = exactlyMinQuota[first];
          if (assignment[m].length + 1 === maxQuota) {
            exactlyMinQuota.splice(first, 1);
            currentNumMembersWithOverMinQuota++;
            if (currentNumMembersWithOverMinQuota === expectedNumMembersWithOverMinQuota) exactlyMinQuota = [];
          }
        }
      }
      if (m >= 0) assignNew(id, m);
      else left.push(id);
    }
    unassigned = left;
  }

  // 3. Round robin over members under minQuota, then one more each to members at minQuota.
  let exactlyHead = 0;
  let next = 0; // the iterator over underMinQuota
  for (const id of unassigned) {
    let m: number;
    let fromUnder: boolean;
    if (next < underMinQuota.length) {
      m = underMinQuota[next++];
      fromUnder = true;
    } else if (underMinQuota.length === 0 && exactlyHead >= exactlyMinQuota.length) {
      throw new Error('Sticky assignor: no more unfilled members to take the remaining partitions (an assignor bug)');
    } else if (underMinQuota.length === 0) {
      m = exactlyMinQuota[exactlyHead++];
      fromUnder = false;
    } else {
      next = 0;
      m = underMinQuota[next++];
      fromUnder = true;
    }
    assignNew(id, m);
    const count = assignment[m].length;
    if (count === minQuota) {
      if (fromUnder) underMinQuota.splice(--next, 1);
      exactlyMinQuota.push(m);
    } else if (count === maxQuota) {
      currentNumMembersWithOverMinQuota++;
    }
  }

  // 4. Every member must have reached its quota.
  if (underMinQuota.length > 0) {
    if (currentNumMembersWithOverMinQuota !== expectedNumMembersWithOverMinQuota) {
      throw new Error('Sticky assignor: too few members reached maxQuota and no partitions are left (an assignor bug)');
    }
    for (const m of underMinQuota) {
      if (assignment[m].length !== minQuota) {
        throw new Error(`Sticky assignor: ${members[m]} did not reach minQuota and no partitions are left (an assignor bug)`);
      }
    }
  }
  return { assignment, transferring };
}

/** Members ordered by (assigned count, memberId): Kafka's sortedCurrentSubscriptions (a TreeSet). */
class MembersBySize {
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
class PartitionMovements {
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

/** The general path (subscriptions differ). Kafka's GeneralAssignmentBuilder. */
class GeneralAssignment {
  private readonly n: number;
  private readonly current: number[][];
  private readonly owner: Int32Array;
  private readonly topicSets: Set<number>[];
  private readonly consumerTopics: number[][];
  private readonly topicConsumers: number[][];
  private readonly maxAssignmentSize: number[];
  private readonly fixed: Uint8Array;
  private readonly sorted: MembersBySize;
  private readonly movements: PartitionMovements;
  private readonly prevConsumer: Int32Array;
  private readonly prevGeneration: Int32Array;
  private revocationRequired = false;

  constructor(
    private readonly space: PartitionSpace,
    members: string[],
    subscriptions: Record<string, Subscription>,
    owned: number[][],
    maxGeneration: number,
    private readonly racks: RackInfo,
  ) {
    this.n = members.length;
    this.current = owned.map((l) => [...l]);
    this.owner = new Int32Array(space.total).fill(-1);
    this.topicSets = members.map(() => new Set<number>());
    this.consumerTopics = members.map(() => []);
    this.topicConsumers = space.topics.map(() => []);
    members.forEach((m, mi) => {
      for (const topic of new Set(subscriptions[m].topics)) {
        const t = space.topicIndex.get(topic);
        if (t === undefined) continue; // deleted topic
        this.topicSets[mi].add(t);
        this.consumerTopics[mi].push(t);
        this.topicConsumers[t].push(mi);
      }
    });
    this.maxAssignmentSize = this.consumerTopics.map((ts) => ts.reduce((s, t) => s + space.counts[t], 0));
    this.fixed = new Uint8Array(this.n);
    this.sorted = new MembersBySize(this.n, (m) => this.current[m].length);
    this.movements = new PartitionMovements(space);

    // prevAssignment: for each partition, its owner in the latest generation below maxGeneration
    this.prevConsumer = new Int32Array(space.total).fill(-1);
    this.prevGeneration = new Int32Array(space.total).fill(DEFAULT_GENERATION);
    members.forEach((m, mi) => {
      const gen = subscriptions[m].generationId;
      const effective = gen === undefined ? (maxGeneration > DEFAULT_GENERATION ? DEFAULT_GENERATION : null) : gen < maxGeneration ? gen : null;
      if (effective === null) return;
      for (const tp of subscriptions[m].ownedPartitions ?? []) {
        const id = idOf(space, tp);
        if (id < 0) continue;
        if (this.prevConsumer[id] < 0 || effective > this.prevGeneration[id]) {
          this.prevConsumer[id] = mi;
          this.prevGeneration[id] = effective;
        }
      }
    });
  }

  build(): number[][] {
    const { space } = this;
    // 1–2. keep owned partitions the member still subscribes to
    const assigned = new Uint8Array(space.total);
    for (let m = 0; m < this.n; m++) {
      this.current[m] = this.current[m].filter((id) => {
        if (!this.topicSets[m].has(space.topicOf[id]) || racksMismatch(this.racks, m, id)) {
          this.revocationRequired = true;
          return false;
        }
        return true;
      });
      for (const id of this.current[m]) {
        this.owner[id] = m;
        assigned[id] = 1;
      }
    }
    // all partitions, topics with the fewest potential consumers first, then by name
    const topicOrder = space.topics
      .map((_, t) => t)
      .sort((a, b) => this.topicConsumers[a].length - this.topicConsumers[b].length || a - b);
    let sortedAllPartitions: number[] = [];
    for (const t of topicOrder) for (let p = 0; p < space.counts[t]; p++) sortedAllPartitions.push(space.base[t] + p);
    let unassigned = sortedAllPartitions.filter((id) => !assigned[id]);

    for (let m = 0; m < this.n; m++) this.sorted.add(m);
    const initializing = this.current[this.sorted.last()].length === 0;

    // 3. each unassigned partition to the least-loaded member subscribed to its topic
    //    (rack-aware: first to the least-loaded such member on a rack holding a replica)
    let toAssign = unassigned;
    if (this.racks.enabled) {
      toAssign = unassigned.filter((id) => this.topicConsumers[space.topicOf[id]].length === 0 || !this.assignToLeastLoaded(id, true));
    }
    for (const id of toAssign) {
      if (this.topicConsumers[space.topicOf[id]].length === 0) continue;
      this.assignToLeastLoaded(id, false);
    }

    // narrow down to partitions and members that can move
    const canTopicMove = (t: number) => this.topicConsumers[t].length >= 2;
    sortedAllPartitions = sortedAllPartitions.filter((id) => canTopicMove(space.topicOf[id]));
    unassigned = unassigned.filter((id) => canTopicMove(space.topicOf[id]));
    for (let m = 0; m < this.n; m++) {
      const canMove = this.current[m].length < this.maxAssignmentSize[m] || this.current[m].some((id) => canTopicMove(space.topicOf[id]));
      if (!canMove) {
        this.fixed[m] = 1;
        this.sorted.remove(m);
      }
    }

    const preBalance = this.current.map((l) => [...l]);
    const preBalanceOwner = this.owner.slice();
    // 4. balance: first by moving only the newly assigned partitions, then any partition
    if (!this.revocationRequired) this.performReassignments(unassigned);
    const reassignmentPerformed = this.performReassignments(sortedAllPartitions);
    if (!initializing && reassignmentPerformed && this.balanceScore(this.current) >= this.balanceScore(preBalance)) {
      // no better balance: keep the assignment we had before moving anything
      for (let m = 0; m < this.n; m++) this.current[m] = preBalance[m];
      this.owner.set(preBalanceOwner);
    }
    return this.current;
  }

  private assignToLeastLoaded(id: number, matchRack: boolean): boolean {
    const t = this.space.topicOf[id];
    for (let i = 0; i < this.sorted.length; i++) {
      const m = this.sorted.at(i);
      if (this.topicSets[m].has(t) && (!matchRack || !racksMismatch(this.racks, m, id))) {
        this.sorted.remove(m);
        this.current[m].push(id);
        this.owner[id] = m;
        this.sorted.add(m);
        return true;
      }
    }
    return false;
  }

  /** counts within one, or no member could take a partition from one with 2+ more */
  private isBalanced(): boolean {
    if (this.sorted.length === 0) return true;
    const min = this.current[this.sorted.first()].length;
    const max = this.current[this.sorted.last()].length;
    if (min >= max - 1) return true;
    const { space } = this;
    for (let i = 0; i < this.sorted.length; i++) {
      const m = this.sorted.at(i);
      const size = this.current[m].length;
      if (size === this.maxAssignmentSize[m]) continue;
      for (const t of this.consumerTopics[m]) {
        const end = space.base[t] + space.counts[t];
        for (let id = space.base[t]; id < end; id++) {
          const other = this.owner[id];
          if (other !== m && other >= 0 && size + 1 < this.current[other].length) return false;
        }
      }
    }
    return true;
  }

  /** Σ over member pairs of |count difference| (0 = perfectly balanced), over the movable members */
  private balanceScore(lists: number[][]): number {
    const sizes: number[] = [];
    for (let m = 0; m < this.n; m++) if (!this.fixed[m]) sizes.push(lists[m].length);
    sizes.sort((a, b) => a - b);
    let score = 0;
    for (let i = 0; i < sizes.length; i++) score += sizes[i] * (2 * i - sizes.length + 1);
    return score;
  }

  private performReassignments(partitions: number[]): boolean {
    let performed = false;
    let modified: boolean;
    do {
      modified = false;
      for (let i = 0; i < partitions.length && !this.isBalanced(); i++) {
        const id = partitions[i];
        const t = this.space.topicOf[id];
        const consumer = this.owner[id];
        const size = this.current[consumer].length;
        const prev = this.prevConsumer[id];
        if (prev >= 0 && !this.fixed[prev] && this.topicSets[prev].has(t) && size > this.current[prev].length + 1) {
          this.reassign(id, prev);
          performed = modified = true;
          continue;
        }
        // prefer to look for a lighter member on a rack holding a replica, if this one is on one
        const rack = this.racks.consumerRack[consumer];
        const partitionRacks = this.racks.partitionRacks[id];
        let found = false;
        if (rack !== null && partitionRacks && partitionRacks.has(rack)) {
          for (const other of this.topicConsumers[t]) {
            const otherRack = this.racks.consumerRack[other];
            if (otherRack === null || !partitionRacks.has(otherRack)) continue;
            if (size > this.current[other].length + 1) {
              this.reassign(id, this.leastLoadedFor(t));
              performed = modified = found = true;
              break;
            }
          }
        }
        if (found) continue;
        for (const other of this.topicConsumers[t]) {
          if (size > this.current[other].length + 1) {
            this.reassign(id, this.leastLoadedFor(t));
            performed = modified = true;
            break;
          }
        }
      }
    } while (modified);
    return performed;
  }

  private leastLoadedFor(t: number): number {
    for (let i = 0; i < this.sorted.length; i++) {
      const m = this.sorted.at(i);
      if (this.topicSets[m].has(t)) return m;
    }
    throw new Error('Sticky assignor: no member subscribes to the topic (an assignor bug)');
  }

  private reassign(id: number, newConsumer: number): void {
    const toMove = this.movements.actualPartitionToMove(id, this.owner[id], newConsumer);
    const oldConsumer = this.owner[toMove];
    this.sorted.remove(oldConsumer);
    this.sorted.remove(newConsumer);
    this.movements.movePartition(toMove, oldConsumer, newConsumer);
    removeValue(this.current[oldConsumer], toMove);
    this.current[newConsumer].push(toMove);
    this.owner[toMove] = newConsumer;
    this.sorted.add(newConsumer);
    this.sorted.add(oldConsumer);
  }
}

/** Kafka's StickyAssignor (`sticky`): balanced and sticky, eager protocol. */
export const StickyAssignor: ConsumerPartitionAssignor = {
  name: 'sticky',
  supportedProtocols: ['eager'],
  assign(partitionsPerTopic: Record<string, number>, subscriptions: Record<string, Subscription>, metadata?: AssignorMetadata): Assignment {
    return stickyAssign(partitionsPerTopic, subscriptions, metadata).assignment;
  },
};
