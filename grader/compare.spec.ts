import { describe, expect, it } from 'vitest';
import { compareValues, describeValue, render } from './compare.ts';

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
