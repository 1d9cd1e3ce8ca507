/**
 * A commit-loop run (./commit-loop.ts) as a scenario the engine's scenario runner plays and the
 * scenario player shows step by step: the learner's own commits, replayed with explicit offsets.
 *
 * The rule, event by event: produce the records (each partition its own `produce` with explicit
 * partition, values event-0, event-1, …); the initial members `join`, then 3 s pass (the initial
 * rebalance delay); a poll is `poll`; in-loop or worker processing is `process` with its count (a
 * slow batch with `durationMs` past the member's max.poll.interval.ms); every commit the learner
 * returned is `commit { consumer, offsets, mode }` — before the `poll` that rejoins when it came
 * from onPartitionsRevoked, before `leave` when the consumer closes; a crash is `crash` and then
 * session.timeout.ms + a heartbeat pass, so the coordinator removes it; a (re)join is `join` or
 * `restart`, then a heartbeat interval passes (3 s when the group was empty), so every member
 * hears of the rebalance before its next poll. A commit that failed with
 * RetriableCommitFailedException is not sent (the scenario runner cannot fail one); a note says so.
 * Notes narrate each schedule step and name the anomaly right before the step where it happens.
 *
 * Example: world t0 [3], C0 alone, schedule [poll C0] with a learner who commits in onBatch →
 *   note, produce, join C0, advanceTime 3000, note "Schedule step 1: C0 polls …",
 *   poll C0, note "Anomaly — C0 committed t0p0 → 3 in onBatch, …", commit { t0-0: 3 } (async), process 3 …
 *
 * Configuration: auto-commit off, auto.offset.reset earliest, session.timeout.ms 6000,
 * heartbeat.interval.ms 1000; max.poll.interval.ms one hour, except for a member with a slow batch,
 * which gets one longer than all the other waits of the replay together.
 *
 * Note: the scenario's `commit` step with explicit `offsets` is what the replay needs from the
 * scenario runner (engine/scenario/runner.ts).
 */
import { formatTp, plural } from '../common/notation.ts';
import type { Scenario, Step } from '../scenario/authoring.ts';
import type { Anomaly, CommitLoopWorld, LoopEvent, LoopOp, RecordRef } from './commit-loop-types.ts';

export const REPLAY_SESSION_TIMEOUT_MS = 6_000;
export const REPLAY_HEARTBEAT_INTERVAL_MS = 1_000;
export const REPLAY_INITIAL_DELAY_MS = 3_000;
const LONG_MAX_POLL_INTERVAL_MS = 3_600_000;

export interface ReplayOptions {
  /** the scenario's title, e.g. `Replay: consumer crash at any step` */
  title: string;
  /** a kebab-case id; default `commit-logic-replay` */
  id?: string;
  /** the scenario's summary; default the first anomaly's message */
  summary?: string;
}

type Step0 = Step | { advanceTime: { ms: number; slow?: never } };

/** `t0p0@0..2` for a batch, grouped per partition: `t0p0@0..2, t0p1@0` */
export function formatRecordRefs(topic: string, refs: readonly RecordRef[]): string {
  if (refs.length === 0) return 'nothing';
  const parts: string[] = [];
  let i = 0;
  while (i < refs.length) {
    let j = i;
    while (j + 1 < refs.length && refs[j + 1].partition === refs[i].partition && refs[j + 1].offset === refs[j].offset + 1) j++;
    const tp = formatTp({ topic, partition: refs[i].partition });
    parts.push(j === i ? `${tp}@${refs[i].offset}` : `${tp}@${refs[i].offset}..${refs[j].offset}`);
    i = j + 1;
  }
  return parts.join(', ');
}

/** `t0-0=3, t0-1=5` */
function formatOffsets(topic: string, offsets: Record<number, number>): string {
  return Object.entries(offsets)
    .map(([p, o]) => `${topic}-${p}=${o}`)
    .join(', ');
}

/** One schedule step in words: `C0 polls`, `C0 crashes`, … */
export function describeOp(op: LoopOp): string {
  if ('poll' in op)
    return op.crashAfter !== undefined
      ? `${op.poll} polls and crashes after processing ${plural(op.crashAfter, 'record')} of the batch`
      : `${op.poll} polls`;
  if ('work' in op)
    return op.crashAfter !== undefined
      ? `${op.work}'s worker processes a handed-off batch; ${op.work} crashes after ${plural(op.crashAfter, 'record')}`
      : `${op.work}'s worker processes a handed-off batch`;
  if ('crash' in op) return `${op.crash} crashes`;
  if ('failNextCommit' in op) return `${op.failNextCommit}'s next commitAsync will fail`;
  return `${op.slowNextBatch}'s next batch will take longer than max.poll.interval.ms`;
}

