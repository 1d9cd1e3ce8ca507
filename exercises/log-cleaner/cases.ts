/**
 * The log-cleaner checkpoint's cases: a partition's history (records written at known times), the log the
 * engine builds from it, the learner's input taken from that log, the engine's answer, the failure named in
 * Kafka's terms, and the same history as a scenario the player replays.
 *
 * Both parts build their logs with the engine's own PartitionLog and grade against the engine's own rules —
 * `segmentsToDelete` (what `applyRetention` applies in every scenario) and `compactCleanable` (the per-record
 * rule `compactLog` applies). The replay is the same history as scenario steps: one produce per record (each
 * its own batch, so segments roll at the same records), the check or the cleaner at the same instant.
 *
 * Logs use toy segment sizes (tens of bytes); Kafka ≥ 4.0 refuses segment.bytes below 1 MiB (KIP-1030).
 */
import * as fc from 'fast-check';
import {
  PartitionLog,
  compactCleanable,
  compactLog,
  needsCompaction,
  plural,
  segmentsToDelete,
  summarizeSegment,
  type CleanerRecord,
  type Scenario,
  type SegmentSummary,
  type Step,
} from '../../engine/index.ts';

const T0P0 = { topic: 't0', partition: 0 };

// =============================================================================================
// Part 1: retention

/** One record of a retention history: produced at `atMs` with CreateTime `timestampMs`. */
export interface TimedRecord {
  atMs: number;
  timestampMs: number;
  key: string;
  value: string;
}

/** A retention case: the history of t0p0 (cleanup.policy delete) and the check. */
export interface RetentionCase {
  segmentBytes: number;
  records: TimedRecord[];
  retentionMs: number;
  retentionBytes: number;
  /** the time of the retention check; after every record */
  nowMs: number;
}

/** The producer's linger.ms (5 ms, Kafka ≥ 4.0): a record is appended this long after it is sent. */
const LINGER_MS = 5;

/** The case's log, built by the engine: one record per batch, appended at `atMs + linger`, HW = LEO. */
export function retentionLog(c: RetentionCase): PartitionLog {
  const log = new PartitionLog(T0P0, { segmentBytes: c.segmentBytes, retentionMs: c.retentionMs, retentionBytes: c.retentionBytes });
  for (const r of c.records) {
    const res = log.appendAsLeader([{ key: r.key, value: r.value, timestamp: r.timestampMs }], { nowMs: r.atMs + LINGER_MS });
    if (!res.ok) throw new Error(`log-cleaner case: ${res.message}`);
  }
  log.updateHighWatermark(log.logEndOffset);
  return log;
}

/** What the learner's deleteOldSegments gets: the segments, oldest first, the last one active. */
export function retentionInput(c: RetentionCase): SegmentSummary[] {
  return retentionLog(c).segments.map(summarizeSegment);
}

/** The engine's answer: the base offsets retention deletes, oldest first. */
export function expectedDeletions(c: RetentionCase): number[] {
  return segmentsToDelete({
    segments: retentionInput(c),
    nowMs: c.nowMs,
    retentionMs: c.retentionMs,
    retentionBytes: c.retentionBytes,
  }).map((d) => d.baseOffset);
}

/** `[3..5]`, `[6]`, `[9, empty]` */
export function segmentName(segments: readonly SegmentSummary[], i: number): string {
  const s = segments[i];
  const next = segments[i + 1];
  if (s.recordCount === 0) return `[${s.baseOffset}, empty]`;
  // offsets are contiguous in a log that was never compacted
  const last = next ? next.baseOffset - 1 : s.baseOffset + s.recordCount - 1;
  return last === s.baseOffset ? `[${s.baseOffset}]` : `[${s.baseOffset}..${last}]`;
}

const names = (segments: readonly SegmentSummary[], bases: readonly number[]) =>
  bases.length
    ? bases
        .map((b) =>
          segmentName(
            segments,
            segments.findIndex((s) => s.baseOffset === b),
          ),
        )
        .join(', ')
    : 'none';

