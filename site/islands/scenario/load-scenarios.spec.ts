import { describe, expect, it } from 'vitest';
import { loadScenario, playScenario } from './load-scenarios.ts';

describe('playScenario (build time)', () => {
  it('a course scenario plays, its story checks holding', async () => {
    const { scenario } = await loadScenario('static-member-restart');
    expect(playScenario(scenario)).toHaveLength(scenario.steps.length + 1);
  });

  it('a story check that no longer holds fails the build, naming the file, the check and what the engine computed', async () => {
    const { scenario } = await loadScenario('static-member-restart');
    const broken = { ...scenario, checks: [{ owns: { consumer: 'C0', partition: 't0p3', at: 8 } }] };
    expect(() => playScenario(broken)).toThrow(
      'content/scenarios/static-member-restart.yaml has 1 problem:\n  - checks[0]: after step 8, C0 owns t0p3 — but C0 owns [t0p0, t0p1]',
    );
  });
});
