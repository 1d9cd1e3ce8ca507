/**
 * Replication drills about failures, each played on a real Cluster (../cluster/cluster.ts):
 * - acks-all-failures: how many replicas' brokers may fail before acks=all writes are refused
 *   (replication factor − min.insync.replicas; found by failing brokers one by one and producing);
 * - hw-after-fetches: where the leader's high watermark is after a few produces, fetches and
 *   failures (the leader learns a follower's position on its *next* fetch; since Kafka 3.7 the HW
 *   stands still while the ISR is below min.insync.replicas);
 * - leader-election: which replica leads after failures and returns (ISR, then eligible leader
 *   replicas on Kafka 4.1+, then the last known leader, then unclean if enabled, else none).
 *
 * Example (acks-all-failures): RF 3, min.insync.replicas 2 → broker 2 down: acks=all accepted;
 *   broker 1 down: NOT_ENOUGH_REPLICAS → answer 1.
 *
 * Source: Kafka's Partition (maybeIncrementLeaderHW, appendRecordsToLeader), PartitionChangeBuilder
 * (electAnyLeader, maybePopulateTargetElr), KAFKA-15583, KIP-966.
 */
import type { Prng } from '../common/prng.ts';
import { formatList, plural, pluralWord } from '../common/notation.ts';
import type { TopicPartition } from '../common/record.ts';
import type { ClusterEvent } from '../cluster/cluster.ts';
import { LATEST_KAFKA_VERSION } from '../replication/kafka-version.ts';
import type { DrillBody, DrillParams } from './drill-types.ts';
import { between, pick, records, shuffled } from './drill-helpers.ts';
import { singlePartitionCluster } from './replication.ts';

const TP0: TopicPartition = { topic: 't0', partition: 0 };

// ---- how many failures before acks=all writes stop ---------------------------------------------

/**
 * Fail the replicas' brokers one by one (the leader last) and produce acks=all after each.
 * @returns how many failed while writes were still accepted, and the ISR at the first refusal
 */
export function playAcksAllFailures(p: Extract<DrillParams, { kind: 'acks-all-failures' }>): { failures: number; isrAtRefusal: number[] } {
  const replicas = Array.from({ length: p.replicationFactor }, (_, i) => i);
  const cluster = singlePartitionCluster(replicas, { minInsyncReplicas: p.minInsyncReplicas });
  const accepted = (): boolean => {
    const { requestId, events } = cluster.produce(TP0, records(1, 0), { acks: 'all' });
    const refused = events.some((e) => e.type === 'produce-response' && e.requestId === requestId && e.error === 'NOT_ENOUGH_REPLICAS');
    cluster.fetchRound(TP0);
    cluster.fetchRound(TP0);
    return !refused;
  };
  let failures = 0;
  if (!accepted()) return { failures: -1, isrAtRefusal: [...cluster.partition(TP0).isr] };
  for (const b of [...replicas].reverse()) {
    cluster.brokerDown(b);
    if (cluster.partition(TP0).leader === null || !accepted()) break;
    failures++;
  }
  return { failures, isrAtRefusal: [...cluster.partition(TP0).isr] };
}

