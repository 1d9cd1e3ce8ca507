/**
 * What the drill schedule (drill-schedule.ts) and the recall schedule (recall-schedule.ts) share: the
 * localStorage key both live under, and FSRS cards stored as plain JSON (dates as ms since the epoch).
 *
 * One key, two owners: `partition-lab:drills` holds `{ version: 1, reviewsSinceNew, lastKind, kinds, recall? }`.
 * The drill store owns every field but `recall`; the recall store owns `recall`. Each re-reads the stored
 * value before it writes and keeps the other's part, so a drills tab and a lesson tab never erase each
 * other's reviews. The progress file (progress-file.ts) exports and imports the whole value.
 *
 * No engine import here: this module ships with the lesson pages (the Quiz island schedules recall).
 * Source: ts-fsrs 5 README (fsrs(), createEmptyCard, next, Rating).
 */
import * as z from 'zod/mini';
import { fsrs, State, type Card } from 'ts-fsrs';

/** localStorage key of the spaced-repetition schedule (drill kinds and recall questions). */
export const SCHEDULE_KEY = 'partition-lab:drills';
/** Prefix of keys that keep a corrupted or replaced raw schedule: `${SCHEDULE_BACKUP_PREFIX}<ISO time>`. */
export const SCHEDULE_BACKUP_PREFIX = 'partition-lab:drills:backup:';

const count = z.int().check(z.nonnegative());
/** An FSRS card as JSON: ts-fsrs's Card with `due` and `last_review` in ms since the epoch. */
export const storedCardSchema = z.object({
  due: z.number(),
  stability: z.number(),
  difficulty: z.number(),
  elapsed_days: z.number(),
  scheduled_days: z.number(),
  learning_steps: count,
  reps: count,
  lapses: count,
  state: z.enum(State),
  last_review: z.nullable(z.number()),
});
export type StoredCard = z.infer<typeof storedCardSchema>;

/** Fuzz off: the same answers at the same times give the same schedule. Short-term steps of 1 and 10 minutes. */
export const scheduler = fsrs({ enable_fuzz: false, enable_short_term: true });

export function toStoredCard(card: Card): StoredCard {
  return {
    due: card.due.getTime(),
    stability: card.stability,
    difficulty: card.difficulty,
    elapsed_days: card.elapsed_days,
    scheduled_days: card.scheduled_days,
    learning_steps: card.learning_steps,
    reps: card.reps,
    lapses: card.lapses,
    state: card.state,
    last_review: card.last_review ? card.last_review.getTime() : null,
  };
}

export function fromStoredCard(c: StoredCard): Card {
  return { ...c, due: new Date(c.due), last_review: c.last_review === null ? undefined : new Date(c.last_review) };
}
