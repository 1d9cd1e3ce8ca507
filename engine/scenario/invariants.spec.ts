/**
 * Laws that hold at every event of every scenario, checked with fast-check over random small
 * scenarios (random cluster, topics, producers, groups, consumers and a random timeline):
 *   - each partition has at most one owner per group, and only a member subscribed to its topic;
 *     consumers that still hold a membership never own the same partition at once;
 *   - every log's offsets strictly increase, within [logStartOffset, logEndOffset);
 *     a consumer's records from one partition come in increasing offset order within a poll;
 *     within one leader epoch, a partition's high watermark never goes down;
 *   - highWatermark ≤ logEndOffset of every in-sync replica;
 *   - a group's committed offsets never point beyond the log end (elections are clean here);
 *   - no acks=all write that was acknowledged is lost while elections are clean and no disk is
 *     lost: once every broker is back, each such record is in its partition at its offset.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runScenario } from './runner.ts';
import type { Scenario, Step } from './authoring.ts';
import type { TraceEvent } from './trace.ts';

const ASSIGNORS = ['range', 'roundrobin', 'sticky', 'cooperative-sticky'] as const;
const TIMES = [50, 100, 500, 3_000, 3_000, 10_000, 46_000];

type RawStep =
  | { k: 'produce'; producer: number; topic: number; key: number; count: number }
  | { k: 'poll' | 'process' | 'commit' | 'crash' | 'restart' | 'join' | 'leave'; consumer: number; all: boolean; async: boolean }
  | { k: 'brokerDown' | 'brokerUp'; broker: number }
  | { k: 'advanceTime'; ms: number }
  | { k: 'addPartitions'; topic: number; extra: number };

const consumerStep = (weight: number, ...kinds: ('poll' | 'process' | 'commit' | 'crash' | 'restart' | 'join' | 'leave')[]) => ({
  weight,
  arbitrary: fc.record({ k: fc.constantFrom(...kinds), consumer: fc.nat(), all: fc.boolean(), async: fc.boolean() }),
});

const rawStep: fc.Arbitrary<RawStep> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      k: fc.constant('produce' as const),
      producer: fc.nat(),
      topic: fc.nat(),
      key: fc.integer({ min: -1, max: 5 }),
      count: fc.integer({ min: 1, max: 4 }),
    }),
  },
  consumerStep(5, 'poll'),
  consumerStep(3, 'process'),
  consumerStep(2, 'commit'),
  consumerStep(3, 'crash', 'restart', 'join', 'leave'),
  { weight: 1, arbitrary: fc.record({ k: fc.constantFrom('brokerDown' as const, 'brokerUp' as const), broker: fc.nat() }) },
  { weight: 4, arbitrary: fc.record({ k: fc.constant('advanceTime' as const), ms: fc.constantFrom(...TIMES) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('addPartitions' as const), topic: fc.nat(), extra: fc.integer({ min: 1, max: 2 }) }) },
);

/** A random small scenario whose steps are all runnable (a consumer is only polled while it runs, …). */
const scenarioArb: fc.Arbitrary<Scenario> = fc
  .record({
    seed: fc.nat(),
    brokers: fc.integer({ min: 1, max: 3 }),
    topics: fc.array(fc.record({ partitions: fc.integer({ min: 1, max: 5 }), rf: fc.nat(), mir: fc.nat() }), {
      minLength: 1,
      maxLength: 2,
    }),
    producers: fc.array(fc.constantFrom<0 | 1 | 'all'>(0, 1, 'all', 'all'), { minLength: 1, maxLength: 2 }),
    groups: fc.array(fc.constantFrom(...ASSIGNORS), { minLength: 1, maxLength: 2 }),
    consumers: fc.array(
      fc.record({ group: fc.nat(), topics: fc.nat(), static: fc.boolean(), autoCommit: fc.boolean(), earliest: fc.boolean() }),
      { minLength: 1, maxLength: 4 },
    ),
    steps: fc.array(rawStep, { minLength: 12, maxLength: 40 }),
    /** start with every consumer joined and the first rebalance done */
    warm: fc.boolean(),
    initialDelay: fc.constantFrom(0, 3_000),
  })
  .map((r) => {
    const topics = r.topics.map((t, i) => {
      const rf = 1 + (t.rf % r.brokers);
      return {
        name: `t${i}`,
        partitions: t.partitions,
        replicationFactor: rf,
        configs: { minInsyncReplicas: 1 + (t.mir % rf), uncleanLeaderElectionEnable: false },
      };
    });
    const consumers = r.consumers.map((c, i) => {
      // a non-empty subset of the topics, from the bits of c.topics
      const subset = topics.filter((_, j) => ((c.topics % (1 << topics.length)) + 1) & (1 << j)).map((t) => t.name);
      return {
        id: `C${i}`,
        group: `g${c.group % r.groups.length}`,
        topics: subset.length ? subset : [topics[0].name],
        config: {
          enableAutoCommit: c.autoCommit,
          autoOffsetReset: c.earliest ? ('earliest' as const) : ('latest' as const),
          sessionTimeoutMs: 10_000,
          ...(c.static ? { groupInstanceId: `instance-${i}` } : {}),
        },
      };
    });
    const status = consumers.map(() => 'not-started' as 'not-started' | 'running' | 'stopped');
    const partitions = topics.map((t) => t.partitions);
    const steps: Step[] = [];
    if (r.warm) {
      for (let i = 0; i < consumers.length; i++) {
        steps.push({ join: { consumer: consumers[i].id } });
        status[i] = 'running';
      }
      steps.push({ advanceTime: { ms: 3_000 } }, { poll: {} }, { advanceTime: { ms: 3_000 } }, { poll: {} });
    }
    for (const s of r.steps) {
      switch (s.k) {
        case 'produce': {
          const t = s.topic % topics.length;
          steps.push({
            produce: {
              producer: `P${s.producer % r.producers.length}`,
              topic: topics[t].name,
              count: s.count,
              key: s.key < 0 ? null : `key-${s.key}-{i%2}`,
              value: 'v{i}',
            },
          });
          break;
        }
        case 'brokerDown':
        case 'brokerUp':
          steps.push(
            s.k === 'brokerDown' ? { brokerDown: { broker: s.broker % r.brokers } } : { brokerUp: { broker: s.broker % r.brokers } },
          );
          break;
        case 'advanceTime':
          steps.push({ advanceTime: { ms: s.ms } });
          break;
        case 'addPartitions': {
          const t = s.topic % topics.length;
          partitions[t] += s.extra;
          steps.push({ addPartitions: { topic: topics[t].name, partitions: partitions[t] } });
          break;
        }
        default: {
          const i = s.consumer % consumers.length;
          const id = consumers[i].id;
          const st = status[i];
          if (s.k === 'poll') {
            if (s.all) steps.push({ poll: {} });
            else if (st !== 'stopped') {
              steps.push({ poll: { consumer: id } });
              status[i] = 'running';
            }
          } else if (s.k === 'join' || s.k === 'restart') {
            if (st !== 'running') {
              steps.push(s.k === 'join' ? { join: { consumer: id } } : { restart: { consumer: id } });
              status[i] = 'running';
            }
          } else if (st === 'running') {
            if (s.k === 'process') steps.push({ process: { consumer: id } });
            else if (s.k === 'commit') steps.push({ commit: { consumer: id, mode: s.async ? 'async' : 'sync' } });
            else {
              steps.push(s.k === 'crash' ? { crash: { consumer: id } } : { leave: { consumer: id } });
              status[i] = 'stopped';
            }
          }
        }
      }
    }
    // finally every broker returns and replication catches up, so every partition is online
    for (let b = 0; b < r.brokers; b++) steps.push({ brokerUp: { broker: b } });
    steps.push({ advanceTime: { ms: 35_000 } });
    return {
      id: 'random',
      title: 'random',
      summary: 'random',
      seed: r.seed,
      brokers: r.brokers,
      topics,
      producers: r.producers.map((acks, i) => ({ id: `P${i}`, config: { acks, enableIdempotence: false } })),
      groups: r.groups.map((assignor, i) => ({ id: `g${i}`, assignor, initialRebalanceDelayMs: r.initialDelay })),
      consumers,
      steps,
    } satisfies Scenario;
  });

