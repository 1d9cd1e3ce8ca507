/**
 * Lesson 05 "Retention and compaction": the claims its prose makes, checked against the engine.
 *
 * - The front matter passes the lesson schema; the MDX body compiles.
 * - The defaults table is the engine's DEFAULT_LOG_CONFIG (local.retention.* -2 resolving to retention.*), and the
 *   toy-size callout states Kafka's minimum segment.bytes (1 MiB, KAFKA_MIN_SEGMENT_BYTES, Kafka 4.0).
 * - Every <Scenario> names a scenario in content/scenarios/, and the paragraph right before it says the scenario uses
 *   toy segment sizes with the scenario's own segment.bytes; the retention and compaction scenarios are embedded.
 * - Retention: the sweeps run retention.bytes before retention.ms; Figure 1's example (segmentsToDelete); "data
 *   outlives retention.ms" (about 14 days with the defaults, computed from a log that receives one record an hour);
 *   the check runs every log.retention.check.interval.ms (5 minutes), played by the scenario runner.
 * - Compaction: the worked pass (compactLog keeps 2, 3 and 4 and leaves the active segment alone); the dirty ratio
 *   claims (0.5 is not cleaned, 0.75 is, the highest first: logsToClean); max.compaction.lag.ms forces a log below
 *   the ratio.
 * - Figures: at least two, with alt and caption, SVG hidden from assistive technology, themed.
 * - The quiz: at least 10 questions with numeric, single-choice, multi-select, order-steps, best-fit and recall;
 *   its consume prompts name every count their steps use. (Each computed answer: content/quizzes.spec.ts.)
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compile } from '@mdx-js/mdx';
import { parse as parseYaml } from 'yaml';
import {
  DEFAULT_LOG_CONFIG,
  KAFKA_MIN_SEGMENT_BYTES,
  PartitionLog,
  compactLog,
  dirtyRatio,
  localRetention,
  logsToClean,
  needsCompaction,
  runScenario,
  segmentsToDelete,
  summarizeSegment,
} from '../../engine/index.ts';
import type { MdxNode } from './lesson-source.ts';
import type { Scenario } from '../../engine/index.ts';
import { figureProblems, lessonFrontmatter, readLesson } from './lesson-source.ts';

const lesson = readLesson(new URL('./05-retention-and-compaction.mdx', import.meta.url));
const { body, tree, walk, jsx, attr, text } = lesson;
const scenarioFile = (id: string) => fileURLToPath(new URL(`../scenarios/${id}.yaml`, import.meta.url));
const loadScenario = (id: string) => parseYaml(readFileSync(scenarioFile(id), 'utf8')) as Scenario;

const prose: string[] = [];
walk(tree, (n) => {
  if (n.type === 'paragraph' || n.type === 'heading') prose.push(text(n));
});
const allProse = prose.join(' ').replace(/\s+/g, ' ');
const t0p0 = { topic: 't0', partition: 0 };
const DAY = 24 * 60 * 60 * 1000;

describe('lesson 05-retention-and-compaction', () => {
  it('front matter matches the lesson schema, order 5, names quiz 05-retention-and-compaction and checkpoint log-cleaner', () => {
    expect(lessonFrontmatter(lesson)).toMatchObject({ order: 5, quiz: '05-retention-and-compaction', checkpoint: 'log-cleaner' });
  });

  it('MDX body compiles', async () => {
    await expect(compile(body)).resolves.toBeDefined();
  });

  it('the defaults table is the engine’s Kafka defaults; local.retention.* -2 means retention.*', () => {
    const rows = Object.fromEntries([...body.matchAll(/^\| `([a-z.]+)` \| ([^|]+) \|/gm)].map((m) => [m[1], m[2].trim()])) as Record<
      string,
      string
    >;
    const camel = (name: string) => name.replace(/\.([a-z])/g, (_, c: string) => c.toUpperCase());
    const names = Object.keys(rows);
    expect(names).toEqual([
      'segment.bytes',
      'segment.ms',
      'cleanup.policy',
      'retention.ms',
      'retention.bytes',
      'delete.retention.ms',
      'min.cleanable.dirty.ratio',
      'min.compaction.lag.ms',
      'local.retention.ms',
      'local.retention.bytes',
    ]);
    for (const name of names) {
      const v = (DEFAULT_LOG_CONFIG as unknown as Record<string, unknown>)[camel(name)];
      expect(rows[name], name).toBe(String(v));
    }
    expect(localRetention({ ...DEFAULT_LOG_CONFIG })).toEqual({
      localRetentionMs: DEFAULT_LOG_CONFIG.retentionMs,
      localRetentionBytes: DEFAULT_LOG_CONFIG.retentionBytes,
    });
    // the units the table states next to the numbers
    expect(DEFAULT_LOG_CONFIG.segmentBytes).toBe(2 ** 30); // 1 GiB
    expect(DEFAULT_LOG_CONFIG.segmentMs).toBe(7 * DAY);
    expect(DEFAULT_LOG_CONFIG.retentionMs).toBe(7 * DAY);
    expect(DEFAULT_LOG_CONFIG.deleteRetentionMs).toBe(DAY);
  });

  it('the toy-size callout states Kafka’s minimum segment.bytes: 1 MiB since Kafka 4.0', () => {
    const callout = jsx('Callout').find((c) => attr(c, 'title') === 'Toy segment sizes')!;
    expect(text(callout).replace(/\s+/g, ' ')).toMatch(/since Kafka 4\.0 the minimum segment\.bytes is 1 MiB \(KIP-1030\)/);
    expect(KAFKA_MIN_SEGMENT_BYTES).toBe(2 ** 20);
  });

  it('every <Scenario> exists, and the text right before it says it uses toy segment sizes — with the scenario’s own segment.bytes', () => {
    const embedded = jsx('Scenario').map((s) => attr(s, 'id') as string);
    expect(embedded).toEqual(
      expect.arrayContaining([
        'retention-bytes-one-partition',
        'retention-deletes-unconsumed-data',
        'tombstone-missed-by-slow-consumer',
        'compacted-changelog',
        'compact-delete',
      ]),
    );
    // the block before each Scenario (or, for the tombstone one, the paragraph after it) names its toy size
    const blocks = tree.children ?? [];
    for (const id of embedded) {
      expect(existsSync(scenarioFile(id)), id).toBe(true);
      const i = blocks.findIndex((b) => b.name === 'Scenario' && attr(b, 'id') === id);
      const near = [blocks[i - 1], blocks[i + 1]].filter((b): b is MdxNode => b !== undefined).map((b) => text(b));
      const bytes = loadScenario(id).topics[0].configs!.segmentBytes!;
      expect(
        near.some((t) => new RegExp(`[Tt]oy segment sizes(: |\\) |[^.]*)${bytes} bytes`).test(t.replace(/\s+/g, ' '))),
        `${id}: no "toy segment sizes … ${bytes} bytes" next to it`,
      ).toBe(true);
    }
  });

  it('retention.bytes runs before retention.ms, and both stop at the first segment kept', () => {
    expect(allProse).toContain('retention.bytes first');
    // 4 segments of 10 bytes; retention.bytes 25 takes the first; retention.ms takes the second; the third is young
    const seg = (baseOffset: number, largestTimestampMs: number) => ({
      baseOffset,
      recordCount: 1,
      sizeInBytes: 10,
      firstTimestampMs: largestTimestampMs,
      largestTimestampMs,
    });
    const out = segmentsToDelete({
      segments: [seg(0, 0), seg(1, 0), seg(2, 900), seg(3, 0)],
      nowMs: 1000,
      retentionMs: 500,
      retentionBytes: 25,
    });
    expect(out).toEqual([
      { baseOffset: 0, reason: 'retention.bytes' },
      { baseOffset: 1, reason: 'retention.ms' },
    ]);
  });

  it('Figure 1: at 120000 ms with retention.ms 60000, [0..2] (85000 ms old) goes, [3..5] (45000 ms old) stays, log start 0 → 3', () => {
    const log = new PartitionLog(t0p0, { segmentBytes: 3 * 18, retentionMs: 60_000 });
    [20_000, 30_000, 35_000, 45_000, 55_000, 75_000, 80_000, 100_000, 105_000, 110_000].forEach((ts, i) =>
      log.appendAsLeader([{ key: `k${String(i).padStart(2, '0')}`, value: 'v'.repeat(8), timestamp: ts }]),
    );
    log.updateHighWatermark(log.logEndOffset);
    const segs = log.segments.map(summarizeSegment);
    expect(segs.map((s) => [s.baseOffset, s.largestTimestampMs])).toEqual([
      [0, 35_000],
      [3, 75_000],
      [6, 105_000],
      [9, 110_000],
    ]);
    const deleted = segmentsToDelete({ segments: segs, nowMs: 120_000, retentionMs: 60_000, retentionBytes: -1 });
    expect(deleted.map((d) => d.baseOffset)).toEqual([0]);
    const fig = jsx('Figure').find((f) => attr(f, 'id') === 'fig-retention-segments')!;
    const caption = String(attr(fig, 'caption'));
    expect(caption).toContain(`${120_000 - 35_000} ms old and the segment goes`);
    expect(caption).toContain(`${120_000 - 75_000} ms old, so it stays`);
    expect(caption).toContain(`moves from 0 to ${segs[1].baseOffset}`);
  });

  it('data outlives retention.ms: with the defaults and one record an hour, offset 0 lives about 14 days (plus up to a 5-minute check)', () => {
    expect(allProse).toContain('So a record can live about 14 days with a 7-day retention.ms, plus up to one check interval (5 minutes)');
    const HOUR = 60 * 60 * 1000;
    const log = new PartitionLog(t0p0, {});
    for (let h = 0; h <= 15 * 24; h++) log.appendAsLeader([{ key: 'k', value: 'v', timestamp: h * HOUR }]);
    log.updateHighWatermark(log.logEndOffset);
    const segs = log.segments.map(summarizeSegment);
    const CHECK = 5 * 60 * 1000;
    let t = 0;
    while (segmentsToDelete({ segments: segs, nowMs: t, retentionMs: DEFAULT_LOG_CONFIG.retentionMs, retentionBytes: -1 }).length === 0)
      t += CHECK;
    expect(t).toBeGreaterThan(14 * DAY);
    expect(t).toBeLessThanOrEqual(14 * DAY + CHECK);
  });

  it('the retention check runs every log.retention.check.interval.ms, 5 minutes by default', () => {
    expect(allProse).toContain('log.retention.check.interval.ms (5 minutes)');
    const play = (ms: number) =>
      runScenario(
        {
          id: 'check',
          title: 'check',
          summary: 'check',
          seed: 1,
          brokers: 1,
          topics: [{ name: 't0', partitions: 1, configs: { retentionMs: 1000 } }],
          producers: [{ id: 'P0' }],
          steps: [{ produce: { producer: 'P0', topic: 't0', count: 3, value: 'v{i}' } }, { advanceTime: { ms } }],
        } as Scenario,
        { trace: 'none' },
      ).state.snapshot.partitions[0].logStartOffset;
    expect(play(5 * 60 * 1000 - 1)).toBe(0);
    expect(play(5 * 60 * 1000)).toBe(3);
  });

  it('the worked pass: keeps 2, 3 and 4; 5 stays in the active segment, so 2 is not superseded yet', () => {
    expect(allProse).toContain('so it keeps 2, 3 and 4');
    const log = new PartitionLog(t0p0, { cleanupPolicy: 'compact' });
    const recs: [string, string | null][] = [
      ['alice', 'Oslo'],
      ['bob', 'Lima'],
      ['alice', 'Rome'],
      ['bob', null],
      ['carol', 'Pune'],
    ];
    for (const [key, value] of recs) log.appendAsLeader([{ key, value, timestamp: 0 }]);
    log.roll(0);
    log.appendAsLeader([{ key: 'alice', value: 'Accra', timestamp: 0 }]);
    log.updateHighWatermark(log.logEndOffset);
    for (const [i, [key, value]] of recs.entries()) expect(allProse).toContain(`${i}: ${key}=${value ?? 'null'}`);
    compactLog(log, 0);
    expect(log.segments.flatMap((s) => s.records.map((r) => r.offset))).toEqual([2, 3, 4, 5]);
  });

  it('dirty ratio: exactly 0.5 is not cleaned, 0.75 is, and the highest ratio goes first', () => {
    expect(allProse).toContain('A log with a ratio of exactly 0.5 is not cleaned (it must be above); one at 0.75 is');
    // logs of equal-sized records: `clean` records cleaned once, then `dirty` new keys, then an active record
    const build = (clean: number, dirty: number, minCleanableDirtyRatio = 0.5) => {
      const log = new PartitionLog(t0p0, { cleanupPolicy: 'compact', minCleanableDirtyRatio });
      const put = (k: string) => log.appendAsLeader([{ key: k, value: 'v', timestamp: 0 }]);
      for (let i = 0; i < clean; i++) put(`c${i}`);
      log.roll(0);
      log.updateHighWatermark(log.logEndOffset);
      compactLog(log, 0);
      for (let i = 0; i < dirty; i++) put(`d${i}`);
      log.roll(0);
      put('active');
      log.updateHighWatermark(log.logEndOffset);
      return log;
    };
    const a = build(3, 3);
    const b = build(1, 3);
    expect([dirtyRatio(a, 0), dirtyRatio(b, 0)]).toEqual([0.5, 0.75]);
    expect([needsCompaction(a, 0), needsCompaction(b, 0)]).toEqual([false, true]);
    expect(logsToClean([a, b], 0).map((x) => x.log)).toEqual([b]);
    const a2 = build(3, 3, 0.4);
    const b2 = build(1, 3, 0.4);
    expect(logsToClean([a2, b2], 0).map((x) => x.log)).toEqual([b2, a2]);
  });

  it('max.compaction.lag.ms makes a log below the dirty ratio a candidate once its oldest dirty data is that old', () => {
    expect(allProse).toContain('or when max.compaction.lag.ms has passed since the oldest dirty data was written');
    const log = new PartitionLog(t0p0, { cleanupPolicy: 'compact', minCleanableDirtyRatio: 0.9, maxCompactionLagMs: 60_000 });
    for (let i = 0; i < 4; i++) log.appendAsLeader([{ key: `k${i}`, value: 'v', timestamp: 1000 }], { nowMs: 1000 });
    log.roll(1000);
    log.updateHighWatermark(log.logEndOffset);
    compactLog(log, 1000);
    log.appendAsLeader([{ key: 'k0', value: 'w', timestamp: 2000 }], { nowMs: 2000 });
    log.roll(2000);
    log.appendAsLeader([{ key: 'k9', value: 'v', timestamp: 2000 }], { nowMs: 2000 });
    log.updateHighWatermark(log.logEndOffset);
    expect(dirtyRatio(log, 2000)).toBeLessThan(0.9);
    expect(needsCompaction(log, 62_000)).toBe(false);
    expect(needsCompaction(log, 62_001)).toBe(true);
  });

  it('figures: at least two, each with alt text and caption, SVG hidden from assistive technology, themed colours', () => {
    expect(jsx('Figure').length).toBeGreaterThanOrEqual(2);
    expect(figureProblems(lesson)).toEqual([]);
  });

  it('the quiz: ≥ 10 questions with every type, and each consume prompt names the counts its steps use', () => {
    const quiz = parseYaml(
      readFileSync(fileURLToPath(new URL('../quizzes/05-retention-and-compaction.yaml', import.meta.url)), 'utf8'),
    ) as {
      questions: {
        id: string;
        type: string;
        prompt: string;
        answer?: { engine: string; steps: Record<string, Record<string, unknown>>[] };
      }[];
    };
    expect(quiz.questions.length).toBeGreaterThanOrEqual(10);
    expect(new Set(quiz.questions.map((q) => q.type))).toEqual(
      new Set(['numeric', 'single-choice', 'multi-select', 'order-steps', 'best-fit', 'recall']),
    );
    for (const q of quiz.questions.filter((x) => x.answer?.engine === 'consume')) {
      const counts = q.answer!.steps.flatMap((s) => {
        const produce = s.produce as { count?: number; records?: unknown[] } | undefined;
        return produce ? [produce.count ?? produce.records!.length] : [];
      });
      for (const n of counts) expect(q.prompt, q.id).toMatch(new RegExp(`\\*\\*${n}( |\\*\\*)`));
    }
  });
});
