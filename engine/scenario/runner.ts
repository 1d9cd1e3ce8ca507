/**
 * Playing a scenario out: {@link runScenario} turns a {@link Scenario} (./authoring.ts) into a
 * trace of {@link TraceEvent}s (./trace.ts), each with a self-contained {@link Snapshot}
 * (./snapshot.ts) and its narration (./narration.ts). Deterministic: the same scenario gives a
 * byte-identical JSON trace.
 *
 * How it plays out (the rules):
 *   1. Time moves only in `advanceTime` steps (and `process` with durationMs); every other step
 *      happens at the current instant. While time moves, followers fetch every
 *      replicaFetchIntervalMs (100), the ISR is checked every replica.lag.time.max.ms / 2,
 *      heartbeats and session / poll timeouts run, retention runs every
 *      log.retention.check.interval.ms and the cleaner every log.cleaner.backoff.ms.
 *   2. Producers send each record at once (one record per request) through the producer client:
 *      acks=0/1 and RF 1 are answered in the same step; acks=all on RF > 1 waits for the followers,
 *      so for the next `advanceTime`. Keyless records are placed by the configured partitioner.
 *   3. Consumers poll only when a step says so (as an application's poll loop would). A member
 *      learns of a rebalance from its next heartbeat (heartbeat.interval.ms, 3 s) and rejoins at
 *      its next poll; the first members of a group wait group.initial.rebalance.delay.ms (3 s).
 *      So a typical timeline is: join all → advanceTime 3000 → poll.
 *   4. A crashed or restarted consumer is a new process: positions and unprocessed records are
 *      gone; the dead member stays in the group until its session times out (static members keep
 *      their assignment if they return before that).
 *
 * Caveats: brokers do not host group coordinators (a broker failure never affects groups); a
 * consumer reads from the partition leader only; a keyless record goes to the partitioner's choice
 * for its topic even if that partition is offline (it waits there).
 *
 * Where things live: this file keeps the loop (one step after another), the dispatch of each step
 * kind, the simulated clock with the brokers' log tasks, and the trace bookkeeping (who wrote each
 * record, which events are new since the last step). The steps themselves, by Kafka component:
 * producers ./produce-step.ts, transactions ./transaction-steps.ts, consumers and group members
 * ./consumer-steps.ts (commits ./commit-steps.ts), brokers and replication ./broker-steps.ts, the
 * retention check and the log cleaner ./log-tasks.ts, share groups ./share-steps.ts.
 *
 * Example: the YAML in ./authoring.ts.
 */
import type { Scenario, ProduceStep, StepKind, Step } from './authoring.ts';
import type { RecordView, ConsumedRecord, TraceEvent, RunOptions, ScenarioResult } from './trace.ts';
import { ScenarioError, stepKind, checkScenarioReferences, formatPath } from './references.ts';
import type { ConsumerSlot, ProducerSlot, StepLog, GroupSlot, RunView } from './run-state.ts';
import { ScenarioViews } from './snapshot.ts';
import { narrateEvents, focusOf, describeSetup } from './narration.ts';
import { setUpRun } from './setup.ts';
import { TransactionSteps } from './transaction-steps.ts';
import { runProduceStep } from './produce-step.ts';
import { commitOnRevoke } from './commit-steps.ts';
import { runConsumerStep } from './consumer-steps.ts';
import { runBrokerStep } from './broker-steps.ts';
import { runLogTask, DEFAULT_LOG_RETENTION_CHECK_INTERVAL_MS, DEFAULT_LOG_CLEANER_BACKOFF_MS } from './log-tasks.ts';
import { ShareSteps } from './share-steps.ts';
import type { ShareGroupView } from './share-trace.ts';
import { Cluster } from '../cluster/cluster.ts';
import type { ProducerClusterEvent } from '../producer/sender.ts';
import type { ProducerEvent } from '../producer/producer-config.ts';
import type { ConsumerEvent, ConsumerRecord, FetchablePartition } from '../consumer/consumer.ts';
import type { GroupEvent } from '../group/group-types.ts';
import type { LogConfig } from '../log/log-config.ts';
import { tpKey } from '../common/notation.ts';
import type { LogRecord, TopicPartition } from '../common/record.ts';
import type { PartitionReplication } from '../replication/partition-replication.ts';

const DEFAULT_RECORD_LIMIT = 200;

