import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CONSUMER_DEFAULTS,
  CommitFailedException,
  Consumer,
  NoOffsetForPartitionException,
  OffsetOutOfRangeException,
  groupLag,
  partitionLogView,
} from './consumer.ts';
import type { ConsumerConfig, ConsumerEvent, FetchablePartition } from './consumer.ts';
import { GroupCoordinator } from '../group/member.ts';
import type { MemberListener } from '../group/group-types.ts';
import { PartitionLog } from '../log/partition-log.ts';
import { tpKey } from '../common/notation.ts';
import type { LogRecord, TopicPartition } from '../common/record.ts';

/** A partition log for tests: offsets 0..n-1, a movable high watermark, retention and compaction. */
function testLog(n: number) {
  let records: LogRecord[] = [];
  let logStart = 0;
  let end = 0;
  let hw = 0;
  const log = {
    get logStartOffset() {
      return logStart;
    },
    get logEndOffset() {
      return end;
    },
    get highWatermark() {
      return hw;
    },
    read(from: number, to: number) {
      return records.filter((r) => r.offset >= from && r.offset < to);
    },
    append(count: number, replicatedToo = true) {
      for (let i = 0; i < count; i++) records.push({ offset: end, key: `k${end}`, value: `v${end}`, timestamp: end++ });
      if (replicatedToo) hw = end;
    },
    setHighWatermark(offset: number) {
      hw = offset;
    },
    /** retention: delete everything below `offset` */
    deleteBefore(offset: number) {
      records = records.filter((r) => r.offset >= offset);
      logStart = offset;
    },
    /** compaction: drop these offsets, keep the others' offsets */
    compactAway(offsets: number[]) {
      records = records.filter((r) => !offsets.includes(r.offset));
    },
  };
  log.append(n);
  return log;
}

const tp = (topic: string, partition: number): TopicPartition => ({ topic, partition });
const t0p0 = tp('t0', 0);

function setup(partitions: Record<string, number>, groupId = 'g') {
  const logs = new Map<string, ReturnType<typeof testLog>>();
  const ppt: Record<string, number> = {};
  for (const [t, n] of Object.entries(partitions)) {
    ppt[t] = n;
    for (let p = 0; p < n; p++) logs.set(tpKey(tp(t, p)), testLog(0));
  }
  const group = new GroupCoordinator({ groupId, partitionsPerTopic: () => ppt });
  const trace: ConsumerEvent[] = [];
  const partition = (x: TopicPartition): FetchablePartition | undefined => logs.get(tpKey(x));
  const consumer = (name: string, config: Partial<ConsumerConfig> = {}, listener?: MemberListener) =>
    new Consumer({ name, group, partition, config: { topics: Object.keys(partitions), ...config }, listener, trace });
  return { group, logs, log: (x: TopicPartition) => logs.get(tpKey(x))!, consumer, trace, partition };
}

const offsets = (records: { offset: number }[]) => records.map((r) => r.offset);

