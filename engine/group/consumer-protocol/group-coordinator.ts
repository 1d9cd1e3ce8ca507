/**
 * A consumer group under KIP-848's consumer protocol, broker side: the group coordinator keeps the
 * group epoch, computes the target assignment itself, and moves each member towards it on that
 * member's own heartbeats. The members' side is ./consumer-group.ts.
 *
 * The rules:
 *   1. Members talk to the coordinator only by ConsumerGroupHeartbeat (every
 *      group.consumer.heartbeat.interval.ms, 5000). memberEpoch 0 joins, -1 leaves, -2 is a static
 *      member leaving briefly (it keeps its partitions for group.consumer.session.timeout.ms).
 *   2. A membership or subscription change bumps the group epoch; the coordinator recomputes the
 *      target assignment with the server-side assignor (uniform or range) and the assignment epoch
 *      becomes the group epoch.
 *   3. On each member's heartbeat the coordinator reconciles that member alone
 *      (./reconcile.ts): revoke first (its epoch stays, UNREVOKED_PARTITIONS), and only partitions
 *      nobody else owns are handed out. No global barrier: members that lose nothing are never paused.
 *   4. A member that does not revoke within its rebalance timeout (its max.poll.interval.ms) is
 *      fenced; one that misses heartbeats for the session timeout (45000) is removed; both bump the
 *      group epoch. A heartbeat with an epoch the coordinator does not accept gets
 *      FENCED_MEMBER_EPOCH; from a removed member, UNKNOWN_MEMBER_ID; a static member joining while
 *      its group.instance.id is still held (not left with -2), UNRELEASED_INSTANCE_ID.
 *   5. OffsetCommit carries the member epoch: older than a partition's assignment epoch, or newer
 *      than the member's epoch, is STALE_MEMBER_EPOCH.
 *
 * Example (uniform, t0 with 4 partitions): C0 joins at 0 → epoch 1, C0: [t0p0 … t0p3] at once (no
 *   initial delay). C1 joins at 10 000 → epoch 2, target C0: [t0p0, t0p1], C1: [t0p2, t0p3]; C1 is at
 *   epoch 2 but UNRELEASED; C0 hears at its next heartbeat, revokes t0p2, t0p3 and keeps polling
 *   t0p0, t0p1 throughout; C1 gets t0p2, t0p3 on its heartbeat after C0 reported them revoked.
 *
 * Caveats: requests and responses take no time; the target is computed at once (Kafka batches
 * changes per group.consumer.assignment.interval.ms); topic ids, regular-expression subscriptions,
 * rack awareness, online migration from classic and the expiry of an Empty group's offsets
 * (offsets.retention.minutes) are left out.
 *
 * Source: Kafka's group-coordinator GroupMetadataManager (consumerGroupHeartbeat,
 * throwIfConsumerGroupMemberEpochIsInvalid, throwIfInstanceIdIsUnreleased,
 * getOrMaybeSubscribeStaticConsumerGroupMember, scheduleConsumerGroupRebalanceTimeout),
 * modern/consumer/ConsumerGroup (states, validateOffsetCommit), CurrentAssignmentBuilder,
 * GroupCoordinatorConfig; KIP-848.
 */
import { compareStrings } from '../../assignors/assignor.ts';
import { compareTp, tpKey } from '../../common/notation.ts';
import type { TopicPartition } from '../../common/record.ts';
import { GroupUsageError } from '../group-types.ts';
import type { GroupEvent, GroupEventBody } from '../group-types.ts';
import { reconcileMember } from './reconcile.ts';
import type { MemberAssignmentState, MemberTarget, ReconcileResult } from './reconcile.ts';
import { computeTargetAssignment } from './server-assignors.ts';
import {
  CONSUMER_PROTOCOL_DEFAULTS,
  JOIN_GROUP_MEMBER_EPOCH,
  LEAVE_GROUP_MEMBER_EPOCH,
  LEAVE_GROUP_STATIC_MEMBER_EPOCH,
} from './protocol-types.ts';
import type { ConsumerGroupMember, ConsumerGroupState, ConsumerProtocolError, ServerAssignorName } from './protocol-types.ts';

