/**
 * Types for the `high-watermark` checkpoint, given to the editor as an extra lib.
 * Ambient (no imports, no exports): everything here is visible in your file without an import.
 * These are types only; nothing here exists at run time. Your code must define every function it calls.
 */

/** The partition's configs. Broker 0 is the leader in every test; the others are followers. */
interface LeaderConfig {
  /** the replicas' broker ids, leader first: [0, 1, 2] or [0, 1, 2, 3] */
  replicas: number[];
  /** min.insync.replicas: 1, 2 or 3 */
  minInsyncReplicas: number;
  /** replica.lag.time.max.ms, in ms: 30000 (Kafka's default) */
  replicaLagTimeMaxMs: number;
}

/** What the leader knows of one follower (Kafka's `ReplicaState` on the leader). */
interface FollowerState {
  /** the fetchOffset of the follower's last fetch: it has every offset below it. -1 = not heard from yet */
  logEndOffset: number;
  /** when, in ms, the follower was last known to be caught up with the leader's logEndOffset */
  lastCaughtUpTimeMs: number;
  /** the leader's logEndOffset at the follower's previous fetch (-1 before the first) */
  lastFetchLeaderLogEndOffset: number;
  /** the time of the follower's previous fetch, in ms (0 before the first) */
  lastFetchTimeMs: number;
}

/** An acks=all produce request appended to the log and waiting for the high watermark. */
interface WaitingProduce {
  requestId: number;
  /** the offset of its record */
  offset: number;
}

/** The leader's bookkeeping for one partition, t0p0. Return a new one (or the same, changed) from every call. */
interface LeaderState {
  /** the leader's logEndOffset: the offset its next record gets */
  logEndOffset: number;
  /** offsets below it are committed: consumers may read them, and acks=all writes below it are safe */
  highWatermark: number;
  /** the in-sync replicas, the leader (broker 0) included; any order */
  isr: number[];
  /** every follower, by broker id (as a string key: "1", "2", …) */
  followers: { [brokerId: string]: FollowerState };
  /** acks=all requests appended and not answered yet, oldest first (yours to keep; the tests do not read it) */
  waiting: WaitingProduce[];
}

/**
 * What happens to the partition, in time order (`timeMs`, ms since the start):
 * - produce: an acks=all produce request with one record arrives at the leader
 * - fetch: follower `broker` fetches from `fetchOffset` (it has every offset below it)
 * - isr-check: the leader's periodic ISR check (every replicaLagTimeMaxMs / 2 = 15000 ms)
 * - broker-down: follower `broker`'s broker fails (the controller removes it from the ISR)
 */
type LeaderEvent =
  | { type: 'produce'; timeMs: number; requestId: number }
  | { type: 'fetch'; timeMs: number; broker: number; fetchOffset: number }
  | { type: 'isr-check'; timeMs: number }
  | { type: 'broker-down'; timeMs: number; broker: number };

/** An answer to a produce request: NONE (acknowledged, `offset` is the record's) or NOT_ENOUGH_REPLICAS (refused, nothing appended). */
interface ProduceResponse {
  requestId: number;
  error: 'NONE' | 'NOT_ENOUGH_REPLICAS';
  /** the record's offset when error is NONE, else null */
  offset: number | null;
}

/** What onEvent returns: the next state, and the produce requests answered during this event (often none). */
interface StepResult {
  state: LeaderState;
  responses: ProduceResponse[];
}
