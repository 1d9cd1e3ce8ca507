import { describe, expect, it } from 'vitest';
import { checkOffsetResetStrategy, parseIsoDurationMs, resetOffset } from './offset-reset.ts';
import { CommitQueue, shouldRetry } from './commit-queue.ts';
import type { LogRecord } from '../common/record.ts';

const part = (timestamps: number[], extra: { lastStableOffset?: number } = {}) => {
  const records: LogRecord[] = timestamps.map((timestamp, offset) => ({ offset, key: null, value: `v${offset}`, timestamp }));
  return {
    logStartOffset: 0,
    highWatermark: records.length,
    ...extra,
    read: (from: number, to: number) => records.filter((r) => r.offset >= from && r.offset < to),
  };
};

describe('auto.offset.reset (AutoOffsetResetStrategy)', () => {
  it('the worked example: timestamps 0, 10000 … 40000 at now 45000: by_duration:PT20S → 3, earliest → 0, latest → 5', () => {
    const p = part([0, 10_000, 20_000, 30_000, 40_000]);
    expect(resetOffset('by_duration:PT20S', p, 'read_uncommitted', 45_000)).toBe(3);
    expect(resetOffset('earliest', p, 'read_uncommitted', 45_000)).toBe(0);
    expect(resetOffset('latest', p, 'read_uncommitted', 45_000)).toBe(5);
  });

  it('by_duration with no record that recent starts at the end; a duration longer than the log starts at the first record', () => {
    const p = part([0, 1_000]);
    expect(resetOffset('by_duration:PT1S', p, 'read_uncommitted', 10_000)).toBe(2);
    expect(resetOffset('by_duration:P1D', p, 'read_uncommitted', 10_000)).toBe(0);
  });

  it('latest for read_committed is the last stable offset, not the high watermark', () => {
    expect(resetOffset('latest', part([0, 0, 0, 0], { lastStableOffset: 2 }), 'read_committed', 0)).toBe(2);
    expect(resetOffset('latest', part([0, 0, 0, 0], { lastStableOffset: 2 }), 'read_uncommitted', 0)).toBe(4);
  });

  it('ISO-8601 durations as java.time.Duration reads them (PnDTnHnMn.nS); anything else is refused', () => {
    expect(parseIsoDurationMs('PT1H')).toBe(3_600_000);
    expect(parseIsoDurationMs('P1DT30M')).toBe(88_200_000);
    expect(parseIsoDurationMs('PT0.5S')).toBe(500);
    for (const bad of ['P', 'PT', '1H', 'P1Y', '-PT1H', 'PT1H30']) expect(() => parseIsoDurationMs(bad)).toThrow(RangeError);
    expect(checkOffsetResetStrategy('by_duration:PT5M')).toBe(300_000);
    expect(checkOffsetResetStrategy('none')).toBeNull();
    expect(() => checkOffsetResetStrategy('by_duration')).toThrow(/by_duration:<ISO-8601 duration>/);
  });
});

describe('commitAsync completion order (CommitQueue)', () => {
  it('a failure that arrives late is handled after a later commit; "always" retries it, "if-latest" drops it (the sequence check)', () => {
    const q = new CommitQueue();
    const first = q.next();
    q.add({ seq: first, offsets: [], sentMs: 0, completeAtMs: 3000, error: 'COORDINATOR_NOT_AVAILABLE', retry: 'always' });
    const second = q.next();
    expect(second).toBe(2);
    expect(q.takeDue(2999)).toEqual([]);
    const [due] = q.takeDue(3000);
    expect(due.seq).toBe(1);
    expect(shouldRetry(due, q.latestSeq)).toBe(true);
    expect(shouldRetry({ ...due, retry: 'if-latest' }, q.latestSeq)).toBe(false);
    expect(shouldRetry({ ...due, retry: 'if-latest' }, 1)).toBe(true);
    expect(shouldRetry({ ...due, retry: 'never' }, 1)).toBe(false);
  });
});
