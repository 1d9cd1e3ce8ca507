import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { verifyAssignment } from '../assignors/assignor.ts';
import { CONSUMER_GROUP_DEFAULTS, GROUP_INITIAL_REBALANCE_DELAY_MS, OFFSETS_RETENTION_MS } from './group-types.ts';
import { GroupCoordinator } from './member.ts';
import type { GroupEvent, MemberConfig } from './group-types.ts';
import { formatTp } from '../common/notation.ts';
import type { TopicPartition } from '../common/record.ts';

const fmt = (tps: TopicPartition[]) => tps.map(formatTp).join(' ');
const ofType = <T extends GroupEvent['type']>(g: GroupCoordinator, type: T) =>
  g.trace.filter((e): e is Extract<GroupEvent, { type: T }> => e.type === type);
const completed = (g: GroupCoordinator) =>
  ofType(g, 'rebalance-completed').map((e) => ({
    atMs: e.atMs,
    generationId: e.generationId,
    assignment: Object.fromEntries(Object.entries(e.assignment).map(([m, l]) => [m, fmt(l)])),
  }));

function group(partitions: Record<string, number>, groupId = 'g') {
  const ppt = { ...partitions };
  const g = new GroupCoordinator({ groupId, partitionsPerTopic: () => ppt });
  return { g, ppt };
}

describe('GroupCoordinator: defaults', () => {
  it("uses Kafka's defaults: session 45 s (KIP-735), heartbeat 3 s, max poll 5 min, [range, cooperative-sticky], initial delay 3 s", () => {
    expect(CONSUMER_GROUP_DEFAULTS.sessionTimeoutMs).toBe(45_000);
    expect(CONSUMER_GROUP_DEFAULTS.heartbeatIntervalMs).toBe(3_000);
    expect(CONSUMER_GROUP_DEFAULTS.maxPollIntervalMs).toBe(300_000);
    expect(CONSUMER_GROUP_DEFAULTS.partitionAssignmentStrategy).toEqual(['range', 'cooperative-sticky']);
    expect(GROUP_INITIAL_REBALANCE_DELAY_MS).toBe(3_000);
    expect(OFFSETS_RETENTION_MS).toBe(10_080 * 60_000);
  });
});

