/**
 * Quiz — the Preact island that runs a compiled quiz (site/lib/quiz.ts).
 *
 * Props:
 * - `quiz` (CompiledQuiz, required): built by `compileQuiz` at build time; it carries the engine-computed
 *   answers, so grading happens here, in the browser, without a server.
 *
 * Behaviour: each question has a "Check answer" button; the verdict, the explanation and the engine's
 * working appear at once below it, announced through an aria-live region. Answers are saved with
 * progress.ts (`saveQuizAnswer`) and restored after a reload; "Reset quiz" forgets them. "Try again" unlocks
 * the question with the learner's answer still in place (to change, then check again); the saved answer
 * stays until the next check.
 * Keyboard: radio groups and checkboxes as usual; the numeric input checks on Enter; in order-the-steps,
 * each step has "Move up"/"Move down" buttons, and Alt+ArrowUp / Alt+ArrowDown move the focused step.
 *
 * best-fit: a radio group of designs; after "Check answer" every design shows why it fits or not, with the
 * learner's choice and the best one marked in text. recall: the learner writes in a textarea, "Show model
 * answer" reveals the model answer and the key points as checkboxes (saved as they are ticked), and "Grade
 * my answer" turns the ticked fraction into got it / partly / missed and schedules the question for review
 * (recall-schedule.ts; due reviews are listed on the drills page).
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { CompiledQuestion, CompiledQuiz } from '../lib/quiz.ts';
import {
  answerFits,
  decodeRecallAnswer,
  encodeRecallAnswer,
  isCorrect,
  parseWholeNumber,
  recallAnswerOutcome,
} from '../lib/quiz-grading.ts';
import { getQuizAnswers, resetQuiz, saveQuizAnswer, subscribe, type QuizAnswer } from '../lib/progress.ts';
import { createRecallSchedule, describeDue, OUTCOME_LABEL, recallKey } from '../lib/recall-schedule.ts';
import { BASE } from '../lib/base-url.ts';
import './quiz.css';

interface Props {
  quiz: CompiledQuiz;
}

/**
 * What the learner has entered but not necessarily checked yet, per question. Recall uses `text` (their
 * words), `revealed` (the model answer is shown) and `ticked` (key point ids).
 */
type Draft = { choice?: string; picked?: string[]; text?: string; order?: string[]; revealed?: boolean; ticked?: string[] };
/** A checked answer. */
type Verdict = { answer: QuizAnswer; correct: boolean };

function initialDraft(q: CompiledQuestion): Draft {
  return q.type === 'order-steps' ? { order: q.steps.map((s) => s.id) } : {};
}

function draftFromAnswer(q: CompiledQuestion, answer: QuizAnswer): Draft {
  switch (q.type) {
    case 'single-choice':
      return { choice: answer as string };
    case 'multi-select':
      return { picked: answer as string[] };
    case 'numeric':
      return { text: String(answer) };
    case 'order-steps':
      return { order: answer as string[] };
    case 'best-fit':
      return { choice: answer as string };
    case 'recall': {
      const recall = decodeRecallAnswer(answer);
      return recall ? { text: recall.text, revealed: true, ticked: recall.ticked } : {};
    }
  }
}

/** A recall answer that is revealed but not graded yet is saved work, not a verdict. */
const isVerdict = (q: CompiledQuestion, answer: QuizAnswer): boolean =>
  q.type !== 'recall' || decodeRecallAnswer(answer)?.phase === 'graded';

function loadVerdicts(quiz: CompiledQuiz): Record<string, Verdict> {
  const saved = getQuizAnswers(quiz.id);
  const out: Record<string, Verdict> = {};
  for (const q of quiz.questions) {
    const record = saved[q.id];
    // Re-grade against the current build: the quiz may have changed since the answer was saved.
    if (record && answerFits(q, record.answer) && isVerdict(q, record.answer))
      out[q.id] = { answer: record.answer, correct: isCorrect(q, record.answer) };
  }
  return out;
}

