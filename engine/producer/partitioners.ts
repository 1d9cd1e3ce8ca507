/**
 * Which partition a producer sends each record to: explicit partition, then key hash, then keyless.
 *
 * The rule, per record (Kafka's KafkaProducer.partition + RecordAccumulator.append):
 *   1. record.partition set       → that partition.
 *   2. key ≠ null                 → toPositive(murmur2(utf8(key))) % numPartitions (unless partitionerIgnoreKeys).
 *   3. key = null, by partitioner:
 *      - "built-in" (Kafka ≥ 3.3, KIP-794, the default): stick to one partition; after each append add the bytes
 *        appended to it; switch (to a uniformly random partition, possibly the same) once ≥ batchSize bytes went
 *        there AND its last batch is full, or unconditionally once ≥ 2 × batchSize bytes went there.
 *      - "sticky" (Kafka 2.4–3.2, KIP-480, DefaultPartitioner/UniformStickyPartitioner): stick to one partition
 *        until a record needs a new batch there (the batch is full, or was sent after linger.ms); then switch to a
 *        random *different* partition and put the record there.
 *      - "round-robin" (RoundRobinPartitioner): every record, keyed or not, to the next partition in turn.
 *   Batches: a partition's open batch takes a record while it has room (the first record always fits; a batch
 *   is full at batchSize bytes, counting the 61-byte batch header). The sender is modelled as draining, at the end
 *   of each millisecond, every batch that is full or that has waited lingerMs: a record stamped t joins an
 *   open batch created at c only if t ≤ c + lingerMs.
 *
 * Example ("sticky", batchSize 200, lingerMs 0, keyless records of 50 B, 3 partitions, all at t = 0):
 *   the first batch holds 61 + 2 × 50 = 161 B (a third record would make 211 > 200), so records r0, r1 → p2;
 *   r2 needs a new batch → switch to a random other partition, e.g. p0: r2, r3 → p0; r4 → p1 or p2; …
 *
 * Caveats:
 * - All partitions are assumed available (have a leader). Adaptive partitioning (KIP-794's
 *   partitioner.adaptive.partitioning.enable, weighting by broker queue sizes) is not modelled: the built-in
 *   partitioner here always switches uniformly at random, as Kafka does when it has no load stats.
 * - Random choices use the Prng passed in, so runs are reproducible but never equal to a real producer's.
 * - Round robin and KAFKA-9965: a custom partitioner is asked again when its choice needs a new batch
 *   (KafkaProducer's abortOnNewBatch), so RoundRobinPartitioner's counter moved twice and skipped partitions;
 *   with lingerMs 0 and an even partition count it used only half of them (KAFKA-16283). Fixed by KAFKA-17632
 *   (apache/kafka PR #17620, in 3.9.2 and 4.0.0). `roundRobinSkipsOnNewBatch: true` reproduces the old behaviour;
 *   the default is the fixed one.
 * - Record sizes are {@link recordSizeBytes} (zero timestamp/offset deltas), so batches hold slightly more
 *   records than Kafka's; max.in.flight back-pressure and buffer.memory are not modelled.
 *
 * Source: org.apache.kafka.clients.producer.internals.BuiltInPartitioner (updatePartitionInfo, nextPartition),
 * RecordAccumulator (append, tryAppend, allBatchesFull), ProducerBatch/MemoryRecordsBuilder (hasRoomFor, isFull),
 * StickyPartitionCache (nextPartition), RoundRobinPartitioner; KIP-480, KIP-794; KIP-1030 (linger.ms 0 → 5 in 4.0).
 */
import { partitionForKey, utf8 } from './partition-for-key.ts';
import type { Prng } from '../common/prng.ts';
import { recordSizeBytes } from '../common/record.ts';
import type { RecordHeader } from '../common/record.ts';

/** The partitioner strategies modelled. */
export type PartitionerKind = 'built-in' | 'sticky' | 'round-robin';

export interface PartitionerConfig {
  /** which strategy; default "built-in" (Kafka ≥ 3.3 with partitioner.class unset) */
  partitioner: PartitionerKind;
  /** batch.size: bytes per batch, and the sticky switch threshold of the built-in partitioner. Default 16384. */
  batchSize: number;
  /** linger.ms: how long a batch waits for more records. Default 5 (Kafka ≥ 4.0, KIP-1030; it was 0 before). */
  lingerMs: number;
  /** partitioner.ignore.keys (KIP-794, built-in only): treat keyed records as keyless. Default false. */
  partitionerIgnoreKeys: boolean;
  /** reproduce KAFKA-9965 in RoundRobinPartitioner (Kafka 2.4 – 3.9.1). Default false (fixed, 3.9.2 / 4.0.0). */
  roundRobinSkipsOnNewBatch: boolean;
}

