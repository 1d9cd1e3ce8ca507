/**
 * A consumer group under the classic rebalance protocol, members' side: what each consumer's
 * ConsumerCoordinator does (join on the first poll, the heartbeat thread, rejoin on
 * REBALANCE_IN_PROGRESS, onJoinPrepare, revoke / assign / lose through the rebalance listener,
 * leave, crash, restart). The broker's side is ./coordinator.ts; the rules of the whole protocol,
 * with an example, open that file.
 *
 * Drive a group with join / poll / process / commitOffsets / leave / crash / restart and advanceTo(ms).
 *
 * Source: Kafka's AbstractCoordinator (heartbeat thread, joinGroupIfNeeded), ConsumerCoordinator
 * (onJoinPrepare, onJoinComplete, COOPERATIVE only if every assignor supports it), KIP-62, KIP-429.
 */
import { DEFAULT_GENERATION } from '../assignors/assignor.ts';
import { ASSIGNORS } from '../assignors/registry.ts';
import { compareTp, tpKey } from '../common/notation.ts';
import type { TopicPartition } from '../common/record.ts';
import { CONSUMER_GROUP_DEFAULTS, GroupUsageError } from './group-types.ts';
import type { Client, GroupError, MemberConfig, MemberListener } from './group-types.ts';
import { JoinPhase } from './join-phase.ts';

/**
 * One consumer group (classic protocol): coordinator + members, on a simulated clock.
 * Drive it with join / poll / process / commitOffsets / leave / crash / restart and advanceTo(ms).
 */
export class GroupCoordinator extends JoinPhase {
  // ---- driver API ----

  /**
   * A consumer subscribes and polls for the first time: it joins the group.
   * @param name the consumer's name in lessons and traces (also its client.id), e.g. "C0"
   * @throws GroupUsageError when the name is already running, an assignor name is unknown, or the
   *   member shares no assignor with the group (Kafka's INCONSISTENT_GROUP_PROTOCOL)
   */
  join(nowMs: number, name: string, config: MemberConfig, listener: MemberListener = {}): void {
    this.advanceTo(nowMs);
    const existing = this.clients.get(name);
    if (existing?.alive) throw new GroupUsageError(`Consumer ${name} is already running in group ${this.groupId}`);
    const strategy = config.partitionAssignmentStrategy ?? [...CONSUMER_GROUP_DEFAULTS.partitionAssignmentStrategy];
    if (strategy.length === 0) throw new GroupUsageError(`Expected partitionAssignmentStrategy to name at least one assignor, got []`);
    for (const s of strategy)
      if (!(s in ASSIGNORS))
        throw new GroupUsageError(`Unknown assignor ${JSON.stringify(s)}; expected one of ${Object.keys(ASSIGNORS).join(', ')}`);
    const others = [...this.members.values()].filter(
      (m) => m.groupInstanceId === null || m.groupInstanceId !== (config.groupInstanceId ?? null),
    );
    if (others.length > 0 && !strategy.some((s) => others.every((m) => m.assignors.includes(s)))) {
      // the coordinator rejects the JoinGroup; the consumer never becomes a member
      throw new GroupUsageError(
        `INCONSISTENT_GROUP_PROTOCOL: ${name} supports [${strategy.join(', ')}], which shares no assignor with the group's members`,
      );
    }
    const client: Client = {
      name,
      config: {
        topics: [...config.topics],
        groupInstanceId: config.groupInstanceId ?? null,
        partitionAssignmentStrategy: strategy,
        sessionTimeoutMs: config.sessionTimeoutMs ?? CONSUMER_GROUP_DEFAULTS.sessionTimeoutMs,
        heartbeatIntervalMs: config.heartbeatIntervalMs ?? CONSUMER_GROUP_DEFAULTS.heartbeatIntervalMs,
        maxPollIntervalMs: config.maxPollIntervalMs ?? CONSUMER_GROUP_DEFAULTS.maxPollIntervalMs,
        rackId: config.rackId ?? null,
        pollMode: config.pollMode ?? 'auto',
      },
      // the consumer uses COOPERATIVE only if every configured assignor supports it (ConsumerCoordinator)
      rebalanceProtocol: strategy.every((s) => ASSIGNORS[s].supportedProtocols.includes('cooperative')) ? 'cooperative' : 'eager',
      alive: true,
      memberId: null,
      generationId: -1,
      owned: [],
      lastAssignment: [], // a new process remembers nothing
      lastAssignmentGeneration: DEFAULT_GENERATION,
      rejoinNeeded: true,
      lostPending: false,
      lastPollMs: nowMs,
      busyUntilMs: -Infinity,
      nextHeartbeatMs: Infinity,
      heartbeating: false,
      listener,
    };
    this.clients.set(name, client);
    this.sendJoin(client);
  }

