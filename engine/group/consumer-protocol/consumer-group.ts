/**
 * A consumer group under KIP-848's consumer protocol, members' side, and the driver API: what each
 * consumer's membership manager does (heartbeat every group.consumer.heartbeat.interval.ms, join
 * with epoch 0, reconcile what the coordinator sends — revoke through onPartitionsRevoked, then take
 * the new partitions through onPartitionsAssigned — and acknowledge with a heartbeat at once; give
 * everything up as lost and rejoin with epoch 0 when fenced; leave with -1, or -2 as a static member;
 * leave when max.poll.interval.ms passes without a poll). The broker's side and the rules of the
 * protocol are ./group-coordinator.ts.
 *
 * Drive it like the classic GroupCoordinator (../member.ts): join / poll / process / commitOffsets /
 * leave / crash / restart and advanceTo(ms) — the scenario runner and ../../consumer/consumer.ts use
 * either through ../membership.ts.
 *
 * Caveats: the rebalance listener runs on the application thread, so a member applies a new
 * assignment at its next poll() (Kafka runs ConsumerRebalanceListener callbacks in poll(); without
 * a listener it could finish in the background); the memberId is `<name>-<n>`, one per process (Kafka:
 * a UUID the client makes, KIP-1082); a fatal error (UNRELEASED_INSTANCE_ID) stops the consumer.
 *
 * Source: Kafka's clients consumer/internals ConsumerMembershipManager, AbstractMembershipManager
 * (transitionToFenced, transitionToSendingLeaveGroup, leaveGroupEpoch, maybeReconcile),
 * AbstractHeartbeatRequestManager (error handling; max.poll.interval.ms is the rebalance timeout),
 * ConsumerGroupHeartbeatRequest; KIP-848, KIP-1082.
 */
import { compareTp, tpKey } from '../../common/notation.ts';
import type { TopicPartition } from '../../common/record.ts';
import { CONSUMER_GROUP_DEFAULTS, GroupUsageError } from '../group-types.ts';
import type { GroupError, GroupState, MemberConfig, MemberListener } from '../group-types.ts';
import { ConsumerGroupCoordinatorBase } from './group-coordinator.ts';
import type { ConsumerProtocolGroupOptions, HeartbeatRequest } from './group-coordinator.ts';
import { JOIN_GROUP_MEMBER_EPOCH, LEAVE_GROUP_MEMBER_EPOCH, LEAVE_GROUP_STATIC_MEMBER_EPOCH } from './protocol-types.ts';
import type { ServerAssignorName } from './protocol-types.ts';

interface ProtocolClient {
  name: string;
  topics: string[];
  groupInstanceId: string | null;
  groupRemoteAssignor: ServerAssignorName | null;
  maxPollIntervalMs: number;
  alive: boolean;
  /** this process's memberId (kept when it rejoins after being fenced) */
  memberId: string;
  /** in the group (joined and not fenced, left or stale) */
  inGroup: boolean;
  memberEpoch: number;
  owned: TopicPartition[];
  /** the latest assignment the coordinator sent, waiting for poll() to reconcile it */
  received: TopicPartition[] | null;
  /** fenced: its partitions are lost and it rejoins at the next poll() */
  fenced: boolean;
  nextHeartbeatMs: number;
  lastPollMs: number;
  busyUntilMs: number;
  listener: MemberListener;
}

/** Options of a consumer-protocol group: broker configs and the group.remote.assignor its members ask for. */
export interface ConsumerProtocolGroupConfig extends ConsumerProtocolGroupOptions {
  /** group.remote.assignor of every member (absent: the broker's default, uniform) */
  groupRemoteAssignor?: ServerAssignorName | null;
}

/**
 * One consumer group under the consumer protocol (KIP-848): coordinator + members, on a simulated clock.
 * Drive it with join / poll / process / commitOffsets / leave / crash / restart and advanceTo(ms).
 */
export class ConsumerProtocolGroup extends ConsumerGroupCoordinatorBase {
  private readonly clients = new Map<string, ProtocolClient>();
  private readonly remoteAssignor: ServerAssignorName | null;
  private processCounter = 0;

  constructor(options: ConsumerProtocolGroupConfig) {
    super(options);
    this.remoteAssignor = options.groupRemoteAssignor ?? null;
  }

  // ---- views shared with the classic GroupCoordinator (../membership.ts) ----

