/**
 * A consumer group under the classic rebalance protocol, broker side: the group coordinator
 * (membership, generations, the join phase and its timeouts, the assignor's choice, committed
 * offsets, states Empty → PreparingRebalance → CompletingRebalance → Stable → Dead). The members'
 * side of the protocol (heartbeat thread, JoinGroup, rebalance listener) is ./member.ts; together
 * they are one pure, deterministic state machine on a simulated clock (ms), {@link GroupCoordinator}.
 *
 * The rule, in five steps:
 *   1. A member joins (JoinGroup): the group goes to PreparingRebalance. Every current member must
 *      rejoin; it learns of the rebalance from its next heartbeat (every heartbeat.interval.ms) and
 *      rejoins at its next poll(). Eager members first give up (revoke) all their partitions.
 *   2. The join phase ends when every member has rejoined, or when the rebalance timeout (the
 *      largest max.poll.interval.ms) runs out: dynamic members that did not rejoin are removed.
 *      A brand-new group first waits group.initial.rebalance.delay.ms (3000) for more members.
 *   3. generationId + 1; the group picks the assignor every member supports (most votes among
 *      each member's first choice); the leader (the first member to join) runs it
 *      (CompletingRebalance), hands the result back with SyncGroup, and the group is Stable.
 *   4. Members apply it. Eager: onPartitionsAssigned(all). Cooperative: revoke what it lost
 *      (onPartitionsRevoked), take what is new (onPartitionsAssigned); if it revoked anything it
 *      rejoins at once, and the follow-up rebalance hands the revoked partitions to their new owner.
 *   5. A member that stops heartbeating for session.timeout.ms (45000) is removed and the group
 *      rebalances; one that does not poll for max.poll.interval.ms (300000) leaves on its own.
 *      A member that finds itself removed calls onPartitionsLost and joins again as a new member.
 *
 * Example (eager, range, t0 with 4 partitions): C0 joins at 0 → after the 3 s initial delay,
 *   generation 1: C0: [t0p0..t0p3]. C1 joins at 10 000 → C0 hears REBALANCE_IN_PROGRESS on its next
 *   heartbeat (≤ 3 s later), revokes t0p0..t0p3 and rejoins → generation 2: C0: [t0p0, t0p1],
 *   C1: [t0p2, t0p3]. C1 crashes at 20 000 → removed at its last heartbeat + 45 000 → generation 3.
 *
 * Static membership (KIP-345, group.instance.id): a static member that restarts within the session
 * timeout gets a new memberId but its old assignment back, with no rebalance; closing it sends no
 * LeaveGroup, so only the session timeout removes it. The old process, if still around, is fenced.
 *
 * Empty and Dead: a group with no members is Empty and keeps its committed offsets for
 * offsets.retention.minutes (7 days, KIP-211); then they expire and the group is Dead (so is a
 * deleted group). A new member under the same group.id starts an Empty group again.
 *
 * Caveats: JoinGroup + SyncGroup complete in the same instant (no network latency); MEMBER_ID_REQUIRED
 * (KIP-394) is folded into the join; a changed partition count is noticed at once (Kafka's leader
 * notices on its next metadata refresh). The consumer protocol (KIP-848) is ./consumer-protocol/.
 *
 * Source: Kafka's GroupCoordinator / GroupMetadata (classic groups, states Empty, PreparingRebalance,
 * CompletingRebalance, Stable, Dead), AbstractCoordinator, ConsumerCoordinator, ConsumerConfig;
 * KIP-62 (max.poll.interval.ms), KIP-134 (initial rebalance delay), KIP-345, KIP-429 (cooperative),
 * KIP-726 (default assignors), KIP-735 (session.timeout.ms 45 s).
 */
import { compareStrings, sameSet } from '../assignors/assignor.ts';
import type { Assignment, AssignorMetadata, AssignorName, Subscription } from '../assignors/assignor.ts';
import { ASSIGNORS } from '../assignors/registry.ts';
import { compareTp, tpKey } from '../common/notation.ts';
import type { TopicPartition } from '../common/record.ts';
import { GROUP_INITIAL_REBALANCE_DELAY_MS, GroupUsageError, OFFSETS_RETENTION_MS } from './group-types.ts';
import type { Client, GroupCoordinatorOptions, GroupError, GroupEvent, GroupEventBody, GroupState, MemberMetadata } from './group-types.ts';

