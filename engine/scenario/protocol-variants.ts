/**
 * One membership story under three rebalance protocols, for the player's protocol toggle: every
 * group of the scenario switched together to
 *   - classic-eager: group.protocol=classic, partition.assignment.strategy=range (EAGER: every member
 *     revokes everything, then one JoinGroup/SyncGroup round);
 *   - classic-cooperative: classic, cooperative-sticky (KIP-429: only moving partitions are revoked,
 *     and a second round hands them to their new owner);
 *   - consumer: group.protocol=consumer (KIP-848) with the broker's default `uniform` assignor: no
 *     rounds; each member reconciles on its own heartbeats; a partition is free once its old owner
 *     reports it revoked.
 *
 * The comparison, computed over the trace:
 *   - rebalances: classic generations / consumer-protocol group epochs the story went through;
 *   - revokedPartitions: partitions handed back through onPartitionsRevoked or onPartitionsLost
 *     (the rebalance-listener calls of each event);
 *   - pausedPartitionMs: summed over partitions, the time a partition that some consumer had
 *     already read from spends with no running consumer owning it (read from each event's
 *     snapshot: the time to the next event counts for every partition unowned at this one);
 *   - pausedPartitions: how many distinct partitions had such a pause longer than 0 ms.
 *
 * Example: consumers C0, C1 on t0 (4 partitions), C2 joins. Eager: C0 and C1 revoke all four and get
 *   them back (one round, every partition paused); cooperative: only the two partitions that move to
 *   C2 are revoked, and they pause until the follow-up round; consumer: the same two move, each
 *   paused only from its owner's revocation until C2's next heartbeat.
 *
 * Source: KIP-429 (cooperative), KIP-848 (consumer protocol); Kafka's ConsumerCoordinator,
 * GroupMetadataManager, CurrentAssignmentBuilder.
 */
import type { Scenario } from './authoring.ts';
import type { RunOptions, ScenarioResult, TraceEvent } from './trace.ts';
import { runScenario } from './runner.ts';
import { tpKey } from '../common/notation.ts';

/** The protocols the toggle offers, in display order. */
export const PROTOCOL_VARIANTS = ['classic-eager', 'classic-cooperative', 'consumer'] as const;
export type ProtocolVariant = (typeof PROTOCOL_VARIANTS)[number];

/** How the player names each variant. */
export const PROTOCOL_VARIANT_LABELS: Record<ProtocolVariant, string> = {
  'classic-eager': 'Classic, eager (range)',
  'classic-cooperative': 'Classic, cooperative (cooperative-sticky)',
  consumer: 'Consumer protocol (KIP-848, uniform)',
};

/**
 * The scenario with every group switched to one protocol (a new object; the input is not modified).
 * The id stays; `compareProtocols` is dropped from the copy.
 */
export function scenarioUnderProtocol(scenario: Scenario, variant: ProtocolVariant): Scenario {
  const { compareProtocols: _drop, ...rest } = scenario;
  void _drop;
  return {
    ...rest,
    groups: (scenario.groups ?? []).map((g) => {
      const { rebalanceProtocol: _rp, groupProtocol: _p, remoteAssignor: _ra, ...base } = g;
      void _rp;
      void _p;
      void _ra;
      if (variant === 'consumer') return { ...base, groupProtocol: 'consumer' as const };
      return { ...base, assignor: variant === 'classic-eager' ? ('range' as const) : ('cooperative-sticky' as const) };
    }),
  };
}

/** What one protocol costs in a story. */
export interface ProtocolMetrics {
  rebalances: number;
  revokedPartitions: number;
  pausedPartitions: number;
  pausedPartitionMs: number;
}

export interface ProtocolRun {
  variant: ProtocolVariant;
  label: string;
  trace: TraceEvent[];
  metrics: ProtocolMetrics;
}

/**
 * Play a scenario under each protocol and measure it.
 * @param options runScenario's options (the trace must be "full": the metrics read it)
 * @throws ScenarioError as runScenario does
 */
export function compareProtocols(scenario: Scenario, options: Omit<RunOptions, 'trace'> = {}): ProtocolRun[] {
  return PROTOCOL_VARIANTS.map((variant) => {
    const result = runScenario(scenarioUnderProtocol(scenario, variant), { ...options, trace: 'full' });
    return { variant, label: PROTOCOL_VARIANT_LABELS[variant], trace: result.trace, metrics: protocolMetrics(result) };
  });
}

/** The metrics of one run, from its trace (see the file's docstring). */
export function protocolMetrics(result: Pick<ScenarioResult, 'trace'>): ProtocolMetrics {
  const trace = result.trace;
  const everOwned = new Set<string>();
  const paused = new Set<string>();
  let revokedPartitions = 0;
  let pausedPartitionMs = 0;
  const epochs = new Set<string>();
  trace.forEach((e, i) => {
    for (const cb of e.callbacks) if (cb.kind !== 'assigned') revokedPartitions += cb.partitions.length;
    const owned = new Set<string>();
    for (const c of e.snapshot.consumers) if (c.status === 'running') for (const tp of c.owned) owned.add(`${c.group}/${tpKey(tp)}`);
    for (const k of owned) everOwned.add(k);
    for (const g of e.snapshot.groups) if (g.generationId > 0) epochs.add(`${g.id}/${g.generationId}`);
    const dt = i + 1 < trace.length ? trace[i + 1].timeMs - e.timeMs : 0;
    if (dt <= 0) return;
    for (const k of everOwned) {
      if (owned.has(k)) continue;
      pausedPartitionMs += dt;
      paused.add(k);
    }
  });
  return { rebalances: epochs.size, revokedPartitions, pausedPartitions: paused.size, pausedPartitionMs };
}
