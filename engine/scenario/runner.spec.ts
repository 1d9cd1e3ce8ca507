import { describe, expect, it } from 'vitest';
import { partitionForKey, utf8 } from '../producer/partition-for-key.ts';
import { partitionLabel } from '../common/notation.ts';
import { runScenario } from './runner.ts';
import { checkScenarioReferences, ScenarioError, stepKind } from './references.ts';
import type { Scenario, Step } from './authoring.ts';

/** one broker, topic t0 with `partitions` partitions, producer P0, group g1 (range) with C0, C1 */
function base(steps: Step[], over: Partial<Scenario> = {}): Scenario {
  return {
    id: 'spec',
    title: 'spec',
    summary: 'spec',
    seed: 1,
    brokers: 1,
    topics: [{ name: 't0', partitions: 3 }],
    producers: [{ id: 'P0' }],
    groups: [{ id: 'g1', assignor: 'range' }],
    consumers: [
      { id: 'C0', group: 'g1', topics: ['t0'], config: { autoOffsetReset: 'earliest' } },
      { id: 'C1', group: 'g1', topics: ['t0'], config: { autoOffsetReset: 'earliest' } },
    ],
    steps,
    ...over,
  };
}

describe('runScenario', () => {
  it('one keyed record: event 0 is the setup, event 1 the produce; the record sits at hash(key) % 3, written by P0', () => {
    const { trace, state } = runScenario(base([{ produce: { producer: 'P0', topic: 't0', key: 'order-42', value: 'created' } }]));
    expect(trace.map((e) => [e.index, e.step, e.kind])).toEqual([
      [0, null, 'start'],
      [1, 0, 'produce'],
    ]);
    const p = partitionForKey(utf8('order-42'), 3);
    const view = trace[1].snapshot.partitions.find((x) => x.partition === p)!;
    expect(view.records).toEqual([{ offset: 0, key: 'order-42', value: 'created', timestamp: 0, producer: 'P0', leaderEpoch: 0 }]);
    expect(view.logEndOffset).toBe(1);
    expect(view.highWatermark).toBe(1);
    expect(trace[1].deliveries).toEqual([expect.objectContaining({ producer: 'P0', status: 'acked', partition: p, offset: 0 })]);
    expect(state.logs[`t0p${p}`].map((r) => r.value)).toEqual(['created']);
    expect(state.totals).toEqual({ produced: 1, received: 0, processed: 0 });
  });

  it('the same scenario twice gives a byte-identical JSON trace; another seed moves keyless records elsewhere', () => {
    const steps: Step[] = [{ produce: { producer: 'P0', topic: 't0', count: 40, key: null, value: 'v{i}' } }];
    const small = { producers: [{ id: 'P0', config: { batchSize: 64, lingerMs: 0 } }] };
    const a = JSON.stringify(runScenario(base(steps, small)));
    expect(JSON.stringify(runScenario(base(steps, small)))).toBe(a);
    const seeds = [2, 3, 4, 5].map((seed) => JSON.stringify(runScenario(base(steps, { ...small, seed })).state.logs));
    expect(seeds.some((s) => s !== JSON.stringify(JSON.parse(a).state.logs))).toBe(true);
  });

  it('count with templates: {i} is the index, {i%2} the index mod 2', () => {
    const { state } = runScenario(
      base([{ produce: { producer: 'P0', topic: 't0', count: 4, key: 'k{i%2}', value: 'v{i}', partition: 0 } }]),
    );
    expect(state.logs.t0p0.map((r) => [r.key, r.value])).toEqual([
      ['k0', 'v0'],
      ['k1', 'v1'],
      ['k0', 'v2'],
      ['k1', 'v3'],
    ]);
  });

  it('recordLimit keeps the newest records in snapshots and counts the rest as omitted; state keeps all', () => {
    const { trace, state } = runScenario(base([{ produce: { producer: 'P0', topic: 't0', count: 10, value: 'v{i}', partition: 1 } }]), {
      recordLimit: 3,
    });
    const view = trace[1].snapshot.partitions[1];
    expect(view.records.map((r) => r.offset)).toEqual([7, 8, 9]);
    expect(view.recordsOmitted).toBe(7);
    expect(view.recordCount).toBe(10);
    expect(state.logs.t0p1).toHaveLength(10);
  });

  it('trace "none" returns no events, but the final state and totals', () => {
    const steps: Step[] = [
      { join: { consumer: 'C0' } },
      { advanceTime: { ms: 3000 } },
      { produce: { producer: 'P0', topic: 't0', count: 9, key: 'k{i}', value: 'v' } },
      { poll: {} },
      { process: { consumer: 'C0' } },
    ];
    const none = runScenario(base(steps), { trace: 'none', keepHistory: false });
    const full = runScenario(base(steps));
    expect(none.trace).toEqual([]);
    expect(none.state.totals).toEqual({ produced: 9, received: 9, processed: 9 });
    expect(none.state.totals).toEqual(full.state.totals);
    expect(none.state.processed.C0).toEqual([]);
    expect(full.state.processed.C0).toHaveLength(9);
    expect(none.state.snapshot.groups).toEqual(full.state.snapshot.groups);
  });

  it('a note sets the narration, carried by the events after it until the next note', () => {
    const { trace } = runScenario(base([{ note: 'first' }, { advanceTime: { ms: 10 } }, { note: 'second' }, { advanceTime: { ms: 10 } }]));
    expect(trace.map((e) => e.narration)).toEqual([null, 'first', 'first', 'second', 'second']);
    expect(trace[1].description).toBe('first');
  });

  it('two consumers join, 3 s pass: one rebalance, callbacks listed, positions and lag per owned partition', () => {
    const { trace } = runScenario(
      base([
        { produce: { producer: 'P0', topic: 't0', count: 6, value: 'v{i}', partition: 0 } },
        { join: { consumer: 'C0' } },
        { join: { consumer: 'C1' } },
        { advanceTime: { ms: 3000 } },
        { poll: { consumer: 'C0' } },
      ]),
    );
    const rebalance = trace[4];
    expect(rebalance.snapshot.groups[0]).toMatchObject({
      state: 'Stable',
      generationId: 1,
      assignor: 'range',
      rebalanceProtocol: 'eager',
      leader: 'C0',
    });
    expect(rebalance.callbacks).toEqual([
      {
        consumer: 'C0',
        group: 'g1',
        kind: 'assigned',
        partitions: [
          { topic: 't0', partition: 0 },
          { topic: 't0', partition: 1 },
        ],
      },
      { consumer: 'C1', group: 'g1', kind: 'assigned', partitions: [{ topic: 't0', partition: 2 }] },
    ]);
    const c0 = trace[5].snapshot.consumers.find((c) => c.id === 'C0')!;
    expect(c0.positions).toEqual([
      { topic: 't0', partition: 0, position: 6, lag: 0 },
      { topic: 't0', partition: 1, position: 0, lag: 0 },
    ]);
    expect(c0.receivedCount).toBe(6);
    expect(c0.pending).toHaveLength(6);
    expect(trace[5].received[0].records.map((r) => r.offset)).toEqual([0, 1, 2, 3, 4, 5]);
    // nothing committed yet: the group's lag counts from logStartOffset
    expect(trace[5].snapshot.groups[0].totalLag).toBe(6);
  });

  it('process with durationMs past max.poll.interval.ms: the member leaves the group and loses its partitions', () => {
    const scenario = base(
      [
        { join: { consumer: 'C0' } },
        { join: { consumer: 'C1' } },
        { advanceTime: { ms: 3000 } },
        { poll: {} },
        { process: { consumer: 'C0', durationMs: 20_000 } },
        { advanceTime: { ms: 3000 } },
        { poll: { consumer: 'C1' } },
      ],
      {
        consumers: [
          { id: 'C0', group: 'g1', topics: ['t0'], config: { maxPollIntervalMs: 10_000 } },
          { id: 'C1', group: 'g1', topics: ['t0'] },
        ],
      },
    );
    const { trace } = runScenario(scenario);
    const last = trace[trace.length - 1].snapshot.groups[0];
    expect(last.members.map((m) => m.consumer)).toEqual(['C1']);
    expect(last.members[0].assignment).toHaveLength(3);
    expect(trace[5].timeMs).toBe(23_000);
  });

  it('a restarted dynamic consumer is a new member: until the old session times out the group lists C0 twice, the dead one holding its partitions', () => {
    const { trace } = runScenario(
      base([
        { join: { consumer: 'C0' } },
        { join: { consumer: 'C1' } },
        { advanceTime: { ms: 3000 } },
        { crash: { consumer: 'C0' } },
        { restart: { consumer: 'C0' } },
        { advanceTime: { ms: 45_000 } },
        { poll: {} },
      ]),
    );
    const before = trace[3].snapshot.groups[0].members;
    const during = trace[5].snapshot.groups[0].members;
    expect(during.map((m) => m.consumer)).toEqual(['C0', 'C1', 'C0']);
    expect(during[0]).toEqual(before[0]);
    expect(during[2].assignment).toEqual([]);
    expect(during[2].memberId).not.toBe(during[0].memberId);
    // no partition is listed twice
    const all = during.flatMap((m) => m.assignment.map((tp) => tp.partition));
    expect(new Set(all).size).toBe(all.length);
    // after session.timeout.ms the dead one is gone; at the members' next poll the new C0 gets partitions
    expect(trace[6].snapshot.groups[0].members.map((m) => m.consumer)).toEqual(['C1', 'C0']);
    const after = trace[7].snapshot.groups[0];
    expect(after.members.map((m) => m.consumer)).toEqual(['C1', 'C0']);
    expect(after.members.every((m) => m.assignment.length > 0)).toBe(true);
  });

  it('a failed commit is reported as the step error, not thrown', () => {
    // the restarted process is a new member waiting for the rebalance: it has no generation yet
    const { trace } = runScenario(
      base([
        { join: { consumer: 'C0' } },
        { advanceTime: { ms: 3000 } },
        { crash: { consumer: 'C0' } },
        { restart: { consumer: 'C0' } },
        { commit: { consumer: 'C0' } },
      ]),
    );
    expect(trace[trace.length - 1].error).toMatch(/^C0: CommitFailedException/);
  });

  it('acks=all on RF 3 waits for the followers: pending right after the send, acked once they fetched', () => {
    const { trace } = runScenario(
      base([{ produce: { producer: 'P0', topic: 't0', key: 'k', value: 'v', partition: 0 } }, { advanceTime: { ms: 500 } }], {
        brokers: 3,
        topics: [{ name: 't0', partitions: 1, replicationFactor: 3, configs: { minInsyncReplicas: 2 } }],
        groups: [],
        consumers: [],
      }),
    );
    expect(trace[1].snapshot.producers[0].counts).toEqual({ pending: 1, acked: 0, failed: 0 });
    expect(trace[1].snapshot.partitions[0]).toMatchObject({ logEndOffset: 1, highWatermark: 0, isr: [0, 1, 2], leader: 0 });
    expect(trace[2].deliveries).toEqual([expect.objectContaining({ status: 'acked', offset: 0 })]);
    expect(trace[2].snapshot.partitions[0].highWatermark).toBe(1);
  });

  it('retention runs every log.retention.check.interval.ms and moves logStartOffset', () => {
    const { trace } = runScenario(
      base(
        [
          { produce: { producer: 'P0', topic: 't0', count: 10, value: 'v{i}', partition: 0 } },
          { advanceTime: { ms: 9_999 } },
          { advanceTime: { ms: 1 } },
        ],
        {
          topics: [{ name: 't0', partitions: 1, configs: { retentionMs: 1000, segmentBytes: 40 } }],
          cluster: { logRetentionCheckIntervalMs: 10_000 },
          consumers: [],
          groups: [],
        },
      ),
    );
    expect(trace[2].snapshot.partitions[0].logStartOffset).toBe(0);
    expect(trace[3].snapshot.partitions[0].logStartOffset).toBe(10);
    expect(trace[3].happened.some((h) => h.startsWith('retention (retention.ms) deleted'))).toBe(true);
  });

  it('polling a crashed consumer throws a ScenarioError naming the step', () => {
    const scenario = base([{ join: { consumer: 'C0' } }, { crash: { consumer: 'C0' } }, { poll: { consumer: 'C0' } }]);
    expect(() => runScenario(scenario)).toThrow(ScenarioError);
    expect(() => runScenario(scenario)).toThrow('steps[2].poll: C0 is not running (crashed)');
  });

  it('an unknown consumer is refused before anything runs, with its path', () => {
    expect(() => runScenario(base([{ crash: { consumer: 'C7' } }]))).toThrow(
      /^steps\[0\]\.crash\.consumer: unknown consumer: expected one of the declared consumers: "C0", "C1", received "C7"$/,
    );
  });
});

