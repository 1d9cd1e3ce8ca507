import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkDrillAnswer, formatDrillAnswer, generateDrill, isDrillKind } from './drills.ts';
import { ACKS_OUTCOMES, DRILL_KINDS, type DrillKind, type DrillParams, type DrillQuestion } from './drill-types.ts';
import { playAcksScenario } from './replication.ts';
import { partitionForKey, utf8 } from '../producer/partition-for-key.ts';
import { RangeAssignor } from '../assignors/range.ts';
import { RoundRobinAssignor } from '../assignors/round-robin.ts';
import { recordSizeBytes } from '../common/record.ts';
import { rebalancingOracle } from './rebalancing.spec-helpers.ts';

const seedArb = fc.integer({ min: 0, max: 0xffffffff });
const KINDS = DRILL_KINDS.map((k) => k.kind);
const SEEDS = Array.from({ length: 200 }, (_, i) => i * 7919 + 13);

/** The answer recomputed from the question's inputs, straight from the engine or Kafka's stated rule. */
function oracle(p: DrillParams): DrillQuestion['answer'] {
  switch (p.kind) {
    case 'partition-for-key':
      return { type: 'number', value: partitionForKey(utf8(p.key), p.numPartitions) };
    case 'keys-that-move': {
      const indices = p.keys
        .map((k, i) => (partitionForKey(utf8(k), p.fromPartitions) !== partitionForKey(utf8(k), p.toPartitions) ? i : -1))
        .filter((i) => i >= 0);
      return { type: 'choices', indices };
    }
    case 'range-assignment':
    case 'round-robin-assignment': {
      const assignor = p.kind === 'range-assignment' ? RangeAssignor : RoundRobinAssignor;
      const assignment = assignor.assign(structuredClone(p.partitionsPerTopic), structuredClone(p.subscriptions));
      const names = Object.keys(p.subscriptions);
      if (p.ask.what === 'count') return { type: 'number', value: assignment[p.ask.member].length };
      const { tp } = p.ask;
      return {
        type: 'choice',
        index: names.findIndex((m) => assignment[m].some((x) => x.topic === tp.topic && x.partition === tp.partition)),
      };
    }
    case 'idle-consumers': {
      const assignor = p.assignor === 'range' ? RangeAssignor : RoundRobinAssignor;
      const assignment = assignor.assign(structuredClone(p.partitionsPerTopic), structuredClone(p.subscriptions));
      return { type: 'number', value: Object.values(assignment).filter((parts) => parts.length === 0).length };
    }
    case 'high-watermark': {
      // Kafka's rule: HW = min logEndOffset over the ISR; a down follower is out of the ISR
      const isr = p.replicas.filter((b) => b !== p.downBroker);
      return { type: 'number', value: Math.min(...isr.map((b) => p.logEndOffsets[b])) };
    }
    case 'acks-outcome': {
      // Kafka's rules (Partition.appendRecordsToLeader, checkEnoughReplicasReachOffset)
      const isr = p.replicas.length - p.downBefore.length;
      let outcome: (typeof ACKS_OUTCOMES)[number];
      if (p.acks === 0) outcome = 'no response';
      else if (p.acks === 1) outcome = 'NONE';
      else if (isr < p.minInsyncReplicas) outcome = 'NOT_ENOUGH_REPLICAS';
      else if (isr - p.crashWhileWaiting.length >= p.minInsyncReplicas) outcome = 'NONE';
      // KAFKA-15583 (3.7+): the HW does not pass the record below min ISR, so the request times out
      else outcome = p.kafkaVersion === '3.6' ? 'NOT_ENOUGH_REPLICAS_AFTER_APPEND' : 'REQUEST_TIMED_OUT';
      return { type: 'choice', index: ACKS_OUTCOMES.indexOf(outcome) };
    }
    case 'acks-all-failures':
      // acks=all needs ISR ≥ min.insync.replicas: RF − min ISR replicas may go
      return { type: 'number', value: p.replicationFactor - p.minInsyncReplicas };
    case 'hw-after-fetches': {
      // the leader's bookkeeping, re-derived: it knows a follower's LEO from its fetch offset
      const strict = p.kafkaVersion !== '3.6';
      const actual: Record<number, number> = { 1: 0, 2: 0 };
      const known: Record<number, number> = { 1: 0, 2: 0 };
      let isr = [0, 1, 2];
      let leo = 0;
      let hw = 0;
      const advance = () => {
        if (strict && isr.length < p.minInsyncReplicas) return;
        hw = Math.max(hw, Math.min(leo, ...isr.filter((b) => b !== 0).map((b) => known[b])));
      };
      for (const a of p.actions) {
        if ('produce' in a) leo += a.produce;
        else if ('down' in a) isr = isr.filter((b) => b !== a.down);
        else if (isr.includes(a.fetch) || !p.actions.some((x) => 'down' in x && x.down === a.fetch)) {
          known[a.fetch] = actual[a.fetch];
          actual[a.fetch] = leo;
          if (!isr.includes(a.fetch) && known[a.fetch] >= hw) isr = [...isr, a.fetch].sort();
        }
        advance();
      }
      return { type: 'number', value: hw };
    }
    case 'leader-election': {
      // ISR → ELR (4.1) → last known leader (4.1) → unclean (if enabled) → none
      const elrOn = p.kafkaVersion === '4.1';
      const alive = new Set([0, 1, 2]);
      const crashed = new Set<number>();
      let isr = [0, 1, 2];
      let elr: number[] = [];
      let leader: number | null = 0;
      let lastKnown: number | null = null;
      const elect = () => {
        const valid = [0, 1, 2].find((b) => alive.has(b) && (isr.includes(b) || (isr.length === 0 && elr.includes(b))));
        if (valid !== undefined) {
          if (!isr.includes(valid)) [isr, elr] = [[valid], elr.filter((b) => b !== valid)];
          [leader, lastKnown] = [valid, null];
        } else if (elrOn && isr.length === 0 && elr.length === 0 && lastKnown !== null && alive.has(lastKnown)) {
          [leader, isr, lastKnown] = [lastKnown, [lastKnown], null];
        } else if (p.uncleanLeaderElectionEnable && alive.size > 0) {
          leader = [0, 1, 2].find((b) => alive.has(b))!;
          [isr, elr] = [[leader], []];
        } else if (leader !== null) {
          if (elrOn && lastKnown === null) lastKnown = leader;
          leader = null;
        }
      };
      for (const d of p.downs) {
        alive.delete(d.broker);
        if (!d.cleanShutdown) crashed.add(d.broker);
        if (isr.includes(d.broker) && (isr.length > 1 || elrOn)) {
          const next = isr.filter((b) => b !== d.broker);
          elr =
            elrOn && next.length < p.minInsyncReplicas
              ? [0, 1, 2].filter((b) => (elr.includes(b) || isr.includes(b)) && !next.includes(b))
              : [];
          isr = next;
        }
        if (leader === d.broker) elect();
      }
      for (const b of p.ups) {
        alive.add(b);
        if (crashed.delete(b)) elr = elr.filter((x) => x !== b);
        if (leader === null) elect();
      }
      return { type: 'choice', index: leader === null ? 3 : leader };
    }
    case 'consumer-lag':
      // lag = highWatermark − committed; the replicated records are exactly those below the HW
      return { type: 'number', value: p.partitions.reduce((s, x) => s + x.replicated - x.committed, 0) };
    case 'committed-offset': {
      // Kafka's rules: poll moves the position by up to max.poll.records; a commit stores the position
      let position = 0;
      let committed: number | null = null;
      for (const a of p.actions) {
        if (a === 'poll') position = Math.min(p.records, position + p.maxPollRecords);
        else if (a === 'commitSync' || a === 'commitAsync') committed = position;
        else committed = a.commitOffset;
      }
      return { type: 'number', value: committed! };
    }
    case 'crash-redelivery': {
      // joined at 0 (next auto-commit at 5000), first poll at 3000; auto-commit inside poll() before fetching
      let t = 3000;
      let nextAuto = 5000;
      let position: number | null = null;
      let committed: number | null = null;
      const pending: number[] = [];
      const processed = new Set<number>();
      for (const a of p.actions) {
        if (a === 'poll') {
          if (p.enableAutoCommit && t >= nextAuto) {
            if (position !== null) committed = position;
            nextAuto = t + 5000;
          }
          const from = position ?? 0;
          const to = Math.min(p.records, from + p.maxPollRecords);
          for (let o = from; o < to; o++) pending.push(o);
          position = to;
        } else if (a === 'commitSync') committed = position;
        else if ('process' in a) for (const o of pending.splice(0, a.process)) processed.add(o);
        else t += a.waitMs;
      }
      const start = committed ?? 0;
      const all = Array.from({ length: p.records }, (_, o) => o);
      const count =
        p.ask === 'twice'
          ? all.filter((o) => o >= start && processed.has(o)).length
          : all.filter((o) => o < start && !processed.has(o)).length;
      return { type: 'number', value: count };
    }
    case 'rebalance-pauses':
    case 'share-record-state':
    case 'share-delivery-count':
    case 'reconcile-epoch':
      return rebalancingOracle(p);
    case 'offset-reset-start': {
      // a committed offset wins; else earliest = 0, latest = end, by_duration = first timestamp ≥ now − D
      const timestamps: number[] = [];
      let t = 3000;
      for (const b of p.batches) {
        t += b.afterMs;
        for (let i = 0; i < b.count; i++) timestamps.push(t);
      }
      const resetAt = t + 3000;
      if (p.committed !== null) return { type: 'number', value: p.committed };
      if (p.strategy === 'earliest') return { type: 'number', value: 0 };
      if (p.strategy === 'latest') return { type: 'number', value: timestamps.length };
      const seconds = ({ 'by_duration:PT30S': 30, 'by_duration:PT1M': 60, 'by_duration:PT2M': 120 } as Record<string, number>)[p.strategy];
      const i = timestamps.findIndex((ts) => ts >= resetAt - seconds * 1000);
      return { type: 'number', value: i < 0 ? timestamps.length : i };
    }
    case 'retention-deleted-segments': {
      // equal records, so segments are chunks of recordsPerSegment; oldest first, stop at the first kept
      const chunks: number[][] = [];
      p.timestamps.forEach((ts, i) => (i % p.recordsPerSegment === 0 ? chunks.push([ts]) : chunks[chunks.length - 1].push(ts)));
      const recordBytes = recordSizeBytes({ key: 'k00', value: 'v'.repeat(8) });
      let excess = p.timestamps.length * recordBytes - p.retentionBytes;
      let n = 0;
      if (p.retentionBytes >= 0 && excess >= 0)
        while (n < chunks.length && excess >= chunks[n].length * recordBytes) excess -= chunks[n++].length * recordBytes;
      if (p.retentionMs >= 0) while (n < chunks.length && p.nowMs - Math.max(...chunks[n]) > p.retentionMs) n++;
      return { type: 'choices', indices: Array.from({ length: n }, (_, i) => i) };
    }
    case 'compacted-log-after-cleaning': {
      // pass 1 over `first`: each key's last record; tombstones get horizon firstPassMs + deleteRetentionMs
      type R = { offset: number; key: string; value: string | null; horizon?: number };
      const lastOf = (rs: R[]) => new Map(rs.map((r) => [r.key, r.offset]));
      const firstRs: R[] = p.first.map((r, i) => ({ ...r, offset: i }));
      const m1 = lastOf(firstRs);
      const clean = firstRs
        .filter((r) => m1.get(r.key) === r.offset)
        .map((r) => (r.value === null ? { ...r, horizon: p.firstPassMs + p.deleteRetentionMs } : r));
      const second: R[] = p.second.map((r, i) => ({ ...r, offset: p.first.length + i }));
      const activeBase = p.first.length + p.second.length - p.activeCount;
      const before = [...clean, ...second];
      const m2 = lastOf(second.filter((r) => r.offset < activeBase));
      const kept = before.filter(
        (r) =>
          r.offset >= activeBase ||
          ((m2.get(r.key) ?? -1) <= r.offset && !(r.value === null && r.horizon !== undefined && p.nowMs >= r.horizon)),
      );
      return { type: 'choices', indices: kept.map((r) => before.indexOf(r)) };
    }
    case 'resume-after-retention': {
      // the checks run every 300000 ms; records written at 3000 ms expire after retention.ms; when every
      // segment expired the whole log goes (logStartOffset = before). Then committed < logStartOffset.
      const checkBeforeNewRecords = Math.floor((3000 + p.downMs) / 300_000) * 300_000;
      const wiped = checkBeforeNewRecords > 0 && checkBeforeNewRecords - 3000 > p.retentionMs;
      if (!wiped) return { type: 'number', value: p.committed };
      return { type: 'number', value: p.strategy === 'earliest' ? p.before : p.before + p.after };
    }
  }
}