/** Drafts from the saved answers (checked or, for recall, revealed); the initial draft otherwise. */
function loadDrafts(quiz: CompiledQuiz): Record<string, Draft> {
  const saved = getQuizAnswers(quiz.id);
  return Object.fromEntries(
    quiz.questions.map((q) => {
      const record = saved[q.id];
      return [q.id, record && answerFits(q, record.answer) ? draftFromAnswer(q, record.answer) : initialDraft(q)];
    }),
  );
}

/** When each recall question of the quiz is next due (ms since the epoch), from the schedule. */
function loadDue(quiz: CompiledQuiz): Record<string, number> {
  const section = createRecallSchedule().read();
  const out: Record<string, number> = {};
  for (const q of quiz.questions) {
    const entry = q.type === 'recall' ? section[recallKey(quiz.id, q.id)] : undefined;
    if (entry) out[q.id] = entry.card.due;
  }
  return out;
}

export default function Quiz({ quiz }: Props) {
  const [verdicts, setVerdicts] = useState<Record<string, Verdict>>({});
  const [drafts, setDrafts] = useState<Record<string, Draft>>(() => Object.fromEntries(quiz.questions.map((q) => [q.id, initialDraft(q)])));
  const [hydrated, setHydrated] = useState(false);
  /** recall questions: when each is next due for review (ms since the epoch) */
  const [due, setDue] = useState<Record<string, number>>({});

  /** Set while this island writes, so its own saves do not trigger a restore. */
  const writing = useRef(false);

  useEffect(() => {
    const restore = () => {
      setVerdicts(loadVerdicts(quiz));
      setDrafts(loadDrafts(quiz));
      setDue(loadDue(quiz));
    };
    restore();
    setHydrated(true);
    // Another tab, or the progress page's import, may change this quiz's answers: show them.
    let seen = JSON.stringify(getQuizAnswers(quiz.id));
    return subscribe((p) => {
      const now = JSON.stringify(p.quizzes[quiz.id] ?? {});
      if (now === seen) return;
      seen = now;
      if (!writing.current) restore();
    });
  }, [quiz]);

  const answered = Object.keys(verdicts).length;
  const correct = Object.values(verdicts).filter((v) => v.correct).length;

  const setDraft = (id: string, draft: Draft) => setDrafts((d) => ({ ...d, [id]: draft }));

  const save = (q: CompiledQuestion, answer: QuizAnswer, ok: boolean) => {
    writing.current = true;
    try {
      saveQuizAnswer(quiz.id, q.id, answer, ok);
    } finally {
      writing.current = false;
    }
  };

  const check = (q: CompiledQuestion, answer: QuizAnswer) => {
    const ok = isCorrect(q, answer);
    save(q, answer, ok);
    const recall = q.type === 'recall' ? decodeRecallAnswer(answer) : undefined;
    if (q.type === 'recall' && recall) {
      // Self-graded: the ticked fraction rates the question's card; the drills page lists it when due.
      const { entry } = createRecallSchedule().record(recallKey(quiz.id, q.id), recallAnswerOutcome(q, recall), Date.now());
      setDue((d) => ({ ...d, [q.id]: entry.card.due }));
    }
    setVerdicts((v) => ({ ...v, [q.id]: { answer, correct: ok } }));
  };

  /** recall: show the model answer (the text is saved, not graded), or save the ticked points. */
  const saveRecall = (q: CompiledQuestion, draft: Draft) => {
    setDraft(q.id, draft);
    save(q, encodeRecallAnswer({ phase: 'revealed', text: draft.text ?? '', ticked: draft.ticked ?? [] }), false);
  };

  /** Unlock a checked question, starting from the learner's own answer (they fix it rather than redo it). */
  const retry = (q: CompiledQuestion) => {
    const previous = verdicts[q.id];
    setVerdicts((v) => {
      const { [q.id]: _dropped, ...rest } = v;
      return rest;
    });
    const draft = previous ? draftFromAnswer(q, previous.answer) : initialDraft(q);
    // recall: write again from their own words, model answer hidden, ticks cleared for a fresh self-check
    setDraft(q.id, q.type === 'recall' ? { text: draft.text ?? '' } : draft);
  };

  const reset = () => {
    writing.current = true;
    try {
      resetQuiz(quiz.id);
    } finally {
      writing.current = false;
    }
    setVerdicts({});
    setDrafts(Object.fromEntries(quiz.questions.map((q) => [q.id, initialDraft(q)])));
  };

  return (
    <section class="quiz" aria-labelledby={`${quiz.id}-title`} data-hydrated={hydrated ? 'true' : undefined}>
      <div class="quiz-head">
        <h2 id={`${quiz.id}-title`}>{quiz.title}</h2>
        <p class="quiz-score" aria-live="polite">
          {answered === 0
            ? `${quiz.questions.length} questions. Your answers are saved in this browser.`
            : `${correct} of ${quiz.questions.length} correct · ${answered} answered`}
        </p>
      </div>
      <ol class="quiz-questions">
        {quiz.questions.map((q, i) => (
          <li key={q.id} class="quiz-question" id={`${quiz.id}--${q.id}`}>
            <QuestionView
              quizId={quiz.id}
              index={i}
              total={quiz.questions.length}
              question={q}
              draft={drafts[q.id] ?? initialDraft(q)}
              verdict={verdicts[q.id]}
              dueMs={due[q.id]}
              onDraft={(d) => setDraft(q.id, d)}
              onSaveDraft={(d) => saveRecall(q, d)}
              onCheck={(a) => check(q, a)}
              onRetry={() => retry(q)}
            />
          </li>
        ))}
      </ol>
      <div class="quiz-actions">
        <button type="button" class="button" onClick={reset} disabled={answered === 0}>
          Reset quiz
        </button>
      </div>
    </section>
  );
}

