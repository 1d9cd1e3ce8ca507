/**
 * Offsets drills: what is committed after a sequence of polls and commits, which records a crash
 * makes a consumer process twice or lose, and where a consumer starts with auto.offset.reset. Each
 * question is a small scenario played by the engine's runner (../scenario/runner.ts); the answer
 * and the working are read from its trace.
 *
 * The rules the drills practise:
 *   - poll() moves the position past what it returns (at most max.poll.records); commitSync() /
 *     commitAsync() store the position (the next offset to read), an explicit map stores what it says.
 *   - enable.auto.commit commits the position inside poll(), once auto.commit.interval.ms has passed
 *     since the last auto-commit, before fetching.
 *   - After a crash the next owner starts at the committed offset: records at or after it that were
 *     processed are processed twice; records below it never processed are lost.
 *   - auto.offset.reset applies only without a committed offset: earliest = logStartOffset, latest =
 *     the end, by_duration:D = the first record with timestamp ≥ now − D (else the end).
 *
 * Example (committed-offset): 10 records, max.poll.records 4: poll → 0–3, commitSync → 4, poll →
 *   4–7, commitAsync → 8 → committed 8.
 *
 * Source: KafkaConsumer (poll, commitSync, commitAsync), ConsumerCoordinator (auto-commit),
 * AutoOffsetResetStrategy.
 */
import type { Prng } from '../common/prng.ts';
import type { Scenario, Step } from '../scenario/authoring.ts';
import type { ScenarioResult } from '../scenario/trace.ts';
import { runScenario } from '../scenario/runner.ts';
import { plural } from '../common/notation.ts';
import { parseIsoDurationMs } from '../consumer/offset-reset.ts';
import type { DrillBody, DrillParams } from './drill-types.ts';
import { between, pick } from './drill-helpers.ts';

type CommittedParams = Extract<DrillParams, { kind: 'committed-offset' }>;
type CrashParams = Extract<DrillParams, { kind: 'crash-redelivery' }>;
type ResetParams = Extract<DrillParams, { kind: 'offset-reset-start' }>;

function base(id: string, consumerConfig: Record<string, unknown>, steps: Step[], records: number): Scenario {
  return {
    id,
    title: id,
    summary: id,
    seed: 1,
    brokers: 1,
    topics: [{ name: 't0', partitions: 1 }],
    producers: [{ id: 'P0' }],
    groups: [{ id: 'g1', assignor: 'range' }],
    consumers: [
      {
        id: 'C0',
        group: 'g1',
        topics: ['t0'],
        config: { enableAutoCommit: false, autoOffsetReset: 'earliest', sessionTimeoutMs: 10_000, ...consumerConfig },
      },
    ],
    steps: [
      { join: { consumer: 'C0' } },
      { advanceTime: { ms: 3000 } },
      { produce: { producer: 'P0', topic: 't0', count: records, key: 'k{i}', value: 'v{i}' } },
      ...steps,
    ],
  };
}

const committedOf = (r: ScenarioResult) => r.trace[r.trace.length - 1].snapshot.groups[0].offsets[0].committed;
/** the trace's descriptions of the drill's own steps (after join, advanceTime, produce) */
const working = (r: ScenarioResult, from = 4) =>
  r.trace
    .slice(from)
    .filter((e) => e.kind !== 'note')
    .map((e) => `- ${e.description}${e.happened.length ? ` — ${e.happened.join('; ')}` : ''}`);

// ---- what is committed ------------------------------------------------------------------------

/** The scenario of a committed-offset question. */
export function committedScenario(p: CommittedParams): Scenario {
  const steps: Step[] = p.actions.map((a) =>
    a === 'poll'
      ? { poll: { consumer: 'C0' } }
      : a === 'commitSync'
        ? { commit: { consumer: 'C0' } }
        : a === 'commitAsync'
          ? { commit: { consumer: 'C0', mode: 'async' } }
          : { commit: { consumer: 'C0', offsets: { 't0-0': a.commitOffset } } },
  );
  return base('committed-offset', { maxPollRecords: p.maxPollRecords }, steps, p.records);
}

