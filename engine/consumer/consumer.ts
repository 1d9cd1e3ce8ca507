/**
 * The consumer's data path: where it reads (position), what it has saved (committed offset), and
 * how the two move — poll, commitSync / commitAsync, auto-commit, auto.offset.reset, seek, lag.
 *
 * The rule:
 *   - position(tp) = the offset of the next record poll() returns for tp; it lives only in this
 *     process. committed(tp) = the offset the group stored with OffsetCommit; it survives crashes and
 *     rebalances. Both mean "the next offset to read", never "the last one read".
 *   - A newly assigned partition starts at its committed offset; with none, at auto.offset.reset:
 *     earliest = logStartOffset, latest = the high watermark, none = NoOffsetForPartitionException.
 *   - poll() returns records from position up to the high watermark (never beyond: uncommitted
 *     replication is invisible), at most max.poll.records, and moves position past them.
 *   - A position below logStartOffset (retention deleted the data) or beyond the log end is out of
 *     range: reset by auto.offset.reset, or OffsetOutOfRangeException with `none`.
 *   - enable.auto.commit (true) commits every partition's position inside poll(), once
 *     auto.commit.interval.ms (5000) has passed since the last auto-commit, before fetching more —
 *     and before a rebalance (onJoinPrepare) and on close.
 *   - The group fences commits: a member that is no longer in the group (UNKNOWN_MEMBER_ID) or is
 *     a generation behind (ILLEGAL_GENERATION) gets CommitFailedException; its partitions may
 *     already be someone else's.
 *
 * Example: t0p0 holds offsets 0..9, committed 4. C0 is assigned t0p0 → position 4; poll() with
 * max.poll.records 3 → offsets 4, 5, 6, position 7; commitSync() → committed 7. C0 crashes before
 * the next commit having processed 7, 8 → the next owner starts at 7 and sees 7, 8 again.
 *
 * Delivery: commit after processing → at-least-once (a crash in between redelivers); commit before
 * processing → at-most-once (a crash in between loses records); auto-commit commits what poll()
 * returned, processed or not, at the next poll() after the interval.
 *
 * Transactions: control records (commit / abort markers) take offsets but are never returned;
 * isolation.level=read_committed reads only below the last stable offset and skips aborted records
 * (../log/transaction-index.ts). auto.offset.reset also takes by_duration:<ISO-8601> (./offset-reset.ts).
 *
 * Caveats: fetches and commits complete at the instant they are made (no network latency), so
 * commitAsync differs from commitSync only in reporting errors to a callback instead of throwing —
 * unless the commit is told to fail later (./commit-queue.ts, the out-of-order story); fetch sizes
 * (fetch.max.bytes) are not modelled.
 *
 * Source: Kafka's KafkaConsumer (poll, position, committed, seek, commitSync, commitAsync),
 * ConsumerCoordinator (auto-commit, onJoinPrepare), SubscriptionState (positions), Fetcher /
 * FetchCollector (./fetcher.ts), ConsumerConfig (./consumer-types.ts: enable.auto.commit true,
 * auto.commit.interval.ms 5000, auto.offset.reset latest, max.poll.records 500).
 */
import type { GroupError, MemberConfig, MemberListener } from '../group/group-types.ts';
import type { GroupMembership } from '../group/membership.ts';
import { compareTp, tpKey } from '../common/notation.ts';
import type { TopicPartition } from '../common/record.ts';
import type { IsolationLevel } from '../log/transaction-index.ts';
import { checkOffsetResetStrategy, resetOffset } from './offset-reset.ts';
import type { OffsetResetStrategy } from './offset-reset.ts';
import { CommitQueue, shouldRetry } from './commit-queue.ts';
import type { AsyncCommitFault } from './commit-queue.ts';
import { collectFetch, outOfRangePositions, readLimit } from './fetcher.ts';
import type { ConsumerRecord, FetchablePartition } from './fetcher.ts';
import { CONSUMER_DEFAULTS } from './consumer-types.ts';
import type { ConsumerConfig, ConsumerEvent, ConsumerEventBody, ConsumerOptions } from './consumer-types.ts';