describe('Consumer: positions and committed offsets', () => {
  it("uses Kafka's defaults: auto-commit on, every 5 s, reset to latest, 500 records per poll, read_uncommitted", () => {
    expect(CONSUMER_DEFAULTS).toEqual({
      enableAutoCommit: true,
      autoCommitIntervalMs: 5_000,
      autoOffsetReset: 'latest',
      maxPollRecords: 500,
      isolationLevel: 'read_uncommitted',
    });
  });

  it('t0p0 holds 0..9, committed 4: position starts at 4, poll moves it, commitSync saves it', () => {
    const { group, log, consumer } = setup({ t0: 1 });
    log(t0p0).append(10);
    expect(group.commitOffsets(0, null, [{ tp: t0p0, offset: 4 }])).toBe('NONE'); // an earlier owner's commit
    const c0 = consumer('C0', { maxPollRecords: 3, enableAutoCommit: false });
    expect(c0.poll(0)).toEqual([]); // joined; the group waits 3 s for more members
    expect(offsets(c0.poll(3_000))).toEqual([4, 5, 6]);
    expect(c0.position(t0p0)).toBe(7);
    expect(c0.committed(t0p0)).toBe(4);
    c0.commitSync(3_100);
    expect(c0.committed(t0p0)).toBe(7);
  });

  it('no committed offset: earliest starts at logStartOffset, latest at the high watermark, none throws', () => {
    for (const [reset, expected] of [
      ['earliest', [2, 3, 4, 5]],
      ['latest', []],
    ] as const) {
      const { log, consumer } = setup({ t0: 1 });
      log(t0p0).append(6);
      log(t0p0).deleteBefore(2);
      const c = consumer('C0', { autoOffsetReset: reset });
      c.poll(0);
      expect(offsets(c.poll(3_000))).toEqual(expected);
    }
    const { log, consumer, trace } = setup({ t0: 1 });
    log(t0p0).append(3);
    const c = consumer('C0', { autoOffsetReset: 'none' });
    c.poll(0);
    expect(() => c.poll(3_000)).toThrow(NoOffsetForPartitionException);
    expect(trace.some((e) => e.type === 'offset-reset')).toBe(false);
  });

  it('reads only below the high watermark: records not yet on every in-sync replica stay invisible', () => {
    const { log, consumer } = setup({ t0: 1 });
    log(t0p0).append(6);
    log(t0p0).append(4, false); // logEndOffset 10, highWatermark still 6
    const c = consumer('C0', { autoOffsetReset: 'earliest' });
    c.poll(0);
    expect(offsets(c.poll(3_000))).toEqual([0, 1, 2, 3, 4, 5]);
    expect(c.poll(3_100)).toEqual([]);
    log(t0p0).setHighWatermark(10);
    expect(offsets(c.poll(3_200))).toEqual([6, 7, 8, 9]);
  });

  it('max.poll.records caps a poll, and partitions take turns', () => {
    const { log, consumer } = setup({ t0: 2 });
    log(tp('t0', 0)).append(5);
    log(tp('t0', 1)).append(5);
    const c = consumer('C0', { autoOffsetReset: 'earliest', maxPollRecords: 3 });
    c.poll(0);
    const first = c.poll(3_000);
    const second = c.poll(3_100);
    expect(first.map((r) => `${r.partition}:${r.offset}`)).toEqual(['0:0', '0:1', '0:2']);
    expect(second.map((r) => `${r.partition}:${r.offset}`)).toEqual(['1:0', '1:1', '1:2']);
  });

  it('skips the offsets compaction removed', () => {
    const { log, consumer } = setup({ t0: 1 });
    log(t0p0).append(6);
    log(t0p0).compactAway([1, 2, 4]);
    const c = consumer('C0', { autoOffsetReset: 'earliest', maxPollRecords: 2 });
    c.poll(0);
    expect(offsets(c.poll(3_000))).toEqual([0, 3]);
    expect(c.position(t0p0)).toBe(4);
    expect(offsets(c.poll(3_100))).toEqual([5]);
    expect(c.position(t0p0)).toBe(6);
  });

  it('seek rewinds or skips; seekTo beginning / end use logStartOffset / highWatermark', () => {
    const { log, consumer, trace } = setup({ t0: 1 });
    log(t0p0).append(5);
    const c = consumer('C0', { autoOffsetReset: 'earliest' });
    c.poll(0);
    expect(offsets(c.poll(3_000))).toEqual([0, 1, 2, 3, 4]);
    c.seek(3_100, t0p0, 2);
    expect(offsets(c.poll(3_200))).toEqual([2, 3, 4]);
    c.seekTo(3_300, t0p0, 'beginning');
    expect(c.position(t0p0)).toBe(0);
    c.seekTo(3_400, t0p0, 'end');
    expect(c.position(t0p0)).toBe(5);
    expect(trace.filter((e) => e.type === 'seek').map((e) => (e as { offset: number }).offset)).toEqual([2, 0, 5]);
    expect(() => c.seek(3_500, tp('t9', 0), 0)).toThrow(/No current assignment/);
  });
});