describe('GroupCoordinator: join, heartbeats, timeouts (eager, range)', () => {
  it('one consumer joins an empty group: Empty → PreparingRebalance, 3 s initial delay, generation 1 with every partition', () => {
    const { g } = group({ t0: 4 });
    g.join(0, 'C0', { topics: ['t0'] });
    expect(g.state).toBe('PreparingRebalance');
    g.advanceTo(2_999);
    expect(g.generationId).toBe(0);
    g.advanceTo(3_000);
    expect(g.state).toBe('Stable');
    expect(ofType(g, 'state-changed').map((e) => e.to)).toEqual(['PreparingRebalance', 'CompletingRebalance', 'Stable']);
    expect(completed(g)).toEqual([{ atMs: 3_000, generationId: 1, assignment: { C0: 't0p0 t0p1 t0p2 t0p3' } }]);
    expect(fmt(g.ownedPartitions('C0'))).toBe('t0p0 t0p1 t0p2 t0p3');
    expect(g.assignor).toBe('range');
  });

  it('two consumers join within the initial delay: one rebalance, delayed 3 s after the last join', () => {
    const { g } = group({ t0: 4 });
    g.join(0, 'C0', { topics: ['t0'] });
    g.join(2_000, 'C1', { topics: ['t0'] });
    g.advanceTo(10_000);
    expect(completed(g)).toEqual([{ atMs: 5_000, generationId: 1, assignment: { C0: 't0p0 t0p1', C1: 't0p2 t0p3' } }]);
  });

  it('a second consumer joins a stable group: the first hears it at its next heartbeat, revokes everything (eager), generation 2 splits', () => {
    const { g } = group({ t0: 4 });
    g.join(0, 'C0', { topics: ['t0'] });
    g.join(10_000, 'C1', { topics: ['t0'] });
    g.advanceTo(11_999);
    expect(g.state).toBe('PreparingRebalance');
    expect(fmt(g.ownedPartitions('C0'))).toBe('t0p0 t0p1 t0p2 t0p3'); // still consuming until it learns
    g.advanceTo(12_000); // C0's heartbeats: 3 000, 6 000, 9 000, 12 000
    expect(ofType(g, 'partitions-revoked').map((e) => [e.atMs, e.member, fmt(e.partitions)])).toEqual([
      [12_000, 'C0', 't0p0 t0p1 t0p2 t0p3'],
    ]);
    expect(completed(g).at(-1)).toEqual({ atMs: 12_000, generationId: 2, assignment: { C0: 't0p0 t0p1', C1: 't0p2 t0p3' } });
  });

  it('a consumer crashes: removed session.timeout.ms after its last heartbeat, then its partitions move', () => {
    const { g } = group({ t0: 4 });
    g.join(0, 'C0', { topics: ['t0'] });
    g.join(0, 'C1', { topics: ['t0'] });
    g.advanceTo(3_000);
    g.crash(20_000, 'C1'); // last heartbeat at 18 000
    g.advanceTo(62_999);
    expect(g.memberNames()).toEqual(['C0', 'C1']);
    g.advanceTo(63_000);
    expect(ofType(g, 'member-removed').map((e) => [e.atMs, e.member, e.reason])).toEqual([[63_000, 'C1', 'session-timeout']]);
    g.advanceTo(70_000);
    expect(completed(g).at(-1)?.assignment).toEqual({ C0: 't0p0 t0p1 t0p2 t0p3' });
    expect(ofType(g, 'partitions-revoked').every((e) => e.member !== 'C1')).toBe(true); // a crash runs no callback
  });

  it('a consumer closes: LeaveGroup starts the rebalance at once, its partitions are revoked, not lost', () => {
    const { g } = group({ t0: 4 });
    g.join(0, 'C0', { topics: ['t0'] });
    g.join(0, 'C1', { topics: ['t0'] });
    g.advanceTo(3_000);
    g.leave(20_000, 'C1');
    expect(ofType(g, 'member-removed').map((e) => [e.atMs, e.reason])).toEqual([[20_000, 'leave-group']]);
    expect(
      ofType(g, 'partitions-revoked')
        .filter((e) => e.member === 'C1')
        .map((e) => fmt(e.partitions)),
    ).toEqual(['t0p2 t0p3']);
    g.advanceTo(21_000); // C0 heartbeats at 21 000
    expect(completed(g).at(-1)).toEqual({ atMs: 21_000, generationId: 2, assignment: { C0: 't0p0 t0p1 t0p2 t0p3' } });
  });

  it('five consumers, three partitions: two members stay idle', () => {
    const { g } = group({ t0: 3 });
    for (let i = 0; i < 5; i++) g.join(0, `C${i}`, { topics: ['t0'] });
    g.advanceTo(3_000);
    expect(completed(g)[0].assignment).toEqual({ C0: 't0p0', C1: 't0p1', C2: 't0p2', C3: '', C4: '' });
  });

  it('two groups read one topic independently: each assigns every partition among its own members', () => {
    const ppt = { t0: 2 };
    const trace: GroupEvent[] = [];
    const a = new GroupCoordinator({ groupId: 'billing', partitionsPerTopic: () => ppt, trace });
    const b = new GroupCoordinator({ groupId: 'audit', partitionsPerTopic: () => ppt, trace });
    a.join(0, 'C0', { topics: ['t0'] });
    a.join(0, 'C1', { topics: ['t0'] });
    b.join(0, 'D0', { topics: ['t0'] });
    a.advanceTo(3_000);
    b.advanceTo(3_000);
    expect(a.assignment()).toEqual({ C0: [{ topic: 't0', partition: 0 }], C1: [{ topic: 't0', partition: 1 }] });
    expect(fmt(b.assignment().D0)).toBe('t0p0 t0p1');
    expect(new Set(trace.map((e) => e.groupId))).toEqual(new Set(['billing', 'audit']));
  });

  it('a slow member holds up an eager rebalance until it polls again', () => {
    const { g } = group({ t0: 4 });
    g.join(0, 'C0', { topics: ['t0'] });
    g.advanceTo(3_000);
    g.process(4_000, 'C0', 40_000); // busy with a batch until 44 000
    g.join(10_000, 'C1', { topics: ['t0'] });
    g.advanceTo(43_999);
    expect(g.state).toBe('PreparingRebalance');
    expect(g.ownedPartitions('C1')).toEqual([]); // C1 waits with nothing
    g.advanceTo(44_000);
    expect(completed(g).at(-1)).toEqual({ atMs: 44_000, generationId: 2, assignment: { C0: 't0p0 t0p1', C1: 't0p2 t0p3' } });
  });

  it('a member that does not poll for max.poll.interval.ms leaves; when it polls again its partitions are lost and it rejoins as a new member', () => {
    const { g } = group({ t0: 2 });
    g.join(0, 'C0', { topics: ['t0'], maxPollIntervalMs: 10_000 });
    g.join(0, 'C1', { topics: ['t0'], maxPollIntervalMs: 10_000 });
    g.advanceTo(3_000);
    const firstId = g.memberIdOf('C1');
    g.process(5_000, 'C1', 30_000); // no poll until 35 000
    g.advanceTo(15_000);
    expect(ofType(g, 'member-removed').map((e) => [e.atMs, e.member, e.reason])).toEqual([[15_000, 'C1', 'poll-timeout']]);
    g.advanceTo(20_000);
    expect(g.assignment()).toEqual({
      C0: [
        { topic: 't0', partition: 0 },
        { topic: 't0', partition: 1 },
      ],
    });
    g.advanceTo(35_000);
    expect(ofType(g, 'partitions-lost').map((e) => [e.atMs, e.member, fmt(e.partitions)])).toEqual([[35_000, 'C1', 't0p1']]);
    expect(g.memberIdOf('C1')).not.toBe(firstId);
    g.advanceTo(40_000);
    expect(completed(g).at(-1)?.assignment).toEqual({ C0: 't0p0', C1: 't0p1' });
  });

  it('a topic grows from 2 to 4 partitions: the group rebalances and assigns the new ones', () => {
    const { g, ppt } = group({ t0: 2 });
    g.join(0, 'C0', { topics: ['t0'] });
    g.join(0, 'C1', { topics: ['t0'] });
    g.advanceTo(3_000);
    ppt.t0 = 4;
    g.advanceTo(10_000);
    expect(completed(g).at(-1)?.assignment).toEqual({ C0: 't0p0 t0p1', C1: 't0p2 t0p3' });
    expect(ofType(g, 'rebalance-started').at(-1)?.reason).toBe('the partition count of a subscribed topic changed');
  });
});

