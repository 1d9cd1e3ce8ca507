import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Cluster } from '../cluster/cluster.ts';
import { Producer } from './sender.ts';
import { resolveProducerConfig, PRODUCER_DEFAULTS } from './producer-config.ts';
import type { ProducerConfig, ProducerEvent } from './producer-config.ts';
import { createPrng } from '../common/prng.ts';

const t0p0 = { topic: 't0', partition: 0 };
const committed = (c: Cluster<ProducerEvent>) => c.readCommitted(t0p0).map((r) => r.value);

/** brokers [0..n-1], t0 with one partition on [0..rf-1]; followers fetch every fetchMs if given. */
function cluster(n: number, rf: number, options: { minInsyncReplicas?: number; fetchMs?: number; kafkaVersion?: '3.6' } = {}) {
  const c = new Cluster<ProducerEvent>({
    brokers: Array.from({ length: n }, (_, i) => i),
    minInsyncReplicas: options.minInsyncReplicas,
    kafkaVersion: options.kafkaVersion,
    replicaFetchIntervalMs: options.fetchMs ?? null,
  });
  c.createTopic({ name: 't0', partitions: 1, replicaAssignment: { 0: Array.from({ length: rf }, (_, i) => i) } });
  return c;
}

describe('resolveProducerConfig (ProducerConfig defaults, KIP-679)', () => {
  it('no configs: acks=all, idempotence on, retries MAX_INT, 5 in flight, 120000 / 30000 ms timeouts', () => {
    expect(resolveProducerConfig()).toEqual({ clientId: 'producer-1', ...PRODUCER_DEFAULTS });
    expect(PRODUCER_DEFAULTS).toMatchObject({ retries: 2147483647, maxInFlightRequestsPerConnection: 5, deliveryTimeoutMs: 120_000 });
  });

  it('acks=1 without enable.idempotence: idempotence is quietly off', () => {
    expect(resolveProducerConfig({ acks: 1 }).enableIdempotence).toBe(false);
    expect(resolveProducerConfig({ maxInFlightRequestsPerConnection: 6 }).enableIdempotence).toBe(false);
    expect(resolveProducerConfig({ retries: 0 }).enableIdempotence).toBe(false);
  });

  it('enable.idempotence=true with acks=1, retries=0 or 6 in flight: a config error naming the conflict', () => {
    expect(() => resolveProducerConfig({ enableIdempotence: true, acks: 1 })).toThrow(/acks must be all/);
    expect(() => resolveProducerConfig({ enableIdempotence: true, retries: 0 })).toThrow(/retries must be non-zero/);
    expect(() => resolveProducerConfig({ enableIdempotence: true, maxInFlightRequestsPerConnection: 6 })).toThrow(/at most 5/);
  });

  it('delivery.timeout.ms below request.timeout.ms is rejected', () => {
    expect(() => resolveProducerConfig({ deliveryTimeoutMs: 1000 })).toThrow(/deliveryTimeoutMs/);
  });
});

describe('lost responses and retries', () => {
  const story = (config: ProducerConfig) => {
    const c = cluster(3, 3, { fetchMs: 10 });
    const p = new Producer(c, config);
    p.loseNextResponses(1);
    const events = [
      ...p.send({ topic: 't0', partition: 0, key: 'k', value: 'v1' }).events,
      ...c.advanceTime(50), // v1 is appended and committed; its answer is lost
      ...p.send({ topic: 't0', partition: 0, key: 'k', value: 'v2' }).events,
      ...c.advanceTime(40_000), // at 30000 ms v1's request times out; both are sent again
    ];
    return { c, p, events };
  };

  it('lost response, no idempotence: the retry writes v1 a second time', () => {
    const { c, p, events } = story({ enableIdempotence: false });
    expect(events.find((e) => e.type === 'request-lost')).toMatchObject({ timeMs: 50 }); // v2, on the broken connection
    expect(events.find((e) => e.type === 'request-timeout')).toMatchObject({ timeMs: 30_000 });
    expect(committed(c)).toEqual(['v1', 'v1', 'v2']);
    expect(p.outcomes().map((o) => [o.value, o.status, o.offset, o.retries])).toEqual([
      ['v1', 'delivered', 1, 1],
      ['v2', 'delivered', 2, 1],
    ]);
  });

  it('lost response, idempotence: the broker recognises sequence 0 and answers with offset 0; one copy', () => {
    const { c, p, events } = story({});
    expect(events.find((e) => e.type === 'produce-response' && e.duplicate)).toMatchObject({ baseOffset: 0 });
    expect(committed(c)).toEqual(['v1', 'v2']);
    expect(p.outcomes().map((o) => [o.value, o.status, o.offset])).toEqual([
      ['v1', 'delivered', 0],
      ['v2', 'delivered', 1],
    ]);
  });

  it('leader fails after replicating but before answering: a retry duplicates without idempotence, not with it', () => {
    const run = (enableIdempotence: boolean) => {
      const c = cluster(3, 3);
      const p = new Producer(c, { enableIdempotence });
      p.send({ topic: 't0', partition: 0, key: 'k', value: 'v1' });
      c.fetchRound(); // followers copy v1; the leader does not know yet, so no answer
      const down = c.brokerDown(0); // the connection drops: NETWORK_EXCEPTION, retry to broker 1
      expect(down.find((e) => e.type === 'retry')).toMatchObject({ error: 'NETWORK_EXCEPTION' });
      c.advanceTime(100);
      c.fetchRound();
      c.fetchRound();
      c.advanceTime(0);
      return { c, p };
    };
    expect(committed(run(false).c)).toEqual(['v1', 'v1']);
    const idempotent = run(true);
    expect(committed(idempotent.c)).toEqual(['v1']);
    expect(idempotent.p.outcomes()[0]).toMatchObject({ status: 'delivered', offset: 0, retries: 1 });
  });
});

