/**
 * ScenarioPlayer — the Preact island that plays a scenario's trace step by step.
 *
 * Props:
 * - `trace` (TraceEvent[], required): computed at build time by the engine's `runScenario`
 *   (with PLAYER_RUN_OPTIONS from ./scenario/model.ts); the island never runs the engine.
 * - `title` (string, required): the scenario's title, used in the region's accessible name.
 * - `initialStep` (number, optional, default 0): the event shown first.
 * - `onStepChange` ((index: number) => void, optional): told the event shown after every move (the
 *   protocol toggle, ./ProtocolPlayer.tsx, keeps the step when it switches traces; the studio keeps it across replays).
 *
 * What it shows, from the current event's snapshot only (and the previous event, to highlight what
 * changed): the step (description in Kafka notation, the running narration, what the engine did,
 * rebalance callbacks, delivery outcomes, client errors), brokers, each topic's partitions as logs
 * (./scenario/PartitionLog.tsx), each consumer group (./scenario/GroupPanel.tsx) and producers.
 *
 * Controls: first / previous / play-pause / next / last buttons, a scrubber (range input) and the
 * step counter "3 / 17". Keyboard, anywhere in the player: ← / → previous / next, Home / End first /
 * last, Space play / pause (on a focused button Space and Enter press that button). Each step's
 * description is announced through an aria-live region.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { TraceEvent } from '../../engine/index.ts';
import { plural } from '../../engine/index.ts';
import { cellWidthRem, changeSummary, diffEvents, formatTime, tpLabel } from './scenario/model.ts';
import { PartitionLog } from './scenario/PartitionLog.tsx';
import { GroupPanel } from './scenario/GroupPanel.tsx';
import { SharePanel } from './scenario/SharePanel.tsx';
import './scenario/scenario-player.css';

interface Props {
  trace: TraceEvent[];
  title: string;
  initialStep?: number;
  onStepChange?: (index: number) => void;
}

/** "What the engine did" starts open up to this many lines, folded beyond */
const HAPPENED_OPEN_MAX = 5;

/** ms per step while playing */
const PLAY_INTERVAL_MS = 1600;

const KIND_LABEL: Record<TraceEvent['kind'], string> = {
  start: 'start',
  produce: 'produce',
  poll: 'poll',
  process: 'process',
  commit: 'commit',
  crash: 'crash',
  restart: 'restart',
  join: 'join',
  leave: 'leave',
  brokerDown: 'broker down',
  brokerUp: 'broker up',
  pauseFetching: 'follower stalls',
  resumeFetching: 'follower resumes',
  fetch: 'follower fetch',
  advanceTime: 'time passes',
  addPartitions: 'add partitions',
  initTransactions: 'init transactions',
  beginTransaction: 'begin transaction',
  sendOffsetsToTransaction: 'offsets to transaction',
  commitTransaction: 'commit transaction',
  abortTransaction: 'abort transaction',
  note: 'note',
  sharePoll: 'share poll',
  acknowledge: 'acknowledge',
  shareCommit: 'share commit',
  shareClose: 'share close',
  shareCrash: 'share crash',
};

/** Control icons as inline SVG (the ⏮ ⏭ ⏸ glyphs are missing from many system fonts). */
const ICON_PATHS = {
  first: 'M3 3h2v10H3zM13 3v10L6 8z',
  prev: 'M12 3v10L5 8z',
  play: 'M5 3v10l8-5z',
  pause: 'M4 3h3v10H4zM9 3h3v10H9z',
  next: 'M4 3v10l7-5z',
  last: 'M3 3v10l7-5zM11 3h2v10h-2z',
};
function Icon({ name }: { name: keyof typeof ICON_PATHS }) {
  return (
    <svg class="sp-icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">
      <path d={ICON_PATHS[name]} fill="currentColor" />
    </svg>
  );
}

