/**
 * The commit-loop simulation and its checks, by Kafka story: commit after processing with no faults, a
 * crash mid-batch, commit-before-processing losing records, the off-by-one commit, no commit on revoke
 * after a failed commitAsync, a revoked partition committed later, a batch past max.poll.interval.ms.
 * The decisions are written here in plain TypeScript (the checkpoint's learner-side files live in
 * exercises/commit-logic/); exercises/commit-logic/exercise.spec.ts replays runs through the scenario runner.
 */
import { describe, expect, it } from 'vitest';
import { runCommitLoop } from './commit-loop.ts';
import type { CommitDecisions, CommitLoopWorld, LoopOp, OffsetMap } from './commit-loop-types.ts';

type S = { processed?: OffsetMap };
const key = (tp: { topic: string; partition: number }) => `${tp.topic}-${tp.partition}`;
const next = (s: S, records: { topic: string; partition: number; offset: number }[], plus = 1) => {
  const processed = { ...s.processed };
  for (const r of records) processed[key(r)] = { offset: r.offset + plus };
  return processed;
};

/** at-least-once, bounded redelivery: the checkpoint's reference, host-side */
const correct: CommitDecisions = {
  onBatch: (_m, state) => ({ state }),
  onProcessed: (_m, state, records) => {
    const processed = next(state as S, records);
    return { state: { processed }, commit: processed };
  },
  onPartitionsRevoked: (_m, state, tps) => {
    const processed = { ...(state as S).processed };
    const commit: OffsetMap = {};
    for (const tp of tps) {
      if (processed[key(tp)]) commit[key(tp)] = processed[key(tp)];
      delete processed[key(tp)];
    }
    return { state: { processed }, commit };
  },
  onCommitFailed: (_m, state, error) => (error.name === 'CommitFailedException' ? { state: { processed: {} } } : { state }),
};
const commitInOnBatch: CommitDecisions = {
  ...correct,
  onBatch: (_m, state, records) => ({ state, commit: next(state as S, records) }),
  onProcessed: (_m, state) => ({ state }),
};
const offByOne: CommitDecisions = { ...correct, onProcessed: (_m, state, records) => ({ state, commit: next(state as S, records, 0) }) };
const noRevokeCommit: CommitDecisions = {
  ...correct,
  onPartitionsRevoked: (_m, state, tps) => {
    const processed = { ...(state as S).processed };
    for (const tp of tps) delete processed[key(tp)];
    return { state: { processed } };
  },
};
const keepRevoked: CommitDecisions = {
  ...correct,
  onPartitionsRevoked: (_m, state, tps) => ({
    state,
    commit: Object.fromEntries(
      tps.filter((tp) => (state as S).processed?.[key(tp)]).map((tp) => [key(tp), (state as S).processed![key(tp)]]),
    ),
  }),
};

const world = (recordsPerPartition: number[], initialMembers = 1, maxPollRecords = 2): CommitLoopWorld => ({
  topic: 't0',
  recordsPerPartition,
  members: ['C0', 'C1', 'C2'],
  initialMembers,
  maxPollRecords,
});
const polls = (m: string, n: number): LoopOp[] => Array.from({ length: n }, () => ({ poll: m }));

describe('commit after processing, one consumer, no faults', () => {
  it('every record is processed once, and each partition is committed at its log end (last processed + 1)', () => {
    const r = runCommitLoop(world([3, 2]), polls('C0', 3), correct);
    expect(r.anomaly).toBeNull();
    expect(r.committed).toEqual([3, 2]);
    expect(r.processedCount).toEqual([
      [1, 1, 1],
      [1, 1],
    ]);
  });

  it('fetches partitions in turn, one further each poll, up to max.poll.records (KafkaConsumer fairness)', () => {
    const r = runCommitLoop(world([3, 3]), polls('C0', 2), correct);
    const fetched = r.events
      .filter((e) => e.type === 'poll' && e.op >= 0 && e.op < 2)
      .map((e) => (e as { records: { partition: number; offset: number }[] }).records);
    expect(fetched).toEqual([
      [
        { partition: 0, offset: 0 },
        { partition: 0, offset: 1 },
      ],
      [
        { partition: 1, offset: 0 },
        { partition: 1, offset: 1 },
      ],
    ]);
  });

  it('is deterministic: the same world, schedule and decisions give the same events', () => {
    const schedule: LoopOp[] = [{ poll: 'C0' }, { poll: 'C1' }, { failNextCommit: 'C0' }, { poll: 'C0', crashAfter: 1 }, { poll: 'C1' }];
    expect(JSON.stringify(runCommitLoop(world([4, 3, 2]), schedule, correct))).toBe(
      JSON.stringify(runCommitLoop(world([4, 3, 2]), schedule, correct)),
    );
  });
});

