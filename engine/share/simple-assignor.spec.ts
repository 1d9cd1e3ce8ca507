import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { desiredAssignmentCounts, desiredSharing, membersByPartition, simpleAssign, ShareAssignorError } from './simple-assignor.ts';
import type { ShareAssignment } from './simple-assignor.ts';
import { formatTpList } from '../common/notation.ts';

const members = (n: number, topics = ['t0']) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`C${i}`, topics]));
const show = (a: ShareAssignment) => Object.fromEntries(Object.entries(a).map(([m, tps]) => [m, formatTpList(tps)]));

/** Kafka's SimpleAssignorTest.assertEveryPartitionGetsAssignment, plus the counts the builder aims for */
function expectShape(a: ShareAssignment, partitions: number, n: number): void {
  const byPartition = membersByPartition(a);
  expect(byPartition.size).toBe(partitions);
  const sharing = desiredSharing(n, partitions);
  for (const list of byPartition.values()) expect(list.length).toBeLessThanOrEqual(sharing);
  const counts = Object.values(a).map((tps) => tps.length);
  expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
}

describe('simple share assignor (SimpleHomogeneousAssignmentBuilder)', () => {
  it('12 members, one topic, four partitions: three members per partition, one partition each', () => {
    const a = simpleAssign({ t0: 4 }, members(12));
    expect(desiredSharing(12, 4)).toBe(3);
    expect(Object.values(a).every((tps) => tps.length === 1)).toBe(true);
    for (const list of membersByPartition(a).values()) expect(list).toHaveLength(3);
  });

  it('5 members, four partitions: each partition shared by two, members want [2, 2, 1, 2, 1]', () => {
    expect(desiredAssignmentCounts(5, 4)).toEqual([2, 2, 1, 2, 1]);
    const a = simpleAssign({ t0: 4 }, members(5));
    expect(Object.values(a).map((tps) => tps.length)).toEqual([2, 2, 1, 2, 1]);
    for (const list of membersByPartition(a).values()) expect(list).toHaveLength(2);
  });

  it('2 members, four partitions: no sharing; phase 4 deals partitions to members in turn', () => {
    const a = simpleAssign({ t0: 4 }, members(2));
    expect(show(a)).toEqual({ C0: '[t0p0, t0p2]', C1: '[t0p1, t0p3]' });
  });

  it('no members: empty; a member that subscribes elsewhere: the heterogeneous case is refused by name', () => {
    expect(simpleAssign({ t0: 4 }, {})).toEqual({});
    expect(() => simpleAssign({ t0: 4, t1: 2 }, { C0: ['t0'], C1: ['t1'] })).toThrow(ShareAssignorError);
    expect(() => simpleAssign({ t0: 4 }, { C0: ['t9'] })).toThrow(/unknown topic "t9"/);
  });

  it('sticky: a 13th member joining 12 on four partitions leaves most members where they were', () => {
    const before = simpleAssign({ t0: 4 }, members(12));
    const after = simpleAssign({ t0: 4 }, members(13), before);
    const kept = Object.keys(before).filter((m) => formatTpList(before[m]) === formatTpList(after[m] ?? [])).length;
    expect(kept).toBeGreaterThanOrEqual(8);
    expectShape(after, 4, 13);
  });

  it("Kafka's incremental test: 24 partitions, members 1 → 101 one at a time and back, every partition always assigned", () => {
    let a: ShareAssignment = {};
    for (let n = 1; n <= 101; n++) {
      a = simpleAssign({ t0: 24 }, members(n), a);
      expectShape(a, 24, n);
    }
    for (let n = 100; n >= 1; n--) {
      a = simpleAssign({ t0: 24 }, members(n), a);
      expectShape(a, 24, n);
    }
  });

  it('generated groups: every partition assigned, none shared by more than ⌈M/P⌉, member counts within one', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 30 }), (m1, p, m2) => {
        const first = simpleAssign({ t0: p }, members(m1));
        expectShape(first, p, m1);
        const second = simpleAssign({ t0: p }, members(m2), first);
        expectShape(second, p, m2);
      }),
    );
  });
});
