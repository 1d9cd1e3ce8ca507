/**
 * What the studio's worker does with the author's YAML, as pure functions (the worker, ./studio.worker.ts,
 * only passes messages; the specs call these directly):
 *
 * - `analyzeScenario(text)`: YAML syntax (line and column) and the scenario format with the build's
 *   friendly messages (content/schema/scenario.ts: path, received, expected, near-miss suggestions), each
 *   problem placed on the text it is about (the field's key or value) for the editor's markers;
 * - `playScenarioText(text)`: the same, then the engine plays it (runScenario with the player's options)
 *   and verifies its story checks (engine/scenario/checks.ts).
 *
 * Positions are 1-based lines and columns, as Monaco's markers take them.
 */
import { LineCounter, isMap, isPair, isScalar, parseDocument, type Node as YamlNode } from 'yaml';
import { runScenario, verifyStoryChecks } from '../../../engine/index.ts';
import type { CheckResult, Scenario, TraceEvent } from '../../../engine/index.ts';
import { scenarioIssues } from '../../../content/schema/scenario.ts';
import { PLAYER_RUN_OPTIONS } from '../scenario/model.ts';

/** One problem, placed in the text. */
export interface StudioIssue {
  /** the author's path, `steps[3].produce.topic`, or '' for the whole file */
  path: string;
  /** `received …; expected …`, the build's wording */
  message: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface Analysis {
  issues: StudioIssue[];
  /** the scenario when there are no issues */
  scenario: Scenario | null;
}

export interface PlayResult extends Analysis {
  trace: TraceEvent[] | null;
  checks: CheckResult[];
  /** the engine could not play it (a message for the author), else null */
  error: string | null;
  /** how long the engine took, ms (for the page's status line) */
  runMs: number;
}

/** `steps[3].produce.topic` → ['steps', 3, 'produce', 'topic'] */
export function parsePath(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const m of path.matchAll(/\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]|([^.[\]]+)/g)) {
    if (m[1] !== undefined) out.push(Number(m[1]));
    else if (m[2] !== undefined) out.push(JSON.parse(`"${m[2]}"`) as string);
    else out.push(m[3]);
  }
  return out;
}

/**
 * The text range a problem is about: the unknown field's key for "unknown field" messages, else the
 * field's value; walking up to the nearest part of the path that exists in the text.
 */
function locate(doc: ReturnType<typeof parseDocument>, lines: LineCounter, path: string, message: string): [number, number] {
  const parts = parsePath(path);
  let node: unknown = doc.contents;
  let best: YamlNode | null = (doc.contents as YamlNode | null) ?? null;
  let keyNode: YamlNode | null = null;
  for (const part of parts) {
    if (!node || typeof node !== 'object' || !('items' in node)) break;
    const items = (node as { items: unknown[] }).items;
    let next: unknown;
    if (typeof part === 'number') next = items[part];
    else {
      const pair = items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === part);
      if (isPair(pair)) {
        keyNode = pair.key as YamlNode;
        next = pair.value ?? pair.key;
      }
    }
    if (next === undefined) break;
    node = next;
    if (node && typeof node === 'object' && 'range' in node) best = node as YamlNode;
  }
  const unknown = /unknown fields? "([^"]+)"/.exec(message);
  if (unknown && isMap(node)) {
    const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === unknown[1]);
    if (pair && isScalar(pair.key) && pair.key.range) return [pair.key.range[0], pair.key.range[1]];
  }
  // a missing field: point at the object's key that holds it, not its whole body
  if (/received nothing \(the field is missing\)/.test(message) && keyNode?.range) return [keyNode.range[0], keyNode.range[1]];
  const range = best?.range;
  if (!range) return [0, Math.max(1, lines.lineStarts[1] ?? 1) - 1];
  // a whole map or list: its first line only, so the squiggle stays readable
  const end = isMap(best) || (best && 'items' in best) ? Math.min(range[1], nextLineStart(lines, range[0])) : range[1];
  return [range[0], Math.max(end, range[0] + 1)];
}

function nextLineStart(lines: LineCounter, offset: number): number {
  const next = lines.lineStarts.find((s) => s > offset);
  return next === undefined ? offset + 1 : next - 1;
}

function place(lines: LineCounter, [start, end]: [number, number]): Pick<StudioIssue, 'line' | 'column' | 'endLine' | 'endColumn'> {
  const a = lines.linePos(start);
  const b = lines.linePos(end);
  return { line: a.line, column: a.col, endLine: b.line, endColumn: b.col };
}

/** Parse and check the text; problems carry their place in the text. */
export function analyzeScenario(text: string): Analysis {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length) {
    return {
      scenario: null,
      issues: doc.errors.map((e) => {
        const [start, end] = e.pos;
        return {
          path: '',
          message: `received text that is not valid YAML (${e.message.split('\n')[0]}); expected a YAML scenario`,
          ...place(lines, [start, Math.max(end, start + 1)]),
        };
      }),
    };
  }
  const raw: unknown = doc.toJS();
  // The studio has no file name ("studio", no extension: the id is not compared with one); a download is named after the id.
  const issues = scenarioIssues(raw, 'studio');
  return {
    scenario: issues.length ? null : (raw as Scenario),
    issues: issues.map((i) => ({ ...i, ...place(lines, locate(doc, lines, i.path, i.message)) })),
  };
}

/** Check, play and verify the story checks. Never throws: an engine failure is reported in `error`. */
export function playScenarioText(text: string): PlayResult {
  const analysis = analyzeScenario(text);
  if (!analysis.scenario) return { ...analysis, trace: null, checks: [], error: null, runMs: 0 };
  const started = performance.now();
  try {
    const result = runScenario(analysis.scenario, PLAYER_RUN_OPTIONS);
    const checks = verifyStoryChecks(analysis.scenario, result);
    return { ...analysis, trace: result.trace, checks, error: null, runMs: performance.now() - started };
  } catch (e) {
    return {
      ...analysis,
      trace: null,
      checks: [],
      error: `The engine could not play it: ${(e as Error).message}`,
      runMs: performance.now() - started,
    };
  }
}
