/**
 * The consumer and group-member steps of a scenario: join, poll, process, commit (./commit-steps.ts),
 * crash, restart and leave — what an application does with its KafkaConsumer, one call per step.
 * Each step finds its consumer's slot (./run-state.ts), checks that its process runs, calls the
 * consumer client (../consumer/consumer.ts; its group membership, ../group/membership.ts, does the
 * rest) and returns the step's description; records a poll returns wait in the slot's `pending`
 * until a `process` step takes them.
 *
 * Mirrors KafkaConsumer (subscribe, poll, commitSync / commitAsync, close) as an application's poll
 * loop drives it, and the process lifecycle around it: a crash sends no LeaveGroup (the coordinator
 * notices by session.timeout.ms), close() does (a static member, group.instance.id, does not).
 *
 * Example (YAML):
 * ```yaml
 * - join: { consumer: C0 }                          # subscribes and joins g1
 * - advanceTime: { ms: 3000 }                       # group.initial.rebalance.delay.ms
 * - poll: { consumer: C0 }                          # records go to C0's pending list
 * - process: { consumer: C0, count: 2 }             # the first two are processed
 * - crash: { consumer: C0 }                         # positions and the third record are gone
 * ```
 */
import type { CommitStep, StepKind } from './authoring.ts';
import type { ConsumerSlot, StepLog } from './run-state.ts';
import type { ConsumedRecord } from './trace.ts';
import { ScenarioError } from './references.ts';
import { describeRecords } from './narration.ts';
import { runCommitStep, noteProcessed } from './commit-steps.ts';
import type { Consumer, ConsumerRecord } from '../consumer/consumer.ts';

/** The step kinds ./consumer-steps.ts plays. */
export type ConsumerStepKind = Extract<StepKind, 'poll' | 'process' | 'commit' | 'crash' | 'restart' | 'join' | 'leave'>;

/** What the consumer steps read and change of the run. */
export interface ConsumerRun {
  readonly consumers: ReadonlyMap<string, ConsumerSlot>;
  readonly nowMs: number;
  readonly recordLimit: number;
  readonly keepHistory: boolean;
  readonly detailed: boolean;
  totals: { produced: number; received: number; processed: number };
  /** mark a running consumer fenced once its group no longer knows it */
  syncStatus(s: ConsumerSlot): void;
  /** a record poll() returned, as the trace shows it (with the producer that wrote it) */
  consumed(r: ConsumerRecord): ConsumedRecord;
  /** let `ms` pass on the simulated clock (a `process` step with durationMs) */
  advance(ms: number): void;
}

/**
 * Play one consumer step.
 * @param body the step's body as authored (validated by content/schema/scenario.ts and references.ts)
 * @returns the step's description
 * @throws ScenarioError naming `path` for an unknown consumer, or one that is (not) running when the step needs otherwise
 */
export function runConsumerStep(run: ConsumerRun, kind: ConsumerStepKind, body: unknown, path: string, log: StepLog): string {
  switch (kind) {
    case 'poll':
      return pollStep(run, body as { consumer?: string; consumers?: string[] }, path, log);
    case 'process':
      return processStep(run, body as { consumer: string; count?: number; durationMs?: number }, path, log);
    case 'commit': {
      const b = body as CommitStep;
      const s = slot(run, b.consumer, path);
      requireRunning(s, path);
      return runCommitStep(s, b, run.nowMs, run.detailed, path, log);
    }
    case 'crash': {
      const s = slot(run, (body as { consumer: string }).consumer, path);
      requireRunning(s, path);
      s.consumer.crash(run.nowMs);
      s.status = 'crashed';
      s.pending = [];
      return `${s.spec.id} crashes: no LeaveGroup; its positions and unprocessed records are gone`;
    }
    case 'restart': {
      const s = slot(run, (body as { consumer: string }).consumer, path);
      if (s.status === 'running') throw new ScenarioError(path, `${s.spec.id} is already running`);
      if (s.status === 'not-started') s.consumer.poll(run.nowMs);
      else s.consumer.restart(run.nowMs);
      s.status = 'running';
      return `${s.spec.id} starts again${s.spec.config?.groupInstanceId ? ` with group.instance.id ${s.spec.config.groupInstanceId}` : ''} and joins ${s.spec.group}`;
    }
    case 'join': {
      const s = slot(run, (body as { consumer: string }).consumer, path);
      if (s.status === 'running') throw new ScenarioError(path, `${s.spec.id} is already running`);
      let records: ReturnType<Consumer['poll']>;
      if (s.status === 'not-started') records = s.consumer.poll(run.nowMs);
      else {
        s.consumer.restart(run.nowMs);
        records = s.consumer.poll(run.nowMs);
      }
      s.status = 'running';
      receive(run, s, records, log);
      return `${s.spec.id} subscribes to ${s.spec.topics.join(', ')} and joins group ${s.spec.group}${records.length ? `; its first poll() returns ${describeRecords(records)}` : ''}`;
    }
    case 'leave': {
      const s = slot(run, (body as { consumer: string }).consumer, path);
      requireRunning(s, path);
      s.consumer.close(run.nowMs);
      s.status = 'closed';
      s.pending = [];
      return `${s.spec.id} closes${s.spec.config?.groupInstanceId ? ' (a static member sends no LeaveGroup)' : ' and leaves the group'}`;
    }
  }
}

