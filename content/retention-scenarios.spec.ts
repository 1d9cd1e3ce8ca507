/**
 * Story tests for the retention and compaction scenarios of lesson 05 (the three new ones; the linked
 * compacted-changelog and retention-deletes-unconsumed-data are checked in content/scenarios.spec.ts). Each
 * claim the notes make is computed over the engine's trace and final state, never typed into the file.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { partitionForKey, runScenario, utf8 } from '../engine/index.ts';
import type { PartitionView, Scenario, ScenarioResult } from '../engine/index.ts';
import { loadScenarioFile } from './schema/scenario.ts';

const DIR = join(import.meta.dirname, 'scenarios');
async function story(id: string): Promise<{ scenario: Scenario; result: ScenarioResult }> {
  const scenario = await loadScenarioFile(join(DIR, `${id}.yaml`));
  return { scenario, result: runScenario(scenario) };
}
const size = (p: PartitionView) => p.segments.reduce((n, s) => n + s.sizeInBytes, 0);
const configs = (s: Scenario, topic: string) => s.topics.find((t) => t.name === topic)!.configs!;

describe('retention-bytes-one-partition', () => {
  it('every note that names a segment size says it is a toy size, and the first says Kafka’s minimum is 1 MiB', async () => {
    const { scenario } = await story('retention-bytes-one-partition');
    expect((scenario.steps[0] as { note: string }).note).toMatch(/toy-sized \(100 bytes\).*minimum segment\.bytes is 1 MiB/);
  });

  it('host-a and host-c hash to different partitions; only host-a’s partition passes retention.bytes', async () => {
    const { scenario, result } = await story('retention-bytes-one-partition');
    expect(partitionForKey(utf8('host-a'), 2)).toBe(0);
    expect(partitionForKey(utf8('host-c'), 2)).toBe(1);
    const limit = configs(scenario, 'metrics').retentionBytes!;
    const before = result.trace.find((e) => e.kind === 'advanceTime')!.index - 1;
    const [p0, p1] = result.trace[before].snapshot.partitions;
    expect(size(p0)).toBeGreaterThan(limit);
    expect(size(p1)).toBeLessThan(limit);
  });

  it('the check trims metrics-0 oldest first to no less than retention.bytes — one more segment would go under it — and leaves metrics-1 alone', async () => {
    const { scenario, result } = await story('retention-bytes-one-partition');
    const limit = configs(scenario, 'metrics').retentionBytes!;
    const check = result.trace.find((e) => e.kind === 'advanceTime')!;
    const before = result.trace[check.index - 1].snapshot.partitions;
    const [p0, p1] = check.snapshot.partitions;
    expect(check.happened.some((h) => h.startsWith('retention (retention.bytes)') && h.includes('metrics-0'))).toBe(true);
    expect(p0.logStartOffset).toBeGreaterThan(0);
    expect(size(p0)).toBeGreaterThanOrEqual(limit);
    expect(size(p0) - p0.segments[0].sizeInBytes).toBeLessThan(limit);
    // the deleted ones were the oldest: what remains is a suffix of the segments before
    expect(p0.segments.map((s) => s.baseOffset)).toEqual(before[0].segments.slice(-p0.segments.length).map((s) => s.baseOffset));
    expect(p1).toEqual(before[1]);
    // the topic holds more than retention.bytes: the limit is per partition
    expect(size(p0) + size(p1)).toBeGreaterThan(limit);
  });
});

describe('tombstone-missed-by-slow-consumer', () => {
  it('C0 (search-index) reads the tombstone for carol before the cleaner removes it', async () => {
    const { result } = await story('tombstone-missed-by-slow-consumer');
    expect(result.state.processed.C0.some((r) => r.key === 'carol' && r.value === null)).toBe(true);
  });

  it('the cleaner keeps the tombstone at first, removes it on a pass more than delete.retention.ms later, and carol is gone from the log', async () => {
    const { scenario, result } = await story('tombstone-missed-by-slow-consumer');
    const deleteRetentionMs = configs(scenario, 'user-profiles').deleteRetentionMs!;
    const has = (e: (typeof result.trace)[number]) => e.snapshot.partitions[0].records.some((r) => r.key === 'carol' && r.value === null);
    const firstPass = result.trace.find((e) => e.happened.some((h) => h.startsWith('the log cleaner compacted')))!;
    expect(has(firstPass)).toBe(true);
    const removal = result.trace.find((e) => e.happened.some((h) => /1 tombstone\(s\) removed/.test(h)))!;
    expect(removal.timeMs - firstPass.timeMs).toBeGreaterThanOrEqual(deleteRetentionMs);
    expect(has(result.trace[removal.index - 1])).toBe(true);
    expect(has(removal)).toBe(false);
    expect(result.state.logs['user-profiles-0'].some((r) => r.key === 'carol')).toBe(false);
  });

  it('C1 (email-cache) was down longer than delete.retention.ms, resumes past the tombstone’s offset and never sees it: its cache keeps carol', async () => {
    const { scenario, result } = await story('tombstone-missed-by-slow-consumer');
    const deleteRetentionMs = configs(scenario, 'user-profiles').deleteRetentionMs!;
    const crash = result.trace.find((e) => e.kind === 'crash')!;
    const restart = result.trace.find((e) => e.kind === 'restart')!;
    expect(restart.timeMs - crash.timeMs).toBeGreaterThan(deleteRetentionMs);
    const seen = result.state.processed.C1;
    expect(seen.some((r) => r.key === 'carol' && r.value === null)).toBe(false);
    // C1's view: the last value of each key it processed
    const cache = new Map<string, string | null>();
    for (const r of seen) cache.set(r.key!, r.value);
    expect(cache.get('carol')).toBe('carol@c.io');
    // C0's view has no carol
    const c0 = new Map<string, string | null>();
    for (const r of result.state.processed.C0) c0.set(r.key!, r.value);
    expect(c0.get('carol')).toBeNull();
  });
});

describe('compact-delete', () => {
  it('the cleaner removes superseded values first, keeping offsets (gaps appear)', async () => {
    const { result } = await story('compact-delete');
    const pass = result.trace.find((e) => e.happened.some((h) => h.startsWith('the log cleaner compacted')))!;
    const p = pass.snapshot.partitions[0];
    expect(p.logEndOffset - p.logStartOffset).toBeGreaterThan(p.records.length);
    const before = result.trace[pass.index - 1].snapshot.partitions[0];
    // every record that stayed kept its offset and value
    for (const r of p.records) expect(before.records.find((x) => x.offset === r.offset)).toEqual(r);
  });

  it('retention then deletes the oldest segment once its newest record is older than retention.ms — with sensor-3’s only value', async () => {
    const { scenario, result } = await story('compact-delete');
    const retentionMs = configs(scenario, 'device-state').retentionMs!;
    const del = result.trace.find((e) => e.happened.some((h) => h.startsWith('retention (retention.ms)')))!;
    const before = result.trace[del.index - 1].snapshot.partitions[0];
    const sensor3 = before.records.filter((r) => r.key === 'sensor-3');
    expect(sensor3).toHaveLength(1);
    expect(del.timeMs - sensor3[0].timestamp).toBeGreaterThan(retentionMs);
    expect(del.snapshot.partitions[0].logStartOffset).toBeGreaterThan(sensor3[0].offset);
    expect(result.state.logs['device-state-0'].some((r) => r.key === 'sensor-3')).toBe(false);
    // the keys still reporting keep their latest value
    for (const key of ['sensor-1', 'sensor-2']) {
      const written = result.state.deliveries.P0.filter((d) => d.key === key);
      const latest = written[written.length - 1];
      expect(result.state.logs['device-state-0'].find((r) => r.key === key && r.offset === latest.offset)?.value).toBe(latest.value);
    }
  });
});

describe('every retention or compaction scenario says its segments are toy-sized', () => {
  it.each([
    'retention-bytes-one-partition',
    'tombstone-missed-by-slow-consumer',
    'compact-delete',
    'compacted-changelog',
    'retention-deletes-unconsumed-data',
  ])('%s: its first note with the segment size says "toy" and names Kafka’s 1 MiB minimum', async (id) => {
    const { scenario } = await story(id);
    const bytes = scenario.topics[0].configs!.segmentBytes!;
    const notes = scenario.steps.flatMap((s) => ('note' in s ? [s.note.replace(/\s+/g, ' ')] : []));
    const note = notes.find((n) => n.includes(`${bytes} bytes`));
    expect(note, `${id}: no note names segment.bytes ${bytes}`).toBeDefined();
    expect(note).toMatch(/toy/);
    expect(note).toMatch(/minimum (segment\.bytes )?is 1 MiB/);
  });
});