describe('GroupCoordinator: rack-aware assignment (KIP-881)', () => {
  it('members with client.rack get the partitions whose replicas share their rack', () => {
    const g = new GroupCoordinator({
      groupId: 'g',
      partitionsPerTopic: () => ({ t0: 2 }),
      assignorMetadata: () => ({ partitionRacks: { t0: [['b'], ['a']] } }),
    });
    g.join(0, 'C0', { topics: ['t0'], rackId: 'a' });
    g.join(0, 'C1', { topics: ['t0'], rackId: 'b' });
    g.advanceTo(3_000);
    expect(completed(g)[0].assignment).toEqual({ C0: 't0p1', C1: 't0p0' });
  });
});

describe('GroupCoordinator: static membership (KIP-345)', () => {
  const cfg = (id: string): MemberConfig => ({ topics: ['t0'], groupInstanceId: id });

  it('a static member restarts within the session timeout: new memberId, same partitions, no rebalance', () => {
    const { g } = group({ t0: 4 });
    g.join(0, 'C0', cfg('i0'));
    g.join(0, 'C1', cfg('i1'));
    g.advanceTo(3_000);
    const before = g.memberIdOf('C1');
    g.crash(10_000, 'C1');
    g.restart(30_000, 'C1');
    g.advanceTo(200_000);
    expect(g.generationId).toBe(1);
    expect(ofType(g, 'rebalance-started')).toHaveLength(1);
    expect(g.memberIdOf('C1')).not.toBe(before);
    expect(ofType(g, 'static-member-replaced').map((e) => [e.atMs, e.oldMemberId, e.memberId])).toEqual([
      [30_000, before, g.memberIdOf('C1')],
    ]);
    expect(fmt(g.ownedPartitions('C1'))).toBe('t0p2 t0p3');
  });

  it('a static member restarts after the session timeout: it was removed, so the group rebalances twice', () => {
    const { g } = group({ t0: 4 });
    g.join(0, 'C0', cfg('i0'));
    g.join(0, 'C1', cfg('i1'));
    g.advanceTo(3_000);
    g.crash(10_000, 'C1'); // last heartbeat 9 000 → removed at 54 000
    g.restart(60_000, 'C1');
    g.advanceTo(70_000);
    expect(completed(g).map((c) => [c.generationId, c.assignment])).toEqual([
      [1, { C0: 't0p0 t0p1', C1: 't0p2 t0p3' }],
      [2, { C0: 't0p0 t0p1 t0p2 t0p3' }],
      [3, { C0: 't0p0 t0p1', C1: 't0p2 t0p3' }],
    ]);
  });

  it('a static member closes: it sends no LeaveGroup, so the group rebalances only after the session timeout', () => {
    const { g } = group({ t0: 4 });
    g.join(0, 'C0', cfg('i0'));
    g.join(0, 'C1', cfg('i1'));
    g.advanceTo(3_000);
    g.leave(10_000, 'C1'); // last heartbeat 9 000
    g.advanceTo(53_999);
    expect(g.generationId).toBe(1);
    g.advanceTo(60_000);
    expect(ofType(g, 'member-removed').map((e) => [e.atMs, e.reason])).toEqual([[54_000, 'session-timeout']]);
    expect(g.generationId).toBe(2);
  });

  it('static members are ordered by group.instance.id, so range gives the same ranges after restarts', () => {
    const { g } = group({ t0: 4 });
    g.join(0, 'B', cfg('i0'));
    g.join(0, 'A', cfg('i1'));
    g.advanceTo(3_000);
    expect(completed(g)[0].assignment).toEqual({ A: 't0p2 t0p3', B: 't0p0 t0p1' });
  });

  it('two processes with one group.instance.id: the newer takes over and the older is fenced', () => {
    const { g } = group({ t0: 2 });
    g.join(0, 'C0', cfg('i0'));
    g.advanceTo(3_000);
    g.join(4_000, 'C0-copy', cfg('i0'));
    g.advanceTo(7_000);
    expect(ofType(g, 'member-fenced').map((e) => [e.atMs, e.member, e.error])).toEqual([[6_000, 'C0', 'FENCED_INSTANCE_ID']]);
    expect(g.isAlive('C0')).toBe(false);
    expect(fmt(g.ownedPartitions('C0-copy'))).toBe('t0p0 t0p1');
  });
});

