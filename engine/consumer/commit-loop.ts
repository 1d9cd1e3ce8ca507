/**
 * A consumer group's poll loops, with the application's commit decisions plugged in: the simulation
 * behind the `commit-logic` checkpoint. The engine runs the group (polls, fetches, rebalances,
 * crashes, a slow batch, failing commits) and asks {@link CommitDecisions} at each decision point what
 * to commit; it records a trace and checks the delivery guarantees on the way (./commit-loop-checks.ts).
 *
 * The rule (eager rebalancing, the range assignor, auto-commit off, auto.offset.reset=earliest):
 *   1. poll(): a member that was removed from the group (it took longer than max.poll.interval.ms)
 *      finds out, loses its partitions (no onPartitionsRevoked: Kafka calls onPartitionsLost) and
 *      joins again as a new member. A member that must rejoin a rebalance first waits for its worker,
 *      then calls onPartitionsRevoked(everything it owns) — a commit returned there is commitSync —
 *      and rejoins. The join phase ends when every member has rejoined; then range hands out the
 *      partitions (members by memberId) and the member whose rejoin completed it fetches at once.
 *      A poll that (re)starts a process only joins.
 *   2. Fetch: owned partitions in turn, starting one further each poll (KafkaConsumer's fairness),
 *      from position (first: the committed offset, else 0), up to max.poll.records.
 *   3. onBatch(records) → commit? (commitAsync, now, before any processing), handOff?. Without
 *      handOff the loop processes the batch at once, then calls onProcessed(records) → commit?
 *      (commitAsync). With handOff the batch joins the member's worker queue; the worker processes
 *      a batch when the schedule says so (`work`) and before a rebalance or close, then onProcessed.
 *   4. A commit fails with RetriableCommitFailedException when the schedule armed `failNextCommit`
 *      (async commits only; commitSync retries those), and with CommitFailedException while the member
 *      has been removed from the group. onCommitFailed(error) hears of it at once.
 *   5. Faults from the schedule: `crash` (the process dies: state, worker queue and positions are
 *      gone; the coordinator removes it after session.timeout.ms — at once here); `poll` with
 *      `crashAfter: k` (dies after processing k records of the batch); `slowNextBatch` (the next
 *      batch processed in the loop takes longer than max.poll.interval.ms: the member is removed
 *      while it works, and the commit after it fails). A member polled for the first time joins.
 *   6. After the schedule: no more faults; crashed members start again; every member polls and
 *      drains its worker until nothing is left, then closes (onPartitionsRevoked, commitSync, leave).
 *
 * Example: t0 with 2 partitions of 3 records, C0 alone, max.poll.records 3, a learner who commits
 * `r.offset + 1` in onProcessed. Schedule [poll C0, poll C0 crashAfter 1]: C0 polls t0p0@0..2,
 * processes them, commits t0-0=3; then polls t0p1@0..2, processes t0p1@0 and dies. Restarted, C0
 * reads t0p1 from committed 0: t0p1@0 is processed twice — allowed, it came after the last commit.
 *
 * Caveats: commits complete at once (no commit is in flight when something else happens); one
 * topic, one group; processing order between a worker batch and an in-loop batch of the same member
 * is whatever the application does (the replay, ./commit-loop-replay.ts, processes in arrival order).
 *
 * Source: KafkaConsumer (poll, commitSync, commitAsync), ConsumerRebalanceListener,
 * OffsetCommitCallback, CommitFailedException, RetriableCommitFailedException, ConsumerCoordinator
 * (onJoinPrepare, maybeLeaveGroup on poll timeout); KIP-62 (max.poll.interval.ms). The group side
 * (membership, the join phase, range assignment, ownership over time) is ./commit-loop-group.ts.
 */
import type { TopicPartition } from '../common/record.ts';
import { CommitLoopError, LoopGroup } from './commit-loop-group.ts';
import type { LoopMember as Member } from './commit-loop-group.ts';
import { checkCommit, checkEnd, checkProcessed, type CheckView } from './commit-loop-checks.ts';
import type {
  Anomaly,
  CommitDecisions,
  CommitError,
  CommitLoopResult,
  CommitLoopWorld,
  LoopOp,
  LoopRecord,
  OffsetMap,
} from './commit-loop-types.ts';

export { CommitLoopError } from './commit-loop-group.ts';

/** The most poll rounds of the final drain; a correct application needs far fewer. */
const MAX_FINAL_ROUNDS = 100;

