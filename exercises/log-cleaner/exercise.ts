/**
 * Checkpoint `log-cleaner`: the two jobs of Kafka's log cleanup — which segments a retention check deletes
 * (UnifiedLog.deleteOldSegments) and what one cleaner pass keeps of a compacted log's cleanable part
 * (Cleaner.doClean / shouldRetainRecord, KIP-534 tombstone horizons).
 *
 * The tests are simulations: each case is a partition's history (records written at known times, toy segment
 * sizes) that the engine builds into a log with its own PartitionLog; the learner's function gets what Kafka's
 * code sees at the check or the cleaner pass, and its answer is compared with the engine's own rules
 * (`segmentsToDelete`, `compactCleanable` — the functions every scenario's retention and cleaner apply). The
 * first difference is named in Kafka's terms, and the history comes back as a scenario to replay.
 * Named stories tell the lesson's cases; generated histories (fast-check, shrunk) look for the rest.
 */
import * as fc from 'fast-check';
import type { CleanerRecord } from '../../engine/index.ts';
import { defineExercise, type Plain, type SimulationCall, type SimulationTest, type SimulationVerdict } from '../../grader/index.ts';
import {
  compactionArbitrary,
  compactionFailure,
  compactionInput,
  compactionScenario,
  expectedCompaction,
  expectedDeletions,
  formatCompactionCase,
  formatDeletions,
  formatRecords,
  formatRetentionCase,
  retentionArbitrary,
  retentionFailure,
  retentionInput,
  retentionScenario,
  type CompactionCase,
  type RetentionCase,
} from './cases.ts';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const show = (v: unknown) => {
  try {
    const s = JSON.stringify(v);
    return s === undefined ? String(v) : s.length > 80 ? `${s.slice(0, 80)}…` : s;
  } catch {
    return String(v);
  }
};
const invalid = (message: string): SimulationVerdict => ({ message, errorKind: 'invalid-result' });

// ---- part 1: retention ------------------------------------------------------------------------

/** Run one retention case with the learner's deleteOldSegments. */
export function runRetention(call: SimulationCall, c: RetentionCase, title: string): SimulationVerdict | undefined {
  const segments = retentionInput(c);
  const got = call('deleteOldSegments', [segments as unknown as Plain, c.nowMs, c.retentionMs, c.retentionBytes]);
  if (!Array.isArray(got) || !got.every((b) => typeof b === 'number'))
    return invalid(`deleteOldSegments returned ${show(got)}; expected an array of base offsets, e.g. [0, 3] (the segments to delete)`);
  const bases = segments.map((s) => s.baseOffset);
  const unknown = got.find((b) => !bases.includes(b));
  if (unknown !== undefined)
    return invalid(`deleteOldSegments returned ${unknown}, which is no segment's baseOffset (the segments start at ${bases.join(', ')})`);
  for (let i = 1; i < got.length; i++)
    if (got[i] <= got[i - 1])
      return invalid(`deleteOldSegments returned ${show(got)}; list the base offsets oldest first, each once, as retention deletes them`);
  const failure = retentionFailure(c, got);
  if (!failure) return undefined;
  return {
    message: failure,
    expected: formatDeletions(c, expectedDeletions(c)),
    actual: formatDeletions(c, got),
    replay: retentionScenario(c, `Replay: ${title}`, failure, `your deleteOldSegments ${formatDeletions(c, got)}; ${failure}`),
  };
}

// ---- part 2: compaction -----------------------------------------------------------------------

function checkRecords(got: unknown): CleanerRecord[] | string {
  if (!Array.isArray(got))
    return `compact returned ${show(got)}; expected the records that stay, an array like [{ offset, key, value, timestamp }]`;
  for (const r of got) {
    if (!isObject(r) || typeof r.offset !== 'number' || typeof r.key !== 'string' || !(typeof r.value === 'string' || r.value === null))
      return `compact returned a record ${show(r)}; each record is { offset, key, value, timestamp, deleteHorizonMs? } as you got it`;
    if (r.deleteHorizonMs !== undefined && typeof r.deleteHorizonMs !== 'number')
      return `compact returned deleteHorizonMs ${show(r.deleteHorizonMs)} on offset ${r.offset}; expected a time in ms or no field`;
  }
  return got as CleanerRecord[];
}

/** Run one compaction case with the learner's compact. */
export function runCompaction(call: SimulationCall, c: CompactionCase, title: string): SimulationVerdict | undefined {
  const input = compactionInput(c);
  const got = checkRecords(
    call('compact', [input.records as unknown as Plain, input.firstDirtyOffset, input.nowMs, input.deleteRetentionMs]),
  );
  if (typeof got === 'string') return invalid(got);
  const failure = compactionFailure(c, got);
  if (!failure) return undefined;
  return {
    message: failure,
    expected: formatRecords(expectedCompaction(c)),
    actual: formatRecords(got),
    replay: compactionScenario(c, `Replay: ${title}`, failure, `your compact kept ${formatRecords(got)}; ${failure}`),
  };
}

