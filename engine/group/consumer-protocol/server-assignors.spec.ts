import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatTp, tpKey } from '../../common/notation.ts';
import type { TopicPartition } from '../../common/record.ts';
import { computeTargetAssignment } from './server-assignors.ts';
import type { ServerAssignorMember } from './server-assignors.ts';

const fmt = (tps: TopicPartition[]) => tps.map(formatTp).join(' ');
const member = (
  memberId: string,
  topics: string[],
  current: TopicPartition[] = [],
  groupInstanceId: string | null = null,
): ServerAssignorMember => ({
  memberId,
  topics,
  current,
  groupInstanceId,
});

describe('uniform (homogeneous): balance, then stickiness', () => {
  it('a second member takes half; the first keeps the partitions it had up to its quota', () => {
    const one = computeTargetAssignment('uniform', [member('C0', ['t0'])], { t0: 4 });
    expect(fmt(one.C0)).toBe('t0p0 t0p1 t0p2 t0p3');
    const two = computeTargetAssignment('uniform', [member('C0', ['t0'], one.C0), member('C1', ['t0'])], { t0: 4 });
    expect(fmt(two.C0)).toBe('t0p0 t0p1');
    expect(fmt(two.C1)).toBe('t0p2 t0p3');
  });

  it('moves nothing from a member that leaves others balanced: only the leaver’s partitions move', () => {
    const before = { C0: [0, 1], C1: [2, 3], C2: [4, 5] };
    const cur = (ps: number[]) => ps.map((p) => ({ topic: 't0', partition: p }));
    const after = computeTargetAssignment('uniform', [member('C0', ['t0'], cur(before.C0)), member('C2', ['t0'], cur(before.C2))], {
      t0: 6,
    });
    expect(after.C0.length + after.C2.length).toBe(6);
    expect(fmt(after.C0).startsWith('t0p0 t0p1')).toBe(true);
    expect(fmt(after.C2)).toContain('t0p4 t0p5');
  });

  it('properties (homogeneous and heterogeneous): every subscribed partition exactly once, to a subscriber; homogeneous sizes differ by ≤ 1', () => {
    const arb = fc.record({
      t0: fc.integer({ min: 1, max: 8 }),
      t1: fc.integer({ min: 1, max: 8 }),
      subs: fc.array(fc.constantFrom<string[]>(['t0'], ['t1'], ['t0', 't1']), { minLength: 1, maxLength: 5 }),
      assignor: fc.constantFrom('uniform' as const, 'range' as const),
    });
    fc.assert(
      fc.property(arb, ({ t0, t1, subs, assignor }) => {
        const ppt = { t0, t1 };
        const members = subs.map((topics, i) => member(`C${i}`, topics));
        const first = computeTargetAssignment(assignor, members, ppt);
        // a second round from the first target must stay valid too (stickiness input)
        const second = computeTargetAssignment(
          assignor,
          members.map((m) => ({ ...m, current: first[m.memberId] })).slice(0, Math.max(1, members.length - 1)),
          ppt,
        );
        for (const [out, ms] of [
          [first, members],
          [second, members.slice(0, Math.max(1, members.length - 1))],
        ] as const) {
          const seen = new Map<string, string>();
          for (const m of ms) {
            for (const p of out[m.memberId]) {
              expect(m.topics).toContain(p.topic);
              expect(seen.has(tpKey(p))).toBe(false);
              seen.set(tpKey(p), m.memberId);
            }
          }
          const wanted = new Set(ms.flatMap((m) => m.topics));
          const total = [...wanted].reduce((n, t) => n + ppt[t as 't0' | 't1'], 0);
          expect(seen.size).toBe(total);
          const homogeneous = ms.every((m) => m.topics.join() === ms[0].topics.join());
          if (homogeneous && assignor === 'uniform') {
            const sizes = ms.map((m) => out[m.memberId].length);
            expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
          }
        }
      }),
    );
  });
});

describe('range (server side): contiguous ranges, static members first, not sticky', () => {
  it('orders static members by group.instance.id before dynamic ones by memberId', () => {
    const out = computeTargetAssignment('range', [member('a-dyn', ['t0']), member('z-static', ['t0'], [], 'i0')], { t0: 3 });
    expect(fmt(out['z-static'])).toBe('t0p0 t0p1');
    expect(fmt(out['a-dyn'])).toBe('t0p2');
  });

  it('ignores the current assignment (KAFKA-16944: no longer sticky)', () => {
    const cur = [{ topic: 't0', partition: 3 }];
    const a = computeTargetAssignment('range', [member('C0', ['t0'], cur), member('C1', ['t0'])], { t0: 4 });
    const b = computeTargetAssignment('range', [member('C0', ['t0']), member('C1', ['t0'])], { t0: 4 });
    expect(a).toEqual(b);
  });

  it('refuses a subscription to a topic that does not exist', () => {
    expect(() => computeTargetAssignment('uniform', [member('C0', ['nope'])], { t0: 1 })).toThrow(/nope/);
  });
});
