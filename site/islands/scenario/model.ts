/**
 * The scenario player's view model: pure functions over two trace events (the current one and the
 * one before it) that the player's components render. Browser-safe: only type imports from the
 * engine, so the island bundle carries no engine code — every Kafka fact shown comes from the
 * engine's snapshot, computed at build time; this module only lays it out and diffs it.
 *
 * - `logColumns(partition)`: a partition's log as columns, oldest first: "… N earlier records",
 *   deleted offsets (below logStartOffset), compacted gaps, records, and the next offset to write
 *   (logEndOffset), so markers (HW, LEO, positions, committed offsets) have a column to sit on.
 * - `diffEvents(prev, cur)`: what changed since the previous step (new records, records gone, HW
 *   moves, leader / ISR changes, assignments, commits, positions, states) as sets of keys the
 *   components look up.
 * - `keyHue(key)`: a stable hue per record key, so one key has one colour in every partition and step.
 */
import type { GroupView, PartitionView, Snapshot, TopicPartition, TraceEvent } from '../../../engine/index.ts';
import { plural, pluralWord, tpKey } from '../../../engine/index.ts';

/** Build-time options of `runScenario` for the player: at most 24 records per partition / list. */
export const PLAYER_RUN_OPTIONS = { recordLimit: 24 } as const;

/** "t0p1" for a partition of the snapshot (the engine's label), else Kafka's "topic-partition". */
export function tpLabel(snapshot: Snapshot, tp: TopicPartition): string {
  const p = snapshot.partitions.find((x) => x.topic === tp.topic && x.partition === tp.partition);
  return p ? p.label : tpKey(tp);
}

export const tpId = (tp: TopicPartition): string => `${tp.topic}/${tp.partition}`;

/** Simulated time for people: "0 ms", "500 ms", "3 s", "1 min 30 s", "7 d 2 h". */
export function formatTime(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  const s = ms / 1000;
  if (s < 60) return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
  const parts: string[] = [];
  let rest = Math.floor(s);
  const units: [string, number][] = [
    ['d', 86400],
    ['h', 3600],
    ['min', 60],
    ['s', 1],
  ];
  for (const [name, size] of units) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0) parts.push(`${n} ${name}`);
    if (parts.length === 2) break;
  }
  return parts.join(' ');
}

/** A stable hue (0–359) for a record key (FNV-1a over UTF-16 code units); null for keyless records. */
export function keyHue(key: string | null): number | null {
  if (key === null) return null;
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  // 12 well-separated hues read better than 360 similar ones.
  return ((h >>> 0) % 12) * 30;
}

/**
 * Width of a record cell for a topic's logs, in rem: wide enough for the longest key or value drawn
 * (monospace, ~0.46rem per character at the cell's font size), between 4.4rem and 8rem.
 */
export function cellWidthRem(partitions: readonly PartitionView[]): number {
  let longest = 0;
  for (const p of partitions) for (const r of p.records) longest = Math.max(longest, (r.key ?? '').length, (r.value ?? '').length);
  return Math.min(8, Math.max(4.4, Math.min(longest, 16) * 0.46 + 0.9));
}

/** "3", "3–5" */
export const offsetRange = (from: number, to: number): string => (from === to ? `${from}` : `${from}–${to}`);

/**
 * The accessible name of a partition's log: `t0p1 log, offsets 0–4`, or for a log with no records
 * (logEndOffset = logStartOffset) `t0p1 log, empty; the next record gets offset 0` — never "offsets 0 to −1".
 */
export const logLabel = (label: string, logStartOffset: number, logEndOffset: number): string =>
  logEndOffset > logStartOffset
    ? `${label} log, ${pluralWord(logEndOffset - logStartOffset, 'offset')} ${offsetRange(logStartOffset, logEndOffset - 1)}`
    : `${label} log, empty; the next record gets offset ${logEndOffset}`;

export type LogColumn =
  | { kind: 'omitted'; count: number; from: number; to: number }
  | { kind: 'deleted'; from: number; to: number }
  | { kind: 'gap'; from: number; to: number }
  | {
      kind: 'record';
      offset: number;
      key: string | null;
      value: string | null;
      timestamp: number;
      /** a transaction marker (COMMIT / ABORT), written by `producer`'s transaction coordinator */
      control?: 'COMMIT' | 'ABORT';
      /** a transactional record's fate: its transaction is open, committed or aborted */
      txn?: 'open' | 'committed' | 'aborted';
      producer?: string | null;
    }
  | { kind: 'next'; offset: number };

