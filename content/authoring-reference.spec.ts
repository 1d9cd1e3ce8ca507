/**
 * content/AUTHORING.md's scenario reference is what the schema and the engine's docstrings generate today
 * (every step kind, check kind and field, with types, defaults and an example), its worked example is a real
 * scenario file, and the JSON Schema the studio and editors use is generated from the same zod schema.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { END_MARKER, START_MARKER, currentReference } from './authoring-reference.ts';
import { scenarioStepBodies, storyCheckBodies } from './schema/scenario.ts';
import { scenarioJsonSchema } from './schema/scenario-reference.ts';
import { scenarioFieldDocs } from './schema/scenario-docs.ts';

const ROOT = resolve(import.meta.dirname, '..');
const guide = readFileSync(resolve(ROOT, 'content/AUTHORING.md'), 'utf8');
const section = guide.slice(guide.indexOf(START_MARKER) + START_MARKER.length, guide.indexOf(END_MARKER)).trim();

describe('content/AUTHORING.md', () => {
  it('the scenario reference is up to date with the schema (after a schema change: npm run content:reference)', () => {
    expect(section, 'content/AUTHORING.md is out of date: run npm run content:reference').toBe(currentReference());
  });

  it('names every step kind and story-check kind, each with a field table or value and a YAML example that the schema accepts', () => {
    for (const [prefix, bodies] of [
      ['steps', scenarioStepBodies],
      ['checks', storyCheckBodies],
    ] as const) {
      for (const [kind, body] of Object.entries(bodies)) {
        const at = section.indexOf(`#### \`${kind}\``);
        expect(at, `${prefix}: ${kind} has no heading`).toBeGreaterThan(0);
        const example = /```yaml\n([\s\S]*?)\n```/.exec(section.slice(at))![1];
        const [item] = parse(example) as Record<string, unknown>[];
        expect(Object.keys(item)).toEqual([kind]);
        expect(body.safeParse(item[kind]).success, `${prefix}.${kind} example: ${example}`).toBe(true);
      }
    }
  });

  it('the worked example is content/scenarios/static-member-restart.yaml as it is', () => {
    const at = guide.indexOf("### A worked example: a static member's restart");
    const example = /```yaml\n([\s\S]*?)\n```/.exec(guide.slice(at))![1];
    expect(parse(example)).toEqual(parse(readFileSync(resolve(ROOT, 'content/scenarios/static-member-restart.yaml'), 'utf8')));
  });
});

describe('the JSON Schema', () => {
  const schema = scenarioJsonSchema(scenarioFieldDocs(scenarioJsonSchema()));

  it('has one branch per step kind and per check kind, each a one-key object with its body', () => {
    const kinds = (p: 'steps' | 'checks') => schema.properties![p].items!.oneOf!.map((b) => b.required![0]);
    expect(kinds('steps')).toEqual(Object.keys(scenarioStepBodies));
    expect(kinds('checks')).toEqual(Object.keys(storyCheckBodies));
    const produce = schema.properties!.steps.items!.oneOf![0].properties!.produce;
    expect(produce.required).toEqual(['producer', 'topic']);
    expect(produce.additionalProperties).toBe(false);
  });

  it('carries the descriptions and is draft-07 (what monaco-yaml reads)', () => {
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    const config = schema.properties!.consumers.items!.properties!.config;
    expect(config.properties!.sessionTimeoutMs.description).toMatch(/^session\.timeout\.ms; default \d+/);
    expect(config.additionalProperties).toBe(false);
  });
});
