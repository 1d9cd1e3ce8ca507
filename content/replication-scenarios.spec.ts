/**
 * Story tests of the replication scenarios of lesson 4 (content/scenarios/): each claim their notes
 * make is computed over the engine's trace — the ISR leaving and rejoining, acks=all refused below
 * min.insync.replicas, the high watermark standing still (KAFKA-15583), elections from the eligible
 * leader replicas (KIP-966) — never typed in.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../engine/index.ts';
import type { PartitionView, Scenario, ScenarioResult, TraceEvent } from '../engine/index.ts';
import { loadScenarioFile } from './schema/scenario.ts';

const DIR = join(import.meta.dirname, 'scenarios');
const loaded = new Map<string, { scenario: Scenario; result: ScenarioResult }>();

async function story(id: string): Promise<{ scenario: Scenario; result: ScenarioResult }> {
  if (!loaded.has(id)) {
    const scenario = await loadScenarioFile(join(DIR, `${id}.yaml`));
    loaded.set(id, { scenario, result: runScenario(scenario) });
  }
  return loaded.get(id)!;
}

const t0p0 = (e: TraceEvent): PartitionView => e.snapshot.partitions.find((p) => p.label === 't0p0')!;
/** the first event whose step has this kind and (optionally) names this broker */
function stepEvent(s: Scenario, trace: TraceEvent[], kind: string, broker?: number, nth = 0): TraceEvent {
  const hits = trace.filter((e) => {
    if (e.step === null || e.kind !== kind) return false;
    const body = (s.steps[e.step] as Record<string, { broker?: number }>)[kind];
    return broker === undefined || body.broker === broker;
  });
  if (hits.length <= nth) throw new Error(`no ${kind} step${broker === undefined ? '' : ` for broker ${broker}`}`);
  return hits[nth];
}
const ackOf = (trace: TraceEvent[], producer: string, value: string) =>
  trace.find((e) => e.deliveries.some((d) => d.producer === producer && d.value === value && d.status === 'acked'));

describe('follower-out-of-isr-and-back', () => {
  it('a stuck follower stays in the ISR for replica.lag.time.max.ms, holding the HW and acks=all writes back; then it leaves', async () => {
    const { scenario, result } = await story('follower-out-of-isr-and-back');
    const paused = stepEvent(scenario, result.trace, 'pauseFetching', 2);
    const shrink = result.trace.find((e) => e.index > paused.index && !t0p0(e).isr.includes(2))!;
    // it left the ISR only after more than 30000 ms of lag (the default replica.lag.time.max.ms)
    expect(shrink.timeMs - paused.timeMs).toBeGreaterThan(30_000);
    expect(shrink.happened.some((h) => h.includes('ISR shrinks') && h.includes('(lag)'))).toBe(true);
    // while it was in the ISR, b was on brokers 0 and 1 but not acknowledged, the HW below it
    const b = result.state.deliveries.P0.find((d) => d.value === 'b')!;
    const waiting = result.trace.filter((e) => e.index > paused.index && e.index < shrink.index);
    const onTwo = waiting.find((e) => t0p0(e).replicaStates.filter((r) => r.logEndOffset > b.offset!).length === 2)!;
    expect(onTwo).toBeDefined();
    expect(t0p0(onTwo).highWatermark).toBeLessThanOrEqual(b.offset!);
    expect(ackOf(result.trace, 'P0', 'b')!.index).toBe(shrink.index);
    // after the shrink the ISR [0, 1] meets min.insync.replicas 2: the HW passes b at once
    expect(t0p0(shrink).highWatermark).toBeGreaterThan(b.offset!);
  });

  it('writes go on with two replicas; after the fetcher recovers the follower catches up and rejoins the ISR', async () => {
    const { scenario, result } = await story('follower-out-of-isr-and-back');
    expect(ackOf(result.trace, 'P0', 'c')).toBeDefined();
    const resumed = stepEvent(scenario, result.trace, 'resumeFetching', 2);
    expect(t0p0(resumed).isr).not.toContain(2);
    const back = result.trace.find((e) => e.index > resumed.index && t0p0(e).isr.includes(2))!;
    const p = t0p0(back);
    expect(p.replicaStates.find((r) => r.broker === 2)!.logEndOffset).toBeGreaterThanOrEqual(p.highWatermark);
    expect(back.happened.some((h) => h.includes('ISR expands'))).toBe(true);
  });
});

