/**
 * Replication benchmarks (`npm run bench -- replication`).
 * - Replicated produce throughput: 3 brokers, one topic with 6 partitions, RF 3, acks=all,
 *   min.insync.replicas 2. Each step sends one 10-record batch to every partition, then runs
 *   two follower fetch rounds (copy, then the leader learns and answers). Every request must be
 *   answered NONE. Records/s of wall-clock time, best of 3.
 * - The same through the Producer client (idempotent, 5 in flight), one record per send.
 * Speed is measured here and never asserted in tests.
 */
import { Cluster, Producer } from '../engine/index.ts';
import type { BenchResult } from './run.ts';

const PARTITIONS = 6;
const BATCH = 10;

function replicatedProduce(records: number): number {
  const c = new Cluster({ brokers: [0, 1, 2], minInsyncReplicas: 2 });
  c.createTopic({ name: 't0', partitions: PARTITIONS, replicationFactor: 3 });
  const batch = Array.from({ length: BATCH }, (_, i) => ({ key: `k${i}`, value: `value-${i}`, timestamp: 0 }));
  const steps = Math.ceil(records / (BATCH * PARTITIONS));
  let acked = 0;
  const start = performance.now();
  for (let s = 0; s < steps; s++) {
    for (let p = 0; p < PARTITIONS; p++) c.produce({ topic: 't0', partition: p }, batch, { acks: 'all' });
    for (const round of [c.fetchRound(), c.fetchRound()]) {
      for (const e of round) if (e.type === 'produce-response' && e.error === 'NONE') acked += BATCH;
    }
  }
  const ms = performance.now() - start;
  if (acked !== steps * BATCH * PARTITIONS) throw new Error(`expected ${steps * BATCH * PARTITIONS} acknowledged records, got ${acked}`);
  return acked / (ms / 1000);
}

function producerClient(records: number): number {
  const c = new Cluster({ brokers: [0, 1, 2], minInsyncReplicas: 2 });
  c.createTopic({ name: 't0', partitions: PARTITIONS, replicationFactor: 3 });
  const p = new Producer(c);
  const start = performance.now();
  for (let i = 0; i < records; i++) {
    p.send({ topic: 't0', partition: i % PARTITIONS, key: `k${i % 100}`, value: `value-${i}` });
    if (i % PARTITIONS === PARTITIONS - 1) {
      c.fetchRound();
      c.fetchRound();
    }
  }
  c.fetchRound();
  c.fetchRound();
  const ms = performance.now() - start;
  const delivered = p.outcomes().filter((o) => o.status === 'delivered').length;
  if (delivered !== records) throw new Error(`expected ${records} delivered records, got ${delivered}`);
  return records / (ms / 1000);
}

const best = (f: () => number) => Math.max(f(), f(), f());

export async function run(): Promise<BenchResult[]> {
  replicatedProduce(6_000); // warm-up
  return [
    {
      name: 'replicated produce, RF 3, acks=all, 6 partitions, 10-record batches',
      value: best(() => replicatedProduce(300_000)),
      unit: 'records/s',
      note: '300,000 records, 2 fetch rounds per step, best of 3',
    },
    {
      name: 'Producer client, idempotent, RF 3, acks=all, one record per send',
      value: best(() => producerClient(30_000)),
      unit: 'records/s',
      note: '30,000 records, best of 3',
    },
  ];
}