/**
 * A partition's log as columns, oldest first. Offsets below logStartOffset are "deleted" (retention
 * or truncation from the start); offsets missing between shown records are "gap" (compacted away);
 * records left out by the trace's record cap are one "omitted" column.
 */
export function logColumns(p: PartitionView): LogColumn[] {
  const cols: LogColumn[] = [];
  if (p.logStartOffset > 0) cols.push({ kind: 'deleted', from: 0, to: p.logStartOffset - 1 });
  let next = p.logStartOffset;
  if (p.recordsOmitted > 0) {
    const to = p.records.length ? p.records[0].offset - 1 : p.logEndOffset - 1;
    cols.push({ kind: 'omitted', count: p.recordsOmitted, from: next, to });
    next = to + 1;
  }
  for (const r of p.records) {
    if (r.offset > next) cols.push({ kind: 'gap', from: next, to: r.offset - 1 });
    const col: LogColumn = { kind: 'record', offset: r.offset, key: r.key, value: r.value, timestamp: r.timestamp };
    if (r.control !== undefined) Object.assign(col, { control: r.control, producer: r.producer });
    else if (r.txn !== undefined) Object.assign(col, { txn: r.txn, producer: r.producer });
    cols.push(col);
    next = r.offset + 1;
  }
  if (p.logEndOffset > next) cols.push({ kind: 'gap', from: next, to: p.logEndOffset - 1 });
  cols.push({ kind: 'next', offset: p.logEndOffset });
  return cols;
}

/**
 * What a record cell says about transactions, for its class and title: a marker (control record,
 * never handed to an application), or a transactional record whose transaction is open (read_committed
 * consumers wait at the LSO), committed, or aborted (read_committed consumers skip it). Null otherwise.
 */
export function transactionNote(col: LogColumn): { cls: string; text: string } | null {
  if (col.kind !== 'record') return null;
  if (col.control) {
    return {
      cls: `log-cell--control log-cell--${col.control.toLowerCase()}`,
      text: `${col.control} marker of ${col.producer ?? 'a producer'}'s transaction: a control record, it takes an offset but no consumer ever receives it`,
    };
  }
  if (col.txn === 'open')
    return {
      cls: 'log-cell--txn-open',
      text: 'in an open transaction: read_uncommitted consumers read it, read_committed ones wait at the LSO',
    };
  if (col.txn === 'aborted')
    return {
      cls: 'log-cell--txn-aborted',
      text: 'in an aborted transaction: read_committed consumers skip it, read_uncommitted ones read it',
    };
  if (col.txn === 'committed') return { cls: 'log-cell--txn-committed', text: 'in a committed transaction' };
  return null;
}

/** The column an offset falls in (a marker for offset o sits on the column holding o). */
export function columnOf(cols: LogColumn[], offset: number): number {
  for (let i = 0; i < cols.length; i++) {
    const c = cols[i];
    if ((c.kind === 'record' || c.kind === 'next') && c.offset === offset) return i;
    if ((c.kind === 'omitted' || c.kind === 'deleted' || c.kind === 'gap') && offset >= c.from && offset <= c.to) return i;
  }
  return offset >= (cols.at(-1) as { offset: number }).offset ? cols.length - 1 : 0;
}

/** What changed between two events; every field is a set of keys the components look up. */
export interface Changes {
  /** `${tpId}@${offset}` of records that are new (or different) at that offset */
  newRecords: Set<string>;
  /** per partition id: records that were in the previous snapshot's log and are not now */
  removed: Map<string, { from: number; to: number; count: number }[]>;
  /** partition ids whose highWatermark / logEndOffset / logStartOffset moved */
  hwMoved: Set<string>;
  leoMoved: Set<string>;
  lsoMoved: Set<string>;
  /** partition ids whose leader or ISR changed */
  leaderChanged: Set<string>;
  isrChanged: Set<string>;
  /** broker ids that went down or came back */
  brokers: Set<number>;
  /**
   * `${group}|${memberId}|${tpId}` added to / removed from a member's assignment (`${group}|${memberId}`
   * for assignedOut). Keyed by memberId, not consumer: a restarted dynamic consumer joins as a new
   * member while its crashed process's member stays in the group until its session times out.
   */
  assignedIn: Set<string>;
  assignedOut: Map<string, TopicPartition[]>;
  /** `${consumer}|${tpId}` added to / removed from what a consumer owns */
  ownedIn: Set<string>;
  /** `${group}|${tpId}` whose committed offset changed */
  committed: Set<string>;
  /** `${consumer}|${tpId}` whose position changed */
  positions: Set<string>;
  /** group ids whose state / generation changed */
  groupState: Set<string>;
  generation: Set<string>;
  /** consumer ids whose status changed */
  consumerStatus: Set<string>;
}

