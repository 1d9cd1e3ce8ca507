/**
 * Share groups (KIP-932, "Queues for Kafka", production-ready in Kafka 4.2): the configs and the
 * shapes the share engine shares. Defaults are Kafka's, each citing where it is defined.
 */

/** group.share.record.lock.duration.ms: how long an acquired record stays locked to its consumer; 30000 (ShareGroupConfig). */
export const DEFAULT_RECORD_LOCK_DURATION_MS = 30_000;
/** group.share.delivery.count.limit: delivery attempts before a record is archived; 5 (ShareGroupConfig). */
export const DEFAULT_DELIVERY_COUNT_LIMIT = 5;
/** group.share.session.timeout.ms: a share member that stops heartbeating is removed after this; 45000 (GroupCoordinatorConfig). */
export const DEFAULT_SHARE_SESSION_TIMEOUT_MS = 45_000;
/** max.poll.records: records a ShareConsumer.poll() returns at most; 500 (ConsumerConfig). */
export const DEFAULT_SHARE_MAX_POLL_RECORDS = 500;

/**
 * A record's state in a share partition (Kafka's RecordState, server/share/fetch/RecordState.java).
 * - available: may be acquired by the next fetch of any member;
 * - acquired: locked to one member until it acknowledges it or the lock times out;
 * - acknowledged: processed (ACCEPT), terminal;
 * - archived: never delivered again (REJECT, or released after the delivery count limit), terminal.
 * Kafka ≥ 4.3 has a transient ARCHIVING state on the way to ARCHIVED when a dead-letter queue is
 * configured (KIP-1191); the engine has no dead-letter queue and goes straight to archived.
 * Allowed moves (RecordState.validateTransition): available → acquired; acquired → available,
 * acknowledged or archived.
 */
export type RecordState = 'available' | 'acquired' | 'acknowledged' | 'archived';

/**
 * How a consumer acknowledges a record (Kafka's AcknowledgeType, clients/consumer/AcknowledgeType.java):
 * - accept: processed; the record becomes acknowledged;
 * - release: not processed, deliver it again (available, or archived once the delivery count
 *   reached the limit);
 * - reject: unprocessable; archived, never delivered again;
 * - renew (Kafka 4.2, KIP-1222, explicit mode only): still processing; the lock restarts, the
 *   record stays acquired and the delivery count does not change.
 */
export type AcknowledgeType = 'accept' | 'release' | 'reject' | 'renew';

/** share.acknowledgement.mode (ConsumerConfig): implicit (default) or explicit. */
export type ShareAcknowledgementMode = 'implicit' | 'explicit';

/**
 * share.auto.offset.reset (a group config, GroupConfig; default "latest"): where a share
 * partition starts the first time the group reads it — the log start offset (earliest) or the
 * high watermark at that moment (latest). Kafka also accepts by_duration:<ISO-8601>, which the
 * engine does not model.
 */
export type ShareAutoOffsetReset = 'earliest' | 'latest';

/** The configs of one share group, Kafka's names in camelCase with units. */
export interface ShareGroupConfig {
  /** share.record.lock.duration.ms (group) / group.share.record.lock.duration.ms (broker); default 30000 */
  recordLockDurationMs: number;
  /** share.delivery.count.limit (group) / group.share.delivery.count.limit (broker); default 5 */
  deliveryCountLimit: number;
  /** share.auto.offset.reset; default "latest" */
  autoOffsetReset: ShareAutoOffsetReset;
  /** group.share.session.timeout.ms; default 45000 */
  sessionTimeoutMs: number;
}

/** Kafka's defaults for a share group. */
export function defaultShareGroupConfig(overrides: Partial<ShareGroupConfig> = {}): ShareGroupConfig {
  const c: ShareGroupConfig = {
    recordLockDurationMs: overrides.recordLockDurationMs ?? DEFAULT_RECORD_LOCK_DURATION_MS,
    deliveryCountLimit: overrides.deliveryCountLimit ?? DEFAULT_DELIVERY_COUNT_LIMIT,
    autoOffsetReset: overrides.autoOffsetReset ?? 'latest',
    sessionTimeoutMs: overrides.sessionTimeoutMs ?? DEFAULT_SHARE_SESSION_TIMEOUT_MS,
  };
  for (const k of ['recordLockDurationMs', 'deliveryCountLimit', 'sessionTimeoutMs'] as const) {
    if (!Number.isInteger(c[k]) || c[k] < 1) throw new RangeError(`Expected ${k} to be a positive integer, got ${c[k]}`);
  }
  return c;
}
