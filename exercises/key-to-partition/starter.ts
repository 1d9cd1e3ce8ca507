/**
 * Which partition does Kafka's producer choose for a record with this key?
 *
 * Kafka hashes the key's bytes with murmur2, clears the sign bit (toPositive),
 * and takes the remainder by the partition count:
 *
 *   partition = toPositive(murmur2(keyBytes)) % numPartitions
 *
 * Example: key "21" is the bytes [0x32, 0x31]; murmur2 gives -973932308;
 * toPositive gives 1173551340; with 6 partitions that is partition 0.
 *
 * You may write helper functions (murmur2, toPositive) in this file.
 * Nothing can be imported: only JavaScript's built-ins are available.
 *
 * @param keyBytes the serialized key: for a String key, its UTF-8 bytes (never null here)
 * @param numPartitions the topic's partition count, a positive integer
 * @returns a partition number in [0, numPartitions)
 */
export function partition(keyBytes: Uint8Array, numPartitions: number): number {
  throw new Error('Remove this line and implement partition()');
}
