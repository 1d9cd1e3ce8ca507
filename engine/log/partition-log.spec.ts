import { describe, expect, it } from 'vitest';
import * as fc from 'fast-check';
import { PartitionLog, RECORD_BATCH_OVERHEAD_BYTES } from './partition-log.ts';
import type { AppendRecord } from './partition-log.ts';
import { recordSizeBytes } from '../common/record.ts';
import { DEFAULT_LOG_CONFIG, logConfig } from './log-config.ts';

const t0p0 = { topic: 't0', partition: 0 };
const rec = (key: string | null, value: string | null, timestamp = 0): AppendRecord => ({ key, value, timestamp });
/** a record whose size is exactly recordSizeBytes of key "kNN" + 10-char value */
const sized = (i: number, timestamp = 0) => rec(`k${String(i).padStart(2, '0')}`, 'x'.repeat(10), timestamp);
const SIZE = recordSizeBytes(sized(0));

function appendAll(log: PartitionLog, records: AppendRecord[]) {
  for (const r of records) {
    const res = log.appendAsLeader([r]);
    if (!res.ok) throw new Error(res.message);
  }
}

describe('LogConfig defaults (Kafka topic configs)', () => {
  it('segment.bytes 1 GiB, segment.ms 7 days, retention.ms 7 days, retention.bytes -1, delete.retention.ms 1 day', () => {
    expect(DEFAULT_LOG_CONFIG.segmentBytes).toBe(1073741824);
    expect(DEFAULT_LOG_CONFIG.segmentMs).toBe(604800000);
    expect(DEFAULT_LOG_CONFIG.retentionMs).toBe(604800000);
    expect(DEFAULT_LOG_CONFIG.retentionBytes).toBe(-1);
    expect(DEFAULT_LOG_CONFIG.deleteRetentionMs).toBe(86400000);
    expect(DEFAULT_LOG_CONFIG.cleanupPolicy).toBe('delete');
    expect(DEFAULT_LOG_CONFIG.minCompactionLagMs).toBe(0);
    expect(DEFAULT_LOG_CONFIG.minCleanableDirtyRatio).toBe(0.5);
    expect(DEFAULT_LOG_CONFIG.maxMessageBytes).toBe(1048588);
  });

  it('an invalid value names the field, the expectation and what came', () => {
    expect(() => logConfig({ segmentBytes: 0 })).toThrow('Expected segmentBytes to be a positive integer (bytes), got 0');
    expect(() => logConfig({ retentionMs: -2 })).toThrow(/retentionMs.*got -2/);
    expect(() => logConfig({ cleanupPolicy: 'purge' as never })).toThrow(/cleanupPolicy/);
  });
});