export function acksAllFailuresDrill(rng: Prng): DrillBody {
  const replicationFactor = pick(rng, [2, 3, 3, 3, 4, 5]);
  const minInsyncReplicas = between(rng, 1, replicationFactor);
  const params: Extract<DrillParams, { kind: 'acks-all-failures' }> = { kind: 'acks-all-failures', replicationFactor, minInsyncReplicas };
  const played = playAcksAllFailures(params);
  const prompt = [
    `Topic \`t0\` has replication factor ${replicationFactor}, and its \`min.insync.replicas\` is ${minInsyncReplicas}; every replica is in sync.`,
    'Brokers holding its replicas fail one at a time. How many can fail while producers with `acks=all` still get their writes accepted?',
  ].join(' ');
  const lines = [
    `- An acks=all write needs an ISR of at least min.insync.replicas = ${minInsyncReplicas} members; each failure takes one broker out of the ISR.`,
    `- ${replicationFactor} replicas − ${minInsyncReplicas} = **${played.failures}** failures are tolerated; after one more the ISR is ${formatList(played.isrAtRefusal)} and the leader answers NOT_ENOUGH_REPLICAS.`,
  ];
  if (minInsyncReplicas === 1)
    lines.push('- With min.insync.replicas=1 writes go on down to the last replica, but then acks=all is no safer than acks=1: one copy.');
  if (minInsyncReplicas === replicationFactor)
    lines.push('- min.insync.replicas = replication factor: a single failure stops acks=all writes (no availability margin).');
  return { prompt, answer: { type: 'number', value: played.failures }, explanation: lines.join('\n'), params };
}

// ---- the high watermark after fetches ----------------------------------------------------------

/** Play the actions on t0p0 [0, 1, 2]; @returns the leader's HW, LEO and ISR at the end */
export function playHwAfterFetches(p: Extract<DrillParams, { kind: 'hw-after-fetches' }>): {
  highWatermark: number;
  logEndOffset: number;
  isr: number[];
  heldByMinIsr: boolean;
  /** after each action: the leader's LEO, what it knows of each follower's LEO, the ISR and the HW */
  trail: { logEndOffset: number; known: Record<number, number>; isr: number[]; highWatermark: number }[];
} {
  const cluster = singlePartitionCluster([0, 1, 2], { minInsyncReplicas: p.minInsyncReplicas }, p.kafkaVersion);
  let produced = 0;
  const trail = [];
  for (const a of p.actions) {
    if ('produce' in a) {
      cluster.produce(TP0, records(a.produce, produced), { acks: 1 });
      produced += a.produce;
    } else if ('fetch' in a) cluster.fetch(TP0, a.fetch);
    else cluster.brokerDown(a.down);
    const part = cluster.partition(TP0);
    trail.push({
      logEndOffset: part.leaderReplica()!.log.logEndOffset,
      known: { 1: Math.max(0, part.followerViews[1].logEndOffset), 2: Math.max(0, part.followerViews[2].logEndOffset) },
      isr: [...part.isr],
      highWatermark: part.highWatermark!,
    });
  }
  const part = cluster.partition(TP0);
  const snap = cluster.snapshot().partitions[0];
  const minIsrLeo = Math.min(...part.isr.map((b) => (b === part.leader ? snap.logEndOffset : part.followerViews[b].logEndOffset)));
  return {
    highWatermark: snap.highWatermark,
    logEndOffset: snap.logEndOffset,
    isr: [...snap.isr],
    heldByMinIsr: minIsrLeo > snap.highWatermark,
    trail,
  };
}

function describeAction(a: { produce: number } | { fetch: number } | { down: number }): string {
  if ('produce' in a) return `the leader appends ${plural(a.produce, 'record')} (acks=1)`;
  if ('fetch' in a) return `follower ${a.fetch} fetches`;
  return `broker ${a.down} crashes`;
}

