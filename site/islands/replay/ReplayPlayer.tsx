/**
 * ReplayPlayer — the island of /scenarios/replay/: a scenario that arrives in the URL fragment (a
 * checkpoint's "Replay in the player", site/lib/replay-link.ts), checked with the scenario format
 * (content/schema/scenario.ts), played by the engine right here in the page, and shown with the
 * scenario player step by step. Nothing is sent anywhere: the fragment stays in the browser.
 *
 * States: reading → playing (title, summary, the player, the scenario as JSON) | problem (a damaged
 * link, a scenario the format refuses — with the path, what came and what was expected — or a step
 * the engine cannot run). A "Back" link returns to the page named in the fragment (same site only).
 */
import { useEffect, useState } from 'preact/hooks';
import { runScenario, type Scenario, type TraceEvent } from '../../../engine/index.ts';
import { scenarioIssues } from '../../../content/schema/scenario.ts';
import { decodeReplay, parseReplayFragment } from '../../lib/replay-link.ts';
import { PLAYER_RUN_OPTIONS } from '../scenario/model.ts';
import ScenarioPlayer from '../ScenarioPlayer.tsx';

type View =
  | { state: 'reading' }
  | { state: 'problem'; message: string; details?: string[] }
  | { state: 'playing'; scenario: Scenario; trace: TraceEvent[] };

/** Decode, validate and play the fragment's scenario. */
export async function loadReplay(hash: string): Promise<View> {
  const { encoded } = parseReplayFragment(hash);
  if (!encoded)
    return {
      state: 'problem',
      message: 'This page shows a replay from a checkpoint: open it with the "Replay in the player" button under a failed test.',
    };
  let raw: unknown;
  try {
    raw = await decodeReplay(encoded);
  } catch (e) {
    return { state: 'problem', message: (e as Error).message };
  }
  const issues = scenarioIssues(raw, 'replay');
  if (issues.length)
    return {
      state: 'problem',
      message: 'The replay is not a valid scenario:',
      details: issues.map((i) => `${i.path || 'the scenario'}: ${i.message}`),
    };
  const scenario = raw as Scenario;
  try {
    return { state: 'playing', scenario, trace: runScenario(scenario, PLAYER_RUN_OPTIONS).trace };
  } catch (e) {
    return { state: 'problem', message: `The engine could not play the replay: ${(e as Error).message}` };
  }
}

export default function ReplayPlayer() {
  const [view, setView] = useState<View>({ state: 'reading' });
  const [from, setFrom] = useState<string | null>(null);
  useEffect(() => {
    const read = () => {
      setFrom(parseReplayFragment(location.hash).from);
      void loadReplay(location.hash).then(setView);
    };
    read();
    addEventListener('hashchange', read);
    return () => removeEventListener('hashchange', read);
  }, []);

  const back = from && (
    <p class="replay-back">
      <a
        href={from}
        data-testid="replay-back"
        onClick={(e) => {
          // the checkpoint's own history entry keeps its results: go back when we came from there
          if (history.length > 1 && document.referrer && new URL(document.referrer).pathname === from) {
            e.preventDefault();
            history.back();
          }
        }}
      >
        ← Back to the checkpoint
      </a>
    </p>
  );

  if (view.state === 'reading') return <p data-testid="replay-status">Reading the replay…</p>;
  if (view.state === 'problem') {
    return (
      <div data-testid="replay-problem" role="alert">
        <p>{view.message}</p>
        {view.details && (
          <ul>
            {view.details.map((d) => (
              <li key={d}>{d}</li>
            ))}
          </ul>
        )}
        {back}
      </div>
    );
  }
  const { scenario, trace } = view;
  return (
    <div data-testid="replay-ready">
      {back}
      <h2 class="replay-title">{scenario.title}</h2>
      <p class="replay-summary" data-testid="replay-summary">
        {scenario.summary}
      </p>
      <ScenarioPlayer trace={trace} title={scenario.title} />
      <details class="replay-source">
        <summary>The scenario ({scenario.steps.length} steps, JSON)</summary>
        <pre>
          <code>{JSON.stringify(scenario, null, 2)}</code>
        </pre>
      </details>
    </div>
  );
}