interface QuestionProps {
  quizId: string;
  index: number;
  total: number;
  question: CompiledQuestion;
  draft: Draft;
  verdict?: Verdict;
  /** recall: when the question is next due for review */
  dueMs?: number;
  onDraft: (d: Draft) => void;
  /** recall: change the draft and save it as work in progress (revealed, ticked points) */
  onSaveDraft: (d: Draft) => void;
  onCheck: (answer: QuizAnswer) => void;
  onRetry: () => void;
}

function QuestionView({ quizId, index, total, question: q, draft, verdict, dueMs, onDraft, onSaveDraft, onCheck, onRetry }: QuestionProps) {
  const base = `${quizId}--${q.id}`;
  const [problem, setProblem] = useState<string | undefined>();
  const locked = verdict !== undefined;
  const formRef = useRef<HTMLFormElement>(null);
  /** What the learner just did, so focus can follow (not after a restore). */
  const acted = useRef<'checked' | 'retried' | 'revealed' | null>(null);

  useEffect(() => {
    const form = formRef.current;
    const what = acted.current;
    acted.current = null;
    if (!form || !what) return;
    // "Check answer" is replaced by "Try again" (and back): keep the keyboard user in this question.
    const target =
      what === 'checked'
        ? form.querySelector<HTMLElement>('.quiz-retry')
        : what === 'revealed'
          ? form.querySelector<HTMLElement>('.quiz-model')
          : ['input[type="text"]', 'textarea', 'input:checked:not([disabled])', 'input:not([disabled])', '.quiz-step[tabindex="0"]']
              .map((selector) => form.querySelector<HTMLElement>(selector))
              .find((el) => el !== null);
    target?.focus();
    // A numeric answer comes back selected, so typing replaces it.
    if (what === 'retried' && target instanceof HTMLInputElement && target.type === 'text') target.select();
  }, [verdict, draft.revealed]);

  const hint =
    q.type === 'multi-select'
      ? 'Select all that apply.'
      : q.type === 'order-steps'
        ? 'Use the Move up / Move down buttons, or Alt+Arrow Up / Alt+Arrow Down on a step.'
        : q.type === 'best-fit'
          ? 'Pick the design that fits best. After you check, each design says why it fits or not.'
          : q.type === 'recall'
            ? 'Answer in your own words first. Then compare with the model answer and tick the key points you covered.'
            : undefined;

  /** The answer from the draft, or a message saying what is missing. */
  const answerFromDraft = (): QuizAnswer | string => {
    switch (q.type) {
      case 'single-choice':
        return draft.choice ?? 'Choose one answer first.';
      case 'multi-select':
        return draft.picked ?? [];
      case 'numeric': {
        const n = parseWholeNumber(draft.text ?? '');
        return n === undefined ? 'Enter a whole number, for example 3.' : n;
      }
      case 'order-steps':
        return draft.order ?? q.steps.map((s) => s.id);
      case 'best-fit':
        return draft.choice ?? 'Choose one design first.';
      case 'recall':
        return encodeRecallAnswer({ phase: 'graded', text: draft.text ?? '', ticked: draft.ticked ?? [] });
    }
  };

  const submit = (e?: Event) => {
    e?.preventDefault();
    if (locked) return;
    // Only "Check answer" (or Enter in a field, whose default button it is) checks an answer. Any other
    // submitter is a button that changed under the pointer: never grade what the learner did not send.
    const submitter = (e as SubmitEvent | undefined)?.submitter;
    if (submitter && !(submitter as HTMLElement).classList.contains('quiz-check')) return;
    if (q.type === 'recall' && !draft.revealed) {
      if ((draft.text ?? '').trim() === '') {
        setProblem('Write your answer first: a few sentences in your own words.');
        return;
      }
      setProblem(undefined);
      acted.current = 'revealed';
      onSaveDraft({ text: draft.text, revealed: true, ticked: [] });
      return;
    }
    const answer = answerFromDraft();
    if (typeof answer === 'string' && q.type !== 'single-choice' && q.type !== 'best-fit') {
      setProblem(answer);
      return;
    }
    if ((q.type === 'single-choice' || q.type === 'best-fit') && draft.choice === undefined) {
      setProblem(answer as string);
      return;
    }
    setProblem(undefined);
    acted.current = 'checked';
    onCheck(answer as QuizAnswer);
  };

  return (
    <form class="quiz-form" ref={formRef} onSubmit={submit} aria-describedby={hint ? `${base}-hint` : undefined} noValidate>
      <fieldset>
        <legend>
          <span class="quiz-number">
            Question {index + 1} of {total}
          </span>
          <span class="quiz-prompt" dangerouslySetInnerHTML={{ __html: q.promptHtml }} />
        </legend>
        {q.given && q.given.length > 0 && (
          <div class="quiz-given">
            <p class="quiz-subhead">Given (computed by the engine):</p>
            <ul>
              {q.given.map((line) => (
                <li key={line}>
                  <code>{line}</code>
                </li>
              ))}
            </ul>
          </div>
        )}
        {hint && (
          <p class="quiz-hint" id={`${base}-hint`}>
            {hint}
          </p>
        )}
        {q.type === 'single-choice' && (
          <div class="quiz-options">
            {q.choices.map((c) => (
              <label key={c.id} class={optionClass(locked, c.id === q.correct, draft.choice === c.id)}>
                <input
                  type="radio"
                  name={`${base}-choice`}
                  value={c.id}
                  checked={draft.choice === c.id}
                  disabled={locked}
                  onChange={() => onDraft({ choice: c.id })}
                />
                <span dangerouslySetInnerHTML={{ __html: c.html }} />
                {locked && <Mark right={c.id === q.correct} chosen={draft.choice === c.id} multi={false} />}
              </label>
            ))}
          </div>
        )}
        {q.type === 'multi-select' && (
          <div class="quiz-options">
            {q.choices.map((c) => {
              const picked = (draft.picked ?? []).includes(c.id);
              return (
                <label key={c.id} class={optionClass(locked, q.correct.includes(c.id), picked)}>
                  <input
                    type="checkbox"
                    value={c.id}
                    checked={picked}
                    disabled={locked}
                    onChange={(e) => {
                      const on = (e.currentTarget as HTMLInputElement).checked;
                      const current = draft.picked ?? [];
                      const next = on ? [...current, c.id] : current.filter((id) => id !== c.id);
                      onDraft({ picked: q.choices.map((x) => x.id).filter((id) => next.includes(id)) });
                    }}
                  />
                  <span dangerouslySetInnerHTML={{ __html: c.html }} />
                  {locked && <Mark right={q.correct.includes(c.id)} chosen={picked} multi />}
                </label>
              );
            })}
          </div>
        )}
        {q.type === 'numeric' && (
          <div class="quiz-numeric">
            <label for={`${base}-input`}>Your answer</label>
            <input
              id={`${base}-input`}
              type="text"
              inputMode="numeric"
              autoComplete="off"
              spellcheck={false}
              value={draft.text ?? ''}
              readOnly={locked}
              aria-invalid={problem ? 'true' : undefined}
              aria-describedby={[q.unit ? `${base}-unit` : '', problem ? `${base}-problem` : ''].filter(Boolean).join(' ') || undefined}
              onInput={(e) => onDraft({ text: (e.currentTarget as HTMLInputElement).value })}
            />
            {q.unit && (
              <span class="quiz-unit" id={`${base}-unit`}>
                {q.unit}
              </span>
            )}
          </div>
        )}
        {q.type === 'order-steps' && (
          <OrderSteps
            base={base}
            question={q}
            order={draft.order ?? q.steps.map((s) => s.id)}
            locked={locked}
            onOrder={(order) => onDraft({ order })}
          />
        )}
        {q.type === 'best-fit' && (
          <div class="quiz-options">
            {q.options.map((o) => {
              const chosen = draft.choice === o.id;
              const best = o.id === q.correct;
              return (
                <div key={o.id} class={`${optionClass(locked, best, chosen)} quiz-bestfit`} data-option-id={o.id}>
                  <label>
                    <input
                      type="radio"
                      name={`${base}-choice`}
                      value={o.id}
                      checked={chosen}
                      disabled={locked}
                      aria-describedby={locked ? `${base}-why-${o.id}` : undefined}
                      onChange={() => onDraft({ choice: o.id })}
                    />
                    <span class="quiz-bestfit-text" dangerouslySetInnerHTML={{ __html: o.html }} />
                  </label>
                  {locked && (
                    <div class="quiz-bestfit-why">
                      <BestFitMark best={best} chosen={chosen} />
                      <p id={`${base}-why-${o.id}`} dangerouslySetInnerHTML={{ __html: o.explanationHtml }} />
                    </div>
                  )}
                </div>
              );
            })}
          </div>
        )}
        {q.type === 'recall' && (
          <RecallBody
            base={base}
            question={q}
            draft={draft}
            locked={locked}
            problem={problem}
            onDraft={onDraft}
            onSaveDraft={onSaveDraft}
          />
        )}
      </fieldset>
      <div class="quiz-row">
        {/* Distinct keys: "Check answer" and "Try again" are never the same element. Were Preact to reuse one
            button for both, a click on "Try again" would re-render it into a submit button before the click's
            default action runs, and the form would submit the question again at once. */}
        {!locked ? (
          q.type === 'recall' ? (
            // Distinct keys again: "Show model answer" becomes "Grade my answer" under the pointer.
            !draft.revealed ? (
              <button key="reveal" type="submit" class="button primary quiz-check">
                Show model answer
              </button>
            ) : (
              <button key="grade" type="submit" class="button primary quiz-check">
                Grade my answer
              </button>
            )
          ) : (
            <button key="check" type="submit" class="button primary quiz-check">
              Check answer
            </button>
          )
        ) : (
          <button
            key="retry"
            type="button"
            class="button quiz-retry"
            onClick={(e) => {
              e.preventDefault();
              acted.current = 'retried';
              onRetry();
            }}
          >
            Try again
          </button>
        )}
        {problem && (
          <p class="quiz-problem" id={`${base}-problem`} role="alert">
            {problem}
          </p>
        )}
      </div>
      <div class="quiz-feedback-region" aria-live="polite">
        {verdict && <Feedback question={q} verdict={verdict} base={base} dueMs={dueMs} />}
      </div>
    </form>
  );
}

