import { describe, expect, expectTypeOf, it } from 'vitest';
import * as fc from 'fast-check';
import { DEFAULT_PARTITIONER_CONFIG, ProducerPartitioner, keysThatMove } from './partitioners.ts';
import type { PartitionerConfig, PartitionDecision } from './partitioners.ts';
import { createPrng } from '../common/prng.ts';
import { partitionForKey, utf8 } from './partition-for-key.ts';
import { recordSizeBytes } from '../common/record.ts';

const HEADER = 61;
/** a keyless record of exactly `bytes` bytes (recordSizeBytes); throws for the few sizes varints skip (e.g. 65) */
function keyless(bytes: number, timestamp = 0) {
  for (let len = 0; len <= bytes; len++) {
    const r = { key: null, value: 'v'.repeat(len), timestamp };
    const size = recordSizeBytes(r);
    if (size === bytes) return r;
    if (size > bytes) break;
  }
  throw new Error(`fixture: no keyless record of exactly ${bytes} B`);
}

/** a keyless record of at most `bytes` bytes (the largest one) */
function keylessAtMost(bytes: number, timestamp = 0) {
  for (let b = bytes; b > 0; b--) {
    try {
      return keyless(b, timestamp);
    } catch {
      // a size varints skip over: try one byte less
    }
  }
  throw new Error(`fixture: no keyless record of at most ${bytes} B`);
}

function run(
  n: number,
  config: Partial<PartitionerConfig>,
  sends: Array<{ key: string | null; value: string; timestamp: number }>,
  seed = 1,
) {
  const p = new ProducerPartitioner(n, createPrng(seed), config);
  return sends.map((s) => p.send(s));
}

/** keyless records of at most 0..130 bytes, by size (precomputed: property tests send thousands) */
const AT_MOST = Array.from({ length: 131 }, (_, b) => (b < 8 ? null : keylessAtMost(b)));
const keylessFast = (bytes: number, timestamp: number) => ({ ...AT_MOST[bytes]!, timestamp });

/** maximal runs of equal partitions: [[partition, count], …] */
function runs(ds: PartitionDecision[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const d of ds) {
    if (out.length && out[out.length - 1][0] === d.partition) out[out.length - 1][1]++;
    else out.push([d.partition, 1]);
  }
  return out;
}

describe('defaults', () => {
  it('batch.size 16384, linger.ms 5 (Kafka 4.0, KIP-1030), built-in partitioner, keys not ignored', () => {
    expect(DEFAULT_PARTITIONER_CONFIG).toMatchObject({
      batchSize: 16384,
      lingerMs: 5,
      partitioner: 'built-in',
      partitionerIgnoreKeys: false,
    });
  });

  it('invalid inputs name what was expected', () => {
    expect(() => new ProducerPartitioner(0, createPrng(1))).toThrow('Expected numPartitions to be a positive integer, got 0');
    expect(() => new ProducerPartitioner(3, createPrng(1), { lingerMs: -1 })).toThrow(/lingerMs/);
    const p = new ProducerPartitioner(3, createPrng(1));
    expect(() => p.send({ key: null, value: 'x', timestamp: 0, partition: 3 })).toThrow(
      'Invalid partition given with record: 3 is not in the range [0...3)',
    );
    p.send({ key: null, value: 'x', timestamp: 10 });
    expect(() => p.send({ key: null, value: 'x', timestamp: 9 })).toThrow(/backwards/);
    expect(() => p.setNumPartitions(2)).toThrow(/never removes partitions/);
  });
});

