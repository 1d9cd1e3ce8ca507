/**
 * Checkpoint `reconcile`: the member side of KIP-848 — one member's reconciliation step towards its
 * target assignment (keep, revoke now, receive now, next state and memberEpoch).
 *
 * The tests are simulations: the engine plays a consumer-protocol group's membership story (members
 * join, poll, leave and crash; time passes; heartbeats every 5 s) with `runReconcileStory`, recording
 * every reconciliation step the coordinator takes. Each step's input goes to the learner's
 * `reconcile` (the grader's `call`); the engine's own answer (`reconcileMember`, the function the
 * engine's coordinator runs) is the oracle. The first step where they differ is named in Kafka's terms
 * ("t0p2 given to C1 while C0 still owns it: two consumers would read it at once"), and the story comes
 * back as a scenario to replay, with a note at that point.
 *
 * Named stories tell the lesson's cases; generated groups (fast-check, shrunk on failure) look for the rest.
 */
import * as fc from 'fast-check';
import { formatTp, normalizeStory, plural, pluralWord, reconcileStoryScenario, runReconcileStory } from '../../engine/index.ts';
import type { MemberState, ReconcileOp, ReconcileWorld, RecordedCall, ReconcileResult, TopicPartition } from '../../engine/index.ts';
import { defineExercise, type Plain, type SimulationCall, type SimulationTest, type SimulationVerdict } from '../../grader/index.ts';

const FNS = ['reconcile'];
export const MEMBERS = ['C0', 'C1', 'C2', 'C3'] as const;
const STATES: readonly MemberState[] = ['STABLE', 'UNREVOKED_PARTITIONS', 'UNRELEASED_PARTITIONS'];

/** One case: the group and its schedule. */
export interface Case {
  world: ReconcileWorld;
  schedule: ReconcileOp[];
}

/** The learner's answer after its shape was checked: lists sorted. */
export interface Answer {
  keep: TopicPartition[];
  revoke: TopicPartition[];
  receive: TopicPartition[];
  state: MemberState;
  memberEpoch: number;
}

/** A result of the wrong shape: the test is an `error` (invalid-result) with this message. */
export class InvalidAnswer extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidAnswer';
  }
}

// ---------------------------------------------------------------------------------------------
// The input the learner gets, and the shape of what it returns.

/** The learner's input for one recorded step (plain data). */
export function inputOf(c: RecordedCall): Plain {
  const tp = (p: TopicPartition) => ({ topic: p.topic, partition: p.partition });
  return {
    member: c.member,
    memberEpoch: c.current.memberEpoch,
    assigned: c.current.assigned.map(tp),
    targetEpoch: c.target.assignmentEpoch,
    target: c.target.partitions.map(tp),
    ownedByOthers: c.ownedByOthers.map((o) => ({ partition: tp(o.partition), owner: o.owner })),
  };
}

const cmp = (a: TopicPartition, b: TopicPartition) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition);
const label = (tp: TopicPartition) => formatTp(tp);
const list = (tps: readonly TopicPartition[]) => (tps.length ? tps.map(label).join(', ') : 'nothing');
const has = (tps: readonly TopicPartition[], tp: TopicPartition) => tps.some((x) => x.topic === tp.topic && x.partition === tp.partition);

function describe(v: unknown): string {
  if (v === undefined) return 'undefined';
  try {
    const s = JSON.stringify(v);
    return s.length > 80 ? `${s.slice(0, 80)}…` : s;
  } catch {
    return String(v);
  }
}

