/**
 * A share group at one instant (a piece of the ScenarioPlayer island; KIP-932): the simple
 * assignor's sharing (which members read each partition), each share consumer's status and
 * acknowledgement mode, and per partition the share-partition start and end offsets and every
 * record with its state (available, acquired by whom and until when, acknowledged, archived) and
 * its delivery count, as the engine computed them. A record whose state changed in this step is
 * highlighted. Props: `group` (ShareGroupView from the snapshot), `previous` (the same group one
 * event earlier, or undefined).
 */
import type { ShareGroupView, ShareRecordView } from '../../../engine/index.ts';
import { partitionLabel, plural, tpKey } from '../../../engine/index.ts';
import './share-panel.css';

interface Props {
  group: ShareGroupView;
  previous?: ShareGroupView;
}

const STATE_TEXT: Record<ShareRecordView['state'], string> = {
  available: 'available',
  acquired: 'acquired',
  acknowledged: 'acknowledged',
  archived: 'archived',
};

const STATE_SHORT: Record<ShareRecordView['state'], string> = {
  available: 'avail',
  acquired: 'lock',
  acknowledged: 'ack',
  archived: 'arch',
};

function recordTitle(tp: string, r: ShareRecordView): string {
  const parts = [`${tp}@${r.offset}`, `key ${r.key ?? 'null'}`, STATE_TEXT[r.state]];
  if (r.member) parts.push(`by ${r.member}`);
  if (r.lockExpiresAtMs !== null) parts.push(`lock until ${r.lockExpiresAtMs} ms`);
  parts.push(`delivered ${plural(r.deliveryCount, 'time')}`);
  return parts.join(' · ');
}

export function SharePanel({ group: g, previous }: Props) {
  const before = new Map<string, ShareRecordView>();
  for (const p of previous?.partitions ?? []) for (const r of p.records) before.set(`${tpKey(p)}@${r.offset}`, r);
  const changed = (tp: string, r: ShareRecordView) => {
    const b = before.get(`${tp}@${r.offset}`);
    return !b || b.state !== r.state || b.deliveryCount !== r.deliveryCount || b.member !== r.member;
  };
  return (
    <section class="share-card" aria-label={`share group ${g.id}`} data-share-group={g.id}>
      <header class="share-head">
        <h4 class="share-name">
          <span class="share-kicker">share group</span> {g.id}
        </h4>
        <span class="share-meta">{g.assignor} assignor</span>
        <span class="share-meta">group epoch {g.groupEpoch}</span>
        <span class="share-meta">lock {g.recordLockDurationMs / 1000} s</span>
        <span class="share-meta">delivery limit {g.deliveryCountLimit}</span>
      </header>
      <ul class="share-members" aria-label={`members of ${g.id}`}>
        {g.members.map((m) => (
          <li class={`share-member share-member--${m.status}`} data-share-member={m.id}>
            <span class="share-chip">{m.id}</span>
            <span class="share-member-parts">{m.partitions.length ? m.partitions.map(partitionLabel).join(' ') : '—'}</span>
            {m.mode === 'explicit' && <span class="share-member-mode">explicit</span>}
            {m.status !== 'running' && <span class="share-member-status">{m.status === 'not-started' ? 'not started' : m.status}</span>}
          </li>
        ))}
      </ul>
      <div class="share-partitions">
        {g.partitions.map((p) => {
          const tp = tpKey(p);
          const label = partitionLabel(p);
          return (
            <div class="share-partition" data-share-partition={tp}>
              <div class="share-partition-head">
                <span class="share-partition-label">{label}</span>
                <span class="share-partition-members">← {p.members.join(', ') || 'nobody'}</span>
                <span class="share-partition-offsets">
                  start {p.startOffset ?? '–'} · end {p.endOffset ?? '–'} · HW {p.highWatermark}
                </span>
              </div>
              {p.records.length > 0 ? (
                <ol class="share-records">
                  {p.records.map((r) => (
                    <li
                      class={`share-record share-record--${r.state}${changed(tp, r) ? ' is-changed' : ''}`}
                      title={recordTitle(label, r)}
                      data-offset={r.offset}
                      data-state={r.state}
                    >
                      <span class="share-record-offset">{r.offset}</span>
                      <span class="share-record-state">
                        {STATE_SHORT[r.state]}
                        {r.member ? ` ${r.member}` : ''}
                      </span>
                      <span class="share-record-count" aria-label={`delivery count ${r.deliveryCount}`}>
                        ×{r.deliveryCount}
                      </span>
                    </li>
                  ))}
                </ol>
              ) : (
                <p class="share-empty">no records yet</p>
              )}
            </div>
          );
        })}
      </div>
      <p class="share-legend">
        <span class="share-record share-record--available share-legend-swatch">avail</span> available to the next fetch
        <span class="share-record share-record--acquired share-legend-swatch">lock C0</span> acquired, locked to C0
        <span class="share-record share-record--acknowledged share-legend-swatch">ack</span> acknowledged (ACCEPT)
        <span class="share-record share-record--archived share-legend-swatch">arch</span> archived (REJECT or the delivery limit) · ×n
        delivery count
      </p>
    </section>
  );
}