// the fetch path (./fetcher.ts) and the configuration and events (./consumer-types.ts), re-exported
// so that ./consumer.ts stays the one module for the consumer client
export { partitionLogView } from './fetcher.ts';
export type { ConsumerRecord, FetchablePartition } from './fetcher.ts';
export { CONSUMER_DEFAULTS } from './consumer-types.ts';
export type { ConsumerConfig, ConsumerEvent, ConsumerEventBody, ConsumerOptions } from './consumer-types.ts';

export type { OffsetResetStrategy } from './offset-reset.ts';
import {
  CommitFailedException,
  NoOffsetForPartitionException,
  OffsetOutOfRangeException,
  RebalanceInProgressException,
} from './consumer-errors.ts';
export {
  CommitFailedException,
  NoOffsetForPartitionException,
  OffsetOutOfRangeException,
  RebalanceInProgressException,
} from './consumer-errors.ts';

/**
 * A KafkaConsumer subscribed to topics through a group. It polls only when you call poll().
 */
export class Consumer {
  readonly name: string;
  readonly trace: ConsumerEvent[];
  private readonly group: GroupMembership;
  private readonly partitionOf: (tp: TopicPartition) => FetchablePartition | undefined;
  private readonly config: Required<
    Omit<
      ConsumerConfig,
      'groupInstanceId' | 'rackId' | 'partitionAssignmentStrategy' | 'sessionTimeoutMs' | 'heartbeatIntervalMs' | 'maxPollIntervalMs'
    >
  > &
    ConsumerConfig;
  private readonly userListener: MemberListener;
  private readonly positions = new Map<string, number>();
  private readonly asyncCommits = new CommitQueue();
  private nextAutoCommitMs = 0;
  private rotate = 0;
  private started = false;

  constructor(options: ConsumerOptions) {
    this.name = options.name;
    this.group = options.group;
    this.partitionOf = options.partition;
    this.trace = options.trace ?? [];
    this.userListener = options.listener ?? {};
    const c = options.config;
    this.config = {
      ...c,
      topics: [...c.topics],
      enableAutoCommit: c.enableAutoCommit ?? CONSUMER_DEFAULTS.enableAutoCommit,
      autoCommitIntervalMs: c.autoCommitIntervalMs ?? CONSUMER_DEFAULTS.autoCommitIntervalMs,
      autoOffsetReset: c.autoOffsetReset ?? CONSUMER_DEFAULTS.autoOffsetReset,
      maxPollRecords: c.maxPollRecords ?? CONSUMER_DEFAULTS.maxPollRecords,
      isolationLevel: c.isolationLevel ?? CONSUMER_DEFAULTS.isolationLevel,
    };
    for (const [k, v] of [
      ['autoCommitIntervalMs', this.config.autoCommitIntervalMs],
      ['maxPollRecords', this.config.maxPollRecords],
    ] as const) {
      if (!Number.isInteger(v) || v < 1) throw new RangeError(`Expected ${k} to be a positive integer, got ${String(v)}`);
    }
    checkOffsetResetStrategy(this.config.autoOffsetReset);
    if (this.config.isolationLevel !== 'read_uncommitted' && this.config.isolationLevel !== 'read_committed') {
      throw new RangeError(
        `Expected isolationLevel to be read_uncommitted or read_committed, got ${JSON.stringify(this.config.isolationLevel)}`,
      );
    }
  }

  /** The partitions this consumer owns now (its assignment). */
  assignment(): TopicPartition[] {
    return this.group.ownedPartitions(this.name).sort(compareTp);
  }

  /** The next offset poll() will return for tp, or null before it is known. */
  position(tp: TopicPartition): number | null {
    return this.positions.get(tpKey(tp)) ?? null;
  }

  /** The group's committed offset for tp (OffsetFetch), or null. */
  committed(tp: TopicPartition): number | null {
    return this.group.committed(tp);
  }

  /** Records this consumer is behind on tp: highWatermark (read_committed: LSO) − position (Kafka's records-lag metric). */
  lag(tp: TopicPartition): number | null {
    const p = this.position(tp);
    const part = this.partitionOf(tp);
    return p === null || !part ? null : Math.max(0, this.readLimit(part) - p);
  }

  /** isolation.level of this consumer. */
  get isolationLevel(): IsolationLevel {
    return this.config.isolationLevel;
  }

