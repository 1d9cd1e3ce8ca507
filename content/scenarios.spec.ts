/**
 * Every scenario in content/scenarios/ parses, runs and is deterministic, and each one tells its
 * story: the claims its notes make are checked here by computing over the engine's trace and final
 * state — never by numbers typed into the scenario.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { keysThatMove, partitionForKey, runScenario, utf8 } from '../engine/index.ts';
import type { ConsumedRecord, GroupView, Scenario, ScenarioResult, TraceEvent } from '../engine/index.ts';
import { loadScenarioFile, parseScenario } from './schema/scenario.ts';

const DIR = join(import.meta.dirname, 'scenarios');
const FILES = readdirSync(DIR)
  .filter((f) => /\.(ya?ml|json)$/.test(f))
  .sort();

/** scenarios whose story is a client error, and the only error each may show */
const STORY_ERRORS: Record<string, RegExp> = {
  'poll-interval-exceeded-commit-failed': /^C0: CommitFailedException/,
  'transactional-consume-transform-produce': /^T1: ProducerFencedException/,
};

const loaded = new Map<string, { scenario: Scenario; result: ScenarioResult }>();
async function story(id: string): Promise<{ scenario: Scenario; result: ScenarioResult }> {
  const file = FILES.find((f) => f.replace(/\.(ya?ml|json)$/, '') === id);
  if (!file) throw new Error(`No scenario file for ${id} in ${DIR}`);
  if (!loaded.has(id)) {
    const scenario = await loadScenarioFile(join(DIR, file));
    loaded.set(id, { scenario, result: runScenario(scenario) });
  }
  return loaded.get(id)!;
}

// ---- helpers over the trace ----

const tpOf = (r: { topic: string; partition: number }) => `${r.topic}-${r.partition}`;
const recordId = (r: ConsumedRecord) => `${tpOf(r)}@${r.offset}`;

/** every record processed, in the order the steps processed them, with the consumer */
function processingOrder(trace: TraceEvent[]): (ConsumedRecord & { consumer: string })[] {
  return trace.flatMap((e) => e.processed.flatMap((p) => p.records.map((r) => ({ ...r, consumer: p.consumer }))));
}

/** the index of the event of the n-th step of `kind` (0-based) matching `pred` on the step */
function eventOfStep(
  scenario: Scenario,
  trace: TraceEvent[],
  pred: (step: Scenario['steps'][number], i: number) => boolean,
  nth = 0,
): TraceEvent {
  const indices = scenario.steps.map((s, i) => (pred(s, i) ? i : -1)).filter((i) => i >= 0);
  if (indices.length <= nth) throw new Error('step not found');
  return trace.find((e) => e.step === indices[nth])!;
}

function group(e: TraceEvent, id: string): GroupView {
  return e.snapshot.groups.find((g) => g.id === id)!;
}

function consumer(e: TraceEvent, id: string) {
  return e.snapshot.consumers.find((c) => c.id === id)!;
}

function ownersPerPartition(g: GroupView): Map<string, string[]> {
  const owners = new Map<string, string[]>();
  for (const m of g.members) for (const tp of m.assignment) owners.set(tpOf(tp), [...(owners.get(tpOf(tp)) ?? []), m.consumer]);
  return owners;
}

// ---- every file ----

describe('content/scenarios', () => {
  it('holds at least 12 scenarios, one per story the course tells', () => {
    expect(FILES.length).toBeGreaterThanOrEqual(12);
  });

  describe.each(FILES)('%s', (file) => {
    it('parses, its id is its file name, and it narrates with notes', async () => {
      const scenario = await loadScenarioFile(join(DIR, file));
      expect(scenario.id).toBe(file.replace(/\.(ya?ml|json)$/, ''));
      expect(scenario.steps.some((s) => 'note' in s)).toBe(true);
    });

    it('runs to one event per step plus the initial one, each with a self-contained snapshot', async () => {
      const scenario = await loadScenarioFile(join(DIR, file));
      const { trace, state } = runScenario(scenario);
      expect(trace).toHaveLength(scenario.steps.length + 1);
      const partitions = state.snapshot.topics.reduce((n, t) => n + t.partitions, 0);
      for (const e of trace) {
        expect(e.index).toBe(trace.indexOf(e));
        // an error a real client would see is part of only these stories; anywhere else it is a bug
        if (e.error !== null && STORY_ERRORS[scenario.id]) expect(e.error).toMatch(STORY_ERRORS[scenario.id]);
        else expect(e.error).toBeNull();
        expect(e.description.length).toBeGreaterThan(0);
        expect(e.snapshot.timeMs).toBe(e.timeMs);
        // partitions added later appear in later snapshots; never fewer than at the start
        expect(e.snapshot.partitions.length).toBeLessThanOrEqual(partitions);
        expect(e.snapshot.partitions.length).toBeGreaterThanOrEqual(trace[0].snapshot.partitions.length);
      }
    });

    it('is deterministic: the same file gives a byte-identical JSON trace', async () => {
      const scenario = await loadScenarioFile(join(DIR, file));
      const a = JSON.stringify(runScenario(scenario));
      const b = JSON.stringify(runScenario(structuredClone(scenario)));
      expect(b).toBe(a);
    });
  });
});

