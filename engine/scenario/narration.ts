/**
 * What a trace event says: the step's description and focus, the setup line, and the `happened`
 * lines and rebalance callbacks read from the engines' own events, all in the course notation
 * (../common/notation.ts): `t0p1`, `C0: [t0p0, t0p1]`, `3 partitions`.
 *
 * Example: a completed rebalance reads "g1: generation 2 (range, eager) — C0: [t0p0, t0p1]  C1: [t0p2]".
 */
import type { Scenario, Step } from './authoring.ts';
import type { TraceEvent } from './trace.ts';
import { scenarioBrokerIds } from './references.ts';
import type { StepLog } from './run-state.ts';
import type { ProducerClusterEvent } from '../producer/sender.ts';
import type { ConsumerEvent } from '../consumer/consumer.ts';
import type { GroupEvent } from '../group/group-types.ts';
import { formatAssignment, formatList, formatTpList, partitionLabel, plural } from '../common/notation.ts';

/**
 * Narrate new cluster and member events into the step's log: elections, ISR changes, truncation,
 * failed sends and retries; rebalances, removals, fencing, the rebalance listener's callbacks,
 * auto-commits and failed commits, offset resets.
 */
export function narrateEvents(
  clusterNew: readonly ProducerClusterEvent[],
  memberNew: readonly (GroupEvent | ConsumerEvent)[],
  log: StepLog,
): void {
  for (const e of clusterNew) {
    const label = 'topic' in e && 'partition' in e ? partitionLabel({ topic: e.topic as string, partition: e.partition as number }) : '';
    switch (e.type) {
      case 'leader-election':
        if (e.reason !== 'initial') {
          log.happened.push(
            e.leader === null
              ? `${label} is offline: no in-sync replica is alive to lead`
              : `${label}: broker ${e.leader} becomes leader (epoch ${e.leaderEpoch})${e.unclean ? ' — UNCLEAN election of an out-of-sync replica' : ''}`,
          );
        }
        break;
      case 'isr-shrink':
      case 'isr-expand':
        log.happened.push(`${label}: ISR ${e.type === 'isr-shrink' ? 'shrinks' : 'expands'} to [${e.isr.join(', ')}] (${e.reason})`);
        break;
      case 'truncate':
        log.happened.push(`${label}: broker ${e.broker} truncates its log ${e.fromOffset} → ${e.toOffset} (${e.reason})`);
        break;
      case 'delivery-failed':
        log.happened.push(`${e.clientId}: send to ${label} failed for good (${e.error})`);
        break;
      case 'retry':
        if (log.happened.length < 200) log.happened.push(`${e.clientId}: retrying a send to ${label} after ${e.error}`);
        break;
      case 'topic-created':
        break;
      default:
        break;
    }
  }
  for (const e of memberNew) {
    switch (e.type) {
      case 'rebalance-started':
        log.happened.push(`${e.groupId}: rebalance starts (${e.reason})`);
        break;
      case 'rebalance-completed': {
        const a = formatAssignment(e.assignment, { label: partitionLabel });
        log.happened.push(`${e.groupId}: generation ${e.generationId} (${e.assignor}, ${e.rebalanceProtocol}) — ${a}`);
        break;
      }
      case 'member-removed':
        log.happened.push(`${e.groupId}: ${e.member} removed (${e.reason})`);
        break;
      case 'static-member-replaced':
        log.happened.push(`${e.groupId}: static member ${e.member} is back with a new memberId; its assignment is kept, no rebalance`);
        break;
      case 'member-fenced':
        log.happened.push(`${e.groupId}: ${e.member} is fenced (${e.error})`);
        break;
      case 'partitions-revoked':
      case 'partitions-assigned':
      case 'partitions-lost': {
        const kind = e.type === 'partitions-revoked' ? 'revoked' : e.type === 'partitions-assigned' ? 'assigned' : 'lost';
        log.callbacks.push({
          consumer: e.member,
          group: e.groupId,
          kind,
          partitions: e.partitions.map((tp) => ({ topic: tp.topic, partition: tp.partition })),
        });
        if (e.partitions.length)
          log.happened.push(
            `${e.member}: onPartitions${kind[0].toUpperCase()}${kind.slice(1)}(${formatTpList(e.partitions, partitionLabel)})`,
          );
        break;
      }
      case 'committed':
        if (e.mode === 'auto' || e.error !== 'NONE') {
          const what = e.offsets.map((o) => `${partitionLabel(o.tp)}=${o.offset}`).join(', ');
          log.happened.push(
            `${e.member}: ${e.mode === 'auto' ? 'auto-commit' : `commit${e.mode === 'sync' ? 'Sync' : 'Async'}${e.seq !== undefined ? ` #${e.seq}` : ''}`} ${what}${e.error !== 'NONE' ? ` failed (${e.error})` : ''}`,
          );
        }
        break;
      case 'async-commit-retry':
        log.happened.push(
          e.retried
            ? `${e.member}: the callback of commitAsync #${e.seq} retries it — the older offsets land after #${e.latestSeq}`
            : `${e.member}: the callback of commitAsync #${e.seq} does not retry: #${e.latestSeq} was sent since (sequence check)`,
        );
        break;
      // the consumer protocol (KIP-848)
      case 'target-assignment': {
        const a = formatAssignment(e.assignment, { label: partitionLabel });
        log.happened.push(`${e.groupId}: group epoch ${e.groupEpoch} (${e.reason}) — target (${e.assignor}): ${a}`);
        break;
      }
      case 'member-reconciled': {
        const has = formatTpList(e.assigned, partitionLabel);
        const revoke = e.pendingRevocation.length ? `, must first revoke ${formatTpList(e.pendingRevocation, partitionLabel)}` : '';
        log.happened.push(`${e.groupId}: ${e.member} at epoch ${e.memberEpoch}, ${e.state}: assigned ${has}${revoke}`);
        break;
      }
      case 'static-member-left':
        log.happened.push(
          `${e.groupId}: static member ${e.member} leaves with epoch -2; its partitions wait for it until its session times out`,
        );
        break;
      case 'consumer-group-state':
        log.happened.push(`${e.groupId}: ${e.from} → ${e.to}`);
        break;
      case 'offset-reset':
        log.happened.push(
          `${e.member}: ${partitionLabel(e.tp)} position reset to ${e.toOffset} (auto.offset.reset=${e.strategy}, ${e.reason})`,
        );
        break;
      default:
        break;
    }
  }
}

