/**
 * Checkpoint `high-watermark`: the leader's bookkeeping for one partition — follower fetches, the
 * ISR shrinking and growing with replica.lag.time.max.ms, the high watermark as the minimum
 * logEndOffset over the ISR (frozen below min.insync.replicas since Kafka 3.7), and acks=all answers
 * once the high watermark passes the record.
 *
 * The tests are simulations: each case is a timeline (produces, fetches, waits, follower failures and
 * returns) played on the engine's own partition model (./timeline.ts, a Cluster from engine/index.ts)
 * while the learner's `onEvent` sees the same events; after each one, the learner's ISR, high
 * watermark and answers must be the engine's. The first difference is named in Kafka's terms
 * (./judge.ts) and the timeline comes back as a scenario to replay (./replay.ts). Named stories tell
 * the lesson's cases; generated timelines (fast-check, shrunk) look for the rest.
 */
import * as fc from 'fast-check';
import { defineExercise, type Plain, type SimulationCall, type SimulationTest, type SimulationVerdict } from '../../grader/index.ts';
import { configOf, formatCase, initialState, playOnEngine, type Case, type Expected, type Op } from './timeline.ts';
import { InvalidResult, judge, readResult, type LearnerView } from './judge.ts';
import { replayScenario } from './replay.ts';

const FNS = ['onEvent'];

const summary = (isr: number[], hw: number, responses: { requestId: number; error: string; offset: number | null }[]) =>
  `ISR [${isr.join(', ')}], HW ${hw}${responses.length ? `; answered ${responses.map((r) => `request ${r.requestId} ${r.error}${r.offset !== null ? ` (offset ${r.offset})` : ''}`).join(', ')}` : ''}`;

