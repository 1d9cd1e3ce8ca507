/**
 * A share partition: one topic partition as one share group reads it (KIP-932). Kafka keeps it on
 * the partition leader (core/src/main/java/kafka/server/share/SharePartition.java) and persists it
 * through the share coordinator (`__share_group_state`).
 *
 * The rules:
 *   1. The group starts reading the partition at the share-partition start offset (SPSO), set on
 *      first use by share.auto.offset.reset: the log start offset (earliest) or the high watermark
 *      (latest, the default). Records below the SPSO are done for this group.
 *   2. Records between the SPSO and the share-partition end offset (SPEO) are "in flight", each with
 *      a state (available, acquired, acknowledged, archived) and a delivery count. Beyond the SPEO,
 *      records up to the high watermark have never been delivered (available, count 0).
 *   3. A fetch acquires available records, lowest offset first: each becomes acquired by that
 *      member with a lock that expires recordLockDurationMs later, and its delivery count goes up
 *      by one (InFlightState.tryUpdateState with DeliveryCountOps.INCREASE).
 *   4. ACCEPT → acknowledged; REJECT → archived; RELEASE or a lock timeout → available again,
 *      except that a record whose delivery count has reached deliveryCountLimit is archived instead
 *      (InFlightState.tryUpdateState: `newState == AVAILABLE && deliveryCount >= maxDeliveryCount`).
 *      RENEW restarts the lock (Kafka 4.2, KIP-1222). Only the member holding the lock may
 *      acknowledge a record.
 *   5. The SPSO moves past every leading record in a terminal state (acknowledged or archived).
 *
 * Example (limit 5, lock 30000 ms): t0p0 holds offsets 0–2, SPSO 0.
 *   C0 fetches at 0 ms  → 0, 1, 2 acquired by C0, delivery count 1, locks until 30000
 *   C0 accepts 0 and 2  → 0 acknowledged (SPSO 1), 2 acknowledged
 *   30000 ms pass       → 1's lock expires: available, count 1; C1's next fetch gets it (after 2:
 *                         no order within a partition)
 *   offset 1 released on its 5th delivery → archived; SPSO 3.
 *
 * Caveats: Kafka acquires whole batches when it can and caps in-flight records per partition
 * (group.share.partition.max.record.locks, 2000); it throttles records close to the delivery limit
 * to be delivered alone; the engine acquires record by record, uncapped, with no throttling.
 */
import type { RecordState, AcknowledgeType, ShareGroupConfig, ShareAutoOffsetReset } from './share-config.ts';
import type { TopicPartition } from '../common/record.ts';
import { partitionLabel } from '../common/notation.ts';

/** What a share partition needs from the partition's log (the leader's), by shape. */
export interface ShareLogView {
  readonly logStartOffset: number;
  readonly highWatermark: number;
  /** offsets that hold a record a consumer can see, in [from, to) (compaction and markers leave gaps) */
  offsets(fromOffset: number, toOffset: number): number[];
}

/** One in-flight record's state (Kafka's InFlightState). */
export interface InFlightRecord {
  offset: number;
  state: RecordState;
  /** how many times it has been acquired */
  deliveryCount: number;
  /** the member that holds the lock while acquired, else null */
  memberId: string | null;
  /** when the lock expires (simulated ms) while acquired, else null */
  lockExpiresAtMs: number | null;
}

/** A change a share partition reports, in order, for narration and stories. */
export type SharePartitionEvent =
  | { type: 'start-offset-initialized'; tp: TopicPartition; startOffset: number; reset: ShareAutoOffsetReset }
  | { type: 'acquired'; tp: TopicPartition; memberId: string; offset: number; deliveryCount: number; atMs: number }
  | {
      type: 'acknowledged';
      tp: TopicPartition;
      memberId: string;
      offset: number;
      ack: AcknowledgeType;
      state: RecordState;
      deliveryCount: number;
      atMs: number;
    }
  | { type: 'lock-expired'; tp: TopicPartition; memberId: string; offset: number; state: RecordState; deliveryCount: number; atMs: number }
  | { type: 'ack-refused'; tp: TopicPartition; memberId: string; offset: number; ack: AcknowledgeType; reason: string; atMs: number };