function optionClass(locked: boolean, right: boolean, chosen: boolean): string {
  if (!locked) return 'quiz-option';
  if (right) return 'quiz-option is-right';
  return chosen ? 'quiz-option is-wrong' : 'quiz-option';
}

/** The per-option marker after checking, with text (not only colour). */
function Mark({ right, chosen, multi }: { right: boolean; chosen: boolean; multi: boolean }) {
  if (right && chosen) return <span class="quiz-mark right">✓ correct</span>;
  if (right) return <span class="quiz-mark missed">{multi ? '← should be selected' : '← the answer'}</span>;
  if (chosen) return <span class="quiz-mark wrong">✗ {multi ? 'should not be selected' : 'your answer'}</span>;
  return null;
}

/** best-fit: what each design is, in text (not only colour). */
function BestFitMark({ best, chosen }: { best: boolean; chosen: boolean }) {
  if (best && chosen) return <span class="quiz-mark right">✓ Your choice · the best fit</span>;
  if (best) return <span class="quiz-mark missed">★ The best fit</span>;
  if (chosen) return <span class="quiz-mark wrong">✗ Your choice</span>;
  return null;
}

/** Plain text of an option's HTML, without a closing full stop (it is quoted inside a sentence). */
const textOf = (html: string): string =>
  html
    .replace(/<[^>]+>/g, '')
    .replace(/\.$/, '')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

