/**
 * What the reconcile checkpoint promises about its own tests, checked on the data: the reference
 * agrees with the engine on every story and on generated groups; each mistake is caught by its
 * `caughtBy` story with the message that teaches the fix; the notation reads like the lesson; wrong
 * shapes are explained; and a replay is a valid scenario that plays the same story. Grading through
 * the sandbox is ../verify.spec.ts's job.
 */
import * as fc from 'fast-check';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runReconcileStory, runScenario } from '../../engine/index.ts';
import { scenarioIssues } from '../../content/schema/scenario.ts';
import type { Plain, SimulationCall } from '../../grader/index.ts';
import exercise, {
  caseArbitrary,
  checkAnswer,
  formatCase,
  generatedTests,
  InvalidAnswer,
  runCase,
  stories,
  type Case,
} from './exercise.ts';

const copy = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** a module's `reconcile` as the grader's `call` (copies in and out, like the sandbox) */
async function callOf(file: string): Promise<SimulationCall> {
  const mod = (await import(join(import.meta.dirname, file))) as { reconcile: (x: unknown) => unknown };
  return (fn: string, args: Plain[]) => {
    expect(fn).toBe('reconcile');
    return copy(mod.reconcile(copy(args[0])));
  };
}

const storyOf = (id: string): Case => fc.sample(stories.find((s) => s.id === id)!.arbitrary, 1)[0];
const titleOf = (id: string) => stories.find((s) => s.id === id)!.title;

describe('the reference solution', () => {
  it('agrees with the engine on every story and on 300 generated groups (one and two topics)', async () => {
    const call = await callOf('solution.ts');
    for (const s of stories) expect(runCase(call, storyOf(s.id), s.title), s.id).toBeUndefined();
    for (const two of [false, true]) {
      for (const c of fc.sample(caseArbitrary(two), { seed: 3, numRuns: 150 }))
        expect(runCase(call, c, 'x'), formatCase(c)).toBeUndefined();
    }
  });

  it('every story makes the coordinator take several steps, including revocations and waits', () => {
    const states = new Set<string>();
    for (const s of stories) {
      const { calls } = runReconcileStory(storyOf(s.id).world, storyOf(s.id).schedule);
      expect(calls.length, s.id).toBeGreaterThan(0);
      for (const c of calls) states.add(c.result.nextState.state);
    }
    expect([...states].sort()).toEqual(['STABLE', 'UNRELEASED_PARTITIONS', 'UNREVOKED_PARTITIONS']);
  });
});

describe('each mistake is caught by its story, named in Kafka terms', () => {
  const expected: Record<string, RegExp> = {
    'mistakes/receive-owned-elsewhere.ts': /^t0p2 given to C1 while C0 still owns it: two consumers would read it at once$/,
    'mistakes/assign-before-revoke.ts': /^C1 receives t0p0, t0p1 while it still has t0p3 to revoke: revoke before assign/,
    'mistakes/bump-epoch-while-revoking.ts': /^C0 moves to epoch 2 while it still has t0p2, t0p3 to revoke: its memberEpoch stays 1/,
    'mistakes/revoke-everything.ts': /^C0 revokes t0p0, which stays in its target/,
    'mistakes/stable-while-unreleased.ts':
      /^C1's state is STABLE, but it is UNRELEASED_PARTITIONS: t0p2 \(still C0's\), t0p3 \(still C0's\) of its target are not free yet$/,
    'mistakes/epoch-only-with-new-partitions.ts': /^C0 is at epoch 1: with nothing to revoke it moves to the target's epoch 2/,
  };
  it('lists every mistake file', () => {
    expect(exercise.mistakes.map((m) => m.file).sort()).toEqual(Object.keys(expected).sort());
    expect(
      readdirSync(join(import.meta.dirname, 'mistakes'))
        .map((f) => `mistakes/${f}`)
        .sort(),
    ).toEqual(Object.keys(expected).sort());
  });
  it.each(exercise.mistakes.map((m) => [m.file, m.caughtBy] as const))('%s → %s', async (file, caughtBy) => {
    const verdict = runCase(await callOf(file), storyOf(caughtBy), titleOf(caughtBy));
    expect(verdict?.message).toMatch(expected[file]);
    expect(verdict?.expected).toMatch(/^keep .* · revoke .* · receive .* → [A-Z_]+, epoch \d+$/);
    expect(verdict?.actual).toContain(' — at ');
  });
});

