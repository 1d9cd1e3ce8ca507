import { describe, expect, it } from 'vitest';
import * as fc from 'fast-check';
import { PartitionLog } from './partition-log.ts';
import type { LogConfig } from './log-config.ts';
import { cleanUpLog, cleanableOffsets, compactLog, dirtyRatio, needsCompaction } from './compaction.ts';
import type { CleanedRecord } from './compaction.ts';
import type { LogRecord } from '../common/record.ts';

const t0p0 = { topic: 't0', partition: 0 };

/** append [key, value] pairs at `timestamp`, then roll if asked; HW follows LEO (a single replica) */
function build(config: Partial<LogConfig>, ...segments: Array<Array<[string | null, string | null]>>) {
  const log = new PartitionLog(t0p0, { cleanupPolicy: 'compact', ...config });
  segments.forEach((seg, i) => {
    for (const [key, value] of seg) log.appendAsLeader([{ key, value, timestamp: i * 10 }]);
    if (i < segments.length - 1) log.roll(i * 10);
  });
  log.updateHighWatermark(log.logEndOffset);
  return log;
}

const all = (log: PartitionLog) => log.segments.flatMap((s) => s.records) as CleanedRecord[];
const show = (rs: LogRecord[]) => rs.map((r) => `${r.offset}:${r.key}=${r.value ?? 'null'}`);

describe('compaction: the worked example', () => {
  const example = () =>
    build(
      { deleteRetentionMs: 100 },
      [
        ['k1', 'a'],
        ['k2', 'b'],
        ['k1', 'c'],
        ['k2', null],
        ['k3', 'd'],
      ],
      [['k1', 'e']],
    );

  it('[0..4] | active [5]: keeps 2:k1=c, 3:k2=null, 4:k3=d and leaves the active segment alone', () => {
    const log = example();
    const res = compactLog(log, 0);
    expect(show(all(log))).toEqual(['2:k1=c', '3:k2=null', '4:k3=d', '5:k1=e']);
    expect(res).toMatchObject({
      firstDirtyOffset: 0,
      firstUncleanableOffset: 5,
      endOffset: 5,
      recordsRead: 5,
      recordsRetained: 3,
      duplicatesRemoved: 2,
      tombstonesStamped: 1,
    });
    expect(log.firstDirtyOffset).toBe(5);
  });

  it('offsets are kept with gaps; LEO, HW and logStartOffset do not move; reading from 0 starts at 2', () => {
    const log = example();
    compactLog(log, 0);
    expect([log.logStartOffset, log.logEndOffset, log.highWatermark]).toEqual([0, 6, 6]);
    const res = log.read(0, 1);
    expect(res.ok && res.records[0].offset).toBe(2);
  });

  it('the tombstone gets deleteHorizonMs = clean time + deleteRetentionMs, and survives until then', () => {
    const log = example();
    compactLog(log, 0);
    expect(all(log).find((r) => r.offset === 3)?.deleteHorizonMs).toBe(100);
    // new dirty data, then roll so it is cleanable; a pass at 99 keeps the tombstone, one at 100 drops it
    log.appendAsLeader([{ key: 'k4', value: 'f', timestamp: 20 }]);
    log.roll(20);
    log.updateHighWatermark(log.logEndOffset);
    const early = compactLog(log, 99);
    expect(early.tombstonesRemoved).toBe(0);
    log.appendAsLeader([{ key: 'k5', value: 'g', timestamp: 30 }]);
    log.roll(30);
    log.updateHighWatermark(log.logEndOffset);
    const late = compactLog(log, 100);
    expect(late.tombstonesRemoved).toBe(1);
    // 2:k1=c went in the pass at 99: 5:k1=e had left the active segment and superseded it
    expect(show(all(log))).toEqual(['4:k3=d', '5:k1=e', '6:k4=f', '7:k5=g']);
  });

  it('a second pass with no new dirty data changes nothing', () => {
    const log = example();
    compactLog(log, 0);
    const before = JSON.stringify(log.segments);
    const res = compactLog(log, 10_000_000);
    expect(res.cleaned).toBe(false);
    expect(JSON.stringify(log.segments)).toBe(before);
  });
});

