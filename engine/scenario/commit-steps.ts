/**
 * The `commit` step (commitSync / commitAsync, of positions or an explicit offset map, optionally a
 * commitAsync that fails later) and the application's commit in onPartitionsRevoked
 * (`commitOnRevoke`).
 *
 * The rules:
 *   - An explicit map `{ "t0-1": 5 }` commits exactly those offsets (keys are tpKey,
 *     TopicPartition.toString()); without one, every owned partition's position.
 *   - The coordinator checks the member id and generation only (GroupCoordinator#handleCommitOffsets):
 *     a member that was removed (e.g. after max.poll.interval.ms) or is a generation behind gets
 *     CommitFailedException; a partition it no longer owns in its *current* generation is not
 *     refused — its commit overwrites the new owner's, which the trace flags as a warning.
 *   - commitOnRevoke: in onPartitionsRevoked the application commits (commitSync) the offset after
 *     the last record it processed of each revoked partition — eager: before it rejoins; cooperative:
 *     after the rebalance, for the partitions that move only.
 *
 * Example: C0 processed t0p0 offsets 0–4 and t0p1 0–2, then t0p1 moves to C1 in a cooperative
 *   rebalance: with commitOnRevoke C0 commits t0p1=3 and C1 starts at 3; without it, C1 starts at
 *   C0's last commit (or auto.offset.reset) and processes 0–2 again.
 */
import type { CommitStep } from './authoring.ts';
import type { ConsumerSlot, StepLog } from './run-state.ts';
import { ScenarioError } from './references.ts';
import { parseTpKey, partitionLabel, tpKey } from '../common/notation.ts';
import type { TopicPartition } from '../common/record.ts';

/**
 * Run a commit step.
 * @param detailed whether to describe what was committed
 * @returns the step's description
 */
export function runCommitStep(s: ConsumerSlot, b: CommitStep, nowMs: number, detailed: boolean, path: string, log: StepLog): string {
  const mode = b.mode ?? 'sync';
  const explicit = b.offsets ? Object.entries(b.offsets).map(([k, offset]) => ({ tp: parseTpKey(k), offset })) : undefined;
  if (explicit)
    for (const o of explicit)
      if (!Number.isInteger(o.offset) || o.offset < 0)
        throw new ScenarioError(`${path}.offsets`, `expected a non-negative integer offset for ${tpKey(o.tp)}, got ${String(o.offset)}`);
  const positions =
    explicit ??
    s.consumer
      .assignment()
      .map((tp) => ({ tp, offset: s.consumer.position(tp) }))
      .filter((x): x is { tp: TopicPartition; offset: number } => x.offset !== null);
  const what = detailed ? positions.map((x) => `${partitionLabel(x.tp)}=${x.offset}`).join(', ') || 'nothing' : '';
  if (explicit) {
    const owned = new Set(s.consumer.assignment().map(tpKey));
    const foreign = explicit.filter((o) => !owned.has(tpKey(o.tp)));
    if (foreign.length)
      log.happened.push(
        `${s.spec.id} commits ${foreign.map((o) => partitionLabel(o.tp)).join(', ')}, which it does not own: the coordinator checks only member and generation`,
      );
  }
  let seq: number | null = null;
  const numbered = b.failAfterMs !== undefined || s.consumer.inFlightCommits > 0;
  if (mode === 'sync') {
    try {
      s.consumer.commitSync(nowMs, explicit);
    } catch (e) {
      log.error = `${s.spec.id}: ${(e as Error).name}: ${(e as Error).message}`;
    }
  } else {
    const fault = b.failAfterMs !== undefined ? { failAfterMs: b.failAfterMs, retry: b.retry ?? 'never' } : undefined;
    seq = s.consumer.commitAsync(
      nowMs,
      explicit,
      (error) => {
        if (error !== 'NONE') log.error = `${s.spec.id}: commitAsync failed with ${error}`;
      },
      fault,
    );
    if (fault)
      log.happened.push(
        `${s.spec.id}: commitAsync #${seq} is in flight; its request will fail (COORDINATOR_NOT_AVAILABLE), reported ${fault.failAfterMs} ms from now`,
      );
  }
  const call = mode === 'sync' ? 'commitSync' : 'commitAsync';
  return `${s.spec.id} ${call}(${explicit ? 'offsets' : ''})${seq !== null && numbered ? ` #${seq}` : ''}: ${what}`;
}

/** Remember how far a consumer processed each partition (the offset after its last processed record). */
export function noteProcessed(s: ConsumerSlot, records: readonly { topic: string; partition: number; offset: number }[]): void {
  for (const r of records) {
    const k = tpKey(r);
    if ((s.processedUpTo.get(k) ?? -1) < r.offset + 1) s.processedUpTo.set(k, r.offset + 1);
  }
}

/**
 * The application's onPartitionsRevoked with commitOnRevoke: commitSync of the processed offsets of
 * the revoked partitions. Errors (CommitFailedException) are reported, not thrown.
 * @returns a line for the trace, or null when there was nothing to commit
 */
export function commitOnRevoke(s: ConsumerSlot, nowMs: number, revoked: readonly TopicPartition[]): string | null {
  const offsets = revoked
    .map((tp) => ({ tp, offset: s.processedUpTo.get(tpKey(tp)) }))
    .filter((o): o is { tp: TopicPartition; offset: number } => o.offset !== undefined && o.offset > (s.group.committed(o.tp) ?? -1));
  if (offsets.length === 0) return null;
  const what = offsets.map((o) => `${partitionLabel(o.tp)}=${o.offset}`).join(', ');
  try {
    s.consumer.commitSync(nowMs, offsets);
    return `${s.spec.id}: onPartitionsRevoked commits ${what}`;
  } catch (e) {
    return `${s.spec.id}: onPartitionsRevoked commit ${what} failed (${(e as Error).name})`;
  }
}
