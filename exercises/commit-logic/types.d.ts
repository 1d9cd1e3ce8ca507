/**
 * Types for the `commit-logic` checkpoint, given to the editor as an extra lib.
 * Ambient (no imports, no exports): everything here is visible in your file without an import.
 * These are types only; nothing here exists at run time. Your code must define every function it calls.
 */

/**
 * One partition of one topic (Kafka's `TopicPartition`). In the lesson's notation,
 * `{ topic: 't0', partition: 1 }` is written t0p1.
 */
interface TopicPartition {
  /** the topic's name: `t0` in every test */
  topic: string;
  /** the partition number, from 0 */
  partition: number;
}

/**
 * A record as poll() hands it to your loop (Kafka's `ConsumerRecord`). Written t0p1@5: offset 5 of t0p1.
 */
interface ConsumerRecord {
  topic: string;
  partition: number;
  /** its position in the partition: 0, 1, 2, … */
  offset: number;
  key: string | null;
  value: string;
}

/** What Kafka keeps per partition in a commit (`OffsetAndMetadata`), reduced to the offset. */
interface OffsetAndMetadata {
  /**
   * The next offset to read, a non-negative integer: the last processed record's offset + 1.
   * A restarted consumer, or the partition's next owner, starts reading here.
   */
  offset: number;
}

/**
 * Offsets to commit (Kafka's `Map<TopicPartition, OffsetAndMetadata>`), keyed by
 * `${topic}-${partition}` — Kafka's `TopicPartition.toString()`: `{ 't0-1': { offset: 6 } }` commits
 * t0p1 → 6. Only the partitions listed are committed; the others keep their committed offset.
 */
type OffsetMap = { [topicPartition: string]: OffsetAndMetadata };

/**
 * Any JSON value you like: the state your loop keeps between calls (plain data: objects, arrays,
 * strings, numbers, booleans, null). A fresh consumer process starts with `{}`; a crash loses it.
 */
type LoopState = any;

/** onBatch's answer. */
interface BatchResult {
  /** your state for the next call */
  state: LoopState;
  /** commitAsync(offsets), sent NOW — before this batch is processed */
  commit?: OffsetMap;
  /**
   * true: give the batch to your worker thread and return to poll() at once; the worker processes it
   * later, then onProcessed is called. Absent or false: the loop processes it right away, then onProcessed.
   */
  handOff?: boolean;
}

/** onProcessed's answer. */
interface ProcessedResult {
  state: LoopState;
  /** commitAsync(offsets), sent after the batch was processed */
  commit?: OffsetMap;
}

/** onPartitionsRevoked's answer. */
interface RevokedResult {
  state: LoopState;
  /** commitSync(offsets), completed before the partitions go to their next owner */
  commit?: OffsetMap;
}

/** What onCommitFailed hears. */
interface CommitError {
  /**
   * - `RetriableCommitFailedException`: this commitAsync failed (the coordinator was unavailable); it is
   *   not retried. You still own the partitions.
   * - `CommitFailedException`: the group removed this consumer (a batch took longer than
   *   max.poll.interval.ms) and gave its partitions to other members. They are not yours any more, and
   *   no onPartitionsRevoked will tell you: the consumer rejoins as a new member at its next poll().
   */
  name: 'CommitFailedException' | 'RetriableCommitFailedException';
  message: string;
  /** the offsets that were NOT committed */
  offsets: OffsetMap;
}

/** onCommitFailed's answer. */
interface CommitFailedResult {
  state: LoopState;
}
