import { describe, expect, it } from 'vitest';
import {
  ASSIGNORS,
  RangeAssignor,
  RoundRobinAssignor,
  formatTp,
  murmur2,
  partitionForKey,
  toPositive,
  utf8,
  verifyAssignment,
} from '../../engine/index.ts';
import type { Assignment } from '../../engine/index.ts';
import { friendlyParse } from '../../content/schema/friendly-errors.ts';
import { assignmentStory, computeEngineQuery, formatAssignment } from './quiz-answers.ts';
import { engineQuerySchema, type EngineQuery } from '../../content/schema/engine-query.ts';

const q = (query: unknown): EngineQuery => engineQuerySchema.parse(query);

describe('computeEngineQuery: each query equals the engine', () => {
  it('murmur2 of a key: the signed hash, and the working names it', () => {
    const r = computeEngineQuery(q({ engine: 'murmur2', key: 'order-456' }));
    expect(r.value).toBe(murmur2(utf8('order-456')));
    expect(r.working[0]).toContain((r.value as number).toLocaleString('en-US'));
  });

  it('toPositive of a key and of a number', () => {
    expect(computeEngineQuery(q({ engine: 'toPositive', key: 'order-456' })).value).toBe(toPositive(murmur2(utf8('order-456'))));
    expect(computeEngineQuery(q({ engine: 'toPositive', n: -2147483648 })).value).toBe(toPositive(-2147483648));
  });

  it('partitionForKey: the partition, with murmur2 → toPositive → modulo in the working and the variables', () => {
    const r = computeEngineQuery(q({ engine: 'partitionForKey', key: 'kunde-ø', numPartitions: 7 }));
    const hash = murmur2(utf8('kunde-ø'));
    expect(r.value).toBe(partitionForKey(utf8('kunde-ø'), 7));
    expect(r.vars).toMatchObject({ murmur2: hash, toPositive: toPositive(hash), partition: r.value, numPartitions: 7 });
    expect(r.working[0]).toMatch(new RegExp(`% 7 = ${r.value}$`));
  });

  it('keysThatMove: exactly the keys whose partition differs, in the listed order', () => {
    const keys = Array.from({ length: 40 }, (_, i) => `key-${i}`);
    const r = computeEngineQuery(q({ engine: 'keysThatMove', keys, from: 6, to: 12 }));
    expect(r.value).toEqual(keys.filter((k) => partitionForKey(utf8(k), 6) !== partitionForKey(utf8(k), 12)));
    expect(r.working).toHaveLength(keys.length);
  });

  it('keysOnPartition: exactly the keys on that partition', () => {
    const keys = Array.from({ length: 30 }, (_, i) => `user-${i}`);
    const r = computeEngineQuery(q({ engine: 'keysOnPartition', keys, numPartitions: 3, partition: 2 }));
    expect(r.value).toEqual(keys.filter((k) => partitionForKey(utf8(k), 3) === 2));
  });
});

describe('engineQuerySchema: authoring mistakes', () => {
  const issues = (query: unknown) => {
    const parsed = friendlyParse(engineQuerySchema, query);
    return parsed.success ? [] : parsed.issues;
  };

  it('toPositive with both key and n', () => {
    expect(issues({ engine: 'toPositive', key: 'a', n: 1 })).toEqual([
      {
        path: '',
        message: 'received both "key" and "n"; expected exactly one of "key" (a string to hash) or "n" (a signed 32-bit integer)',
      },
    ]);
  });

  it('keysOnPartition with a partition the topic does not have', () => {
    expect(issues({ engine: 'keysOnPartition', keys: ['a'], numPartitions: 3, partition: 3 })).toEqual([
      { path: 'partition', message: 'received 3; expected a partition below numPartitions (3)' },
    ]);
  });

  it('a key listed twice, zero partitions, an unknown field', () => {
    const found = issues({ engine: 'keysThatMove', keys: ['a', 'a'], from: 0, to: 12, form: 6 });
    expect(found.map((i) => i.path)).toEqual(expect.arrayContaining(['keys', 'from', '']));
    expect(found.find((i) => i.path === 'from')?.message).toBe('received 0 (a number); expected a number ≥ 1');
    expect(found.find((i) => i.path === 'keys')?.message).toBe('received "a" more than once; expected distinct keys');
    expect(found.find((i) => i.path === '')?.message).toContain('unknown field "form"');
  });
});