export function hwAfterFetchesDrill(rng: Prng): DrillBody {
  const minInsyncReplicas = pick(rng, [1, 2, 2]);
  const old = rng.nextInt(4) === 0;
  const actions: Extract<DrillParams, { kind: 'hw-after-fetches' }>['actions'] = [{ produce: between(rng, 2, 6) }];
  const n = between(rng, 3, 7);
  let downs = 0;
  for (let i = 0; i < n; i++) {
    const r = rng.nextInt(6);
    if (r === 0) actions.push({ produce: between(rng, 1, 5) });
    else if (r === 1 && downs < 2) {
      const alive = [1, 2].filter((b) => !actions.some((a) => 'down' in a && a.down === b));
      if (alive.length) {
        actions.push({ down: pick(rng, alive) });
        downs++;
      }
    } else actions.push({ fetch: pick(rng, [1, 2]) });
  }
  if (!actions.some((a) => 'fetch' in a)) actions.push({ fetch: 1 });
  const params: Extract<DrillParams, { kind: 'hw-after-fetches' }> = {
    kind: 'hw-after-fetches',
    minInsyncReplicas,
    actions,
    ...(old ? { kafkaVersion: '3.6' as const } : {}),
  };
  const played = playHwAfterFetches(params);
  const steps = actions.map((a, i) => `${i + 1}. ${describeAction(a)}`);
  const prompt = [
    `Kafka ${old ? '3.6' : LATEST_KAFKA_VERSION}. Partition t0p0 has replicas [0, 1, 2], leader 0, and \`min.insync.replicas\` ${minInsyncReplicas}; the log is empty and every replica in sync. Then, with no time passing:`,
    steps.join('\n'),
    "What is the leader's high watermark now?",
  ].join('\n\n');
  const lines = [
    '- A fetch at offset f tells the leader the follower has everything below f; the records it returns are only known to be there at the *next* fetch. A crashed broker leaves the ISR at once.',
    ...played.trail.map(
      (t, i) =>
        `- after ${i + 1}: leader LEO ${t.logEndOffset}, known follower LEOs 1: ${t.known[1]}, 2: ${t.known[2]}, ISR ${formatList(t.isr)}, HW ${t.highWatermark}`,
    ),
  ];
  if (played.heldByMinIsr)
    lines.push(
      `- The ISR has ${played.isr.length} < ${minInsyncReplicas} members: since Kafka 3.7 the high watermark does not move (KAFKA-15583), so it stays at **${played.highWatermark}**.`,
    );
  else lines.push(`- The high watermark is the minimum the leader knows over the ISR, never moving back: **${played.highWatermark}**.`);
  return { prompt, answer: { type: 'number', value: played.highWatermark }, explanation: lines.join('\n'), params };
}

// ---- which replica becomes leader ----------------------------------------------------------------

/** The choices of the leader-election drill. */
export const ELECTION_CHOICES = ['broker 0', 'broker 1', 'broker 2', 'none: the partition stays offline'] as const;

/** Play the downs and ups; @returns the leader at the end, how it was elected, and the ISR / ELR before the returns */
export function playLeaderElection(p: Extract<DrillParams, { kind: 'leader-election' }>): {
  leader: number | null;
  via: 'isr' | 'elr' | 'last-known-leader' | 'unclean' | 'none';
  isrBeforeUps: number[];
  elrBeforeUps: number[];
  /** after each down and each up: what happened, then leader, ISR and ELR */
  trail: string[];
} {
  const cluster = singlePartitionCluster(
    [0, 1, 2],
    { minInsyncReplicas: p.minInsyncReplicas, uncleanLeaderElectionEnable: p.uncleanLeaderElectionEnable },
    p.kafkaVersion,
  );
  cluster.produce(TP0, records(3, 0), { acks: 1 });
  cluster.fetchRound(TP0);
  cluster.fetchRound(TP0);
  const events: ClusterEvent[] = [];
  const trail: string[] = [];
  const note = (what: string) => {
    const part = cluster.partition(TP0);
    const elr = part.rules.eligibleLeaderReplicas ? `, ELR ${formatList(part.elr)}` : '';
    trail.push(`${what} → leader ${part.leader === null ? 'none' : part.leader}, ISR ${formatList(part.isr)}${elr}`);
  };
  for (const d of p.downs) {
    events.push(...cluster.brokerDown(d.broker, { cleanShutdown: d.cleanShutdown }));
    note(`broker ${d.broker} ${d.cleanShutdown ? 'shuts down' : 'crashes'}`);
  }
  const before = cluster.partition(TP0);
  const isrBeforeUps = [...before.isr];
  const elrBeforeUps = [...before.elr];
  for (const b of p.ups) {
    events.push(...cluster.brokerUp(b));
    note(`broker ${b} returns`);
  }
  const last = [...events].reverse().find((e) => e.type === 'leader-election');
  const leader = cluster.partition(TP0).leader;
  let via: 'isr' | 'elr' | 'last-known-leader' | 'unclean' | 'none' = 'none';
  if (leader !== null && last && last.type === 'leader-election') via = last.unclean ? 'unclean' : (last.via ?? 'isr');
  return { leader, via, isrBeforeUps, elrBeforeUps, trail };
}

