import { describe, expect, it } from 'vitest';
import { runScenario } from './runner.ts';
import type { Scenario } from './authoring.ts';

/** C0 processes everything of t0 (2 partitions), then C1 joins: the partition that moves is handed over */
function handover(assignor: 'range' | 'cooperative-sticky', commitOnRevoke: boolean): Scenario {
  const config = { enableAutoCommit: false, autoOffsetReset: 'earliest' as const, commitOnRevoke };
  return {
    id: 'handover',
    title: 'handover',
    summary: 'handover',
    seed: 1,
    brokers: 1,
    topics: [{ name: 't0', partitions: 2 }],
    producers: [{ id: 'P0' }],
    groups: [{ id: 'g1', assignor }],
    consumers: [
      { id: 'C0', group: 'g1', topics: ['t0'], config },
      { id: 'C1', group: 'g1', topics: ['t0'], config },
    ],
    steps: [
      { join: { consumer: 'C0' } },
      { advanceTime: { ms: 3000 } },
      { produce: { producer: 'P0', topic: 't0', count: 6, key: 'k{i}', value: 'v{i}' } },
      { poll: { consumer: 'C0' } },
      { process: { consumer: 'C0' } },
      { join: { consumer: 'C1' } },
      ...Array.from({ length: 4 }, () => [
        { advanceTime: { ms: 3000 } },
        { poll: { consumers: ['C0', 'C1'] } },
        { process: { consumer: 'C1' } },
      ]).flat(),
    ],
  };
}

const twice = (s: Scenario) => {
  const { state } = runScenario(s);
  const c0 = new Set(state.processed.C0.map((r) => `${r.partition}@${r.offset}`));
  return state.processed.C1.filter((r) => c0.has(`${r.partition}@${r.offset}`)).length;
};

describe('commitOnRevoke: committing in onPartitionsRevoked', () => {
  for (const assignor of ['range', 'cooperative-sticky'] as const) {
    it(`${assignor === 'range' ? 'eager' : 'cooperative'}: with the commit on revoke the new owner processes nothing twice; without it, the moved partition's records again`, () => {
      expect(twice(handover(assignor, true))).toBe(0);
      expect(twice(handover(assignor, false))).toBeGreaterThan(0);
    });
  }

  it('an explicit offset map commits exactly those offsets, keyed by tpKey ("t0-1")', () => {
    const s = handover('range', false);
    s.steps = [...s.steps.slice(0, 5), { commit: { consumer: 'C0', offsets: { 't0-1': 1 } } }];
    const { trace } = runScenario(s);
    const offsets = trace[trace.length - 1].snapshot.groups[0].offsets;
    expect(offsets.map((o) => o.committed)).toEqual([null, 1]);
  });
});