class ScenarioRun implements RunView {
  readonly cluster: Cluster<ProducerEvent>;
  readonly topicConfigs: ReadonlyMap<string, Partial<LogConfig>>;
  readonly producers: ReadonlyMap<string, ProducerSlot>;
  readonly groups: ReadonlyMap<string, GroupSlot>;
  readonly consumers: ReadonlyMap<string, ConsumerSlot>;
  private readonly clientOfRequest = new Map<number, string>();
  /** `${tpKey}@${offset}@${leaderEpoch}` → producer id */
  private readonly writer = new Map<string, string>();
  private readonly clusterEvents: ProducerClusterEvent[] = [];
  /** group and consumer events in one array, so their order is kept */
  readonly memberEvents: (GroupEvent | ConsumerEvent)[] = [];
  readonly recordLimit: number;
  readonly keepHistory: boolean;
  readonly detailed: boolean;
  private nextRetentionMs: number;
  private nextCleanerMs: number;
  private readonly retentionIntervalMs: number;
  private readonly cleanerIntervalMs: number;
  totals = { produced: 0, received: 0, processed: 0 };
  /** snapshots and final state, read from this run */
  readonly views: ScenarioViews = new ScenarioViews(this);
  /** transactions (KIP-98), when some producer has a transactionalId */
  readonly transactions: TransactionSteps | null = null;
  /** share groups (KIP-932), when the scenario declares some */
  readonly shares: ShareSteps | null = null;

  constructor(
    readonly scenario: Scenario,
    options: RunOptions,
  ) {
    this.recordLimit = options.recordLimit ?? DEFAULT_RECORD_LIMIT;
    this.keepHistory = options.keepHistory ?? true;
    this.detailed = (options.trace ?? 'full') === 'full';
    const settings = scenario.cluster ?? {};
    this.retentionIntervalMs = settings.logRetentionCheckIntervalMs ?? DEFAULT_LOG_RETENTION_CHECK_INTERVAL_MS;
    this.cleanerIntervalMs = settings.logCleanerBackoffMs ?? DEFAULT_LOG_CLEANER_BACKOFF_MS;
    this.nextRetentionMs = this.retentionIntervalMs;
    this.nextCleanerMs = this.cleanerIntervalMs;
    const built = setUpRun(scenario, {
      memberEvents: this.memberEvents,
      onClusterEvent: (e) => this.onClusterEvent(e),
      partitionsPerTopic: () => this.partitionsPerTopic(),
      fetchable: (tp) => this.fetchable(tp),
      onPartitionsRevoked: (name, nowMs, tps) => {
        const line = commitOnRevoke(this.consumers.get(name)!, nowMs, tps);
        if (line) this.logLines.push(line);
      },
    });
    this.cluster = built.cluster;
    this.topicConfigs = built.topicConfigs;
    this.producers = built.producers;
    this.groups = built.groups;
    this.consumers = built.consumers;
    if ((scenario.producers ?? []).some((p) => p.config?.transactionalId !== undefined)) {
      this.transactions = new TransactionSteps(this);
      this.transactions.attach(this.producers);
    }
    if ((scenario.shareGroups ?? []).length > 0) this.shares = new ShareSteps(this, scenario);
  }

  /** RunView: the share groups' views, or null without share groups */
  shareGroupViews(): ShareGroupView[] | null {
    return this.shares ? this.shares.view() : null;
  }

  /** RunView: the partition's transactions, or null without transactional producers */
  transactionsOf(tp: TopicPartition): ReturnType<TransactionSteps['transactionsOf']> {
    return this.transactions ? this.transactions.transactionsOf(tp) : null;
  }

  /** remember the writer of a record the runner did not send through a produce request (a marker) */
  attribute(tp: TopicPartition, offset: number, leaderEpoch: number, producer: string): void {
    if (this.attribute_) this.writer.set(`${tpKey(tp)}@${offset}@${leaderEpoch}`, producer);
  }

  get nowMs(): number {
    return this.cluster.nowMs;
  }