/** The poll loops on top of the group (./commit-loop-group.ts): fetch, process, commit, faults. */
class LoopRun extends LoopGroup implements CheckView {
  readonly committed: (number | null)[];
  readonly processedBy: { member: string; incarnation: number; zombie: boolean; event: number }[][][];
  calls = 0;
  /** every anomaly found, in order; the run goes on after one, so a replay shows what it led to */
  readonly anomalies: Anomaly[] = [];

  get anomaly(): Anomaly | null {
    return this.anomalies[0] ?? null;
  }

  private found(a: Anomaly | null): void {
    if (a && !this.anomalies.some((x) => x.kind === a.kind && x.message === a.message)) this.anomalies.push(a);
  }

  constructor(
    world: CommitLoopWorld,
    private readonly decisions: CommitDecisions,
  ) {
    super(world);
    this.committed = Array.from({ length: world.recordsPerPartition.length }, () => null);
    this.processedBy = world.recordsPerPartition.map((count) => Array.from({ length: count }, () => []));
  }

  record(partition: number, offset: number): LoopRecord {
    return { topic: this.world.topic, partition, offset, key: null, value: `event-${offset}` };
  }

  tp(partition: number): TopicPartition {
    return { topic: this.world.topic, partition };
  }

  // ---- decisions ----

  private call<T>(f: () => T): T {
    this.calls++;
    return f();
  }

  private commit(
    m: Member,
    offsets: OffsetMap | undefined,
    mode: 'async' | 'sync',
    from: 'onBatch' | 'onProcessed' | 'onPartitionsRevoked',
  ): void {
    if (!offsets) return;
    const keys = Object.keys(offsets);
    if (keys.length === 0) return;
    const byPartition: Record<number, number> = {};
    for (const k of keys) {
      const p = this.partitionOfKey(k);
      byPartition[p] = offsets[k].offset;
    }
    let error: CommitError['name'] | null = null;
    if (m.lostPending || m.memberId === null) error = 'CommitFailedException';
    else if (mode === 'async' && m.failNext) {
      m.failNext = false;
      error = 'RetriableCommitFailedException';
    }
    const event = this.emit({ type: 'commit', member: m.name, mode, from, offsets: byPartition, error });
    if (error === null) {
      this.found(checkCommit(this, m.name, m.incarnation, byPartition, event, from));
      for (const [p, o] of Object.entries(byPartition)) this.committed[Number(p)] = o;
      return;
    }
    const failed: OffsetMap = {};
    for (const k of keys) failed[k] = { offset: offsets[k].offset };
    const message =
      error === 'CommitFailedException'
        ? 'Commit cannot be completed since the group has already rebalanced and assigned the partitions to another member. ' +
          'The time between subsequent calls to poll() was longer than max.poll.interval.ms.'
        : 'Offset commit failed with a retriable exception. You should retry committing the latest consumed offsets.';
    const r = this.call(() => this.decisions.onCommitFailed(m.name, m.state, { name: error, message, offsets: failed }));
    m.state = r.state;
  }

  private partitionOfKey(key: string): number {
    const prefix = `${this.world.topic}-`;
    const digits = key.startsWith(prefix) ? key.slice(prefix.length) : '';
    const p = /^\d+$/.test(digits) ? Number(digits) : NaN;
    if (!(p >= 0 && p < this.partitions))
      throw new CommitLoopError(`commit names ${JSON.stringify(key)}, which is not a partition of ${this.world.topic}`);
    return p;
  }

  private process(m: Member, records: LoopRecord[], by: 'loop' | 'worker', crashAfter: number | undefined, slow: boolean): boolean {
    const n = crashAfter !== undefined && crashAfter < records.length ? crashAfter : records.length;
    const done = records.slice(0, n);
    const event = this.emit({
      type: 'process',
      member: m.name,
      by,
      records: done.map((r) => ({ partition: r.partition, offset: r.offset })),
      slow: slow && n === records.length,
    });
    const zombie = !this.inGroup(m);
    for (const r of done) {
      const list = this.processedBy[r.partition][r.offset];
      this.found(checkProcessed(this, m.name, m.incarnation, zombie, r.partition, r.offset, event));
      list.push({ member: m.name, incarnation: m.incarnation, zombie, event });
    }
    if (n < records.length) {
      this.crash(m, n);
      return false;
    }
    return true;
  }

  private drainWorker(m: Member): void {
    while (m.worker.length && m.status === 'running') this.work(m, undefined);
  }

