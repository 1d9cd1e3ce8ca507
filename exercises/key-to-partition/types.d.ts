/**
 * Types for the `key-to-partition` checkpoint, given to the editor as an extra lib.
 * Ambient (no imports, no exports): everything here is visible in your file without an import.
 * These are types only; nothing here exists at run time. Your code must define every function it calls.
 */

/**
 * A partition number of one topic: an integer in [0, numPartitions).
 * In Kafka's notation, partition 2 of topic t0 is written t0p2.
 */
type PartitionIndex = number;

/**
 * A signed 32-bit integer, in [-2147483648, 2147483647] — what murmur2 returns in Kafka's Java client.
 * In JavaScript, keep a value in this range with `| 0`, `Math.imul` and `>>>` (see the instructions).
 */
type Int32 = number;

/**
 * The function this checkpoint asks for: Kafka's default partition for a keyed record,
 * `toPositive(murmur2(keyBytes)) % numPartitions`.
 * @param keyBytes the serialized key (for a String key, its UTF-8 bytes); never null in this checkpoint
 * @param numPartitions the topic's partition count, a positive integer (1..1000 in the tests)
 * @returns the partition, in [0, numPartitions)
 */
type Partitioner = (keyBytes: Uint8Array, numPartitions: number) => PartitionIndex;

/** Optional helper shape: Kafka's Utils.murmur2 (seed 0x9747b28c, m 0x5bd1e995, r 24). */
type Murmur2 = (data: Uint8Array) => Int32;

/** Optional helper shape: Kafka's Utils.toPositive, `n & 0x7fffffff` (not Math.abs). */
type ToPositive = (n: Int32) => number;
