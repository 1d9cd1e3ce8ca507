import { describe, expect, it } from 'vitest';
import { compareMembers, compareStrings, javaHashMapOrder, javaStringHash, sortMembers, verifyAssignment } from './assignor.ts';
import { tps } from './assignor.spec-helpers.ts';

describe('member order', () => {
  it('compares strings by UTF-16 code unit, as Java String#compareTo', () => {
    expect(['C2', 'C10', 'a', 'Z'].sort(compareStrings)).toEqual(['C10', 'C2', 'Z', 'a']);
    // U+1F600 is stored as the surrogate pair D83D DE00, which sorts before U+FF61 by code unit
    // (by code point, or by localeCompare, it would come after)
    expect(['\uFF61', '\u{1F600}'].sort(compareStrings)).toEqual(['\u{1F600}', '\uFF61']);
    expect(Math.sign('\uFF61'.localeCompare('\u{1F600}'))).not.toBe(Math.sign(compareStrings('\uFF61', '\u{1F600}')));
  });

  it('puts static members first by groupInstanceId, then dynamic members by memberId', () => {
    const order = sortMembers({
      a: { topics: [] },
      z: { topics: [], groupInstanceId: 'i1' },
      m: { topics: [], groupInstanceId: 'i0' },
      B: { topics: [], groupInstanceId: null },
    });
    expect(order).toEqual(['m', 'z', 'B', 'a']);
    expect(compareMembers({ memberId: 'x', groupInstanceId: 'i9' }, { memberId: 'a' })).toBeLessThan(0);
  });
});

describe('Java HashMap order (where Kafka breaks ties by walking a HashMap of members)', () => {
  it('hashes strings as Java String#hashCode', () => {
    expect(javaStringHash('')).toBe(0);
    expect(javaStringHash('a')).toBe(97);
    expect(javaStringHash('hello')).toBe(99162322);
    // the classic Java collision: "Aa" and "BB" both hash to 2112
    expect(javaStringHash('Aa')).toBe(2112);
    expect(javaStringHash('BB')).toBe(2112);
  });

  it('iterates by bucket, then insertion order within a bucket', () => {
    expect(javaHashMapOrder(['consumer1', 'consumer2', 'consumer3'])).toEqual(['consumer3', 'consumer2', 'consumer1']);
    expect(javaHashMapOrder(['BB', 'Aa'])).toEqual(['BB', 'Aa']);
    expect(javaHashMapOrder(['Aa', 'BB'])).toEqual(['Aa', 'BB']);
  });
});

describe('verifyAssignment (the invariants every assignor test runs)', () => {
  const ppt = { t0: 3 };
  const subs = { C0: { topics: ['t0'] }, C1: { topics: ['t0'] } };

  it('accepts a valid, balanced assignment of two members, one topic, three partitions', () => {
    expect(verifyAssignment(ppt, subs, { C0: tps('t0p0 t0p1'), C1: tps('t0p2') }, { balance: 'sticky' })).toEqual([]);
  });

  it('names a partition with two owners and one with none', () => {
    expect(verifyAssignment(ppt, subs, { C0: tps('t0p0 t0p1'), C1: tps('t0p1') }, { balance: 'none' })).toEqual([
      't0p1 is assigned to both C0 and C1; each partition must have exactly one owner in a group',
      't0p2 is not assigned to anyone, though a member subscribes to t0',
    ]);
  });

  it('rejects a partition given to a member not subscribed to its topic, or one that does not exist', () => {
    const problems = verifyAssignment(
      { t0: 1, t1: 1 },
      { C0: { topics: ['t0'] }, C1: { topics: ['t1'] } },
      { C0: tps('t0p0 t1p0'), C1: tps('t1p5') },
      { balance: 'none', allowUnassigned: true },
    );
    expect(problems).toEqual(['C0 is assigned t1p0 but does not subscribe to t1', 'C1 is assigned t1p5, which does not exist']);
  });

  it('requires every member as a key and no strangers', () => {
    expect(verifyAssignment(ppt, subs, { C0: tps('t0p0 t0p1 t0p2'), C9: [] }, { balance: 'none' })).toEqual([
      'C1 is missing from the assignment; every member gets a list, empty if it has no partitions',
      'C9 is not a member of the group but has an assignment',
    ]);
  });

  it('judges balance by the rule the assignor promises', () => {
    const lopsided = { C0: tps('t0p0 t0p1 t0p2'), C1: [] };
    expect(verifyAssignment(ppt, subs, lopsided, { balance: 'none' })).toEqual([]);
    expect(verifyAssignment(ppt, subs, lopsided, { balance: 'per-topic' })).toEqual([
      'C0 has 3 partitions of t0 and C1 has 0; range splits each topic within one',
    ]);
    expect(verifyAssignment(ppt, subs, lopsided, { balance: 'sticky' })).toEqual([
      'C0 has 3 partitions and C1 has 0; with equal subscriptions the counts must differ by at most one',
    ]);
  });

  it('with unequal subscriptions, allows counts 2+ apart only when the busier member owns nothing the other could take', () => {
    const ppt2 = { t0: 3, t1: 1 };
    const onlyT1 = { C0: { topics: ['t0', 't1'] }, C1: { topics: ['t1'] } };
    expect(verifyAssignment(ppt2, onlyT1, { C0: tps('t0p0 t0p1 t0p2'), C1: tps('t1p0') }, { balance: 'sticky' })).toEqual([]);
    expect(verifyAssignment(ppt2, onlyT1, { C0: tps('t0p0 t0p1 t0p2 t1p0'), C1: [] }, { balance: 'sticky' })).toEqual([
      'C0 has 4 partitions and C1 has 0, and C1 subscribes to t1; moving a partition of t1 from C0 to C1 would balance the group',
    ]);
    const onlyT0 = { C0: { topics: ['t0', 't1'] }, C1: { topics: ['t0'] } };
    expect(verifyAssignment(ppt2, onlyT0, { C0: tps('t0p0 t1p0'), C1: tps('t0p1 t0p2') }, { balance: 'sticky' })).toEqual([]);
    // C1 owns nothing, so Kafka's test helper (topics in common) would let this pass; C1 could take a t0 partition
    expect(verifyAssignment(ppt2, onlyT0, { C0: tps('t0p0 t0p1 t0p2 t1p0'), C1: [] }, { balance: 'sticky' })).toEqual([
      'C0 has 4 partitions and C1 has 0, and C1 subscribes to t0; moving a partition of t0 from C0 to C1 would balance the group',
    ]);
  });
});