  /**
   * The consumer calls poll(): the poll timer resets and, if a rebalance is pending, it rejoins now.
   * @returns the partitions it owns after this poll
   */
  poll(nowMs: number, name: string): TopicPartition[] {
    this.advanceTo(nowMs);
    const c = this.client(name);
    if (!c.alive) throw new GroupUsageError(`Consumer ${name} is not running (crashed or closed)`);
    c.lastPollMs = nowMs;
    c.busyUntilMs = c.config.pollMode === 'manual' ? Infinity : -Infinity;
    if (c.rejoinNeeded) this.sendJoin(c);
    this.advanceTo(nowMs);
    return [...c.owned];
  }

  /**
   * The consumer spends `durationMs` processing a batch without polling (poll loop blocked).
   * A rebalance waits for it; past max.poll.interval.ms it leaves the group.
   */
  process(nowMs: number, name: string, durationMs: number): void {
    this.advanceTo(nowMs);
    const c = this.client(name);
    c.lastPollMs = nowMs;
    c.busyUntilMs = nowMs + durationMs;
  }

  /**
   * consumer.close(): revokes its partitions (or reports them lost if it was no longer a member); a
   * dynamic member sends LeaveGroup (immediate rebalance), a static member does not (it stays until
   * its session times out). Auto-commit on close is the data path's job (../consumer/consumer.ts).
   */
  leave(nowMs: number, name: string): void {
    this.advanceTo(nowMs);
    const c = this.client(name);
    if (!c.alive) return;
    if (c.memberId && this.members.has(c.memberId) && !c.lostPending) {
      if (c.owned.length) this.callback(c, 'partitions-revoked', c.owned);
    } else if (c.owned.length) this.callback(c, 'partitions-lost', c.owned);
    c.owned = [];
    c.alive = false;
    c.heartbeating = false;
    this.emit({ type: 'member-closed', member: name });
    if (c.memberId && this.members.has(c.memberId) && c.config.groupInstanceId === null) this.removeMember(c.memberId, 'leave-group');
  }

  /** The consumer's process dies: no callbacks, no LeaveGroup, no more heartbeats. */
  crash(nowMs: number, name: string): void {
    this.advanceTo(nowMs);
    const c = this.client(name);
    if (!c.alive) return;
    c.alive = false;
    c.heartbeating = false;
    c.owned = [];
    this.emit({ type: 'member-crashed', member: name });
  }

  /** Start the consumer again with the configuration it had (a static member keeps its group.instance.id). */
  restart(nowMs: number, name: string, listener?: MemberListener): void {
    const c = this.client(name);
    this.join(nowMs, name, { ...c.config }, listener ?? c.listener);
  }

  /** Change what a consumer subscribes to (consumer.subscribe again): it rejoins with the new topics. */
  subscribe(nowMs: number, name: string, topics: string[]): void {
    this.advanceTo(nowMs);
    const c = this.client(name);
    c.config.topics = [...topics];
    c.rejoinNeeded = true;
    if (this.isPolling(c)) this.sendJoin(c);
  }

  /**
   * TxnOffsetCommit (sendOffsetsToTransaction, KIP-98): the group checks the consumer's member id and
   * generation now (KIP-447 fences a zombie consumer this way); the offsets stay pending until the
   * transaction commits ({@link completeTxnOffsetCommit}), and are dropped if it aborts.
   * @returns NONE, UNKNOWN_MEMBER_ID or ILLEGAL_GENERATION (REBALANCE_IN_PROGRESS while syncing)
   * Source: GroupCoordinator#handleTxnCommitOffsets, GroupMetadata#prepareTxnOffsetCommit.
   */
  validateTxnOffsetCommit(nowMs: number, name: string): GroupError {
    this.advanceTo(nowMs);
    const c = this.client(name);
    return this.validateCommit(c.memberId, c.generationId);
  }

