/**
 * The delivery guarantees of a consumer's commit logic, checked while ./commit-loop.ts runs. Each
 * broken rule is an {@link Anomaly} named in Kafka's terms, in the lesson's notation (C0, t0p1@5).
 *
 * The rules:
 *   1. At-least-once: a successful commit of offset o for tp covers only processed records — every
 *      record of tp below o has been processed by someone (else a crash now loses it); by the end,
 *      every record has been processed.
 *   2. The committed offset is the next record to read: committing o for tp after processing tp@o
 *      (last processed, not last processed + 1) makes tp@o be processed again after every restart.
 *   3. A member commits only partitions it owns now: another member's partition, committed with an
 *      old offset, moves that partition's committed offset back under its owner.
 *   4. Bounded redelivery: a record is processed again only when the member that processed it
 *      crashed or was removed from the group before committing it. After a clean rebalance (the
 *      owner went through onPartitionsRevoked) the next owner processes nothing twice.
 *   5. After every consumer closed, each partition's committed offset is its log end offset.
 *
 * Example: C0 processes t0p1@0..2 and commits t0-1 → 2 (not 3): rule 2, "C0 committed t0p1 → 2
 * after processing t0p1@2: the committed offset is the next record to read, last processed + 1 = 3".
 *
 * Source: KafkaConsumer#commitSync javadoc ("the committed offset should be the next message your
 * application will consume, i.e. lastProcessedMessageOffset + 1"); ConsumerRebalanceListener
 * javadoc (commit in onPartitionsRevoked); the group coordinator accepts commits from any current
 * member for any partition (it checks memberId and generation, not ownership).
 */
import { formatTp, pluralWord } from '../common/notation.ts';
import type { Anomaly, CommitLoopWorld, LoopEvent, LoopRecord } from './commit-loop-types.ts';

/** What the checks read from a running simulation. */
export interface CheckView {
  readonly world: CommitLoopWorld;
  readonly events: readonly LoopEvent[];
  /** committed offset per partition, before the commit being checked is applied */
  readonly committed: readonly (number | null)[];
  /** who processed each record, [partition][offset], in order */
  readonly processedBy: readonly (readonly { member: string; incarnation: number; zombie: boolean; event: number }[])[][];
  /** per partition: ownership periods in order, and how each ended (null: ongoing) */
  readonly ownership: readonly (readonly {
    member: string;
    incarnation: number;
    since: number;
    ended: 'revoked' | 'crashed' | 'removed' | null;
  }[])[];
  readonly members: ReadonlyMap<string, { owned: number[]; worker: LoopRecord[][]; incarnation: number }>;
  ownerOf(partition: number): string | null;
}

function tpName(view: CheckView, p: number): string {
  return formatTp({ topic: view.world.topic, partition: p });
}

/** `t0p1@4, t0p1@5` or `t0p1@4..t0p1@9` for a run of offsets */
function recordList(view: CheckView, p: number, offsets: number[]): string {
  const tp = tpName(view, p);
  if (offsets.length > 3 && offsets.every((o, i) => i === 0 || o === offsets[i - 1] + 1)) return `${tp}@${offsets[0]}..${offsets.at(-1)}`;
  return offsets.map((o) => `${tp}@${o}`).join(', ');
}

/** the last record of p that `member` processed since its current ownership of p began */
function lastProcessedBy(view: CheckView, member: string, incarnation: number, p: number): number | null {
  const period = view.ownership[p].filter((o) => o.member === member && o.incarnation === incarnation && o.ended === null).at(-1);
  if (!period) return null;
  let last: number | null = null;
  view.processedBy[p].forEach((who, o) => {
    if (who.some((w) => w.member === member && w.incarnation === incarnation && w.event >= period.since)) last = o;
  });
  return last;
}

/** How `member` came not to own p, for a message. */
function whyNotOwned(view: CheckView, member: string, incarnation: number, p: number): string {
  const mine = view.ownership[p].filter((o) => o.member === member && o.incarnation === incarnation);
  const last = mine.at(-1);
  const owner = view.ownerOf(p);
  const now = owner ? `; ${owner} owns it now` : '';
  if (!last) return `${member} never owned it${now}`;
  if (last.ended === 'revoked') return `it was revoked from ${member} in a rebalance (onPartitionsRevoked)${now}`;
  if (last.ended === 'removed')
    return `${member} lost it when the group removed it for exceeding max.poll.interval.ms (the CommitFailedException said so)${now}`;
  return `${member} does not own it${now}`;
}