describe('GroupCoordinator: commit fencing', () => {
  it('commits from the current generation are stored; from a member that left, UNKNOWN_MEMBER_ID', () => {
    const { g } = group({ t0: 2 });
    g.join(0, 'C0', { topics: ['t0'] });
    g.join(0, 'C1', { topics: ['t0'] });
    g.advanceTo(3_000);
    expect(g.commitOffsets(3_000, 'C0', [{ tp: { topic: 't0', partition: 0 }, offset: 5 }])).toBe('NONE');
    expect(g.committed({ topic: 't0', partition: 0 })).toBe(5);
    g.leave(4_000, 'C1');
    expect(g.commitOffsets(4_000, 'C1', [{ tp: { topic: 't0', partition: 1 }, offset: 9 }])).toBe('UNKNOWN_MEMBER_ID');
    expect(g.committed({ topic: 't0', partition: 1 })).toBeNull();
  });

  it('a busy static member misses a rebalance: its commit with the old generation gets ILLEGAL_GENERATION', () => {
    const { g } = group({ t0: 4 });
    g.join(500, 'C0', { topics: ['t0'], groupInstanceId: 'i0', maxPollIntervalMs: 200_000 }); // heartbeats at 500 + k × 3 000
    g.advanceTo(4_000);
    g.join(10_000, 'C1', { topics: ['t0'], maxPollIntervalMs: 200_000 }); // rebalance timeout: 10 000 + 200 000
    g.process(10_500, 'C0', 250_000); // busy from 10 500, before its 12 500 heartbeat tells it to rejoin
    g.advanceTo(210_000); // rebalance timeout: the static member is kept, generation 2 goes ahead without it
    expect(g.generationId).toBe(2);
    expect(g.memberGenerationId('C0')).toBe(1);
    expect(g.ownedPartitions('C0')).toHaveLength(4); // a zombie: it still thinks it owns everything
    expect(g.commitOffsets(210_100, 'C0', [{ tp: { topic: 't0', partition: 3 }, offset: 7 }])).toBe('ILLEGAL_GENERATION');
    expect(g.committed({ topic: 't0', partition: 3 })).toBeNull();
    g.advanceTo(211_000); // its next heartbeat (500 + 70 × 3 000) tells it too
    expect(ofType(g, 'member-fenced').map((e) => [e.atMs, e.member, e.error])).toEqual([[210_500, 'C0', 'ILLEGAL_GENERATION']]);
  });
});