describe('explicit partition, then key', () => {
  for (const partitioner of ['built-in', 'sticky'] as const) {
    it(`${partitioner}: explicit partition 2 wins over the key`, () => {
      const [d] = run(6, { partitioner }, [{ key: '21', value: 'x', timestamp: 0, partition: 2 } as never]);
      expect(d).toMatchObject({ partition: 2, via: 'explicit' });
    });

    it(`${partitioner}: keyed records go to toPositive(murmur2(key)) % n`, () => {
      fc.assert(
        fc.property(fc.string(), fc.integer({ min: 1, max: 64 }), (key, n) => {
          const [d] = run(n, { partitioner }, [{ key, value: 'x', timestamp: 0 }]);
          return d.partition === partitionForKey(utf8(key), n) && d.via === 'key';
        }),
        { numRuns: 200 },
      );
    });
  }

  it('built-in with partitionerIgnoreKeys: keyed records are sticky, not hashed', () => {
    const ds = run(
      6,
      { partitionerIgnoreKeys: true },
      Array.from({ length: 20 }, (_, i) => ({ key: `k${i}`, value: 'x', timestamp: 0 })),
    );
    expect(new Set(ds.map((d) => d.partition)).size).toBe(1);
    expect(ds.every((d) => d.via === 'sticky')).toBe(true);
  });
});

describe('sticky partitioner (KIP-480)', () => {
  it('batchSize 200, 50-byte records, linger 0, same ms: runs of 2 (61 + 2×50 = 161; a third would be 211 > 200)', () => {
    const ds = run(
      3,
      { partitioner: 'sticky', batchSize: 200, lingerMs: 0 },
      Array.from({ length: 12 }, () => keyless(50)),
    );
    expect(runs(ds).map(([, c]) => c)).toEqual([2, 2, 2, 2, 2, 2]);
    // each switch goes to a different partition
    const parts = runs(ds).map(([p]) => p);
    for (let i = 1; i < parts.length; i++) expect(parts[i]).not.toBe(parts[i - 1]);
  });

  it('linger.ms 10: a record 11 ms after its batch opened finds the batch sent and switches', () => {
    const ds = run(4, { partitioner: 'sticky', batchSize: 16384, lingerMs: 10 }, [keyless(50, 0), keyless(50, 10), keyless(50, 11)]);
    expect(ds[1].partition).toBe(ds[0].partition);
    expect(ds[1].newBatch).toBe(false);
    expect(ds[2].partition).not.toBe(ds[0].partition);
    expect(ds[2].newBatch).toBe(true);
  });

  it('a keyed record opening a new batch on the sticky partition moves the sticky partition (onNewBatch)', () => {
    const p = new ProducerPartitioner(6, createPrng(3), { partitioner: 'sticky', lingerMs: 100 });
    const first = p.send(keyless(50));
    // find a key hashing to the sticky partition, then flush so its record needs a new batch
    let i = 0;
    while (partitionForKey(utf8(`k${i}`), 6) !== first.partition) i++;
    p.flush();
    p.send({ key: `k${i}`, value: 'x', timestamp: 1 });
    expect(p.stickyPartition).not.toBe(first.partition);
  });

  it('property: stays on one partition until the batch is full, then moves (records of 20–120 B, batchSize 300–2000)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 20, max: 120 }), { minLength: 1, maxLength: 200 }),
        fc.integer({ min: 300, max: 2000 }),
        fc.integer({ min: 2, max: 12 }),
        fc.nat(),
        (sizes, batchSize, n, seed) => {
          const records = sizes.map((s) => keylessFast(s, 0));
          const ds = run(n, { partitioner: 'sticky', batchSize, lingerMs: 1000 }, records, seed);
          sizes = records.map((r) => recordSizeBytes(r));
          let bytes = 0;
          for (let i = 0; i < ds.length; i++) {
            const fits = i > 0 && bytes + sizes[i] <= batchSize;
            if (fits) {
              if (ds[i].partition !== ds[i - 1].partition || ds[i].newBatch) return false;
              bytes += sizes[i];
            } else {
              if (i > 0 && ds[i].partition === ds[i - 1].partition) return false; // must move on
              bytes = HEADER + sizes[i];
            }
          }
          return true;
        },
      ),
    );
  });
});

