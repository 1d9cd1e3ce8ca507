/**
 * `npm run content:check` (cli/check-content.ts): every content file checked with the build's friendly
 * messages — the file, the field, what was received and what was expected, with a suggestion for near misses —
 * never a raw zod dump or a truncated list.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { checkAllContent, checkLessonText, checkQuizText, checkScenarioText, errorIssues } from './check-content.ts';
import { exercises } from '../exercises/index.ts';

const ROOT = resolve(import.meta.dirname, '..');
const read = (path: string) => readFileSync(resolve(ROOT, path), 'utf8');
const index = {
  lessonIds: ['01-keys-and-partitions', '02-consumer-groups-and-assignors', '03-offsets-and-commits'],
  quizIds: ['01-keys-and-partitions'],
  scenarioIds: ['acks-1-loss', 'static-member-restart'],
};

describe('content:check', () => {
  it('all of the course content passes, story checks included', async () => {
    const reports = await checkAllContent(ROOT, new Set(Object.keys(exercises)));
    expect(reports.filter((r) => r.problems.length)).toEqual([]);
    expect(reports.some((r) => r.file.startsWith('content/scenarios/'))).toBe(true);
    expect(reports.some((r) => r.file.startsWith('content/quizzes/'))).toBe(true);
  });

  it("a consumer config in Kafka's dotted form suggests the camelCase field", () => {
    const text = read('content/scenarios/static-member-restart.yaml').replace('sessionTimeoutMs: 30000', 'session.timeout.ms: 30000');
    const [issue] = checkScenarioText('content/scenarios/static-member-restart.yaml', text, index);
    expect(issue.path).toBe('consumers[0].config');
    expect(issue.message).toContain('received unknown field "session.timeout.ms"');
    expect(issue.message).toContain('write "sessionTimeoutMs" for Kafka\'s session.timeout.ms');
  });

  it('a wrong lesson id lists every valid lesson id', () => {
    const text = read('content/scenarios/static-member-restart.yaml').replace(
      'lesson: 02-consumer-groups-and-assignors',
      'lesson: 02-consumer-groups',
    );
    expect(checkScenarioText('content/scenarios/static-member-restart.yaml', text, index)).toEqual([
      {
        path: 'lesson',
        message:
          'unknown lesson — received "02-consumer-groups"; expected one of the lessons in content/lessons/: "01-keys-and-partitions", "02-consumer-groups-and-assignors", "03-offsets-and-commits"',
      },
    ]);
  });

  it('a YAML syntax error gives the line and column', () => {
    const [issue] = checkScenarioText('x.yaml', 'id: x\nsteps: [\n', index);
    expect(issue.message).toMatch(/^received text that is not valid YAML at line \d+, column \d+/);
  });

  it('a story check that fails is reported at its path', () => {
    const text = `${read('content/scenarios/static-member-restart.yaml')}  - lag: { group: g1, at: 5, equals: 0 }\n`;
    const issues = checkScenarioText('content/scenarios/static-member-restart.yaml', text, index);
    expect(issues).toHaveLength(1);
    expect(issues[0].path).toMatch(/^checks\[\d+\]$/);
    expect(issues[0].message).toMatch(/^after step 5, the lag of group g1 is 0 — but the lag of group g1 is \d+$/);
  });

  it('a quiz mistake prints the friendly message, not a zod dump', async () => {
    const text = read('content/quizzes/03-offsets-and-commits.yaml').replace('type: best-fit', 'type: bestfit');
    const issues = await checkQuizText('content/quizzes/03-offsets-and-commits.yaml', text);
    expect(issues).toHaveLength(1);
    expect(issues[0].message).toMatch(/^received "bestfit" \(a string\); expected one of "single-choice", .*"best-fit"/);
    expect(JSON.stringify(issues)).not.toContain('"code"');
  });

  it('a thrown ZodError becomes one friendly line per issue', () => {
    const result = z.object({ order: z.number() }).safeParse({ order: 'first' });
    expect(result.success).toBe(false);
    const issues = errorIssues(result.error);
    expect(issues).toEqual([{ path: 'order', message: expect.any(String) }]);
    expect(issues[0].message).not.toContain('[\n');
  });

  it('a lesson naming a scenario that does not exist lists the scenario ids', () => {
    const text = `${read('content/lessons/01-keys-and-partitions.mdx')}\n<Scenario id="acks-one-loss" />\n`;
    const issues = checkLessonText('content/lessons/01-keys-and-partitions.mdx', text, { ...index, quizIds: ['01-keys-and-partitions'] });
    expect(issues).toContainEqual({
      path: '<Scenario id="acks-one-loss">',
      message:
        'unknown scenario — received "acks-one-loss"; expected one of the files in content/scenarios/: "acks-1-loss", "static-member-restart"',
    });
  });
});
