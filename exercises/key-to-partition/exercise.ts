/**
 * Checkpoint `key-to-partition`: implement Kafka's default partition for a keyed record,
 * `toPositive(murmur2(keyBytes)) % numPartitions`.
 *
 * Every expected value below comes from the engine (`partitionForKey`), never typed by hand. The
 * murmur2 values quoted in titles are Kafka's published vectors (UtilsTest#testMurmur2 in
 * apache/kafka clients/src/test/java/org/apache/kafka/common/utils/UtilsTest.java, read at commit f55581dc);
 * exercise.spec.ts checks the quotes here against the engine.
 */
import * as fc from 'fast-check';
import { murmur2, toPositive, partitionForKey, plural, utf8 } from '../../engine/index.ts';
import { defineExercise, type ExampleTest, type PropertyTest } from '../../grader/index.ts';

type Args = [keyBytes: Uint8Array, numPartitions: number];

/** Kafka's published murmur2 vectors (UtilsTest#testMurmur2): key text → signed 32-bit hash. */
export const KAFKA_MURMUR2_VECTORS: ReadonlyArray<{ key: string; murmur2: number }> = [
  { key: '21', murmur2: -973932308 },
  { key: 'foobar', murmur2: -790332482 },
  { key: 'a-little-bit-long-string', murmur2: -985981536 },
  { key: 'a-little-bit-longer-string', murmur2: -1486304829 },
  { key: 'lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', murmur2: -58897971 },
  { key: 'abc', murmur2: 479470107 },
];

/** The largest int32: with this many partitions, the partition is the positive hash itself. */
const INT32_MAX = 0x7fffffff;

// ---------------------------------------------------------------------------------------------
// Rendering, in the lesson's notation: bytes as hex, text when the bytes are valid UTF-8.

const MAX_BYTES_SHOWN = 48;

/** `[0x32, 0x31] (2 bytes; UTF-8 "21")`; long keys are cut after 48 bytes. */
export function formatKey(keyBytes: Uint8Array): string {
  const shown = Array.from(keyBytes.subarray(0, MAX_BYTES_SHOWN), (b) => '0x' + b.toString(16).padStart(2, '0'));
  const more = keyBytes.length > MAX_BYTES_SHOWN ? `, … ${keyBytes.length - MAX_BYTES_SHOWN} more` : '';
  const size = plural(keyBytes.length, 'byte');
  const text = utf8Text(keyBytes);
  const textPart = text === undefined ? 'not valid UTF-8' : `UTF-8 ${JSON.stringify(text)}`;
  return `[${shown.join(', ')}${more}] (${size}; ${textPart})`;
}

/** One argument per line, as the report's counterexample expects. */
export function formatArgs([keyBytes, numPartitions]: Args): string {
  return `keyBytes: ${formatKey(keyBytes)}\nnumPartitions: ${numPartitions}`;
}

