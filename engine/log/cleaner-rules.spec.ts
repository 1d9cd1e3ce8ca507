/**
 * The pure rules against the log operations that apply them: segmentsToDelete is what applyRetention deletes,
 * compactCleanable is what compactLog keeps below the active segment (generated logs); logsToClean orders by
 * dirty ratio; bad input is a RangeError naming what was expected.
 */
import { describe, expect, it } from 'vitest';
import * as fc from 'fast-check';
import { PartitionLog } from './partition-log.ts';
import { applyRetention, retentionCheckOf, segmentsToDelete } from './retention.ts';
import { compactCleanable, compactLog } from './compaction.ts';
import { cleanableOffsets, logsToClean, maxCompactionDelayMs } from './cleaner-manager.ts';

const t0p0 = { topic: 't0', partition: 0 };

describe('segmentsToDelete', () => {
  it('is what applyRetention deletes, on generated logs (sizes, times, limits, HW below LEO)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ gap: fc.integer({ min: 0, max: 50 }), len: fc.integer({ min: 1, max: 10 }) }), { maxLength: 15 }),
        fc.integer({ min: -1, max: 200 }),
        fc.integer({ min: -1, max: 300 }),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 0, max: 400 }),
        (records, retentionMs, retentionBytes, unreplicated, after) => {
          const log = new PartitionLog(t0p0, { segmentBytes: 40, retentionMs, retentionBytes });
          let t = 0;
          for (const r of records) {
            t += r.gap;
            log.appendAsLeader([{ key: 'k', value: 'x'.repeat(r.len), timestamp: t }], { nowMs: t });
          }
          log.updateHighWatermark(log.logEndOffset - unreplicated);
          const want = segmentsToDelete(retentionCheckOf(log, t + after)).map((d) => [d.baseOffset, d.reason]);
          const got = applyRetention(log, t + after).deleted.map((d) => [d.baseOffset, d.reason]);
          return JSON.stringify(want) === JSON.stringify(got);
        },
      ),
      { numRuns: 300, seed: 7 },
    );
  });

  it('refuses an empty log and segments out of order', () => {
    expect(() => segmentsToDelete({ segments: [], nowMs: 0, retentionMs: 1, retentionBytes: -1 })).toThrow(/at least one segment/);
    const s = (baseOffset: number) => ({ baseOffset, recordCount: 1, sizeInBytes: 1, firstTimestampMs: 0, largestTimestampMs: 0 });
    expect(() => segmentsToDelete({ segments: [s(3), s(1)], nowMs: 0, retentionMs: 1, retentionBytes: -1 })).toThrow(
      'Expected segments in offset order, got baseOffset 1 after 3',
    );
  });

  it('never deletes an empty active segment, and with cleanup.policy compact only logStartOffset breaches', () => {
    const empty = { baseOffset: 5, recordCount: 0, sizeInBytes: 0, firstTimestampMs: null, largestTimestampMs: 0 };
    expect(segmentsToDelete({ segments: [empty], nowMs: 10_000, retentionMs: 1, retentionBytes: 0 })).toEqual([]);
    const old = { baseOffset: 0, recordCount: 5, sizeInBytes: 50, firstTimestampMs: 0, largestTimestampMs: 0 };
    expect(
      segmentsToDelete({ segments: [old, empty], nowMs: 10_000, retentionMs: 1, retentionBytes: -1, cleanupPolicy: 'compact' }),
    ).toEqual([]);
  });
});

describe('compactCleanable', () => {
  it('keeps what compactLog keeps below the active segment, on generated logs cleaned twice', () => {
    const rec = fc.record({ k: fc.integer({ min: 0, max: 3 }), tomb: fc.boolean() });
    fc.assert(
      fc.property(fc.array(rec, { maxLength: 10 }), fc.array(rec, { maxLength: 10 }), fc.integer({ min: 0, max: 40 }), (a, b, dr) => {
        const log = new PartitionLog(t0p0, { cleanupPolicy: 'compact', segmentBytes: 30, deleteRetentionMs: dr });
        const put = (r: { k: number; tomb: boolean }, at: number) =>
          log.appendAsLeader([{ key: `k${r.k}`, value: r.tomb ? null : 'v', timestamp: at }], { nowMs: at });
        a.forEach((r) => put(r, 0));
        log.updateHighWatermark(log.logEndOffset);
        compactLog(log, 10);
        b.forEach((r) => put(r, 20));
        log.updateHighWatermark(log.logEndOffset);
        const { firstDirtyOffset, firstUncleanableOffset } = cleanableOffsets(log, 30);
        const cleanable = log.segments.flatMap((s) => s.records).filter((r) => r.offset < firstUncleanableOffset);
        const want = compactCleanable(cleanable, firstDirtyOffset, 30, dr).map((r) => [r.offset, r.deleteHorizonMs]);
        compactLog(log, 30);
        const got = log.segments
          .flatMap((s) => s.records)
          .filter((r) => r.offset < firstUncleanableOffset)
          .map((r) => [r.offset, r.deleteHorizonMs]);
        return JSON.stringify(want) === JSON.stringify(got);
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  it('refuses records out of offset order', () => {
    const r = (offset: number) => ({ offset, key: 'k', value: 'v', timestamp: 0 });
    expect(() => compactCleanable([r(2), r(1)], 0, 0, 0)).toThrow('Expected records in offset order, got offset 1 after 2');
  });
});

describe('the cleaner manager', () => {
  it('max.compaction.lag.ms: the delay is how far the oldest dirty closed segment is past the lag; 0 before', () => {
    const log = new PartitionLog(t0p0, { cleanupPolicy: 'compact', maxCompactionLagMs: 100 });
    log.appendAsLeader([{ key: 'a', value: 'v', timestamp: 50 }], { nowMs: 50 });
    log.roll(50);
    log.appendAsLeader([{ key: 'b', value: 'v', timestamp: 60 }], { nowMs: 60 });
    log.updateHighWatermark(log.logEndOffset);
    expect(maxCompactionDelayMs(log, 150)).toBe(0);
    expect(maxCompactionDelayMs(log, 170)).toBe(20);
  });

  it('logsToClean skips delete-policy logs and empty logs', () => {
    const del = new PartitionLog(t0p0, {});
    del.appendAsLeader([{ key: 'a', value: 'v', timestamp: 0 }]);
    del.roll(0);
    del.updateHighWatermark(del.logEndOffset);
    expect(logsToClean([del, new PartitionLog(t0p0, { cleanupPolicy: 'compact' })], 0)).toEqual([]);
  });
});
