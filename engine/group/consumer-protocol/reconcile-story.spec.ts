import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatTp, tpKey } from '../../common/notation.ts';
import { runScenario } from '../../scenario/runner.ts';
import { normalizeStory, reconcileStoryScenario, runReconcileStory } from './reconcile-story.ts';
import type { ReconcileOp, ReconcileWorld } from './reconcile-story.ts';

const world: ReconcileWorld = { topics: { t0: 4 }, members: ['C0', 'C1', 'C2'], remoteAssignor: 'uniform' };

const opArb: fc.Arbitrary<ReconcileOp> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('C0', 'C1', 'C2').map((m): ReconcileOp => ({ join: m })) },
  { weight: 4, arbitrary: fc.constantFrom('C0', 'C1', 'C2').map((m): ReconcileOp => ({ poll: m })) },
  { weight: 1, arbitrary: fc.constantFrom('C0', 'C1', 'C2').map((m): ReconcileOp => ({ leave: m })) },
  { weight: 1, arbitrary: fc.constantFrom('C0', 'C1', 'C2').map((m): ReconcileOp => ({ crash: m })) },
  { weight: 3, arbitrary: fc.integer({ min: 1, max: 6 }).map((s): ReconcileOp => ({ advance: s * 1000 })) },
);

describe('runReconcileStory', () => {
  it('records each step: C0 takes all, C1 waits (UNRELEASED), C0 revokes, C1 receives on its next heartbeat', () => {
    const { calls } = runReconcileStory(
      world,
      [{ join: 'C0' }, { join: 'C1' }, { advance: 5000 }, { poll: 'C0' }, { advance: 5000 }, { poll: 'C1' }],
      0,
    );
    const lines = calls.map(
      (c) =>
        `${c.member} e${c.current.memberEpoch}→${c.result.nextState.memberEpoch} ${c.result.nextState.state} keep[${c.result.keep.map(formatTp)}] revoke[${c.result.revoke.map(formatTp)}] receive[${c.result.receive.map(formatTp)}]`,
    );
    expect(lines).toEqual([
      'C0 e0→1 STABLE keep[] revoke[] receive[t0p0,t0p1,t0p2,t0p3]',
      'C1 e0→2 UNRELEASED_PARTITIONS keep[] revoke[] receive[]',
      'C0 e1→1 UNREVOKED_PARTITIONS keep[t0p0,t0p1] revoke[t0p2,t0p3] receive[]',
      'C1 e2→2 UNRELEASED_PARTITIONS keep[] revoke[] receive[]', // its heartbeat at 5000: t0p2, t0p3 still C0's
      'C0 e1→2 STABLE keep[t0p0,t0p1] revoke[] receive[]',
      'C1 e2→2 STABLE keep[] revoke[] receive[t0p2,t0p3]',
    ]);
  });

  it('drops ops that cannot run at their point', () => {
    expect(
      normalizeStory(world, [
        { poll: 'C0' },
        { join: 'C0' },
        { join: 'C0' },
        { crash: 'C1' },
        { leave: 'C0' },
        { poll: 'C0' },
        { advance: 0 },
      ]),
    ).toEqual([{ join: 'C0' }, { leave: 'C0' }]);
  });

  it('the replay scenario plays the same story: same final ownership, and ownedByOthers never intersects a receive of the engine', () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 14 }), (schedule) => {
        const story = runReconcileStory(world, schedule, 10_000);
        for (const c of story.calls) {
          const others = new Set(c.ownedByOthers.map((o) => tpKey(o.partition)));
          expect(c.result.receive.filter((tp) => others.has(tpKey(tp)))).toEqual([]);
        }
        const scenario = reconcileStoryScenario(world, schedule, [], { title: 't', summary: 's' }, 10_000);
        const { trace } = runScenario(scenario);
        const last = trace.at(-1)!;
        for (const [m, owned] of Object.entries(story.owned)) {
          const c = last.snapshot.consumers.find((x) => x.id === m)!;
          expect(c.owned.map(tpKey), m).toEqual(owned);
        }
      }),
      { numRuns: 60, seed: 5 },
    );
  });
});