/** The bytes decoded as UTF-8, or undefined when they are not valid UTF-8. */
export function utf8Text(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// What a wrong answer means, in Kafka terms.

/**
 * A known mistake is named only when the evidence says so. One case shows one number; with n partitions a
 * wrong answer that is unrelated to the mistake still lands on the mistake's partition by chance about once in
 * n − 1 tries (1 in 5 with 6 partitions). So the mistake is named only when (1) the case tells the two rules
 * apart (their partitions differ) and (2) n is large enough that a coincidence is unlikely: at least this many
 * partitions, i.e. under 1% by chance. Kafka's vectors run with 2147483647 partitions, where the partition is
 * the hash itself; a Math.abs partitioner fails those with a diagnosis, and the small-n cases state the
 * engine's numbers without guessing.
 */
export const MIN_PARTITIONS_TO_NAME_A_MISTAKE = 101;

/**
 * One line on the rule broken, from the engine's own numbers for these args.
 * Returns undefined when `actual` is right (the grader then shows nothing extra).
 */
export function explain(actual: unknown, _expected: unknown, [keyBytes, numPartitions]: Args): string | undefined {
  const h = murmur2(keyBytes);
  const positive = toPositive(h);
  const expected = positive % numPartitions;
  if (actual === expected) return undefined;
  if (typeof actual !== 'number' || !Number.isInteger(actual)) {
    return `partition() must return an integer partition number in 0..${numPartitions - 1}; Kafka's answer here is ${expected}`;
  }
  if (actual < 0) {
    return `partitions are numbered 0..${numPartitions - 1}; a negative hash must be made positive with toPositive (& 0x7fffffff), not Math.abs`;
  }
  if (actual >= numPartitions) {
    return `partitions are numbered 0..${numPartitions - 1}; reduce the positive hash with % numPartitions`;
  }
  const telling = h < 0 && numPartitions >= MIN_PARTITIONS_TO_NAME_A_MISTAKE;
  if (telling && actual === Math.abs(h) % numPartitions) {
    return `your answer is Math.abs(murmur2) % ${numPartitions} for a negative murmur2 (${h}); Kafka clears the sign bit with toPositive (& 0x7fffffff → ${positive}), not Math.abs`;
  }
  if (telling && actual === ((h % numPartitions) + numPartitions) % numPartitions) {
    return `your answer is ((h % n) + n) % n for a negative murmur2 h = ${h}; Kafka clears the sign bit first (toPositive → ${positive}) and only then takes % ${numPartitions}`;
  }
  const steps = `Kafka's murmur2 of these bytes is ${h}, toPositive gives ${positive}, and ${positive} % ${numPartitions} = ${expected}`;
  return h < 0
    ? `${steps}; check each step of yours: the hash (Math.imul, >>> not >>, little-endian words, the tail bytes), and, since this hash is negative, how you make it positive`
    : `${steps}; check the hash: Math.imul, >>> (not >>), little-endian words, the tail bytes`;
}

// ---------------------------------------------------------------------------------------------
// Named examples: the stories the lesson tells. Inputs are built here; answers come from the engine.

function example(id: string, title: string, keyBytes: Uint8Array, numPartitions: number, hidden = false): ExampleTest {
  return {
    kind: 'example',
    id,
    title,
    hidden,
    fn: 'partition',
    args: [keyBytes, numPartitions],
    expected: partitionForKey(keyBytes, numPartitions),
    explain: (actual, expected, args) => explain(actual, expected, args as Args),
  };
}

const bytes = (...values: number[]) => Uint8Array.from(values);

const kafkaVectorTests: ExampleTest[] = KAFKA_MURMUR2_VECTORS.map(({ key, murmur2: published }) =>
  example(
    `kafka-murmur2-${key.length > 12 ? `${key.length}-bytes` : key.replace(/[^a-z0-9]+/gi, '-')}`,
    `Kafka's murmur2 vector ${JSON.stringify(key)} (hash ${published}), ${INT32_MAX} partitions: the partition is toPositive(hash) itself`,
    utf8(key),
    INT32_MAX,
  ),
);

const storyTests: ExampleTest[] = [
  example('key-21-six-partitions', 'key "21", 6 partitions (the lesson\'s worked example)', utf8('21'), 6),
  example('order-456-six-partitions', 'key "order-456", 6 partitions', utf8('order-456'), 6),
  example('negative-hash-foobar', 'key "foobar" (negative murmur2), 10 partitions', utf8('foobar'), 10),
  example('negative-hash-cafe', 'key "café" (negative murmur2), 1000 partitions', utf8('café'), 1000),
  example('one-partition', 'key "order-123", 1 partition: everything goes to partition 0', utf8('order-123'), 1),
  example('empty-key', 'empty key (0 bytes, not null), 6 partitions', bytes(), 6),
  example('tail-0-bytes', 'key "key1" (4 bytes: one word, no tail), 12 partitions', utf8('key1'), 12),
  example('tail-1-byte', 'key "key12" (5 bytes: one word + 1 tail byte), 12 partitions', utf8('key12'), 12),
  example('tail-2-bytes', 'key "key123" (6 bytes: one word + 2 tail bytes), 12 partitions', utf8('key123'), 12),
  example('tail-3-bytes', 'key "key1234" (7 bytes: one word + 3 tail bytes), 12 partitions', utf8('key1234'), 12),
  example('utf8-two-byte-chars', 'key "müller" (ü is 2 UTF-8 bytes), 1000 partitions', utf8('müller'), 1000),
  example('utf8-three-byte-chars', 'key "日本" (3 UTF-8 bytes per character), 100 partitions', utf8('日本'), 100),
  example('utf8-four-byte-char', 'key "🔑" (4 UTF-8 bytes, one character), 50 partitions', utf8('🔑'), 50),
  example(
    'high-bytes-not-utf8',
    'key bytes [0xff, 0xfe, 0xfd, 0xfc, 0x80] (not text), 100 partitions',
    bytes(0xff, 0xfe, 0xfd, 0xfc, 0x80),
    100,
  ),
  example(
    'long-key-hidden',
    'a 100-byte key, 997 partitions',
    Uint8Array.from({ length: 100 }, (_, i) => (i * 37 + 11) & 0xff),
    997,
    true,
  ),
];

// ---------------------------------------------------------------------------------------------
// Generated properties: the engine is the oracle.

/** Text keys: any Unicode, including 2-, 3- and 4-byte UTF-8 characters. */
const textKey = fc.string({ unit: 'grapheme', maxLength: 24 }).map((s) => utf8(s));
/** Raw bytes, often not valid UTF-8. */
const byteKey = fc.uint8Array({ maxLength: 40 });
/** A key of every length mod 4: whole words plus a tail of 0..3 bytes. */
const tailKey = fc
  .tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 3 }))
  .chain(([words, tail]) => fc.uint8Array({ minLength: words * 4 + tail, maxLength: words * 4 + tail }));

