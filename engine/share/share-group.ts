/**
 * A share group (KIP-932) and its members' clients (KafkaShareConsumer).
 *
 * The rules:
 *   1. A ShareConsumer joins its group on its first poll() (ShareGroupHeartbeat). Every change of
 *      membership bumps the group epoch and recomputes the target assignment with the `simple`
 *      assignor (./simple-assignor.ts); members see it at once. A partition can be assigned to
 *      several members, so there is no revoke-before-assign dance and no partition ceiling: records,
 *      not partitions, are what members share.
 *   2. poll() acquires available records from the member's partitions (./share-partition.ts), at
 *      most max.poll.records (500), each locked for share.record.lock.duration.ms (30000).
 *   3. share.acknowledgement.mode (ConsumerConfig):
 *      - implicit (default): the next poll(), commitSync() or close() accepts every record the
 *        previous poll() returned;
 *      - explicit: the application calls acknowledge(record, type) for each record; the
 *        acknowledgements go out with the next poll() or commitSync(). poll() with records still
 *        unacknowledged throws IllegalStateException. A RENEWed record is returned again by the
 *        next poll() (KafkaShareConsumer, "renewal"; KAFKA-20458).
 *   4. close() sends pending acknowledgements, releases the records it still holds and leaves the
 *      group. A crashed member sends nothing: its locks run out, and the group removes it after
 *      group.share.session.timeout.ms (45000).
 *
 * Example: 12 members on t0 (4 partitions) → three members per partition (./simple-assignor.ts).
 * C0 polls and gets t0p0's offsets 0–2; C1, sharing t0p0, polls next and gets 3–5: the two work
 * on one partition at once, and nothing orders 3 after 0.
 *
 * Caveats: heartbeats are not simulated one by one (a running member is alive; a crashed one is
 * last heard from when it crashed); the assignment interval (group.share.assignment.interval.ms,
 * KIP-1263) is 0 here; max.poll.interval.ms is not enforced for share consumers.
 */
import type { TopicPartition } from '../common/record.ts';
import { tpKey, compareTp } from '../common/notation.ts';
import type { AcknowledgeType, ShareAcknowledgementMode, ShareGroupConfig } from './share-config.ts';
import { DEFAULT_SHARE_MAX_POLL_RECORDS } from './share-config.ts';
import { SharePartition } from './share-partition.ts';
import type { ShareLogView, SharePartitionEvent, InFlightRecord } from './share-partition.ts';
import { simpleAssign } from './simple-assignor.ts';
import type { ShareAssignment } from './simple-assignor.ts';

/** A group-level change, for narration. */
export type ShareGroupEvent =
  | { type: 'member-joined'; group: string; memberId: string; groupEpoch: number; atMs: number }
  | { type: 'member-left'; group: string; memberId: string; reason: 'close' | 'session-timeout'; groupEpoch: number; atMs: number }
  | { type: 'assignment'; group: string; groupEpoch: number; assignment: ShareAssignment; atMs: number };

/** The error a ShareConsumer call throws (IllegalStateException in Kafka), with Kafka's name. */
export class ShareConsumerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IllegalStateException';
  }
}

interface MemberState {
  topics: string[];
  /** alive until it crashes; a crashed member is removed at crashedAtMs + sessionTimeoutMs */
  crashedAtMs: number | null;
}

/** A share group on the broker side: members, epoch, target assignment, share partitions. */
export class ShareGroup {
  private readonly members = new Map<string, MemberState>();
  private assignmentNow: ShareAssignment = {};
  private readonly partitions = new Map<string, SharePartition>();
  groupEpoch = 0;

  /**
   * @param id group.id
   * @param config the group's share configs (./share-config.ts)
   * @param partitionsPerTopic the topics' current partition counts
   * @param logOf the leader log of a partition, as the share partition reads it
   * @param emit receives every group and share-partition event, in order
   */
  constructor(
    readonly id: string,
    readonly config: ShareGroupConfig,
    private readonly partitionsPerTopic: () => Record<string, number>,
    private readonly logOf: (tp: TopicPartition) => ShareLogView,
    private readonly emit: (e: ShareGroupEvent | SharePartitionEvent) => void = () => {},
  ) {}

  /** the share partition of `tp` (created on first use) */
  partition(tp: TopicPartition): SharePartition {
    const k = tpKey(tp);
    let p = this.partitions.get(k);
    if (!p) {
      p = new SharePartition({ topic: tp.topic, partition: tp.partition }, this.config, this.logOf(tp), (e) => this.emit(e));
      this.partitions.set(k, p);
    }
    return p;
  }

  /** share partitions the group has used, in topic-partition order */
  sharePartitions(): SharePartition[] {
    return [...this.partitions.values()].sort((a, b) => compareTp(a.tp, b.tp));
  }

  /** member ids in join order */
  memberIds(): string[] {
    return [...this.members.keys()];
  }

