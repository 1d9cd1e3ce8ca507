/**
 * The results panel of a checkpoint: the outcome (announced to screen readers), the counts, and each
 * test with its verdict, expected vs actual, the shrunk counterexample and seed of a failed property,
 * and captured console output. A report that could not run at all (syntax, missing export, timeout,
 * memory, stack) is explained in the learner's terms, with a way to jump to the line in the editor.
 *
 * Props: `report` (null before the first run), `running`, `failure` (the grader itself broke),
 * `onShowPosition(line, column)` (focus the editor there), `onReplay(seed)` (run again with a seed).
 */
import type { RefObject } from 'preact';
import type { GradeReport, TestResult } from '../../../grader/index.ts';
import { plural, pluralWord } from '../../../engine/index.ts';
import { ERROR_KIND_LABEL, countsLine, errorTip, headline, position, statusLabel, tallyTests } from './report-text.ts';
import ReplayLink from './ReplayLink.tsx';

export interface ResultsProps {
  report: GradeReport | null;
  running: 'run' | 'submit' | null;
  failure: string | null;
  /** set after a Submit that passed */
  passedCheckpoint: boolean;
  outlineHref: string;
  onShowPosition(line: number, column?: number): void;
  onReplay(seed: number, mode: 'run' | 'submit'): void;
  /** the "Results" heading, which the workbench scrolls to and focuses after a run */
  headingRef?: RefObject<HTMLHeadingElement>;
}

const ICON: Record<TestResult['status'], string> = { passed: '✓', failed: '✗', error: '!', skipped: '–' };

export default function Results(props: ResultsProps) {
  const { report, running, failure, passedCheckpoint } = props;
  const announcement = running
    ? ''
    : failure
      ? `The grader could not run. ${failure}`
      : report
        ? `${report.mode === 'submit' ? 'Submission' : 'Test run'}: ${headline(report)}${passedCheckpoint ? ' Checkpoint passed.' : ''}`
        : '';

  return (
    <section
      class="results"
      aria-labelledby="results-heading"
      data-testid="results"
      data-status={running ? 'running' : (report?.status ?? (failure ? 'grader-failed' : 'empty'))}
    >
      <h2 id="results-heading" class="results-title" tabIndex={-1} ref={props.headingRef}>
        Results
      </h2>
      {/* One polite live region, always in the DOM, so every new outcome is announced once. */}
      <p class="visually-hidden" aria-live="polite" aria-atomic="true" data-testid="results-announcement">
        {announcement}
      </p>
      {running ? (
        <p class="results-placeholder" aria-hidden="true">
          <span class="spinner" /> {running === 'submit' ? 'Grading your submission (all tests, hidden ones too)…' : 'Running the tests…'}
        </p>
      ) : failure ? (
        <div class="outcome outcome-error" role="alert">
          <p class="outcome-headline">The grader could not run.</p>
          <p>{failure}</p>
        </div>
      ) : !report ? (
        <p class="results-placeholder">
          Press <strong>Run tests</strong> (or <kbd>Ctrl</kbd>+<kbd>Enter</kbd>, <kbd>⌘</kbd>+<kbd>Enter</kbd> on a Mac) to check your code
          against the visible tests. <strong>Submit</strong> runs every test, hidden ones too, and marks the checkpoint passed when they all
          pass.
        </p>
      ) : (
        <ReportView {...props} report={report} />
      )}
    </section>
  );
}