  private partitionsPerTopic(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const t of this.cluster.topics()) out[t] = this.cluster.topicPartitions(t).length;
    return out;
  }

  private fetchable(tp: TopicPartition): FetchablePartition | undefined {
    let p: PartitionReplication;
    try {
      p = this.cluster.partition(tp);
    } catch {
      return undefined;
    }
    const leader = p.leaderReplica();
    if (!leader) {
      // offline: the fetch gets LEADER_NOT_AVAILABLE and tries again later; nothing to read
      return { logStartOffset: 0, logEndOffset: Number.MAX_SAFE_INTEGER, highWatermark: 0, read: () => [] };
    }
    const tx = this.transactions?.transactionsOf(tp) ?? null;
    return {
      logStartOffset: leader.log.logStartOffset,
      logEndOffset: leader.log.logEndOffset,
      highWatermark: leader.log.highWatermark,
      read: (from, to) => {
        const r = to > from ? leader.log.read(from, to - from) : null;
        return r && r.ok ? r.records.filter((x) => x.offset < to) : [];
      },
      ...(tx ? { lastStableOffset: tx.lastStableOffset, abortedOffsets: tx.abortedOffsets } : {}),
    };
  }

  private onClusterEvent(e: ProducerClusterEvent): void {
    if (this.detailed) this.clusterEvents.push(e);
    if (!this.attribute_) return;
    if (e.type === 'produce-request' && e.clientId !== undefined) this.clientOfRequest.set(e.requestId, e.clientId);
    else if (e.type === 'append') {
      const client = this.clientOfRequest.get(e.requestId);
      if (client !== undefined) {
        const key = tpKey(e);
        for (let o = e.baseOffset; o <= e.lastOffset; o++) this.writer.set(`${key}@${o}@${e.leaderEpoch}`, client);
        this.clientOfRequest.delete(e.requestId);
      }
    }
  }

  /** who wrote each record is tracked unless the run keeps neither a trace nor histories (benchmarks) */
  private get attribute_(): boolean {
    return this.detailed || this.keepHistory;
  }

  private producerOf(tp: TopicPartition, r: LogRecord): string | null {
    if (!this.attribute_) return null;
    return this.writer.get(`${tpKey(tp)}@${r.offset}@${r.leaderEpoch ?? 0}`) ?? null;
  }

  recordView(tp: TopicPartition, r: LogRecord): RecordView {
    const v: RecordView = {
      offset: r.offset,
      key: r.key,
      value: r.value,
      timestamp: r.timestamp,
      producer: this.producerOf(tp, r),
      leaderEpoch: r.leaderEpoch ?? null,
    };
    if (r.controlType !== undefined) v.control = r.controlType;
    else if (r.isTransactional) {
      const tx = this.transactionsOf(tp);
      v.txn = tx?.abortedOffsets.has(r.offset) ? 'aborted' : tx?.openOffsets.has(r.offset) ? 'open' : 'committed';
    }
    return v;
  }

  /** ConsumerRun: a record poll() returned, as the trace shows it */
  consumed(r: ConsumerRecord): ConsumedRecord {
    return { topic: r.topic, partition: r.partition, offset: r.offset, key: r.key, value: r.value, producer: this.producerOf(r, r) };
  }

  // ---- time ----

  /** let `ms` pass: the cluster's clock, the brokers' log tasks when they fall due, the groups' clocks */
  advance(ms: number): void {
    const target = this.nowMs + ms;
    for (;;) {
      const next = Math.min(this.nextRetentionMs, this.nextCleanerMs);
      if (next > target) break;
      if (next > this.nowMs) this.cluster.advanceTime(next - this.nowMs);
      if (this.nextRetentionMs <= this.nowMs) {
        runLogTask(this.cluster, 'retention', this.nowMs, this.logLines);
        this.nextRetentionMs += this.retentionIntervalMs;
      }
      if (this.nextCleanerMs <= this.nowMs) {
        runLogTask(this.cluster, 'cleaner', this.nowMs, this.logLines);
        this.nextCleanerMs += this.cleanerIntervalMs;
      }
    }
    if (target > this.nowMs || ms === 0) this.cluster.advanceTime(target - this.nowMs);
    for (const g of this.groups.values()) g.group.advanceTo(this.nowMs);
    this.shares?.advanceTo(this.nowMs);
  }

  private logLines: string[] = [];

  // ---- steps ----

  runStep(step: Step, index: number): { kind: StepKind; description: string; log: StepLog } {
    const kind = stepKind(step, index);
    const log: StepLog = { happened: [], received: [], processed: [], callbacks: [], error: null };
    const path = `steps[${index}].${kind}`;
    const body = (step as Record<string, unknown>)[kind] as never;
    let description: string;
    switch (kind) {
      case 'produce':
        description = runProduceStep(this, body as ProduceStep, path, log);
        break;
      case 'poll':
      case 'process':
      case 'commit':
        description = runConsumerStep(this, kind, body, path, log);
        break;
      case 'initTransactions':
      case 'beginTransaction':
      case 'sendOffsetsToTransaction':
      case 'commitTransaction':
      case 'abortTransaction':
        if (!this.transactions) throw new ScenarioError(path, 'no producer of this scenario has a transactionalId');
        description = this.transactions.step(kind, body as { producer: string }, path, log);
        break;
      case 'crash':
      case 'restart':
      case 'join':
      case 'leave':
        description = runConsumerStep(this, kind, body, path, log);
        break;
      case 'brokerDown':
      case 'pauseFetching':
      case 'resumeFetching':
      case 'fetch':
      case 'brokerUp':
        description = runBrokerStep(this, kind, body);
        break;
      case 'advanceTime': {
        const ms = (body as { ms: number }).ms;
        this.advance(ms);
        description = `${ms} ms pass`;
        break;
      }
      case 'addPartitions':
        description = runBrokerStep(this, kind, body);
        break;
      case 'note':
        description = body as string;
        break;
      case 'sharePoll':
      case 'acknowledge':
      case 'shareCommit':
      case 'shareClose':
      case 'shareCrash':
        if (!this.shares) throw new ScenarioError(path, 'this scenario declares no shareGroups');
        description = this.shares.step(kind, body as Record<string, unknown>, path, log);
        break;
    }
    for (const g of this.groups.values()) g.group.advanceTo(this.nowMs);
    this.transactions?.afterStep(log);
    this.shares?.afterStep(log);
    return { kind, description, log };
  }

  /** ids of consumers whose process runs now, in declaration order */
  runningConsumers(): string[] {
    return [...this.consumers.values()].filter((s) => (this.syncStatus(s), s.status === 'running')).map((s) => s.spec.id);
  }

  syncStatus(s: ConsumerSlot): void {
    if (s.status === 'running' && !s.group.isAlive(s.spec.id)) s.status = 'fenced';
  }

  // ---- what happened (from the engines' own events) ----

  private seen = { cluster: 0, member: 0 };

  collect(log: StepLog): void {
    const clusterNew = this.clusterEvents.slice(this.seen.cluster);
    const memberNew = this.memberEvents.slice(this.seen.member);
    this.seen = { cluster: this.clusterEvents.length, member: this.memberEvents.length };
    narrateEvents(clusterNew, memberNew, log);
    log.happened.push(...this.logLines);
    this.logLines = [];
    // an auto-commit in poll() and another in onJoinPrepare at the same instant read as one line
    log.happened = log.happened.filter((line, i, all) => i === 0 || line !== all[i - 1]);
  }
}