/**
 * Rules 1–3 for one successful commit, before it is applied.
 * @param from which decision returned it (for the message)
 * @returns the first anomaly, or null
 */
export function checkCommit(
  view: CheckView,
  member: string,
  incarnation: number,
  offsets: Record<number, number>,
  event: number,
  from?: string,
): Anomaly | null {
  const m = view.members.get(member)!;
  const partitions = Object.keys(offsets)
    .map(Number)
    .sort((a, b) => a - b);
  // 3. only owned partitions
  for (const p of partitions) {
    if (m.owned.includes(p)) continue;
    const o = offsets[p];
    const before = view.committed[p];
    const harm =
      before !== null && o < before
        ? ` This moves ${tpName(view, p)}'s committed offset back from ${before} to ${o}: its owner will process ${recordList(view, p, range(o, before))} again after a restart.`
        : '';
    return {
      kind: 'commit-unowned-partition',
      event,
      message: `${member} committed ${tpName(view, p)} → ${o}, a partition it does not own: ${whyNotOwned(view, member, incarnation, p)}.${harm} Commit only the partitions you own now — forget revoked or lost ones.`,
    };
  }
  // 1. no commit ahead of processing
  for (const p of partitions) {
    const o = offsets[p];
    const end = view.world.recordsPerPartition[p];
    const unprocessed = range(0, Math.min(o, end)).filter((x) => view.processedBy[p][x].length === 0);
    if (unprocessed.length === 0 && o <= end) continue;
    if (unprocessed.length === 0) {
      return {
        kind: 'commit-ahead-of-processing',
        event,
        message: `${member} committed ${tpName(view, p)} → ${o}, beyond its last record ${tpName(view, p)}@${end - 1}: commit last processed + 1.`,
      };
    }
    const queued = m.worker.some((batch) => batch.some((r) => r.partition === p && unprocessed.includes(r.offset)));
    const list = recordList(view, p, unprocessed);
    const n = unprocessed.length;
    const what = queued
      ? `right after handing ${list} to its worker: ${pluralWord(n, 'it was', 'they were')} not processed yet`
      : from === 'onBatch'
        ? `in onBatch, before processing ${list}`
        : `before ${list} ${pluralWord(n, 'was', 'were')} processed`;
    return {
      kind: 'commit-ahead-of-processing',
      event,
      message: `${member} committed ${tpName(view, p)} → ${o} ${what}. If ${member} crashes now, the next owner starts at ${o} and ${pluralWord(n, 'that record is', 'those records are')} lost (at-most-once). Commit only what has been processed.`,
    };
  }
  // 2. next offset = last processed + 1
  for (const p of partitions) {
    const o = offsets[p];
    const last = lastProcessedBy(view, member, incarnation, p);
    if (last === null || o > last) continue;
    const tp = tpName(view, p);
    return {
      kind: 'commit-not-next-offset',
      event,
      message:
        o === last
          ? `${member} committed ${tp} → ${o} after processing ${tp}@${o}: a committed offset is the next record to read, last processed + 1 = ${o + 1}. With ${o}, ${tp}@${o} is processed again after every restart or rebalance.`
          : `${member} committed ${tp} → ${o}, but it has processed up to ${tp}@${last}: the committed offset should be last processed + 1 = ${last + 1}; with ${o}, ${recordList(view, p, range(o, last + 1))} would be processed again.`,
    };
  }
  // 2'. an owned partition's committed offset never moves back below what was processed and committed
  for (const p of partitions) {
    const o = offsets[p];
    const before = view.committed[p];
    if (before === null || o >= before) continue;
    const tp = tpName(view, p);
    return {
      kind: 'commit-not-next-offset',
      event,
      message: `${member} committed ${tp} → ${o}, moving its committed offset back from ${before}: ${recordList(view, p, range(o, before))} ${pluralWord(before - o, 'was', 'were')} processed and committed already and would be processed again after a restart. An offset kept from before ${member} lost ${tp} is stale: forget the partitions you lose.`,
    };
  }
  return null;
}

