/**
 * The exceptions the consumer's data path throws, named and worded as Kafka's client names them.
 *
 * Source: org.apache.kafka.clients.consumer CommitFailedException, RebalanceInProgressException,
 * NoOffsetForPartitionException, OffsetOutOfRangeException.
 */
import type { GroupError } from '../group/group-types.ts';
import { tpKey } from '../common/notation.ts';
import type { TopicPartition } from '../common/record.ts';

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
    super(
      `Offsets out of range with no configured reset policy for partitions: ${offsets.map((o) => `${tpKey(o.tp)}=${o.offset}`).join(', ')}`,
    );
    this.name = 'OffsetOutOfRangeException';
  }
}