/** Kafka's producer defaults for {@link PartitionerConfig} (ProducerConfig docs, Kafka 4.x). */
export const DEFAULT_PARTITIONER_CONFIG: Readonly<PartitionerConfig> = Object.freeze({
  partitioner: 'built-in',
  batchSize: 16384,
  lingerMs: 5,
  partitionerIgnoreKeys: false,
  roundRobinSkipsOnNewBatch: false,
});

/** A record handed to the producer's send(); `timestamp` is also the send time on the simulated clock. */
export interface ProducerSend {
  key: string | null;
  value: string | null;
  /** ms on the simulated clock; must not go backwards between sends */
  timestamp: number;
  /** an explicit partition, or null/undefined to let the partitioner choose */
  partition?: number | null;
  headers?: RecordHeader[];
}

/** Where one record went and why. */
export interface PartitionDecision {
  partition: number;
  /** which rule chose it */
  via: 'explicit' | 'key' | 'sticky' | 'round-robin';
  /** the record opened a new batch in that partition */
  newBatch: boolean;
  /** bytes this record added to its batch (its size, plus the 61-byte header when it opened the batch) */
  appendedBytes: number;
}

const BATCH_HEADER_BYTES = 61; // DefaultRecordBatch.RECORD_BATCH_OVERHEAD

interface OpenBatch {
  createdMs: number;
  bytes: number;
  records: number;
  /** closed for appends (a record did not fit); it will be sent */
  closed: boolean;
}

function checkCount(name: string, n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`Expected ${name} to be a positive integer, got ${String(n)}`);
}

/**
 * A producer's partitioner for one topic, with the record accumulator's batches it needs to decide.
 * Deterministic: every random choice comes from the Prng passed in.
 *
 * @example
 *   const p = new ProducerPartitioner(6, createPrng(1), { partitioner: 'sticky', lingerMs: 0 });
 *   p.send({ key: 'order-42', value: 'created', timestamp: 0 }); // → { partition: toPositive(murmur2) % 6, via: 'key', … }
 */
export class ProducerPartitioner {
  readonly config: PartitionerConfig;
  private n: number;
  private readonly prng: Prng;
  private batches = new Map<number, OpenBatch>();
  private sticky: number | null = null;
  private stickyProducedBytes = 0;
  private rrCounter = 0;
  private lastSendMs = Number.NEGATIVE_INFINITY;

  /**
   * @param numPartitions the topic's partition count, a positive integer
   * @param prng the source of every random choice
   * @param config overrides of Kafka's producer defaults
   * @throws RangeError for a non-positive partition count, batchSize < 1 or a negative lingerMs
   */
  constructor(numPartitions: number, prng: Prng, config: Partial<PartitionerConfig> = {}) {
    checkCount('numPartitions', numPartitions);
    this.config = { ...DEFAULT_PARTITIONER_CONFIG, ...config };
    checkCount('batchSize', this.config.batchSize);
    if (!Number.isInteger(this.config.lingerMs) || this.config.lingerMs < 0) {
      throw new RangeError(`Expected lingerMs to be an integer ≥ 0, got ${String(this.config.lingerMs)}`);
    }
    if (!['built-in', 'sticky', 'round-robin'].includes(this.config.partitioner)) {
      throw new RangeError(`Expected partitioner to be "built-in", "sticky" or "round-robin", got ${String(this.config.partitioner)}`);
    }
    this.n = numPartitions;
    this.prng = prng;
  }

  /** The partition count the producer currently knows (its metadata). */
  get numPartitions(): number {
    return this.n;
  }

  /** The current sticky partition for keyless records (null before the first keyless record, and for round robin). */
  get stickyPartition(): number | null {
    return this.sticky;
  }

  /**
   * A metadata refresh after partitions were added. Keyed records map with the new count from now on
   * (see {@link keysThatMove}); the sticky partition is kept.
   * @throws RangeError when numPartitions is not a positive integer or is smaller than before (Kafka cannot shrink a topic)
   */
  setNumPartitions(numPartitions: number): void {
    checkCount('numPartitions', numPartitions);
    if (numPartitions < this.n) {
      throw new RangeError(`Expected numPartitions ≥ ${this.n} (Kafka never removes partitions), got ${numPartitions}`);
    }
    this.n = numPartitions;
  }