// ---- the stories ----

describe('order-events-keyed-vs-unkeyed', () => {
  it('keyed: every event of an order sits in hash(order id) % 3, in the order it was sent', async () => {
    const { result } = await story('order-events-keyed-vs-unkeyed');
    const keyed = Object.entries(result.state.logs).filter(([label]) => label.startsWith('orders-keyed-'));
    const sent = result.state.deliveries.P0;
    for (const order of ['order-1', 'order-2', 'order-3']) {
      const holders = keyed.filter(([, recs]) => recs.some((r) => r.key === order)).map(([label]) => label);
      expect(holders).toEqual([`orders-keyed-${partitionForKey(utf8(order), 3)}`]);
      const inLog = keyed.flatMap(([, recs]) => recs.filter((r) => r.key === order)).map((r) => r.value);
      expect(inLog).toEqual(sent.filter((d) => d.key === order).map((d) => d.value));
    }
  });

  it('keyed: one consumer processes each order created → paid → shipped; unkeyed: some order is processed out of order', async () => {
    const { result } = await story('order-events-keyed-vs-unkeyed');
    const order = processingOrder(result.trace);
    const sentOrder = (order_: string) => result.state.deliveries.P0.filter((d) => d.key === order_).map((d) => d.value);
    let outOfOrder = 0;
    for (const o of ['order-1', 'order-2', 'order-3']) {
      const keyed = order.filter((r) => r.topic === 'orders-keyed' && r.value!.startsWith(`${o} `));
      expect(keyed.map((r) => r.value)).toEqual(sentOrder(o));
      expect(new Set(keyed.map((r) => r.consumer)).size).toBe(1);
      const unkeyed = order.filter((r) => r.topic === 'orders-unkeyed' && r.value!.startsWith(`${o} `));
      expect(unkeyed).toHaveLength(3);
      expect(new Set(unkeyed.map((r) => r.partition)).size).toBeGreaterThan(1);
      if (JSON.stringify(unkeyed.map((r) => r.value)) !== JSON.stringify(sentOrder(o))) outOfOrder++;
    }
    expect(outOfOrder).toBeGreaterThan(0);
  });
});

describe('adding-partitions-breaks-key-order', () => {
  it('a moved key has v1 in its old partition and v2 in hash % 12; the moved keys are the ones keysThatMove lists', async () => {
    const { result } = await story('adding-partitions-breaks-key-order');
    const keys = Array.from({ length: 10 }, (_, i) => `user-${i}`);
    const moves = keysThatMove(keys, 6, 12);
    expect(moves.length).toBeGreaterThan(0);
    expect(moves.length).toBeLessThan(keys.length);
    const where = (value: string) => Object.entries(result.state.logs).find(([, recs]) => recs.some((r) => r.value === value))![0];
    for (const key of keys) {
      const move = moves.find((m) => m.key === key);
      expect(where(`${key} v1`)).toBe(`t0p${partitionForKey(utf8(key), 6)}`);
      expect(where(`${key} v2`)).toBe(`t0p${move ? move.to : partitionForKey(utf8(key), 6)}`);
    }
  });

  it('before the change C0 and C1 split t0p0–t0p5; after it C1 owns only the new partitions t0p6–t0p11', async () => {
    const { scenario, result } = await story('adding-partitions-breaks-key-order');
    const grow = eventOfStep(scenario, result.trace, (s) => 'addPartitions' in s);
    const before = group(result.trace[grow.index - 1], 'g1');
    expect(before.members.flatMap((m) => m.assignment.map((tp) => tp.partition)).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5]);
    const after = group(result.trace[result.trace.length - 1], 'g1');
    expect(after.generationId).toBe(before.generationId + 1);
    expect(after.members.find((m) => m.consumer === 'C1')!.assignment.map((tp) => tp.partition)).toEqual([6, 7, 8, 9, 10, 11]);
  });

  it('every moved key has its v2 processed before its v1', async () => {
    const { result } = await story('adding-partitions-breaks-key-order');
    const order = processingOrder(result.trace).map((r) => r.value);
    const moves = keysThatMove(
      Array.from({ length: 10 }, (_, i) => `user-${i}`),
      6,
      12,
    );
    for (const { key } of moves) {
      const v1 = order.indexOf(`${key} v1`);
      const v2 = order.indexOf(`${key} v2`);
      expect(v1).toBeGreaterThanOrEqual(0);
      expect(v2).toBeGreaterThanOrEqual(0);
      expect(v2).toBeLessThan(v1);
    }
  });
});