  isMember(memberId: string): boolean {
    return this.members.has(memberId);
  }

  /** the current target assignment (copies) */
  assignment(): ShareAssignment {
    const out: ShareAssignment = {};
    for (const [m, tps] of Object.entries(this.assignmentNow)) out[m] = tps.map((tp) => ({ ...tp }));
    return out;
  }

  /** memberId's partitions now (empty when not a member) */
  assignmentOf(memberId: string): TopicPartition[] {
    return (this.assignmentNow[memberId] ?? []).map((tp) => ({ ...tp }));
  }

  /** a member joins (or rejoins after a crash) with its subscription */
  join(memberId: string, topics: string[], nowMs: number): void {
    this.advanceTo(nowMs);
    if (this.members.has(memberId)) {
      this.members.get(memberId)!.crashedAtMs = null;
      return;
    }
    this.members.set(memberId, { topics: [...topics], crashedAtMs: null });
    this.groupEpoch += 1;
    this.emit({ type: 'member-joined', group: this.id, memberId, groupEpoch: this.groupEpoch, atMs: nowMs });
    this.reassign(nowMs);
  }

  /** a member leaves (ShareGroupHeartbeat with epoch −1): its acquired records are released */
  leave(memberId: string, nowMs: number, reason: 'close' | 'session-timeout' = 'close'): void {
    if (!this.members.has(memberId)) return;
    for (const p of this.partitions.values()) {
      for (const r of p.records())
        if (r.state === 'acquired' && r.memberId === memberId) p.acknowledge(memberId, r.offset, 'release', nowMs);
    }
    this.members.delete(memberId);
    this.groupEpoch += 1;
    this.emit({ type: 'member-left', group: this.id, memberId, reason, groupEpoch: this.groupEpoch, atMs: nowMs });
    this.reassign(nowMs);
  }

  /** the member's process died: it stops heartbeating now */
  crashed(memberId: string, nowMs: number): void {
    const m = this.members.get(memberId);
    if (m && m.crashedAtMs === null) m.crashedAtMs = nowMs;
  }

  /**
   * Move the group's clock: lock timeouts and session timeouts, in time order.
   * @param nowMs simulated ms, not before the last call
   */
  advanceTo(nowMs: number): void {
    for (;;) {
      const lockAt = Math.min(...[...this.partitions.values()].map((p) => p.nextLockExpiryMs() ?? Infinity));
      const sessionAt = Math.min(
        ...[...this.members.values()].map((m) => (m.crashedAtMs === null ? Infinity : m.crashedAtMs + this.config.sessionTimeoutMs)),
      );
      const next = Math.min(lockAt, sessionAt);
      if (next > nowMs) break;
      if (lockAt <= sessionAt) for (const p of this.partitions.values()) p.expireLocks(lockAt);
      else {
        const [id] = [...this.members].find(
          ([, m]) => m.crashedAtMs !== null && m.crashedAtMs + this.config.sessionTimeoutMs === sessionAt,
        )!;
        this.leave(id, sessionAt, 'session-timeout');
      }
    }
  }

  private reassign(nowMs: number): void {
    const subs: Record<string, string[]> = {};
    for (const [m, s] of this.members) subs[m] = s.topics;
    this.assignmentNow = simpleAssign(this.partitionsPerTopic(), subs, this.assignmentNow);
    this.emit({ type: 'assignment', group: this.id, groupEpoch: this.groupEpoch, assignment: this.assignment(), atMs: nowMs });
  }
}

/** A record as a share consumer's poll() returns it. */
export interface ShareDelivery {
  topic: string;
  partition: number;
  offset: number;
  /** the delivery count: 1 on the first delivery (ConsumerRecord.deliveryCount()) */
  deliveryCount: number;
}

/** What an acknowledgement round did, for narration: refused acknowledgements carry Kafka's reason. */
export interface AckResult {
  tp: TopicPartition;
  offset: number;
  ack: AcknowledgeType;
  /** the record's state after it, or null when the broker refused it (INVALID_RECORD_STATE) */
  state: InFlightRecord['state'] | null;
}

/** A KafkaShareConsumer: the client side of rule 3 (acknowledgement modes). */
export class ShareConsumer {
  /** records returned by the last poll() and not yet acknowledged */
  private delivered: ShareDelivery[] = [];
  /** acknowledge() calls not yet sent */
  private pending: { d: ShareDelivery; ack: AcknowledgeType }[] = [];
  private renewed: ShareDelivery[] = [];
  private joined = false;

  /**
   * @param id the member id (the scenario's consumer id)
   * @param group its share group
   * @param topics subscribe() topics
   * @param mode share.acknowledgement.mode; default implicit
   * @param maxPollRecords max.poll.records; default 500
   */
  constructor(
    readonly id: string,
    readonly group: ShareGroup,
    readonly topics: string[],
    readonly mode: ShareAcknowledgementMode = 'implicit',
    readonly maxPollRecords: number = DEFAULT_SHARE_MAX_POLL_RECORDS,
  ) {}

