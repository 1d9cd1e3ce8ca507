/**
 * Rebalancing drills (lesson 6): which partitions pause when a member joins under the eager and
 * the cooperative protocol, and what happens to a share group's record (KIP-932) after a series of
 * fetches, acknowledgements and lock timeouts. Answers and working come from the engine: the
 * assignors (../assignors/) and the share partition (../share/share-partition.ts).
 *
 * The rules the drills practise:
 *   - Eager (range, roundrobin, sticky): every member revokes all its partitions before it rejoins,
 *     so every owned partition pauses. Cooperative (cooperative-sticky, KIP-429): members keep their
 *     partitions; only those that move to another member pause (revoked in the first rebalance,
 *     assigned in the follow-up one).
 *   - A share-group record: a fetch acquires it (delivery count + 1) under a lock of
 *     share.record.lock.duration.ms; ACCEPT → acknowledged; REJECT → archived; RELEASE or a lock
 *     timeout → available, or archived once the delivery count has reached share.delivery.count.limit;
 *     RENEW restarts the lock; only the member holding the lock can acknowledge.
 *
 *   - Consumer protocol (KIP-848), one member's heartbeat: it must revoke what it holds outside its
 *     target first (it stays at its member epoch and receives nothing); otherwise it moves to the
 *     assignment epoch and receives the target partitions no other member still owns.
 *
 * Example (share-record-state): limit 3, lock 30000 ms. C0 fetches (delivery 1), RELEASE →
 *   available; C1 fetches (2), 30000 ms pass → available; C0 fetches (3), RELEASE → archived.
 *
 * Source: ConsumerCoordinator (eager revocation), CooperativeStickyAssignor, KIP-429;
 * SharePartition, InFlightState, AcknowledgeType, ShareGroupConfig (KIP-932, KIP-1222).
 */
import type { Prng } from '../common/prng.ts';
import { formatTp, formatAssignment, plural, compareTp } from '../common/notation.ts';
import type { TopicPartition } from '../common/record.ts';
import { StickyAssignor } from '../assignors/sticky.ts';
import { cooperativeStickyAssign } from '../assignors/cooperative-sticky.ts';
import type { Subscription } from '../assignors/assignor.ts';
import { SharePartition } from '../share/share-partition.ts';
import { reconcileMember } from '../group/consumer-protocol/reconcile.ts';
import type { SharePartitionEvent } from '../share/share-partition.ts';
import { defaultShareGroupConfig } from '../share/share-config.ts';
import type { AcknowledgeType, RecordState } from '../share/share-config.ts';
import type { DrillBody, DrillParams } from './drill-types.ts';
import { between, pick, members } from './drill-helpers.ts';

type PausesParams = Extract<DrillParams, { kind: 'rebalance-pauses' }>;
type ShareParams = Extract<DrillParams, { kind: 'share-record-state' | 'share-delivery-count' }>;
type ReconcileParams = Extract<DrillParams, { kind: 'reconcile-epoch' }>;
/** One event in a share record's story. */
export type ShareOp = { fetch: string } | { ack: AcknowledgeType; member: string } | { waitMs: number };

// ---- which partitions pause -------------------------------------------------------------------

/**
 * The partitions that no member consumes at some point of the rebalance when C<members> joins a
 * group whose members all subscribe to every topic of `partitionsPerTopic`.
 * @returns the paused partitions (sorted), the assignment before and the one after
 */
export function pausedPartitions(p: Omit<PausesParams, 'kind'>): { paused: TopicPartition[]; before: string; after: string } {
  const ids = members(p.members);
  const topics = Object.keys(p.partitionsPerTopic);
  const before = StickyAssignor.assign(p.partitionsPerTopic, Object.fromEntries(ids.map((m) => [m, { topics }])));
  const subs: Record<string, Subscription> = Object.fromEntries(
    ids.map((m) => [m, { topics, ownedPartitions: before[m], generationId: 1 }]),
  );
  subs[`C${p.members}`] = { topics, ownedPartitions: [], generationId: -1 };
  const { assignment: round1 } = cooperativeStickyAssign(p.partitionsPerTopic, subs);
  const after = StickyAssignor.assign(p.partitionsPerTopic, subs);
  const kept = (m: string, tp: TopicPartition) => round1[m].some((x) => x.topic === tp.topic && x.partition === tp.partition);
  const paused =
    p.rebalanceProtocol === 'eager' ? ids.flatMap((m) => before[m]) : ids.flatMap((m) => before[m].filter((tp) => !kept(m, tp)));
  return { paused: [...paused].sort(compareTp), before: formatAssignment(before), after: formatAssignment(after) };
}