/** Thrown for a call the engine cannot make sense of (not for a learner's or member's mistake). */
export class SharePartitionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SharePartitionError';
  }
}

/**
 * The state of one share partition, driven by fetches, acknowledgements and the clock.
 * Deterministic: no clock of its own; every call takes `nowMs`.
 */
export class SharePartition {
  /** offset → in-flight state, for offsets in [startOffset, endOffset) that were ever acquired */
  private readonly inFlight = new Map<number, InFlightRecord>();
  private spso: number | null = null;
  private speo = 0;

  constructor(
    readonly tp: TopicPartition,
    private readonly config: ShareGroupConfig,
    private readonly log: ShareLogView,
    private readonly emit: (e: SharePartitionEvent) => void = () => {},
  ) {}

  /** the share-partition start offset (SPSO), or null before the group first read the partition */
  get startOffset(): number | null {
    return this.spso;
  }

  /** the share-partition end offset (SPEO): one past the highest offset ever acquired (≥ SPSO) */
  get endOffset(): number | null {
    return this.spso === null ? null : this.speo;
  }

  /** set the SPSO on first use, by share.auto.offset.reset */
  private initialize(): number {
    if (this.spso === null) {
      const reset = this.config.autoOffsetReset;
      this.spso = reset === 'earliest' ? this.log.logStartOffset : this.log.highWatermark;
      this.speo = this.spso;
      this.emit({ type: 'start-offset-initialized', tp: this.tp, startOffset: this.spso, reset });
    }
    return this.spso;
  }

  /** the group starts using the partition (a member is assigned it): sets the SPSO if unset */
  touch(): void {
    this.initialize();
  }

  /**
   * The state of an offset as the group sees it.
   * @returns null below the SPSO (done) or at/after the high watermark (not readable yet)
   */
  stateOf(offset: number): InFlightRecord | null {
    const spso = this.spso ?? this.initialize();
    if (offset < spso) return null;
    const f = this.inFlight.get(offset);
    if (f) return { ...f };
    if (offset >= this.log.highWatermark) return null;
    return { offset, state: 'available', deliveryCount: 0, memberId: null, lockExpiresAtMs: null };
  }

  /** every in-flight record from the SPSO to the SPEO, in offset order (copies) */
  records(): InFlightRecord[] {
    if (this.spso === null) return [];
    return [...this.inFlight.values()]
      .filter((r) => r.offset >= this.spso!)
      .sort((a, b) => a.offset - b.offset)
      .map((r) => ({ ...r }));
  }

  /**
   * A ShareFetch by `memberId`: acquire up to `maxRecords` available records, lowest offset first
   * (redeliveries below the SPEO before new records past it).
   * @param nowMs the fetch time (simulated ms); the locks expire at nowMs + recordLockDurationMs
   * @returns the acquired records (their delivery count already increased)
   * @throws SharePartitionError when maxRecords is not a positive integer
   */
  acquire(memberId: string, maxRecords: number, nowMs: number): InFlightRecord[] {
    if (!Number.isInteger(maxRecords) || maxRecords < 1) throw new SharePartitionError(`Expected maxRecords ≥ 1, got ${maxRecords}`);
    this.expireLocks(nowMs);
    this.initialize();
    const out: InFlightRecord[] = [];
    const take = (f: InFlightRecord) => {
      f.state = 'acquired';
      f.deliveryCount += 1;
      f.memberId = memberId;
      f.lockExpiresAtMs = nowMs + this.config.recordLockDurationMs;
      out.push({ ...f });
      this.emit({ type: 'acquired', tp: this.tp, memberId, offset: f.offset, deliveryCount: f.deliveryCount, atMs: nowMs });
    };
    for (const f of this.records()) {
      if (out.length >= maxRecords) break;
      if (f.state === 'available') take(this.inFlight.get(f.offset)!);
    }
    const room = maxRecords - out.length;
    if (room > 0 && this.speo < this.log.highWatermark) {
      const fresh = this.log.offsets(this.speo, this.log.highWatermark).slice(0, room);
      for (const offset of fresh) {
        const f: InFlightRecord = { offset, state: 'available', deliveryCount: 0, memberId: null, lockExpiresAtMs: null };
        this.inFlight.set(offset, f);
        take(f);
        this.speo = offset + 1;
      }
      // read up to the high watermark: offsets with no visible record (gaps) are passed over
      if (fresh.length < room) this.speo = this.log.highWatermark;
    }
    this.advanceStartOffset();
    return out;
  }

