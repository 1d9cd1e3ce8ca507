/**
 * Checkpoint `commit-logic`: the commit decisions of a consumer's poll loop — what to commit, when, and
 * what to do when partitions are revoked or a commit fails — for at-least-once with bounded redelivery.
 *
 * The tests are simulations: the engine (`runCommitLoop`) runs a consumer group over t0 with a fault
 * schedule — crashes at any step (mid-batch too), a member joining in the middle of the work, failing
 * commits, a batch slower than max.poll.interval.ms — and calls the learner's four exports at each
 * decision point (the grader's `call`). The engine's checks name the first anomaly in Kafka's terms
 * (`C0 committed t0p0 → 3 in onBatch, before the batch was processed: …`); the reference solution on the
 * same schedule is the oracle for "expected"; the failing run comes back as a scenario to replay.
 *
 * Named stories (one fixed schedule each) tell the lesson's cases; generated schedules (fast-check,
 * shrunk on failure) look for the rest.
 */
import * as fc from 'fast-check';
import { CommitLoopError, commitLoopScenario, describeOp, formatTp, plural, pluralWord, runCommitLoop } from '../../engine/index.ts';
import type { CommitDecisions, CommitLoopResult, CommitLoopWorld, LoopOp, OffsetMap, TopicPartition } from '../../engine/index.ts';
import { defineExercise, type Plain, type SimulationCall, type SimulationTest, type SimulationVerdict } from '../../grader/index.ts';
import * as reference from './solution.ts';

export const TOPIC = 't0';
export const MEMBERS = ['C0', 'C1', 'C2'] as const;
const FNS = ['onBatch', 'onProcessed', 'onPartitionsRevoked', 'onCommitFailed'];

/** One case: the world and the fault schedule. */
export interface Case {
  world: CommitLoopWorld;
  schedule: LoopOp[];
}

export function world(
  recordsPerPartition: number[],
  initialMembers: number,
  maxPollRecords: number,
  members: readonly string[] = MEMBERS,
): CommitLoopWorld {
  return { topic: TOPIC, recordsPerPartition, members: [...members], initialMembers, maxPollRecords };
}

// ---------------------------------------------------------------------------------------------
// Calling the learner: the four decisions, with their results checked for shape.

/** A result of the wrong shape: the test is an `error` (invalid-result) with this message. */
export class InvalidDecision extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidDecision';
  }
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);

/** Check a returned offset map; `partitions` is the partition count of t0. */
export function checkOffsetMap(fn: string, commit: unknown, partitions: number): OffsetMap | undefined {
  if (commit === undefined || commit === null) return undefined;
  if (!isObject(commit)) return bad(`${fn} returned commit = ${describe(commit)}; expected an offset map like { 't0-1': { offset: 6 } }`);
  for (const [k, v] of Object.entries(commit)) {
    const m = /^t0-(\d+)$/.exec(k);
    if (!m || Number(m[1]) >= partitions) {
      const hint = /^t0p\d+$/.test(k)
        ? ` (t0p1 is how the lesson writes it; the map key is Kafka's TopicPartition.toString(), "t0-${k.slice(3)}")`
        : '';
      return bad(
        `${fn} returned a commit for ${JSON.stringify(k)}: keys are \`\${topic}-\${partition}\` of a partition of t0 (t0-0 … t0-${partitions - 1})${hint}`,
      );
    }
    if (typeof v === 'number')
      return bad(`${fn} returned commit[${JSON.stringify(k)}] = ${v}; each value is an OffsetAndMetadata: { offset: ${v} }`);
    if (!isObject(v) || typeof v.offset !== 'number' || !Number.isInteger(v.offset) || v.offset < 0) {
      return bad(
        `${fn} returned commit[${JSON.stringify(k)}] = ${describe(v)}; expected { offset: n } with n a non-negative integer (the next offset to read)`,
      );
    }
  }
  return commit as OffsetMap;
}

function bad(message: string): never {
  throw new InvalidDecision(message);
}

