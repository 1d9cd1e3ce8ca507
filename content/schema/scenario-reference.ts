/**
 * The scenario file's JSON Schema, generated so it cannot drift from the code: `scenarioJsonSchema(docs?)`
 * builds a draft-07 schema (what monaco-yaml and editors' YAML servers read) with zod 4's `z.toJSONSchema`
 * from content/schema/scenario.ts — every step kind and story-check kind as its own one-key branch, so a
 * kind added to the schema appears here with no other change. Browser-safe (the studio bundles it).
 *
 * Descriptions come from `scenarioFieldDocs` (./scenario-docs.ts, Node only: the engine's docstrings),
 * keyed by the author's path: `consumers[].config.sessionTimeoutMs`, `steps.produce.count`, `checks.owns.at`.
 * content/authoring-reference.ts turns the same schema and docs into AUTHORING.md's reference.
 */
import { z } from 'zod';
import { scenarioSchema, scenarioStepBodies, storyCheckBodies } from './scenario.ts';

/** A JSON Schema object (the subset this module reads and writes). */
export type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  minLength?: number;
  pattern?: string;
  description?: string;
  markdownDescription?: string;
  additionalProperties?: boolean | JsonSchema;
  defaultSnippets?: { label?: string; body: unknown }[];
  [key: string]: unknown;
};

/** Field path → description (and the default, when the docstring names one). */
export type FieldDocs = Map<string, { text: string; default?: string }>;

function toJson(schema: z.ZodType): JsonSchema {
  const json = z.toJSONSchema(schema, { target: 'draft-7', unrepresentable: 'any', io: 'input' }) as JsonSchema;
  delete json.$schema;
  return tidy(json);
}

/** Drop zod's ±MAX_SAFE_INTEGER bounds: they say nothing to an author. */
function tidy(node: JsonSchema): JsonSchema {
  if (node.maximum === Number.MAX_SAFE_INTEGER) delete node.maximum;
  if (node.minimum === Number.MIN_SAFE_INTEGER) delete node.minimum;
  for (const v of Object.values(node.properties ?? {})) tidy(v);
  if (node.items) tidy(node.items);
  for (const v of [...(node.anyOf ?? []), ...(node.oneOf ?? [])]) tidy(v);
  if (typeof node.additionalProperties === 'object') tidy(node.additionalProperties);
  return node;
}

/** One-key objects: `{ <kind>: body }` for each kind, as a oneOf; the kind's doc goes on the branch. */
function oneKeyBranches(bodies: Record<string, z.ZodType>, prefix: string, docs?: FieldDocs): JsonSchema[] {
  return Object.entries(bodies).map(([kind, body]) => {
    const schema = toJson(body);
    const doc = docs?.get(`${prefix}.${kind}`)?.text;
    if (doc) schema.description = doc;
    annotate(schema, `${prefix}.${kind}`, docs);
    return {
      type: 'object',
      properties: { [kind]: schema },
      required: [kind],
      additionalProperties: false,
      ...(doc ? { description: doc } : {}),
    };
  });
}

/** Put each field's description on the schema, walking objects and lists. */
function annotate(node: JsonSchema, path: string, docs?: FieldDocs): void {
  if (!docs) return;
  for (const [name, child] of Object.entries(node.properties ?? {})) {
    const p = `${path}.${name}`.replace(/^\./, '');
    const doc = docs.get(p);
    if (doc && !child.description) child.description = doc.text;
    annotate(child, p, docs);
  }
  if (node.items) annotate(node.items, `${path}[]`, docs);
  for (const branch of node.anyOf ?? []) if (branch.type === 'array' || branch.type === 'object') annotate(branch, path, docs);
}

/**
 * The scenario file's JSON Schema (draft-07), generated from the zod schema.
 * @param docs descriptions for hovers and completion (scenarioFieldDocs()); without them, the bare schema
 */
export function scenarioJsonSchema(docs?: FieldDocs): JsonSchema {
  const root = toJson(scenarioSchema);
  annotate(root, '', docs);
  const props = root.properties!;
  props.steps = {
    ...props.steps,
    type: 'array',
    minItems: 1,
    description: docs?.get('steps')?.text,
    items: { oneOf: oneKeyBranches(scenarioStepBodies, 'steps', docs) },
  };
  props.checks = {
    ...props.checks,
    type: 'array',
    description: docs?.get('checks')?.text,
    items: { oneOf: oneKeyBranches(storyCheckBodies, 'checks', docs) },
  };
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://partition-lab.local/scenario.schema.json',
    description: 'A small Kafka world and a timeline of what happens to it (content/scenarios/<id>.yaml).',
    ...root,
  };
}

/** The step kinds and story-check kinds the schema accepts, in declaration order. */
export const STEP_KIND_NAMES = Object.keys(scenarioStepBodies);
export const CHECK_KIND_NAMES = Object.keys(storyCheckBodies);