export function offsetRange(records: { offset: number }[]): string {
  if (records.length === 0) return 'nothing';
  const first = records[0].offset;
  const last = records[records.length - 1].offset;
  return first === last ? `offset ${first}` : `offsets ${first}–${last}`;
}

/** "3 record(s) (t0p0 offsets 0–1, t0p1 offset 0)" */
export function describeRecords(records: { topic: string; partition: number; offset: number }[]): string {
  if (records.length === 0) return 'no records';
  const by = new Map<string, { topic: string; partition: number; offset: number }[]>();
  for (const r of records) {
    const k = partitionLabel(r);
    const list = by.get(k);
    if (list) list.push(r);
    else by.set(k, [r]);
  }
  return `${records.length} record(s) (${[...by].map(([k, rs]) => `${k} ${offsetRange(rs)}`).join(', ')})`;
}

/** The actors and topics a step names (a poll of every consumer lists the running ones). */
export function focusOf(step: Step | null, running: string[]): TraceEvent['focus'] {
  const focus: TraceEvent['focus'] = { consumers: [], producers: [], brokers: [], topics: [] };
  if (step === null) return focus;
  const body = Object.values(step)[0] as Record<string, unknown> | string;
  if (typeof body !== 'object' || body === null) return focus;
  if (typeof body.consumer === 'string') focus.consumers.push(body.consumer);
  if (Array.isArray(body.consumers)) focus.consumers.push(...(body.consumers as string[]));
  if ('poll' in step && body.consumer === undefined && body.consumers === undefined) focus.consumers.push(...running);
  if (typeof body.producer === 'string') focus.producers.push(body.producer);
  if (typeof body.broker === 'number') focus.brokers.push(body.broker);
  if (typeof body.topic === 'string') focus.topics.push(body.topic);
  return focus;
}

/** The setup line of event 0: "3 brokers [0, 1, 2]; topics t0 (4 partitions, RF 3)". */
export function describeSetup(s: Scenario): string {
  const brokers = scenarioBrokerIds(s);
  const topics = s.topics.map((t) => `${t.name} (${plural(t.partitions, 'partition')}, RF ${t.replicationFactor ?? 1})`).join(', ');
  return `${plural(brokers.length, 'broker')} ${formatList(brokers)}; topics ${topics}`;
}