/** Check the shape of what `reconcile` returned. @throws InvalidAnswer naming the field */
export function checkAnswer(value: unknown, input: { target: TopicPartition[]; assigned: TopicPartition[] }): Answer {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new InvalidAnswer(`reconcile returned ${describe(value)}; expected an object { keep, revoke, receive, state, memberEpoch }`);
  const v = value as Record<string, unknown>;
  const tps = (field: 'keep' | 'revoke' | 'receive'): TopicPartition[] => {
    const l = v[field];
    if (!Array.isArray(l))
      throw new InvalidAnswer(`reconcile returned ${field} = ${describe(l)}; expected an array of { topic, partition } (empty: [])`);
    const out: TopicPartition[] = [];
    for (const x of l) {
      const ok =
        typeof x === 'object' &&
        x !== null &&
        typeof (x as TopicPartition).topic === 'string' &&
        Number.isInteger((x as TopicPartition).partition);
      if (!ok)
        throw new InvalidAnswer(`reconcile returned ${field} containing ${describe(x)}; expected { topic: 't0', partition: 1 } objects`);
      const tp = { topic: (x as TopicPartition).topic, partition: (x as TopicPartition).partition };
      if (has(out, tp)) throw new InvalidAnswer(`reconcile returned ${field} listing ${label(tp)} twice`);
      out.push(tp);
    }
    return out.sort(cmp);
  };
  const keep = tps('keep');
  const revoke = tps('revoke');
  const receive = tps('receive');
  if (typeof v.state !== 'string' || !STATES.includes(v.state as MemberState))
    throw new InvalidAnswer(`reconcile returned state = ${describe(v.state)}; expected one of ${STATES.map((s) => `'${s}'`).join(', ')}`);
  if (!Number.isInteger(v.memberEpoch))
    throw new InvalidAnswer(`reconcile returned memberEpoch = ${describe(v.memberEpoch)}; expected an integer`);
  void input;
  return { keep, revoke, receive, state: v.state as MemberState, memberEpoch: v.memberEpoch as number };
}

// ---------------------------------------------------------------------------------------------
// The verdict: the first rule the answer breaks, in Kafka's terms.

/** `keep t0p0, t0p1 · revoke t0p2 · receive nothing → UNREVOKED_PARTITIONS, epoch 1` */
export function formatAnswer(
  a: Pick<ReconcileResult, 'keep' | 'revoke' | 'receive'> & { state: MemberState; memberEpoch: number },
): string {
  return `keep ${list(a.keep)} · revoke ${list(a.revoke)} · receive ${list(a.receive)} → ${a.state}, epoch ${a.memberEpoch}`;
}

/** `C1 at epoch 2 holds nothing; target epoch 2: t0p2, t0p3; others own t0p2 (C0), t0p3 (C0)` */
export function formatInput(c: RecordedCall): string {
  const others = c.ownedByOthers.length ? c.ownedByOthers.map((o) => `${label(o.partition)} (${o.owner})`).join(', ') : 'nothing';
  return `${c.member} at epoch ${c.current.memberEpoch} holds ${list(c.current.assigned)}; target epoch ${c.target.assignmentEpoch}: ${list(c.target.partitions)}; others own ${others}`;
}

/**
 * Compare the learner's answer with the engine's for one step.
 * @returns the message naming the first difference, or undefined when they agree
 */