/** Options of a consumer-protocol group (broker configs camelCase). */
export interface ConsumerProtocolGroupOptions {
  groupId: string;
  partitionsPerTopic: () => Record<string, number>;
  /** group.consumer.heartbeat.interval.ms; default 5000 */
  heartbeatIntervalMs?: number;
  /** group.consumer.session.timeout.ms; default 45000 */
  sessionTimeoutMs?: number;
  /** the broker's default assignor (first of group.consumer.assignors); default 'uniform' */
  defaultAssignor?: ServerAssignorName;
  trace?: GroupEvent[];
  nowMs?: number;
  /** called with every reconciliation step the coordinator takes (the reconcile checkpoint grades against these) */
  onReconcile?: (call: ReconcileCall) => void;
}

/** One reconciliation step of one member: its input and the engine's answer (./reconcile.ts). */
export interface ReconcileCall {
  atMs: number;
  member: string;
  memberId: string;
  current: MemberAssignmentState;
  target: MemberTarget;
  /** partitions other members still own, with the owner's name */
  ownedByOthers: { partition: TopicPartition; owner: string }[];
  result: ReconcileResult;
}

/** A ConsumerGroupHeartbeat request, as the member sends it. */
export interface HeartbeatRequest {
  memberId: string;
  memberEpoch: number;
  groupInstanceId: string | null;
  name: string;
  topics: string[];
  serverAssignor: ServerAssignorName | null;
  rebalanceTimeoutMs: number;
  /** the partitions the member owns right now */
  owned: TopicPartition[];
  /** not in Kafka's request: why a leave heartbeat is sent (for the trace), default 'leave-group' */
  leaveReason?: 'leave-group' | 'poll-timeout';
}

/** The response: an error, or the member's epoch and the partitions it should own now. */
export type HeartbeatResponse =
  { error: 'NONE'; memberEpoch: number; assignment: TopicPartition[] } | { error: Exclude<ConsumerProtocolError, 'NONE'>; message: string };

export abstract class ConsumerGroupCoordinatorBase {
  readonly groupId: string;
  readonly trace: GroupEvent[];
  readonly heartbeatIntervalMs: number;
  readonly sessionTimeoutMs: number;
  protected now: number;
  protected groupEpoch = 0;
  protected assignmentEpoch = 0;
  protected lastAssignor: ServerAssignorName | null = null;
  protected readonly defaultAssignor: ServerAssignorName;
  protected readonly members = new Map<string, ConsumerGroupMember>();
  /** memberId → its partitions in the target assignment */
  protected target = new Map<string, TopicPartition[]>();
  protected readonly partitionsPerTopic: () => Record<string, number>;
  protected readonly offsets = new Map<string, { offset: number; commitTimestampMs: number }>();
  protected joinCounter = 0;
  protected deleted = false;
  private lastState: ConsumerGroupState = 'Empty';
  private readonly onReconcile: ((call: ReconcileCall) => void) | undefined;
  private lastMetadata = '';

  constructor(options: ConsumerProtocolGroupOptions) {
    this.groupId = options.groupId;
    this.trace = options.trace ?? [];
    this.now = options.nowMs ?? 0;
    this.heartbeatIntervalMs = options.heartbeatIntervalMs ?? CONSUMER_PROTOCOL_DEFAULTS.heartbeatIntervalMs;
    this.sessionTimeoutMs = options.sessionTimeoutMs ?? CONSUMER_PROTOCOL_DEFAULTS.sessionTimeoutMs;
    this.defaultAssignor = options.defaultAssignor ?? CONSUMER_PROTOCOL_DEFAULTS.assignors[0];
    this.partitionsPerTopic = options.partitionsPerTopic;
    this.onReconcile = options.onReconcile;
  }

  // ---- read-only views ----

