/**
 * The brokers' background log tasks while scenario time moves: the retention check (every
 * log.retention.check.interval.ms) and the log cleaner (every log.cleaner.backoff.ms), over every
 * replica on a live broker, with the lines they add to `happened` (for the leader's replica only).
 *
 * Mirrors Kafka's LogManager (the "kafka-log-retention" task: cleanupLogs, scheduled every
 * log.retention.check.interval.ms) and LogCleaner / LogCleanerManager (a cleaner thread takes the
 * filthiest compacted log, grabFilthiestCompactedLog, and backs off log.cleaner.backoff.ms when
 * nothing is left to clean). The rules themselves are ../log/retention.ts and ../log/compaction.ts.
 *
 * Example: retention.ms 60000 and a segment whose newest record is older than that at the check at
 * 300000 ms → "retention (retention.ms) deleted 1 segment(s), 3 record(s), of t0p0 on broker 1:
 * logStartOffset 0 → 3".
 */
import type { Cluster } from '../cluster/cluster.ts';
import type { ProducerEvent } from '../producer/producer-config.ts';
import { compactLog, logsToClean } from '../log/compaction.ts';
import type { PartitionLog } from '../log/partition-log.ts';
import { applyRetention } from '../log/retention.ts';
import { partitionLabel } from '../common/notation.ts';

/** log.retention.check.interval.ms: 300000 (Kafka broker config). */
export const DEFAULT_LOG_RETENTION_CHECK_INTERVAL_MS = 300_000;
/** log.cleaner.backoff.ms: 15000 (Kafka broker config). */
export const DEFAULT_LOG_CLEANER_BACKOFF_MS = 15_000;

/**
 * Run one background log task at `nowMs` over every replica on a live broker.
 * @param task `retention` (segmentsToDelete on every replica) or `cleaner` (compaction, filthiest log first)
 * @param lines where the leader replicas' lines for `happened` go
 */
export function runLogTask(cluster: Cluster<ProducerEvent>, task: 'retention' | 'cleaner', nowMs: number, lines: string[]): void {
  const replicas: { log: PartitionLog; label: string; broker: number; lead: boolean }[] = [];
  for (const t of cluster.topics()) {
    for (const p of cluster.topicPartitions(t)) {
      for (const b of p.replicas) {
        if (!cluster.isAlive(b)) continue;
        replicas.push({ log: p.replicaOf[b].log, label: partitionLabel(p), broker: b, lead: b === p.leader });
      }
    }
  }
  if (task === 'retention') {
    for (const { log, label, broker: b, lead } of replicas) {
      const r = applyRetention(log, nowMs);
      const n = r.deleted.reduce((sum, d) => sum + d.recordCount, 0);
      if (lead && r.deleted.length) {
        lines.push(
          `retention (${[...new Set(r.deleted.map((d) => d.reason))].join(', ')}) deleted ${r.deleted.length} segment(s), ${n} record(s), of ${label} on broker ${b}: logStartOffset ${r.logStartOffsetBefore} → ${r.logStartOffset}`,
        );
      }
    }
    return;
  }
  // the cleaner takes the filthiest log first (LogCleanerManager.grabFilthiestCompactedLog)
  for (const { log } of logsToClean(
    replicas.map((x) => x.log),
    nowMs,
  )) {
    const { label, broker: b, lead } = replicas.find((x) => x.log === log)!;
    const r = compactLog(log, nowMs);
    const removed = r.duplicatesRemoved + r.tombstonesRemoved + r.keylessRemoved;
    if (lead && r.cleaned && removed > 0) {
      lines.push(
        `the log cleaner compacted ${label} on broker ${b}: ${r.duplicatesRemoved} superseded record(s) and ${r.tombstonesRemoved} tombstone(s) removed, offsets kept`,
      );
    }
  }
}
