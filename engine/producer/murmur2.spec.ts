import { describe, expect, it } from 'vitest';
import * as fc from 'fast-check';
import { murmur2 } from './murmur2.ts';
import { utf8 } from './partition-for-key.ts';
import { createPrng } from '../common/prng.ts';
// KafkaJS ships the Java client's murmur2 (ported with a Long emulation; see its default/murmur2.js,
// "Based on the kafka client 0.10.2 murmur2 implementation"). It returns the same signed 32-bit int.
// @ts-expect-error: a CommonJS file without type declarations
import kafkajsMurmur2 from 'kafkajs/src/producer/partitioners/default/murmur2.js';

describe('murmur2: Kafka UtilsTest.testMurmur2 vectors', () => {
  // Source: apache/kafka clients/src/test/java/org/apache/kafka/common/utils/UtilsTest.java, testMurmur2
  // (the Java test hashes String.getBytes(); all these keys are ASCII, so UTF-8 gives the same bytes).
  const cases: Array<[string, number]> = [
    ['21', -973932308],
    ['foobar', -790332482],
    ['a-little-bit-long-string', -985981536],
    ['a-little-bit-longer-string', -1486304829],
    ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
    ['abc', 479470107],
  ];
  for (const [key, expected] of cases) {
    it(`key "${key}" (${key.length} bytes, tail ${key.length % 4}) → ${expected}`, () => {
      expect(murmur2(utf8(key))).toBe(expected);
    });
  }

  it('the byte array {a, b, c} equals the string "abc"', () => {
    expect(murmur2(new Uint8Array([0x61, 0x62, 0x63]))).toBe(murmur2(utf8('abc')));
  });
});

describe('murmur2: shape of the result', () => {
  it('any bytes → a signed 32-bit integer', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const h = murmur2(bytes);
        return Number.isInteger(h) && h >= -(2 ** 31) && h < 2 ** 31 && (h | 0) === h;
      }),
    );
  });

  it('does not read or change its input', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const copy = bytes.slice();
        murmur2(bytes);
        return copy.every((b, i) => b === bytes[i]) && copy.length === bytes.length;
      }),
    );
  });

  it('bytes ≥ 0x80 are treated as unsigned, like Java (b & 0xff)', () => {
    // a one-byte flip changes the hash: the high bit is part of the input, not a sign to drop
    expect(murmur2(new Uint8Array([0xff]))).not.toBe(murmur2(new Uint8Array([0x7f])));
  });
});

describe('murmur2: differential against KafkaJS (Java-compatible port)', () => {
  const theirs = kafkajsMurmur2 as (key: Buffer | string) => number;

  it('10,000 random byte keys of 0–64 bytes (prng seed 2026): equal to KafkaJS', () => {
    const rng = createPrng(2026);
    for (let i = 0; i < 10_000; i++) {
      const bytes = new Uint8Array(rng.nextInt(65));
      for (let j = 0; j < bytes.length; j++) bytes[j] = rng.nextInt(256);
      const hex = Buffer.from(bytes).toString('hex');
      expect(murmur2(bytes), `key 0x${hex}`).toBe(theirs(Buffer.from(bytes)));
    }
  });

  it('Unicode string keys (fast-check): same hash as KafkaJS on UTF-8 bytes', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 24 }), (key) => murmur2(utf8(key)) === theirs(key)),
      { numRuns: 2_000 },
    );
  });
});