/**
 * The broker's side of one consumer group (classic protocol). Abstract: the members' side
 * (./member.ts) completes it into {@link GroupCoordinator}, the class the engine drives.
 */
export abstract class GroupCoordinatorBase {
  readonly groupId: string;
  readonly trace: GroupEvent[];
  protected now: number;
  protected _state: GroupState = 'Empty';
  protected _generationId = 0;
  protected _assignor: AssignorName | null = null;
  protected leaderId: string | null = null;
  protected readonly members = new Map<string, MemberMetadata>();
  protected readonly staticMembers = new Map<string, string>(); // groupInstanceId → memberId
  protected readonly clients = new Map<string, Client>();
  protected rebalanceDeadlineMs = Infinity;
  protected emptySinceMs: number;
  protected readonly offsetsRetentionMs: number;
  protected initialDelay: { startMs: number } | null = null;
  protected joinCounter = 0;
  protected memberCounter = 0;
  protected readonly initialDelayMs: number;
  protected readonly partitionsPerTopic: () => Record<string, number>;
  protected readonly assignorMetadata: (() => AssignorMetadata) | undefined;
  protected lastMetadata = '';
  protected lastTopics: string[] = [];
  protected readonly offsets = new Map<
    string,
    { offset: number; commitTimestampMs: number; memberId: string | null; generationId: number }
  >();

  constructor(options: GroupCoordinatorOptions) {
    this.groupId = options.groupId;
    this.trace = options.trace ?? [];
    this.now = options.nowMs ?? 0;
    this.initialDelayMs = options.groupInitialRebalanceDelayMs ?? GROUP_INITIAL_REBALANCE_DELAY_MS;
    this.offsetsRetentionMs = options.offsetsRetentionMs ?? OFFSETS_RETENTION_MS;
    this.emptySinceMs = this.now;
    this.partitionsPerTopic = options.partitionsPerTopic;
    this.assignorMetadata = options.assignorMetadata;
  }

  // ---- read-only views ----

  get nowMs(): number {
    return this.now;
  }
  get state(): GroupState {
    return this._state;
  }
  get generationId(): number {
    return this._generationId;
  }
  /** the assignor the group chose at the last rebalance */
  get assignor(): AssignorName | null {
    return this._assignor;
  }
  /** the leader's consumer name */
  get leader(): string | null {
    return this.leaderId ? (this.members.get(this.leaderId)?.name ?? null) : null;
  }
  /** consumer names of the members the coordinator knows, in join order */
  memberNames(): string[] {
    return [...this.members.values()].sort((a, b) => a.joinOrder - b.joinOrder).map((m) => m.name);
  }
  /** the memberId the coordinator gave this consumer (null if it is not a member now) */
  memberIdOf(name: string): string | null {
    return this.client(name).memberId;
  }
  /** the partitions this consumer owns right now (what it may fetch) */
  ownedPartitions(name: string): TopicPartition[] {
    return [...this.client(name).owned];
  }
  /** the generation this consumer believes it is in (-1 when it has none) */
  memberGenerationId(name: string): number {
    return this.client(name).generationId;
  }
  /** the current assignment per consumer name, as the coordinator recorded it */
  assignment(): Record<string, TopicPartition[]> {
    const out: Record<string, TopicPartition[]> = {};
    for (const m of this.members.values()) out[m.name] = [...m.assignment];
    return out;
  }
  isAlive(name: string): boolean {
    return this.client(name).alive;
  }