export function rebalancePausesDrill(rng: Prng): DrillBody {
  const partitionsPerTopic: Record<string, number> = { t0: between(rng, 2, 6) };
  if (rng.nextInt(2) === 1) partitionsPerTopic.t1 = between(rng, 2, 6);
  const total = Object.values(partitionsPerTopic).reduce((a, b) => a + b, 0);
  const n = between(rng, 1, Math.min(4, total - 1));
  const rebalanceProtocol = pick(rng, ['eager', 'cooperative'] as const);
  const params: PausesParams = { kind: 'rebalance-pauses', partitionsPerTopic, members: n, rebalanceProtocol };
  const { paused, before, after } = pausedPartitions(params);
  const all = Object.entries(partitionsPerTopic).flatMap(([topic, count]) =>
    Array.from({ length: count }, (_, partition) => ({ topic, partition })),
  );
  const choices = all.map(formatTp);
  const assignor = rebalanceProtocol === 'eager' ? '`sticky` (eager protocol)' : '`cooperative-sticky` (cooperative protocol, KIP-429)';
  const topicsText = Object.entries(partitionsPerTopic)
    .map(([t, c]) => `\`${t}\` (${plural(c, 'partition')})`)
    .join(' and ');
  const prompt = [
    `Group g1 reads ${topicsText} with ${plural(n, 'member')}, all subscribed to every topic, using ${assignor}:`,
    `\`${before}\``,
    `C${n} joins. Which partitions does **no** member consume at some point during the rebalance?`,
  ].join('\n\n');
  const explanation = [
    rebalanceProtocol === 'eager'
      ? '- Eager: every member revokes **all** its partitions in onJoinPrepare before it rejoins, so every owned partition stops until SyncGroup hands out the new assignment.'
      : '- Cooperative: members rejoin keeping their partitions; the first rebalance takes away only the partitions that move, and the follow-up rebalance gives them to their new owner. The others never stop.',
    `- Target assignment: \`${after}\``,
    `- Paused: **${paused.length ? paused.map(formatTp).join(', ') : 'none'}**`,
  ].join('\n');
  const index = (tp: TopicPartition) => all.findIndex((x) => x.topic === tp.topic && x.partition === tp.partition);
  return {
    prompt,
    answer: { type: 'choices', indices: paused.map(index).sort((a, b) => a - b) },
    choices,
    explanation,
    params,
  };
}

// ---- a share-group record ---------------------------------------------------------------------

/**
 * Play one record's story on a share partition holding that single record (offset 0).
 * @returns its final state and delivery count, and one line per event
 */
