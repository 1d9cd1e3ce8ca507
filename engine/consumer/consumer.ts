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
 * Caveats: fetches and commits complete at the instant they are made (no network latency), so
 * commitAsync differs from commitSync only in reporting errors to a callback instead of throwing;
 * isolation.level read_committed and fetch sizes (fetch.max.bytes) are not modelled.
 *
 * Source: Kafka's KafkaConsumer (poll, position, committed, seek, commitSync, commitAsync),
 * ConsumerCoordinator (auto-commit, onJoinPrepare), SubscriptionState, Fetcher / FetchCollector,
 * ConsumerConfig (enable.auto.commit true, auto.commit.interval.ms 5000, auto.offset.reset latest,
 * max.poll.records 500).
 */
import type { GroupError, MemberConfig, MemberListener } from '../group/group-types.ts';
import type { GroupCoordinator } from '../group/member.ts';
import { compareTp, tpKey } from '../common/notation.ts';
import type { LogRecord, TopicPartition } from '../common/record.ts';

/**
 * What a consumer needs from a partition (the leader's view): its offsets and a read below the
 * high watermark. {@link partitionLogView} adapts ../log/partition-log.ts's PartitionLog (also the
 * leader replica's log in ../replication/partition-replication.ts, whose highWatermark replication maintains).
 */
export interface FetchablePartition {
  readonly logStartOffset: number;
  readonly logEndOffset: number;
  /** consumers read only below it (records every in-sync replica has) */
  readonly highWatermark: number;
  /**
   * The records with fromOffset ≤ offset < toOffset, in offset order (compaction may leave gaps).
   * The consumer asks only below the high watermark.
   */
  read(fromOffset: number, toOffset: number): LogRecord[];
}

/**
 * A PartitionLog (../log/partition-log.ts) as a consumer sees it: reads with isolation "highWatermark".
 * Typed by shape, so the consumer does not depend on the log's class.
 */
export function partitionLogView(log: {
  readonly logStartOffset: number;
  readonly logEndOffset: number;
  readonly highWatermark: number;
  read(fromOffset: number, maxRecords: number, options?: { isolation?: 'logEnd' | 'highWatermark' }): { ok: true; records: LogRecord[] } | { ok: false };
}): FetchablePartition {
  return {
    get logStartOffset() {
      return log.logStartOffset;
    },
    get logEndOffset() {
      return log.logEndOffset;
    },
    get highWatermark() {
      return log.highWatermark;
    },
    read(fromOffset, toOffset) {
      if (toOffset <= fromOffset) return [];
      const r = log.read(fromOffset, toOffset - fromOffset, { isolation: 'highWatermark' });
      return r.ok ? r.records.filter((x) => x.offset < toOffset) : [];
    },
  };
}

/** Kafka's consumer defaults for the data path. */
export const CONSUMER_DEFAULTS = {
  /** enable.auto.commit: true (ConsumerConfig) */
  enableAutoCommit: true,
  /** auto.commit.interval.ms: 5000 (ConsumerConfig) */
  autoCommitIntervalMs: 5_000,
  /** auto.offset.reset: latest (ConsumerConfig) */
  autoOffsetReset: 'latest' as OffsetResetStrategy,
  /** max.poll.records: 500 (ConsumerConfig) */
  maxPollRecords: 500,
} as const;

export type OffsetResetStrategy = 'earliest' | 'latest' | 'none';

export interface ConsumerConfig extends Omit<MemberConfig, 'pollMode'> {
  enableAutoCommit?: boolean;
  autoCommitIntervalMs?: number;
  autoOffsetReset?: OffsetResetStrategy;
  maxPollRecords?: number;
}

/** A record as poll() hands it over. */
export interface ConsumerRecord extends LogRecord {
  topic: string;
  partition: number;
}

/** Thrown by commitSync when the group no longer accepts this member's commits. */
export class CommitFailedException extends Error {
  constructor(readonly error: GroupError) {
    super(
      `Commit cannot be completed since the group has already rebalanced and assigned the partitions to another member (${error}). ` +
        'The consumer spent too long between polls or was removed from the group.',
    );
    this.name = 'CommitFailedException';
  }
}

/** Thrown by commitSync while the group is between the join and sync phases. */
export class RebalanceInProgressException extends Error {
  constructor() {
    super('Offset commit cannot be completed since the consumer group is rebalancing (REBALANCE_IN_PROGRESS)');
    this.name = 'RebalanceInProgressException';
  }
}

/** auto.offset.reset=none and a partition has no committed offset. */
export class NoOffsetForPartitionException extends Error {
  constructor(readonly partitions: TopicPartition[]) {
    super(`Undefined offset with no reset policy for partitions: ${partitions.map(tpKey).join(', ')}`);
    this.name = 'NoOffsetForPartitionException';
  }
}