describe('PartitionLog: offsets', () => {
  it('empty log: logStartOffset = LEO = HW = 0, one empty active segment at 0', () => {
    const log = new PartitionLog(t0p0);
    expect([log.logStartOffset, log.logEndOffset, log.highWatermark]).toEqual([0, 0, 0]);
    expect(log.segments).toHaveLength(1);
    expect(log.activeSegment.baseOffset).toBe(0);
  });

  it('three single-record appends get offsets 0, 1, 2; a batch of 2 gets 3, 4', () => {
    const log = new PartitionLog(t0p0);
    const offsets = [0, 1, 2].map((i) => {
      const r = log.appendAsLeader([sized(i)]);
      return r.ok ? r.firstOffset : -1;
    });
    expect(offsets).toEqual([0, 1, 2]);
    const batch = log.appendAsLeader([sized(3), sized(4)]);
    expect(batch).toMatchObject({ ok: true, firstOffset: 3, lastOffset: 4, logEndOffset: 5 });
  });

  it('property: offsets are unique, consecutive from logStartOffset and increasing across any batching', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 20, max: 400 }),
        fc.nat(1000),
        (batchSizes, segmentBytes, start) => {
          const log = new PartitionLog(t0p0, { segmentBytes: Math.max(segmentBytes, 5 * SIZE) }, { logStartOffset: start });
          let n = 0;
          for (const size of batchSizes) {
            const res = log.appendAsLeader(Array.from({ length: size }, () => sized(n++ % 100)));
            if (!res.ok) return false;
          }
          const offsets = log.segments.flatMap((s) => s.records.map((r) => r.offset));
          return offsets.length === n && offsets.every((o, i) => o === start + i) && log.logEndOffset === start + n;
        },
      ),
    );
  });

  it('a keyless record to a compacted topic: INVALID_RECORD, nothing appended', () => {
    const log = new PartitionLog(t0p0, { cleanupPolicy: 'compact' });
    const res = log.appendAsLeader([rec('a', '1'), rec(null, '2')]);
    expect(res).toMatchObject({ ok: false, error: 'INVALID_RECORD' });
    expect(log.logEndOffset).toBe(0);
  });

  it('a batch over maxMessageBytes: MESSAGE_TOO_LARGE (the 61-byte batch header counts)', () => {
    const limit = SIZE + RECORD_BATCH_OVERHEAD_BYTES;
    const fits = new PartitionLog(t0p0, { maxMessageBytes: limit }).appendAsLeader([sized(1)]);
    expect(fits.ok).toBe(true);
    const tooBig = new PartitionLog(t0p0, { maxMessageBytes: limit - 1 }).appendAsLeader([sized(1)]);
    expect(tooBig).toMatchObject({ ok: false, error: 'MESSAGE_TOO_LARGE' });
  });

  it('a batch larger than segmentBytes: RECORD_LIST_TOO_LARGE', () => {
    const log = new PartitionLog(t0p0, { segmentBytes: 2 * SIZE });
    expect(log.appendAsLeader([sized(1), sized(2), sized(3)])).toMatchObject({ ok: false, error: 'RECORD_LIST_TOO_LARGE' });
  });

  it('an empty batch is a programming error', () => {
    expect(() => new PartitionLog(t0p0).appendAsLeader([])).toThrow(/at least one record/);
  });
});

describe('PartitionLog: segment rolls (LogSegment.shouldRoll)', () => {
  it('segmentBytes = 3 records: the 4th record rolls a new segment at offset 3', () => {
    const log = new PartitionLog(t0p0, { segmentBytes: 3 * SIZE });
    appendAll(
      log,
      [0, 1, 2].map((i) => sized(i)),
    );
    expect(log.segments).toHaveLength(1); // exactly full is allowed: size > max - batch is false
    const res = log.appendAsLeader([sized(3)]);
    expect(res).toMatchObject({ ok: true, rolled: true });
    expect(log.segments.map((s) => s.baseOffset)).toEqual([0, 3]);
  });

  it('7 records into segments of 3: bases 0, 3, 6 and the active segment is the last', () => {
    const log = new PartitionLog(t0p0, { segmentBytes: 3 * SIZE });
    appendAll(
      log,
      Array.from({ length: 7 }, (_, i) => sized(i)),
    );
    expect(log.segments.map((s) => [s.baseOffset, s.records.length])).toEqual([
      [0, 3],
      [3, 3],
      [6, 1],
    ]);
    expect(log.activeSegment).toBe(log.segments[2]);
  });

  it('a batch never spans segments: 2 in the active segment + batch of 2 with room for 1 → roll', () => {
    const log = new PartitionLog(t0p0, { segmentBytes: 3 * SIZE });
    log.appendAsLeader([sized(0), sized(1)]);
    log.appendAsLeader([sized(2), sized(3)]);
    expect(log.segments.map((s) => s.records.map((r) => r.offset))).toEqual([
      [0, 1],
      [2, 3],
    ]);
  });

  it('segment.ms = 1000: a record stamped 1001 ms after the first batch rolls; 1000 ms after does not', () => {
    const log = new PartitionLog(t0p0, { segmentMs: 1000 });
    log.appendAsLeader([sized(0, 5_000)]);
    expect(log.appendAsLeader([sized(1, 6_000)])).toMatchObject({ rolled: false });
    expect(log.appendAsLeader([sized(2, 6_001)])).toMatchObject({ rolled: true });
    expect(log.segments.map((s) => s.baseOffset)).toEqual([0, 2]);
  });

  it('segment.ms uses record timestamps: an out-of-order older timestamp never rolls', () => {
    const log = new PartitionLog(t0p0, { segmentMs: 1000 });
    log.appendAsLeader([sized(0, 5_000)]);
    expect(log.appendAsLeader([sized(1, 0)])).toMatchObject({ rolled: false });
  });

  it('property: every non-active segment is ≤ segmentBytes unless it holds a single batch', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 4 }), { maxLength: 50 }), fc.integer({ min: 4, max: 20 }), (batches, k) => {
        const log = new PartitionLog(t0p0, { segmentBytes: k * SIZE });
        let n = 0;
        for (const b of batches) log.appendAsLeader(Array.from({ length: b }, () => sized(n++ % 100)));
        return log.segments.every((s) => s.sizeInBytes <= k * SIZE) && log.segments.slice(0, -1).every((s) => s.records.length > 0);
      }),
    );
  });
});

