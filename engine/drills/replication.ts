/**
 * Replication drills, played on a real {@link Cluster}: the high watermark from the ISR's
 * logEndOffsets, and what a producer hears for acks and min.insync.replicas — on the newest Kafka,
 * where the HW stands still while the ISR is below min ISR (KAFKA-15583, 3.7+), or on 3.6.
 * More replication drills: ./replication-failures.ts.
 *
 * Source: Kafka's Partition (maybeIncrementLeaderHW, appendRecordsToLeader, checkEnoughReplicasReachOffset).
 */
import { records } from './drill-helpers.ts';
import type { Prng } from '../common/prng.ts';
import { Cluster } from '../cluster/cluster.ts';
import type { ClusterEvent, TopicSpec } from '../cluster/cluster.ts';
import { formatList } from '../common/notation.ts';
import type { TopicPartition } from '../common/record.ts';
import type { AcksOutcome, DrillBody, DrillParams } from './drill-types.ts';
import { ACKS_OUTCOMES } from './drill-types.ts';
import { between, pick, shuffled } from './drill-helpers.ts';
import type { KafkaVersion } from '../replication/kafka-version.ts';
import { LATEST_KAFKA_VERSION } from '../replication/kafka-version.ts';

// ---- replication: high watermark --------------------------------------------------------------

const TP0: TopicPartition = { topic: 't0', partition: 0 };

/**
 * A cluster of just `replicas`, holding topic t0 with one partition t0p0 placed on them in that order (first = leader).
 * @param kafkaVersion the brokers' version; absent = the newest
 */
export function singlePartitionCluster(
  replicas: readonly number[],
  config?: TopicSpec['config'],
  kafkaVersion?: KafkaVersion,
  eligibleLeaderReplicasEnable?: boolean,
): Cluster {
  const cluster = new Cluster({ brokers: [...replicas].sort((a, b) => a - b), kafkaVersion, eligibleLeaderReplicasEnable });
  cluster.createTopic({ name: 't0', partitions: 1, replicationFactor: replicas.length, replicaAssignment: { 0: [...replicas] }, config });
  return cluster;
}

/**
 * Drive a cluster until every replica of t0p0 has its target logEndOffset and the leader knows each
 * follower's: produce up to each level, two fetch rounds (copy, then report), pause the followers
 * whose target that level is. No time passes, so nobody leaves the ISR for lag.
 */
function clusterWithLogEndOffsets(replicas: number[], logEndOffsets: Record<number, number>, downBroker: number | null): Cluster {
  const cluster = singlePartitionCluster(replicas);
  const followers = replicas.slice(1);
  const levels = [...new Set(replicas.map((b) => logEndOffsets[b]))].sort((a, b) => a - b);
  let produced = 0;
  for (const level of levels) {
    if (level > produced) {
      cluster.produce(TP0, records(level - produced, produced), { acks: 1 });
      produced = level;
    }
    cluster.fetchRound(TP0);
    cluster.fetchRound(TP0);
    for (const f of followers) if (logEndOffsets[f] === level) cluster.pauseFetching(f);
  }
  if (downBroker !== null) cluster.brokerDown(downBroker);
  return cluster;
}

