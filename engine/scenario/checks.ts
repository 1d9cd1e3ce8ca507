/**
 * Story checks: what a scenario's story must show, written in the scenario file (`checks:`) and
 * verified by the engine on every play (the studio, `npm test`, `npm run content:check`), so a
 * scenario cannot silently stop telling its story when the engine changes.
 *
 * A check is an object with exactly one key, its kind, like a step. `at` names a point of the
 * timeline the way the player counts it: `start` (before any step), `N` (after step N, the player's
 * "N / total"; that is `steps[N-1]`), or `end` (the default).
 *
 * Example (YAML):
 * ```yaml
 * checks:
 *   - owns: { consumer: C1, partition: t0p2, at: 7 }       # after step 7, C1 owns t0p2
 *   - processed: { value: payment-3, times: 0 }          # record payment-3 is never processed
 *   - lag: { group: g1, equals: 0 }                       # lag of g1 is 0 at the end
 *   - generation: { group: g1, at: 14, sameAs: 8 }        # no rebalance between steps 8 and 14
 * ```
 *
 * Partitions are written as the player labels them: `t0p2` for topics named like `t0`, else Kafka's
 * `TopicPartition.toString()`, `orders-1` (either form is accepted for any topic).
 *
 * Note: checks state the story's claims; they never replace the engine's computation. A check that
 * fails says what the engine computed and what the check expected, in the lesson's notation.
 */
import type { Scenario } from './authoring.ts';
import type { Compare, StepRef, StoryCheck, StoryCheckKind } from './check-types.ts';
import type { ConsumedRecord, GroupView, PartitionView, ScenarioResult, TraceEvent } from './trace.ts';
import { formatList, formatTp, partitionLabel, plural, tpKey } from '../common/notation.ts';
import type { TopicPartition } from '../common/record.ts';

/** The result of one check: its index in `checks`, what it claims in words, whether it held, and if not, why. */
export interface CheckResult {
  index: number;
  kind: StoryCheckKind;
  /** the claim in the lesson's notation, e.g. "after step 7, C1 owns t0p2" */
  claim: string;
  ok: boolean;
  /** when it failed: what the engine computed, e.g. "C1 owns [t0p0, t0p1]" */
  message: string | null;
}

/** A reference problem in the checks, in the shape of the engine's ScenarioProblem. */
export interface CheckProblem {
  path: (string | number)[];
  message: string;
  received: unknown;
  expected: string;
}

export type { Compare, StepRef, StoryCheck, StoryCheckKind };

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

const kindOf = (check: StoryCheck): StoryCheckKind => Object.keys(check)[0] as StoryCheckKind;
const bodyOf = (check: StoryCheck): Record<string, unknown> => Object.values(check)[0] as Record<string, unknown>;

/** "at the end", "at the start", "after step 7" */
export function describeStepRef(at: StepRef | undefined): string {
  if (at === undefined || at === 'end') return 'at the end';
  if (at === 'start' || at === 0) return 'at the start';
  return `after step ${at}`;
}

function eventAt(trace: readonly TraceEvent[], at: StepRef | undefined): TraceEvent {
  if (at === undefined || at === 'end') return trace[trace.length - 1];
  if (at === 'start') return trace[0];
  return trace[at];
}

const sameTp = (label: string) => (p: TopicPartition) => partitionLabel(p) === label || tpKey(p) === label || formatTp(p) === label;

function compareText(c: Compare): string {
  const parts: string[] = [];
  if (c.equals !== undefined) parts.push(`is ${c.equals}`);
  if (c.atLeast !== undefined) parts.push(`is at least ${c.atLeast}`);
  if (c.atMost !== undefined) parts.push(`is at most ${c.atMost}`);
  return parts.join(' and ') || 'is any number';
}

function compareHolds(n: number, c: Compare): boolean {
  return (
    (c.equals === undefined || n === c.equals) && (c.atLeast === undefined || n >= c.atLeast) && (c.atMost === undefined || n <= c.atMost)
  );
}

const sorted = (xs: readonly string[]) => [...xs].sort();
const sameSet = (a: readonly string[], b: readonly string[]) => JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));

