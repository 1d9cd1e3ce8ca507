/**
 * What the key-to-partition checkpoint promises about its own tests (the issue's list), checked on the data:
 * the quoted Kafka vectors, the named examples' input shapes, the generated key mix, and the rendering.
 * Grading the solution, starter and mistakes is ../verify.spec.ts's job.
 */
import { describe, expect, it } from 'vitest';
import * as fc from 'fast-check';
import { murmur2, toPositive, utf8 } from '../../engine/index.ts';
import exercise, { explain, formatArgs, formatKey, KAFKA_MURMUR2_VECTORS, keyArbitrary, numPartitionsArbitrary, utf8Text } from './exercise.ts';
import type { ExampleTest, PropertyTest } from '../../grader/index.ts';

const examples = exercise.tests.filter((t): t is ExampleTest => t.kind === 'example');
const properties = exercise.tests.filter((t): t is PropertyTest => t.kind === 'property');
const keyOf = (t: ExampleTest) => t.args[0] as Uint8Array;
const countOf = (t: ExampleTest) => t.args[1] as number;

const isValidUtf8 = (bytes: Uint8Array) => utf8Text(bytes) !== undefined;

describe('named examples', () => {
  it("quote Kafka's murmur2 vectors (UtilsTest#testMurmur2) as the engine computes them", () => {
    expect(KAFKA_MURMUR2_VECTORS).toHaveLength(6);
    for (const { key, murmur2: published } of KAFKA_MURMUR2_VECTORS) expect(murmur2(utf8(key)), key).toBe(published);
  });

  it('include one test per Kafka vector, titled with its published hash', () => {
    for (const { key, murmur2: published } of KAFKA_MURMUR2_VECTORS) {
      const t = examples.find((e) => e.title.includes(JSON.stringify(key)) && e.title.includes(String(published)));
      expect(t, key).toBeDefined();
      expect(keyOf(t!)).toEqual(utf8(key));
    }
  });

  it('cover a negative hash with more than one partition, where Math.abs picks another partition', () => {
    const negative = examples.filter((t) => murmur2(keyOf(t)) < 0 && countOf(t) > 1 && Math.abs(murmur2(keyOf(t))) % countOf(t) !== t.expected);
    expect(negative.map((t) => t.id)).toContain('negative-hash-foobar');
  });

  it('cover 1 partition, key "order-456" with 6 partitions, and an empty key', () => {
    expect(examples.some((t) => countOf(t) === 1)).toBe(true);
    expect(examples.some((t) => countOf(t) === 6 && utf8Text(keyOf(t)) === 'order-456')).toBe(true);
    expect(examples.some((t) => keyOf(t).length === 0)).toBe(true);
  });

  it('cover multi-byte UTF-8 keys (2-, 3- and 4-byte characters) and bytes that are not UTF-8', () => {
    const chars = examples.flatMap((t) => [...(utf8Text(keyOf(t)) ?? '')]);
    const widths = new Set(chars.map((c) => utf8(c).length));
    expect([...widths].sort()).toEqual([1, 2, 3, 4]);
    expect(examples.some((t) => !isValidUtf8(keyOf(t)))).toBe(true);
  });

  it('cover each tail length 0..3 after at least one whole word', () => {
    const tails = new Set(examples.filter((t) => keyOf(t).length >= 4).map((t) => keyOf(t).length % 4));
    expect([...tails].sort()).toEqual([0, 1, 2, 3]);
  });
});

describe('generated properties', () => {
  it('draw at least 200 keys per run each, with visible and hidden ones', () => {
    for (const p of properties) expect(p.numRuns, p.id).toBeGreaterThanOrEqual(200);
    expect(properties.some((p) => !p.hidden)).toBe(true);
    expect(properties.some((p) => p.hidden)).toBe(true);
  });

  it.each([1, 42, 20_240_611])('seed %i: 200 keys cover empty, multi-byte UTF-8, non-UTF-8 bytes and every length mod 4', (seed) => {
    const keys = fc.sample(keyArbitrary, { seed, numRuns: 200 });
    expect(keys.some((k) => k.length === 0)).toBe(true);
    expect(keys.some((k) => isValidUtf8(k) && k.some((b) => b >= 0x80))).toBe(true);
    expect(keys.some((k) => !isValidUtf8(k))).toBe(true);
    expect(new Set(keys.map((k) => k.length % 4)).size).toBe(4);
  });

  it.each([1, 42, 20_240_611])('seed %i: partition counts stay in 1..1000 and reach both 1 and the hundreds', (seed) => {
    const counts = fc.sample(numPartitionsArbitrary, { seed, numRuns: 200 });
    expect(counts.every((n) => Number.isInteger(n) && n >= 1 && n <= 1000)).toBe(true);
    expect(counts).toContain(1);
    expect(counts.some((n) => n > 100)).toBe(true);
  });
});

describe('rendering a counterexample', () => {
  it('shows a text key as hex bytes and as UTF-8 text, then numPartitions', () => {
    expect(formatArgs([utf8('café'), 6])).toBe('keyBytes: [0x63, 0x61, 0x66, 0xc3, 0xa9] (5 bytes; UTF-8 "café")\nnumPartitions: 6');
  });

  it('says when the bytes are not valid UTF-8, and handles the empty key', () => {
    expect(formatKey(Uint8Array.from([0xff, 0x00]))).toBe('[0xff, 0x00] (2 bytes; not valid UTF-8)');
    expect(formatKey(new Uint8Array(0))).toBe('[] (0 bytes; UTF-8 "")');
  });

  it('cuts long keys after 48 bytes and says how many more', () => {
    const text = formatKey(new Uint8Array(100));
    expect(text.match(/0x00/g)).toHaveLength(48);
    expect(text).toContain('… 52 more] (100 bytes;');
  });
});

describe('explaining a wrong partition in Kafka terms', () => {
  const foobar = utf8('foobar'); // murmur2 is negative
  const h = murmur2(foobar);

  it('says nothing when the partition is right', () => {
    expect(explain(toPositive(h) % 10, undefined, [foobar, 10])).toBeUndefined();
  });

  it('a negative partition: numbered 0..n-1, toPositive not Math.abs', () => {
    expect(explain(-3, undefined, [foobar, 10])).toBe(
      'partitions are numbered 0..9; a negative hash must be made positive with toPositive (& 0x7fffffff), not Math.abs',
    );
  });

  it('Math.abs of a negative hash is recognised', () => {
    const line = explain(Math.abs(h) % 10, undefined, [foobar, 10]);
    expect(line).toBe(`your answer is Math.abs(murmur2) % 10 for a negative murmur2 (${h}); Kafka clears the sign bit with toPositive (& 0x7fffffff → ${toPositive(h)}), not Math.abs`);
  });

  it('out of range, and not an integer', () => {
    expect(explain(10, undefined, [foobar, 10])).toContain('reduce the positive hash with % numPartitions');
    expect(explain('6', undefined, [foobar, 10])).toContain('must return an integer partition number in 0..9');
  });

  it('any other wrong partition: the engine\'s hash, toPositive and modulo, step by step', () => {
    const right = toPositive(h) % 10;
    const wrong = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].find((p) => p !== right && p !== Math.abs(h) % 10 && p !== ((h % 10) + 10) % 10)!;
    expect(explain(wrong, undefined, [foobar, 10])).toBe(
      `Kafka's murmur2 of these bytes is ${h}, toPositive gives ${toPositive(h)}, and ${toPositive(h)} % 10 = ${right}; check the hash: Math.imul, >>> (not >>), little-endian words, the tail bytes`,
    );
  });
});