describe('PartitionLog: read', () => {
  const filled = () => {
    const log = new PartitionLog(t0p0, { segmentBytes: 3 * SIZE });
    appendAll(
      log,
      Array.from({ length: 8 }, (_, i) => sized(i, i * 10)),
    );
    return log;
  };

  it('read(3, 2) → offsets 3 and 4 with their keys and timestamps', () => {
    const res = filled().read(3, 2);
    expect(res.ok && res.records.map((r) => [r.offset, r.key, r.timestamp])).toEqual([
      [3, 'k03', 30],
      [4, 'k04', 40],
    ]);
  });

  it('read across segments: read(1, 100) returns 1..7', () => {
    const res = filled().read(1, 100);
    expect(res.ok && res.records.map((r) => r.offset)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('read(LEO) is empty, read(LEO + 1) is OFFSET_OUT_OF_RANGE', () => {
    const log = filled();
    expect(log.read(8, 10)).toMatchObject({ ok: true, records: [] });
    expect(log.read(9, 10)).toMatchObject({ ok: false, error: 'OFFSET_OUT_OF_RANGE', logStartOffset: 0, logEndOffset: 8 });
  });

  it('below logStartOffset is OFFSET_OUT_OF_RANGE', () => {
    const log = filled();
    log.updateHighWatermark(8);
    log.maybeIncrementLogStartOffset(4);
    expect(log.read(3, 1)).toMatchObject({ ok: false, error: 'OFFSET_OUT_OF_RANGE', logStartOffset: 4 });
    expect(log.read(4, 1)).toMatchObject({ ok: true });
  });

  it('isolation highWatermark: HW 5 → a consumer reading from 3 sees only 3, 4; a follower sees to LEO', () => {
    const log = filled();
    log.updateHighWatermark(5);
    const consumer = log.read(3, 100, { isolation: 'highWatermark' });
    const follower = log.read(3, 100);
    expect(consumer.ok && consumer.records.map((r) => r.offset)).toEqual([3, 4]);
    expect(follower.ok && follower.records.map((r) => r.offset)).toEqual([3, 4, 5, 6, 7]);
  });

  it('records read are copies: changing one does not change the log', () => {
    const log = filled();
    const res = log.read(0, 1);
    if (res.ok) res.records[0].value = 'changed';
    const again = log.read(0, 1);
    expect(again.ok && again.records[0].value).toBe('x'.repeat(10));
  });

  it('maxRecords 0 is a programming error', () => {
    expect(() => filled().read(0, 0)).toThrow(/maxRecords/);
  });
});

describe('PartitionLog: high watermark and truncation', () => {
  it('updateHighWatermark clamps to [logStartOffset, LEO]', () => {
    const log = new PartitionLog(t0p0);
    appendAll(log, [sized(0), sized(1), sized(2)]);
    expect(log.updateHighWatermark(10)).toBe(3);
    expect(log.updateHighWatermark(-5)).toBe(0);
  });

  it('maybeIncrementLogStartOffset beyond HW throws; at or below the current one is a no-op', () => {
    const log = new PartitionLog(t0p0);
    appendAll(log, [sized(0), sized(1), sized(2)]);
    log.updateHighWatermark(2);
    expect(() => log.maybeIncrementLogStartOffset(3)).toThrow(/highWatermark 2/);
    expect(log.maybeIncrementLogStartOffset(2)).toBe(true);
    expect(log.maybeIncrementLogStartOffset(1)).toBe(false);
    expect(log.logStartOffset).toBe(2);
  });

  it('truncateTo(4) on 7 records in segments of 3: LEO 4, HW lowered, segment [6] dropped', () => {
    const log = new PartitionLog(t0p0, { segmentBytes: 3 * SIZE });
    appendAll(
      log,
      Array.from({ length: 7 }, (_, i) => sized(i)),
    );
    log.updateHighWatermark(7);
    expect(log.truncateTo(4)).toBe(true);
    expect(log.logEndOffset).toBe(4);
    expect(log.highWatermark).toBe(4);
    expect(log.segments.map((s) => s.records.map((r) => r.offset))).toEqual([[0, 1, 2], [3]]);
    expect(log.sizeInBytes).toBe(4 * SIZE);
    // the next leader append continues at 4
    expect(log.appendAsLeader([sized(9)])).toMatchObject({ firstOffset: 4 });
  });

  it('truncateTo at a segment base keeps that segment, empty', () => {
    const log = new PartitionLog(t0p0, { segmentBytes: 3 * SIZE });
    appendAll(
      log,
      Array.from({ length: 5 }, (_, i) => sized(i)),
    );
    log.truncateTo(3);
    expect(log.segments.map((s) => [s.baseOffset, s.records.length])).toEqual([
      [0, 3],
      [3, 0],
    ]);
  });

  it('truncateTo(offset ≥ LEO) changes nothing', () => {
    const log = new PartitionLog(t0p0);
    appendAll(log, [sized(0)]);
    expect(log.truncateTo(1)).toBe(false);
    expect(log.truncateTo(5)).toBe(false);
    expect(log.logEndOffset).toBe(1);
  });

  it('truncateFullyAndStartAt(100): empty log, LEO = logStartOffset = HW = 100', () => {
    const log = new PartitionLog(t0p0);
    appendAll(log, [sized(0), sized(1)]);
    log.truncateFullyAndStartAt(100);
    expect([log.logStartOffset, log.logEndOffset, log.highWatermark, log.sizeInBytes]).toEqual([100, 100, 100, 0]);
    expect(log.appendAsLeader([sized(2)])).toMatchObject({ firstOffset: 100 });
  });

  it('property: truncate then re-append yields the same offsets as never having appended past the cut', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.nat(30), fc.integer({ min: 3, max: 8 }), (n, cutRaw, k) => {
        const cut = cutRaw % (n + 1);
        const log = new PartitionLog(t0p0, { segmentBytes: k * SIZE });
        appendAll(
          log,
          Array.from({ length: n }, (_, i) => sized(i)),
        );
        log.truncateTo(cut);
        const res = log.read(0, 1000);
        return log.logEndOffset === cut && res.ok && res.records.length === cut && log.sizeInBytes === cut * SIZE;
      }),
    );
  });
});