describe('retries without injected faults', () => {
  /**
   * brokers 0, 1; t0p0 on [0, 1]; min.insync.replicas 2; follower 1 stalls at t = 0 and recovers at
   * 60000 ms. v1 is appended but cannot commit: REQUEST_TIMED_OUT at 30000 ms, then (after the ISR
   * shrinks at 45000 ms) on Kafka 3.6 NOT_ENOUGH_REPLICAS_AFTER_APPEND (the HW followed the ISR down)
   * and NOT_ENOUGH_REPLICAS until it recovers; on 3.7+ the retry appended before the shrink times out.
   */
  const story = (config: ProducerConfig, kafkaVersion?: '3.6') => {
    const c = cluster(2, 2, { minInsyncReplicas: 2, fetchMs: 100, kafkaVersion });
    c.pauseFetching(1);
    const p = new Producer(c, config);
    const events = [...p.send({ topic: 't0', partition: 0, key: 'k', value: 'v1' }).events, ...c.advanceTime(60_000)];
    events.push(...c.resumeFetching(1), ...c.advanceTime(10_000));
    const errors = events.flatMap((e) => (e.type === 'retry' ? [e.error] : []));
    return { c, p, errors };
  };

  it('Kafka 3.7+, a stalled follower, no idempotence: every attempt appended before the ISR shrank times out, none is answered after the append', () => {
    const { c, p, errors } = story({ enableIdempotence: false });
    expect(errors.length).toBeGreaterThanOrEqual(2);
    expect(new Set(errors)).toEqual(new Set(['REQUEST_TIMED_OUT']));
    const log = committed(c);
    expect(log.length).toBeGreaterThan(1);
    expect(new Set(log)).toEqual(new Set(['v1']));
    expect(p.outcomes()[0]).toMatchObject({ status: 'delivered', offset: log.length - 1 });
  });

  it('Kafka 3.6, a stalled follower, no idempotence: every retry of the appended v1 writes it again', () => {
    const { c, p, errors } = story({ enableIdempotence: false }, '3.6');
    expect(errors.slice(0, 3)).toEqual(['REQUEST_TIMED_OUT', 'NOT_ENOUGH_REPLICAS_AFTER_APPEND', 'NOT_ENOUGH_REPLICAS']);
    const log = committed(c);
    expect(log.length).toBeGreaterThan(2);
    expect(new Set(log)).toEqual(new Set(['v1']));
    expect(p.outcomes()[0]).toMatchObject({ status: 'delivered', offset: log.length - 1 });
  });

  it('a stalled follower, idempotence: the retries are recognised, one copy at offset 0', () => {
    const { c, p, errors } = story({});
    expect(errors[0]).toBe('REQUEST_TIMED_OUT');
    expect(committed(c)).toEqual(['v1']);
    expect(p.outcomes()[0]).toMatchObject({ status: 'delivered', offset: 0 });
  });
});

