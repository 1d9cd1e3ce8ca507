/**
 * Where a keyed record goes: toPositive(murmur2(UTF-8 key bytes)) % numPartitions, as Kafka's
 * producer places every record with a key (the partitioners for keyless records are
 * ./partitioners.ts). Same key, same partition count → same partition, in every Kafka client that
 * uses the default partitioner.
 *
 * Example: with 6 partitions the key "21" goes to partition 0 (see {@link partitionForKey}).
 *
 * Mirrors Kafka's BuiltInPartitioner.partitionForKey and Utils#toPositive.
 */
import { murmur2 } from './murmur2.ts';

/**
 * Kafka's way to make a hash non-negative: clear the sign bit.
 *
 * Example: toPositive(-973932308) = 1173551340; toPositive(-2147483648) = 0.
 *
 * Note: not `Math.abs`. `Math.abs(-2147483648)` overflows in Java (stays negative) and, in
 * JavaScript, gives 2147483648 — a different partition from Kafka's for the same key.
 *
 * Source: org.apache.kafka.common.utils.Utils#toPositive.
 * @param n a signed 32-bit integer
 * @returns `n & 0x7fffffff`, in [0, 2^31)
 */
export function toPositive(n: number): number {
  return n & 0x7fffffff;
}

/**
 * Kafka's default partition for a keyed record: toPositive(murmur2(keyBytes)) % numPartitions.
 *
 * Example: with 6 partitions, the key "21" (UTF-8 [0x32, 0x31]) hashes to -973932308,
 * toPositive gives 1173551340, and 1173551340 % 6 = 0 → partition 0.
 *
 * Note: the mapping holds only while numPartitions is unchanged; adding partitions moves keys.
 *
 * Source: Kafka BuiltInPartitioner.partitionForKey; KIP-480 for keyless records (not handled here).
 * @param keyBytes the serialized key (StringSerializer → UTF-8)
 * @param numPartitions partition count of the topic, a positive integer
 * @returns a partition in [0, numPartitions)
 * @throws RangeError when numPartitions is not a positive integer
 */
export function partitionForKey(keyBytes: Uint8Array, numPartitions: number): number {
  if (!Number.isInteger(numPartitions) || numPartitions < 1) {
    throw new RangeError(`Expected numPartitions to be a positive integer, got ${String(numPartitions)}`);
  }
  return toPositive(murmur2(keyBytes)) % numPartitions;
}

/**
 * The UTF-8 bytes of a string, as Kafka's StringSerializer (UTF-8 by default) produces them.
 * Lone surrogates become U+FFFD (EF BF BD), as in Java's String.getBytes(UTF_8).
 * @param key any string
 * @returns a fresh Uint8Array
 */
export function utf8(key: string): Uint8Array {
  return new TextEncoder().encode(key);
}
