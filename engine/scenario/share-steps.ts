/**
 * The share-group steps of a scenario (KIP-932): sharePoll, acknowledge, shareCommit, shareClose,
 * shareCrash, the share groups' clocks (lock and session timeouts) while time moves, the lines
 * they add to `happened`, and the share groups' snapshot view (./share-trace.ts).
 *
 * The rules are the engine's (../share/share-group.ts, ../share/share-partition.ts): a share
 * consumer joins on its first poll; the simple assignor may give a partition to several members;
 * each poll acquires records under a lock (30000 ms); a record released or timed out on its fifth
 * delivery is archived.
 *
 * Example (YAML):
 * ```yaml
 * shareGroups: [{ id: sg1, autoOffsetReset: earliest }]
 * shareConsumers:
 *   - { id: C0, group: sg1, topics: [t0], config: { shareAcknowledgementMode: explicit } }
 * steps:
 *   - sharePoll: { consumer: C0 }                       # joins sg1, acquires what is there
 *   - acknowledge: { consumer: C0, type: release, offsets: { "t0-0": [2] } }
 *   - acknowledge: { consumer: C0, type: accept }       # every other record of that poll
 *   - shareCommit: { consumer: C0 }                     # sends them
 * ```
 */
import type { Scenario, AcknowledgeStep, ShareConsumerSpec } from './authoring.ts';
import type { StepLog } from './run-state.ts';
import type { ConsumedRecord, RecordView } from './trace.ts';
import type { ShareGroupView, ShareRecordView } from './share-trace.ts';
import { ScenarioError } from './references.ts';
import type { Cluster } from '../cluster/cluster.ts';
import type { ProducerEvent } from '../producer/producer-config.ts';
import { ShareGroup, ShareConsumer, ShareConsumerError } from '../share/share-group.ts';
import type { ShareGroupEvent, AckResult, ShareDelivery } from '../share/share-group.ts';
import type { SharePartitionEvent, ShareLogView } from '../share/share-partition.ts';
import { defaultShareGroupConfig } from '../share/share-config.ts';
import { membersByPartition } from '../share/simple-assignor.ts';
import { parseTpKey, partitionLabel, tpKey, formatList, compareTp, plural } from '../common/notation.ts';
import type { LogRecord, TopicPartition } from '../common/record.ts';

/** What the share steps read of the run. */
export interface ShareRunHooks {
  readonly cluster: Cluster<ProducerEvent>;
  readonly nowMs: number;
  readonly recordLimit: number;
  readonly detailed: boolean;
  recordView(tp: TopicPartition, r: LogRecord): RecordView;
}

type ShareStepKind = 'sharePoll' | 'acknowledge' | 'shareCommit' | 'shareClose' | 'shareCrash';

interface ShareSlot {
  spec: ShareConsumerSpec;
  consumer: ShareConsumer;
  status: 'not-started' | 'running' | 'crashed' | 'closed';
  received: ConsumedRecord[];
}

export class ShareSteps {
  readonly groups = new Map<string, ShareGroup>();
  readonly slots = new Map<string, ShareSlot>();
  private events: (ShareGroupEvent | SharePartitionEvent)[] = [];
  /** tpKey → offset → the terminal state a record ended in (kept after the start offset passes it) */
  private readonly settled = new Map<string, Map<number, { state: 'acknowledged' | 'archived'; deliveryCount: number }>>();
  /** tpKey → the first start offset the group used */
  private readonly firstOffset = new Map<string, number>();