/**
 * The first difference between the learner's deletions and Kafka's, in Kafka's terms; undefined when equal.
 * `got` is already checked to be base offsets of `segments`, increasing.
 */
export function retentionFailure(c: RetentionCase, got: readonly number[]): string | undefined {
  const segs = retentionInput(c);
  const want = expectedDeletions(c);
  if (got.length === want.length && got.every((b, i) => b === want[i])) return undefined;
  const idx = (b: number) => segs.findIndex((s) => s.baseOffset === b);
  const last = segs.length - 1;
  const age = (i: number) => c.nowMs - segs[i].largestTimestampMs;
  const sizeOf = (from: number) => segs.slice(from).reduce((n, s) => n + s.sizeInBytes, 0);
  const extra = got.filter((b) => !want.includes(b));
  if (extra.length) {
    const i = idx(extra[0]);
    if (i === last) {
      const reasons: string[] = [];
      if (c.retentionBytes >= 0 && sizeOf(i + 1) < c.retentionBytes)
        reasons.push(`without it the log would hold ${sizeOf(i + 1)} bytes, under retention.bytes ${c.retentionBytes}`);
      if (c.retentionMs >= 0 && age(i) <= c.retentionMs)
        reasons.push(`its newest record is ${age(i)} ms old, not more than retention.ms ${c.retentionMs}`);
      return `deleted the active segment ${segmentName(segs, i)}: Kafka deletes the active segment only when every segment of the log goes (it rolls a new empty one first)${reasons.length ? `; ${reasons.join(', and ')}` : ''}`;
    }
    const keptBefore = segs.findIndex((s, j) => j < i && !got.includes(s.baseOffset));
    if (keptBefore >= 0) {
      return `deleted past a segment that has not expired: you kept ${segmentName(segs, keptBefore)} but deleted ${segmentName(segs, i)} after it; retention deletes oldest first and stops at the first segment it keeps (the log must stay contiguous from logStartOffset)`;
    }
    const timeOk = c.retentionMs >= 0 && age(i) > c.retentionMs;
    if (c.retentionMs >= 0 && !timeOk && (c.retentionBytes < 0 || sizeOf(i + 1) < c.retentionBytes)) {
      return `deleted segment ${segmentName(segs, i)}, which has not expired: its newest record is ${age(i)} ms old at ${c.nowMs} ms, not more than retention.ms ${c.retentionMs} (a segment goes only when its newest record has expired)${c.retentionBytes >= 0 ? `, and without it the log would be ${sizeOf(i + 1)} bytes, under retention.bytes ${c.retentionBytes}` : ''}`;
    }
    return `deleted segment ${segmentName(segs, i)}: without it the log would be ${sizeOf(i + 1)} bytes, under retention.bytes ${c.retentionBytes}; retention.bytes deletes a segment only if at least retention.bytes remain${c.retentionMs >= 0 ? ` (and its newest record is ${age(i)} ms old, not more than retention.ms ${c.retentionMs})` : ''}`;
  }
  const missing = want.find((b) => !got.includes(b))!;
  const i = idx(missing);
  return `kept segment ${segmentName(segs, i)}, which retention deletes: ${
    c.retentionMs >= 0 && age(i) > c.retentionMs
      ? `its newest record is ${age(i)} ms old at ${c.nowMs} ms, more than retention.ms ${c.retentionMs}`
      : `the log is ${sizeOf(idx(want[0]))} bytes and stays at least retention.bytes ${c.retentionBytes} without it`
  }`;
}

/** The case as the learner reads it. */
export function formatRetentionCase(c: RetentionCase): string {
  const segs = retentionInput(c);
  return [
    `t0p0 (cleanup.policy delete, toy segment.bytes ${c.segmentBytes}): retention.ms ${c.retentionMs}, retention.bytes ${c.retentionBytes}; the check runs at ${c.nowMs} ms`,
    ...segs.map(
      (s, i) =>
        `  ${segmentName(segs, i)}${i === segs.length - 1 ? ' (active)' : ''}: ${plural(s.recordCount, 'record')}, ${s.sizeInBytes} bytes, timestamps ${s.firstTimestampMs}…${s.largestTimestampMs} ms (largestTimestampMs ${s.largestTimestampMs})`,
    ),
  ].join('\n');
}

