/**
 * What the byte-identity check records: `JSON.stringify` of every scenario's full run
 * (content/scenarios/*, default run options: the trace and the final state) and of every drill kind
 * for seeds 0–99 (the question, and the answer as the page formats it).
 *
 * Issue 8 moves the engine into one folder per Kafka component without changing behaviour; this
 * pins that. `generate.ts` writes the fixture, `byte-identity.spec.ts` compares against it.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DRILL_KINDS, formatDrillAnswer, generateDrill, runScenario } from '../../../engine/index.ts';
import { loadScenarioFile } from '../../../content/schema/scenario.ts';

export const SCENARIO_DIR = join(import.meta.dirname, '../../../content/scenarios');
export const FIXTURE = join(import.meta.dirname, 'fixture.json.gz');
export const SEEDS = 100;

/** One recorded output: a stable name (`scenario:acks-1-loss`, `drill:range-assignment:7`) and its JSON text. */
export interface Output {
  name: string;
  json: string;
}

export async function scenarioOutputs(): Promise<Output[]> {
  const files = readdirSync(SCENARIO_DIR)
    .filter((f) => /\.(ya?ml|json)$/.test(f))
    .sort();
  const out: Output[] = [];
  for (const f of files) {
    const scenario = await loadScenarioFile(join(SCENARIO_DIR, f));
    out.push({ name: `scenario:${f.replace(/\.(ya?ml|json)$/, '')}`, json: JSON.stringify(runScenario(scenario)) });
  }
  return out;
}

export function drillOutputs(): Output[] {
  const out: Output[] = [];
  for (const { kind } of DRILL_KINDS) {
    for (let seed = 0; seed < SEEDS; seed++) {
      const q = generateDrill(kind, seed);
      out.push({ name: `drill:${kind}:${seed}`, json: JSON.stringify({ question: q, answer: formatDrillAnswer(q) }) });
    }
  }
  return out;
}
