/** The scenario format's `commit.offsets` (tpKey → offset): keys like "t0-1", non-negative integer offsets. */
import { describe, expect, it } from 'vitest';
import { scenarioIssues } from './scenario.ts';

const scenario = (offsets: unknown) => ({
  id: 'x',
  title: 'x',
  summary: 'x',
  seed: 1,
  brokers: 1,
  topics: [{ name: 't0', partitions: 2 }],
  groups: [{ id: 'g0', assignor: 'range' }],
  consumers: [{ id: 'C0', group: 'g0', topics: ['t0'] }],
  steps: [{ join: { consumer: 'C0' } }, { commit: { consumer: 'C0', offsets } }],
});

describe('commit.offsets in a scenario file', () => {
  it('accepts tpKey → offset', () => {
    expect(scenarioIssues(scenario({ 't0-0': 3, 't0-1': 0 }), 'x')).toEqual([]);
  });
  it('refuses a key in the lesson notation and a negative or fractional offset, naming the path', () => {
    expect(scenarioIssues(scenario({ t0p1: 1 }), 'x').map((i) => i.path)).toContain('steps[1].commit.offsets.t0p1');
    expect(scenarioIssues(scenario({ 't0-1': -1 }), 'x').map((i) => i.path)).toContain('steps[1].commit.offsets.t0-1');
    expect(scenarioIssues(scenario({ 't0-1': 1.5 }), 'x')).not.toEqual([]);
  });
});