function RecallBody({
  base,
  question: q,
  draft,
  locked,
  problem,
  onDraft,
  onSaveDraft,
}: {
  base: string;
  question: Extract<CompiledQuestion, { type: 'recall' }>;
  draft: Draft;
  locked: boolean;
  problem?: string;
  onDraft: (d: Draft) => void;
  onSaveDraft: (d: Draft) => void;
}) {
  const ticked = draft.ticked ?? [];
  return (
    <div class="quiz-recall">
      <label for={`${base}-text`} class="quiz-recall-label">
        Your answer
      </label>
      <textarea
        id={`${base}-text`}
        rows={5}
        value={draft.text ?? ''}
        readOnly={draft.revealed}
        aria-invalid={problem ? 'true' : undefined}
        aria-describedby={[`${base}-hint`, problem ? `${base}-problem` : ''].filter(Boolean).join(' ')}
        onInput={(e) => onDraft({ ...draft, text: (e.currentTarget as HTMLTextAreaElement).value })}
      />
      {draft.revealed && (
        <section class="quiz-model" tabIndex={-1} aria-labelledby={`${base}-model-title`}>
          <p class="quiz-subhead" id={`${base}-model-title`}>
            Model answer
          </p>
          <div class="quiz-model-answer" dangerouslySetInnerHTML={{ __html: q.explanationHtml }} />
          <fieldset class="quiz-points">
            <legend class="quiz-subhead">
              Key points — tick the ones your answer covered ({ticked.filter((id) => q.points.some((p) => p.id === id)).length} of{' '}
              {q.points.length})
            </legend>
            <div class="quiz-options">
              {q.points.map((p) => {
                const on = ticked.includes(p.id);
                return (
                  <label key={p.id} class={locked ? `quiz-option ${on ? 'is-right' : 'is-missed'}` : 'quiz-option'}>
                    <input
                      type="checkbox"
                      value={p.id}
                      checked={on}
                      disabled={locked}
                      onChange={(e) => {
                        const now = (e.currentTarget as HTMLInputElement).checked;
                        const next = now ? [...ticked, p.id] : ticked.filter((id) => id !== p.id);
                        onSaveDraft({ ...draft, ticked: q.points.map((x) => x.id).filter((id) => next.includes(id)) });
                      }}
                    />
                    <span class="quiz-point-text" dangerouslySetInnerHTML={{ __html: p.html }} />
                    {locked && <span class={on ? 'quiz-mark right' : 'quiz-mark wrong'}>{on ? '✓ covered' : '✗ not covered'}</span>}
                  </label>
                );
              })}
            </div>
          </fieldset>
        </section>
      )}
    </div>
  );
}

