/**
 * Topic-level log configuration: Kafka's topic configs in camelCase, with Kafka's defaults.
 *
 * Example: `logConfig({ segmentBytes: 1024, cleanupPolicy: 'compact' })` → every other field at its
 * Kafka default, e.g. retentionMs 604800000 (7 days).
 *
 * Note: Kafka ≥ 4.0 rejects segment.bytes below 1 MiB (KIP-1030). We accept any positive size so a lesson
 * can show segments rolling after a handful of records.
 * Source: Kafka topic configuration docs (kafka.apache.org/documentation/#topicconfigs);
 * org.apache.kafka.common.config.TopicConfig; org.apache.kafka.storage.internals.log.LogConfig.
 */

/** cleanup.policy: "delete", "compact", or both (Kafka accepts "compact,delete" and "delete,compact"). */
export type CleanupPolicy = 'delete' | 'compact' | 'compact,delete';

export interface LogConfig {
  /** segment.bytes: roll the active segment before it would exceed this size. Default 1073741824 (1 GiB). */
  segmentBytes: number;
  /**
   * segment.ms: roll when the incoming batch's timestamp is more than this after the active segment's first
   * batch timestamp. Default 604800000 (7 days). (segment.jitter.ms, default 0, is not modelled.)
   */
  segmentMs: number;
  /** cleanup.policy. Default "delete". */
  cleanupPolicy: CleanupPolicy;
  /** retention.ms: delete a segment once its largest timestamp is older than this; -1 = no time limit. Default 604800000 (7 days). */
  retentionMs: number;
  /** retention.bytes: delete oldest segments while the log is larger than this; -1 = no size limit. Default -1. */
  retentionBytes: number;
  /** delete.retention.ms: how long the cleaner keeps a tombstone after it first saw it. Default 86400000 (1 day). */
  deleteRetentionMs: number;
  /** min.compaction.lag.ms: a record stays uncompacted at least this long. Default 0. */
  minCompactionLagMs: number;
  /** max.compaction.lag.ms: only affects when the cleaner is scheduled; kept for completeness. Default 2^63 - 1 (Long.MAX_VALUE), here Number.MAX_SAFE_INTEGER. */
  maxCompactionLagMs: number;
  /** min.cleanable.dirty.ratio: the cleaner picks a log when dirty / (clean + dirty) bytes exceeds this. Default 0.5. */
  minCleanableDirtyRatio: number;
  /** max.message.bytes: the largest record batch the log accepts. Default 1048588 (1 MiB + 12). */
  maxMessageBytes: number;
  /**
   * local.retention.ms (tiered storage, KIP-405): how long segments stay on the broker's disk once copied to
   * remote storage; -2 = use retention.ms. Default -2. Tiered storage itself is not modelled: see {@link localRetention}.
   */
  localRetentionMs: number;
  /** local.retention.bytes (tiered storage): the local size limit per partition; -2 = use retention.bytes. Default -2. */
  localRetentionBytes: number;
}

/**
 * Kafka ≥ 4.0 refuses segment.bytes below 1 MiB (LogConfig: `atLeast(1024 * 1024)`; KIP-1030). The engine
 * accepts smaller toy sizes so that lessons can show segments rolling after a few records.
 */
export const KAFKA_MIN_SEGMENT_BYTES = 1024 * 1024;

/** Kafka's defaults for {@link LogConfig}; see each field for its source config name. */
export const DEFAULT_LOG_CONFIG: Readonly<LogConfig> = Object.freeze({
  segmentBytes: 1024 * 1024 * 1024,
  segmentMs: 7 * 24 * 60 * 60 * 1000,
  cleanupPolicy: 'delete',
  retentionMs: 7 * 24 * 60 * 60 * 1000,
  retentionBytes: -1,
  deleteRetentionMs: 24 * 60 * 60 * 1000,
  minCompactionLagMs: 0,
  maxCompactionLagMs: Number.MAX_SAFE_INTEGER,
  minCleanableDirtyRatio: 0.5,
  maxMessageBytes: 1024 * 1024 + 12,
  localRetentionMs: -2,
  localRetentionBytes: -2,
});