/** An input the checker must accept as the right answer. */
function rightInput(q: DrillQuestion): number | number[] {
  const a = q.answer;
  return a.type === 'number' ? a.value : a.type === 'choice' ? a.index : a.indices;
}

/** An input the checker must reject. */
function wrongInput(q: DrillQuestion): number | number[] {
  const a = q.answer;
  if (a.type === 'number') return a.value + 1;
  if (a.type === 'choice') return (a.index + 1) % q.choices!.length;
  // flip membership of the first choice
  return a.indices.includes(0) ? a.indices.filter((i) => i !== 0) : [0, ...a.indices];
}

describe('DRILL_KINDS', () => {
  it('lists at least six kinds, each with a title and an area, no duplicates', () => {
    expect(DRILL_KINDS.length).toBeGreaterThanOrEqual(6);
    expect(new Set(KINDS).size).toBe(KINDS.length);
    for (const k of DRILL_KINDS) {
      expect(k.title.length).toBeGreaterThan(3);
      expect(['partitioning', 'assignors', 'replication', 'consumers', 'offsets', 'retention', 'rebalancing']).toContain(k.area);
      expect(isDrillKind(k.kind)).toBe(true);
    }
    expect(isDrillKind('nope')).toBe(false);
  });
});

describe.each(KINDS)('%s drills', (kind: DrillKind) => {
  it('any seed: the answer equals a direct engine computation from the question inputs', () => {
    fc.assert(
      fc.property(seedArb, (seed) => {
        const q = generateDrill(kind, seed);
        expect(q.params.kind).toBe(kind);
        expect(q.answer).toEqual(oracle(q.params));
      }),
      { numRuns: 150 },
    );
  });

  it('any seed: the same kind and seed give the same question, as plain JSON', () => {
    fc.assert(
      fc.property(seedArb, (seed) => {
        const a = generateDrill(kind, seed);
        const b = generateDrill(kind, seed);
        expect(JSON.stringify(a)).toBe(JSON.stringify(b));
        expect(JSON.parse(JSON.stringify(a))).toEqual(a);
        expect(a.id).toBe(`${kind}-${seed}`);
      }),
      { numRuns: 50 },
    );
  });

  it('any seed: the checker accepts the answer and rejects a different one', () => {
    fc.assert(
      fc.property(seedArb, (seed) => {
        const q = generateDrill(kind, seed);
        const right = checkDrillAnswer(q, rightInput(q));
        expect(right).toEqual({ correct: true, expected: formatDrillAnswer(q), explanation: q.explanation });
        const wrong = checkDrillAnswer(q, wrongInput(q));
        expect(wrong.correct).toBe(false);
        expect(wrong.problem).toBeUndefined();
        expect(wrong.explanation).toBe(q.explanation);
      }),
      { numRuns: 100 },
    );
  });

  it('any seed: a numeric prompt never states its answer (no "= n", "→ n", **n**, nor the explanation\'s last line)', () => {
    fc.assert(
      fc.property(seedArb, (seed) => {
        const q = generateDrill(kind, seed);
        if (q.answer.type !== 'number') return;
        const v = q.answer.value;
        expect(q.prompt).not.toMatch(new RegExp(`(=|→)\\s*\\**${v}(?!\\d)`));
        expect(q.prompt).not.toContain(`**${v}**`);
        const lastLine = q.explanation.trim().split('\n').pop()!;
        expect(q.prompt).not.toContain(lastLine.replace(/^- /, ''));
      }),
      { numRuns: 150 },
    );
  });

  it('200 seeds: the questions vary (prompts and answers)', () => {
    const qs = SEEDS.map((s) => generateDrill(kind, s));
    // acks-outcome has a small space by design (acks × min.insync.replicas × which brokers fail), and
    // acks-all-failures smaller still (replication factor × min.insync.replicas)
    const small: Partial<Record<DrillKind, number>> = { 'acks-outcome': 25, 'acks-all-failures': 10 };
    const many = small[kind] ?? 100;
    expect(new Set(qs.map((q) => q.prompt + JSON.stringify(q.choices ?? []))).size).toBeGreaterThanOrEqual(many);
    const answers = new Set(qs.map((q) => JSON.stringify(q.answer)));
    expect(answers.size).toBeGreaterThanOrEqual(kind === 'acks-outcome' ? 4 : 3);
    // the explanation is computed per question, not a fixed text
    expect(new Set(qs.map((q) => q.explanation)).size).toBeGreaterThanOrEqual(kind === 'acks-outcome' ? 8 : many);
    if (kind === 'acks-outcome') expect(qs.some((q) => q.prompt.includes('Kafka 3.6'))).toBe(true);
  });
});