  /** records returned by the last poll() that still need an acknowledgement (explicit mode) */
  unacknowledged(): ShareDelivery[] {
    const acked = new Set(this.pending.map((p) => `${tpKey(p.d)}@${p.d.offset}`));
    return this.delivered.filter((d) => !acked.has(`${tpKey(d)}@${d.offset}`)).map((d) => ({ ...d }));
  }

  /**
   * poll(): send the acknowledgements due, then acquire records.
   * @returns the records delivered (renewed records first, then newly acquired ones) and the
   *   results of the acknowledgements sent with this poll
   * @throws ShareConsumerError (IllegalStateException) in explicit mode when a record of the last
   *   poll() is unacknowledged
   */
  poll(nowMs: number): { records: ShareDelivery[]; acks: AckResult[] } {
    if (!this.joined) {
      this.group.join(this.id, this.topics, nowMs);
      this.joined = true;
    }
    this.group.advanceTo(nowMs);
    if (this.mode === 'explicit' && this.unacknowledged().length > 0) {
      const d = this.unacknowledged()[0];
      throw new ShareConsumerError(
        `${this.unacknowledged().length} record(s) of the last poll() are not acknowledged (first: ${tpKey(d)}@${d.offset}); in explicit mode acknowledge every record before the next poll()`,
      );
    }
    const acks = this.sendAcknowledgements(nowMs);
    const records: ShareDelivery[] = this.renewed;
    this.renewed = [];
    for (const tp of this.group.assignmentOf(this.id)) {
      const room = this.maxPollRecords - records.length;
      if (room <= 0) break;
      for (const r of this.group.partition(tp).acquire(this.id, room, nowMs)) {
        records.push({ topic: tp.topic, partition: tp.partition, offset: r.offset, deliveryCount: r.deliveryCount });
      }
    }
    this.delivered = records.map((r) => ({ ...r }));
    return { records, acks };
  }

  /**
   * acknowledge(record, type) for the given records of the last poll (all unacknowledged ones when
   * `which` is absent). Sent with the next poll() or commitSync().
   * @throws ShareConsumerError in implicit mode, or for a record the last poll() did not return
   */
  acknowledge(type: AcknowledgeType, which?: { topic: string; partition: number; offset: number }[]): ShareDelivery[] {
    if (this.mode !== 'explicit') {
      throw new ShareConsumerError(
        'acknowledge() needs share.acknowledgement.mode=explicit; in implicit mode the next poll() accepts every record',
      );
    }
    const open = this.unacknowledged();
    const chosen = which
      ? which.map((w) => {
          const d = open.find((o) => o.topic === w.topic && o.partition === w.partition && o.offset === w.offset);
          if (!d) throw new ShareConsumerError(`${tpKey(w)}@${w.offset} is not an unacknowledged record of the last poll()`);
          return d;
        })
      : open;
    for (const d of chosen) this.pending.push({ d, ack: type });
    return chosen;
  }

  /** commitSync(): send the acknowledgements due now (implicit mode: accept every delivered record) */
  commitSync(nowMs: number): AckResult[] {
    this.group.advanceTo(nowMs);
    return this.sendAcknowledgements(nowMs);
  }

  /** close(): acknowledgements due are sent, held records released, and the member leaves */
  close(nowMs: number): AckResult[] {
    this.group.advanceTo(nowMs);
    const acks = this.mode === 'explicit' ? this.sendAcknowledgements(nowMs) : [];
    this.delivered = [];
    this.renewed = [];
    this.group.leave(this.id, nowMs, 'close');
    this.joined = false;
    return acks;
  }

  /** the process dies: nothing is sent; its locks run out on their own */
  crash(nowMs: number): void {
    this.group.crashed(this.id, nowMs);
    this.delivered = [];
    this.pending = [];
    this.renewed = [];
  }

  /** the process starts again (a new client with the same member id): it rejoins on its next poll() */
  restart(): void {
    this.joined = false;
  }

  private sendAcknowledgements(nowMs: number): AckResult[] {
    const batch =
      this.mode === 'implicit'
        ? this.delivered.map((d) => ({ d, ack: 'accept' as AcknowledgeType }))
        : this.pending.splice(0, this.pending.length);
    const out: AckResult[] = [];
    for (const { d, ack } of batch) {
      const r = this.group.partition(d).acknowledge(this.id, d.offset, ack, nowMs);
      out.push({ tp: { topic: d.topic, partition: d.partition }, offset: d.offset, ack, state: r ? r.state : null });
      if (ack === 'renew' && r) this.renewed.push({ ...d });
    }
    this.delivered =
      this.mode === 'implicit'
        ? []
        : this.delivered.filter((d) => !batch.some((b) => b.d === d || (tpKey(b.d) === tpKey(d) && b.d.offset === d.offset)));
    return out;
  }
}