function ReportView({ report, passedCheckpoint, outlineHref, onShowPosition, onReplay }: ResultsProps & { report: GradeReport }) {
  const t = tallyTests(report.tests);
  const tone = report.status === 'passed' ? 'outcome-passed' : report.status === 'failed' ? 'outcome-failed' : 'outcome-error';
  const err = report.error;
  const where = err ? position(err.line, err.column) : undefined;
  // Failures first (they are what the learner acts on), then the rest in the suite's order.
  const order = { error: 0, failed: 1, skipped: 2, passed: 3 } as const;
  const tests = report.tests.map((test, i) => ({ test, i })).sort((a, b) => order[a.test.status] - order[b.test.status] || a.i - b.i);
  // Skipped tests (the suite stopped early) are grouped under their one shared reason instead of
  // repeating it on every line.
  const ran = tests.filter(({ test }) => test.status !== 'skipped');
  const skipped = tests.filter(({ test }) => test.status === 'skipped');
  const reasons = new Set(skipped.map(({ test }) => test.message));
  const shared = reasons.size === 1 ? [...reasons][0]?.replace(/^Not run:\s*/i, '') : undefined;
  const skippedReason = shared ? shared.charAt(0).toUpperCase() + shared.slice(1) : undefined;

  return (
    <div data-testid="report" data-report-status={report.status} data-error-kind={err?.kind}>
      <div class={`outcome ${tone}`}>
        <p class="outcome-headline" data-testid="results-headline">
          <span aria-hidden="true">{report.status === 'passed' ? '✓ ' : report.status === 'failed' ? '✗ ' : '! '}</span>
          {headline(report)}
        </p>
        <p class="outcome-meta">
          {report.mode === 'submit' ? 'Submit: every test, hidden ones included' : 'Run: the visible tests'}
          {report.tests.length > 0 ? ` · ${countsLine(t)}` : ''} · {Math.round(report.durationMs)} ms
        </p>
        {passedCheckpoint && (
          <p class="outcome-passed-note" data-testid="checkpoint-passed">
            Checkpoint passed — it is marked as passed in the <a href={outlineHref}>course outline</a>.
          </p>
        )}
        {report.status === 'passed' && report.mode === 'run' && (
          <p class="outcome-next">The visible tests pass. Press Submit to run the hidden tests as well and pass the checkpoint.</p>
        )}
      </div>

      {err && (
        <div class="report-error" data-testid="report-error">
          <h3>
            {ERROR_KIND_LABEL[err.kind]}
            {where ? ` at ${where}` : ''}
          </h3>
          <p class="report-error-message">{err.message}</p>
          <p class="tip">{renderInlineCode(errorTip(err.kind, err.message))}</p>
          {err.line !== undefined && (
            <button type="button" class="button" onClick={() => onShowPosition(err.line as number, err.column)}>
              Show {where} in the editor
            </button>
          )}
        </div>
      )}

      {report.console && (
        <details class="console" open>
          <summary>Console output while your module loaded</summary>
          <pre>{report.console}</pre>
        </details>
      )}

      {ran.length > 0 && (
        <ol class="tests" aria-label="Tests">
          {ran.map(({ test }) => (
            <TestItem key={test.id} test={test} mode={report.mode} onReplay={onReplay} />
          ))}
        </ol>
      )}
      {skipped.length > 0 && (
        <div class="skipped-group" data-testid="skipped-group">
          <p class="skipped-head">
            <span class="test-icon" aria-hidden="true">
              {ICON.skipped}
            </span>{' '}
            <strong>
              {plural(skipped.length, 'test')} {pluralWord(skipped.length, 'was', 'were')} not run.
            </strong>{' '}
            {skippedReason ?? 'An earlier problem stopped the suite.'}
          </p>
          <details>
            <summary>Show the tests that did not run</summary>
            <ol class="tests">
              {skipped.map(({ test }) => (
                <TestItem
                  key={test.id}
                  test={skippedReason ? { ...test, message: undefined } : test}
                  mode={report.mode}
                  onReplay={onReplay}
                />
              ))}
            </ol>
          </details>
        </div>
      )}
    </div>
  );
}

function TestItem({ test, mode, onReplay }: { test: TestResult; mode: 'run' | 'submit'; onReplay: ResultsProps['onReplay'] }) {
  const ok = test.status === 'passed';
  const details = test.status === 'failed' || test.status === 'error' || (test.status === 'skipped' && test.message) || test.console;
  return (
    <li
      class={`test test-${test.status}`}
      data-testid="test-result"
      data-test-id={test.id}
      data-test-status={test.status}
      data-error-kind={test.errorKind}
    >
      <div class="test-head">
        <span class="test-icon" aria-hidden="true">
          {ICON[test.status]}
        </span>
        <span class="test-status">{statusLabel(test)}</span>
        <span class="test-title">{test.title}</span>
        {test.hidden && (
          <span class="badge" title="Hidden tests run on Submit; their inputs are not shown">
            hidden
          </span>
        )}
        {test.numRuns !== undefined && ok && <span class="badge">{cases(test.numRuns)}</span>}
      </div>
      {details && (
        <div class="test-body">
          {test.message && <p class="test-message">{test.message}</p>}
          {test.status === 'error' && test.errorKind && test.errorKind !== 'runtime' && (
            <p class="tip">{renderInlineCode(errorTip(test.errorKind, test.message))}</p>
          )}
          {test.counterexample && (
            <div class="counterexample" data-testid="counterexample">
              <p class="label">Smallest failing input (shrunk):</p>
              <pre>{test.counterexample}</pre>
            </div>
          )}
          {test.replay && <ReplayLink replay={test.replay} testTitle={test.title} />}
          {/* a test stopped by a limit has no result: its expected value alone would only distract */}
          {(test.actual !== undefined || (test.expected !== undefined && test.status === 'failed')) && (
            <dl class="expected-actual">
              {test.expected !== undefined && (
                <>
                  <dt>Expected</dt>
                  <dd>
                    <code data-testid="expected">{test.expected}</code>
                  </dd>
                </>
              )}
              {test.actual !== undefined && (
                <>
                  <dt>Your result</dt>
                  <dd>
                    <code data-testid="actual">{test.actual}</code>
                  </dd>
                </>
              )}
            </dl>
          )}
          {test.seed !== undefined && !ok && (
            <p class="seed">
              Seed <code data-testid="seed">{test.seed}</code>
              {test.numRuns !== undefined ? ` (failed after ${cases(test.numRuns)})` : ''}.{' '}
              <button type="button" class="button small" onClick={() => onReplay(test.seed as number, mode)}>
                Run again with this seed
              </button>
            </p>
          )}
          {test.console && (
            <details class="console">
              <summary>Console output</summary>
              <pre>{test.console}</pre>
            </details>
          )}
        </div>
      )}
    </li>
  );
}

/** `1 generated case`, `250 generated cases` */
function cases(n: number): string {
  return plural(n, 'generated case');
}

/** `a `code` b` → text with <code> spans (tips are plain strings with backticks). */
function renderInlineCode(text: string) {
  return text
    .split(/(`[^`]+`)/)
    .map((part, i) => (part.startsWith('`') && part.endsWith('`') ? <code key={i}>{part.slice(1, -1)}</code> : part));
}
