/**
 * membersOf and diffEvents for a consumer with two members (a dynamic consumer restarted before its
 * crashed process's member timed out): the group card tells them apart by memberId. The snapshots are
 * the engine's, from the scenario that does this (auto-commit-loses-a-record), not typed in.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../../engine/index.ts';
import { loadScenarioFile } from '../../../content/schema/scenario.ts';
import { diffEvents, membersOf, PLAYER_RUN_OPTIONS, tpId } from './model.ts';

const load = async () =>
  runScenario(
    await loadScenarioFile(join(import.meta.dirname, '../../../content/scenarios/auto-commit-loses-a-record.yaml')),
    PLAYER_RUN_OPTIONS,
  ).trace;

describe('a restarted dynamic consumer in its group', () => {
  it('membersOf: the member with the consumer\'s memberId is current; the crashed process\'s member is "earlier"', async () => {
    const trace = await load();
    const i = trace.findIndex((e) => e.snapshot.groups.some((g) => g.members.filter((m) => m.consumer === 'C0').length === 2));
    expect(i).toBeGreaterThan(0);
    const g = trace[i].snapshot.groups.find((x) => x.members.some((m) => m.consumer === 'C0'))!;
    const c0 = trace[i].snapshot.consumers.find((k) => k.id === 'C0')!;
    const { current, earlier } = membersOf(g, 'C0', c0.memberId);
    expect(current?.memberId).toBe(c0.memberId);
    expect(earlier.map((m) => m.memberId)).toEqual(
      g.members.filter((m) => m.consumer === 'C0' && m.memberId !== c0.memberId).map((m) => m.memberId),
    );
    expect(earlier).toHaveLength(1);
    // the partitions the coordinator holds for the old member are not the restarted consumer's
    expect(current?.assignment).toEqual([]);
    expect(earlier[0].assignment.length).toBeGreaterThan(0);
  });

  it('diffEvents keys assignment changes by memberId: the new member gaining partitions is not the old one keeping them', async () => {
    const trace = await load();
    const settled = trace.findIndex(
      (e, i) =>
        i > 0 &&
        trace[i - 1].snapshot.groups.some((g) => g.members.filter((m) => m.consumer === 'C0').length === 2) &&
        e.snapshot.groups.every((g) => g.members.filter((m) => m.consumer === 'C0').length <= 1),
    );
    expect(settled).toBeGreaterThan(0);
    const before = trace[settled - 1].snapshot.groups[0];
    const after = trace[settled].snapshot.groups[0];
    const changes = diffEvents(trace[settled - 1], trace[settled]);
    const newMember = after.members.find((m) => m.consumer === 'C0')!;
    const oldMember = before.members.find((m) => m.consumer === 'C0' && m.memberId !== newMember.memberId)!;
    for (const tp of newMember.assignment) expect(changes.assignedIn.has(`${after.id}|${newMember.memberId}|${tpId(tp)}`)).toBe(true);
    expect(changes.assignedOut.get(`${after.id}|${oldMember.memberId}`)).toEqual(oldMember.assignment);
  });
});