function describe(v: unknown): string {
  if (v === undefined) return 'undefined';
  try {
    const s = JSON.stringify(v);
    return s.length > 60 ? `${s.slice(0, 60)}…` : s;
  } catch {
    return String(v);
  }
}

function result(fn: string, value: unknown): Record<string, unknown> {
  if (!isObject(value))
    return bad(`${fn} returned ${describe(value)}; expected an object { state, … } (return the next state even when nothing changes)`);
  if (!('state' in value) || value.state === undefined)
    return bad(`${fn} returned no state; return { state, … }: the state you return is what the next call gets`);
  return value;
}

/** The learner's exports, called through the grader, as the engine's decisions. */
export function learnerDecisions(call: SimulationCall, partitions: number): CommitDecisions {
  return {
    onBatch(_m, state, records) {
      const r = result('onBatch', call('onBatch', [state as Plain, records as unknown as Plain]));
      if (r.handOff !== undefined && typeof r.handOff !== 'boolean')
        bad(`onBatch returned handOff = ${describe(r.handOff)}; expected true, false or nothing`);
      return { state: r.state, commit: checkOffsetMap('onBatch', r.commit, partitions), handOff: r.handOff === true };
    },
    onProcessed(_m, state, records) {
      const r = result('onProcessed', call('onProcessed', [state as Plain, records as unknown as Plain]));
      return { state: r.state, commit: checkOffsetMap('onProcessed', r.commit, partitions) };
    },
    onPartitionsRevoked(_m, state, tps) {
      const r = result('onPartitionsRevoked', call('onPartitionsRevoked', [state as Plain, tps as unknown as Plain]));
      return { state: r.state, commit: checkOffsetMap('onPartitionsRevoked', r.commit, partitions) };
    },
    onCommitFailed(_m, state, error) {
      const r = result('onCommitFailed', call('onCommitFailed', [state as Plain, error as unknown as Plain]));
      return { state: r.state };
    },
  };
}

/** The reference solution as the engine's decisions: the oracle. Its state is copied like the sandbox's. */
export const referenceDecisions: CommitDecisions = {
  onBatch: (_m, state, records) => reference.onBatch(copy(state) as never, copy(records)),
  onProcessed: (_m, state, records) => reference.onProcessed(copy(state) as never, copy(records)),
  onPartitionsRevoked: (_m, state, tps) => reference.onPartitionsRevoked(copy(state) as never, copy(tps) as TopicPartition[]),
  onCommitFailed: (_m, state, error) => reference.onCommitFailed(copy(state) as never, copy(error)),
};

function copy<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

// ---------------------------------------------------------------------------------------------
// The verdict.

/** `committed t0p0 → 3, t0p1 → none · 6 records processed, t0p0@0 twice` */
export function summarize(w: CommitLoopWorld, r: CommitLoopResult): string {
  const committed = r.committed.map((c, p) => `${formatTp({ topic: w.topic, partition: p })} → ${c ?? 'none'}`).join(', ');
  const twice = r.processedCount.flatMap((list, p) =>
    list.flatMap((n, o) => (n > 1 ? [`${formatTp({ topic: w.topic, partition: p })}@${o} ×${n}`] : [])),
  );
  const processed = r.processedCount.reduce((sum, list) => sum + list.filter((n) => n > 0).length, 0);
  const total = w.recordsPerPartition.reduce((a, b) => a + b, 0);
  return `committed ${committed} · ${processed} of ${total} records processed${twice.length ? `; again after a crash or removal: ${twice.join(', ')}` : ', none twice'}`;
}

