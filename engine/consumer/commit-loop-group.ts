/**
 * The group side of the commit-loop simulation (./commit-loop.ts): who is in the group, the eager
 * rebalance's join phase, the range assignment that ends it, and who owned which partition when
 * (what the delivery checks, ./commit-loop-checks.ts, read).
 *
 * The rule (eager rebalancing, the range assignor): a member that joins as new, leaves, crashes or
 * is removed starts a rebalance; every other member must rejoin (at its next poll, after
 * onPartitionsRevoked); when every member in the group has rejoined, the generation goes up and
 * range hands out the partitions, members ordered by memberId. A member id is `<name>-<n>`, n
 * counting every join of the group.
 *
 * Example: C0 and C1 in the group, t0 with 4 partitions; C1 crashes → a rebalance starts and C0
 * must rejoin; C0's next poll revokes t0p0, t0p1 and rejoins → generation 2, C0 owns t0p0 … t0p3.
 *
 * Mirrors Kafka's classic group coordinator (GroupCoordinator / GroupMetadataManager: the join
 * phase, members removed on session timeout or LeaveGroup, generations) and the client's
 * ConsumerCoordinator (onJoinPrepare, onPartitionsRevoked / onPartitionsLost), with RangeAssignor.
 * Caveat: the coordinator's timers are not modelled — a crashed member is removed at once.
 */
import { RangeAssignor } from '../assignors/range.ts';
import type { CommitLoopWorld, LoopEvent, LoopState, LoopRecord } from './commit-loop-types.ts';

/** One consumer process of the simulation, across its incarnations (restarts). */
export interface LoopMember {
  name: string;
  status: 'not-started' | 'running' | 'crashed' | 'closed';
  incarnation: number;
  memberId: string | null;
  /** removed from the group (poll timeout) and does not know yet */
  lostPending: boolean;
  /** a rebalance is under way and this member has not rejoined */
  rejoinNeeded: boolean;
  /** joined the current rebalance, waiting for it to complete */
  joined: boolean;
  owned: number[];
  positions: Map<number, number>;
  state: LoopState;
  worker: LoopRecord[][];
  rotate: number;
  failNext: boolean;
  slowNext: boolean;
}

/** Runs ended by these errors stop the simulation: bugs in the schedule, not in the application. */
export class CommitLoopError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CommitLoopError';
  }
}

/** The group: its members, the join phase, the assignment and partition ownership over time. */
export class LoopGroup {
  readonly events: LoopEvent[] = [];
  readonly members = new Map<string, LoopMember>();
  /** per partition: who owns it now and since when, and how earlier ownerships ended */
  readonly ownership: { member: string; incarnation: number; since: number; ended: 'revoked' | 'crashed' | 'removed' | null }[][];
  generation = 0;
  rebalancing = false;
  private memberCounter = 0;
  /** the index of the schedule op being played (-1: set-up; the schedule's length: the final drain) */
  op = -1;

  constructor(readonly world: CommitLoopWorld) {
    const n = world.recordsPerPartition.length;
    this.ownership = Array.from({ length: n }, () => []);
    for (const name of world.members) {
      this.members.set(name, {
        name,
        status: 'not-started',
        incarnation: 0,
        memberId: null,
        lostPending: false,
        rejoinNeeded: false,
        joined: false,
        owned: [],
        positions: new Map(),
        state: {},
        worker: [],
        rotate: 0,
        failNext: false,
        slowNext: false,
      });
    }
  }

  get partitions(): number {
    return this.world.recordsPerPartition.length;
  }

  emit(e: LoopEvent extends infer E ? (E extends { op: number } ? Omit<E, 'op'> : never) : never): number {
    this.events.push({ op: this.op, ...e } as LoopEvent);
    return this.events.length - 1;
  }

  member(name: string): LoopMember {
    const m = this.members.get(name);
    if (!m) throw new CommitLoopError(`Unknown member ${JSON.stringify(name)}; expected one of ${this.world.members.join(', ')}`);
    return m;
  }

  /** in the group: running with a valid membership */
  inGroup(m: LoopMember): boolean {
    return m.status === 'running' && m.memberId !== null && !m.lostPending;
  }

  ownerOf(partition: number): string | null {
    for (const m of this.members.values()) if (this.inGroup(m) && m.owned.includes(partition)) return m.name;
    return null;
  }

  // ---- group ----

  protected startRebalance(except: LoopMember | null): void {
    this.rebalancing = true;
    for (const m of this.members.values()) {
      if (m === except || !this.inGroup(m)) continue;
      if (!m.joined) m.rejoinNeeded = true;
    }
  }

  protected groupMembers(): LoopMember[] {
    return [...this.members.values()].filter((m) => this.inGroup(m));
  }

  protected maybeCompleteJoin(): void {
    if (!this.rebalancing) return;
    const members = this.groupMembers();
    if (members.length === 0) {
      this.rebalancing = false;
      return;
    }
    if (!members.every((m) => m.joined)) return;
    this.rebalancing = false;
    this.generation++;
    const subscriptions: Record<string, { topics: string[] }> = {};
    for (const m of members) subscriptions[m.memberId!] = { topics: [this.world.topic] };
    const result = RangeAssignor.assign({ [this.world.topic]: this.partitions }, subscriptions);
    const assignment: Record<string, number[]> = {};
    for (const m of members) {
      m.joined = false;
      m.rejoinNeeded = false;
      m.owned = result[m.memberId!].map((tp) => tp.partition).sort((a, b) => a - b);
      assignment[m.name] = [...m.owned];
      for (const p of m.owned)
        this.ownership[p].push({ member: m.name, incarnation: m.incarnation, since: this.events.length, ended: null });
    }
    this.emit({ type: 'assign', generation: this.generation, assignment });
  }

  protected endOwnership(m: LoopMember, how: 'revoked' | 'crashed' | 'removed'): void {
    for (const p of m.owned) {
      const current = this.ownership[p].findLast((o) => o.member === m.name && o.incarnation === m.incarnation && o.ended === null);
      if (current) current.ended = how;
    }
  }

  /** JoinGroup as a new member; true when the group had no other member (the initial delay applies) */
  protected joinAsNew(m: LoopMember): boolean {
    const emptyGroup = this.groupMembers().filter((x) => x !== m).length === 0;
    m.memberId = `${m.name}-${++this.memberCounter}`;
    m.lostPending = false;
    m.joined = true;
    m.rejoinNeeded = false;
    this.startRebalance(m);
    return emptyGroup;
  }

  protected removeFromGroup(m: LoopMember): void {
    // the coordinator removes it (session timeout, or LeaveGroup on poll timeout); the others rebalance
    m.joined = false;
    m.rejoinNeeded = false;
    const wasMember = m.memberId !== null;
    if (wasMember && this.groupMembers().some((x) => x !== m)) this.startRebalance(m);
  }

  /** the initial members join at once and the first rebalance completes */
  setUp(): void {
    const initial = this.world.members.slice(0, this.world.initialMembers);
    for (const name of initial) {
      const m = this.member(name);
      m.status = 'running';
      m.incarnation = 1;
      m.memberId = `${m.name}-${++this.memberCounter}`;
      m.joined = true;
      this.emit({ type: 'join', member: m.name, memberId: m.memberId, restart: false, emptyGroup: this.memberCounter === 1 });
    }
    this.rebalancing = true;
    this.maybeCompleteJoin();
  }
}