function group(e: TraceEvent, id: string): GroupView | undefined {
  return e.snapshot.groups.find((g) => g.id === id);
}

function partition(e: TraceEvent, label: string): PartitionView | undefined {
  return e.snapshot.partitions.find(sameTp(label));
}

function matches(r: { key: string | null; value: string | null }, body: { value?: string; key?: string }): boolean {
  return (body.value === undefined || r.value === body.value) && (body.key === undefined || r.key === body.key);
}

function recordText(body: { value?: string; key?: string }): string {
  const parts = [body.key !== undefined ? `key ${body.key}` : null, body.value !== undefined ? `value ${body.value}` : null].filter(
    Boolean,
  );
  return parts.length ? `the record with ${parts.join(' and ')}` : 'every record';
}

// ---------------------------------------------------------------------------------------------
// Evaluation
// ---------------------------------------------------------------------------------------------

/** [claim, failure message or null] for one check */
function evaluate(check: StoryCheck, scenario: Scenario, result: ScenarioResult): [string, string | null] {
  const { trace, state } = result;
  const kind = kindOf(check);
  const b = bodyOf(check);
  const at = b.at as StepRef | undefined;
  const when = describeStepRef(at);
  const e = eventAt(trace, at);
  if (!e) return [`${kind} ${when}`, `${when}: the scenario has only ${plural(trace.length - 1, 'step')}`];
  switch (kind) {
    case 'owns': {
      const c = (check as Extract<StoryCheck, { owns: unknown }>).owns;
      const view = e.snapshot.consumers.find((x) => x.id === c.consumer);
      const owned = (view?.owned ?? []).map(partitionLabel);
      const claims: string[] = [];
      let ok = true;
      if (c.partition !== undefined) {
        claims.push(`owns ${c.partition}`);
        ok &&= (view?.owned ?? []).some(sameTp(c.partition));
      }
      if (c.partitions !== undefined) {
        claims.push(`owns exactly ${formatList(c.partitions)}`);
        const want = c.partitions.map((l) => (view?.owned ?? []).find(sameTp(l)));
        ok &&= want.every(Boolean) && owned.length === c.partitions.length;
      }
      if (c.count !== undefined) {
        claims.push(`owns ${plural(c.count, 'partition')}`);
        ok &&= owned.length === c.count;
      }
      return [`${when}, ${c.consumer} ${claims.join(' and ')}`, ok ? null : `${c.consumer} owns ${formatList(owned)}`];
    }
    case 'members': {
      const c = (check as Extract<StoryCheck, { members: unknown }>).members;
      const members = (group(e, c.group)?.members ?? []).map((m) => m.consumer);
      const claims: string[] = [];
      let ok = true;
      if (c.consumers !== undefined) {
        claims.push(`has exactly the members ${formatList(c.consumers)}`);
        ok &&= sameSet(members, c.consumers);
      }
      if (c.count !== undefined) {
        claims.push(`has ${plural(c.count, 'member')}`);
        ok &&= members.length === c.count;
      }
      return [`${when}, group ${c.group} ${claims.join(' and ')}`, ok ? null : `group ${c.group} has the members ${formatList(members)}`];
    }
    case 'generation': {
      const c = (check as Extract<StoryCheck, { generation: unknown }>).generation;
      const gen = group(e, c.group)?.generationId ?? -1;
      const claims: string[] = [];
      const actual: string[] = [`${gen} ${when}`];
      let ok = true;
      if (c.equals !== undefined) {
        claims.push(`is ${c.equals}`);
        ok &&= gen === c.equals;
      }
      for (const [ref, word, holds] of [
        [c.sameAs, 'the same as', (a: number, b2: number) => a === b2],
        [c.above, 'greater than', (a: number, b2: number) => a > b2],
      ] as const) {
        if (ref === undefined) continue;
        const other = eventAt(trace, ref);
        const otherGen = other ? (group(other, c.group)?.generationId ?? -1) : NaN;
        claims.push(`is ${word} ${describeStepRef(ref)}`);
        actual.push(`${otherGen} ${describeStepRef(ref)}`);
        ok &&= holds(gen, otherGen);
      }
      return [`${when}, group ${c.group}'s generationId ${claims.join(' and ')}`, ok ? null : `generationId: ${actual.join(', ')}`];
    }
    case 'groupState': {
      const c = (check as Extract<StoryCheck, { groupState: unknown }>).groupState;
      const s = group(e, c.group)?.state ?? 'Dead';
      return [`${when}, group ${c.group} is ${c.is}`, s === c.is ? null : `group ${c.group} is ${s}`];
    }
    case 'lag': {
      const c = (check as Extract<StoryCheck, { lag: unknown }>).lag;
      const g = group(e, c.group);
      const n = c.partition === undefined ? (g?.totalLag ?? 0) : (g?.offsets.find(sameTp(c.partition))?.lag ?? 0);
      const what = c.partition === undefined ? `the lag of group ${c.group}` : `the lag of group ${c.group} on ${c.partition}`;
      return [`${when}, ${what} ${compareText(c)}`, compareHolds(n, c) ? null : `${what} is ${n}`];
    }
    case 'committed': {
      const c = (check as Extract<StoryCheck, { committed: unknown }>).committed;
      const o = group(e, c.group)?.offsets.find(sameTp(c.partition));
      const committed = o?.committed ?? null;
      const what = `group ${c.group}'s committed offset of ${c.partition}`;
      const claim = `${when}, ${what} ${c.none ? 'is none (nothing committed)' : compareText(c)}`;
      const ok = c.none ? committed === null : committed !== null && compareHolds(committed, c);
      return [claim, ok ? null : `${what} is ${committed ?? 'none'}`];
    }
    case 'processed': {
      const c = (check as Extract<StoryCheck, { processed: unknown }>).processed;
      const lists: ConsumedRecord[][] = c.consumer === undefined ? Object.values(state.processed) : [state.processed[c.consumer] ?? []];
      const n = lists.flat().filter((r) => matches(r, c)).length;
      const who = c.consumer ?? 'the consumers';
      const claim = `${recordText(c)} is processed by ${who} ${
        c.times !== undefined ? (c.times === 0 ? 'never' : plural(c.times, 'time')) : `at least ${plural(c.atLeast ?? 1, 'time')}`
      }`;
      const ok = c.times !== undefined ? n === c.times : n >= (c.atLeast ?? 1);
      return [claim, ok ? null : `it was processed ${plural(n, 'time')}`];
    }
    case 'processedOnce': {
      const c = (check as Extract<StoryCheck, { processedOnce: unknown }>).processedOnce;
      const count = new Map<string, number>();
      for (const r of Object.values(state.processed).flat()) {
        if (c.topic !== undefined && r.topic !== c.topic) continue;
        const id = `${partitionLabel(r)}@${r.offset}`;
        count.set(id, (count.get(id) ?? 0) + 1);
      }
      const problems: string[] = [];
      for (const [label, recs] of Object.entries(state.logs)) {
        const p = state.snapshot.partitions.find((x) => x.label === label);
        if (!p || (c.topic !== undefined && p.topic !== c.topic)) continue;
        for (const r of recs) {
          if (r.control) continue;
          const n = count.get(`${label}@${r.offset}`) ?? 0;
          if (n !== 1) problems.push(`${label}@${r.offset} processed ${plural(n, 'time')}`);
        }
      }
      const claim = `every record${c.topic ? ` of ${c.topic}` : ''} in the logs is processed exactly once`;
      return [
        claim,
        problems.length ? `${problems.slice(0, 4).join('; ')}${problems.length > 4 ? `; … (${problems.length} records)` : ''}` : null,
      ];
    }
    case 'delivery': {
      const c = (check as Extract<StoryCheck, { delivery: unknown }>).delivery;
      const sends = Object.entries(state.deliveries)
        .filter(([p]) => c.producer === undefined || p === c.producer)
        .flatMap(([, ds]) => ds.filter((d) => d.value === c.value));
      const claim = `the send of ${c.value}${c.producer ? ` by ${c.producer}` : ''} is ${c.status}`;
      if (sends.length === 0) return [claim, `no send has the value ${c.value}`];
      const bad = sends.filter((d) => d.status !== c.status);
      return [claim, bad.length ? `it ended ${bad[0].status}${bad[0].error ? ` (${bad[0].error})` : ''}` : null];
    }
    case 'inLog': {
      const c = (check as Extract<StoryCheck, { inLog: unknown }>).inLog;
      const p = state.snapshot.partitions.find(sameTp(c.partition));
      const log = p ? (state.logs[p.label] ?? []) : [];
      const present = c.present ?? true;
      const found = log.filter((r) => !r.control && matches(r, c));
      const claim = `at the end, ${c.partition}'s log ${present ? 'holds' : 'does not hold'} ${recordText(c)}`;
      const ok = present ? found.length > 0 : found.length === 0;
      return [
        claim,
        ok ? null : present ? `${c.partition}'s log has no such record` : `${c.partition}'s log holds it at offset ${found[0].offset}`,
      ];
    }
    case 'leader': {
      const c = (check as Extract<StoryCheck, { leader: unknown }>).leader;
      const leader = partition(e, c.partition)?.leader ?? null;
      const say = (l: number | null) => (l === null ? 'offline (no leader)' : `led by broker ${l}`);
      return [`${when}, ${c.partition} is ${say(c.broker)}`, leader === c.broker ? null : `${c.partition} is ${say(leader)}`];
    }
    case 'isr': {
      const c = (check as Extract<StoryCheck, { isr: unknown }>).isr;
      const isr = partition(e, c.partition)?.isr ?? [];
      const ok = sameSet(isr.map(String), c.brokers.map(String));
      return [`${when}, ${c.partition}'s isr is ${formatList(c.brokers)}`, ok ? null : `${c.partition}'s isr is ${formatList(isr)}`];
    }
    case 'error': {
      const c = (check as Extract<StoryCheck, { error: unknown }>).error;
      const ok = e.error !== null && e.error.includes(c.includes);
      return [
        `${when}, the step hit an error with "${c.includes}"`,
        ok ? null : e.error === null ? 'the step hit no error' : `the step's error is "${e.error}"`,
      ];
    }
    case 'highWatermark': {
      const c = (check as Extract<StoryCheck, { highWatermark: unknown }>).highWatermark;
      const hw = partition(e, c.partition)?.highWatermark ?? 0;
      const claims = c.equals !== undefined || c.atLeast !== undefined || c.atMost !== undefined ? [compareText(c)] : [];
      const actual = [`${hw} ${when}`];
      let ok = compareHolds(hw, c);
      if (c.sameAs !== undefined) {
        const other = eventAt(trace, c.sameAs);
        const otherHw = other ? (partition(other, c.partition)?.highWatermark ?? 0) : NaN;
        claims.push(`is the same as ${describeStepRef(c.sameAs)}`);
        actual.push(`${otherHw} ${describeStepRef(c.sameAs)}`);
        ok &&= hw === otherHw;
      }
      return [`${when}, ${c.partition}'s highWatermark ${claims.join(' and ')}`, ok ? null : `highWatermark: ${actual.join(', ')}`];
    }
    case 'logStartOffset': {
      const c = (check as Extract<StoryCheck, { logStartOffset: unknown }>).logStartOffset;
      const n = partition(e, c.partition)?.logStartOffset ?? 0;
      const what = `${c.partition}'s logStartOffset`;
      return [`${when}, ${what} ${compareText(c)}`, compareHolds(n, c) ? null : `${what} is ${n}`];
    }
    case 'elr': {
      const c = (check as Extract<StoryCheck, { elr: unknown }>).elr;
      const elr = partition(e, c.partition)?.elr ?? [];
      const ok = sameSet(elr.map(String), c.brokers.map(String));
      return [
        `${when}, ${c.partition}'s eligible leader replicas are ${formatList(c.brokers)}`,
        ok ? null : `${c.partition}'s eligible leader replicas are ${formatList(elr)}`,
      ];
    }
    case 'memberEpoch': {
      const c = (check as Extract<StoryCheck, { memberEpoch: unknown }>).memberEpoch;
      const epochOf = (ev: TraceEvent | undefined) => group(ev ?? e, c.group)?.members.find((m) => m.consumer === c.consumer)?.memberEpoch;
      const epoch = epochOf(e);
      const say = (n: number | undefined, ref: StepRef | undefined) => `${n === undefined ? 'not a member' : n} ${describeStepRef(ref)}`;
      const claims: string[] = [];
      const actual = [say(epoch, at)];
      let ok = epoch !== undefined;
      if (c.equals !== undefined) {
        claims.push(`is ${c.equals}`);
        ok &&= epoch === c.equals;
      }
      for (const [ref, word, holds] of [
        [c.sameAs, 'the same as', (a: number, b2: number) => a === b2],
        [c.above, 'greater than', (a: number, b2: number) => a > b2],
      ] as const) {
        if (ref === undefined) continue;
        const other = eventAt(trace, ref);
        const otherEpoch = other ? epochOf(other) : undefined;
        claims.push(`is ${word} ${describeStepRef(ref)}`);
        actual.push(say(otherEpoch, ref));
        ok &&= epoch !== undefined && otherEpoch !== undefined && holds(epoch, otherEpoch);
      }
      return [
        `${when}, ${c.consumer}'s memberEpoch in group ${c.group} ${claims.join(' and ') || 'exists'}`,
        ok ? null : `memberEpoch: ${actual.join(', ')}`,
      ];
    }
    case 'happened': {
      const c = (check as Extract<StoryCheck, { happened: unknown }>).happened;
      const ok = e.happened.some((h) => h.includes(c.includes));
      return [
        `${when}, the step logged an event with "${c.includes}"`,
        ok ? null : e.happened.length === 0 ? 'the step logged no event' : `the step logged ${e.happened.map((h) => `"${h}"`).join(', ')}`,
      ];
    }
    case 'shareRecord': {
      const c = (check as Extract<StoryCheck, { shareRecord: unknown }>).shareRecord;
      const sp = (e.snapshot.shareGroups ?? []).find((g) => g.id === c.group)?.partitions.find(sameTp(c.partition));
      const which = [c.offset !== undefined ? `offset ${c.offset}` : null, c.key !== undefined ? `key ${c.key}` : null]
        .concat(c.value !== undefined ? [`value ${c.value}`] : [])
        .filter(Boolean)
        .join(' and ');
      const record = sp?.records.find((r) => (c.offset === undefined || r.offset === c.offset) && matches(r, c));
      const claims = [
        c.state !== undefined ? `is ${c.state}` : null,
        c.deliveryCount !== undefined ? `was delivered ${plural(c.deliveryCount, 'time')}` : null,
      ].filter(Boolean);
      const claim = `${when}, share group ${c.group}'s record of ${c.partition} with ${which || 'any offset'} ${claims.join(' and ') || 'exists'}`;
      if (!record) return [claim, `share group ${c.group} holds no such record of ${c.partition}`];
      const ok =
        (c.state === undefined || record.state === c.state) && (c.deliveryCount === undefined || record.deliveryCount === c.deliveryCount);
      return [claim, ok ? null : `it is ${record.state}, delivered ${plural(record.deliveryCount, 'time')}`];
    }
  }
  void scenario;
  return [String(kind), `unknown check kind ${String(kind)}`];
}

