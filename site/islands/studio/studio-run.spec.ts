import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runScenario, verifyStoryChecks } from '../../../engine/index.ts';
import { PLAYER_RUN_OPTIONS } from '../scenario/model.ts';
import { analyzeScenario, parsePath, playScenarioText } from './studio-run.ts';
import { readStudioFragment, scenarioIdOf, studioShareUrl } from '../../lib/studio-link.ts';

const text = readFileSync(resolve(import.meta.dirname, '../../../content/scenarios/static-member-restart.yaml'), 'utf8');
const lineOf = (t: string, needle: string) => t.split('\n').findIndex((l) => l.includes(needle)) + 1;

describe('studio: analyzeScenario', () => {
  it('a valid file has no issues and returns the scenario', () => {
    const a = analyzeScenario(text);
    expect(a.issues).toEqual([]);
    expect(a.scenario?.id).toBe('static-member-restart');
  });

  it("puts an unknown field's problem on its key, with the build's message and suggestion", () => {
    const broken = text.replace('groupInstanceId: instance-1, sessionTimeoutMs', 'groupInstanceId: instance-1, session.timeout.ms');
    const [issue, ...rest] = analyzeScenario(broken).issues;
    expect(rest).toEqual([]);
    expect(issue.path).toBe('consumers[1].config');
    expect(issue.message).toContain('write "sessionTimeoutMs"');
    const line = lineOf(broken, 'session.timeout.ms: 30000');
    const column = broken.split('\n')[line - 1].indexOf('session.timeout.ms') + 1;
    expect(issue).toMatchObject({ line, column, endLine: line, endColumn: column + 'session.timeout.ms'.length });
  });

  it("puts a wrong value's problem on the value: steps[4].produce.topic", () => {
    const broken = text.replace('produce: { producer: P0, topic: t0,', 'produce: { producer: P0, topic: t9,');
    const [issue] = analyzeScenario(broken).issues;
    expect(issue.path).toBe('steps[4].produce.topic');
    expect(issue.message).toMatch(/^unknown topic — received "t9"; expected one of the declared topics/);
    expect(issue.line).toBe(lineOf(broken, 'topic: t9'));
    expect(broken.split('\n')[issue.line - 1].slice(issue.column - 1, issue.endColumn - 1)).toBe('t9');
  });

  it('a YAML syntax error names its line', () => {
    const [issue] = analyzeScenario('id: x\ntopics: [\n  - a\n').issues;
    expect(issue.path).toBe('');
    expect(issue.message).toMatch(/^received text that is not valid YAML/);
    expect(issue.line).toBeGreaterThanOrEqual(2);
  });

  it("parsePath reads the authors' notation back", () => {
    expect(parsePath('steps[3].produce.topic')).toEqual(['steps', 3, 'produce', 'topic']);
    expect(parsePath('checks[0]')).toEqual(['checks', 0]);
    expect(parsePath('')).toEqual([]);
  });
});

describe('studio: playScenarioText', () => {
  it("gives the engine's trace and story checks for the text", () => {
    const played = playScenarioText(text);
    const scenario = parse(text);
    const result = runScenario(scenario, PLAYER_RUN_OPTIONS);
    expect(played.error).toBeNull();
    expect(played.trace).toEqual(result.trace);
    expect(played.checks).toEqual(verifyStoryChecks(scenario, result));
    expect(played.checks.every((c) => c.ok)).toBe(true);
  });

  it('a file with problems is not played', () => {
    const played = playScenarioText(text.replace('seed: 1', 'seed: one'));
    expect(played.trace).toBeNull();
    expect(played.issues[0].path).toBe('seed');
  });
});

describe('studio: share links and file names', () => {
  it('a share link carries the exact text, and drops ?scenario=', async () => {
    const href = await studioShareUrl(text, 'https://example.test/studio/?scenario=acks-1-loss');
    const url = new URL(href);
    expect(url.pathname).toBe('/studio/');
    expect(url.search).toBe('');
    expect(await readStudioFragment(url.hash)).toBe(text);
  });

  it('a damaged link rejects with a message; no fragment is null', async () => {
    await expect(readStudioFragment('#s=not*base64')!).rejects.toThrow(/damaged/);
    expect(readStudioFragment('')).toBeNull();
  });

  it('the download is named after the id', () => {
    expect(scenarioIdOf(text)).toBe('static-member-restart');
    expect(scenarioIdOf("title: x\nid: 'my-story' # mine\n")).toBe('my-story');
    expect(scenarioIdOf('title: no id')).toBeNull();
  });
});