  /** the group's state: Empty, Assigning, Reconciling, Stable or Dead */
  get state(): GroupState {
    return this.groupState;
  }
  /** the group epoch (where the classic protocol has a generation) */
  get generationId(): number {
    return this.groupEpoch;
  }
  /** the server-side assignor of the last target assignment */
  get assignor(): ServerAssignorName | null {
    return this.lastAssignor;
  }
  /** no leader: the coordinator assigns */
  get leader(): string | null {
    return null;
  }
  memberNames(): string[] {
    return this.memberRecords().map((m) => m.name);
  }
  memberIdOf(name: string): string | null {
    const c = this.client(name);
    return c.inGroup ? c.memberId : null;
  }
  ownedPartitions(name: string): TopicPartition[] {
    return [...this.client(name).owned];
  }
  /** the member epoch this consumer believes it has (-1 when it is not in the group) */
  memberGenerationId(name: string): number {
    const c = this.client(name);
    return c.inGroup ? c.memberEpoch : -1;
  }
  /** what the coordinator has assigned each member now (partitions pending revocation excluded; see memberRecords) */
  assignment(): Record<string, TopicPartition[]> {
    const out: Record<string, TopicPartition[]> = {};
    for (const m of this.memberRecords()) out[m.name] = [...m.assigned].sort(compareTp);
    return out;
  }
  isAlive(name: string): boolean {
    return this.client(name).alive;
  }

  // ---- driver API ----

  /**
   * A consumer subscribes and polls for the first time: it sends a heartbeat with memberEpoch 0.
   * Only `topics`, `groupInstanceId` and `maxPollIntervalMs` of the config apply: session.timeout.ms,
   * heartbeat.interval.ms and partition.assignment.strategy are broker-side under this protocol.
   * @throws GroupUsageError when the name is already running
   */
  join(nowMs: number, name: string, config: MemberConfig, listener: MemberListener = {}): void {
    this.advanceTo(nowMs);
    const existing = this.clients.get(name);
    if (existing?.alive) throw new GroupUsageError(`Consumer ${name} is already running in group ${this.groupId}`);
    const c: ProtocolClient = {
      name,
      topics: [...config.topics],
      groupInstanceId: config.groupInstanceId ?? null,
      groupRemoteAssignor: this.remoteAssignor,
      maxPollIntervalMs: config.maxPollIntervalMs ?? CONSUMER_GROUP_DEFAULTS.maxPollIntervalMs,
      alive: true,
      memberId: `${name}-${++this.processCounter}`,
      inGroup: false,
      memberEpoch: JOIN_GROUP_MEMBER_EPOCH,
      owned: [],
      received: null,
      fenced: false,
      nextHeartbeatMs: Infinity,
      lastPollMs: nowMs,
      busyUntilMs: -Infinity,
      listener,
    };
    this.clients.set(name, c);
    this.heartbeat(c);
  }

  /**
   * poll(): the poll timer resets; a pending assignment is reconciled (revoke, then assign, then a
   * heartbeat acknowledges it); a fenced or stale member gives up its partitions and rejoins.
   * @returns the partitions it owns after this poll
   */
  poll(nowMs: number, name: string): TopicPartition[] {
    this.advanceTo(nowMs);
    const c = this.client(name);
    if (!c.alive) throw new GroupUsageError(`Consumer ${name} is not running (crashed or closed)`);
    c.lastPollMs = nowMs;
    c.busyUntilMs = -Infinity;
    if (c.fenced || !c.inGroup) {
      if (c.owned.length) this.callback(c, 'partitions-lost', c.owned);
      c.owned = [];
      c.fenced = false;
      c.memberEpoch = JOIN_GROUP_MEMBER_EPOCH;
      this.heartbeat(c);
    }
    this.reconcileClient(c);
    this.advanceTo(nowMs);
    return [...c.owned];
  }

  /** The consumer processes for `durationMs` without polling: its reconciliation waits; past max.poll.interval.ms it leaves. */
  process(nowMs: number, name: string, durationMs: number): void {
    this.advanceTo(nowMs);
    const c = this.client(name);
    c.lastPollMs = nowMs;
    c.busyUntilMs = nowMs + durationMs;
  }

  /**
   * consumer.close(): onPartitionsRevoked (or Lost if fenced), then a leave heartbeat: epoch -1, or
   * -2 for a static member, which keeps its partitions in the group until its session times out.
   */
  leave(nowMs: number, name: string): void {
    this.advanceTo(nowMs);
    const c = this.client(name);
    if (!c.alive) return;
    if (c.owned.length) this.callback(c, c.inGroup && !c.fenced ? 'partitions-revoked' : 'partitions-lost', c.owned);
    c.owned = [];
    c.alive = false;
    this.emit({ type: 'member-closed', member: name });
    if (c.inGroup && !c.fenced) this.send(c, c.groupInstanceId !== null ? LEAVE_GROUP_STATIC_MEMBER_EPOCH : LEAVE_GROUP_MEMBER_EPOCH);
    c.inGroup = false;
    c.nextHeartbeatMs = Infinity;
  }