describe('PartitionLog: follower appends', () => {
  it('keeps the leader offsets, gaps included: 0, 1, 5 → LEO 6', () => {
    const leaderRecords = [0, 1, 5].map((offset) => ({ ...sized(offset), offset }));
    const log = new PartitionLog(t0p0);
    expect(log.appendAsFollower(leaderRecords)).toMatchObject({ ok: true, firstOffset: 0, lastOffset: 5, logEndOffset: 6 });
    const res = log.read(2, 10);
    expect(res.ok && res.records.map((r) => r.offset)).toEqual([5]);
  });

  it('an offset below LEO or out of order throws', () => {
    const log = new PartitionLog(t0p0);
    log.appendAsFollower([{ ...sized(0), offset: 0 }]);
    expect(() => log.appendAsFollower([{ ...sized(1), offset: 0 }])).toThrow(/logEndOffset 1/);
    expect(() =>
      log.appendAsFollower([
        { ...sized(1), offset: 3 },
        { ...sized(2), offset: 2 },
      ]),
    ).toThrow(RangeError);
  });

  it('leader epoch and producer metadata are stored as given', () => {
    const log = new PartitionLog(t0p0);
    log.appendAsLeader([{ ...sized(0), leaderEpoch: 3, producerId: 7, producerEpoch: 0, sequence: 0 }]);
    const res = log.read(0, 1);
    expect(res.ok && res.records[0]).toMatchObject({ leaderEpoch: 3, producerId: 7, sequence: 0 });
  });
});

