/**
 * The checkpoint workbench island: toolbar (Run tests, Submit, Reset to starter), the Monaco editor,
 * and the results panel. Hydrated with `client:load`.
 *
 * Loading, fastest first (issue 13, "Performance"):
 * - the starter, highlighted at build time, is in the HTML where the editor mounts (the `preview` slot), so
 *   the page is readable before any script runs; a restored draft replaces it as plain text;
 * - the preview is already an editor: a `contenteditable="plaintext-only"` block, so typing lands from the
 *   first paint, before any script (instant-editor.ts). The first edit turns it into plain text (highlighting
 *   and line numbers go; the text and the caret stay), and every edit is saved as a draft like Monaco's;
 * - the page's own script starts loading Monaco's first chunk before this island hydrates (editor-loader.ts);
 *   Monaco replaces the preview as soon as it exists, with the preview's text, caret and focus;
 * - after that, when the browser is idle: TypeScript's service and worker (monaco-typescript.ts: diagnostics,
 *   type-aware autocomplete) and the grader worker (or at once, when Run is pressed first).
 *
 * On narrow screens the page shows one tab at a time (checkpoint-tabs.ts); after a run the Results tab is
 * selected (a `partition-lab:checkpoint-tab` event) and its heading focused.
 *
 * - Grading goes through site/lib/grader-client.ts (a Web Worker with a hard outer time limit).
 * - The draft is saved on every edit (debounced) through site/lib/progress.ts and restored on load.
 *   When the browser refuses to save it (storage full or blocked), the status says so, the code is kept
 *   in this tab's sessionStorage (site/lib/draft-fallback.ts) and offered as a download.
 * - A Submit that passes marks the checkpoint passed (`markCheckpointPassed`) for the outline; a passed
 *   checkpoint shows "passed" when revisited.
 * - After a run the results heading is scrolled into view; it takes the focus too, unless the run was
 *   started with Ctrl+Enter while typing in the editor (the learner keeps typing there).
 * - Ctrl/Cmd+Enter runs the tests, in the editor and anywhere on the page.
 * - The editor follows the site theme (`data-theme` on <html>, set by layouts/Base.astro).
 *
 * For browser tests: `window.__partitionLabEditor` (the editor) and `window.__partitionLabMonaco`;
 * the root carries `data-editor-ready` and `data-grader-state`, the results `data-run-count`.
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { GradeReport } from '../../../grader/index.ts';
import { createGraderClient, type GraderClient, type GraderState, type GradeMode } from '../../lib/grader-client.ts';
import {
  clearDraft,
  getDraft,
  loadProgress,
  markCheckpointPassed,
  progressStore,
  saveDraft,
  type CheckpointRecord,
} from '../../lib/progress.ts';
import { clearFallbackDraft, getFallbackDraft, newerDraft, saveFallbackDraft } from '../../lib/draft-fallback.ts';
import type { ComponentChildren } from 'preact';
import Results from './Results.tsx';
import { tallyTests } from './report-text.ts';
import { loadEditor } from './editor-loader.ts';
import { caretOffset, codeText, editableCode, flattenToText, setCodeText } from './instant-editor.ts';
import { narrowScreen, selectCheckpointTab } from './checkpoint-tabs.ts';
import type * as MonacoNs from 'monaco-editor/editor/editor.api';

type Monaco = typeof MonacoNs;
type Editor = MonacoNs.editor.IStandaloneCodeEditor;

declare global {
  interface Window {
    __partitionLabEditor?: Editor;
    __partitionLabMonaco?: Monaco;
  }
}

export interface CheckpointProps {
  exerciseId: string;
  title: string;
  /** the starter source (exercises/<id>/starter.ts) */
  starter: string;
  /** the learner-facing types (exercises/<id>/types.d.ts), given to Monaco as an extra lib */
  typesDts: string;
  /** the outer budget of one grade, ms (gradeTimeLimitMs of the exercise's limits) */
  timeLimitMs: number;
  /** where the course outline lives, for the "passed" note */
  outlineHref: string;
  /** the starter highlighted at build time (Astro slot `preview`), shown until the editor exists */
  preview?: ComponentChildren;
}