describe('compaction: what is never cleaned', () => {
  it('segment [0] k1=a | active [1] k1=b: k1=a stays, the newer value is in the active segment', () => {
    const log = build({}, [['k1', 'a']], [['k1', 'b']]);
    compactLog(log, 0);
    expect(show(all(log))).toEqual(['0:k1=a', '1:k1=b']);
  });

  it('high watermark 2 in segment [0..3]: only offsets below 2 are in the offset map', () => {
    const log = build(
      {},
      [
        ['k1', 'a'],
        ['k1', 'b'],
        ['k1', 'c'],
        ['k1', 'd'],
      ],
      [['k2', 'x']],
    );
    log.updateHighWatermark(2);
    expect(cleanableOffsets(log, 0)).toEqual({ firstDirtyOffset: 0, firstUncleanableOffset: 2 });
    compactLog(log, 0);
    // map {k1 → 1}: 0 is superseded; 2 and 3 are past the map's latest offset and kept
    expect(show(all(log))).toEqual(['1:k1=b', '2:k1=c', '3:k1=d', '4:k2=x']);
  });

  it('min.compaction.lag.ms 100: a segment whose newest record is younger than the lag stops the cleaner there', () => {
    // segment 0 at t=0, segment 1 at t=10, active at t=20; at now = 105 segment 1 (max ts 10 > 105 − 100) is too young
    const log = build(
      { minCompactionLagMs: 100 },
      [
        ['k1', 'a'],
        ['k1', 'b'],
      ],
      [
        ['k1', 'c'],
        ['k1', 'd'],
      ],
      [['k9', 'z']],
    );
    expect(cleanableOffsets(log, 105).firstUncleanableOffset).toBe(2);
    compactLog(log, 105);
    expect(show(all(log))).toEqual(['1:k1=b', '2:k1=c', '3:k1=d', '4:k9=z']);
    // later both segments are old enough
    compactLog(log, 111);
    expect(show(all(log))).toEqual(['3:k1=d', '4:k9=z']);
  });
});

describe('compaction: segments', () => {
  it('three small cleaned segments merge into one when their sizes fit segment.bytes', () => {
    const log = build({}, [['a', '1']], [['b', '2']], [['c', '3']], [['d', '4']]);
    expect(log.segments).toHaveLength(4);
    compactLog(log, 0);
    expect(log.segments.map((s) => [s.baseOffset, s.records.length])).toEqual([
      [0, 3],
      [3, 1],
    ]);
  });

  it('segments are not merged beyond segment.bytes', () => {
    const one = build({}, [['a', '1']], [['z', '0']]);
    const size = one.segments[0].sizeInBytes;
    const log = build({ segmentBytes: 2 * size }, [['a', '1']], [['b', '2']], [['c', '3']], [['d', '4']]);
    compactLog(log, 0);
    expect(log.segments.map((s) => s.baseOffset)).toEqual([0, 2, 3]);
  });
});

