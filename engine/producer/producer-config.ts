/**
 * The producer's configs with Kafka's defaults, the records it sends, the fate of each send
 * ({@link BatchOutcome}) and the events it emits — the shapes ./sender.ts works with.
 *
 * Source: org.apache.kafka.clients.producer.ProducerConfig (defaults; KIP-679 for
 * enable.idempotence / acks=all since 3.0, KIP-580 backoff); RetriableException subclasses.
 */
import { normalizeAcks } from '../replication/replication-types.ts';
import type { Acks, ProduceError } from '../replication/replication-types.ts';
import type { Prng } from '../common/prng.ts';

/** Producer configs (Kafka's names in camelCase with units). Absent = Kafka's default. */
export interface ProducerConfig {
  /** client.id, used in events */
  clientId?: string;
  /** acks; default 'all' (since 3.0, KIP-679; 1 before) */
  acks?: Acks;
  /** enable.idempotence; default true (since 3.0, KIP-679) unless other configs conflict */
  enableIdempotence?: boolean;
  /** retries; default 2147483647 (Integer.MAX_VALUE, since 2.1, KIP-91) */
  retries?: number;
  /** max.in.flight.requests.per.connection; default 5 */
  maxInFlightRequestsPerConnection?: number;
  /** delivery.timeout.ms; default 120000 (KIP-91) */
  deliveryTimeoutMs?: number;
  /** request.timeout.ms; default 30000 */
  requestTimeoutMs?: number;
  /** retry.backoff.ms; default 100 */
  retryBackoffMs?: number;
  /** retry.backoff.max.ms; default 1000 (KIP-580, 3.7) */
  retryBackoffMaxMs?: number;
}

/** The configs after defaults and Kafka's idempotence resolution. */
export interface ResolvedProducerConfig {
  clientId: string;
  acks: 0 | 1 | -1;
  enableIdempotence: boolean;
  retries: number;
  maxInFlightRequestsPerConnection: number;
  deliveryTimeoutMs: number;
  requestTimeoutMs: number;
  retryBackoffMs: number;
  retryBackoffMaxMs: number;
}

/** Kafka's producer defaults (ProducerConfig, 3.7+). */
export const PRODUCER_DEFAULTS = Object.freeze({
  acks: -1 as const,
  enableIdempotence: true,
  retries: 2147483647,
  maxInFlightRequestsPerConnection: 5,
  deliveryTimeoutMs: 120_000,
  requestTimeoutMs: 30_000,
  retryBackoffMs: 100,
  retryBackoffMaxMs: 1_000,
});

/**
 * Apply defaults and Kafka's idempotence rules (ProducerConfig#postProcessAndValidateIdempotenceConfigs):
 * enable.idempotence set to true with acks ≠ all, retries = 0 or max.in.flight > 5 is an error;
 * left unset, idempotence is quietly turned off by such configs.
 * @throws RangeError (Kafka: ConfigException) for conflicting explicit configs or
 *   deliveryTimeoutMs < requestTimeoutMs (linger.ms is 0 here)
 */
export function resolveProducerConfig(config: ProducerConfig = {}): ResolvedProducerConfig {
  const acks = normalizeAcks(config.acks ?? 'all');
  const retries = config.retries ?? PRODUCER_DEFAULTS.retries;
  const maxInFlight = config.maxInFlightRequestsPerConnection ?? PRODUCER_DEFAULTS.maxInFlightRequestsPerConnection;
  if (!Number.isInteger(maxInFlight) || maxInFlight < 1) {
    throw new RangeError(`Expected maxInFlightRequestsPerConnection to be a positive integer, got ${String(maxInFlight)}`);
  }
  if (!Number.isInteger(retries) || retries < 0) {
    throw new RangeError(`Expected retries to be a non-negative integer, got ${String(retries)}`);
  }
  const conflicts: string[] = [];
  if (acks !== -1) conflicts.push('acks must be all');
  if (retries === 0) conflicts.push('retries must be non-zero');
  if (maxInFlight > 5) conflicts.push('maxInFlightRequestsPerConnection must be at most 5');
  let enableIdempotence: boolean;
  if (config.enableIdempotence === true) {
    if (conflicts.length > 0) {
      throw new RangeError(`Expected configs compatible with enableIdempotence=true: ${conflicts.join(', ')}`);
    }
    enableIdempotence = true;
  } else if (config.enableIdempotence === false) {
    enableIdempotence = false;
  } else {
    enableIdempotence = conflicts.length === 0;
  }
  const deliveryTimeoutMs = config.deliveryTimeoutMs ?? PRODUCER_DEFAULTS.deliveryTimeoutMs;
  const requestTimeoutMs = config.requestTimeoutMs ?? PRODUCER_DEFAULTS.requestTimeoutMs;
  if (deliveryTimeoutMs < requestTimeoutMs) {
    throw new RangeError(`Expected deliveryTimeoutMs ≥ lingerMs + requestTimeoutMs (${requestTimeoutMs}), got ${deliveryTimeoutMs}`);
  }
  return {
    clientId: config.clientId ?? 'producer-1',
    acks,
    enableIdempotence,
    retries,
    maxInFlightRequestsPerConnection: maxInFlight,
    deliveryTimeoutMs,
    requestTimeoutMs,
    retryBackoffMs: config.retryBackoffMs ?? PRODUCER_DEFAULTS.retryBackoffMs,
    retryBackoffMaxMs: config.retryBackoffMaxMs ?? PRODUCER_DEFAULTS.retryBackoffMaxMs,
  };
}

