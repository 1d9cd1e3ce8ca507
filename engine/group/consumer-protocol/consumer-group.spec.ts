import { describe, expect, it } from 'vitest';
import { formatTp } from '../../common/notation.ts';
import type { TopicPartition } from '../../common/record.ts';
import type { GroupEvent } from '../group-types.ts';
import { ConsumerProtocolGroup } from './consumer-group.ts';
import {
  CONSUMER_PROTOCOL_DEFAULTS,
  JOIN_GROUP_MEMBER_EPOCH,
  LEAVE_GROUP_MEMBER_EPOCH,
  LEAVE_GROUP_STATIC_MEMBER_EPOCH,
} from './protocol-types.ts';

const fmt = (tps: TopicPartition[]) => tps.map(formatTp).join(' ');
const ofType = <T extends GroupEvent['type']>(g: ConsumerProtocolGroup, type: T) =>
  g.trace.filter((e): e is Extract<GroupEvent, { type: T }> => e.type === type);

function group(partitions: Record<string, number>, options: { groupRemoteAssignor?: 'uniform' | 'range' } = {}) {
  const ppt = { ...partitions };
  const g = new ConsumerProtocolGroup({ groupId: 'g', partitionsPerTopic: () => ppt, ...options });
  return { g, ppt };
}

/** poll every running consumer every `stepMs` until `untilMs` */
function pollAll(g: ConsumerProtocolGroup, names: string[], fromMs: number, untilMs: number, stepMs = 1000): void {
  for (let t = fromMs; t <= untilMs; t += stepMs) for (const n of names) if (g.isAlive(n)) g.poll(t, n);
}

describe('ConsumerProtocolGroup: defaults and epochs', () => {
  it("uses Kafka's broker defaults: heartbeat 5 s, session 45 s, assignors [uniform, range], assignment interval 1 s; epochs 0, -1, -2", () => {
    expect(CONSUMER_PROTOCOL_DEFAULTS.heartbeatIntervalMs).toBe(5_000);
    expect(CONSUMER_PROTOCOL_DEFAULTS.sessionTimeoutMs).toBe(45_000);
    expect(CONSUMER_PROTOCOL_DEFAULTS.assignors).toEqual(['uniform', 'range']);
    expect(CONSUMER_PROTOCOL_DEFAULTS.assignmentIntervalMs).toBe(1_000);
    expect([JOIN_GROUP_MEMBER_EPOCH, LEAVE_GROUP_MEMBER_EPOCH, LEAVE_GROUP_STATIC_MEMBER_EPOCH]).toEqual([0, -1, -2]);
  });

  it('a first member gets every partition at once, with no initial delay; group epoch 1, Stable', () => {
    const { g } = group({ t0: 4 });
    g.join(0, 'C0', { topics: ['t0'] });
    expect(fmt(g.poll(0, 'C0'))).toBe('t0p0 t0p1 t0p2 t0p3');
    expect(g.generationId).toBe(1);
    expect(g.memberGenerationId('C0')).toBe(1);
    expect(g.state).toBe('Stable');
    expect(g.assignor).toBe('uniform');
    expect(g.leader).toBeNull();
  });
});

