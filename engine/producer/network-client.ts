/**
 * The producer's connections to the brokers: the requests in flight on each, the answers waiting to
 * be read, network latency, and injected faults (a response that is lost breaks its connection
 * silently). The sender (./sender.ts) decides what to send and what an answer means; this file only
 * carries requests and answers.
 *
 * The rules:
 *   - A request reaches its broker networkLatencyMs after it is sent; its answer is read
 *     networkLatencyMs after the broker made it (a broker going down is heard at once).
 *   - The in-flight limit is counted per broker connection (max.in.flight.requests.per.connection).
 *   - A lost response means the connection broke silently: TCP delivers in order, so every later
 *     answer and request on it is lost too, until the oldest request times out (requestTimeoutMs)
 *     and the client closes the connection; the next request opens a fresh one.
 *
 * Example: loseNextResponses(1), send A then B to broker 0 → A is appended but its answer is lost
 * ("connection-broken", "response-lost"); B never reaches the broker ("request-lost"); after
 * requestTimeoutMs A times out and both fail with NETWORK_EXCEPTION (the sender retries them).
 *
 * Mirrors Kafka's NetworkClient (canSendRequest, handleTimedOutRequests, processDisconnection) and
 * InFlightRequests (the requests sent on a connection and not yet answered).
 */
import type { ClusterEvent } from '../cluster/cluster.ts';
import type { Prng } from '../common/prng.ts';
import type { NetworkModel, ProducerEvent } from './producer-config.ts';
import type { Batch } from './record-accumulator.ts';

/** What a producer hears and emits on the cluster: the cluster's events and its own. */
export type ProducerClusterEvent = ClusterEvent | ProducerEvent;

/** A produce request sent and not answered yet. */
export interface InFlight {
  /** the cluster's request id once the request reached the broker; -1 before */
  requestId: number;
  batch: Batch;
  broker: number;
  sentMs: number;
  /** when the request reaches the broker (sentMs + networkLatencyMs) */
  arriveAtMs: number;
  arrived: boolean;
  deadlineMs: number;
  /** the answer to this request will be lost (fault injection) */
  loseResponse: boolean;
  /** the answer was lost: the client waits for requestTimeoutMs */
  responseLost: boolean;
}

interface Received {
  event: ProducerClusterEvent;
  /** when the client reads it (broker time + networkLatencyMs; at once for a disconnect) */
  readyAtMs: number;
}

/** One producer's connections: requests in flight, answers to read, broken connections. */
export class NetworkClient {
  /** requests awaiting an answer, in send order */
  readonly inFlight: InFlight[] = [];
  private readonly inbox: Received[] = [];
  private loseResponses = 0;
  /** brokers whose connection broke silently: answers and requests on it vanish until the client reconnects */
  private readonly broken = new Set<number>();
  private readonly network: Required<Pick<NetworkModel, 'networkLatencyMs' | 'responseLossProbability'>> & { rng?: Prng };

  /**
   * @param network latency and random response loss; default: no latency, no loss
   * @param clientId the producer's client.id, named in the events this client emits
   * @throws RangeError for a loss probability without an rng, or a negative latency
   */
  constructor(
    network: NetworkModel,
    private readonly clientId: string,
  ) {
    const latency = network.networkLatencyMs ?? 0;
    const loss = network.responseLossProbability ?? 0;
    if (!(latency >= 0)) throw new RangeError(`Expected networkLatencyMs ≥ 0, got ${String(latency)}`);
    if (loss > 0 && !network.rng) throw new RangeError('Expected an rng with responseLossProbability > 0, got none');
    this.network = { networkLatencyMs: latency, responseLossProbability: loss, rng: network.rng };
  }

  /** Lose the responses to the next `count` requests sent (they still take effect on the broker). */
  loseNextResponses(count: number): void {
    this.loseResponses += count;
  }

  /** Requests awaiting an answer on the connection to `broker`. */
  inFlightTo(broker: number): number {
    return this.inFlight.filter((f) => f.broker === broker).length;
  }

  /** A cluster event reaches the client: an answer to one of its requests, or a broker going down. */
  hear(event: ProducerClusterEvent, nowMs: number): void {
    if (this.inbox.some((r) => r.event === event)) return; // an answer this producer made up itself (NOT_LEADER_OR_FOLLOWER)
    if (event.type === 'produce-response' && this.inFlight.some((f) => f.requestId === event.requestId && !f.responseLost)) {
      this.inbox.push({ event, readyAtMs: nowMs + this.network.networkLatencyMs });
    } else if (event.type === 'broker-down') {
      this.broken.delete(event.broker); // the connection is gone either way; the next one is fresh
      if (this.inFlight.some((f) => f.broker === event.broker)) this.inbox.push({ event, readyAtMs: nowMs });
    }
  }

