/**
 * The shapes of the commit-loop simulation (./commit-loop.ts): what the application sees and
 * returns (records, offset maps, commit errors, its decisions), the world and the fault schedule,
 * the trace of events and the anomalies the checks (./commit-loop-checks.ts) name.
 */
import type { TopicPartition } from '../common/record.ts';

// =============================================================================================
// What the application sees and returns
// =============================================================================================

/** A record as poll() hands it to the application (ConsumerRecord). */
export interface LoopRecord {
  topic: string;
  partition: number;
  offset: number;
  key: string | null;
  value: string;
}

/**
 * Offsets to commit, like Kafka's `Map<TopicPartition, OffsetAndMetadata>`: keyed by tpKey
 * (`"t0-1"`), each the next offset to read (last processed + 1).
 */
export type OffsetMap = Record<string, { offset: number }>;

/** What onCommitFailed hears. */
export interface CommitError {
  name: 'CommitFailedException' | 'RetriableCommitFailedException';
  message: string;
  /** the offsets that were not committed */
  offsets: OffsetMap;
}

/** A JSON value the application keeps between calls; `{}` for a fresh process. */
export type LoopState = unknown;

/**
 * The application's decisions, called by the simulation with the member's state. Implementations
 * may throw; the error propagates out of {@link runCommitLoop} unchanged.
 */
export interface CommitDecisions {
  onBatch(member: string, state: LoopState, records: LoopRecord[]): { state: LoopState; commit?: OffsetMap; handOff?: boolean };
  onProcessed(member: string, state: LoopState, records: LoopRecord[]): { state: LoopState; commit?: OffsetMap };
  onPartitionsRevoked(member: string, state: LoopState, partitions: TopicPartition[]): { state: LoopState; commit?: OffsetMap };
  onCommitFailed(member: string, state: LoopState, error: CommitError): { state: LoopState };
}

// =============================================================================================
// The world and the fault schedule
// =============================================================================================

export interface CommitLoopWorld {
  /** the topic, e.g. "t0" */
  topic: string;
  /** records in each partition (its log end offset), index = partition */
  recordsPerPartition: number[];
  /** every consumer that may run, in declaration order, e.g. ["C0", "C1"] */
  members: string[];
  /** how many of `members` (the first ones) are in the group when the schedule starts, ≥ 1 */
  initialMembers: number;
  /** max.poll.records */
  maxPollRecords: number;
}

/**
 * One step of the fault schedule.
 * - poll: one iteration of the member's poll loop (its first poll joins the group; a crashed
 *   member's next poll starts a new process); `crashAfter: k` kills it after processing k records
 *   of the batch it processes in the loop.
 * - work: the member's worker processes its oldest handed-off batch (`crashAfter` as for poll).
 * - crash: the member's process dies between two polls.
 * - failNextCommit: the member's next commitAsync fails (RetriableCommitFailedException).
 * - slowNextBatch: the next batch the member processes in its loop takes longer than max.poll.interval.ms.
 */
export type LoopOp =
  | { poll: string; crashAfter?: number }
  | { work: string; crashAfter?: number }
  | { crash: string }
  | { failNextCommit: string }
  | { slowNextBatch: string };

// =============================================================================================
// The trace
// =============================================================================================

export type RecordRef = { partition: number; offset: number };

/** What happened, in order. `op` is the index of the schedule step it belongs to (-1: setup, ≥ schedule length: the final drain). */
export type LoopEvent = { op: number } & (
  | { type: 'join'; member: string; memberId: string; restart: boolean; emptyGroup: boolean }
  | { type: 'rejoin-after-removal'; member: string; memberId: string; lost: number[]; emptyGroup: boolean }
  | { type: 'revoke'; member: string; partitions: number[] }
  | { type: 'assign'; generation: number; assignment: Record<string, number[]> }
  | { type: 'poll'; member: string; records: RecordRef[]; rejoined: boolean }
  | { type: 'hand-off'; member: string; records: RecordRef[] }
  | { type: 'process'; member: string; by: 'loop' | 'worker'; records: RecordRef[]; slow: boolean }
  | {
      type: 'commit';
      member: string;
      mode: 'async' | 'sync';
      from: 'onBatch' | 'onProcessed' | 'onPartitionsRevoked';
      offsets: Record<number, number>;
      error: CommitError['name'] | null;
    }
  | { type: 'crash'; member: string; afterRecords: number | null }
  | { type: 'removed'; member: string }
  | { type: 'armed'; member: string; fault: 'failNextCommit' | 'slowNextBatch' }
  | { type: 'close'; member: string }
  | { type: 'final-phase' }
);

export interface CommitLoopResult {
  events: LoopEvent[];
  /** the first anomaly found, or null when every guarantee held */
  anomaly: Anomaly | null;
  /** every anomaly, in order (the run goes on after the first; later ones are often its consequences) */
  anomalies: Anomaly[];
  /** the group's committed offsets at the end, by partition (null: never committed) */
  committed: (number | null)[];
  /** how often each record was processed, [partition][offset] */
  processedCount: number[][];
  /** calls made into the decisions */
  calls: number;
}

// =============================================================================================
// Anomalies
// =============================================================================================

/**
 * A broken delivery guarantee, named in Kafka's terms:
 * - commit-ahead-of-processing: a commit covers records nobody has processed (at-least-once)
 * - lost-record: a record nobody processed by the end (at-least-once)
 * - commit-not-next-offset: a committed offset that is not last processed + 1
 * - commit-unowned-partition: a commit for a partition the member does not own
 * - redelivered-after-rebalance: a record processed again after a clean rebalance (bounded redelivery)
 * - not-committed-at-close: after everyone closed, a partition's committed offset is not its end
 */
export type AnomalyKind =
  | 'commit-ahead-of-processing'
  | 'lost-record'
  | 'commit-not-next-offset'
  | 'commit-unowned-partition'
  | 'redelivered-after-rebalance'
  | 'not-committed-at-close';

export interface Anomaly {
  kind: AnomalyKind;
  /** one or two sentences in the lesson's notation, e.g. `lost record t0p1@5: …` */
  message: string;
  /** the index in the events of the event where it happened */
  event: number;
}
