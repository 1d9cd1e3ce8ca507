/**
 * The shapes of a drill: its kinds and areas (the catalogue menus show), its parameters, the
 * question with its engine-computed answer, and the result of checking an answer.
 */
import type { TopicPartition } from '../common/record.ts';

// =============================================================================================
// Public shapes

/** The drill kinds, in course order. */
export type DrillKind =
  | 'partition-for-key'
  | 'keys-that-move'
  | 'range-assignment'
  | 'round-robin-assignment'
  | 'idle-consumers'
  | 'high-watermark'
  | 'acks-outcome'
  | 'acks-all-failures'
  | 'hw-after-fetches'
  | 'leader-election'
  | 'consumer-lag'
  | 'committed-offset'
  | 'crash-redelivery'
  | 'offset-reset-start'
  | 'retention-deleted-segments'
  | 'compacted-log-after-cleaning'
  | 'resume-after-retention'
  | 'rebalance-pauses'
  | 'share-record-state'
  | 'share-delivery-count'
  | 'reconcile-epoch';

/** Course areas, for filtering drills ("only assignors"). */
export type DrillArea = 'partitioning' | 'assignors' | 'replication' | 'consumers' | 'offsets' | 'retention' | 'rebalancing';

/** A kind's title and area, for menus and stats. */
export interface DrillKindInfo {
  kind: DrillKind;
  title: string;
  area: DrillArea;
  /** one line: what the drill practises */
  summary: string;
}

/** Every drill kind with its title, in course order. */
export const DRILL_KINDS: readonly DrillKindInfo[] = Object.freeze([
  {
    kind: 'partition-for-key',
    title: 'Which partition for a key',
    area: 'partitioning',
    summary: 'toPositive(murmur2(key)) % numPartitions',
  },
  { kind: 'keys-that-move', title: 'Keys that move when partitions are added', area: 'partitioning', summary: 'hash % n versus hash % m' },
  {
    kind: 'range-assignment',
    title: 'Range assignor',
    area: 'assignors',
    summary: 'per topic, floor(n/c) each, the first n % c get one more',
  },
  {
    kind: 'round-robin-assignment',
    title: 'Round-robin assignor',
    area: 'assignors',
    summary: 'deal every partition in turn, skipping non-subscribers',
  },
  { kind: 'idle-consumers', title: 'Idle consumers', area: 'assignors', summary: 'members that get no partition' },
  { kind: 'high-watermark', title: 'High watermark from the ISR', area: 'replication', summary: 'min logEndOffset over the ISR' },
  {
    kind: 'acks-outcome',
    title: 'acks and min.insync.replicas',
    area: 'replication',
    summary: 'NONE, NOT_ENOUGH_REPLICAS, REQUEST_TIMED_OUT (3.7+), …_AFTER_APPEND (before 3.7) or no response',
  },
  {
    kind: 'acks-all-failures',
    title: 'Failures before acks=all writes stop',
    area: 'replication',
    summary: 'replication factor − min.insync.replicas brokers may fail',
  },
  {
    kind: 'hw-after-fetches',
    title: 'The high watermark after these fetches',
    area: 'replication',
    summary: 'the leader learns a follower has a record on its next fetch; no HW move below min ISR (3.7+)',
  },
  {
    kind: 'leader-election',
    title: 'Which replica becomes leader',
    area: 'replication',
    summary: 'ISR, then eligible leader replicas (4.1+), then the last known leader, then unclean if enabled',
  },
  { kind: 'consumer-lag', title: 'Consumer lag', area: 'consumers', summary: 'highWatermark − committed offset' },
  {
    kind: 'committed-offset',
    title: 'What is committed',
    area: 'offsets',
    summary: 'a commit stores the position: the next offset to read',
  },
  {
    kind: 'crash-redelivery',
    title: 'A crash: processed twice or lost',
    area: 'offsets',
    summary: 'the next owner starts at the committed offset',
  },
  {
    kind: 'offset-reset-start',
    title: 'Where a consumer starts',
    area: 'offsets',
    summary: 'committed offset, else auto.offset.reset: earliest, latest, by_duration',
  },
  {
    kind: 'retention-deleted-segments',
    title: 'Which segments retention deletes',
    area: 'retention',
    summary: 'whole segments, oldest first; the newest record decides; retention.bytes per partition',
  },
  {
    kind: 'compacted-log-after-cleaning',
    title: 'A compacted log after cleaning',
    area: 'retention',
    summary: "each key's latest record below the active segment; tombstones until their delete horizon",
  },
  {
    kind: 'resume-after-retention',
    title: 'Resuming after retention deleted the committed offset',
    area: 'retention',
    summary: 'committed < logStartOffset: OFFSET_OUT_OF_RANGE, then auto.offset.reset',
  },
  {
    kind: 'rebalance-pauses',
    title: 'Which partitions pause: eager vs cooperative',
    area: 'rebalancing',
    summary: 'eager revokes everything; cooperative only what moves (KIP-429)',
  },
  {
    kind: 'share-record-state',
    title: 'A share-group record’s state',
    area: 'rebalancing',
    summary: 'acquired, released, lock timeouts, RENEW, the delivery count limit (KIP-932)',
  },
  {
    kind: 'share-delivery-count',
    title: 'A share-group record’s delivery count',
    area: 'rebalancing',
    summary: 'only an acquisition counts; archived at share.delivery.count.limit',
  },
  {
    kind: 'reconcile-epoch',
    title: 'A member’s epoch after a heartbeat (KIP-848)',
    area: 'rebalancing',
    summary: 'revoke before assign; then the assignment epoch, waiting for partitions still owned',
  },
] as DrillKindInfo[]);