export function leaderElectionDrill(rng: Prng): DrillBody {
  const kafkaVersion = pick(rng, ['3.6', '4.1', '4.1'] as const);
  const minInsyncReplicas = pick(rng, [1, 2, 2]);
  const uncleanLeaderElectionEnable = rng.nextInt(3) === 0;
  // two followers go down, then the leader; one or two of them come back
  const order = [...shuffled(rng, [1, 2]), 0];
  const downs = order.map((broker) => ({ broker, cleanShutdown: rng.nextInt(2) === 0 }));
  const ups = shuffled(rng, [0, 1, 2]).slice(0, between(rng, 1, 2));
  if (!ups.some((b) => b !== 0) && rng.nextInt(2) === 0) ups[0] = order[0];
  const params: Extract<DrillParams, { kind: 'leader-election' }> = {
    kind: 'leader-election',
    minInsyncReplicas,
    downs,
    ups,
    uncleanLeaderElectionEnable,
    kafkaVersion,
  };
  const played = playLeaderElection(params);
  const elr = kafkaVersion === '4.1';
  const how = (d: { broker: number; cleanShutdown: boolean }) =>
    `broker ${d.broker} ${d.cleanShutdown ? 'shuts down cleanly' : 'crashes (an unclean shutdown)'}`;
  const prompt = [
    `Kafka ${kafkaVersion}${elr ? ' (eligible leader replicas on, the default since 4.1)' : ''}. Partition t0p0 has replicas [0, 1, 2], leader 0, \`min.insync.replicas=${minInsyncReplicas}\`, \`unclean.leader.election.enable=${uncleanLeaderElectionEnable}\`; every replica is in sync.`,
    `In turn: ${downs.map(how).join('; ')}. Then ${ups.map((b) => `broker ${b}`).join(' and then ')} ${pluralWord(ups.length, 'comes', 'come')} back.`,
    'Which replica leads t0p0 now?',
  ].join('\n\n');
  const lines = [
    ...played.trail.map((t) => `- ${t}`),
    elr
      ? '- While the ISR is below min.insync.replicas, replicas leaving it stay eligible (ELR) — unless they crashed: a broker back from an unclean shutdown leaves the ELR.'
      : '- Without ELR the controller keeps the last ISR member in the ISR even while it is down; only it may lead cleanly.',
    '- Election order: an alive ISR member; ' +
      (elr ? 'if the ISR is empty, an alive ELR member; then the last known leader; ' : '') +
      'then, only with unclean.leader.election.enable, any alive replica.',
  ];
  const viaText: Record<typeof played.via, string> = {
    isr: 'from the ISR',
    elr: 'from the eligible leader replicas (it has every committed record)',
    'last-known-leader': 'as the last known leader',
    unclean: 'by an unclean election (committed records it lacks are lost)',
    none: 'nobody: the partition stays offline',
  };
  lines.push(
    played.leader === null
      ? `- **${ELECTION_CHOICES[3]}** until an eligible replica returns.`
      : `- **broker ${played.leader}**, elected ${viaText[played.via]}.`,
  );
  return {
    prompt,
    answer: { type: 'choice', index: played.leader === null ? 3 : played.leader },
    choices: [...ELECTION_CHOICES],
    explanation: lines.join('\n'),
    params,
  };
}