function Feedback({ question: q, verdict, base, dueMs }: { question: CompiledQuestion; verdict: Verdict; base: string; dueMs?: number }) {
  if (q.type === 'recall') {
    const recall = decodeRecallAnswer(verdict.answer);
    if (!recall) return null;
    const outcome = recallAnswerOutcome(q, recall);
    const covered = q.points.filter((p) => recall.ticked.includes(p.id)).length;
    const now = Date.now();
    return (
      <div
        class={`quiz-feedback ${outcome === 'got-it' ? 'correct' : outcome === 'partly' ? 'partly' : 'incorrect'}`}
        id={`${base}-feedback`}
        data-outcome={outcome}
      >
        <p class="quiz-verdict">
          <strong>{OUTCOME_LABEL[outcome]}.</strong> You covered {covered} of {q.points.length} key points.
        </p>
        {dueMs !== undefined && (
          <p class="quiz-review" data-due-ms={dueMs}>
            {dueMs <= now ? (
              <>Due for review now: press Try again and answer it from memory.</>
            ) : (
              <>
                Next review {describeDue(dueMs, now)}; due reviews are listed on the <a href={`${BASE}drills/#recall`}>drills page</a>.
              </>
            )}
          </p>
        )}
      </div>
    );
  }
  if (q.type === 'best-fit') {
    const chosen = q.options.find((o) => o.id === verdict.answer);
    const best = q.options.find((o) => o.id === q.correct)!;
    return (
      <div class={verdict.correct ? 'quiz-feedback correct' : 'quiz-feedback incorrect'} id={`${base}-feedback`}>
        <p class="quiz-verdict">
          <strong>{verdict.correct ? 'Correct.' : 'Not quite.'}</strong>{' '}
          {verdict.correct ? (
            <span>“{textOf(best.html)}” is the best fit.</span>
          ) : (
            <span>
              You picked “{textOf(chosen?.html ?? '')}”; the best fit is “{textOf(best.html)}”.
            </span>
          )}{' '}
          Why each design fits or not is under it.
        </p>
        {q.explanationHtml && <p class="quiz-explanation" dangerouslySetInnerHTML={{ __html: q.explanationHtml }} />}
      </div>
    );
  }
  return (
    <div class={verdict.correct ? 'quiz-feedback correct' : 'quiz-feedback incorrect'} id={`${base}-feedback`}>
      <p class="quiz-verdict">
        <strong>{verdict.correct ? 'Correct.' : 'Not quite.'}</strong>{' '}
        {!verdict.correct && q.type === 'numeric' && (
          <span>
            You answered {typeof verdict.answer === 'number' ? verdict.answer.toLocaleString('en-US') : String(verdict.answer)}; the answer
            is {q.correct.toLocaleString('en-US')}.
          </span>
        )}
      </p>
      {!verdict.correct && q.type === 'order-steps' && (
        <div>
          <p class="quiz-subhead">The right order:</p>
          <ol class="quiz-right-order">
            {q.correct.map((id) => (
              <li key={id} dangerouslySetInnerHTML={{ __html: q.steps.find((s) => s.id === id)?.html ?? id }} />
            ))}
          </ol>
        </div>
      )}
      <p class="quiz-explanation" dangerouslySetInnerHTML={{ __html: q.explanationHtml }} />
      {q.working.length > 0 && (
        <div class="quiz-working">
          <p class="quiz-subhead">How the engine computes it</p>
          <ul>
            {q.working.map((line, i) => (
              <li key={i}>
                <code>{line}</code>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

function OrderSteps({
  base,
  question,
  order,
  locked,
  onOrder,
}: {
  base: string;
  question: Extract<CompiledQuestion, { type: 'order-steps' }>;
  order: string[];
  locked: boolean;
  onOrder: (order: string[]) => void;
}) {
  const [announcement, setAnnouncement] = useState('');
  const refs = useRef<Record<string, HTMLLIElement | null>>({});
  const pendingFocus = useRef<{ id: string; button?: 'up' | 'down' } | null>(null);
  const byId = useMemo(() => Object.fromEntries(question.steps.map((s) => [s.id, s])), [question]);

  useEffect(() => {
    const pending = pendingFocus.current;
    if (!pending) return;
    pendingFocus.current = null;
    const li = refs.current[pending.id];
    if (!li) return;
    const button = pending.button ? (li.querySelector(`button[data-dir="${pending.button}"]`) as HTMLButtonElement | null) : null;
    // If the button we came from is now disabled (top/bottom), keep focus on the step itself.
    (button && !button.disabled ? button : li).focus();
  }, [order]);

  const move = (id: string, delta: -1 | 1, via?: 'up' | 'down') => {
    if (locked) return;
    const from = order.indexOf(id);
    const to = from + delta;
    if (from < 0 || to < 0 || to >= order.length) return;
    const next = [...order];
    [next[from], next[to]] = [next[to], next[from]];
    pendingFocus.current = { id, button: via };
    onOrder(next);
    const label = (byId[id]?.html ?? id).replace(/<[^>]+>/g, '');
    setAnnouncement(`Moved “${label}” to position ${to + 1} of ${order.length}.`);
  };

  return (
    <div class="quiz-order">
      <ol class="quiz-steps" aria-label="Steps, in your order">
        {order.map((id, i) => {
          const step = byId[id];
          const right = locked && question.correct[i] === id;
          return (
            <li
              key={id}
              ref={(el) => {
                refs.current[id] = el;
              }}
              class={locked ? (right ? 'quiz-step is-right' : 'quiz-step is-wrong') : 'quiz-step'}
              tabIndex={locked ? -1 : 0}
              aria-describedby={`${base}-hint`}
              onKeyDown={(e) => {
                if (!e.altKey) return;
                if (e.key === 'ArrowUp') {
                  e.preventDefault();
                  move(id, -1);
                } else if (e.key === 'ArrowDown') {
                  e.preventDefault();
                  move(id, 1);
                }
              }}
            >
              <span class="quiz-step-pos" aria-hidden="true">
                {i + 1}
              </span>
              <span class="quiz-step-text" data-step-id={id} dangerouslySetInnerHTML={{ __html: step?.html ?? id }} />
              {locked ? (
                <span class={right ? 'quiz-mark right' : 'quiz-mark wrong'}>{right ? '✓ in place' : '✗ out of place'}</span>
              ) : (
                <span class="quiz-step-buttons">
                  <button
                    type="button"
                    class="button small"
                    data-dir="up"
                    disabled={i === 0}
                    aria-label={`Move step ${i + 1} up`}
                    onClick={() => move(id, -1, 'up')}
                  >
                    ↑ Up
                  </button>
                  <button
                    type="button"
                    class="button small"
                    data-dir="down"
                    disabled={i === order.length - 1}
                    aria-label={`Move step ${i + 1} down`}
                    onClick={() => move(id, 1, 'down')}
                  >
                    ↓ Down
                  </button>
                </span>
              )}
            </li>
          );
        })}
      </ol>
      <p class="visually-hidden" aria-live="assertive">
        {announcement}
      </p>
    </div>
  );
}