/** Run one case with the learner's decisions; the verdict names the first anomaly. */
export function runCase(call: SimulationCall, c: Case, title: string): SimulationVerdict | undefined {
  let run: CommitLoopResult;
  try {
    run = runCommitLoop(c.world, c.schedule, learnerDecisions(call, c.world.recordsPerPartition.length));
  } catch (error) {
    if (error instanceof InvalidDecision) return { message: error.message, errorKind: 'invalid-result' };
    if (error instanceof CommitLoopError) throw new Error(error.message, { cause: error }); // a bug in the schedule: the exercise's
    throw error; // SimulationCallError: the grader reports it
  }
  if (!run.anomaly) return undefined;
  // a lost record is the consequence the rules warn about: when it happened, it is the headline
  const shown = run.anomalies.find((a) => a.kind === 'lost-record') ?? run.anomaly;
  const oracle = runCommitLoop(c.world, c.schedule, referenceDecisions);
  const at = run.events[run.anomaly.event]?.op ?? -1;
  const where =
    at >= 0 && at < c.schedule.length
      ? `schedule step ${at + 1} (${describeOp(c.schedule[at])})`
      : at >= c.schedule.length
        ? 'the final drain (no faults)'
        : 'the start';
  return {
    message: shown.message,
    expected: `no anomaly; ${summarize(c.world, oracle)}`,
    actual: `first anomaly at ${where}; at the end: ${summarize(c.world, run)}`,
    // the first anomaly, the headline and at most two more are named in the replay, each at its step
    replay: commitLoopScenario(
      c.world,
      c.schedule,
      run.events,
      [...new Set([run.anomaly, shown, ...run.anomalies.slice(1, 3)])].sort((a, b) => a.event - b.event),
      { title: `Replay: ${title}`, summary: shown.message },
    ),
  };
}

// ---------------------------------------------------------------------------------------------
// Notation: the case, as the learner reads it.

/**
 *   t0: 2 partitions — t0p0@0..2, t0p1@0..1 · max.poll.records 2
 *   group: C0, C1 at the start; C2 joins at its first poll
 *   schedule:
 *     1. C0 polls
 *     2. C1 crashes
 *   then: no faults; every consumer polls until nothing is left, and closes
 */
export function formatCase(c: Case): string {
  const w = c.world;
  const tp = (p: number) => formatTp({ topic: w.topic, partition: p });
  const parts = w.recordsPerPartition.map((n, p) => (n === 0 ? `${tp(p)} empty` : n === 1 ? `${tp(p)}@0` : `${tp(p)}@0..${n - 1}`));
  const initial = w.members.slice(0, w.initialMembers);
  const later = w.members.slice(w.initialMembers).filter((m) => c.schedule.some((op) => Object.values(op).includes(m)));
  const lines = [
    `${w.topic}: ${plural(w.recordsPerPartition.length, 'partition')} — ${parts.join(', ')} · max.poll.records ${w.maxPollRecords}`,
    `group: ${initial.join(', ')} at the start${later.length ? `; ${later.join(', ')} ${pluralWord(later.length, 'joins at its', 'join at their')} first poll` : ''}`,
    c.schedule.length ? 'schedule:' : 'schedule: (empty)',
    ...c.schedule.map((op, i) => `  ${i + 1}. ${describeOp(op)}`),
    'then: no faults; every consumer polls until nothing is left, and closes',
  ];
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Generated cases.

const member = (n: number) => fc.constantFrom(...MEMBERS.slice(0, n));

/** The world: t0 with 1–3 partitions of 0–5 records, max.poll.records 1–3, 1–2 members at the start. */
export function worldArbitrary(maxInitial = 2): fc.Arbitrary<CommitLoopWorld> {
  return fc
    .record({
      records: fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 3 }),
      initial: fc.integer({ min: 1, max: maxInitial }),
      maxPoll: fc.integer({ min: 1, max: 3 }),
    })
    .map(({ records, initial, maxPoll }) => world(records, initial, maxPoll));
}

export type Family = 'crashes' | 'rebalances' | 'slow' | 'everything';