/**
 * A full LogConfig: Kafka's defaults overridden by `overrides`.
 * @throws RangeError naming the field, what was expected and what came, for a value Kafka would reject
 *   (segmentBytes < 1, segmentMs < 1, retentionMs < -1, retentionBytes < -1, negative lags/retention,
 *   minCleanableDirtyRatio outside [0, 1], maxMessageBytes < 0, unknown cleanupPolicy)
 */
export function logConfig(overrides: Partial<LogConfig> = {}): LogConfig {
  const c: LogConfig = { ...DEFAULT_LOG_CONFIG, ...overrides };
  const check = (field: keyof LogConfig, ok: boolean, expected: string) => {
    if (!ok) throw new RangeError(`Expected ${field} to be ${expected}, got ${String(c[field])}`);
  };
  const int = (v: number) => Number.isSafeInteger(v);
  check('segmentBytes', int(c.segmentBytes) && c.segmentBytes >= 1, 'a positive integer (bytes)');
  check('segmentMs', int(c.segmentMs) && c.segmentMs >= 1, 'a positive integer (ms)');
  check('cleanupPolicy', ['delete', 'compact', 'compact,delete'].includes(c.cleanupPolicy), '"delete", "compact" or "compact,delete"');
  check('retentionMs', int(c.retentionMs) && c.retentionMs >= -1, 'an integer ≥ -1 (ms; -1 = unlimited)');
  check('retentionBytes', int(c.retentionBytes) && c.retentionBytes >= -1, 'an integer ≥ -1 (bytes; -1 = unlimited)');
  check('deleteRetentionMs', int(c.deleteRetentionMs) && c.deleteRetentionMs >= 0, 'an integer ≥ 0 (ms)');
  check('minCompactionLagMs', int(c.minCompactionLagMs) && c.minCompactionLagMs >= 0, 'an integer ≥ 0 (ms)');
  check('maxCompactionLagMs', int(c.maxCompactionLagMs) && c.maxCompactionLagMs >= 1, 'a positive integer (ms)');
  check('minCleanableDirtyRatio', c.minCleanableDirtyRatio >= 0 && c.minCleanableDirtyRatio <= 1, 'a number in [0, 1]');
  check('maxMessageBytes', int(c.maxMessageBytes) && c.maxMessageBytes >= 0, 'an integer ≥ 0 (bytes)');
  check('localRetentionMs', int(c.localRetentionMs) && c.localRetentionMs >= -2, 'an integer ≥ -2 (ms; -2 = retention.ms)');
  check('localRetentionBytes', int(c.localRetentionBytes) && c.localRetentionBytes >= -2, 'an integer ≥ -2 (bytes; -2 = retention.bytes)');
  return c;
}

/** True when cleanup.policy includes "delete" (time/size retention runs). */
export function hasDeletePolicy(c: LogConfig): boolean {
  return c.cleanupPolicy !== 'compact';
}

/** True when cleanup.policy includes "compact" (the cleaner runs; keyless records are rejected). */
export function hasCompactPolicy(c: LogConfig): boolean {
  return c.cleanupPolicy !== 'delete';
}

/**
 * The local (on-broker) retention limits a tiered topic uses: local.retention.ms / local.retention.bytes, where
 * -2 (the default) means "the same as retention.ms / retention.bytes".
 * Source: LogConfig.localRetentionMs / localRetentionBytes (DEFAULT_LOCAL_RETENTION_MS = -2).
 */
export function localRetention(c: LogConfig): { localRetentionMs: number; localRetentionBytes: number } {
  return {
    localRetentionMs: c.localRetentionMs === -2 ? c.retentionMs : c.localRetentionMs,
    localRetentionBytes: c.localRetentionBytes === -2 ? c.retentionBytes : c.localRetentionBytes,
  };
}