  /**
   * The COMMIT marker reached __consumer_offsets: a transaction's pending offsets become the group's
   * committed offsets (GroupMetadata#completePendingTxnOffsetCommit).
   */
  completeTxnOffsetCommit(nowMs: number, offsets: { tp: TopicPartition; offset: number }[]): void {
    this.advanceTo(nowMs);
    for (const { tp, offset } of offsets)
      this.offsets.set(tpKey(tp), { offset, commitTimestampMs: nowMs, memberId: null, generationId: -1 });
  }

  /** The member's client learns what the coordinator says, and reacts (used by consumer.ts after a failed commit). */
  handleError(name: string, error: GroupError): void {
    const c = this.client(name);
    if (error === 'UNKNOWN_MEMBER_ID' || error === 'ILLEGAL_GENERATION') this.markLost(c);
    else if (error === 'REBALANCE_IN_PROGRESS') c.rejoinNeeded = true;
  }

  // ---- member side ----

  protected isPolling(c: Client): boolean {
    return c.config.pollMode === 'auto' && this.now >= c.busyUntilMs;
  }

  protected heartbeat(c: Client): void {
    c.nextHeartbeatMs = this.now + c.config.heartbeatIntervalMs;
    const error = this.handleHeartbeat(c.memberId!, c.generationId, c.config.groupInstanceId);
    if (error === 'NONE') return;
    if (error === 'REBALANCE_IN_PROGRESS') {
      c.rejoinNeeded = true;
      if (this.isPolling(c)) this.sendJoin(c);
      return;
    }
    this.emit({ type: 'member-fenced', member: c.name, memberId: c.memberId!, error });
    if (error === 'FENCED_INSTANCE_ID') {
      // another process took over this group.instance.id: this one shuts down
      c.alive = false;
      c.heartbeating = false;
      c.owned = [];
      return;
    }
    this.markLost(c);
    if (this.isPolling(c)) this.sendJoin(c);
  }

  /** removed from the group or out of date: forget the membership; partitions are lost at rejoin */
  protected markLost(c: Client): void {
    c.lostPending = true;
    c.memberId = null;
    c.generationId = -1;
    c.heartbeating = false;
    c.rejoinNeeded = true;
  }

  protected pollTimeout(c: Client): void {
    // the heartbeat thread gives up on a consumer that has not polled for max.poll.interval.ms
    if (c.memberId === null) return;
    const memberId = c.memberId;
    const isStatic = c.config.groupInstanceId !== null;
    this.markLost(c);
    c.lastPollMs = Infinity; // no further poll timeouts until it polls again
    if (!isStatic && this.members.has(memberId)) this.removeMember(memberId, 'poll-timeout'); // LeaveGroup; static members send none
  }

  /** onJoinPrepare + JoinGroup */
  protected sendJoin(c: Client): void {
    if (!c.alive) return;
    c.rejoinNeeded = false;
    if (c.lastPollMs === Infinity) c.lastPollMs = this.now;
    c.listener.onJoinPrepare?.(this.now);
    if (c.lostPending || (c.memberId !== null && !this.members.has(c.memberId))) {
      if (c.owned.length) this.callback(c, 'partitions-lost', c.owned);
      c.owned = [];
      c.lastAssignment = [];
      c.lastAssignmentGeneration = DEFAULT_GENERATION;
      c.lostPending = false;
      c.memberId = null;
      c.generationId = -1;
    } else if (c.rebalanceProtocol === 'eager' && c.owned.length) {
      this.callback(c, 'partitions-revoked', c.owned);
      c.owned = [];
    }
    this.handleJoin(c);
  }

  protected callback(
    c: Client,
    type: 'partitions-revoked' | 'partitions-assigned' | 'partitions-lost',
    partitions: TopicPartition[],
  ): void {
    const sorted = [...partitions].sort(compareTp);
    this.emit({ type, member: c.name, memberId: c.memberId ?? '', partitions: sorted });
    const l = c.listener;
    if (type === 'partitions-revoked') l.onPartitionsRevoked?.(this.now, sorted);
    else if (type === 'partitions-assigned') l.onPartitionsAssigned?.(this.now, sorted);
    else l.onPartitionsLost?.(this.now, sorted);
  }
}