export function committedOffsetDrill(rng: Prng): DrillBody {
  const records = between(rng, 6, 20);
  const maxPollRecords = between(rng, 2, 6);
  const actions: CommittedParams['actions'] = [];
  let position = 0;
  const n = between(rng, 3, 6);
  for (let i = 0; i < n; i++) {
    const kind = i === 0 ? 'poll' : pick(rng, ['poll', 'poll', 'commitSync', 'commitAsync', 'explicit'] as const);
    if (kind === 'poll') {
      actions.push('poll');
      position = Math.min(records, position + maxPollRecords);
    } else if (kind === 'explicit') actions.push({ commitOffset: between(rng, Math.max(0, position - maxPollRecords), position) });
    else actions.push(kind);
  }
  if (!actions.some((a) => a !== 'poll')) actions.push(pick(rng, ['commitSync', 'commitAsync'] as const));
  const params: CommittedParams = { kind: 'committed-offset', records, maxPollRecords, actions };
  const r = runScenario(committedScenario(params));
  const answer = committedOf(r)!;
  const list = actions.map(
    (a, i) =>
      `${i + 1}. ${a === 'poll' ? '`poll()`' : a === 'commitSync' ? '`commitSync()`' : a === 'commitAsync' ? '`commitAsync()` (it succeeds)' : `\`commitSync(Map.of(t0p0, new OffsetAndMetadata(${a.commitOffset})))\``}`,
  );
  const prompt = [
    `Topic \`t0\` has 1 partition holding offsets 0–${records - 1}. Consumer C0 (group g1; max.poll.records ${maxPollRecords}; auto-commit off; auto.offset.reset earliest; no committed offset yet) runs:`,
    list.join('\n'),
    'What is the committed offset of t0p0 afterwards?',
  ].join('\n\n');
  const explanation = [
    ...working(r),
    '- A commit without offsets stores the position: the *next* offset to read, not the last one read.',
    `- Committed: **${answer}**`,
  ].join('\n');
  return { prompt, answer: { type: 'number', value: answer }, explanation, params };
}

// ---- a crash: processed twice or lost ---------------------------------------------------------

/** The scenario of a crash-redelivery question: the actions, a crash, a restart that reads everything left. */
export function crashScenario(p: CrashParams): Scenario {
  const steps: Step[] = p.actions.map((a) =>
    a === 'poll'
      ? { poll: { consumer: 'C0' } }
      : a === 'commitSync'
        ? { commit: { consumer: 'C0' } }
        : 'process' in a
          ? { process: { consumer: 'C0', count: a.process } }
          : { advanceTime: { ms: a.waitMs } },
  );
  steps.push({ crash: { consumer: 'C0' } }, { restart: { consumer: 'C0' } }, { advanceTime: { ms: 12_000 } });
  for (let i = 0; i < Math.ceil(p.records / p.maxPollRecords) + 1; i++)
    steps.push({ poll: { consumer: 'C0' } }, { process: { consumer: 'C0' } });
  return base(
    'crash-redelivery',
    { maxPollRecords: p.maxPollRecords, enableAutoCommit: p.enableAutoCommit, autoCommitIntervalMs: 5000 },
    steps,
    p.records,
  );
}

/** Offsets processed twice and offsets never processed, from a played crash scenario. */
export function crashOutcome(r: ScenarioResult, records: number): { twice: number[]; lost: number[]; committedAtCrash: number | null } {
  const offsets = r.state.processed.C0.map((x) => x.offset);
  const twice = [...new Set(offsets.filter((o, i) => offsets.indexOf(o) !== i))].sort((a, b) => a - b);
  const lost = Array.from({ length: records }, (_, o) => o).filter((o) => !offsets.includes(o));
  const crash = r.trace.find((e) => e.kind === 'crash')!;
  return { twice, lost, committedAtCrash: crash.snapshot.groups[0].offsets[0].committed };
}

export function crashRedeliveryDrill(rng: Prng): DrillBody {
  const enableAutoCommit = rng.nextInt(2) === 0;
  const records = between(rng, 6, 16);
  const maxPollRecords = between(rng, 2, 5);
  const actions: CrashParams['actions'] = [];
  let pending = 0;
  let position = 0;
  const n = between(rng, 3, 7);
  for (let i = 0; i < n; i++) {
    const choices: ('poll' | 'process' | 'commit' | 'wait')[] = ['poll', 'wait'];
    if (pending > 0) choices.push('process', 'process');
    if (!enableAutoCommit) choices.push('commit');
    const c = i === 0 ? 'poll' : pick(rng, choices);
    if (c === 'poll') {
      actions.push('poll');
      const got = Math.min(records, position + maxPollRecords) - position;
      position += got;
      pending += got;
    } else if (c === 'process') {
      const k = between(rng, 1, pending);
      actions.push({ process: k });
      pending -= k;
    } else if (c === 'commit') actions.push('commitSync');
    else actions.push({ waitMs: pick(rng, [2000, 3000, 6000]) });
  }
  const ask: CrashParams['ask'] = enableAutoCommit ? pick(rng, ['twice', 'lost'] as const) : 'twice';
  const params: CrashParams = { kind: 'crash-redelivery', records, maxPollRecords, enableAutoCommit, actions, ask };
  const r = runScenario(crashScenario(params));
  const out = crashOutcome(r, records);
  const answer = ask === 'twice' ? out.twice.length : out.lost.length;
  const list = actions.map(
    (a, i) =>
      `${i + 1}. ${a === 'poll' ? '`poll()`' : a === 'commitSync' ? '`commitSync()`' : 'process' in a ? `process the next ${plural(a.process, 'received record')}` : `${a.waitMs} ms pass`}`,
  );
  const prompt = [
    `Topic \`t0\` has 1 partition holding offsets 0–${records - 1}. Consumer C0 (group g1; max.poll.records ${maxPollRecords}; ${enableAutoCommit ? 'enable.auto.commit true, auto.commit.interval.ms 5000' : 'auto-commit off'}; auto.offset.reset earliest) joined at time 0 and first polls at 3000 ms:`,
    list.join('\n'),
    'Then C0 crashes. A new C0 takes over t0p0 and processes everything from the committed offset on.',
    ask === 'twice' ? 'How many records are processed twice?' : 'How many records are never processed (lost)?',
  ].join('\n\n');
  const crashIndex = r.trace.findIndex((e) => e.kind === 'crash');
  const explanation = [
    ...working(r).slice(0, crashIndex - 3),
    `- At the crash the committed offset is ${out.committedAtCrash ?? 'none (the new owner starts at auto.offset.reset=earliest: 0)'}.`,
    `- Processed twice (processed before the crash, at or after the committed offset): ${out.twice.length ? out.twice.join(', ') : 'none'}.`,
    `- Lost (below the committed offset, never processed): ${out.lost.length ? out.lost.join(', ') : 'none'}.`,
    `- Answer: **${answer}**`,
  ].join('\n');
  return { prompt, answer: { type: 'number', value: answer }, explanation, params };
}

