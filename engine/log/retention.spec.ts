import { describe, expect, it } from 'vitest';
import * as fc from 'fast-check';
import { PartitionLog } from './partition-log.ts';
import type { AppendRecord } from './partition-log.ts';
import type { LogConfig } from './log-config.ts';
import { applyRetention } from './retention.ts';
import { recordSizeBytes } from '../common/record.ts';

const t0p0 = { topic: 't0', partition: 0 };
const r = (i: number, timestamp: number): AppendRecord => ({
  key: `k${String(i % 100).padStart(2, '0')}`,
  value: 'x'.repeat(10),
  timestamp,
});
const SIZE = recordSizeBytes(r(0, 0));

/** segments of 3 records; record i stamped timestamps[i]; HW = LEO */
function logWith(timestamps: number[], config: Partial<LogConfig> = {}) {
  const log = new PartitionLog(t0p0, { segmentBytes: 3 * SIZE, ...config });
  timestamps.forEach((ts, i) => log.appendAsLeader([r(i, ts)]));
  log.updateHighWatermark(log.logEndOffset);
  return log;
}

describe('retention.ms', () => {
  it('segments [0..2] max ts 100, [3..5] max ts 900, active [6..7] max ts 1500; retentionMs 1000 at 1500 → only [0..2] goes', () => {
    const log = logWith([0, 50, 100, 700, 800, 900, 1400, 1500], { retentionMs: 1000 });
    const res = applyRetention(log, 1500);
    expect(res.deleted.map((d) => [d.baseOffset, d.endOffset, d.reason])).toEqual([[0, 3, 'retention.ms']]);
    expect([res.logStartOffsetBefore, res.logStartOffset]).toEqual([0, 3]);
    expect(log.read(1, 1)).toMatchObject({ ok: false, error: 'OFFSET_OUT_OF_RANGE' });
  });

  it('exactly retentionMs old is kept (strictly greater deletes): age 1000 stays, age 1001 goes', () => {
    const log = logWith([0, 0, 0, 5000], { retentionMs: 1000 });
    expect(applyRetention(log, 1000).deleted).toEqual([]);
    expect(applyRetention(log, 1001).deleted.map((d) => d.baseOffset)).toEqual([0]);
  });

  it('uses the segment’s largest timestamp: one new record keeps an old segment alive', () => {
    const log = logWith([0, 0, 900, 900], { retentionMs: 1000 });
    expect(applyRetention(log, 1500).deleted).toEqual([]);
  });

  it('stops at the first kept segment even if a later one is older (out-of-order timestamps)', () => {
    const log = logWith([0, 0, 2000, 0, 0, 0, 3000], { retentionMs: 1000 });
    expect(applyRetention(log, 2500).deleted).toEqual([]);
  });

  it('everything expired and HW = LEO: rolls a new empty active segment, deletes all, logStartOffset = LEO', () => {
    const log = logWith([0, 0, 0, 0, 0], { retentionMs: 1000 });
    const res = applyRetention(log, 5000);
    expect(res.rolled).toBe(true);
    expect(res.deleted.map((d) => d.baseOffset)).toEqual([0, 3]);
    expect(log.segments.map((s) => [s.baseOffset, s.records.length])).toEqual([[5, 0]]);
    expect([log.logStartOffset, log.logEndOffset, log.highWatermark]).toEqual([5, 5, 5]);
    // the next append continues at 5
    expect(log.appendAsLeader([r(9, 6000)])).toMatchObject({ firstOffset: 5 });
  });

  it('an empty active segment is never deleted (nothing to do on an empty log)', () => {
    const log = new PartitionLog(t0p0, { retentionMs: 0 });
    expect(applyRetention(log, 1_000_000).deleted).toEqual([]);
    expect(log.segments).toHaveLength(1);
  });

  it('never deletes at or above the high watermark: HW 4 keeps segment [3..5] though it is expired', () => {
    const log = logWith([0, 0, 0, 0, 0, 0, 0], { retentionMs: 10 });
    log.updateHighWatermark(4);
    const res = applyRetention(log, 100);
    expect(res.deleted.map((d) => d.baseOffset)).toEqual([0]);
    expect(log.logStartOffset).toBe(3);
  });

  it('retentionMs -1: no time limit', () => {
    const log = logWith([0, 0, 0, 0], { retentionMs: -1 });
    expect(applyRetention(log, 10 ** 12).deleted).toEqual([]);
  });

  it('cleanup.policy compact: retention.ms does not apply', () => {
    const log = logWith([0, 0, 0, 0], { retentionMs: 10, cleanupPolicy: 'compact' });
    expect(applyRetention(log, 10_000).deleted).toEqual([]);
  });

  it('cleanup.policy compact,delete: retention.ms applies', () => {
    const log = logWith([0, 0, 0, 9_995], { retentionMs: 10, cleanupPolicy: 'compact,delete' });
    expect(applyRetention(log, 10_000).deleted.map((d) => d.baseOffset)).toEqual([0]);
  });
});