describe('consumers-vs-partitions', () => {
  it.each([1, 5, 10, 12])(
    '10 partitions, %i consumers: each partition has one owner; min(n, 10) members work, the rest idle',
    async (n) => {
      const { result } = await story('consumers-vs-partitions');
      const stable = result.trace.filter((e) => {
        const g = group(e, 'g1');
        return g.state === 'Stable' && g.members.length === n && e.kind === 'poll';
      });
      expect(stable.length).toBeGreaterThan(0);
      const e = stable[stable.length - 1];
      const g = group(e, 'g1');
      const owners = ownersPerPartition(g);
      expect(owners.size).toBe(10);
      for (const list of owners.values()) expect(list).toHaveLength(1);
      const working = g.members.filter((m) => m.assignment.length > 0);
      expect(working).toHaveLength(Math.min(n, 10));
      expect(g.members.length - working.length).toBe(Math.max(0, n - 10));
      const sizes = working.map((m) => m.assignment.length);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      // what each consumer owns is what the coordinator assigned it
      for (const m of g.members) expect(consumer(e, m.consumer).owned).toEqual(m.assignment);
    },
  );
});

describe('consumer-crash-rebalance', () => {
  it('until session.timeout.ms the dead member keeps its partitions, whose lag grows; then C0 gets all four', async () => {
    const { scenario, result } = await story('consumer-crash-rebalance');
    const crash = eventOfStep(scenario, result.trace, (s) => 'crash' in s);
    const genAtCrash = group(crash, 'g1').generationId;
    const c1Partitions = group(crash, 'g1')
      .members.find((m) => m.consumer === 'C1')!
      .assignment.map(tpOf);
    const sessionTimeoutMs = 45_000; // Kafka's default session.timeout.ms, which the scenario keeps
    const before = result.trace.filter((e) => e.index > crash.index && e.timeMs < crash.timeMs + sessionTimeoutMs - 3_000);
    expect(before.length).toBeGreaterThan(0);
    for (const e of before) {
      const g = group(e, 'g1');
      expect(g.generationId).toBe(genAtCrash);
      expect(g.members.map((m) => m.consumer)).toContain('C1');
      const lag = g.offsets.filter((o) => c1Partitions.includes(tpOf(o))).reduce((s, o) => s + o.lag, 0);
      expect(lag).toBeGreaterThan(0);
    }
    const last = result.trace[result.trace.length - 1];
    expect(group(last, 'g1').generationId).toBeGreaterThan(genAtCrash);
    expect(group(last, 'g1').members.map((m) => m.consumer)).toEqual(['C0']);
    expect(consumer(last, 'C0').owned).toHaveLength(4);
  });

  it('every record is processed exactly once: C0 resumes C1 partitions at C1 committed offsets', async () => {
    const { result } = await story('consumer-crash-rebalance');
    const processed = Object.values(result.state.processed).flat().map(recordId);
    expect(new Set(processed).size).toBe(processed.length);
    const inLogs = Object.entries(result.state.logs).flatMap(([, recs]) => recs.length);
    expect(processed).toHaveLength(inLogs.reduce((a, b) => a + b, 0));
    expect(group(result.trace[result.trace.length - 1], 'g1').totalLag).toBe(0);
  });
});

describe('eager-vs-cooperative', () => {
  it('eager: a member that rejoins gives up everything and owns nothing until the join phase ends', async () => {
    const { scenario, result } = await story('eager-vs-cooperative');
    const e2Join = eventOfStep(scenario, result.trace, (s) => 'join' in s && s.join.consumer === 'E2');
    const after = result.trace.filter((e) => e.index > e2Join.index);
    const revokes = after.flatMap((e) => e.callbacks.filter((c) => c.group === 'eager' && c.kind === 'revoked'));
    expect(revokes.length).toBeGreaterThan(0);
    for (const r of revokes) {
      const owned = consumer(e2Join, r.consumer).owned.map(tpOf);
      expect(r.partitions.map(tpOf).sort()).toEqual(owned.sort());
    }
    const paused = after.some((e) => group(e, 'eager').state !== 'Stable' && consumer(e, 'E0').owned.length === 0);
    expect(paused).toBe(true);
    expect(group(result.trace[result.trace.length - 1], 'eager').generationId - group(e2Join, 'eager').generationId).toBe(1);
  });

  it('cooperative: K0 and K1 keep partitions throughout, revoke only what moves, in two rebalances', async () => {
    const { scenario, result } = await story('eager-vs-cooperative');
    const k2Join = eventOfStep(scenario, result.trace, (s) => 'join' in s && s.join.consumer === 'K2');
    const after = result.trace.filter((e) => e.index >= k2Join.index);
    const last = result.trace[result.trace.length - 1];
    for (const e of after) {
      expect(consumer(e, 'K0').owned.length).toBeGreaterThan(0);
      expect(consumer(e, 'K1').owned.length).toBeGreaterThan(0);
    }
    const revokes = after.flatMap((e) => e.callbacks.filter((c) => c.group === 'cooperative' && c.kind === 'revoked'));
    expect(revokes.length).toBeGreaterThan(0);
    const finalOf = (id: string) =>
      group(last, 'cooperative')
        .members.find((m) => m.consumer === id)!
        .assignment.map(tpOf);
    for (const r of revokes) {
      for (const tp of r.partitions.map(tpOf)) expect(finalOf(r.consumer)).not.toContain(tp);
    }
    expect(group(last, 'cooperative').generationId - group(k2Join, 'cooperative').generationId).toBe(2);
  });

  it('both groups end with the same assignment (sticky vs cooperative-sticky), and every partition owned once', async () => {
    const { result } = await story('eager-vs-cooperative');
    const last = result.trace[result.trace.length - 1];
    const asMap = (id: string, prefix: string) =>
      Object.fromEntries(group(last, id).members.map((m) => [m.consumer.replace(prefix, ''), m.assignment.map(tpOf)]));
    expect(asMap('cooperative', 'K')).toEqual(asMap('eager', 'E'));
    for (const id of ['eager', 'cooperative']) {
      const owners = ownersPerPartition(group(last, id));
      expect(owners.size).toBe(6);
      for (const list of owners.values()) expect(list).toHaveLength(1);
    }
  });
});

