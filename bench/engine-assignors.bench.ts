/**
 * Assignor benchmarks (`npm run bench -- assignors`).
 * - range and round robin: 1,000 members × 10,000 partitions (one topic; and 100 topics × 100).
 * - sticky and cooperative-sticky: Kafka's own large cases from AbstractStickyAssignorTest, with the
 *   JUnit @Timeout Kafka gives each (each case = a fresh assignment, then a second one in which every
 *   member but the first reports what it owns, as Kafka's tests do). Ours must finish inside it.
 * Speed is measured here and never asserted in tests.
 */
import { createPrng, CooperativeStickyAssignor, RangeAssignor, RoundRobinAssignor, StickyAssignor } from '../engine/index.ts';
import type { ConsumerPartitionAssignor, Subscription } from '../engine/index.ts';
import type { BenchResult } from './run.ts';
import { time } from './stats.ts';

/** Kafka's getTopicName / getConsumerName: prefix + number zero-padded to the width of max. */
const canonical = (prefix: string, i: number, max: number) => prefix + String(i).padStart(String(max).length, '0');

/** One Kafka large case: assign, then re-assign with members 1..n-1 reporting ownership (generation 1). */
function twoRounds(
  assignor: ConsumerPartitionAssignor,
  partitionsPerTopic: Record<string, number>,
  subscriptions: Record<string, Subscription>,
  dropAfterFirst: string[] = [],
): number {
  return time(() => {
    const first = assignor.assign(partitionsPerTopic, subscriptions);
    const second: Record<string, Subscription> = {};
    Object.keys(subscriptions).forEach((m, i) => {
      second[m] = i === 0 ? subscriptions[m] : { ...subscriptions[m], ownedPartitions: first[m], generationId: 1 };
    });
    for (const m of dropAfterFirst) delete second[m];
    assignor.assign(partitionsPerTopic, second);
  });
}

function largeUniform() {
  // testLargeAssignmentAndGroupWithUniformSubscription: 500 topics × 2,000 partitions, 2,000 consumers
  const topics = Array.from({ length: 500 }, (_, i) => canonical('t', i, 500));
  const ppt = Object.fromEntries(topics.map((t) => [t, 2000]));
  const subs = Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [canonical('c', i, 2000), { topics }]));
  return { ppt, subs };
}

function largeNonEqual() {
  // testLargeAssignmentAndGroupWithNonEqualSubscription: as above, the last consumer subscribes to topic 0 only
  const { ppt, subs } = largeUniform();
  const topics = Object.keys(ppt);
  subs[canonical('c', 1999, 2000)] = { topics: topics.slice(0, 1) };
  return { ppt, subs };
}

function nonEqualNotTimeout() {
  // testAssignmentAndGroupWithNonEqualSubscriptionNotTimeout: 100 topics × 200 partitions, 500 consumers;
  // every 4th consumer subscribes to the first half of the topics, the others to the second half
  const topics = Array.from({ length: 100 }, (_, i) => canonical('t', i, 100));
  const ppt = Object.fromEntries(topics.map((t) => [t, 200]));
  const subs = Object.fromEntries(
    Array.from({ length: 500 }, (_, i) => [canonical('c', i, 500), { topics: i % 4 === 0 ? topics.slice(0, 50) : topics.slice(50) }]),
  );
  return { ppt, subs };
}

function multipleLeavingRandom(seed: number) {
  // testLargeAssignmentWithMultipleConsumersLeavingAndRandomSubscription: 40 topics of 1–10 partitions,
  // 200 consumers with random subscriptions (< 20 draws each), then 50 random removals
  const rng = createPrng(seed);
  const ppt: Record<string, number> = {};
  for (let i = 0; i < 40; i++) ppt[canonical('t', i, 40)] = rng.nextInt(10) + 1;
  const subs: Record<string, Subscription> = {};
  for (let i = 0; i < 200; i++) {
    const topics = new Set<string>();
    const draws = rng.nextInt(20);
    for (let j = 0; j < draws; j++) topics.add(canonical('t', rng.nextInt(40), 40));
    subs[canonical('c', i, 200)] = { topics: [...topics] };
  }
  const drop = Array.from({ length: 50 }, () => canonical('c', rng.nextInt(200), 200)).filter((c) => c !== canonical('c', 0, 200));
  return { ppt, subs, drop };
}

export async function run(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];

  const oneTopic = { t0: 10_000 };
  const members1000 = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [canonical('C', i, 1000), { topics: ['t0'] }]));
  const hundredTopics = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [canonical('t', i, 100), 100]));
  const members1000x100 = Object.fromEntries(
    Array.from({ length: 1000 }, (_, i) => [canonical('C', i, 1000), { topics: Object.keys(hundredTopics) }]),
  );
  for (const assignor of [RangeAssignor, RoundRobinAssignor]) {
    assignor.assign(oneTopic, members1000); // warm-up
    results.push({
      name: `${assignor.name}: 1,000 members × 10,000 partitions (1 topic)`,
      value: time(() => assignor.assign(oneTopic, members1000)),
      unit: 'ms',
    });
    results.push({
      name: `${assignor.name}: 1,000 members × 10,000 partitions (100 topics × 100)`,
      value: time(() => assignor.assign(hundredTopics, members1000x100)),
      unit: 'ms',
    });
  }

  const cases: {
    name: string;
    timeoutS: number;
    make: () => { ppt: Record<string, number>; subs: Record<string, Subscription>; drop?: string[] };
  }[] = [
    { name: 'uniform: 500 topics × 2,000 partitions, 2,000 consumers', timeoutS: 30, make: largeUniform },
    { name: 'non-equal: 500 × 2,000 partitions, 2,000 consumers, 1 on t0', timeoutS: 90, make: largeNonEqual },
    { name: 'non-equal not-timeout: 100 × 200 partitions, 500 consumers', timeoutS: 90, make: nonEqualNotTimeout },
    { name: 'random, 50 leave: 40 topics × 1–10, 200 consumers', timeoutS: 60, make: () => multipleLeavingRandom(42) },
  ];
  for (const assignor of [StickyAssignor, CooperativeStickyAssignor]) {
    for (const c of cases) {
      const { ppt, subs, drop } = c.make();
      const ms = twoRounds(assignor, ppt, subs, drop);
      results.push({
        name: `${assignor.name}: ${c.name}`,
        value: ms,
        unit: 'ms',
        note: `Kafka @Timeout(${c.timeoutS}) s: ${ms < c.timeoutS * 1000 ? 'inside' : 'OVER'}`,
      });
    }
  }
  return results;
}

// run directly: npx tsx bench/engine-assignors.bench.ts
if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await run())
    console.log(`${r.name.padEnd(80)} ${r.value.toFixed(0).padStart(8)} ${r.unit}${r.note ? `  (${r.note})` : ''}`);
}