  /**
   * poll(): (1) auto-commit if the interval has passed, (2) take part in a pending rebalance,
   * (3) set positions of newly assigned partitions, (4) fetch up to max.poll.records.
   * @throws NoOffsetForPartitionException / OffsetOutOfRangeException with auto.offset.reset=none
   */
  poll(nowMs: number): ConsumerRecord[] {
    if (!this.started) {
      this.started = true;
      this.nextAutoCommitMs = nowMs + this.config.autoCommitIntervalMs;
      this.group.join(nowMs, this.name, this.memberConfig(), this.listener());
    }
    this.group.advanceTo(nowMs);
    this.completeAsyncCommits(nowMs);
    if (this.config.enableAutoCommit && nowMs >= this.nextAutoCommitMs && this.group.memberIdOf(this.name) !== null) {
      this.autoCommit(nowMs);
    }
    const owned = this.group.poll(nowMs, this.name).sort(compareTp);
    this.updatePositions(nowMs, owned);
    return this.fetch(nowMs, owned);
  }

  /**
   * commitSync(): store the given offsets, or every owned partition's position.
   * @throws CommitFailedException when the group fenced this member (UNKNOWN_MEMBER_ID, ILLEGAL_GENERATION)
   * @throws RebalanceInProgressException during CompletingRebalance
   */
  commitSync(nowMs: number, offsets?: { tp: TopicPartition; offset: number }[]): void {
    this.completeAsyncCommits(nowMs);
    const error = this.commit(nowMs, 'sync', offsets);
    if (error === 'REBALANCE_IN_PROGRESS') throw new RebalanceInProgressException();
    if (error !== 'NONE') throw new CommitFailedException(error);
  }

  /**
   * commitAsync(): like commitSync, but failures go to the callback (and the trace), never thrown.
   * With `fault`, the request fails and its failure arrives `failAfterMs` later; the callback (run
   * in a later poll() or commit) retries it or not (./commit-queue.ts).
   * @returns the commit's sequence number (1, 2, … per consumer)
   */
  commitAsync(
    nowMs: number,
    offsets?: { tp: TopicPartition; offset: number }[],
    callback?: (error: GroupError) => void,
    fault?: AsyncCommitFault,
  ): number {
    this.completeAsyncCommits(nowMs);
    const seq = this.asyncCommits.next();
    if (fault) {
      const list = offsets ?? this.ownedPositions();
      this.asyncCommits.add({
        seq,
        offsets: list,
        sentMs: nowMs,
        completeAtMs: nowMs + fault.failAfterMs,
        error: 'COORDINATOR_NOT_AVAILABLE',
        retry: fault.retry ?? 'never',
      });
      return seq;
    }
    const error = this.commit(nowMs, 'async', offsets);
    callback?.(error);
    return seq;
  }

  /** Async commits still waiting for their result. */
  get inFlightCommits(): number {
    return this.asyncCommits.size;
  }

  /** Run the callbacks of async commits whose (failed) result has arrived: retry or not. */
  private completeAsyncCommits(nowMs: number): void {
    if (this.asyncCommits.size === 0) return;
    for (const c of this.asyncCommits.takeDue(nowMs)) {
      this.emit(nowMs, { type: 'committed', mode: 'async', offsets: c.offsets, error: c.error, seq: c.seq });
      if (c.retry === 'never') continue;
      const retried = shouldRetry(c, this.asyncCommits.latestSeq);
      this.emit(nowMs, { type: 'async-commit-retry', seq: c.seq, retried, latestSeq: this.asyncCommits.latestSeq });
      if (retried) this.commit(nowMs, 'async', c.offsets);
    }
  }

  /** seek(): the next poll() reads tp from `offset` (checked against the log when fetching). */
  seek(nowMs: number, tp: TopicPartition, offset: number): void {
    if (!this.group.ownedPartitions(this.name).some((o) => tpKey(o) === tpKey(tp))) {
      throw new Error(`No current assignment for partition ${tpKey(tp)}`);
    }
    if (!Number.isInteger(offset) || offset < 0)
      throw new RangeError(`Expected offset to be a non-negative integer, got ${String(offset)}`);
    this.positions.set(tpKey(tp), offset);
    this.emit(nowMs, { type: 'seek', tp, offset });
  }

