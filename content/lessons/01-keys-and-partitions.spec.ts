/**
 * Lesson 01 "Keys, partitions and ordering": the claims its prose makes about its engine-computed
 * tables, and the authoring rules for its figures and numbers.
 *
 * - The MDX body compiles (a syntax error fails here in milliseconds, not in a one-minute site build).
 * - The worked table (one partition count, `working`) shows at least one key with a negative murmur2
 *   and one with a non-negative one: the prose says "rows with a negative murmur2 show toPositive at work".
 * - The growth table ([6, 12]) shows a key that moves and one that stays, and every key that moves lands
 *   exactly 6 above (the prose: "Every key that moves lands exactly 6 above where it was").
 * - No paragraph, list item, alt text or caption that names a key from those tables also types a
 *   partition number or says the key moves or stays: the engine computes those (ARCHITECTURE.md, "the engine computes every answer"; "the engine is
 *   the source of truth"). A first draft said "Say order-456 moves" while the table showed it staying.
 * - The tables do not give the quiz away: no key they show is one the quiz asks about
 *   (content/quizzes/<quiz>.yaml, engine-backed answers with `key` or `keys`).
 * - At least two figures, each with a text alternative and a caption; their SVG is hidden from assistive
 *   technology (the Figure's alt is the accessible name) and drawn only with currentColor / theme variables.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compile } from '@mdx-js/mdx';
import { parse as parseYaml } from 'yaml';
import { murmur2, partitionForKey, utf8 } from '../../engine/index.ts';
import { figureProblems, lessonFrontmatter, readLesson } from './lesson-source.ts';

const lesson = readLesson(new URL('./01-keys-and-partitions.mdx', import.meta.url));
const { frontmatter, body, tree, walk, jsx, attr, text } = lesson;

const tables = jsx('KeyPartitionTable').map((t) => ({
  keys: JSON.parse(String(attr(t, 'keys'))) as string[],
  partitions: JSON.parse(String(attr(t, 'partitions'))) as number | number[],
  working: attr(t, 'working') === true,
}));

describe('lesson 01-keys-and-partitions', () => {
  it('front matter matches the lesson schema, names quiz 01-keys-and-partitions and checkpoint key-to-partition', () => {
    const data = lessonFrontmatter(lesson);
    expect(data).toMatchObject({ order: 1, quiz: '01-keys-and-partitions', checkpoint: 'key-to-partition' });
  });

  it('MDX body compiles', async () => {
    await expect(compile(body)).resolves.toBeDefined();
  });

  it('worked table (one count, working): at least one negative and one non-negative murmur2', () => {
    const worked = tables.filter((t) => t.working && !Array.isArray(t.partitions));
    expect(worked.length).toBeGreaterThan(0);
    for (const t of worked) {
      const hashes = t.keys.map((k) => murmur2(utf8(k)));
      expect(
        hashes.some((h) => h < 0),
        `no key with a negative murmur2 in ${JSON.stringify(t.keys)}`,
      ).toBe(true);
      expect(
        hashes.some((h) => h >= 0),
        `no key with a non-negative murmur2 in ${JSON.stringify(t.keys)}`,
      ).toBe(true);
    }
  });

  it('growth table [6, 12]: some keys move, some stay, and a moved key lands exactly 6 above', () => {
    const growth = tables.filter((t) => Array.isArray(t.partitions) && t.partitions.join() === '6,12');
    expect(growth.length).toBe(1);
    const rows = growth[0].keys.map((key) => ({
      key,
      before: partitionForKey(utf8(key), 6),
      after: partitionForKey(utf8(key), 12),
    }));
    expect(rows.filter((r) => r.after !== r.before).length, 'no key moves').toBeGreaterThan(0);
    expect(rows.filter((r) => r.after === r.before).length, 'every key moves').toBeGreaterThan(0);
    for (const r of rows) expect([r.before, r.before + 6], r.key).toContain(r.after);
  });

  it('no paragraph, list item, alt or caption that names a table key types its partition or whether it moves', () => {
    const tableKeys = new Set(tables.flatMap((t) => t.keys));
    const passages: string[] = [];
    walk(tree, (n) => {
      if (n.type === 'paragraph' || n.type === 'heading') passages.push(text(n));
      if (n.type === 'mdxJsxFlowElement') {
        for (const name of ['alt', 'caption', 'title']) {
          const v = attr(n, name);
          if (typeof v === 'string') passages.push(v);
        }
      }
    });
    // A typed partition number, or a typed claim that a key moves or stays when the count changes.
    const typedResult = /\bp\d+\b|\bpartition\s+\d+\b|\b(?:moves|moved|stays)\b/i;
    for (const passage of passages) {
      const named = [...tableKeys].filter((k) => passage.includes(k));
      if (named.length > 0) {
        expect(passage, `names ${named.join(', ')} and types what the engine computes`).not.toMatch(typedResult);
      }
    }
  });

  it('tables show no key that the lesson quiz asks about', () => {
    const quizFile = fileURLToPath(new URL(`../quizzes/${String(frontmatter.quiz)}.yaml`, import.meta.url));
    const quiz = parseYaml(readFileSync(quizFile, 'utf8')) as { questions: { answer?: { key?: string; keys?: string[] } }[] };
    const asked = new Set(quiz.questions.flatMap((q) => [q.answer?.key, ...(q.answer?.keys ?? [])]).filter((k) => k !== undefined));
    expect(asked.size, 'the quiz asks about no key; this check would be vacuous').toBeGreaterThan(0);
    const shown = tables.flatMap((t) => t.keys).filter((k) => asked.has(k));
    expect(shown, 'the lesson tables reveal these quiz answers').toEqual([]);
  });

  it('at least two figures, each with alt and caption, SVG hidden from AT and themed', () => {
    expect(jsx('Figure').length).toBeGreaterThanOrEqual(2);
    expect(figureProblems(lesson)).toEqual([]);
  });
});
