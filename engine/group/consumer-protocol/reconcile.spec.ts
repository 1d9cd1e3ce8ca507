import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatTp, tpKey } from '../../common/notation.ts';
import type { TopicPartition } from '../../common/record.ts';
import { reconcileMember } from './reconcile.ts';

const tp = (partition: number, topic = 't0'): TopicPartition => ({ topic, partition });
const fmt = (tps: TopicPartition[]) => tps.map(formatTp).join(' ');

describe('reconcileMember (CurrentAssignmentBuilder#computeNextAssignment)', () => {
  it('revokes first: partitions to give up keep the member at its epoch with nothing new', () => {
    const r = reconcileMember({ memberEpoch: 1, assigned: [tp(2), tp(3)] }, { assignmentEpoch: 2, partitions: [tp(1), tp(2)] }, [tp(1)]);
    expect(fmt(r.keep)).toBe('t0p2');
    expect(fmt(r.revoke)).toBe('t0p3');
    expect(r.receive).toEqual([]);
    expect(r.nextState).toEqual({ state: 'UNREVOKED_PARTITIONS', memberEpoch: 1 });
  });

  it('after revoking, moves to the target epoch; a partition another member still owns stays unreleased', () => {
    const r = reconcileMember({ memberEpoch: 1, assigned: [tp(2)] }, { assignmentEpoch: 2, partitions: [tp(1), tp(2)] }, [tp(1)]);
    expect(r.receive).toEqual([]);
    expect(fmt(r.unreleased)).toBe('t0p1');
    expect(r.nextState).toEqual({ state: 'UNRELEASED_PARTITIONS', memberEpoch: 2 });
  });

  it('receives a partition once nobody else owns it and is STABLE', () => {
    const r = reconcileMember({ memberEpoch: 2, assigned: [tp(2)] }, { assignmentEpoch: 2, partitions: [tp(1), tp(2)] }, []);
    expect(fmt(r.receive)).toBe('t0p1');
    expect(r.nextState).toEqual({ state: 'STABLE', memberEpoch: 2 });
  });

  it('rejects negative or fractional epochs', () => {
    expect(() => reconcileMember({ memberEpoch: -1, assigned: [] }, { assignmentEpoch: 1, partitions: [] }, [])).toThrow(/memberEpoch/);
    expect(() => reconcileMember({ memberEpoch: 0, assigned: [] }, { assignmentEpoch: 1.5, partitions: [] }, [])).toThrow(
      /assignmentEpoch/,
    );
  });

  it('properties: keep ∪ revoke = held; nothing received is owned elsewhere; nothing received while revoking', () => {
    const set = fc.uniqueArray(fc.integer({ min: 0, max: 7 }), { maxLength: 8 }).map((ps) => ps.map((p) => tp(p)));
    fc.assert(
      fc.property(set, set, set, fc.nat(5), fc.nat(5), (held, target, elsewhere, e, d) => {
        const r = reconcileMember({ memberEpoch: e, assigned: held }, { assignmentEpoch: e + d, partitions: target }, elsewhere);
        const keys = (l: TopicPartition[]) => l.map(tpKey).sort();
        expect(keys([...r.keep, ...r.revoke])).toEqual(keys(held));
        const other = new Set(elsewhere.map(tpKey));
        expect(r.receive.filter((x) => other.has(tpKey(x)))).toEqual([]);
        if (r.revoke.length) expect(r.receive).toEqual([]);
        if (r.revoke.length) expect(r.nextState.memberEpoch).toBe(e);
        else expect(r.nextState.memberEpoch).toBe(e + d);
      }),
    );
  });
});