/** Play one case with the learner's onEvent; the verdict names the first difference from the engine. */
export function runCase(call: SimulationCall, c: Case, title: string): SimulationVerdict | undefined {
  const config = configOf(c);
  const played = playOnEngine(c);
  let state = initialState(c);
  let previousHw = 0;
  let previousLeo = 0;
  const requestOffsets = new Map<number, number>();
  for (let i = 0; i < played.length; i++) {
    const p = played[i];
    const exp: Expected = p.expected;
    if (p.event === null) continue;
    if (p.event.type === 'produce' && exp.logEndOffset > previousLeo) requestOffsets.set(p.event.requestId, previousLeo);
    previousLeo = exp.logEndOffset;
    let view: LearnerView;
    try {
      const r = readResult(call('onEvent', [config as unknown as Plain, state as Plain, p.event as unknown as Plain]));
      state = r.state;
      view = r.view;
    } catch (error) {
      if (error instanceof InvalidResult) return { message: `At step ${i + 1} (${p.line}): ${error.message}`, errorKind: 'invalid-result' };
      throw error;
    }
    const message = judge(p.event, exp, view, previousHw, { ...config, replicationFactor: c.replicationFactor }, requestOffsets);
    if (message !== null) {
      return {
        message: `At step ${i + 1} (${p.line}): ${message}`,
        expected: summary(exp.isr, exp.highWatermark, exp.responses),
        actual: summary(view.isr, view.highWatermark, view.responses),
        replay: replayScenario(c, p.op, message, `Replay: ${title}`),
      };
    }
    previousHw = view.highWatermark;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Cases.

const fetchAll = (c: number, times = 1): Op[] =>
  Array.from({ length: times }, () => Array.from({ length: c - 1 }, (_, i): Op => ({ fetch: i + 1 }))).flat();

/** Generated timelines: RF 3 or 4, min.insync.replicas 1 … RF, up to `maxOps` steps. */
export function caseArbitrary(maxOps: number): fc.Arbitrary<Case> {
  return fc
    .record({ replicationFactor: fc.constantFrom(3, 3, 4), minIsr: fc.integer({ min: 1, max: 3 }) })
    .chain(({ replicationFactor, minIsr }) => {
      const follower = fc.integer({ min: 1, max: replicationFactor - 1 });
      const op: fc.Arbitrary<Op> = fc.oneof(
        { weight: 3, arbitrary: fc.constant<Op>({ produce: true }) },
        { weight: 6, arbitrary: follower.map((b): Op => ({ fetch: b })) },
        { weight: 2, arbitrary: fc.constantFrom(1000, 5000, 15000, 20000).map((ms): Op => ({ waitMs: ms })) },
        { weight: 1, arbitrary: follower.map((b): Op => ({ down: b })) },
        { weight: 1, arbitrary: follower.map((b): Op => ({ up: b })) },
      );
      return fc.array(op, { minLength: 1, maxLength: maxOps }).map((ops) => ({ replicationFactor, minInsyncReplicas: minIsr, ops }));
    });
}

function story(id: string, title: string, c: Case): SimulationTest<Case> {
  return {
    kind: 'simulation',
    id,
    title,
    fns: FNS,
    arbitrary: fc.constant(c),
    numRuns: 1,
    run: (call, args) => runCase(call, args, title),
    formatArgs: formatCase,
  };
}

function generated(id: string, title: string, maxOps: number, numRuns: number, hidden = false): SimulationTest<Case> {
  return {
    kind: 'simulation',
    id,
    title,
    hidden,
    fns: FNS,
    arbitrary: caseArbitrary(maxOps),
    numRuns,
    run: (call, args) => runCase(call, args, title),
    formatArgs: formatCase,
  };
}

export const stories: SimulationTest<Case>[] = [
  story('two-records-two-fetch-rounds', 'RF 3, min ISR 2: two records, then every follower fetches twice', {
    replicationFactor: 3,
    minInsyncReplicas: 2,
    ops: [{ produce: true }, { produce: true }, ...fetchAll(3, 2)],
  }),
  story('stalled-follower-leaves-the-isr', 'RF 3, min ISR 2: broker 2 stops fetching; 45 s later it is out and writes commit without it', {
    replicationFactor: 3,
    minInsyncReplicas: 2,
    ops: [
      { produce: true },
      ...fetchAll(3, 2),
      { produce: true },
      { fetch: 1 },
      { fetch: 1 },
      { waitMs: 20000 },
      { waitMs: 25000 },
      { produce: true },
      { fetch: 1 },
      { fetch: 1 },
    ],
  }),
  story('failed-follower-far-behind', 'RF 3, min ISR 1: broker 2 fails two records behind; the others go on', {
    replicationFactor: 3,
    minInsyncReplicas: 1,
    ops: [
      { produce: true },
      ...fetchAll(3, 2),
      { down: 2 },
      { produce: true },
      { produce: true },
      { fetch: 1 },
      { fetch: 1 },
      { up: 2 },
      { fetch: 2 },
      { fetch: 2 },
    ],
  }),
  story('two-followers-fail-min-isr-2', 'RF 3, min ISR 2: broker 1 fails, a record waits, broker 2 fails too; then a new write', {
    replicationFactor: 3,
    minInsyncReplicas: 2,
    ops: [{ produce: true }, ...fetchAll(3, 2), { down: 1 }, { produce: true }, { down: 2 }, { produce: true }],
  }),
];

export const generatedTests: SimulationTest<Case>[] = [
  generated('generated-timelines', 'generated timelines: produces, fetches, waits, follower failures and returns (RF 3–4)', 15, 150),
  generated('generated-long-timelines', 'generated long timelines (up to 40 steps)', 40, 100, true),
];

export default defineExercise({
  id: 'high-watermark',
  title: 'The high watermark',
  lesson: '04-replication',
  exports: FNS,
  objectives: [
    "Track each follower's logEndOffset from its fetches, and know that the leader learns a follower has a record only at its next fetch.",
    'Shrink the ISR by followers lagging more than replica.lag.time.max.ms or down, and grow it by followers that reach the high watermark.',
    'Compute the high watermark as the minimum logEndOffset over the ISR, only forwards, and not at all while the ISR is below min.insync.replicas (Kafka 3.7+).',
    'Acknowledge an acks=all write only once the high watermark has passed it, and refuse it with NOT_ENOUGH_REPLICAS while the ISR is too small.',
  ],
  hints: [
    'Start with produce and fetch. A produce appends one record at `state.logEndOffset` and waits; a fetch sets `state.followers[broker].logEndOffset = fetchOffset`. After every event, recompute the high watermark and answer the waiting requests it has passed.',
    'The high watermark is the **minimum** logEndOffset over the leader and the followers **in the ISR** — not every follower, not the maximum. A follower out of the ISR must not hold it back. And it never goes down: take the new value only if it is higher.',
    'Before recomputing, check the ISR size: while `state.isr.length < Math.min(config.minInsyncReplicas, config.replicas.length)`, Kafka 3.7+ leaves the high watermark where it is. The same check refuses a produce with NOT_ENOUGH_REPLICAS (and appends nothing).',
    "The ISR: `broker-down` removes the broker. `isr-check` removes every follower that is neither at the leader's logEndOffset nor caught up within `replicaLagTimeMaxMs` (`event.timeMs - lastCaughtUpTimeMs > replicaLagTimeMaxMs`). A fetch at ≥ the high watermark brings a follower back. lastCaughtUpTimeMs: a fetch at ≥ the leader's logEndOffset sets it to the fetch's time; a fetch at ≥ the leader's logEndOffset *at the previous fetch* sets it to the previous fetch's time.",
    'About forty lines: a `switch (event.type)` that updates the state, then a helper that recomputes the high watermark (min over the ISR, forwards only, not below min ISR) and one that answers every waiting request whose offset is below it: `{ requestId, error: "NONE", offset }`.',
  ],
  mistakes: [
    {
      file: 'mistakes/hw-as-maximum.ts',
      description: 'the high watermark as the maximum logEndOffset instead of the minimum',
      caughtBy: 'two-records-two-fetch-rounds',
    },
    {
      file: 'mistakes/counts-replicas-outside-isr.ts',
      description: 'the minimum over every follower, in the ISR or not',
      caughtBy: 'failed-follower-far-behind',
    },
    {
      file: 'mistakes/never-shrinks-isr.ts',
      description: 'ignores the ISR check: a lagging follower stays in the ISR for ever',
      caughtBy: 'stalled-follower-leaves-the-isr',
    },
    {
      file: 'mistakes/hw-under-min-isr.ts',
      description: 'advances the high watermark while the ISR is below min.insync.replicas (the pre-3.7 rule)',
      caughtBy: 'two-followers-fail-min-isr-2',
    },
    {
      file: 'mistakes/hw-moves-backwards.ts',
      description: 'sets the high watermark to the minimum over the ISR even when that is lower',
      caughtBy: 'two-records-two-fetch-rounds',
    },
    {
      file: 'mistakes/ack-before-hw.ts',
      description: 'acknowledges an acks=all write as soon as it is appended',
      caughtBy: 'two-records-two-fetch-rounds',
    },
  ],
  tests: [...stories, ...generatedTests],
});
