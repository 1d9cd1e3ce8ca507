/**
 * Lesson 06 "Rebalancing": the claims its prose makes, checked against the engine (assignors, the scenario
 * runner, the share-group engine), and the authoring rules for its figures, embeds and quiz.
 *
 * - The front matter passes the lesson schema (order 6, quiz 06-rebalancing); the MDX body compiles.
 * - Eager vs cooperative: the figure's shaded partitions are the engine's — every partition under eager, only the
 *   ones that move to C2 under cooperative-sticky, which needs a second rebalance.
 * - max.poll.interval.ms is 300000 and max.poll.records 500 (the engine's behaviour, not just constants); the
 *   storm arithmetic: 500 records at 1 s each exceed the interval and remove the member, 250 stay within it.
 * - Share groups: ⌈12 / 4⌉ = 3 members per partition and nobody idle; the lock is 30000 ms and the delivery limit
 *   5, as the engine's defaults and its behaviour show.
 * - Embedded scenarios exist and include the rebalancing ones and the share-group one; links resolve.
 * - At least three figures with alt and caption, SVG hidden from assistive technology, themed.
 * - The quiz: at least 10 questions, with best-fit and recall among them, and engine queries about share groups.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compile } from '@mdx-js/mdx';
import { parse as parseYaml } from 'yaml';
import {
  CONSUMER_PROTOCOL_DEFAULTS,
  JOIN_GROUP_MEMBER_EPOCH,
  LEAVE_GROUP_MEMBER_EPOCH,
  LEAVE_GROUP_STATIC_MEMBER_EPOCH,
  compareProtocols,
  CooperativeStickyAssignor,
  DEFAULT_DELIVERY_COUNT_LIMIT,
  DEFAULT_RECORD_LOCK_DURATION_MS,
  SharePartition,
  StickyAssignor,
  defaultShareGroupConfig,
  desiredSharing,
  runScenario,
  simpleAssign,
} from '../../engine/index.ts';
import type { Scenario, Subscription } from '../../engine/index.ts';
import { loadScenarioFile } from '../schema/scenario.ts';
import { figureProblems, lessonFrontmatter, readLesson } from './lesson-source.ts';

const lesson = readLesson(new URL('./06-rebalancing.mdx', import.meta.url));
const { frontmatter, body, tree, walk, jsx, attr, text } = lesson;
const scenarioFile = (id: string) => fileURLToPath(new URL(`../scenarios/${id}.yaml`, import.meta.url));

const prose: string[] = [];
walk(tree, (n) => {
  if (n.type === 'paragraph' || n.type === 'heading' || n.type === 'listItem') prose.push(text(n));
});
const allProse = prose.join(' ').replace(/\s+/g, ' ');

/** a one-consumer group g1 on t0 (1 partition), C0 with `config`, playing `steps` */
function world(config: Record<string, unknown>, steps: unknown[]) {
  return runScenario(
    {
      id: 'lesson-06-check',
      title: 'check',
      summary: 'check',
      seed: 1,
      brokers: 1,
      topics: [{ name: 't0', partitions: 1 }],
      producers: [{ id: 'P0' }],
      groups: [{ id: 'g1', assignor: 'range' }],
      consumers: [{ id: 'C0', group: 'g1', topics: ['t0'], config }],
      steps,
    } as unknown as Scenario,
    { recordLimit: 1000 },
  ).trace;
}