describe('generated groups', () => {
  it('120+ cases each; the two-topic family runs on Submit only', () => {
    for (const t of generatedTests) expect(t.numRuns).toBeGreaterThanOrEqual(120);
    expect(generatedTests.filter((t) => t.hidden).map((t) => t.id)).toEqual(['generated-two-topics']);
  });
  it('draw every op, both assignors, 1–6 partitions of t0', () => {
    const cases = fc.sample(caseArbitrary(false), { seed: 9, numRuns: 300 });
    expect(new Set(cases.flatMap((c) => c.schedule.map((op) => Object.keys(op)[0])))).toEqual(
      new Set(['join', 'poll', 'leave', 'crash', 'advance']),
    );
    expect(new Set(cases.map((c) => c.world.remoteAssignor))).toEqual(new Set(['uniform', 'range']));
    expect(new Set(cases.map((c) => c.world.topics.t0))).toEqual(new Set([1, 2, 3, 4, 5, 6]));
  });
});

describe('the notation and shapes', () => {
  it('formatCase: the topics, the assignor, the schedule in words, the settling polls', () => {
    expect(formatCase(storyOf('a-member-joins'))).toBe(
      [
        't0: 4 partitions · every member subscribes to all · assignor uniform · heartbeats every 5000 ms',
        'schedule:',
        '  1. C0 joins (subscribe, first poll)',
        '  2. 1000 ms pass',
        '  3. C1 joins (subscribe, first poll)',
        '  4. 5000 ms pass',
        '  5. C0 polls',
        '  6. 5000 ms pass',
        '  7. C1 polls',
        'then: every running member polls once a second for 20 s',
      ].join('\n'),
    );
  });

  it('an answer of the wrong shape is explained', () => {
    const why = (v: unknown) => {
      try {
        checkAnswer(v, { target: [], assigned: [] });
        return 'ok';
      } catch (e) {
        expect(e).toBeInstanceOf(InvalidAnswer);
        return (e as Error).message;
      }
    };
    const ok = { keep: [], revoke: [], receive: [{ topic: 't0', partition: 1 }], state: 'STABLE', memberEpoch: 2 };
    expect(why(ok)).toBe('ok');
    expect(why(undefined)).toContain('expected an object { keep, revoke, receive, state, memberEpoch }');
    expect(why({ ...ok, keep: undefined })).toContain('keep = undefined; expected an array');
    expect(why({ ...ok, receive: ['t0p1'] })).toContain(`expected { topic: 't0', partition: 1 } objects`);
    expect(why({ ...ok, receive: [ok.receive[0], ok.receive[0]] })).toBe('reconcile returned receive listing t0p1 twice');
    expect(why({ ...ok, state: 'Stable' })).toContain("expected one of 'STABLE', 'UNREVOKED_PARTITIONS', 'UNRELEASED_PARTITIONS'");
    expect(why({ ...ok, memberEpoch: '2' })).toContain('memberEpoch = "2"; expected an integer');
  });
});

describe('the replay', () => {
  it('is a valid scenario with a note before the failing step; it plays the same story', async () => {
    const c = storyOf('a-member-joins');
    const verdict = runCase(await callOf('mistakes/receive-owned-elsewhere.ts'), c, titleOf('a-member-joins'))!;
    const scenario = verdict.replay!;
    expect(scenarioIssues(copy(scenario), 'replay')).toEqual([]);
    const i = scenario.steps.findIndex((s) => 'note' in s && s.note.startsWith('Here your reconcile() went wrong'));
    expect(i).toBeGreaterThan(0);
    expect(scenario.summary).toBe(verdict.message);
    const story = runReconcileStory(c.world, c.schedule);
    const last = runScenario(scenario).trace.at(-1)!;
    for (const [m, owned] of Object.entries(story.owned))
      expect(last.snapshot.consumers.find((x) => x.id === m)!.owned.map((tp) => `${tp.topic}-${tp.partition}`)).toEqual(owned);
  });
});