  /** seekToBeginning / seekToEnd for one partition: logStartOffset / highWatermark. */
  seekTo(nowMs: number, tp: TopicPartition, where: 'beginning' | 'end'): void {
    const part = this.requirePartition(tp);
    this.seek(nowMs, tp, where === 'beginning' ? part.logStartOffset : part.highWatermark);
  }

  /** close(): auto-commit (if enabled), revoke, leave the group. */
  close(nowMs: number): void {
    this.group.advanceTo(nowMs);
    if (this.config.enableAutoCommit && this.group.memberIdOf(this.name) !== null) this.autoCommit(nowMs);
    this.group.leave(nowMs, this.name);
    this.positions.clear();
  }

  /** The process dies: positions not committed are gone; the group notices by session timeout. */
  crash(nowMs: number): void {
    this.group.crash(nowMs, this.name);
    this.positions.clear();
    this.asyncCommits.clear();
  }

  /** Start again after crash/close: a fresh process (no positions) joining with the same config. */
  restart(nowMs: number): void {
    this.positions.clear();
    this.nextAutoCommitMs = nowMs + this.config.autoCommitIntervalMs;
    this.group.restart(nowMs, this.name, this.listener());
  }

  // ---- internals ----

  private memberConfig(): MemberConfig {
    const { topics, groupInstanceId, partitionAssignmentStrategy, sessionTimeoutMs, heartbeatIntervalMs, maxPollIntervalMs, rackId } =
      this.config;
    return {
      topics,
      groupInstanceId,
      partitionAssignmentStrategy,
      sessionTimeoutMs,
      heartbeatIntervalMs,
      maxPollIntervalMs,
      rackId,
      pollMode: 'manual',
    };
  }

  private listener(): MemberListener {
    const user = this.userListener;
    return {
      onJoinPrepare: (now) => {
        // ConsumerCoordinator#onJoinPrepare: auto-commit synchronously before (re)joining
        if (this.config.enableAutoCommit && this.group.memberIdOf(this.name) !== null && this.positions.size > 0) this.autoCommit(now);
        user.onJoinPrepare?.(now);
      },
      onPartitionsRevoked: (now, tps) => {
        user.onPartitionsRevoked?.(now, tps); // the user's listener may still commit these positions
        for (const tp of tps) this.positions.delete(tpKey(tp));
      },
      onPartitionsAssigned: (now, tps) => user.onPartitionsAssigned?.(now, tps),
      onPartitionsLost: (now, tps) => {
        user.onPartitionsLost?.(now, tps); // too late to commit: another member may own them
        for (const tp of tps) this.positions.delete(tpKey(tp));
      },
    };
  }

  private autoCommit(nowMs: number): void {
    this.nextAutoCommitMs = nowMs + this.config.autoCommitIntervalMs;
    const error = this.commit(nowMs, 'auto');
    if (error === 'UNKNOWN_MEMBER_ID' || error === 'ILLEGAL_GENERATION') this.group.handleError(this.name, error);
  }

  private commit(nowMs: number, mode: 'sync' | 'async' | 'auto', offsets?: { tp: TopicPartition; offset: number }[]): GroupError {
    this.group.advanceTo(nowMs);
    const list = offsets ?? this.ownedPositions();
    for (const o of list) {
      if (!Number.isInteger(o.offset) || o.offset < 0)
        throw new RangeError(`Expected a non-negative integer offset for ${tpKey(o.tp)}, got ${String(o.offset)}`);
    }
    // ConsumerCoordinator: a subscribed consumer with no generation (it was removed from the group)
    // fails the commit itself, without asking the coordinator
    const error: GroupError =
      list.length === 0 && mode === 'auto'
        ? 'NONE'
        : this.group.memberIdOf(this.name) === null
          ? 'UNKNOWN_MEMBER_ID'
          : this.group.commitOffsets(nowMs, this.name, list);
    if (list.length > 0 || mode !== 'auto')
      this.emit(nowMs, { type: 'committed', mode, offsets: list.map((o) => ({ tp: o.tp, offset: o.offset })), error });
    return error;
  }