describe('variants each kind is meant to reach (200 seeds)', () => {
  const all = (kind: DrillKind) => SEEDS.map((s) => generateDrill(kind, s));

  it('partition-for-key: negative hashes, where Math.abs would pick another partition', () => {
    const withTrap = all('partition-for-key').filter((q) => q.explanation.includes('the Math.abs mistake'));
    expect(withTrap.length).toBeGreaterThan(20);
  });

  it('range and round robin: both "how many" and "which member" questions, and a member subscribed only to t0', () => {
    for (const kind of ['range-assignment', 'round-robin-assignment'] as const) {
      const qs = all(kind);
      expect(qs.some((q) => q.answer.type === 'number')).toBe(true);
      expect(qs.some((q) => q.answer.type === 'choice')).toBe(true);
      expect(qs.some((q) => q.prompt.includes('subscribes only to `t0`'))).toBe(true);
    }
  });

  it('idle-consumers: range with two topics idles more members than partitions would require', () => {
    const qs = all('idle-consumers').filter((q) => q.explanation.includes('Range works topic by topic'));
    expect(qs.length).toBeGreaterThan(0);
  });

  it('high-watermark: with and without a down follower that is furthest behind', () => {
    const qs = all('high-watermark');
    const down = qs.filter((q) => q.params.kind === 'high-watermark' && q.params.downBroker !== null);
    expect(down.length).toBeGreaterThan(20);
    expect(qs.length - down.length).toBeGreaterThan(20);
  });

  it('acks-outcome: every outcome occurs', () => {
    const seen = new Set(all('acks-outcome').map((q) => (q.answer.type === 'choice' ? ACKS_OUTCOMES[q.answer.index] : null)));
    expect([...seen].sort()).toEqual([...ACKS_OUTCOMES].sort());
  });

  it('leader-election: elections from the ISR, the ELR, the last known leader, unclean ones, and none', () => {
    const text = all('leader-election').map((q) => q.explanation);
    for (const via of [
      'from the ISR',
      'from the eligible leader replicas',
      'as the last known leader',
      'by an unclean election',
      'stays offline',
    ]) {
      expect(text.some((t) => t.includes(via))).toBe(true);
    }
  });

  it('hw-after-fetches: a high watermark held by strict min ISR, and the same actions on Kafka 3.6', () => {
    const qs = all('hw-after-fetches');
    expect(qs.some((q) => q.explanation.includes('KAFKA-15583'))).toBe(true);
    expect(qs.some((q) => q.prompt.startsWith('Kafka 3.6'))).toBe(true);
  });

  it('consumer-lag: records past the high watermark, and "last processed offset" phrasing', () => {
    const qs = all('consumer-lag');
    expect(qs.some((q) => q.explanation.includes('not logEndOffset'))).toBe(true);
    expect(qs.some((q) => q.prompt.includes('processed up to offset'))).toBe(true);
  });
});

