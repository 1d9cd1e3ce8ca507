/**
 * Story tests of the consumer-protocol scenarios (KIP-848): the claims their notes and summaries
 * make, computed over the engine's traces — never typed into the scenario.
 *   - rebalance-protocols-compared: one membership story under classic-eager, classic-cooperative
 *     and the consumer protocol (the player's protocol toggle).
 *   - static-member-restart-consumer-protocol: a static member leaves with epoch -2 and is back;
 *     a crashed one blocks its group.instance.id (UNRELEASED_INSTANCE_ID) until its session expires.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareProtocols, PROTOCOL_VARIANTS, runScenario, scenarioUnderProtocol } from '../engine/index.ts';
import type { GroupView, ProtocolRun, Scenario, TraceEvent } from '../engine/index.ts';
import { loadScenarioFile } from './schema/scenario.ts';

const DIR = join(import.meta.dirname, 'scenarios');
const load = (id: string): Promise<Scenario> => loadScenarioFile(join(DIR, `${id}.yaml`));
const key = (tp: { topic: string; partition: number }) => `${tp.topic}-${tp.partition}`;
const group = (e: TraceEvent, id = 'g1'): GroupView => e.snapshot.groups.find((g) => g.id === id)!;
const owned = (e: TraceEvent, consumer: string) => (e.snapshot.consumers.find((c) => c.id === consumer)?.owned ?? []).map(key).sort();

/** the first event of the step at `steps[i]` for which `pred` holds, at or after `from` */
function stepEvent(scenario: Scenario, trace: TraceEvent[], pred: (s: Scenario['steps'][number]) => boolean, nth = 0): TraceEvent {
  const idx = scenario.steps.map((s, i) => (pred(s) ? i : -1)).filter((i) => i >= 0)[nth];
  if (idx === undefined) throw new Error('step not found');
  return trace.find((e) => e.step === idx)!;
}

describe('rebalance-protocols-compared: the same story under three protocols', () => {
  let runs: ProtocolRun[];
  let scenario: Scenario;
  const run = (v: ProtocolRun['variant']) => runs.find((r) => r.variant === v)!;

  it('plays under every variant; the file as written is the classic-eager variant, byte for byte', async () => {
    scenario = await load('rebalance-protocols-compared');
    expect(scenario.compareProtocols).toBe(true);
    runs = compareProtocols(scenario);
    expect(runs.map((r) => r.variant)).toEqual([...PROTOCOL_VARIANTS]);
    expect(JSON.stringify(runScenario(scenario).trace)).toBe(JSON.stringify(run('classic-eager').trace));
    for (const r of runs) for (const e of r.trace) expect(e.error).toBeNull();
  });

  it('in every variant, no partition is owned by two running consumers at once, and every partition ends owned', () => {
    for (const r of runs) {
      for (const e of r.trace) {
        const seen = new Set<string>();
        for (const c of e.snapshot.consumers) {
          if (c.status !== 'running') continue;
          for (const tp of c.owned) {
            expect(seen.has(key(tp)), `${r.variant} event ${e.index}: ${key(tp)} owned twice`).toBe(false);
            seen.add(key(tp));
          }
        }
      }
      const last = r.trace.at(-1)!;
      const all = last.snapshot.consumers.filter((c) => c.status === 'running').flatMap((c) => c.owned);
      expect(all.length, r.variant).toBe(last.snapshot.topics[0].partitions);
    }
  });

  it('eager revokes every owned partition at each rebalance, more than cooperative or the consumer protocol', () => {
    const eager = run('classic-eager').metrics.revokedPartitions;
    expect(eager).toBeGreaterThan(run('classic-cooperative').metrics.revokedPartitions);
    expect(eager).toBeGreaterThan(run('consumer').metrics.revokedPartitions);
    // each eager revocation hands back everything the member owned
    for (const e of run('classic-eager').trace) {
      for (const cb of e.callbacks.filter((c) => c.kind === 'revoked')) {
        const prev = run('classic-eager').trace[e.index - 1];
        expect(cb.partitions.map(key).sort()).toEqual(owned(prev, cb.consumer));
      }
    }
  });

  it('cooperative takes two generations per change (the follow-up rebalance), eager one', () => {
    expect(run('classic-cooperative').metrics.rebalances).toBeGreaterThan(run('classic-eager').metrics.rebalances);
  });

  it('consumer protocol: a revoked partition always moves to another member (nothing is revoked and handed back), and the group epoch counts each change', () => {
    const trace = run('consumer').trace;
    const revoked = new Map<string, string>();
    for (const e of trace) {
      for (const cb of e.callbacks) {
        for (const tp of cb.partitions) {
          if (cb.kind === 'revoked') revoked.set(key(tp), cb.consumer);
          else if (cb.kind === 'assigned' && revoked.has(key(tp))) {
            expect(cb.consumer).not.toBe(revoked.get(key(tp)));
            revoked.delete(key(tp));
          }
        }
      }
    }
    const epochs = new Set(trace.map((e) => group(e).generationId));
    expect(Math.max(...epochs)).toBe(run('consumer').metrics.rebalances);
    expect(trace.every((e) => group(e).groupProtocol === 'consumer' && group(e).leader === null)).toBe(true);
  });

  it('consumer protocol: no barrier — when C2 joins, C0 and C1 reconcile at different instants and keep reading what they keep', () => {
    const trace = run('consumer').trace;
    const join = stepEvent(scenario, trace, (s) => 'join' in s && s.join.consumer === 'C2');
    const after = trace.slice(join.index);
    const revokedAt = (c: string) => after.find((e) => e.callbacks.some((cb) => cb.consumer === c && cb.kind === 'revoked'))!.timeMs;
    expect(revokedAt('C0')).not.toBe(revokedAt('C1'));
    // what C0 keeps in the new target it owns at every event from C2's join until the next change
    const target = group(trace.at(-1)!).members.find((m) => m.consumer === 'C0')!;
    expect(target.memberState).toBe('STABLE');
    const leave = stepEvent(scenario, trace, (s) => 'leave' in s);
    const kept = owned(join, 'C0').filter((tp) => owned(trace[leave.index - 1], 'C0').includes(tp));
    expect(kept.length).toBeGreaterThan(0);
    for (const e of trace.slice(join.index, leave.index)) for (const tp of kept) expect(owned(e, 'C0')).toContain(tp);
  });

  it('consumer protocol: the new owner takes a freed partition only after the old owner revoked it, on its own next heartbeat', () => {
    const trace = run('consumer').trace;
    const revokedAt = new Map<string, number>();
    for (const e of trace) {
      for (const cb of e.callbacks) {
        for (const tp of cb.partitions) {
          if (cb.kind === 'revoked') revokedAt.set(key(tp), e.timeMs);
          if (cb.kind === 'assigned' && revokedAt.has(key(tp))) expect(e.timeMs).toBeGreaterThanOrEqual(revokedAt.get(key(tp))!);
        }
      }
    }
  });

  it('scenarioUnderProtocol switches every group and leaves the input alone', () => {
    const copy = JSON.stringify(scenario);
    const consumer = scenarioUnderProtocol(scenario, 'consumer');
    const coop = scenarioUnderProtocol(scenario, 'classic-cooperative');
    expect(consumer.groups!.every((g) => g.groupProtocol === 'consumer')).toBe(true);
    expect(coop.groups!.every((g) => g.assignor === 'cooperative-sticky' && g.groupProtocol === undefined)).toBe(true);
    expect(consumer.compareProtocols).toBeUndefined();
    expect(JSON.stringify(scenario)).toBe(copy);
  });
});