export function highWatermarkDrill(rng: Prng): DrillBody {
  const rf = pick(rng, [3, 3, 4]);
  const replicas = shuffled(
    rng,
    Array.from({ length: rf }, (_, i) => i),
  );
  const leader = replicas[0];
  const leaderLeo = between(rng, 6, 40);
  const logEndOffsets: Record<number, number> = { [leader]: leaderLeo };
  for (const f of replicas.slice(1)) logEndOffsets[f] = leaderLeo - between(rng, 0, 6);
  // sometimes a follower is down (out of the ISR) and is the furthest behind: the trap
  let downBroker: number | null = null;
  if (rng.nextInt(2) === 0) {
    downBroker = pick(rng, replicas.slice(1));
    const others = replicas.filter((b) => b !== downBroker).map((b) => logEndOffsets[b]);
    logEndOffsets[downBroker] = Math.max(1, Math.min(...others) - between(rng, 1, 5));
  }
  const cluster = clusterWithLogEndOffsets(replicas, logEndOffsets, downBroker);
  const snap = cluster.snapshot().partitions[0];
  const leo = (b: number) => snap.replicaStates.find((s) => s.broker === b)!.logEndOffset;
  const rows = [...replicas]
    .sort((a, b) => a - b)
    .map((b) => {
      const role = b === snap.leader ? 'leader' : 'follower';
      const status = !snap.isr.includes(b) ? ', not in the ISR (its broker is down)' : ', in the ISR';
      return `- broker ${b} (${role}): logEndOffset ${leo(b)}${status}`;
    });
  const prompt = [
    `Partition t0p0 has replicas ${formatList(replicas)}. Every follower has fetched and reported its position, so the leader knows each logEndOffset:`,
    rows.join('\n'),
    'What is the high watermark of t0p0 on the leader?',
  ].join('\n\n');
  const isrLeos = snap.isr.map((b) => `${leo(b)} (broker ${b})`);
  const lines = [
    `- ISR = ${formatList(snap.isr)}; the high watermark is the minimum logEndOffset over the ISR.`,
    `- min(${isrLeos.join(', ')}) = **${snap.highWatermark}**`,
  ];
  if (downBroker !== null) {
    lines.push(
      `- Broker ${downBroker} (logEndOffset ${leo(downBroker)}) left the ISR when it went down, so it no longer holds the high watermark back.`,
    );
  }
  lines.push(
    snap.logEndOffset > snap.highWatermark
      ? `- Consumers read offsets below ${snap.highWatermark}; offsets ${snap.highWatermark}..${snap.logEndOffset - 1} are on the leader but not committed yet.`
      : '- Every record on the leader is committed: consumers can read them all.',
  );
  return {
    prompt,
    answer: { type: 'number', value: snap.highWatermark },
    explanation: lines.join('\n'),
    params: { kind: 'high-watermark', replicas, logEndOffsets, downBroker },
  };
}

// ---- replication: acks and min.insync.replicas ------------------------------------------------

const ACKS_LABELS: Record<AcksOutcome, string> = {
  NONE: '`NONE`: acknowledged',
  NOT_ENOUGH_REPLICAS: '`NOT_ENOUGH_REPLICAS`: rejected',
  NOT_ENOUGH_REPLICAS_AFTER_APPEND: '`NOT_ENOUGH_REPLICAS_AFTER_APPEND`: an error after the write',
  'no response': 'no response at all',
  REQUEST_TIMED_OUT: '`REQUEST_TIMED_OUT`: no answer within request.timeout.ms',
};

/**
 * Play the acks scenario on a cluster.
 * @returns the producer's outcome, whether the leader appended the record, and the ISR at the request
 */
export function playAcksScenario(p: Extract<DrillParams, { kind: 'acks-outcome' }>): {
  outcome: AcksOutcome;
  appended: boolean;
  isrAtRequest: number[];
  isrAtEnd: number[];
} {
  const cluster = singlePartitionCluster(p.replicas, { minInsyncReplicas: p.minInsyncReplicas }, p.kafkaVersion);
  for (const b of p.downBefore) cluster.brokerDown(b);
  const isrAtRequest = [...cluster.partition(TP0).isr];
  const events: ClusterEvent[] = [];
  const { requestId, events: produced } = cluster.produce(TP0, records(1, 0), { acks: p.acks });
  events.push(...produced);
  const answered = () => events.some((e) => e.type === 'produce-response' && e.requestId === requestId);
  if (!answered()) for (const b of p.crashWhileWaiting) events.push(...cluster.brokerDown(b));
  // followers fetch (copy), then fetch again (the leader learns their position and moves the HW)
  for (let i = 0; i < 2 && !answered(); i++) events.push(...cluster.fetchRound(TP0));
  // still waiting (the HW cannot pass it): the request's timeout, request.timeout.ms 30000
  if (!answered() && p.acks !== 0) events.push(...cluster.advanceTime(30_000));
  const response = events.find((e) => e.type === 'produce-response' && e.requestId === requestId);
  const appended = events.some((e) => e.type === 'append' && e.requestId === requestId);
  let outcome: AcksOutcome;
  if (!response) {
    if (p.acks !== 0) throw new Error(`acks=${p.acks} request ${requestId} got no response, not even its timeout`);
    outcome = 'no response';
  } else {
    const error = (response as { error: string }).error;
    if (!(ACKS_OUTCOMES as readonly string[]).includes(error)) throw new Error(`Unexpected produce error ${error}`);
    outcome = error as AcksOutcome;
  }
  return { outcome, appended, isrAtRequest, isrAtEnd: [...cluster.partition(TP0).isr] };
}