/**
 * Verify a scenario's story checks against its run.
 * @param scenario the scenario, with its `checks` (none → [])
 * @param result what runScenario returned for it (any recordLimit: checks read complete state)
 * @returns one result per check, in order; never throws for a failed check
 */
export function verifyStoryChecks(scenario: Scenario, result: ScenarioResult): CheckResult[] {
  return (scenario.checks ?? []).map((check, index) => {
    const [claim, message] = evaluate(check, scenario, result);
    return { index, kind: kindOf(check), claim, ok: message === null, message };
  });
}

/**
 * The failed checks as lines for an author: `checks[2]: after step 7, C1 owns t0p2 — but C1 owns [t0p0, t0p1]`.
 */
export function formatCheckFailures(results: readonly CheckResult[]): string[] {
  return results.filter((r) => !r.ok).map((r) => `checks[${r.index}]: ${r.claim} — but ${r.message}`);
}

// ---------------------------------------------------------------------------------------------
// References: every name a check uses is declared, every step number exists
// ---------------------------------------------------------------------------------------------

/**
 * The checks' references to the scenario: consumers, groups, producers, topics, partitions (counting
 * partitions added by addPartitions), brokers and step numbers.
 * @returns problems with their path, e.g. `['checks', 2, 'owns', 'consumer']`
 */
