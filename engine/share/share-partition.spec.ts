import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SharePartition } from './share-partition.ts';
import type { ShareLogView, SharePartitionEvent } from './share-partition.ts';
import { defaultShareGroupConfig, DEFAULT_DELIVERY_COUNT_LIMIT, DEFAULT_RECORD_LOCK_DURATION_MS } from './share-config.ts';
import type { ShareGroupConfig } from './share-config.ts';

/** a log holding offsets logStart … hw−1, no gaps */
function log(hw: number, logStart = 0): ShareLogView & { hw: number } {
  const l = {
    hw,
    logStartOffset: logStart,
    get highWatermark() {
      return l.hw;
    },
    offsets: (from: number, to: number) => Array.from({ length: Math.max(0, Math.min(to, l.hw) - from) }, (_, i) => from + i),
  };
  return l;
}

function partition(hw: number, config: Partial<ShareGroupConfig> = { autoOffsetReset: 'earliest' }) {
  const events: SharePartitionEvent[] = [];
  const l = log(hw);
  const p = new SharePartition({ topic: 't0', partition: 0 }, defaultShareGroupConfig(config), l, (e) => events.push(e));
  return { p, events, l };
}

describe('share partition (SharePartition, InFlightState)', () => {
  it("Kafka's defaults: lock 30000 ms, delivery count limit 5", () => {
    expect(DEFAULT_RECORD_LOCK_DURATION_MS).toBe(30_000);
    expect(DEFAULT_DELIVERY_COUNT_LIMIT).toBe(5);
    expect(defaultShareGroupConfig().autoOffsetReset).toBe('latest');
  });

  it('a fetch acquires available records lowest first, each delivery count 1, locked to the member', () => {
    const { p } = partition(5);
    const got = p.acquire('C0', 3, 1000);
    expect(got.map((r) => [r.offset, r.state, r.deliveryCount, r.memberId, r.lockExpiresAtMs])).toEqual([
      [0, 'acquired', 1, 'C0', 31_000],
      [1, 'acquired', 1, 'C0', 31_000],
      [2, 'acquired', 1, 'C0', 31_000],
    ]);
    expect(p.acquire('C1', 10, 1000).map((r) => r.offset)).toEqual([3, 4]);
    expect(p.endOffset).toBe(5);
  });

  it('ACCEPT acknowledges, REJECT archives, and the start offset moves past leading terminal records', () => {
    const { p } = partition(3);
    p.acquire('C0', 3, 0);
    expect(p.acknowledge('C0', 1, 'accept', 10)?.state).toBe('acknowledged');
    expect(p.startOffset).toBe(0);
    expect(p.acknowledge('C0', 0, 'reject', 10)?.state).toBe('archived');
    expect(p.startOffset).toBe(2);
  });

  it('a lock that expires makes the record available again; the next fetch redelivers it with count 2, after later offsets', () => {
    const { p, events } = partition(3);
    p.acquire('C0', 1, 0);
    p.acquire('C1', 2, 0);
    p.acknowledge('C1', 1, 'accept', 5);
    p.acknowledge('C1', 2, 'accept', 5);
    p.expireLocks(DEFAULT_RECORD_LOCK_DURATION_MS - 1);
    expect(p.stateOf(0)?.state).toBe('acquired');
    p.expireLocks(DEFAULT_RECORD_LOCK_DURATION_MS);
    expect(p.stateOf(0)).toMatchObject({ state: 'available', deliveryCount: 1, memberId: null });
    expect(events.some((e) => e.type === 'lock-expired' && e.offset === 0)).toBe(true);
    const again = p.acquire('C1', 5, DEFAULT_RECORD_LOCK_DURATION_MS + 1);
    expect(again.map((r) => [r.offset, r.deliveryCount])).toEqual([[0, 2]]);
    // the late acknowledgement of the member whose lock expired is refused (INVALID_RECORD_STATE)
    expect(p.acknowledge('C0', 0, 'accept', DEFAULT_RECORD_LOCK_DURATION_MS + 2)).toBeNull();
  });

  it('RELEASE on the fifth delivery archives the record instead of making it available', () => {
    const { p } = partition(1);
    for (let delivery = 1; delivery <= DEFAULT_DELIVERY_COUNT_LIMIT; delivery++) {
      const [r] = p.acquire('C0', 1, delivery * 10);
      expect(r.deliveryCount).toBe(delivery);
      const after = p.acknowledge('C0', 0, 'release', delivery * 10 + 1);
      expect(after?.state).toBe(delivery < DEFAULT_DELIVERY_COUNT_LIMIT ? 'available' : 'archived');
    }
    expect(p.startOffset).toBe(1);
    expect(p.acquire('C0', 1, 1000)).toEqual([]);
  });

  it('RENEW restarts the lock without changing the delivery count', () => {
    const { p } = partition(1);
    p.acquire('C0', 1, 0);
    expect(p.acknowledge('C0', 0, 'renew', 20_000)).toMatchObject({ state: 'acquired', deliveryCount: 1, lockExpiresAtMs: 50_000 });
    p.expireLocks(30_000);
    expect(p.stateOf(0)?.state).toBe('acquired');
  });

  it('share.auto.offset.reset: latest starts at the high watermark, earliest at the log start offset', () => {
    expect(partition(7, { autoOffsetReset: 'latest' }).p.acquire('C0', 10, 0)).toEqual([]);
    const latest = partition(7, { autoOffsetReset: 'latest' });
    latest.p.touch();
    latest.l.hw = 9;
    expect(latest.p.acquire('C0', 10, 0).map((r) => r.offset)).toEqual([7, 8]);
    expect(partition(7, { autoOffsetReset: 'earliest' }).p.acquire('C0', 10, 0)).toHaveLength(7);
  });

  it('generated histories: delivery counts never exceed the limit, terminal states never change, only the lock holder acknowledges', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('fetch' as const), member: fc.constantFrom('C0', 'C1', 'C2'), max: fc.integer({ min: 1, max: 3 }) }),
      fc.record({
        kind: fc.constant('ack' as const),
        member: fc.constantFrom('C0', 'C1', 'C2'),
        offset: fc.integer({ min: 0, max: 5 }),
        ack: fc.constantFrom('accept' as const, 'release' as const, 'reject' as const, 'renew' as const),
      }),
      fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 1, max: 40_000 }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const { p } = partition(6);
        let now = 0;
        const terminal = new Map<number, string>();
        for (const o of ops) {
          if (o.kind === 'wait') {
            now += o.ms;
            p.expireLocks(now);
          } else if (o.kind === 'fetch') {
            for (const r of p.acquire(o.member, o.max, now)) {
              expect(terminal.has(r.offset)).toBe(false);
              expect(r.deliveryCount).toBeLessThanOrEqual(DEFAULT_DELIVERY_COUNT_LIMIT);
            }
          } else {
            const before = p.stateOf(o.offset);
            const after = p.acknowledge(o.member, o.offset, o.ack, now);
            if (after) expect(before).toMatchObject({ state: 'acquired', memberId: o.member });
            if (after && (after.state === 'acknowledged' || after.state === 'archived')) terminal.set(o.offset, after.state);
          }
          for (const r of p.records()) if (r.state === 'acquired') expect(r.lockExpiresAtMs!).toBeGreaterThan(now);
        }
      }),
    );
  });
});
