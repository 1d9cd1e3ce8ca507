/**
 * The sticky assignor's general path, when subscriptions differ (Kafka's GeneralAssignmentBuilder):
 * keep what can be kept, assign the unassigned to the least-loaded eligible member, then move
 * partitions one at a time while that improves balance, never breaking stickiness for nothing.
 * Kafka's balancing passes can cycle forever; a repeated pass state (or MAX_BALANCING_PASSES) stops
 * them and a greedy balancing that provably ends takes over (see sticky.ts, difference 3).
 *
 * Source: AbstractStickyAssignor.GeneralAssignmentBuilder.
 */
import { DEFAULT_GENERATION } from './assignor.ts';
import type { Subscription } from './assignor.ts';
import type { PartitionSpace, RackInfo } from './sticky-common.ts';
import { MembersBySize, PartitionMovements, idOf, racksMismatch, removeValue } from './sticky-common.ts';

/**
 * The most passes one balancing round (Kafka's performReassignments) may make before we treat it as
 * a livelock. A pass that repeats an earlier pass's starting state is caught at once; this cap only
 * bounds the time to a repeat. Runs that end take a handful of passes (at most 6 per round over
 * 20,000 random groups of up to 7 members and 5 topics of up to 30 partitions, with churned ownership).
 */
export const MAX_BALANCING_PASSES = 64;

interface Reassignments {
  performed: boolean;
  /** false when the passes would not end (a state repeated, or MAX_BALANCING_PASSES was reached) */
  finished: boolean;
}

