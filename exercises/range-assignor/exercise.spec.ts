/**
 * What the range-assignor checkpoint promises about its own tests, checked on the data: the engine's answer
 * is the classic range rule, the named examples have the shapes their titles claim, the generated groups
 * cover the interesting kinds, the notation renders as the lesson writes it, and a wrong assignment is
 * explained by the rule it breaks. Grading the solution, starter and mistakes is ../verify.spec.ts's job.
 */
import { describe, expect, it } from 'vitest';
import * as fc from 'fast-check';
import { compareStrings, formatTp, sortMembers, verifyAssignment } from '../../engine/index.ts';
import type { Assignment, TopicPartition } from '../../engine/index.ts';
import type { ExampleTest, PropertyTest } from '../../grader/index.ts';
import exercise, { explainAssignment, formatAssignment, formatArgs, groupArbitrary, kafkaRange, quoted, type Args } from './exercise.ts';

const examples = exercise.tests.filter((t): t is ExampleTest => t.kind === 'example');
const properties = exercise.tests.filter((t): t is PropertyTest<Args> => t.kind === 'property');
const argsOf = (t: ExampleTest) => t.args as unknown as Args;
const byId = (id: string) => {
  const t = examples.find((e) => e.id === id);
  if (!t) throw new Error(`no example ${id}`);
  return t;
};
const clone = (a: Assignment): Assignment => JSON.parse(JSON.stringify(a)) as Assignment;
const tp = (topic: string, partition: number): TopicPartition => ({ topic, partition });

/** The classic rule, written out independently of the engine's TopicAssignmentState machinery. */
function classicRange([partitionsPerTopic, subscriptions]: Args): Assignment {
  const members = sortMembers(subscriptions);
  const out: Assignment = Object.fromEntries(members.map((m) => [m, []]));
  for (const t of Object.keys(partitionsPerTopic).sort(compareStrings)) {
    const subs = members.filter((m) => subscriptions[m].topics.includes(t));
    const n = partitionsPerTopic[t];
    subs.forEach((m, i) => {
      const q = Math.floor(n / subs.length);
      const r = n % subs.length;
      const start = i * q + Math.min(i, r);
      for (let p = start; p < start + q + (i < r ? 1 : 0); p++) out[m].push(tp(t, p));
    });
  }
  return out;
}