// ---- the tests --------------------------------------------------------------------------------

const timed = (ts: [number, number][], value = 'vvvv') => ts.map(([atMs, timestampMs], i) => ({ atMs, timestampMs, key: `k${i}`, value }));
const history = (first: [string, string | null][], second: [string, string | null][], deleteRetentionMs = 60_000): CompactionCase => ({
  segmentBytes: 30,
  deleteRetentionMs,
  cleanerBackoffMs: 15_000,
  first: first.map(([key, value]) => ({ key, value })),
  second: second.map(([key, value]) => ({ key, value })),
});

/** The retention stories (one fixed case each). */
export const retentionStories: { id: string; title: string; case: RetentionCase }[] = [
  {
    id: 'newest-record-decides',
    title: 'retention.ms 60000 at 100000 ms: [0..1] holds a record from 1000 ms and one from 45000 ms',
    case: {
      segmentBytes: 30,
      retentionMs: 60_000,
      retentionBytes: -1,
      nowMs: 100_000,
      records: timed([
        [1000, 1000],
        [45_000, 45_000],
        [50_000, 50_000],
        [51_000, 51_000],
        [90_000, 90_000],
      ]),
    },
  },
  {
    id: 'late-records-after-a-live-segment',
    title: 'a producer replays old events: [4..5] carries CreateTimes older than the segment before it',
    case: {
      segmentBytes: 30,
      retentionMs: 60_000,
      retentionBytes: -1,
      nowMs: 62_000,
      records: timed([
        [1000, 1000],
        [2000, 2000],
        [3000, 3000],
        [4000, 3000],
        [5000, 500],
        [6000, 700],
        [7000, 7000],
      ]),
    },
  },
  {
    id: 'retention-bytes-keeps-the-active-segment',
    title: 'retention.bytes 10 on one partition: smaller than the active segment',
    case: {
      segmentBytes: 30,
      retentionMs: -1,
      retentionBytes: 10,
      nowMs: 8000,
      records: timed([
        [1000, 1000],
        [2000, 2000],
        [3000, 3000],
        [4000, 4000],
        [5000, 5000],
        [6000, 6000],
        [7000, 7000],
      ]),
    },
  },
  {
    id: 'everything-expired',
    title: 'the topic went quiet: every record is older than retention.ms',
    case: {
      segmentBytes: 30,
      retentionMs: 60_000,
      retentionBytes: -1,
      nowMs: 70_000,
      records: timed([
        [1000, 1000],
        [2000, 2000],
        [3000, 3000],
        [4000, 4000],
        [5000, 5000],
      ]),
    },
  },
];

/** The compaction stories (one fixed case each). */
export const compactionStories: { id: string; title: string; case: CompactionCase }[] = [
  {
    id: 'latest-value-per-key',
    title: 'alice, bob and carol updated several times; the clean part below offset 2 holds older values',
    case: history(
      [
        ['alice', 'a1'],
        ['bob', 'b2'],
        ['alice', 'a3'],
        ['carol', 'c4'],
      ],
      [
        ['bob', 'b5'],
        ['alice', 'a6'],
        ['dave', 'd7'],
        ['carol', 'c8'],
      ],
    ),
  },
  {
    id: 'a-new-tombstone-stays',
    title: 'bob is deleted (a tombstone at offset 3) just before the pass',
    case: history(
      [
        ['alice', 'a1'],
        ['bob', 'b2'],
      ],
      [
        ['alice', 'a3'],
        ['bob', null],
        ['carol', 'c5'],
        ['alice', 'a6'],
      ],
    ),
  },
  {
    id: 'an-old-tombstone-goes',
    title: 'delete.retention.ms 5000: the tombstone for bob was stamped at the first pass, 15 s ago',
    case: history(
      [
        ['alice', 'a1'],
        ['bob', 'b2'],
        ['bob', null],
        ['carol', 'c4'],
        ['alice', 'a5'],
        ['dave', 'd6'],
      ],
      [
        ['carol', 'c7'],
        ['dave', 'd8'],
        ['alice', 'a9'],
      ],
      5000,
    ),
  },
];

function retentionTest(
  id: string,
  title: string,
  arbitrary: fc.Arbitrary<RetentionCase>,
  numRuns: number,
  hidden = false,
): SimulationTest<RetentionCase> {
  return {
    kind: 'simulation',
    id,
    title,
    fns: ['deleteOldSegments'],
    arbitrary,
    numRuns,
    hidden,
    run: (call, c) => runRetention(call, c, title),
    formatArgs: formatRetentionCase,
  };
}

