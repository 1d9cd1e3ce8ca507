/**
 * Drill — the interview-drill island: unlimited questions generated in the browser by the engine
 * (engine/drills.ts), scheduled per kind with spaced repetition (../lib/drill-schedule.ts).
 *
 * Props: none. The URL carries the state worth sharing:
 * - `?kind=<drill kind>&seed=<uint32>` replays one question (the page rewrites the URL to the
 *   current question, so the address bar is always a link to it);
 * - `?area=partitioning|assignors|replication|consumers|offsets` keeps the "only …" filter.
 *
 * Behaviour: one question at a time; submit → verdict, expected answer and the engine's working;
 * the result rates the kind's card (wrong → Again, right → Good, right in under 20 s → Easy); "Next"
 * picks the most overdue kind in the filter (new kinds interleaved) with a fresh random seed.
 * Keyboard: Enter submits, then Enter again goes to the next question; keys 1–9 pick a choice
 * (toggle one in a "select every" question); the number field takes digits.
 * Stats per kind (attempts, accuracy, streak, when due) stay in localStorage (`partition-lab:drills`).
 *
 * Rendered only in the browser (`client:only="preact"`): it needs the URL, storage and randomness.
 */
import type { JSX } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import {
  DRILL_AREAS,
  DRILL_KINDS,
  checkDrillAnswer,
  generateDrill,
  isDrillKind,
  type DrillArea,
  type DrillCheck,
  type DrillKind,
  type DrillQuestion,
} from '../../engine/index.ts';
import { createDrillSchedule, type DrillNotice, type KindStats } from '../lib/drill-schedule.ts';
import './drill.css';

type Filter = 'all' | DrillArea;
const AREAS = Object.keys(DRILL_AREAS) as DrillArea[];
const TITLE = Object.fromEntries(DRILL_KINDS.map((k) => [k.kind, k.title])) as Record<DrillKind, string>;

function kindsFor(filter: Filter): DrillKind[] {
  return DRILL_KINDS.filter((k) => filter === 'all' || k.area === filter).map((k) => k.kind);
}

function randomSeed(): number {
  const a = new Uint32Array(1);
  crypto.getRandomValues(a);
  return a[0];
}

/** The URL state: a valid kind and seed to replay, and the filter. */
function readUrl(): { kind: DrillKind | null; seed: number | null; filter: Filter } {
  const params = new URLSearchParams(window.location.search);
  const kind = params.get('kind');
  const seedText = params.get('seed');
  const seed = seedText !== null && /^\d{1,10}$/.test(seedText) && Number(seedText) <= 0xffffffff ? Number(seedText) : null;
  const area = params.get('area');
  return {
    kind: isDrillKind(kind) ? kind : null,
    seed,
    filter: area && (AREAS as string[]).includes(area) ? (area as DrillArea) : 'all',
  };
}

function writeUrl(q: DrillQuestion, filter: Filter): void {
  const params = new URLSearchParams();
  params.set('kind', q.kind);
  params.set('seed', String(q.seed));
  if (filter !== 'all') params.set('area', filter);
  history.replaceState(null, '', `${window.location.pathname}?${params}`);
}

// ---- a small Markdown subset: paragraphs, "- " lists, `code`, **bold**, *emphasis* -------------

