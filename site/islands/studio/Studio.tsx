/**
 * Studio — the island of /studio/: write a scenario in Monaco (YAML completion and hovers from the scenario
 * schema), see its problems live in the editor and in a list (the build's wording), press Play and watch the
 * engine's trace in the scenario player beside the editor, with the file's story checks ticked or crossed.
 * The engine runs in a Web Worker (./studio.worker.ts), so the page stays responsive while it plays.
 *
 * Props (computed at build time by site/pages/studio/index.astro):
 * - `schema`: the scenario JSON Schema with descriptions (content/schema/scenario-reference.ts);
 * - `scenarios`: the course's scenario files `{ id, title, source }`, to start from.
 *
 * What the editor starts with, first match wins: a share link's fragment (`#s=…`, then it plays at once),
 * `?scenario=<id>` ("Open in studio" on a scenario page; plays at once), the draft kept in this browser,
 * the first course scenario. Share link: the file compressed into the URL fragment (site/lib/studio-link.ts);
 * Download: `<id>.yaml`, ready for content/scenarios/. Ctrl/Cmd+Enter in the editor plays.
 *
 * For browser tests: `window.__partitionLabEditor` and `window.__partitionLabMonaco`, as on checkpoint pages.
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { CheckResult, TraceEvent } from '../../../engine/index.ts';
import { plural } from '../../../engine/index.ts';
import type { JsonSchema } from '../../../content/schema/scenario-reference.ts';
import ScenarioPlayer from '../ScenarioPlayer.tsx';
import { StudioClient } from './studio-client.ts';
import type { StudioIssue } from './studio-run.ts';
import { readStudioFragment, scenarioIdOf, studioShareUrl } from '../../lib/studio-link.ts';
import './studio.css';

export interface StudioScenario {
  id: string;
  title: string;
  source: string;
}

interface Props {
  schema: JsonSchema;
  scenarios: StudioScenario[];
}

type Editor = import('monaco-editor/editor/editor.api').editor.IStandaloneCodeEditor;

/** localStorage key of the draft (the text as last edited in this browser) */
export const DRAFT_KEY = 'partition-lab:studio-draft';
const ANALYZE_DELAY_MS = 250;

interface Played {
  trace: TraceEvent[];
  checks: CheckResult[];
  title: string;
  /** bumps on every play, to remount the player */
  run: number;
  /** the step shown first (kept across replays) */
  step: number;
  runMs: number;
}

function currentTheme(): 'vs' | 'vs-dark' {
  return document.documentElement.dataset.theme === 'dark' ? 'vs-dark' : 'vs';
}

function readDraft(): string | null {
  try {
    return localStorage.getItem(DRAFT_KEY);
  } catch {
    return null;
  }
}

function saveDraft(text: string): void {
  try {
    localStorage.setItem(DRAFT_KEY, text);
  } catch {
    // storage full or disabled: the draft is only a convenience
  }
}

