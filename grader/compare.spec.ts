import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Plain } from './exercise-api.ts';
import { compareValues, describeValue, firstDifference, render, sameValues } from './compare.ts';

/** Plain values as an engine answers, with small keys and numbers so that near misses are common. */
const plain: fc.Arbitrary<Plain> = fc.letrec<{ v: Plain }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.integer({ min: -2, max: 2 }),
    fc.constantFrom(NaN, Infinity), // never an engine's answer, but compareValues has rules for them
    fc.constantFrom('t0', '1', ''),
    fc.uint8Array({ maxLength: 3 }),
    fc.array(tie('v'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom('C0', 'C1', '0', '__proto__'), tie('v'), { maxKeys: 3 }),
  ),
})).v;

/** `v` with one thing changed somewhere (or nothing): a near miss of every kind compareValues tells apart. */
function nearMiss(v: unknown, change: number, where: number): unknown {
  if (where <= 0) {
    const odd: unknown[] = [undefined, NaN, -0, Infinity, '0', 0, null, [], {}, new Uint8Array([0]), [0], { C0: 0 }];
    return change % (odd.length + 1) === odd.length ? v : odd[change % (odd.length + 1)];
  }
  if (Array.isArray(v)) return v.map((x, i) => (i === where % v.length ? nearMiss(x, change, where - 1) : x));
  if (v !== null && typeof v === 'object' && !(v instanceof Uint8Array)) {
    const keys = Object.keys(v);
    if (keys.length === 0) return change % 2 ? { C9: 1 } : v;
    const out: Record<string, unknown> = {};
    for (const k of keys) {
      const item =
        k === keys[where % keys.length]
          ? nearMiss((v as Record<string, unknown>)[k], change, where - 1)
          : (v as Record<string, unknown>)[k];
      Object.defineProperty(out, k, { value: item, enumerable: true, writable: true, configurable: true });
    }
    if (change % 7 === 0) delete out[keys[0]];
    return out;
  }
  return v;
}

describe('compareValues', () => {
  it('equal plain values, key order ignored, -0 equals 0', () => {
    expect(compareValues({ C0: [{ topic: 't0', partition: 0 }], C1: [] }, { C1: [], C0: [{ partition: -0, topic: 't0' }] })).toEqual({
      equal: true,
    });
    expect(compareValues(new Uint8Array([1, 2]), new Uint8Array([1, 2]))).toEqual({ equal: true });
  });
  it('a wrong type is a type error with its path', () => {
    expect(compareValues(2, '2')).toMatchObject({ equal: false, kind: 'type', message: 'expected a number, got a string "2"' });
    expect(compareValues(null, NaN)).toMatchObject({ kind: 'type', message: 'expected null, got NaN' });
    expect(compareValues(2, NaN)).toMatchObject({ kind: 'type', message: 'expected a number, got NaN' });
    expect(compareValues({ C0: [0, 1] }, { C0: [0, '1'] })).toMatchObject({ kind: 'type', path: '.C0[1]' });
    expect(compareValues(new Uint8Array([1]), [1])).toMatchObject({ kind: 'type', message: 'expected a Uint8Array, got an array [1]' });
    expect(compareValues([1], { 0: 1 })).toMatchObject({ kind: 'type' });
  });
  it('a wrong value of the right type is a mismatch', () => {
    expect(compareValues(1, 2)).toMatchObject({ kind: 'mismatch', message: 'got 2, expected 1' });
    expect(compareValues({ C0: [0, 1] }, { C0: [0] })).toMatchObject({ kind: 'mismatch', message: 'got 1 element, expected 2 (at .C0)' });
    expect(compareValues({ C0: [], C1: [] }, { C0: [] })).toMatchObject({ kind: 'mismatch', message: 'missing key "C1"' });
    expect(compareValues({ C0: [] }, { C0: [], C9: [] })).toMatchObject({ kind: 'mismatch', message: 'unexpected key "C9"' });
  });
  it('its quick "equal" check agrees with the walk to the first difference, on generated values and near misses', () => {
    let equal = 0;
    fc.assert(
      fc.property(plain, fc.nat(), fc.nat({ max: 4 }), (expected, change, where) => {
        const actual = nearMiss(expected, change, where);
        const verdict = firstDifference(expected, actual);
        expect(sameValues(expected, actual)).toBe(verdict.equal);
        expect(compareValues(expected, actual)).toEqual(verdict);
        if (verdict.equal) equal++;
      }),
      { numRuns: 2000, seed: 4 },
    );
    expect(equal).toBeGreaterThan(200);
    expect(equal).toBeLessThan(1800);
  });
  it('handles a 200,000-deep expected value without recursion', () => {
    let deep: unknown = 0;
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(compareValues(deep as never, deep)).toEqual({ equal: true });
  });
});

describe('render', () => {
  it('is type-aware', () => {
    expect([render(2), render('2'), render(-0), render(NaN), render(undefined), render(null)]).toEqual([
      '2',
      '"2"',
      '-0',
      'NaN',
      'undefined',
      'null',
    ]);
    expect(render(new Uint8Array([0x32, 0x31]))).toBe('Uint8Array [0x32, 0x31]');
    expect(render({ C0: [{ topic: 't0', partition: 1 }], 'odd key': true })).toBe(
      '{ C0: [{ topic: "t0", partition: 1 }], "odd key": true }',
    );
    expect(describeValue('2')).toBe('a string "2"');
  });
  it('truncates', () => {
    expect(render('x'.repeat(1000), 20)).toBe(`"${'x'.repeat(19)}…`);
    expect(
      render(
        Array.from({ length: 1000 }, (_, i) => i),
        30,
      ),
    ).toMatch(/^\[0, 1, 2, .{0,30}…$/);
  });
});
