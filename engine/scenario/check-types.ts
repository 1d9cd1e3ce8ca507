/**
 * The story-check types an author writes in a scenario's `checks:` (verified by ./checks.ts). Apart from
 * ./checks.ts so that ./authoring.ts (the Scenario type) and ./checks.ts (which reads a Scenario) share them
 * without an import cycle.
 */
import type { GroupState } from '../group/group-types.ts';

/** A point of the timeline: `start`, `end`, or N = after step N (1-based, the player's counter; `steps[N-1]`). */
export type StepRef = number | 'start' | 'end';

/** A number claim: `equals`, or bounds `atLeast` / `atMost` (inclusive). */
export interface Compare {
  equals?: number;
  atLeast?: number;
  atMost?: number;
}

/**
 * One story check. Kinds:
 * - owns: the partitions a consumer owns at `at` — includes `partition`, is exactly `partitions`, or `count` of them.
 * - members: a group's members at `at` — exactly `consumers` (any order), or `count` of them.
 * - generation: a group's generationId at `at` — `equals`, the same as at `sameAs`, or greater than at `above`.
 * - groupState: a group's state at `at` (`Empty`, `PreparingRebalance`, `CompletingRebalance`, `Stable`, `Dead`).
 * - lag: a group's total lag (or one `partition`'s lag: highWatermark − committed) at `at`.
 * - committed: a group's committed offset of `partition` at `at` (`none: true` — nothing committed yet).
 * - processed: over the whole run, how many times records matching `value` / `key` (of `consumer`, or any) were processed.
 * - processedOnce: over the whole run, every record of the logs (of `topic`, or all) was processed exactly once.
 * - delivery: the final fate of the send with `value` (of `producer`, or any): acked, failed or pending.
 * - inLog: at the end, whether the leader's log of `partition` holds a record with `value` / `key` (`present`, default true).
 * - leader: the leader broker of `partition` at `at` (`null` = offline).
 * - isr: the in-sync replicas of `partition` at `at`, exactly `brokers` (any order).
 * - error: the step at `at` hit a client error whose text includes `includes` (e.g. CommitFailedException).
 * - highWatermark: the leader's high watermark of `partition` at `at` — a number, or the same as at `sameAs` (it stood still).
 * - logStartOffset: the log start offset of `partition` at `at` (retention or compaction moved it past deleted records).
 * - elr: the eligible leader replicas of `partition` at `at` (KIP-966), exactly `brokers` (any order).
 * - memberEpoch: a consumer-protocol member's memberEpoch at `at` (KIP-848) — `equals`, the same as at `sameAs`, or greater than at `above`.
 * - happened: the step at `at` logged an event (the player's "what happened" list) whose text includes `includes`.
 * - shareRecord: a share group's record of `partition` at `at` (KIP-932), found by `offset`, `value` or `key` — its `state` and `deliveryCount`.
 */
export type StoryCheck =
  | { owns: { consumer: string; at?: StepRef; partition?: string; partitions?: string[]; count?: number } }
  | { members: { group: string; at?: StepRef; consumers?: string[]; count?: number } }
  | { generation: { group: string; at?: StepRef; equals?: number; sameAs?: StepRef; above?: StepRef } }
  | { groupState: { group: string; at?: StepRef; is: GroupState } }
  | { lag: { group: string; at?: StepRef; partition?: string } & Compare }
  | { committed: { group: string; partition: string; at?: StepRef; none?: boolean } & Compare }
  | { processed: { value?: string; key?: string; consumer?: string; times?: number; atLeast?: number } }
  | { processedOnce: { topic?: string } }
  | { delivery: { value: string; producer?: string; status: 'acked' | 'failed' | 'pending' } }
  | { inLog: { partition: string; value?: string; key?: string; present?: boolean } }
  | { leader: { partition: string; at?: StepRef; broker: number | null } }
  | { isr: { partition: string; at?: StepRef; brokers: number[] } }
  | { error: { at: StepRef; includes: string } }
  | { highWatermark: { partition: string; at?: StepRef; sameAs?: StepRef } & Compare }
  | { logStartOffset: { partition: string; at?: StepRef } & Compare }
  | { elr: { partition: string; at?: StepRef; brokers: number[] } }
  | { memberEpoch: { group: string; consumer: string; at?: StepRef; equals?: number; sameAs?: StepRef; above?: StepRef } }
  | { happened: { at: StepRef; includes: string } }
  | {
      shareRecord: {
        group: string;
        partition: string;
        at?: StepRef;
        offset?: number;
        value?: string;
        key?: string;
        state?: 'available' | 'acquired' | 'acknowledged' | 'archived';
        deliveryCount?: number;
      };
    };

/** The kinds of story check, one per key of {@link StoryCheck}. */
export type StoryCheckKind = StoryCheck extends infer C ? (C extends unknown ? keyof C : never) : never;
