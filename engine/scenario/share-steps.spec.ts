import { describe, expect, it } from 'vitest';
import { runScenario } from './runner.ts';
import { checkScenarioReferences } from './references.ts';
import type { Scenario, Step } from './authoring.ts';
import type { TraceEvent } from './trace.ts';
import { DEFAULT_RECORD_LOCK_DURATION_MS, DEFAULT_SHARE_SESSION_TIMEOUT_MS } from '../share/share-config.ts';

/** sg1 on t0 (1 partition) with share consumers C0 (implicit) and C1 (explicit), P0 producing */
function world(steps: Step[], group: Scenario['shareGroups'] = [{ id: 'sg1', autoOffsetReset: 'earliest' }]): Scenario {
  return {
    id: 'share-steps',
    title: 't',
    summary: 's',
    seed: 1,
    brokers: 1,
    topics: [{ name: 't0', partitions: 1 }],
    producers: [{ id: 'P0' }],
    shareGroups: group,
    shareConsumers: [
      { id: 'C0', group: 'sg1', topics: ['t0'] },
      { id: 'C1', group: 'sg1', topics: ['t0'], config: { shareAcknowledgementMode: 'explicit' } },
    ],
    steps,
  };
}
const produce = (count: number): Step => ({ produce: { producer: 'P0', topic: 't0', count, value: 'v{i}' } });
const records = (e: TraceEvent) => e.snapshot.shareGroups![0].partitions[0].records;
const received = (e: TraceEvent, c: string) => e.received.find((r) => r.consumer === c)?.records.map((r) => r.offset) ?? [];

describe('share-group steps in a scenario', () => {
  it('explicit mode: poll() with records still unacknowledged fails with IllegalStateException; acknowledged, it goes on', () => {
    const { trace } = runScenario(
      world([
        produce(2),
        { sharePoll: { consumer: 'C1' } },
        { sharePoll: { consumer: 'C1' } },
        { acknowledge: { consumer: 'C1', type: 'accept' } },
        { sharePoll: { consumer: 'C1' } },
      ]),
    );
    expect(trace[3].error).toMatch(/^C1: IllegalStateException: 2 record\(s\) of the last poll\(\) are not acknowledged/);
    expect(trace[5].error).toBeNull();
    expect(records(trace[5]).map((r) => r.state)).toEqual(['acknowledged', 'acknowledged']);
  });

  it('acknowledge() by an implicit consumer, or naming an undeclared share consumer, is a reference problem', () => {
    const problems = checkScenarioReferences(
      world([{ acknowledge: { consumer: 'C0', type: 'accept' } }, { shareCommit: { consumer: 'C9' } }]),
    );
    expect(problems.map((p) => p.path.join('.'))).toEqual(['steps.0.acknowledge.consumer', 'steps.1.shareCommit.consumer']);
    expect(problems[0].message).toContain('acknowledges implicitly');
  });

  it('share.auto.offset.reset=latest (the default) skips what was written before the group first read the partition', () => {
    const { trace } = runScenario(
      world([produce(3), { sharePoll: { consumer: 'C0' } }, produce(2), { sharePoll: { consumer: 'C0' } }], [{ id: 'sg1' }]),
    );
    expect(received(trace[2], 'C0')).toEqual([]);
    expect(received(trace[4], 'C0')).toEqual([3, 4]);
  });

  it('close() releases the records it holds without counting a delivery, and the member leaves', () => {
    const { trace } = runScenario(
      world([produce(2), { sharePoll: { consumer: 'C1' } }, { shareClose: { consumer: 'C1' } }, { sharePoll: { consumer: 'C0' } }]),
    );
    expect(records(trace[3]).map((r) => [r.state, r.deliveryCount])).toEqual([
      ['available', 1],
      ['available', 1],
    ]);
    expect(trace[3].snapshot.shareGroups![0].members.find((m) => m.id === 'C1')).toMatchObject({ status: 'closed', member: false });
    expect(received(trace[4], 'C0')).toEqual([0, 1]);
    expect(trace[4].received[0].records.map((r) => r.deliveryCount)).toEqual([2, 2]);
  });

  it('a crashed member: its locks expire after the lock duration, and the group removes it after the session timeout', () => {
    const { trace } = runScenario(
      world([
        produce(1),
        { sharePoll: { consumer: 'C0' } },
        { sharePoll: { consumer: 'C1' } },
        { shareCrash: { consumer: 'C0' } },
        { advanceTime: { ms: DEFAULT_RECORD_LOCK_DURATION_MS } },
        { advanceTime: { ms: DEFAULT_SHARE_SESSION_TIMEOUT_MS - DEFAULT_RECORD_LOCK_DURATION_MS } },
      ]),
    );
    expect(records(trace[5])[0]).toMatchObject({ state: 'available', deliveryCount: 1 });
    expect(trace[5].happened.join(' ')).toContain(`C0's acquisition lock expires at ${DEFAULT_RECORD_LOCK_DURATION_MS} ms`);
    expect(trace[5].snapshot.shareGroups![0].members.find((m) => m.id === 'C0')!.member).toBe(true);
    expect(trace[6].happened).toContain('sg1: C0 removed (session timeout) (group epoch 3)');
    expect(trace[6].snapshot.shareGroups![0].members.find((m) => m.id === 'C0')!.member).toBe(false);
  });

  it('the share groups leave classic scenarios alone: no shareGroups in their snapshots', () => {
    const s: Scenario = { ...world([produce(1)]), shareGroups: undefined, shareConsumers: undefined };
    expect(runScenario(s).trace.every((e) => e.snapshot.shareGroups === undefined)).toBe(true);
  });
});
