/**
 * Partitioning drills: which partition a key goes to (toPositive(murmur2(key)) % n, with the hash
 * given), and which keys move when a topic grows from n to m partitions.
 *
 * Source: Kafka's BuiltInPartitioner.partitionForKey.
 */
import type { Prng } from '../common/prng.ts';
import { murmur2 } from '../producer/murmur2.ts';
import { partitionForKey, toPositive, utf8 } from '../producer/partition-for-key.ts';
import { keysThatMove } from '../producer/partitioners.ts';
import { formatTp, plural, pluralWord } from '../common/notation.ts';
import type { DrillBody } from './drill-types.ts';
import { between, pick, randomKey } from './drill-helpers.ts';

// ---- partition for a key ----------------------------------------------------------------------

export function partitionForKeyDrill(rng: Prng): DrillBody {
  const key = randomKey(rng);
  // counts whose remainder a person can work out by hand (last digits, digit sums)
  const numPartitions = pick(rng, [2, 3, 4, 5, 6, 8, 9, 10, 12]);
  const bytes = utf8(key);
  const hash = murmur2(bytes);
  const positive = toPositive(hash);
  const partition = partitionForKey(bytes, numPartitions);
  const prompt = [
    `A producer sends a record with key \`"${key}"\` to topic \`t0\`, which has ${plural(numPartitions, 'partition')}, with Kafka's default partitioner.`,
    `The key's UTF-8 bytes hash to \`murmur2 = ${hash}\`.`,
    'Which partition does the record go to? (Answer with the partition number.)',
  ].join('\n\n');
  const lines = [
    hash < 0
      ? `- toPositive(${hash}) = ${hash} & 0x7fffffff = ${positive} (clear the sign bit)`
      : `- toPositive(${hash}) = ${positive} (already non-negative)`,
    `- ${positive} % ${numPartitions} = ${partition} → **${formatTp({ topic: 't0', partition })}**`,
  ];
  if (hash < 0) {
    const abs = Math.abs(hash) % numPartitions;
    lines.push(
      abs === partition
        ? `- Math.abs(${hash}) % ${numPartitions} happens to give ${abs} too, but not for every key: Kafka clears the sign bit, it does not negate.`
        : `- Math.abs(${hash}) % ${numPartitions} = ${abs}: the Math.abs mistake sends this key to the wrong partition.`,
    );
  }
  return {
    prompt,
    answer: { type: 'number', value: partition },
    explanation: lines.join('\n'),
    params: { kind: 'partition-for-key', key, numPartitions },
  };
}

// ---- keys that move ---------------------------------------------------------------------------

export function keysThatMoveDrill(rng: Prng): DrillBody {
  const fromPartitions = pick(rng, [2, 3, 4, 5, 6, 8]);
  const toPartitions = rng.nextInt(2) === 0 ? fromPartitions * 2 : fromPartitions + between(rng, 1, 3);
  const keys: string[] = [];
  while (keys.length < 5) {
    const k = randomKey(rng);
    if (!keys.includes(k)) keys.push(k);
  }
  const moves = keysThatMove(keys, fromPartitions, toPartitions);
  const moved = new Set(moves.map((m) => m.key));
  const indices = keys.map((k, i) => (moved.has(k) ? i : -1)).filter((i) => i >= 0);
  const hashOf = (k: string) => toPositive(murmur2(utf8(k)));
  const choices = keys.map((k) => `\`${k}\` (toPositive(murmur2) = ${hashOf(k)})`);
  const prompt = [
    `Topic \`t0\` grows from ${fromPartitions} to ${toPartitions} partitions. Producers use Kafka's default partitioner.`,
    'Which of these keys send their new records to a different partition than before? Select every one that moves (possibly none).',
  ].join('\n\n');
  const lines = keys.map((k) => {
    const h = hashOf(k);
    const a = h % fromPartitions;
    const b = h % toPartitions;
    return `- \`${k}\`: ${h} % ${fromPartitions} = ${a}, ${h} % ${toPartitions} = ${b} → ${a === b ? `stays on t0p${a}` : `**moves** t0p${a} → t0p${b}`}`;
  });
  if (toPartitions === fromPartitions * 2) {
    lines.push(
      `- Doubling: h % ${toPartitions} is either h % ${fromPartitions} or h % ${fromPartitions} + ${fromPartitions}, so a key moves exactly when h % ${toPartitions} ≥ ${fromPartitions} (about half of all keys).`,
    );
  }
  lines.push(
    `- ${plural(moves.length, 'key')} of ${keys.length} ${pluralWord(moves.length, 'moves', 'move')}. Old records stay where they were: per-key order is lost across the change.`,
  );
  return {
    prompt,
    answer: { type: 'choices', indices },
    choices,
    explanation: lines.join('\n'),
    params: { kind: 'keys-that-move', keys, fromPartitions, toPartitions },
  };
}
