/**
 * Spaced repetition for recall questions (quiz `type: recall`): one FSRS card per question, scheduled with
 * ts-fsrs like the drills, in the same store (`partition-lab:drills`, field `recall`; see srs.ts).
 *
 * The rules:
 * 1. The learner grades themselves by ticking the key points their answer covered. The ticked fraction
 *    gives the outcome: all → `got-it`, none → `missed`, anything between → `partly`.
 * 2. The outcome gives the FSRS rating: got-it → Good, partly → Hard, missed → Again. (No Easy: a
 *    self-check has no timing to tell an easy answer from a good one.) ts-fsrs turns the rating into the
 *    card's next due time: minutes while learning, then days.
 * 3. A question is due when its card's due time has passed; `recallReviews` lists them most overdue first,
 *    then the ones coming up, soonest first.
 *
 * Example: at t=0 a learner ticks 5 of 5 points → got-it → Good → due at 10 min (the second learning
 *   step); ticking 2 of 5 → partly → Hard; 0 of 5 → missed → Again → due at 1 min.
 *
 * Storage (inside the drill schedule's value, version 1):
 * ```
 * recall: { ["<quizId>/<questionId>"]: { card: { due (ms), stability, …, last_review (ms | null) },
 *                                        stats: { attempts, lastOutcome, lastAnsweredMs } } }
 * ```
 * The field is optional: schedules written before it existed read as having no recall reviews, and an
 * older Partition Lab ignores it. Time is always passed in (ms since the epoch); nothing here reads a clock.
 * No engine import: this module ships with the lesson pages.
 */
import * as z from 'zod/mini';
import { createEmptyCard, Rating, State, type Grade } from 'ts-fsrs';
import { plural } from '../../engine/index.ts';
import { fromStoredCard, scheduler, SCHEDULE_BACKUP_PREFIX, SCHEDULE_KEY, storedCardSchema, toStoredCard } from './srs.ts';
import { backupRawValue, MemoryStorage } from './versioned-store.ts';

/** How a self-graded recall answer went. */
export type RecallOutcome = 'got-it' | 'partly' | 'missed';
export const RECALL_OUTCOMES = ['got-it', 'partly', 'missed'] as const;

/** What the learner sees for each outcome. */
export const OUTCOME_LABEL: Record<RecallOutcome, string> = { 'got-it': 'Got it', partly: 'Partly', missed: 'Missed' };

const recallEntrySchema = z.object({
  card: storedCardSchema,
  stats: z.object({
    attempts: z.int().check(z.nonnegative()),
    lastOutcome: z.enum(RECALL_OUTCOMES),
    lastAnsweredMs: z.number(),
  }),
});
/** Zod schema of the `recall` field of the schedule: card and stats per `<quizId>/<questionId>`. */
export const recallSectionSchema = z.record(z.string(), recallEntrySchema);

export type RecallEntry = z.infer<typeof recallEntrySchema>;
export type RecallSection = z.infer<typeof recallSectionSchema>;

/** The card key of a recall question: `01-keys-and-partitions/adding-partitions-risk`. */
export const recallKey = (quizId: string, questionId: string): string => `${quizId}/${questionId}`;

/**
 * Rule 1: the outcome of ticking `ticked` of `total` key points.
 * @throws RangeError when total is not a positive integer or ticked is outside [0, total]
 */
export function recallOutcome(ticked: number, total: number): RecallOutcome {
  if (!Number.isInteger(total) || total < 1) throw new RangeError(`Expected total to be a positive integer, got ${total}`);
  if (!Number.isInteger(ticked) || ticked < 0 || ticked > total)
    throw new RangeError(`Expected ticked to be an integer in [0, ${total}], got ${ticked}`);
  return ticked === total ? 'got-it' : ticked === 0 ? 'missed' : 'partly';
}

/** Rule 2: got-it → Good, partly → Hard, missed → Again. */
export function ratingForOutcome(outcome: RecallOutcome): Grade {
  return outcome === 'got-it' ? Rating.Good : outcome === 'partly' ? Rating.Hard : Rating.Again;
}

/**
 * Keep the entries that validate; drop the rest. Never throws.
 * @returns the section and, when something was dropped, a sentence saying so
 */
export function parseRecallSection(value: unknown): { section: RecallSection; problem?: string } {
  if (value === undefined || value === null) return { section: {} };
  if (typeof value !== 'object' || Array.isArray(value)) return { section: {}, problem: 'the recall schedule is not an object' };
  const section: RecallSection = {};
  const dropped: string[] = [];
  for (const [key, entry] of Object.entries(value)) {
    const parsed = recallEntrySchema.safeParse(entry);
    if (parsed.success) section[key] = parsed.data;
    else dropped.push(key);
  }
  return dropped.length ? { section, problem: `recall entries that could not be read were dropped: ${dropped.join(', ')}` } : { section };
}

/**
 * Record a self-graded answer: rate the question's card. Pure: returns a new section.
 * @param nowMs the time of the answer, ms since the epoch
 */