describe('GroupCoordinator: Empty and Dead', () => {
  it('an Empty group keeps its offsets for offsets.retention.minutes (7 days), then they expire and the group is Dead', () => {
    const { g } = group({ t0: 1 });
    g.join(0, 'C0', { topics: ['t0'] });
    g.advanceTo(3_000);
    g.commitOffsets(3_000, 'C0', [{ tp: { topic: 't0', partition: 0 }, offset: 42 }]);
    g.leave(10_000, 'C0');
    g.advanceTo(11_000);
    expect(g.state).toBe('Empty');
    g.advanceTo(10_000 + 7 * 24 * 3_600_000 - 1);
    expect(g.committed({ topic: 't0', partition: 0 })).toBe(42);
    g.advanceTo(10_000 + 7 * 24 * 3_600_000);
    expect(g.state).toBe('Dead');
    expect(g.committed({ topic: 't0', partition: 0 })).toBeNull();
    g.join(10_000 + 7 * 24 * 3_600_000 + 1, 'C1', { topics: ['t0'] }); // the same group.id starts over
    expect(
      ofType(g, 'state-changed')
        .slice(-2)
        .map((e) => e.to),
    ).toEqual(['Empty', 'PreparingRebalance']);
  });

  it('only an Empty group can be deleted', () => {
    const { g } = group({ t0: 1 });
    g.join(0, 'C0', { topics: ['t0'] });
    expect(g.deleteGroup(100)).toBe('NON_EMPTY_GROUP');
    g.leave(200, 'C0');
    g.advanceTo(5_000);
    expect(g.deleteGroup(5_000)).toBe('NONE');
    expect(g.state).toBe('Dead');
  });
});