function StepDetails({ event }: { event: TraceEvent }) {
  const snap = event.snapshot;
  const badges: preact.JSX.Element[] = [];
  for (const cb of event.callbacks) {
    badges.push(
      <span
        class={`badge badge--${cb.kind}`}
        title={`${cb.consumer} (group ${cb.group}): onPartitions${cb.kind[0].toUpperCase()}${cb.kind.slice(1)}`}
      >
        {cb.consumer} {cb.kind}: {cb.partitions.length ? cb.partitions.map((tp) => tpLabel(snap, tp)).join(', ') : 'none'}
      </span>,
    );
  }
  // Deliveries: each one as a badge when there are few; per producer and outcome when there are many.
  const FEW = 3;
  const groups = new Map<string, TraceEvent['deliveries']>();
  for (const d of event.deliveries) {
    const k = `${d.producer}|${d.status}|${d.error ?? ''}`;
    groups.set(k, [...(groups.get(k) ?? []), d]);
  }
  for (const ds of groups.values()) {
    const d0 = ds[0];
    const where = (d: (typeof ds)[number]) => `${tpLabel(snap, d)}${d.offset !== null ? `@${d.offset}` : ''}`;
    const acked = d0.status === 'acked';
    const cls = `badge badge--${acked ? 'acked' : d0.status === 'failed' ? 'failed' : 'pending'}`;
    const outcome = acked ? 'acked' : (d0.error ?? d0.status);
    if (ds.length > FEW) {
      badges.push(
        <span class={cls} title={ds.map(where).join(', ')}>
          {acked ? '✓' : '✗'} {d0.producer} {outcome}: {ds.length} records
        </span>,
      );
      continue;
    }
    for (const d of ds) {
      badges.push(
        <span class={cls} title={`${d.producer}: record with key ${d.key ?? 'null'} → ${outcome}`}>
          {acked ? '✓' : '✗'} {d.producer} {acked ? `acked ${where(d)}` : `${tpLabel(snap, d)} ${outcome}`}
        </span>,
      );
    }
  }
  if (event.error) badges.push(<span class="badge badge--error">⚠ {event.error}</span>);
  return badges.length ? <div class="step-badges">{badges}</div> : null;
}