  constructor(
    private readonly run: ShareRunHooks,
    scenario: Scenario,
  ) {
    for (const g of scenario.shareGroups ?? []) {
      const config = defaultShareGroupConfig({
        recordLockDurationMs: g.recordLockDurationMs,
        deliveryCountLimit: g.deliveryCountLimit,
        autoOffsetReset: g.autoOffsetReset,
        sessionTimeoutMs: g.sessionTimeoutMs,
      });
      const key = (tp: TopicPartition) => `${g.id}/${tpKey(tp)}`;
      this.groups.set(
        g.id,
        new ShareGroup(
          g.id,
          config,
          () => Object.fromEntries(run.cluster.topics().map((t) => [t, run.cluster.topicPartitions(t).length])),
          (tp) => this.logView(tp),
          (e) => {
            this.events.push(e);
            if (e.type === 'start-offset-initialized' && !this.firstOffset.has(key(e.tp))) this.firstOffset.set(key(e.tp), e.startOffset);
            if ((e.type === 'acknowledged' || e.type === 'lock-expired') && (e.state === 'acknowledged' || e.state === 'archived')) {
              const k = key(e.tp);
              if (!this.settled.has(k)) this.settled.set(k, new Map());
              this.settled.get(k)!.set(e.offset, { state: e.state, deliveryCount: e.deliveryCount });
            }
          },
        ),
      );
    }
    for (const c of scenario.shareConsumers ?? []) {
      const consumer = new ShareConsumer(
        c.id,
        this.groups.get(c.group)!,
        c.topics,
        c.config?.shareAcknowledgementMode,
        c.config?.maxPollRecords,
      );
      this.slots.set(c.id, { spec: c, consumer, status: 'not-started', received: [] });
    }
  }

  /** the leader's log as a share partition reads it: up to the high watermark, no control records */
  private logView(tp: TopicPartition): ShareLogView {
    const cluster = this.run.cluster;
    const leaderLog = () => cluster.partition(tp).leaderReplica()?.log ?? null;
    return {
      get logStartOffset() {
        return leaderLog()?.logStartOffset ?? 0;
      },
      get highWatermark() {
        return leaderLog()?.highWatermark ?? 0;
      },
      offsets: (from, to) => this.read(tp, from, to).map((r) => r.offset),
    };
  }

  private read(tp: TopicPartition, from: number, to: number): LogRecord[] {
    const log = this.run.cluster.partition(tp).leaderReplica()?.log;
    if (!log || to <= from) return [];
    const r = log.read(Math.max(from, log.logStartOffset), to - Math.max(from, log.logStartOffset));
    return r.ok ? r.records.filter((x) => x.offset < to && x.controlType === undefined) : [];
  }

  /** the share groups' clocks: lock expiries and session timeouts up to now */
  advanceTo(nowMs: number): void {
    for (const g of this.groups.values()) g.advanceTo(nowMs);
  }

  /** play one share step; returns its description */
  step(kind: ShareStepKind, body: Record<string, unknown>, path: string, log: StepLog): string {
    const now = this.run.nowMs;
    this.advanceTo(now);
    if (kind === 'sharePoll') return this.poll(body as { consumer?: string; consumers?: string[] }, path, log);
    const s = this.slot(body.consumer as string, path);
    if (kind === 'shareCrash') {
      this.requireRunning(s, path);
      s.consumer.crash(now);
      s.status = 'crashed';
      return `${s.spec.id} crashes: it sends nothing more; its locks run out on their own and ${s.spec.group} removes it after its session timeout`;
    }
    this.requireRunning(s, path);
    if (kind === 'acknowledge') {
      const b = body as unknown as AcknowledgeStep;
      const which = b.offsets
        ? Object.entries(b.offsets).flatMap(([k, offsets]) => offsets.map((offset) => ({ ...parseTpKey(k), offset })))
        : undefined;
      let chosen: ShareDelivery[];
      try {
        chosen = s.consumer.acknowledge(b.type, which);
      } catch (e) {
        throw new ScenarioError(path, `${s.spec.id}: ${(e as Error).name}: ${(e as Error).message}`);
      }
      return `${s.spec.id} acknowledges ${describeOffsets(chosen)} as ${b.type.toUpperCase()} (sent with its next poll() or commitSync())`;
    }
    if (kind === 'shareCommit') {
      const acks = s.consumer.commitSync(now);
      this.ackLines(s.spec.id, acks);
      return `${s.spec.id} commitSync(): ${acks.length ? `sends ${acks.length} acknowledgement(s)` : 'nothing to acknowledge'}`;
    }
    const acks = s.consumer.close(now);
    this.ackLines(s.spec.id, acks);
    s.status = 'closed';
    return `${s.spec.id} closes: it releases the records it holds and leaves ${s.spec.group}`;
  }

