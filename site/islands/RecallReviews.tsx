/**
 * RecallReviews — the drills page's list of recall questions (quiz `type: recall`) scheduled for review by
 * recall-schedule.ts: "N recall questions due", each a link back to the question in its lesson's quiz,
 * then the ones coming up with when they are due.
 *
 * Props: `questions`, every recall question of the course (built at build time from the quizzes), with the
 * card key (`<quizId>/<questionId>`), the link (`/lessons/<id>/#<quizId>--<questionId>`), the prompt as text
 * and the lesson's title. Scheduled keys that match no question (a question removed since) are not shown.
 *
 * Rendered only in the browser (`client:only="preact"`): the schedule lives in localStorage and "due"
 * depends on the clock. Refreshes when another tab changes the schedule and once a minute.
 */
import { useEffect, useState } from 'preact/hooks';
import { plural } from '../../engine/index.ts';
import { createRecallSchedule, describeDue, OUTCOME_LABEL, type RecallReview } from '../lib/recall-schedule.ts';
import { SCHEDULE_KEY } from '../lib/srs.ts';
import './recall-reviews.css';

export interface RecallQuestionLink {
  key: string;
  href: string;
  prompt: string;
  lesson: string;
}

interface Props {
  questions: RecallQuestionLink[];
}

export default function RecallReviews({ questions }: Props) {
  const [now, setNow] = useState(() => Date.now());
  const [reviews, setReviews] = useState<RecallReview[]>([]);

  useEffect(() => {
    const store = createRecallSchedule();
    const refresh = () => {
      const t = Date.now();
      setNow(t);
      setReviews(store.reviews(t));
    };
    refresh();
    const onStorage = (e: StorageEvent) => {
      if (e.key === SCHEDULE_KEY || e.key === null) refresh();
    };
    window.addEventListener('storage', onStorage);
    const timer = window.setInterval(refresh, 60_000);
    return () => {
      window.removeEventListener('storage', onStorage);
      window.clearInterval(timer);
    };
  }, []);

  const byKey = new Map(questions.map((q) => [q.key, q]));
  const known = reviews.filter((r) => byKey.has(r.key));
  const due = known.filter((r) => r.isDue);
  const upcoming = known.filter((r) => !r.isDue);

  const item = (r: RecallReview) => {
    const q = byKey.get(r.key)!;
    return (
      <li key={r.key} data-testid="recall-review" data-key={r.key} data-due={r.isDue ? 'true' : 'false'}>
        <a href={q.href}>{q.prompt}</a>
        <span class="recall-meta">
          {q.lesson} · last time: {OUTCOME_LABEL[r.lastOutcome].toLowerCase()} · due {describeDue(r.dueMs, now)}
        </span>
      </li>
    );
  };

  return (
    <section class="recall-reviews" id="recall" aria-labelledby="recall-title">
      <h2 id="recall-title">Recall questions</h2>
      <p class="recall-count" data-testid="recall-due-count" aria-live="polite">
        {due.length === 0
          ? 'No recall question is due for review.'
          : `${plural(due.length, 'recall question')} due for review. Open one, press Try again and answer from memory.`}
      </p>
      {due.length > 0 && <ul class="recall-list">{due.map(item)}</ul>}
      {upcoming.length > 0 && (
        <>
          <h3 class="recall-subhead">Coming up</h3>
          <ul class="recall-list" data-testid="recall-upcoming">
            {upcoming.map(item)}
          </ul>
        </>
      )}
      {known.length === 0 && (
        <p class="recall-empty">
          {plural(questions.length, 'recall question')} close the lessons' quizzes: explain something in your own words, then grade yourself
          against the model answer. Each one you grade comes back here when it is due.
        </p>
      )}
    </section>
  );
}