describe('built-in partitioner (KIP-794 uniform sticky)', () => {
  it('batchSize 1000, 100-byte records, linger long: no switch at ~1000 B because the next batch is not full; switch at 2 × batchSize', () => {
    // batch 1: 61 + 9×100 = 961 B (a 10th would be 1061 > 1000); produced 961 < 1000
    // record 10 opens batch 2 (+161) → produced 1122 ≥ 1000 but batch 2 is not full → stay
    // … batch 2 fills to 961 at produced 1922; record 19 opens batch 3 → 2083 ≥ 2000 → switch after it
    const ds = run(
      5,
      { batchSize: 1000, lingerMs: 1_000_000 },
      Array.from({ length: 40 }, () => keyless(100)),
      11,
    );
    const first = runs(ds)[0];
    expect(first[1]).toBe(9 + 9 + 1);
  });

  it('a record that exactly fills the batch enables the switch at batchSize', () => {
    // 61 + 3 × 313 = 1000: the batch is full right after the third record and produced = 1000 ≥ batchSize
    const big = keyless(313);
    const ds = run(
      5,
      { batchSize: 1000, lingerMs: 1_000_000 },
      Array.from({ length: 9 }, () => big),
      5,
    );
    expect(runs(ds)[0][1]).toBe(3);
  });

  it('with the same seed, the same sends give the same partitions (deterministic)', () => {
    const sends = Array.from({ length: 500 }, (_, i) => keylessAtMost(30 + (i % 50), i));
    expect(run(7, {}, sends, 99)).toEqual(run(7, {}, sends, 99));
  });

  it('property: bytes per partition even out — within 5 standard deviations of the stick count (from n, batchSize, bytes sent)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 8 }), fc.nat(), (n, seed) => {
        const batchSize = 500;
        const p = new ProducerPartitioner(n, createPrng(seed), { batchSize, lingerMs: 0 });
        const bytes = new Array(n).fill(0);
        const rng = createPrng(seed ^ 0x5eed);
        // about 2·batchSize per stick, so 400·n sticks on average: ~400·n·1000 bytes in total
        const records = 400 * n * 10;
        for (let i = 0; i < records; i++) {
          const d = p.send(keylessFast(20 + rng.nextInt(100), i));
          bytes[d.partition] += d.appendedBytes;
        }
        // each stick sends between batchSize and ~2·batchSize + one record; the partition of each stick is
        // uniform, so per-partition totals are sums of S ≈ sticks/n terms with sd ≈ sqrt(S)·stickBytes.
        // Tolerance: 5 standard deviations of the count of sticks a partition gets, times the largest stick.
        const total = bytes.reduce((a, b) => a + b, 0);
        const mean = total / n;
        const maxStick = 2 * batchSize + HEADER + 120;
        const sticks = total / batchSize; // upper bound on the number of sticks
        const sdSticks = Math.sqrt(sticks * (1 / n) * (1 - 1 / n));
        const tolerance = 5 * sdSticks * maxStick + maxStick;
        return bytes.every((b) => Math.abs(b - mean) <= tolerance);
      }),
      { numRuns: 10 },
    );
  });
});

