/**
 * Lesson 04 "Replication: leaders, the ISR, acks and the high watermark": the claims its prose makes, checked
 * against the engine (a Cluster, runScenario, the Kafka-version rules), and the authoring rules for its
 * figures, scenarios and quiz.
 *
 * - Front matter, MDX, figures; every <Scenario> exists and the lesson's eight are embedded.
 * - Figure 1's numbers: a cluster with log end offsets 9, 8, 6 has the high watermark the figure draws.
 * - replica.lag.time.max.ms is 30000: a stalled follower leaves the ISR after more than 30 s, at the next
 *   check (every 15 s), so acknowledgements stop for about 45 s in the embedded scenario.
 * - The producer defaults: acks=all with idempotence.
 * - acks=1 loses an acknowledged write when the leader crashes early; acks=all + min.insync.replicas=1 is
 *   acknowledged by the leader alone; RF 3 + min.insync.replicas=2: one broker down, writes go on, two down,
 *   NOT_ENOUGH_REPLICAS.
 * - Kafka 3.7+: the HW stands still below min ISR and the request times out; 3.6: the HW follows and the
 *   producer hears NOT_ENOUGH_REPLICAS_AFTER_APPEND.
 * - unclean.leader.election.enable defaults to false (the partition waits); ELR on by default from 4.1; the
 *   election order (ISR, ELR, last known leader, unclean); rack-aware placement.
 * - The quiz: ≥ 10 questions incl. best-fit and recall; computable ones are `replicate` queries whose
 *   prompts name the numbers their steps use.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compile } from '@mdx-js/mdx';
import { parse as parseYaml } from 'yaml';
import { Cluster, kafkaVersionRules, runScenario } from '../../engine/index.ts';
import type { Scenario, ScenarioResult, TraceEvent } from '../../engine/index.ts';
import { loadScenarioFile } from '../schema/scenario.ts';
import { figureProblems, lessonFrontmatter, readLesson } from './lesson-source.ts';

const lesson = readLesson(new URL('./04-replication.mdx', import.meta.url));
const { frontmatter, body, tree, walk, jsx, attr, text } = lesson;

const scenarioFile = (id: string) => fileURLToPath(new URL(`../scenarios/${id}.yaml`, import.meta.url));
const story = async (id: string): Promise<ScenarioResult> => runScenario(await loadScenarioFile(scenarioFile(id)));

const prose: string[] = [];
walk(tree, (n) => {
  if (n.type === 'paragraph' || n.type === 'heading' || n.type === 'listItem') prose.push(text(n));
});
const allProse = prose.join(' ').replace(/\s+/g, ' ');
const t0p0 = { topic: 't0', partition: 0 };
const rec = (v: string) => [{ key: 'k', value: v, timestamp: 0 }];

/** A cluster of brokers 0…rf−1 holding t0p0 on all of them (leader 0). */
function cluster(rf: number, config: { minInsyncReplicas?: number; uncleanLeaderElectionEnable?: boolean } = {}) {
  const ids = Array.from({ length: rf }, (_, i) => i);
  const c = new Cluster({ brokers: ids });
  c.createTopic({ name: 't0', partitions: 1, replicaAssignment: { 0: ids }, config });
  return c;
}
const response = (events: { type: string }[], requestId: number) =>
  events.find((e) => e.type === 'produce-response' && (e as unknown as { requestId: number }).requestId === requestId) as
    { error: string } | undefined;