/** auto.offset.reset=none and the position is outside the log (e.g. retention deleted it). */
export class OffsetOutOfRangeException extends Error {
  constructor(readonly offsets: { tp: TopicPartition; offset: number }[]) {
    super(`Offsets out of range with no configured reset policy for partitions: ${offsets.map((o) => `${tpKey(o.tp)}=${o.offset}`).join(', ')}`);
    this.name = 'OffsetOutOfRangeException';
  }
}

/** Consumer trace events (JSON-serialisable), next to the group's events. */
export type ConsumerEvent = { atMs: number; groupId: string; member: string } & ConsumerEventBody;

/** What happened, without the time, group and member every {@link ConsumerEvent} carries. */
export type ConsumerEventBody =
  | { type: 'fetched'; records: { tp: TopicPartition; fromOffset: number; toOffset: number }[]; count: number }
  | { type: 'committed'; mode: 'sync' | 'async' | 'auto'; offsets: { tp: TopicPartition; offset: number }[]; error: GroupError }
  | { type: 'offset-reset'; tp: TopicPartition; strategy: 'earliest' | 'latest'; reason: 'no-committed-offset' | 'out-of-range'; fromOffset: number | null; toOffset: number }
  | { type: 'position-initialized'; tp: TopicPartition; offset: number }
  | { type: 'seek'; tp: TopicPartition; offset: number };

export interface ConsumerOptions {
  /** the consumer's name in lessons and traces, e.g. "C0" */
  name: string;
  group: GroupCoordinator;
  /**
   * the partition's leader log, asked at every fetch (so a new leader is picked up); undefined when
   * it has no leader right now — the consumer then skips it until it is back
   */
  partition: (tp: TopicPartition) => FetchablePartition | undefined;
  config: ConsumerConfig;
  /** an extra rebalance listener (ConsumerRebalanceListener): e.g. commit in onPartitionsRevoked */
  listener?: MemberListener;
  /** consumer events go here (default: a private array) */
  trace?: ConsumerEvent[];
}

/**
 * A KafkaConsumer subscribed to topics through a group. It polls only when you call poll().
 */
