/**
 * The leader's bookkeeping for one partition, t0p0 (broker 0 leads). The engine plays a timeline of
 * produce requests (acks=all, one record each), follower fetches, ISR checks and follower failures,
 * and calls onEvent for each one with your previous state. Return the next state and the produce
 * requests answered during this event.
 *
 * The rules (Kafka's Partition):
 *   - a fetch at fetchOffset means the follower has every offset below it;
 *   - the ISR loses a follower that has not caught up for more than replicaLagTimeMaxMs (checked at
 *     each isr-check) or whose broker fails, and regains it when it fetches at ≥ the high watermark;
 *   - highWatermark = min logEndOffset over the ISR, never backwards, and frozen while the ISR has
 *     fewer than min.insync.replicas members (Kafka 3.7+);
 *   - an acks=all produce is refused (NOT_ENOUGH_REPLICAS) while the ISR is too small, and is
 *     acknowledged (NONE) only once the high watermark has passed its record.
 *
 * The types (LeaderConfig, LeaderState, LeaderEvent, StepResult, …) are in the editor's types. You may
 * write helper functions in this file. Nothing can be imported: only JavaScript's built-ins exist.
 */

export function onEvent(config: LeaderConfig, state: LeaderState, event: LeaderEvent): StepResult {
  throw new Error('Remove this line and implement onEvent()');
}
