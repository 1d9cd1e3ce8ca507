/**
 * Retention and compaction drills: which segments a retention check deletes at time T, what a compacted log
 * holds after a cleaner pass, and where a consumer resumes once retention deleted its committed offset.
 *
 * The rules the drills practise (each answer is computed by the engine, never typed):
 *   - Retention deletes whole segments, oldest first, and stops at the first one it keeps. retention.bytes
 *     (per partition) deletes a segment only if the log stays at least retention.bytes without it; retention.ms
 *     deletes a segment when its *newest* record is more than retention.ms old. The active segment goes only if
 *     every segment goes (Kafka rolls a new empty one first) — ../log/retention.ts `segmentsToDelete`.
 *   - The cleaner keeps each key's latest record in the cleanable part (below the active segment), at its own
 *     offset; a tombstone stays until the pass at or after its delete horizon (first kept + delete.retention.ms)
 *     — ../log/compaction.ts `compactLog`.
 *   - A committed offset below the log start offset is out of range: auto.offset.reset decides (earliest = the
 *     log start offset, latest = the log end offset) — played by the scenario runner.
 *
 * Example (retention-deleted-segments): segments [0..2] newest at 10000 ms, [3..5] at 50000 ms, active [6..7]
 *   at 90000 ms; retention.ms 60000, check at 100000 ms → [0..2] (90000 ms old) goes, [3..5] (50000) stays.
 *
 * Scenarios and logs use toy segment sizes (tens of bytes) so a handful of records fills a segment; Kafka's
 * minimum segment.bytes is 1 MiB (KIP-1030, Kafka 4.0).
 * Source: UnifiedLog.deleteOldSegments; Cleaner.doClean / shouldRetainRecord (KIP-534); Fetcher's
 * OFFSET_OUT_OF_RANGE handling with AutoOffsetResetStrategy.
 */
import type { Prng } from '../common/prng.ts';
import { recordSizeBytes } from '../common/record.ts';
import { plural } from '../common/notation.ts';
import { PartitionLog } from '../log/partition-log.ts';
import { compactLog } from '../log/compaction.ts';
import { retentionCheckOf, segmentsToDelete } from '../log/retention.ts';
import type { Scenario, Step } from '../scenario/authoring.ts';
import { runScenario } from '../scenario/runner.ts';
import type { DrillBody, DrillParams } from './drill-types.ts';
import { between, pick } from './drill-helpers.ts';

type SegmentsParams = Extract<DrillParams, { kind: 'retention-deleted-segments' }>;
type CompactedParams = Extract<DrillParams, { kind: 'compacted-log-after-cleaning' }>;
type ResumeParams = Extract<DrillParams, { kind: 'resume-after-retention' }>;

const T0P0 = { topic: 't0', partition: 0 };
/** every drill record has the same size: key k00…k99, value of 8 characters */
const recordOf = (i: number, timestamp: number) => ({ key: `k${String(i % 100).padStart(2, '0')}`, value: 'v'.repeat(8), timestamp });
const RECORD_BYTES = recordSizeBytes(recordOf(0, 0));

/** `[3..5]` or `[6]` (an empty segment: `[6, empty]`) */
function segmentLabel(base: number, count: number, lastOffset: number | null): string {
  if (count === 0) return `[${base}, empty]`;
  return lastOffset === base ? `[${base}]` : `[${base}..${lastOffset}]`;
}

// ---- which segments retention deletes ---------------------------------------------------------

/** The log of a retention question: one record per append at the given times, segments of `recordsPerSegment`. */
export function retentionDrillLog(p: SegmentsParams): PartitionLog {
  const log = new PartitionLog(T0P0, {
    segmentBytes: p.recordsPerSegment * RECORD_BYTES,
    retentionMs: p.retentionMs,
    retentionBytes: p.retentionBytes,
  });
  p.timestamps.forEach((ts, i) => log.appendAsLeader([recordOf(i, ts)], { nowMs: ts }));
  log.updateHighWatermark(log.logEndOffset);
  return log;
}