describe('static-member-restart', () => {
  it('a restart within session.timeout.ms: new memberId, same generation and assignment, C1 undisturbed', async () => {
    const { scenario, result } = await story('static-member-restart');
    const crash = eventOfStep(scenario, result.trace, (s) => 'crash' in s, 0);
    const restart = eventOfStep(scenario, result.trace, (s) => 'restart' in s, 0);
    const before = result.trace[crash.index - 1];
    const span = result.trace.filter((e) => e.index >= crash.index && e.index <= restart.index + 1);
    for (const e of span) {
      expect(group(e, 'g1').generationId).toBe(group(before, 'g1').generationId);
      expect(group(e, 'g1').state).toBe('Stable');
      expect(consumer(e, 'C1').owned).toEqual(consumer(before, 'C1').owned);
    }
    const back = result.trace[restart.index + 1];
    expect(consumer(back, 'C0').owned).toEqual(consumer(before, 'C0').owned);
    expect(consumer(back, 'C0').memberId).not.toBe(consumer(before, 'C0').memberId);
    expect(restart.callbacks.filter((c) => c.kind === 'revoked')).toEqual([]);
  });

  it('away longer than session.timeout.ms: the coordinator removes it and rebalances', async () => {
    const { scenario, result } = await story('static-member-restart');
    const second = eventOfStep(scenario, result.trace, (s) => 'crash' in s, 1);
    const last = result.trace[result.trace.length - 1];
    expect(group(last, 'g1').generationId).toBe(group(second, 'g1').generationId + 1);
    expect(group(last, 'g1').members.map((m) => m.consumer)).toEqual(['C1']);
    expect(consumer(last, 'C1').owned).toHaveLength(4);
  });
});

describe('auto-commit-loses-a-record', () => {
  it('records below the committed offset were never processed by anyone', async () => {
    const { result } = await story('auto-commit-loses-a-record');
    const last = result.trace[result.trace.length - 1];
    const committed = group(last, 'ledger').offsets[0].committed!;
    const processed = new Set(Object.values(result.state.processed).flat().map(recordId));
    const lost = result.state.logs['payments-0'].filter((r) => r.offset < committed && !processed.has(`payments-0@${r.offset}`));
    expect(lost.length).toBeGreaterThan(0);
    // the auto-commit happened inside a poll, before the crash
    const autoCommitPoll = result.trace.find((e) => e.kind === 'poll' && e.happened.some((h) => h.includes('auto-commit')));
    expect(autoCommitPoll).toBeDefined();
  });
});

describe('commit-after-processing-redelivers', () => {
  it('one record is processed twice, and none is lost', async () => {
    const { result } = await story('commit-after-processing-redelivers');
    const processed = Object.values(result.state.processed).flat().map(recordId);
    const counts = new Map<string, number>();
    for (const id of processed) counts.set(id, (counts.get(id) ?? 0) + 1);
    expect([...counts.values()].filter((n) => n === 2)).toHaveLength(1);
    expect([...counts.values()].every((n) => n <= 2)).toBe(true);
    for (const r of result.state.logs['payments-0']) expect(counts.get(`payments-0@${r.offset}`)).toBeGreaterThan(0);
  });
});