describe('offsets drills reach their variants (200 seeds)', () => {
  it('committed-offset: explicit offset maps and async commits both occur', () => {
    const qs = SEEDS.map((s) => generateDrill('committed-offset', s));
    expect(qs.some((q) => q.params.kind === 'committed-offset' && q.params.actions.some((a) => typeof a === 'object'))).toBe(true);
    expect(qs.some((q) => q.params.kind === 'committed-offset' && q.params.actions.includes('commitAsync'))).toBe(true);
  });

  it('crash-redelivery: with and without auto-commit, answers of 0 and more, and records lost to auto-commit', () => {
    const qs = SEEDS.map((s) => generateDrill('crash-redelivery', s));
    const p = (q: DrillQuestion) => q.params as Extract<DrillParams, { kind: 'crash-redelivery' }>;
    expect(qs.some((q) => p(q).enableAutoCommit) && qs.some((q) => !p(q).enableAutoCommit)).toBe(true);
    expect(qs.some((q) => q.answer.type === 'number' && q.answer.value === 0)).toBe(true);
    expect(qs.some((q) => p(q).ask === 'lost' && q.answer.type === 'number' && q.answer.value > 0)).toBe(true);
  });

  it('offset-reset-start: every strategy, a committed offset that wins, and by_duration both inside and past the log', () => {
    const qs = SEEDS.map((s) => generateDrill('offset-reset-start', s));
    const p = (q: DrillQuestion) => q.params as Extract<DrillParams, { kind: 'offset-reset-start' }>;
    for (const st of ['earliest', 'latest', 'by_duration:PT30S', 'by_duration:PT1M', 'by_duration:PT2M'])
      expect(qs.some((q) => p(q).strategy === st)).toBe(true);
    expect(qs.some((q) => p(q).committed !== null)).toBe(true);
    const byDuration = qs.filter((q) => p(q).strategy.startsWith('by_duration') && p(q).committed === null);
    expect(byDuration.some((q) => q.answer.type === 'number' && q.answer.value > 0)).toBe(true);
    expect(byDuration.some((q) => q.answer.type === 'number' && q.answer.value === 0)).toBe(true);
  });
});