  private work(m: Member, crashAfter: number | undefined): void {
    const batch = m.worker.shift();
    if (!batch) return;
    if (!this.process(m, batch, 'worker', crashAfter, false)) return;
    const r = this.call(() => this.decisions.onProcessed(m.name, m.state, batch));
    m.state = r.state;
    this.commit(m, r.commit, 'async', 'onProcessed');
  }

  crash(m: Member, afterRecords: number | null): void {
    this.emit({ type: 'crash', member: m.name, afterRecords });
    this.endOwnership(m, 'crashed');
    const wasInGroup = this.inGroup(m);
    m.status = 'crashed';
    m.owned = [];
    m.positions.clear();
    m.worker = [];
    m.state = {};
    m.failNext = false;
    m.slowNext = false;
    if (wasInGroup) {
      this.removeFromGroup(m);
      m.memberId = null;
      this.maybeCompleteJoin();
    }
    m.memberId = null;
  }

  private revoke(m: Member): void {
    this.drainWorker(m);
    if (m.status !== 'running') return;
    if (m.owned.length) {
      const partitions = m.owned.map((p) => this.tp(p));
      this.emit({ type: 'revoke', member: m.name, partitions: [...m.owned] });
      const r = this.call(() => this.decisions.onPartitionsRevoked(m.name, m.state, partitions));
      m.state = r.state;
      this.commit(m, r.commit, 'sync', 'onPartitionsRevoked');
      this.endOwnership(m, 'revoked');
    }
    m.owned = [];
    m.positions.clear();
  }

  poll(m: Member, crashAfter: number | undefined): void {
    if (m.status === 'not-started' || m.status === 'crashed' || m.status === 'closed') {
      const restart = m.status !== 'not-started';
      m.status = 'running';
      m.incarnation++;
      m.state = {};
      m.worker = [];
      m.positions.clear();
      const emptyGroup = this.joinAsNew(m);
      this.emit({ type: 'join', member: m.name, memberId: m.memberId!, restart, emptyGroup });
      this.maybeCompleteJoin();
      return;
    }
    let rejoined = false;
    if (m.lostPending) {
      this.drainWorker(m);
      if (m.status !== 'running') return;
      const lost = [...m.owned];
      m.owned = [];
      m.positions.clear();
      const emptyGroup = this.joinAsNew(m);
      this.emit({ type: 'rejoin-after-removal', member: m.name, memberId: m.memberId!, lost, emptyGroup });
      this.maybeCompleteJoin();
      return;
    }
    if (m.rejoinNeeded) {
      this.revoke(m);
      if (m.status !== 'running') return;
      m.rejoinNeeded = false;
      m.joined = true;
      rejoined = true;
      this.maybeCompleteJoin();
    }
    const records = this.fetch(m);
    this.emit({ type: 'poll', member: m.name, records: records.map((r) => ({ partition: r.partition, offset: r.offset })), rejoined });
    if (records.length === 0) return;
    const b = this.call(() => this.decisions.onBatch(m.name, m.state, records));
    m.state = b.state;
    if (b.handOff === true) {
      // handed to the worker first; a commit returned with it is sent right after the hand-off
      m.worker.push(records);
      this.emit({ type: 'hand-off', member: m.name, records: records.map((r) => ({ partition: r.partition, offset: r.offset })) });
      this.commit(m, b.commit, 'async', 'onBatch');
      return;
    }
    this.commit(m, b.commit, 'async', 'onBatch');
    const slow = m.slowNext;
    m.slowNext = false;
    if (!this.process(m, records, 'loop', crashAfter, slow)) return;
    if (slow) {
      // the batch outlasted max.poll.interval.ms: the consumer's heartbeat thread sends LeaveGroup
      this.emit({ type: 'removed', member: m.name });
      this.endOwnership(m, 'removed');
      this.removeFromGroup(m);
      m.lostPending = true;
      this.maybeCompleteJoin();
    }
    const r = this.call(() => this.decisions.onProcessed(m.name, m.state, records));
    m.state = r.state;
    this.commit(m, r.commit, 'async', 'onProcessed');
  }

  private fetch(m: Member): LoopRecord[] {
    const owned = [...m.owned].sort((a, b) => a - b);
    const out: LoopRecord[] = [];
    if (owned.length === 0 || !this.inGroup(m)) return out;
    for (const p of owned) if (!m.positions.has(p)) m.positions.set(p, this.committed[p] ?? 0);
    const start = m.rotate % owned.length;
    m.rotate++;
    for (let i = 0; i < owned.length && out.length < this.world.maxPollRecords; i++) {
      const p = owned[(start + i) % owned.length];
      const pos = m.positions.get(p)!;
      const end = this.world.recordsPerPartition[p];
      if (pos >= end) continue;
      const take = Math.min(end - pos, this.world.maxPollRecords - out.length);
      for (let o = pos; o < pos + take; o++) out.push(this.record(p, o));
      m.positions.set(p, pos + take);
    }
    return out;
  }

