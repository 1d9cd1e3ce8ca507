/**
 * Interview drills: unlimited practice questions generated from a seed, each answered and explained
 * by the engine itself (never a hand-typed key).
 *
 * The rule: `generateDrill(kind, seed)` draws the question's inputs from `createPrng(seed)`, runs
 * them through the engine (partitioner, assignors, the replicated cluster, the group coordinator)
 * and returns the prompt, the answer and the working. The same kind and seed always give the same
 * question, byte for byte, so a question can be shared as `?kind=…&seed=…` and replayed.
 *
 * Example: `generateDrill('range-assignment', 7)` → three consumers C0..C2 subscribed to t0 (7
 * partitions) and t1 (4), "How many partitions does C0 get?"; the answer comes from
 * `RangeAssignor.assign`, and the explanation traces it per topic:
 *   t0: 7 partitions, 3 members → 2 each, first 1 gets +1 → C0: [t0p0, t0p1, t0p2] …
 *
 * Kinds (see {@link DRILL_KINDS}): partition-for-key, keys-that-move, range-assignment,
 * round-robin-assignment, idle-consumers, high-watermark, acks-outcome, acks-all-failures,
 * hw-after-fetches, leader-election (./replication-failures.ts), consumer-lag,
 * committed-offset, crash-redelivery, offset-reset-start (./offsets.ts: played by the scenario runner),
 * retention-deleted-segments, compacted-log-after-cleaning, resume-after-retention (./retention.ts),
 * rebalance-pauses, share-record-state, share-delivery-count (./rebalancing.ts).
 *
 * Caveats:
 * - Hashes are given in the prompt (murmur2 is not mental arithmetic); the drill is the
 *   toPositive-and-modulo step and the "adding partitions moves keys" reasoning.
 * - Replication questions drive {@link Cluster} to the stated state (produce, fetch rounds, paused
 *   fetchers, crashed brokers) with no time passing, so no follower drops out of the ISR for lag.
 * - Member ids are the consumer names C0, C1, … (sorted as strings, like Kafka's memberIds); there
 *   are never more than 8, so string order is numeric order.
 *
 * Source: the engine modules each question drives; Kafka's BuiltInPartitioner, RangeAssignor,
 * RoundRobinAssignor, Partition (HW, acks, min.insync.replicas), kafka-consumer-groups' LAG column.
 */
import { createPrng } from '../common/prng.ts';
import type { Prng } from '../common/prng.ts';
import type { DrillBody, DrillCheck, DrillInput, DrillKind, DrillQuestion } from './drill-types.ts';
import { DRILL_KINDS } from './drill-types.ts';
import { keysThatMoveDrill, partitionForKeyDrill } from './partitioning.ts';
import { assignmentDrill, idleConsumersDrill } from './assignors.ts';
import { acksOutcomeDrill, highWatermarkDrill } from './replication.ts';
import { acksAllFailuresDrill, hwAfterFetchesDrill, leaderElectionDrill } from './replication-failures.ts';
import { consumerLagDrill } from './consumers.ts';
import { committedOffsetDrill, crashRedeliveryDrill, offsetResetDrill } from './offsets.ts';
import { compactedLogDrill, resumeAfterRetentionDrill, retentionSegmentsDrill } from './retention.ts';
import { rebalancePausesDrill, reconcileEpochDrill, shareDeliveryCountDrill, shareRecordStateDrill } from './rebalancing.ts';

// =============================================================================================
// Generation

const KIND_SET: ReadonlySet<string> = new Set(DRILL_KINDS.map((k) => k.kind));

/** True when `kind` names a drill kind. */
export function isDrillKind(kind: unknown): kind is DrillKind {
  return typeof kind === 'string' && KIND_SET.has(kind);
}

/**
 * Generate one question.
 * @param kind a {@link DrillKind}
 * @param seed an integer in [0, 2^32): the question's identity
 * @returns the question with its engine-computed answer and explanation
 * @throws RangeError for an unknown kind or a seed that is not an integer in [0, 2^32)
 */
export function generateDrill(kind: DrillKind, seed: number): DrillQuestion {
  if (!isDrillKind(kind)) {
    throw new RangeError(`Expected a drill kind (${DRILL_KINDS.map((k) => k.kind).join(', ')}), got ${JSON.stringify(kind)}`);
  }
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new RangeError(`Expected seed to be an integer in [0, 2^32), got ${String(seed)}`);
  }
  const rng = createPrng(seed);
  const body = GENERATORS[kind](rng);
  return { id: `${kind}-${seed}`, kind, seed, ...body };
}

