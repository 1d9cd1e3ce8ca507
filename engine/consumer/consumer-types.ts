/**
 * The consumer's configuration and its trace events: Kafka's defaults for the data path
 * ({@link CONSUMER_DEFAULTS}), the configs a scenario or test sets ({@link ConsumerConfig}), how a
 * `Consumer` (./consumer.ts) is built ({@link ConsumerOptions}) and what it records
 * ({@link ConsumerEvent}: fetches, commits, offset resets, seeks).
 *
 * Mirrors Kafka's ConsumerConfig (enable.auto.commit true, auto.commit.interval.ms 5000,
 * auto.offset.reset latest, max.poll.records 500, isolation.level read_uncommitted).
 */
import type { GroupError, MemberConfig, MemberListener } from '../group/group-types.ts';
import type { GroupMembership } from '../group/membership.ts';
import type { TopicPartition } from '../common/record.ts';
import type { IsolationLevel } from '../log/transaction-index.ts';
import type { OffsetResetStrategy } from './offset-reset.ts';
import type { FetchablePartition } from './fetcher.ts';

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
  /** isolation.level: read_uncommitted (ConsumerConfig) */
  isolationLevel: 'read_uncommitted' as IsolationLevel,
} as const;

export interface ConsumerConfig extends Omit<MemberConfig, 'pollMode'> {
  enableAutoCommit?: boolean;
  autoCommitIntervalMs?: number;
  autoOffsetReset?: OffsetResetStrategy;
  maxPollRecords?: number;
  /** isolation.level; default read_uncommitted */
  isolationLevel?: IsolationLevel;
}

/** Consumer trace events (JSON-serialisable), next to the group's events. */
export type ConsumerEvent = { atMs: number; groupId: string; member: string } & ConsumerEventBody;

/** What happened, without the time, group and member every {@link ConsumerEvent} carries. */
export type ConsumerEventBody =
  | { type: 'fetched'; records: { tp: TopicPartition; fromOffset: number; toOffset: number }[]; count: number }
  | {
      type: 'committed';
      mode: 'sync' | 'async' | 'auto';
      offsets: { tp: TopicPartition; offset: number }[];
      error: GroupError | 'COORDINATOR_NOT_AVAILABLE';
      seq?: number;
    }
  | { type: 'async-commit-retry'; seq: number; retried: boolean; latestSeq: number }
  | {
      type: 'offset-reset';
      tp: TopicPartition;
      strategy: Exclude<OffsetResetStrategy, 'none'>;
      reason: 'no-committed-offset' | 'out-of-range';
      fromOffset: number | null;
      toOffset: number;
    }
  | { type: 'position-initialized'; tp: TopicPartition; offset: number }
  | { type: 'seek'; tp: TopicPartition; offset: number };

export interface ConsumerOptions {
  /** the consumer's name in lessons and traces, e.g. "C0" */
  name: string;
  group: GroupMembership;
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