/** The schedule's steps, weighted per family of faults. */
export function opArbitrary(family: Family): fc.Arbitrary<LoopOp> {
  const poll = { weight: 8, arbitrary: member(3).map((m): LoopOp => ({ poll: m })) };
  const work = { weight: 2, arbitrary: member(3).map((m): LoopOp => ({ work: m })) };
  const crashMid = {
    weight: 2,
    arbitrary: fc.tuple(member(3), fc.integer({ min: 0, max: 2 })).map(([m, k]): LoopOp => ({ poll: m, crashAfter: k })),
  };
  const crash = { weight: 2, arbitrary: member(3).map((m): LoopOp => ({ crash: m })) };
  const fail = { weight: 2, arbitrary: member(3).map((m): LoopOp => ({ failNextCommit: m })) };
  // one member may be slow per schedule (the replay gives it alone a short max.poll.interval.ms)
  const slow = { weight: 2, arbitrary: fc.constant<LoopOp>({ slowNextBatch: 'C0' }) };
  switch (family) {
    case 'crashes':
      return fc.oneof(poll, work, crashMid, crash);
    case 'rebalances':
      return fc.oneof(poll, work, fail);
    case 'slow':
      return fc.oneof(poll, slow, fail);
    case 'everything':
      return fc.oneof(poll, work, crashMid, crash, fail, slow);
  }
}

export function caseArbitrary(family: Family, maxLength: number): fc.Arbitrary<Case> {
  return fc.record({ world: worldArbitrary(), schedule: fc.array(opArbitrary(family), { minLength: 1, maxLength }) });
}

// ---------------------------------------------------------------------------------------------
// The tests.

function story(id: string, title: string, c: Case, hidden = false): SimulationTest<Case> {
  return {
    kind: 'simulation',
    id,
    title,
    hidden,
    fns: FNS,
    arbitrary: fc.constant(c),
    numRuns: 1,
    run: (call, args) => runCase(call, args, title),
    formatArgs: formatCase,
  };
}

function generated(id: string, title: string, family: Family, numRuns: number, hidden = false): SimulationTest<Case> {
  return {
    kind: 'simulation',
    id,
    title,
    hidden,
    fns: FNS,
    arbitrary: caseArbitrary(family, 12),
    numRuns,
    run: (call, args) => runCase(call, args, title),
    formatArgs: formatCase,
  };
}

export const stories: SimulationTest<Case>[] = [
  story('one-consumer-no-faults', 'C0 alone reads t0 (2 partitions) in batches of 2, with no faults', {
    world: world([3, 2], 1, 2),
    schedule: [{ poll: 'C0' }, { poll: 'C0' }, { poll: 'C0' }],
  }),
  story('crash-in-the-middle-of-a-batch', 'C0 crashes after processing 1 record of a batch of 3, then restarts', {
    world: world([5], 1, 3),
    schedule: [{ poll: 'C0', crashAfter: 1 }, { poll: 'C0' }, { poll: 'C0' }],
  }),
  story('crash-while-the-worker-is-busy', 'C0 polls twice, then crashes before anything more is processed', {
    world: world([4], 1, 2),
    schedule: [{ poll: 'C0' }, { poll: 'C0' }, { crash: 'C0' }],
  }),
  story('a-member-joins-mid-work', 'C1 joins while C0 works through t0p0 and t0p1: t0p1 moves to C1', {
    world: world([3, 3], 1, 2),
    schedule: [{ poll: 'C0' }, { poll: 'C0' }, { poll: 'C1' }, { poll: 'C0' }, { poll: 'C1' }, { poll: 'C0' }],
  }),
  story('commit-fails-then-rebalance', "C0's commit of t0p1 fails, then C1 joins and takes t0p1", {
    world: world([2, 2], 1, 2),
    schedule: [{ poll: 'C0' }, { failNextCommit: 'C0' }, { poll: 'C0' }, { poll: 'C1' }, { poll: 'C0' }, { poll: 'C1' }],
  }),
  story(
    'slow-batch-past-max-poll-interval',
    'C0 takes longer than max.poll.interval.ms over its second batch: the group removes it, C1 takes over',
    {
      world: world([3, 2], 1, 2),
      schedule: [
        { poll: 'C0' },
        { slowNextBatch: 'C0' },
        { poll: 'C0' },
        { poll: 'C1' },
        { poll: 'C1' },
        { poll: 'C0' },
        { poll: 'C1' },
        { poll: 'C0' },
      ],
    },
  ),
];

