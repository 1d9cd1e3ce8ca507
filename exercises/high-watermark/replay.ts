/**
 * A `high-watermark` case as a scenario the scenario player shows step by step: the same brokers and
 * topic, followers that fetch only in `fetch` steps (followerFetching "fetch-steps"), one produce step
 * per acks=all request (no request timeout), `advanceTime` for waits (the ISR checks run on the way),
 * brokerDown / brokerUp; a note right before the step where the learner's bookkeeping first went
 * wrong names what went wrong. The engine plays it: the player shows what Kafka does.
 *
 * Example: ops [produce, fetch 1] with a learner who acknowledged at once →
 *   note (setup), note "Anomaly — …", produce r0, fetch broker 1, note (what Kafka does instead).
 */
import type { Scenario } from '../../engine/index.ts';
import type { Case } from './timeline.ts';
import { REPLICA_LAG_TIME_MAX_MS } from './timeline.ts';

type Step = Scenario['steps'][number];

/**
 * @param anomalyAtOp the index of the op where the first difference appeared
 * @param message the failure, in Kafka's terms
 */
export function replayScenario(c: Case, anomalyAtOp: number, message: string, title: string): Scenario {
  const steps: Step[] = [
    {
      note: `t0p0 on brokers ${Array.from({ length: c.replicationFactor }, (_, i) => i).join(', ')}; broker 0 leads; min.insync.replicas ${c.minInsyncReplicas}; replica.lag.time.max.ms ${REPLICA_LAG_TIME_MAX_MS}. Followers fetch only when the timeline says so; every produce is acks=all with one record.`,
    },
  ];
  let produced = 0;
  c.ops.forEach((op, i) => {
    if (i === anomalyAtOp) steps.push({ note: `Anomaly in your bookkeeping at the next step — ${message}` });
    if ('produce' in op) steps.push({ produce: { producer: 'P0', topic: 't0', key: 'k', value: `r${produced++}` } });
    else if ('fetch' in op) steps.push({ fetch: { broker: op.fetch } });
    else if ('waitMs' in op) steps.push({ advanceTime: { ms: op.waitMs } });
    else if ('down' in op) steps.push({ brokerDown: { broker: op.down } });
    else steps.push({ brokerUp: { broker: op.up } });
    if (i === anomalyAtOp)
      steps.push({ note: 'This is what Kafka does here: look at the ISR, the high watermark and the answers in the snapshot.' });
  });
  return {
    id: 'high-watermark-replay',
    title,
    summary: message,
    seed: 1,
    brokers: c.replicationFactor,
    cluster: { followerFetching: 'fetch-steps', replicaLagTimeMaxMs: REPLICA_LAG_TIME_MAX_MS },
    topics: [{ name: 't0', partitions: 1, replicationFactor: c.replicationFactor, configs: { minInsyncReplicas: c.minInsyncReplicas } }],
    producers: [
      {
        id: 'P0',
        config: {
          acks: 'all',
          enableIdempotence: false,
          retries: 0,
          maxInFlightRequestsPerConnection: 1000,
          requestTimeoutMs: 3_600_000,
          deliveryTimeoutMs: 3_600_000,
        },
      },
    ],
    steps,
  };
}