export function explainDifference(c: RecordedCall, a: Answer): string | undefined {
  const e = c.result;
  const m = c.member;
  const owner = (tp: TopicPartition) => c.ownedByOthers.find((o) => has([o.partition], tp))?.owner;
  for (const tp of a.receive) {
    const o = owner(tp);
    if (o !== undefined) return `${label(tp)} given to ${m} while ${o} still owns it: two consumers would read it at once`;
  }
  if (e.revoke.length > 0 && a.receive.length > 0)
    return `${m} receives ${list(a.receive)} while it still has ${list(e.revoke)} to revoke: revoke before assign — it gets nothing new until it reports them revoked`;
  for (const tp of a.revoke) {
    if (has(c.target.partitions, tp))
      return `${m} revokes ${label(tp)}, which stays in its target: only partitions that move to another member are revoked`;
    if (!has(c.current.assigned, tp)) return `${m} revokes ${label(tp)}, which it does not hold`;
  }
  for (const tp of e.revoke) {
    if (!has(a.revoke, tp)) return `${m} does not revoke ${label(tp)}, which its target no longer holds: another member is waiting for it`;
  }
  for (const tp of a.keep)
    if (!has(e.keep, tp))
      return `${m} keeps ${label(tp)}, which it ${has(c.current.assigned, tp) ? 'must revoke: its target no longer holds it' : 'does not hold yet'}`;
  for (const tp of e.keep) if (!has(a.keep, tp)) return `${m} does not keep ${label(tp)}: it holds it and its target still has it`;
  for (const tp of a.receive)
    if (!has(e.receive, tp)) return `${m} receives ${label(tp)}, which is not in its target (or it already holds it)`;
  for (const tp of e.receive)
    if (!has(a.receive, tp)) return `${m} does not receive ${label(tp)}: it is in its target and no other member owns it`;
  if (a.memberEpoch !== e.nextState.memberEpoch) {
    if (e.revoke.length > 0)
      return `${m} moves to epoch ${a.memberEpoch} while it still has ${list(e.revoke)} to revoke: its memberEpoch stays ${c.current.memberEpoch} until the revocation is done`;
    return `${m} is at epoch ${a.memberEpoch}: with nothing to revoke it moves to the target's epoch ${c.target.assignmentEpoch}, even when its partitions do not change`;
  }
  if (a.state !== e.nextState.state) {
    const why =
      e.nextState.state === 'UNREVOKED_PARTITIONS'
        ? `it still has ${list(e.revoke)} to revoke`
        : e.nextState.state === 'UNRELEASED_PARTITIONS'
          ? `${e.unreleased.map((tp) => `${label(tp)} (still ${owner(tp)}'s)`).join(', ')} of its target ${pluralWord(e.unreleased.length, 'is', 'are')} not free yet`
          : 'it has its whole target and nothing to revoke';
    return `${m}'s state is ${a.state}, but it is ${e.nextState.state}: ${why}`;
  }
  return undefined;
}

/** Run one case: every recorded step through the learner's `reconcile`; the verdict names the first difference. */
export function runCase(call: SimulationCall, c: Case, title: string): SimulationVerdict | undefined {
  const story = runReconcileStory(c.world, c.schedule);
  for (const step of story.calls) {
    const input = inputOf(step);
    let answer: Answer;
    try {
      answer = checkAnswer(call('reconcile', [input]), { target: step.target.partitions, assigned: step.current.assigned });
    } catch (error) {
      if (error instanceof InvalidAnswer) return { message: `${error.message} (for ${formatInput(step)})`, errorKind: 'invalid-result' };
      throw error; // SimulationCallError: the grader reports it
    }
    const message = explainDifference(step, answer);
    if (message === undefined) continue;
    const at = step.op < story.schedule.length ? `step ${step.op + 1} (${describeOp(story.schedule[step.op])})` : 'the settling polls';
    return {
      message,
      expected: formatAnswer({ ...step.result, ...step.result.nextState }),
      actual: `${formatAnswer(answer)} — at ${at}, t = ${step.atMs} ms, for ${formatInput(step)}`,
      replay: reconcileStoryScenario(
        c.world,
        story.schedule,
        [
          {
            op: step.op,
            text: `Here your reconcile() went wrong, at ${step.atMs} ms: ${message}. The player shows Kafka's reconciliation.`,
          },
        ],
        { title: `Replay: ${title}`, summary: message },
      ),
    };
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Notation.

export function describeOp(op: ReconcileOp): string {
  if ('advance' in op) return `${op.advance} ms pass`;
  if ('join' in op) return `${op.join} joins (subscribe, first poll)`;
  if ('poll' in op) return `${op.poll} polls`;
  if ('leave' in op) return `${op.leave} closes (leaves with epoch -1)`;
  return `${op.crash} crashes`;
}

/**
 *   t0: 4 partitions · assignor uniform · heartbeats every 5000 ms
 *   schedule:
 *     1. C0 joins (subscribe, first poll)
 *     2. 5000 ms pass
 *   then: every running member polls once a second for 20 s
 */
export function formatCase(c: Case): string {
  const ops = normalizeStory(c.world, c.schedule);
  const topics = Object.entries(c.world.topics)
    .map(([t, n]) => `${t}: ${plural(n, 'partition')}`)
    .join(', ');
  return [
    `${topics} · every member subscribes to all · assignor ${c.world.remoteAssignor} · heartbeats every 5000 ms`,
    ops.length ? 'schedule:' : 'schedule: (empty)',
    ...ops.map((op, i) => `  ${i + 1}. ${describeOp(op)}`),
    'then: every running member polls once a second for 20 s',
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------
// Generated cases.

const memberArb = fc.constantFrom(...MEMBERS);

export function worldArbitrary(twoTopics: boolean): fc.Arbitrary<ReconcileWorld> {
  return fc
    .record({
      t0: fc.integer({ min: 1, max: 6 }),
      t1: fc.integer({ min: 1, max: 3 }),
      assignor: fc.constantFrom('uniform' as const, 'range' as const),
    })
    .map(({ t0, t1, assignor }): ReconcileWorld => ({
      topics: twoTopics ? { t0, t1 } : { t0 },
      members: [...MEMBERS],
      remoteAssignor: assignor,
    }));
}

export const opArbitrary: fc.Arbitrary<ReconcileOp> = fc.oneof(
  { weight: 3, arbitrary: memberArb.map((m): ReconcileOp => ({ join: m })) },
  { weight: 5, arbitrary: memberArb.map((m): ReconcileOp => ({ poll: m })) },
  { weight: 1, arbitrary: memberArb.map((m): ReconcileOp => ({ leave: m })) },
  { weight: 1, arbitrary: memberArb.map((m): ReconcileOp => ({ crash: m })) },
  { weight: 4, arbitrary: fc.integer({ min: 1, max: 6 }).map((s): ReconcileOp => ({ advance: s * 1000 })) },
);

export function caseArbitrary(twoTopics: boolean): fc.Arbitrary<Case> {
  return fc.record({ world: worldArbitrary(twoTopics), schedule: fc.array(opArbitrary, { minLength: 1, maxLength: 16 }) });
}

// ---------------------------------------------------------------------------------------------
// The tests.

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

function generated(id: string, title: string, twoTopics: boolean, numRuns: number, hidden = false): SimulationTest<Case> {
  return {
    kind: 'simulation',
    id,
    title,
    hidden,
    fns: FNS,
    arbitrary: caseArbitrary(twoTopics),
    numRuns,
    run: (call, args) => runCase(call, args, title),
    formatArgs: formatCase,
  };
}

const uniform = (t0: number): ReconcileWorld => ({ topics: { t0 }, members: [...MEMBERS], remoteAssignor: 'uniform' });

export const stories: SimulationTest<Case>[] = [
  story('first-member-takes-everything', 'C0 joins an empty group: epoch 0 → 1 and all of t0 (3 partitions)', {
    world: uniform(3),
    schedule: [{ join: 'C0' }],
  }),
  story('a-member-joins', 'C1 joins while C0 owns all of t0 (4 partitions): C0 revokes what moves, C1 waits for it', {
    world: uniform(4),
    schedule: [{ join: 'C0' }, { advance: 1000 }, { join: 'C1' }, { advance: 5000 }, { poll: 'C0' }, { advance: 5000 }, { poll: 'C1' }],
  }),
  story('a-third-member-joins', 'C2 joins C0 and C1 (t0, 4 partitions): C0 keeps its partitions but still moves to the new epoch', {
    world: uniform(4),
    schedule: [
      { join: 'C0' },
      { join: 'C1' },
      { advance: 5000 },
      { poll: 'C0' },
      { advance: 5000 },
      { poll: 'C1' },
      { join: 'C2' },
      { advance: 5000 },
      { poll: 'C0' },
      { poll: 'C1' },
      { advance: 5000 },
      { poll: 'C2' },
    ],
  }),
  story('range-shifts-after-a-leave', 'range, t0 with 6 partitions: C0 leaves, and C1 both loses t0p3 and gains t0p0, t0p1', {
    world: { topics: { t0: 6 }, members: [...MEMBERS], remoteAssignor: 'range' },
    schedule: [
      { join: 'C0' },
      { join: 'C1' },
      { join: 'C2' },
      { advance: 5000 },
      { poll: 'C0' },
      { poll: 'C1' },
      { advance: 5000 },
      { poll: 'C1' },
      { poll: 'C2' },
      { advance: 5000 },
      { leave: 'C0' },
      { advance: 5000 },
      { poll: 'C1' },
      { poll: 'C2' },
    ],
  }),
  story('a-member-crashes', 'C1 crashes; after the 45 s session timeout C0 takes its partitions (t0, 4 partitions)', {
    world: uniform(4),
    schedule: [
      { join: 'C0' },
      { join: 'C1' },
      { advance: 5000 },
      { poll: 'C0' },
      { advance: 5000 },
      { poll: 'C1' },
      { crash: 'C1' },
      { advance: 50000 },
    ],
  }),
];

export const generatedTests: SimulationTest<Case>[] = [
  generated(
    'generated-groups',
    'generated groups: t0 with 1–6 partitions, up to 4 members joining, polling, leaving, crashing',
    false,
    120,
  ),
  generated('generated-two-topics', 'generated groups on t0 and t1 (uniform and range)', true, 120, true),
];

export default defineExercise({
  id: 'reconcile',
  title: 'Reconcile a member (KIP-848)',
  lesson: '06-rebalancing',
  exports: FNS,
  objectives: [
    'Say what a member keeps, revokes and receives in one reconciliation step of the consumer protocol.',
    'Apply revoke before assign: a member with partitions to revoke stays at its epoch and gets nothing new.',
    'Give a partition to its new owner only after its previous owner has revoked it, so two consumers never read it at once.',
    'Tell the member states STABLE, UNREVOKED_PARTITIONS and UNRELEASED_PARTITIONS apart, and when the memberEpoch moves.',
  ],
  hints: [
    'Start with sets: **keep** = what the member holds that is still in its target; **revoke** = what it holds that is not. Compare partitions by topic *and* partition (a string key like `t0-1` helps).',
    'If **revoke** is not empty, that is the whole step: the member revokes first. It receives nothing, its state is `UNREVOKED_PARTITIONS`, and its `memberEpoch` stays where it is.',
    'With nothing to revoke, the member moves to `targetEpoch` — even if its partitions do not change. It receives the partitions of its target it does not hold yet, **except** those in `ownedByOthers`: another member still owns them, and they come on a later heartbeat.',
    'The state: `UNRELEASED_PARTITIONS` when part of its target is still owned by others, else `STABLE`. The whole solution is about fifteen lines.',
  ],
  mistakes: [
    {
      file: 'mistakes/receive-owned-elsewhere.ts',
      description: 'gives the member its whole target at once, even partitions another member still owns',
      caughtBy: 'a-member-joins',
    },
    {
      file: 'mistakes/assign-before-revoke.ts',
      description: 'receives free partitions in the same step as it revokes others',
      caughtBy: 'range-shifts-after-a-leave',
    },
    {
      file: 'mistakes/bump-epoch-while-revoking.ts',
      description: 'moves to the target epoch while partitions are still to be revoked',
      caughtBy: 'a-member-joins',
    },
    {
      file: 'mistakes/revoke-everything.ts',
      description: 'revokes everything when the target changes (the eager habit)',
      caughtBy: 'a-member-joins',
    },
    {
      file: 'mistakes/stable-while-unreleased.ts',
      description: 'reports STABLE while part of the target is still owned by another member',
      caughtBy: 'a-member-joins',
    },
    {
      file: 'mistakes/epoch-only-with-new-partitions.ts',
      description: 'moves to the target epoch only when it receives something',
      caughtBy: 'a-third-member-joins',
    },
  ],
  tests: [...stories, ...generatedTests],
});
