/**
 * Story tests for the share-group scenario (KIP-932): every claim its notes make is computed over
 * the engine's trace — the sharing of partitions, the lock that expires, the record archived after
 * its fifth delivery, the lost order within a partition.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../engine/index.ts';
import type { Scenario, ScenarioResult, TraceEvent } from '../engine/index.ts';
import { loadScenarioFile } from './schema/scenario.ts';

const FILE = join(import.meta.dirname, 'scenarios', 'share-group-redelivery.yaml');

let cached: { scenario: Scenario; result: ScenarioResult } | null = null;
async function story() {
  if (!cached) {
    const scenario = await loadScenarioFile(FILE);
    cached = { scenario, result: runScenario(scenario) };
  }
  return cached;
}

/** every delivery in trace order: who got which record, with its delivery count */
function deliveries(trace: TraceEvent[]) {
  return trace.flatMap((e) =>
    e.received.flatMap((r) =>
      r.records.map((x) => ({
        event: e.index,
        consumer: r.consumer,
        tp: `${x.topic}-${x.partition}`,
        offset: x.offset,
        deliveryCount: x.deliveryCount!,
      })),
    ),
  );
}

const group = (e: TraceEvent) => e.snapshot.shareGroups![0];
const record = (e: TraceEvent, tp: string, offset: number) =>
  group(e)
    .partitions.find((p) => `${p.topic}-${p.partition}` === tp)
    ?.records.find((r) => r.offset === offset);
/** the notes the learner reads, joined */
const notes = (s: Scenario) => s.steps.flatMap((st) => ('note' in st ? [st.note] : [])).join(' ');

describe('share-group-redelivery', () => {
  it('twelve consumers on four partitions: nobody idle, each partition shared by ⌈12/4⌉ members', async () => {
    const { scenario, result } = await story();
    const afterJoin = result.trace.find((e) => e.kind === 'sharePoll')!;
    const g = group(afterJoin);
    expect(g.members).toHaveLength(12);
    expect(g.members.every((m) => m.partitions.length === 1)).toBe(true);
    const partitions = scenario.topics[0].partitions;
    for (const p of g.partitions) expect(p.members).toHaveLength(Math.ceil(g.members.length / partitions));
    // a consumer group would leave members − partitions idle: the note's "eight"
    expect(notes(scenario)).toContain(
      ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight'][g.members.length - partitions],
    );
  });

  it('the three members of a partition take different records of it in one round of polls', async () => {
    const { result } = await story();
    const round = result.trace.find((e) => e.kind === 'sharePoll' && e.received.length > 0)!;
    const got = deliveries([round]);
    expect(got).toHaveLength(12);
    expect(new Set(got.map((d) => `${d.tp}@${d.offset}`)).size).toBe(12);
    for (const p of group(round).partitions) {
      const takers = got.filter((d) => d.tp === `${p.topic}-${p.partition}`).map((d) => d.consumer);
      expect(takers.sort()).toEqual([...p.members].sort());
    }
  });

  it('a record whose lock expires goes back to available and another member of its partition gets it, after later offsets were accepted', async () => {
    const { scenario, result } = await story();
    const { trace } = result;
    const all = deliveries(trace);
    const lockLimit = group(trace[0]).recordLockDurationMs;
    // the record delivered twice that ended acknowledged (the other redelivered one is the poison record)
    const redelivered = all.find((d) => d.deliveryCount === 2 && record(trace.at(-1)!, d.tp, d.offset)?.state === 'acknowledged');
    expect(redelivered).toBeDefined();
    const first = all.find((f) => f.tp === redelivered!.tp && f.offset === redelivered!.offset && f.deliveryCount === 1)!;
    // the first holder never acknowledged it: the lock expired lockLimit ms after it was acquired
    const expired = trace.find((e) => record(e, first.tp, first.offset)?.state === 'available' && e.index > first.event)!;
    expect(expired.timeMs - trace[first.event].timeMs).toBeGreaterThanOrEqual(lockLimit);
    expect(expired.happened.some((h) => h.includes(`${first.consumer}'s acquisition lock expires`))).toBe(true);
    // no order: later offsets of the partition were acknowledged before the redelivery
    const before = trace[redelivered!.event - 1];
    const later = group(before)
      .partitions.find((p) => `${p.topic}-${p.partition}` === redelivered!.tp)!
      .records.filter((r) => r.offset !== redelivered!.offset && r.state === 'acknowledged')
      .map((r) => r.offset);
    expect(later.some((o) => o > redelivered!.offset)).toBe(true);
    expect(notes(scenario)).toContain(`offsets ${later.join(' and ')}`);
    expect(notes(scenario)).toContain(`${first.consumer} still holds t0p${first.tp.split('-')[1]} offset ${first.offset}`);
    // the late implicit ACCEPT of the first holder is refused; the new holder's is not
    expect(
      trace.some((e) => e.happened.some((h) => h.startsWith(`${first.consumer}'s ACCEPT of`) && h.includes('INVALID_RECORD_STATE'))),
    ).toBe(true);
    expect(record(trace.at(-1)!, first.tp, first.offset)).toMatchObject({ state: 'acknowledged', deliveryCount: 2 });
  });

  it('the malformed record is released on every delivery and archived on its fifth, never delivered again', async () => {
    const { result } = await story();
    const { trace } = result;
    const limit = group(trace[0]).deliveryCountLimit;
    const all = deliveries(trace);
    const poison = all.find((d) => d.deliveryCount === limit)!;
    expect(poison).toBeDefined();
    const its = all.filter((d) => d.tp === poison.tp && d.offset === poison.offset);
    expect(its.map((d) => d.deliveryCount)).toEqual(Array.from({ length: limit }, (_, i) => i + 1));
    expect(new Set(its.map((d) => d.consumer)).size).toBeGreaterThan(1);
    const final = record(trace.at(-1)!, poison.tp, poison.offset);
    expect(final).toMatchObject({ state: 'archived', deliveryCount: limit });
    // archived by a RELEASE on the last delivery, not by a REJECT
    const archivedAt = trace.find((e) => record(e, poison.tp, poison.offset)?.state === 'archived')!;
    expect(archivedAt.kind).toBe('shareCommit');
    expect(archivedAt.happened.join(' ')).toMatch(/RELEASE .* archived/);
    // its value is the malformed job the notes talk about
    const produced = trace.find((e) => e.kind === 'produce')!;
    expect(record(produced, poison.tp, poison.offset)?.value).toBe('malformed');
  });

  it('at the end every share partition start offset has reached the high watermark: nothing in flight', async () => {
    const { result } = await story();
    for (const p of group(result.trace.at(-1)!).partitions) {
      expect(p.startOffset).toBe(p.highWatermark);
      expect(p.records.every((r) => r.state === 'acknowledged' || r.state === 'archived')).toBe(true);
    }
  });
});