describe('PartitionLog: snapshot', () => {
  it('is JSON-serialisable and names the active segment', () => {
    const log = new PartitionLog({ topic: 'orders', partition: 2 }, { segmentBytes: 2 * SIZE });
    appendAll(log, [sized(0), sized(1), sized(2)]);
    const snap = log.snapshot();
    expect(JSON.parse(JSON.stringify(snap))).toEqual(snap);
    expect(snap.segments.map((s) => [s.baseOffset, s.firstOffset, s.lastOffset, s.active])).toEqual([
      [0, 0, 1, false],
      [2, 2, 2, true],
    ]);
  });
});

describe('PartitionLog: truncation below logStartOffset', () => {
  it('logStartOffset 2 inside segment [0..2]; truncateTo(1) keeps offset 0 and moves logStartOffset back to 1', () => {
    const log = new PartitionLog(t0p0, { segmentBytes: 3 * SIZE });
    appendAll(
      log,
      Array.from({ length: 5 }, (_, i) => sized(i)),
    );
    log.updateHighWatermark(5);
    log.maybeIncrementLogStartOffset(2);
    log.truncateTo(1);
    expect([log.logStartOffset, log.logEndOffset, log.highWatermark]).toEqual([1, 1, 1]);
  });

  it('below the first segment’s base offset: the log restarts empty at that offset', () => {
    const log = new PartitionLog(t0p0, {}, { logStartOffset: 10 });
    appendAll(log, [sized(0), sized(1)]);
    log.truncateTo(4);
    expect([log.logStartOffset, log.logEndOffset, log.segments.length, log.activeSegment.baseOffset]).toEqual([4, 4, 1, 4]);
  });
});

describe('PartitionLog: the worked example in the file comment', () => {
  it('segmentBytes 100, 14-byte records: 7 fit (98 B), the 8th rolls at offset 7; read(3, 2) → 3, 4; read(9, 1) out of range', () => {
    const r14 = { key: 'k1', value: 'hello', timestamp: 0 };
    expect(recordSizeBytes(r14)).toBe(14);
    const log = new PartitionLog(t0p0, { segmentBytes: 100 });
    for (let i = 0; i < 7; i++) log.appendAsLeader([r14]);
    expect(log.segments.map((s) => s.sizeInBytes)).toEqual([98]);
    expect(log.appendAsLeader([r14])).toMatchObject({ rolled: true, firstOffset: 7 });
    expect(log.segments.map((s) => s.baseOffset)).toEqual([0, 7]);
    log.updateHighWatermark(8);
    const res = log.read(3, 2);
    expect(res.ok && res.records.map((r) => r.offset)).toEqual([3, 4]);
    expect(log.read(9, 1)).toMatchObject({ ok: false, error: 'OFFSET_OUT_OF_RANGE' });
  });
});
