/**
 * What the key-to-partition checkpoint promises about its own tests (the issue's list), checked on the data:
 * the quoted Kafka vectors, the named examples' input shapes, the generated key mix, and the rendering.
 * Grading the solution, starter and mistakes is ../verify.spec.ts's job.
 */
import { describe, expect, it } from 'vitest';
import * as fc from 'fast-check';
import { murmur2, toPositive, utf8 } from '../../engine/index.ts';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import exercise, {
  explain,
  formatArgs,
  formatKey,
  KAFKA_MURMUR2_VECTORS,
  keyArbitrary,
  MIN_PARTITIONS_TO_NAME_A_MISTAKE,
  numPartitionsArbitrary,
  utf8Text,
} from './exercise.ts';
import { gradeSource, type ExampleTest, type GradeReport, type PropertyTest } from '../../grader/index.ts';

const here = import.meta.dirname;

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
    const negative = examples.filter(
      (t) => murmur2(keyOf(t)) < 0 && countOf(t) > 1 && Math.abs(murmur2(keyOf(t))) % countOf(t) !== t.expected,
    );
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

  it('Math.abs of a negative hash is named when the case tells it apart with many partitions', () => {
    const n = 1000;
    expect(Math.abs(h) % n).not.toBe(toPositive(h) % n); // the two rules differ here
    expect(explain(Math.abs(h) % n, undefined, [foobar, n])).toBe(
      `your answer is Math.abs(murmur2) % ${n} for a negative murmur2 (${h}); Kafka clears the sign bit with toPositive (& 0x7fffffff → ${toPositive(h)}), not Math.abs`,
    );
    // Kafka's vectors: 2147483647 partitions, where a Math.abs answer cannot be a coincidence
    const key21 = utf8('21');
    expect(explain(Math.abs(murmur2(key21)) % 0x7fffffff, undefined, [key21, 0x7fffffff])).toMatch(/^your answer is Math\.abs\(murmur2\)/);
  });

  it('a wrong answer that only happens to equal Math.abs(murmur2) % 6 is not called Math.abs (one coincidence is no evidence)', () => {
    const key21 = utf8('21'); // murmur2 = -973932308
    const h21 = murmur2(key21);
    const coincidence = Math.abs(h21) % 6;
    expect(coincidence).not.toBe(toPositive(h21) % 6);
    const line = explain(coincidence, undefined, [key21, 6])!;
    expect(line).not.toMatch(/your answer is/);
    expect(line).toBe(
      `Kafka's murmur2 of these bytes is ${h21}, toPositive gives ${toPositive(h21)}, and ${toPositive(h21)} % 6 = ${toPositive(h21) % 6}; ` +
        'check each step of yours: the hash (Math.imul, >>> not >>, little-endian words, the tail bytes), and, since this hash is negative, how you make it positive',
    );
    // the same for ((h % n) + n) % n
    const positiveModulo = ((h21 % 6) + 6) % 6;
    if (positiveModulo !== toPositive(h21) % 6) expect(explain(positiveModulo, undefined, [key21, 6])).not.toMatch(/your answer is/);
  });

  it(`no mistake is named below ${MIN_PARTITIONS_TO_NAME_A_MISTAKE} partitions, where a coincidence is likely (1 in n − 1)`, () => {
    for (let n = 2; n < MIN_PARTITIONS_TO_NAME_A_MISTAKE; n++) {
      for (let actual = 0; actual < n; actual++)
        expect(explain(actual, undefined, [foobar, n]) ?? '', `n=${n} actual=${actual}`).not.toMatch(/your answer is/);
    }
  });

  it('out of range, and not an integer', () => {
    expect(explain(10, undefined, [foobar, 10])).toContain('reduce the positive hash with % numPartitions');
    expect(explain('6', undefined, [foobar, 10])).toContain('must return an integer partition number in 0..9');
  });

  it("any other wrong partition: the engine's hash, toPositive and modulo, step by step", () => {
    const right = toPositive(h) % 10;
    const wrong = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].find((p) => p !== right && p !== Math.abs(h) % 10 && p !== ((h % 10) + 10) % 10)!;
    expect(explain(wrong, undefined, [foobar, 10])).toBe(
      `Kafka's murmur2 of these bytes is ${h}, toPositive gives ${toPositive(h)}, and ${toPositive(h)} % 10 = ${right}; ` +
        'check each step of yours: the hash (Math.imul, >>> not >>, little-endian words, the tail bytes), and, since this hash is negative, how you make it positive',
    );
    const abc = utf8('abc'); // positive murmur2: the sign step is not mentioned
    const r = toPositive(murmur2(abc)) % 10;
    expect(explain((r + 1) % 10, undefined, [abc, 10])).toBe(
      `Kafka's murmur2 of these bytes is ${murmur2(abc)}, toPositive gives ${toPositive(murmur2(abc))}, and ${toPositive(murmur2(abc))} % 10 = ${r}; check the hash: Math.imul, >>> (not >>), little-endian words, the tail bytes`,
    );
  });
});

describe('the whole report names Math.abs only for a Math.abs partitioner', () => {
  const mentionsAbs = (report: GradeReport) =>
    report.tests.filter((t) => /your answer is Math\.abs/.test(t.message ?? '')).map((t) => t.id);

  it("mistakes/math-abs.ts: named on the cases that tell it apart (Kafka's vectors, 1000 partitions)", async () => {
    const report = await gradeSource(exercise, readFileSync(resolve(here, 'mistakes/math-abs.ts'), 'utf8'), { mode: 'submit', seed: 42 });
    expect(mentionsAbs(report)).toEqual(expect.arrayContaining(['kafka-murmur2-21', 'negative-hash-cafe']));
  });

  it.each(['signed-shift', 'big-endian', 'tail-ignored', 'no-imul', 'utf16-code-units', 'tail-no-fallthrough'])(
    'mistakes/%s.ts (a hash bug, unrelated to Math.abs): no test says "your answer is Math.abs", even where its number coincides',
    async (name) => {
      const report = await gradeSource(exercise, readFileSync(resolve(here, `mistakes/${name}.ts`), 'utf8'), { mode: 'submit', seed: 42 });
      expect(report.status).toBe('failed');
      expect(mentionsAbs(report)).toEqual([]);
    },
  );
});