describe('lesson 04-replication', () => {
  it('front matter matches the lesson schema, order 4, names quiz 04-replication and checkpoint high-watermark', () => {
    expect(lessonFrontmatter(lesson)).toMatchObject({ order: 4, quiz: '04-replication', checkpoint: 'high-watermark' });
  });

  it('MDX body compiles', async () => {
    await expect(compile(body)).resolves.toBeDefined();
  });

  it('figures have alt and caption, SVG hidden from AT and themed', () => {
    expect(jsx('Figure').length).toBeGreaterThanOrEqual(2);
    expect(figureProblems(lesson)).toEqual([]);
  });

  it('embedded scenarios exist; the replication scenarios are all embedded', () => {
    const embedded = jsx('Scenario').map((s) => attr(s, 'id') as string);
    for (const id of embedded) expect(existsSync(scenarioFile(id)), id).toBe(true);
    expect(embedded).toEqual(
      expect.arrayContaining([
        'follower-out-of-isr-and-back',
        'acks-1-loss',
        'rf3-minisr2-losing-brokers',
        'strict-min-isr-kafka-3-6',
        'strict-min-isr-kafka-4-4',
        'unclean-leader-election',
        'two-broker-loss-elr',
        'two-broker-loss-no-elr',
      ]),
    );
  });

  it('figure 1: log end offsets 9, 8, 6 in the ISR give the high watermark it draws', () => {
    const c = cluster(3);
    // brokers 1 and 2 copy 6 records, broker 2 stops; then 1 copies 2 more and stops; the leader gets 1 more
    c.produce(t0p0, rec('a'), { acks: 1 });
    for (let i = 1; i < 6; i++) c.produce(t0p0, rec(`a${i}`), { acks: 1 });
    c.fetchRound();
    c.fetchRound();
    c.pauseFetching(2);
    c.produce(t0p0, rec('b0'), { acks: 1 });
    c.produce(t0p0, rec('b1'), { acks: 1 });
    c.fetchRound();
    c.fetchRound();
    c.pauseFetching(1);
    c.produce(t0p0, rec('c'), { acks: 1 });
    const p = c.snapshot().partitions[0];
    const leos = p.replicaStates.map((r) => r.logEndOffset);
    expect(p.isr).toEqual([0, 1, 2]);
    expect(body).toContain(`high watermark ${p.highWatermark} = min(${leos.join(', ')})`);
    expect(String(attr(jsx('Figure')[0], 'alt'))).toContain(`log end offset ${leos[2]}`);
  });

  it('replica.lag.time.max.ms is 30000: a stalled follower leaves at the first check after 30 s; acks stop for about 45 s', async () => {
    expect(allProse).toContain('30000 ms (30 s)');
    const c = cluster(2);
    c.pauseFetching(1);
    c.produce(t0p0, rec('a'), { acks: 1 });
    const events = c.advanceTime(60_000);
    const shrink = events.find((e) => e.type === 'isr-shrink')!;
    expect(shrink.timeMs).toBeGreaterThan(30_000);
    expect(shrink.timeMs).toBeLessThanOrEqual(30_000 + 15_000);
    expect(allProse).toContain('acknowledgements stop for about 45 seconds');
    // the scenario's story: RF 3, min ISR 2, broker 2 stalls; an acks=all write waits until the shrink
    const d = cluster(3, { minInsyncReplicas: 2 });
    d.fetchRound();
    d.pauseFetching(2);
    const { requestId } = d.produce(t0p0, rec('b'), { acks: 'all', timeoutMs: 120_000 });
    d.fetchRound();
    d.fetchRound();
    const later = d.advanceTime(60_000);
    const answered = later.find((e) => e.type === 'produce-response' && e.requestId === requestId)!;
    expect(answered).toMatchObject({ error: 'NONE' });
    expect(Math.round(answered.timeMs / 5000) * 5).toBe(45);
    const result = await story('follower-out-of-isr-and-back');
    expect(result.trace.some((e) => e.happened.some((h) => h.includes('ISR shrinks to [0, 1] (lag)')))).toBe(true);
  });

  it("the producer's default is acks=all with idempotence", () => {
    expect(allProse).toContain("This is the producer's default since Kafka 3.0, together with enable.idempotence=true (KIP-679)");
    const result = runScenario({
      id: 'lesson-04-defaults',
      title: 'x',
      summary: 'x',
      seed: 1,
      brokers: 1,
      topics: [{ name: 't0', partitions: 1 }],
      producers: [{ id: 'P0' }],
      steps: [{ produce: { producer: 'P0', topic: 't0', key: 'k', value: 'v' } }],
    } as unknown as Scenario);
    const view = result.trace.at(-1)!.snapshot.producers.find((p) => p.id === 'P0')!;
    expect(view).toMatchObject({ acks: -1, enableIdempotence: true });
  });

  it('acks=1 loses an acknowledged write when the leader crashes before a follower fetched it', async () => {
    const result = await story('acks-1-loss');
    const acked = result.state.deliveries.P0.filter((d) => d.status === 'acked');
    expect(acked.some((d) => !result.state.logs.t0p0.some((r) => r.value === d.value))).toBe(true);
  });

  it('min.insync.replicas defaults to 1: acks=all is acknowledged by the leader alone once the ISR has shrunk to it', () => {
    expect(allProse).toContain('Its default is 1');
    const c = cluster(3);
    c.brokerDown(1);
    c.brokerDown(2);
    const { requestId, events } = c.produce(t0p0, rec('a'), { acks: 'all' });
    expect(c.snapshot().partitions[0].isr).toEqual([0]);
    expect(response(events, requestId)?.error).toBe('NONE');
  });

  it('RF 3 + min.insync.replicas 2: one broker down, acks=all goes on; two down, NOT_ENOUGH_REPLICAS and nothing appended; acks=1 still accepted', () => {
    const c = cluster(3, { minInsyncReplicas: 2 });
    c.brokerDown(2);
    const one = c.produce(t0p0, rec('a'), { acks: 'all' });
    const answered = [...one.events, ...c.fetchRound(), ...c.fetchRound()];
    expect(response(answered, one.requestId)?.error).toBe('NONE');
    c.brokerDown(1);
    const leo = c.snapshot().partitions[0].logEndOffset;
    const two = c.produce(t0p0, rec('b'), { acks: 'all' });
    expect(response(two.events, two.requestId)?.error).toBe('NOT_ENOUGH_REPLICAS');
    expect(c.snapshot().partitions[0].logEndOffset).toBe(leo);
    const acks1 = c.produce(t0p0, rec('c'), { acks: 1 });
    expect(response(acks1.events, acks1.requestId)?.error).toBe('NONE');
  });

  it('Kafka 3.7+: below min ISR the HW stands still and the request times out; 3.6: the HW follows, NOT_ENOUGH_REPLICAS_AFTER_APPEND', async () => {
    expect(allProse).toContain('REQUEST_TIMED_OUT');
    expect(allProse).toContain('NOT_ENOUGH_REPLICAS_AFTER_APPEND');
    const hwAfterShrink = (r: ScenarioResult) => r.trace.find((e: TraceEvent) => e.snapshot.partitions[0].isr.length === 1)!;
    const old = await story('strict-min-isr-kafka-3-6');
    const now = await story('strict-min-isr-kafka-4-4');
    const a = (r: ScenarioResult) => r.state.logs.t0p0.find((x) => x.value === 'a')!.offset;
    expect(hwAfterShrink(old).snapshot.partitions[0].highWatermark).toBeGreaterThan(a(old));
    expect(hwAfterShrink(now).snapshot.partitions[0].highWatermark).toBeLessThanOrEqual(a(now));
    const errors = (r: ScenarioResult) => r.trace.flatMap((e) => e.happened).join('\n');
    expect(errors(old)).toContain('NOT_ENOUGH_REPLICAS_AFTER_APPEND');
    expect(errors(now)).toContain('REQUEST_TIMED_OUT');
    expect(errors(now)).not.toContain('NOT_ENOUGH_REPLICAS_AFTER_APPEND');
  });

  it('unclean.leader.election.enable defaults to false: with no ISR member alive the partition waits; enabled, an out-of-sync replica leads', () => {
    expect(allProse).toContain('The default is false (since Kafka 0.11)');
    for (const unclean of [undefined, true]) {
      const c = cluster(2, unclean === undefined ? {} : { uncleanLeaderElectionEnable: unclean });
      c.pauseFetching(1);
      c.produce(t0p0, rec('a'), { acks: 1 });
      c.advanceTime(45_000); // broker 1 leaves the ISR
      c.brokerDown(0);
      expect(c.leaderFor(t0p0)).toBe(unclean ? 1 : null);
    }
  });

  it('ELR is on by default from Kafka 4.1 and exists from 4.0; the two-broker loss elects from the ELR, and waits without it', async () => {
    expect(allProse).toContain('ELR is on by default for clusters created with Kafka 4.1 or later');
    expect(kafkaVersionRules('4.1').eligibleLeaderReplicasDefault).toBe(true);
    expect(kafkaVersionRules('4.0')).toMatchObject({ eligibleLeaderReplicasDefault: false, eligibleLeaderReplicasSupported: true });
    const withElr = await story('two-broker-loss-elr');
    const without = await story('two-broker-loss-no-elr');
    const afterUp1 = (r: ScenarioResult) => r.trace.find((e) => e.kind === 'brokerUp')!.snapshot.partitions[0];
    expect(afterUp1(withElr).leader).toBe(1);
    expect(afterUp1(without).leader).toBeNull();
  });

  it('the election order: ISR, then ELR, then the last known leader (back from a crash), then unclean', () => {
    // the last known leader: min ISR 1, RF 2; the follower fails, then the leader; the leader returns first
    const c = cluster(2);
    c.brokerDown(1);
    c.brokerDown(0);
    const up = c.brokerUp(0);
    expect(up.find((e) => e.type === 'leader-election')).toMatchObject({ leader: 0, via: 'last-known-leader' });
    const steps = allProse.match(
      /an alive replica in the ISR.*?if the ISR is empty, an alive replica in the ELR.*?the last known leader.*?any alive replica/,
    );
    expect(steps).not.toBeNull();
  });

  it('rack-aware placement puts a partition’s replicas on different racks', () => {
    expect(allProse).toContain('rack-aware: a partition');
    const c = new Cluster({
      brokers: [
        { id: 0, rack: 'a' },
        { id: 1, rack: 'a' },
        { id: 2, rack: 'b' },
        { id: 3, rack: 'b' },
        { id: 4, rack: 'c' },
        { id: 5, rack: 'c' },
      ],
    });
    const [created] = c.createTopic({ name: 't1', partitions: 12, replicationFactor: 3 }) as { assignment: Record<number, number[]> }[];
    const rackOf = (b: number) => ['a', 'a', 'b', 'b', 'c', 'c'][b];
    for (const replicas of Object.values(created.assignment)) expect(new Set(replicas.map(rackOf)).size).toBe(3);
  });

  it('quiz: at least 10 questions incl. best-fit and recall; replicate stories told in full by their prompts', () => {
    const quizFile = fileURLToPath(new URL(`../quizzes/${String(frontmatter.quiz)}.yaml`, import.meta.url));
    const quiz = parseYaml(readFileSync(quizFile, 'utf8')) as {
      questions: { id: string; type: string; prompt: string; answer?: Record<string, unknown> }[];
    };
    expect(quiz.questions.length).toBeGreaterThanOrEqual(10);
    const types = new Set(quiz.questions.map((q) => q.type));
    for (const t of ['numeric', 'single-choice', 'multi-select', 'order-steps', 'best-fit', 'recall']) expect(types).toContain(t);
    const replicate = quiz.questions.filter((q) => q.answer?.engine === 'replicate');
    expect(replicate.length).toBeGreaterThanOrEqual(6);
    for (const q of replicate) {
      const steps = q.answer!.steps as Record<string, Record<string, unknown>>[];
      const counts = steps.map((s) => s.produce?.count).filter((n): n is number => typeof n === 'number');
      for (const n of counts) expect(q.prompt, `${q.id}: the prompt never says ${n}`).toMatch(new RegExp(`\\b${n}\\b`));
      const min = q.answer!.minInsyncReplicas;
      // a follow-up ("The same story …") inherits the configs of the question before it
      if (min !== undefined && !/^The same/.test(q.prompt.trim())) expect(q.prompt, q.id).toContain(`min.insync.replicas=${String(min)}`);
    }
  });
});