  /**
   * OffsetCommit as the coordinator judges it (Kafka's GroupCoordinator#handleCommitOffsets):
   * unknown member → UNKNOWN_MEMBER_ID; stale generation → ILLEGAL_GENERATION; CompletingRebalance →
   * REBALANCE_IN_PROGRESS; Stable or PreparingRebalance → stored. A generation of -1 with no member
   * (a consumer using assign(), not subscribe()) is accepted while the group is Empty.
   */
  commitOffsets(nowMs: number, name: string | null, offsets: { tp: TopicPartition; offset: number }[]): GroupError {
    this.advanceTo(nowMs);
    let memberId: string | null = null;
    let generationId = -1;
    if (name !== null) {
      const c = this.client(name);
      memberId = c.memberId;
      generationId = c.generationId;
    }
    const error = this.validateCommit(memberId, generationId);
    if (error !== 'NONE') return error;
    for (const { tp, offset } of offsets) {
      this.offsets.set(tpKey(tp), { offset, commitTimestampMs: nowMs, memberId, generationId });
    }
    if (memberId && this.members.has(memberId)) this.members.get(memberId)!.lastHeartbeatMs = nowMs; // a commit counts as a heartbeat
    return 'NONE';
  }

  protected validateCommit(memberId: string | null, generationId: number): GroupError {
    if (memberId === null) {
      if (generationId < 0 && (this._state === 'Empty' || this._state === 'Dead')) {
        if (this._state === 'Dead') this.transition('Empty');
        return 'NONE';
      }
      return 'UNKNOWN_MEMBER_ID';
    }
    if (!this.members.has(memberId)) return 'UNKNOWN_MEMBER_ID';
    if (generationId !== this._generationId) return 'ILLEGAL_GENERATION';
    if (this._state === 'CompletingRebalance') return 'REBALANCE_IN_PROGRESS';
    return 'NONE';
  }

  /**
   * DeleteGroups (kafka-consumer-groups --delete): only an Empty group can be deleted; its offsets go
   * and the group is Dead. @returns NONE, or NON_EMPTY_GROUP while it has members.
   */
  deleteGroup(nowMs: number): 'NONE' | 'NON_EMPTY_GROUP' {
    this.advanceTo(nowMs);
    if (this._state !== 'Empty' && this._state !== 'Dead') return 'NON_EMPTY_GROUP';
    this.offsets.clear();
    this.transition('Dead');
    return 'NONE';
  }

  protected expireOffsets(): void {
    // KIP-211: the group has been Empty for offsets.retention.minutes; its offsets expire and it is removed
    this.offsets.clear();
    this.emit({ type: 'offsets-expired', retentionMs: this.offsetsRetentionMs });
    this.transition('Dead');
  }

  /** The committed offset of a partition for this group (OffsetFetch), or null if none. */
  committed(tp: TopicPartition): number | null {
    return this.offsets.get(tpKey(tp))?.offset ?? null;
  }