describe('static-member-restart-consumer-protocol', () => {
  it('closing sends epoch -2: its partitions wait for it; back within the session timeout it gets them again in the same group epoch; C1 is undisturbed', async () => {
    const scenario = await load('static-member-restart-consumer-protocol');
    const { trace } = runScenario(scenario);
    const leave = stepEvent(scenario, trace, (s) => 'leave' in s);
    const restart = stepEvent(scenario, trace, (s) => 'restart' in s);
    const before = trace[leave.index - 1];
    const pollAfterRestart = trace[restart.index + 1];
    expect(leave.happened.some((l) => l.includes('epoch -2'))).toBe(true);
    // while it is away: its partitions stay assigned to it on the coordinator, C1 keeps only its own
    for (const e of trace.slice(leave.index, restart.index)) {
      expect(
        group(e)
          .members.find((m) => m.consumer === 'C0')!
          .assignment.map(key)
          .sort(),
      ).toEqual(owned(before, 'C0'));
      expect(owned(e, 'C1')).toEqual(owned(before, 'C1'));
      expect(group(e).generationId).toBe(group(before).generationId);
    }
    expect(owned(pollAfterRestart, 'C0')).toEqual(owned(before, 'C0'));
    expect(group(pollAfterRestart).generationId).toBe(group(before).generationId);
    const c0 = (e: TraceEvent) => e.snapshot.consumers.find((c) => c.id === 'C0')!;
    expect(c0(pollAfterRestart).memberId).not.toBe(c0(before).memberId);
    expect(trace.slice(leave.index, pollAfterRestart.index + 1).flatMap((e) => e.callbacks.filter((cb) => cb.consumer === 'C1'))).toEqual(
      [],
    );
  });

  it('after a crash, a new process with the same group.instance.id is refused (UNRELEASED_INSTANCE_ID) until the session timeout removes the old member', async () => {
    const scenario = await load('static-member-restart-consumer-protocol');
    const { trace } = runScenario(scenario);
    const crash = stepEvent(scenario, trace, (s) => 'crash' in s);
    const refused = stepEvent(scenario, trace, (s) => 'restart' in s, 1);
    expect(refused.happened.some((l) => l.includes('UNRELEASED_INSTANCE_ID'))).toBe(true);
    expect(refused.snapshot.consumers.find((c) => c.id === 'C0')!.status).toBe('fenced');
    const removed = trace.find((e) => e.index > crash.index && e.happened.some((l) => l.includes('C0 removed (session-timeout)')))!;
    // removal comes group.consumer.session.timeout.ms (45 s) after C0's last heartbeat (≤ 5 s before the crash)
    const prev = trace[removed.index - 1];
    expect(group(prev).members.some((m) => m.consumer === 'C0')).toBe(true);
    expect(prev.timeMs).toBeLessThan(crash.timeMs + 45_000);
    expect(removed.timeMs).toBeGreaterThan(crash.timeMs + 40_000);
    expect(group(removed).generationId).toBe(group(crash).generationId + 1);
    const last = trace.at(-1)!;
    expect(group(last).generationId).toBe(group(removed).generationId + 1);
    expect(owned(last, 'C0').length + owned(last, 'C1').length).toBe(4);
    expect(owned(last, 'C0').length).toBe(2);
  });
});
