/**
 * The sticky assignor's general path, when subscriptions differ (Kafka's GeneralAssignmentBuilder):
 * keep what can be kept, assign the unassigned to the least-loaded eligible member, then move
 * partitions one at a time while that improves balance, never breaking stickiness for nothing.
 *
 * Source: AbstractStickyAssignor.GeneralAssignmentBuilder.
 */
import { DEFAULT_GENERATION } from './assignor.ts';
import type { Subscription } from './assignor.ts';
import type { PartitionSpace, RackInfo } from './sticky-common.ts';
import { MembersBySize, PartitionMovements, idOf, racksMismatch, removeValue } from './sticky-common.ts';

/** The general path (subscriptions differ). Kafka's GeneralAssignmentBuilder. */
export class GeneralAssignment {
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
