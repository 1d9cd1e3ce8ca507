/**
 * Consumer drills: lag = highWatermark − committed offset, per partition, played on a cluster and
 * a group coordinator.
 *
 * Source: kafka-consumer-groups' LAG column.
 */
import { records } from './drill-helpers.ts';
import type { Prng } from '../common/prng.ts';
import { Cluster } from '../cluster/cluster.ts';
import { GroupCoordinator } from '../group/member.ts';
import { groupLag, partitionLogView } from '../consumer/consumer.ts';
import { formatTp, plural } from '../common/notation.ts';
import type { DrillBody, DrillParams } from './drill-types.ts';
import { between, pick } from './drill-helpers.ts';

// ---- consumers: lag ---------------------------------------------------------------------------

/** Build the partitions and the group of a lag question and run the engine's groupLag. */
export function playLagScenario(p: Extract<DrillParams, { kind: 'consumer-lag' }>): ReturnType<typeof groupLag> & {
  logEndOffsets: number[];
} {
  const cluster = new Cluster({ brokers: [0, 1] });
  cluster.createTopic({
    name: 't0',
    partitions: p.partitions.length,
    replicationFactor: 2,
    replicaAssignment: Object.fromEntries(p.partitions.map((_, i) => [i, [0, 1]])),
  });
  p.partitions.forEach((part, i) => {
    const tp = { topic: 't0', partition: i };
    if (part.replicated > 0) cluster.produce(tp, records(part.replicated, 0), { acks: 1 });
    cluster.fetchRound(tp); // the follower copies the records
    cluster.fetchRound(tp); // … and reports its position: highWatermark = replicated
    // records after that reach only the leader (no more fetches of this partition): past the HW
    if (part.unreplicated > 0) cluster.produce(tp, records(part.unreplicated, part.replicated), { acks: 1 });
  });
  const group = new GroupCoordinator({ groupId: 'g1', partitionsPerTopic: () => ({ t0: p.partitions.length }) });
  const error = group.commitOffsets(
    0,
    null,
    p.partitions.map((part, i) => ({ tp: { topic: 't0', partition: i }, offset: part.committed })),
  );
  if (error !== 'NONE') throw new Error(`Commit failed: ${error}`);
  const all = p.partitions.map((_, i) => ({ topic: 't0', partition: i }));
  const lag = groupLag(group, all, (tp) => partitionLogView(cluster.partition(tp).leaderReplica()!.log));
  return { ...lag, logEndOffsets: all.map((tp) => cluster.partition(tp).leaderReplica()!.log.logEndOffset) };
}

export function consumerLagDrill(rng: Prng): DrillBody {
  const count = between(rng, 1, 2);
  const partitions = Array.from({ length: count }, () => {
    const replicated = between(rng, 5, 60);
    const unreplicated = pick(rng, [0, between(rng, 1, 9)]);
    const committed = replicated - between(rng, 0, Math.min(replicated, 15));
    return { replicated, unreplicated, committed };
  });
  const phraseAsLastProcessed = partitions.every((x) => x.committed >= 1) && rng.nextInt(2) === 0;
  const params: Extract<DrillParams, { kind: 'consumer-lag' }> = { kind: 'consumer-lag', partitions, phraseAsLastProcessed };
  const lag = playLagScenario(params);
  const rows = lag.partitions.map((r, i) => {
    const progress = phraseAsLastProcessed
      ? `the group processed up to offset ${r.committed! - 1} and committed after it`
      : `committed offset ${r.committed}`;
    return `- ${formatTp(r.tp)}: logEndOffset ${lag.logEndOffsets[i]}, highWatermark ${r.highWatermark}, ${progress}`;
  });
  const question =
    count === 1
      ? 'What lag does `kafka-consumer-groups --describe` report for group g1?'
      : 'What total lag does `kafka-consumer-groups --describe` report for group g1 (summed over both partitions)?';
  const prompt = [`Consumer group g1 reads topic \`t0\` (${plural(count, 'partition')}):`, rows.join('\n'), question].join('\n\n');
  const lines = lag.partitions.map(
    (r, i) =>
      `- ${formatTp(r.tp)}: lag = highWatermark − committed = ${r.highWatermark} − ${r.committed} = ${r.lag}${lag.logEndOffsets[i] > r.highWatermark ? ` (not logEndOffset ${lag.logEndOffsets[i]}: a consumer cannot read past the high watermark)` : ''}`,
  );
  if (phraseAsLastProcessed) lines.push('- The committed offset is the *next* offset to read: last processed offset + 1.');
  lines.push("- The tool's LOG-END-OFFSET column is the end a consumer can read to, the high watermark, not the leader's logEndOffset.");
  lines.push(count === 1 ? `- Lag: **${lag.total}**` : `- Total: ${lag.partitions.map((r) => r.lag).join(' + ')} = **${lag.total}**`);
  return {
    prompt,
    answer: { type: 'number', value: lag.total },
    explanation: lines.join('\n'),
    params,
  };
}