/**
 * The key mix every property draws from: empty, multi-byte UTF-8 text, random bytes, every length mod 4.
 * verify.spec.ts samples it under fixed seeds and checks that each kind shows up.
 */
export const keyArbitrary: fc.Arbitrary<Uint8Array> = fc.oneof(
  { arbitrary: fc.constant(new Uint8Array(0)), weight: 1 },
  { arbitrary: textKey, weight: 4 },
  { arbitrary: byteKey, weight: 4 },
  { arbitrary: tailKey, weight: 4 },
);

/** Partition counts 1..1000, with the small counts (1, 2, 3) drawn often. */
export const numPartitionsArbitrary: fc.Arbitrary<number> = fc.oneof(
  { arbitrary: fc.integer({ min: 1, max: 3 }), weight: 1 },
  { arbitrary: fc.integer({ min: 1, max: 1000 }), weight: 5 },
);

function property(id: string, title: string, arbitrary: fc.Arbitrary<Args>, numRuns: number, hidden: boolean): PropertyTest<Args> {
  return {
    kind: 'property',
    id,
    title,
    hidden,
    fn: 'partition',
    arbitrary,
    numRuns,
    expected: (keyBytes, numPartitions) => partitionForKey(keyBytes, numPartitions),
    formatArgs,
    explain,
  };
}

const propertyTests: PropertyTest<Args>[] = [
  property(
    'matches-kafka-generated-keys',
    'generated keys (empty, UTF-8 text, random bytes, every length mod 4), 1..1000 partitions: same partition as Kafka',
    fc.tuple(keyArbitrary, numPartitionsArbitrary),
    250,
    false,
  ),
  property(
    'matches-kafka-long-keys',
    'longer generated keys (up to 300 bytes), 1..1000 partitions: same partition as Kafka',
    fc.tuple(
      fc.oneof(
        fc.uint8Array({ minLength: 40, maxLength: 300 }),
        fc.string({ unit: 'grapheme', minLength: 20, maxLength: 100 }).map((s) => utf8(s)),
      ),
      numPartitionsArbitrary,
    ),
    200,
    true,
  ),
  property(
    'matches-kafka-hidden-mix',
    'more generated keys and partition counts: same partition as Kafka',
    fc.tuple(keyArbitrary, fc.integer({ min: 1, max: 1000 })),
    300,
    true,
  ),
];

