/**
 * The `replicate` engine query (quiz-answers.ts): a replication story played by the engine's scenario
 * runner at build time, asked about at the end — lesson 4's computable questions.
 *
 * ```yaml
 * { engine: replicate, replicationFactor: 3, minInsyncReplicas: 2, kafkaVersion: '3.6',
 *   producers: { P0: { acks: 1 } }, steps: [...scenario steps...], ask: highWatermark }
 * ```
 * The story: brokers 0 … replicationFactor−1 (or `brokers`), topic t0 with one partition on all of
 * them (broker 0 leads), `minInsyncReplicas` / `uncleanLeaderElectionEnable` as topic configs, the
 * cluster at `kafkaVersion` (default the newest) with `eligibleLeaderReplicasEnable` if given, the
 * producers (id → producer config, default `{ P0: {} }`); `steps` are scenario steps. It asks, at the end:
 * - `highWatermark` / `logEndOffset`: t0p0's (the leader's);
 * - `leader`: the leader's broker id, −1 when the partition is offline;
 * - `isrSize`: how many replicas are in the ISR;
 * - `acked` / `failed`: how many sends (of `producer`, default all) were acknowledged / failed for good;
 * - `ackedLost`: how many acknowledged sends are not in t0p0's log at the end.
 * The query's schema and its scenario: content/schema/engine-query.ts (`replicateQuery`, `replicateScenario`).
 * Explanation variables: highWatermark, logEndOffset, leader, isr, elr, acked, failed, lost, errors.
 */
import { runScenario } from '../../engine/index.ts';
import { replicateScenario, type ReplicateQuery } from '../../content/schema/engine-query.ts';

/** Play the story and answer. @throws Error when asking about a producer the story does not have */
export function replicateResult(query: ReplicateQuery): {
  value: number;
  working: string[];
  vars: Record<string, string | number>;
} {
  const { state } = runScenario(replicateScenario(query));
  const p = state.snapshot.partitions.find((x) => x.label === 't0p0')!;
  const producers = Object.keys(state.deliveries);
  if (query.producer !== undefined && !producers.includes(query.producer)) {
    throw new Error(`replicate query: no producer ${query.producer}; expected one of ${producers.join(', ')}`);
  }
  const sends = Object.entries(state.deliveries)
    .filter(([id]) => query.producer === undefined || id === query.producer)
    .flatMap(([, ds]) => ds);
  const acked = sends.filter((d) => d.status === 'acked');
  const failed = sends.filter((d) => d.status === 'failed');
  const log = state.logs.t0p0 ?? [];
  const lost = acked.filter((d) => !log.some((r) => r.offset === d.offset && r.value === d.value));
  const errors = [...new Set(sends.map((d) => d.error).filter((e): e is string => e !== null))];
  const list = (xs: readonly number[]) => `[${xs.join(', ')}]`;
  const working = [
    `t0p0 at the end: leader ${p.leader ?? 'none (offline)'}, ISR ${list(p.isr)}${p.elr ? `, eligible leader replicas ${list(p.elr)}` : ''}, high watermark ${p.highWatermark}, log end offset ${p.logEndOffset}`,
    `sends: ${acked.length} acknowledged, ${failed.length} failed${errors.length ? ` (errors seen: ${errors.join(', ')})` : ''}; acknowledged but not in the log: ${lost.length ? lost.map((d) => d.value).join(', ') : 'none'}`,
  ];
  const values: Record<ReplicateQuery['ask'], number> = {
    highWatermark: p.highWatermark,
    logEndOffset: p.logEndOffset,
    leader: p.leader ?? -1,
    isrSize: p.isr.length,
    acked: acked.length,
    failed: failed.length,
    ackedLost: lost.length,
  };
  return {
    value: values[query.ask],
    working,
    vars: {
      highWatermark: p.highWatermark,
      logEndOffset: p.logEndOffset,
      leader: p.leader === null ? 'none' : p.leader,
      isr: list(p.isr),
      elr: list(p.elr ?? []),
      acked: acked.length,
      failed: failed.length,
      lost: lost.length,
      errors: errors.length ? errors.join(', ') : 'none',
    },
  };
}
