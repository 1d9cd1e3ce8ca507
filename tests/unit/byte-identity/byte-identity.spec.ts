/**
 * Issue 8 (engine layout), kept as a regression guard: every recorded scenario trace and drill output is
 * byte-identical to the fixture, so moving and splitting engine files changes no behaviour. A scenario or
 * drill kind added after the recording is new output, not a change: it is checked by its own specs and
 * joins the fixture at the next regeneration. A recorded one that disappeared fails. Regenerate with
 * `npx tsx tests/unit/byte-identity/generate.ts` only for an intended change of output, and say which.
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
  const now = new Set(outputs.map((o) => o.name));
  expect(
    names.filter((n) => !now.has(n)),
    'recorded outputs that are gone',
  ).toEqual([]);
  for (const o of outputs) if (o.name in recorded) expect(firstDifference(recorded[o.name], o.json), o.name).toBe('equal');
}

describe('byte identity with the recorded fixture', () => {
  it('every scenario in content/scenarios plays out to the recorded trace and final state', async () => {
    check(await scenarioOutputs(), 'scenario:');
  });

  it('every drill kind, seeds 0–99, gives the recorded question and answer', () => {
    check(drillOutputs(), 'drill:');
  });
});
