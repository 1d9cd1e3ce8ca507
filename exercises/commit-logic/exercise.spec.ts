/**
 * What the commit-logic checkpoint promises about its own tests, checked on the data: the reference
 * passes every story and generated schedule; each mistake breaks its `caughtBy` story with the anomaly
 * that teaches the fix; the generated schedules cover every fault; the notation reads like the lesson;
 * shapes of wrong results are explained; and a replay is a valid scenario that the engine's scenario
 * runner plays out exactly as the simulation ran (same records processed by the same consumers, same
 * committed offsets). Grading through the sandbox is ../verify.spec.ts's job.
 */
import * as fc from 'fast-check';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commitLoopScenario, runCommitLoop, runScenario } from '../../engine/index.ts';
import type { AnomalyKind, CommitDecisions } from '../../engine/index.ts';
import { scenarioIssues } from '../../content/schema/scenario.ts';
import exercise, {
  caseArbitrary,
  checkOffsetMap,
  formatCase,
  generatedTests,
  InvalidDecision,
  referenceDecisions,
  stories,
  world,
  type Case,
} from './exercise.ts';

const FNS = ['onBatch', 'onProcessed', 'onPartitionsRevoked', 'onCommitFailed'] as const;
const copy = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

async function decisionsOf(file: string): Promise<CommitDecisions> {
  const mod = (await import(join(import.meta.dirname, file))) as Record<string, (s: unknown, x: unknown) => never>;
  return Object.fromEntries(
    FNS.map((f) => [f, (_m: string, s: unknown, x: unknown) => mod[f](copy(s), copy(x))]),
  ) as unknown as CommitDecisions;
}

const storyOf = (id: string): Case => fc.sample(stories.find((s) => s.id === id)!.arbitrary, 1)[0];

describe('the reference solution (the oracle)', () => {
  it('passes every story, and 300 generated schedules of every family', () => {
    for (const s of stories)
      expect(runCommitLoop(storyOf(s.id).world, storyOf(s.id).schedule, referenceDecisions).anomaly, s.id).toBeNull();
    for (const family of ['crashes', 'rebalances', 'slow', 'everything'] as const) {
      fc.assert(
        fc.property(caseArbitrary(family, 12), (c) => runCommitLoop(c.world, c.schedule, referenceDecisions).anomaly === null),
        { numRuns: 300, seed: 11 },
      );
    }
  });
});

describe('each mistake breaks its story with the anomaly that teaches the fix', () => {
  const expected: Record<string, AnomalyKind> = {
    'mistakes/commit-before-processing.ts': 'lost-record',
    'mistakes/commit-last-processed-offset.ts': 'commit-not-next-offset',
    'mistakes/no-commit-on-revoke.ts': 'redelivered-after-rebalance',
    'mistakes/commit-revoked-partitions.ts': 'commit-unowned-partition',
    'mistakes/commit-after-hand-off.ts': 'commit-ahead-of-processing',
    'mistakes/ignore-commit-failed.ts': 'commit-not-next-offset',
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
    const c = storyOf(caughtBy);
    const r = runCommitLoop(c.world, c.schedule, await decisionsOf(file));
    expect(r.anomalies.map((a) => a.kind)).toContain(expected[file]);
  });
  it('the hand-off mistake is named as such: committed right after handing the records to the worker', async () => {
    const c = storyOf('crash-while-the-worker-is-busy');
    const r = runCommitLoop(c.world, c.schedule, await decisionsOf('mistakes/commit-after-hand-off.ts'));
    expect(r.anomaly?.message).toMatch(
      /^C0 committed t0p0 → 2 right after handing t0p0@0, t0p0@1 to its worker: they were not processed yet/,
    );
  });
});

describe('generated schedules', () => {
  it('run 100+ cases per family, one hidden family with every fault', () => {
    for (const t of generatedTests) expect(t.numRuns).toBeGreaterThanOrEqual(100);
    expect(generatedTests.filter((t) => t.hidden).map((t) => t.id)).toEqual(['generated-everything']);
  });

  it.each([1, 42])('seed %i: each family produces its faults, with 1–3 partitions and C1/C2 joining', (seed) => {
    const kinds = (family: 'crashes' | 'rebalances' | 'slow' | 'everything') => {
      const ops = fc.sample(caseArbitrary(family, 12), { seed, numRuns: 200 }).flatMap((c) => c.schedule);
      return new Set(ops.map((op) => ('crashAfter' in op && op.crashAfter !== undefined ? 'crashAfter' : Object.keys(op)[0])));
    };
    expect([...kinds('crashes')].sort()).toEqual(['crash', 'crashAfter', 'poll', 'work']);
    expect([...kinds('rebalances')].sort()).toEqual(['failNextCommit', 'poll', 'work']);
    expect([...kinds('slow')].sort()).toEqual(['failNextCommit', 'poll', 'slowNextBatch']);
    expect([...kinds('everything')].sort()).toEqual(['crash', 'crashAfter', 'failNextCommit', 'poll', 'slowNextBatch', 'work']);
    const worlds = fc.sample(caseArbitrary('everything', 12), { seed, numRuns: 200 });
    expect(new Set(worlds.map((c) => c.world.recordsPerPartition.length))).toEqual(new Set([1, 2, 3]));
    expect(worlds.some((c) => c.schedule.some((op) => 'poll' in op && op.poll === 'C2'))).toBe(true);
  });
});

