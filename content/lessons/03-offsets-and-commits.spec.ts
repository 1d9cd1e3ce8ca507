/**
 * Lesson 03 "Offsets, commits and delivery semantics": the claims its prose makes, checked against the
 * engine by playing scenarios (runScenario), and the authoring rules for its figures, tables, links and quiz.
 *
 * - The front matter passes the lesson schema; the MDX body compiles.
 * - The Kafka defaults the prose states are the engine's behaviour, not just its constants: auto-commit is on
 *   by default and commits inside poll() once auto.commit.interval.ms (5000) has passed; auto.offset.reset
 *   defaults to latest (a new group skips the backlog); max.poll.interval.ms is 300000 (a batch one ms longer
 *   ends in CommitFailedException and the batch is processed again; one within it commits);
 *   offsets.retention.minutes is 10080, counted from when the group became empty.
 * - Every <OffsetTable> names a scenario, group and topic that exist, and the prose around each says what the
 *   engine computes there:
 *   - commit after processing: after a poll the position is ahead of the committed offset, the commit catches
 *     up, and after the crash a record is processed twice;
 *   - auto-commit with hand-off: some commit runs ahead of what was processed, and some record is never processed;
 *   - --describe at three steps: lag grows while the job is down, the second row counts offsets that retention
 *     already deleted (committed < logStartOffset), and the last row is 0.
 * - Every <Scenario> and /scenarios/<id>/ link names a scenario in content/scenarios/; the offset scenarios
 *   (auto-commit, redelivery, retention, commit on revoke, poll interval exceeded, transactions) are embedded.
 * - At least three figures with alt and caption, SVG hidden from assistive technology, themed.
 * - The quiz: at least 10 questions, with numeric, single-choice, multi-select, order-steps, best-fit and recall;
 *   its `consume` queries ask committed, lag, processedTwice, neverProcessed and received; each such prompt names
 *   every count its steps use (the prompt and the engine's story are one story). (Equality of each computed
 *   answer with the engine: content/quizzes.spec.ts.)
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compile } from '@mdx-js/mdx';
import { parse as parseYaml } from 'yaml';
import { runScenario } from '../../engine/index.ts';
import type { Scenario, TraceEvent } from '../../engine/index.ts';
import { figureProblems, lessonFrontmatter, readLesson } from './lesson-source.ts';

const lesson = readLesson(new URL('./03-offsets-and-commits.mdx', import.meta.url));
const { frontmatter, body, tree, walk, jsx, attr, value, text } = lesson;

const scenarioFile = (id: string) => fileURLToPath(new URL(`../scenarios/${id}.yaml`, import.meta.url));
const loadScenario = (id: string) => parseYaml(readFileSync(scenarioFile(id), 'utf8')) as Scenario;

/** The prose: paragraphs, list items, headings and callouts (not code, not figures). */
const prose: string[] = [];
walk(tree, (n) => {
  if (n.type === 'paragraph' || n.type === 'heading') prose.push(text(n));
});
/** the prose as one line of plain text (inline code without backticks) */
const allProse = prose.join(' ').replace(/\s+/g, ' ');

/** A one-consumer world (t0, P0, g1) for checking defaults; `config` is C0's consumer config. */
function world(config: Record<string, unknown>, steps: unknown[]): TraceEvent[] {
  return runScenario(checkScenario(config, steps)).trace;
}
/** The same world's final state only (no trace): fast over days of simulated time. */
function worldState(config: Record<string, unknown>, steps: unknown[]) {
  return runScenario(checkScenario(config, steps), { trace: 'none' }).state;
}
function checkScenario(config: Record<string, unknown>, steps: unknown[]): Scenario {
  return {
    id: 'lesson-03-check',
    title: 'check',
    summary: 'check',
    seed: 1,
    brokers: 1,
    topics: [{ name: 't0', partitions: 1 }],
    producers: [{ id: 'P0' }],
    groups: [{ id: 'g1', assignor: 'range' }],
    consumers: [{ id: 'C0', group: 'g1', topics: ['t0'], config }],
    steps,
  } as unknown as Scenario;
}
const committed = (e: TraceEvent, group = 'g1', partition = 0) =>
  e.snapshot.groups.find((g) => g.id === group)!.offsets.find((o) => o.partition === partition)!.committed;
