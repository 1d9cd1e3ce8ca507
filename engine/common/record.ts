/**
 * Shared record types: the TopicPartition, the record a producer sends, and the record a log stores,
 * with their UTF-8 sizes. How a TopicPartition is written (`t0p1`, `orders-3`) is in ./notation.ts.
 *
 * Shapes are plain JSON-serialisable data so a trace can carry them byte-identically.
 * Keys and values are strings standing for their UTF-8 serialisation (Kafka's StringSerializer);
 * hashing and size estimates use those UTF-8 bytes (`utf8(key)`), so a string key lands on the same
 * partition as in Kafka's Java client. `null` is kept distinct from `""`: a null key means "keyless"
 * (sticky / round-robin partitioning) and a null value is a tombstone (compaction deletes the key).
 *
 * Example: `{ key: 'order-42', value: 'created', timestamp: 1_000 }` sent to t0p1 is stored as
 * `{ offset: 7, key: 'order-42', value: 'created', timestamp: 1_000 }` when t0p1's logEndOffset was 7.
 *
 * Note: we say `KafkaRecord`, not `Record`, so importing it never shadows TypeScript's `Record<K, V>`.
 *
 * Source: org.apache.kafka.common.TopicPartition; org.apache.kafka.common.record.Record (v2 format);
 * org.apache.kafka.common.header.Header.
 */

/** A topic and a partition number: Kafka's `TopicPartition`. Written `t0p1` in lessons and tests. */
export interface TopicPartition {
  topic: string;
  /** a non-negative integer */
  partition: number;
}

/** A record header: Kafka allows repeated keys and keeps their order. */
export interface RecordHeader {
  key: string;
  value: string | null;
}

/** A record as a producer hands it over (after serialisation), before the log assigns an offset. */
export interface KafkaRecord {
  /** UTF-8 string key; null = keyless record */
  key: string | null;
  /** UTF-8 string value; null = tombstone (deletes the key under cleanup.policy=compact) */
  value: string | null;
  /** the record's timestamp, in ms on the simulated clock (CreateTime, or LogAppendTime if the broker stamps it) */
  timestamp: number;
  headers?: RecordHeader[];
}

/**
 * A record as a partition's log stores it. The optional fields are filled by the layers that know
 * them (replication: `leaderEpoch`; idempotent producer: `producerId`, `producerEpoch`, `sequence`);
 * the log keeps them untouched.
 */
export interface LogRecord extends KafkaRecord {
  /** the record's position in its partition: unique, increasing, never reused (compaction leaves gaps) */
  offset: number;
  /** the leader epoch in which the leader appended this record (Kafka's partitionLeaderEpoch) */
  leaderEpoch?: number;
  producerId?: number;
  producerEpoch?: number;
  sequence?: number;
  /** on a tombstone: when the log cleaner may drop it, in ms (KIP-534; Kafka keeps it in the batch header) */
  deleteHorizonMs?: number;
  /** written by a transactional producer inside a transaction (the batch's isTransactional bit, KIP-98) */
  isTransactional?: boolean;
  /**
   * A control record (a transaction marker written by the transaction coordinator): COMMIT or ABORT
   * ends `producerId`'s open transaction on this partition. It occupies an offset but no consumer
   * application ever sees it (Kafka's ControlRecordType; the batch's isControlBatch bit).
   */
  controlType?: 'COMMIT' | 'ABORT';
}

const ASCII = /^[\x00-\x7f]*$/;

/** The UTF-8 length of a string, without allocating (lone surrogates count 3 bytes, as U+FFFD). */
export function utf8Length(s: string): number {
  if (ASCII.test(s)) return s.length; // fast path: one byte per char
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 4; // a surrogate pair is one code point ≥ U+10000
        i++;
      } else n += 3;
    } else n += 3;
  }
  return n;
}

/** Bytes of a zigzag varint, as Kafka's ByteUtils.sizeOfVarint. */
function sizeOfVarint(value: number): number {
  let v = ((value << 1) ^ (value >> 31)) >>> 0; // zigzag
  let bytes = 1;
  while (v >= 0x80) {
    v >>>= 7;
    bytes++;
  }
  return bytes;
}

/**
 * A record's size in bytes in Kafka's v2 format (DefaultRecord.sizeInBytes), counted as if the record
 * sat alone in its batch (timestamp delta and offset delta 0, one byte each). The log and the
 * producer's batch.size accounting both use it.
 *
 * The rule: length varint + attributes (1) + timestampDelta (1) + offsetDelta (1)
 *   + keyLength varint + key bytes + valueLength varint + value bytes
 *   + header count varint + per header (keyLength varint + key + valueLength varint + value).
 * A null key or value has length -1 (one varint byte, no body).
 *
 * Example: key "k1", value "hello", no headers → body 1+1+1 + 1+2 + 1+5 + 1 = 13, plus 1 length byte = 14.
 *
 * Note: a real batch also has a 61-byte header (DefaultRecordBatch.RECORD_BATCH_OVERHEAD) and
 * larger deltas for later records; we leave both out, so sizes are a slight underestimate.
 * Source: org.apache.kafka.common.record.DefaultRecord#sizeInBytes.
 */
export function recordSizeBytes(record: Pick<KafkaRecord, 'key' | 'value' | 'headers'>): number {
  const keyBytes = record.key === null ? 0 : utf8Length(record.key);
  const valueBytes = record.value === null ? 0 : utf8Length(record.value);
  let body = 3; // attributes + timestampDelta + offsetDelta
  body += sizeOfVarint(record.key === null ? -1 : keyBytes) + keyBytes;
  body += sizeOfVarint(record.value === null ? -1 : valueBytes) + valueBytes;
  const headers = record.headers ?? [];
  body += sizeOfVarint(headers.length);
  for (const h of headers) {
    const hk = utf8Length(h.key);
    const hv = h.value === null ? 0 : utf8Length(h.value);
    body += sizeOfVarint(hk) + hk + sizeOfVarint(h.value === null ? -1 : hv) + hv;
  }
  return sizeOfVarint(body) + body;
}