export function recordRecall(section: RecallSection, key: string, outcome: RecallOutcome, nowMs: number): RecallSection {
  const prev = section[key];
  const card = prev ? fromStoredCard(prev.card) : createEmptyCard(new Date(nowMs));
  const next = scheduler.next(card, new Date(nowMs), ratingForOutcome(outcome)).card;
  return {
    ...section,
    [key]: { card: toStoredCard(next), stats: { attempts: (prev?.stats.attempts ?? 0) + 1, lastOutcome: outcome, lastAnsweredMs: nowMs } },
  };
}

/** One scheduled recall question. */
export interface RecallReview {
  key: string;
  dueMs: number;
  isDue: boolean;
  attempts: number;
  lastOutcome: RecallOutcome;
}

/** Rule 3: every scheduled question; the due ones first (most overdue first), then by due time. */
export function recallReviews(section: RecallSection, nowMs: number): RecallReview[] {
  return Object.entries(section)
    .filter(([, e]) => e.card.state !== State.New)
    .map(([key, e]) => ({
      key,
      dueMs: e.card.due,
      isDue: e.card.due <= nowMs,
      attempts: e.stats.attempts,
      lastOutcome: e.stats.lastOutcome,
    }))
    .sort((a, b) => a.dueMs - b.dueMs || (a.key < b.key ? -1 : 1));
}

/**
 * "in 10 minutes", "in 3 days", "5 minutes ago": when a review is due, relative to now, for people.
 */
export function describeDue(dueMs: number, nowMs: number): string {
  const diff = dueMs - nowMs;
  const abs = Math.abs(diff);
  const units: [number, string][] = [
    [86_400_000, 'day'],
    [3_600_000, 'hour'],
    [60_000, 'minute'],
  ];
  const [size, name] = units.find(([ms]) => abs >= ms) ?? [60_000, 'minute'];
  const n = Math.max(1, Math.round(abs / size));
  const span = plural(n, name);
  return diff > 0 ? `in ${span}` : abs < 60_000 ? 'now' : `${span} ago`;
}

// ---------------------------------------------------------------------------------------------
// The store (Web Storage)

/** The part of the Web Storage API the store uses. */
export type StorageLike = Pick<Storage, 'getItem' | 'setItem'>;

/** The `recall` field of a raw stored schedule ({} when there is none or it cannot be read). */
export function readRecallSection(raw: string | null): RecallSection {
  if (raw === null) return {};
  try {
    const value = JSON.parse(raw) as unknown;
    if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
    return parseRecallSection((value as { recall?: unknown }).recall).section;
  } catch {
    return {};
  }
}

export interface RecallScheduleStore {
  /** the stored recall section, read now (another tab may have written it) */
  read(): RecallSection;
  /** {@link recallReviews} on the stored section */
  reviews(nowMs: number): RecallReview[];
  /**
   * Record an outcome and save. `saved` is false when the browser refused the write (then the review is
   * not scheduled beyond this page).
   */
  record(key: string, outcome: RecallOutcome, nowMs: number): { entry: RecallEntry; saved: boolean };
}

function defaultStorage(): StorageLike {
  try {
    const ls = (globalThis as { localStorage?: Storage }).localStorage;
    if (ls) {
      ls.getItem(SCHEDULE_KEY); // throws when blocked
      return ls;
    }
  } catch {
    /* fall through */
  }
  return new MemoryStorage();
}

/**
 * The recall schedule over a Web Storage. Every call reads the stored value afresh and a write changes
 * only its `recall` field, keeping the drills' part as stored. A stored value that is not a JSON object is
 * kept under a backup key before it is replaced.
 * @param storage localStorage by default; tests pass an in-memory double
 */
export function createRecallSchedule(storage: StorageLike = defaultStorage()): RecallScheduleStore {
  const raw = (): string | null => {
    try {
      return storage.getItem(SCHEDULE_KEY);
    } catch {
      return null;
    }
  };
  return {
    read: () => readRecallSection(raw()),
    reviews: (nowMs) => recallReviews(readRecallSection(raw()), nowMs),
    record(key, outcome, nowMs) {
      const current = raw();
      let value: Record<string, unknown> | null = null;
      if (current !== null) {
        try {
          const parsed = JSON.parse(current) as unknown;
          if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) value = parsed as Record<string, unknown>;
        } catch {
          value = null;
        }
        if (value === null) backupRawValue(storage, SCHEDULE_BACKUP_PREFIX, new Date(nowMs).toISOString(), current);
      }
      value ??= { version: 1, reviewsSinceNew: 0, lastKind: null, kinds: {} };
      const section = recordRecall(parseRecallSection(value.recall).section, key, outcome, nowMs);
      let saved = true;
      try {
        storage.setItem(SCHEDULE_KEY, JSON.stringify({ ...value, recall: section }));
      } catch {
        saved = false;
      }
      return { entry: section[key], saved };
    },
  };
}