  /** The consumer's process dies: no callbacks, no leave heartbeat; the coordinator notices after the session timeout. */
  crash(nowMs: number, name: string): void {
    this.advanceTo(nowMs);
    const c = this.client(name);
    if (!c.alive) return;
    c.alive = false;
    c.inGroup = false;
    c.owned = [];
    c.nextHeartbeatMs = Infinity;
    this.emit({ type: 'member-crashed', member: name });
  }

  /** Start the consumer again as a new process (new memberId; a static member keeps its group.instance.id). */
  restart(nowMs: number, name: string, listener?: MemberListener): void {
    const c = this.client(name);
    this.join(
      nowMs,
      name,
      { topics: c.topics, groupInstanceId: c.groupInstanceId, maxPollIntervalMs: c.maxPollIntervalMs },
      listener ?? c.listener,
    );
  }

  /** OffsetCommit with the consumer's member epoch (see validateOffsetCommit). @returns NONE, UNKNOWN_MEMBER_ID or STALE_MEMBER_EPOCH */
  commitOffsets(nowMs: number, name: string | null, offsets: { tp: TopicPartition; offset: number }[]): GroupError {
    this.advanceTo(nowMs);
    const c = name === null ? null : this.client(name);
    return this.commitWithEpoch(nowMs, c && c.inGroup ? c.memberId : null, c && c.inGroup ? c.memberEpoch : -1, offsets);
  }

  /**
   * OffsetCommit with an explicit member epoch, as a zombie or a slow client might send it.
   * @returns NONE, UNKNOWN_MEMBER_ID or STALE_MEMBER_EPOCH
   */
  commitWithEpoch(
    nowMs: number,
    memberId: string | null,
    memberEpoch: number,
    offsets: { tp: TopicPartition; offset: number }[],
  ): GroupError {
    this.advanceTo(nowMs);
    const error = this.validateOffsetCommit(
      memberId,
      memberEpoch,
      offsets.map((o) => o.tp),
    );
    if (error !== 'NONE') return error;
    for (const { tp, offset } of offsets) this.offsets.set(tpKey(tp), { offset, commitTimestampMs: nowMs });
    return 'NONE';
  }

  /** TxnOffsetCommit's check: the member epoch, as for OffsetCommit. */
  validateTxnOffsetCommit(nowMs: number, name: string): GroupError {
    this.advanceTo(nowMs);
    const c = this.client(name);
    return this.validateOffsetCommit(c.inGroup ? c.memberId : null, c.inGroup ? c.memberEpoch : -1, c.owned);
  }

  /** The COMMIT marker reached __consumer_offsets: the transaction's offsets become committed. */
  completeTxnOffsetCommit(nowMs: number, offsets: { tp: TopicPartition; offset: number }[]): void {
    this.advanceTo(nowMs);
    for (const { tp, offset } of offsets) this.offsets.set(tpKey(tp), { offset, commitTimestampMs: nowMs });
  }

  /** The client learns an error from a commit: a fenced or unknown member gives its partitions up at its next poll. */
  handleError(name: string, error: GroupError): void {
    const c = this.client(name);
    if (error === 'UNKNOWN_MEMBER_ID' || error === 'FENCED_MEMBER_EPOCH') this.transitionToFenced(c);
  }

  /** DeleteGroups: only an Empty group can be deleted. @returns NONE or NON_EMPTY_GROUP */
  deleteGroup(nowMs: number): 'NONE' | 'NON_EMPTY_GROUP' {
    this.advanceTo(nowMs);
    if (this.members.size > 0) return 'NON_EMPTY_GROUP';
    this.offsets.clear();
    this.deleted = true;
    this.emitStateChange();
    return 'NONE';
  }

  // ---- the clock ----

  /**
   * Run every timer due up to `nowMs` (heartbeats, poll timeouts, session and rebalance timeouts),
   * in time order; ties run the coordinator first, then members by name.
   * @throws GroupUsageError when nowMs is before the current time
   */
  advanceTo(nowMs: number): void {
    this.requireTime(nowMs);
    this.checkMetadata();
    for (let guard = 0; guard < 1_000_000; guard++) {
      let best: { atMs: number; order: string; run: () => void } | null = null;
      const consider = (atMs: number, order: string, run: () => void) => {
        if (!Number.isFinite(atMs) || atMs > nowMs) return;
        if (!best || atMs < best.atMs || (atMs === best.atMs && order < best.order)) best = { atMs, order, run };
      };
      this.coordinatorTimer(consider);
      for (const c of this.clients.values()) {
        if (!c.alive) continue;
        if (c.inGroup && !c.fenced) consider(c.nextHeartbeatMs, `2${c.name}`, () => this.heartbeat(c));
        if (c.inGroup && Number.isFinite(c.lastPollMs))
          consider(c.lastPollMs + c.maxPollIntervalMs, `3${c.name}`, () => this.pollTimeout(c));
      }
      if (best === null) break;
      const next: { atMs: number; run: () => void } = best;
      this.now = Math.max(this.now, next.atMs);
      next.run();
    }
    this.now = nowMs;
    this.checkMetadata();
  }

