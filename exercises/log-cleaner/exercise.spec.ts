/**
 * What the log-cleaner checkpoint promises about its own tests, checked on the data: the reference passes every
 * story and generated log; each mistake breaks its `caughtBy` story with the failure that names it in Kafka's
 * terms; the generated logs reach the cases the rules are about; and each replay is a valid scenario that the
 * scenario runner plays to the same log the case describes, ending where the engine's answer says (so the
 * player shows exactly what was graded). Grading through the sandbox is ../verify.spec.ts's job.
 */
import * as fc from 'fast-check';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario, type CleanerRecord, type SegmentSummary } from '../../engine/index.ts';
import { scenarioIssues } from '../../content/schema/scenario.ts';
import type { Plain, SimulationCall } from '../../grader/index.ts';
import exercise, { compactionStories, generatedTests, retentionStories, runCompaction, runRetention } from './exercise.ts';
import {
  compactionArbitrary,
  compactionInput,
  compactionScenario,
  expectedCompaction,
  expectedDeletions,
  retentionArbitrary,
  retentionInput,
  retentionScenario,
} from './cases.ts';

type Module = {
  deleteOldSegments: (s: SegmentSummary[], now: number, ms: number, bytes: number) => number[];
  compact: (r: CleanerRecord[], d: number, now: number, dr: number) => CleanerRecord[];
};
const copy = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
async function callOf(file: string): Promise<SimulationCall> {
  const mod = (await import(join(import.meta.dirname, file))) as Module;
  return (fn, args) => copy((mod as unknown as Record<string, (...a: Plain[]) => unknown>)[fn](...copy(args)));
}
const stories = [
  ...retentionStories.map((s) => ({ ...s, part: 'retention' as const })),
  ...compactionStories.map((s) => ({ ...s, part: 'compaction' as const })),
];
const runStory = (call: SimulationCall, id: string) => {
  const s = stories.find((x) => x.id === id)!;
  return s.part === 'retention' ? runRetention(call, s.case as never, s.title) : runCompaction(call, s.case as never, s.title);
};

describe('the reference solution', () => {
  it('passes every story, and 300 generated logs of each part', async () => {
    const call = await callOf('solution.ts');
    for (const s of stories) expect(runStory(call, s.id), s.id).toBeUndefined();
    fc.assert(
      fc.property(retentionArbitrary({ lateRecords: true }), (c) => runRetention(call, c, 'x') === undefined),
      { numRuns: 300, seed: 5 },
    );
    fc.assert(
      fc.property(compactionArbitrary(), (c) => runCompaction(call, c, 'x') === undefined),
      { numRuns: 300, seed: 5 },
    );
  });
});

describe('each mistake breaks its story, named in Kafka terms', () => {
  const expected: Record<string, RegExp> = {
    'mistakes/oldest-record-timestamp.ts': /^deleted segment \[0\.\.1\], which has not expired: its newest record is 55000 ms old/,
    'mistakes/delete-every-expired-segment.ts': /^deleted past a segment that has not expired: you kept \[0\.\.1\] but deleted \[4\.\.5\]/,
    'mistakes/retention-bytes-overshoot.ts': /^deleted the active segment \[6\]/,
    'mistakes/keep-first-value.ts': /^dropped key bob's latest value 4: bob=b5: compaction keeps the latest record of every key/,
    'mistakes/renumber-offsets.ts':
      /^renumbered records: you returned 0: carol=c4, but offset 0 holds 0: alice=a1 \(carol=c4 is at offset 3\)/,
    'mistakes/group-by-key.ts': /^reordered records: 4: bob=b5 comes after 5: alice=a6/,
    'mistakes/drop-tombstones-at-once.ts':
      /^removed the tombstone 3: bob=null before delete\.retention\.ms: this pass is the first to see it/,
    'mistakes/keep-tombstones-forever.ts': /^kept the tombstone 2: bob=null forever: its delete horizon 20000 ms has passed/,
  };
  it('lists every mistake file', () => {
    expect(exercise.mistakes.map((m) => m.file).sort()).toEqual(Object.keys(expected).sort());
  });
  it.each(exercise.mistakes.map((m) => [m.file, m.caughtBy] as const))('%s → %s', async (file, caughtBy) => {
    const verdict = runStory(await callOf(file), caughtBy);
    expect(verdict?.message).toMatch(expected[file]);
    expect(verdict?.replay).toBeDefined();
  });
});

