/**
 * The log operations replication needs from one replica's copy of a partition.
 *
 * The rule: a leader appends and assigns offsets (logEndOffset, logEndOffset + 1, …); a follower
 * appends records with the offsets the leader gave them; both read ranges by offset and truncate
 * from the end; a follower whose fetch offset fell below the leader's logStartOffset starts over.
 *
 * Example: a leader log with logEndOffset 3 appends [a, b] → offsets 3, 4, logEndOffset 5;
 * truncateTo(4) leaves offsets 0..3 and logEndOffset 4.
 *
 * Note: this is a thin interface so replication does not depend on a log's storage details.
 * Source: kafka.log.UnifiedLog (appendAsLeader, appendAsFollower, read, truncateTo,
 * truncateFullyAndStartAt).
 */
import type { LogRecord } from './record.ts';

/** One replica's log, as replication uses it. */
export interface ReplicaLog {
  readonly logStartOffset: number;
  readonly logEndOffset: number;
  /** append and assign offsets from logEndOffset; @returns the stored records */
  appendAsLeader(records: Omit<LogRecord, 'offset'>[]): LogRecord[];
  /** append records that already carry offsets ≥ logEndOffset (a follower copying its leader) */
  appendAsFollower(records: LogRecord[]): void;
  /** records with fromOffset ≤ offset < toOffset, in offset order */
  read(fromOffset: number, toOffset: number): LogRecord[];
  /** remove every record with offset ≥ offset; logEndOffset becomes `offset` (if lower) */
  truncateTo(offset: number): void;
  /** empty the log and set logStartOffset = logEndOffset = offset */
  truncateFullyAndStartAt(offset: number): void;
}

/** A plain in-memory {@link ReplicaLog}: an array of records, offsets contiguous unless compacted. */
export function createReplicaLog(): ReplicaLog {
  let records: LogRecord[] = [];
  let logStartOffset = 0;
  let logEndOffset = 0;
  const indexOf = (offset: number): number => {
    // first index with record.offset ≥ offset (binary search; offsets increase)
    let lo = 0;
    let hi = records.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (records[mid].offset < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return {
    get logStartOffset() {
      return logStartOffset;
    },
    get logEndOffset() {
      return logEndOffset;
    },
    appendAsLeader(batch) {
      const out = batch.map((r) => ({ ...r, offset: logEndOffset++ }) as LogRecord);
      for (const r of out) records.push(r);
      return out;
    },
    appendAsFollower(batch) {
      for (const r of batch) {
        if (r.offset < logEndOffset) {
          throw new RangeError(`Expected follower records at offset ≥ ${logEndOffset}, got ${r.offset}`);
        }
        records.push({ ...r });
        logEndOffset = r.offset + 1;
      }
    },
    read(fromOffset, toOffset) {
      const out: LogRecord[] = [];
      for (let i = indexOf(fromOffset); i < records.length && records[i].offset < toOffset; i++) out.push(records[i]);
      return out;
    },
    truncateTo(offset) {
      if (offset >= logEndOffset) return;
      records = records.slice(0, indexOf(offset));
      logEndOffset = Math.max(offset, logStartOffset);
    },
    truncateFullyAndStartAt(offset) {
      records = [];
      logStartOffset = offset;
      logEndOffset = offset;
    },
  };
}