  /** Tell `consider` every time something happens on the connections: answers, arrivals, request timeouts. */
  considerDeadlines(consider: (t: number) => void): void {
    for (const r of this.inbox) consider(r.readyAtMs);
    for (const f of this.inFlight) {
      consider(f.deadlineMs);
      if (!f.arrived) consider(f.arriveAtMs);
    }
  }

  /** Requests that reach their broker by `nowMs` and have not yet, in send order. */
  arriving(nowMs: number): InFlight[] {
    return this.inFlight.filter((x) => !x.arrived && x.arriveAtMs <= nowMs);
  }

  /** The first answer the client can read at `nowMs` (taken out of the inbox), or null. */
  takeAnswer(nowMs: number): ProducerClusterEvent | null {
    const i = this.inbox.findIndex((r) => r.readyAtMs <= nowMs);
    return i < 0 ? null : this.inbox.splice(i, 1)[0].event;
  }

  /** Whether an answer can be read at `nowMs`. */
  hasAnswer(nowMs: number): boolean {
    return this.inbox.some((r) => r.readyAtMs <= nowMs);
  }

  /** The first request without an answer after requestTimeoutMs, if any. */
  firstTimedOut(nowMs: number): InFlight | undefined {
    return this.inFlight.find((f) => f.deadlineMs <= nowMs);
  }

  /** Send a batch's request to `broker` (whether its answer will be lost is decided now). */
  open(batch: Batch, broker: number, nowMs: number, requestTimeoutMs: number): InFlight {
    let lose = false;
    if (this.loseResponses > 0) {
      this.loseResponses -= 1;
      lose = true;
    } else if (this.network.responseLossProbability > 0 && this.network.rng!.nextFloat() < this.network.responseLossProbability) {
      lose = true;
    }
    const flight: InFlight = {
      requestId: -1,
      batch,
      broker,
      sentMs: nowMs,
      arriveAtMs: nowMs + this.network.networkLatencyMs,
      arrived: false,
      deadlineMs: nowMs + requestTimeoutMs,
      loseResponse: lose,
      responseLost: false,
    };
    this.inFlight.push(flight);
    return flight;
  }

  /** A request reaching a silently broken connection never reaches the broker: the event, or null when the connection is fine. */
  lostOnBrokenConnection(flight: InFlight, nowMs: number): ProducerClusterEvent | null {
    if (!this.broken.has(flight.broker)) return null;
    flight.responseLost = true;
    return { type: 'request-lost', timeMs: nowMs, clientId: this.clientId, broker: flight.broker, batchId: flight.batch.batchId };
  }

  /** An answer the client makes up itself (a broker that no longer leads answers NOT_LEADER_OR_FOLLOWER). */
  answerLocally(event: ProducerClusterEvent, nowMs: number): void {
    this.inbox.push({ event, readyAtMs: nowMs + this.network.networkLatencyMs });
  }

  /**
   * The request an answer belongs to, taken out of flight: `{ flight }`; `{ lost }` with the events
   * when the answer is lost (the connection breaks silently and the request stays in flight until
   * requestTimeoutMs); null for a late answer on a closed connection.
   */
  answerFor(requestId: number, nowMs: number): { flight: InFlight } | { lost: ProducerClusterEvent[] } | null {
    const flight = this.inFlight.find((f) => f.requestId === requestId && !f.responseLost);
    if (!flight) return null;
    if (flight.loseResponse || this.broken.has(flight.broker)) {
      // TCP delivers in order, so every later answer on it is lost too
      const events: ProducerClusterEvent[] = [];
      if (!this.broken.has(flight.broker)) {
        this.broken.add(flight.broker);
        events.push({ type: 'connection-broken', timeMs: nowMs, clientId: this.clientId, broker: flight.broker, requestId });
      }
      flight.responseLost = true;
      events.push({ type: 'response-lost', timeMs: nowMs, clientId: this.clientId, requestId, batchId: flight.batch.batchId });
      return { lost: events };
    }
    this.removeInFlight(requestId);
    return { flight };
  }

  /** Take a request out of flight by request id. */
  removeInFlight(requestId: number): InFlight | undefined {
    const i = this.inFlight.findIndex((f) => f.requestId === requestId);
    if (i < 0) return undefined;
    return this.inFlight.splice(i, 1)[0];
  }

  /** Take a request out of flight. */
  remove(flight: InFlight): void {
    this.inFlight.splice(this.inFlight.indexOf(flight), 1);
  }

  /**
   * Close the connection to `broker` (the next request opens a fresh one).
   * @returns the requests in flight on it, in send order, still in flight (the caller fails them)
   */
  closeConnection(broker: number): InFlight[] {
    this.broken.delete(broker);
    return this.inFlight.filter((f) => f.broker === broker);
  }
}
