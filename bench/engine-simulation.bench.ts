/**
 * Simulation throughput (`npm run bench -- simulation`): produce and consume 1,000,000 records
 * through 12 partitions and 6 consumers, end to end through the scenario runner — producer client
 * (acks=all, idempotent, RF 1), partition logs, group coordinator (range, 2 partitions each),
 * consumers polling (max.poll.records 500), processing and committing after every poll round.
 * Runs with `trace: 'none'` and `keepHistory: false`: no per-step snapshot, only the totals and
 * the final state, which are checked (every record produced, received and processed exactly once,
 * total lag 0). Records/s of wall-clock time; the figure is records produced + consumed per second
 * of one end-to-end run. Also: the same pipeline with a full trace on a 10,000-record run, to show
 * what per-step snapshots cost.
 * SIM_RECORDS=<n> runs a smaller pipeline (e.g. 100000) for a quick look.
 * Note: the producer client keeps every batch's outcome, so 1,000,000 records hold ~1.4 GB of heap.
 * Speed is measured here and never asserted in tests.
 */
import { runScenario } from '../engine/index.ts';
import type { Scenario, Step } from '../engine/index.ts';
import type { BenchResult } from './run.ts';

const PARTITIONS = 12;
const CONSUMERS = 6;
const CHUNK = 10_000;

function pipeline(records: number): Scenario {
  const consumers = Array.from({ length: CONSUMERS }, (_, i) => `C${i}`);
  const steps: Step[] = consumers.map((c) => ({ join: { consumer: c } }));
  steps.push({ advanceTime: { ms: 3_000 } }, { poll: {} });
  for (let sent = 0; sent < records; sent += CHUNK) {
    const count = Math.min(CHUNK, records - sent);
    steps.push({ produce: { producer: 'P0', topic: 't0', count, key: `key-${sent}-{i}`, value: 'value-{i}' } });
    // 6 consumers × 500 records per poll: enough rounds to drain the chunk
    const rounds = Math.ceil(count / (CONSUMERS * 500)) + 1;
    for (let r = 0; r < rounds; r++) {
      steps.push({ poll: {} });
      for (const c of consumers) steps.push({ process: { consumer: c } }, { commit: { consumer: c } });
      steps.push({ advanceTime: { ms: 10 } });
    }
  }
  return {
    id: 'bench-pipeline',
    title: 'bench',
    summary: 'bench',
    seed: 1,
    brokers: 1,
    topics: [{ name: 't0', partitions: PARTITIONS }],
    producers: [{ id: 'P0' }],
    groups: [{ id: 'g1', assignor: 'range' }],
    consumers: consumers.map((id) => ({
      id,
      group: 'g1',
      topics: ['t0'],
      config: { enableAutoCommit: false, autoOffsetReset: 'earliest' as const },
    })),
    steps,
  };
}

function measure(records: number, trace: 'none' | 'full'): number {
  const scenario = pipeline(records);
  const start = performance.now();
  const { state } = runScenario(scenario, { trace, keepHistory: trace === 'full' });
  const seconds = (performance.now() - start) / 1000;
  const { produced, received, processed } = state.totals;
  if (produced !== records || received !== records || processed !== records) {
    throw new Error(`expected ${records} records produced, received and processed, got ${produced}, ${received}, ${processed}`);
  }
  const lag = state.snapshot.groups[0].totalLag;
  if (lag !== 0) throw new Error(`expected the group to end with lag 0, got ${lag}`);
  return records / seconds;
}

export async function run(): Promise<BenchResult[]> {
  measure(20_000, 'none'); // warm-up
  const full = measure(10_000, 'full');
  const records = Number(process.env.SIM_RECORDS ?? 1_000_000);
  const rate = measure(records, 'none');
  return [
    {
      name: `simulation: ${records.toLocaleString('en-US')} records, 12 partitions, 6 consumers`,
      value: rate,
      unit: 'records/s',
      note: "produced, consumed, processed and committed end to end; trace 'none'",
    },
    { name: 'simulation with a full trace: 10,000 records', value: full, unit: 'records/s', note: 'one snapshot per step' },
  ];
}
