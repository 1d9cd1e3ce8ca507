/**
 * How a snapshot shows share groups (KIP-932): members and their partitions, and every share
 * partition's records with their state and delivery count. Produced by ./share-steps.ts; the
 * player's share-group panel renders it.
 */
import type { TopicPartition } from '../common/record.ts';

/** One record of a share partition at one instant. */
export interface ShareRecordView {
  offset: number;
  key: string | null;
  value: string | null;
  /**
   * available (never delivered, or released / lock expired), acquired, acknowledged or archived.
   * Records below the start offset keep the terminal state they ended in.
   */
  state: 'available' | 'acquired' | 'acknowledged' | 'archived';
  /** times it has been acquired (0: never delivered) */
  deliveryCount: number;
  /** the member holding its lock while acquired, else null */
  member: string | null;
  /** when its lock expires while acquired (simulated ms), else null */
  lockExpiresAtMs: number | null;
}

/** One share partition: the group's start and end offsets (SPSO, SPEO) and its records. */
export interface SharePartitionView {
  topic: string;
  partition: number;
  /** members assigned this partition (the simple assignor may give it to several) */
  members: string[];
  /** share-partition start offset, or null before the group first read it */
  startOffset: number | null;
  /** share-partition end offset (one past the highest offset ever acquired), or null */
  endOffset: number | null;
  highWatermark: number;
  /** from the first offset the group read to the high watermark (at most the run's record limit) */
  records: ShareRecordView[];
}

/** One share consumer as the snapshot shows it. */
export interface ShareMemberView {
  id: string;
  status: 'not-started' | 'running' | 'crashed' | 'closed';
  /** still a member of the group (a crashed one stays until its session times out) */
  member: boolean;
  partitions: TopicPartition[];
  mode: 'implicit' | 'explicit';
  /** records of its last poll() still unacknowledged (explicit mode) */
  unacknowledged: { topic: string; partition: number; offset: number }[];
}

/** A share group at one instant. */
export interface ShareGroupView {
  id: string;
  assignor: 'simple';
  groupEpoch: number;
  recordLockDurationMs: number;
  deliveryCountLimit: number;
  autoOffsetReset: 'earliest' | 'latest';
  members: ShareMemberView[];
  partitions: SharePartitionView[];
}