describe('Consumer: retention and OffsetOutOfRange', () => {
  it('retention deleted the records at the committed offset: earliest resets to the new logStartOffset', () => {
    const { group, log, consumer, trace } = setup({ t0: 1 });
    log(t0p0).append(10);
    group.commitOffsets(0, null, [{ tp: t0p0, offset: 3 }]);
    log(t0p0).deleteBefore(6);
    const c = consumer('C0', { autoOffsetReset: 'earliest' });
    c.poll(0);
    expect(offsets(c.poll(3_000))).toEqual([6, 7, 8, 9]);
    expect(trace.find((e) => e.type === 'offset-reset')).toMatchObject({
      reason: 'out-of-range',
      fromOffset: 3,
      toOffset: 6,
      strategy: 'earliest',
    });
  });

  it('with latest, the consumer jumps to the high watermark and skips what is left', () => {
    const { group, log, consumer } = setup({ t0: 1 });
    log(t0p0).append(10);
    group.commitOffsets(0, null, [{ tp: t0p0, offset: 3 }]);
    log(t0p0).deleteBefore(6);
    const c = consumer('C0', { autoOffsetReset: 'latest' });
    c.poll(0);
    expect(c.poll(3_000)).toEqual([]);
    expect(c.position(t0p0)).toBe(10);
  });

  it('with none, poll throws OffsetOutOfRangeException', () => {
    const { group, log, consumer } = setup({ t0: 1 });
    log(t0p0).append(10);
    group.commitOffsets(0, null, [{ tp: t0p0, offset: 3 }]);
    log(t0p0).deleteBefore(6);
    const c = consumer('C0', { autoOffsetReset: 'none' });
    c.poll(0);
    expect(() => c.poll(3_000)).toThrow(OffsetOutOfRangeException);
  });
});

