/**
 * The shapes of a consumer group under KIP-848's consumer rebalance protocol (`group.protocol=consumer`,
 * GA in Kafka 4.0): broker configs with their defaults, the group and member states, the heartbeat's
 * special epochs, error codes and the events such a group records.
 *
 * Source: Kafka's GroupCoordinatorConfig (group.consumer.* configs), ConsumerGroup (states),
 * MemberState (group-coordinator, modern/consumer), ConsumerGroupHeartbeatRequest (epochs 0, -1, -2),
 * Errors (FENCED_MEMBER_EPOCH, UNKNOWN_MEMBER_ID, UNRELEASED_INSTANCE_ID, STALE_MEMBER_EPOCH), KIP-848.
 */
import type { TopicPartition } from '../../common/record.ts';

/** The server-side assignors of group.consumer.assignors (ConsumerGroupPartitionAssignor: UniformAssignor, RangeAssignor). */
export type ServerAssignorName = 'uniform' | 'range';

/** Broker configs of the consumer protocol with Kafka's defaults (GroupCoordinatorConfig). */
export const CONSUMER_PROTOCOL_DEFAULTS = {
  /** group.consumer.heartbeat.interval.ms: 5000 (CONSUMER_GROUP_HEARTBEAT_INTERVAL_MS_DEFAULT); the broker tells members how often to heartbeat */
  heartbeatIntervalMs: 5_000,
  /** group.consumer.session.timeout.ms: 45000 (CONSUMER_GROUP_SESSION_TIMEOUT_MS_DEFAULT); set on the broker, not the client */
  sessionTimeoutMs: 45_000,
  /** group.consumer.assignors: uniform, range (CONSUMER_GROUP_ASSIGNORS_DEFAULT); the first is the default, a member picks another with group.remote.assignor */
  assignors: ['uniform', 'range'] as ServerAssignorName[],
  /**
   * group.consumer.assignment.interval.ms: 1000 (CONSUMER_GROUP_ASSIGNMENT_INTERVAL_MS_DEFAULT, in the Kafka
   * snapshot's GroupCoordinatorConfig): how often the coordinator recomputes a changed group's target
   * assignment. Not modelled: this engine computes the target at once when the group epoch moves.
   */
  assignmentIntervalMs: 1_000,
} as const;

/** ConsumerGroupHeartbeatRequest: the memberEpoch a member sends to join (0), leave (-1), or leave briefly as a static member (-2). */
export const JOIN_GROUP_MEMBER_EPOCH = 0;
export const LEAVE_GROUP_MEMBER_EPOCH = -1;
export const LEAVE_GROUP_STATIC_MEMBER_EPOCH = -2;

/**
 * The group's state (ConsumerGroup.ConsumerGroupState): Empty without members; Assigning while the
 * target assignment is behind the group epoch; Reconciling while some member has not reached the
 * target (its epoch or state); Stable otherwise; Dead once deleted or expired.
 */
export type ConsumerGroupState = 'Empty' | 'Assigning' | 'Reconciling' | 'Stable' | 'Dead';

/**
 * A member's reconciliation state on the coordinator (MemberState): STABLE (it has its target);
 * UNREVOKED_PARTITIONS (it must first revoke partitions; its epoch stays); UNRELEASED_PARTITIONS (it
 * is at the target epoch but waits for partitions other members still own).
 */
export type MemberState = 'STABLE' | 'UNREVOKED_PARTITIONS' | 'UNRELEASED_PARTITIONS';

/** Errors of the ConsumerGroupHeartbeat and OffsetCommit APIs under the consumer protocol. */
export type ConsumerProtocolError =
  'NONE' | 'FENCED_MEMBER_EPOCH' | 'UNKNOWN_MEMBER_ID' | 'UNRELEASED_INSTANCE_ID' | 'FENCED_INSTANCE_ID' | 'STALE_MEMBER_EPOCH';

/** How a consumer is configured under the consumer protocol (client configs, camelCase, units kept). */
export interface ConsumerProtocolMemberConfig {
  topics: string[];
  /** group.instance.id: a static member (KIP-345 kept by KIP-848) */
  groupInstanceId?: string | null;
  /** group.remote.assignor: the server-side assignor this member asks for; default: the broker's first of group.consumer.assignors (uniform) */
  groupRemoteAssignor?: ServerAssignorName | null;
  /** max.poll.interval.ms: 300000; also the member's rebalance timeout (AbstractHeartbeatRequestManager) */
  maxPollIntervalMs?: number;
}

/** The coordinator's record of a member (ConsumerGroupMember). */
export interface ConsumerGroupMember {
  memberId: string;
  /** the consumer's name in lessons and traces */
  name: string;
  groupInstanceId: string | null;
  subscribedTopics: string[];
  serverAssignor: ServerAssignorName | null;
  /** rebalanceTimeoutMs: the client's max.poll.interval.ms */
  rebalanceTimeoutMs: number;
  memberEpoch: number;
  previousMemberEpoch: number;
  state: MemberState;
  /** partitions the member has (or is being given), each with the epoch it was assigned in */
  assigned: TopicPartition[];
  assignmentEpochs: Map<string, number>;
  /** partitions it must revoke before it gets anything new */
  pendingRevocation: TopicPartition[];
  lastHeartbeatMs: number;
  /** the rebalance-timeout deadline while UNREVOKED_PARTITIONS (Infinity otherwise) */
  revocationDeadlineMs: number;
  joinOrder: number;
}

/** A group event of the consumer protocol; JSON-serialisable, part of the group's trace. */
export type ConsumerProtocolEventBody =
  | {
      type: 'target-assignment';
      /** the group epoch this target belongs to (the assignment epoch) */
      groupEpoch: number;
      assignor: ServerAssignorName;
      reason: string;
      assignment: Record<string, TopicPartition[]>;
    }
  | {
      type: 'member-reconciled';
      member: string;
      memberId: string;
      memberEpoch: number;
      state: MemberState;
      assigned: TopicPartition[];
      pendingRevocation: TopicPartition[];
    }
  | { type: 'static-member-left'; member: string; memberId: string }
  | { type: 'consumer-group-state'; from: ConsumerGroupState; to: ConsumerGroupState };
