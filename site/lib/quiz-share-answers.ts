/**
 * Engine queries about share groups (KIP-932), for quizzes: the schemas and the computations, each
 * by the reference engine (simpleAssign, SharePartition). Registered in ./quiz-answers.ts.
 *
 * Vocabulary (YAML):
 * ```
 * { engine: shareAssign, partitions: 4, members: 12, ask: membersPerPartition }        → number
 * { engine: shareAssign, partitions: 4, members: 5, ask: partitionsOfMember, member: C2 } → number
 * { engine: shareRecords, keys: [job-0, job-1], steps: [...], ask: inState, state: archived } → keys
 * { engine: shareRecords, keys: [job-0, job-1], steps: [...], ask: deliveryCount, key: job-1 } → number
 * { engine: shareRecords, keys: [job-0, job-1], steps: [...], ask: startOffset }         → number
 * ```
 * `shareAssign`: M members C0 … C(M−1), all subscribed to t0 with P partitions, assigned from scratch
 * by the simple share assignor; asks how many members share each partition (desiredSharing; every
 * partition gets that many when M ≥ P), how many partitions `member` gets, or how many members are
 * idle (none, unlike a consumer group).
 * `shareRecords`: one share partition t0p0 whose records, at offsets 0, 1, …, have the `keys`; the
 * group starts at offset 0. `steps`, played in order at a clock starting at 0 ms:
 * `{ fetch: C0 }` or `{ fetch: C0, max: 2 }` (C0 acquires up to `max` available records, lowest offset
 * first; default 500), `{ ack: { member: C0, key: job-1, type: accept | release | reject | renew } }`,
 * `{ waitMs: 30000 }` (locks expire on the way). Configs: `recordLockDurationMs` (30000),
 * `deliveryCountLimit` (5). Asks: `inState` (the keys whose record ends in `state`), `deliveryCount`
 * (of `key`), `startOffset` (the share-partition start offset at the end).
 *
 * `reconcile` (the consumer protocol, KIP-848): one member's heartbeat, by the engine's reconcileMember.
 * ```
 * { engine: reconcile, memberEpoch: 4, assignmentEpoch: 5, held: [t0p0, t0p1], target: [t0p1, t0p2],
 *   ownedElsewhere: [t0p2], ask: memberEpoch | receiveCount | revokeCount }                → number
 * ```
 *
 * Explanation variables: shareAssign — members, partitions, sharing, counts; shareRecords — states
 * (each key's final state and delivery count), startOffset; reconcile — keep, revoke, receive,
 * unreleased, state, memberEpoch.
 */
import type { ReconcileQuery, ShareAssignQuery, ShareRecordsQuery } from '../../content/schema/engine-query.ts';
import {
  reconcileMember,
  formatTp,
  plural,
  DEFAULT_DELIVERY_COUNT_LIMIT,
  DEFAULT_RECORD_LOCK_DURATION_MS,
  SharePartition,
  defaultShareGroupConfig,
  desiredSharing,
  membersByPartition,
  simpleAssign,
} from '../../engine/index.ts';
import type { RecordState } from '../../engine/index.ts';

/** The result shape of ./quiz-answers.ts (value, working, vars). */
interface Result {
  value: number | string[];
  working: string[];
  vars: Record<string, string | number>;
}

/** The simple share assignor on M members and P partitions, from scratch. */
export function computeShareAssign(query: ShareAssignQuery): Result {
  const subs = Object.fromEntries(Array.from({ length: query.members }, (_, i) => [`C${i}`, ['t0']]));
  const assignment = simpleAssign({ t0: query.partitions }, subs);
  const sharing = desiredSharing(query.members, query.partitions);
  const by = membersByPartition(assignment);
  const counts = Object.values(assignment).map((tps) => tps.length);
  const idle = counts.filter((c) => c === 0).length;
  const value =
    query.ask === 'membersPerPartition'
      ? Math.max(...[...by.values()].map((m) => m.length))
      : query.ask === 'idleMembers'
        ? idle
        : assignment[query.member!].length;
  return {
    value,
    working: [
      `desiredSharing = ⌈${query.members} / ${query.partitions}⌉ = ${plural(sharing, 'member')} per partition`,
      ...[...by].map(([k, ms]) => `t0p${k.split('-').pop()} ← ${ms.join(', ')}`),
    ],
    vars: { members: query.members, partitions: query.partitions, sharing, counts: counts.join(', '), idle },
  };
}