export function retentionSegmentsDrill(rng: Prng): DrillBody {
  const recordsPerSegment = between(rng, 2, 4);
  const segments = between(rng, 3, 5);
  const total = recordsPerSegment * (segments - 1) + between(rng, 1, recordsPerSegment);
  // mostly increasing timestamps (in whole seconds), sometimes one late record that carries an old segment
  const timestamps: number[] = [];
  let t = 0;
  for (let i = 0; i < total; i++) {
    t += pick(rng, [5000, 10_000, 20_000]);
    timestamps.push(t);
  }
  if (rng.nextInt(3) === 0) {
    const i = between(rng, 0, Math.min(total - 1, recordsPerSegment - 1));
    const j = between(rng, 0, total - 1);
    if (i < j) [timestamps[i], timestamps[j]] = [timestamps[j], timestamps[i]];
  }
  const useBytes = rng.nextInt(3) === 0;
  const retentionMs = useBytes ? -1 : pick(rng, [30_000, 60_000, 90_000]);
  const retentionBytes = useBytes ? RECORD_BYTES * between(rng, 1, total) : -1;
  const nowMs = Math.max(...timestamps) + pick(rng, [10_000, 30_000, 60_000]);
  const params: SegmentsParams = { kind: 'retention-deleted-segments', recordsPerSegment, timestamps, retentionMs, retentionBytes, nowMs };
  const log = retentionDrillLog(params);
  const deletions = segmentsToDelete(retentionCheckOf(log, nowMs));
  const segs = log.segments;
  const choices = segs.map(
    (s, i) =>
      `${segmentLabel(s.baseOffset, s.records.length, s.records.at(-1)?.offset ?? null)}${i === segs.length - 1 ? ' (active)' : ''}`,
  );
  const indices = deletions.map((d) => segs.findIndex((s) => s.baseOffset === d.baseOffset));
  const rows = segs.map(
    (s, i) =>
      `- ${choices[i]}: ${plural(s.records.length, 'record')}, ${s.sizeInBytes} bytes, record timestamps ${s.records.map((r) => r.timestamp).join(', ')} ms`,
  );
  const limits =
    retentionBytes >= 0
      ? `retention.bytes ${retentionBytes} (retention.ms -1: no time limit)`
      : `retention.ms ${retentionMs} (retention.bytes -1)`;
  const prompt = [
    `Partition t0p0 (cleanup.policy delete, ${limits}; toy segments of ${recordsPerSegment * RECORD_BYTES} bytes) has these segments, oldest first; every record is below the high watermark:`,
    rows.join('\n'),
    `The retention check runs at ${nowMs} ms. Which segments does it delete?`,
  ].join('\n\n');
  const explanation = [
    retentionBytes >= 0
      ? `- The log is ${log.sizeInBytes} bytes, ${log.sizeInBytes - retentionBytes} over retention.bytes: oldest first, a segment goes only if what is left of the excess still covers it.`
      : `- A segment goes when ${nowMs} − its newest timestamp > ${retentionMs}; oldest first, stopping at the first segment kept.`,
    ...segs.map((s, i) => {
      const gone = indices.includes(i);
      const age = nowMs - (s.maxTimestampMs ?? s.lastModifiedMs);
      return `- ${choices[i]}: ${retentionBytes >= 0 ? `${s.sizeInBytes} bytes` : `newest ${s.maxTimestampMs} ms, ${age} ms old`} → ${gone ? 'deleted' : 'kept'}`;
    }),
    indices.length === segs.length ? '- Every segment expired: Kafka first rolls a new empty active segment, then deletes them all.' : '',
    `- logStartOffset ${segs[0].baseOffset} → ${indices.length === segs.length ? log.logEndOffset : segs[indices.length].baseOffset}`,
    `- Deleted: **${indices.length ? indices.map((i) => choices[i]).join(', ') : 'none'}**`,
  ]
    .filter(Boolean)
    .join('\n');
  return { prompt, answer: { type: 'choices', indices }, choices, explanation, params };
}

// ---- what a compacted log holds after cleaning ------------------------------------------------

/**
 * The log of a compaction question before the asked pass: `first` records, a first cleaner pass at
 * `firstPassMs`, then `second` records; the last `activeCount` of them sit in the active segment.
 */