describe('Consumer: commits', () => {
  it('enable.auto.commit commits inside poll, once 5 s have passed since the last auto-commit', () => {
    const { log, consumer, trace } = setup({ t0: 1 });
    log(t0p0).append(3);
    const c = consumer('C0', { autoOffsetReset: 'earliest' });
    c.poll(0);
    c.poll(3_000); // reads 0..2, position 3
    c.poll(4_999);
    expect(c.committed(t0p0)).toBeNull();
    c.poll(5_000);
    expect(c.committed(t0p0)).toBe(3);
    expect(trace.filter((e) => e.type === 'committed').map((e) => [e.atMs, (e as { mode: string }).mode])).toEqual([[5_000, 'auto']]);
  });

  it('commitAsync reports a fenced commit to its callback instead of throwing', () => {
    const { log, consumer } = setup({ t0: 1 });
    log(t0p0).append(3);
    const c = consumer('C0', { autoOffsetReset: 'earliest', maxPollIntervalMs: 10_000, enableAutoCommit: false });
    c.poll(0);
    c.poll(3_000);
    const errors: string[] = [];
    c.commitAsync(20_000, undefined, (e) => errors.push(e)); // 17 s without a poll: it left the group at 13 000
    expect(errors).toEqual(['UNKNOWN_MEMBER_ID']);
  });

  it('a member kicked out for not polling cannot commit; its partitions are lost, and the new owner starts at the last commit', () => {
    const { log, consumer, group } = setup({ t0: 1 });
    log(t0p0).append(10);
    const lost: string[] = [];
    const c0 = consumer(
      'C0',
      { autoOffsetReset: 'earliest', maxPollIntervalMs: 10_000, enableAutoCommit: false, maxPollRecords: 4 },
      {
        onPartitionsLost: (_, tps) => lost.push(...tps.map(tpKey)),
      },
    );
    const c1 = consumer('C1', { autoOffsetReset: 'earliest', maxPollIntervalMs: 10_000, enableAutoCommit: false });
    c0.poll(0);
    c1.poll(0);
    expect(offsets(c0.poll(3_000))).toEqual([0, 1, 2, 3]); // range: C0 has t0p0, C1 idle
    c0.commitSync(3_000);
    expect(offsets(c0.poll(3_100))).toEqual([4, 5, 6, 7]); // then C0 is stuck processing for 20 s
    const c1Read: number[] = [];
    for (let t = 4_000; t <= 23_000; t += 1_000) c1Read.push(...offsets(c1.poll(t)));
    expect(group.assignment()).toEqual({ C1: [t0p0] }); // C0 left at 13 100 (3 100 + max.poll.interval.ms)
    expect(c1Read).toEqual([4, 5, 6, 7, 8, 9]); // 4..7 again: C0 never committed them
    expect(() => c0.commitSync(24_000)).toThrow(CommitFailedException);
    expect(c0.committed(t0p0)).toBe(4);
    c0.poll(24_100); // back in the loop: the partitions are reported lost, C0 rejoins
    expect(lost).toEqual(['t0-0']);
  });

  it('a rebalance (eager) auto-commits in onJoinPrepare, so the next owner continues exactly where the last left off', () => {
    const { log, consumer } = setup({ t0: 2 });
    log(tp('t0', 0)).append(5);
    log(tp('t0', 1)).append(5);
    const c0 = consumer('C0', { autoOffsetReset: 'earliest' });
    c0.poll(0);
    expect(c0.poll(3_000)).toHaveLength(10);
    const c1 = consumer('C1', { autoOffsetReset: 'earliest' });
    c1.poll(4_000); // C1 joins; C0 hears at its 6 000 heartbeat and rejoins at its next poll
    c0.poll(6_500); // onJoinPrepare: auto-commit positions 5 and 5, revoke, rejoin
    expect(c0.committed(tp('t0', 1))).toBe(5);
    expect(c1.poll(7_000)).toEqual([]); // nothing re-read
    expect(c1.assignment()).toEqual([tp('t0', 1)]);
    expect(c1.position(tp('t0', 1))).toBe(5);
  });
});

describe('Consumer: committing in the rebalance listener', () => {
  it('cooperative: C0 commits only the revoked partition in onPartitionsRevoked, and C1 picks it up with no re-reads', () => {
    const { log, consumer } = setup({ t0: 2 });
    log(tp('t0', 0)).append(4);
    log(tp('t0', 1)).append(4);
    const cfg = {
      autoOffsetReset: 'earliest' as const,
      enableAutoCommit: false,
      partitionAssignmentStrategy: ['cooperative-sticky' as const],
    };
    const revokedSeen: string[] = [];
    // the listener pattern: commit what was processed on the partitions being taken away
    const c0: Consumer = consumer('C0', cfg, {
      onPartitionsRevoked: (now, tps) => {
        revokedSeen.push(...tps.map(tpKey));
        c0.commitSync(
          now,
          tps.map((x) => ({ tp: x, offset: c0.position(x)! })),
        );
      },
    });
    c0.poll(0);
    expect(c0.poll(3_000)).toHaveLength(8); // C0 owns both and has read everything
    const c1 = consumer('C1', cfg);
    c1.poll(4_000);
    const c1Read: string[] = [];
    for (let t = 5_000; t <= 12_000; t += 500) {
      c0.poll(t);
      c1Read.push(...c1.poll(t).map((r) => `${r.partition}:${r.offset}`));
    }
    expect(revokedSeen).toHaveLength(1);
    const moved = revokedSeen[0];
    expect(c1.assignment().map(tpKey)).toEqual([moved]);
    expect(c1Read).toEqual([]); // nothing read twice
    expect(c0.committed(moved.endsWith('0') ? tp('t0', 0) : tp('t0', 1))).toBe(4);
  });
});

