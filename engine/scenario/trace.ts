/**
 * What {@link runScenario} returns: one {@link TraceEvent} per step, each with a self-contained
 * {@link Snapshot} of the cluster, groups, consumers and producers. Plain JSON throughout.
 */
import type { ShareGroupView } from './share-trace.ts';
import type { StepKind } from './authoring.ts';
import type { AssignorName } from '../assignors/assignor.ts';
import type { GroupState, RebalanceProtocol } from '../group/group-types.ts';
import type { TopicPartition } from '../common/record.ts';
import type { MemberState, ServerAssignorName } from '../group/consumer-protocol/protocol-types.ts';

// =============================================================================================
// The trace the engine plays out
// =============================================================================================

/** A record as a snapshot shows it. */
export interface RecordView {
  offset: number;
  key: string | null;
  value: string | null;
  /** CreateTime, ms on the simulated clock */
  timestamp: number;
  /** the scenario producer that wrote it, or null if unknown */
  producer: string | null;
  /** the leader epoch it was appended in */
  leaderEpoch: number | null;
  /** a transaction marker (control record): COMMIT or ABORT of `producer`'s transaction; absent for data records */
  control?: 'COMMIT' | 'ABORT';
  /** a transactional data record: its transaction is still open, committed, or aborted; absent otherwise */
  txn?: 'open' | 'committed' | 'aborted';
}

/** A record as a consumer saw it: where it came from and what it held. */
export interface ConsumedRecord {
  topic: string;
  partition: number;
  offset: number;
  key: string | null;
  value: string | null;
  /** the scenario producer that wrote it, or null if unknown */
  producer: string | null;
  /** share groups only: this delivery's count (1 on the first delivery; KIP-932) */
  deliveryCount?: number;
}

/** One partition at one instant: replication state and the leader's log. */
export interface PartitionView {
  topic: string;
  partition: number;
  /** e.g. "t0p1" or "orders-1" */
  label: string;
  /** replica broker ids; the first is the preferred leader */
  replicas: number[];
  /** the leader's broker id, or null when the partition is offline */
  leader: number | null;
  leaderEpoch: number;
  isr: number[];
  /** eligible leader replicas (KIP-966); present only when non-empty */
  elr?: number[];
  /** the leader's (or, offline, the best replica's) log start / end offsets and high watermark */
  logStartOffset: number;
  logEndOffset: number;
  highWatermark: number;
  /**
   * The last stable offset (min of the first open transaction's offset and the HW): read_committed
   * consumers read below it. Present only in scenarios with a transactional producer.
   */
  lastStableOffset?: number;
  /** each replica's own offsets */
  replicaStates: { broker: number; alive: boolean; logStartOffset: number; logEndOffset: number; highWatermark: number }[];
  /** how many records the leader's log holds now (after retention and compaction) */
  recordCount: number;
  /** the leader's records, oldest first; only the last `recordLimit` when there are more */
  records: RecordView[];
  /** how many older records were left out of `records` (0 when all are shown) */
  recordsOmitted: number;
  /** the segments of the leader's log (base offset, record count, bytes, active or not) */
  segments: { baseOffset: number; recordCount: number; sizeInBytes: number; active: boolean }[];
}

/** A group member at one instant. */
export interface MemberView {
  /** the consumer's id in the scenario, e.g. "C0" */
  consumer: string;
  memberId: string;
  groupInstanceId: string | null;
  /** what the coordinator assigned it at the last rebalance */
  assignment: TopicPartition[];
  /** consumer protocol only (KIP-848): the member's epoch, its reconciliation state, its target, what it must still revoke */
  memberEpoch?: number;
  memberState?: MemberState;
  target?: TopicPartition[];
  pendingRevocation?: TopicPartition[];
}

/** A consumer group at one instant. */
export interface GroupView {
  id: string;
  state: GroupState;
  generationId: number;
  /** the assignor chosen at the last rebalance */
  assignor: AssignorName | ServerAssignorName | null;
  /** eager or cooperative: follows from the assignor (cooperative exactly for cooperative-sticky) */
  rebalanceProtocol: RebalanceProtocol;
  /** the leader's consumer id */
  leader: string | null;
  /** members the coordinator knows, in join order */
  members: MemberView[];
  /** committed offset per partition of the subscribed topics (null = none yet) and lag = HW − committed */
  offsets: { topic: string; partition: number; committed: number | null; highWatermark: number; lag: number }[];
  /** sum of `offsets[].lag` */
  totalLag: number;
  /** present for a consumer-protocol group (KIP-848): `generationId` is then its group epoch */
  groupProtocol?: 'consumer';
  /** consumer protocol only: the epoch of the target assignment */
  assignmentEpoch?: number;
}

/** A consumer at one instant. */
export interface ConsumerView {
  id: string;
  group: string;
  /** isolation.level, present when the scenario sets it */
  isolationLevel?: 'read_uncommitted' | 'read_committed';
  /** running = its process is alive (joined and not crashed, closed, or fenced by a newer instance) */
  status: 'not-started' | 'running' | 'crashed' | 'closed' | 'fenced';
  /** null when it is not a member now */
  memberId: string | null;
  /** the generation it believes it is in (-1 for none) */
  generationId: number;
  /** the partitions it owns now (may fetch) */
  owned: TopicPartition[];
  /** position (next offset to read) and lag (HW − position) per owned partition */
  positions: { topic: string; partition: number; position: number | null; lag: number | null }[];
  receivedCount: number;
  processedCount: number;
  /** received but not processed yet, oldest first (at most `recordLimit`) */
  pending: ConsumedRecord[];
}