describe('the prompt states what the engine was driven to', () => {
  it('high-watermark: every replica shows the logEndOffset the question asked for, and the down broker is out of the ISR', () => {
    fc.assert(
      fc.property(seedArb, (seed) => {
        const q = generateDrill('high-watermark', seed);
        if (q.params.kind !== 'high-watermark') throw new Error('wrong params');
        for (const b of q.params.replicas) {
          const row = q.prompt.split('\n').find((l) => l.startsWith(`- broker ${b} `))!;
          expect(row).toContain(`logEndOffset ${q.params.logEndOffsets[b]},`);
          expect(row.includes('not in the ISR')).toBe(b === q.params.downBroker);
        }
      }),
      { numRuns: 100 },
    );
  });
});

describe('playAcksScenario: the stories the acks drill tells', () => {
  const base = { kind: 'acks-outcome' as const, replicas: [0, 1, 2], downBefore: [] as number[], crashWhileWaiting: [] as number[] };

  it('acks=all, min.insync.replicas=2, two followers down: rejected before the append', () => {
    const r = playAcksScenario({ ...base, acks: 'all', minInsyncReplicas: 2, downBefore: [1, 2] });
    expect(r).toMatchObject({ outcome: 'NOT_ENOUGH_REPLICAS', appended: false, isrAtRequest: [0] });
  });

  it('acks=1, min.insync.replicas=2, two followers down: acknowledged (acks=1 ignores min.insync.replicas)', () => {
    const r = playAcksScenario({ ...base, acks: 1, minInsyncReplicas: 2, downBefore: [1, 2] });
    expect(r).toMatchObject({ outcome: 'NONE', appended: true });
  });

  it('Kafka 3.7+: acks=all, min.insync.replicas=3, one follower crashes while waiting: the HW stays, REQUEST_TIMED_OUT', () => {
    const r = playAcksScenario({ ...base, acks: 'all', minInsyncReplicas: 3, crashWhileWaiting: [2] });
    expect(r).toMatchObject({ outcome: 'REQUEST_TIMED_OUT', appended: true, isrAtEnd: [0, 1] });
  });

  it('Kafka 3.6: acks=all, min.insync.replicas=3, one follower crashes while waiting: error after the append', () => {
    const r = playAcksScenario({ ...base, acks: 'all', minInsyncReplicas: 3, crashWhileWaiting: [2], kafkaVersion: '3.6' });
    expect(r).toMatchObject({ outcome: 'NOT_ENOUGH_REPLICAS_AFTER_APPEND', appended: true, isrAtRequest: [0, 1, 2], isrAtEnd: [0, 1] });
  });

  it('acks=0: appended, no response', () => {
    const r = playAcksScenario({ ...base, acks: 0, minInsyncReplicas: 3, downBefore: [1] });
    expect(r).toMatchObject({ outcome: 'no response', appended: true });
  });
});