  /** Close and send every open batch (producer.flush()). The next record to any partition opens a new batch. */
  flush(): void {
    this.batches.clear();
  }

  /**
   * Choose the partition for one record and add it to that partition's batch.
   * @returns the partition, the rule used, whether it opened a batch, and the bytes it added
   * @throws RangeError when an explicit partition is outside [0, numPartitions) (Kafka: "Invalid partition given
   *   with record"), or the timestamp goes back in time
   */
  send(record: ProducerSend): PartitionDecision {
    const now = record.timestamp;
    if (!Number.isSafeInteger(now)) throw new RangeError(`Expected timestamp to be an integer (ms), got ${String(now)}`);
    if (now < this.lastSendMs) {
      throw new RangeError(`Expected send times not to go backwards: got ${now} after ${this.lastSendMs}`);
    }
    this.lastSendMs = now;
    this.drain(now);
    const size = recordSizeBytes(record);

    if (record.partition !== null && record.partition !== undefined) {
      const p = record.partition;
      if (!Number.isInteger(p) || p < 0 || p >= this.n) {
        throw new RangeError(`Invalid partition given with record: ${String(p)} is not in the range [0...${this.n})`);
      }
      return this.appendFixed(p, size, now, 'explicit');
    }

    const { partitioner, partitionerIgnoreKeys } = this.config;
    if (partitioner === 'round-robin') return this.appendRoundRobin(size, now);
    if (record.key !== null && !(partitioner === 'built-in' && partitionerIgnoreKeys)) {
      return this.appendFixed(partitionForKey(utf8(record.key), this.n), size, now, 'key');
    }
    return partitioner === 'built-in' ? this.appendBuiltIn(size, now) : this.appendSticky(size, now);
  }

  /** Sender: at the end of each ms, batches that are closed or have lingered lingerMs are sent. */
  private drain(now: number): void {
    for (const [p, b] of this.batches) {
      if (b.closed || now > b.createdMs + this.config.lingerMs) this.batches.delete(p);
    }
  }

  /**
   * MemoryRecordsBuilder.hasRoomFor: not full; the first record always fits; else bytes + size ≤ batchSize.
   * Like RecordAccumulator.tryAppend, a batch that cannot take the record is closed for appends.
   */
  private hasRoom(p: number, size: number): boolean {
    const b = this.batches.get(p);
    if (!b || b.closed) return false;
    const room = b.records === 0 || (b.bytes < this.config.batchSize && b.bytes + size <= this.config.batchSize);
    if (!room) b.closed = true;
    return room;
  }

  /** Append to p: to its open batch if it has room, else close that batch and open a new one. */
  private append(p: number, size: number, now: number): { newBatch: boolean; appendedBytes: number } {
    if (this.hasRoom(p, size)) {
      const b = this.batches.get(p)!;
      b.bytes += size;
      b.records += 1;
      return { newBatch: false, appendedBytes: size };
    }
    this.batches.set(p, { createdMs: now, bytes: BATCH_HEADER_BYTES + size, records: 1, closed: false });
    return { newBatch: true, appendedBytes: BATCH_HEADER_BYTES + size };
  }

  /** RecordAccumulator.allBatchesFull: only the last batch can be incomplete. */
  private lastBatchFull(p: number): boolean {
    const b = this.batches.get(p);
    return !b || b.closed || (b.records > 0 && b.bytes >= this.config.batchSize);
  }

  private appendFixed(p: number, size: number, now: number, via: 'explicit' | 'key'): PartitionDecision {
    // KIP-480 producers (partitioner "sticky") abort on a new batch and tell the partitioner first:
    // StickyPartitionCache.nextPartition switches the sticky partition only if it is this partition.
    if (this.config.partitioner === 'sticky' && !this.hasRoom(p, size) && this.sticky === p) {
      this.sticky = this.randomOtherPartition(p);
    }
    const r = this.append(p, size, now);
    return { partition: p, via, ...r };
  }

  /** KIP-794: BuiltInPartitioner.peekCurrentPartitionInfo → append → updatePartitionInfo. */
  private appendBuiltIn(size: number, now: number): PartitionDecision {
    if (this.sticky === null || this.sticky >= this.n) this.switchBuiltIn();
    const p = this.sticky!;
    const r = this.append(p, size, now);
    this.stickyProducedBytes += r.appendedBytes;
    const batchSize = this.config.batchSize;
    const enableSwitch = this.lastBatchFull(p);
    if ((this.stickyProducedBytes >= batchSize && enableSwitch) || this.stickyProducedBytes >= 2 * batchSize) {
      this.switchBuiltIn();
    }
    return { partition: p, via: 'sticky', ...r };
  }

