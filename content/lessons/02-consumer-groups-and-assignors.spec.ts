/**
 * Lesson 02 "Consumer groups and assignors": the claims its prose makes about its engine-computed
 * assignment tables, and the authoring rules for its figures, links and numbers.
 *
 * - The front matter passes the lesson schema; the MDX body compiles.
 * - Every <AssignmentTable> has valid props, and the prose around each one says what the engine computes
 *   (checked here against the engine's assignors directly, not through the component):
 *   - "more members than partitions … the members left over get nothing": idle = members − partitions > 0;
 *   - range vs round robin on two topics: range's extra partitions go to the same members in both topics,
 *     so its spread (most − fewest) is 2 or more, round robin's at most 1; range co-partitions (partition i
 *     of both topics → one member), round robin does not here;
 *   - C2 joins C0 and C1: range also moves partitions between the two members that stay; sticky moves
 *     only what the newcomer gets; cooperative-sticky needs two rebalances, holds the moving partitions
 *     back in the first, and ends where sticky ends.
 * - No paragraph, list item, heading, alt or caption types an assignment: no sentence names both a member
 *   (C0) and a partition (t0p1), and none says "C0 gets 4".
 * - The tables do not give the quiz away: no table shows a group that an `assign` query asks about.
 * - At least two figures with alt and caption, SVG hidden from assistive technology, drawn only with
 *   currentColor / theme variables, and naming no partition (figures are conceptual; assignments are tables).
 * - Every /scenarios/<id>/ link names a scenario in content/scenarios/, and the four consumer-group
 *   scenarios are linked.
 * - The quiz has at least 6 questions of all six types and asks the engine at least a partition count and
 *   an idle count (equality of every computed answer with the engine: content/quizzes.spec.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compile } from '@mdx-js/mdx';
import { parse as parseYaml } from 'yaml';
import { ASSIGNORS, verifyAssignment } from '../../engine/index.ts';
import type { Assignment, AssignorName, Subscription } from '../../engine/index.ts';
import { figureProblems, lessonFrontmatter, readLesson } from './lesson-source.ts';

const lesson = readLesson(new URL('./02-consumer-groups-and-assignors.mdx', import.meta.url));
const { frontmatter, body, tree, walk, jsx, attr, value, text } = lesson;

// ---------------------------------------------------------------------------------------------
// The tables, and the engine's answer for each (straight from the assignors)

type Group = Record<string, string[]>;
interface Table {
  assignors: AssignorName[];
  partitionsPerTopic: Record<string, number>;
  current: Group;
  previous?: Group;
  caption?: string;
}
function toGroup(v: unknown, topics: string[]): Group | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'number') return Object.fromEntries(Array.from({ length: v }, (_, i) => [`C${i}`, topics]));
  if (Array.isArray(v)) return Object.fromEntries(v.map((m: string) => [m, topics]));
  return v as Group;
}
const tables: Table[] = jsx('AssignmentTable').map((t) => {
  const a = value(t, 'assignor') as AssignorName | AssignorName[];
  const partitionsPerTopic = value(t, 'partitionsPerTopic') as Record<string, number>;
  const topics = Object.keys(partitionsPerTopic);
  return {
    assignors: Array.isArray(a) ? a : [a],
    partitionsPerTopic,
    current: (toGroup(value(t, 'members'), topics) ?? toGroup(value(t, 'subscriptions'), topics)) as Group,
    previous: toGroup(value(t, 'previous'), topics),
    caption: value(t, 'caption') as string | undefined,
  };
});

const subs = (g: Group, owned?: Assignment, generationId?: number): Record<string, Subscription> =>
  Object.fromEntries(
    Object.entries(g).map(([m, topics]) => [
      m,
      owned ? { topics, ownedPartitions: owned[m] ?? [], generationId: owned[m] ? generationId : undefined } : { topics },
    ]),
  );
const owners = (a: Assignment) =>
  new Map(Object.entries(a).flatMap(([m, tps]) => tps.map((tp) => [`${tp.topic}-${tp.partition}`, m] as const)));
const counts = (a: Assignment) => Object.values(a).map((tps) => tps.length);
const spread = (a: Assignment) => Math.max(...counts(a)) - Math.min(...counts(a));
const total = (ppt: Record<string, number>) => Object.values(ppt).reduce((x, y) => x + y, 0);

/** Previous generation from scratch; the current one with ownedPartitions; cooperative reruns until nothing is held back. */
function rebalance(assignor: AssignorName, t: Table) {
  const run = ASSIGNORS[assignor];
  const before = run.assign(t.partitionsPerTopic, subs(t.previous!));
  const rounds = [run.assign(t.partitionsPerTopic, subs(t.current, before, 1))];
  while (Object.values(rounds[rounds.length - 1]).flat().length < total(t.partitionsPerTopic) && rounds.length < 3) {
    rounds.push(run.assign(t.partitionsPerTopic, subs(t.current, rounds[rounds.length - 1], rounds.length + 1)));
  }
  const after = owners(rounds[rounds.length - 1]);
  const moved = [...owners(before)]
    .filter(([tp, from]) => after.has(tp) && after.get(tp) !== from)
    .map(([tp, from]) => ({ tp, from, to: after.get(tp)! }));
  return { before, rounds, final: rounds[rounds.length - 1], moved };
}
const sameGroup = (a: Group | undefined, b: Group | undefined) =>
  JSON.stringify(
    Object.entries(a ?? {})
      .map(([m, ts]) => [m, [...ts].sort()])
      .sort(),
  ) ===
  JSON.stringify(
    Object.entries(b ?? {})
      .map(([m, ts]) => [m, [...ts].sort()])
      .sort(),
  );