  get nowMs(): number {
    return this.now;
  }
  /** the group's state (ConsumerGroup#state) */
  get groupState(): ConsumerGroupState {
    if (this.deleted) return 'Dead';
    if (this.members.size === 0) return 'Empty';
    if (this.assignmentEpoch < this.groupEpoch) return 'Assigning';
    for (const m of this.members.values()) {
      if (m.memberEpoch === LEAVE_GROUP_STATIC_MEMBER_EPOCH) continue;
      if (m.memberEpoch !== this.assignmentEpoch || m.state !== 'STABLE') return 'Reconciling';
    }
    return 'Stable';
  }
  /** the group epoch: bumped by every membership, subscription or metadata change */
  get currentGroupEpoch(): number {
    return this.groupEpoch;
  }
  /** the epoch of the current target assignment */
  get currentAssignmentEpoch(): number {
    return this.assignmentEpoch;
  }
  /** the coordinator's record of each member, by consumer name, in join order (copies) */
  memberRecords(): ConsumerGroupMember[] {
    return [...this.members.values()]
      .sort((a, b) => a.joinOrder - b.joinOrder)
      .map((m) => ({
        ...m,
        assigned: [...m.assigned],
        pendingRevocation: [...m.pendingRevocation],
        assignmentEpochs: new Map(m.assignmentEpochs),
      }));
  }
  /** the target assignment by consumer name */
  targetAssignment(): Record<string, TopicPartition[]> {
    const out: Record<string, TopicPartition[]> = {};
    for (const m of this.members.values()) out[m.name] = [...(this.target.get(m.memberId) ?? [])];
    return out;
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

  // ---- ConsumerGroupHeartbeat ----

  /** Handle one heartbeat (GroupMetadataManager#consumerGroupHeartbeat). */
  protected handleHeartbeat(req: HeartbeatRequest): HeartbeatResponse {
    if (req.memberEpoch === LEAVE_GROUP_MEMBER_EPOCH || req.memberEpoch === LEAVE_GROUP_STATIC_MEMBER_EPOCH) return this.handleLeave(req);
    let member = this.members.get(req.memberId);
    if (req.memberEpoch === JOIN_GROUP_MEMBER_EPOCH) {
      const joined = this.handleJoinHeartbeat(req, member);
      if ('error' in joined) return joined;
      member = joined;
    } else {
      if (!member) return { error: 'UNKNOWN_MEMBER_ID', message: `member ${req.memberId} is not in group ${this.groupId}` };
      const accepted =
        req.memberEpoch === member.memberEpoch ||
        (req.memberEpoch === member.previousMemberEpoch && req.owned.every((tp) => member!.assigned.some((a) => tpKey(a) === tpKey(tp))));
      if (!accepted) {
        return {
          error: 'FENCED_MEMBER_EPOCH',
          message: `${req.name} sent epoch ${req.memberEpoch}; the coordinator knows ${member.memberEpoch}: it must give up its partitions and rejoin`,
        };
      }
    }
    member.lastHeartbeatMs = this.now;
    this.reconcile(member, req.owned);
    this.emitStateChange();
    return { error: 'NONE', memberEpoch: member.memberEpoch, assignment: [...member.assigned].sort(compareTp) };
  }

  private handleJoinHeartbeat(req: HeartbeatRequest, existing: ConsumerGroupMember | undefined): ConsumerGroupMember | HeartbeatResponse {
    this.deleted = false;
    if (req.groupInstanceId !== null) {
      const old = [...this.members.values()].find((m) => m.groupInstanceId === req.groupInstanceId && m.memberId !== req.memberId);
      if (old) {
        if (old.memberEpoch !== LEAVE_GROUP_STATIC_MEMBER_EPOCH) {
          return {
            error: 'UNRELEASED_INSTANCE_ID',
            message: `group.instance.id ${req.groupInstanceId} is still held by ${old.name} (it did not leave with epoch -2)`,
          };
        }
        // the static member is back: copy it under the new memberId at epoch 0, partitions kept
        this.members.delete(old.memberId);
        const replaced: ConsumerGroupMember = { ...old, memberId: req.memberId, name: req.name, memberEpoch: 0, previousMemberEpoch: 0 };
        this.members.set(req.memberId, replaced);
        this.target.set(req.memberId, this.target.get(old.memberId) ?? []);
        this.target.delete(old.memberId);
        this.emit({ type: 'static-member-replaced', member: req.name, oldMemberId: old.memberId, memberId: req.memberId });
        this.maybeUpdateSubscription(replaced, req);
        return replaced;
      }
    }
    if (existing) {
      // a fenced member rejoins with epoch 0 under the same memberId (KIP-1082): it owns nothing now
      existing.memberEpoch = 0;
      existing.previousMemberEpoch = 0;
      existing.assigned = [];
      existing.assignmentEpochs = new Map();
      existing.pendingRevocation = [];
      existing.state = 'STABLE';
      this.maybeUpdateSubscription(existing, req);
      return existing;
    }
    const member: ConsumerGroupMember = {
      memberId: req.memberId,
      name: req.name,
      groupInstanceId: req.groupInstanceId,
      subscribedTopics: [...req.topics].sort(compareStrings),
      serverAssignor: req.serverAssignor,
      rebalanceTimeoutMs: req.rebalanceTimeoutMs,
      memberEpoch: 0,
      previousMemberEpoch: 0,
      state: 'STABLE',
      assigned: [],
      assignmentEpochs: new Map(),
      pendingRevocation: [],
      lastHeartbeatMs: this.now,
      revocationDeadlineMs: Infinity,
      joinOrder: this.joinCounter++,
    };
    this.members.set(member.memberId, member);
    this.emit({ type: 'member-joined', member: req.name, memberId: req.memberId, groupInstanceId: req.groupInstanceId });
    this.bumpGroupEpoch(`${req.name} joined`);
    return member;
  }

  private maybeUpdateSubscription(m: ConsumerGroupMember, req: HeartbeatRequest): void {
    const topics = [...req.topics].sort(compareStrings);
    m.rebalanceTimeoutMs = req.rebalanceTimeoutMs;
    if (topics.join(',') !== m.subscribedTopics.join(',') || req.serverAssignor !== m.serverAssignor) {
      m.subscribedTopics = topics;
      m.serverAssignor = req.serverAssignor;
      this.bumpGroupEpoch(`${req.name} changed its subscription`);
    }
  }

  private handleLeave(req: HeartbeatRequest): HeartbeatResponse {
    const member = this.members.get(req.memberId);
    if (!member) return { error: 'UNKNOWN_MEMBER_ID', message: `member ${req.memberId} is not in group ${this.groupId}` };
    if (req.memberEpoch === LEAVE_GROUP_STATIC_MEMBER_EPOCH && member.groupInstanceId !== null) {
      // a static member leaves briefly: it keeps its partitions (nobody else gets them) until its session times out
      member.memberEpoch = LEAVE_GROUP_STATIC_MEMBER_EPOCH;
      member.revocationDeadlineMs = Infinity;
      this.emit({ type: 'static-member-left', member: member.name, memberId: member.memberId });
      this.emitStateChange();
      return { error: 'NONE', memberEpoch: LEAVE_GROUP_STATIC_MEMBER_EPOCH, assignment: [] };
    }
    this.removeMember(member, req.leaveReason ?? 'leave-group');
    return { error: 'NONE', memberEpoch: LEAVE_GROUP_MEMBER_EPOCH, assignment: [] };
  }

  /** remove a member (left, session expired, or fenced): its partitions are free at once; the group epoch moves */
  protected removeMember(
    member: ConsumerGroupMember,
    reason: 'session-timeout' | 'leave-group' | 'rebalance-timeout' | 'poll-timeout',
  ): void {
    this.members.delete(member.memberId);
    this.target.delete(member.memberId);
    this.emit({ type: 'member-removed', member: member.name, memberId: member.memberId, reason });
    this.bumpGroupEpoch(`${member.name} left (${reason})`);
    this.emitStateChange();
  }

  protected bumpGroupEpoch(reason: string): void {
    this.groupEpoch++;
    const active = [...this.members.values()].sort((a, b) => a.joinOrder - b.joinOrder);
    if (active.length === 0) {
      this.target = new Map();
      this.assignmentEpoch = this.groupEpoch;
      this.emitStateChange();
      return;
    }
    // the group uses the assignor most members ask for (group.remote.assignor), else the broker's default
    const votes = new Map<ServerAssignorName, number>();
    for (const m of active) if (m.serverAssignor) votes.set(m.serverAssignor, (votes.get(m.serverAssignor) ?? 0) + 1);
    let assignor = this.defaultAssignor;
    for (const [a, n] of votes) if (n > (votes.get(assignor) ?? 0)) assignor = a;
    this.lastAssignor = assignor;
    const ppt = this.partitionsPerTopic();
    this.lastMetadata = this.metadataKey(ppt);
    const result = computeTargetAssignment(
      assignor,
      active.map((m) => ({
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        topics: m.subscribedTopics,
        current: this.target.get(m.memberId) ?? [],
      })),
      ppt,
    );
    this.target = new Map(active.map((m) => [m.memberId, result[m.memberId] ?? []] as const));
    this.assignmentEpoch = this.groupEpoch;
    const byName: Record<string, TopicPartition[]> = {};
    for (const m of active) byName[m.name] = [...(result[m.memberId] ?? [])];
    this.emit({ type: 'target-assignment', groupEpoch: this.groupEpoch, assignor, reason, assignment: byName });
  }

  /** partitions owned by members other than `self`: assigned to them or pending their revocation */
  protected ownedElsewhere(self: ConsumerGroupMember): TopicPartition[] {
    const out: TopicPartition[] = [];
    for (const m of this.members.values()) if (m !== self) out.push(...m.assigned, ...m.pendingRevocation);
    return out;
  }

  /** CurrentAssignmentBuilder#build for one member, given what it reports owning */
  protected reconcile(m: ConsumerGroupMember, owned: readonly TopicPartition[]): void {
    if (m.memberEpoch === LEAVE_GROUP_STATIC_MEMBER_EPOCH) return;
    const ownedKeys = new Set(owned.map(tpKey));
    if (m.state === 'UNREVOKED_PARTITIONS' && m.pendingRevocation.some((tp) => ownedKeys.has(tpKey(tp)))) return;
    if (m.state === 'STABLE' && m.memberEpoch === this.assignmentEpoch && m.pendingRevocation.length === 0) return;
    const before = JSON.stringify([m.memberEpoch, m.state, m.assigned.map(tpKey).sort(), m.pendingRevocation.map(tpKey).sort()]);
    const targetTps = this.target.get(m.memberId) ?? [];
    let r = this.reconcileStep(m, m.assigned, targetTps);
    if (r.revoke.length > 0 && !r.revoke.some((tp) => ownedKeys.has(tpKey(tp)))) {
      // it already gave them up (the owned partitions it reported lack them): move on
      r = this.reconcileStep(m, r.keep, targetTps);
    }
    const epochs = new Map<string, number>();
    for (const tp of r.keep) epochs.set(tpKey(tp), m.assignmentEpochs.get(tpKey(tp)) ?? m.memberEpoch);
    for (const tp of r.receive) epochs.set(tpKey(tp), this.assignmentEpoch);
    if (r.nextState.memberEpoch !== m.memberEpoch) m.previousMemberEpoch = m.memberEpoch;
    m.memberEpoch = r.nextState.memberEpoch;
    m.state = r.nextState.state;
    m.assigned = [...r.keep, ...r.receive].sort(compareTp);
    m.pendingRevocation = r.revoke;
    m.assignmentEpochs = epochs;
    // the rebalance timeout runs while the member has partitions to revoke
    m.revocationDeadlineMs =
      m.state === 'UNREVOKED_PARTITIONS'
        ? Number.isFinite(m.revocationDeadlineMs)
          ? m.revocationDeadlineMs
          : this.now + m.rebalanceTimeoutMs
        : Infinity;
    const after = JSON.stringify([m.memberEpoch, m.state, m.assigned.map(tpKey).sort(), m.pendingRevocation.map(tpKey).sort()]);
    if (before !== after) {
      this.emit({
        type: 'member-reconciled',
        member: m.name,
        memberId: m.memberId,
        memberEpoch: m.memberEpoch,
        state: m.state,
        assigned: [...m.assigned],
        pendingRevocation: [...m.pendingRevocation],
      });
    }
  }

  private reconcileStep(m: ConsumerGroupMember, assigned: TopicPartition[], targetTps: TopicPartition[]): ReconcileResult {
    const current = { memberEpoch: m.memberEpoch, assigned: [...assigned].sort(compareTp) };
    const target = { assignmentEpoch: this.assignmentEpoch, partitions: [...targetTps] };
    const elsewhere = this.ownedElsewhere(m);
    const r = reconcileMember(current, target, elsewhere);
    if (this.onReconcile) {
      const ownedByOthers: { partition: TopicPartition; owner: string }[] = [];
      for (const o of this.members.values()) {
        if (o === m) continue;
        for (const tp of [...o.assigned, ...o.pendingRevocation]) ownedByOthers.push({ partition: { ...tp }, owner: o.name });
      }
      ownedByOthers.sort((a, b) => compareTp(a.partition, b.partition));
      this.onReconcile({ atMs: this.now, member: m.name, memberId: m.memberId, current, target, ownedByOthers, result: r });
    }
    return r;
  }

  // ---- OffsetCommit ----

  /**
   * OffsetCommit under the consumer protocol (ConsumerGroup#validateOffsetCommit): epoch -1 with no
   * member id commits only while the group is Empty; an unknown member gets UNKNOWN_MEMBER_ID; the
   * member's current epoch is accepted; a newer epoch, or an older one than a partition's assignment
   * epoch (or a partition it does not hold), gets STALE_MEMBER_EPOCH.
   */
  protected validateOffsetCommit(
    memberId: string | null,
    memberEpoch: number,
    partitions: readonly TopicPartition[],
  ): ConsumerProtocolError {
    if (memberEpoch < 0 && this.members.size === 0) return 'NONE';
    const m = memberId === null ? undefined : this.members.get(memberId);
    if (!m) return 'UNKNOWN_MEMBER_ID';
    if (memberEpoch === m.memberEpoch) return 'NONE';
    if (memberEpoch > m.memberEpoch) return 'STALE_MEMBER_EPOCH';
    for (const tp of partitions) {
      const assignmentEpoch =
        m.assignmentEpochs.get(tpKey(tp)) ?? (m.pendingRevocation.some((p) => tpKey(p) === tpKey(tp)) ? m.memberEpoch : undefined);
      if (assignmentEpoch === undefined || memberEpoch < assignmentEpoch) return 'STALE_MEMBER_EPOCH';
    }
    return 'NONE';
  }

  // ---- timers ----

  /** the coordinator's next due timer: a session expiry or a rebalance (revocation) timeout */
  protected coordinatorTimer(consider: (atMs: number, order: string, run: () => void) => void): void {
    for (const m of this.members.values()) {
      consider(m.lastHeartbeatMs + this.sessionTimeoutMs, `0${m.memberId}`, () => this.removeMember(m, 'session-timeout'));
      consider(m.revocationDeadlineMs, `1${m.memberId}`, () => this.removeMember(m, 'rebalance-timeout'));
    }
  }

  protected metadataKey(ppt: Record<string, number>): string {
    const topics = [...new Set([...this.members.values()].flatMap((m) => m.subscribedTopics))].sort(compareStrings);
    return JSON.stringify(topics.map((t) => [t, ppt[t] ?? null]));
  }

  /** a subscribed topic's partition count changed: the group epoch moves (the coordinator watches metadata) */
  protected checkMetadata(): void {
    if (this.members.size === 0) return;
    if (this.metadataKey(this.partitionsPerTopic()) !== this.lastMetadata)
      this.bumpGroupEpoch('the partition count of a subscribed topic changed');
  }

  protected emitStateChange(): void {
    const s = this.groupState;
    if (s !== this.lastState) {
      const from = this.lastState;
      this.lastState = s;
      this.emit({ type: 'consumer-group-state', from, to: s });
    }
  }

  protected emit(e: GroupEventBody): void {
    this.trace.push({ atMs: this.now, groupId: this.groupId, ...e });
  }

  protected requireTime(nowMs: number): void {
    if (!Number.isFinite(nowMs)) throw new GroupUsageError(`Expected a finite time in ms, got ${nowMs}`);
    if (nowMs < this.now) throw new GroupUsageError(`Time cannot go backwards: now ${this.now} ms, asked for ${nowMs} ms`);
  }
}
