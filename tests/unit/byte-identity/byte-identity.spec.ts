/**
 * Issue 8 (engine layout): the scenario traces and drills are byte-identical to the recorded
 * fixture, so moving and splitting engine files changed no behaviour. Regenerate with
 * `npx tsx tests/unit/byte-identity/generate.ts` only for an intended change of output.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { FIXTURE, drillOutputs, scenarioOutputs } from './outputs.ts';
import type { Output } from './outputs.ts';

const recorded: Record<string, string> = JSON.parse(gunzipSync(readFileSync(FIXTURE)).toString('utf8'));

/** "equal", or where the two texts first differ with some context either side. */
function firstDifference(expected: string, actual: string): string {
  if (expected === actual) return 'equal';
  let i = 0;
  while (i < expected.length && i < actual.length && expected[i] === actual[i]) i++;
  return `differs at character ${i}:\n  recorded: …${expected.slice(Math.max(0, i - 80), i + 80)}…\n  now:      …${actual.slice(Math.max(0, i - 80), i + 80)}…`;
}

function check(outputs: Output[], prefix: string) {
  const names = Object.keys(recorded).filter((n) => n.startsWith(prefix));
  expect(outputs.map((o) => o.name).sort()).toEqual(names.sort());
  for (const o of outputs) expect(firstDifference(recorded[o.name], o.json), o.name).toBe('equal');
}

describe('byte identity with the recorded fixture', () => {
  it('every scenario in content/scenarios plays out to the recorded trace and final state', async () => {
    check(await scenarioOutputs(), 'scenario:');
  });

  it('every drill kind, seeds 0–99, gives the recorded question and answer', () => {
    check(drillOutputs(), 'drill:');
  });
});