const samePartitions = (a: Record<string, number>, b: Record<string, number>) =>
  JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());

// ---------------------------------------------------------------------------------------------

describe('lesson 02-consumer-groups-and-assignors', () => {
  it('front matter matches the lesson schema, names quiz 02-consumer-groups-and-assignors and checkpoint range-assignor', () => {
    const data = lessonFrontmatter(lesson);
    expect(data).toMatchObject({ order: 2, quiz: '02-consumer-groups-and-assignors', checkpoint: 'range-assignor' });
  });

  it('MDX body compiles', async () => {
    await expect(compile(body)).resolves.toBeDefined();
  });

  it('every AssignmentTable has valid props and a valid assignment from each of its assignors', () => {
    expect(tables.length).toBeGreaterThanOrEqual(4);
    for (const t of tables) {
      expect(
        t.assignors.every((a) => a in ASSIGNORS),
        JSON.stringify(t.assignors),
      ).toBe(true);
      expect(Object.keys(t.current).length).toBeGreaterThan(0);
      if (t.previous) expect(t.assignors).toHaveLength(1);
      for (const a of t.assignors) {
        const final = t.previous ? rebalance(a, t).final : ASSIGNORS[a].assign(t.partitionsPerTopic, subs(t.current));
        expect(verifyAssignment(t.partitionsPerTopic, subs(t.current), final, { balance: 'none' }), `${a} ${t.caption}`).toEqual([]);
      }
    }
  });

  it('more members than partitions (range): the members left over are idle, members − partitions of them', () => {
    const t = tables.find(
      (x) => !x.previous && x.assignors.join() === 'range' && Object.keys(x.current).length > total(x.partitionsPerTopic),
    );
    expect(t, 'no range table with more members than partitions').toBeDefined();
    const a = ASSIGNORS.range.assign(t!.partitionsPerTopic, subs(t!.current));
    const idle = counts(a).filter((c) => c === 0).length;
    expect(idle).toBe(Object.keys(t!.current).length - total(t!.partitionsPerTopic));
    expect(
      counts(a).every((c) => c <= 1),
      'a member owns two partitions while others idle',
    ).toBe(true);
  });

  it('range vs round robin on two topics: range’s extras land on the same members in each topic and add up; round robin stays within one', () => {
    const t = tables.find((x) => x.assignors.includes('range') && x.assignors.includes('roundrobin'));
    expect(t, 'no table comparing range and roundrobin').toBeDefined();
    const topics = Object.keys(t!.partitionsPerTopic);
    expect(topics.length).toBeGreaterThanOrEqual(2);
    const range = ASSIGNORS.range.assign(t!.partitionsPerTopic, subs(t!.current));
    const rr = ASSIGNORS.roundrobin.assign(t!.partitionsPerTopic, subs(t!.current));
    expect(spread(range), 'range imbalance does not add up here').toBeGreaterThanOrEqual(2);
    expect(spread(rr)).toBeLessThanOrEqual(1);
    // the members with an extra partition are the same in every topic
    const extras = topics.map((topic) =>
      Object.keys(range)
        .filter(
          (m) =>
            range[m].filter((tp) => tp.topic === topic).length > Math.floor(t!.partitionsPerTopic[topic] / Object.keys(t!.current).length),
        )
        .sort()
        .join(),
    );
    expect(new Set(extras).size).toBe(1);
    expect(extras[0]).not.toBe('');
    // co-partitioning: with equal counts, partition i of every topic has one owner under range; not under round robin
    const counts0 = t!.partitionsPerTopic[topics[0]];
    expect(topics.every((topic) => t!.partitionsPerTopic[topic] === counts0)).toBe(true);
    const r = owners(range);
    const o = owners(rr);
    for (let i = 0; i < counts0; i++) expect(new Set(topics.map((topic) => r.get(`${topic}-${i}`))).size, `range, partition ${i}`).toBe(1);
    expect([...Array(counts0).keys()].some((i) => new Set(topics.map((topic) => o.get(`${topic}-${i}`))).size > 1)).toBe(true);
  });

  it('C2 joins C0 and C1: range moves partitions between members that stay; sticky moves only what C2 gets; cooperative takes two rebalances and ends where sticky ends', () => {
    const join = (a: AssignorName) => tables.find((x) => x.previous && x.assignors[0] === a);
    const [range, sticky, coop] = (['range', 'sticky', 'cooperative-sticky'] as const).map((a) => join(a));
    for (const t of [range, sticky, coop]) {
      expect(t, 'missing a join table').toBeDefined();
      // same event in all three tables, and the caption names it
      expect(
        samePartitions(t!.partitionsPerTopic, range!.partitionsPerTopic) &&
          sameGroup(t!.current, range!.current) &&
          sameGroup(t!.previous, range!.previous),
      ).toBe(true);
      const joined = Object.keys(t!.current).filter((m) => !(m in t!.previous!));
      expect(joined).toEqual(['C2']);
      expect(Object.keys(t!.previous!).sort()).toEqual(['C0', 'C1']);
      expect(t!.caption).toContain('C2 joins C0 and C1');
    }
    const stayers = new Set(['C0', 'C1']);
    const r = rebalance('range', range!);
    expect(
      r.moved.some((m) => stayers.has(m.from) && stayers.has(m.to)),
      'range moved nothing between C0 and C1',
    ).toBe(true);
    const s = rebalance('sticky', sticky!);
    expect(s.moved.every((m) => m.to === 'C2')).toBe(true);
    expect(s.moved.length).toBe(s.final.C2.length);
    expect(r.moved.length).toBeGreaterThan(s.moved.length);
    const c = rebalance('cooperative-sticky', coop!);
    expect(c.rounds).toHaveLength(2);
    expect(c.rounds[0].C2).toEqual([]);
    const first = owners(c.rounds[0]);
    for (const m of c.moved) expect(first.has(m.tp), `${m.tp} is owned during the first rebalance`).toBe(false);
    // members that stay keep every partition they end with, through both rebalances
    for (const m of stayers) {
      const kept = c.final[m].map((tp) => `${tp.topic}-${tp.partition}`);
      const owned = new Set([...c.before[m], ...c.rounds[0][m]].map((tp) => `${tp.topic}-${tp.partition}`));
      for (const k of kept) expect(owned.has(k), `${m} was interrupted on ${k}`).toBe(true);
    }
    expect(c.final).toEqual(s.final);
  });

  it('no paragraph, list item, heading, alt or caption types an assignment', () => {
    const passages: string[] = [];
    walk(tree, (n) => {
      if (n.type === 'paragraph' || n.type === 'heading' || n.type === 'tableCell') passages.push(text(n));
      if (n.type === 'mdxJsxFlowElement') {
        for (const name of ['alt', 'caption', 'title']) {
          const v = attr(n, name);
          if (typeof v === 'string') passages.push(v);
        }
      }
    });
    expect(passages.length).toBeGreaterThan(20);
    for (const passage of passages) {
      for (const sentence of passage.split(/(?<=[.;:!?])\s+/)) {
        const namesBoth = /\bC\d+\b/.test(sentence) && /\bt\d+p\d+\b/.test(sentence);
        expect(namesBoth, `names a member and a partition: "${sentence}"`).toBe(false);
        expect(sentence, 'types a member’s partition count').not.toMatch(/\bC\d+\b\s+(?:gets|owns|has|keeps|takes|receives)\s+\d+\b/);
      }
    }
  });

  it('tables show no group that the quiz asks the engine about', () => {
    const quizFile = fileURLToPath(new URL(`../quizzes/${String(frontmatter.quiz)}.yaml`, import.meta.url));
    const quiz = parseYaml(readFileSync(quizFile, 'utf8')) as { questions: { id: string; answer?: Record<string, unknown> }[] };
    const asked = quiz.questions.filter((q) => q.answer?.engine === 'assign');
    expect(asked.length, 'the quiz asks no assign query; this check would be vacuous').toBeGreaterThan(0);
    for (const q of asked) {
      const a = q.answer as { partitionsPerTopic: Record<string, number>; subscriptions: Group; previous?: Group };
      const shown = tables.filter(
        (t) =>
          samePartitions(t.partitionsPerTopic, a.partitionsPerTopic) &&
          sameGroup(t.current, a.subscriptions) &&
          sameGroup(t.previous, a.previous),
      );
      expect(
        shown.map((t) => t.caption),
        `${q.id} is answered by a lesson table`,
      ).toEqual([]);
    }
  });

  it('quiz: at least 6 questions of all six types; the engine answers a partition count and an idle count', () => {
    const quizFile = fileURLToPath(new URL(`../quizzes/${String(frontmatter.quiz)}.yaml`, import.meta.url));
    const quiz = parseYaml(readFileSync(quizFile, 'utf8')) as { questions: { type: string; answer?: Record<string, unknown> }[] };
    expect(quiz.questions.length).toBeGreaterThanOrEqual(6);
    expect([...new Set(quiz.questions.map((q) => q.type))]).toEqual(
      expect.arrayContaining(['single-choice', 'multi-select', 'numeric', 'order-steps', 'best-fit', 'recall']),
    );
    const asks = quiz.questions
      .map((q) => q.answer)
      .filter((a) => a?.engine === 'assign')
      .map((a) => a!.ask);
    expect(asks).toEqual(expect.arrayContaining(['partitionCount', 'idleMembers', 'movedPartitions']));
  });

  it('at least two figures, each with alt and caption, SVG hidden from AT, themed, and naming no partition', () => {
    expect(jsx('Figure').length).toBeGreaterThanOrEqual(2);
    expect(figureProblems(lesson)).toEqual([]);
    const svgSource = [...body.matchAll(/<svg[\s\S]*?<\/svg>/g)].map((m) => m[0]).join('\n');
    expect(svgSource, 'a figure names a partition; assignments belong in engine-computed tables').not.toMatch(/\bt\d+p\d+\b/);
  });

  it('scenario links name existing scenarios, and the four consumer-group scenarios are linked', () => {
    const links: string[] = [];
    walk(tree, (n) => {
      if (n.type === 'link' && n.url) links.push(n.url);
    });
    const ids = links.map((u) => /^\/scenarios\/([a-z0-9-]+)\/$/.exec(u)?.[1]).filter((id): id is string => id !== undefined);
    for (const id of ids)
      expect(existsSync(fileURLToPath(new URL(`../scenarios/${id}.yaml`, import.meta.url))), `content/scenarios/${id}.yaml`).toBe(true);
    expect(ids).toEqual(
      expect.arrayContaining(['consumers-vs-partitions', 'eager-vs-cooperative', 'consumer-crash-rebalance', 'static-member-restart']),
    );
    // every other link is an in-page anchor
    for (const u of links.filter((l) => !l.startsWith('/scenarios/'))) expect(u).toMatch(/^#/);
  });
});