const DRAFT_DEBOUNCE_MS = 400;
/** Longest wait for an idle moment before starting the TypeScript service and the grader anyway, ms. */
const IDLE_TIMEOUT_MS = 1500;
const MARKER_OWNER = 'grader';

/** Run `work` when the browser is idle (after the next frame is painted), at the latest after IDLE_TIMEOUT_MS. */
function whenIdle(work: () => void): () => void {
  let cancelled = false;
  let idleId: number | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const run = () => {
    if (!cancelled) work();
  };
  const frame = requestAnimationFrame(() => {
    if ('requestIdleCallback' in window) idleId = window.requestIdleCallback(run, { timeout: IDLE_TIMEOUT_MS });
    else timer = setTimeout(run, 50);
  });
  return () => {
    cancelled = true;
    cancelAnimationFrame(frame);
    if (idleId !== undefined) window.cancelIdleCallback(idleId);
    clearTimeout(timer);
  };
}

/** The instant editor's accessible name (the build-time preview carries the same, see [id].astro). */
const PREVIEW_LABEL = 'Your code (plain-text editing until the full editor has loaded)';

function currentTheme(): 'vs' | 'vs-dark' {
  return document.documentElement.dataset.theme === 'dark' ? 'vs-dark' : 'vs';
}

export default function Checkpoint(props: CheckpointProps) {
  const { exerciseId, starter, typesDts, timeLimitMs, outlineHref, preview } = props;

  const [editorReady, setEditorReady] = useState(false);
  const [editorFailed, setEditorFailed] = useState<string | null>(null);
  const [graderState, setGraderState] = useState<GraderState>('starting');
  const [running, setRunning] = useState<GradeMode | null>(null);
  const [report, setReport] = useState<GradeReport | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [passedCheckpoint, setPassedCheckpoint] = useState(false);
  const [runCount, setRunCount] = useState(0);
  const [draftStatus, setDraftStatus] = useState<
    'none' | 'restored' | 'restored-from-tab' | 'unsaved' | 'saved' | 'kept-in-tab' | 'not-saved' | 'reset'
  >('none');
  /** why the last save failed, in the learner's terms (from the progress store's notice) */
  const [saveProblem, setSaveProblem] = useState('');
  /** the checkpoint's passed record, when it was passed before (shown on every visit) */
  const [passedRecord, setPassedRecord] = useState<CheckpointRecord | undefined>(undefined);
  const resultsHeading = useRef<HTMLHeadingElement>(null);
  /** after the next report: focus the results heading (false when the run came from typing in the editor) */
  const focusResults = useRef(true);
  const [confirmingReset, setConfirmingReset] = useState(false);

  const host = useRef<HTMLDivElement>(null);
  /** the preview (the instant editor before Monaco) and, for a restored draft, its plain-text block */
  const previewBox = useRef<HTMLDivElement>(null);
  const draftPre = useRef<HTMLPreElement>(null);
  const resetButton = useRef<HTMLButtonElement>(null);
  const confirmButton = useRef<HTMLButtonElement>(null);
  const editor = useRef<Editor | null>(null);
  const monaco = useRef<Monaco | null>(null);
  const grader = useRef<GraderClient | null>(null);
  /** the code before Monaco is up (draft or starter), then mirrored from the editor */
  const source = useRef<string>(starter);
  /** a restored draft differs from the starter: the preview shows it as plain text instead of the starter */
  const [previewText, setPreviewText] = useState<string | null>(null);
  const saveTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const pendingSave = useRef(false);
  const suppressSave = useRef(false);
  const busy = useRef(false);

  const flushDraft = useCallback(() => {
    clearTimeout(saveTimer.current);
    if (!pendingSave.current) return;
    pendingSave.current = false;
    if (saveDraft(exerciseId, source.current)) {
      clearFallbackDraft(exerciseId);
      setDraftStatus('saved');
      return;
    }
    const store = progressStore();
    const notice = [...store.notices()].reverse().find((n) => n.kind === 'write-failed');
    setSaveProblem(
      store.persistent() && notice
        ? notice.message.replace('Your progress could not be saved', 'Your draft could not be saved')
        : 'Your draft could not be saved: this browser blocks storage for this site.',
    );
    setDraftStatus(saveFallbackDraft(exerciseId, source.current, new Date().toISOString()) ? 'kept-in-tab' : 'not-saved');
  }, [exerciseId]);

  const onEdited = useCallback(
    (value: string) => {
      source.current = value;
      if (suppressSave.current) return;
      pendingSave.current = true;
      setDraftStatus('unsaved');
      clearTimeout(saveTimer.current);
      saveTimer.current = setTimeout(flushDraft, DRAFT_DEBOUNCE_MS);
    },
    [flushDraft],
  );

  const clearMarkers = () => {
    const model = editor.current?.getModel();
    if (model && monaco.current) monaco.current.editor.setModelMarkers(model, MARKER_OWNER, []);
  };

  const markPosition = (r: GradeReport) => {
    const m = monaco.current;
    const model = editor.current?.getModel();
    const err = r.error;
    if (!m || !model || !err || err.line === undefined) return;
    const line = Math.min(Math.max(1, err.line), model.getLineCount());
    const column = Math.min(Math.max(1, err.column ?? 1), model.getLineMaxColumn(line));
    const word = model.getWordAtPosition({ lineNumber: line, column });
    m.editor.setModelMarkers(model, MARKER_OWNER, [
      {
        severity: m.MarkerSeverity.Error,
        message: err.message,
        source: 'grader',
        startLineNumber: line,
        startColumn: word ? word.startColumn : column,
        endLineNumber: line,
        endColumn: word ? word.endColumn : Math.min(column + 1, model.getLineMaxColumn(line)),
      },
    ]);
  };

  const showPosition = useCallback((line: number, column?: number) => {
    const ed = editor.current;
    if (!ed) return;
    const position = { lineNumber: line, column: column ?? 1 };
    selectCheckpointTab('editor');
    ed.setPosition(position);
    ed.revealPositionInCenter(position);
    ed.focus();
  }, []);

  /** The grader worker, started on first need (idle time after the editor is up, or the first Run). */
  const ensureGrader = useCallback((): GraderClient => {
    if (!grader.current) {
      grader.current = createGraderClient({ exerciseId, timeLimitMs, onStateChange: setGraderState });
      setGraderState(grader.current.state);
    }
    return grader.current;
  }, [exerciseId, timeLimitMs]);

  const grade = useCallback(
    async (mode: GradeMode, seed?: number) => {
      if (busy.current) return;
      const client = ensureGrader();
      busy.current = true;
      // On narrow screens the results replace the editor (tabs): the results heading takes the focus.
      focusResults.current = narrowScreen() || !editor.current?.hasTextFocus();
      flushDraft();
      clearMarkers();
      setRunning(mode);
      setFailure(null);
      selectCheckpointTab('results'); // narrow screens: the progress and then the report replace the editor
      try {
        const result = await client.grade(source.current, mode, seed);
        setReport(result);
        markPosition(result);
        const passed = mode === 'submit' && result.status === 'passed';
        if (passed) {
          const t = tallyTests(result.tests);
          markCheckpointPassed(exerciseId, { testsPassed: t.passed, testsTotal: t.total });
          setPassedRecord(
            loadProgress().checkpoints[exerciseId] ?? { passedAt: new Date().toISOString(), testsPassed: t.passed, testsTotal: t.total },
          );
        }
        setPassedCheckpoint(passed);
      } catch (e) {
        setReport(null);
        setFailure((e as Error).message);
      } finally {
        busy.current = false;
        setRunning(null);
        setRunCount((n) => n + 1);
      }
    },
    [exerciseId, flushDraft, ensureGrader],
  );

  // Keep the latest `grade` reachable from Monaco's command and the page-level shortcut.
  const gradeRef = useRef(grade);
  gradeRef.current = grade;

  // The grader worker: started at the first idle moment once the editor is up (or failed), so it never competes
  // with the editor's start-up, yet is ready before the first run; a Run before that starts it at once.
  useEffect(() => {
    if (!editorReady && !editorFailed) return;
    return whenIdle(() => void ensureGrader());
  }, [editorReady, editorFailed, ensureGrader]);
  useEffect(
    () => () => {
      grader.current?.dispose();
      grader.current = null;
    },
    [exerciseId, timeLimitMs],
  );

  // The instant editor: every edit flattens it to plain text (once) and is saved like an edit in Monaco.
  const onPreviewInput = (event: Event) => {
    const pre = editableCode(previewBox.current);
    if (!pre || !(event.target instanceof Node) || !pre.contains(event.target)) return;
    onEdited(flattenToText(pre));
  };
  // A restored draft's plain-text block: its text is set here, not rendered, so an edit in it is never undone.
  useEffect(() => {
    if (draftPre.current && draftPre.current.childNodes.length === 0) setCodeText(draftPre.current, previewText ?? source.current);
  }, [previewText]);

  // Restore the draft (the newer of the saved one and one kept in this tab when saving failed), then load Monaco.
  useEffect(() => {
    setPassedRecord(loadProgress().checkpoints[exerciseId]);
    const saved = getDraft(exerciseId);
    const inTab = getFallbackDraft(exerciseId);
    const draft = newerDraft(saved, inTab);
    // Typed into the preview before this island hydrated: that text is the newest, keep and save it.
    const early = editableCode(previewBox.current);
    const typedEarly = early !== null && codeText(early).trimEnd() !== starter.trimEnd();
    if (typedEarly) {
      onEdited(flattenToText(early));
    } else if (draft && draft.source !== starter) {
      source.current = draft.source;
      setPreviewText(draft.source);
      setDraftStatus(draft === inTab && draft !== saved ? 'restored-from-tab' : 'restored');
    }
    let disposed = false;
    const disposables: { dispose(): void }[] = [];
    let themeObserver: MutationObserver | undefined;
    let cancelIdle: (() => void) | undefined;

    loadEditor()
      .then(({ setupMonaco, MODEL_DIR }) => {
        if (disposed || !host.current) return;
        const m = setupMonaco();
        monaco.current = m;
        // Carry the instant editor's caret and focus over (its text is already in source.current).
        const pre = editableCode(previewBox.current);
        const hadFocus = pre !== null && document.activeElement === pre;
        const caret = pre ? caretOffset(pre) : null;
        const uri = m.Uri.parse(`${MODEL_DIR}${exerciseId}.ts`);
        const model = m.editor.getModel(uri) ?? m.editor.createModel(source.current, 'typescript', uri);
        const ed = m.editor.create(host.current, {
          model,
          theme: currentTheme(),
          automaticLayout: true,
          minimap: { enabled: false },
          fontSize: 14,
          tabSize: 2,
          insertSpaces: true,
          scrollBeyondLastLine: false,
          wordWrap: 'on',
          wrappingIndent: 'same',
          fixedOverflowWidgets: true,
          renderLineHighlight: 'line',
          ariaLabel: `Your code for the checkpoint "${props.title}". Press Control+Enter to run the tests; press Control+M, then Tab, to move focus out of the editor.`,
        });
        editor.current = ed;
        disposables.push(ed, model);
        if (caret !== null) ed.setPosition(model.getPositionAt(caret));
        if (hadFocus) ed.focus();
        disposables.push(ed.onDidChangeModelContent(() => onEdited(ed.getValue())));
        ed.addCommand(m.KeyMod.CtrlCmd | m.KeyCode.Enter, () => void gradeRef.current('run'));
        themeObserver = new MutationObserver(() => m.editor.setTheme(currentTheme()));
        themeObserver.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
        window.__partitionLabEditor = ed;
        window.__partitionLabMonaco = m;
        setEditorReady(true);
        // Type-aware diagnostics and autocomplete: after the editor is usable, when the browser is idle.
        cancelIdle = whenIdle(() => {
          import('./monaco-typescript.ts')
            .then(({ enableTypeScript }) => {
              if (!disposed) enableTypeScript(typesDts);
            })
            .catch(() => undefined); // the editor works without it: no type errors, plain word completion
        });
      })
      .catch((e: Error) => {
        if (!disposed)
          setEditorFailed(
            `The full editor could not load (${e.message}): you can still edit here as plain text, or reload the page to try again.`,
          );
      });

    const onPageHide = () => flushDraft();
    window.addEventListener('pagehide', onPageHide);
    return () => {
      disposed = true;
      cancelIdle?.();
      window.removeEventListener('pagehide', onPageHide);
      themeObserver?.disconnect();
      flushDraft();
      for (const d of disposables.reverse()) d.dispose();
    };
  }, [exerciseId]);

  // Ctrl/Cmd+Enter anywhere on the page (Monaco handles it itself while it has focus).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Enter' || !(e.ctrlKey || e.metaKey) || e.defaultPrevented) return;
      if (editor.current?.hasTextFocus()) return;
      e.preventDefault();
      void gradeRef.current('run');
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  useEffect(() => {
    if (confirmingReset) confirmButton.current?.focus();
  }, [confirmingReset]);

  // A report arrived: bring the results into view (they sit below the editor, often below the fold).
  useEffect(() => {
    if (runCount === 0) return;
    const heading = resultsHeading.current;
    if (!heading) return;
    selectCheckpointTab('results');
    if (focusResults.current) {
      heading.scrollIntoView({ block: 'start' });
      heading.focus({ preventScroll: true });
    } else {
      heading.scrollIntoView({ block: 'nearest' });
    }
  }, [runCount]);

  const downloadCode = () => {
    const blob = new Blob([source.current], { type: 'text/plain' });
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = `${exerciseId}.ts`;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };

  const resetToStarter = () => {
    setConfirmingReset(false);
    clearTimeout(saveTimer.current);
    pendingSave.current = false;
    suppressSave.current = true;
    try {
      if (editor.current) editor.current.setValue(starter);
      else {
        const pre = editableCode(previewBox.current); // the instant editor, as plain text from now on
        if (pre) setCodeText(pre, starter);
      }
      source.current = starter;
    } finally {
      suppressSave.current = false;
    }
    clearDraft(exerciseId);
    clearFallbackDraft(exerciseId);
    clearMarkers();
    setReport(null);
    setFailure(null);
    setPassedCheckpoint(false);
    setDraftStatus('reset');
    resetButton.current?.focus();
  };

  const graderLabel =
    graderState === 'starting'
      ? 'Starting the grader…'
      : graderState === 'broken'
        ? 'Grader stopped'
        : graderState === 'busy'
          ? 'Running…'
          : 'Grader ready';
  const draftLabel = {
    none: '',
    restored: 'Your saved draft was restored.',
    'restored-from-tab':
      'Your draft was restored from this tab. It is not saved in this browser for good (saving failed): download your code to keep it.',
    unsaved: 'Saving draft…',
    saved: 'Draft saved in this browser.',
    'kept-in-tab': `${saveProblem} Your code is kept in this tab for now (it survives a reload, not closing the tab): download it to keep it.`,
    'not-saved': `${saveProblem} Download your code to keep it: it is lost when you leave this page.`,
    reset: 'Reset to the starter code.',
  }[draftStatus];
  const draftAtRisk = draftStatus === 'kept-in-tab' || draftStatus === 'not-saved' || draftStatus === 'restored-from-tab';
  const passedOn = passedRecord ? new Date(passedRecord.passedAt) : undefined;

  return (
    <div class="checkpoint-workbench" data-editor-ready={editorReady ? 'true' : 'false'} data-grader-state={graderState}>
      {passedRecord && passedOn && (
        <p class="checkpoint-passed-banner" data-testid="checkpoint-passed-state">
          <span aria-hidden="true">✓ </span>
          <strong>Checkpoint passed</strong> on{' '}
          <time dateTime={passedRecord.passedAt}>
            {passedOn.toLocaleDateString(undefined, { year: 'numeric', month: 'long', day: 'numeric' })}
          </time>
          {passedRecord.testsTotal !== undefined
            ? ` (${passedRecord.testsPassed ?? passedRecord.testsTotal} of ${passedRecord.testsTotal} tests)`
            : ''}
          . It stays passed whatever you run now; keep practising if you like.
        </p>
      )}
      <div class="toolbar">
        <button
          type="button"
          class="button primary"
          data-testid="run"
          aria-disabled={running ? 'true' : undefined}
          aria-keyshortcuts="Control+Enter Meta+Enter"
          onClick={() => void grade('run')}
        >
          {running === 'run' ? 'Running…' : 'Run tests'}
          <kbd class="shortcut" aria-hidden="true">
            Ctrl+Enter
          </kbd>
        </button>
        <button
          type="button"
          class="button submit"
          data-testid="submit"
          aria-disabled={running ? 'true' : undefined}
          onClick={() => void grade('submit')}
        >
          {running === 'submit' ? 'Submitting…' : 'Submit'}
        </button>
        <span class="toolbar-status" data-testid="grader-status">
          <span class={`dot dot-${graderState}`} aria-hidden="true" />
          {graderLabel}
        </span>
        <button
          type="button"
          class="button reset"
          ref={resetButton}
          data-testid="reset"
          aria-expanded={confirmingReset ? 'true' : 'false'}
          aria-controls="reset-confirm"
          onClick={() => setConfirmingReset(!confirmingReset)}
        >
          Reset to starter
        </button>
      </div>

      {confirmingReset && (
        <div
          class="reset-confirm"
          id="reset-confirm"
          role="group"
          aria-labelledby="reset-confirm-text"
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              setConfirmingReset(false);
              resetButton.current?.focus();
            }
          }}
        >
          <p id="reset-confirm-text">Replace your code with the starter? Your saved draft for this checkpoint will be deleted.</p>
          <button type="button" class="button danger" ref={confirmButton} data-testid="reset-confirm" onClick={resetToStarter}>
            Yes, reset my code
          </button>
          <button
            type="button"
            class="button"
            onClick={() => {
              setConfirmingReset(false);
              resetButton.current?.focus();
            }}
          >
            Cancel
          </button>
        </div>
      )}

      <div class="workbench-editor" id="checkpoint-panel-editor">
        <div class="editor-frame">
          <div class="editor-host" ref={host} data-testid="editor" />
          {!editorReady && (
            <div class="editor-preview" data-testid="editor-preview" ref={previewBox} onInput={onPreviewInput}>
              <p class="editor-preview-status" role="status">
                {editorFailed ?? 'Plain text until the full editor loads…'}
              </p>
              {previewText === null && preview ? (
                preview
              ) : (
                <pre
                  ref={draftPre}
                  class="editor-preview-code editor-preview-plain"
                  contentEditable={'plaintext-only' as unknown as boolean}
                  spellcheck={false}
                  autocapitalize="off"
                  aria-label={PREVIEW_LABEL}
                  aria-multiline="true"
                  role="textbox"
                />
              )}
            </div>
          )}
        </div>
        <p class="editor-help">
          <span data-testid="draft-status" aria-live="polite" class={draftAtRisk ? 'draft-at-risk' : undefined}>
            {draftLabel}
          </span>{' '}
          {draftAtRisk && (
            <button type="button" class="button small" data-testid="download-code" onClick={downloadCode}>
              Download your code
            </button>
          )}{' '}
          <span class="keys">
            Tab indents; <kbd>Ctrl</kbd>+<kbd>M</kbd> then <kbd>Tab</kbd> leaves the editor. <kbd>Ctrl</kbd>+<kbd>Space</kbd> suggests,{' '}
            <kbd>F8</kbd> jumps to the next problem.
          </span>
        </p>
      </div>

      <div data-run-count={runCount} data-testid="results-wrapper" class="workbench-results" id="checkpoint-panel-results">
        <Results
          report={report}
          running={running}
          failure={failure}
          passedCheckpoint={passedCheckpoint}
          outlineHref={outlineHref}
          onShowPosition={showPosition}
          onReplay={(seed, mode) => void grade(mode, seed)}
          headingRef={resultsHeading}
        />
      </div>
    </div>
  );
}
