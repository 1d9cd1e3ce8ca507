/**
 * /studio/scenario.schema.json: the scenario file's JSON Schema (draft-07) with descriptions, generated at
 * build time from the zod schema and the engine's docstrings (content/schema/scenario-reference.ts and
 * scenario-docs.ts). The studio embeds the same schema; editors outside it (VS Code's YAML extension) can
 * point a file at this URL with `# yaml-language-server: $schema=<url>`.
 */
import type { APIRoute } from 'astro';
import { scenarioJsonSchema } from '../../../content/schema/scenario-reference.ts';
import { scenarioFieldDocs } from '../../../content/schema/scenario-docs.ts';

export const GET: APIRoute = () => {
  const schema = scenarioJsonSchema(scenarioFieldDocs(scenarioJsonSchema()));
  return new Response(`${JSON.stringify(schema, null, 2)}\n`, { headers: { 'Content-Type': 'application/schema+json' } });
};