describe('commit-async-out-of-order', () => {
  /** the group's committed offset of clicks-0 after every event */
  const committedSeries = (trace: TraceEvent[], g: string) => trace.map((e) => group(e, g).offsets[0].committed);

  it('blind retry: the committed offset goes backwards once the stale commit #1 lands after #2', async () => {
    const { result } = await story('commit-async-out-of-order');
    const series = committedSeries(result.trace, 'blind-retry').filter((c): c is number => c !== null);
    const peak = Math.max(...series);
    const final = series[series.length - 1];
    expect(final).toBeLessThan(peak);
    // the drop happens in the poll where #1's failure reaches its callback, and the callback retried
    const drop = result.trace.find(
      (e, i) =>
        i > 0 && group(e, 'blind-retry').offsets[0].committed! < (group(result.trace[i - 1], 'blind-retry').offsets[0].committed ?? -1),
    )!;
    expect(drop.kind).toBe('poll');
    expect(drop.happened.some((h) => h.startsWith('C0: the callback of commitAsync #1 retries'))).toBe(true);
  });

  it('sequence check: the committed offset never goes backwards, and the retry is dropped', async () => {
    const { result } = await story('commit-async-out-of-order');
    const series = committedSeries(result.trace, 'sequence-check').filter((c): c is number => c !== null);
    for (let i = 1; i < series.length; i++) expect(series[i]).toBeGreaterThanOrEqual(series[i - 1]);
    expect(result.trace.some((e) => e.happened.some((h) => h.startsWith('C1: the callback of commitAsync #1 does not retry')))).toBe(true);
  });

  it('after the restart C0 processes the records between the stale and the latest commit again; C1 processes nothing twice', async () => {
    const { result } = await story('commit-async-out-of-order');
    const twice = (id: string) => {
      const ids = result.state.processed[id].map(recordId);
      return ids.filter((x, i) => ids.indexOf(x) !== i);
    };
    const stale = group(result.trace[result.trace.length - 1], 'blind-retry').offsets[0].committed!;
    const peak = Math.max(...committedSeries(result.trace, 'blind-retry').filter((c): c is number => c !== null));
    expect(twice('C0')).toEqual(Array.from({ length: peak - stale }, (_, i) => `clicks-0@${stale + i}`));
    expect(twice('C1')).toEqual([]);
  });
});

describe('commit-on-revoke-cooperative', () => {
  it('cooperative: only the partitions that move are revoked, and only A0 commits them on revoke', async () => {
    const { result } = await story('commit-on-revoke-cooperative');
    const revoked = result.trace.flatMap((e) => e.callbacks.filter((c) => c.kind === 'revoked' && c.partitions.length));
    const moved = (c: string) => revoked.filter((r) => r.consumer === c).flatMap((r) => r.partitions.map(tpOf));
    const last = result.trace[result.trace.length - 1];
    const ownedAtEnd = (g: string, m: string) =>
      group(last, g)
        .members.find((x) => x.consumer === m)!
        .assignment.map(tpOf);
    expect(moved('A0')).toEqual(ownedAtEnd('careful', 'A1'));
    expect(moved('B0')).toEqual(ownedAtEnd('careless', 'B1'));
    expect(result.trace.some((e) => e.happened.some((h) => h.startsWith('A0: onPartitionsRevoked commits')))).toBe(true);
    expect(result.trace.some((e) => e.happened.some((h) => h.startsWith('B0: onPartitionsRevoked commits')))).toBe(false);
  });

  it('the new owner in careful reads nothing again; in careless it processes every record of the moved partitions again', async () => {
    const { result } = await story('commit-on-revoke-cooperative');
    const processedBy = (c: string) => new Set(result.state.processed[c].map(recordId));
    const again = (first: string, second: string) => [...processedBy(second)].filter((id) => processedBy(first).has(id));
    expect(again('A0', 'A1')).toEqual([]);
    const last = result.trace[result.trace.length - 1];
    const movedTps = group(last, 'careless')
      .members.find((m) => m.consumer === 'B1')!
      .assignment.map(tpOf);
    const movedRecords = movedTps.flatMap((tp) => result.state.logs[tp.replace(/^t0-/, 't0p')].map((r) => `${tp}@${r.offset}`));
    expect(movedRecords.length).toBeGreaterThan(0);
    expect(again('B0', 'B1').sort()).toEqual(movedRecords.sort());
  });
});

describe('poll-interval-exceeded-commit-failed', () => {
  it('past max.poll.interval.ms C0 is removed (poll-timeout), then its commit fails with CommitFailedException', async () => {
    const { scenario, result } = await story('poll-interval-exceeded-commit-failed');
    const removal = result.trace.find((e) => e.happened.includes('ledger: C0 removed (poll-timeout)'))!;
    expect(removal).toBeDefined();
    const failed = result.trace.find((e) => e.kind === 'commit' && e.error?.includes('CommitFailedException'))!;
    expect(failed.index).toBeGreaterThan(removal.index);
    expect(scenario.steps[failed.step!]).toEqual({ commit: { consumer: 'C0' } });
    expect(consumer(failed, 'C0').memberId).toBeNull();
  });

  it('the next owner C1 processes again exactly the batch C0 processed but could not commit', async () => {
    const { result } = await story('poll-interval-exceeded-commit-failed');
    const failed = result.trace.find((e) => e.kind === 'commit' && e.error?.includes('CommitFailedException'))!;
    const committedBefore = group(failed, 'ledger').offsets[0].committed!;
    const c0 = result.state.processed.C0.filter((r) => r.offset >= committedBefore).map(recordId);
    const c1 = result.state.processed.C1.map(recordId);
    expect(c0.length).toBeGreaterThan(0);
    expect(c1).toEqual(c0);
    // the first batch, committed in time, is never processed again
    expect(result.state.processed.C1.every((r) => r.offset >= committedBefore)).toBe(true);
  });
});