/** Play a shareRecords story on one share partition; returns each key's final record and the start offset. */
export function playShareRecords(query: ShareRecordsQuery): {
  records: { key: string; state: RecordState; deliveryCount: number }[];
  startOffset: number;
  lines: string[];
} {
  const config = defaultShareGroupConfig({
    autoOffsetReset: 'earliest',
    recordLockDurationMs: query.recordLockDurationMs ?? DEFAULT_RECORD_LOCK_DURATION_MS,
    deliveryCountLimit: query.deliveryCountLimit ?? DEFAULT_DELIVERY_COUNT_LIMIT,
  });
  const n = query.keys.length;
  const lines: string[] = [];
  const final = new Map<number, { state: RecordState; deliveryCount: number }>();
  const p = new SharePartition(
    { topic: 't0', partition: 0 },
    config,
    {
      logStartOffset: 0,
      highWatermark: n,
      offsets: (from, to) => Array.from({ length: Math.max(0, Math.min(to, n) - from) }, (_, i) => from + i),
    },
    (e) => {
      if (e.type === 'lock-expired') lines.push(`${e.atMs} ms: ${e.memberId}'s lock on ${query.keys[e.offset]} expires → ${e.state}`);
      if ((e.type === 'acknowledged' || e.type === 'lock-expired') && (e.state === 'acknowledged' || e.state === 'archived'))
        final.set(e.offset, { state: e.state, deliveryCount: e.deliveryCount });
    },
  );
  let now = 0;
  for (const s of query.steps) {
    if ('waitMs' in s) {
      now += s.waitMs;
      p.expireLocks(now);
    } else if ('fetch' in s) {
      const got = p.acquire(s.fetch, s.max ?? 500, now);
      lines.push(
        `${now} ms: ${s.fetch} fetches → ${got.length ? got.map((r) => `${query.keys[r.offset]} (delivery ${r.deliveryCount})`).join(', ') : 'nothing available'}`,
      );
    } else {
      const offset = query.keys.indexOf(s.ack.key);
      const r = p.acknowledge(s.ack.member, offset, s.ack.type, now);
      lines.push(
        `${now} ms: ${s.ack.member} ${s.ack.type.toUpperCase()}s ${s.ack.key} → ${r ? r.state : `refused (${s.ack.member} does not hold its lock)`}`,
      );
    }
  }
  const records = query.keys.map((key, offset) => {
    const f = p.stateOf(offset);
    const done = final.get(offset);
    return f ? { key, state: f.state, deliveryCount: f.deliveryCount } : { key, state: done!.state, deliveryCount: done!.deliveryCount };
  });
  return { records, startOffset: p.startOffset ?? 0, lines };
}

/** The shareRecords query: the story played, then the question asked of its end. */
export function computeShareRecords(query: ShareRecordsQuery): Result {
  const { records, startOffset, lines } = playShareRecords(query);
  const value =
    query.ask === 'inState'
      ? records.filter((r) => r.state === query.state).map((r) => r.key)
      : query.ask === 'deliveryCount'
        ? records.find((r) => r.key === query.key)!.deliveryCount
        : startOffset;
  const states = records.map((r) => `${r.key} ${r.state} (delivered ${r.deliveryCount}×)`).join(', ');
  return { value, working: [...lines, `at the end: ${states}; start offset ${startOffset}`], vars: { states, startOffset } };
}

/** "t0p1" → { topic: "t0", partition: 1 } */
function tp(name: string) {
  const m = /^(t\d+)p(\d+)$/.exec(name)!;
  return { topic: m[1], partition: Number(m[2]) };
}

/** One consumer-protocol heartbeat of a member, by the engine's reconcileMember (KIP-848). */
export function computeReconcile(query: ReconcileQuery): Result {
  const r = reconcileMember(
    { memberEpoch: query.memberEpoch, assigned: query.held.map(tp) },
    { assignmentEpoch: query.assignmentEpoch, partitions: query.target.map(tp) },
    (query.ownedElsewhere ?? []).map(tp),
  );
  const list = (tps: { topic: string; partition: number }[]) => (tps.length ? tps.map(formatTp).join(', ') : 'none');
  const value = query.ask === 'memberEpoch' ? r.nextState.memberEpoch : query.ask === 'receiveCount' ? r.receive.length : r.revoke.length;
  return {
    value,
    working: [
      `keep = held ∩ target = ${list(r.keep)}`,
      `revoke = held − target = ${list(r.revoke)}`,
      r.revoke.length
        ? 'something to revoke: revoke first, stay at the member epoch, receive nothing'
        : `nothing to revoke: move to epoch ${query.assignmentEpoch}, receive ${list(r.receive)}${r.unreleased.length ? `, wait for ${list(r.unreleased)} (still owned elsewhere)` : ''}`,
      `next: ${r.nextState.state}, member epoch ${r.nextState.memberEpoch}`,
    ],
    vars: {
      keep: list(r.keep),
      revoke: list(r.revoke),
      receive: list(r.receive),
      unreleased: list(r.unreleased),
      state: r.nextState.state,
      memberEpoch: r.nextState.memberEpoch,
    },
  };
}