describe('dirty ratio and scheduling', () => {
  it('nothing cleaned yet: dirty ratio 1 over the non-active segments; 0 after a pass', () => {
    const log = build(
      {},
      [
        ['a', '1'],
        ['a', '2'],
      ],
      [['b', '3']],
    );
    expect(dirtyRatio(log, 0)).toBe(1);
    expect(needsCompaction(log, 0)).toBe(true);
    compactLog(log, 0);
    expect(dirtyRatio(log, 0)).toBe(0);
    expect(needsCompaction(log, 0)).toBe(false);
  });

  it('cleanup.policy delete is never compacted by cleanUpLog', () => {
    const log = build(
      { cleanupPolicy: 'delete' },
      [
        ['a', '1'],
        ['a', '2'],
      ],
      [['b', '3']],
    );
    expect(cleanUpLog(log, 0).compaction).toBeNull();
  });

  it('compact,delete: cleanUpLog compacts, then retention deletes expired segments', () => {
    const log = build(
      { cleanupPolicy: 'compact,delete', retentionMs: 5 },
      [
        ['a', '1'],
        ['a', '2'],
      ],
      [['b', '3']],
      [['c', '4']],
    );
    const res = cleanUpLog(log, 18);
    expect(res.compaction?.cleaned).toBe(true);
    // the cleaner merged segments [0..1] and [2] into one (max ts 10): 18 − 10 = 8 > 5 → deleted; active (ts 20) kept
    expect(res.compaction?.endOffset).toBe(3);
    expect(res.retention.deleted.map((d) => [d.baseOffset, d.endOffset])).toEqual([[0, 3]]);
    expect(log.logStartOffset).toBe(3);
  });
});

describe('compaction properties', () => {
  type Op =
    | { kind: 'append'; key: number; value: string | null }
    | { kind: 'roll' }
    | { kind: 'compact'; dt: number }
    | { kind: 'hw'; back: number };
  const op: fc.Arbitrary<Op> = fc.oneof(
    {
      weight: 8,
      arbitrary: fc.record({
        kind: fc.constant('append' as const),
        key: fc.integer({ min: 0, max: 5 }),
        value: fc.option(fc.constantFrom('a', 'b', 'c'), { freq: 4 }),
      }),
    },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('roll' as const) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('compact' as const), dt: fc.integer({ min: 0, max: 50 }) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('hw' as const), back: fc.nat(3) }) },
  );

  it('every key’s latest record survives; the active segment is untouched; offsets only disappear, never change', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), fc.integer({ min: 0, max: 40 }), (ops, lag) => {
        const log = new PartitionLog(t0p0, { cleanupPolicy: 'compact', deleteRetentionMs: 30, minCompactionLagMs: lag });
        let now = 0;
        for (const o of ops) {
          if (o.kind === 'append') {
            log.appendAsLeader([{ key: `k${o.key}`, value: o.value, timestamp: now }]);
            log.updateHighWatermark(log.logEndOffset);
          } else if (o.kind === 'roll') log.roll(now);
          else if (o.kind === 'hw') log.updateHighWatermark(log.logEndOffset - o.back);
          else {
            now += o.dt;
            const before = all(log).map((r) => ({ ...r }));
            const activeBefore = JSON.stringify(log.activeSegment.records);
            const res = compactLog(log, now);
            const after = all(log);
            // active segment untouched
            if (JSON.stringify(log.activeSegment.records) !== activeBefore) return false;
            // survivors are a subsequence of the records before, same offset/key/value
            const byOffset = new Map(before.map((r) => [r.offset, r]));
            for (const r of after) {
              const b = byOffset.get(r.offset);
              if (!b || b.key !== r.key || b.value !== r.value) return false;
            }
            // each key's latest record survives unless it is a tombstone whose horizon had passed
            const latest = new Map<string, CleanedRecord>();
            for (const r of before) if (r.key !== null) latest.set(r.key, r);
            for (const r of latest.values()) {
              const kept = after.some((x) => x.offset === r.offset);
              const expired = r.value === null && r.deleteHorizonMs !== undefined && now >= r.deleteHorizonMs;
              if (!kept && !expired) return false;
            }
            // below the checkpoint each key appears at most once
            if (res.cleaned) {
              const seen = new Set<string>();
              for (const r of after) {
                if (r.offset >= res.endOffset) break;
                if (r.key === null || seen.has(r.key)) return false;
                seen.add(r.key);
              }
            }
            if ([log.logStartOffset, log.logEndOffset].some((x) => !Number.isInteger(x))) return false;
          }
        }
        const offsets = all(log).map((r) => r.offset);
        return offsets.every((o, i) => i === 0 || o > offsets[i - 1]);
      }),
      { numRuns: 300 },
    );
  });
});
