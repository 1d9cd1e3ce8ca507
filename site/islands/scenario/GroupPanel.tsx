/**
 * A consumer group at one instant (a piece of the ScenarioPlayer island): state, generationId,
 * assignor and protocol, leader; each consumer of the group (C0 …) with its status and assigned
 * partitions (t0p1), partitions that moved in this step highlighted and those that moved out struck
 * through; then per partition: owner, the owner's position, the group's committed offset, the high
 * watermark and the lag (HW − committed), as the engine computed them.
 * Props: `group` (GroupView), `snapshot`, `changes` (from diffEvents).
 */
import type { GroupView, Snapshot } from '../../../engine/index.ts';
import { membersOf, tpId, tpLabel, type Changes } from './model.ts';
import './protocol-player.css';

interface Props {
  group: GroupView;
  snapshot: Snapshot;
  changes: Changes;
}

const STATUS_TEXT: Record<string, string> = {
  'not-started': 'not started',
  running: 'running',
  crashed: 'crashed',
  closed: 'closed',
  fenced: 'fenced',
};

export function GroupPanel({ group: g, snapshot, changes }: Props) {
  const consumers = snapshot.consumers.filter((k) => k.group === g.id);
  const cls = (changed: boolean, base: string) => (changed ? `${base} is-changed` : base);
  return (
    <section class="group-card" aria-label={`consumer group ${g.id}`} data-group={g.id}>
      <header class="group-head">
        <h4 class="group-name">
          <span class="group-kicker">group</span> {g.id}
        </h4>
        <span class={cls(changes.groupState.has(g.id), `state-badge state-badge--${g.state.toLowerCase()}`)}>{g.state}</span>
        {g.groupProtocol === 'consumer' ? (
          <>
            <span
              class={cls(changes.generation.has(g.id), 'group-meta')}
              title="group epoch: moves at every membership or subscription change (KIP-848)"
            >
              group epoch {g.generationId}
            </span>
            <span class="group-meta">{g.assignor ?? 'no assignor yet'} · consumer protocol</span>
          </>
        ) : (
          <>
            <span class={cls(changes.generation.has(g.id), 'group-meta')}>generation {g.generationId}</span>
            <span class="group-meta">
              {g.assignor ?? 'no assignor yet'} · {g.rebalanceProtocol}
            </span>
          </>
        )}
        {g.leader && <span class="group-meta">leader {g.leader}</span>}
        <span class="group-meta" title="sum over partitions of HW − committed">
          total lag {g.totalLag}
        </span>
      </header>
      <ul class="member-list">
        {consumers.map((k) => {
          const { current: member, earlier } = membersOf(g, k.id, k.memberId);
          const out = member ? (changes.assignedOut.get(`${g.id}|${member.memberId}`) ?? []) : [];
          const assigned = member?.assignment ?? [];
          const ownedIds = new Set(k.owned.map(tpId));
          const assignedIds = new Set(assigned.map(tpId));
          const ownsDifferent = k.owned.length !== assigned.length || k.owned.some((tp) => !assignedIds.has(tpId(tp)));
          const waiting = k.pending.length;
          return [
            <li class={`member member--${k.status}`} data-consumer={k.id} data-member-id={member?.memberId}>
              <span
                class={cls(changes.consumerStatus.has(k.id), `consumer-chip consumer-chip--${k.status}`)}
                title={`${k.id}: ${STATUS_TEXT[k.status]}${member ? `, member ${member.memberId}` : ', not a member of the group'}`}
              >
                {k.id}
              </span>
              <span class="member-status">
                {STATUS_TEXT[k.status]}
                {member ? '' : k.status === 'running' ? ' · not a member' : ''}
                {member?.groupInstanceId ? ` · static (${member.groupInstanceId})` : ''}
                {k.isolationLevel ? (
                  <span
                    class="isolation-tag"
                    title={
                      k.isolationLevel === 'read_committed'
                        ? 'isolation.level=read_committed: reads below the last stable offset, skips aborted records'
                        : 'isolation.level=read_uncommitted: reads up to the high watermark, aborted records included'
                    }
                  >
                    {' '}
                    · {k.isolationLevel}
                  </span>
                ) : (
                  ''
                )}
              </span>
              <span
                class="member-parts"
                aria-label={`${k.id} is assigned ${assigned.length ? assigned.map((tp) => tpLabel(snapshot, tp)).join(', ') : 'nothing'}`}
              >
                {assigned.length === 0 && (
                  <span class="tp-chip tp-chip--none">
                    {member
                      ? g.state === 'PreparingRebalance' || g.state === 'CompletingRebalance'
                        ? 'no partitions yet — rebalancing'
                        : 'idle — no partitions'
                      : '—'}
                  </span>
                )}
                {assigned.map((tp) => (
                  <span
                    class={cls(
                      changes.assignedIn.has(`${g.id}|${member?.memberId}|${tpId(tp)}`),
                      `tp-chip${ownedIds.has(tpId(tp)) ? '' : ' tp-chip--not-owned'}`,
                    )}
                    title={
                      ownedIds.has(tpId(tp)) ? `${k.id} owns ${tpLabel(snapshot, tp)}` : `assigned to ${k.id}, but it does not own it yet`
                    }
                  >
                    {tpLabel(snapshot, tp)}
                  </span>
                ))}
                {out.map((tp) => (
                  <span class="tp-chip tp-chip--out" title={`${tpLabel(snapshot, tp)} moved away from ${k.id} in this step`}>
                    <del>{tpLabel(snapshot, tp)}</del>
                  </span>
                ))}
                {(member?.pendingRevocation ?? []).map((tp) => (
                  <span
                    class="tp-chip tp-chip--revoking"
                    title={`${k.id} must revoke ${tpLabel(snapshot, tp)} before it gets anything new (UNREVOKED_PARTITIONS)`}
                  >
                    {tpLabel(snapshot, tp)} to revoke
                  </span>
                ))}
                {(member?.target ?? [])
                  .filter((tp) => !assignedIds.has(tpId(tp)) && !(member?.pendingRevocation ?? []).some((p) => tpId(p) === tpId(tp)))
                  .map((tp) => (
                    <span
                      class="tp-chip tp-chip--waiting"
                      title={`in ${k.id}'s target: it gets ${tpLabel(snapshot, tp)} on a heartbeat once no other member owns it`}
                    >
                      {tpLabel(snapshot, tp)} waiting
                    </span>
                  ))}
              </span>
              {member?.memberEpoch !== undefined && (
                <span
                  class={`member-epoch member-epoch--${(member.memberState ?? 'STABLE').toLowerCase()}`}
                  title="the member's epoch and reconciliation state on the coordinator (KIP-848)"
                >
                  {member.memberEpoch === -2
                    ? 'epoch -2 · left for now: its partitions wait for it'
                    : `epoch ${member.memberEpoch} · ${member.memberState}`}
                </span>
              )}
              {ownsDifferent && (
                <span class="member-owned">
                  owns now: {k.owned.length ? k.owned.map((tp) => tpLabel(snapshot, tp)).join(', ') : 'nothing'}
                </span>
              )}
              {(k.receivedCount > 0 || k.processedCount > 0) && (
                <span class="member-counts">
                  received {k.receivedCount} · processed {k.processedCount}
                  {waiting > 0 && k.status === 'running' ? ` · ${waiting} waiting` : ''}
                </span>
              )}
            </li>,
            // members left by an earlier process of this consumer: the coordinator keeps each until its session times out
            ...earlier.map((m) => (
              <li class="member member--earlier" data-consumer={k.id} data-member-id={m.memberId}>
                <span
                  class="consumer-chip consumer-chip--crashed"
                  title={`member ${m.memberId}: left by an earlier process of ${k.id}; the coordinator removes it when its session times out`}
                >
                  {k.id}
                </span>
                <span class="member-status">earlier process · member {m.memberId} · until its session times out</span>
                <span
                  class="member-parts"
                  aria-label={`${k.id}'s earlier member ${m.memberId} is assigned ${m.assignment.length ? m.assignment.map((tp) => tpLabel(snapshot, tp)).join(', ') : 'nothing'}`}
                >
                  {m.assignment.length === 0 && <span class="tp-chip tp-chip--none">—</span>}
                  {m.assignment.map((tp) => (
                    <span
                      class="tp-chip tp-chip--not-owned"
                      title={`assigned to ${k.id}'s earlier member ${m.memberId}: nobody reads ${tpLabel(snapshot, tp)} until the rebalance`}
                    >
                      {tpLabel(snapshot, tp)}
                    </span>
                  ))}
                </span>
              </li>
            )),
          ];
        })}
      </ul>
      {g.offsets.length > 0 && (
        <div class="offsets-scroll">
          <table class="offsets-table">
            <caption class="visually-hidden">Offsets of group {g.id} per partition</caption>
            <thead>
              <tr>
                <th scope="col">partition</th>
                <th scope="col">owner</th>
                <th scope="col" title="the owner's next offset to fetch">
                  position
                </th>
                <th scope="col" title="the group's committed offset">
                  committed
                </th>
                <th scope="col" title="high watermark">
                  HW
                </th>
                <th scope="col" title="HW − committed">
                  lag
                </th>
              </tr>
            </thead>
            <tbody>
              {g.offsets.map((o) => {
                const id = tpId(o);
                const owner = g.members.find((m) => m.assignment.some((tp) => tpId(tp) === id));
                const ownerProcess = owner ? consumers.find((k) => k.id === owner.consumer) : undefined;
                // an earlier process's member (the consumer restarted with a new memberId) owns it: that process is gone
                const ownerIsEarlier = !!owner && !!ownerProcess && membersOf(g, ownerProcess.id, ownerProcess.memberId).current !== owner;
                const ownerConsumer = ownerIsEarlier ? undefined : ownerProcess;
                const pos = ownerConsumer?.positions.find((x) => tpId(x) === id);
                const posChanged = owner ? changes.positions.has(`${owner.consumer}|${id}`) : false;
                return (
                  <tr>
                    <th scope="row">{tpLabel(snapshot, o)}</th>
                    <td class={owner && ownerConsumer?.status !== 'running' ? 'owner--dead' : ''}>
                      {owner ? owner.consumer : '—'}
                      {ownerIsEarlier ? ' (earlier process)' : ''}
                      {owner && ownerConsumer && ownerConsumer.status !== 'running' ? ` (${STATUS_TEXT[ownerConsumer.status]})` : ''}
                    </td>
                    <td class={posChanged ? 'is-changed' : ''}>{pos?.position ?? '—'}</td>
                    <td class={changes.committed.has(`${g.id}|${id}`) ? 'is-changed' : ''}>{o.committed ?? '—'}</td>
                    <td class={changes.hwMoved.has(id) ? 'is-changed' : ''}>{o.highWatermark}</td>
                    <td class={o.lag > 0 ? 'lag lag--behind' : 'lag'}>{o.lag}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
