/**
 * The player's view model over every scenario in content/scenarios/, played by the engine with the
 * options the pages use: the log columns cover each partition's offsets exactly, markers land on the
 * column holding their offset, and the step diff reports what the snapshots say changed.
 */
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario, type TraceEvent } from '../../../engine/index.ts';
import { loadScenarioFile } from '../../../content/schema/scenario.ts';
import {
  cellWidthRem,
  columnOf,
  diffEvents,
  formatTime,
  keyHue,
  logColumns,
  logLabel,
  PLAYER_RUN_OPTIONS,
  tpId,
  transactionNote,
  type LogColumn,
} from './model.ts';

const DIR = resolve(import.meta.dirname, '../../../content/scenarios');
const files = readdirSync(DIR).filter((f) => /\.(ya?ml|json)$/.test(f));
const traces: [string, TraceEvent[]][] = await Promise.all(
  files.map(async (f) => [f, runScenario(await loadScenarioFile(resolve(DIR, f)), PLAYER_RUN_OPTIONS).trace] as [string, TraceEvent[]]),
);

/** [from, to] offsets a column stands for */
const span = (c: LogColumn): [number, number] => (c.kind === 'record' || c.kind === 'next' ? [c.offset, c.offset] : [c.from, c.to]);

describe('logColumns, every partition of every event of every scenario', () => {
  it.each(traces)('%s: columns cover offsets 0 … logEndOffset once, in order, records as the snapshot lists them', (_, trace) => {
    for (const event of trace) {
      for (const p of event.snapshot.partitions) {
        const cols = logColumns(p);
        let next = 0;
        for (const c of cols) {
          const [from, to] = span(c);
          expect(from).toBe(next);
          expect(to).toBeGreaterThanOrEqual(from);
          next = to + 1;
        }
        expect(cols.at(-1)).toEqual({ kind: 'next', offset: p.logEndOffset });
        expect(cols.filter((c) => c.kind === 'record').map((c) => (c as { offset: number }).offset)).toEqual(
          p.records.map((r) => r.offset),
        );
        const omitted = cols.find((c) => c.kind === 'omitted');
        expect(omitted ? (omitted as { count: number }).count : 0).toBe(p.recordsOmitted);
        // deleted offsets are exactly those below logStartOffset
        const deleted = cols.filter((c) => c.kind === 'deleted');
        expect(deleted.length).toBe(p.logStartOffset > 0 ? 1 : 0);
        // the high watermark's marker sits on a column that holds it
        const [from, to] = span(cols[columnOf(cols, p.highWatermark)]);
        expect(p.highWatermark >= from && p.highWatermark <= to).toBe(true);
      }
    }
  });
});

describe('diffEvents between consecutive events', () => {
  it.each(traces)('%s: new records, HW moves and commits match the snapshots', (_, trace) => {
    expect(diffEvents(null, trace[0]).newRecords.size).toBe(0);
    for (let i = 1; i < trace.length; i++) {
      const [before, now] = [trace[i - 1].snapshot, trace[i].snapshot];
      const changes = diffEvents(trace[i - 1], trace[i]);
      for (const p of now.partitions) {
        const old = before.partitions.find((x) => tpId(x) === tpId(p));
        expect(changes.hwMoved.has(tpId(p))).toBe(old !== undefined && old.highWatermark !== p.highWatermark);
        // every record past the previous logEndOffset is new
        for (const r of p.records)
          if (old && r.offset >= old.logEndOffset) expect(changes.newRecords.has(`${tpId(p)}@${r.offset}`)).toBe(true);
        // records both snapshots list identically are not new
        for (const r of p.records) {
          const o = old?.records.find((x) => x.offset === r.offset);
          if (o && o.key === r.key && o.value === r.value && o.leaderEpoch === r.leaderEpoch)
            expect(changes.newRecords.has(`${tpId(p)}@${r.offset}`)).toBe(false);
        }
      }
      for (const g of now.groups) {
        const old = before.groups.find((x) => x.id === g.id);
        if (!old) continue;
        expect(changes.generation.has(g.id)).toBe(old.generationId !== g.generationId);
        for (const o of g.offsets) {
          const was = old.offsets.find((x) => tpId(x) === tpId(o));
          expect(changes.committed.has(`${g.id}|${tpId(o)}`)).toBe(!was || was.committed !== o.committed);
        }
      }
    }
  });

  it('a retention step reports the deleted offsets as gone', () => {
    const found = traces.flatMap(([, trace]) =>
      trace.slice(1).flatMap((e, j) =>
        e.snapshot.partitions
          .filter((p) => {
            const old = trace[j].snapshot.partitions.find((x) => tpId(x) === tpId(p));
            return old && p.logStartOffset > old.logStartOffset && old.records.some((r) => r.offset < p.logStartOffset);
          })
          .map((p) => ({ p, old: trace[j].snapshot.partitions.find((x) => tpId(x) === tpId(p))!, changes: diffEvents(trace[j], e) })),
      ),
    );
    expect(found.length).toBeGreaterThan(0); // retention-deletes-unconsumed-data has one
    for (const { p, old, changes } of found) {
      const gone = changes.removed.get(tpId(p)) ?? [];
      const goneOffsets = gone.flatMap((r) => Array.from({ length: r.count }, (_, k) => r.from + k));
      for (const r of old.records) if (r.offset < p.logStartOffset) expect(goneOffsets).toContain(r.offset);
    }
  });
});