export class Consumer {
  readonly name: string;
  readonly trace: ConsumerEvent[];
  private readonly group: GroupCoordinator;
  private readonly partitionOf: (tp: TopicPartition) => FetchablePartition | undefined;
  private readonly config: Required<Omit<ConsumerConfig, 'groupInstanceId' | 'rackId' | 'partitionAssignmentStrategy' | 'sessionTimeoutMs' | 'heartbeatIntervalMs' | 'maxPollIntervalMs'>> &
    ConsumerConfig;
  private readonly userListener: MemberListener;
  private readonly positions = new Map<string, number>();
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
    };
    for (const [k, v] of [['autoCommitIntervalMs', this.config.autoCommitIntervalMs], ['maxPollRecords', this.config.maxPollRecords]] as const) {
      if (!Number.isInteger(v) || v < 1) throw new RangeError(`Expected ${k} to be a positive integer, got ${String(v)}`);
    }
    if (!['earliest', 'latest', 'none'].includes(this.config.autoOffsetReset)) {
      throw new RangeError(`Expected autoOffsetReset to be earliest, latest or none, got ${JSON.stringify(this.config.autoOffsetReset)}`);
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

  /** Records this consumer is behind on tp: highWatermark − position (Kafka's records-lag metric). */
  lag(tp: TopicPartition): number | null {
    const p = this.position(tp);
    const part = this.partitionOf(tp);
    return p === null || !part ? null : Math.max(0, part.highWatermark - p);
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
    const error = this.commit(nowMs, 'sync', offsets);
    if (error === 'REBALANCE_IN_PROGRESS') throw new RebalanceInProgressException();
    if (error !== 'NONE') throw new CommitFailedException(error);
  }

  /** commitAsync(): like commitSync, but failures go to the callback (and the trace), never thrown. */
  commitAsync(nowMs: number, offsets?: { tp: TopicPartition; offset: number }[], callback?: (error: GroupError) => void): void {
    const error = this.commit(nowMs, 'async', offsets);
    callback?.(error);
  }

  /** seek(): the next poll() reads tp from `offset` (checked against the log when fetching). */
  seek(nowMs: number, tp: TopicPartition, offset: number): void {
    if (!this.group.ownedPartitions(this.name).some((o) => tpKey(o) === tpKey(tp))) {
      throw new Error(`No current assignment for partition ${tpKey(tp)}`);
    }
    if (!Number.isInteger(offset) || offset < 0) throw new RangeError(`Expected offset to be a non-negative integer, got ${String(offset)}`);
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
  }

  /** Start again after crash/close: a fresh process (no positions) joining with the same config. */
  restart(nowMs: number): void {
    this.positions.clear();
    this.nextAutoCommitMs = nowMs + this.config.autoCommitIntervalMs;
    this.group.restart(nowMs, this.name, this.listener());
  }

  // ---- internals ----

  private memberConfig(): MemberConfig {
    const { topics, groupInstanceId, partitionAssignmentStrategy, sessionTimeoutMs, heartbeatIntervalMs, maxPollIntervalMs, rackId } = this.config;
    return { topics, groupInstanceId, partitionAssignmentStrategy, sessionTimeoutMs, heartbeatIntervalMs, maxPollIntervalMs, rackId, pollMode: 'manual' };
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
    const list =
      offsets ??
      this.group
        .ownedPartitions(this.name)
        .sort(compareTp)
        .filter((tp) => this.positions.has(tpKey(tp)))
        .map((tp) => ({ tp, offset: this.positions.get(tpKey(tp))! }));
    for (const o of list) {
      if (!Number.isInteger(o.offset) || o.offset < 0) throw new RangeError(`Expected a non-negative integer offset for ${tpKey(o.tp)}, got ${String(o.offset)}`);
    }
    // ConsumerCoordinator: a subscribed consumer with no generation (it was removed from the group)
    // fails the commit itself, without asking the coordinator
    const error: GroupError =
      list.length === 0 && mode === 'auto'
        ? 'NONE'
        : this.group.memberIdOf(this.name) === null
          ? 'UNKNOWN_MEMBER_ID'
          : this.group.commitOffsets(nowMs, this.name, list);
    if (list.length > 0 || mode !== 'auto') this.emit(nowMs, { type: 'committed', mode, offsets: list.map((o) => ({ tp: o.tp, offset: o.offset })), error });
    return error;
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
    const strategy = this.config.autoOffsetReset as 'earliest' | 'latest';
    // ListOffsets: EARLIEST = logStartOffset; LATEST = the high watermark for read_uncommitted consumers
    const offset = strategy === 'earliest' ? part.logStartOffset : part.highWatermark;
    this.positions.set(tpKey(tp), offset);
    this.emit(nowMs, { type: 'offset-reset', tp, strategy, reason, fromOffset: from, toOffset: offset });
  }

  private fetch(nowMs: number, owned: TopicPartition[]): ConsumerRecord[] {
    const out: ConsumerRecord[] = [];
    if (owned.length === 0) return out;
    // out-of-range positions first (Kafka's fetch answers OFFSET_OUT_OF_RANGE)
    const outOfRange: { tp: TopicPartition; offset: number }[] = [];
    for (const tp of owned) {
      const part = this.partitionOf(tp);
      const pos = this.positions.get(tpKey(tp));
      if (!part || pos === undefined) continue; // no leader right now, or no position yet
      if (pos < part.logStartOffset || pos > part.logEndOffset) outOfRange.push({ tp, offset: pos });
    }
    if (outOfRange.length) {
      if (this.config.autoOffsetReset === 'none') throw new OffsetOutOfRangeException(outOfRange);
      for (const o of outOfRange) this.reset(nowMs, o.tp, 'out-of-range', o.offset);
    }
    // take partitions in turn, starting after the one served first last time (fairness)
    const start = this.rotate % owned.length;
    this.rotate++;
    const fetched: { tp: TopicPartition; fromOffset: number; toOffset: number }[] = [];
    for (let i = 0; i < owned.length && out.length < this.config.maxPollRecords; i++) {
      const tp = owned[(start + i) % owned.length];
      const part = this.partitionOf(tp);
      const pos = this.positions.get(tpKey(tp));
      if (!part || pos === undefined) continue;
      const hw = part.highWatermark;
      if (pos >= hw) continue;
      const room = this.config.maxPollRecords - out.length;
      // read windows until `room` records or the high watermark (compaction leaves offset gaps)
      const records: LogRecord[] = [];
      let from = pos;
      let window = room;
      while (records.length < room && from < hw) {
        const to = Math.min(hw, from + window);
        for (const r of part.read(from, to)) if (records.length < room && r.offset >= from && r.offset < to) records.push(r);
        from = to;
        window *= 2;
      }
      const next = records.length === room ? records[records.length - 1].offset + 1 : hw;
      for (const r of records) out.push({ ...r, topic: tp.topic, partition: tp.partition });
      this.positions.set(tpKey(tp), next);
      fetched.push({ tp, fromOffset: pos, toOffset: next });
    }
    if (fetched.length) this.emit(nowMs, { type: 'fetched', records: fetched, count: out.length });
    return out;
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
  group: GroupCoordinator,
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
