/**
 * A `high-watermark` case played on the engine's own model of a partition (a {@link Cluster} from
 * engine/index.ts, newest Kafka): each operation of the timeline becomes what the leader sees — a
 * produce, a follower's fetch at its logEndOffset, an ISR check every replica.lag.time.max.ms / 2, a
 * follower's broker failing — and, after each, the engine's ISR, high watermark and answers are what
 * the learner's state and responses must show. The first difference is named in Kafka's terms.
 *
 * Example: replicas [0, 1, 2], min.insync.replicas 2, ops [produce, fetch 1, fetch 2, fetch 1]:
 *   t=0 request 1 → offset 0 · broker 1 fetches at 0 · broker 2 fetches at 0 · broker 1 fetches at 1
 *   after the last: ISR [0, 1, 2], HW 0 (broker 2 is only known to have offsets below 0).
 */
import { Cluster } from '../../engine/index.ts';

/** One step of a generated timeline. Broker ids are followers (1 … rf−1). */
export type Op = { produce: true } | { fetch: number } | { waitMs: number } | { down: number } | { up: number };

/** A case: the partition's replication factor and min.insync.replicas, and the timeline. */
export interface Case {
  replicationFactor: number;
  minInsyncReplicas: number;
  ops: Op[];
}

/** Kafka's default replica.lag.time.max.ms (ReplicationConfigs.REPLICA_LAG_TIME_MAX_MS_DEFAULT). */
export const REPLICA_LAG_TIME_MAX_MS = 30_000;
const TP0 = { topic: 't0', partition: 0 };
/** produce requests never time out in these timelines (the learner does not model request.timeout.ms) */
const NO_TIMEOUT_MS = 1e12;

export interface LeaderConfigData {
  replicas: number[];
  minInsyncReplicas: number;
  replicaLagTimeMaxMs: number;
}

export type LeaderEventData =
  | { type: 'produce'; timeMs: number; requestId: number }
  | { type: 'fetch'; timeMs: number; broker: number; fetchOffset: number }
  | { type: 'isr-check'; timeMs: number }
  | { type: 'broker-down'; timeMs: number; broker: number };

export interface ResponseData {
  requestId: number;
  error: 'NONE' | 'NOT_ENOUGH_REPLICAS';
  offset: number | null;
}

/** What the engine's leader shows after one event. */
export interface Expected {
  isr: number[];
  highWatermark: number;
  logEndOffset: number;
  /** what the leader knows of each follower's logEndOffset (-1: not heard from) */
  known: Record<number, number>;
  /** each follower's actual logEndOffset */
  actual: Record<number, number>;
  /** each follower's lastCaughtUpTimeMs on the leader */
  lastCaughtUpTimeMs: Record<number, number>;
  responses: ResponseData[];
}

/** One played step: the op that caused it (index into ops), the leader's event (null: nothing reaches the leader), the engine after it. */
export interface Played {
  op: number;
  event: LeaderEventData | null;
  /** a line for the timeline, in the lesson's notation */
  line: string;
  expected: Expected;
}

export function configOf(c: Case): LeaderConfigData {
  return {
    replicas: Array.from({ length: c.replicationFactor }, (_, i) => i),
    minInsyncReplicas: c.minInsyncReplicas,
    replicaLagTimeMaxMs: REPLICA_LAG_TIME_MAX_MS,
  };
}

/** The learner's starting state: an empty log, every replica in sync, nothing heard from the followers. */
export function initialState(c: Case): unknown {
  const followers: Record<string, unknown> = {};
  for (let b = 1; b < c.replicationFactor; b++) {
    followers[String(b)] = { logEndOffset: -1, lastCaughtUpTimeMs: 0, lastFetchLeaderLogEndOffset: -1, lastFetchTimeMs: 0 };
  }
  return { logEndOffset: 0, highWatermark: 0, isr: configOf(c).replicas, followers, waiting: [] };
}

/**
 * Play the case on the engine.
 * @returns every step, in order; an op that cannot happen (a fetch by a down broker, a second down) plays as nothing
 */