describe('the example in the doc comment of scenario.ts', () => {
  it('two consumers, t0 with 4 partitions, C1 crashes: generation 1 splits t0, after 45 s C0 gets all four in generation 2', () => {
    const { trace } = runScenario(
      base(
        [
          { note: "Two consumers share t0's four partitions." },
          { join: { consumer: 'C0' } },
          { join: { consumer: 'C1' } },
          { advanceTime: { ms: 3000 } },
          { poll: {} },
          { crash: { consumer: 'C1' } },
          { advanceTime: { ms: 45000 } },
          { poll: { consumer: 'C0' } },
        ],
        {
          topics: [{ name: 't0', partitions: 4 }],
          consumers: [
            { id: 'C0', group: 'g1', topics: ['t0'] },
            { id: 'C1', group: 'g1', topics: ['t0'] },
          ],
        },
      ),
    );
    expect(trace).toHaveLength(9);
    expect(trace[4].snapshot.groups[0].generationId).toBe(1);
    expect(trace[4].snapshot.groups[0].members.map((m) => [m.consumer, m.assignment.map((tp) => tp.partition)])).toEqual([
      ['C0', [0, 1]],
      ['C1', [2, 3]],
    ]);
    expect(trace[7].happened).toEqual(['g1: C1 removed (session-timeout)', 'g1: rebalance starts (member C1 left (session-timeout))']);
    expect(trace[8].callbacks.map((c) => c.kind)).toEqual(['revoked', 'assigned']);
    expect(trace[8].snapshot.groups[0]).toMatchObject({
      generationId: 2,
      members: [{ consumer: 'C0', assignment: [0, 1, 2, 3].map((partition) => ({ topic: 't0', partition })) }],
    });
  });

  it('focus names what each step acts on; a poll of every consumer names the running ones', () => {
    const { trace } = runScenario(
      base([
        { join: { consumer: 'C1' } },
        { poll: {} },
        { produce: { producer: 'P0', topic: 't0', value: 'x', partition: 0 } },
        { brokerDown: { broker: 0 } },
        { note: 'n' },
      ]),
    );
    expect(trace.map((e) => e.focus)).toEqual([
      { consumers: [], producers: [], brokers: [], topics: [] },
      { consumers: ['C1'], producers: [], brokers: [], topics: [] },
      { consumers: ['C1'], producers: [], brokers: [], topics: [] },
      { consumers: [], producers: ['P0'], brokers: [], topics: ['t0'] },
      { consumers: [], producers: [], brokers: [0], topics: [] },
      { consumers: [], producers: [], brokers: [], topics: [] },
    ]);
  });
});