function inline(text: string): (string | JSX.Element)[] {
  return text.split(/(`[^`]+`|\*\*[^*]+\*\*|\*[^*\s][^*]*\*)/g).map((part, i) => {
    if (part.startsWith('`') && part.endsWith('`') && part.length > 1) return <code key={i}>{part.slice(1, -1)}</code>;
    if (part.startsWith('**') && part.endsWith('**') && part.length > 3) return <strong key={i}>{part.slice(2, -2)}</strong>;
    if (part.startsWith('*') && part.endsWith('*') && part.length > 2) return <em key={i}>{part.slice(1, -1)}</em>;
    return part;
  });
}

function Markdown({ text, class: className }: { text: string; class?: string }) {
  const blocks = text.trim().split(/\n\s*\n/);
  return (
    <div class={className}>
      {blocks.map((block, i) => {
        const lines = block.split('\n');
        if (lines.every((l) => l.startsWith('- '))) {
          return (
            <ul key={i}>
              {lines.map((l, j) => (
                <li key={j}>{inline(l.slice(2))}</li>
              ))}
            </ul>
          );
        }
        return <p key={i}>{lines.flatMap((l, j) => (j === 0 ? inline(l) : [<br key={`br${j}`} />, ...inline(l)]))}</p>;
      })}
    </div>
  );
}

// ---- stats -----------------------------------------------------------------------------------

function dueText(s: KindStats, nowMs: number): string {
  if (s.isNew) return 'new';
  if (s.isDue) return 'due now';
  const ms = s.dueMs! - nowMs;
  const min = Math.round(ms / 60_000);
  if (min < 60) return `in ${Math.max(1, min)} min`;
  const hours = Math.round(min / 60);
  if (hours < 36) return `in ${hours} h`;
  return `in ${Math.round(hours / 24)} days`;
}

function percent(x: number | null): string {
  return x === null ? '–' : `${Math.round(x * 100)}%`;
}

// ---- the island --------------------------------------------------------------------------------

export default function Drill() {
  const store = useMemo(() => createDrillSchedule(), []);
  const [filter, setFilter] = useState<Filter>('all');
  const [question, setQuestion] = useState<DrillQuestion | null>(null);
  const [text, setText] = useState('');
  const [picked, setPicked] = useState<number[]>([]);
  const [verdict, setVerdict] = useState<DrillCheck | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [stats, setStats] = useState<KindStats[]>([]);
  const [notice, setNotice] = useState<DrillNotice | undefined>(undefined);
  const [nowMs, setNowMs] = useState(() => Date.now());
  const [copied, setCopied] = useState(false);
  const shownAt = useRef(0);
  const rootRef = useRef<HTMLDivElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const nextRef = useRef<HTMLButtonElement>(null);

  function refreshStats(): void {
    const now = Date.now();
    setNowMs(now);
    setStats(store.stats(now));
  }

  function show(q: DrillQuestion, f: Filter): void {
    setQuestion(q);
    setText('');
    setPicked([]);
    setVerdict(null);
    setProblem(null);
    setCopied(false);
    shownAt.current = Date.now();
    writeUrl(q, f);
  }

  function next(f: Filter = filter, only?: DrillKind): void {
    const kind = only ?? store.nextKind(Date.now(), kindsFor(f));
    show(generateDrill(kind, randomSeed()), f);
    refreshStats();
  }

  useEffect(() => {
    const loaded = store.load(Date.now());
    setNotice(loaded.notice);
    const url = readUrl();
    setFilter(url.filter);
    if (url.kind) show(generateDrill(url.kind, url.seed ?? randomSeed()), url.filter);
    else next(url.filter);
    refreshStats();
    const timer = setInterval(() => setNowMs(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);

  // focus the answer field (or the question) whenever a new question appears; the Next button after a verdict.
  // Not for the first question on page load: focus stays at the top of the page, where the skip link is
  // the first stop for keyboard and screen-reader users.
  const firstQuestion = useRef(true);
  useEffect(() => {
    if (!question) return;
    if (firstQuestion.current) {
      firstQuestion.current = false;
      return;
    }
    if (verdict) nextRef.current?.focus();
    else if (question.answer.type === 'number') inputRef.current?.focus();
    else rootRef.current?.querySelector<HTMLElement>('.drill-question')?.focus();
  }, [question, verdict]);

  function submit(): void {
    if (!question || verdict) return;
    const a = question.answer;
    const input = a.type === 'number' ? text : a.type === 'choice' ? (picked.length ? picked[0] : -1) : picked;
    if (a.type === 'choice' && picked.length === 0) {
      setProblem('Pick one of the choices first (keys 1–4 or a click).');
      return;
    }
    if (a.type === 'number' && text.trim() === '') {
      setProblem('Type a whole number first.');
      return;
    }
    const check = checkDrillAnswer(question, input);
    if (check.problem) {
      setProblem(check.problem);
      return;
    }
    setProblem(null);
    setVerdict(check);
    store.record(question.kind, { correct: check.correct, elapsedMs: Date.now() - shownAt.current }, Date.now());
    setNotice(store.load(Date.now()).notice);
    refreshStats();
  }

  function toggle(i: number): void {
    if (!question || verdict) return;
    if (question.answer.type === 'choice') setPicked([i]);
    else setPicked((p) => (p.includes(i) ? p.filter((x) => x !== i) : [...p, i].sort((x, y) => x - y)));
  }

  function onKeyDown(e: KeyboardEvent): void {
    if (!question || e.altKey || e.ctrlKey || e.metaKey) return;
    const target = e.target as HTMLElement;
    const inField = target.tagName === 'INPUT' && (target as HTMLInputElement).type === 'text';
    // a focused choice still lets Enter check the answer; other buttons, links and the select keep Enter
    const onControl =
      (target.tagName === 'BUTTON' && !target.classList.contains('drill-choice')) || target.tagName === 'SELECT' || target.tagName === 'A';
    if (e.key === 'Enter') {
      if (onControl) return; // the focused button or link does its own thing
      e.preventDefault();
      if (verdict) next();
      else submit();
      return;
    }
    if (!inField && target.tagName !== 'SELECT' && !verdict && question.choices && /^[1-9]$/.test(e.key)) {
      const i = Number(e.key) - 1;
      if (i < question.choices.length) {
        e.preventDefault();
        toggle(i);
      }
    }
  }

  function changeFilter(f: Filter): void {
    setFilter(f);
    if (question && !kindsFor(f).includes(question.kind)) next(f);
    else if (question) writeUrl(question, f);
  }

  async function copyLink(): Promise<void> {
    try {
      await navigator.clipboard.writeText(window.location.href);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  }

  const visibleStats = stats.filter((s) => kindsFor(filter).includes(s.kind));
  const dueCount = visibleStats.filter((s) => s.isDue).length;
  const newCount = visibleStats.filter((s) => s.isNew).length;

  return (
    <div class="drill" ref={rootRef} onKeyDown={onKeyDown} data-testid="drill">
      {notice && (
        <p class="drill-notice" role="status">
          {notice.message}
        </p>
      )}
      <div class="drill-toolbar">
        <label>
          Practise{' '}
          <select
            value={filter}
            onChange={(e) => changeFilter((e.currentTarget as HTMLSelectElement).value as Filter)}
            data-testid="drill-filter"
          >
            <option value="all">all drills</option>
            {AREAS.map((a) => (
              <option value={a} key={a}>
                only {DRILL_AREAS[a].toLowerCase()}
              </option>
            ))}
          </select>
        </label>
        <span class="drill-due" data-testid="drill-due">
          {dueCount > 0 ? `${dueCount} due now` : 'nothing due'}
          {newCount > 0 ? ` · ${newCount} not tried yet` : ''}
        </span>
      </div>

      {question && (
        <section class="drill-card" aria-labelledby="drill-heading">
          <header class="drill-card-head">
            <h2 id="drill-heading">{TITLE[question.kind]}</h2>
            <p class="drill-meta">
              <span data-testid="drill-seed">
                seed <code>{question.seed}</code>
              </span>
              <button type="button" class="drill-link" onClick={copyLink}>
                {copied ? 'Link copied' : 'Copy link to this question'}
              </button>
            </p>
          </header>
          <div class="drill-question" tabIndex={-1}>
            <Markdown text={question.prompt} class="drill-prompt" />
          </div>
          <form
            class="drill-answer"
            onSubmit={(e) => {
              e.preventDefault();
              // Only "Check answer" (or Enter in the number field, whose default button it is) grades: a
              // submit from any other button would grade a question the learner has not answered yet.
              const submitter = (e as SubmitEvent).submitter;
              if (submitter && submitter.dataset.testid !== 'drill-submit') return;
              submit();
            }}
          >
            {question.answer.type === 'number' ? (
              <label class="drill-number">
                Your answer{' '}
                <input
                  ref={inputRef}
                  type="text"
                  inputMode="numeric"
                  autoComplete="off"
                  value={text}
                  disabled={!!verdict}
                  onInput={(e) => setText((e.currentTarget as HTMLInputElement).value)}
                  data-testid="drill-input"
                  aria-describedby="drill-keys"
                />
              </label>
            ) : (
              <fieldset>
                <legend>{question.answer.type === 'choices' ? 'Select every one that applies' : 'Pick one'}</legend>
                <ol class="drill-choices">
                  {question.choices!.map((c, i) => {
                    const on = picked.includes(i);
                    const expected =
                      verdict &&
                      (question.answer.type === 'choice'
                        ? question.answer.index === i
                        : question.answer.type === 'choices' && question.answer.indices.includes(i));
                    return (
                      <li key={i}>
                        <button
                          type="button"
                          class={`drill-choice${on ? ' picked' : ''}${expected ? ' expected' : ''}${verdict && on && !expected ? ' wrong' : ''}`}
                          aria-pressed={on}
                          disabled={!!verdict}
                          onClick={() => toggle(i)}
                          data-testid={`drill-choice-${i}`}
                        >
                          <kbd>{i + 1}</kbd> <span>{inline(c)}</span>
                          {verdict && (on || expected) && (
                            <span class={`drill-tag ${expected ? 'ok' : 'bad'}`}>
                              {on && expected ? '✓ your pick' : on ? '✗ your pick' : 'expected, not picked'}
                            </span>
                          )}
                        </button>
                      </li>
                    );
                  })}
                </ol>
              </fieldset>
            )}
            <div class="drill-actions">
              {/* Distinct keys: never one reused element. A reused button would turn into the submit button while
                  "Next question" is being clicked, and the click would then grade the new, unanswered question. */}
              {!verdict ? (
                <button key="check" type="submit" class="button primary" data-testid="drill-submit">
                  Check answer
                </button>
              ) : (
                <button
                  key="next"
                  type="button"
                  class="button primary"
                  ref={nextRef}
                  onClick={(e) => {
                    e.preventDefault();
                    next();
                  }}
                  data-testid="drill-next"
                >
                  Next question
                </button>
              )}
              <span id="drill-keys" class="drill-keys">
                {verdict ? (
                  <>
                    <kbd>Enter</kbd> next question
                  </>
                ) : question.choices ? (
                  <>
                    <kbd>1</kbd>–<kbd>{question.choices.length}</kbd> {question.answer.type === 'choices' ? 'toggle' : 'pick'},{' '}
                    <kbd>Enter</kbd> check
                  </>
                ) : (
                  <>
                    <kbd>Enter</kbd> check
                  </>
                )}
              </span>
            </div>
            {problem && (
              <p class="drill-problem" role="alert" data-testid="drill-problem">
                {problem}
              </p>
            )}
          </form>
          <div aria-live="polite">
            {verdict && (
              <div class={`drill-verdict ${verdict.correct ? 'correct' : 'incorrect'}`} data-testid="drill-verdict">
                <p class="drill-verdict-title">
                  {verdict.correct ? 'Correct' : 'Not quite'}
                  {!verdict.correct &&
                    (question.answer.type === 'choices' ? (
                      <> — the expected choices are marked above</>
                    ) : (
                      <>
                        {' '}
                        — expected <span data-testid="drill-expected">{inline(verdict.expected)}</span>
                      </>
                    ))}
                </p>
                <h3>How the engine works it out</h3>
                <div data-testid="drill-explanation">
                  <Markdown text={verdict.explanation} class="drill-explanation" />
                </div>
              </div>
            )}
          </div>
        </section>
      )}

      <section class="drill-stats" aria-labelledby="drill-stats-heading">
        <h2 id="drill-stats-heading">Your drills</h2>
        <table>
          <thead>
            <tr>
              <th scope="col">Drill</th>
              <th scope="col">Right</th>
              <th scope="col">Streak</th>
              <th scope="col">Next</th>
              <th scope="col">
                <span class="visually-hidden">Practise</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {visibleStats.map((s) => (
              <tr key={s.kind} data-kind={s.kind} data-testid="drill-stats-row" class={question?.kind === s.kind ? 'current' : undefined}>
                <th scope="row">{TITLE[s.kind]}</th>
                <td>
                  <span data-testid="drill-attempts">{s.attempts ? `${s.correct} / ${s.attempts}` : '–'}</span>
                  {s.attempts > 0 && <span class="drill-muted"> · {percent(s.accuracy)}</span>}
                </td>
                <td title={s.attempts ? `best streak ${s.bestStreak}` : undefined}>
                  {s.attempts ? (
                    <>
                      {s.streak}
                      <span class="drill-muted"> · best {s.bestStreak}</span>
                    </>
                  ) : (
                    '–'
                  )}
                </td>
                <td class={s.isDue ? 'due' : undefined}>{dueText(s, nowMs)}</td>
                <td>
                  <button
                    type="button"
                    class="drill-link"
                    onClick={() => next(filter, s.kind)}
                    aria-label={`Practise ${TITLE[s.kind]} now`}
                  >
                    Practise
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
