/**
 * One partition as a horizontal log of offset cells (a piece of the ScenarioPlayer island).
 *
 * Columns, oldest first: "deleted" offsets below logStartOffset, "… N earlier records" left out by
 * the trace's cap, records (key/value, coloured by key; above the high watermark dashed: not yet
 * committed, invisible to consumers), compacted gaps, and the next offset to write (logEndOffset).
 * Under the cells: one bar per replica (filled where that replica has the offset) when the topic is
 * replicated, then markers — HW, LEO, the last stable offset (LSO, with transactions), each owning
 * consumer's position (C0 ▸) and each group's committed offset (g1 ✓). Transaction markers are
 * drawn as COMMIT / ABORT cells, aborted records struck through, open ones dotted.
 * Props: `partition` (the engine's PartitionView), `snapshot`, `changes` (from diffEvents),
 * `replicated` (show leader / ISR / replica bars).
 */
import { useEffect, useRef } from 'preact/hooks';
import type { PartitionView, Snapshot } from '../../../engine/index.ts';
import { plural } from '../../../engine/index.ts';
import { columnOf, keyHue, logColumns, logLabel, offsetRange, tpId, transactionNote, type Changes, type LogColumn } from './model.ts';

interface Props {
  partition: PartitionView;
  snapshot: Snapshot;
  changes: Changes;
  replicated: boolean;
}

interface Marker {
  label: string;
  title: string;
  kind: 'hw' | 'leo' | 'lso' | 'position' | 'committed';
  changed: boolean;
}

function ColumnCell({ col, id, p, changes }: { col: LogColumn; id: string; p: PartitionView; changes: Changes }) {
  switch (col.kind) {
    case 'deleted':
      return (
        <div
          class="log-cell log-cell--deleted"
          title={`Offsets ${offsetRange(col.from, col.to)} were deleted (below logStartOffset ${p.logStartOffset})`}
        >
          <span class="log-cell-key">deleted</span>
          <span class="log-cell-value">{offsetRange(col.from, col.to)}</span>
        </div>
      );
    case 'omitted':
      return (
        <div
          class="log-cell log-cell--omitted"
          title={`${col.count} earlier records (offsets ${offsetRange(col.from, col.to)}) are in the log but not drawn`}
        >
          <span class="log-cell-key">…</span>
          <span class="log-cell-value">{col.count} earlier</span>
        </div>
      );
    case 'gap':
      return (
        <div
          class="log-cell log-cell--gap"
          title={`Offsets ${offsetRange(col.from, col.to)} are no longer in the log (compacted away); offsets are never reused`}
        >
          <span class="log-cell-key">removed</span>
          <span class="log-cell-value">{offsetRange(col.from, col.to)}</span>
        </div>
      );
    case 'next':
      return (
        <div class="log-cell log-cell--next" title={`The next record written will get offset ${col.offset} (logEndOffset)`}>
          <span class="log-cell-key">next</span>
        </div>
      );
    case 'record': {
      const hue = keyHue(col.key);
      const isNew = changes.newRecords.has(`${id}@${col.offset}`);
      const uncommitted = col.offset >= p.highWatermark;
      const txn = transactionNote(col);
      if (col.control) {
        return (
          <div
            class={['log-cell', 'log-cell--record', txn!.cls, isNew ? 'is-new' : ''].filter(Boolean).join(' ')}
            data-offset={col.offset}
            title={`offset ${col.offset} · ${txn!.text}`}
          >
            <span class="log-cell-key">{col.control}</span>
            <span class="log-cell-value">{col.producer ?? 'marker'}</span>
            {isNew && <span class="visually-hidden"> (new)</span>}
          </div>
        );
      }
      const cls = [
        'log-cell',
        'log-cell--record',
        hue === null ? 'log-cell--keyless' : '',
        uncommitted ? 'log-cell--uncommitted' : '',
        txn?.cls ?? '',
        isNew ? 'is-new' : '',
      ]
        .filter(Boolean)
        .join(' ');
      const tombstone = col.value === null;
      return (
        <div
          class={cls}
          style={hue === null ? undefined : { '--key-hue': hue }}
          data-offset={col.offset}
          title={`offset ${col.offset} · key ${col.key ?? 'null'} · value ${col.value ?? 'null (tombstone)'}${uncommitted ? ' · above the high watermark: not committed, consumers cannot read it yet' : ''}${txn ? ` · ${txn.text}` : ''}`}
        >
          <span class="log-cell-key">{col.key ?? '∅'}</span>
          <span class={tombstone ? 'log-cell-value log-cell-value--tombstone' : 'log-cell-value'}>
            {tombstone ? 'tombstone' : col.value}
          </span>
          {isNew && <span class="visually-hidden"> (new)</span>}
        </div>
      );
    }
  }
}