describe('ConsumerProtocolGroup: a join reconciles each member on its own', () => {
  it('C1 joins: C0 revokes only what moves and keeps t0p0, t0p1 throughout; C1 gets t0p2, t0p3 after C0 reports them revoked', () => {
    const { g } = group({ t0: 4 });
    g.join(0, 'C0', { topics: ['t0'] });
    g.poll(0, 'C0');
    g.join(10_000, 'C1', { topics: ['t0'] });
    expect(g.generationId).toBe(2);
    expect(g.poll(10_000, 'C1')).toEqual([]); // its partitions are still C0's
    expect(g.memberRecords().find((m) => m.name === 'C1')!.state).toBe('UNRELEASED_PARTITIONS');
    expect(g.state).toBe('Reconciling');
    // C0 hears at its next heartbeat (every 5 s from its last), revokes at its next poll
    pollAll(g, ['C0', 'C1'], 11_000, 30_000);
    expect(fmt(g.ownedPartitions('C0'))).toBe('t0p0 t0p1');
    expect(fmt(g.ownedPartitions('C1'))).toBe('t0p2 t0p3');
    expect(g.state).toBe('Stable');
    // C0 never lost t0p0 or t0p1: no revocation of them, no onPartitionsLost
    const revoked = ofType(g, 'partitions-revoked').filter((e) => e.member === 'C0');
    expect(revoked.map((e) => fmt(e.partitions))).toEqual(['t0p2 t0p3']);
    // the new owner got them only after the old owner revoked them
    const revokedAt = revoked[0].atMs;
    const assignedToC1 = ofType(g, 'partitions-assigned').filter((e) => e.member === 'C1' && e.partitions.length);
    expect(assignedToC1[0].atMs).toBeGreaterThanOrEqual(revokedAt);
  });

  it('never lets two members own a partition at the same instant (coordinator view) across joins, leaves and crashes', () => {
    const { g } = group({ t0: 6, t1: 3 });
    const names = ['C0', 'C1', 'C2'];
    g.join(0, 'C0', { topics: ['t0', 't1'] });
    g.join(2_000, 'C1', { topics: ['t0', 't1'] });
    const check = () => {
      const seen = new Set<string>();
      for (const tps of g.memberRecords().map((m) => [...m.assigned, ...m.pendingRevocation]))
        for (const tp of tps) {
          expect(seen.has(formatTp(tp))).toBe(false);
          seen.add(formatTp(tp));
        }
    };
    for (let t = 2_000; t <= 120_000; t += 1_000) {
      if (t === 20_000) g.join(t, 'C2', { topics: ['t0'] });
      if (t === 50_000) g.leave(t, 'C0');
      if (t === 70_000) g.crash(t, 'C1');
      for (const n of names) if ((n !== 'C2' || t >= 20_000) && g.isAlive(n)) g.poll(t, n);
      check();
    }
    expect(fmt(g.ownedPartitions('C2'))).toBe('t0p0 t0p1 t0p2 t0p3 t0p4 t0p5');
    expect(ofType(g, 'member-removed').map((e) => `${e.member}:${e.reason}`)).toEqual(['C0:leave-group', 'C1:session-timeout']);
  });
});

describe('ConsumerProtocolGroup: timeouts and errors', () => {
  it('a member that stops polling leaves at max.poll.interval.ms (poll-timeout); at its next poll its partitions are lost and it rejoins with epoch 0', () => {
    const { g } = group({ t0: 2 });
    g.join(0, 'C0', { topics: ['t0'], maxPollIntervalMs: 60_000 });
    g.poll(0, 'C0');
    g.process(1_000, 'C0', 200_000); // busy: no poll, so no revocation
    g.join(2_000, 'C1', { topics: ['t0'] });
    for (let t = 2_000; t <= 70_000; t += 1_000) g.poll(t, 'C1');
    expect(ofType(g, 'member-removed').map((e) => `${e.member}:${e.reason}@${e.atMs}`)).toEqual(['C0:poll-timeout@61000']);
    expect(fmt(g.ownedPartitions('C1'))).toBe('t0p0 t0p1');
    g.poll(201_000, 'C0');
    expect(
      ofType(g, 'partitions-lost')
        .filter((e) => e.member === 'C0')
        .map((e) => fmt(e.partitions)),
    ).toEqual(['t0p0 t0p1']);
    expect(g.memberNames()).toEqual(['C1', 'C0']);
    expect(g.memberGenerationId('C0')).toBe(g.generationId);
  });

  it("the rebalance timeout (the member's max.poll.interval.ms) fences a member that has not revoked in time", () => {
    const { g } = group({ t0: 2 });
    g.join(0, 'C0', { topics: ['t0'], maxPollIntervalMs: 10_000 });
    g.poll(0, 'C0');
    g.join(1_000, 'C1', { topics: ['t0'] });
    g.advanceTo(5_000); // C0's heartbeat: it must revoke t0p1 (UNREVOKED_PARTITIONS from 5000)
    expect(g.memberRecords().find((m) => m.name === 'C0')!.state).toBe('UNREVOKED_PARTITIONS');
    g.crash(6_000, 'C0'); // and never does; the session timeout (45 s) is further away than the rebalance timeout
    g.advanceTo(20_000);
    expect(ofType(g, 'member-removed').map((e) => `${e.member}:${e.reason}@${e.atMs}`)).toEqual(['C0:rebalance-timeout@15000']);
  });

  it('FENCED_MEMBER_EPOCH for a heartbeat with an epoch the coordinator does not know; STALE_MEMBER_EPOCH for a newer commit epoch', () => {
    const { g } = group({ t0: 2 });
    g.join(0, 'C0', { topics: ['t0'] });
    g.poll(0, 'C0');
    const id = g.memberIdOf('C0')!;
    expect(g.commitWithEpoch(1_000, id, 1, [{ tp: { topic: 't0', partition: 0 }, offset: 5 }])).toBe('NONE');
    expect(g.commitWithEpoch(1_000, id, 7, [{ tp: { topic: 't0', partition: 0 }, offset: 6 }])).toBe('STALE_MEMBER_EPOCH');
    expect(g.commitWithEpoch(1_000, 'nobody', 1, [{ tp: { topic: 't0', partition: 0 }, offset: 6 }])).toBe('UNKNOWN_MEMBER_ID');
    expect(g.committed({ topic: 't0', partition: 0 })).toBe(5);
  });

  it('an older epoch commits only partitions assigned at or before it (STALE_MEMBER_EPOCH otherwise)', () => {
    const { g } = group({ t0: 4 });
    g.join(0, 'C0', { topics: ['t0'] });
    g.join(0, 'C1', { topics: ['t0'] });
    pollAll(g, ['C0', 'C1'], 0, 20_000);
    g.leave(21_000, 'C1'); // epoch 3: C0 receives C1's partitions
    pollAll(g, ['C0'], 21_000, 40_000);
    const id = g.memberIdOf('C0')!;
    const epoch = g.memberGenerationId('C0');
    const old = fmt(g.ownedPartitions('C0'));
    expect(old).toBe('t0p0 t0p1 t0p2 t0p3');
    const kept = ofType(g, 'partitions-assigned').filter((e) => e.member === 'C0' && e.partitions.length)[0].partitions[0];
    const gained = ofType(g, 'partitions-assigned')
      .filter((e) => e.member === 'C0' && e.partitions.length)
      .at(-1)!.partitions[0];
    expect(g.commitWithEpoch(41_000, id, epoch - 1, [{ tp: kept, offset: 1 }])).toBe('NONE');
    expect(g.commitWithEpoch(41_000, id, epoch - 1, [{ tp: gained, offset: 1 }])).toBe('STALE_MEMBER_EPOCH');
  });

  it('a crashed member is removed after group.consumer.session.timeout.ms (45 s) without heartbeats', () => {
    const { g } = group({ t0: 2 });
    g.join(0, 'C0', { topics: ['t0'] });
    g.poll(0, 'C0');
    g.crash(10_000, 'C0');
    g.advanceTo(54_999);
    expect(g.memberNames()).toEqual(['C0']);
    g.advanceTo(60_000);
    expect(g.memberNames()).toEqual([]);
    expect(g.state).toBe('Empty');
  });
});

