/**
 * What the high-watermark checkpoint promises about its own tests, checked on the data: the reference
 * agrees with the engine's partition model on every story and on generated timelines; each mistake
 * breaks its `caughtBy` story with the message that teaches the fix; wrong shapes are explained; and
 * the replay is a valid scenario the scenario runner plays with the same ISR and high watermark, step
 * for step, as the timeline the learner was graded on. Grading through the sandbox is ../verify.spec.ts's job.
 */
import * as fc from 'fast-check';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../engine/index.ts';
import { scenarioIssues } from '../../content/schema/scenario.ts';
import type { SimulationCall, SimulationVerdict } from '../../grader/index.ts';
import exercise, { caseArbitrary, runCase, stories } from './exercise.ts';
import { formatCase, playOnEngine, type Case } from './timeline.ts';
import { replayScenario } from './replay.ts';

const copy = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

async function callOf(file: string): Promise<SimulationCall> {
  const mod = (await import(join(import.meta.dirname, file))) as Record<string, (...a: unknown[]) => unknown>;
  return ((fn: string, args: unknown[]) => copy(mod[fn](...copy(args)))) as unknown as SimulationCall;
}

const storyOf = (id: string): Case => fc.sample(stories.find((s) => s.id === id)!.arbitrary, 1)[0];

describe('the reference solution agrees with the engine', () => {
  it('on every story and 400 generated timelines (RF 3–4, min ISR 1–3, up to 40 steps)', async () => {
    const call = await callOf('solution.ts');
    for (const s of stories) expect(runCase(call, storyOf(s.id), s.title), s.id).toBeUndefined();
    fc.assert(
      fc.property(caseArbitrary(40), (c) => runCase(call, c, 'x') === undefined),
      { numRuns: 400, seed: 7 },
    );
  });

  it('the generated timelines reach every situation: shrinks for lag, failures, returns, refusals, HW held below min ISR', () => {
    const lines = fc.sample(caseArbitrary(40), { numRuns: 300, seed: 3 }).flatMap((c) => {
      const played = playOnEngine(c);
      return played.map((p, i) => {
        const before = i > 0 ? played[i - 1].expected : null;
        if (p.event?.type === 'isr-check' && before && p.expected.isr.length < before.isr.length) return 'lag-shrink';
        if (p.event === null) return 'return';
        if (p.expected.responses.some((r) => r.error === 'NOT_ENOUGH_REPLICAS')) return 'refused';
        if (p.event.type === 'fetch' && before && p.expected.isr.length > before.isr.length) return 'rejoin';
        if (
          p.expected.isr.length < Math.min(c.minInsyncReplicas, c.replicationFactor) &&
          p.expected.logEndOffset > p.expected.highWatermark
        )
          return 'held';
        return 'other';
      });
    });
    for (const kind of ['lag-shrink', 'return', 'refused', 'rejoin', 'held']) expect(lines, kind).toContain(kind);
  });
});

describe('each mistake breaks its story with the message that teaches the fix', () => {
  const expected: Record<string, RegExp> = {
    'mistakes/hw-as-maximum.ts':
      /HW 1 passed offset 0, which broker 1 \(in the ISR\) does not have: if the leader fails now, broker 1 can be elected/,
    'mistakes/counts-replicas-outside-isr.ts': /Broker 2 is not in the ISR .* must not hold the high watermark back/,
    'mistakes/never-shrinks-isr.ts':
      /broker 2 has not caught up for \d+ ms, more than replica\.lag\.time\.max\.ms 30000, and is still in the ISR/,
    'mistakes/hw-under-min-isr.ts':
      /HW moved from 1 to 2 while the ISR \[0\] is smaller than min\.insync\.replicas 2: since Kafka 3\.7 \(KAFKA-15583\)/,
    'mistakes/hw-moves-backwards.ts': /HW went back from 0 to -1: the high watermark never moves backwards — a follower not heard from yet/,
    'mistakes/ack-before-hw.ts': /request 1 \(offset 0\) acknowledged while the HW is 0: brokers 1, 2 in the ISR do not have it yet/,
  };
  it('lists every mistake with its message', () => {
    expect(exercise.mistakes.map((m) => m.file).sort()).toEqual(Object.keys(expected).sort());
  });
  it.each(exercise.mistakes.map((m) => [m.file, m.caughtBy] as const))('%s → %s', async (file, caughtBy) => {
    const story = stories.find((s) => s.id === caughtBy)!;
    const v = runCase(await callOf(file), storyOf(caughtBy), story.title) as SimulationVerdict;
    expect(v.message).toMatch(expected[file]);
    expect(v.message).toMatch(/^At step \d+ \(t=\d+ /);
    expect(v.replay?.steps.some((s) => 'note' in s && s.note.startsWith('Anomaly'))).toBe(true);
  });
});

describe('results of the wrong shape are explained, not crashed on', () => {
  const c = storyOf('two-records-two-fetch-rounds');
  it.each([
    [undefined, /onEvent returned undefined; expected \{ state, responses \}/],
    [{ state: { isr: [0], highWatermark: '0' }, responses: [] }, /state\.highWatermark = "0"; expected a whole number/],
    [{ state: { isr: [0, 1, 2], highWatermark: 0 } }, /responses = undefined; expected an array/],
    [
      { state: { isr: [0, 1, 2], highWatermark: 0 }, responses: [{ requestId: 1, error: 'OK' }] },
      /expected \{ requestId, error: 'NONE' \| 'NOT_ENOUGH_REPLICAS', offset \}/,
    ],
  ])('%j', (value, message) => {
    const v = runCase((() => value) as unknown as SimulationCall, c, 'x') as SimulationVerdict;
    expect(v.errorKind).toBe('invalid-result');
    expect(v.message).toMatch(message);
  });
});

describe('the replay', () => {
  it('is a valid scenario whose ISR and high watermark follow the graded timeline step for step (60 timelines)', () => {
    for (const c of fc.sample(caseArbitrary(25), { numRuns: 60, seed: 5 })) {
      const scenario = replayScenario(c, 0, 'm', 'Replay: x');
      expect(scenarioIssues(copy(scenario), 'replay')).toEqual([]);
      const trace = runScenario(scenario).trace;
      const played = playOnEngine(c);
      // each op is one step, after the setup note (and the two anomaly notes around op 0)
      const stepOfOp = (op: number) => (op === 0 ? 2 : op + 3);
      for (const p of played) {
        const e = trace.find((t) => t.step === stepOfOp(p.op))!;
        const part = e.snapshot.partitions[0];
        if (p.event?.type === 'isr-check') continue; // a wait's checks: compared at the end of the wait below
        expect([[...part.isr].sort(), part.highWatermark], formatCase(c)).toEqual([p.expected.isr, p.expected.highWatermark]);
      }
      const last = played.at(-1);
      if (last) {
        const end = trace.at(-1)!.snapshot.partitions[0];
        expect(end.logEndOffset, formatCase(c)).toBe(last.expected.logEndOffset);
      }
    }
  });

  it('names the failure in a note right before the step where it happened', async () => {
    const c = storyOf('two-followers-fail-min-isr-2');
    const v = runCase(await callOf('mistakes/hw-under-min-isr.ts'), c, 'y') as SimulationVerdict;
    const steps = v.replay!.steps;
    const i = steps.findIndex(
      (s) => 'note' in s && s.note.startsWith('Anomaly in your bookkeeping at the next step — HW moved from 1 to 2'),
    );
    expect(i).toBeGreaterThan(0);
    expect(steps[i + 1]).toEqual({ brokerDown: { broker: 2 } });
  });
});