export function compactionDrillLog(p: CompactedParams): PartitionLog {
  const log = new PartitionLog(T0P0, { cleanupPolicy: 'compact', deleteRetentionMs: p.deleteRetentionMs });
  const append = (r: { key: string; value: string | null }, at: number) => log.appendAsLeader([{ ...r, timestamp: at }], { nowMs: at });
  for (const r of p.first) append(r, 0);
  log.roll(0);
  log.updateHighWatermark(log.logEndOffset);
  compactLog(log, p.firstPassMs);
  const closed = p.second.length - p.activeCount;
  p.second.forEach((r, i) => {
    if (i === closed) log.roll(p.firstPassMs);
    append(r, p.firstPassMs);
  });
  log.updateHighWatermark(log.logEndOffset);
  return log;
}

export function compactedLogDrill(rng: Prng): DrillBody {
  const keys = ['alice', 'bob', 'carol', 'dave'].slice(0, between(rng, 2, 4));
  const value = (k: string, n: number) => `${k[0]}${n}`;
  let n = 0;
  const draw = (count: number, tombstones: boolean) =>
    Array.from({ length: count }, () => {
      const key = pick(rng, keys);
      n++;
      return { key, value: tombstones && rng.nextInt(4) === 0 ? null : value(key, n) };
    });
  const first = draw(between(rng, 3, 5), true);
  const second = draw(between(rng, 3, 5), rng.nextInt(2) === 0);
  const activeCount = between(rng, 1, 2);
  const deleteRetentionMs = 60_000;
  const firstPassMs = 10_000;
  const nowMs = firstPassMs + pick(rng, [30_000, 60_000, 90_000]);
  const params: CompactedParams = {
    kind: 'compacted-log-after-cleaning',
    first,
    second,
    activeCount,
    deleteRetentionMs,
    firstPassMs,
    nowMs,
  };
  const log = compactionDrillLog(params);
  const before = log.segments.flatMap((s) => s.records);
  const firstDirty = log.firstDirtyOffset;
  const activeBase = log.activeSegment.baseOffset;
  compactLog(log, nowMs);
  const after = new Set(log.segments.flatMap((s) => s.records.map((r) => r.offset)));
  const choices = before.map((r) => `${r.offset}: ${r.key}=${r.value ?? 'null'}`);
  const indices = before.flatMap((r, i) => (after.has(r.offset) ? [i] : []));
  const describe = (r: (typeof before)[number]) =>
    `${r.offset}: ${r.key}=${r.value ?? 'null (tombstone'}${r.value === null ? (r.deleteHorizonMs !== undefined ? `, delete horizon ${r.deleteHorizonMs} ms)` : ', not yet seen by the cleaner)') : ''}`;
  const prompt = [
    `Compacted topic t0 (delete.retention.ms ${deleteRetentionMs}). The cleaner cleaned t0p0 up to offset ${firstDirty} at ${firstPassMs} ms; since then more records arrived. The log now holds, oldest first:`,
    [
      `- clean part (below ${firstDirty}): ${
        before
          .filter((r) => r.offset < firstDirty)
          .map(describe)
          .join(' · ') || 'empty'
      }`,
      `- dirty part: ${before
        .filter((r) => r.offset >= firstDirty && r.offset < activeBase)
        .map(describe)
        .join(' · ')}`,
      `- active segment (from ${activeBase}): ${before
        .filter((r) => r.offset >= activeBase)
        .map(describe)
        .join(' · ')}`,
    ].join('\n'),
    `The cleaner runs again at ${nowMs} ms. Which records are in the log afterwards?`,
  ].join('\n\n');
  const explanation = [
    `- The cleanable part ends where the active segment starts (${activeBase}); the active segment is never cleaned.`,
    `- Offset map of the dirty part [${firstDirty}, ${activeBase}): ${[...new Map(before.filter((r) => r.offset >= firstDirty && r.offset < activeBase).map((r) => [r.key, r.offset]))].map(([k, o]) => `${k}→${o}`).join(', ')}.`,
    '- Below it, a record stays if it is its key’s latest there; a tombstone also needs its delete horizon not yet reached (a tombstone seen for the first time is kept and stamped now + delete.retention.ms).',
    `- Offsets never change: the log keeps **${indices.map((i) => before[i].offset).join(', ')}**`,
  ].join('\n');
  return { prompt, answer: { type: 'choices', indices }, choices, explanation, params };
}

// ---- where a consumer resumes after retention -------------------------------------------------