export function playShareRecord(p: Omit<ShareParams, 'kind'>): { state: RecordState; deliveryCount: number; lines: string[] } {
  const config = defaultShareGroupConfig({
    autoOffsetReset: 'earliest',
    deliveryCountLimit: p.deliveryCountLimit,
    recordLockDurationMs: p.recordLockDurationMs,
  });
  const lines: string[] = [];
  let last: { state: RecordState; deliveryCount: number } = { state: 'available', deliveryCount: 0 };
  const onEvent = (e: SharePartitionEvent) => {
    if (e.type === 'lock-expired')
      lines.push(`- ${e.atMs} ms: ${e.memberId}'s lock expires → ${e.state} (delivery count ${e.deliveryCount})`);
    if (e.type === 'acknowledged' || e.type === 'lock-expired') last = { state: e.state, deliveryCount: e.deliveryCount };
  };
  const sp = new SharePartition(
    { topic: 't0', partition: 0 },
    config,
    { logStartOffset: 0, highWatermark: 1, offsets: (a, b) => (a <= 0 && b > 0 ? [0] : []) },
    onEvent,
  );
  let now = 0;
  for (const op of p.ops) {
    if ('waitMs' in op) {
      now += op.waitMs;
      sp.expireLocks(now);
      lines.push(`- ${op.waitMs} ms pass (now ${now} ms)`);
    } else if ('fetch' in op) {
      const got = sp.acquire(op.fetch, 1, now);
      if (got.length) last = { state: 'acquired', deliveryCount: got[0].deliveryCount };
      lines.push(
        `- ${op.fetch} fetches: ${got.length ? `acquired, delivery count ${got[0].deliveryCount}, lock until ${got[0].lockExpiresAtMs} ms` : 'nothing available'}`,
      );
    } else {
      const r = sp.acknowledge(op.member, 0, op.ack, now);
      if (r) last = { state: r.state, deliveryCount: r.deliveryCount };
      lines.push(
        `- ${op.member} sends ${op.ack.toUpperCase()}: ${r ? `→ ${r.state}${op.ack === 'renew' ? `, lock until ${r.lockExpiresAtMs} ms` : ''}` : `refused (INVALID_RECORD_STATE: ${op.member} does not hold the lock)`}`,
      );
    }
  }
  const now_ = sp.stateOf(0);
  const end = now_ ? { state: now_.state, deliveryCount: now_.deliveryCount } : last;
  return { ...end, lines };
}

/** A random story: fetches by C0/C1, acknowledgements (sometimes by a member without the lock), waits around the lock duration. */
function shareStory(rng: Prng, kind: ShareParams['kind']): ShareParams {
  const deliveryCountLimit = between(rng, 2, 6);
  const recordLockDurationMs = pick(rng, [15_000, 30_000, 60_000]);
  const ops: ShareOp[] = [];
  const steps = between(rng, 3, 9);
  let holder: string | null = null;
  for (let i = 0; i < steps; i++) {
    if (holder === null) {
      holder = pick(rng, ['C0', 'C1']);
      ops.push({ fetch: holder });
      continue;
    }
    const r = rng.nextInt(10);
    if (r < 3) {
      ops.push({ ack: 'release', member: holder });
      holder = null;
    } else if (r < 5) {
      ops.push({ waitMs: recordLockDurationMs + pick(rng, [0, 1000, 5000]) });
      holder = null;
    } else if (r < 6) {
      ops.push({ ack: 'renew', member: holder });
    } else if (r < 7) {
      ops.push({ waitMs: recordLockDurationMs - pick(rng, [1000, 5000]) });
    } else if (r < 8) {
      ops.push({ ack: pick(rng, ['accept', 'release'] as const), member: holder === 'C0' ? 'C1' : 'C0' });
    } else if (r < 9) {
      ops.push({ ack: pick(rng, ['accept', 'reject'] as const), member: holder });
      break;
    } else {
      ops.push({ ack: 'release', member: holder });
      holder = null;
    }
  }
  return { kind, deliveryCountLimit, recordLockDurationMs, ops };
}

function describeOps(p: ShareParams): string {
  let n = 0;
  return p.ops
    .map((op) => {
      n += 1;
      if ('waitMs' in op) return `${n}. ${op.waitMs} ms pass with no acknowledgement`;
      if ('fetch' in op) return `${n}. ${op.fetch} calls \`poll()\` and its fetch asks for records`;
      return `${n}. ${op.member} sends \`${op.ack.toUpperCase()}\` for the record`;
    })
    .join('\n');
}

const STATES: RecordState[] = ['available', 'acquired', 'acknowledged', 'archived'];

export function shareRecordStateDrill(rng: Prng): DrillBody {
  const params = shareStory(rng, 'share-record-state');
  const r = playShareRecord(params);
  const prompt = [
    `Share group sg1 reads t0p0, which holds one record (offset 0, never delivered). \`share.record.lock.duration.ms\` is ${params.recordLockDurationMs}, \`share.delivery.count.limit\` is ${params.deliveryCountLimit}. Members C0 and C1 use explicit acknowledgement; every acknowledgement reaches the broker at once.`,
    describeOps(params),
    'What is the record’s state now?',
  ].join('\n\n');
  const explanation = [...r.lines, `- State: **${r.state}** (delivery count ${r.deliveryCount})`].join('\n');
  return { prompt, answer: { type: 'choice', index: STATES.indexOf(r.state) }, choices: [...STATES], explanation, params };
}