function ranges(offsets: number[]): { from: number; to: number; count: number }[] {
  const out: { from: number; to: number; count: number }[] = [];
  for (const o of [...offsets].sort((a, b) => a - b)) {
    const last = out.at(-1);
    if (last && o === last.to + 1) {
      last.to = o;
      last.count++;
    } else out.push({ from: o, to: o, count: 1 });
  }
  return out;
}

/** Compare the current event with the previous one (null for the first event: nothing is new). */
export function diffEvents(prev: TraceEvent | null, cur: TraceEvent): Changes {
  const c: Changes = {
    newRecords: new Set(),
    removed: new Map(),
    hwMoved: new Set(),
    leoMoved: new Set(),
    lsoMoved: new Set(),
    leaderChanged: new Set(),
    isrChanged: new Set(),
    brokers: new Set(),
    assignedIn: new Set(),
    assignedOut: new Map(),
    ownedIn: new Set(),
    committed: new Set(),
    positions: new Set(),
    groupState: new Set(),
    generation: new Set(),
    consumerStatus: new Set(),
  };
  if (!prev) return c;
  const before = prev.snapshot;
  const now = cur.snapshot;

  for (const b of now.brokers) {
    const old = before.brokers.find((x) => x.id === b.id);
    if (old && old.alive !== b.alive) c.brokers.add(b.id);
  }

  for (const p of now.partitions) {
    const id = tpId(p);
    const old = before.partitions.find((x) => x.topic === p.topic && x.partition === p.partition);
    if (!old) {
      for (const r of p.records) c.newRecords.add(`${id}@${r.offset}`);
      continue;
    }
    if (old.highWatermark !== p.highWatermark) c.hwMoved.add(id);
    if (old.logEndOffset !== p.logEndOffset) c.leoMoved.add(id);
    if (old.logStartOffset !== p.logStartOffset) c.lsoMoved.add(id);
    if (old.leader !== p.leader || old.leaderEpoch !== p.leaderEpoch) c.leaderChanged.add(id);
    if (old.isr.join() !== p.isr.join()) c.isrChanged.add(id);
    const oldByOffset = new Map(old.records.map((r) => [r.offset, r]));
    const nowByOffset = new Map(p.records.map((r) => [r.offset, r]));
    for (const r of p.records) {
      const o = oldByOffset.get(r.offset);
      if (!o || o.key !== r.key || o.value !== r.value || o.leaderEpoch !== r.leaderEpoch) c.newRecords.add(`${id}@${r.offset}`);
    }
    // Gone: shown before, and now either below the shown window's reach or replaced / absent.
    const firstShownNow = p.records.length ? p.records[0].offset : p.logEndOffset;
    const gone: number[] = [];
    for (const r of old.records) {
      const n = nowByOffset.get(r.offset);
      const hiddenByCap = !n && p.recordsOmitted > 0 && r.offset < firstShownNow && r.offset >= p.logStartOffset;
      if (hiddenByCap) continue;
      if (!n || n.key !== r.key || n.value !== r.value || n.leaderEpoch !== r.leaderEpoch) gone.push(r.offset);
    }
    if (gone.length) c.removed.set(id, ranges(gone));
  }

  for (const g of now.groups) {
    const old = before.groups.find((x) => x.id === g.id);
    if (!old) continue;
    if (old.state !== g.state) c.groupState.add(g.id);
    if (old.generationId !== g.generationId) c.generation.add(g.id);
    const members = new Set([...g.members.map((m) => m.memberId), ...old.members.map((m) => m.memberId)]);
    for (const memberId of members) {
      const a = g.members.find((m) => m.memberId === memberId)?.assignment ?? [];
      const b = old.members.find((m) => m.memberId === memberId)?.assignment ?? [];
      const bIds = new Set(b.map(tpId));
      const aIds = new Set(a.map(tpId));
      for (const tp of a) if (!bIds.has(tpId(tp))) c.assignedIn.add(`${g.id}|${memberId}|${tpId(tp)}`);
      const out = b.filter((tp) => !aIds.has(tpId(tp)));
      if (out.length) c.assignedOut.set(`${g.id}|${memberId}`, out);
    }
    for (const o of g.offsets) {
      const before = old.offsets.find((x) => x.topic === o.topic && x.partition === o.partition);
      if (!before || before.committed !== o.committed) c.committed.add(`${g.id}|${tpId(o)}`);
    }
  }

  for (const k of now.consumers) {
    const old = before.consumers.find((x) => x.id === k.id);
    if (!old) continue;
    if (old.status !== k.status) c.consumerStatus.add(k.id);
    const oldOwned = new Set(old.owned.map(tpId));
    for (const tp of k.owned) if (!oldOwned.has(tpId(tp))) c.ownedIn.add(`${k.id}|${tpId(tp)}`);
    for (const pos of k.positions) {
      const o = old.positions.find((x) => x.topic === pos.topic && x.partition === pos.partition);
      if (!o || o.position !== pos.position) c.positions.add(`${k.id}|${tpId(pos)}`);
    }
  }
  return c;
}

