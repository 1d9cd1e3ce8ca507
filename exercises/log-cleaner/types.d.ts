/**
 * Types for the `log-cleaner` checkpoint, given to the editor as an extra lib.
 * Ambient (no imports, no exports): everything here is visible in your file without an import.
 * These are types only; nothing here exists at run time. Your code must define every function it calls.
 */

/**
 * One segment of a partition's log, as retention sees it (Kafka's LogSegment). Written `[3..5]`: the segment
 * whose offsets run from 3 to 5. Times are ms on the simulated clock; sizes are bytes.
 */
interface SegmentSummary {
  /** the segment's first offset: Kafka names the segment's files after it (00000000000000000003.log) */
  baseOffset: number;
  /** how many records it holds */
  recordCount: number;
  /** its size on disk, in bytes */
  sizeInBytes: number;
  /** the timestamp of its first record (null when empty) */
  firstTimestampMs: number | null;
  /** LogSegment.largestTimestamp(): the newest record's timestamp (the file's last-modified time when empty) */
  largestTimestampMs: number;
}

/** A record of a compacted log, as the cleaner reads it. Written `3: bob=null`: offset 3, key bob, a tombstone. */
interface CleanerRecord {
  /** its offset: never changes, so a cleaned log has gaps */
  offset: number;
  /** compacted topics refuse records without a key */
  key: string;
  /** null = a tombstone: "forget this key" */
  value: string | null;
  /** CreateTime, ms */
  timestamp: number;
  /** on a tombstone that a cleaner pass already kept: drop it at the first pass at or after this time (KIP-534) */
  deleteHorizonMs?: number;
}
