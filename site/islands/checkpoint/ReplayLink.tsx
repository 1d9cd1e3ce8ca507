/**
 * "Replay in the player": a link from a failed test to /scenarios/replay/, carrying the test's replay
 * scenario (TestResult.replay) compressed in the URL fragment (site/lib/replay-link.ts) and this page's
 * path, so the replay page offers the way back. The learner's draft is saved as they type, so leaving
 * the page loses nothing.
 *
 * Props: `replay` (the scenario, plain JSON), `testTitle` (for the accessible name).
 */
import { useEffect, useState } from 'preact/hooks';
import { BASE } from '../../lib/base-url.ts';
import { replayFragment } from '../../lib/replay-link.ts';
import './replay-link.css';

export default function ReplayLink({ replay, testTitle }: { replay: unknown; testTitle: string }) {
  const [href, setHref] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    replayFragment(replay, location.pathname)
      .then((fragment) => live && setHref(`${BASE}scenarios/replay/${fragment}`))
      .catch(() => live && setFailed(true));
    return () => {
      live = false;
    };
  }, [replay]);
  const steps = Array.isArray((replay as { steps?: unknown[] })?.steps) ? (replay as { steps: unknown[] }).steps.length : 0;
  if (failed) return <p class="replay-link">This browser cannot compress the replay (no CompressionStream).</p>;
  return (
    <p class="replay-link" data-testid="replay">
      {href ? (
        <a class="button small" href={href} data-testid="replay-link" aria-label={`Replay in the player: ${testTitle}`}>
          ▶ Replay in the player
        </a>
      ) : (
        <span class="button small" aria-disabled="true">
          ▶ Replay in the player
        </span>
      )}{' '}
      <span class="replay-note">this case, {steps} steps, with the failure marked</span>
    </p>
  );
}