describe('ConsumerProtocolGroup: static members (epoch -2)', () => {
  it('a static member that closes and restarts within the session timeout gets its partitions back, the group epoch unchanged; the others never pause', () => {
    const { g } = group({ t0: 4 });
    g.join(0, 'C0', { topics: ['t0'], groupInstanceId: 'i0' });
    g.join(0, 'C1', { topics: ['t0'], groupInstanceId: 'i1' });
    pollAll(g, ['C0', 'C1'], 0, 20_000);
    const before = fmt(g.ownedPartitions('C0'));
    const epoch = g.generationId;
    g.leave(21_000, 'C0');
    expect(ofType(g, 'static-member-left').map((e) => e.member)).toEqual(['C0']);
    expect(fmt(g.assignment().C0)).toBe(before); // held for it
    g.restart(30_000, 'C0');
    expect(fmt(g.poll(30_000, 'C0'))).toBe(before);
    expect(g.generationId).toBe(epoch);
    expect(ofType(g, 'partitions-revoked').filter((e) => e.member === 'C1')).toEqual([]);
  });

  it('UNRELEASED_INSTANCE_ID: a new process with the group.instance.id of a crashed (not left) static member is refused', () => {
    const { g } = group({ t0: 2 });
    g.join(0, 'C0', { topics: ['t0'], groupInstanceId: 'i0' });
    g.poll(0, 'C0');
    g.crash(1_000, 'C0');
    g.restart(2_000, 'C0');
    expect(ofType(g, 'member-fenced').map((e) => e.error)).toEqual(['UNRELEASED_INSTANCE_ID']);
    expect(g.isAlive('C0')).toBe(false);
  });
});

describe('ConsumerProtocolGroup: server-side range', () => {
  it('group.remote.assignor=range gives contiguous ranges', () => {
    const { g } = group({ t0: 4 }, { groupRemoteAssignor: 'range' });
    g.join(0, 'C0', { topics: ['t0'] });
    g.join(0, 'C1', { topics: ['t0'] });
    pollAll(g, ['C0', 'C1'], 0, 20_000);
    expect(g.assignor).toBe('range');
    expect(fmt(g.ownedPartitions('C0'))).toBe('t0p0 t0p1');
    expect(fmt(g.ownedPartitions('C1'))).toBe('t0p2 t0p3');
  });
});
