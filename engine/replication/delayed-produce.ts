/**
 * Waiting acks=all produce requests (Kafka's DelayedProduce in the produce purgatory): each waits
 * until the leader's high watermark passes its batch, its leader changes, its broker fails, or its
 * timeout (request.timeout.ms) passes.
 *
 * Example: request 3 appended at offsets 7..8 on leader 0 (epoch 1), timeout 30000 at t = 0 → waits
 * for highWatermark ≥ 9; answered NONE when the HW gets there, NOT_LEADER_OR_FOLLOWER if leader 0
 * loses leadership first, NETWORK_EXCEPTION if broker 0 fails, REQUEST_TIMED_OUT at t = 30000.
 *
 * Source: kafka.server.DelayedProduce (tryComplete, onExpiration), Partition.checkEnoughReplicasReachOffset.
 */
import type { DelayedProduce, ProduceError, ReplicationEvent } from './replication-types.ts';

/** The requests waiting on one partition, in arrival order. */
export class DelayedProduceQueue {
  private waiting: DelayedProduce[] = [];

  /** The waiting requests (copies). */
  list(): DelayedProduce[] {
    return this.waiting.map((d) => ({ ...d }));
  }

  add(d: DelayedProduce): void {
    this.waiting.push(d);
  }

  /**
   * Answer every request that `outcome` decides (non-null), keep the others.
   * @param base the topic and partition the responses carry
   */
  complete(
    outcome: (d: DelayedProduce) => ProduceError | null,
    base: { timeMs: number; topic: string; partition: number },
  ): ReplicationEvent[] {
    const events: ReplicationEvent[] = [];
    const keep: DelayedProduce[] = [];
    for (const d of this.waiting) {
      const error = outcome(d);
      if (error === null) {
        keep.push(d);
        continue;
      }
      events.push({
        type: 'produce-response',
        ...base,
        broker: d.leader,
        requestId: d.requestId,
        error,
        baseOffset: error === 'NONE' ? d.baseOffset : null,
        ...(d.duplicate && error === 'NONE' ? { duplicate: true } : {}),
      });
    }
    this.waiting = keep;
    return events;
  }

  /** The earliest deadline among waiting requests, in ms, or null. */
  nextDeadlineMs(): number | null {
    let min: number | null = null;
    for (const d of this.waiting) if (min === null || d.deadlineMs < min) min = d.deadlineMs;
    return min;
  }

  /** Answer the requests whose leader broker failed: the client sees its connection drop (NETWORK_EXCEPTION). */
  failOnDeadLeader(deadBroker: number, base: { timeMs: number; topic: string; partition: number }): ReplicationEvent[] {
    return this.complete((d) => (d.leader === deadBroker ? 'NETWORK_EXCEPTION' : null), base);
  }
}