describe('the notation', () => {
  it('formatCase: the topic, the group, the schedule in words, the final drain', () => {
    expect(
      formatCase({ world: world([3, 0], 1, 2), schedule: [{ poll: 'C0', crashAfter: 1 }, { failNextCommit: 'C1' }, { poll: 'C1' }] }),
    ).toBe(
      [
        't0: 2 partitions — t0p0@0..2, t0p1 empty · max.poll.records 2',
        'group: C0 at the start; C1 joins at its first poll',
        'schedule:',
        '  1. C0 polls and crashes after processing 1 record of the batch',
        "  2. C1's next commitAsync will fail",
        '  3. C1 polls',
        'then: no faults; every consumer polls until nothing is left, and closes',
      ].join('\n'),
    );
  });

  it('a commit of the wrong shape is explained in Kafka terms', () => {
    const why = (v: unknown) => {
      try {
        checkOffsetMap('onProcessed', v, 2);
        return 'ok';
      } catch (e) {
        expect(e).toBeInstanceOf(InvalidDecision);
        return (e as Error).message;
      }
    };
    expect(why({ 't0-1': { offset: 3 } })).toBe('ok');
    expect(why(undefined)).toBe('ok');
    expect(why({ t0p1: { offset: 3 } })).toContain(
      '(t0p1 is how the lesson writes it; the map key is Kafka\'s TopicPartition.toString(), "t0-1")',
    );
    expect(why({ 't0-1': 3 })).toBe('onProcessed returned commit["t0-1"] = 3; each value is an OffsetAndMetadata: { offset: 3 }');
    expect(why({ 't0-2': { offset: 1 } })).toContain('keys are `${topic}-${partition}` of a partition of t0 (t0-0 … t0-1)');
    expect(why({ 't0-0': { offset: -1 } })).toContain('expected { offset: n } with n a non-negative integer');
    expect(why([1])).toContain('expected an offset map');
  });
});

describe('the replay', () => {
  const files = ['solution.ts', ...exercise.mistakes.map((m) => m.file)];
  it.each(files)('%s: a valid scenario that the scenario runner plays exactly as the simulation ran (80 schedules)', async (file) => {
    const decisions = await decisionsOf(file);
    for (const c of fc.sample(caseArbitrary('everything', 10), { seed: 5, numRuns: 80 })) {
      const run = runCommitLoop(c.world, c.schedule, decisions);
      const scenario = commitLoopScenario(c.world, c.schedule, run.events, run.anomalies, { title: 'Replay: x' });
      expect(scenarioIssues(copy(scenario), 'replay')).toEqual([]);
      const played = runScenario(scenario);
      const model: Record<string, string[]> = {};
      for (const e of run.events)
        if (e.type === 'process' && e.records.length)
          (model[e.member] ??= []).push(...e.records.map((r) => `t0p${r.partition}@${r.offset}`));
      const engine: Record<string, string[]> = {};
      for (const [m, records] of Object.entries(played.state.processed))
        if (records.length) engine[m] = records.map((r) => `t0p${r.partition}@${r.offset}`);
      expect(engine, formatCase(c)).toEqual(model);
      const offsets = (played.trace.at(-1)!.snapshot.groups[0]?.offsets ?? []).map((o) => o.committed);
      expect(offsets, formatCase(c)).toEqual(run.committed);
    }
  });

  it('names the anomaly in a note right before the step where it happens, and the summary is the reported one', async () => {
    const c = storyOf('crash-in-the-middle-of-a-batch');
    const run = runCommitLoop(c.world, c.schedule, await decisionsOf('mistakes/commit-before-processing.ts'));
    const scenario = commitLoopScenario(c.world, c.schedule, run.events, run.anomalies, { title: 'Replay: x', summary: 'headline' });
    const i = scenario.steps.findIndex((s) => 'note' in s && s.note.startsWith('Anomaly — C0 committed t0p0 → 3 in onBatch'));
    expect(i).toBeGreaterThan(0);
    expect(scenario.steps[i + 1]).toEqual({ commit: { consumer: 'C0', mode: 'async', offsets: { 't0-0': 3 } } });
    expect(scenario.summary).toBe('headline');
  });
});