export default defineExercise({
  id: 'key-to-partition',
  title: 'Key to partition',
  lesson: '01-keys-and-partitions',
  exports: ['partition'],
  objectives: [
    "Compute the partition Kafka's producer picks for a keyed record: toPositive(murmur2(keyBytes)) % numPartitions.",
    "Implement Kafka's murmur2 over bytes with 32-bit integer arithmetic in JavaScript (Math.imul, >>>, | 0).",
    'Explain why Kafka clears the sign bit with toPositive instead of using Math.abs.',
    'Explain why a key is hashed as its serialized bytes (UTF-8 for strings), not as text.',
  ],
  hints: [
    'Split the work into three small functions: `murmur2(bytes)`, `toPositive(n)` and `partition(keyBytes, numPartitions)`, which is just `toPositive(murmur2(keyBytes)) % numPartitions`.',
    '`toPositive(n)` is `n & 0x7fffffff`: it clears the sign bit. `Math.abs` is a different function: for a negative hash it gives another number, and so another partition.',
    "JavaScript numbers are doubles. For a 32-bit multiply use `Math.imul(a, b)` (plain `a * b` loses the low bits); for Java's `>>>` use `>>>` (not `>>`); `x | 0` brings a value back to a signed 32-bit int.",
    'murmur2 reads the bytes 4 at a time as **little-endian** words: `k = b[i] | b[i+1] << 8 | b[i+2] << 16 | b[i+3] << 24`. Start with `h = 0x9747b28c ^ length`. For each word: `k = imul(k, m); k ^= k >>> 24; k = imul(k, m); h = imul(h, m); h ^= k`, with `m = 0x5bd1e995`.',
    'After the words, 1–3 bytes may be left (the tail, `length % 4` of them). Mix them in from the highest: with 3 left, `h ^= b[2] << 16`, then `h ^= b[1] << 8`, then `h ^= b[0]; h = imul(h, m)` — each case **falls through** to the next, no `break`. With 0 left, skip this step.',
    'Finish with the final mix: `h ^= h >>> 13; h = imul(h, m); h ^= h >>> 15`, and return `h | 0`. Check yourself: the bytes of "21" must give -973932308 (Kafka\'s own test value).',
  ],
  mistakes: [
    { file: 'mistakes/math-abs.ts', description: 'Math.abs instead of toPositive (& 0x7fffffff)', caughtBy: 'negative-hash-foobar' },
    { file: 'mistakes/signed-shift.ts', description: '>> instead of >>> in the mixing steps', caughtBy: 'kafka-murmur2-21' },
    { file: 'mistakes/tail-ignored.ts', description: 'the 1–3 tail bytes are never mixed in', caughtBy: 'tail-1-byte' },
    {
      file: 'mistakes/utf16-code-units.ts',
      description: 'hashing the UTF-16 code units of the decoded key instead of its bytes',
      caughtBy: 'utf8-two-byte-chars',
    },
    {
      file: 'mistakes/no-imul.ts',
      description: 'plain * instead of Math.imul: the 32-bit products lose their low bits',
      caughtBy: 'kafka-murmur2-foobar',
    },
    { file: 'mistakes/big-endian.ts', description: '4-byte words read big-endian instead of little-endian', caughtBy: 'tail-0-bytes' },
    {
      file: 'mistakes/tail-no-fallthrough.ts',
      description: 'a break after each tail case, so 2–3 tail bytes are not all mixed in',
      caughtBy: 'tail-3-bytes',
    },
    {
      file: 'mistakes/positive-modulo.ts',
      description: '((h % n) + n) % n instead of toPositive(h) % n',
      caughtBy: 'key-21-six-partitions',
    },
  ],
  tests: [...kafkaVectorTests, ...storyTests, ...propertyTests],
});