export function formatDeletions(c: RetentionCase, bases: readonly number[]): string {
  const segs = retentionInput(c);
  return bases.every((b) => segs.some((s) => s.baseOffset === b)) ? `deleted ${names(segs, bases)}` : `deleted ${JSON.stringify(bases)}`;
}

/** The case as a scenario: the records produced at their times, then the retention check at nowMs. */
export function retentionScenario(c: RetentionCase, title: string, summary: string, anomaly: string | null): Scenario {
  const steps: Step[] = [
    {
      note: `t0p0 keeps records by cleanup.policy delete with retention.ms ${c.retentionMs} and retention.bytes ${c.retentionBytes}. Segments are toy-sized (${c.segmentBytes} bytes; Kafka's minimum is 1 MiB), so a few records fill one.`,
    },
  ];
  let t = 0;
  for (const r of c.records) {
    if (r.atMs > t) steps.push({ advanceTime: { ms: r.atMs - t } });
    t = r.atMs;
    steps.push({ produce: { producer: 'P0', topic: 't0', records: [{ key: r.key, value: r.value, timestamp: r.timestampMs }] } });
  }
  if (anomaly) steps.push({ note: `Anomaly — ${anomaly}` });
  steps.push({ note: `The retention check runs at ${c.nowMs} ms (log.retention.check.interval.ms): what Kafka deletes.` });
  steps.push({ advanceTime: { ms: c.nowMs - t } });
  return {
    id: 'log-cleaner-retention-replay',
    title,
    summary,
    seed: 1,
    brokers: 1,
    cluster: { logRetentionCheckIntervalMs: c.nowMs },
    topics: [
      {
        name: 't0',
        partitions: 1,
        configs: { segmentBytes: c.segmentBytes, retentionMs: c.retentionMs, retentionBytes: c.retentionBytes },
      },
    ],
    producers: [{ id: 'P0' }],
    steps,
  };
}

/** Generated retention histories: 1–12 records, toy segments, time and/or size limits, late CreateTimes. */
export function retentionArbitrary(options: { lateRecords?: boolean; bytes?: boolean } = {}): fc.Arbitrary<RetentionCase> {
  return fc
    .record({
      segmentBytes: fc.integer({ min: 30, max: 90 }),
      records: fc.array(
        fc.record({
          gapS: fc.integer({ min: 1, max: 30 }),
          lateS: options.lateRecords ? fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 1, max: 120 })) : fc.constant(0),
          valueLength: fc.integer({ min: 1, max: 12 }),
        }),
        { minLength: 1, maxLength: 12 },
      ),
      retentionS: fc.oneof(fc.constant(-1), fc.integer({ min: 5, max: 120 })),
      bytesFraction: options.bytes === false ? fc.constant(-1) : fc.oneof(fc.constant(-1), fc.integer({ min: 0, max: 100 })),
      afterS: fc.integer({ min: 1, max: 150 }),
    })
    .map((x) => {
      let t = 0;
      const records = x.records.map((r, i) => {
        t += r.gapS * 1000;
        return { atMs: t, timestampMs: Math.max(0, t - r.lateS * 1000), key: `k${i}`, value: 'v'.repeat(r.valueLength) };
      });
      const c: RetentionCase = {
        segmentBytes: x.segmentBytes,
        records,
        retentionMs: x.retentionS < 0 ? -1 : x.retentionS * 1000,
        retentionBytes: -1,
        nowMs: t + x.afterS * 1000,
      };
      if (x.bytesFraction >= 0) c.retentionBytes = Math.floor((retentionLog(c).sizeInBytes * x.bytesFraction) / 100);
      if (c.retentionMs < 0 && c.retentionBytes < 0) c.retentionMs = 60_000;
      return c;
    });
}

