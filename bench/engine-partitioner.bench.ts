/**
 * Partitioner and partition-log benchmarks (`npm run bench -- partitioner`).
 * - murmur2 + partitionForKey over 1,000,000 pre-encoded keys "order-0" … "order-999999" (7–12 UTF-8 bytes), 12 partitions.
 * - ProducerPartitioner.send (built-in sticky, keyless, 100-byte values) — 1,000,000 sends.
 * - PartitionLog.appendAsLeader, one record per append, 1,000,000 records, 1 MiB segments.
 * - compactLog over 200,000 records of 1,000 keys.
 * Best of 3 runs each, wall clock. Speed is measured here and never asserted in tests.
 */
import { compactLog, createPrng, murmur2, partitionForKey, PartitionLog, ProducerPartitioner, utf8 } from '../engine/index.ts';
import type { BenchResult } from './run.ts';
import { bestOf, time } from './stats.ts';

export async function run(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const N = 1_000_000;

  const keys = Array.from({ length: N }, (_, i) => utf8(`order-${i}`));
  let sink = 0;
  const hashMs = bestOf(3, () => {
    for (let i = 0; i < N; i++) sink ^= murmur2(keys[i]);
  });
  results.push({ name: 'murmur2, 1,000,000 keys of 7–12 bytes', value: N / (hashMs / 1000), unit: 'keys/s' });
  const partMs = bestOf(3, () => {
    for (let i = 0; i < N; i++) sink += partitionForKey(keys[i], 12);
  });
  results.push({ name: 'partitionForKey (12 partitions), 1,000,000 keys', value: N / (partMs / 1000), unit: 'keys/s' });

  const value = 'v'.repeat(100);
  const sendMs = bestOf(3, () => {
    const p = new ProducerPartitioner(12, createPrng(1));
    for (let i = 0; i < N; i++) sink += p.send({ key: null, value, timestamp: i >> 10 }).partition;
  });
  results.push({ name: 'ProducerPartitioner.send, built-in sticky, keyless, 1,000,000', value: N / (sendMs / 1000), unit: 'records/s' });

  let segments = 0;
  const appendMs = bestOf(3, () => {
    const log = new PartitionLog({ topic: 't0', partition: 0 }, { segmentBytes: 1024 * 1024 });
    for (let i = 0; i < N; i++) log.appendAsLeader([{ key: `k${i % 1000}`, value, timestamp: i }]);
    segments = log.segments.length;
  });
  results.push({
    name: 'PartitionLog.appendAsLeader, 1 record per append, 1,000,000',
    value: N / (appendMs / 1000),
    unit: 'records/s',
    note: `${segments} segments of 1 MiB`,
  });

  const M = 200_000;
  let kept = 0;
  let compactMs = Number.POSITIVE_INFINITY;
  for (let run = 0; run < 3; run++) {
    const log = new PartitionLog({ topic: 't0', partition: 0 }, { segmentBytes: 256 * 1024, cleanupPolicy: 'compact' });
    for (let i = 0; i < M; i++) log.appendAsLeader([{ key: `k${i % 1000}`, value, timestamp: i }]);
    log.roll(M);
    log.updateHighWatermark(log.logEndOffset);
    compactMs = Math.min(
      compactMs,
      time(() => (kept = compactLog(log, M).recordsRetained)),
    );
  }
  results.push({
    name: 'compactLog, one pass over 200,000 records of 1,000 keys',
    value: compactMs,
    unit: 'ms',
    note: `${kept} records kept`,
  });

  if (sink === 0.5) console.log(sink); // keep the loops from being optimised away
  return results;
}