/** A send's fate, as the producer's callback reports it. */
export interface DeliveryView {
  /** the producer's batch id (one record per batch here) */
  batchId: number;
  topic: string;
  partition: number;
  key: string | null;
  value: string | null;
  status: 'pending' | 'acked' | 'failed';
  /** the offset the broker reported; null for acks=0, pending or failed */
  offset: number | null;
  /** the Kafka error code when failed (or last seen), else null */
  error: string | null;
  retries: number;
}

/** A producer at one instant. */
export interface ProducerView {
  id: string;
  acks: 0 | 1 | -1;
  enableIdempotence: boolean;
  counts: { pending: number; acked: number; failed: number };
  /** the latest sends, oldest first (at most `recordLimit`) */
  deliveries: DeliveryView[];
  /** a transactional producer's state (present only with transactionalId) */
  transaction?: {
    transactionalId: string;
    producerId: number | null;
    /** this instance's epoch (-1 before initTransactions) */
    producerEpoch: number;
    /** UNINITIALIZED, READY, IN_TRANSACTION or FENCED (a newer instance took over) */
    state: 'UNINITIALIZED' | 'READY' | 'IN_TRANSACTION' | 'FENCED';
  };
}

/** Everything a renderer needs at one instant; self-contained. */
export interface Snapshot {
  timeMs: number;
  brokers: { id: number; rack: string | null; alive: boolean }[];
  topics: { name: string; partitions: number; replicationFactor: number; cleanupPolicy: string; minInsyncReplicas: number }[];
  /** by topic (UTF-16 order), then partition */
  partitions: PartitionView[];
  groups: GroupView[];
  consumers: ConsumerView[];
  producers: ProducerView[];
  /** share groups (KIP-932), present only when the scenario declares some */
  shareGroups?: ShareGroupView[];
}

/** A rebalance listener call that happened during a step. */
export interface CallbackView {
  consumer: string;
  group: string;
  kind: 'revoked' | 'assigned' | 'lost';
  partitions: TopicPartition[];
}

/**
 * One event of the trace: the state after one step (event 0 is the initial state, `step` null).
 * A renderer needs only this object: it carries the step, a description, what happened, and a full
 * snapshot.
 */
export interface TraceEvent {
  /** position in the trace, 0 … */
  index: number;
  /** index into `scenario.steps`, or null for the initial event */
  step: number | null;
  kind: StepKind | 'start';
  /** simulated time after the step, ms */
  timeMs: number;
  /** what the step did, in Kafka notation: "P0 sends key order-1 → orders-2 (acks=all)" */
  description: string;
  /** who and what the step acts on, for a renderer to highlight (empty lists for note / advanceTime) */
  focus: { consumers: string[]; producers: string[]; brokers: number[]; topics: string[] };
  /** the narration text for a `note` step (and the latest note for later steps until the next one), else null */
  narration: string | null;
  /** what the engine did as a consequence, one line each, in order ("C1 removed from g1 (session-timeout)") */
  happened: string[];
  /** records consumers received in this step (poll), per consumer; at most `recordLimit` each */
  received: { consumer: string; records: ConsumedRecord[] }[];
  /** records consumers processed in this step */
  processed: { consumer: string; records: ConsumedRecord[] }[];
  /** delivery outcomes decided in this step (acked / failed), across producers */
  deliveries: (DeliveryView & { producer: string })[];
  /** rebalance listener callbacks during this step */
  callbacks: CallbackView[];
  /** an error the step hit that a real client would see (e.g. CommitFailedException), else null */
  error: string | null;
  snapshot: Snapshot;
}

/** The final state, with complete histories (no caps), for specs and quizzes. */
export interface ScenarioState {
  snapshot: Snapshot;
  /** every record each consumer received, in order (duplicates included) */
  received: Record<string, ConsumedRecord[]>;
  /** every record each consumer processed, in order (duplicates included) */
  processed: Record<string, ConsumedRecord[]>;
  /** every send of each producer with its final fate */
  deliveries: Record<string, DeliveryView[]>;
  /** the leader's complete log per partition label (offline: the best replica's) */
  logs: Record<string, RecordView[]>;
  /** counts, always kept (also in summary mode) */
  totals: { produced: number; received: number; processed: number };
}

/** Options for runScenario. */
export interface RunOptions {
  /**
   * "full" (default): one TraceEvent per step with a snapshot. "none": no trace (trace = []), for
   * benchmarks; `state` still holds the final snapshot and totals.
   */
  trace?: 'full' | 'none';
  /** cap on records listed per partition / consumer / producer in snapshots; default 200 */
  recordLimit?: number;
  /** keep the full received/processed/delivery histories in `state`; default true (false for benchmarks) */
  keepHistory?: boolean;
}

/** What runScenario returns. `trace` is JSON-serialisable. */
export interface ScenarioResult {
  trace: TraceEvent[];
  state: ScenarioState;
}