describe('a consumer crash in the middle of a batch', () => {
  it('with commits after processing: only records after the last commit are processed again (allowed)', () => {
    const r = runCommitLoop(world([5], 1, 3), [{ poll: 'C0' }, { poll: 'C0', crashAfter: 1 }, { poll: 'C0' }], correct);
    expect(r.anomaly).toBeNull();
    // committed 3 after the first batch; t0p0@3 processed before the crash and again after it
    expect(r.processedCount[0]).toEqual([1, 1, 1, 2, 1]);
  });

  it('committing in onBatch, before processing, then crashing loses records: the commit and the crash are named', () => {
    const r = runCommitLoop(world([5], 1, 3), [{ poll: 'C0', crashAfter: 1 }, { poll: 'C0' }], commitInOnBatch);
    expect(r.anomaly?.kind).toBe('commit-ahead-of-processing');
    expect(r.anomaly?.message).toContain('C0 committed t0p0 → 3 in onBatch, before processing t0p0@0, t0p0@1, t0p0@2');
    const lost = r.anomalies.find((a) => a.kind === 'lost-record');
    expect(lost?.message).toBe(
      'lost records t0p0@1, t0p0@2: C0 committed t0p0 → 3 before processing them (in onBatch), then crashed; the next reader started at 3. Nobody ever processed them (at-most-once). Commit only what has been processed.',
    );
  });
});

describe('the committed offset is the next record to read', () => {
  it('committing the last processed offset is named at the commit', () => {
    const r = runCommitLoop(world([3]), polls('C0', 1), offByOne);
    expect(r.anomaly).toMatchObject({ kind: 'commit-not-next-offset' });
    expect(r.anomaly?.message).toContain(
      'C0 committed t0p0 → 1 after processing t0p0@1: a committed offset is the next record to read, last processed + 1 = 2',
    );
  });
});

describe('a rebalance: committing on revoke', () => {
  const schedule: LoopOp[] = [{ poll: 'C0' }, { failNextCommit: 'C0' }, { poll: 'C0' }, { poll: 'C1' }, { poll: 'C0' }, { poll: 'C1' }];

  it('commitAsync failed, then C1 joins: committing in onPartitionsRevoked means C1 processes nothing twice', () => {
    const r = runCommitLoop(world([2, 2]), schedule, correct);
    expect(r.anomaly).toBeNull();
    expect(r.events.some((e) => e.type === 'commit' && e.error === 'RetriableCommitFailedException')).toBe(true);
    expect(r.processedCount.flat().every((n) => n === 1)).toBe(true);
  });

  it('without the commit on revoke, C1 processes t0p1@0..1 again: redelivered after a clean rebalance', () => {
    const r = runCommitLoop(world([2, 2]), schedule, noRevokeCommit);
    expect(r.anomaly?.kind).toBe('redelivered-after-rebalance');
    expect(r.anomaly?.message).toContain('t0p1@0 processed twice: by C0, then by C1 after a rebalance');
    expect(r.anomaly?.message).toContain('its last commit of t0p1 (→ 2) had failed with RetriableCommitFailedException');
  });

  it('a revoked partition kept in the state and committed later is a commit for a partition C0 does not own', () => {
    const r = runCommitLoop(world([3, 3]), [{ poll: 'C0' }, { poll: 'C0' }, { poll: 'C1' }, { poll: 'C0' }], keepRevoked);
    expect(r.anomaly?.kind).toBe('commit-unowned-partition');
    expect(r.anomaly?.message).toContain(
      'C0 committed t0p1 → 2, a partition it does not own: it was revoked from C0 in a rebalance (onPartitionsRevoked); C1 owns it now',
    );
  });
});

describe('a batch slower than max.poll.interval.ms', () => {
  const schedule: LoopOp[] = [
    { poll: 'C0' },
    { slowNextBatch: 'C0' },
    { poll: 'C0' },
    { poll: 'C1' },
    { poll: 'C1' },
    { poll: 'C0' },
    { poll: 'C1' },
    { poll: 'C0' },
  ];

  it('the group removes C0; its commit fails with CommitFailedException; the next owner may process the batch again', () => {
    const failures: string[] = [];
    const spy: CommitDecisions = {
      ...correct,
      onCommitFailed: (m, s, e) => (failures.push(`${m}:${e.name}`), correct.onCommitFailed(m, s, e)),
    };
    const r = runCommitLoop(world([3, 2]), schedule, spy);
    expect(r.anomaly).toBeNull();
    expect(failures).toContain('C0:CommitFailedException');
    expect(r.events.some((e) => e.type === 'removed' && e.member === 'C0')).toBe(true);
    expect(r.events.some((e) => e.type === 'rejoin-after-removal' && e.member === 'C0')).toBe(true);
    expect(r.processedCount[1]).toEqual([2, 2]); // C0's slow batch t0p1@0..1, then C1's: allowed, C0 was removed
  });

  it('ignoring the CommitFailedException keeps the lost partitions: a stale offset moves the committed offset back', () => {
    const r = runCommitLoop(world([3, 2]), schedule, { ...correct, onCommitFailed: (_m, state) => ({ state }) });
    expect(r.anomaly?.kind).toBe('commit-not-next-offset');
    expect(r.anomaly?.message).toContain('moving its committed offset back from 3');
  });
});