// =============================================================================================
// Part 2: compaction

/** A compaction case: t0p0 (cleanup.policy compact) written in two phases, cleaned after each. */
export interface CompactionCase {
  segmentBytes: number;
  deleteRetentionMs: number;
  /** log.cleaner.backoff.ms: the cleaner looks at t1 = backoff and t2 = 2 × backoff */
  cleanerBackoffMs: number;
  /** written 10 ms apart from 0 ms, before the first pass */
  first: { key: string; value: string | null }[];
  /** written 10 ms apart after the first pass, before the second */
  second: { key: string; value: string | null }[];
}

/** The records' spacing: each its own batch (linger.ms 5). */
const SPACING_MS = 10;

function appendAll(log: PartitionLog, records: CompactionCase['first'], fromMs: number): void {
  records.forEach((r, i) => {
    const at = fromMs + i * SPACING_MS;
    const res = log.appendAsLeader([{ key: r.key, value: r.value, timestamp: at }], { nowMs: at + LINGER_MS });
    if (!res.ok) throw new Error(`log-cleaner case: ${res.message}`);
    log.updateHighWatermark(log.logEndOffset);
  });
}

const TOPIC_CONFIG = (c: CompactionCase) => ({
  cleanupPolicy: 'compact' as const,
  segmentBytes: c.segmentBytes,
  deleteRetentionMs: c.deleteRetentionMs,
  minCleanableDirtyRatio: 0,
});

/** The log just before the second pass (the engine's first pass already ran at t1). */
export function compactionLog(c: CompactionCase): PartitionLog {
  const log = new PartitionLog(T0P0, TOPIC_CONFIG(c));
  appendAll(log, c.first, 0);
  if (needsCompaction(log, c.cleanerBackoffMs)) compactLog(log, c.cleanerBackoffMs);
  appendAll(log, c.second, c.cleanerBackoffMs + SPACING_MS);
  return log;
}

/** The second pass's time. */
export const passMs = (c: CompactionCase) => 2 * c.cleanerBackoffMs;

/** What the learner's compact gets: the cleanable part (below the active segment) and the cleaner checkpoint. */
export interface CompactionInput {
  records: CleanerRecord[];
  firstDirtyOffset: number;
  nowMs: number;
  deleteRetentionMs: number;
}

export function compactionInput(c: CompactionCase): CompactionInput {
  const log = compactionLog(c);
  const activeBase = log.activeSegment.baseOffset;
  const records: CleanerRecord[] = [];
  for (const s of log.segments)
    for (const r of s.records) {
      if (r.offset >= activeBase) continue;
      const x: CleanerRecord = { offset: r.offset, key: r.key, value: r.value, timestamp: r.timestamp };
      if (r.deleteHorizonMs !== undefined) x.deleteHorizonMs = r.deleteHorizonMs;
      records.push(x);
    }
  return {
    records,
    firstDirtyOffset: Math.min(log.firstDirtyOffset, activeBase),
    nowMs: passMs(c),
    deleteRetentionMs: c.deleteRetentionMs,
  };
}

/** The engine's answer: the cleanable part after the pass. */
export function expectedCompaction(c: CompactionCase): CleanerRecord[] {
  const i = compactionInput(c);
  return compactCleanable(i.records, i.firstDirtyOffset, i.nowMs, i.deleteRetentionMs);
}

export const recordName = (r: Pick<CleanerRecord, 'offset' | 'key' | 'value'>) => `${r.offset}: ${r.key}=${r.value ?? 'null'}`;