  private poll(b: { consumer?: string; consumers?: string[] }, path: string, log: StepLog): string {
    const explicit = b.consumer !== undefined || b.consumers !== undefined;
    const names = b.consumer !== undefined ? [b.consumer] : (b.consumers ?? [...this.slots.keys()]);
    const parts: string[] = [];
    for (const name of names) {
      const s = this.slot(name, path);
      if (!explicit && (s.status === 'crashed' || s.status === 'closed')) continue;
      if (s.status === 'crashed' || s.status === 'closed') s.consumer.restart();
      s.status = 'running';
      let result: ReturnType<ShareConsumer['poll']>;
      try {
        result = s.consumer.poll(this.run.nowMs);
      } catch (e) {
        if (!(e instanceof ShareConsumerError)) throw e;
        log.error = `${name}: ${e.name}: ${e.message}`;
        parts.push(`${name}: ${e.name}`);
        continue;
      }
      this.ackLines(name, result.acks);
      const list = result.records.map((d) => this.consumed(d));
      if (this.run.detailed && list.length) log.received.push({ consumer: name, records: list.slice(0, this.run.recordLimit) });
      s.received.push(...list);
      parts.push(`${name}: ${list.length ? describeOffsets(result.records) : 'no records'}`);
    }
    return `poll() — ${parts.length ? parts.join('; ') : 'no share consumer'}`;
  }

  private consumed(d: ShareDelivery): ConsumedRecord {
    const r = this.read(d, d.offset, d.offset + 1)[0];
    const v = r ? this.run.recordView(d, r) : null;
    return {
      topic: d.topic,
      partition: d.partition,
      offset: d.offset,
      key: v?.key ?? null,
      value: v?.value ?? null,
      producer: v?.producer ?? null,
      deliveryCount: d.deliveryCount,
    };
  }

  private pendingLines: string[] = [];

  private ackLines(member: string, acks: AckResult[]): void {
    const refused = acks.filter((a) => a.state === null);
    for (const a of refused) {
      this.pendingLines.push(
        `${member}'s ${a.ack.toUpperCase()} of ${partitionLabel(a.tp)}@${a.offset} is refused (INVALID_RECORD_STATE): it no longer holds that record's lock`,
      );
    }
  }

  /** move this step's share events into `happened`, one line each, grouped where they repeat */
  afterStep(log: StepLog): void {
    const lines = [...this.pendingLines];
    this.pendingLines = [];
    const acks = new Map<string, { member: string; offsets: string[]; ack: string; state: string }>();
    const flushAcks = () => {
      for (const a of acks.values()) lines.push(`${a.member}: ${a.ack} ${formatList(a.offsets)} → ${a.state}`);
      acks.clear();
    };
    for (const e of this.events) {
      if (e.type !== 'acknowledged') flushAcks();
      switch (e.type) {
        case 'member-joined':
          lines.push(`${e.group}: ${e.memberId} joins (group epoch ${e.groupEpoch})`);
          break;
        case 'member-left':
          lines.push(
            `${e.group}: ${e.memberId} ${e.reason === 'close' ? 'leaves' : 'removed (session timeout)'} (group epoch ${e.groupEpoch})`,
          );
          break;
        case 'assignment': {
          const by = membersByPartition(e.assignment);
          const text = [...by].map(([k, ms]) => `${partitionLabel(parseTpKey(k))} ← ${ms.join(', ')}`).join('; ');
          const last = lines.findLastIndex((l) => l.startsWith(`${e.group} assignment (simple): `));
          if (last >= 0) lines.splice(last, 1);
          lines.push(`${e.group} assignment (simple): ${text || 'no partitions'}`);
          break;
        }
        case 'start-offset-initialized':
          lines.push(`${partitionLabel(e.tp)}: the share group starts at offset ${e.startOffset} (share.auto.offset.reset=${e.reset})`);
          break;
        case 'acquired':
          if (e.deliveryCount > 1)
            lines.push(`${e.memberId} acquires ${partitionLabel(e.tp)}@${e.offset} again: delivery ${e.deliveryCount}`);
          break;
        case 'acknowledged': {
          const state =
            e.ack === 'release' && e.state === 'archived' ? `archived (delivery count ${e.deliveryCount} reached the limit)` : e.state;
          const k = `${e.memberId}|${e.ack}|${state}`;
          const a = acks.get(k) ?? { member: e.memberId, offsets: [], ack: e.ack.toUpperCase(), state };
          a.offsets.push(`${partitionLabel(e.tp)}@${e.offset}`);
          acks.set(k, a);
          break;
        }
        case 'lock-expired':
          lines.push(
            `${partitionLabel(e.tp)}@${e.offset}: ${e.memberId}'s acquisition lock expires at ${e.atMs} ms → ${e.state === 'archived' ? `archived (delivery count ${e.deliveryCount} reached the limit)` : `available again (delivered ${plural(e.deliveryCount, 'time')})`}`,
          );
          break;
        case 'ack-refused':
          break;
      }
    }
    flushAcks();
    this.events = [];
    log.happened.push(...lines);
  }

