/**
 * Mistake: Math.abs instead of toPositive (& 0x7fffffff).
 * A negative hash gives |h| % n, not (h & 0x7fffffff) % n, so keys with a negative murmur2 land elsewhere.
 */

/**
 * Kafka's MurmurHash2 (32-bit): a signed 32-bit int, exactly as the Java client computes it.
 * @param data the key's bytes
 * @returns an integer in [-2^31, 2^31)
 */
function murmur2(data: Uint8Array): number {
  const length = data.length;
  const seed = 0x9747b28c | 0;
  const m = 0x5bd1e995;
  const r = 24;

  let h = seed ^ length;
  const words = length >>> 2;

  for (let i = 0; i < words; i++) {
    const i4 = i * 4;
    // little-endian: the first byte is the lowest
    let k = data[i4] | (data[i4 + 1] << 8) | (data[i4 + 2] << 16) | (data[i4 + 3] << 24);
    k = Math.imul(k, m);
    k ^= k >>> r;
    k = Math.imul(k, m);
    h = Math.imul(h, m);
    h ^= k;
  }

  // 1–3 bytes left over after the whole words; each case falls through to the next, as in Java
  const tail = words * 4;
  switch (length & 3) {
    case 3:
      h ^= data[tail + 2] << 16;
    // falls through
    case 2:
      h ^= data[tail + 1] << 8;
    // falls through
    case 1:
      h ^= data[tail];
      h = Math.imul(h, m);
  }

  // final mix (avalanche)
  h ^= h >>> 13;
  h = Math.imul(h, m);
  h ^= h >>> 15;
  return h | 0;
}

/** Kafka's Utils.toPositive: clear the sign bit. Not Math.abs. */
function toPositive(n: number): number {
  return n & 0x7fffffff;
}

/**
 * The partition Kafka's default partitioner picks for a keyed record.
 * @param keyBytes the serialized key (a String key: its UTF-8 bytes)
 * @param numPartitions the topic's partition count, a positive integer
 * @returns a partition in [0, numPartitions)
 */
export function partition(keyBytes: Uint8Array, numPartitions: number): number {
  return Math.abs(murmur2(keyBytes)) % numPartitions;
}
