/**
 * The `produce` step: records built from the step (one, a list, or `count` from `{i}` templates),
 * placed by the producer's partitioner, sent through the producer client — or, for a producer with a
 * transactionalId, written at once inside its open transaction (./transaction-steps.ts).
 *
 * Example: `produce: { producer: P0, topic: t0, count: 3, key: "user-{i%2}", value: "v{i}" }` sends
 * user-0/v0, user-1/v1, user-0/v2.
 */
import type { ProduceStep } from './authoring.ts';
import type { ProducerSlot, StepLog } from './run-state.ts';
import { ScenarioError } from './references.ts';
import type { TransactionSteps } from './transaction-steps.ts';
import { partitionLabel } from '../common/notation.ts';

/** above this many records, a produce step summarises per partition instead of one line per record */
const DETAIL_LINES = 20;

/** What the produce step reads and counts of the run. */
export interface ProduceRun {
  readonly producers: ReadonlyMap<string, ProducerSlot>;
  readonly transactions: TransactionSteps | null;
  readonly detailed: boolean;
  readonly nowMs: number;
  totals: { produced: number; received: number; processed: number };
}

function fill(template: string, i: number): string {
  return template.replace(/\{i(?:%(\d+))?\}/g, (_, mod: string | undefined) => String(mod ? i % Number(mod) : i));
}

export function runProduceStep(run: ProduceRun, p: ProduceStep, path: string, log: StepLog): string {
  const slot = run.producers.get(p.producer);
  if (!slot) throw new ScenarioError(path, `unknown producer ${JSON.stringify(p.producer)}`);
  const partitioner = slot.partitioners.get(p.topic);
  if (!partitioner) throw new ScenarioError(path, `unknown topic ${JSON.stringify(p.topic)}`);
  const records: { key: string | null; value: string | null; partition?: number; timestamp?: number }[] =
    p.records?.map((r) => ({ key: r.key ?? null, value: r.value, partition: r.partition, timestamp: r.timestamp })) ??
    (p.count !== undefined
      ? Array.from({ length: p.count }, (_, i) => ({
          key: p.key === undefined || p.key === null ? null : fill(p.key, i),
          value: p.value === undefined || p.value === null ? null : fill(p.value, i),
          partition: p.partition,
        }))
      : [{ key: p.key ?? null, value: p.value ?? null, partition: p.partition }]);
  const perPartition = new Map<number, number>();
  const acks = slot.producer.config.acks === -1 ? 'all' : String(slot.producer.config.acks);
  if (slot.transactional) return produceTransactional(run, p, slot, records, log);
  for (const r of records) {
    const ts = r.timestamp ?? run.nowMs;
    // the partitioner's clock is the send time; the record carries its CreateTime
    const decision = partitioner.send({ key: r.key, value: r.value, timestamp: run.nowMs, partition: r.partition ?? null });
    const { batchId } = slot.producer.send({ topic: p.topic, partition: decision.partition, key: r.key, value: r.value, timestamp: ts });
    run.totals.produced++;
    perPartition.set(decision.partition, (perPartition.get(decision.partition) ?? 0) + 1);
    if (run.detailed && records.length <= DETAIL_LINES) {
      const out = slot.producer.outcomes()[batchId - 1];
      const fate =
        out.status === 'delivered'
          ? out.offset === null
            ? 'sent (acks=0: no answer)'
            : `acked at offset ${out.offset}`
          : out.status === 'failed'
            ? `failed: ${out.error}`
            : 'awaiting acknowledgement';
      log.happened.push(
        `${p.producer}: key ${r.key ?? 'null'} → ${partitionLabel({ topic: p.topic, partition: decision.partition })} (${decision.via}), ${fate}`,
      );
    }
  }
  if (run.detailed && records.length > DETAIL_LINES) {
    const parts = [...perPartition]
      .sort((a, b) => a[0] - b[0])
      .map(([part, n]) => `${partitionLabel({ topic: p.topic, partition: part })}: ${n}`);
    log.happened.push(`${p.producer} spread ${records.length} records: ${parts.join(', ')}`);
  }
  if (records.length === 1) {
    const r = records[0];
    return `${p.producer} sends key ${r.key ?? 'null'}, value ${r.value ?? 'null (tombstone)'} to ${p.topic} (acks=${acks})`;
  }
  return `${p.producer} sends ${records.length} records to ${p.topic} (acks=${acks})`;
}

/** a transactional producer's sends: written at once inside its open transaction (stops at the first error) */
function produceTransactional(
  run: ProduceRun,
  p: ProduceStep,
  slot: ProducerSlot,
  records: { key: string | null; value: string | null; partition?: number }[],
  log: StepLog,
): string {
  const partitioner = slot.partitioners.get(p.topic)!;
  let written = 0;
  for (const r of records) {
    const decision = partitioner.send({ key: r.key, value: r.value, timestamp: run.nowMs, partition: r.partition ?? null });
    const tp = { topic: p.topic, partition: decision.partition };
    const offset = run.transactions!.send(slot, tp, { key: r.key, value: r.value, timestamp: run.nowMs }, log);
    if (log.error) break;
    written++;
    run.totals.produced++;
    if (run.detailed && records.length <= DETAIL_LINES)
      log.happened.push(
        `${p.producer}: key ${r.key ?? 'null'} → ${partitionLabel(tp)} (${decision.via}), written at offset ${offset ?? '?'} in an open transaction`,
      );
  }
  const tx = slot.transactional!;
  const what = records.length === 1 ? `key ${records[0].key ?? 'null'}, value ${records[0].value ?? 'null'}` : `${records.length} records`;
  return `${p.producer} (transactional.id ${tx.transactionalId}, epoch ${tx.producerEpoch}) sends ${what} to ${p.topic}${log.error ? ` — ${written ? `${written} written, then ` : ''}refused` : ' inside its transaction'}`;
}