  /** the share groups as a snapshot shows them */
  view(): ShareGroupView[] {
    return [...this.groups.values()].map((g) => {
      const assignment = g.assignment();
      const by = membersByPartition(assignment);
      const tps = new Map<string, TopicPartition>();
      for (const tp of Object.values(assignment).flat()) tps.set(tpKey(tp), tp);
      for (const p of g.sharePartitions()) tps.set(tpKey(p.tp), p.tp);
      const partitions = [...tps.values()].sort(compareTp).map((tp) => {
        const sp = g.sharePartitions().find((p) => tpKey(p.tp) === tpKey(tp));
        const log = this.logView(tp);
        const hw = log.highWatermark;
        const start = sp?.startOffset ?? null;
        const from = this.firstOffset.get(`${g.id}/${tpKey(tp)}`) ?? start ?? hw;
        const settled = this.settled.get(`${g.id}/${tpKey(tp)}`);
        const records: ShareRecordView[] = this.read(tp, from, hw)
          .slice(-this.run.recordLimit)
          .map((r) => {
            const v = this.run.recordView(tp, r);
            const f = sp?.stateOf(r.offset) ?? null;
            const done = settled?.get(r.offset);
            if (!f || (start !== null && r.offset < start)) {
              // below the start offset: the terminal state it ended in (a gap the group skipped reads as acknowledged)
              return {
                offset: r.offset,
                key: v.key,
                value: v.value,
                state: done?.state ?? 'acknowledged',
                deliveryCount: done?.deliveryCount ?? 0,
                member: null,
                lockExpiresAtMs: null,
              };
            }
            return {
              offset: r.offset,
              key: v.key,
              value: v.value,
              state: f.state,
              deliveryCount: f.deliveryCount,
              member: f.memberId,
              lockExpiresAtMs: f.lockExpiresAtMs,
            };
          });
        return {
          topic: tp.topic,
          partition: tp.partition,
          members: by.get(tpKey(tp)) ?? [],
          startOffset: start,
          endOffset: sp?.endOffset ?? null,
          highWatermark: hw,
          records,
        };
      });
      return {
        id: g.id,
        assignor: 'simple' as const,
        groupEpoch: g.groupEpoch,
        recordLockDurationMs: g.config.recordLockDurationMs,
        deliveryCountLimit: g.config.deliveryCountLimit,
        autoOffsetReset: g.config.autoOffsetReset,
        members: [...this.slots.values()]
          .filter((s) => s.spec.group === g.id)
          .map((s) => ({
            id: s.spec.id,
            status: s.status,
            member: g.isMember(s.spec.id),
            partitions: g.assignmentOf(s.spec.id),
            mode: s.consumer.mode,
            unacknowledged:
              s.consumer.mode === 'explicit'
                ? s.consumer.unacknowledged().map(({ topic, partition, offset }) => ({ topic, partition, offset }))
                : [],
          })),
        partitions,
      };
    });
  }

  private slot(id: string, path: string): ShareSlot {
    const s = this.slots.get(id);
    if (!s) throw new ScenarioError(path, `unknown share consumer ${JSON.stringify(id)}`);
    return s;
  }

  private requireRunning(s: ShareSlot, path: string): void {
    if (s.status !== 'running') throw new ScenarioError(path, `${s.spec.id} is not running (${s.status})`);
  }
}

/** "t0p1@3, t0p1@4" */
function describeOffsets(ds: readonly { topic: string; partition: number; offset: number }[]): string {
  return ds.length ? ds.map((d) => `${partitionLabel(d)}@${d.offset}`).join(', ') : 'no records';
}