  close(m: Member): void {
    if (m.status !== 'running') return;
    if (this.inGroup(m)) this.revoke(m);
    else this.drainWorker(m);
    if (m.status !== 'running') return;
    this.emit({ type: 'close', member: m.name });
    const wasMember = this.inGroup(m);
    m.status = 'closed';
    if (wasMember) {
      this.removeFromGroup(m);
      m.memberId = null;
      this.maybeCompleteJoin();
    }
    m.memberId = null;
    m.owned = [];
  }

  runOp(op: LoopOp): void {
    if ('poll' in op) this.poll(this.member(op.poll), op.crashAfter);
    else if ('work' in op) {
      const m = this.member(op.work);
      if (m.status === 'running') this.work(m, op.crashAfter);
    } else if ('crash' in op) {
      const m = this.member(op.crash);
      if (m.status === 'running') this.crash(m, null);
    } else if ('failNextCommit' in op) {
      const m = this.member(op.failNextCommit);
      if (m.status === 'running' && !m.failNext) {
        m.failNext = true;
        this.emit({ type: 'armed', member: m.name, fault: 'failNextCommit' });
      }
    } else if ('slowNextBatch' in op) {
      const m = this.member(op.slowNextBatch);
      if (m.status === 'running' && !m.slowNext) {
        m.slowNext = true;
        this.emit({ type: 'armed', member: m.name, fault: 'slowNextBatch' });
      }
    } else throw new CommitLoopError(`Unknown schedule step ${JSON.stringify(op)}`);
  }

  /** Every consumer polls and drains its worker until nothing changes, then closes. */
  finish(): void {
    this.emit({ type: 'final-phase' });
    for (const m of this.members.values()) {
      m.failNext = false;
      m.slowNext = false;
    }
    const everyone = [...this.members.values()].filter((m) => m.status !== 'not-started');
    for (let round = 0; round < MAX_FINAL_ROUNDS; round++) {
      const before = this.events.length;
      let progress = false;
      for (const m of everyone) {
        const wasFetching = m.status === 'running' && this.inGroup(m) && !m.rejoinNeeded;
        this.poll(m, undefined);
        const last = this.events.at(-1);
        if (!wasFetching || (last?.type === 'poll' && last.records.length > 0) || this.events.length > before + 1) progress = true;
        this.drainWorker(m);
      }
      const settled = !this.rebalancing && everyone.every((m) => this.inGroup(m) && !m.rejoinNeeded && m.worker.length === 0);
      const caughtUp = everyone.every((m) =>
        m.owned.every((p) => (m.positions.get(p) ?? this.committed[p] ?? 0) >= this.world.recordsPerPartition[p]),
      );
      if (settled && caughtUp && !progress) break;
      if (settled && caughtUp && this.events.slice(before).every((e) => e.type === 'poll' && e.records.length === 0)) break;
    }
    for (const m of everyone) this.close(m);
    for (const a of checkEnd(this)) this.found(a);
  }
}

/**
 * Run a consumer group's poll loops over a fault schedule, with the application's decisions.
 * Deterministic: the same world, schedule and decisions give the same events.
 * @param world the topic, the consumers and max.poll.records
 * @param schedule the fault schedule, played in order, then the final drain
 * @param decisions the application's commit decisions (may throw; the error propagates)
 * @returns the events, the first anomaly (or null), the committed offsets and processing counts
 * @throws CommitLoopError for a schedule naming an unknown member or a commit naming an unknown partition
 */
export function runCommitLoop(world: CommitLoopWorld, schedule: readonly LoopOp[], decisions: CommitDecisions): CommitLoopResult {
  if (world.initialMembers < 1 || world.initialMembers > world.members.length) {
    throw new CommitLoopError(`Expected initialMembers in 1..${world.members.length}, got ${world.initialMembers}`);
  }
  const run = new LoopRun(world, decisions);
  run.setUp();
  for (let i = 0; i < schedule.length; i++) {
    run.op = i;
    run.runOp(schedule[i]);
  }
  run.op = schedule.length;
  run.finish();
  return {
    events: run.events,
    anomaly: run.anomaly,
    anomalies: [...run.anomalies],
    committed: [...run.committed],
    processedCount: run.processedBy.map((list) => list.map((who) => who.length)),
    calls: run.calls,
  };
}
