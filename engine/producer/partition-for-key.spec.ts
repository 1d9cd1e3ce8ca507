import { describe, expect, it } from 'vitest';
import * as fc from 'fast-check';
import kafkajs from 'kafkajs';
import type { PartitionMetadata } from 'kafkajs';
import { murmur2 } from './murmur2.ts';
import { partitionForKey, toPositive, utf8 } from './partition-for-key.ts';
import { createPrng } from '../common/prng.ts';

const { Partitioners } = kafkajs;

describe('toPositive', () => {
  it('-2147483648 (Integer.MIN_VALUE) → 0, where Math.abs would give 2147483648', () => {
    expect(toPositive(-2147483648)).toBe(0);
    expect(Math.abs(-2147483648)).not.toBe(toPositive(-2147483648));
  });

  it('-1 → 2147483647 (only the sign bit is cleared, not negated)', () => {
    expect(toPositive(-1)).toBe(2147483647);
  });

  it('non-negative ints are unchanged: 0, 1, 2147483647', () => {
    for (const n of [0, 1, 2147483647]) expect(toPositive(n)).toBe(n);
  });

  it('murmur2("21") = -973932308 → 1173551340 (2^31 - 973932308)', () => {
    expect(toPositive(murmur2(utf8('21')))).toBe(2 ** 31 - 973932308);
  });

  it('any int32 → in [0, 2^31) and congruent to n mod 2^31', () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), (n) => {
        const p = toPositive(n);
        return p >= 0 && p < 2 ** 31 && (((n - p) % 2 ** 31) + 2 ** 31) % 2 ** 31 === 0;
      }),
    );
  });
});

describe('partitionForKey', () => {
  it('key "21", 6 partitions → toPositive(murmur2) % 6', () => {
    expect(partitionForKey(utf8('21'), 6)).toBe((2 ** 31 - 973932308) % 6);
  });

  it('1 partition: every key → 0', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 32 }), (key) => partitionForKey(key, 1) === 0));
  });

  it('numPartitions 0, -1, 1.5, NaN, Infinity → RangeError naming the value', () => {
    const key = utf8('k');
    expect(() => partitionForKey(key, 0)).toThrow('Expected numPartitions to be a positive integer, got 0');
    expect(() => partitionForKey(key, -1)).toThrow(RangeError);
    expect(() => partitionForKey(key, 1.5)).toThrow(/got 1.5/);
    expect(() => partitionForKey(key, Number.NaN)).toThrow(/got NaN/);
    expect(() => partitionForKey(key, Number.POSITIVE_INFINITY)).toThrow(/got Infinity/);
  });

  it('any key, any partition count 1–10,000 → an integer in [0, numPartitions)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.integer({ min: 1, max: 10_000 }), (key, n) => {
        const p = partitionForKey(key, n);
        return Number.isInteger(p) && p >= 0 && p < n;
      }),
    );
  });

  it('same key bytes, same partition: a copy of the key maps identically', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 64 }),
        fc.integer({ min: 1, max: 1_000 }),
        (key, n) => partitionForKey(key, n) === partitionForKey(key.slice(), n),
      ),
    );
  });

  it('empty key (zero bytes, not null) still hashes: murmur2 of [] decides', () => {
    expect(partitionForKey(new Uint8Array(0), 12)).toBe(toPositive(murmur2(new Uint8Array(0))) % 12);
  });
});

describe('partitionForKey: differential against KafkaJS JavaCompatiblePartitioner', () => {
  // KafkaJS's partitioner is called as ({ topic, partitionMetadata, message }) → partition; for a keyed
  // message it returns toPositive(murmur2(key)) % partitionMetadata.length (see its legacy/partitioner.js).
  const metadataFor = (n: number): PartitionMetadata[] =>
    Array.from({ length: n }, (_, partitionId) => ({
      partitionErrorCode: 0,
      partitionId,
      leader: 0,
      replicas: [0],
      isr: [0],
      offlineReplicas: [],
    }));

  it('10,000 random keys (prng seed 7), 1–128 partitions: same partition as KafkaJS', () => {
    const partitioner = Partitioners.JavaCompatiblePartitioner();
    const rng = createPrng(7);
    const metadata = new Map<number, ReturnType<typeof metadataFor>>();
    for (let i = 0; i < 10_000; i++) {
      const n = 1 + rng.nextInt(128);
      if (!metadata.has(n)) metadata.set(n, metadataFor(n));
      const key = new Uint8Array(rng.nextInt(48));
      for (let j = 0; j < key.length; j++) key[j] = rng.nextInt(256);
      const theirs = partitioner({ topic: 't0', partitionMetadata: metadata.get(n)!, message: { key: Buffer.from(key), value: null } });
      expect(partitionForKey(key, n), `key 0x${Buffer.from(key).toString('hex')}, ${n} partitions`).toBe(theirs);
    }
  });

  it('string keys "order-0" … "order-999" over 6 and 12 partitions: same as KafkaJS', () => {
    const partitioner = Partitioners.JavaCompatiblePartitioner();
    for (const n of [6, 12]) {
      const partitionMetadata = metadataFor(n);
      for (let i = 0; i < 1_000; i++) {
        const key = `order-${i}`;
        expect(partitionForKey(utf8(key), n)).toBe(partitioner({ topic: 't0', partitionMetadata, message: { key, value: null } }));
      }
    }
  });
});