/** Rule 4 for one record about to be processed by `member` (`zombie`: removed from the group). */
export function checkProcessed(
  view: CheckView,
  member: string,
  _incarnation: number,
  zombie: boolean,
  p: number,
  offset: number,
  event: number,
): Anomaly | null {
  const previous = view.processedBy[p][offset].at(-1);
  if (!previous || zombie || previous.zombie) return null;
  const period = view.ownership[p]
    .filter((o) => o.member === previous.member && o.incarnation === previous.incarnation && o.since <= previous.event)
    .at(-1);
  if (period && (period.ended === 'crashed' || period.ended === 'removed')) return null;
  const tp = tpName(view, p);
  const committed = view.committed[p];
  // what the previous owner committed of p (and whether its last try failed)
  const commits = view.events.filter(
    (e): e is Extract<LoopEvent, { type: 'commit' }> => e.type === 'commit' && e.member === previous.member && p in e.offsets,
  );
  const lastTry = commits.at(-1);
  const why =
    lastTry && lastTry.error !== null
      ? `its last commit of ${tp} (→ ${lastTry.offsets[p]}) had failed with ${lastTry.error}, and it did not commit ${tp} again before giving it up`
      : `it did not commit ${tp} when it was revoked (onPartitionsRevoked)`;
  return {
    kind: 'redelivered-after-rebalance',
    event,
    message: `${tp}@${offset} processed twice: by ${previous.member}, then by ${member} after a rebalance. ${previous.member} had processed it and went through onPartitionsRevoked, but ${why}; ${member} started at the committed offset ${committed ?? 'none (the beginning)'}. Commit what you processed when partitions are revoked: then the next owner processes nothing twice.`,
  };
}

/**
 * Rules 1 (nothing lost) and 5 (committed = log end) once every consumer has closed. A lost record
 * names the commit that jumped over it and what happened to the member that made it.
 */
export function checkEnd(view: CheckView): Anomaly[] {
  const event = view.events.length - 1;
  const out: Anomaly[] = [];
  for (let p = 0; p < view.world.recordsPerPartition.length; p++) {
    const lost = view.processedBy[p].flatMap((who, o) => (who.length === 0 ? [o] : []));
    if (lost.length === 0) continue;
    const tp = tpName(view, p);
    const them = pluralWord(lost.length, 'it', 'them');
    const index = view.events.findIndex((e) => e.type === 'commit' && e.error === null && p in e.offsets && e.offsets[p] > lost[0]);
    const commit = index >= 0 ? (view.events[index] as Extract<LoopEvent, { type: 'commit' }>) : undefined;
    let cause = 'a commit ran ahead of processing';
    if (commit) {
      const fate = view.events
        .slice(index)
        .find((e) => (e.type === 'crash' || e.type === 'removed' || e.type === 'revoke') && e.member === commit.member);
      const then =
        fate?.type === 'crash'
          ? ', then crashed'
          : fate?.type === 'removed'
            ? ', then was removed from the group'
            : fate?.type === 'revoke'
              ? ', then gave the partition up in a rebalance'
              : '';
      const how =
        commit.from === 'onBatch'
          ? view.events.slice(0, index).findLast((e) => e.type === 'hand-off' && e.member === commit.member)
            ? ' (right after handing them to its worker)'
            : ' (in onBatch)'
          : '';
      cause = `${commit.member} committed ${tp} → ${commit.offsets[p]} before processing ${them}${how}${then}; the next reader started at ${commit.offsets[p]}`;
    }
    out.push({
      kind: 'lost-record',
      event,
      message: `lost ${pluralWord(lost.length, 'record', 'records')} ${recordList(view, p, lost)}: ${cause}. Nobody ever processed ${them} (at-most-once). Commit only what has been processed.`,
    });
  }
  for (let p = 0; p < view.world.recordsPerPartition.length; p++) {
    const end = view.world.recordsPerPartition[p];
    const c = view.committed[p];
    if (end === 0 || c === end) continue;
    const tp = tpName(view, p);
    out.push({
      kind: 'not-committed-at-close',
      event,
      message: `After every consumer closed, ${tp}'s committed offset is ${c ?? 'none'}, but ${end === 1 ? `${tp}@0 was` : `all of ${tp}@0..${end - 1} were`} processed: it should be ${end}, last processed + 1. A consumer that restarts now would process ${recordList(view, p, range(c ?? 0, end))} again. Commit after processing, and commit what you processed when partitions are revoked (consumers revoke everything when they close).`,
    });
  }
  return out;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
}