/** Kafka's general path would throw here (a NullPointerException handing a partition back to a fixed member). */
export class KafkaHandBackFailure extends Error {
  constructor() {
    super('Kafka would hand a partition back to a previous owner that is no longer subscribed to its topic and has a fixed assignment');
    this.name = 'KafkaHandBackFailure';
  }
}

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
  /** balancing passes made (both performReassignments calls) */
  passes = 0;
  /** whether Kafka's passes would have looped forever and the greedy fallback ran */
  livelock = false;
  /** moves made by the greedy fallback */
  greedyMoves = 0;

  constructor(
    private readonly space: PartitionSpace,
    members: string[],
    hashOrder: number[],
    subscriptions: Record<string, Subscription>,
    owned: number[][],
    maxGeneration: number,
    private readonly racks: RackInfo,
    /**
     * true: hand partitions back to a previous owner exactly as Kafka does, even one that no longer
     * subscribes to the topic (build() then throws KafkaHandBackFailure where Kafka throws);
     * false: only to a previous owner that still subscribes
     */
    private readonly asKafka: boolean,
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
    // (members walked in HashMap order: of two previous owners in one generation, the first walked stays)
    this.prevConsumer = new Int32Array(space.total).fill(-1);
    this.prevGeneration = new Int32Array(space.total).fill(DEFAULT_GENERATION);
    hashOrder.forEach((mi) => {
      const m = members[mi];
      const gen = subscriptions[m].generationId;
      const effective =
        gen === undefined ? (maxGeneration > DEFAULT_GENERATION ? DEFAULT_GENERATION : null) : gen < maxGeneration ? gen : null;
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
    const topicOrder = space.topics.map((_, t) => t).sort((a, b) => this.topicConsumers[a].length - this.topicConsumers[b].length || a - b);
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
    let first: Reassignments = { performed: false, finished: true };
    if (!this.revocationRequired) first = this.performReassignments(unassigned);
    const second = first.finished ? this.performReassignments(sortedAllPartitions) : first;
    if (!second.finished) {
      // 5. (ours) Kafka would loop forever here: drop the passes' moves and balance greedily instead
      this.livelock = true;
      this.restore(preBalance, preBalanceOwner);
      this.balanceGreedily(unassigned, sortedAllPartitions);
      return this.current;
    }
    if (!initializing && second.performed && this.balanceScore(this.current) >= this.balanceScore(preBalance)) {
      // no better balance: keep the assignment we had before moving anything
      this.restore(preBalance, preBalanceOwner);
    }
    return this.current;
  }

  /** whether every member holds only partitions of topics it subscribes to (Kafka's stale hand-back can break this) */
  valid(): boolean {
    return this.current.every((list, m) => list.every((id) => this.topicSets[m].has(this.space.topicOf[id])));
  }

  /** Put the member lists and owners back as they were (and re-sort the movable members). */
  private restore(lists: number[][], owner: Int32Array): void {
    for (let m = 0; m < this.n; m++) this.sorted.remove(m);
    for (let m = 0; m < this.n; m++) this.current[m] = lists[m].map((id) => id);
    this.owner.set(owner);
    for (let m = 0; m < this.n; m++) if (!this.fixed[m]) this.sorted.add(m);
  }

  /**
   * The fallback when Kafka's balancing passes would never end. Scan the newly assigned partitions,
   * then all movable ones, and move a partition whenever its owner has 2+ more than the least-loaded
   * member subscribed to its topic: back to its previous-generation owner if that one qualifies,
   * else to that least-loaded member. Repeat until a scan moves nothing.
   *
   * Why it ends: a move from a member with a partitions to one with b ≤ a − 2 lowers Σ count² by
   * 2(a − b − 1) ≥ 2, so there are at most Σ count² / 2 moves. Why the result is balanced: it stops
   * only when no partition could go to a member with 2+ fewer (Kafka's isBalanced). Why it is kept:
   * each move also lowers the balance score (Σ|count difference| over pairs) by at least 2, so the
   * result is strictly better balanced than the assignment before balancing.
   */
  private balanceGreedily(unassigned: number[], movable: number[]): void {
    const { space } = this;
    for (const partitions of [unassigned, movable]) {
      let moved: boolean;
      do {
        moved = false;
        for (const id of partitions) {
          const t = space.topicOf[id];
          const consumer = this.owner[id];
          const size = this.current[consumer].length;
          const target = this.leastLoadedFor(t);
          if (size <= this.current[target].length + 1) continue;
          const prev = this.prevConsumer[id];
          const back = prev >= 0 && !this.fixed[prev] && this.topicSets[prev].has(t) && size > this.current[prev].length + 1;
          this.moveTo(id, back ? prev : target);
          this.greedyMoves++;
          moved = true;
        }
      } while (moved);
    }
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

  /**
   * Kafka's performReassignments: passes over `partitions` until one changes nothing or the group
   * is balanced. Kafka's passes can cycle forever (an "undo an earlier move" step that the next pass
   * undoes again); a pass that starts in a state seen before would repeat forever, so we stop there,
   * and after MAX_BALANCING_PASSES passes in any case (`finished: false`).
   */
  private performReassignments(partitions: number[]): Reassignments {
    let performed = false;
    let modified: boolean;
    const seen = new Set<string>();
    do {
      const state = `${this.owner.join(',')}|${this.movements.signature()}`;
      if (seen.has(state) || seen.size >= MAX_BALANCING_PASSES) return { performed, finished: false };
      seen.add(state);
      this.passes++;
      modified = false;
      for (let i = 0; i < partitions.length && !this.isBalanced(); i++) {
        const id = partitions[i];
        const t = this.space.topicOf[id];
        const consumer = this.owner[id];
        const size = this.current[consumer].length;
        const prev = this.prevConsumer[id];
        if (prev >= 0) {
          // Kafka hands the partition back without checking that prev still subscribes to the topic;
          // when prev is a fixed member it throws a NullPointerException instead
          if (this.fixed[prev]) {
            if (this.asKafka) throw new KafkaHandBackFailure();
          } else if ((this.asKafka || this.topicSets[prev].has(t)) && size > this.current[prev].length + 1) {
            this.reassign(id, prev);
            performed = modified = true;
            continue;
          }
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
    return { performed, finished: true };
  }

  private leastLoadedFor(t: number): number {
    for (let i = 0; i < this.sorted.length; i++) {
      const m = this.sorted.at(i);
      if (this.topicSets[m].has(t)) return m;
    }
    throw new Error('Sticky assignor: no member subscribes to the topic (an assignor bug)');
  }

  private reassign(id: number, newConsumer: number): void {
    this.moveTo(this.movements.actualPartitionToMove(id, this.owner[id], newConsumer), newConsumer);
  }

  private moveTo(toMove: number, newConsumer: number): void {
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