describe('in-flight requests and ordering', () => {
  /**
   * brokers 0, 1; t0p0 on [0, 1]; min.insync.replicas 2; 5 ms one-way latency.
   * Follower 1 stalled, so the ISR is [0]. v1 is sent and reaches the leader while the ISR is still
   * [0] (NOT_ENOUGH_REPLICAS); follower 1 catches up; v2 arrives and is appended; v1 is retried after.
   */
  const story = (config: ProducerConfig) => {
    const c = cluster(2, 2, { minInsyncReplicas: 2 });
    c.pauseFetching(1);
    c.advanceTime(45_000); // ISR [0]
    c.resumeFetching(1);
    const p = new Producer(c, config, { networkLatencyMs: 5 });
    p.send({ topic: 't0', partition: 0, key: 'k', value: 'v1' }); // reaches broker 0 at +5
    c.advanceTime(3);
    p.send({ topic: 't0', partition: 0, key: 'k', value: 'v2' }); // reaches broker 0 at +8 if sent now
    c.advanceTime(3); // +6: v1 has been refused
    c.fetch(t0p0, 1); // follower 1 is back in the ISR
    for (let i = 0; i < 30; i++) {
      c.advanceTime(10);
      c.fetchRound();
    }
    return { c, p };
  };

  it('no idempotence, 5 in flight: a retriable error on v1 and success on v2 reorder key k', () => {
    const { c, p } = story({ enableIdempotence: false });
    expect(committed(c)).toEqual(['v2', 'v1']);
    expect(p.outcomes().map((o) => [o.value, o.status, o.retries])).toEqual([
      ['v1', 'delivered', 1],
      ['v2', 'delivered', 0],
    ]);
  });

  it('no idempotence, 1 in flight: v2 waits for v1, order kept', () => {
    const { c } = story({ enableIdempotence: false, maxInFlightRequestsPerConnection: 1 });
    expect(committed(c)).toEqual(['v1', 'v2']);
  });

  it('idempotence, 5 in flight: v2 is refused OUT_OF_ORDER_SEQUENCE_NUMBER, retried after v1, order kept', () => {
    const c0 = cluster(1, 1);
    expect(new Producer(c0).config.enableIdempotence).toBe(true);
    const { c, p } = story({});
    expect(committed(c)).toEqual(['v1', 'v2']);
    expect(p.outcomes().map((o) => [o.value, o.status, o.offset])).toEqual([
      ['v1', 'delivered', 0],
      ['v2', 'delivered', 1],
    ]);
  });
});

describe('giving up', () => {
  it('retries=0: NOT_ENOUGH_REPLICAS reaches the application as a failure', () => {
    const c = cluster(2, 2, { minInsyncReplicas: 2 });
    c.brokerDown(1);
    const p = new Producer(c, { retries: 0 });
    const { events } = p.send({ topic: 't0', partition: 0, key: 'k', value: 'v1' });
    expect(events.find((e) => e.type === 'delivery-failed')).toMatchObject({ error: 'NOT_ENOUGH_REPLICAS' });
    expect(p.outcomes()[0]).toMatchObject({ status: 'failed', error: 'NOT_ENOUGH_REPLICAS', retries: 0 });
  });

  it('an offline partition: the batch waits and fails with DELIVERY_TIMEOUT at 120000 ms', () => {
    const c = cluster(1, 1);
    c.brokerDown(0);
    const p = new Producer(c);
    p.send({ topic: 't0', partition: 0, key: 'k', value: 'v1' });
    const events = c.advanceTime(200_000);
    expect(events.find((e) => e.type === 'delivery-failed')).toMatchObject({ timeMs: 120_000, error: 'DELIVERY_TIMEOUT' });
  });

  it('a leader that returns within delivery.timeout.ms gets the waiting batch', () => {
    const c = cluster(1, 1);
    c.brokerDown(0);
    const p = new Producer(c);
    p.send({ topic: 't0', partition: 0, key: 'k', value: 'v1' });
    c.advanceTime(60_000);
    const up = c.brokerUp(0);
    expect(up.find((e) => e.type === 'delivered')).toMatchObject({ offset: 0 });
  });

  it('acks=0: counted as sent at once, offset unknown, nothing to retry', () => {
    const c = cluster(1, 1);
    const p = new Producer(c, { acks: 0 });
    const { events } = p.send({ topic: 't0', partition: 0, key: 'k', value: 'v1' });
    expect(events.find((e) => e.type === 'delivered')).toMatchObject({ offset: null });
    expect(p.inFlightCount()).toBe(0);
  });

  it('a keyed record without a partition goes to partitionForKey; a keyless one needs a partition', () => {
    const c = new Cluster<ProducerEvent>({ brokers: [0] });
    c.createTopic({ name: 't0', partitions: 6 });
    const p = new Producer(c, { acks: 1 });
    p.send({ topic: 't0', key: '21', value: 'x' }); // murmur2("21") → partition 0 of 6 (see partitioner)
    expect(c.replicaRecords({ topic: 't0', partition: 0 }, 0).map((r) => r.value)).toEqual(['x']);
    expect(() => p.send({ topic: 't0', key: null, value: 'y' })).toThrow(/keyless/);
  });
});