describe('the oracle', () => {
  it('is the classic range rule on every named example and 300 generated groups', () => {
    for (const e of examples) expect(e.expected, e.id).toEqual(classicRange(argsOf(e)));
    fc.assert(
      fc.property(groupArbitrary(), (args) => {
        expect(kafkaRange(...args)).toEqual(classicRange(args));
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  it("gives valid assignments, split within one per topic (Kafka's verifyValidityAndBalance)", () => {
    for (const e of examples) {
      const [ppt, subs] = argsOf(e);
      expect(verifyAssignment(ppt, subs, e.expected as unknown as Assignment, { balance: 'per-topic' }), e.id).toEqual([]);
    }
  });
});

describe('named examples', () => {
  it('every member is a key of the expected assignment, even with no partitions', () => {
    for (const e of examples) expect(Object.keys(e.expected as object).sort(), e.id).toEqual(Object.keys(argsOf(e)[1]).sort());
  });

  it("include the shapes of Kafka's RangeAssignorTest and the traps of the instructions", () => {
    const ids = examples.map((e) => e.id);
    for (const id of [
      'one-consumer-no-topic',
      'one-consumer-nonexistent-topic',
      'two-consumers-one-topic-three-partitions',
      'two-consumers-two-topics-imbalance-adds-up',
      'only-subscribers-get-a-topic',
      'static-member-before-dynamic',
      'two-static-members-by-group-instance-id',
      'eleven-consumers-c10-before-c2',
      'memberids-utf16-code-units',
    ])
      expect(ids).toContain(id);
  });

  it('the imbalance example: C0 gets the extra partition of both topics', () => {
    const a = byId('two-consumers-two-topics-imbalance-adds-up').expected as unknown as Assignment;
    expect(a.C0.length - a.C1.length).toBe(2);
  });

  it('the member-order examples really depend on the order their titles name', () => {
    // C10 takes the range right after C1's; with numeric order C2 would
    const eleven = byId('eleven-consumers-c10-before-c2');
    const a = eleven.expected as unknown as Assignment;
    expect(Math.min(...a.C10.map((x) => x.partition))).toBeLessThan(Math.min(...a.C2.map((x) => x.partition)));
    // code-unit order differs from localeCompare (ICU here, NFC + code point in QuickJS) for these ids
    const [, subs] = argsOf(byId('memberids-utf16-code-units'));
    const ids = Object.keys(subs);
    expect([...ids].sort(compareStrings)).not.toEqual([...ids].sort((x, y) => x.localeCompare(y)));
    expect([...ids].sort(compareStrings)).not.toEqual([...ids].sort((x, y) => (x.normalize() < y.normalize() ? -1 : 1)));
    // and by code point (QuickJS's localeCompare) for a surrogate pair against a high BMP character
    const [, astral] = argsOf(byId('memberids-surrogate-pairs'));
    const codePoints = (x: string, y: string) => {
      const a = [...x].map((ch) => ch.codePointAt(0)!);
      const b = [...y].map((ch) => ch.codePointAt(0)!);
      for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
      return a.length - b.length;
    };
    expect(sortMembers(astral)).not.toEqual([...Object.keys(astral)].sort(codePoints));
    const [, cased] = argsOf(byId('memberids-uppercase-before-lowercase'));
    expect(sortMembers(cased)).toEqual(['consumer-B', 'consumer-a']);
    // the static member C1 comes first though "C0" < "C1"
    const [, mixed] = argsOf(byId('static-member-before-dynamic'));
    expect(sortMembers(mixed)).toEqual(['C1', 'C0']);
  });

  it('a subscribed topic that does not exist, and a member with an explicit null groupInstanceId, are covered', () => {
    expect(examples.some((e) => Object.values(argsOf(e)[1]).some((s) => s.topics.some((t) => !(t in argsOf(e)[0]))))).toBe(true);
    expect(examples.some((e) => Object.values(argsOf(e)[1]).some((s) => s.groupInstanceId === null))).toBe(true);
  });
});

describe('generated groups', () => {
  it('runs at least 150 cases per property, visible and hidden', () => {
    for (const p of properties) expect(p.numRuns, p.id).toBeGreaterThanOrEqual(150);
    expect(properties.some((p) => !p.hidden && p.numRuns >= 200)).toBe(true);
    expect(properties.some((p) => p.hidden)).toBe(true);
  });

  it.each([1, 42, 20_240_611])('seed %i: 200 groups stay in bounds and cover every kind of group', (seed) => {
    const groups = fc.sample(groupArbitrary(), { seed, numRuns: 200 });
    const facts = groups.map(([ppt, subs]) => {
      const members = Object.keys(subs);
      const topics = Object.keys(ppt);
      return {
        inBounds:
          members.length >= 1 &&
          members.length <= 12 &&
          topics.length <= 5 &&
          Object.values(ppt).every((n) => n >= 0 && n <= 40) &&
          members.every((m) => /^C\d+$/.test(m)) &&
          topics.every((t) => /^t[0-4]$/.test(t)),
        uniqueInstances:
          new Set(members.map((m) => subs[m].groupInstanceId).filter((i) => i != null)).size ===
          members.filter((m) => subs[m].groupInstanceId != null).length,
        hasStatic: members.some((m) => subs[m].groupInstanceId != null),
        hasNull: members.some((m) => subs[m].groupInstanceId === null),
        c10: members.includes('C10'),
        missingTopic: members.some((m) => subs[m].topics.some((t) => !(t in ppt))),
        unsorted: members.join() !== [...members].sort(compareStrings).join(),
        moreMembersThanPartitions: topics.some((t) => ppt[t] > 0 && members.filter((m) => subs[m].topics.includes(t)).length > ppt[t]),
        emptyMember: members.some((m) => kafkaRange(ppt, subs)[m].length === 0),
        unsortedSubscription: members.some((m) => subs[m].topics.join() !== [...subs[m].topics].sort().join()),
      };
    });
    expect(facts.every((f) => f.inBounds && f.uniqueInstances)).toBe(true);
    for (const kind of [
      'hasStatic',
      'hasNull',
      'c10',
      'missingTopic',
      'unsorted',
      'moreMembersThanPartitions',
      'emptyMember',
      'unsortedSubscription',
    ] as const) {
      expect(
        facts.some((f) => f[kind]),
        kind,
      ).toBe(true);
    }
  });
});

describe('the notation', () => {
  it('formatArgs: topics with counts, then one member per line, static ones with their groupInstanceId', () => {
    const args: Args = [
      { t0: 3, t1: 2 },
      { C0: { topics: ['t0', 't1'] }, C1: { topics: ['t0', 't5'], groupInstanceId: 'i-1' } },
    ];
    expect(formatArgs(args)).toBe('t0: 3 partitions, t1: 2\nC0 → [t0, t1]\nC1 (static "i-1") → [t0, t5 (no such topic)]');
    expect(formatArgs([{}, { C0: { topics: [] } }])).toBe('no topics (partitionsPerTopic is {})\nC0 → []');
  });

  it('formatAssignment: C0: [t0p0, t0p1]  C1: [t0p2], members in code-unit order, empty lists kept', () => {
    expect(formatAssignment({ C1: [tp('t0', 2)], C0: [tp('t0', 0), tp('t0', 1)], C10: [] })).toBe('C0: [t0p0, t0p1]  C1: [t0p2]  C10: []');
    expect(formatAssignment({})).toBe('{} (no members)');
  });

  it('formatAssignment: odd elements shown as they are; non-assignments left to the grader', () => {
    expect(formatAssignment({ C0: [tp('t0', 0), 't0p1'] })).toBe('C0: [t0p0, "t0p1"]');
    expect(formatAssignment([1, 2])).toBeUndefined();
    expect(formatAssignment({ C0: 'x' })).toBeUndefined();
    expect(formatAssignment(null)).toBeUndefined();
  });

  it('names that are not plain ASCII are quoted with \\u escapes, so "é" and "e\\u0301" look different', () => {
    expect(quoted('caf\u00e9-1')).toBe('"caf\\u00e9-1"');
    expect(quoted('cafe\u0301-2')).toBe('"cafe\\u0301-2"');
    expect(formatAssignment({ 'caf\u00e9-1': [] })).toBe('"caf\\u00e9-1": []');
  });
});

describe('explaining a wrong assignment by the rule it breaks', () => {
  const group: Args = [
    { t0: 5, t1: 3 },
    { C0: { topics: ['t0'] }, C1: { topics: ['t0', 't1'] }, C2: { topics: ['t0'] } },
  ];
  const right = () => clone(kafkaRange(...group));

  it("says nothing when the assignment is Kafka's", () => {
    expect(explainAssignment(right(), group)).toBeUndefined();
  });

  it('a missing member, and a key that is not a member', () => {
    const a = right();
    delete a.C2;
    expect(explainAssignment(a, group)).toBe('C2 is missing from the result: every member appears, with [] when it gets no partitions');
    expect(explainAssignment({ ...right(), C9: [] }, group)).toBe(
      'C9 is not a member of the group: the result has one key per member of subscriptions',
    );
  });

  it('a partition with two owners', () => {
    const a = right();
    a.C1.push(a.C0[1]);
    expect(explainAssignment(a, group)).toBe(
      `${formatTp(a.C0[1])} is assigned to both C0 and C1: within a group each partition has exactly one owner`,
    );
  });

  it('a partition given to a member that does not subscribe to its topic', () => {
    const a = right();
    const moved = a.C1.find((x) => x.topic === 't1')!;
    a.C1 = a.C1.filter((x) => x !== moved);
    a.C2.push(moved);
    expect(explainAssignment(a, group)).toBe(
      `${formatTp(moved)} is assigned to C2, which does not subscribe to t1: only a topic's subscribers share its partitions`,
    );
  });

  it('a partition nobody owns, and one that does not exist', () => {
    const a = right();
    const dropped = a.C2.pop()!;
    expect(explainAssignment(a, group)).toBe(
      `${formatTp(dropped)} is not assigned to anyone: every partition of a subscribed topic goes to one of its subscribers`,
    );
    const b = right();
    b.C0.push(tp('t0', 5));
    expect(explainAssignment(b, group)).toBe('t0p5 is assigned to C0, but t0 has 5 partitions (t0p0..t0p4)');
    const c = right();
    c.C0.push(tp('t9', 0));
    expect(explainAssignment(c, group)).toContain('t9p0 is assigned to C0, but topic t9 does not exist');
  });

  it('counts more than one apart within a topic: floor(n/c) each, the first n % c one more', () => {
    const a = right();
    const moved = a.C2.filter((x) => x.topic === 't0');
    a.C2 = a.C2.filter((x) => x.topic !== 't0').concat(moved.slice(1));
    a.C0.push(moved[0]);
    expect(explainAssignment(a, group)).toBe(
      'C0 got 3 partitions of t0 and C2 got 0: range gives each of the 3 subscribers of t0 floor(5/3) = 1 and the first 5 % 3 = 2 in member order one more',
    );
  });

  it('the extra partitions given to the last members instead of the first', () => {
    const g: Args = [{ t0: 3 }, { C0: { topics: ['t0'] }, C1: { topics: ['t0'] } }];
    expect(explainAssignment({ C0: [tp('t0', 0)], C1: [tp('t0', 1), tp('t0', 2)] }, g)).toBe(
      't0 has 3 partitions and 2 subscribers: each gets 1, and the first 1 in member order (C0) gets one more, not the last (C1)',
    );
  });

  it('member order: C10 before C2 by code unit, not numerically', () => {
    const g: Args = [{ t0: 11 }, Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`C${i}`, { topics: ['t0'] }]))];
    const numeric: Assignment = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`C${i}`, [tp('t0', i)]]));
    expect(explainAssignment(numeric, g)).toBe(
      'member order: C10 sorts before C2 by UTF-16 code unit (Kafka compares strings with compareTo), not numerically; so C10 takes its range of t0 first: [t0p2]',
    );
  });

  it('member order: static members first, and by groupInstanceId', () => {
    const g: Args = [{ t0: 2 }, { C0: { topics: ['t0'] }, C1: { topics: ['t0'], groupInstanceId: 'i-1' } }];
    expect(explainAssignment({ C0: [tp('t0', 0)], C1: [tp('t0', 1)] }, g)).toBe(
      'member order: C1 is static (groupInstanceId "i-1") and C0 is dynamic: Kafka sorts static members first; so C1 takes its range of t0 first: [t0p0]',
    );
    const plain: Args = [{ t0: 2 }, { C0: { topics: ['t0'], groupInstanceId: 'i-1' }, C1: { topics: ['t0'], groupInstanceId: 'i-0' } }];
    expect(explainAssignment({ C0: [tp('t0', 0)], C1: [tp('t0', 1)] }, plain)).toBe(
      'member order: static members sort by groupInstanceId (not memberId): C1 ("i-0") comes before C0 ("i-1") (by UTF-16 code unit, as Kafka compares strings with compareTo); so C1 takes its range of t0 first: [t0p0]',
    );
    const s: Args = [{ t0: 2 }, { C0: { topics: ['t0'], groupInstanceId: 'i-2' }, C1: { topics: ['t0'], groupInstanceId: 'i-10' } }];
    expect(explainAssignment({ C0: [tp('t0', 0)], C1: [tp('t0', 1)] }, s)).toBe(
      'member order: static members sort by groupInstanceId (not memberId): C1 ("i-10") comes before C0 ("i-2") by UTF-16 code unit (Kafka compares strings with compareTo), not numerically; so C1 takes its range of t0 first: [t0p0]',
    );
  });

  it('member order: uppercase before lowercase', () => {
    const g: Args = [{ t0: 2 }, { 'consumer-a': { topics: ['t0'] }, 'consumer-B': { topics: ['t0'] } }];
    expect(explainAssignment({ 'consumer-a': [tp('t0', 0)], 'consumer-B': [tp('t0', 1)] }, g)).toBe(
      "member order: consumer-B sorts before consumer-a by UTF-16 code unit: at index 9, 'B' 0x0042 < 'a' 0x0061, so uppercase comes before lowercase (Kafka compares strings with compareTo, not localeCompare); so consumer-B takes its range of t0 first: [t0p0]",
    );
  });

  it('member order: localeCompare instead of code units, shown with \\u escapes', () => {
    const g: Args = [{ t0: 2 }, { 'caf\u00e9-1': { topics: ['t0'] }, 'cafe\u0301-2': { topics: ['t0'] } }];
    const line = explainAssignment({ 'caf\u00e9-1': [tp('t0', 0)], 'cafe\u0301-2': [tp('t0', 1)] }, g);
    expect(line).toBe(
      'member order: "cafe\\u0301-2" sorts before "caf\\u00e9-1" by UTF-16 code unit: at index 3, \'e\' 0x0065 < 0x00e9 (Kafka compares strings with compareTo, not localeCompare); so "cafe\\u0301-2" takes its range of t0 first: [t0p0]',
    );
  });

  it('the right partitions listed out of order', () => {
    const g: Args = [{ t0: 2, t1: 1 }, { C0: { topics: ['t1', 't0'] } }];
    expect(explainAssignment({ C0: [tp('t1', 0), tp('t0', 0), tp('t0', 1)] }, g)).toBe(
      "C0's partitions are listed as [t1p0, t0p0, t0p1]; list them by topic (UTF-16 code unit order), then by partition: [t0p0, t0p1, t1p0]",
    );
  });

  it('not an object, or elements that are not { topic, partition }', () => {
    expect(explainAssignment([], group)).toContain('assign() returns an object');
    const a = right() as unknown as Record<string, unknown[]>;
    a.C0 = ['t0p0'];
    expect(explainAssignment(a, group)).toBe(
      'C0\'s list holds "t0p0"; each element is { topic, partition }, e.g. { topic: "t0", partition: 1 } for t0p1',
    );
  });

  it('explains every wrong answer of every mistake-shaped change on generated groups (never undefined)', () => {
    fc.assert(
      fc.property(groupArbitrary(), fc.nat(), (args, pick) => {
        const a = clone(kafkaRange(...args));
        const members = Object.keys(a).filter((m) => a[m].length > 0);
        if (members.length === 0) return;
        const m = members[pick % members.length];
        a[m].reverse();
        a[m].push(a[m][0]);
        expect(explainAssignment(a, args)).toEqual(expect.any(String));
      }),
      { numRuns: 200, seed: 11 },
    );
  });
});