  /**
   * A ShareAcknowledge (or the acknowledgements piggybacked on a ShareFetch) for one offset.
   * @returns the record's state after it, or null when refused: the record is not acquired by
   *   this member any more (its lock expired, it was never delivered to it) — Kafka answers
   *   INVALID_RECORD_STATE and the acknowledgement is lost
   */
  acknowledge(memberId: string, offset: number, ack: AcknowledgeType, nowMs: number): InFlightRecord | null {
    this.expireLocks(nowMs);
    const f = this.inFlight.get(offset);
    if (!f || f.state !== 'acquired' || f.memberId !== memberId) {
      const reason = !f
        ? 'never delivered'
        : f.state !== 'acquired'
          ? `it is ${f.state}`
          : `its lock is held by ${f.memberId} (the lock of ${memberId} expired)`;
      this.emit({ type: 'ack-refused', tp: this.tp, memberId, offset, ack, reason, atMs: nowMs });
      return null;
    }
    if (ack === 'renew') {
      f.lockExpiresAtMs = nowMs + this.config.recordLockDurationMs;
    } else if (ack === 'accept') {
      this.settle(f, 'acknowledged');
    } else if (ack === 'reject') {
      this.settle(f, 'archived');
    } else {
      this.settle(f, f.deliveryCount >= this.config.deliveryCountLimit ? 'archived' : 'available');
    }
    this.emit({
      type: 'acknowledged',
      tp: this.tp,
      memberId,
      offset,
      ack,
      state: f.state,
      deliveryCount: f.deliveryCount,
      atMs: nowMs,
    });
    this.advanceStartOffset();
    return { ...f };
  }

  /**
   * Expire every lock whose time has come (AcquisitionLockTimerTask): the record is available
   * again, or archived when its delivery count reached the limit. Locks expire in time order.
   */
  expireLocks(nowMs: number): void {
    const due = [...this.inFlight.values()]
      .filter((f) => f.state === 'acquired' && f.lockExpiresAtMs !== null && f.lockExpiresAtMs <= nowMs)
      .sort((a, b) => a.lockExpiresAtMs! - b.lockExpiresAtMs! || a.offset - b.offset);
    for (const f of due) {
      const memberId = f.memberId!;
      const atMs = f.lockExpiresAtMs!;
      this.settle(f, f.deliveryCount >= this.config.deliveryCountLimit ? 'archived' : 'available');
      this.emit({ type: 'lock-expired', tp: this.tp, memberId, offset: f.offset, state: f.state, deliveryCount: f.deliveryCount, atMs });
    }
    if (due.length) this.advanceStartOffset();
  }

  /** the earliest pending lock expiry (simulated ms), or null when nothing is acquired */
  nextLockExpiryMs(): number | null {
    let next: number | null = null;
    for (const f of this.inFlight.values()) {
      if (f.state === 'acquired' && f.lockExpiresAtMs !== null && (next === null || f.lockExpiresAtMs < next)) next = f.lockExpiresAtMs;
    }
    return next;
  }

  private settle(f: InFlightRecord, state: RecordState): void {
    f.state = state;
    f.memberId = null;
    f.lockExpiresAtMs = null;
  }

  /** rule 5: the SPSO moves past leading terminal records; their states are dropped */
  private advanceStartOffset(): void {
    if (this.spso === null) return;
    while (this.spso < this.speo) {
      const f = this.inFlight.get(this.spso);
      if (f && f.state !== 'acknowledged' && f.state !== 'archived') break;
      this.inFlight.delete(this.spso);
      this.spso += 1;
    }
  }

  /** `t0p1` for messages */
  get label(): string {
    return partitionLabel(this.tp);
  }
}