  // ---- member side ----

  private heartbeat(c: ProtocolClient): void {
    this.send(c, c.memberEpoch);
  }

  private send(c: ProtocolClient, memberEpoch: number, leaveReason?: 'poll-timeout'): void {
    const req: HeartbeatRequest = {
      memberId: c.memberId,
      memberEpoch,
      groupInstanceId: c.groupInstanceId,
      name: c.name,
      topics: c.topics,
      serverAssignor: c.groupRemoteAssignor,
      rebalanceTimeoutMs: c.maxPollIntervalMs,
      owned: [...c.owned],
      ...(leaveReason ? { leaveReason } : {}),
    };
    c.nextHeartbeatMs = this.now + this.heartbeatIntervalMs;
    const res = this.handleHeartbeat(req);
    if (memberEpoch < 0) return;
    if (res.error === 'NONE') {
      c.inGroup = true;
      c.memberEpoch = res.memberEpoch;
      const same = res.assignment.length === c.owned.length && res.assignment.every((tp) => c.owned.some((o) => tpKey(o) === tpKey(tp)));
      c.received = same ? null : res.assignment;
      return;
    }
    this.emit({ type: 'member-fenced', member: c.name, memberId: c.memberId, error: res.error });
    if (res.error === 'UNRELEASED_INSTANCE_ID' || res.error === 'FENCED_INSTANCE_ID') {
      // fatal for the client: the consumer stops
      c.alive = false;
      c.inGroup = false;
      c.nextHeartbeatMs = Infinity;
      return;
    }
    this.transitionToFenced(c);
  }

  /** FENCED_MEMBER_EPOCH / UNKNOWN_MEMBER_ID: stop heartbeating; at the next poll its partitions are lost and it rejoins with epoch 0 */
  private transitionToFenced(c: ProtocolClient): void {
    c.fenced = true;
    c.received = null;
    c.nextHeartbeatMs = Infinity;
  }

  /** apply the coordinator's assignment on the application thread: revoke, then assign, then acknowledge */
  private reconcileClient(c: ProtocolClient): void {
    if (!c.received || !c.alive) return;
    const target = c.received;
    c.received = null;
    const keys = new Set(target.map(tpKey));
    const ownedKeys = new Set(c.owned.map(tpKey));
    const revoked = c.owned.filter((tp) => !keys.has(tpKey(tp)));
    const added = target.filter((tp) => !ownedKeys.has(tpKey(tp)));
    if (revoked.length) {
      this.callback(c, 'partitions-revoked', revoked);
      c.owned = c.owned.filter((tp) => keys.has(tpKey(tp)));
    }
    if (added.length) {
      c.owned = [...c.owned, ...added].sort(compareTp);
      this.callback(c, 'partitions-assigned', added);
    }
    this.heartbeat(c); // acknowledge at once, without waiting for the interval
    this.reconcileClient(c); // the acknowledgement may bring the next step (e.g. new partitions after a revocation)
  }

  private pollTimeout(c: ProtocolClient): void {
    // max.poll.interval.ms passed without poll(): leave (-1, or -2 for a static member) and go stale until the next poll
    this.send(c, c.groupInstanceId !== null ? LEAVE_GROUP_STATIC_MEMBER_EPOCH : LEAVE_GROUP_MEMBER_EPOCH, 'poll-timeout');
    c.inGroup = false;
    c.received = null;
    c.lastPollMs = Infinity;
    c.nextHeartbeatMs = Infinity;
  }

  private callback(
    c: ProtocolClient,
    type: 'partitions-revoked' | 'partitions-assigned' | 'partitions-lost',
    partitions: TopicPartition[],
  ): void {
    const sorted = [...partitions].sort(compareTp);
    this.emit({ type, member: c.name, memberId: c.memberId, partitions: sorted });
    const l = c.listener;
    if (type === 'partitions-revoked') l.onPartitionsRevoked?.(this.now, sorted);
    else if (type === 'partitions-assigned') l.onPartitionsAssigned?.(this.now, sorted);
    else l.onPartitionsLost?.(this.now, sorted);
  }

  private client(name: string): ProtocolClient {
    const c = this.clients.get(name);
    if (!c) throw new GroupUsageError(`No consumer named ${JSON.stringify(name)} in group ${this.groupId}`);
    return c;
  }
}