describe('assign: consumer-group assignors through the query vocabulary', () => {
  const members = (n: number, topics: string[]) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`C${i}`, topics]));
  const subs = (m: Record<string, string[]>) => Object.fromEntries(Object.entries(m).map(([k, topics]) => [k, { topics }]));
  const owners = (a: Assignment) =>
    new Map(Object.entries(a).flatMap(([m, tps]) => tps.map((tp) => [`${tp.topic}-${tp.partition}`, m] as const)));

  it('partitionCount: range, C0 and C1 on t0 and t1 with 3 partitions each → C0’s count from RangeAssignor', () => {
    const r = computeEngineQuery(
      q({
        engine: 'assign',
        assignor: 'range',
        partitionsPerTopic: { t0: 3, t1: 3 },
        subscriptions: members(2, ['t0', 't1']),
        ask: 'partitionCount',
        member: 'C0',
      }),
    );
    expect(r.value).toBe(RangeAssignor.assign({ t0: 3, t1: 3 }, subs(members(2, ['t0', 't1']))).C0.length);
    expect(r.vars.count).toBe(r.value);
  });

  it('idleMembers: 8 partitions, 11 members → the members RangeAssignor leaves empty, named in Java string order', () => {
    const r = computeEngineQuery(
      q({ engine: 'assign', assignor: 'range', partitionsPerTopic: { t0: 8 }, subscriptions: members(11, ['t0']), ask: 'idleMembers' }),
    );
    const direct = RangeAssignor.assign({ t0: 8 }, subs(members(11, ['t0'])));
    const idle = Object.keys(direct).filter((m) => direct[m].length === 0);
    expect(r.value).toBe(idle.length);
    expect(String(r.vars.idle).split(', ').sort()).toEqual(idle.sort());
    // C10 sorts before C2 (memberIds compare as strings), so C10 gets a partition
    expect(idle).not.toContain('C10');
  });

  it('spread: roundrobin over two topics of 4 partitions and 3 members → most minus fewest', () => {
    const r = computeEngineQuery(
      q({
        engine: 'assign',
        assignor: 'roundrobin',
        partitionsPerTopic: { t0: 4, t1: 4 },
        subscriptions: members(3, ['t0', 't1']),
        ask: 'spread',
      }),
    );
    const counts = Object.values(RoundRobinAssignor.assign({ t0: 4, t1: 4 }, subs(members(3, ['t0', 't1'])))).map((tps) => tps.length);
    expect(r.value).toBe(Math.max(...counts) - Math.min(...counts));
  });

  it.each(['range', 'roundrobin', 'sticky'] as const)(
    'movedPartitions: %s, t0 with 12 partitions, C3 joins C0..C2 → owners that differ',
    (assignor) => {
      const r = computeEngineQuery(
        q({
          engine: 'assign',
          assignor,
          partitionsPerTopic: { t0: 12 },
          subscriptions: members(4, ['t0']),
          previous: members(3, ['t0']),
          ask: 'movedPartitions',
        }),
      );
      const run = ASSIGNORS[assignor];
      const before = run.assign({ t0: 12 }, subs(members(3, ['t0'])));
      const after = run.assign(
        { t0: 12 },
        Object.fromEntries(
          Object.entries(members(4, ['t0'])).map(([m, topics]) => [
            m,
            { topics, ownedPartitions: before[m] ?? [], generationId: before[m] ? 1 : undefined },
          ]),
        ),
      );
      const b = owners(before);
      const a = owners(after);
      expect(r.value).toBe([...b].filter(([tp, m]) => a.get(tp) !== m).length);
    },
  );

  it('movedPartitions: sticky moves only what balance needs (3 of 12 when a 4th member joins); range moves more', () => {
    const ask = (assignor: string) =>
      computeEngineQuery(
        q({
          engine: 'assign',
          assignor,
          partitionsPerTopic: { t0: 12 },
          subscriptions: members(4, ['t0']),
          previous: members(3, ['t0']),
          ask: 'movedPartitions',
        }),
      ).value as number;
    expect(ask('sticky')).toBe(12 / 4);
    expect(ask('range')).toBeGreaterThan(ask('sticky'));
  });

  it('assignmentStory: cooperative-sticky holds back the moving partitions, then a follow-up rebalance hands them over', () => {
    const story = assignmentStory('cooperative-sticky', { t0: 6 }, members(3, ['t0']), members(2, ['t0']));
    expect(story.rounds).toHaveLength(2);
    const first = owners(story.rounds[0]);
    for (const m of story.moved) expect(first.has(`${m.tp.topic}-${m.tp.partition}`), formatTp(m.tp)).toBe(false);
    expect(verifyAssignment({ t0: 6 }, subs(members(3, ['t0'])), story.final, { balance: 'sticky' })).toEqual([]);
    // the same final assignment as the eager sticky assignor
    expect(story.final).toEqual(assignmentStory('sticky', { t0: 6 }, members(3, ['t0']), members(2, ['t0'])).final);
  });

  it('assignmentStory docstring example: range, t0 with 6 partitions, C2 joins C0 and C1', () => {
    const story = assignmentStory('range', { t0: 6 }, members(3, ['t0']), members(2, ['t0']));
    expect(formatAssignment(story.before!)).toBe('C0: t0p0, t0p1, t0p2; C1: t0p3, t0p4, t0p5');
    expect(formatAssignment(story.final)).toBe('C0: t0p0, t0p1; C1: t0p2, t0p3; C2: t0p4, t0p5');
    expect(story.moved.map((m) => `${formatTp(m.tp)} (${m.from} → ${m.to})`)).toEqual([
      't0p2 (C0 → C1)',
      't0p4 (C1 → C2)',
      't0p5 (C1 → C2)',
    ]);
  });

  it('authoring mistakes: unknown topic, partitionCount without a known member, movedPartitions without previous', () => {
    const issues = (query: unknown) => {
      const parsed = friendlyParse(engineQuerySchema, query);
      return parsed.success ? [] : parsed.issues;
    };
    expect(
      issues({
        engine: 'assign',
        assignor: 'range',
        partitionsPerTopic: { t0: 3 },
        subscriptions: { C0: ['t9'] },
        ask: 'partitionCount',
        member: 'C5',
      }),
    ).toEqual([
      { path: 'subscriptions.C0', message: 'received topic "t9"; expected topics of partitionsPerTopic: "t0"' },
      { path: 'member', message: 'received "C5"; expected a member of subscriptions (C0) for ask: partitionCount' },
    ]);
    expect(
      issues({
        engine: 'assign',
        assignor: 'sticky',
        partitionsPerTopic: { t0: 3 },
        subscriptions: { C0: ['t0'] },
        ask: 'movedPartitions',
      }),
    ).toEqual([
      {
        path: 'previous',
        message: 'received nothing (the field is missing); expected the previous generation (member → topics) for ask: movedPartitions',
      },
    ]);
    expect(
      issues({ engine: 'assign', assignor: 'rangee', partitionsPerTopic: { t0: 3 }, subscriptions: { C0: ['t0'] }, ask: 'spread' }).map(
        (i) => i.path,
      ),
    ).toEqual(['assignor']);
  });
});