/** Errors a producer retries (each is a RetriableException in Kafka). */
export const RETRIABLE: ReadonlySet<string> = new Set<ProduceError>([
  'NOT_ENOUGH_REPLICAS',
  'NOT_ENOUGH_REPLICAS_AFTER_APPEND',
  'REQUEST_TIMED_OUT',
  'NOT_LEADER_OR_FOLLOWER',
  'LEADER_NOT_AVAILABLE',
  'NETWORK_EXCEPTION',
]);

/** A batch's fate, as the application's callback would see it. */
export interface BatchOutcome {
  batchId: number;
  topic: string;
  partition: number;
  key: string | null;
  value: string | null;
  status: 'pending' | 'delivered' | 'failed';
  /** the offset Kafka reported (null for acks=0 or when failed) */
  offset: number | null;
  error: ProduceError | 'DELIVERY_TIMEOUT' | null;
  /** how many times the batch was retried */
  retries: number;
}

/** Events the producer emits (besides the cluster's produce-request / produce-response). */
export type ProducerEvent =
  | {
      type: 'send';
      timeMs: number;
      clientId: string;
      batchId: number;
      topic: string;
      partition: number;
      key: string | null;
      value: string | null;
    }
  | { type: 'connection-broken'; timeMs: number; clientId: string; broker: number; requestId: number }
  | { type: 'response-lost'; timeMs: number; clientId: string; requestId: number; batchId: number }
  | { type: 'request-lost'; timeMs: number; clientId: string; broker: number; batchId: number }
  | { type: 'request-timeout'; timeMs: number; clientId: string; requestId: number; broker: number; failedRequests: number[] }
  | {
      type: 'retry';
      timeMs: number;
      clientId: string;
      batchId: number;
      topic: string;
      partition: number;
      retries: number;
      error: ProduceError;
      nextAttemptMs: number;
    }
  | {
      type: 'delivered';
      timeMs: number;
      clientId: string;
      batchId: number;
      topic: string;
      partition: number;
      offset: number | null;
      duplicate?: boolean;
    }
  | {
      type: 'delivery-failed';
      timeMs: number;
      clientId: string;
      batchId: number;
      topic: string;
      partition: number;
      error: ProduceError | 'DELIVERY_TIMEOUT';
    }
  | { type: 'producer-epoch-bump'; timeMs: number; clientId: string; producerId: number; producerEpoch: number };

/** What to send: a topic, an optional partition, a key and a value. */
export interface ProducerRecord {
  topic: string;
  /** explicit partition; else the key's hash (a keyed record) — keyless records need one here */
  partition?: number;
  key: string | null;
  value: string | null;
  /** CreateTime in ms; default the cluster clock */
  timestamp?: number;
}

/**
 * The network between this producer and the brokers (simulation knobs, not Kafka configs).
 * networkLatencyMs: one-way delay of requests and responses (default 0);
 * responseLossProbability + rng: lose each response with this probability (seeded PRNG).
 */
export interface NetworkModel {
  networkLatencyMs?: number;
  responseLossProbability?: number;
  rng?: Prng;
}