/** The first difference between the learner's cleaned records and Kafka's, in Kafka's terms; undefined when equal. */
export function compactionFailure(c: CompactionCase, got: readonly CleanerRecord[]): string | undefined {
  const input = compactionInput(c);
  const want = expectedCompaction(c);
  const byOffset = new Map(input.records.map((r) => [r.offset, r]));
  for (const r of got) {
    const orig = byOffset.get(r.offset);
    if (!orig || orig.key !== r.key || orig.value !== r.value) {
      const at = input.records.find((x) => x.key === r.key && x.value === r.value);
      return `renumbered records: you returned ${recordName(r)}, but ${orig ? `offset ${r.offset} holds ${recordName(orig)}` : `there is no offset ${r.offset} in the log`}${at ? ` (${r.key}=${r.value ?? 'null'} is at offset ${at.offset})` : ''}; compaction removes records and keeps every other record at its offset, leaving gaps`;
    }
  }
  for (let i = 1; i < got.length; i++) {
    if (got[i].offset <= got[i - 1].offset) {
      return `reordered records: ${recordName(got[i])} comes after ${recordName(got[i - 1])}; the cleaned log keeps offset order`;
    }
  }
  const gotOffsets = new Map(got.map((r) => [r.offset, r]));
  const wantOffsets = new Map(want.map((r) => [r.offset, r]));
  for (const w of want) {
    if (gotOffsets.has(w.offset)) continue;
    if (w.value === null) {
      return `removed the tombstone ${recordName(w)} before delete.retention.ms: ${
        byOffset.get(w.offset)!.deleteHorizonMs === undefined
          ? `this pass is the first to see it, so it stays and gets a delete horizon of ${input.nowMs} + ${input.deleteRetentionMs} = ${w.deleteHorizonMs} ms`
          : `its delete horizon is ${w.deleteHorizonMs} ms and the cleaner runs at ${input.nowMs} ms`
      }; a consumer reading within delete.retention.ms must see that ${w.key} was deleted`;
    }
    return `dropped key ${w.key}'s latest value ${recordName(w)}: compaction keeps the latest record of every key`;
  }
  for (const g of got) {
    if (wantOffsets.has(g.offset)) continue;
    const orig = byOffset.get(g.offset)!;
    const later = input.records.find((x) => x.key === g.key && x.offset > g.offset && x.offset >= input.firstDirtyOffset);
    if (orig.value === null && !later) {
      return `kept the tombstone ${recordName(g)} forever: its delete horizon ${orig.deleteHorizonMs} ms has passed (the cleaner runs at ${input.nowMs} ms); a tombstone goes once delete.retention.ms has passed, or deleted keys are never removed`;
    }
    return `kept ${recordName(g)}, which ${later ? `${recordName(later)} supersedes` : 'compaction removes'}: only a key's latest record survives`;
  }
  for (const w of want) {
    const g = gotOffsets.get(w.offset)!;
    if (w.value === null && g.deleteHorizonMs !== w.deleteHorizonMs) {
      return `kept the tombstone ${recordName(w)} with deleteHorizonMs ${g.deleteHorizonMs ?? 'unset'}: ${
        byOffset.get(w.offset)!.deleteHorizonMs === undefined
          ? `the first pass that keeps a tombstone stamps it nowMs + deleteRetentionMs = ${w.deleteHorizonMs}; without a horizon it is kept forever`
          : `it already had ${w.deleteHorizonMs}; the horizon is set once`
      }`;
    }
  }
  return undefined;
}

/** The case as the learner reads it. */
export function formatCompactionCase(c: CompactionCase): string {
  const i = compactionInput(c);
  const log = compactionLog(c);
  const show = (r: CleanerRecord) =>
    `${recordName(r)}${r.value === null ? (r.deleteHorizonMs !== undefined ? ` (deleteHorizonMs ${r.deleteHorizonMs})` : ' (no horizon yet)') : ''}`;
  const clean = i.records.filter((r) => r.offset < i.firstDirtyOffset);
  const dirty = i.records.filter((r) => r.offset >= i.firstDirtyOffset);
  const active = log.activeSegment.records;
  return [
    `t0p0 (cleanup.policy compact, delete.retention.ms ${c.deleteRetentionMs}, toy segment.bytes ${c.segmentBytes}); the cleaner runs at ${i.nowMs} ms, firstDirtyOffset ${i.firstDirtyOffset}`,
    `  clean part: ${clean.map(show).join(' · ') || '(empty)'}`,
    `  dirty part: ${dirty.map(show).join(' · ') || '(empty)'}`,
    `  active segment from ${log.activeSegment.baseOffset} (not yours to clean): ${active.map((r) => recordName(r)).join(' · ') || '(empty)'}`,
  ].join('\n');
}

