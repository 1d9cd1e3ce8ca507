/**
 * Every scenario's story checks (`checks:` in the file) hold when the engine plays it — so a scenario cannot
 * silently stop telling its story when the engine changes. The checks sit beside the hand-written story tests
 * in content/scenarios.spec.ts. Files without checks pass here (checks are optional per file).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { formatCheckFailures, runScenario, verifyStoryChecks } from '../engine/index.ts';
import type { Scenario, StoryCheck } from '../engine/index.ts';
import { loadScenarioFile, scenarioIssues } from './schema/scenario.ts';

const DIR = join(import.meta.dirname, 'scenarios');
const FILES = readdirSync(DIR)
  .filter((f) => /\.(ya?ml|json)$/.test(f))
  .sort();

describe.each(FILES)('%s', (file) => {
  it('its story checks hold when the engine plays it', async () => {
    const scenario = await loadScenarioFile(join(DIR, file));
    const results = verifyStoryChecks(scenario, runScenario(scenario));
    expect(formatCheckFailures(results)).toEqual([]);
    expect(results).toHaveLength(scenario.checks?.length ?? 0);
  });
});

describe('story checks in the files', () => {
  const raw = (): Scenario => parse(readFileSync(join(DIR, 'static-member-restart.yaml'), 'utf8'));

  it('a check that no longer holds fails naming the check, its claim and what the engine computed', () => {
    const s = raw();
    s.checks = [...(s.checks ?? []), { owns: { consumer: 'C0', partition: 't0p3', at: 8 } }];
    const failures = formatCheckFailures(verifyStoryChecks(s, runScenario(s)));
    expect(failures).toEqual([`checks[${s.checks.length - 1}]: after step 8, C0 owns t0p3 — but C0 owns [t0p0, t0p1]`]);
  });

  it('a check naming an undeclared consumer or a step past the end is refused with its path', () => {
    const s = raw();
    s.checks = [{ owns: { consumer: 'C7', at: 99 } } as StoryCheck];
    const issues = scenarioIssues(s, 'content/scenarios/static-member-restart.yaml');
    expect(issues.map((i) => i.path)).toEqual(['checks[0].owns.consumer', 'checks[0].owns.at']);
    expect(issues[0].message).toBe('unknown consumer — received "C7"; expected one of the declared consumers: "C0", "C1"');
  });

  it('an unknown check kind lists the kinds; a misspelt field suggests the right one', () => {
    const s = raw() as unknown as { checks: unknown[] };
    s.checks = [{ owned: { consumer: 'C0' } }, { lag: { group: 'g1', equal: 0 } }];
    const issues = scenarioIssues(s, 'content/scenarios/static-member-restart.yaml');
    expect(issues[0]).toEqual({
      path: 'checks[0]',
      message: expect.stringContaining('received fields "owned"; expected an object with exactly one of owns, members, generation'),
    });
    expect(issues[1]).toEqual({ path: 'checks[1].lag', message: expect.stringContaining('did you mean "equals"?') });
  });
});