describe('transactional-consume-transform-produce', () => {
  const values = (rs: ConsumedRecord[]) => rs.map((r) => r.value);

  it('read_committed reads each invoice exactly once; read_uncommitted also reads the aborted copies', async () => {
    const { result } = await story('transactional-consume-transform-produce');
    const rc = values(result.state.received.RC);
    const ru = values(result.state.received.RU);
    expect(new Set(rc).size).toBe(rc.length);
    const log = result.state.logs['invoices-0'];
    const aborted = log.filter((r) => r.txn === 'aborted').map((r) => r.value);
    expect(aborted.length).toBeGreaterThan(0);
    expect([...rc].sort()).toEqual(
      log
        .filter((r) => r.txn === 'committed')
        .map((r) => r.value)
        .sort(),
    );
    for (const v of aborted) expect(ru.filter((x) => x === v)).toHaveLength(2);
    // control records take offsets but no consumer ever receives one
    const markers = log.filter((r) => r.control !== undefined).map((r) => r.offset);
    expect(markers.length).toBeGreaterThanOrEqual(3);
    for (const id of ['RC', 'RU']) expect(result.state.received[id].some((r) => markers.includes(r.offset))).toBe(false);
  });

  it('while T1 is frozen mid-transaction the LSO stays below the HW and RC reads nothing past it', async () => {
    const { scenario, result } = await story('transactional-consume-transform-produce');
    const frozenPoll = eventOfStep(
      scenario,
      result.trace,
      (s) => 'poll' in s && JSON.stringify(s.poll) === JSON.stringify({ consumers: ['RC', 'RU'] }),
      1,
    );
    const inv = frozenPoll.snapshot.partitions.find((p) => p.label === 'invoices-0')!;
    expect(inv.lastStableOffset).toBeLessThan(inv.highWatermark);
    const rc = consumer(frozenPoll, 'RC').positions[0].position!;
    expect(rc).toBe(inv.lastStableOffset);
    expect(frozenPoll.received.find((r) => r.consumer === 'RC')).toBeUndefined();
    expect(frozenPoll.received.find((r) => r.consumer === 'RU')!.records.length).toBeGreaterThan(0);
  });

  it("T2's initTransactions bumps the epoch and aborts T1's transaction; the zombie's send and commit are fenced", async () => {
    const { scenario, result } = await story('transactional-consume-transform-produce');
    const init2 = eventOfStep(scenario, result.trace, (s) => 'initTransactions' in s && s.initTransactions.producer === 'T2');
    const t1 = init2.snapshot.producers.find((p) => p.id === 'T1')!.transaction!;
    const t2 = init2.snapshot.producers.find((p) => p.id === 'T2')!.transaction!;
    expect(t2.producerId).toBe(t1.producerId);
    expect(t2.producerEpoch).toBe(t1.producerEpoch + 1);
    expect(init2.happened.some((h) => h.includes('ABORT marker'))).toBe(true);
    const zombie = result.trace.filter(
      (e) => e.step !== null && JSON.stringify(scenario.steps[e.step]).includes('"producer":"T1"') && e.index > init2.index,
    );
    expect(zombie.map((e) => e.kind)).toEqual(['produce', 'commitTransaction']);
    for (const e of zombie) expect(e.error).toMatch(/ProducerFencedException/);
    const last = result.trace[result.trace.length - 1];
    expect(last.snapshot.producers.find((p) => p.id === 'T1')!.transaction!.state).toBe('FENCED');
    // nothing the zombie sent after the fence is in the log
    expect(result.state.logs['invoices-0'].some((r) => r.value === 'invoice-9')).toBe(false);
  });

  it("the group's offsets move only with committed transactions: C2 resumes at T1's first commit and ends at the log end", async () => {
    const { scenario, result } = await story('transactional-consume-transform-produce');
    const c2poll = eventOfStep(scenario, result.trace, (s) => 'poll' in s && s.poll.consumer === 'C2');
    const firstCommit = eventOfStep(scenario, result.trace, (s) => 'commitTransaction' in s);
    expect(c2poll.received[0].records[0].offset).toBe(group(firstCommit, 'invoicer').offsets[0].committed);
    const last = result.trace[result.trace.length - 1];
    expect(group(last, 'invoicer').offsets[0].committed).toBe(group(last, 'invoicer').offsets[0].highWatermark);
    // orders 2 and 3 were processed twice (C1, then C2), yet each invoice is committed once
    const twice = [...result.state.processed.C1, ...result.state.processed.C2].map(recordId).filter((x, i, all) => all.indexOf(x) !== i);
    expect(twice.length).toBeGreaterThan(0);
  });
});