  /** every owned partition's position, in partition order */
  private ownedPositions(): { tp: TopicPartition; offset: number }[] {
    return this.group
      .ownedPartitions(this.name)
      .sort(compareTp)
      .filter((tp) => this.positions.has(tpKey(tp)))
      .map((tp) => ({ tp, offset: this.positions.get(tpKey(tp))! }));
  }

  /** where reads stop: the high watermark, or the last stable offset for read_committed */
  private readLimit(part: FetchablePartition): number {
    return readLimit(part, this.config.isolationLevel);
  }

  private requirePartition(tp: TopicPartition): FetchablePartition {
    const part = this.partitionOf(tp);
    if (!part) throw new Error(`Unknown partition ${tpKey(tp)}`);
    return part;
  }

  private updatePositions(nowMs: number, owned: TopicPartition[]): void {
    const missing: TopicPartition[] = [];
    for (const tp of owned) {
      if (this.positions.has(tpKey(tp))) continue;
      const committed = this.group.committed(tp);
      if (committed !== null) {
        this.positions.set(tpKey(tp), committed);
        this.emit(nowMs, { type: 'position-initialized', tp, offset: committed });
      } else missing.push(tp);
    }
    if (missing.length === 0) return;
    if (this.config.autoOffsetReset === 'none') throw new NoOffsetForPartitionException(missing);
    for (const tp of missing) if (this.partitionOf(tp)) this.reset(nowMs, tp, 'no-committed-offset', null);
  }

  private reset(nowMs: number, tp: TopicPartition, reason: 'no-committed-offset' | 'out-of-range', from: number | null): void {
    const part = this.requirePartition(tp);
    const strategy = this.config.autoOffsetReset as Exclude<OffsetResetStrategy, 'none'>;
    // ListOffsets: EARLIEST = logStartOffset; LATEST = HW (read_committed: LSO); by_duration: by timestamp
    const offset = resetOffset(strategy, part, this.config.isolationLevel, nowMs);
    this.positions.set(tpKey(tp), offset);
    this.emit(nowMs, { type: 'offset-reset', tp, strategy, reason, fromOffset: from, toOffset: offset });
  }

  /** one poll's fetch (./fetcher.ts): out-of-range positions reset first, then records in turn */
  private fetch(nowMs: number, owned: TopicPartition[]): ConsumerRecord[] {
    if (owned.length === 0) return [];
    // out-of-range positions first (Kafka's fetch answers OFFSET_OUT_OF_RANGE)
    const outOfRange = outOfRangePositions(owned, this.positions, this.partitionOf);
    if (outOfRange.length) {
      if (this.config.autoOffsetReset === 'none') throw new OffsetOutOfRangeException(outOfRange);
      for (const o of outOfRange) this.reset(nowMs, o.tp, 'out-of-range', o.offset);
    }
    // take partitions in turn, starting after the one served first last time (fairness)
    const start = this.rotate % owned.length;
    this.rotate++;
    const { records, fetched } = collectFetch(owned, this.positions, this.partitionOf, start, this.config);
    if (fetched.length) this.emit(nowMs, { type: 'fetched', records: fetched, count: records.length });
    return records;
  }

  private emit(nowMs: number, e: ConsumerEventBody): void {
    this.trace.push({ atMs: nowMs, groupId: this.group.groupId, member: this.name, ...e });
  }
}

/**
 * The group's lag per partition, as kafka-consumer-groups --describe shows it:
 * highWatermark − committed offset (no committed offset: highWatermark − logStartOffset).
 * @returns per partition `{ tp, committed, highWatermark, lag }` and the total
 */
export function groupLag(
  group: GroupMembership,
  partitions: TopicPartition[],
  partitionOf: (tp: TopicPartition) => FetchablePartition | undefined,
): { partitions: { tp: TopicPartition; committed: number | null; highWatermark: number; lag: number }[]; total: number } {
  const rows = [...partitions].sort(compareTp).map((tp) => {
    const part = partitionOf(tp);
    if (!part) throw new Error(`Unknown partition ${tpKey(tp)}`);
    const committed = group.committed(tp);
    const base = committed ?? part.logStartOffset;
    return { tp, committed, highWatermark: part.highWatermark, lag: Math.max(0, part.highWatermark - Math.max(base, part.logStartOffset)) };
  });
  return { partitions: rows, total: rows.reduce((s, r) => s + r.lag, 0) };
}