describe('rf3-minisr2-losing-brokers', () => {
  it('one broker down: acks=all and acks=1 writes are both acknowledged and committed', async () => {
    const { scenario, result } = await story('rf3-minisr2-losing-brokers');
    const down2 = stepEvent(scenario, result.trace, 'brokerDown', 2);
    expect(t0p0(down2).isr).toHaveLength(2);
    const beforeSecond = t0p0(stepEvent(scenario, result.trace, 'brokerDown', 1)).highWatermark;
    for (const [producer, value] of [
      ['PA', 'all-2'],
      ['P1', 'one-2'],
    ]) {
      const d = result.state.deliveries[producer].find((x) => x.value === value)!;
      expect(d.status).toBe('acked');
      expect(beforeSecond).toBeGreaterThan(d.offset!); // committed before the second broker went
    }
  });

  it('two down: acks=all is refused (NOT_ENOUGH_REPLICAS); acks=1 is acknowledged but the HW does not pass it', async () => {
    const { scenario, result } = await story('rf3-minisr2-losing-brokers');
    const down1 = stepEvent(scenario, result.trace, 'brokerDown', 1);
    expect(t0p0(down1).isr).toEqual([0]);
    const all3 = result.state.deliveries.PA.find((d) => d.value === 'all-3')!;
    expect(all3.status).toBe('failed');
    const after = result.trace.filter((e) => e.index > down1.index);
    expect(after.some((e) => e.happened.some((h) => h.includes('PA') && h.includes('NOT_ENOUGH_REPLICAS')))).toBe(true);
    const one3 = result.state.deliveries.P1.find((d) => d.value === 'one-3')!;
    expect(one3.status).toBe('acked');
    // until the leader fails, the HW never reaches it: no consumer could read it
    const leaderDown = stepEvent(scenario, result.trace, 'brokerDown', 0);
    for (const e of result.trace.filter((x) => x.index >= down1.index && x.index < leaderDown.index)) {
      expect(t0p0(e).highWatermark).toBeLessThanOrEqual(one3.offset!);
    }
  });

  it('the leader crashes: broker 1 leads from the eligible leader replicas; the acks=1 record is gone, every committed one kept', async () => {
    const { scenario, result } = await story('rf3-minisr2-losing-brokers');
    const up1 = stepEvent(scenario, result.trace, 'brokerUp', 1);
    expect(t0p0(up1).leader).toBe(1);
    expect(up1.happened.some((h) => h.includes('eligible leader replicas (KIP-966)'))).toBe(true);
    const log = result.state.logs.t0p0;
    expect(log.some((r) => r.value === 'one-3')).toBe(false);
    const committedBefore = t0p0(stepEvent(scenario, result.trace, 'brokerDown', 0)).highWatermark;
    const allAcked = [...result.state.deliveries.PA, ...result.state.deliveries.P1].filter((d) => d.status === 'acked');
    for (const d of allAcked.filter((x) => x.offset! < committedBefore)) {
      expect(log.find((r) => r.offset === d.offset)?.value).toBe(d.value);
    }
    // broker 0 truncated the record away on its return
    const final = t0p0(result.trace.at(-1)!);
    expect(new Set(final.replicaStates.filter((r) => r.broker !== 2).map((r) => r.logEndOffset)).size).toBe(1);
  });
});