describe('acks-1-loss', () => {
  it('an acknowledged record is absent from the log after the leader change', async () => {
    const { result } = await story('acks-1-loss');
    const log = result.state.logs.t0p0;
    const acked = result.state.deliveries.P0.filter((d) => d.status === 'acked');
    const lost = acked.filter((d) => !log.some((r) => r.value === d.value));
    expect(lost.length).toBe(1);
    // its offset was reused by a record of the new leader's epoch
    const reused = log.find((r) => r.offset === lost[0].offset)!;
    expect(reused.value).not.toBe(lost[0].value);
    expect(reused.leaderEpoch).toBeGreaterThan(0);
    // every replica agrees in the end: the old leader truncated
    const final = result.state.snapshot.partitions[0];
    expect(new Set(final.replicaStates.map((r) => r.logEndOffset)).size).toBe(1);
  });
});

describe('unclean-leader-election', () => {
  it('t0 (unclean allowed): an out-of-sync replica leads, and an acks=all record that was committed is gone', async () => {
    const { result } = await story('unclean-leader-election');
    const uncleanAt = result.trace.findIndex((e, i) => {
      if (i === 0) return false;
      const prev = result.trace[i - 1].snapshot.partitions.find((p) => p.label === 't0p0')!;
      const now = e.snapshot.partitions.find((p) => p.label === 't0p0')!;
      return now.leader !== null && now.leader !== prev.leader && !prev.isr.includes(now.leader);
    });
    expect(uncleanAt).toBeGreaterThan(0);
    const acked = result.state.deliveries.P0.filter((d) => d.topic === 't0' && d.status === 'acked');
    const gone = acked.filter((d) => !result.state.logs.t0p0.some((r) => r.value === d.value));
    expect(gone.length).toBeGreaterThan(0);
    // it had been committed: the high watermark had passed it before the leader changed
    const before = result.trace[uncleanAt - 1].snapshot.partitions.find((p) => p.label === 't0p0')!;
    for (const d of gone) expect(before.highWatermark).toBeGreaterThan(d.offset!);
  });

  it('t1 (unclean disabled): offline while no in-sync replica is alive, and nothing acknowledged is lost', async () => {
    const { result } = await story('unclean-leader-election');
    expect(result.trace.some((e) => e.snapshot.partitions.find((p) => p.label === 't1p0')!.leader === null)).toBe(true);
    const acked = result.state.deliveries.P0.filter((d) => d.topic === 't1' && d.status === 'acked');
    expect(acked.length).toBeGreaterThan(0);
    for (const d of acked) expect(result.state.logs.t1p0.some((r) => r.value === d.value && r.offset === d.offset)).toBe(true);
  });
});

describe('compacted-changelog', () => {
  it('the cleaned log keeps only the latest value per key, with offset gaps; the tombstone goes after delete.retention.ms', async () => {
    const { result } = await story('compacted-changelog');
    const latest = new Map<string, string | null>();
    for (const d of result.state.deliveries.P0) latest.set(d.key!, d.value);
    const log = result.state.logs['user-profiles-0'];
    const active = result.state.snapshot.partitions[0].segments.at(-1)!.baseOffset;
    const cleaned = log.filter((r) => r.offset < active);
    expect(new Set(cleaned.map((r) => r.key)).size).toBe(cleaned.length);
    // offsets are kept: fewer records than offsets between logStartOffset and logEndOffset
    const final = result.state.snapshot.partitions[0];
    expect(final.logStartOffset).toBe(0);
    expect(log.length).toBeLessThan(final.logEndOffset - final.logStartOffset);
    expect(log.at(-1)!.offset).toBe(final.logEndOffset - 1);
    for (const [key, value] of latest) {
      if (value === null) expect(log.some((r) => r.key === key)).toBe(false);
      else expect(log.filter((r) => r.key === key).at(-1)!.value).toBe(value);
    }
    // after the first cleaner pass the tombstone was still there
    const firstClean = result.trace.find((e) => e.happened.some((h) => h.includes('log cleaner')))!;
    expect(firstClean.snapshot.partitions[0].records.some((r) => r.value === null)).toBe(true);
  });

  it('a consumer reading from the start rebuilds every key latest value', async () => {
    const { result } = await story('compacted-changelog');
    const latest = new Map<string, string | null>();
    for (const d of result.state.deliveries.P0) latest.set(d.key!, d.value);
    const rebuilt = new Map<string, string>();
    for (const r of result.state.processed.C0) {
      if (r.value === null) rebuilt.delete(r.key!);
      else rebuilt.set(r.key!, r.value);
    }
    expect(Object.fromEntries(rebuilt)).toEqual(Object.fromEntries([...latest].filter(([, v]) => v !== null)));
  });
});

describe('retention-deletes-unconsumed-data', () => {
  it('logStartOffset passes the committed offset; the records in between are never processed', async () => {
    const { scenario, result } = await story('retention-deletes-unconsumed-data');
    const crash = eventOfStep(scenario, result.trace, (s) => 'crash' in s);
    const committed = group(crash, 'analytics').offsets[0].committed!;
    const last = result.trace[result.trace.length - 1];
    const logStart = last.snapshot.partitions[0].logStartOffset;
    expect(logStart).toBeGreaterThan(committed);
    const processed = new Set(result.state.processed.C0.map((r) => r.offset));
    for (let o = committed; o < logStart; o++) expect(processed.has(o)).toBe(false);
    // and the consumer resumed at the log start, as auto.offset.reset=earliest says
    expect(Math.min(...result.state.processed.C0.filter((r) => r.offset >= committed).map((r) => r.offset))).toBe(logStart);
  });
});