export function formatRecords(rs: readonly CleanerRecord[]): string {
  return rs.length
    ? rs.map((r) => `${recordName(r)}${r.value === null ? ` (horizon ${r.deleteHorizonMs ?? 'unset'})` : ''}`).join(' · ')
    : '(empty)';
}

/** The case as a scenario: both phases produced, the cleaner at t1 and, after the anomaly note, at t2. */
export function compactionScenario(c: CompactionCase, title: string, summary: string, anomaly: string | null): Scenario {
  const steps: Step[] = [
    {
      note: `t0p0 is compacted (delete.retention.ms ${c.deleteRetentionMs}). Segments are toy-sized (${c.segmentBytes} bytes; Kafka's minimum is 1 MiB); the cleaner looks every ${c.cleanerBackoffMs} ms.`,
    },
  ];
  const phase = (records: CompactionCase['first']) =>
    records.forEach((r) => {
      steps.push({ produce: { producer: 'P0', topic: 't0', records: [{ key: r.key, value: r.value }] } });
      steps.push({ advanceTime: { ms: SPACING_MS } });
    });
  phase(c.first);
  steps.push({ note: `The cleaner's first pass, at ${c.cleanerBackoffMs} ms.` });
  steps.push({ advanceTime: { ms: c.cleanerBackoffMs - c.first.length * SPACING_MS + SPACING_MS } });
  phase(c.second);
  if (anomaly) steps.push({ note: `Anomaly — ${anomaly}` });
  steps.push({ note: `The second pass, at ${passMs(c)} ms: what Kafka's cleaner keeps.` });
  steps.push({ advanceTime: { ms: passMs(c) - (c.cleanerBackoffMs + SPACING_MS + c.second.length * SPACING_MS) } });
  return {
    id: 'log-cleaner-compaction-replay',
    title,
    summary,
    seed: 1,
    brokers: 1,
    cluster: { logCleanerBackoffMs: c.cleanerBackoffMs, logRetentionCheckIntervalMs: 10 * passMs(c) },
    topics: [{ name: 't0', partitions: 1, configs: TOPIC_CONFIG(c) }],
    producers: [{ id: 'P0' }],
    steps,
  };
}

const KEYS = ['alice', 'bob', 'carol', 'dave'];

/** Generated compaction histories: 1–4 keys, tombstones, toy segments; delete.retention.ms around the gap. */
export function compactionArbitrary(): fc.Arbitrary<CompactionCase> {
  const record = (keys: number) =>
    fc.record({ k: fc.integer({ min: 0, max: keys - 1 }), tombstone: fc.integer({ min: 0, max: 3 }) }).map(({ k, tombstone }) => ({
      key: KEYS[k],
      value: tombstone === 0 ? null : `${KEYS[k][0]}`,
    }));
  return fc.integer({ min: 1, max: 4 }).chain((keys) =>
    fc
      .record({
        segmentBytes: fc.integer({ min: 20, max: 45 }),
        deleteRetentionMs: fc.constantFrom(0, 5000, 15_000, 15_001, 60_000),
        first: fc.array(record(keys), { minLength: 0, maxLength: 8 }),
        second: fc.array(record(keys), { minLength: 0, maxLength: 8 }),
      })
      .map((x) => {
        // number the values so every record is told apart: a1, b2, …
        let n = 0;
        const num = (r: { key: string; value: string | null }) => ({ key: r.key, value: r.value === null ? null : `${r.value}${++n}` });
        return { ...x, cleanerBackoffMs: 15_000, first: x.first.map(num), second: x.second.map(num) };
      }),
  );
}