describe('lesson 06-rebalancing', () => {
  it('front matter matches the lesson schema, order 6, names quiz 06-rebalancing and checkpoint reconcile', () => {
    const data = lessonFrontmatter(lesson);
    expect(data).toMatchObject({ order: 6, quiz: '06-rebalancing', checkpoint: 'reconcile' });
  });

  it("the consumer protocol's broker defaults and heartbeat epochs are the engine's", () => {
    expect(allProse).toContain(
      `group.consumer.heartbeat.interval.ms (${CONSUMER_PROTOCOL_DEFAULTS.heartbeatIntervalMs} ms, a broker config)`,
    );
    expect(allProse).toContain(`group.consumer.session.timeout.ms (${CONSUMER_PROTOCOL_DEFAULTS.sessionTimeoutMs} ms)`);
    expect(allProse).toContain(`group.consumer.assignors, ${CONSUMER_PROTOCOL_DEFAULTS.assignors.join(' and ')}`);
    const minus = (n: number) => String(n).replace('-', '−');
    expect(allProse).toContain(`it joins by sending epoch ${JOIN_GROUP_MEMBER_EPOCH}, leaves with ${minus(LEAVE_GROUP_MEMBER_EPOCH)}`);
    expect(allProse).toContain(`shuts down for a restart sends ${minus(LEAVE_GROUP_STATIC_MEMBER_EPOCH)}`);
  });

  it('the protocol comparison: eager hands back every owned partition at each change, the others only what moves; cooperative takes more rounds', async () => {
    expect(allProse).toContain(
      'Eager hands back every partition at each change; cooperative and the consumer protocol hand back only the ones that move',
    );
    const runs = compareProtocols(await loadScenarioFile(scenarioFile('rebalance-protocols-compared')));
    const m = Object.fromEntries(runs.map((r) => [r.variant, r.metrics]));
    expect(m['classic-eager'].revokedPartitions).toBeGreaterThan(m['classic-cooperative'].revokedPartitions);
    expect(m['classic-eager'].revokedPartitions).toBeGreaterThan(m.consumer.revokedPartitions);
    expect(m['classic-cooperative'].rebalances).toBeGreaterThan(m['classic-eager'].rebalances);
    // under the consumer protocol the partitions that move wait for the new owner's heartbeat (5000 ms apart)
    expect(m.consumer.pausedPartitionMs).toBeGreaterThan(0);
    expect(allProse).toContain("a freed partition reaches its new owner at that member's next heartbeat");
  });

  it('MDX body compiles', async () => {
    await expect(compile(body)).resolves.toBeDefined();
  });

  it('figure 1: eager pauses every partition; cooperative only those moving to C2, shaded as the engine computes', () => {
    const subs = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`C${i}`, { topics: ['t0'] }]));
    const before = StickyAssignor.assign({ t0: 6 }, subs(2));
    const rejoin: Record<string, Subscription> = {
      C0: { topics: ['t0'], ownedPartitions: before.C0, generationId: 1 },
      C1: { topics: ['t0'], ownedPartitions: before.C1, generationId: 1 },
      C2: { topics: ['t0'], ownedPartitions: [], generationId: -1 },
    };
    const round1 = CooperativeStickyAssignor.assign({ t0: 6 }, rejoin);
    const paused = ['C0', 'C1']
      .flatMap((m) => before[m].filter((tp) => !round1[m].some((x) => x.partition === tp.partition)))
      .map((tp) => tp.partition)
      .sort();
    // the cooperative row of the figure (y = 84): a shaded box per paused partition, boxes 84 px apart from x = 160
    const svg = /<Figure\s+id="fig-paused"[\s\S]*?<\/Figure>/.exec(body)![0];
    const row = (y: number) =>
      [...svg.matchAll(new RegExp(`<rect x="(\\d+)" y="${y}"[^>]*fill: var\\(--([a-z-]+)`, 'g'))].map((m) => ({
        partition: (Number(m[1]) - 160) / 84,
        paused: m[2] === 'warning-soft',
      }));
    expect(
      row(84)
        .filter((b) => b.paused)
        .map((b) => b.partition),
    ).toEqual(paused);
    expect(row(14).every((b) => b.paused)).toBe(true);
    expect(row(14)).toHaveLength(6);
    const alt = String(
      attr(
        jsx('Figure').find((f) => attr(f, 'id') === 'fig-paused')!,
        'alt',
      ),
    );
    expect(alt).toContain(`only the ${['zero', 'one', 'two', 'three'][paused.length]} boxes that move to C2`);
    // and the second rebalance gives them to C2: the final sticky target is what round 2 reaches
    const after = StickyAssignor.assign({ t0: 6 }, rejoin);
    expect(after.C2.map((tp) => tp.partition).sort()).toEqual(paused);
  });

  it('max.poll.records is 500 and max.poll.interval.ms 300000: a batch of 500 at 1 s each removes the member, 250 do not', () => {
    expect(allProse).toContain('max.poll.interval.ms (300000 ms, five minutes, KIP-62)');
    expect(allProse).toContain('max.poll.records records (500 by default)');
    const JOIN = [{ join: { consumer: 'C0' } }, { advanceTime: { ms: 3000 } }];
    const produce = { produce: { producer: 'P0', topic: 't0', count: 600, value: 'v{i}' } };
    const first = world({ autoOffsetReset: 'earliest', enableAutoCommit: false }, [...JOIN, produce, { poll: { consumer: 'C0' } }]);
    const received = first.at(-1)!.received.flatMap((r) => r.records).length;
    expect(received).toBe(500);
    const batch = (maxPollRecords: number | undefined) =>
      world({ autoOffsetReset: 'earliest', enableAutoCommit: false, ...(maxPollRecords ? { maxPollRecords } : {}) }, [
        ...JOIN,
        produce,
        { poll: { consumer: 'C0' } },
        { process: { consumer: 'C0', durationMs: (maxPollRecords ?? received) * 1000 } },
        { commit: { consumer: 'C0' } },
      ]);
    expect(batch(undefined).at(-1)!.error ?? '').toMatch(/CommitFailedException/);
    expect(allProse).toContain('250 records take 250 seconds, inside the 300-second limit');
    expect(batch(250).at(-1)!.error).toBeNull();
  });

  it('share groups: 12 consumers on 4 partitions → 3 per partition, nobody idle; lock 30000 ms; limit 5', () => {
    expect(allProse).toContain('With 12 consumers on 4 partitions, each partition is read by 3 of them, and none is idle');
    expect(desiredSharing(12, 4)).toBe(3);
    const a = simpleAssign({ t0: 4 }, Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`C${i}`, ['t0']])));
    expect(Object.values(a).every((tps) => tps.length === 1)).toBe(true);
    expect(allProse).toContain(`group.share.record.lock.duration.ms (${DEFAULT_RECORD_LOCK_DURATION_MS} ms)`);
    expect(allProse).toContain(`group.share.delivery.count.limit (${DEFAULT_DELIVERY_COUNT_LIMIT})`);
    // behaviour, not only constants: a lock lasts exactly that long; the limit-th release archives
    const p = new SharePartition({ topic: 't0', partition: 0 }, defaultShareGroupConfig({ autoOffsetReset: 'earliest' }), {
      logStartOffset: 0,
      highWatermark: 1,
      offsets: (from, to) => (from <= 0 && to > 0 ? [0] : []),
    });
    p.acquire('C0', 1, 0);
    p.expireLocks(DEFAULT_RECORD_LOCK_DURATION_MS - 1);
    expect(p.stateOf(0)?.state).toBe('acquired');
    p.expireLocks(DEFAULT_RECORD_LOCK_DURATION_MS);
    expect(p.stateOf(0)?.state).toBe('available');
    for (let d = 2; d <= DEFAULT_DELIVERY_COUNT_LIMIT; d++) {
      p.acquire('C0', 1, 40_000 * d);
      p.acknowledge('C0', 0, 'release', 40_000 * d);
    }
    expect(p.startOffset).toBe(1); // archived on the fifth delivery: the start offset moved past it
    expect(allProse).toContain('archived on its fifth');
    // share.auto.offset.reset defaults to latest
    expect(defaultShareGroupConfig().autoOffsetReset).toBe('latest');
    expect(allProse).toContain('(`latest`, the default)'.replace(/`/g, ''));
  });

  it('embedded scenarios exist: the rebalancing ones and the share-group one; links resolve', () => {
    const embedded = jsx('Scenario').map((s) => attr(s, 'id') as string);
    for (const id of embedded) expect(existsSync(scenarioFile(id)), id).toBe(true);
    expect(embedded).toEqual(
      expect.arrayContaining([
        'eager-vs-cooperative',
        'static-member-restart',
        'poll-interval-exceeded-commit-failed',
        'consumer-crash-rebalance',
        'share-group-redelivery',
        'rebalance-protocols-compared',
        'static-member-restart-consumer-protocol',
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

  it('quiz: at least 10 questions with best-fit and recall, and engine queries about share groups', () => {
    const quizFile = fileURLToPath(new URL(`../quizzes/${String(frontmatter.quiz)}.yaml`, import.meta.url));
    const quiz = parseYaml(readFileSync(quizFile, 'utf8')) as {
      questions: { id: string; type: string; prompt: string; answer?: Record<string, unknown> }[];
    };
    expect(quiz.questions.length).toBeGreaterThanOrEqual(10);
    const types = new Set(quiz.questions.map((q) => q.type));
    for (const t of ['best-fit', 'recall', 'numeric', 'multi-select', 'order-steps', 'single-choice']) expect(types).toContain(t);
    const engines = new Set(quiz.questions.map((q) => q.answer?.engine).filter(Boolean));
    for (const e of ['shareAssign', 'shareRecords', 'assign', 'consume', 'reconcile']) expect(engines).toContain(e);
    // a share story's prompt names every wait it plays (the prompt and the engine's story are one story)
    for (const q of quiz.questions.filter((x) => x.answer?.engine === 'shareRecords')) {
      const steps = q.answer!.steps as Record<string, unknown>[];
      for (const s of steps) if (typeof s.waitMs === 'number') expect(q.prompt, q.id).toContain(`${s.waitMs} ms`);
      for (const k of q.answer!.keys as string[]) expect(q.prompt, q.id).toContain(k.replace(/\d+$/, ''));
    }
  });
});
