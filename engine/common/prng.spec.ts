import { describe, expect, it } from 'vitest';
import * as fc from 'fast-check';
import { createPrng } from './prng.ts';

describe('createPrng', () => {
  it('same seed, same stream; state resumes the stream', () => {
    const a = createPrng(7);
    const b = createPrng(7);
    const xs = Array.from({ length: 20 }, () => a.nextUint32());
    const ys = Array.from({ length: 20 }, () => b.nextUint32());
    expect(xs).toEqual(ys);
    const resumed = createPrng(a.state);
    expect(resumed.nextUint32()).toBe(a.nextUint32());
  });

  it('different seeds give different streams', () => {
    const a = Array.from(
      { length: 8 },
      (
        (r) => () =>
          r.nextUint32()
      )(createPrng(1)),
    );
    const b = Array.from(
      { length: 8 },
      (
        (r) => () =>
          r.nextUint32()
      )(createPrng(2)),
    );
    expect(a).not.toEqual(b);
  });

  it('nextInt stays in [0, bound) and nextFloat in [0, 1)', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 1, max: 2 ** 32 }), (seed, bound) => {
        const r = createPrng(seed);
        for (let i = 0; i < 20; i++) {
          const n = r.nextInt(bound);
          if (!Number.isInteger(n) || n < 0 || n >= bound) return false;
          const f = r.nextFloat();
          if (!(f >= 0 && f < 1)) return false;
        }
        return true;
      }),
    );
  });

  it('nextInt(6) over 60,000 draws: each face within 5% of 10,000', () => {
    const r = createPrng(123);
    const counts = new Array(6).fill(0);
    for (let i = 0; i < 60_000; i++) counts[r.nextInt(6)]++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500);
  });

  it('nextInt rejects bound 0, 1.5 and 2^32 + 1', () => {
    const r = createPrng(0);
    expect(() => r.nextInt(0)).toThrow(/positive integer/);
    expect(() => r.nextInt(1.5)).toThrow(RangeError);
    expect(() => r.nextInt(2 ** 32 + 1)).toThrow(RangeError);
  });

  it('fork gives a stream independent of the parent continuation', () => {
    const parent = createPrng(99);
    const child = parent.fork();
    const p = Array.from({ length: 5 }, () => parent.nextUint32());
    const c = Array.from({ length: 5 }, () => child.nextUint32());
    expect(p).not.toEqual(c);
  });
});