/** Titles of the areas. */
export const DRILL_AREAS: Readonly<Record<DrillArea, string>> = Object.freeze({
  partitioning: 'Partitioning',
  assignors: 'Assignors',
  replication: 'Replication',
  consumers: 'Consumers',
  offsets: 'Offsets and commits',
  retention: 'Retention and compaction',
  rebalancing: 'Rebalancing and share groups',
});

/** The expected answer: a whole number, one choice (index into `choices`), or a set of choices (sorted indices). */
export type DrillAnswer = { type: 'number'; value: number } | { type: 'choice'; index: number } | { type: 'choices'; indices: number[] };

/** The inputs a question was built from (plain JSON), per kind. Tests recompute answers from them. */
export type DrillParams =
  | { kind: 'partition-for-key'; key: string; numPartitions: number }
  | { kind: 'keys-that-move'; keys: string[]; fromPartitions: number; toPartitions: number }
  | {
      kind: 'range-assignment' | 'round-robin-assignment';
      partitionsPerTopic: Record<string, number>;
      subscriptions: Record<string, { topics: string[] }>;
      ask: { what: 'count'; member: string } | { what: 'owner'; tp: TopicPartition };
    }
  | {
      kind: 'idle-consumers';
      assignor: 'range' | 'roundrobin';
      partitionsPerTopic: Record<string, number>;
      subscriptions: Record<string, { topics: string[] }>;
    }
  | {
      kind: 'high-watermark';
      replicas: number[];
      /** broker → its replica's logEndOffset (as the leader knows it: every follower has reported) */
      logEndOffsets: Record<number, number>;
      /** the follower whose broker is down (out of the ISR), if any */
      downBroker: number | null;
    }
  | {
      kind: 'acks-outcome';
      acks: 0 | 1 | 'all';
      minInsyncReplicas: number;
      replicas: number[];
      /** followers down before the produce request */
      downBefore: number[];
      /** followers that crash while an acks=all request waits (before they fetch the record) */
      crashWhileWaiting: number[];
      /** the brokers' Kafka version; absent = the newest (strict min ISR, KAFKA-15583) */
      kafkaVersion?: '3.6';
    }
  | {
      kind: 'acks-all-failures';
      replicationFactor: number;
      minInsyncReplicas: number;
    }
  | {
      kind: 'hw-after-fetches';
      /** t0p0 on [0, 1, 2], leader 0 */
      minInsyncReplicas: number;
      /** in order: produce n records (acks=1), one fetch by a follower, or a follower's broker going down */
      actions: ({ produce: number } | { fetch: number } | { down: number })[];
      kafkaVersion?: '3.6';
    }
  | {
      kind: 'leader-election';
      /** t0p0 on [0, 1, 2], leader 0; brokers go down in this order, each with a clean or unclean shutdown */
      minInsyncReplicas: number;
      downs: { broker: number; cleanShutdown: boolean }[];
      /** brokers that come back afterwards, in order */
      ups: number[];
      uncleanLeaderElectionEnable: boolean;
      /** '4.1': with eligible leader replicas (the newest Kafka); '3.6': without */
      kafkaVersion: '3.6' | '4.1';
    }
  | {
      kind: 'consumer-lag';
      /** per partition of t0: replicated (committed) records, then records only on the leader */
      partitions: { replicated: number; unreplicated: number; committed: number }[];
      /** say "last processed offset committed-1" instead of the committed offset */
      phraseAsLastProcessed: boolean;
    }
  | {
      kind: 'committed-offset';
      /** t0p0 holds offsets 0 … records−1 */
      records: number;
      maxPollRecords: number;
      /** in order; an explicit commit is commitSync of { t0p0: commitOffset } */
      actions: ('poll' | 'commitSync' | 'commitAsync' | { commitOffset: number })[];
    }
  | {
      kind: 'crash-redelivery';
      records: number;
      maxPollRecords: number;
      enableAutoCommit: boolean;
      /** in order, then a crash; auto.commit.interval.ms 5000, first poll at 3000 ms */
      actions: ('poll' | 'commitSync' | { process: number } | { waitMs: number })[];
      /** count the records processed twice, or those never processed */
      ask: 'twice' | 'lost';
    }
  | {
      kind: 'offset-reset-start';
      /** batches written one after another, `afterMs` after the previous one (the first at 3000 ms) */
      batches: { afterMs: number; count: number }[];
      strategy: 'earliest' | 'latest' | `by_duration:${string}`;
      /** the group's committed offset, or null for none */
      committed: number | null;
    }
  | {
      kind: 'retention-deleted-segments';
      /** segment.bytes holds this many (equal-sized) records */
      recordsPerSegment: number;
      /** record i's timestamp (ms), appended one by one at that time */
      timestamps: number[];
      retentionMs: number;
      retentionBytes: number;
      /** the time of the retention check (ms) */
      nowMs: number;
    }
  | {
      kind: 'compacted-log-after-cleaning';
      /** written at 0 ms, then cleaned at firstPassMs */
      first: { key: string; value: string | null }[];
      /** written after the first pass; the last activeCount are in the active segment */
      second: { key: string; value: string | null }[];
      activeCount: number;
      deleteRetentionMs: number;
      firstPassMs: number;
      /** the asked pass (ms) */
      nowMs: number;
    }
  | {
      kind: 'resume-after-retention';
      /** records written at 3000 ms */
      before: number;
      /** records written when the consumer has been down downMs */
      after: number;
      committed: number;
      segmentBytes: number;
      retentionMs: number;
      downMs: number;
      strategy: 'earliest' | 'latest';
    }
  | {
      kind: 'rebalance-pauses';
      /** every member subscribes to every topic */
      partitionsPerTopic: Record<string, number>;
      /** members C0 … C(members−1) before C<members> joins */
      members: number;
      /** the classic group's rebalance protocol: `sticky` (EAGER) or `cooperative-sticky` (COOPERATIVE, KIP-429) */
      rebalanceProtocol: 'eager' | 'cooperative';
    }
  | {
      kind: 'share-record-state' | 'share-delivery-count';
      deliveryCountLimit: number;
      recordLockDurationMs: number;
      /** in order, on t0p0 holding one record (offset 0); an acknowledgement reaches the broker at once */
      ops: ({ fetch: string } | { ack: 'accept' | 'release' | 'reject' | 'renew'; member: string } | { waitMs: number })[];
    }
  | {
      kind: 'reconcile-epoch';
      memberEpoch: number;
      assignmentEpoch: number;
      /** partitions of t0 C1 holds, its target, and those other members still own */
      held: number[];
      target: number[];
      ownedElsewhere: number[];
    };