export default function Studio({ schema, scenarios }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const editor = useRef<Editor | null>(null);
  const client = useRef<StudioClient | null>(null);
  const text = useRef('');
  const stepShown = useRef(0);
  const [ready, setReady] = useState(false);
  const [issues, setIssues] = useState<StudioIssue[] | null>(null);
  const [played, setPlayed] = useState<Played | null>(null);
  const [playing, setPlaying] = useState(false);
  const [status, setStatus] = useState('');
  const [engineError, setEngineError] = useState<string | null>(null);
  const [stale, setStale] = useState(false);
  const [shareUrl, setShareUrl] = useState<string | null>(null);
  const [startFrom, setStartFrom] = useState('');
  const markers = useRef<(issues: StudioIssue[]) => void>(() => undefined);
  /** the pending live check after an edit (a play checks the text itself, so it cancels it) */
  const analyzeTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const analyze = useCallback(async () => {
    const source = text.current;
    const result = await client.current!.analyze(source);
    if (source !== text.current) return; // a newer edit is on its way
    setIssues(result.issues);
    markers.current(result.issues);
  }, []);

  const play = useCallback(async () => {
    clearTimeout(analyzeTimer.current);
    const source = text.current;
    setPlaying(true);
    setStatus('Playing…');
    const result = await client.current!.play(source);
    setPlaying(false);
    setIssues(result.issues);
    markers.current(result.issues);
    setEngineError(result.error);
    if (result.trace) {
      const title = result.scenario?.title ?? 'Scenario';
      setPlayed((prev) => ({
        trace: result.trace!,
        checks: result.checks,
        title,
        run: (prev?.run ?? 0) + 1,
        step: Math.min(stepShown.current, result.trace!.length - 1),
        runMs: result.runMs,
      }));
      setStale(source !== text.current);
      const failed = result.checks.filter((c) => !c.ok).length;
      setStatus(
        `Played ${result.trace.length - 1} steps in ${Math.max(1, Math.round(result.runMs))} ms` +
          (result.checks.length ? ` — ${result.checks.length - failed} of ${result.checks.length} story checks hold` : ''),
      );
    } else {
      setStatus(result.error ? 'The engine could not play it.' : 'Fix the problems to play.');
    }
  }, []);

  // The editor, once: Monaco and monaco-yaml load as a chunk of their own.
  useEffect(() => {
    let disposed = false;
    let observer: MutationObserver | undefined;
    client.current = new StudioClient();
    const url = new URL(location.href);
    const shared = readStudioFragment(location.hash);
    const asked = url.searchParams.get('scenario');
    const course = scenarios.find((s) => s.id === asked);
    void (async () => {
      const sharedText = shared ? await shared.catch(() => null) : null;
      const initial = sharedText ?? course?.source ?? readDraft() ?? scenarios[0]?.source ?? '';
      const autoplay = sharedText !== null || course !== undefined;
      if (shared && sharedText === null) setStatus('The share link is damaged or cut off; showing your last draft instead.');
      text.current = initial;
      const { setupStudioEditor, STUDIO_MODEL_URI, MARKER_OWNER } = await import('./studio-editor.ts');
      if (disposed || !host.current) return;
      const monaco = setupStudioEditor(schema);
      const uri = monaco.Uri.parse(STUDIO_MODEL_URI);
      const model = monaco.editor.getModel(uri) ?? monaco.editor.createModel(initial, 'yaml', uri);
      model.setValue(initial);
      const ed = monaco.editor.create(host.current, {
        model,
        theme: currentTheme(),
        automaticLayout: true,
        minimap: { enabled: false },
        lineNumbersMinChars: 3,
        fontSize: 14,
        tabSize: 2,
        scrollBeyondLastLine: false,
        wordWrap: 'on',
        quickSuggestions: { other: true, strings: true, comments: false },
        ariaLabel: 'Scenario YAML editor',
      });
      editor.current = ed;
      window.__partitionLabEditor = ed;
      window.__partitionLabMonaco = monaco;
      markers.current = (list) =>
        monaco.editor.setModelMarkers(
          model,
          MARKER_OWNER,
          list.map((i) => ({
            severity: monaco.MarkerSeverity.Error,
            message: i.path ? `${i.path}: ${i.message}` : i.message,
            startLineNumber: i.line,
            startColumn: i.column,
            endLineNumber: i.endLine,
            endColumn: i.endColumn,
          })),
        );
      ed.onDidChangeModelContent(() => {
        text.current = ed.getValue();
        saveDraft(text.current);
        setStale(true);
        setShareUrl(null);
        clearTimeout(analyzeTimer.current);
        analyzeTimer.current = setTimeout(() => void analyze(), ANALYZE_DELAY_MS);
      });
      ed.addAction({
        id: 'partition-lab.play',
        label: 'Play the scenario',
        keybindings: [monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter],
        run: () => void play(),
      });
      observer = new MutationObserver(() => monaco.editor.setTheme(currentTheme()));
      observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
      setReady(true);
      if (autoplay) await play();
      else await analyze();
    })();
    return () => {
      disposed = true;
      observer?.disconnect();
      editor.current?.dispose();
      client.current?.dispose();
    };
  }, []);

  const replaceText = (source: string) => {
    editor.current?.setValue(source);
    text.current = source;
    stepShown.current = 0;
  };

  const share = async () => {
    const href = await studioShareUrl(text.current, location.href);
    setShareUrl(href);
    history.replaceState(null, '', href);
    try {
      await navigator.clipboard.writeText(href);
      setStatus('Share link copied to the clipboard.');
    } catch {
      setStatus('Share link ready: copy it from the box below the buttons.');
    }
  };

  const download = () => {
    const id = scenarioIdOf(text.current) ?? 'scenario';
    const blob = new Blob([text.current.endsWith('\n') ? text.current : `${text.current}\n`], { type: 'application/yaml' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = `${id}.yaml`;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
    setStatus(`Downloaded ${id}.yaml — put it in content/scenarios/ and run npm run content:check.`);
  };

  const goTo = (i: StudioIssue) => {
    const ed = editor.current;
    if (!ed) return;
    ed.revealLineInCenter(i.line);
    ed.setSelection({ startLineNumber: i.line, startColumn: i.column, endLineNumber: i.endLine, endColumn: i.endColumn });
    ed.focus();
  };

  const failedChecks = played?.checks.filter((c) => !c.ok).length ?? 0;
  return (
    <div class="studio" data-testid="studio">
      <div class="studio-toolbar" role="toolbar" aria-label="Studio">
        <label class="studio-start">
          <span>Start from</span>
          <select
            value={startFrom}
            data-testid="studio-start-from"
            disabled={!ready}
            onChange={(e) => {
              const id = (e.target as HTMLSelectElement).value;
              setStartFrom('');
              const s = scenarios.find((x) => x.id === id);
              if (s && (text.current === s.source || confirm(`Replace the editor's text with "${s.title}"?`))) {
                replaceText(s.source);
                void play();
              }
            }}
          >
            <option value="">a course scenario…</option>
            {scenarios.map((s) => (
              <option key={s.id} value={s.id}>
                {s.title}
              </option>
            ))}
          </select>
        </label>
        <button type="button" class="button primary" data-testid="studio-play" disabled={!ready || playing} onClick={() => void play()}>
          {playing ? 'Playing…' : played ? 'Play again' : 'Play'}
        </button>
        <button type="button" class="button" data-testid="studio-share" disabled={!ready} onClick={() => void share()}>
          Share link
        </button>
        <button type="button" class="button" data-testid="studio-download" disabled={!ready} onClick={download}>
          Download .yaml
        </button>
        <span class="studio-kbd">Ctrl/⌘ + Enter plays</span>
      </div>
      <p class="studio-status" role="status" aria-live="polite" data-testid="studio-status">
        {status}
      </p>
      {shareUrl && (
        <p class="studio-share">
          <label>
            Share link{' '}
            <input
              type="text"
              readOnly
              value={shareUrl}
              data-testid="studio-share-url"
              onFocus={(e) => (e.target as HTMLInputElement).select()}
            />
          </label>
        </p>
      )}
      <div class="studio-layout">
        <section class="studio-source" aria-label="Scenario file">
          <div class="studio-problems" data-testid="studio-problems" data-count={issues?.length ?? ''}>
            {issues === null ? null : issues.length === 0 ? (
              <p class="studio-ok">✓ No problems: the file is a valid scenario.</p>
            ) : (
              <>
                <h2 class="studio-h">{plural(issues.length, 'problem')}</h2>
                <ul>
                  {issues.map((i) => (
                    <li key={`${i.path}|${i.message}`} data-testid="studio-problem">
                      <button type="button" class="studio-problem" onClick={() => goTo(i)} title={`Go to line ${i.line}`}>
                        <span class="studio-where">
                          line {i.line}
                          {i.path ? ` · ${i.path}` : ''}
                        </span>
                        <span class="studio-message">{i.message}</span>
                      </button>
                    </li>
                  ))}
                </ul>
              </>
            )}
            {engineError && (
              <p class="studio-engine-error" role="alert" data-testid="studio-engine-error">
                {engineError}
              </p>
            )}
          </div>
          <div class="studio-editor" ref={host} data-testid="studio-editor" data-ready={ready ? 'true' : 'false'}>
            {!ready && <p class="studio-loading">Loading the editor…</p>}
          </div>
        </section>
        <section class="studio-play" aria-label="Player">
          {played ? (
            <div data-testid="studio-played" data-run={played.run} data-stale={stale ? 'true' : 'false'}>
              {stale && <p class="studio-stale">The text changed since this play: press Play again to see the change.</p>}
              {played.checks.length > 0 && (
                <div class="studio-checks" data-testid="studio-checks" data-failed={failedChecks}>
                  <h2 class="studio-h">
                    Story checks: {played.checks.length - failedChecks} of {played.checks.length} hold
                  </h2>
                  <ul>
                    {played.checks.map((c) => (
                      <li key={c.index} class={c.ok ? 'ok' : 'failed'} data-testid="studio-check">
                        <span aria-hidden="true">{c.ok ? '✓' : '✗'}</span> <code>checks[{c.index}]</code> {c.claim}
                        {!c.ok && <span class="studio-check-why"> — but {c.message}</span>}
                        <span class="visually-hidden">{c.ok ? ' (holds)' : ' (fails)'}</span>
                      </li>
                    ))}
                  </ul>
                </div>
              )}
              <ScenarioPlayer
                key={played.run}
                trace={played.trace}
                title={played.title}
                initialStep={played.step}
                onStepChange={(i) => (stepShown.current = i)}
              />
            </div>
          ) : (
            <p class="studio-empty">Press Play to run the scenario with the engine; the player appears here.</p>
          )}
        </section>
      </div>
    </div>
  );
}