describe('GroupCoordinator: eager vs cooperative', () => {
  /** samples every 100 ms: partitions nobody owns, whether C0 ever stops, and never two owners */
  function run(strategy: MemberConfig['partitionAssignmentStrategy']) {
    const { g } = group({ t0: 6 });
    const cfg = { topics: ['t0'], partitionAssignmentStrategy: strategy };
    g.join(0, 'C0', cfg);
    g.join(1_000, 'C1', cfg); // heartbeats of C0 and C1 fall 1 s apart
    g.advanceTo(5_000);
    const first = g.assignment();
    g.join(10_500, 'C2', cfg); // C2's heartbeats at 13 500, 16 500, …
    let maxUnowned = 0;
    let c0StoppedMs = 0;
    for (let t = 10_500; t <= 30_000; t += 100) {
      g.advanceTo(t);
      const owned = ['C0', 'C1', 'C2'].flatMap((c) => g.ownedPartitions(c).map(formatTp));
      expect(new Set(owned).size).toBe(owned.length); // never two owners
      maxUnowned = Math.max(maxUnowned, 6 - owned.length);
      if (g.ownedPartitions('C0').length === 0) c0StoppedMs += 100;
    }
    return { g, first, maxUnowned, c0StoppedMs };
  }

  it('eager (range): C0 revokes everything at its heartbeat and waits, with nothing, until C1 has rejoined too', () => {
    const { g, maxUnowned, c0StoppedMs } = run(['range']);
    expect(ofType(g, 'rebalance-completed').at(-1)?.rebalanceProtocol).toBe('eager');
    expect(ofType(g, 'partitions-revoked').map((e) => [e.atMs, e.member])).toEqual([
      [12_000, 'C0'],
      [13_000, 'C1'],
    ]);
    expect(c0StoppedMs).toBe(1_000);
    expect(maxUnowned).toBe(6 - 3); // C0's three revoked, C1 still on its three
    expect(completed(g).map((c) => [c.atMs, c.generationId])).toEqual([
      [4_000, 1],
      [13_000, 2],
    ]);
  });

  it('cooperative (cooperative-sticky): revoke first, assign in a follow-up rebalance; C0 and C1 never stop', () => {
    const { g, first, maxUnowned, c0StoppedMs } = run(['cooperative-sticky']);
    expect(ofType(g, 'rebalance-completed').at(-1)?.rebalanceProtocol).toBe('cooperative');
    expect(c0StoppedMs).toBe(0);
    const [, second, third] = completed(g);
    expect(second.generationId).toBe(2);
    expect(second.assignment.C2).toBe(''); // nothing for C2 until C0 and C1 have let go
    expect(third.generationId).toBe(3);
    const revoked = ofType(g, 'partitions-revoked')
      .flatMap((e) => e.partitions.map(formatTp))
      .sort();
    expect(third.assignment.C2.split(' ').sort()).toEqual(revoked);
    expect(revoked).toHaveLength(2);
    expect(maxUnowned).toBe(2); // only the two on their way to C2
    for (const c of ['C0', 'C1']) {
      const kept = third.assignment[c].split(' ');
      expect(kept).toHaveLength(2);
      for (const tp of kept) expect(first[c].map(formatTp)).toContain(tp); // sticky: nothing new for C0, C1
    }
  });

  it('sticky (eager): everyone revokes, but the leader hands most partitions back to their previous owners', () => {
    const { g, first } = run(['sticky']);
    const last = completed(g).at(-1)!;
    expect(last.generationId).toBe(2);
    expect(ofType(g, 'rebalance-completed').at(-1)?.rebalanceProtocol).toBe('eager');
    let kept = 0;
    for (const c of ['C0', 'C1']) for (const tp of last.assignment[c].split(' ')) if (first[c].map(formatTp).includes(tp)) kept++;
    expect(kept).toBe(4); // 6 partitions, 3 members: C0 and C1 keep 2 of their 3 each
    expect(last.assignment.C2.split(' ')).toHaveLength(2);
  });

  it('the group picks the assignor every member supports, by votes; the default list gives range', () => {
    const { g } = group({ t0: 2 });
    g.join(0, 'C0', { topics: ['t0'], partitionAssignmentStrategy: ['sticky', 'roundrobin'] });
    g.join(0, 'C1', { topics: ['t0'], partitionAssignmentStrategy: ['roundrobin', 'sticky'] });
    g.join(0, 'C2', { topics: ['t0'], partitionAssignmentStrategy: ['roundrobin', 'range', 'sticky'] });
    g.advanceTo(3_000);
    expect(g.assignor).toBe('roundrobin');
    const d = group({ t0: 2 }).g;
    d.join(0, 'C0', { topics: ['t0'] });
    d.advanceTo(3_000);
    expect(d.assignor).toBe('range');
    expect(() => g.join(4_000, 'C3', { topics: ['t0'], partitionAssignmentStrategy: ['range'] })).toThrow(/INCONSISTENT_GROUP_PROTOCOL/);
    expect(() => g.memberIdOf('C3')).toThrow(/No consumer named "C3"/); // rejected before it became a member
    expect(g.memberNames()).toEqual(['C0', 'C1', 'C2']);
  });
});