const colOffsetLabel = (col: LogColumn): string => (col.kind === 'record' || col.kind === 'next' ? String(col.offset) : '');

export function PartitionLog({ partition: p, snapshot, changes, replicated }: Props) {
  const id = tpId(p);
  const cols = logColumns(p);

  // Markers per column.
  const markers: Marker[][] = cols.map(() => []);
  const put = (offset: number, m: Marker) => markers[columnOf(cols, offset)].push(m);
  put(p.highWatermark, {
    kind: 'hw',
    label: 'HW',
    title: `high watermark ${p.highWatermark}: offsets below it are committed and readable by consumers`,
    changed: changes.hwMoved.has(id),
  });
  if (p.lastStableOffset !== undefined && p.lastStableOffset !== p.highWatermark) {
    put(p.lastStableOffset, {
      kind: 'lso',
      label: 'LSO',
      title: `last stable offset ${p.lastStableOffset}: an open transaction starts here; read_committed consumers read only below it`,
      changed: false,
    });
  }
  if (p.logEndOffset !== p.highWatermark) {
    put(p.logEndOffset, { kind: 'leo', label: 'LEO', title: `log end offset ${p.logEndOffset}`, changed: changes.leoMoved.has(id) });
  }
  for (const g of snapshot.groups) {
    const o = g.offsets.find((x) => x.topic === p.topic && x.partition === p.partition);
    if (o && o.committed !== null) {
      put(o.committed, {
        kind: 'committed',
        label: snapshot.groups.length === 1 ? `✓${o.committed}` : `${g.id} ✓${o.committed}`,
        title: `group ${g.id} committed offset ${o.committed} (it resumes here after a restart or rebalance)`,
        changed: changes.committed.has(`${g.id}|${id}`),
      });
    }
  }
  for (const k of snapshot.consumers) {
    const pos = k.positions.find((x) => x.topic === p.topic && x.partition === p.partition);
    if (pos && pos.position !== null) {
      put(pos.position, {
        kind: 'position',
        label: `${k.id} ▸${pos.position}`,
        title: `${k.id}'s position: the next offset it will fetch is ${pos.position}`,
        changed: changes.positions.has(`${k.id}|${id}`),
      });
    }
  }

  const replicaRows = replicated ? p.replicaStates : [];
  const hasOffset = (r: PartitionView['replicaStates'][number], col: LogColumn): 'full' | 'part' | 'none' => {
    if (col.kind === 'next') return 'none';
    const from = col.kind === 'record' ? col.offset : col.from;
    const to = col.kind === 'record' ? col.offset : col.to;
    if (r.logStartOffset <= from && to < r.logEndOffset) return 'full';
    if (r.logStartOffset <= to && from < r.logEndOffset) return 'part';
    return 'none';
  };

  const removed = changes.removed.get(id);

  // Keep what changed in view when the log is wider than its box: records that went away (the
  // gap they left), else new records (the end); otherwise leave the learner's scroll position.
  const scrollRef = useRef<HTMLDivElement>(null);
  const mounted = useRef(false);
  const hasNew = cols.some((c) => c.kind === 'record' && changes.newRecords.has(`${id}@${c.offset}`));
  const focusColumn = removed ? columnOf(cols, removed[0].from) : hasNew || !mounted.current ? cols.length - 1 : -1;
  useEffect(() => {
    mounted.current = true;
    const box = scrollRef.current;
    if (!box || focusColumn < 0 || box.scrollWidth <= box.clientWidth) return;
    const col = box.querySelectorAll<HTMLElement>('.plog-col')[focusColumn];
    const legend = box.querySelector<HTMLElement>('.plog-legend')?.offsetWidth ?? 0;
    if (col) box.scrollLeft = focusColumn === cols.length - 1 ? box.scrollWidth : Math.max(0, col.offsetLeft - legend - 8);
  }, [changes]);

  return (
    <div class="plog" data-partition={p.label}>
      <div class="plog-head">
        <span class="plog-label">{p.label}</span>
        {replicated ? (
          <span class="plog-replicas">
            <span class={changes.leaderChanged.has(id) ? 'plog-leader is-changed' : 'plog-leader'}>
              {p.leader === null ? 'offline — no leader' : `leader B${p.leader}`}
              <span class="plog-epoch"> · epoch {p.leaderEpoch}</span>
            </span>
            <span class="plog-chips" aria-label={`replicas ${p.replicas.join(', ')}; in-sync replicas ${p.isr.join(', ')}`}>
              {p.replicas.map((b) => {
                const alive = snapshot.brokers.find((x) => x.id === b)?.alive ?? true;
                const inIsr = p.isr.includes(b);
                const cls = [
                  'replica-chip',
                  inIsr ? 'replica-chip--isr' : 'replica-chip--out',
                  alive ? '' : 'replica-chip--down',
                  p.leader === b ? 'replica-chip--leader' : '',
                ]
                  .filter(Boolean)
                  .join(' ');
                return (
                  <span
                    class={cls}
                    title={`broker ${b}: ${p.leader === b ? 'leader, ' : ''}${inIsr ? 'in sync' : 'out of sync'}${p.elr?.includes(b) ? ', eligible leader replica' : ''}${alive ? '' : ', down'}`}
                  >
                    {p.leader === b ? '★' : ''}B{b}
                  </span>
                );
              })}
            </span>
            <span class={changes.isrChanged.has(id) ? 'plog-isr is-changed' : 'plog-isr'}>ISR [{p.isr.join(', ')}]</span>
            {p.elr && (
              <span class="plog-elr" title="eligible leader replicas (KIP-966): out of the ISR, but may still lead">
                ELR [{p.elr.join(', ')}]
              </span>
            )}
          </span>
        ) : (
          p.leader === null && <span class="plog-leader is-changed">offline</span>
        )}
        <span class="plog-offsets">
          <span class="plog-count" title="records in the leader's log now">
            {plural(p.recordCount, 'record')}
          </span>
          <span class={changes.lsoMoved.has(id) ? 'is-changed' : ''} title="logStartOffset: the oldest offset still in the log">
            start {p.logStartOffset}
          </span>
          <span class={changes.hwMoved.has(id) ? 'is-changed' : ''} title="high watermark: offsets below it are committed">
            HW {p.highWatermark}
          </span>
          {p.lastStableOffset !== undefined && (
            <span
              class="plog-lso"
              title="last stable offset: read_committed consumers read below it (the first offset of the earliest open transaction, else the HW)"
            >
              LSO {p.lastStableOffset}
            </span>
          )}
          <span class={changes.leoMoved.has(id) ? 'is-changed' : ''} title="logEndOffset: the offset the next record gets">
            LEO {p.logEndOffset}
          </span>
        </span>
      </div>
      {removed && (
        <p class="plog-removed">
          Gone from the leader's log this step: offset{removed.length > 1 || removed[0].count > 1 ? 's' : ''}{' '}
          {removed.map((r) => offsetRange(r.from, r.to)).join(', ')}
        </p>
      )}
      <div class="plog-scroll" ref={scrollRef} tabIndex={0} role="group" aria-label={logLabel(p.label, p.logStartOffset, p.logEndOffset)}>
        <div class="plog-grid" style={{ '--cols': cols.length }}>
          {replicaRows.length > 0 && (
            <div class="plog-legend" aria-hidden="true">
              <span class="plog-legend-offset">offset</span>
              <span class="plog-legend-cell">{p.leader === null ? 'best replica' : `B${p.leader}'s log`}</span>
              {replicaRows.map((r) => (
                <span class={r.alive ? 'plog-legend-replica' : 'plog-legend-replica is-down'}>
                  B{r.broker}
                  {r.alive ? '' : ' ✕'}
                </span>
              ))}
            </div>
          )}
          {cols.map((col, i) => (
            <div class={`plog-col plog-col--${col.kind}${markers[i].some((m) => m.kind === 'hw') ? ' has-hw' : ''}`}>
              <span class="plog-offset">{colOffsetLabel(col)}</span>
              <ColumnCell col={col} id={id} p={p} changes={changes} />
              {replicaRows.map((r) => {
                const state = hasOffset(r, col);
                return (
                  <span
                    class={`replica-bar replica-bar--${state}${r.alive ? '' : ' replica-bar--down'}`}
                    title={`broker ${r.broker}: log ${r.logStartOffset}–${r.logEndOffset - 1} (LEO ${r.logEndOffset}, HW ${r.highWatermark})${r.alive ? '' : ', down'}`}
                  />
                );
              })}
              <span class="plog-markers">
                {markers[i].map((m) => (
                  <span class={`marker marker--${m.kind}${m.changed ? ' is-changed' : ''}`} title={m.title}>
                    {m.label}
                  </span>
                ))}
              </span>
            </div>
          ))}
        </div>
      </div>
    </div>
  );
}
