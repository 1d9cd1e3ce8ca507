/**
 * The shapes of a consumer group under the classic protocol, shared by the broker's coordinator
 * (./coordinator.ts) and the members' side (./member.ts): configs with Kafka's defaults, states,
 * error codes, the events a group records, and each side's record of a member.
 *
 * Source: Kafka's ConsumerConfig (defaults), GroupMetadata (states), Errors (codes), MemberMetadata,
 * ConsumerCoordinator.
 */
import type { AssignorMetadata, AssignorName, Subscription } from '../assignors/assignor.ts';
import type { TopicPartition } from '../common/record.ts';
import type { ConsumerProtocolEventBody } from './consumer-protocol/protocol-types.ts';

/** Kafka's consumer defaults that matter to the group protocol. */
export const CONSUMER_GROUP_DEFAULTS = {
  /** session.timeout.ms: 45000 since Kafka 3.0 (KIP-735; was 10000) */
  sessionTimeoutMs: 45_000,
  /** heartbeat.interval.ms: 3000 (ConsumerConfig) */
  heartbeatIntervalMs: 3_000,
  /** max.poll.interval.ms: 300000 (ConsumerConfig, KIP-62); also the JoinGroup rebalance timeout */
  maxPollIntervalMs: 300_000,
  /** partition.assignment.strategy: [RangeAssignor, CooperativeStickyAssignor] since Kafka 3.0 (KIP-726) */
  partitionAssignmentStrategy: ['range', 'cooperative-sticky'] as AssignorName[],
} as const;

/** group.initial.rebalance.delay.ms: 3000 (broker config, KIP-134). */
export const GROUP_INITIAL_REBALANCE_DELAY_MS = 3_000;

/** offsets.retention.minutes: 10080 (7 days) since Kafka 2.0 (KIP-186), counted from when the group became Empty (KIP-211). */
export const OFFSETS_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;

export type GroupState =
  | 'Empty'
  | 'PreparingRebalance'
  | 'CompletingRebalance'
  | 'Stable'
  | 'Dead'
  // the consumer protocol's states (KIP-848, ./consumer-protocol/protocol-types.ts ConsumerGroupState)
  | 'Assigning'
  | 'Reconciling';
export type RebalanceProtocol = 'eager' | 'cooperative';
/** Kafka error codes the group protocol returns. */
export type GroupError =
  | 'NONE'
  | 'REBALANCE_IN_PROGRESS'
  | 'UNKNOWN_MEMBER_ID'
  | 'ILLEGAL_GENERATION'
  | 'FENCED_INSTANCE_ID'
  | 'INCONSISTENT_GROUP_PROTOCOL'
  // the consumer protocol (KIP-848): ./consumer-protocol/
  | 'FENCED_MEMBER_EPOCH'
  | 'UNRELEASED_INSTANCE_ID'
  | 'STALE_MEMBER_EPOCH';

/** How a consumer is configured (Kafka's consumer configs, camelCase, units kept). */
export interface MemberConfig {
  /** topics to subscribe to */
  topics: string[];
  /** group.instance.id: set to make the member static (KIP-345) */
  groupInstanceId?: string | null;
  /** partition.assignment.strategy, by preference; default ['range', 'cooperative-sticky'] */
  partitionAssignmentStrategy?: AssignorName[];
  /** session.timeout.ms; default 45000 (see CONSUMER_GROUP_DEFAULTS) */
  sessionTimeoutMs?: number;
  /** heartbeat.interval.ms; default 3000 */
  heartbeatIntervalMs?: number;
  /** max.poll.interval.ms, also the JoinGroup rebalance timeout; default 300000 */
  maxPollIntervalMs?: number;
  /** client.rack (KIP-881) */
  rackId?: string | null;
  /**
   * 'auto' (default): the member's poll loop runs on its own, except while `process()` keeps it busy.
   * 'manual': it polls only when `poll()` is called (the Consumer in ../consumer/consumer.ts drives it).
   */
  pollMode?: 'auto' | 'manual';
}

/** Hooks the data path (consumer.ts) plugs in: Kafka's ConsumerRebalanceListener plus onJoinPrepare. */
export interface MemberListener {
  /** before (re)joining, on the polling thread: the consumer auto-commits here */
  onJoinPrepare?(nowMs: number): void;
  onPartitionsRevoked?(nowMs: number, partitions: TopicPartition[]): void;
  onPartitionsAssigned?(nowMs: number, partitions: TopicPartition[]): void;
  onPartitionsLost?(nowMs: number, partitions: TopicPartition[]): void;
}