describe('checkScenarioReferences', () => {
  it('replicationFactor above the broker count, a rebalanceProtocol that contradicts the assignor, a keyless record to a compacted topic', () => {
    const problems = checkScenarioReferences(
      base([{ produce: { producer: 'P0', topic: 'c0', key: null, value: 'x' } }], {
        topics: [
          { name: 't0', partitions: 3, replicationFactor: 2 },
          { name: 'c0', partitions: 1, configs: { cleanupPolicy: 'compact' } },
        ],
        groups: [{ id: 'g1', assignor: 'range', rebalanceProtocol: 'cooperative' }],
      }),
    );
    expect(problems.map((p) => p.path.join('.'))).toEqual([
      'topics.0.replicationFactor',
      'groups.0.rebalanceProtocol',
      'steps.0.produce.key',
    ]);
  });

  it('an explicit partition counts the partitions added by earlier steps', () => {
    const ok = checkScenarioReferences(
      base([{ addPartitions: { topic: 't0', partitions: 6 } }, { produce: { producer: 'P0', topic: 't0', value: 'x', partition: 5 } }]),
    );
    expect(ok).toEqual([]);
    const bad = checkScenarioReferences(
      base([{ produce: { producer: 'P0', topic: 't0', value: 'x', partition: 5 } }, { addPartitions: { topic: 't0', partitions: 6 } }]),
    );
    expect(bad).toEqual([
      {
        path: ['steps', 0, 'produce', 'partition'],
        message: 't0 has 3 partitions at this step',
        received: 5,
        expected: 'a partition from 0 to 2',
      },
    ]);
  });
});

describe('stepKind and partitionLabel', () => {
  it('a step with two kinds is refused', () => {
    expect(() => stepKind({ poll: {}, note: 'x' } as unknown as Step, 4)).toThrow(/^steps\[4\]: Expected exactly one of/);
  });

  it('t0 partition 1 reads t0p1; orders partition 1 reads orders-1', () => {
    expect(partitionLabel({ topic: 't0', partition: 1 })).toBe('t0p1');
    expect(partitionLabel({ topic: 'orders', partition: 1 })).toBe('orders-1');
  });
});