describe('RoundRobinPartitioner', () => {
  it('fixed (Kafka ≥ 3.9.2 / 4.0): 4 partitions, linger 0, each record in its own batch → 0,1,2,3,0,1,…', () => {
    const ds = run(
      4,
      { partitioner: 'round-robin', lingerMs: 0 },
      Array.from({ length: 8 }, (_, i) => keyless(50, i)),
    );
    expect(ds.map((d) => d.partition)).toEqual([0, 1, 2, 3, 0, 1, 2, 3]);
  });

  it('KAFKA-9965 quirk, 4 partitions, linger 0: every record opens a new batch, the counter moves twice → only 1 and 3 (KAFKA-16283)', () => {
    const ds = run(
      4,
      { partitioner: 'round-robin', lingerMs: 0, roundRobinSkipsOnNewBatch: true },
      Array.from({ length: 8 }, (_, i) => keyless(50, i)),
    );
    expect(ds.map((d) => d.partition)).toEqual([1, 3, 1, 3, 1, 3, 1, 3]);
  });

  it('KAFKA-9965 quirk with open batches: no skip while each partition still has room', () => {
    // all at t = 0 with a long linger: the first pass over 3 partitions opens batches (skipping), later passes append
    const ds = run(
      3,
      { partitioner: 'round-robin', lingerMs: 100, roundRobinSkipsOnNewBatch: true },
      Array.from({ length: 9 }, () => keyless(50)),
    );
    const counts = [0, 1, 2].map((p) => ds.filter((d) => d.partition === p).length);
    expect(counts.reduce((a, b) => a + b)).toBe(9);
    expect(ds.slice(3).map((d) => d.newBatch)).toEqual(new Array(6).fill(false));
  });

  it('keys are ignored: the same key goes to every partition in turn', () => {
    const ds = run(
      3,
      { partitioner: 'round-robin' },
      Array.from({ length: 3 }, () => ({ key: 'same', value: 'x', timestamp: 0 })),
    );
    expect(ds.map((d) => d.partition)).toEqual([0, 1, 2]);
  });
});

describe('keysThatMove (adding partitions)', () => {
  const keys = Array.from({ length: 1000 }, (_, i) => `order-${i}`);

  it('6 → 12: exactly the keys whose partition differs, each moving from p to p + 6', () => {
    const moves = keysThatMove(keys, 6, 12);
    const expected = keys.filter((k) => partitionForKey(utf8(k), 6) !== partitionForKey(utf8(k), 12));
    expect(moves.map((m) => m.key)).toEqual(expected);
    for (const m of moves) expect(m.to).toBe(m.from + 6);
    // about half move: a binomial(1000, 1/2) is within 400..600 with overwhelming probability
    expect(moves.length).toBeGreaterThan(400);
    expect(moves.length).toBeLessThan(600);
  });

  it('same count: nothing moves; byte keys work like their UTF-8 strings', () => {
    expect(keysThatMove(keys, 6, 6)).toEqual([]);
    const asBytes = keys.map(utf8);
    expect(keysThatMove(asBytes, 3, 5).map((m) => [m.from, m.to])).toEqual(keysThatMove(keys, 3, 5).map((m) => [m.from, m.to]));
  });

  it('property: a key moves iff its partition differs, and from/to are the key partitions', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string(), { maxLength: 30 }),
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 1, max: 50 }),
        (ks, a, b) => {
          const moves = keysThatMove(ks, a, b);
          const moved = ks.filter((k) => partitionForKey(utf8(k), a) !== partitionForKey(utf8(k), b));
          return (
            moves.length === moved.length &&
            moves.every((m) => m.from === partitionForKey(utf8(m.key), a) && m.to === partitionForKey(utf8(m.key), b))
          );
        },
      ),
    );
  });

  it('a producer after setNumPartitions(12) sends a moved key to its new partition', () => {
    const [move] = keysThatMove(keys, 6, 12);
    const p = new ProducerPartitioner(6, createPrng(1));
    expect(p.send({ key: move.key, value: 'a', timestamp: 0 }).partition).toBe(move.from);
    p.setNumPartitions(12);
    expect(p.send({ key: move.key, value: 'b', timestamp: 1 }).partition).toBe(move.to);
  });

  it('partition counts must be positive integers', () => {
    expect(() => keysThatMove(['a'], 0, 3)).toThrow('Expected fromPartitions to be a positive integer, got 0');
  });

  it('types: each move carries the caller’s key type back (string or Uint8Array)', () => {
    expectTypeOf(keysThatMove(['a'], 1, 2)).toEqualTypeOf<Array<{ key: string; from: number; to: number }>>();
    expectTypeOf(keysThatMove([new Uint8Array([1])], 1, 2)[0].key).toEqualTypeOf<Uint8Array>();
    // @ts-expect-error: keys are strings or bytes, not numbers
    expect(() => keysThatMove([42], 1, 2)).toThrow('Expected each key to be a string or a Uint8Array, got number');
  });
});