export function acksOutcomeDrill(rng: Prng): DrillBody {
  const replicas = [0, 1, 2];
  const acks = pick(rng, [0, 1, 'all', 'all', 'all'] as const);
  const minInsyncReplicas = pick(rng, [1, 2, 2, 3]);
  let downBefore: number[] = [];
  let crashWhileWaiting: number[] = [];
  if (acks === 'all' && rng.nextInt(3) === 0) {
    crashWhileWaiting = shuffled(rng, [1, 2])
      .slice(0, between(rng, 1, 2))
      .sort();
  } else {
    downBefore = shuffled(rng, [1, 2])
      .slice(0, between(rng, 0, 2))
      .sort();
  }
  // one question in four is on Kafka 3.6, before strict min ISR (KAFKA-15583)
  const old = rng.nextInt(4) === 0;
  const params: Extract<DrillParams, { kind: 'acks-outcome' }> = {
    kind: 'acks-outcome',
    acks,
    minInsyncReplicas,
    replicas,
    downBefore,
    crashWhileWaiting,
    ...(old ? { kafkaVersion: '3.6' as const } : {}),
  };
  const played = playAcksScenario(params);

  const setup = [
    `The brokers run Kafka ${old ? '3.6' : LATEST_KAFKA_VERSION}. Topic \`t0\` has one partition with replicas ${formatList(replicas)} (leader 0) and \`min.insync.replicas=${minInsyncReplicas}\`.`,
    downBefore.length
      ? `Broker${downBefore.length > 1 ? 's' : ''} ${downBefore.join(' and ')} ${downBefore.length > 1 ? 'are' : 'is'} down, so the ISR is ${formatList(played.isrAtRequest)}.`
      : `All brokers are up and the ISR is ${formatList(played.isrAtRequest)}.`,
    `A producer with \`acks=${acks}\` sends one record to t0p0.`,
  ];
  if (crashWhileWaiting.length) {
    const both = crashWhileWaiting.length > 1;
    setup.push(
      `While the request waits for the followers, broker${both ? 's' : ''} ${crashWhileWaiting.join(' and ')} crash${both ? '' : 'es'} before fetching the record${both ? '' : '; the other follower keeps fetching'}.`,
    );
  }
  const prompt = `${setup.join(' ')}\n\nWhat does the producer get back?`;

  const isr = played.isrAtRequest.length;
  const lines: string[] = [];
  if (acks === 0)
    lines.push('- acks=0: the leader appends and never answers; the producer counts the record as sent as soon as it is on the wire.');
  else if (acks === 1)
    lines.push('- acks=1: the leader answers as soon as it has appended; min.insync.replicas is not checked for acks=1.');
  else {
    lines.push(
      `- acks=all: before appending, the leader checks ISR size ${isr} ≥ min.insync.replicas ${minInsyncReplicas}: ${isr >= minInsyncReplicas ? 'yes, it appends and waits for the ISR' : 'no, it rejects the request'}.`,
    );
    if (crashWhileWaiting.length && played.appended) {
      const enough = played.isrAtEnd.length >= minInsyncReplicas;
      lines.push(
        `- The crash shrinks the ISR to ${formatList(played.isrAtEnd)}: ${played.isrAtEnd.length} ${enough ? '≥' : '<'} ${minInsyncReplicas}.`,
      );
      if (enough) lines.push('- Every ISR member fetches the record, the high watermark passes it, and the leader answers.');
      else if (old)
        lines.push(
          '- Kafka 3.6 lets the high watermark follow the smaller ISR: it passes the record, and the leader, checking the ISR again, answers with an error although the record is written.',
        );
      else
        lines.push(
          '- Since Kafka 3.7 the leader does not advance the high watermark while the ISR is below min.insync.replicas (KAFKA-15583): the record stays uncommitted and invisible, and the request waits until request.timeout.ms (30000 ms) runs out.',
        );
    }
  }
  lines.push(`- The record ${played.appended ? "is in the leader's log" : 'was not written'}; the producer gets **${played.outcome}**.`);
  if (played.outcome === 'NOT_ENOUGH_REPLICAS_AFTER_APPEND')
    lines.push('- The producer retries, so the record may end up in the log twice (unless the producer is idempotent).');
  return {
    prompt,
    answer: { type: 'choice', index: ACKS_OUTCOMES.indexOf(played.outcome) },
    choices: ACKS_OUTCOMES.map((o) => ACKS_LABELS[o]),
    explanation: lines.join('\n'),
    params,
  };
}