describe('checkDrillAnswer input shapes', () => {
  const numeric = generateDrill('consumer-lag', 1);
  const choice = generateDrill('acks-outcome', 1);
  const set = generateDrill('keys-that-move', 1);

  it('numeric: text with spaces is read as the number; letters are a problem, not an answer', () => {
    if (numeric.answer.type !== 'number') throw new Error('expected a numeric question');
    expect(checkDrillAnswer(numeric, ` ${numeric.answer.value} `).correct).toBe(true);
    const bad = checkDrillAnswer(numeric, 'abc');
    expect(bad).toMatchObject({ correct: false, problem: 'Expected a whole number, got "abc"' });
    expect(checkDrillAnswer(numeric, 1.5).problem).toBe('Expected a whole number, got 1.5');
    expect(checkDrillAnswer(numeric, '').problem).toBeDefined();
  });

  it('single choice: by index or by exact label; an index out of range is a problem', () => {
    if (choice.answer.type !== 'choice') throw new Error('expected a choice question');
    expect(checkDrillAnswer(choice, choice.choices![choice.answer.index]).correct).toBe(true);
    expect(checkDrillAnswer(choice, 99).problem).toMatch(/^Expected a choice index in \[0, 5\)/);
    expect(checkDrillAnswer(choice, [0]).problem).toBeDefined();
  });

  it('set of choices: any order, duplicates ignored; a missing or extra choice is wrong', () => {
    if (set.answer.type !== 'choices') throw new Error('expected a set question');
    const indices = set.answer.indices;
    expect(checkDrillAnswer(set, [...indices].reverse().concat(indices)).correct).toBe(true);
    expect(checkDrillAnswer(set, [0, 1, 2, 3, 4]).correct).toBe(indices.length === 5);
    expect(checkDrillAnswer(set, [7]).problem).toBe('Expected choice indices in [0, 5), got 7');
    expect(checkDrillAnswer(set, 2).problem).toBeDefined();
    expect(checkDrillAnswer(set, []).expected).toBe(formatDrillAnswer(set));
  });
});