  /** All committed offsets of the group, `topic-partition` → offset. */
  committedOffsets(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const k of [...this.offsets.keys()].sort(compareStrings)) out[k] = this.offsets.get(k)!.offset;
    return out;
  }

  // ---- the clock ----

  /**
   * Run every timer due up to `nowMs` (heartbeats, session timeouts, poll timeouts, the end of
   * a rebalance), in time order; ties run coordinator first, then members by name.
   * @throws GroupUsageError when nowMs is before the current time
   */
  advanceTo(nowMs: number): void {
    if (!Number.isFinite(nowMs)) throw new GroupUsageError(`Expected a finite time in ms, got ${nowMs}`);
    if (nowMs < this.now) throw new GroupUsageError(`Time cannot go backwards: now ${this.now} ms, asked for ${nowMs} ms`);
    this.checkMetadata(); // a change made since the last call is noticed now, before time moves on
    for (let guard = 0; guard < 1_000_000; guard++) {
      const next = this.nextTimer();
      if (next === null || next.atMs > nowMs) break;
      this.now = Math.max(this.now, next.atMs);
      next.run();
    }
    this.now = nowMs;
    this.checkMetadata();
  }

  protected nextTimer(): { atMs: number; run: () => void } | null {
    let best: { atMs: number; order: string; run: () => void } | null = null;
    // ties at the same atMs break on `order` (kind digit + memberId or name, unique per timer), so the
    // iteration order of the maps below does not matter and needs no sorting on this hot path
    const consider = (atMs: number, order: string, run: () => void) => {
      if (!Number.isFinite(atMs)) return;
      if (!best || atMs < best.atMs || (atMs === best.atMs && order < best.order)) best = { atMs, order, run };
    };
    if (this._state === 'PreparingRebalance') consider(this.rebalanceDeadlineMs, '0', () => this.completeJoin(true));
    if (this._state === 'Empty' && this.offsets.size > 0)
      consider(this.emptySinceMs + this.offsetsRetentionMs, '0', () => this.expireOffsets());
    for (const m of this.members.values()) {
      consider(m.lastHeartbeatMs + m.sessionTimeoutMs, `1${m.memberId}`, () => this.sessionExpired(m.memberId));
    }
    for (const c of this.clients.values()) {
      if (!c.alive) continue;
      if (c.heartbeating) consider(c.nextHeartbeatMs, `2${c.name}`, () => this.heartbeat(c));
      if (c.memberId !== null && c.busyUntilMs !== -Infinity) {
        consider(c.lastPollMs + c.config.maxPollIntervalMs, `3${c.name}`, () => this.pollTimeout(c));
      }
      if (c.rejoinNeeded && c.config.pollMode === 'auto' && Number.isFinite(c.busyUntilMs)) {
        consider(c.busyUntilMs, `4${c.name}`, () => {
          c.busyUntilMs = -Infinity;
          c.lastPollMs = this.now;
          this.sendJoin(c);
        });
      }
      if (c.config.pollMode === 'auto' && Number.isFinite(c.busyUntilMs) && !c.rejoinNeeded) {
        consider(c.busyUntilMs, `5${c.name}`, () => {
          c.busyUntilMs = -Infinity;
          c.lastPollMs = this.now;
        });
      }
    }
    return best;
  }

  // ---- coordinator side ----

  protected handleJoin(c: Client): void {
    const instanceId = c.config.groupInstanceId;
    let member: MemberMetadata | undefined = c.memberId ? this.members.get(c.memberId) : undefined;
    const subscription = (): Subscription => ({
      topics: [...c.config.topics],
      // cooperative: what it still holds (ownedPartitions); eager: its last assignment (sticky's userData)
      ownedPartitions: c.rebalanceProtocol === 'cooperative' ? [...c.owned] : [...c.lastAssignment],
      generationId: c.lastAssignmentGeneration,
      groupInstanceId: instanceId,
      rackId: c.config.rackId,
    });

    if (!member && instanceId !== null && this.staticMembers.has(instanceId)) {
      // a static member comes back (new process, new memberId): replace the old one
      const old = this.members.get(this.staticMembers.get(instanceId)!)!;
      const newId = this.newMemberId(c.name);
      this.members.delete(old.memberId);
      const sameSubscription =
        sameSet(new Set(old.subscription.topics), new Set(c.config.topics)) &&
        sameList(old.assignors, c.config.partitionAssignmentStrategy);
      member = {
        ...old,
        memberId: newId,
        name: c.name,
        lastHeartbeatMs: this.now,
        subscription: subscription(),
        assignors: [...c.config.partitionAssignmentStrategy],
      };
      this.members.set(newId, member);
      this.staticMembers.set(instanceId, newId);
      if (this.leaderId === old.memberId) this.leaderId = newId;
      // another process still running with the old memberId is fenced at its next heartbeat
      c.memberId = newId;
      this.emit({ type: 'static-member-replaced', member: c.name, oldMemberId: old.memberId, memberId: newId });
      this.startHeartbeats(c);
      if (this._state === 'Stable' && sameSubscription) {
        // no rebalance: hand back the current assignment in the current generation
        c.generationId = this._generationId;
        c.owned = [...member.assignment];
        c.lastAssignment = [...member.assignment];
        c.lastAssignmentGeneration = this._generationId;
        this.callback(c, 'partitions-assigned', member.assignment);
        return;
      }
      if (this._state === 'Stable' || this._state === 'CompletingRebalance')
        this.prepareRebalance(`static member ${instanceId} rejoined with a changed subscription`);
      member.joined = true;
      this.maybeCompleteJoin();
      return;
    }

    if (!member) {
      const memberId = this.newMemberId(c.name);
      member = {
        memberId,
        name: c.name,
        groupInstanceId: instanceId,
        subscription: subscription(),
        assignors: [...c.config.partitionAssignmentStrategy],
        sessionTimeoutMs: c.config.sessionTimeoutMs,
        rebalanceTimeoutMs: c.config.maxPollIntervalMs,
        lastHeartbeatMs: this.now,
        joined: true,
        assignment: [],
        joinOrder: this.joinCounter++,
      };
      this.checkAssignors(member);
      this.members.set(memberId, member);
      if (instanceId !== null) this.staticMembers.set(instanceId, memberId);
      c.memberId = memberId;
      this.emit({ type: 'member-joined', member: c.name, memberId, groupInstanceId: instanceId });
      this.startHeartbeats(c);
      if (this._state === 'Dead') this.transition('Empty'); // a new group under the same group.id
      if (this._state === 'Empty') this.startInitialRebalance();
      else if (this._state === 'Stable' || this._state === 'CompletingRebalance') this.prepareRebalance(`member ${c.name} joined`);
      else if (this.initialDelay) this.extendInitialDelay();
      member.joined = true;
      this.maybeCompleteJoin();
      return;
    }

    // a known member rejoins
    member.subscription = subscription();
    member.assignors = [...c.config.partitionAssignmentStrategy];
    member.lastHeartbeatMs = this.now;
    if (this._state === 'Stable' || this._state === 'CompletingRebalance') this.prepareRebalance(`member ${c.name} rejoined`);
    member.joined = true;
    this.maybeCompleteJoin();
  }

  protected checkAssignors(member: MemberMetadata): void {
    if (this.members.size === 0) return;
    const common = this.commonAssignors([...this.members.values(), member]);
    if (common.length === 0) {
      throw new GroupUsageError(
        `INCONSISTENT_GROUP_PROTOCOL: ${member.name} supports [${member.assignors.join(', ')}], which shares no assignor with the group's members`,
      );
    }
  }

  protected commonAssignors(members: MemberMetadata[]): AssignorName[] {
    return members[0].assignors.filter((p) => members.every((m) => m.assignors.includes(p)));
  }

  protected newMemberId(name: string): string {
    // Kafka: `${clientId}-${UUID}`; a counter keeps traces readable and deterministic
    return `${name}-${++this.memberCounter}`;
  }

  protected startHeartbeats(c: Client): void {
    c.heartbeating = true;
    c.nextHeartbeatMs = this.now + c.config.heartbeatIntervalMs;
  }

  protected handleHeartbeat(memberId: string, generationId: number, instanceId: string | null): GroupError {
    const m = this.members.get(memberId);
    if (!m) return instanceId !== null && this.staticMembers.has(instanceId) ? 'FENCED_INSTANCE_ID' : 'UNKNOWN_MEMBER_ID';
    m.lastHeartbeatMs = this.now;
    if (this._state === 'PreparingRebalance') return m.joined ? 'NONE' : 'REBALANCE_IN_PROGRESS';
    if (this._state === 'CompletingRebalance') return 'REBALANCE_IN_PROGRESS';
    if (generationId !== this._generationId) return 'ILLEGAL_GENERATION';
    return 'NONE';
  }

  protected sessionExpired(memberId: string): void {
    if (!this.members.has(memberId)) return;
    this.removeMember(memberId, 'session-timeout');
  }

  protected removeMember(memberId: string, reason: 'session-timeout' | 'leave-group' | 'rebalance-timeout' | 'poll-timeout'): void {
    const m = this.members.get(memberId)!;
    this.members.delete(memberId);
    if (m.groupInstanceId !== null && this.staticMembers.get(m.groupInstanceId) === memberId) this.staticMembers.delete(m.groupInstanceId);
    if (this.leaderId === memberId) this.leaderId = null;
    this.emit({ type: 'member-removed', member: m.name, memberId, reason });
    if (reason === 'rebalance-timeout') return;
    if (this._state === 'Stable' || this._state === 'CompletingRebalance') {
      this.prepareRebalance(`member ${m.name} left (${reason})`);
    }
    this.maybeCompleteJoin();
  }

  protected transition(to: GroupState): void {
    if (this._state === to) return;
    const from = this._state;
    this._state = to;
    if (to === 'Empty') this.emptySinceMs = this.now;
    this.emit({ type: 'state-changed', from, to });
  }

  protected startInitialRebalance(): void {
    this.initialDelay = { startMs: this.now };
    this.transition('PreparingRebalance');
    this.emit({ type: 'rebalance-started', reason: 'first member joined an empty group', generationId: this._generationId });
    this.extendInitialDelay();
  }

  protected extendInitialDelay(): void {
    // Kafka's InitialDelayedJoin: wait group.initial.rebalance.delay.ms after the latest join, at most the rebalance timeout
    const cap = this.initialDelay!.startMs + this.maxRebalanceTimeout();
    this.rebalanceDeadlineMs = Math.min(this.now + this.initialDelayMs, cap);
  }

  protected maxRebalanceTimeout(): number {
    let max = 0;
    for (const m of this.members.values()) max = Math.max(max, m.rebalanceTimeoutMs);
    return max;
  }

  protected prepareRebalance(reason: string): void {
    for (const m of this.members.values()) m.joined = false;
    this.initialDelay = null;
    this.transition('PreparingRebalance');
    this.rebalanceDeadlineMs = this.now + this.maxRebalanceTimeout();
    this.emit({ type: 'rebalance-started', reason, generationId: this._generationId });
    // members that are rejoining right now (the caller) mark themselves joined after this
  }

  protected maybeCompleteJoin(): void {
    if (this._state !== 'PreparingRebalance' || this.initialDelay) return;
    if ([...this.members.values()].every((m) => m.joined)) this.completeJoin(false);
  }

  protected completeJoin(timedOut: boolean): void {
    if (this._state !== 'PreparingRebalance') return;
    this.initialDelay = null;
    this.rebalanceDeadlineMs = Infinity;
    if (timedOut) {
      for (const m of [...this.members.values()]) {
        if (!m.joined && m.groupInstanceId === null) this.removeMember(m.memberId, 'rebalance-timeout');
      }
    }
    this._generationId++;
    if (this.members.size === 0) {
      this.leaderId = null;
      this._assignor = null;
      this.transition('Empty');
      return;
    }
    const members = [...this.members.values()].sort((a, b) => a.joinOrder - b.joinOrder);
    if (this.leaderId === null || !this.members.has(this.leaderId)) this.leaderId = (members.find((m) => m.joined) ?? members[0]).memberId;
    this._assignor = this.selectAssignor(members);
    this.transition('CompletingRebalance');

    // the leader runs the assignor on everyone's subscription (SyncGroup)
    const subscriptions: Record<string, Subscription> = {};
    for (const m of members) subscriptions[m.memberId] = m.subscription;
    const ppt = this.partitionsPerTopic();
    this.lastTopics = [...new Set(members.flatMap((m) => m.subscription.topics))].sort(compareStrings);
    this.lastMetadata = this.metadataKey(ppt);
    const assignment: Assignment = ASSIGNORS[this._assignor].assign(ppt, subscriptions, this.assignorMetadata?.());
    for (const m of members) m.assignment = [...(assignment[m.memberId] ?? [])];
    this.transition('Stable');
    const byName: Record<string, TopicPartition[]> = {};
    for (const m of members) byName[m.name] = [...m.assignment].sort(compareTp);
    const leader = this.members.get(this.leaderId)!;
    const protocols = new Set(members.map((m) => this.clientByMemberId(m.memberId)?.rebalanceProtocol ?? 'eager'));
    this.emit({
      type: 'rebalance-completed',
      generationId: this._generationId,
      assignor: this._assignor,
      rebalanceProtocol: protocols.has('eager') ? 'eager' : 'cooperative',
      leader: leader.name,
      assignment: byName,
    });

    // members apply their assignment (SyncGroup response → onPartitionsAssigned / Revoked)
    for (const m of members) {
      const c = this.clientByMemberId(m.memberId);
      if (!c || !c.alive || !m.joined) continue;
      c.generationId = this._generationId;
      c.lastAssignment = [...m.assignment];
      c.lastAssignmentGeneration = this._generationId;
      const assignedKeys = new Set(m.assignment.map(tpKey));
      const ownedKeys = new Set(c.owned.map(tpKey));
      const revoked = c.owned.filter((tp) => !assignedKeys.has(tpKey(tp)));
      const added = m.assignment.filter((tp) => !ownedKeys.has(tpKey(tp)));
      if (revoked.length) this.callback(c, 'partitions-revoked', revoked);
      c.owned = [...m.assignment];
      this.callback(c, 'partitions-assigned', added);
      if (c.rebalanceProtocol === 'cooperative' && revoked.length) c.rejoinNeeded = true; // follow-up rebalance (KIP-429)
    }
    for (const m of members) m.joined = false;
    // cooperative members that revoked something rejoin right away, from the same poll
    for (const m of members) {
      const c = this.clientByMemberId(m.memberId);
      if (c && c.alive && c.rejoinNeeded && c.rebalanceProtocol === 'cooperative' && this.isPolling(c)) this.sendJoin(c);
    }
  }

  protected selectAssignor(members: MemberMetadata[]): AssignorName {
    // Kafka's GroupMetadata#selectAssignor: each member votes for its first choice among the candidates
    const candidates = this.commonAssignors(members);
    const votes = new Map<AssignorName, number>(candidates.map((p) => [p, 0]));
    for (const m of members) {
      const choice = m.assignors.find((p) => votes.has(p))!;
      votes.set(choice, votes.get(choice)! + 1);
    }
    let best = candidates[0];
    for (const p of candidates) if (votes.get(p)! > votes.get(best)!) best = p;
    return best;
  }

  protected clientByMemberId(memberId: string): Client | undefined {
    for (const c of this.clients.values()) if (c.memberId === memberId) return c;
    return undefined;
  }

  protected metadataKey(ppt: Record<string, number>): string {
    return JSON.stringify(this.lastTopics.map((t) => [t, ppt[t] ?? null]));
  }

  protected checkMetadata(): void {
    if (this._state !== 'Stable') return;
    const key = this.metadataKey(this.partitionsPerTopic());
    if (key !== this.lastMetadata) {
      this.lastMetadata = key;
      this.prepareRebalance('the partition count of a subscribed topic changed');
      // the leader notices and rejoins at once
      const leader = this.leaderId ? this.clientByMemberId(this.leaderId) : undefined;
      if (leader && this.isPolling(leader)) this.sendJoin(leader);
    }
  }

  protected client(name: string): Client {
    const c = this.clients.get(name);
    if (!c) throw new GroupUsageError(`No consumer named ${JSON.stringify(name)} in group ${this.groupId}`);
    return c;
  }

  protected emit(e: GroupEventBody): void {
    this.trace.push({ atMs: this.now, groupId: this.groupId, ...e });
  }

  // ---- the members' side (./member.ts) ----

  /** whether the member's poll loop is running now (it rejoins at once when asked) */
  protected abstract isPolling(c: Client): boolean;
  /** the member's heartbeat thread sends a heartbeat and reacts to the answer */
  protected abstract heartbeat(c: Client): void;
  /** the member has not polled for max.poll.interval.ms */
  protected abstract pollTimeout(c: Client): void;
  /** onJoinPrepare + JoinGroup */
  protected abstract sendJoin(c: Client): void;
  /** the rebalance listener's callback, recorded as an event */
  protected abstract callback(
    c: Client,
    type: 'partitions-revoked' | 'partitions-assigned' | 'partitions-lost',
    partitions: TopicPartition[],
  ): void;
}

function sameList<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