describe('hot-key-skew', () => {
  it('the celebrity key partition holds the most records and its owner receives more than twice any other', async () => {
    const { result } = await story('hot-key-skew');
    const hot = `t0p${partitionForKey(utf8('celebrity'), 6)}`;
    const counts = result.state.snapshot.partitions.map((p) => [p.label, p.recordCount] as const);
    const max = Math.max(...counts.map(([, n]) => n));
    expect(counts.find(([l]) => l === hot)![1]).toBe(max);
    const owner = group(result.trace[result.trace.length - 1], 'g1').members.find((m) =>
      m.assignment.some((tp) => `t0p${tp.partition}` === hot),
    )!.consumer;
    const received = Object.fromEntries(Object.entries(result.state.received).map(([c, rs]) => [c, rs.length]));
    for (const [c, n] of Object.entries(received)) if (c !== owner) expect(received[owner]).toBeGreaterThan(2 * n);
  });
});

// ---- authoring errors ----

describe('a broken scenario', () => {
  const file = 'content/scenarios/order-events-keyed-vs-unkeyed.yaml';
  const raw = () => parse(readFileSync(join(DIR, 'order-events-keyed-vs-unkeyed.yaml'), 'utf8'));

  it('an unknown topic in a produce step names the file, steps[3].produce.topic, what came and what was expected', () => {
    const bad = raw();
    bad.steps[3].produce.topic = 'orders-unkyed';
    expect(() => parseScenario(bad, file)).toThrow(file);
    try {
      parseScenario(bad, file);
    } catch (e) {
      const message = (e as Error).message;
      expect(message).toContain('steps[3].produce.topic');
      expect(message).toContain('received "orders-unkyed"');
      expect(message).toContain('expected one of the declared topics: "orders-keyed", "orders-unkeyed"');
    }
  });

  it('a wrong type names the path, the received value and the expected type', () => {
    const bad = raw();
    bad.topics[0].partitions = 'three';
    expect(() => parseScenario(bad, file)).toThrow(/topics\[0\]\.partitions: received "three" \(a string\); expected a number/);
  });

  it('a misspelt field inside a step is reported at its path', () => {
    const bad = raw();
    bad.steps[1].produce.producr = 'P0';
    expect(() => parseScenario(bad, file)).toThrow(/steps\[1\]\.produce: received unknown field "producr"/);
  });

  it('an expect step is refused: answers are computed in specs, never typed into scenarios', () => {
    const bad = raw();
    bad.steps.push({ expect: { partition: 1 } });
    expect(() => parseScenario(bad, file)).toThrow(/steps\[\d+\]\.expect: received an expect step/);
  });

  it('replicationFactor larger than the broker count is refused', () => {
    const bad = raw();
    bad.topics[0].replicationFactor = 3;
    expect(() => parseScenario(bad, file)).toThrow(
      /topics\[0\]\.replicationFactor: replicationFactor 3 is larger than the 1 broker\(s\) — received 3; expected an integer from 1 to 1/,
    );
  });

  it('an unknown consumer, broker and producer are each named', () => {
    const bad = raw();
    bad.steps.push(
      { crash: { consumer: 'C9' } },
      { brokerDown: { broker: 4 } },
      { produce: { producer: 'P7', topic: 'orders-keyed', key: 'k', value: 'v' } },
    );
    const n = bad.steps.length;
    let message = '';
    try {
      parseScenario(bad, file);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain(`steps[${n - 3}].crash.consumer: unknown consumer — received "C9"`);
    expect(message).toContain(`steps[${n - 2}].brokerDown.broker: unknown broker — received 4; expected one of the broker ids: 0`);
    expect(message).toContain(`steps[${n - 1}].produce.producer: unknown producer — received "P7"`);
  });
});

describe('scenario cross-references', () => {
  const lessonsDir = join(import.meta.dirname, 'lessons');
  it.each(FILES)('%s names only a lesson that exists', async (file) => {
    const scenario = await loadScenarioFile(join(DIR, file));
    if (scenario.lesson === undefined) return;
    const lessons = readdirSync(lessonsDir)
      .filter((f) => f.endsWith('.mdx'))
      .map((f) => f.replace(/\.mdx$/, ''));
    // every valid id in the message (vitest's own diff would shorten the list to "…(1)")
    const valid = lessons.map((l) => `"${l}"`).join(', ');
    expect(
      lessons.includes(scenario.lesson),
      `${file}: lesson "${scenario.lesson}" is not a file in content/lessons/; expected one of ${valid}`,
    ).toBe(true);
  });
});
