/**
 * The story-check kinds for replication, retention, the consumer protocol and share groups
 * (highWatermark, logStartOffset, elr, memberEpoch, happened, shareRecord): each one, changed to a
 * claim the story does not make, fails naming what the engine computed — so the checks in the files
 * can fail, and say why in the lesson's notation.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatCheckFailures, runScenario, verifyStoryChecks } from '../engine/index.ts';
import type { Scenario, StoryCheck } from '../engine/index.ts';
import { loadScenarioFile, scenarioIssues } from './schema/scenario.ts';

const DIR = join(import.meta.dirname, 'scenarios');

/** the failure lines of `checks` against the scenario file `id` */
async function failures(id: string, checks: StoryCheck[]): Promise<string[]> {
  const scenario: Scenario = { ...(await loadScenarioFile(join(DIR, `${id}.yaml`))), checks };
  return formatCheckFailures(verifyStoryChecks(scenario, runScenario(scenario)));
}

describe('story-check kinds beyond groups and deliveries', () => {
  it('highWatermark: a number, or the same as at another step (it stood still)', async () => {
    // strict-min-isr-kafka-4-4: the HW stays 0 while the ISR is [0] (steps 8–12), then moves to 1
    expect(await failures('strict-min-isr-kafka-4-4', [{ highWatermark: { partition: 't0p0', at: 12, sameAs: 5 } }])).toEqual([]);
    expect(await failures('strict-min-isr-kafka-4-4', [{ highWatermark: { partition: 't0p0', sameAs: 5 } }])).toEqual([
      "checks[0]: at the end, t0p0's highWatermark is the same as after step 5 — but highWatermark: 1 at the end, 0 after step 5",
    ]);
    expect(await failures('strict-min-isr-kafka-3-6', [{ highWatermark: { partition: 't0p0', at: 8, equals: 0 } }])).toEqual([
      "checks[0]: after step 8, t0p0's highWatermark is 0 — but highWatermark: 1 after step 8",
    ]);
  });

  it('logStartOffset: retention moved it on one partition and not the other', async () => {
    const lines = await failures('retention-bytes-one-partition', [
      { logStartOffset: { partition: 'metrics-0', equals: 0 } },
      { logStartOffset: { partition: 'metrics-1', atLeast: 1 } },
    ]);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^checks\[0\]: at the end, metrics-0's logStartOffset is 0 — but metrics-0's logStartOffset is [1-9]\d*$/);
    expect(lines[1]).toBe("checks[1]: at the end, metrics-1's logStartOffset is at least 1 — but metrics-1's logStartOffset is 0");
  });

  it('elr: exactly the eligible leader replicas, [] for none', async () => {
    expect(await failures('two-broker-loss-no-elr', [{ elr: { partition: 't0p0', at: 10, brokers: [1] } }])).toEqual([
      "checks[0]: after step 10, t0p0's eligible leader replicas are [1] — but t0p0's eligible leader replicas are []",
    ]);
    expect(await failures('two-broker-loss-elr', [{ elr: { partition: 't0p0', at: 10, brokers: [1] } }])).toEqual([]);
  });

  it('memberEpoch: -2 for a static member that closed; a member that left is "not a member"', async () => {
    const id = 'static-member-restart-consumer-protocol';
    expect(await failures(id, [{ memberEpoch: { group: 'g1', consumer: 'C0', at: 30, equals: -2 } }])).toEqual([]);
    expect(await failures(id, [{ memberEpoch: { group: 'g1', consumer: 'C0', at: 47, equals: 3 } }])).toEqual([
      "checks[0]: after step 47, C0's memberEpoch in group g1 is 3 — but memberEpoch: not a member after step 47",
    ]);
  });

  it('happened: a line of the step\'s "what happened" list', async () => {
    expect(await failures('share-group-redelivery', [{ happened: { at: 30, includes: 'INVALID_RECORD_STATE' } }])).toEqual([
      'checks[0]: after step 30, the step logged an event with "INVALID_RECORD_STATE" — but the step logged no event',
    ]);
  });

  it("shareRecord: a share partition's record by offset, its state and delivery count", async () => {
    expect(
      await failures('share-group-redelivery', [
        { shareRecord: { group: 'sg1', partition: 't0p1', offset: 0, at: 23, state: 'archived' } },
        { shareRecord: { group: 'sg1', partition: 't0p1', offset: 7 } },
      ]),
    ).toEqual([
      "checks[0]: after step 23, share group sg1's record of t0p1 with offset 0 is archived — but it is acquired, delivered 5 times",
      "checks[1]: at the end, share group sg1's record of t0p1 with offset 7 exists — but share group sg1 holds no such record of t0p1",
    ]);
  });

  it('a shareRecord naming a consumer group instead of a share group is refused with its path', async () => {
    const s = await loadScenarioFile(join(DIR, 'share-group-redelivery.yaml'));
    const issues = scenarioIssues(
      { ...s, checks: [{ shareRecord: { group: 'g1', partition: 't0p1' } }] },
      join(DIR, 'share-group-redelivery.yaml'),
    );
    expect(issues).toEqual([
      {
        path: 'checks[0].shareRecord.group',
        message: 'unknown share group — received "g1"; expected one of the declared share groups: "sg1"',
      },
    ]);
  });
});