describe('small helpers', () => {
  it('logLabel names the offsets a log holds, and an empty log as empty (never "offsets 0 to −1")', () => {
    expect(logLabel('t0p1', 0, 5)).toBe('t0p1 log, offsets 0–4');
    expect(logLabel('t0p1', 3, 4)).toBe('t0p1 log, offset 3');
    expect(logLabel('t0p1', 0, 0)).toBe('t0p1 log, empty; the next record gets offset 0');
    expect(logLabel('t0p1', 7, 7)).toBe('t0p1 log, empty; the next record gets offset 7');
  });

  it('keyHue: one hue per key, null for keyless records', () => {
    expect(keyHue(null)).toBeNull();
    expect(keyHue('order-1')).toBe(keyHue('order-1'));
    const hues = new Set(Array.from({ length: 40 }, (_, i) => keyHue(`key-${i}`)));
    expect(hues.size).toBeGreaterThan(6);
  });
  it('formatTime: ms below a second, seconds, then two units', () => {
    expect(formatTime(500)).toBe('500 ms');
    expect(formatTime(2500)).toBe('2.5 s');
    expect(formatTime(90_000)).toBe('1 min 30 s');
    expect(formatTime(604_800_000)).toBe('7 d');
  });
  it('cellWidthRem: grows with the longest key or value, within 4.4–8 rem', () => {
    const p = (value: string) => ({ records: [{ offset: 0, key: 'k', value, timestamp: 0, producer: null, leaderEpoch: 0 }] }) as never;
    expect(cellWidthRem([p('a')])).toBe(4.4);
    expect(cellWidthRem([p('x'.repeat(12))])).toBeGreaterThan(4.4);
    expect(cellWidthRem([p('x'.repeat(200))])).toBe(8);
  });
});

describe('transactions in the log view (transactional-consume-transform-produce)', () => {
  const trace = traces.find(([f]) => f.startsWith('transactional-consume-transform-produce'))![1];
  const last = trace[trace.length - 1];
  const invoices = last.snapshot.partitions.find((p) => p.label === 'invoices-0')!;
  const cols = logColumns(invoices).filter((c) => c.kind === 'record');

  it('markers are record columns with their control type and producer, and a note that no consumer receives them', () => {
    const markers = cols.filter((c) => c.kind === 'record' && c.control);
    expect(markers.map((c) => (c as { control: string }).control)).toEqual(invoices.records.filter((r) => r.control).map((r) => r.control));
    for (const m of markers) expect(transactionNote(m)!.text).toMatch(/control record/);
    expect(transactionNote(markers[0])!.cls).toContain('log-cell--control');
  });

  it('aborted records get the aborted note, committed ones the committed note, plain records none', () => {
    for (const c of cols) {
      const r = invoices.records.find((x) => x.offset === (c as { offset: number }).offset)!;
      const note = transactionNote(c);
      if (r.txn === 'aborted') expect(note!.cls).toBe('log-cell--txn-aborted');
      else if (r.txn === 'committed') expect(note!.cls).toBe('log-cell--txn-committed');
      else if (!r.control) expect(note).toBeNull();
    }
    expect(cols.some((c) => transactionNote(c)?.cls === 'log-cell--txn-aborted')).toBe(true);
    const orders = logColumns(last.snapshot.partitions.find((p) => p.label === 'orders-0')!);
    expect(orders.every((c) => transactionNote(c) === null)).toBe(true);
  });

  it('while a transaction is open its records get the open note and the LSO marker sits on its first record', () => {
    const open = trace.find((e) =>
      e.snapshot.partitions.some((p) => p.lastStableOffset !== undefined && p.lastStableOffset < p.highWatermark),
    )!;
    const p = open.snapshot.partitions.find((x) => x.label === 'invoices-0')!;
    const cs = logColumns(p);
    const at = cs[columnOf(cs, p.lastStableOffset!)];
    expect(at.kind).toBe('record');
    expect(transactionNote(at)!.cls).toBe('log-cell--txn-open');
  });

  it('scenarios without a transactional producer have no LSO and no transaction notes', () => {
    for (const [f, t] of traces) {
      if (f.startsWith('transactional')) continue;
      const e = t[t.length - 1];
      for (const p of e.snapshot.partitions) {
        expect(p.lastStableOffset).toBeUndefined();
        expect(logColumns(p).every((c) => transactionNote(c) === null)).toBe(true);
      }
    }
  });
});
