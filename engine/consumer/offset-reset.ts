/**
 * auto.offset.reset: where a consumer starts reading a partition when it has no valid committed
 * offset (none yet, or out of range after retention).
 *
 * The rule:
 *   - earliest → logStartOffset;
 *   - latest (the default) → the end: the high watermark, or the last stable offset for a
 *     read_committed consumer (ListOffsets LATEST with isolation READ_COMMITTED);
 *   - by_duration:<ISO-8601 duration> (Kafka 4.0, KIP-1106) → the first offset whose timestamp is
 *     ≥ now − duration (ListOffsets by timestamp); when no record is that recent, the end, as latest;
 *   - none → NoOffsetForPartitionException (thrown by the consumer).
 *
 * Example: t0p0 holds offsets 0..4 with timestamps 0, 10000, 20000, 30000, 40000; at now = 45000,
 *   by_duration:PT20S → now − 20000 = 25000 → offset 3; earliest → 0; latest → 5.
 *
 * Caveats: the duration is `PnDTnHnMn.nS` as java.time.Duration.parse reads it (days, hours, minutes,
 * seconds with up to 3 decimals here: the clock counts ms); negative durations are refused, as Kafka does.
 *
 * Source: org.apache.kafka.clients.consumer.internals.AutoOffsetResetStrategy (fromString, timestamp():
 * now − duration; "by_duration:PnDTnHnMn.nS"), ConsumerConfig (auto.offset.reset, default latest),
 * UnifiedLog#fetchOffsetByTimestamp.
 */
import type { IsolationLevel } from '../log/transaction-index.ts';
import type { LogRecord } from '../common/record.ts';

/** auto.offset.reset values: earliest, latest, none, or `by_duration:PT1H` (any ISO-8601 PnDTnHnMn.nS). */
export type OffsetResetStrategy = 'earliest' | 'latest' | 'none' | `by_duration:${string}`;

const DURATION = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)(?:[.,](\d{1,3}))?S)?)?$/i;

/**
 * Parse an ISO-8601 duration (java.time.Duration's PnDTnHnMn.nS) into milliseconds.
 * @param text e.g. "PT1H", "P1DT30M", "PT0.5S"
 * @returns the duration in ms
 * @throws RangeError for anything else (a negative duration, years or months, an empty "P" or "PT")
 */
export function parseIsoDurationMs(text: string): number {
  const m = DURATION.exec(text);
  if (!m || /T$/i.test(text) || text.toUpperCase() === 'P') {
    throw new RangeError(`Expected an ISO-8601 duration like PT1H or P1DT30M (PnDTnHnMn.nS), got ${JSON.stringify(text)}`);
  }
  const [, d, h, min, s, frac] = m;
  const ms = frac ? Number(frac.padEnd(3, '0')) : 0;
  return (Number(d ?? 0) * 86_400 + Number(h ?? 0) * 3_600 + Number(min ?? 0) * 60 + Number(s ?? 0)) * 1_000 + ms;
}

/**
 * Check an auto.offset.reset value.
 * @returns the duration in ms for by_duration, else null
 * @throws RangeError naming what came and what is expected
 */
export function checkOffsetResetStrategy(strategy: string): number | null {
  if (strategy === 'earliest' || strategy === 'latest' || strategy === 'none') return null;
  if (strategy.startsWith('by_duration:')) return parseIsoDurationMs(strategy.slice('by_duration:'.length));
  throw new RangeError(
    `Expected autoOffsetReset to be earliest, latest, none or by_duration:<ISO-8601 duration>, got ${JSON.stringify(strategy)}`,
  );
}

/** What the reset reads of a partition. */
export interface ResettablePartition {
  readonly logStartOffset: number;
  readonly highWatermark: number;
  /** absent: no transactions on this partition (LSO = HW) */
  readonly lastStableOffset?: number;
  read(fromOffset: number, toOffset: number): LogRecord[];
}

/**
 * The offset a reset moves the position to (not for `none`, which the consumer throws for).
 * @param strategy earliest, latest or by_duration:…
 * @param nowMs the consumer's clock, for by_duration
 * @returns the new position
 */
export function resetOffset(
  strategy: Exclude<OffsetResetStrategy, 'none'>,
  part: ResettablePartition,
  isolation: IsolationLevel,
  nowMs: number,
): number {
  const end = isolation === 'read_committed' ? (part.lastStableOffset ?? part.highWatermark) : part.highWatermark;
  if (strategy === 'earliest') return part.logStartOffset;
  if (strategy === 'latest') return end;
  const target = nowMs - parseIsoDurationMs(strategy.slice('by_duration:'.length));
  // ListOffsets by timestamp: the first record (below the HW) with timestamp ≥ target
  const hit = part.read(part.logStartOffset, part.highWatermark).find((r) => r.controlType === undefined && r.timestamp >= target);
  return hit ? Math.min(hit.offset, end) : end;
}