/** What happened in one schedule step (or the final drain), from its events: one sentence per event that matters. */
function narrate(topic: string, events: readonly LoopEvent[]): string[] {
  const out: string[] = [];
  const tps = (ps: number[]) => `[${ps.map((p) => formatTp({ topic, partition: p })).join(', ')}]`;
  for (const e of events) {
    switch (e.type) {
      case 'join':
        out.push(`${e.member} ${e.restart ? 'starts again (a new process, state {})' : 'starts'} and joins the group as ${e.memberId}.`);
        break;
      case 'rejoin-after-removal':
        out.push(
          `${e.member} finds it was removed from the group: ${e.lost.length ? `${tps(e.lost)} are lost (no onPartitionsRevoked)` : 'it owned nothing'}; it joins again as ${e.memberId}.`,
        );
        break;
      case 'revoke':
        out.push(`${e.member}: onPartitionsRevoked(${tps(e.partitions)}).`);
        break;
      case 'assign':
        out.push(
          `Generation ${e.generation}: ${Object.entries(e.assignment)
            .map(([m, ps]) => `${m}: ${tps(ps)}`)
            .join('  ')}.`,
        );
        break;
      case 'poll':
        if (e.records.length) out.push(`${e.member} polls ${formatRecordRefs(topic, e.records)}; onBatch is called.`);
        break;
      case 'hand-off':
        out.push(`${e.member} hands the batch to its worker (handOff).`);
        break;
      case 'process':
        out.push(
          `${e.member}${e.by === 'worker' ? "'s worker" : ''} processes ${formatRecordRefs(topic, e.records)}${e.slow ? ', slowly: longer than max.poll.interval.ms, so the group removes it meanwhile' : ''}; onProcessed is called.`,
        );
        break;
      case 'commit':
        out.push(
          `${e.member} ${e.mode === 'sync' ? 'commitSync' : 'commitAsync'}(${formatOffsets(topic, e.offsets)}) from ${e.from}${e.error ? ` fails with ${e.error}; onCommitFailed is called` : ''}.`,
        );
        break;
      case 'crash':
        out.push(
          `${e.member} crashes${e.afterRecords !== null ? ` after processing ${plural(e.afterRecords, 'record')} of its batch` : ''}: its state, worker queue and positions are gone.`,
        );
        break;
      case 'armed':
        out.push(
          e.fault === 'failNextCommit'
            ? `${e.member}'s next commitAsync will fail (RetriableCommitFailedException).`
            : `${e.member}'s next batch in the poll loop will take longer than max.poll.interval.ms.`,
        );
        break;
      case 'close':
        out.push(`${e.member} closes and leaves the group.`);
        break;
      default:
        break;
    }
  }
  return out;
}

/**
 * The run as a scenario that replays it.
 * @param world the simulation's world
 * @param schedule the fault schedule it ran
 * @param events the run's events (CommitLoopResult.events)
 * @param anomaly the anomaly to name at its step, if any — or several (each is named at its step; the
 *   scenario's summary is the first of them)
 * @returns a Scenario for runScenario (engine/scenario/runner.ts) and the scenario player
 */