/** A generated question. Plain JSON. */
export interface DrillQuestion {
  /** `${kind}-${seed}`: kind and seed identify the question */
  id: string;
  kind: DrillKind;
  seed: number;
  /** the question, in Markdown (paragraphs, `- ` lists, `code`, **bold**), in Kafka notation */
  prompt: string;
  answer: DrillAnswer;
  /** labels for choice answers (Markdown inline) */
  choices?: string[];
  /** the working, computed by the engine, in Markdown */
  explanation: string;
  params: DrillParams;
}

/** What the learner gave: a number (or its text) for numeric answers, an index for a choice, indices for a set. */
export type DrillInput = number | string | readonly number[];

/** The verdict of {@link checkDrillAnswer}. */
export interface DrillCheck {
  correct: boolean;
  /** the expected answer as text (a number, a choice label, or labels joined with ", ") */
  expected: string;
  /** the question's explanation */
  explanation: string;
  /** set when the input could not be read as an answer (e.g. "abc" for a number); then correct is false */
  problem?: string;
}

/** The fixed choices of the acks drill, by the producer's view. */
export const ACKS_OUTCOMES = [
  'NONE',
  'NOT_ENOUGH_REPLICAS',
  'NOT_ENOUGH_REPLICAS_AFTER_APPEND',
  'no response',
  'REQUEST_TIMED_OUT',
] as const;
export type AcksOutcome = (typeof ACKS_OUTCOMES)[number];

/** A question without its identity (kind, seed, id): what each kind's generator returns. */
export type DrillBody = Omit<DrillQuestion, 'id' | 'kind' | 'seed'>;