const RUNS = { numRuns: 100 };

function eachEvent(scenario: Scenario, check: (e: TraceEvent, prev: TraceEvent | null) => void): void {
  const { trace } = runScenario(scenario);
  trace.forEach((e, i) => check(e, i > 0 ? trace[i - 1] : null));
}

describe('scenario invariants over random scenarios', () => {
  it('each partition has at most one owner per group, and only a subscriber', () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        const topicsOf = new Map((scenario.consumers ?? []).map((c) => [c.id, c.topics] as const));
        eachEvent(scenario, (e) => {
          for (const g of e.snapshot.groups) {
            const seen = new Map<string, string>();
            for (const m of g.members) {
              for (const tp of m.assignment) {
                const key = `${tp.topic}-${tp.partition}`;
                expect(seen.get(key), `${key} assigned to both ${seen.get(key)} and ${m.consumer} in ${g.id}`).toBeUndefined();
                seen.set(key, m.consumer);
                expect(topicsOf.get(m.consumer), `${m.consumer} owns ${key} without subscribing to ${tp.topic}`).toContain(tp.topic);
              }
            }
            // what members may fetch: no two consumers that still hold a membership own one partition
            const owned = new Map<string, string>();
            for (const c of e.snapshot.consumers.filter((x) => x.group === g.id && x.status === 'running' && x.memberId !== null)) {
              for (const tp of c.owned) {
                const key = `${tp.topic}-${tp.partition}`;
                expect(owned.get(key), `${key} owned by both ${owned.get(key)} and ${c.id} at event ${e.index}`).toBeUndefined();
                owned.set(key, c.id);
              }
            }
          }
        });
      }),
      RUNS,
    );
  });

  it('offsets are monotonic: logs strictly increase, polls return increasing offsets, HW never drops within a leader epoch', () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        eachEvent(scenario, (e, prev) => {
          for (const p of e.snapshot.partitions) {
            let last = -1;
            for (const r of p.records) {
              expect(r.offset).toBeGreaterThan(last);
              last = r.offset;
            }
            if (p.records.length) {
              expect(p.records[0].offset).toBeGreaterThanOrEqual(p.logStartOffset);
              expect(last).toBeLessThan(p.logEndOffset);
            }
            const before = prev?.snapshot.partitions.find((q) => q.topic === p.topic && q.partition === p.partition);
            if (before && before.leader !== null && before.leader === p.leader && before.leaderEpoch === p.leaderEpoch) {
              expect(p.highWatermark).toBeGreaterThanOrEqual(before.highWatermark);
            }
          }
          for (const r of e.received) {
            const byTp = new Map<string, number>();
            for (const rec of r.records) {
              const key = `${rec.topic}-${rec.partition}`;
              expect(rec.offset).toBeGreaterThan(byTp.get(key) ?? -1);
              byTp.set(key, rec.offset);
            }
          }
        });
      }),
      RUNS,
    );
  });

  it('highWatermark ≤ logEndOffset of every in-sync replica', () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        eachEvent(scenario, (e) => {
          for (const p of e.snapshot.partitions) {
            if (p.leader === null) continue;
            for (const b of p.isr) {
              const r = p.replicaStates.find((s) => s.broker === b)!;
              expect(
                p.highWatermark,
                `${p.label}: HW ${p.highWatermark} > LEO ${r.logEndOffset} of ISR member ${b} at event ${e.index}`,
              ).toBeLessThanOrEqual(r.logEndOffset);
            }
          }
        });
      }),
      RUNS,
    );
  });

  it('committed offsets never point beyond the log end', () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        eachEvent(scenario, (e) => {
          for (const g of e.snapshot.groups) {
            for (const o of g.offsets) {
              if (o.committed === null) continue;
              const p = e.snapshot.partitions.find((q) => q.topic === o.topic && q.partition === o.partition)!;
              if (p.leader === null) continue;
              expect(
                o.committed,
                `${g.id} committed ${o.committed} on ${p.label} whose logEndOffset is ${p.logEndOffset}`,
              ).toBeLessThanOrEqual(p.logEndOffset);
            }
          }
        });
      }),
      RUNS,
    );
  });

  it('no acknowledged acks=all write is lost with clean elections and no lost disks', () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        const { trace } = runScenario(scenario, { recordLimit: 100_000 });
        const allAcks = new Set((scenario.producers ?? []).filter((p) => p.config?.acks === 'all').map((p) => p.id));
        const acked: { label: string; offset: number; value: string | null }[] = [];
        for (const e of trace) {
          for (const d of e.deliveries) {
            if (allAcks.has(d.producer) && d.status === 'acked')
              acked.push({ label: `${d.topic}p${d.partition}`, offset: d.offset!, value: d.value });
          }
          // whenever a partition has a leader, it holds every acknowledged acks=all record
          for (const a of acked) {
            const p = e.snapshot.partitions.find((q) => q.label === a.label)!;
            if (p.leader === null) continue;
            const rec = p.records.find((r) => r.offset === a.offset);
            expect(
              rec?.value,
              `acked ${a.value} at ${a.label} offset ${a.offset} is missing at event ${e.index} (leader ${p.leader})`,
            ).toBe(a.value);
          }
        }
        // and once every broker is back, every partition that took such a write is online
        const last = trace[trace.length - 1];
        for (const a of acked) expect(last.snapshot.partitions.find((q) => q.label === a.label)!.leader).not.toBeNull();
      }),
      RUNS,
    );
  });
});