describe('generated logs', () => {
  it('run 150+ cases each; the retention one with late records is hidden', () => {
    for (const t of generatedTests) expect(t.numRuns).toBeGreaterThanOrEqual(150);
    expect(generatedTests.filter((t) => t.hidden).map((t) => t.id)).toEqual(['generated-retention-bytes-and-late-records']);
  });
  it('reach none, some and every segment deleted, by time and by size; tombstones kept, stamped and removed', () => {
    const rs = fc.sample(retentionArbitrary({ lateRecords: true }), { seed: 3, numRuns: 300 });
    const counts = rs.map((c) => [expectedDeletions(c).length, retentionInput(c).length]);
    expect(counts.some(([d]) => d === 0)).toBe(true);
    expect(counts.some(([d, n]) => d > 0 && d < n)).toBe(true);
    expect(counts.some(([d, n]) => d === n)).toBe(true);
    expect(rs.some((c) => c.retentionBytes >= 0 && expectedDeletions(c).length > 0)).toBe(true);
    const cs = fc.sample(compactionArbitrary(), { seed: 3, numRuns: 300 });
    const tomb = (c: (typeof cs)[number]) => {
      const i = compactionInput(c);
      const out = expectedCompaction(c);
      return {
        stamped: out.some((r) => r.value === null && i.records.find((x) => x.offset === r.offset)!.deleteHorizonMs === undefined),
        removed: i.records.some((r) => r.value === null && r.deleteHorizonMs !== undefined && !out.some((o) => o.offset === r.offset)),
        kept: out.some((r) => r.value === null && i.records.find((x) => x.offset === r.offset)!.deleteHorizonMs !== undefined),
        clean: i.firstDirtyOffset > (i.records[0]?.offset ?? 0),
      };
    };
    const t = cs.map(tomb);
    expect(t.some((x) => x.stamped)).toBe(true);
    expect(t.some((x) => x.removed)).toBe(true);
    expect(t.some((x) => x.kept)).toBe(true);
    expect(t.some((x) => x.clean)).toBe(true);
  });
});

describe('the replay plays the graded case', () => {
  it('retention: a valid scenario; before the check the log has the case’s segments, after it Kafka’s deletions are gone (150 logs)', () => {
    for (const c of fc.sample(retentionArbitrary({ lateRecords: true }), { seed: 9, numRuns: 150 })) {
      const scenario = retentionScenario(c, 'Replay: x', 'x', 'a note');
      expect(scenarioIssues(copy(scenario), 'replay')).toEqual([]);
      const { trace } = runScenario(scenario);
      const before = trace[trace.length - 2].snapshot.partitions[0];
      const after = trace[trace.length - 1].snapshot.partitions[0];
      const segs = retentionInput(c);
      expect(before.segments.map((s) => [s.baseOffset, s.recordCount, s.sizeInBytes])).toEqual(
        segs.map((s) => [s.baseOffset, s.recordCount, s.sizeInBytes]),
      );
      const deleted = expectedDeletions(c);
      const startAfter = deleted.length === segs.length ? before.logEndOffset : segs[deleted.length].baseOffset;
      expect(after.logStartOffset).toBe(startAfter);
      expect(after.segments.map((s) => s.baseOffset)).toEqual(
        deleted.length === segs.length ? [before.logEndOffset] : segs.slice(deleted.length).map((s) => s.baseOffset),
      );
    }
  });

  it('compaction: a valid scenario; after the second pass the log below the active segment is the engine’s answer (150 logs)', () => {
    for (const c of fc.sample(compactionArbitrary(), { seed: 9, numRuns: 150 })) {
      const scenario = compactionScenario(c, 'Replay: x', 'x', 'a note');
      expect(scenarioIssues(copy(scenario), 'replay')).toEqual([]);
      const { trace, state } = runScenario(scenario);
      const input = compactionInput(c);
      const activeBase = trace[trace.length - 1].snapshot.partitions[0].segments.at(-1)!.baseOffset;
      const beforePass = trace[trace.length - 2].snapshot.partitions[0].records.filter((r) => r.offset < activeBase);
      expect(beforePass.map((r) => `${r.offset}:${r.key}=${r.value}`)).toEqual(input.records.map((r) => `${r.offset}:${r.key}=${r.value}`));
      const cleaned = state.logs.t0p0.filter((r) => r.offset < activeBase);
      expect(cleaned.map((r) => `${r.offset}:${r.key}=${r.value}`)).toEqual(
        expectedCompaction(c).map((r) => `${r.offset}:${r.key}=${r.value}`),
      );
    }
  });

  it('names the anomaly in a note right before the check, and the summary is the reported failure', async () => {
    const v = runStory(await callOf('mistakes/retention-bytes-overshoot.ts'), 'retention-bytes-keeps-the-active-segment')!;
    const steps = v.replay!.steps;
    const i = steps.findIndex(
      (s) => 'note' in s && s.note.startsWith('Anomaly — your deleteOldSegments deleted [0..1], [2..3], [4..5], [6]'),
    );
    expect(i).toBeGreaterThan(0);
    expect(steps.at(-1)).toHaveProperty('advanceTime');
    expect(v.replay!.summary).toBe(v.message);
  });
});