// ---- where a consumer starts ------------------------------------------------------------------

/** The scenario of an offset-reset question: batches produced over time, an optional committed offset, then C1 joins. */
export function resetScenario(p: ResetParams): Scenario {
  // C0 commits first (an offset may be committed before the log reaches it), then the records arrive
  const steps: Step[] = p.committed !== null ? [{ commit: { consumer: 'C0', offsets: { 't0-0': p.committed } } }] : [];
  p.batches.forEach((b, i) => {
    if (i > 0) steps.push({ advanceTime: { ms: b.afterMs } });
    steps.push({ produce: { producer: 'P0', topic: 't0', count: b.count, key: `b${i}-{i}`, value: `b${i}-{i}` } });
  });
  steps.push({ leave: { consumer: 'C0' } }, { join: { consumer: 'C1' } }, { advanceTime: { ms: 3000 } }, { poll: { consumer: 'C1' } });
  const s = base('offset-reset-start', {}, [], 0);
  s.steps = [{ join: { consumer: 'C0' } }, { advanceTime: { ms: 3000 } }, ...steps];
  s.consumers!.push({
    id: 'C1',
    group: 'g1',
    topics: ['t0'],
    config: { enableAutoCommit: false, autoOffsetReset: p.strategy as never, sessionTimeoutMs: 10_000 },
  });
  return s;
}

export function offsetResetDrill(rng: Prng): DrillBody {
  const batches = Array.from({ length: between(rng, 2, 4) }, (_, i) => ({
    afterMs: i === 0 ? 0 : pick(rng, [10_000, 30_000, 60_000, 120_000]),
    count: between(rng, 1, 5),
  }));
  const total = batches.reduce((s, b) => s + b.count, 0);
  const strategy = pick(rng, ['earliest', 'latest', 'by_duration:PT1M', 'by_duration:PT2M', 'by_duration:PT30S'] as const);
  const committed = rng.nextInt(4) === 0 ? between(rng, 1, total - 1) : null;
  const params: ResetParams = { kind: 'offset-reset-start', batches, strategy, committed };
  const r = runScenario(resetScenario(params));
  const last = r.trace[r.trace.length - 1];
  const answer = last.snapshot.consumers.find((c) => c.id === 'C1')!.positions[0].position! - (last.received[0]?.records.length ?? 0);
  // the first poll read from the starting offset to the end; the position before it is the start
  let t = 3000;
  let offset = 0;
  const rows = batches.map((b) => {
    t += b.afterMs;
    const row = `- at ${t} ms: ${b.count === 1 ? `offset ${offset}` : `offsets ${offset}–${offset + b.count - 1}`}`;
    offset += b.count;
    return row;
  });
  const resetAt = t + 3000;
  const prompt = [
    `Topic \`t0\` has 1 partition; records were written (timestamps = write time):`,
    rows.join('\n'),
    `${committed === null ? 'Group g1 has no committed offset for t0p0.' : `Group g1 has committed offset ${committed} for t0p0.`} At ${resetAt} ms, consumer C1 of group g1 with auto.offset.reset \`${strategy}\` is assigned t0p0. At which offset does it start reading?`,
  ].join('\n\n');
  const resetLine = last.happened.find((h) => h.includes('position reset'));
  const explanation = [
    committed === null
      ? `- No committed offset, so auto.offset.reset applies: ${resetLine ?? ''}`
      : `- A committed offset exists (${committed}): auto.offset.reset does not apply; C1 starts at it.`,
    strategy.startsWith('by_duration') && committed === null
      ? `- by_duration:${strategy.slice(12)} = ${parseIsoDurationMs(strategy.slice(12))} ms: the first record with timestamp ≥ ${resetAt} − ${parseIsoDurationMs(strategy.slice(12))} = ${resetAt - parseIsoDurationMs(strategy.slice(12))} ms (else the end, ${total}).`
      : '',
    `- Start: **${answer}**`,
  ]
    .filter(Boolean)
    .join('\n');
  return { prompt, answer: { type: 'number', value: answer }, explanation, params };
}
