/**
 * Oracles for the rebalancing drills (./rebalancing.ts), written from the rules rather than from the
 * drill code: the paused partitions from the public assignors, a share record's fate from Kafka's
 * stated rules (SharePartition / InFlightState), replayed by hand.
 */
import type { DrillParams, DrillQuestion } from './drill-types.ts';
import { StickyAssignor } from '../assignors/sticky.ts';
import { CooperativeStickyAssignor } from '../assignors/cooperative-sticky.ts';
import type { Subscription } from '../assignors/assignor.ts';

type Rebalancing = Extract<DrillParams, { kind: 'rebalance-pauses' | 'share-record-state' | 'share-delivery-count' | 'reconcile-epoch' }>;

const STATES = ['available', 'acquired', 'acknowledged', 'archived'];

export function rebalancingOracle(p: Rebalancing): DrillQuestion['answer'] {
  if (p.kind === 'reconcile-epoch') {
    // CurrentAssignmentBuilder: anything held outside the target is revoked first, at the same epoch; else the assignment epoch
    const mustRevoke = p.held.some((x) => !p.target.includes(x));
    return { type: 'number', value: mustRevoke ? p.memberEpoch : p.assignmentEpoch };
  }
  if (p.kind === 'rebalance-pauses') {
    const topics = Object.keys(p.partitionsPerTopic);
    const ids = Array.from({ length: p.members }, (_, i) => `C${i}`);
    const before = StickyAssignor.assign(p.partitionsPerTopic, Object.fromEntries(ids.map((m) => [m, { topics }])));
    const subs: Record<string, Subscription> = Object.fromEntries(
      ids.map((m) => [m, { topics, ownedPartitions: before[m], generationId: 1 }]),
    );
    subs[`C${p.members}`] = { topics, ownedPartitions: [], generationId: -1 };
    const round1 = CooperativeStickyAssignor.assign(p.partitionsPerTopic, subs);
    const all = topics.flatMap((t) => Array.from({ length: p.partitionsPerTopic[t] }, (_, i) => `${t}-${i}`));
    const owned = new Set(ids.flatMap((m) => before[m].map((tp) => `${tp.topic}-${tp.partition}`)));
    const keptBySameOwner = new Set(
      ids.flatMap((m) =>
        round1[m]
          .filter((tp) => before[m].some((b) => b.topic === tp.topic && b.partition === tp.partition))
          .map((tp) => `${tp.topic}-${tp.partition}`),
      ),
    );
    const paused = all.filter((k) => owned.has(k) && (p.rebalanceProtocol === 'eager' || !keptBySameOwner.has(k)));
    return { type: 'choices', indices: paused.map((k) => all.indexOf(k)).sort((a, b) => a - b) };
  }
  // the record, by hand: state, delivery count, holder, lock deadline
  let state = 'available';
  let count = 0;
  let holder: string | null = null;
  let deadline = 0;
  let now = 0;
  const backToAvailable = () => {
    state = count >= p.deliveryCountLimit ? 'archived' : 'available';
    holder = null;
  };
  for (const op of p.ops) {
    if ('waitMs' in op) {
      now += op.waitMs;
      if (state === 'acquired' && deadline <= now) backToAvailable();
    } else if ('fetch' in op) {
      if (state === 'available') {
        state = 'acquired';
        count += 1;
        holder = op.fetch;
        deadline = now + p.recordLockDurationMs;
      }
    } else if (state === 'acquired' && holder === op.member) {
      if (op.ack === 'accept') [state, holder] = ['acknowledged', null];
      else if (op.ack === 'reject') [state, holder] = ['archived', null];
      else if (op.ack === 'release') backToAvailable();
      else deadline = now + p.recordLockDurationMs;
    }
  }
  return p.kind === 'share-record-state' ? { type: 'choice', index: STATES.indexOf(state) } : { type: 'number', value: count };
}
