import { describe, expect, it } from 'vitest';
import { electLeader, nextElr } from './leader-election.ts';

const alive =
  (...ids: number[]) =>
  (b: number) =>
    ids.includes(b);
const base = { replicas: [0, 1, 2], lastKnownLeader: null, elrEnabled: true, uncleanLeaderElectionEnable: false };

describe('leader-election (PartitionChangeBuilder, KIP-966)', () => {
  it('ELR: replicas leaving an ISR below min ISR stay eligible; none once the ISR is big enough; unclean shutdowns excluded', () => {
    expect(nextElr([0, 1, 2], { isr: [0, 1, 2], elr: [] }, [0, 1], 2, true)).toEqual([]);
    expect(nextElr([0, 1, 2], { isr: [0, 1], elr: [] }, [0], 2, true)).toEqual([1]);
    expect(nextElr([0, 1, 2], { isr: [0], elr: [1] }, [], 2, true)).toEqual([0, 1]);
    expect(nextElr([0, 1, 2], { isr: [0], elr: [1] }, [], 2, true, [1])).toEqual([0]);
    expect(nextElr([0, 1, 2], { isr: [0, 1], elr: [] }, [0], 2, false)).toEqual([]);
  });

  it('order: ISR, then (ISR empty) ELR, then the last known leader, then unclean, else none', () => {
    expect(electLeader({ ...base, membership: { isr: [1, 2], elr: [] }, isAlive: alive(2) })).toMatchObject({ leader: 2, via: 'isr' });
    expect(electLeader({ ...base, membership: { isr: [], elr: [0, 1] }, isAlive: alive(1, 2) })).toMatchObject({
      leader: 1,
      via: 'elr',
      membership: { isr: [1], elr: [0] },
    });
    expect(electLeader({ ...base, lastKnownLeader: 0, membership: { isr: [], elr: [] }, isAlive: alive(0, 2) })).toMatchObject({
      leader: 0,
      via: 'last-known-leader',
    });
    // an ELR member still down blocks the last known leader (it may hold committed records)
    expect(electLeader({ ...base, lastKnownLeader: 0, membership: { isr: [], elr: [1] }, isAlive: alive(0) })).toMatchObject({
      leader: null,
      via: 'none',
    });
    const unclean = { ...base, uncleanLeaderElectionEnable: true, membership: { isr: [0], elr: [] }, isAlive: alive(2) };
    expect(electLeader(unclean)).toMatchObject({ leader: 2, via: 'unclean', membership: { isr: [2], elr: [] } });
    expect(electLeader({ ...unclean, uncleanLeaderElectionEnable: false })).toMatchObject({ leader: null, via: 'none' });
  });
});
