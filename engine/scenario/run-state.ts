/**
 * The state of a scenario being played, as the runner holds it and the views (./snapshot.ts) read
 * it: one slot per producer, group and consumer of the scenario, around the cluster.
 */
import type { ProducerEvent } from '../producer/producer-config.ts';
import type { ProducerSpec, GroupSpec, ConsumerSpec } from './authoring.ts';
import type { RecordView, ConsumedRecord, ConsumerView, CallbackView } from './trace.ts';
import type { ShareGroupView } from './share-trace.ts';
import type { Cluster } from '../cluster/cluster.ts';
import type { Consumer } from '../consumer/consumer.ts';
import type { ConsumerEvent } from '../consumer/consumer.ts';
import type { GroupMembership } from '../group/membership.ts';
import type { GroupEvent } from '../group/group-types.ts';
import type { LogConfig } from '../log/log-config.ts';
import type { Producer } from '../producer/sender.ts';
import type { TransactionalProducer } from '../producer/transaction-manager.ts';
import type { ProducerPartitioner } from '../producer/partitioners.ts';
import type { LogRecord, TopicPartition } from '../common/record.ts';

export interface ConsumerSlot {
  spec: ConsumerSpec;
  consumer: Consumer;
  group: GroupMembership;
  status: ConsumerView['status'];
  pending: ConsumedRecord[];
  received: ConsumedRecord[];
  processed: ConsumedRecord[];
  receivedCount: number;
  processedCount: number;
  /** tpKey → the offset after the last record this process processed (for commit-on-revoke) */
  processedUpTo: Map<string, number>;
}

export interface ProducerSlot {
  spec: ProducerSpec;
  producer: Producer;
  partitioners: Map<string, ProducerPartitioner>;
  /** last status reported per batch id (to report changes once), for batches from `settled` on */
  reported: Map<number, string>;
  /** batches before this index are final and reported */
  settled: number;
  /** with transactionalId: the transactional client (its sends bypass `producer`) */
  transactional?: TransactionalProducer;
}

export interface StepLog {
  happened: string[];
  received: { consumer: string; records: ConsumedRecord[] }[];
  processed: { consumer: string; records: ConsumedRecord[] }[];
  callbacks: CallbackView[];
  error: string | null;
}

/** A consumer group of the scenario: its spec, the coordinator, and the topics its members subscribe to. */
export interface GroupSlot {
  spec: GroupSpec;
  group: GroupMembership;
  topics: string[];
}

/** What the views of a run read from it (the runner implements it). */
export interface RunView {
  readonly cluster: Cluster<ProducerEvent>;
  readonly topicConfigs: ReadonlyMap<string, Partial<LogConfig>>;
  readonly producers: ReadonlyMap<string, ProducerSlot>;
  readonly groups: ReadonlyMap<string, GroupSlot>;
  readonly consumers: ReadonlyMap<string, ConsumerSlot>;
  /** group and consumer events in one array, in the order they happened */
  readonly memberEvents: readonly (GroupEvent | ConsumerEvent)[];
  /** cap on records listed per partition / consumer / producer in snapshots */
  readonly recordLimit: number;
  /** keep complete received / processed / delivery histories */
  readonly keepHistory: boolean;
  /** a full trace is recorded (else only the final state) */
  readonly detailed: boolean;
  readonly nowMs: number;
  readonly totals: { produced: number; received: number; processed: number };
  /** a stored record as the trace shows it (with the producer that wrote it) */
  recordView(tp: TopicPartition, r: LogRecord): RecordView;
  /** mark a running consumer fenced once its group no longer knows it */
  syncStatus(s: ConsumerSlot): void;
  /** the partition's transactions (LSO, aborted and open offsets), or null when the scenario has no transactional producer */
  transactionsOf(
    tp: TopicPartition,
  ): { lastStableOffset: number; abortedOffsets: ReadonlySet<number>; openOffsets: ReadonlySet<number> } | null;
  /** the share groups' snapshot views (KIP-932), or null when the scenario declares none */
  shareGroupViews?(): ShareGroupView[] | null;
}