describe('GroupCoordinator: properties', () => {
  type Action =
    | { kind: 'join' | 'leave' | 'crash' | 'restart'; who: number }
    | { kind: 'process'; who: number; ms: number }
    | { kind: 'wait'; ms: number };
  const actionArb: fc.Arbitrary<Action> = fc.oneof(
    fc.record({
      kind: fc.constantFrom('join' as const, 'leave' as const, 'crash' as const, 'restart' as const),
      who: fc.integer({ min: 0, max: 4 }),
    }),
    fc.record({ kind: fc.constant('process' as const), who: fc.integer({ min: 0, max: 4 }), ms: fc.integer({ min: 100, max: 20_000 }) }),
    fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 1, max: 60_000 }) }),
  );

  for (const strategy of [['range'], ['cooperative-sticky'], ['sticky', 'roundrobin']] as const) {
    it(`${strategy.join(', ')}: members in good standing never own the same partition; after things settle the assignment is valid`, () => {
      fc.assert(
        fc.property(fc.array(actionArb, { maxLength: 25 }), fc.boolean(), (actions, statics) => {
          const ppt = { t0: 5, t1: 2 };
          const g = new GroupCoordinator({ groupId: 'g', partitionsPerTopic: () => ppt });
          const started = new Set<number>();
          let now = 0;
          const names = [0, 1, 2, 3, 4].map((i) => `C${i}`);
          const cfg = (i: number): MemberConfig => ({
            topics: i % 2 ? ['t0'] : ['t0', 't1'],
            partitionAssignmentStrategy: [...strategy],
            groupInstanceId: statics && i < 2 ? `i${i}` : null,
            maxPollIntervalMs: 15_000,
          });
          const check = () => {
            const owned = names
              .filter((n, i) => started.has(i) && g.isAlive(n) && g.memberIdOf(n) !== null)
              .flatMap((n) => g.ownedPartitions(n).map(formatTp));
            expect(new Set(owned).size).toBe(owned.length);
          };
          for (const a of actions) {
            now += 100;
            if (a.kind === 'wait') now += a.ms;
            else if (a.kind === 'join' || a.kind === 'restart') {
              if (started.has(a.who) && g.isAlive(names[a.who])) continue;
              if (started.has(a.who)) g.restart(now, names[a.who]);
              else g.join(now, names[a.who], cfg(a.who));
              started.add(a.who);
            } else if (!started.has(a.who)) continue;
            else if (a.kind === 'leave') g.leave(now, names[a.who]);
            else if (a.kind === 'crash') g.crash(now, names[a.who]);
            else if (a.kind === 'process') g.process(now, names[a.who], a.ms);
            g.advanceTo(now);
            check();
          }
          // settle: nobody busy, long past every timeout
          g.advanceTo(now + 400_000);
          check();
          const live = names.filter((n, i) => started.has(i) && g.isAlive(n));
          if (live.length === 0) return;
          expect(g.state).toBe('Stable');
          const members = g.memberNames();
          expect([...members].sort()).toEqual([...live].sort());
          const subs = Object.fromEntries(members.map((n) => [n, { topics: cfg(Number(n.slice(1))).topics }]));
          expect(verifyAssignment(ppt, subs, g.assignment(), { balance: 'none' })).toEqual([]);
          for (const n of members) expect(g.ownedPartitions(n)).toEqual(g.assignment()[n]);
        }),
        { numRuns: 150 },
      );
    });
  }

  it('the same actions give a byte-identical trace', () => {
    const runOnce = () => {
      const { g } = group({ t0: 3 });
      g.join(0, 'C0', { topics: ['t0'], partitionAssignmentStrategy: ['cooperative-sticky'] });
      g.join(500, 'C1', { topics: ['t0'], partitionAssignmentStrategy: ['cooperative-sticky'] });
      g.advanceTo(20_000);
      g.crash(21_000, 'C0');
      g.advanceTo(100_000);
      return JSON.stringify(g.trace);
    };
    expect(runOnce()).toBe(runOnce());
  });
});