export function playOnEngine(c: Case): Played[] {
  const replicas = configOf(c).replicas;
  const cluster = new Cluster({ brokers: replicas });
  cluster.createTopic({
    name: 't0',
    partitions: 1,
    replicaAssignment: { 0: replicas },
    config: { minInsyncReplicas: c.minInsyncReplicas },
  });
  const part = cluster.partition(TP0);
  const followers = replicas.slice(1);
  const out: Played[] = [];
  let nextCheckMs = REPLICA_LAG_TIME_MAX_MS / 2;

  const expected = (events: readonly { type: string }[]): Expected => {
    const responses: ResponseData[] = [];
    for (const e of events) {
      if (e.type !== 'produce-response') continue;
      const r = e as unknown as { requestId: number; error: string; baseOffset: number | null };
      if (r.error !== 'NONE' && r.error !== 'NOT_ENOUGH_REPLICAS') throw new Error(`unexpected produce error ${r.error}`);
      responses.push({ requestId: r.requestId, error: r.error, offset: r.baseOffset });
    }
    const view = (b: number) => part.followerViews[b];
    return {
      isr: [...part.isr].sort((a, b) => a - b),
      highWatermark: part.highWatermark!,
      logEndOffset: part.leaderReplica()!.log.logEndOffset,
      known: Object.fromEntries(followers.map((b) => [b, view(b).logEndOffset])),
      actual: Object.fromEntries(followers.map((b) => [b, part.replicaOf[b].log.logEndOffset])),
      lastCaughtUpTimeMs: Object.fromEntries(followers.map((b) => [b, view(b).lastCaughtUpTimeMs])),
      responses,
    };
  };

  c.ops.forEach((op, i) => {
    const t = cluster.nowMs;
    if ('produce' in op) {
      const offset = part.leaderReplica()!.log.logEndOffset;
      const { requestId, events } = cluster.produce(TP0, [{ key: 'k', value: `r${offset}`, timestamp: t }], {
        acks: 'all',
        timeoutMs: NO_TIMEOUT_MS,
      });
      out.push({
        op: i,
        event: { type: 'produce', timeMs: t, requestId },
        line: `t=${t} produce request ${requestId} (acks=all, one record)`,
        expected: expected(events),
      });
    } else if ('fetch' in op) {
      if (!cluster.isAlive(op.fetch)) return;
      const fetchOffset = part.replicaOf[op.fetch].log.logEndOffset;
      const events = cluster.fetch(TP0, op.fetch);
      out.push({
        op: i,
        event: { type: 'fetch', timeMs: t, broker: op.fetch, fetchOffset },
        line: `t=${t} broker ${op.fetch} fetches at offset ${fetchOffset}`,
        expected: expected(events),
      });
    } else if ('waitMs' in op) {
      const target = t + op.waitMs;
      while (nextCheckMs <= target) {
        const events = cluster.advanceTime(nextCheckMs - cluster.nowMs);
        out.push({
          op: i,
          event: { type: 'isr-check', timeMs: nextCheckMs },
          line: `t=${nextCheckMs} ISR check`,
          expected: expected(events),
        });
        nextCheckMs += REPLICA_LAG_TIME_MAX_MS / 2;
      }
      cluster.advanceTime(target - cluster.nowMs);
    } else if ('down' in op) {
      if (!cluster.isAlive(op.down)) return;
      const events = cluster.brokerDown(op.down);
      out.push({
        op: i,
        event: { type: 'broker-down', timeMs: t, broker: op.down },
        line: `t=${t} broker ${op.down} fails`,
        expected: expected(events),
      });
    } else {
      if (cluster.isAlive(op.up)) return;
      const events = cluster.brokerUp(op.up);
      out.push({
        op: i,
        event: null,
        line: `t=${t} broker ${op.up} comes back (its log kept; it fetches again)`,
        expected: expected(events),
      });
    }
  });
  return out;
}

/** The timeline as the learner reads it: the partition, then one line per event. */
export function formatCase(c: Case): string {
  const played = playOnEngine(c);
  const head = `t0p0 on replicas ${JSON.stringify(configOf(c).replicas).replace(/,/g, ', ')}, leader 0 · min.insync.replicas ${c.minInsyncReplicas} · replica.lag.time.max.ms ${REPLICA_LAG_TIME_MAX_MS}`;
  return [head, ...played.map((p, i) => `  ${i + 1}. ${p.line}`)].join('\n');
}
