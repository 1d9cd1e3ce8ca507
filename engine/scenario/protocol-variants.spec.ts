import { describe, expect, it } from 'vitest';
import type { Scenario } from './authoring.ts';
import { compareProtocols, PROTOCOL_VARIANTS, protocolMetrics, scenarioUnderProtocol } from './protocol-variants.ts';
import { runScenario } from './runner.ts';

const base = (steps: Scenario['steps']): Scenario => ({
  id: 'p',
  title: 'p',
  summary: 'p',
  seed: 1,
  brokers: 1,
  topics: [{ name: 't0', partitions: 4 }],
  groups: [{ id: 'g1', assignor: 'sticky', rebalanceProtocol: 'eager' }],
  consumers: [
    { id: 'C0', group: 'g1', topics: ['t0'] },
    { id: 'C1', group: 'g1', topics: ['t0'] },
  ],
  steps,
  compareProtocols: true,
});

const settle = (n: number): Scenario['steps'] => Array.from({ length: n }, () => [{ advanceTime: { ms: 1000 } }, { poll: {} }]).flat();

describe('scenarioUnderProtocol', () => {
  it('sets each group for the variant and drops settings that would contradict it', () => {
    const s = base([{ join: { consumer: 'C0' } }]);
    expect(scenarioUnderProtocol(s, 'classic-eager').groups).toEqual([{ id: 'g1', assignor: 'range' }]);
    expect(scenarioUnderProtocol(s, 'classic-cooperative').groups).toEqual([{ id: 'g1', assignor: 'cooperative-sticky' }]);
    expect(scenarioUnderProtocol(s, 'consumer').groups).toEqual([{ id: 'g1', assignor: 'sticky', groupProtocol: 'consumer' }]);
    for (const v of PROTOCOL_VARIANTS) expect(() => runScenario(scenarioUnderProtocol(s, v))).not.toThrow();
  });
});

describe('protocolMetrics', () => {
  it('a lone consumer that keeps everything: one rebalance, nothing revoked or paused, in every protocol', () => {
    for (const r of compareProtocols(base([{ join: { consumer: 'C0' } }, ...settle(8)]))) {
      expect(r.metrics, r.variant).toEqual({ rebalances: 1, revokedPartitions: 0, pausedPartitions: 0, pausedPartitionMs: 0 });
    }
  });

  it('a crash pauses the dead member’s partitions until the survivor gets them (session timeout), in every protocol', () => {
    const steps: Scenario['steps'] = [
      { join: { consumer: 'C0' } },
      { join: { consumer: 'C1' } },
      ...settle(15),
      { crash: { consumer: 'C1' } },
      ...settle(60),
    ];
    for (const r of compareProtocols(base(steps))) {
      const trace = r.trace;
      const crash = trace.findIndex((e) => e.kind === 'crash');
      const owned = trace[crash - 1].snapshot.consumers.find((c) => c.id === 'C1')!.owned.length;
      expect(owned, r.variant).toBeGreaterThan(0);
      expect(r.metrics.pausedPartitions, r.variant).toBeGreaterThanOrEqual(owned);
      // at least session.timeout.ms minus one heartbeat interval, per partition C1 owned
      expect(r.metrics.pausedPartitionMs, r.variant).toBeGreaterThanOrEqual(owned * 40_000);
      expect(protocolMetrics({ trace })).toEqual(r.metrics);
    }
  });
});