export const generatedTests: SimulationTest<Case>[] = [
  generated('generated-crashes', 'generated schedules: crashes at any step, mid-batch too (1–3 partitions, 1–3 consumers)', 'crashes', 100),
  generated('generated-rebalances-and-failed-commits', 'generated schedules: members joining, workers, failing commits', 'rebalances', 100),
  generated('generated-slow-batches', 'generated schedules: batches slower than max.poll.interval.ms, failing commits', 'slow', 100),
  generated('generated-everything', 'generated schedules: every fault at once', 'everything', 150, true),
];

export default defineExercise({
  id: 'commit-logic',
  title: 'Commit logic',
  lesson: '03-offsets-and-commits',
  exports: FNS,
  objectives: [
    'Commit offsets only after the records are processed, and commit the next offset to read: last processed + 1.',
    'Explain why handing a batch to a worker and committing at once is at-most-once, and when a commit after processing runs.',
    "Commit in onPartitionsRevoked, so a partition's next owner processes nothing twice after a rebalance.",
    'Commit only the partitions a consumer owns, and forget the partitions it lost when a CommitFailedException says the group moved on.',
    'Tell which redeliveries at-least-once allows (after a crash or a removal, from the last successful commit) and which it does not.',
  ],
  hints: [
    'Start with the happy path: one consumer, nothing goes wrong. Which of your four functions runs *after* the records are processed? That is the only safe place to commit them.',
    "Kafka's committed offset is the **next** record to read. After processing t0p1@5, commit `{ 't0-1': { offset: 6 } }`. Keep, in your state, the next offset of every partition you have processed: `state.processed['t0-1'] = { offset: r.offset + 1 }`.",
    'A commitAsync can fail, and nothing retries it. If you commit all of `state.processed` every time, the next commit carries the failed one too. But when a rebalance takes a partition away, there may be no "next time": commit what you processed of the revoked partitions in onPartitionsRevoked (that commit is commitSync).',
    "After onPartitionsRevoked, those partitions are someone else's: delete them from your state, or your next commit moves their new owner's committed offset back. The same holds after a `CommitFailedException`: the group removed this consumer and gave all its partitions away (no onPartitionsRevoked comes) — start from an empty state. A `RetriableCommitFailedException` changes nothing: you still own the partitions.",
    'The whole solution is about twenty lines: onBatch returns `{ state }`; onProcessed records `offset + 1` for each record and returns `{ state, commit: state.processed }`; onPartitionsRevoked commits and deletes the revoked keys; onCommitFailed resets the state on `CommitFailedException` only.',
  ],
  mistakes: [
    {
      file: 'mistakes/commit-before-processing.ts',
      description: 'commits in onBatch, as soon as poll() returns, before the batch is processed',
      caughtBy: 'crash-in-the-middle-of-a-batch',
    },
    {
      file: 'mistakes/commit-last-processed-offset.ts',
      description: 'commits the last processed offset instead of last processed + 1',
      caughtBy: 'one-consumer-no-faults',
    },
    {
      file: 'mistakes/no-commit-on-revoke.ts',
      description: 'commits nothing in onPartitionsRevoked, relying on the commit after each batch',
      caughtBy: 'commit-fails-then-rebalance',
    },
    {
      file: 'mistakes/commit-revoked-partitions.ts',
      description: 'keeps revoked partitions in its state and commits them again later',
      caughtBy: 'a-member-joins-mid-work',
    },
    {
      file: 'mistakes/commit-after-hand-off.ts',
      description: 'hands the batch to a worker and commits it at once, before the worker processed it',
      caughtBy: 'crash-while-the-worker-is-busy',
    },
    {
      file: 'mistakes/ignore-commit-failed.ts',
      description: 'catches CommitFailedException and carries on as if committed, keeping the lost partitions',
      caughtBy: 'slow-batch-past-max-poll-interval',
    },
  ],
  tests: [...stories, ...generatedTests],
});