describe('determinism', () => {
  it('random response loss from seed 42: the same trace twice, byte for byte', () => {
    const trace = () => {
      const c = cluster(3, 3, { fetchMs: 100 });
      const p = new Producer(c, {}, { networkLatencyMs: 3, responseLossProbability: 0.3, rng: createPrng(42) });
      const events = [];
      for (let i = 0; i < 20; i++) {
        events.push(...p.send({ topic: 't0', partition: 0, key: `k${i % 3}`, value: `v${i}` }).events);
        events.push(...c.advanceTime(7_000));
      }
      events.push(...c.advanceTime(100_000));
      return JSON.stringify([events, c.snapshot(), p.outcomes()]);
    };
    const first = trace();
    expect(first).toContain('response-lost');
    expect(trace()).toBe(first);
  });
});

describe('property: idempotence keeps one copy per record, in send order, while no batch fails', () => {
  type Op =
    | { op: 'send'; key: number }
    | { op: 'advance'; ms: number }
    | { op: 'lose' }
    | { op: 'down' | 'up' | 'pause' | 'resume'; broker: number };
  const broker = fc.integer({ min: 0, max: 2 });
  const opArb: fc.Arbitrary<Op> = fc.oneof(
    { weight: 5, arbitrary: fc.record({ op: fc.constant('send' as const), key: fc.integer({ min: 0, max: 2 }) }) },
    { weight: 4, arbitrary: fc.record({ op: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 31_000 }) }) },
    { weight: 2, arbitrary: fc.constant({ op: 'lose' as const }) },
    {
      weight: 1,
      arbitrary: fc.record({ op: fc.constantFrom('down' as const, 'up' as const, 'pause' as const, 'resume' as const), broker }),
    },
  );

  it('random sends, lost responses, crashes and stalls: no record twice, each key in send order', () => {
    let cleanRuns = 0;
    fc.assert(
      fc.property(
        fc.array(opArb, { maxLength: 40 }),
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 0, max: 20 }),
        (ops, seed, latency) => {
          const c = cluster(3, 3, { minInsyncReplicas: 2, fetchMs: 250 });
          const p = new Producer(c, {}, { networkLatencyMs: latency, responseLossProbability: 0.2, rng: createPrng(seed) });
          let n = 0;
          for (const o of ops) {
            if (o.op === 'send') p.send({ topic: 't0', partition: 0, key: `k${o.key}`, value: `k${o.key}-${n++}` });
            else if (o.op === 'advance') c.advanceTime(o.ms);
            else if (o.op === 'lose') p.loseNextResponses(1);
            else if (o.op === 'down') c.brokerDown(o.broker);
            else if (o.op === 'up') c.brokerUp(o.broker);
            else if (o.op === 'pause') c.pauseFetching(o.broker);
            else c.resumeFetching(o.broker);
          }
          for (const b of [0, 1, 2]) {
            c.brokerUp(b);
            c.resumeFetching(b);
          }
          c.advanceTime(300_000);
          const outcomes = p.outcomes();
          expect(outcomes.every((o) => o.status !== 'pending')).toBe(true);
          const log = committed(c);
          const indexOf = (v: string | null) => Number(v!.split('-')[1]);
          for (const key of ['k0', 'k1', 'k2']) {
            const seq = log.filter((v) => v!.startsWith(`${key}-`)).map(indexOf);
            expect(seq).toEqual([...seq].sort((a, b) => a - b));
          }
          // once a batch has failed, the producer bumps its epoch and renumbers: a later batch that
          // was already written can be written again (idempotence holds within one producer epoch)
          if (outcomes.every((o) => o.status === 'delivered')) {
            cleanRuns += 1;
            expect(new Set(log).size).toBe(log.length);
            expect(log.length).toBe(outcomes.length);
          }
          // every record reported delivered is in the log at the reported offset
          for (const o of p.outcomes().filter((x) => x.status === 'delivered')) {
            expect(c.readCommitted(t0p0).find((r) => r.offset === o.offset)?.value).toBe(o.value);
          }
        },
      ),
      { numRuns: 150 },
    );
    expect(cleanRuns).toBeGreaterThan(50);
  });
});
