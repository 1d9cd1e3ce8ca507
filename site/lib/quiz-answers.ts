/**
 * Engine queries: the small declarative vocabulary quiz authors use instead of typing answers.
 * Each query is computed by the reference engine at build time and returns the answer plus the
 * working (the arithmetic a student can follow) and named values the explanation may interpolate.
 *
 * Vocabulary (YAML):
 * ```
 * { engine: murmur2, key: "order-456" }                          → number (signed 32-bit)
 * { engine: toPositive, key: "order-456" }                       → number: toPositive(murmur2(utf8(key)))
 * { engine: toPositive, n: -973932308 }                          → number: n & 0x7fffffff
 * { engine: partitionForKey, key: "order-456", numPartitions: 6 } → number in [0, numPartitions)
 * { engine: keysThatMove, keys: [a, b, c], from: 6, to: 12 }      → string[]: keys whose partition differs
 * { engine: keysOnPartition, keys: [a, b, c], numPartitions: 6, partition: 2 } → string[]
 * ```
 * Keys are Strings serialized as UTF-8 (Kafka's StringSerializer).
 *
 * Explanation variables (`{name}` in a question's explanation), besides `{answer}`:
 * - murmur2: key, murmur2
 * - toPositive: key?, n, toPositive
 * - partitionForKey: key, numPartitions, murmur2, toPositive, partition
 * - keysThatMove: from, to, moved, stayed, movedCount, total
 * - keysOnPartition: numPartitions, partition, matching, others
 */
import { z } from 'zod';
import { murmur2, partitionForKey, toPositive, utf8 } from '../../engine/index.ts';

const key = z.string();
const count = z.number().int().min(1).max(1_000_000);
const int32 = z.number().int().min(-2147483648).max(2147483647);
const keyList = z
  .array(key)
  .min(1)
  .refine((keys) => new Set(keys).size === keys.length, { message: 'expected distinct keys (a key is listed twice)' });

/** The zod schema of an engine query (discriminated by `engine`). Unknown fields are errors. */
export const engineQuerySchema = z
  .discriminatedUnion('engine', [
    z.object({ engine: z.literal('murmur2'), key }).strict(),
    z.object({ engine: z.literal('toPositive'), key: key.optional(), n: int32.optional() }).strict(),
    z.object({ engine: z.literal('partitionForKey'), key, numPartitions: count }).strict(),
    z.object({ engine: z.literal('keysThatMove'), keys: keyList, from: count, to: count }).strict(),
    z.object({ engine: z.literal('keysOnPartition'), keys: keyList, numPartitions: count, partition: z.number().int().min(0) }).strict(),
  ])
  .superRefine((query, ctx) => {
    if (query.engine === 'toPositive' && (query.key === undefined) === (query.n === undefined)) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: `received ${query.key === undefined ? 'neither' : 'both'} "key" and "n"; expected exactly one of "key" (a string to hash) or "n" (a signed 32-bit integer)`,
      });
    }
    if (query.engine === 'keysOnPartition' && query.partition >= query.numPartitions) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['partition'],
        message: `received ${query.partition}; expected a partition below numPartitions (${query.numPartitions})`,
      });
    }
  });

export type EngineQuery = z.infer<typeof engineQuerySchema>;
/** The names of the engine queries, for error messages and docs. */
export const ENGINE_QUERIES = ['murmur2', 'toPositive', 'partitionForKey', 'keysThatMove', 'keysOnPartition'] as const;

/** What a query computes. `value` is a number or a set of keys (in the order the query listed them). */
export interface EngineResult {
  value: number | string[];
  /** the arithmetic, one step per line, shown under the explanation */
  working: string[];
  /** values an explanation may interpolate as `{name}` */
  vars: Record<string, string | number>;
}

const fmt = (n: number): string => n.toLocaleString('en-US');
const q = (k: string): string => `"${k}"`;
const list = (keys: string[]): string => (keys.length === 0 ? 'none' : keys.join(', '));

/** `murmur2("order-456") = -123 → toPositive = 456 → 456 % 6 = 0` as steps and values. */
function partitionWorking(k: string, numPartitions: number) {
  const hash = murmur2(utf8(k));
  const positive = toPositive(hash);
  const partition = partitionForKey(utf8(k), numPartitions);
  return {
    hash,
    positive,
    partition,
    line: `${q(k)}: murmur2 = ${fmt(hash)} → toPositive = ${fmt(positive)} → ${fmt(positive)} % ${numPartitions} = ${partition}`,
  };
}

/**
 * Compute an engine query with the reference engine.
 * @param query a query validated by `engineQuerySchema`
 * @returns the answer, its working and the explanation variables
 */
export function computeEngineQuery(query: EngineQuery): EngineResult {
  switch (query.engine) {
    case 'murmur2': {
      const hash = murmur2(utf8(query.key));
      return {
        value: hash,
        working: [`murmur2 of the UTF-8 bytes of ${q(query.key)} = ${fmt(hash)} (a signed 32-bit integer)`],
        vars: { key: query.key, murmur2: hash },
      };
    }
    case 'toPositive': {
      const n = query.key !== undefined ? murmur2(utf8(query.key)) : (query.n as number);
      const positive = toPositive(n);
      const working = query.key !== undefined ? [`murmur2(${q(query.key)}) = ${fmt(n)}`] : [];
      working.push(`toPositive(${fmt(n)}) = ${fmt(n)} & 0x7fffffff = ${fmt(positive)}`);
      return { value: positive, working, vars: { ...(query.key !== undefined ? { key: query.key } : {}), n, toPositive: positive } };
    }
    case 'partitionForKey': {
      const w = partitionWorking(query.key, query.numPartitions);
      return {
        value: w.partition,
        working: [w.line],
        vars: { key: query.key, numPartitions: query.numPartitions, murmur2: w.hash, toPositive: w.positive, partition: w.partition },
      };
    }
    case 'keysThatMove': {
      const moved: string[] = [];
      const stayed: string[] = [];
      const working: string[] = [];
      for (const k of query.keys) {
        const before = partitionForKey(utf8(k), query.from);
        const after = partitionForKey(utf8(k), query.to);
        (before === after ? stayed : moved).push(k);
        working.push(`${q(k)}: partition ${before} of ${query.from} → partition ${after} of ${query.to}${before === after ? ' (stays)' : ' (moves)'}`);
      }
      return {
        value: moved,
        working,
        vars: { from: query.from, to: query.to, moved: list(moved), stayed: list(stayed), movedCount: moved.length, total: query.keys.length },
      };
    }
    case 'keysOnPartition': {
      const matching: string[] = [];
      const others: string[] = [];
      const working: string[] = [];
      for (const k of query.keys) {
        const w = partitionWorking(k, query.numPartitions);
        (w.partition === query.partition ? matching : others).push(k);
        working.push(w.line);
      }
      return {
        value: matching,
        working,
        vars: { numPartitions: query.numPartitions, partition: query.partition, matching: list(matching), others: list(others) },
      };
    }
  }
}