const GENERATORS: Record<DrillKind, (rng: Prng) => DrillBody> = {
  'partition-for-key': partitionForKeyDrill,
  'keys-that-move': keysThatMoveDrill,
  'range-assignment': (rng) => assignmentDrill(rng, 'range-assignment'),
  'round-robin-assignment': (rng) => assignmentDrill(rng, 'round-robin-assignment'),
  'idle-consumers': idleConsumersDrill,
  'high-watermark': highWatermarkDrill,
  'acks-outcome': acksOutcomeDrill,
  'acks-all-failures': acksAllFailuresDrill,
  'hw-after-fetches': hwAfterFetchesDrill,
  'leader-election': leaderElectionDrill,
  'consumer-lag': consumerLagDrill,
  'committed-offset': committedOffsetDrill,
  'crash-redelivery': crashRedeliveryDrill,
  'offset-reset-start': offsetResetDrill,
  'retention-deleted-segments': retentionSegmentsDrill,
  'compacted-log-after-cleaning': compactedLogDrill,
  'resume-after-retention': resumeAfterRetentionDrill,
  'rebalance-pauses': rebalancePausesDrill,
  'share-record-state': shareRecordStateDrill,
  'share-delivery-count': shareDeliveryCountDrill,
  'reconcile-epoch': reconcileEpochDrill,
};

// =============================================================================================
// Checking

/** The expected answer as text: the number, the choice label, or the labels joined with ", " ("none"). */
export function formatDrillAnswer(q: DrillQuestion): string {
  const a = q.answer;
  switch (a.type) {
    case 'number':
      return String(a.value);
    case 'choice':
      return q.choices![a.index];
    case 'choices':
      return a.indices.length ? a.indices.map((i) => q.choices![i]).join(', ') : 'none of them';
  }
}

/**
 * Check the learner's answer.
 * @param q a generated question
 * @param input numeric answers: a number or its text (whole numbers; spaces ignored); a choice: its
 *   0-based index or its exact label; a set: the 0-based indices, in any order, duplicates ignored
 * @returns the verdict with the expected answer and the explanation; unreadable input is not
 *   correct and carries `problem` (e.g. `Expected a whole number, got "abc"`)
 */
export function checkDrillAnswer(q: DrillQuestion, input: DrillInput): DrillCheck {
  const base = { expected: formatDrillAnswer(q), explanation: q.explanation };
  const fail = (problem: string): DrillCheck => ({ correct: false, ...base, problem });
  const a = q.answer;
  switch (a.type) {
    case 'number': {
      let value: number;
      if (typeof input === 'number') value = input;
      else if (typeof input === 'string' && /^\s*-?\d+\s*$/.test(input)) value = Number(input.trim());
      else return fail(`Expected a whole number, got ${JSON.stringify(input)}`);
      if (!Number.isInteger(value)) return fail(`Expected a whole number, got ${value}`);
      return { correct: value === a.value, ...base };
    }
    case 'choice': {
      const choices = q.choices!;
      let index: number;
      if (typeof input === 'number') index = input;
      else if (typeof input === 'string') index = choices.indexOf(input);
      else return fail(`Expected one choice, got ${input.length} indices`);
      if (!Number.isInteger(index) || index < 0 || index >= choices.length) {
        return fail(`Expected a choice index in [0, ${choices.length}) or a choice label, got ${JSON.stringify(input)}`);
      }
      return { correct: index === a.index, ...base };
    }
    case 'choices': {
      const choices = q.choices!;
      if (typeof input === 'number' || typeof input === 'string')
        return fail(`Expected a list of choice indices, got ${JSON.stringify(input)}`);
      const bad = input.find((i) => !Number.isInteger(i) || i < 0 || i >= choices.length);
      if (bad !== undefined) return fail(`Expected choice indices in [0, ${choices.length}), got ${bad}`);
      const picked = [...new Set(input)].sort((x, y) => x - y);
      const correct = picked.length === a.indices.length && picked.every((i, k) => i === a.indices[k]);
      return { correct, ...base };
    }
  }
}