const processedOffsets = (trace: TraceEvent[]) =>
  trace.flatMap((e) => e.processed.flatMap((p) => p.records.map((r) => `${r.topic}-${r.partition}@${r.offset}`)));
const JOIN = [{ join: { consumer: 'C0' } }, { advanceTime: { ms: 3000 } }];
const produce = (count: number) => ({ produce: { producer: 'P0', topic: 't0', count, value: 'v{i}' } });

describe('lesson 03-offsets-and-commits', () => {
  it('front matter matches the lesson schema, order 3, names quiz 03-offsets-and-commits and checkpoint commit-logic', () => {
    const data = lessonFrontmatter(lesson);
    expect(data).toMatchObject({ order: 3, quiz: '03-offsets-and-commits', checkpoint: 'commit-logic' });
  });

  it('MDX body compiles', async () => {
    await expect(compile(body)).resolves.toBeDefined();
  });

  it('auto-commit is on by default and commits inside poll() once auto.commit.interval.ms (5000) has passed', () => {
    expect(allProse).toContain('enable.auto.commit is true and auto.commit.interval.ms is 5000');
    // The interval counts from the consumer's start (join at 0 ms), then from each auto-commit.
    const poll = { poll: { consumer: 'C0' } };
    const trace = world({ autoOffsetReset: 'earliest' }, [
      ...JOIN, // to 3000 ms
      produce(4),
      poll, // 3000 ms: less than 5000 since the start, no commit yet; receives 4
      { advanceTime: { ms: 2000 } },
      poll, // 5000 ms: commits the position, 4
      produce(2),
      poll, // receives 2 more: position 6
      { advanceTime: { ms: 4999 } },
      poll, // 4999 ms since the last auto-commit: still 4
      { advanceTime: { ms: 1 } },
      poll, // 5000 ms: commits 6
    ]);
    expect(trace.filter((e) => e.kind === 'poll').map((e) => committed(e))).toEqual([null, 4, 4, 4, 6]);
  });

  it('auto.offset.reset defaults to latest: a new group skips what was written before its first poll', () => {
    expect(allProse).toContain('latest (the default)');
    const trace = world({ enableAutoCommit: false }, [
      produce(5),
      ...JOIN,
      { poll: { consumer: 'C0' } },
      produce(2),
      { poll: { consumer: 'C0' } },
    ]);
    const received = trace.flatMap((e) => e.received.flatMap((r) => r.records));
    expect(received.map((r) => r.value)).toEqual(['v0', 'v1']);
    expect(received[0].offset).toBe(5);
  });

  it('max.poll.interval.ms is 300000: one ms more and the commit fails (CommitFailedException), the batch is processed again', () => {
    expect(allProse).toContain('300000 ms');
    const run = (durationMs: number) =>
      world({ enableAutoCommit: false, autoOffsetReset: 'earliest' }, [
        ...JOIN,
        produce(3),
        { poll: { consumer: 'C0' } },
        { process: { consumer: 'C0', durationMs } },
        { commit: { consumer: 'C0' } },
        { poll: { consumer: 'C0' } },
        { advanceTime: { ms: 3000 } },
        { poll: { consumer: 'C0' } },
        { process: { consumer: 'C0' } },
      ]);
    const late = run(300_001);
    expect(late.find((e) => e.kind === 'commit')!.error ?? '').toMatch(/CommitFailedException/);
    const twice = processedOffsets(late).filter((r, i, all) => all.indexOf(r) !== i);
    expect(twice.length).toBeGreaterThan(0);
    const inTime = run(299_000);
    expect(inTime.find((e) => e.kind === 'commit')!.error).toBeNull();
    expect(committed(inTime.find((e) => e.kind === 'commit')!)).toBe(3);
  });

  it('offsets.retention.minutes is 10080 (7 days), counted from when the group became empty', () => {
    expect(allProse).toContain('10080 minutes = 7 days');
    const week = 10080 * 60_000;
    const run = (afterEmptyMs: number) =>
      worldState({ enableAutoCommit: false, autoOffsetReset: 'earliest', sessionTimeoutMs: 10000 }, [
        ...JOIN,
        produce(3),
        { poll: { consumer: 'C0' } },
        { process: { consumer: 'C0' } },
        { commit: { consumer: 'C0' } },
        { crash: { consumer: 'C0' } },
        { advanceTime: { ms: 15000 } }, // the session times out: the group is empty from here
        { advanceTime: { ms: afterEmptyMs } },
      ]);
    const before = run(week - 15 * 60_000);
    expect(before.snapshot.groups[0].state).toBe('Empty');
    expect(before.snapshot.groups[0].offsets[0].committed).toBe(3);
    expect(run(week + 15 * 60_000).snapshot.groups[0].offsets[0].committed).toBeNull();
  });

  const tables = jsx('OffsetTable').map((t) => ({
    scenario: value(t, 'scenario') as string,
    group: value(t, 'group') as string,
    topic: value(t, 'topic') as string,
    partition: (value(t, 'partition') as number | undefined) ?? 0,
    view: (value(t, 'view') as string | undefined) ?? 'steps',
    at: value(t, 'at') as number[] | undefined,
  }));

  it('every OffsetTable names a scenario, group and topic that exist', () => {
    expect(tables.length).toBeGreaterThanOrEqual(3);
    for (const t of tables) {
      expect(existsSync(scenarioFile(t.scenario)), t.scenario).toBe(true);
      const s = loadScenario(t.scenario);
      expect(s.groups?.map((g) => g.id)).toContain(t.group);
      expect(s.topics.map((x) => x.name)).toContain(t.topic);
      if (t.view === 'describe') for (const i of t.at!) expect(i).toBeLessThan(s.steps.length);
    }
  });

  it('commit after processing: the position runs ahead of the committed offset until the commit, and the crash repeats a record', () => {
    const t = tables.find((x) => x.scenario === 'commit-after-processing-redelivers');
    expect(t).toBeDefined();
    const trace = runScenario(loadScenario(t!.scenario)).trace;
    const polls = trace.filter((e) => e.kind === 'poll' && e.received.some((r) => r.records.length > 0));
    const ahead = polls.some((e) => {
      const pos = e.snapshot.consumers[0].positions[0]?.position ?? null;
      const c = committed(e, t!.group) ?? 0;
      return pos !== null && pos > c;
    });
    expect(ahead).toBe(true);
    const commits = trace.filter((e) => e.kind === 'commit');
    for (const e of commits) expect(committed(e, t!.group)).toBe(e.snapshot.consumers[0].positions[0].position);
    expect(processedOffsets(trace).filter((r, i, all) => all.indexOf(r) !== i).length).toBeGreaterThan(0);
  });

  it('auto-commit with hand-off: a commit runs ahead of the processing, and records are never processed', () => {
    const t = tables.find((x) => x.scenario === 'auto-commit-loses-a-record');
    expect(t).toBeDefined();
    const trace = runScenario(loadScenario(t!.scenario)).trace;
    let processed = 0;
    let ahead = false;
    for (const e of trace) {
      processed += e.processed.reduce((n, p) => n + p.records.length, 0);
      const c = committed(e, t!.group);
      if (c !== null && c > processed) ahead = true;
    }
    expect(ahead).toBe(true);
    const log = trace.at(-1)!.snapshot.partitions[0].records.map((r) => `${t!.topic}-0@${r.offset}`);
    const done = new Set(processedOffsets(trace));
    expect(log.filter((r) => !done.has(r)).length).toBeGreaterThan(0);
  });

  it('--describe rows: lag grows while the job is down, the middle row counts deleted offsets, the last is 0', () => {
    const t = tables.find((x) => x.view === 'describe');
    expect(t?.at).toHaveLength(3);
    const trace = runScenario(loadScenario(t!.scenario)).trace;
    const rows = t!
      .at!.map((i) => trace.find((e) => e.step === i)!)
      .map((e) => {
        const p = e.snapshot.partitions.find((x) => x.topic === t!.topic && x.partition === t!.partition)!;
        const c = committed(e, t!.group, t!.partition)!;
        return { committed: c, lag: p.highWatermark - c, logStartOffset: p.logStartOffset };
      });
    expect(rows.every((r) => r.committed !== null)).toBe(true);
    expect(rows[1].lag).toBeGreaterThan(rows[0].lag);
    expect(rows[1].committed).toBeLessThan(rows[1].logStartOffset);
    expect(rows[2].lag).toBe(0);
  });

  it('embedded scenarios and scenario links name existing scenarios; the three offset scenarios are embedded', () => {
    const embedded = jsx('Scenario').map((s) => attr(s, 'id') as string);
    for (const id of embedded) expect(existsSync(scenarioFile(id)), id).toBe(true);
    expect(embedded).toEqual(
      expect.arrayContaining([
        'auto-commit-loses-a-record',
        'commit-after-processing-redelivers',
        'retention-deletes-unconsumed-data',
        'commit-on-revoke-cooperative',
        'poll-interval-exceeded-commit-failed',
        'transactional-consume-transform-produce',
      ]),
    );
    const links: string[] = [];
    walk(tree, (n) => {
      if (n.type === 'link' && n.url) links.push(n.url);
    });
    for (const u of links) {
      const id = /^\/scenarios\/([a-z0-9-]+)\/$/.exec(u)?.[1];
      if (id) expect(existsSync(scenarioFile(id)), u).toBe(true);
      else expect(u).toMatch(/^#/);
    }
  });

  it('at least three figures, each with alt and caption, SVG hidden from AT and themed', () => {
    expect(jsx('Figure').length).toBeGreaterThanOrEqual(3);
    expect(figureProblems(lesson)).toEqual([]);
  });

  it('quiz: at least 10 questions of six types; consume stories told in full by their prompts', () => {
    const quizFile = fileURLToPath(new URL(`../quizzes/${String(frontmatter.quiz)}.yaml`, import.meta.url));
    const quiz = parseYaml(readFileSync(quizFile, 'utf8')) as {
      questions: { id: string; type: string; prompt: string; answer?: Record<string, unknown> }[];
    };
    expect(quiz.questions.length).toBeGreaterThanOrEqual(10);
    expect(new Set(quiz.questions.map((q) => q.type))).toEqual(
      new Set(['numeric', 'single-choice', 'multi-select', 'order-steps', 'best-fit', 'recall']),
    );
    const consume = quiz.questions.filter((q) => q.answer?.engine === 'consume');
    expect(consume.map((q) => q.answer!.ask)).toEqual(
      expect.arrayContaining(['committed', 'lag', 'processedTwice', 'neverProcessed', 'received']),
    );
    for (const q of consume) {
      const steps = q.answer!.steps as Record<string, Record<string, unknown>>[];
      const counts = steps.flatMap((s) => [s.produce?.count, s.process?.count]).filter((n): n is number => typeof n === 'number');
      const configs = Object.values(q.answer!.consumers as Record<string, Record<string, unknown>>);
      for (const c of configs) if (c.maxPollRecords !== undefined) counts.push(c.maxPollRecords as number);
      for (const n of counts) expect(q.prompt, `${q.id}: the prompt never says ${n}`).toMatch(new RegExp(`\\b${n}\\b`));
    }
  });
});