/** One trace event; JSON-serialisable. `member` is the consumer's name given by the caller. */
export type GroupEvent = { atMs: number; groupId: string } & GroupEventBody;

/** What happened, without the time and group every {@link GroupEvent} carries. */
export type GroupEventBody =
  | { type: 'state-changed'; from: GroupState; to: GroupState }
  | { type: 'member-joined'; member: string; memberId: string; groupInstanceId: string | null }
  | { type: 'rebalance-started'; reason: string; generationId: number }
  | {
      type: 'rebalance-completed';
      generationId: number;
      /** the assignor the group chose (partition.assignment.strategy) */
      assignor: AssignorName;
      rebalanceProtocol: RebalanceProtocol;
      leader: string;
      assignment: Record<string, TopicPartition[]>;
    }
  | {
      type: 'member-removed';
      member: string;
      memberId: string;
      reason: 'session-timeout' | 'leave-group' | 'rebalance-timeout' | 'poll-timeout';
    }
  | { type: 'static-member-replaced'; member: string; oldMemberId: string; memberId: string }
  | {
      [K in 'partitions-revoked' | 'partitions-assigned' | 'partitions-lost']: {
        type: K;
        member: string;
        memberId: string;
        partitions: TopicPartition[];
      };
    }['partitions-revoked' | 'partitions-assigned' | 'partitions-lost']
  | { type: 'member-fenced'; member: string; memberId: string; error: GroupError }
  | { type: 'member-crashed'; member: string }
  | { type: 'offsets-expired'; retentionMs: number }
  | { type: 'member-closed'; member: string }
  // the consumer protocol (KIP-848): ./consumer-protocol/protocol-types.ts
  | ConsumerProtocolEventBody;

/** The coordinator's record of a member (Kafka's MemberMetadata). */
export interface MemberMetadata {
  memberId: string;
  name: string;
  groupInstanceId: string | null;
  subscription: Subscription;
  /** the assignors it supports, in preference order (its partition.assignment.strategy) */
  assignors: AssignorName[];
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  lastHeartbeatMs: number;
  /** has (re)joined in the current PreparingRebalance */
  joined: boolean;
  assignment: TopicPartition[];
  joinOrder: number;
}

/** The member's own view (Kafka's ConsumerCoordinator state). */
export interface Client {
  name: string;
  config: Required<Omit<MemberConfig, 'groupInstanceId' | 'rackId'>> & { groupInstanceId: string | null; rackId: string | null };
  /** COOPERATIVE only if every configured assignor supports it */
  rebalanceProtocol: RebalanceProtocol;
  alive: boolean;
  memberId: string | null;
  generationId: number;
  owned: TopicPartition[];
  /** the assignment of the last completed rebalance (sticky's userData) and its generation */
  lastAssignment: TopicPartition[];
  lastAssignmentGeneration: number;
  rejoinNeeded: boolean;
  /** the member was removed or fenced: its partitions are lost on the next join */
  lostPending: boolean;
  lastPollMs: number;
  busyUntilMs: number;
  nextHeartbeatMs: number;
  heartbeating: boolean;
  listener: MemberListener;
}

export interface GroupCoordinatorOptions {
  groupId: string;
  /** current partition count per topic (read at every assignment) */
  partitionsPerTopic: () => Record<string, number>;
  /** replica racks per partition, for rack-aware assignors (KIP-881); read at every assignment */
  assignorMetadata?: () => AssignorMetadata;
  /** group.initial.rebalance.delay.ms; default 3000 */
  groupInitialRebalanceDelayMs?: number;
  /** offsets.retention.minutes in ms; default 7 days. An Empty group's offsets expire this long after it emptied; the group is then Dead. */
  offsetsRetentionMs?: number;
  /** events are appended here (shared by several groups if you like) */
  trace?: GroupEvent[];
  /** start of the clock, ms; default 0 */
  nowMs?: number;
}

/** Thrown for misuse of the API (unknown member name, time going backwards, …). */
export class GroupUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GroupUsageError';
  }
}