function compactionTest(
  id: string,
  title: string,
  arbitrary: fc.Arbitrary<CompactionCase>,
  numRuns: number,
  hidden = false,
): SimulationTest<CompactionCase> {
  return {
    kind: 'simulation',
    id,
    title,
    fns: ['compact'],
    arbitrary,
    numRuns,
    hidden,
    run: (call, c) => runCompaction(call, c, title),
    formatArgs: formatCompactionCase,
  };
}

export const generatedTests: SimulationTest[] = [
  retentionTest('generated-retention-ms', 'generated logs: retention.ms, records in time order', retentionArbitrary({ bytes: false }), 150),
  retentionTest(
    'generated-retention-bytes-and-late-records',
    'generated logs: retention.ms and retention.bytes, producers sending late CreateTimes',
    retentionArbitrary({ lateRecords: true }),
    200,
    true,
  ),
  compactionTest(
    'generated-compaction',
    'generated compacted logs: 1–4 keys, tombstones, a clean and a dirty part',
    compactionArbitrary(),
    200,
  ),
];

export default defineExercise({
  id: 'log-cleaner',
  title: 'Log cleaner',
  lesson: '05-retention-and-compaction',
  exports: ['deleteOldSegments', 'compact'],
  objectives: [
    'Decide which segments a retention check deletes: whole segments, oldest first, stopping at the first one kept.',
    "Apply retention.ms to a segment's newest record and explain why data outlives retention.ms.",
    'Apply retention.bytes per partition: delete a segment only if at least retention.bytes remain.',
    "Clean the cleanable part of a compacted log: every key's latest record, at its own offset, in log order.",
    'Keep a tombstone for delete.retention.ms after the cleaner first sees it, then remove it.',
  ],
  hints: [
    'Retention never punches holes: walk the segments from the oldest and **stop** at the first one you keep. Return the base offsets you passed.',
    "For retention.ms, look at the segment's `largestTimestampMs`: a segment goes only when `nowMs − largestTimestampMs > retentionMs`. One fresh record keeps the whole segment.",
    'For retention.bytes (−1 = no limit), start from `excess = total size − retentionBytes` and delete a segment only while `excess − its size ≥ 0`. The active segment (the last) is treated like the others — so it goes only if everything goes. Run the size sweep first, then the time sweep on what is left.',
    'For compact: build a map key → last offset over the **dirty** records (offset ≥ firstDirtyOffset). Keep a record if no later offset of its key is in the map. Never change an offset; return the records in the order you got them.',
    'Tombstones (value null): a kept tombstone without `deleteHorizonMs` gets `nowMs + deleteRetentionMs`; one whose horizon is ≤ nowMs is dropped.',
  ],
  mistakes: [
    {
      file: 'mistakes/oldest-record-timestamp.ts',
      description: "judges a segment by its first record's timestamp instead of its newest",
      caughtBy: 'newest-record-decides',
    },
    {
      file: 'mistakes/delete-every-expired-segment.ts',
      description: 'deletes every expired segment, also after a segment it keeps',
      caughtBy: 'late-records-after-a-live-segment',
    },
    {
      file: 'mistakes/retention-bytes-overshoot.ts',
      description: 'deletes while the log is larger than retention.bytes, ending below it (and into the active segment)',
      caughtBy: 'retention-bytes-keeps-the-active-segment',
    },
    {
      file: 'mistakes/keep-first-value.ts',
      description: "keeps each key's first value instead of its latest",
      caughtBy: 'latest-value-per-key',
    },
    {
      file: 'mistakes/renumber-offsets.ts',
      description: 'renumbers the kept records 0, 1, 2, … like array indices',
      caughtBy: 'latest-value-per-key',
    },
    {
      file: 'mistakes/group-by-key.ts',
      description: 'returns the survivors grouped by key (a Map in first-seen order) instead of in offset order',
      caughtBy: 'latest-value-per-key',
    },
    {
      file: 'mistakes/drop-tombstones-at-once.ts',
      description: 'removes a tombstone as soon as it is the latest record of its key',
      caughtBy: 'a-new-tombstone-stays',
    },
    {
      file: 'mistakes/keep-tombstones-forever.ts',
      description: 'keeps tombstones like values and never stamps or removes them',
      caughtBy: 'an-old-tombstone-goes',
    },
  ],
  tests: [
    ...retentionStories.map((s) => retentionTest(s.id, s.title, fc.constant(s.case), 1)),
    ...compactionStories.map((s) => compactionTest(s.id, s.title, fc.constant(s.case), 1)),
    ...generatedTests,
  ],
});