/** A one-line summary of what changed, for people ("2 new records, t0p0 HW 2 → 3, …"); empty when nothing. */
export function changeSummary(prev: TraceEvent | null, cur: TraceEvent, changes: Changes): string[] {
  if (!prev) return [];
  const lines: string[] = [];
  const now = cur.snapshot;
  const before = prev.snapshot;
  const newCount = changes.newRecords.size;
  if (newCount) lines.push(`${plural(newCount, 'new record')} in the log`);
  for (const [id, rs] of changes.removed) {
    const p = now.partitions.find((x) => tpId(x) === id);
    const n = rs.reduce((s, r) => s + r.count, 0);
    lines.push(
      `${p?.label ?? id}: ${plural(n, 'record')} gone from the leader's log (${pluralWord(n, 'offset')} ${rs.map((r) => offsetRange(r.from, r.to)).join(', ')})`,
    );
  }
  for (const id of changes.hwMoved) {
    const p = now.partitions.find((x) => tpId(x) === id)!;
    const o = before.partitions.find((x) => tpId(x) === id)!;
    lines.push(`${p.label}: high watermark ${o.highWatermark} → ${p.highWatermark}`);
  }
  for (const id of changes.leaderChanged) {
    const p = now.partitions.find((x) => tpId(x) === id)!;
    const o = before.partitions.find((x) => tpId(x) === id)!;
    const name = (b: number | null) => (b === null ? 'none (offline)' : `broker ${b}`);
    lines.push(`${p.label}: leader ${name(o.leader)} → ${name(p.leader)}`);
  }
  for (const id of changes.isrChanged) {
    const p = now.partitions.find((x) => tpId(x) === id)!;
    const o = before.partitions.find((x) => tpId(x) === id)!;
    lines.push(`${p.label}: ISR [${o.isr.join(', ')}] → [${p.isr.join(', ')}]`);
  }
  for (const b of changes.brokers) {
    const alive = now.brokers.find((x) => x.id === b)?.alive;
    lines.push(`broker ${b} ${alive ? 'is back up' : 'is down'}`);
  }
  for (const g of now.groups) {
    const o = before.groups.find((x) => x.id === g.id);
    if (!o) continue;
    if (changes.generation.has(g.id)) lines.push(`${g.id}: generation ${o.generationId} → ${g.generationId}`);
    if (changes.groupState.has(g.id)) lines.push(`${g.id}: ${o.state} → ${g.state}`);
  }
  const commits = changes.committed.size;
  if (commits) lines.push(`${plural(commits, 'committed offset')} changed`);
  for (const id of changes.consumerStatus) {
    const k = now.consumers.find((x) => x.id === id)!;
    const o = before.consumers.find((x) => x.id === id)!;
    lines.push(`${id}: ${o.status} → ${k.status}`);
  }
  return lines;
}

/** One member of a group as the snapshot shows it. */
export type GroupMember = GroupView['members'][number];

/**
 * Which of a group's members stand for consumer `consumer` (its process now) and which are left over
 * from an earlier process of the same consumer: a dynamic consumer that crashed and restarted joins
 * with a new memberId, while the coordinator keeps the old member — and its assignment — until its
 * session times out (session.timeout.ms; Kafka's GroupCoordinator / ConsumerGroup). The group card
 * shows the current member on the consumer's row and each earlier one on a row of its own, labelled,
 * never as a second, identical consumer.
 * @param memberId the consumer's memberId now (ConsumerView.memberId), null when it has none
 */
export function membersOf(
  group: Pick<GroupView, 'members'>,
  consumer: string,
  memberId: string | null,
): { current: GroupMember | undefined; earlier: GroupMember[] } {
  const mine = group.members.filter((m) => m.consumer === consumer);
  const current = memberId === null ? (mine.length === 1 ? mine[0] : undefined) : mine.find((m) => m.memberId === memberId);
  return { current, earlier: mine.filter((m) => m !== current) };
}