/** The scenario of a resume question: C0 commits, crashes, retention runs, C0 restarts and polls. */
export function resumeScenario(p: ResumeParams): Scenario {
  const steps: Step[] = [
    { join: { consumer: 'C0' } },
    { advanceTime: { ms: 3000 } },
    { produce: { producer: 'P0', topic: 't0', count: p.before, key: 'k{i}', value: 'old-{i}' } },
    { commit: { consumer: 'C0', offsets: { 't0-0': p.committed } } },
    { crash: { consumer: 'C0' } },
    { advanceTime: { ms: p.downMs } },
    { produce: { producer: 'P0', topic: 't0', count: p.after, key: 'k{i}', value: 'new-{i}' } },
    { restart: { consumer: 'C0' } },
    { advanceTime: { ms: 12_000 } },
    { poll: { consumer: 'C0' } },
  ];
  return {
    id: 'resume-after-retention',
    title: 'resume-after-retention',
    summary: 'resume-after-retention',
    seed: 1,
    brokers: 1,
    topics: [{ name: 't0', partitions: 1, configs: { retentionMs: p.retentionMs, segmentBytes: p.segmentBytes } }],
    producers: [{ id: 'P0' }],
    groups: [{ id: 'g1', assignor: 'range' }],
    consumers: [
      {
        id: 'C0',
        group: 'g1',
        topics: ['t0'],
        config: { enableAutoCommit: false, autoOffsetReset: p.strategy, sessionTimeoutMs: 10_000, maxPollRecords: 500 },
      },
    ],
    steps,
  };
}

export function resumeAfterRetentionDrill(rng: Prng): DrillBody {
  const before = between(rng, 6, 12);
  const params: ResumeParams = {
    kind: 'resume-after-retention',
    before,
    after: between(rng, 1, 4),
    committed: between(rng, 1, before - 1),
    segmentBytes: pick(rng, [60, 90, 120]),
    retentionMs: 60_000,
    downMs: pick(rng, [30_000, 300_000, 600_000]),
    strategy: pick(rng, ['earliest', 'latest'] as const),
  };
  const r = runScenario(resumeScenario(params));
  const last = r.trace[r.trace.length - 1];
  const received = last.received.flatMap((x) => x.records);
  const position = last.snapshot.consumers[0].positions[0].position!;
  const answer = received.length ? received[0].offset : position;
  const atRestart = r.trace.find((e) => e.kind === 'restart')!.snapshot.partitions[0];
  const retentionLines = r.trace.flatMap((e) => e.happened.filter((h) => h.startsWith('retention')));
  const prompt = [
    `Topic t0 (1 partition, retention.ms ${params.retentionMs}, toy segment.bytes ${params.segmentBytes}; log.retention.check.interval.ms 300000) gets ${params.before} records (offsets 0–${params.before - 1}) at 3000 ms. Consumer C0 of group g1 (auto.offset.reset ${params.strategy}) commits offset ${params.committed} for t0p0 and crashes.`,
    `${params.downMs} ms later ${plural(params.after, 'more record')} arrive, and C0 restarts and polls 12 s after that.`,
    'At which offset does C0 resume reading t0p0?',
  ].join('\n\n');
  const outOfRange = params.committed < atRestart.logStartOffset;
  const explanation = [
    retentionLines.length ? `- ${retentionLines.join('\n- ')}` : '- No retention check deleted anything while C0 was down.',
    `- When C0 restarts: logStartOffset ${atRestart.logStartOffset}, logEndOffset ${atRestart.logEndOffset}; committed ${params.committed}.`,
    outOfRange
      ? `- ${params.committed} < ${atRestart.logStartOffset}: the fetch is OFFSET_OUT_OF_RANGE, so auto.offset.reset=${params.strategy} moves C0 to the ${params.strategy === 'earliest' ? 'log start offset' : 'log end offset'}${params.strategy === 'earliest' ? `; offsets ${params.committed}–${atRestart.logStartOffset - 1} were never processed by g1` : ': every record in between is skipped'}.`
      : `- The committed offset is still in the log: C0 resumes there (auto.offset.reset does not apply).`,
    `- Resumes at: **${answer}**`,
  ].join('\n');
  return { prompt, answer: { type: 'number', value: answer }, explanation, params };
}
