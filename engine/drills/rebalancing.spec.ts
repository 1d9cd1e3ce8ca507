import { describe, expect, it } from 'vitest';
import { generateDrill } from './drills.ts';
import { pausedPartitions, playShareRecord } from './rebalancing.ts';
import { DEFAULT_DELIVERY_COUNT_LIMIT } from '../share/share-config.ts';

const SEEDS = Array.from({ length: 200 }, (_, i) => i * 7919 + 13);

describe('rebalancing drills reach their variants (200 seeds)', () => {
  it('rebalance-pauses: eager pauses every partition; cooperative pauses only what moves, fewer than eager would', () => {
    const qs = SEEDS.map((s) => generateDrill('rebalance-pauses', s));
    for (const q of qs) {
      const p = q.params as Extract<typeof q.params, { kind: 'rebalance-pauses' }>;
      const total = Object.values(p.partitionsPerTopic).reduce((a, b) => a + b, 0);
      const eager = pausedPartitions({ ...p, rebalanceProtocol: 'eager' }).paused.length;
      const coop = pausedPartitions({ ...p, rebalanceProtocol: 'cooperative' }).paused.length;
      expect(eager).toBe(total);
      expect(coop).toBeLessThan(eager);
      expect(coop).toBeGreaterThan(0);
    }
    expect(new Set(qs.map((q) => (q.params as { rebalanceProtocol: string }).rebalanceProtocol))).toEqual(
      new Set(['eager', 'cooperative']),
    );
    expect(qs.some((q) => Object.keys((q.params as { partitionsPerTopic: object }).partitionsPerTopic).length === 2)).toBe(true);
  });

  it('share-record-state: every state occurs, and archived both by the delivery limit and by REJECT', () => {
    const qs = SEEDS.map((s) => generateDrill('share-record-state', s));
    expect(new Set(qs.map((q) => q.choices![(q.answer as { index: number }).index]))).toEqual(
      new Set(['available', 'acquired', 'acknowledged', 'archived']),
    );
    expect(qs.some((q) => q.explanation.includes('RELEASE: → archived') || /expires → archived/.test(q.explanation))).toBe(true);
    expect(qs.some((q) => q.explanation.includes('REJECT: → archived'))).toBe(true);
    expect(qs.some((q) => q.explanation.includes('refused (INVALID_RECORD_STATE'))).toBe(true);
  });

  it('share-delivery-count: RENEW and refused acknowledgements occur, and counts reach the limit', () => {
    const qs = SEEDS.map((s) => generateDrill('share-delivery-count', s));
    expect(qs.some((q) => q.explanation.includes('RENEW'))).toBe(true);
    expect(qs.some((q) => (q.answer as { value: number }).value === (q.params as { deliveryCountLimit: number }).deliveryCountLimit)).toBe(
      true,
    );
  });
});

describe('reconcile-epoch reaches its variants (200 seeds)', () => {
  it('a member that must revoke stays at its epoch; one that need not moves to the assignment epoch, STABLE or waiting', () => {
    const qs = SEEDS.map((s) => generateDrill('reconcile-epoch', s));
    const states = new Set(qs.map((q) => /\((STABLE|UNREVOKED_PARTITIONS|UNRELEASED_PARTITIONS)\)$/.exec(q.explanation.trim())![1]));
    expect(states).toEqual(new Set(['STABLE', 'UNREVOKED_PARTITIONS', 'UNRELEASED_PARTITIONS']));
    for (const q of qs) {
      const p = q.params as Extract<typeof q.params, { kind: 'reconcile-epoch' }>;
      const value = (q.answer as { value: number }).value;
      expect([p.memberEpoch, p.assignmentEpoch]).toContain(value);
    }
  });
});

describe('playShareRecord: the stories the share drills tell', () => {
  it('released on every delivery: archived when the count reaches the limit (5 by default)', () => {
    const ops = Array.from({ length: DEFAULT_DELIVERY_COUNT_LIMIT }, () => [
      { fetch: 'C0' },
      { ack: 'release' as const, member: 'C0' },
    ]).flat();
    const r = playShareRecord({ deliveryCountLimit: DEFAULT_DELIVERY_COUNT_LIMIT, recordLockDurationMs: 30_000, ops });
    expect(r).toMatchObject({ state: 'archived', deliveryCount: DEFAULT_DELIVERY_COUNT_LIMIT });
  });

  it('RENEW keeps the lock past its first deadline; the other member cannot acknowledge it', () => {
    const r = playShareRecord({
      deliveryCountLimit: 5,
      recordLockDurationMs: 30_000,
      ops: [{ fetch: 'C0' }, { waitMs: 20_000 }, { ack: 'renew', member: 'C0' }, { waitMs: 20_000 }, { ack: 'accept', member: 'C1' }],
    });
    expect(r).toMatchObject({ state: 'acquired', deliveryCount: 1 });
  });

  it('a lock timeout makes it available; the next fetch counts a second delivery', () => {
    const r = playShareRecord({
      deliveryCountLimit: 5,
      recordLockDurationMs: 30_000,
      ops: [{ fetch: 'C0' }, { waitMs: 30_000 }, { fetch: 'C1' }],
    });
    expect(r).toMatchObject({ state: 'acquired', deliveryCount: 2 });
  });
});