export default function ScenarioPlayer({ trace, title, initialStep = 0, onStepChange }: Props) {
  const last = trace.length - 1;
  const [index, setIndex] = useState(() => Math.min(Math.max(0, initialStep), last));
  const [playing, setPlaying] = useState(false);
  const rootRef = useRef<HTMLDivElement>(null);

  const event = trace[index];
  const prev = index > 0 ? trace[index - 1] : null;
  const changes = useMemo(() => diffEvents(prev, event), [prev, event]);
  const summary = useMemo(() => changeSummary(prev, event, changes), [prev, event, changes]);
  const snap = event.snapshot;

  const go = (i: number) => setIndex(Math.min(Math.max(0, i), last));
  useEffect(() => onStepChange?.(index), [index, onStepChange]);
  const stop = () => setPlaying(false);

  useEffect(() => {
    if (!playing) return;
    if (index >= last) {
      setPlaying(false);
      return;
    }
    const t = setTimeout(() => setIndex((i) => Math.min(i + 1, last)), PLAY_INTERVAL_MS);
    return () => clearTimeout(t);
  }, [playing, index, last]);

  const togglePlay = () => {
    if (playing) return stop();
    if (index >= last) setIndex(0); // replay from the start
    setPlaying(true);
  };

  const onKeyDown = (e: KeyboardEvent) => {
    const target = e.target as HTMLElement;
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const isButton = target.tagName === 'BUTTON' || target.tagName === 'A';
    const isRange = target instanceof HTMLInputElement && target.type === 'range';
    switch (e.key) {
      case 'ArrowLeft':
      case 'ArrowRight':
      case 'Home':
      case 'End':
        if (isRange) return; // the scrubber handles these itself (onInput)
        e.preventDefault();
        stop();
        go(e.key === 'ArrowLeft' ? index - 1 : e.key === 'ArrowRight' ? index + 1 : e.key === 'Home' ? 0 : last);
        return;
      case ' ':
      case 'Spacebar':
        if (isButton) return; // Space presses the focused button
        e.preventDefault();
        togglePlay();
        return;
    }
  };

  const topics = snap.topics;
  const isNote = event.kind === 'note';
  const stepText = `Step ${index} / ${last}`;
  // The button's name is its visible text (no aria-pressed: the name itself says what a press does).
  const playLabel = playing ? 'Pause' : index >= last ? 'Replay' : 'Play';
  const announce = `Step ${index} of ${last}: ${event.description}`;

  return (
    <div class="splayer" ref={rootRef} onKeyDown={onKeyDown} role="region" aria-label={`Scenario player: ${title}`} data-step={index}>
      <div class="splayer-controls" role="group" aria-label="Step controls">
        <div class="splayer-buttons">
          <button
            type="button"
            class="sp-btn"
            onClick={() => (stop(), go(0))}
            disabled={index === 0}
            aria-label="First step"
            title="First step (Home)"
          >
            <Icon name="first" />
          </button>
          <button
            type="button"
            class="sp-btn"
            onClick={() => (stop(), go(index - 1))}
            disabled={index === 0}
            aria-label="Previous step"
            title="Previous step (←)"
          >
            <Icon name="prev" />
          </button>
          <button type="button" class="sp-btn sp-btn--play" onClick={togglePlay} aria-label={playLabel} title="Play / pause (Space)">
            <Icon name={playing ? 'pause' : 'play'} />
            <span class="sp-btn-text" aria-hidden="true">
              {playLabel}
            </span>
          </button>
          <button
            type="button"
            class="sp-btn"
            onClick={() => (stop(), go(index + 1))}
            disabled={index === last}
            aria-label="Next step"
            title="Next step (→)"
          >
            <Icon name="next" />
          </button>
          <button
            type="button"
            class="sp-btn"
            onClick={() => (stop(), go(last))}
            disabled={index === last}
            aria-label="Last step"
            title="Last step (End)"
          >
            <Icon name="last" />
          </button>
        </div>
        <input
          class="splayer-scrubber"
          type="range"
          min={0}
          max={last}
          step={1}
          value={index}
          aria-label="Step"
          aria-valuetext={announce}
          onInput={(e) => {
            stop();
            go(Number((e.currentTarget as HTMLInputElement).value));
          }}
        />
        <span class="splayer-counter" data-testid="step-counter">
          {stepText}
        </span>
        <span class="splayer-time" title="simulated clock">
          t = {formatTime(event.timeMs)}
        </span>
      </div>
      <p class="visually-hidden" aria-live="polite" aria-atomic="true">
        {announce}
      </p>

      <div class="splayer-step" data-kind={event.kind}>
        <p class="step-line">
          <span class={`kind-badge kind-badge--${event.kind}`}>{KIND_LABEL[event.kind]}</span>
          <span class={isNote ? 'step-description step-description--note' : 'step-description'} data-testid="step-description">
            {event.description}
          </span>
        </p>
        {event.narration && !isNote && (
          <p class="step-narration" data-testid="step-narration">
            <span class="step-narration-label">Story so far: </span>
            {event.narration}
          </p>
        )}
        <StepDetails event={event} />
        {(event.happened.length > 0 || summary.length > 0) && (
          <div class="step-lists">
            {event.happened.length > 0 && (
              <details class="step-happened-box" open={event.happened.length <= HAPPENED_OPEN_MAX} key={`happened-${index}`}>
                <summary class="step-list-title">
                  What the engine did{event.happened.length > HAPPENED_OPEN_MAX ? ` (${event.happened.length} lines)` : ''}
                </summary>
                <ul class="step-happened">
                  {event.happened.map((h) => (
                    <li>{h}</li>
                  ))}
                </ul>
              </details>
            )}
            {summary.length > 0 && (
              <div>
                <h3 class="step-list-title">Changed since the previous step</h3>
                <ul class="step-changes" data-testid="step-changes">
                  {summary.map((s) => (
                    <li>{s}</li>
                  ))}
                </ul>
              </div>
            )}
          </div>
        )}
      </div>

      <div class="splayer-stage">
        <div class="stage-topics">
          <div class="brokers" aria-label="brokers">
            <span class="stage-label">brokers</span>
            {snap.brokers.map((b) => (
              <span
                class={`broker-chip${b.alive ? '' : ' broker-chip--down'}${changes.brokers.has(b.id) ? ' is-changed' : ''}`}
                title={`broker ${b.id}${b.rack ? ` (rack ${b.rack})` : ''}: ${b.alive ? 'up' : 'down'}`}
              >
                B{b.id}
                {b.rack ? ` · ${b.rack}` : ''}
                {b.alive ? '' : ' ✕ down'}
              </span>
            ))}
          </div>
          {topics.map((t) => {
            const parts = snap.partitions.filter((p) => p.topic === t.name);
            const replicated = t.replicationFactor > 1;
            // Many short logs side by side; long logs one per row.
            const compact = parts.length >= 6 && !replicated && parts.every((p) => p.records.length + p.recordsOmitted <= 6);
            return (
              <section
                class={compact ? 'topic topic--compact' : 'topic'}
                aria-label={`topic ${t.name}`}
                data-topic={t.name}
                style={{ '--cell-w': `${cellWidthRem(parts)}rem` }}
              >
                <h3 class="topic-title">
                  <span class="topic-kicker">topic</span> {t.name}
                  <span class="topic-meta">
                    {plural(t.partitions, 'partition')} · RF {t.replicationFactor}
                    {t.cleanupPolicy !== 'delete' ? ` · cleanup.policy=${t.cleanupPolicy}` : ''}
                    {replicated && t.minInsyncReplicas > 1 ? ` · min.insync.replicas=${t.minInsyncReplicas}` : ''}
                  </span>
                </h3>
                <div class="topic-partitions">
                  {parts.map((p) => (
                    <PartitionLog partition={p} snapshot={snap} changes={changes} replicated={replicated} />
                  ))}
                </div>
              </section>
            );
          })}
          {snap.shareGroups?.map((g) => (
            <SharePanel group={g} previous={trace[index - 1]?.snapshot.shareGroups?.find((x) => x.id === g.id)} />
          ))}
          <p class="legend">
            <span class="legend-item">
              <span class="legend-swatch legend-swatch--record" /> record (colour = key)
            </span>
            <span class="legend-item">
              <span class="marker marker--hw">HW</span> high watermark: consumers read only below it
            </span>
            <span class="legend-item">
              <span class="legend-swatch legend-swatch--uncommitted" /> not committed yet (at or above HW)
            </span>
            <span class="legend-item">
              <span class="legend-swatch legend-swatch--new" /> new this step
            </span>
            {topics.some((t) => t.replicationFactor > 1) && (
              <span class="legend-item">
                <span class="replica-bar replica-bar--full legend-bar" />
                <span>
                  offsets a broker's replica holds (<span class="legend-down">red</span>: broker down)
                </span>
              </span>
            )}
            {snap.groups.length > 0 && (
              <span class="legend-item">
                <span class="marker marker--position">C0 ▸n</span> C0's position (next offset it reads)
              </span>
            )}
            {snap.groups.length > 0 && (
              <span class="legend-item">
                <span class="marker marker--committed">✓n</span> the group's committed offset
              </span>
            )}
          </p>
        </div>
        {(snap.groups.length > 0 || snap.producers.length > 0) && (
          <div class="stage-side">
            {snap.groups.map((g) => (
              <GroupPanel group={g} snapshot={snap} changes={changes} />
            ))}
            {snap.producers.length > 0 && (
              <section class="producers" aria-label="producers">
                {snap.producers.map((pr) => (
                  <p class="producer">
                    <span class="producer-chip">{pr.id}</span>
                    <span class="producer-meta">
                      acks={pr.acks === -1 ? 'all' : pr.acks} · idempotence {pr.enableIdempotence ? 'on' : 'off'}
                    </span>
                    <span class="producer-counts">
                      {pr.counts.acked} acked
                      {pr.counts.failed > 0 ? <span class="producer-failed"> · {pr.counts.failed} failed</span> : ''}
                      {pr.counts.pending > 0 ? ` · ${pr.counts.pending} pending` : ''}
                    </span>
                  </p>
                ))}
              </section>
            )}
          </div>
        )}
      </div>
      <details class="splayer-steps">
        <summary>All {last} steps</summary>
        <ol start={0}>
          {trace.map((e, i) => (
            <li>
              <button
                type="button"
                class="splayer-step-link"
                aria-current={i === index ? 'step' : undefined}
                onClick={() => (stop(), go(i))}
              >
                <span class={`kind-badge kind-badge--${e.kind}`}>{KIND_LABEL[e.kind]}</span> {e.description}
              </button>
            </li>
          ))}
        </ol>
      </details>
      <p class="splayer-keys">
        Keys: <kbd>←</kbd> <kbd>→</kbd> step · <kbd>Home</kbd> <kbd>End</kbd> first / last · <kbd>Space</kbd> play / pause
      </p>
    </div>
  );
}