describe('generateDrill input checks', () => {
  it('an unknown kind or a seed outside [0, 2^32) is a RangeError naming what was expected', () => {
    expect(() => generateDrill('nope' as DrillKind, 1)).toThrow(/Expected a drill kind \(partition-for-key, .*\), got "nope"/);
    expect(() => generateDrill('consumer-lag', -1)).toThrow('Expected seed to be an integer in [0, 2^32), got -1');
    expect(() => generateDrill('consumer-lag', 2 ** 32)).toThrow(RangeError);
    expect(() => generateDrill('consumer-lag', 1.5)).toThrow(RangeError);
  });
});

describe('retention drills reach their variants (200 seeds)', () => {
  const qs = (kind: DrillKind) => SEEDS.map((s) => generateDrill(kind, s));
  it('retention-deleted-segments: by time and by bytes, none deleted, some, and every segment (active included)', () => {
    const all = qs('retention-deleted-segments');
    const p = (q: DrillQuestion) => q.params as Extract<DrillParams, { kind: 'retention-deleted-segments' }>;
    const n = (q: DrillQuestion) => (q.answer.type === 'choices' ? q.answer.indices.length : -1);
    expect(all.some((q) => p(q).retentionBytes >= 0)).toBe(true);
    expect(all.some((q) => p(q).retentionMs >= 0)).toBe(true);
    expect(all.some((q) => n(q) === 0)).toBe(true);
    expect(all.some((q) => n(q) > 0 && n(q) < q.choices!.length)).toBe(true);
    expect(all.some((q) => n(q) === q.choices!.length)).toBe(true);
  });
  it('compacted-log-after-cleaning: tombstones kept (horizon ahead) and dropped (horizon passed)', () => {
    const all = qs('compacted-log-after-cleaning');
    const dropped = (q: DrillQuestion) =>
      q.choices!.some((c, i) => c.endsWith('=null') && q.answer.type === 'choices' && !q.answer.indices.includes(i));
    const kept = (q: DrillQuestion) =>
      q.choices!.some((c, i) => c.endsWith('=null') && q.answer.type === 'choices' && q.answer.indices.includes(i));
    expect(all.some(dropped)).toBe(true);
    expect(all.some(kept)).toBe(true);
  });
  it('resume-after-retention: at the committed offset, at the log start, and at the log end', () => {
    const all = qs('resume-after-retention');
    const p = (q: DrillQuestion) => q.params as Extract<DrillParams, { kind: 'resume-after-retention' }>;
    const v = (q: DrillQuestion) => (q.answer.type === 'number' ? q.answer.value : -1);
    expect(all.some((q) => v(q) === p(q).committed)).toBe(true);
    expect(all.some((q) => v(q) === p(q).before && p(q).strategy === 'earliest')).toBe(true);
    expect(all.some((q) => v(q) === p(q).before + p(q).after && p(q).strategy === 'latest')).toBe(true);
  });
});
