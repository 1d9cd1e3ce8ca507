/**
 * The controller's side of one partition: who may lead, and the eligible leader replicas (KIP-966).
 *
 * The rules (KRaft's PartitionChangeBuilder and ReplicationControlManager):
 * 1. ELR bookkeeping (maybePopulateTargetElr), after every ISR change, when ELR is enabled: if the new
 *    ISR has ≥ min ISR members the ELR is empty; otherwise ELR := (old ELR ∪ old ISR) − new ISR −
 *    replicas that shut down uncleanly. So while the ISR is too small, replicas that leave it stay
 *    eligible: under strict min ISR the high watermark did not move without them, so each has every
 *    committed record.
 * 2. Without ELR, the controller never empties the ISR: its last member stays even when down. With
 *    ELR the ISR may become empty.
 * 3. Election (electAnyLeader), in order: the first replica in assignment order that is alive and in
 *    the ISR — or, when the ISR is empty, in the ELR (it becomes the ISR and leaves the ELR); else the
 *    last known leader, if ELR is on, ISR and ELR are empty and it is alive (ISR := [it]); else, if
 *    unclean.leader.election.enable, the first alive replica (unclean: ISR := [it], ELR cleared);
 *    else no leader (the partition is offline).
 * 4. A broker that comes back after an unclean shutdown (a crash: it re-registers without a clean
 *    shutdown marker) is removed from the ELR (handleBrokerUncleanShutdown).
 *
 * Example: replicas [0, 1, 2], min ISR 2, ELR on. Broker 2 shuts down cleanly → ISR [0, 1] (≥ 2, ELR
 *   []); broker 1 shuts down cleanly → ISR [0], ELR [1]; broker 0 crashes → ISR [], ELR [1, 0], no
 *   leader; broker 1 returns → elected from the ELR (ISR [1]) with every committed record. Without
 *   ELR: ISR [0] stays and the partition waits for broker 0 (or elects broker 1 uncleanly).
 *
 * Source: org.apache.kafka.controller.PartitionChangeBuilder (electAnyLeader, isValidNewLeader,
 * canElectLastKnownLeader, maybePopulateTargetElr, tryElection), ReplicationControlManager
 * (handleBrokerUncleanShutdown, generateLeaderAndIsrUpdates), KIP-966, TopicConfig
 * (unclean.leader.election.enable, default false).
 */

/** The membership the controller keeps for a partition. */
export interface Membership {
  isr: number[];
  /** eligible leader replicas (KIP-966); always [] when ELR is off */
  elr: number[];
}

/**
 * maybePopulateTargetElr: the ELR after the ISR changes from `before.isr` to `nextIsr`.
 * @param uncleanShutdown replicas that shut down uncleanly (excluded from the ELR)
 * @returns the new ELR, sorted in assignment order of `replicas`
 */
export function nextElr(
  replicas: readonly number[],
  before: Membership,
  nextIsr: readonly number[],
  minIsr: number,
  elrEnabled: boolean,
  uncleanShutdown: readonly number[] = [],
): number[] {
  if (!elrEnabled || nextIsr.length >= minIsr) return [];
  const candidates = new Set([...before.elr, ...before.isr]);
  return replicas.filter((b) => candidates.has(b) && !nextIsr.includes(b) && !uncleanShutdown.includes(b));
}

/** The result of an election. */
export interface ElectionResult {
  /** the new leader, or null (offline) */
  leader: number | null;
  /** 'isr' (clean), 'elr', 'last-known-leader', 'unclean', or 'none' */
  via: 'isr' | 'elr' | 'last-known-leader' | 'unclean' | 'none';
  /** the membership after the election */
  membership: Membership;
}

/**
 * PartitionChangeBuilder.electAnyLeader for a partition whose leader is gone.
 * @param lastKnownLeader the leader before the partition went offline (lastKnownElr), or null
 */
export function electLeader(input: {
  replicas: readonly number[];
  membership: Membership;
  lastKnownLeader: number | null;
  isAlive: (brokerId: number) => boolean;
  elrEnabled: boolean;
  uncleanLeaderElectionEnable: boolean;
}): ElectionResult {
  const { replicas, membership, isAlive } = input;
  const { isr, elr } = membership;
  const valid = (b: number) => (isr.includes(b) || (isr.length === 0 && elr.includes(b))) && isAlive(b);
  const clean = replicas.find(valid);
  if (clean !== undefined) {
    if (isr.includes(clean)) return { leader: clean, via: 'isr', membership: { isr: [...isr], elr: [...elr] } };
    return { leader: clean, via: 'elr', membership: { isr: [clean], elr: elr.filter((b) => b !== clean) } };
  }
  const last = input.lastKnownLeader;
  if (input.elrEnabled && isr.length === 0 && elr.length === 0 && last !== null && isAlive(last)) {
    return { leader: last, via: 'last-known-leader', membership: { isr: [last], elr: [] } };
  }
  if (input.uncleanLeaderElectionEnable) {
    const any = replicas.find(isAlive);
    if (any !== undefined) return { leader: any, via: 'unclean', membership: { isr: [any], elr: [] } };
  }
  return { leader: null, via: 'none', membership: { isr: [...isr], elr: [...elr] } };
}