describe('retention.bytes', () => {
  it('8 records (3 segments, 8 × SIZE bytes), retentionBytes 5 × SIZE: excess 3 × SIZE → the first segment goes', () => {
    const log = logWith(new Array(8).fill(0), { retentionBytes: 5 * SIZE });
    const res = applyRetention(log, 0);
    expect(res.deleted.map((d) => [d.baseOffset, d.reason])).toEqual([[0, 'retention.bytes']]);
    expect(log.sizeInBytes).toBe(5 * SIZE);
  });

  it('excess smaller than the oldest segment: nothing goes (2 × SIZE over, segment is 3 × SIZE)', () => {
    const log = logWith(new Array(8).fill(0), { retentionBytes: 6 * SIZE });
    expect(applyRetention(log, 0).deleted).toEqual([]);
  });

  it('retentionBytes 0 with HW = LEO: the whole log goes, rolling first', () => {
    const log = logWith(new Array(4).fill(0), { retentionBytes: 0 });
    const res = applyRetention(log, 0);
    expect(res.rolled).toBe(true);
    expect(log.sizeInBytes).toBe(0);
    expect(log.logStartOffset).toBe(4);
  });
});

describe('logStartOffset breach (DeleteRecords)', () => {
  it('logStartOffset moved to 7: segments [0..2] and [3..5] go, [6..8] stays (7 is inside it)', () => {
    const log = logWith(new Array(10).fill(0), { retentionMs: -1, cleanupPolicy: 'compact' });
    log.maybeIncrementLogStartOffset(7);
    const res = applyRetention(log, 0);
    expect(res.deleted.map((d) => [d.baseOffset, d.reason])).toEqual([
      [0, 'logStartOffset'],
      [3, 'logStartOffset'],
    ]);
    expect(log.logStartOffset).toBe(7);
  });
});

describe('retention properties', () => {
  const arb = fc.record({
    timestamps: fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: 0, maxLength: 40 }),
    perSegment: fc.integer({ min: 1, max: 6 }),
    retentionMs: fc.integer({ min: -1, max: 5_000 }),
    retentionBytes: fc.integer({ min: -1, max: 40 }),
    hwBack: fc.nat(10),
    now: fc.integer({ min: 0, max: 20_000 }),
  });

  it('logStartOffset never decreases, never passes HW; data at or above HW and the current active segment’s records survive unless all is deletable', () => {
    fc.assert(
      fc.property(arb, ({ timestamps, perSegment, retentionMs, retentionBytes, hwBack, now }) => {
        const log = new PartitionLog(t0p0, {
          segmentBytes: perSegment * SIZE,
          retentionMs,
          retentionBytes: retentionBytes < 0 ? -1 : retentionBytes * SIZE,
        });
        timestamps.forEach((ts, i) => log.appendAsLeader([r(i, ts)]));
        log.updateHighWatermark(log.logEndOffset - hwBack);
        const before = log.logStartOffset;
        const hw = log.highWatermark;
        const leo = log.logEndOffset;
        const activeBase = log.activeSegment.baseOffset;
        const res = applyRetention(log, now);
        const remaining = log.segments.flatMap((s) => s.records.map((x) => x.offset));
        const ok =
          log.logStartOffset >= before &&
          log.logStartOffset <= log.highWatermark &&
          log.highWatermark === hw &&
          log.logEndOffset === leo &&
          // nothing at or above the HW was deleted
          remaining.filter((o) => o >= hw).length === Math.max(0, leo - Math.max(hw, 0)) &&
          // the active segment's records only go when the log rolled (everything was deletable)
          (res.rolled || remaining.filter((o) => o >= activeBase).length === leo - activeBase) &&
          // there is always an active segment, and every remaining offset is ≥ logStartOffset
          log.segments.length >= 1 &&
          remaining.every((o) => o >= log.logStartOffset);
        return ok;
      }),
    );
  });

  it('running retention twice at the same time deletes nothing more the second time', () => {
    fc.assert(
      fc.property(arb, ({ timestamps, perSegment, retentionMs, retentionBytes, now }) => {
        const log = new PartitionLog(t0p0, {
          segmentBytes: perSegment * SIZE,
          retentionMs,
          retentionBytes: retentionBytes < 0 ? -1 : retentionBytes * SIZE,
        });
        timestamps.forEach((ts, i) => log.appendAsLeader([r(i, ts)]));
        log.updateHighWatermark(log.logEndOffset);
        applyRetention(log, now);
        return applyRetention(log, now).deleted.length === 0;
      }),
    );
  });
});
