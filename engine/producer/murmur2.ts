/**
 * MurmurHash2, 32-bit, exactly as Kafka's Java client computes it.
 *
 * The rule: seed 0x9747b28c, multiplier m = 0x5bd1e995, r = 24. The input is read as little-endian
 * 4-byte words; the 1–3 tail bytes are mixed in last; a final avalanche of shifts and multiplies.
 * All arithmetic is on signed 32-bit ints with wrap-around, so we use `Math.imul` and `>>>`
 * (Java's unsigned shift) and keep every intermediate in int32 with `| 0`.
 *
 * Example: murmur2(UTF-8 "21") = -973932308, murmur2(UTF-8 "foobar") = -790332482 (Kafka UtilsTest).
 *
 * Note: the result is signed. Kafka turns it into a partition with `toPositive` (mask the sign bit),
 * never `Math.abs`, because `Math.abs(-2147483648)` is still negative in Java's int arithmetic.
 *
 * Source: org.apache.kafka.common.utils.Utils#murmur2.
 * @param data the bytes to hash (for a String key: its UTF-8 bytes, as StringSerializer produces)
 * @returns a signed 32-bit integer in [-2^31, 2^31)
 */
export function murmur2(data: Uint8Array): number {
  const length = data.length;
  const seed = 0x9747b28c | 0;
  const m = 0x5bd1e995;
  const r = 24;

  let h = seed ^ length;
  const length4 = length >>> 2; // whole 4-byte words

  for (let i = 0; i < length4; i++) {
    const i4 = i * 4;
    // little-endian word: byte 0 is the least significant
    let k = (data[i4] & 0xff) | ((data[i4 + 1] & 0xff) << 8) | ((data[i4 + 2] & 0xff) << 16) | ((data[i4 + 3] & 0xff) << 24);
    k = Math.imul(k, m);
    k ^= k >>> r;
    k = Math.imul(k, m);
    h = Math.imul(h, m);
    h ^= k;
  }

  // the tail: length % 4 bytes after the last whole word (Java's switch falls through)
  const tail = length & ~3;
  switch (length % 4) {
    case 3:
      h ^= (data[tail + 2] & 0xff) << 16;
    // falls through
    case 2:
      h ^= (data[tail + 1] & 0xff) << 8;
    // falls through
    case 1:
      h ^= data[tail] & 0xff;
      h = Math.imul(h, m);
  }

  h ^= h >>> 13;
  h = Math.imul(h, m);
  h ^= h >>> 15;
  return h | 0;
}
