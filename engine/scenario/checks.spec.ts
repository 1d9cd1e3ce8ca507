import { describe, expect, it } from 'vitest';
import { runScenario } from './runner.ts';
import { partitionForKey, utf8 } from '../producer/partition-for-key.ts';
import { checkStoryCheckReferences, formatCheckFailures, verifyStoryChecks, type StoryCheck } from './checks.ts';
import type { Scenario } from './authoring.ts';

/** Two consumers, four partitions; C1 crashes and C0 takes over after session.timeout.ms (10 s). */
function crashStory(checks: StoryCheck[]): Scenario {
  return {
    id: 'crash',
    title: 'crash',
    summary: 'crash',
    seed: 1,
    brokers: 1,
    topics: [{ name: 't0', partitions: 4 }],
    producers: [{ id: 'P0' }],
    groups: [{ id: 'g1', assignor: 'range' }],
    consumers: ['C0', 'C1'].map((id) => ({
      id,
      group: 'g1',
      topics: ['t0'],
      config: { autoOffsetReset: 'earliest' as const, enableAutoCommit: false, sessionTimeoutMs: 10_000 },
    })),
    steps: [
      { join: { consumer: 'C0' } }, // 1
      { join: { consumer: 'C1' } }, // 2
      { advanceTime: { ms: 3000 } }, // 3
      { produce: { producer: 'P0', topic: 't0', count: 8, key: 'k-{i}', value: 'v-{i}' } }, // 4
      { poll: {} }, // 5
      { process: { consumer: 'C0' } }, // 6
      { commit: { consumer: 'C0' } }, // 7
      { crash: { consumer: 'C1' } }, // 8
      { advanceTime: { ms: 15_000 } }, // 9
      { poll: { consumer: 'C0' } }, // 10
      { process: { consumer: 'C0' } }, // 11
      { commit: { consumer: 'C0' } }, // 12
    ],
    checks,
  };
}

function verify(checks: StoryCheck[]) {
  const s = crashStory(checks);
  return verifyStoryChecks(s, runScenario(s));
}

describe('story checks', () => {
  it('claims that hold pass, each with its claim in words', () => {
    const results = verify([
      { owns: { consumer: 'C1', partitions: ['t0p2', 't0p3'], at: 7 } },
      { owns: { consumer: 'C0', count: 4 } },
      { members: { group: 'g1', consumers: ['C0'] } },
      { generation: { group: 'g1', above: 7 } },
      { generation: { group: 'g1', at: 8, sameAs: 3 } },
      { groupState: { group: 'g1', is: 'Stable' } },
      { lag: { group: 'g1', equals: 0 } },
      { lag: { group: 'g1', at: 5, atLeast: 1 } },
      { committed: { group: 'g1', partition: 't0p2', at: 7, none: true } },
      { processedOnce: {} },
      { processed: { value: 'v-3', times: 1 } },
      { delivery: { value: 'v-0', status: 'acked' } },
      { inLog: { partition: `t0-${partitionForKey(utf8('k-1'), 4)}`, key: 'k-1' } },
      { leader: { partition: 't0p0', broker: 0 } },
      { isr: { partition: 't0p1', brokers: [0] } },
    ]);
    for (const r of results) expect(r, r.claim).toMatchObject({ ok: true, message: null });
    expect(results[0].claim).toBe('after step 7, C1 owns exactly [t0p2, t0p3]');
    expect(results[6].claim).toBe('at the end, the lag of group g1 is 0');
  });

  it('a claim the engine contradicts fails with what the engine computed', () => {
    const results = verify([
      { owns: { consumer: 'C1', partition: 't0p0', at: 7 } },
      { generation: { group: 'g1', sameAs: 7 } },
      { processed: { value: 'v-3', times: 0 } },
      { lag: { group: 'g1', at: 5, equals: 0 } },
      { error: { at: 10, includes: 'CommitFailedException' } },
      { inLog: { partition: 't0p3', value: 'nope' } },
    ]);
    expect(results.map((r) => r.ok)).toEqual([false, false, false, false, false, false]);
    const lines = formatCheckFailures(results);
    expect(lines[0]).toBe('checks[0]: after step 7, C1 owns t0p0 — but C1 owns [t0p2, t0p3]');
    expect(lines[1]).toMatch(
      /^checks\[1\]: at the end, group g1's generationId is the same as after step 7 — but generationId: 2 at the end, 1 after step 7$/,
    );
    expect(lines[2]).toBe('checks[2]: the record with value v-3 is processed by the consumers never — but it was processed 1 time');
    expect(lines[3]).toMatch(/^checks\[3\]: after step 5, the lag of group g1 is 0 — but the lag of group g1 is 8$/);
    expect(lines[4]).toContain('the step hit no error');
  });

  it('a step number beyond the timeline is a failure, not a crash', () => {
    const [r] = verify([{ lag: { group: 'g1', at: 99, equals: 0 } }]);
    expect(r.ok).toBe(false);
    expect(r.message).toContain('only 12 steps');
  });

  it('references: unknown names, partitions and step numbers are named with their path', () => {
    const problems = checkStoryCheckReferences(
      crashStory([
        { owns: { consumer: 'C9', partition: 't0p7' } },
        { lag: { group: 'g2', at: 13 } },
        { isr: { partition: 't0p0', brokers: [4] } },
      ]),
    );
    expect(problems.map((p) => p.path.join('.'))).toEqual([
      'checks.0.owns.consumer',
      'checks.0.owns.partition',
      'checks.1.lag.group',
      'checks.1.lag.at',
      'checks.2.isr.brokers',
    ]);
    expect(problems[0].expected).toBe('one of the declared consumers: "C0", "C1"');
    expect(problems[3].expected).toContain('from 0 (start) to 12');
  });
});
