/**
 * The scenario step `commit: { consumer, offsets, mode? }`: commitSync / commitAsync of exactly the given
 * offsets (Kafka's commitSync(Map<TopicPartition, OffsetAndMetadata>)) — the step the commit-logic replay
 * is written in. Like Kafka's coordinator, the runner checks the member and generation, not ownership or
 * how far the consumer has read.
 */
import { describe, expect, it } from 'vitest';
import { runScenario } from './runner.ts';
import type { Scenario, Step } from './authoring.ts';

const base = (steps: Step[]): Scenario => ({
  id: 'explicit-offsets',
  title: 'Explicit offsets',
  summary: 'C0 commits exactly the offsets it names.',
  seed: 1,
  brokers: 1,
  topics: [{ name: 't0', partitions: 2 }],
  producers: [{ id: 'P0' }],
  groups: [{ id: 'g0', assignor: 'range' }],
  consumers: [
    { id: 'C0', group: 'g0', topics: ['t0'], config: { enableAutoCommit: false, autoOffsetReset: 'earliest' } },
    { id: 'C1', group: 'g0', topics: ['t0'], config: { enableAutoCommit: false, autoOffsetReset: 'earliest' } },
  ],
  steps: [
    { produce: { producer: 'P0', topic: 't0', partition: 0, count: 5, value: 'v{i}' } },
    { join: { consumer: 'C0' } },
    { join: { consumer: 'C1' } },
    { advanceTime: { ms: 3000 } },
    ...steps,
  ],
});
const committed = (r: ReturnType<typeof runScenario>) => r.trace.at(-1)!.snapshot.groups[0].offsets.map((o) => o.committed);

describe('commit with explicit offsets', () => {
  it('commits exactly the named offsets, not the positions, sync and async', () => {
    const r = runScenario(base([{ poll: { consumer: 'C0' } }, { commit: { consumer: 'C0', offsets: { 't0-0': 2 } } }]));
    expect(committed(r)).toEqual([2, null]);
    expect(r.trace.at(-1)!.description).toBe('C0 commitSync(offsets): t0p0=2');
    const a = runScenario(base([{ commit: { consumer: 'C0', mode: 'async', offsets: { 't0-0': 1, 't0-1': 0 } } }]));
    expect(committed(a)).toEqual([1, 0]);
    expect(a.trace.at(-1)!.description).toBe('C0 commitAsync(offsets): t0p0=1, t0p1=0');
  });

  it('a partition the consumer does not own is committed too: the coordinator checks member and generation only', () => {
    // range: C0 owns t0p0, C1 owns t0p1; C0 commits t0p1
    const r = runScenario(base([{ poll: {} }, { commit: { consumer: 'C0', offsets: { 't0-1': 7 } } }]));
    expect(r.trace.at(-1)!.error).toBeNull();
    expect(committed(r)).toEqual([null, 7]);
  });

  it("without offsets, the step still commits every owned partition's position (unchanged)", () => {
    const r = runScenario(base([{ poll: { consumer: 'C0' } }, { commit: { consumer: 'C0' } }]));
    expect(r.trace.at(-1)!.description).toBe('C0 commitSync(): t0p0=5');
  });

  it('a key that is not a partition of a declared topic fails the run naming the step', () => {
    expect(() => runScenario(base([{ commit: { consumer: 'C0', offsets: { 't9-0': 1 } } }]))).toThrow(
      /steps\[4\]\.commit\.offsets\.t9-0: not a partition of a declared topic.*received "t9-0"/,
    );
  });
});