export function shareDeliveryCountDrill(rng: Prng): DrillBody {
  const params = shareStory(rng, 'share-delivery-count');
  const r = playShareRecord(params);
  const prompt = [
    `Share group sg1 reads t0p0, which holds one record (offset 0, never delivered). \`share.record.lock.duration.ms\` is ${params.recordLockDurationMs}, \`share.delivery.count.limit\` is ${params.deliveryCountLimit}. Members C0 and C1 use explicit acknowledgement; every acknowledgement reaches the broker at once.`,
    describeOps(params),
    'What is the record’s delivery count now?',
  ].join('\n\n');
  const explanation = [
    ...r.lines,
    '- Only an acquisition adds a delivery: RENEW, refused acknowledgements and lock timeouts do not.',
    `- Delivery count: **${r.deliveryCount}** (${r.state})`,
  ].join('\n');
  return { prompt, answer: { type: 'number', value: r.deliveryCount }, explanation, params };
}

// ---- a consumer-protocol member's heartbeat (KIP-848) ----------------------------------------------

export function reconcileEpochDrill(rng: Prng): DrillBody {
  const partitions = between(rng, 4, 8);
  const all = Array.from({ length: partitions }, (_, partition) => ({ topic: 't0', partition }));
  const memberEpoch = between(rng, 1, 9);
  const assignmentEpoch = memberEpoch + between(rng, 1, 3);
  const choose = (p: number) => all.filter(() => rng.nextInt(100) < p).map((tp) => tp.partition);
  const held = choose(35);
  const target = choose(35);
  // some partitions of the target that C1 does not hold are still owned by other members
  const ownedElsewhere = target.filter((p) => !held.includes(p) && rng.nextInt(2) === 1);
  if (rng.nextInt(3) === 0) for (const p of held.filter((x) => !target.includes(x))) target.push(p); // sometimes nothing to revoke
  target.sort((a, b) => a - b);
  const params: ReconcileParams = { kind: 'reconcile-epoch', memberEpoch, assignmentEpoch, held, target, ownedElsewhere };
  const tps = (ps: number[]) => ps.map((partition) => ({ topic: 't0', partition }));
  const r = reconcileMember({ memberEpoch, assigned: tps(held) }, { assignmentEpoch, partitions: tps(target) }, tps(ownedElsewhere));
  const list = (ps: { partition: number }[]) =>
    ps.length ? ps.map((tp) => formatTp({ topic: 't0', partition: tp.partition })).join(', ') : 'none';
  const prompt = [
    `Group g1 uses the consumer protocol (\`group.protocol=consumer\`, KIP-848). Member C1 is at member epoch ${memberEpoch} and holds ${list(tps(held))}.`,
    `The coordinator's target assignment (epoch ${assignmentEpoch}) gives C1 ${list(tps(target))}. Other members still own ${list(tps(ownedElsewhere))}.`,
    'C1 sends a heartbeat. What is its member epoch in the response?',
  ].join('\n\n');
  const explanation = [
    `- keep ${list(r.keep)}; revoke ${list(r.revoke)}; receive now ${list(r.receive)}; still owned elsewhere ${list(r.unreleased)}`,
    r.revoke.length
      ? '- Revoke before assign: C1 must give up what is outside its target first, so it stays at its epoch and receives nothing (UNREVOKED_PARTITIONS).'
      : `- Nothing to revoke: C1 moves to the target's epoch${r.unreleased.length ? ' and waits for the partitions other members still own (UNRELEASED_PARTITIONS)' : ' (STABLE)'}.`,
    `- Member epoch: **${r.nextState.memberEpoch}** (${r.nextState.state})`,
  ].join('\n');
  return { prompt, answer: { type: 'number', value: r.nextState.memberEpoch }, explanation, params };
}