describe('Consumer: delivery semantics when a consumer crashes', () => {
  /** C0 reads t0p0 (0..5) in batches of 3, processes, and crashes while processing the second batch. */
  function story(commitWhere: 'after-processing' | 'before-processing') {
    const { log, consumer } = setup({ t0: 1 });
    log(t0p0).append(6);
    const processed: number[] = [];
    const c0 = consumer('C0', { autoOffsetReset: 'earliest', enableAutoCommit: false, maxPollRecords: 3 });
    c0.poll(0);
    for (const [t, crashAfter] of [
      [3_000, Infinity],
      [4_000, 1],
    ] as const) {
      const batch = c0.poll(t);
      if (commitWhere === 'before-processing') c0.commitSync(t);
      let n = 0;
      for (const r of batch) {
        if (n++ === crashAfter) break; // the crash: records after this one are never processed
        processed.push(r.offset);
      }
      if (n > crashAfter) {
        c0.crash(t + 100);
        break;
      }
      if (commitWhere === 'after-processing') c0.commitSync(t + 50);
    }
    // C0 restarts: a new process, positions from the committed offset
    c0.restart(60_000);
    c0.poll(60_000);
    for (let t = 63_000; t < 70_000; t += 1_000) for (const r of c0.poll(t)) processed.push(r.offset);
    return processed;
  }

  it('commit after processing → at-least-once: offset 3 is processed twice', () => {
    expect(story('after-processing')).toEqual([0, 1, 2, 3, 3, 4, 5]);
  });

  it('commit before processing → at-most-once: offsets 4 and 5 are never processed', () => {
    expect(story('before-processing')).toEqual([0, 1, 2, 3]);
  });

  it('auto-commit commits what poll returned, processed or not: records handed to a worker are lost on a crash', () => {
    const { log, consumer } = setup({ t0: 1 });
    log(t0p0).append(4);
    const processed: number[] = [];
    const queue: number[] = [];
    const c0 = consumer('C0', { autoOffsetReset: 'earliest' });
    c0.poll(0);
    queue.push(...offsets(c0.poll(3_000))); // 0..3 handed to a worker thread
    processed.push(queue.shift()!); // the worker finishes offset 0 only
    c0.poll(5_000); // the poll loop moves on: auto-commit saves position 4
    c0.crash(5_500);
    c0.restart(60_000);
    c0.poll(60_000);
    for (let t = 63_000; t < 66_000; t += 1_000) processed.push(...offsets(c0.poll(t)));
    expect(c0.committed(t0p0)).toBe(4);
    expect(processed).toEqual([0]); // 1, 2, 3 lost
  });

  it('property: commit-after-processing with crashes at random points processes every record at least once, in order per restart', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 1, max: 5 }),
        (crashPoints, batch) => {
          const { log, consumer } = setup({ t0: 1 });
          log(t0p0).append(20);
          const seen: number[] = [];
          const c0 = consumer('C0', { autoOffsetReset: 'earliest', enableAutoCommit: false, maxPollRecords: batch });
          let t = 0;
          c0.poll(t);
          t = 3_000;
          let crashes = [...crashPoints];
          for (let step = 0; step < 200 && !(c0.committed(t0p0) === 20); step++) {
            t += 1_000;
            const records = c0.poll(t);
            let crashed = false;
            for (const r of records) {
              if (crashes.length && crashes[0]-- === 0) {
                crashes = crashes.slice(1);
                crashed = true;
                break;
              }
              seen.push(r.offset);
            }
            if (crashed) {
              c0.crash(t + 1);
              t += 60_000;
              c0.restart(t);
              c0.poll(t);
              t += 3_000;
              continue;
            }
            if (records.length) c0.commitSync(t + 1);
          }
          expect(c0.committed(t0p0)).toBe(20);
          for (let o = 0; o < 20; o++) expect(seen).toContain(o);
          // positions only move forward between crashes: each restart resumes at the last commit
          expect(seen.every((o, i) => i === 0 || o === seen[i - 1] + 1 || o <= seen[i - 1])).toBe(true);
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('Consumer: lag, several groups, and the other layers', () => {
  it('reads a PartitionLog (partitionLogView) only below its high watermark', () => {
    const log = new PartitionLog({ topic: 't0', partition: 0 });
    log.appendAsLeader([0, 1, 2, 3, 4, 5].map((i) => ({ key: `k${i}`, value: `v${i}`, timestamp: i })));
    log.updateHighWatermark(4);
    const group = new GroupCoordinator({ groupId: 'g', partitionsPerTopic: () => ({ t0: 1 }) });
    const c = new Consumer({
      name: 'C0',
      group,
      partition: () => partitionLogView(log),
      config: { topics: ['t0'], autoOffsetReset: 'earliest' },
    });
    c.poll(0);
    expect(offsets(c.poll(3_000))).toEqual([0, 1, 2, 3]);
    log.updateHighWatermark(6);
    expect(offsets(c.poll(3_100))).toEqual([4, 5]);
  });

  it('lag per partition (highWatermark − position) and per group (highWatermark − committed)', () => {
    const { log, consumer, group, partition } = setup({ t0: 2 });
    log(tp('t0', 0)).append(10);
    log(tp('t0', 1)).append(4);
    const c = consumer('C0', { autoOffsetReset: 'earliest', enableAutoCommit: false, maxPollRecords: 6 });
    c.poll(0);
    c.poll(3_000); // 6 records from t0p0
    expect([c.lag(tp('t0', 0)), c.lag(tp('t0', 1))]).toEqual([4, 4]);
    c.commitSync(3_100);
    const lag = groupLag(group, [tp('t0', 0), tp('t0', 1)], partition);
    expect(lag.partitions.map((r) => [tpKey(r.tp), r.committed, r.highWatermark, r.lag])).toEqual([
      ['t0-0', 6, 10, 4],
      ['t0-1', 0, 4, 4],
    ]);
    expect(lag.total).toBe(8);
  });

  it('two groups read one topic independently: each has its own committed offsets', () => {
    const logs = testLog(5);
    const partition = () => logs;
    const trace: ConsumerEvent[] = [];
    const mk = (groupId: string) => {
      const group = new GroupCoordinator({ groupId, partitionsPerTopic: () => ({ t0: 1 }) });
      return {
        group,
        c: new Consumer({
          name: 'C0',
          group,
          partition,
          config: { topics: ['t0'], autoOffsetReset: 'earliest', maxPollRecords: groupId === 'fast' ? 5 : 2 },
          trace,
        }),
      };
    };
    const fast = mk('fast');
    const slow = mk('slow');
    for (const x of [fast, slow]) x.c.poll(0);
    for (const x of [fast, slow]) x.c.poll(3_000);
    for (const x of [fast, slow]) x.c.commitSync(3_100);
    expect([fast.c.committed(t0p0), slow.c.committed(t0p0)]).toEqual([5, 2]);
  });

  it('a partition without a leader is skipped, and read again once it is back', () => {
    const { log, group } = setup({ t0: 2 });
    log(tp('t0', 0)).append(2);
    log(tp('t0', 1)).append(2);
    let leaderUp = false;
    const c = new Consumer({
      name: 'C0',
      group,
      partition: (x) => (x.partition === 1 && !leaderUp ? undefined : log(x)),
      config: { topics: ['t0'], autoOffsetReset: 'earliest' },
    });
    c.poll(0);
    expect(c.poll(3_000).map((r) => `${r.partition}:${r.offset}`)).toEqual(['0:0', '0:1']);
    leaderUp = true;
    expect(c.poll(3_100).map((r) => `${r.partition}:${r.offset}`)).toEqual(['1:0', '1:1']);
  });
});
