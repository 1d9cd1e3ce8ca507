/**
 * ProtocolPlayer — the Preact island that plays one membership story under several rebalance
 * protocols, with a toggle: classic eager, classic cooperative, and the consumer protocol (KIP-848).
 *
 * Props:
 * - `scenario` (Scenario, required): the story; the island plays the chosen protocol's variant with
 *   the engine in the page (`scenarioUnderProtocol` + `runScenario`, like the replay page), so the
 *   page carries one small scenario instead of three full traces (deterministic: the build's
 *   server-rendered first view and the page's agree).
 * - `comparison` (required): per protocol `{ variant, label, metrics }`, computed at build time by
 *   the engine's `compareProtocols` (engine/scenario/protocol-variants.ts).
 * - `title` (string, required): the scenario's title, for the players' accessible names.
 *
 * What it shows: a radio group to pick the protocol (the step shown is kept when switching, so the
 * learner compares the same moment), a table comparing the three runs (rebalances — generations or
 * group epochs —, partitions revoked or lost, partitions that stopped being read and for how long),
 * the chosen row highlighted, and the ScenarioPlayer of the chosen run.
 */
import { useCallback, useMemo, useState } from 'preact/hooks';
import { runScenario, scenarioUnderProtocol } from '../../engine/index.ts';
import type { ProtocolRun, Scenario } from '../../engine/index.ts';
import ScenarioPlayer from './ScenarioPlayer.tsx';
import { formatTime, PLAYER_RUN_OPTIONS } from './scenario/model.ts';
import './scenario/protocol-player.css';

interface Props {
  scenario: Scenario;
  comparison: Pick<ProtocolRun, 'variant' | 'label' | 'metrics'>[];
  title: string;
}

const HINT: Record<ProtocolRun['variant'], string> = {
  'classic-eager': 'Every member gives up every partition before each JoinGroup round, and gets its share back when the round completes.',
  'classic-cooperative':
    'Members keep what stays theirs; only moving partitions are revoked, and a second round (the follow-up rebalance) hands them over.',
  consumer:
    'No rounds: the coordinator reconciles each member on its own heartbeats (every 5 s). A freed partition goes to its new owner on that member’s next heartbeat.',
};

export default function ProtocolPlayer({ scenario, comparison: runs, title }: Props) {
  const [chosen, setChosen] = useState(0);
  const [step, setStep] = useState(0);
  const onStepChange = useCallback((i: number) => setStep(i), []);
  const run = runs[chosen];
  const trace = useMemo(() => runScenario(scenarioUnderProtocol(scenario, run.variant), PLAYER_RUN_OPTIONS).trace, [scenario, run.variant]);
  const name = `protocol-${title.replace(/\W+/g, '-').toLowerCase()}`;
  return (
    <div class="pplayer" data-protocol={run.variant}>
      <fieldset class="pplayer-toggle">
        <legend>Rebalance protocol</legend>
        {runs.map((r, i) => (
          <label class={i === chosen ? 'pplayer-option is-chosen' : 'pplayer-option'}>
            <input type="radio" name={name} value={r.variant} checked={i === chosen} onChange={() => setChosen(i)} />
            <span>{r.label}</span>
          </label>
        ))}
      </fieldset>
      <p class="pplayer-hint" data-testid="protocol-hint">
        {HINT[run.variant]}
      </p>
      {/* focusable so keyboard users can scroll the table sideways on a narrow screen (axe: scrollable-region-focusable) */}
      <div class="pplayer-table-scroll" tabIndex={0} role="region" aria-label="The same story under each protocol (scrolls sideways)">
        <table class="pplayer-table">
          <caption>The same story under each protocol, as the engine played it</caption>
          <thead>
            <tr>
              <th scope="col">protocol</th>
              <th scope="col" title="classic generations, or consumer-protocol group epochs">
                rebalances
              </th>
              <th scope="col" title="partitions handed back through onPartitionsRevoked or onPartitionsLost">
                partitions revoked
              </th>
              <th scope="col" title="partitions that some time had no running consumer owning them">
                partitions paused
              </th>
              <th scope="col" title="summed over partitions: time with no running consumer owning them">
                paused time
              </th>
            </tr>
          </thead>
          <tbody>
            {runs.map((r, i) => (
              <tr class={i === chosen ? 'is-chosen' : ''} data-variant={r.variant}>
                <th scope="row">{r.label}</th>
                <td>{r.metrics.rebalances}</td>
                <td>{r.metrics.revokedPartitions}</td>
                <td>{r.metrics.pausedPartitions}</td>
                <td>{formatTime(r.metrics.pausedPartitionMs)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p class="pplayer-note">
        Requests take no time in this simulation, so a classic JoinGroup round costs nothing here beyond the rejoins; in a real cluster
        every member’s poll() also waits at that barrier.
      </p>
      <ScenarioPlayer
        key={run.variant}
        trace={trace}
        title={`${title} (${run.label})`}
        initialStep={Math.min(step, trace.length - 1)}
        onStepChange={onStepChange}
      />
    </div>
  );
}
