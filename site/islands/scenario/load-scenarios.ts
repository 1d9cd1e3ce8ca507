/**
 * Build-time only (pages and author components; never imported by the island): read every scenario
 * in content/scenarios/ with content/schema/scenario.ts's loader and play it with the engine.
 *
 * A broken scenario fails the build with the loader's AuthoringError: the file, the path inside it
 * (`steps[3].produce.topic`), what was received and what was expected.
 *
 * - `listScenarios()`: every scenario file (`<id>.yaml` / `.yml` / `.json`), sorted by id.
 * - `loadScenario(id)`: one, by id; throws naming the known ids when there is none.
 * - `playScenario(scenario)`: the trace the player renders (runScenario with PLAYER_RUN_OPTIONS).
 * - `protocolComparison(scenario)`: for a scenario with `compareProtocols`, each protocol's metrics
 *   for the protocol toggle (compareProtocols with PLAYER_RUN_OPTIONS, traces left out).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { compareProtocols, runScenario } from '../../../engine/index.ts';
import type { ProtocolRun, Scenario, TraceEvent } from '../../../engine/index.ts';
import { loadScenarioFile } from '../../../content/schema/scenario.ts';
import { PLAYER_RUN_OPTIONS } from './model.ts';

/** content/scenarios, from the project root (Astro builds run there, like the content loaders). */
export const SCENARIO_DIR = resolve(process.cwd(), 'content/scenarios');

export interface LoadedScenario {
  id: string;
  /** project-relative path, e.g. content/scenarios/acks-1-loss.yaml */
  file: string;
  scenario: Scenario;
  /** the file's text, shown on the scenario's page */
  source: string;
}

const SCENARIO_FILE = /\.(ya?ml|json)$/;

function scenarioFiles(): string[] {
  return readdirSync(SCENARIO_DIR)
    .filter((f) => SCENARIO_FILE.test(f))
    .sort();
}

async function load(name: string): Promise<LoadedScenario> {
  // A project-relative path (Astro builds run from the root): the loader's messages name it as authors know it.
  const file = `content/scenarios/${name}`;
  const scenario = await loadScenarioFile(file);
  return { id: scenario.id, file, scenario, source: readFileSync(resolve(SCENARIO_DIR, name), 'utf8') };
}

/** Every scenario, sorted by id. @throws AuthoringError for the first broken file */
export async function listScenarios(): Promise<LoadedScenario[]> {
  const all: LoadedScenario[] = [];
  for (const name of scenarioFiles()) all.push(await load(name));
  return all.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** One scenario by id. @throws Error naming the known ids when no file has that id */
export async function loadScenario(id: string): Promise<LoadedScenario> {
  const name = scenarioFiles().find((f) => f.replace(SCENARIO_FILE, '') === id);
  if (!name) {
    const known = scenarioFiles().map((f) => f.replace(SCENARIO_FILE, ''));
    throw new Error(
      `<Scenario id="${id}">: no file content/scenarios/${id}.yaml; expected one of ${known.map((k) => `"${k}"`).join(', ')}`,
    );
  }
  return load(name);
}

/** The trace the player renders; deterministic, so every build gives the same page. */
export function playScenario(scenario: Scenario): TraceEvent[] {
  return runScenario(scenario, PLAYER_RUN_OPTIONS).trace;
}

/** Each rebalance protocol's metrics for the protocol toggle (the island plays the traces itself). */
export function protocolComparison(scenario: Scenario): Pick<ProtocolRun, 'variant' | 'label' | 'metrics'>[] {
  return compareProtocols(scenario, PLAYER_RUN_OPTIONS).map(({ variant, label, metrics }) => ({ variant, label, metrics }));
}