export function commitLoopScenario(
  world: CommitLoopWorld,
  schedule: readonly LoopOp[],
  events: readonly LoopEvent[],
  anomaly: Anomaly | readonly Anomaly[] | null,
  options: ReplayOptions,
): Scenario {
  const anomalies: readonly Anomaly[] = anomaly === null ? [] : Array.isArray(anomaly) ? anomaly : [anomaly as Anomaly];
  const topic = world.topic;
  const steps: Step0[] = [];
  const slowMembers = new Set<string>();
  const slowSteps: { process: { consumer: string; count: number; durationMs: number } }[] = [];
  let waited = 0;
  const advance = (ms: number) => {
    waited += ms;
    steps.push({ advanceTime: { ms } });
  };

  steps.push({
    note: `A replay of your commit logic: consumers ${world.members.join(', ')} read ${topic} (${plural(world.recordsPerPartition.length, 'partition')}) with max.poll.records ${world.maxPollRecords}; every commit below is one your code returned.`,
  });
  world.recordsPerPartition.forEach((n, p) => {
    if (n > 0) steps.push({ produce: { producer: 'P0', topic, partition: p, count: n, value: 'event-{i}' } });
  });

  let currentOp = Number.NEGATIVE_INFINITY;
  let setupDone = false;
  events.forEach((e, index) => {
    if (e.op >= 0 && !setupDone) {
      setupDone = true;
      advance(REPLAY_INITIAL_DELAY_MS);
    }
    if (e.op !== currentOp && e.op >= 0) {
      currentOp = e.op;
      const opEvents = events.filter((x) => x.op === e.op);
      const story = narrate(topic, opEvents).join(' ');
      const head =
        e.op < schedule.length
          ? `Schedule step ${e.op + 1} of ${schedule.length}: ${describeOp(schedule[e.op])}.`
          : 'After the schedule: no more faults; every consumer polls until nothing is left, then closes.';
      steps.push({ note: story ? `${head} ${story}` : head });
    }
    for (const a of anomalies) if (a.event === index) steps.push({ note: `Anomaly — ${a.message}` });
    switch (e.type) {
      case 'join':
        if (e.op < 0) steps.push({ join: { consumer: e.member } });
        else {
          steps.push(e.restart ? { restart: { consumer: e.member } } : { join: { consumer: e.member } });
          advance(e.emptyGroup ? REPLAY_INITIAL_DELAY_MS : REPLAY_HEARTBEAT_INTERVAL_MS);
        }
        break;
      case 'rejoin-after-removal':
        steps.push({ poll: { consumer: e.member } });
        advance(e.emptyGroup ? REPLAY_INITIAL_DELAY_MS : REPLAY_HEARTBEAT_INTERVAL_MS);
        break;
      case 'poll':
        steps.push({ poll: { consumer: e.member } });
        break;
      case 'commit':
        if (e.error === 'RetriableCommitFailedException') break; // not sent: the runner cannot fail it
        steps.push({
          commit: {
            consumer: e.member,
            mode: e.mode,
            offsets: Object.fromEntries(Object.entries(e.offsets).map(([p, o]) => [`${topic}-${p}`, o])),
          },
        });
        break;
      case 'process':
        if (e.slow) {
          slowMembers.add(e.member);
          const s = { process: { consumer: e.member, count: e.records.length, durationMs: 0 } };
          slowSteps.push(s);
          steps.push(s);
        } else steps.push({ process: { consumer: e.member, count: e.records.length } });
        break;
      case 'crash':
        steps.push({ crash: { consumer: e.member } });
        advance(REPLAY_SESSION_TIMEOUT_MS + REPLAY_HEARTBEAT_INTERVAL_MS);
        break;
      case 'close':
        steps.push({ leave: { consumer: e.member } });
        break;
      default:
        break;
    }
  });
  if (!setupDone) advance(REPLAY_INITIAL_DELAY_MS);

  // a slow member's max.poll.interval.ms is longer than every other wait together; its slow batch longer still
  const slowIntervalMs = waited + 1_000;
  for (const s of slowSteps) s.process.durationMs = slowIntervalMs + 3 * REPLAY_HEARTBEAT_INTERVAL_MS;

  const started = new Set(events.filter((e) => e.type === 'join').map((e) => (e as { member: string }).member));
  return {
    id: options.id ?? 'commit-logic-replay',
    title: options.title,
    summary: options.summary ?? (anomalies.length ? anomalies[0].message : 'Every guarantee held in this run.'),
    seed: 1,
    brokers: 1,
    topics: [{ name: topic, partitions: world.recordsPerPartition.length }],
    producers: [{ id: 'P0' }],
    groups: [{ id: 'g0', assignor: 'range' }],
    consumers: world.members
      .filter((m) => started.has(m))
      .map((id) => ({
        id,
        group: 'g0',
        topics: [topic],
        config: {
          enableAutoCommit: false,
          autoOffsetReset: 'earliest' as const,
          maxPollRecords: world.maxPollRecords,
          sessionTimeoutMs: REPLAY_SESSION_TIMEOUT_MS,
          heartbeatIntervalMs: REPLAY_HEARTBEAT_INTERVAL_MS,
          maxPollIntervalMs: slowMembers.has(id) ? slowIntervalMs : LONG_MAX_POLL_INTERVAL_MS,
        },
      })),
    steps: steps as Step[],
  };
}