function slot(run: ConsumerRun, id: string, path: string): ConsumerSlot {
  const s = run.consumers.get(id);
  if (!s) throw new ScenarioError(path, `unknown consumer ${JSON.stringify(id)}`);
  run.syncStatus(s);
  return s;
}

function requireRunning(s: ConsumerSlot, path: string): void {
  if (s.status !== 'running') throw new ScenarioError(path, `${s.spec.id} is not running (${s.status})`);
}

/** records a poll returned join the slot's histories and its pending list */
function receive(run: ConsumerRun, s: ConsumerSlot, records: ReturnType<Consumer['poll']>, log: StepLog): void {
  if (records.length === 0) return;
  const list = records.map((r) => run.consumed(r));
  s.receivedCount += list.length;
  run.totals.received += list.length;
  if (run.keepHistory) for (const r of list) s.received.push(r);
  for (const r of list) s.pending.push(r);
  if (run.detailed) log.received.push({ consumer: s.spec.id, records: list.slice(0, run.recordLimit) });
}

/** poll(): one consumer, a list, or (without either) every running consumer */
function pollStep(run: ConsumerRun, b: { consumer?: string; consumers?: string[] }, path: string, log: StepLog): string {
  const explicit = b.consumer !== undefined || b.consumers !== undefined;
  const names = b.consumer !== undefined ? [b.consumer] : (b.consumers ?? [...run.consumers.keys()]);
  const parts: string[] = [];
  for (const name of names) {
    const s = slot(run, name, path);
    if (s.status !== 'running' && s.status !== 'not-started') {
      if (explicit) throw new ScenarioError(path, `${name} is not running (${s.status})`);
      continue;
    }
    if (!explicit && s.status === 'not-started') continue;
    try {
      const records = s.consumer.poll(run.nowMs);
      s.status = 'running';
      receive(run, s, records, log);
      if (run.detailed) parts.push(`${name}: ${describeRecords(records)}`);
    } catch (e) {
      log.error = `${name}: ${(e as Error).name}: ${(e as Error).message}`;
      parts.push(`${name}: ${(e as Error).name}`);
    }
    run.syncStatus(s);
  }
  return `poll() — ${parts.length ? parts.join('; ') : 'no running consumer'}`;
}

/** the application processes `count` pending records (all by default), optionally busy for durationMs without polling */
function processStep(run: ConsumerRun, b: { consumer: string; count?: number; durationMs?: number }, path: string, log: StepLog): string {
  const s = slot(run, b.consumer, path);
  requireRunning(s, path);
  const n = Math.min(b.count ?? s.pending.length, s.pending.length);
  const done = s.pending.splice(0, n);
  noteProcessed(s, done);
  s.processedCount += done.length;
  run.totals.processed += done.length;
  if (run.keepHistory) for (const r of done) s.processed.push(r);
  if (run.detailed && done.length) log.processed.push({ consumer: s.spec.id, records: done.slice(0, run.recordLimit) });
  let text = run.detailed ? `${s.spec.id} processes ${describeRecords(done)}` : '';
  if (b.durationMs !== undefined && b.durationMs > 0) {
    s.group.process(run.nowMs, s.spec.id, b.durationMs);
    run.advance(b.durationMs);
    text += `, busy for ${b.durationMs} ms without polling`;
  }
  return text;
}