export function checkStoryCheckReferences(s: Scenario): CheckProblem[] {
  const problems: CheckProblem[] = [];
  const consumers = (s.consumers ?? []).map((c) => c.id);
  const groups = (s.groups ?? []).map((g) => g.id);
  const producers = (s.producers ?? []).map((p) => p.id);
  const counts = new Map(s.topics.map((t) => [t.name, t.partitions]));
  for (const step of s.steps) {
    if ('addPartitions' in step)
      counts.set(step.addPartitions.topic, Math.max(counts.get(step.addPartitions.topic) ?? 0, step.addPartitions.partitions));
  }
  const labels: string[] = [];
  for (const [topic, n] of counts) for (let p = 0; p < n; p++) labels.push(partitionLabel({ topic, partition: p }));
  const brokerIds = typeof s.brokers === 'number' ? Array.from({ length: s.brokers }, (_, i) => i) : s.brokers.map((b) => b.id);
  const list = (xs: readonly (string | number)[]) =>
    xs.map((x) => (typeof x === 'string' ? `"${x}"` : String(x))).join(', ') || '(none declared)';
  (s.checks ?? []).forEach((check, i) => {
    const kind = kindOf(check);
    const b = bodyOf(check);
    const at = (field: string) => ['checks', i, kind, field];
    const ref = (field: string, value: unknown, known: readonly (string | number)[], what: string) => {
      if (value !== undefined && !known.includes(value as string | number))
        problems.push({
          path: at(field),
          message: `unknown ${what}`,
          received: value,
          expected: `one of the declared ${what}s: ${list(known)}`,
        });
    };
    const partitionRef = (path: (string | number)[], value: unknown) => {
      if (value === undefined) return;
      const ok =
        typeof value === 'string' &&
        [...counts].some(([topic, n]) => Array.from({ length: n }, (_, p) => p).some((p) => sameTp(value)({ topic, partition: p })));
      if (!ok)
        problems.push({
          path,
          message: 'unknown partition',
          received: value,
          expected: `a partition of a declared topic, as the player labels it: ${list(labels.slice(0, 12))}${labels.length > 12 ? ', …' : ''}`,
        });
    };
    ref('consumer', b.consumer, consumers, 'consumer');
    if (kind === 'shareRecord')
      ref(
        'group',
        b.group,
        (s.shareGroups ?? []).map((g) => g.id),
        'share group',
      );
    else ref('group', b.group, groups, 'group');
    ref('producer', b.producer, producers, 'producer');
    ref('topic', b.topic, [...counts.keys()], 'topic');
    partitionRef(at('partition'), b.partition);
    if (Array.isArray(b.partitions)) b.partitions.forEach((p, j) => partitionRef([...at('partitions'), j], p));
    if (Array.isArray(b.consumers)) for (const c of b.consumers) ref('consumers', c, consumers, 'consumer');
    if (Array.isArray(b.brokers)) for (const id of b.brokers) ref('brokers', id, brokerIds, 'broker');
    if (typeof b.broker === 'number') ref('broker', b.broker, brokerIds, 'broker');
    for (const field of ['at', 'sameAs', 'above']) {
      const v = b[field];
      if (typeof v === 'number' && v > s.steps.length)
        problems.push({
          path: at(field),
          message: 'no such step',
          received: v,
          expected: `a step number from 0 (start) to ${s.steps.length} (after the last step), "start" or "end"`,
        });
    }
  });
  return problems;
}