/**
 * Play a scenario out on the simulated clock.
 *
 * The rule: event 0 is the state after setup (brokers up, topics created, nothing running); then
 * one event per step, in order, each with a full snapshot after the step. Same scenario (and
 * options) → byte-identical `JSON.stringify(trace)`.
 *
 * Example: the YAML at the top of this file gives 9 events. Event 4 (advanceTime 3000, the
 * initial rebalance delay) shows generation 1, C0: [t0p0, t0p1], C1: [t0p2, t0p3]; event 7
 * (advanceTime 45000) has `happened` ["g1: C1 removed (session-timeout)", "g1: rebalance starts
 * (…)"]; event 8 (C0's poll) shows C0 revoking, then generation 2 with C0: [t0p0 … t0p3].
 *
 * @param scenario a scenario (validate authored files with content/schema/scenario.ts first)
 * @param options trace "full" (default) or "none"; recordLimit (200); keepHistory (true)
 * @returns the trace and the final state with complete histories
 * @throws ScenarioError naming the step (`steps[3].poll`) when a step cannot run (an unknown
 *   consumer, a consumer that is not running, a reference problem found by checkScenarioReferences)
 */
export function runScenario(scenario: Scenario, options: RunOptions = {}): ScenarioResult {
  const problems = checkScenarioReferences(scenario);
  if (problems.length) {
    const p = problems[0];
    throw new ScenarioError(formatPath(p.path), `${p.message}: expected ${p.expected}, received ${JSON.stringify(p.received)}`);
  }
  const run = new ScenarioRun(scenario, options);
  const full = (options.trace ?? 'full') === 'full';
  const trace: TraceEvent[] = [];
  let narration: string | null = null;
  if (full) {
    const log: StepLog = { happened: [], received: [], processed: [], callbacks: [], error: null };
    run.collect(log);
    trace.push({
      index: 0,
      step: null,
      kind: 'start',
      timeMs: run.nowMs,
      description: describeSetup(scenario),
      focus: focusOf(null, []),
      narration,
      happened: log.happened,
      received: [],
      processed: [],
      deliveries: [],
      callbacks: [],
      error: null,
      snapshot: run.views.snapshot(),
    });
  }
  scenario.steps.forEach((step, i) => {
    let result: ReturnType<ScenarioRun['runStep']>;
    try {
      result = run.runStep(step, i);
    } catch (e) {
      if (e instanceof ScenarioError) throw e;
      throw new ScenarioError(`steps[${i}]`, `${(e as Error).name}: ${(e as Error).message}`);
    }
    if (!full) return;
    if (result.kind === 'note') narration = result.description;
    run.collect(result.log);
    trace.push({
      index: trace.length,
      step: i,
      kind: result.kind,
      timeMs: run.nowMs,
      description: result.description,
      focus: focusOf(step, run.runningConsumers()),
      narration,
      happened: result.log.happened,
      received: result.log.received,
      processed: result.log.processed,
      deliveries: run.views.deliveryChanges(),
      callbacks: result.log.callbacks,
      error: result.log.error,
      snapshot: run.views.snapshot(),
    });
  });
  return { trace, state: run.views.state() };
}