describe('two-broker-loss-elr and two-broker-loss-no-elr', () => {
  it('with ELR, the cleanly shut down broker 1 leads as soon as it returns, with every acknowledged record', async () => {
    const { scenario, result } = await story('two-broker-loss-elr');
    const down0 = stepEvent(scenario, result.trace, 'brokerDown', 0);
    expect(t0p0(down0)).toMatchObject({ leader: null, isr: [] });
    expect(t0p0(down0).elr).toContain(1);
    const up1 = stepEvent(scenario, result.trace, 'brokerUp', 1);
    expect(t0p0(up1).leader).toBe(1);
    const log = result.state.logs.t0p0;
    const acked = result.state.deliveries.P0.filter((d) => d.status === 'acked');
    expect(acked.length).toBeGreaterThan(0);
    for (const d of acked) expect(log.find((r) => r.offset === d.offset)?.value).toBe(d.value);
  });

  it('without ELR, the same failures leave t0p0 offline until broker 0 (the last ISR member) returns; nothing acknowledged is lost either', async () => {
    const elr = await story('two-broker-loss-elr');
    const { scenario, result } = await story('two-broker-loss-no-elr');
    expect(scenario.steps).toEqual(elr.scenario.steps.map((s, i) => ('note' in s ? scenario.steps[i] : s)));
    const up1 = stepEvent(scenario, result.trace, 'brokerUp', 1);
    expect(t0p0(up1)).toMatchObject({ leader: null, isr: [0] });
    const up0 = stepEvent(scenario, result.trace, 'brokerUp', 0);
    expect(t0p0(up0).leader).toBe(0);
    const offline = (r: ScenarioResult) => {
      const from = r.trace.find((e) => t0p0(e).leader === null)!;
      const to = r.trace.find((e) => e.index > from.index && t0p0(e).leader !== null)!;
      return to.timeMs - from.timeMs;
    };
    expect(offline(result)).toBeGreaterThan(offline(elr.result));
    const log = result.state.logs.t0p0;
    for (const d of result.state.deliveries.P0.filter((x) => x.status === 'acked')) {
      expect(log.find((r) => r.offset === d.offset)?.value).toBe(d.value);
    }
  });
});

describe('strict-min-isr-kafka-3-6 and strict-min-isr-kafka-4-4', () => {
  const afterShrink = (r: ScenarioResult) => r.trace.find((e) => t0p0(e).isr.length === 1)!;

  it('Kafka 3.6: once the ISR shrinks to the leader alone, the HW passes a (one copy) and P0 hears NOT_ENOUGH_REPLICAS_AFTER_APPEND', async () => {
    const { result } = await story('strict-min-isr-kafka-3-6');
    const e = afterShrink(result);
    const a = result.state.logs.t0p0.find((r) => r.value === 'a')!;
    expect(t0p0(e).highWatermark).toBeGreaterThan(a.offset);
    expect(t0p0(e).replicaStates.filter((r) => r.logEndOffset > a.offset)).toHaveLength(1);
    expect(e.happened.some((h) => h.includes('after NOT_ENOUGH_REPLICAS_AFTER_APPEND'))).toBe(true);
  });

  it('Kafka 3.7+: the HW stands still below min ISR, a stays invisible, the request times out; it commits once broker 1 rejoins', async () => {
    const { scenario, result } = await story('strict-min-isr-kafka-4-4');
    const e = afterShrink(result);
    const a = result.state.logs.t0p0.find((r) => r.value === 'a')!;
    const resumed = stepEvent(scenario, result.trace, 'resumeFetching', 1);
    for (const x of result.trace.filter((y) => y.index >= e.index && y.index <= resumed.index)) {
      expect(t0p0(x).highWatermark).toBeLessThanOrEqual(a.offset);
    }
    const all = result.trace.flatMap((x) => x.happened);
    expect(all.some((h) => h.includes('after REQUEST_TIMED_OUT'))).toBe(true);
    expect(all.some((h) => h.includes('NOT_ENOUGH_REPLICAS_AFTER_APPEND'))).toBe(false);
    const acked = ackOf(result.trace, 'P0', 'a')!;
    expect(acked.index).toBeGreaterThan(resumed.index);
    expect(t0p0(acked).isr.length).toBeGreaterThanOrEqual(2);
  });
});