  /** BuiltInPartitioner.nextPartition without load stats: uniform over all partitions (may repeat). */
  private switchBuiltIn(): void {
    this.sticky = this.prng.nextInt(this.n);
    this.stickyProducedBytes = 0;
  }

  /** KIP-480: stay until the record would need a new batch on the sticky partition, then switch. */
  private appendSticky(size: number, now: number): PartitionDecision {
    if (this.sticky === null || this.sticky >= this.n) this.sticky = this.prng.nextInt(this.n);
    if (!this.hasRoom(this.sticky, size)) this.sticky = this.randomOtherPartition(this.sticky); // onNewBatch
    const p = this.sticky;
    const r = this.append(p, size, now);
    return { partition: p, via: 'sticky', ...r };
  }

  /** StickyPartitionCache.nextPartition: a random partition different from `old` (when there are ≥ 2). */
  private randomOtherPartition(old: number): number {
    if (this.n === 1) return 0;
    // uniform over the n − 1 others: draw from [0, n−1) and skip over `old`
    const r = this.prng.nextInt(this.n - 1);
    return r >= old ? r + 1 : r;
  }

  /** RoundRobinPartitioner: counter per topic; with the KAFKA-9965 quirk the counter moves again on a new batch. */
  private appendRoundRobin(size: number, now: number): PartitionDecision {
    let p = this.rrCounter++ % this.n;
    if (this.config.roundRobinSkipsOnNewBatch && !this.hasRoom(p, size)) {
      // abortOnNewBatch: onNewBatch (a no-op before KAFKA-17632), then partition() is called again
      p = this.rrCounter++ % this.n;
    }
    const r = this.append(p, size, now);
    return { partition: p, via: 'round-robin', ...r };
  }
}

/** One key whose partition changes when a topic grows. */
export interface KeyMove<K> {
  key: K;
  /** partition with the old count */
  from: number;
  /** partition with the new count */
  to: number;
}

/**
 * Which keys land on a different partition after a topic goes from `fromPartitions` to `toPartitions`
 * partitions (Kafka's default key mapping, toPositive(murmur2(key)) % n).
 *
 * Example: 6 → 12 partitions: a key moves exactly when its hash mod 12 ≥ 6 (h mod 12 is h mod 6 or h mod 6 + 6),
 * so about half of all keys move, each from p to p + 6.
 *
 * Note on ordering: Kafka keeps order per partition, not per key. After the change, new records of a moved key go
 * to `to` while its older records still sit in `from`; a consumer of `to` can process the new ones before the
 * consumer of `from` reaches the old ones, so per-key order is lost across the change (unless producers pause
 * until `from` is fully consumed). Keys that do not move keep their order.
 *
 * @param keys string keys (hashed as UTF-8, like StringSerializer) or already-serialised key bytes
 * @param fromPartitions the old partition count, a positive integer
 * @param toPartitions the new partition count, a positive integer
 * @returns the moving keys in input order, each with its old and new partition; duplicates are reported once each time they appear
 * @throws RangeError when a partition count is not a positive integer; TypeError for a key that is neither
 * Source: BuiltInPartitioner.partitionForKey; Kafka docs, "Modifying topics" (adding partitions does not move existing data).
 */
export function keysThatMove(keys: readonly string[], fromPartitions: number, toPartitions: number): KeyMove<string>[];
export function keysThatMove(keys: readonly Uint8Array[], fromPartitions: number, toPartitions: number): KeyMove<Uint8Array>[];
export function keysThatMove<K extends string | Uint8Array>(
  keys: readonly K[],
  fromPartitions: number,
  toPartitions: number,
): KeyMove<K>[] {
  checkCount('fromPartitions', fromPartitions);
  checkCount('toPartitions', toPartitions);
  const moves: KeyMove<K>[] = [];
  for (const key of keys) {
    if (typeof key !== 'string' && !(key instanceof Uint8Array)) {
      throw new TypeError(`Expected each key to be a string or a Uint8Array, got ${key === null ? 'null' : typeof key}`);
    }
    const bytes: Uint8Array = typeof key === 'string' ? utf8(key) : (key as Uint8Array);
    const from = partitionForKey(bytes, fromPartitions);
    const to = partitionForKey(bytes, toPartitions);
    if (from !== to) moves.push({ key, from, to });
  }
  return moves;
}
