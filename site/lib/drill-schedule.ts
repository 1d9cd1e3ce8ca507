/**
 * Spaced repetition for the interview drills: one FSRS card per drill *kind* (the skill, not the
 * question — questions are unlimited), scheduled with ts-fsrs, kept local-first in localStorage.
 *
 * The rules:
 * 1. Rating from the learner's result: wrong → Again; right → Good; right within
 *    {@link FAST_ANSWER_MS} → Easy. ts-fsrs turns the rating into the card's next due time
 *    (short-term learning steps of 1 and 10 minutes, then days). Fuzz is off: same input, same schedule.
 * 2. `nextKind(nowMs)`: among the allowed kinds, the most overdue reviewed kind (largest nowMs − due);
 *    kinds never practised are interleaved — one new kind after every {@link NEW_KIND_EVERY} reviews
 *    while both wait, in course order. With nothing due and nothing new, the kind due soonest
 *    (practice ahead of schedule: drills are unlimited). Never the kind just answered when another
 *    one is just as eligible.
 * 3. Stats per kind: attempts, correct, accuracy, current and best streak of right answers.
 *
 * Example: a fresh store at t=0; `nextKind(0)` → 'partition-for-key' (new, first in course order).
 *   `record('partition-for-key', { correct: true, elapsedMs: 40_000 }, 0)` → Good, due at 10 min.
 *   `nextKind(60_000)` → 'keys-that-move' (new); after a wrong answer it is due in 1 min …
 *
 * Storage (version 1), key `partition-lab:drills`:
 * ```
 * { version: 1, reviewsSinceNew: number, lastKind: string | null,
 *   kinds: { [kind]: { card: { due (ms), stability, difficulty, elapsed_days, scheduled_days,
 *                              learning_steps, reps, lapses, state, last_review (ms | null) },
 *                      stats: { attempts, correct, streak, bestStreak, lastAnsweredMs } } },
 *   recall?: { … } }                                     // recall-schedule.ts
 * ```
 * `recall` (optional) is the recall questions' schedule, owned by recall-schedule.ts: this store keeps it as
 * stored (it re-reads it before every write), and `reset` leaves it alone.
 * A value that is not JSON, fails the zod schema, or has another version is kept under
 * `partition-lab:drills:backup:<ISO time>`, the kind entries that still validate are salvaged,
 * and the load reports a notice. Storage that throws (blocked, full) falls back to memory.
 *
 * Time is always passed in (ms since the epoch); nothing here reads a clock.
 * Source: ts-fsrs 5 README (fsrs(), createEmptyCard, next, Rating); progress.ts for the store pattern.
 */
// zod's tree-shakable build: this module ships with the drills page.
import * as z from 'zod/mini';
import { createEmptyCard, Rating, State, type Grade } from 'ts-fsrs';
import { DRILL_KINDS, isDrillKind, type DrillKind } from '../../engine/index.ts';
import { parseRecallSection, readRecallSection, recallSectionSchema } from './recall-schedule.ts';
import {
  fromStoredCard as fromStored,
  scheduler,
  SCHEDULE_BACKUP_PREFIX,
  SCHEDULE_KEY,
  storedCardSchema,
  toStoredCard as toStored,
} from './srs.ts';
import { backupRawValue, MemoryStorage } from './versioned-store.ts';

/** localStorage key of the drill schedule (shared with the recall schedule, see srs.ts). */
export const DRILLS_KEY = SCHEDULE_KEY;
/** Prefix of keys that keep a corrupted raw value: `${DRILLS_BACKUP_PREFIX}<ISO time>`. */
export const DRILLS_BACKUP_PREFIX = SCHEDULE_BACKUP_PREFIX;
/** The version this code writes. */
export const DRILLS_VERSION = 1 as const;
/** A right answer faster than this is rated Easy. */
export const FAST_ANSWER_MS = 20_000;
/** While new kinds wait, one is introduced after this many reviews. */
export const NEW_KIND_EVERY = 2;

const ALL_KINDS: DrillKind[] = DRILL_KINDS.map((k) => k.kind);

// ---------------------------------------------------------------------------------------------
// Schema

const count = z.int().check(z.nonnegative());
const cardSchema = storedCardSchema;
const statsSchema = z.object({
  attempts: count,
  correct: count,
  streak: count,
  bestStreak: count,
  lastAnsweredMs: z.nullable(z.number()),
});
const kindEntrySchema = z.object({ card: cardSchema, stats: statsSchema });

/** Zod schema of a version-1 drill schedule. */
export const drillStateSchema = z.object({
  version: z.literal(DRILLS_VERSION),
  reviewsSinceNew: count,
  lastKind: z.nullable(z.string()),
  kinds: z.record(z.string(), kindEntrySchema),
  recall: z.optional(recallSectionSchema),
});

export type DrillState = z.infer<typeof drillStateSchema>;
export type KindEntry = z.infer<typeof kindEntrySchema>;
export type StoredCard = z.infer<typeof cardSchema>;

/** A fresh schedule: every kind new. */
export function emptyDrillState(): DrillState {
  return { version: DRILLS_VERSION, reviewsSinceNew: 0, lastKind: null, kinds: {} };
}

/** What a load found wrong, for the UI to show. */
export interface DrillNotice {
  message: string;
  /** where the raw value was kept, when it was */
  backupKey?: string;
}

/**
 * Read a stored value. Never throws.
 * @returns the state; `problem` says what was wrong when the raw value could not be used as is
 *   (then every kind entry that still validates is salvaged)
 */
export function parseDrillState(raw: string | null): { state: DrillState; problem?: string } {
  if (raw === null) return { state: emptyDrillState() };
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { state: emptyDrillState(), problem: 'the saved drill schedule is not valid JSON' };
  }
  const parsed = drillStateSchema.safeParse(value);
  if (parsed.success) {
    const kinds = Object.fromEntries(Object.entries(parsed.data.kinds).filter(([k]) => isDrillKind(k)));
    return { state: { ...parsed.data, kinds, lastKind: isDrillKind(parsed.data.lastKind) ? parsed.data.lastKind : null } };
  }
  // salvage what validates
  const state = emptyDrillState();
  const obj = value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  const kinds = obj.kinds && typeof obj.kinds === 'object' ? (obj.kinds as Record<string, unknown>) : {};
  for (const [k, entry] of Object.entries(kinds)) {
    const ok = kindEntrySchema.safeParse(entry);
    if (ok.success && isDrillKind(k)) state.kinds[k] = ok.data;
  }
  const recall = parseRecallSection(obj.recall).section;
  if (Object.keys(recall).length > 0) state.recall = recall;
  const issue = parsed.error.issues[0];
  const where = issue.path.length ? issue.path.map(String).join('.') : 'the value';
  return { state, problem: `the saved drill schedule does not match version ${DRILLS_VERSION} (${where}: ${issue.message})` };
}

// ---------------------------------------------------------------------------------------------
// Scheduling (pure)

/** The learner's result on one question. */
export interface DrillResult {
  correct: boolean;
  /** time from showing the question to submitting, in ms */
  elapsedMs: number;
}

/** Rule 1: Again when wrong, Easy when right within FAST_ANSWER_MS, Good otherwise. */
export function ratingFor(result: DrillResult): Grade {
  if (!result.correct) return Rating.Again;
  return result.elapsedMs <= FAST_ANSWER_MS ? Rating.Easy : Rating.Good;
}

/**
 * Record a result: rate the kind's card, update its stats. Pure: returns a new state.
 * @param nowMs the time of the answer, ms since the epoch
 */
export function recordResult(state: DrillState, kind: DrillKind, result: DrillResult, nowMs: number): DrillState {
  const prev = state.kinds[kind];
  const card = prev ? fromStored(prev.card) : createEmptyCard(new Date(nowMs));
  const wasNew = !prev || prev.card.state === State.New;
  const next = scheduler.next(card, new Date(nowMs), ratingFor(result)).card;
  const s = prev?.stats ?? { attempts: 0, correct: 0, streak: 0, bestStreak: 0, lastAnsweredMs: null };
  const streak = result.correct ? s.streak + 1 : 0;
  const stats = {
    attempts: s.attempts + 1,
    correct: s.correct + (result.correct ? 1 : 0),
    streak,
    bestStreak: Math.max(s.bestStreak, streak),
    lastAnsweredMs: nowMs,
  };
  return {
    ...state,
    reviewsSinceNew: wasNew ? 0 : state.reviewsSinceNew + 1,
    lastKind: kind,
    kinds: { ...state.kinds, [kind]: { card: toStored(next), stats } },
  };
}

/**
 * Rule 2: the kind to practise next.
 * @param kinds the kinds allowed (a filter such as "only assignors"), in course order; all by default
 * @throws RangeError when `kinds` is empty
 */
export function pickNextKind(state: DrillState, nowMs: number, kinds: readonly DrillKind[] = ALL_KINDS): DrillKind {
  if (kinds.length === 0) throw new RangeError('Expected at least one drill kind to choose from, got []');
  const isNew = (k: DrillKind) => !state.kinds[k] || state.kinds[k].card.state === State.New;
  const dueMs = (k: DrillKind) => state.kinds[k].card.due;
  const notLast = (list: DrillKind[]) => (list.length > 1 ? list.filter((k) => k !== state.lastKind) : list);
  const fresh = notLast(kinds.filter(isNew));
  // most overdue first; ties in course order (the sort is stable)
  const due = notLast(kinds.filter((k) => !isNew(k) && dueMs(k) <= nowMs)).sort((a, b) => dueMs(a) - dueMs(b));
  if (due.length && fresh.length) return state.reviewsSinceNew >= NEW_KIND_EVERY ? fresh[0] : due[0];
  if (due.length) return due[0];
  if (fresh.length) return fresh[0];
  // nothing due, nothing new: the one due soonest (never the one just answered, if there is another)
  return notLast([...kinds].sort((a, b) => dueMs(a) - dueMs(b)))[0];
}

/** Rule 3: one row of stats for a kind. */
export interface KindStats {
  kind: DrillKind;
  attempts: number;
  correct: number;
  /** correct / attempts in [0, 1]; null before the first attempt */
  accuracy: number | null;
  streak: number;
  bestStreak: number;
  /** never practised */
  isNew: boolean;
  /** when the kind is due (ms since the epoch); null when new */
  dueMs: number | null;
  /** due at or before nowMs (new kinds are not "due") */
  isDue: boolean;
}

/** Stats for the given kinds (all by default), in the order given. */
export function kindStats(state: DrillState, nowMs: number, kinds: readonly DrillKind[] = ALL_KINDS): KindStats[] {
  return kinds.map((kind) => {
    const e = state.kinds[kind];
    const s = e?.stats ?? { attempts: 0, correct: 0, streak: 0, bestStreak: 0 };
    const isNew = !e || e.card.state === State.New;
    const dueMs = isNew ? null : e.card.due;
    return {
      kind,
      attempts: s.attempts,
      correct: s.correct,
      accuracy: s.attempts ? s.correct / s.attempts : null,
      streak: s.streak,
      bestStreak: s.bestStreak,
      isNew,
      dueMs,
      isDue: dueMs !== null && dueMs <= nowMs,
    };
  });
}

// ---------------------------------------------------------------------------------------------
// The store (Web Storage)

/** The part of the Web Storage API the store uses. */
export type StorageLike = Pick<Storage, 'getItem' | 'setItem'>;

/** A drill schedule bound to a storage. Every method takes the time in ms. */
export interface DrillScheduleStore {
  /** the current state (loaded once, lazily, at the first call); a recovery notice if any */
  load(nowMs: number): { state: DrillState; notice?: DrillNotice };
  /** record a result, save, and return the new state */
  record(kind: DrillKind, result: DrillResult, nowMs: number): DrillState;
  /** {@link pickNextKind} on the current state */
  nextKind(nowMs: number, kinds?: readonly DrillKind[]): DrillKind;
  /** {@link kindStats} on the current state */
  stats(nowMs: number, kinds?: readonly DrillKind[]): KindStats[];
  /** forget every result */
  reset(nowMs: number): void;
}

/** The browser's localStorage, or memory when it is unavailable (build time, storage blocked). */
function defaultStorage(): StorageLike {
  try {
    const ls = (globalThis as { localStorage?: Storage }).localStorage;
    if (ls) {
      ls.getItem(DRILLS_KEY); // throws when blocked
      return ls;
    }
  } catch {
    /* fall through */
  }
  return new MemoryStorage();
}

/**
 * A drill schedule over a Web Storage.
 * @param storage localStorage by default; tests pass an in-memory double
 */
export function createDrillSchedule(storage: StorageLike = defaultStorage()): DrillScheduleStore {
  let state: DrillState | null = null;
  let notice: DrillNotice | undefined;

  function ensure(nowMs: number): DrillState {
    if (state) return state;
    let raw: string | null = null;
    try {
      raw = storage.getItem(DRILLS_KEY);
    } catch {
      notice = { message: 'This browser blocks local storage: drill results last for this page only.' };
    }
    const parsed = parseDrillState(raw);
    state = parsed.state;
    if (parsed.problem && raw !== null) {
      const backupKey = backupRawValue(storage, DRILLS_BACKUP_PREFIX, new Date(nowMs).toISOString(), raw);
      notice = backupKey
        ? { message: `${capitalise(parsed.problem)}; it was kept under ${backupKey} and what could be read was recovered.`, backupKey }
        : { message: `${capitalise(parsed.problem)}; what could be read was recovered.` };
      save();
    }
    return state;
  }

  function save(): void {
    try {
      // The recall part belongs to recall-schedule.ts, which may have written since this store loaded.
      const recall = readRecallSection(storage.getItem(DRILLS_KEY));
      const { recall: _stale, ...drills } = state!;
      state = Object.keys(recall).length > 0 ? { ...drills, recall } : drills;
      storage.setItem(DRILLS_KEY, JSON.stringify(state));
    } catch {
      notice = { message: 'Drill results could not be saved (storage full or blocked); they last for this page only.' };
    }
  }

  return {
    load(nowMs) {
      const s = ensure(nowMs);
      return notice ? { state: s, notice } : { state: s };
    },
    record(kind, result, nowMs) {
      state = recordResult(ensure(nowMs), kind, result, nowMs);
      save();
      return state;
    },
    nextKind: (nowMs, kinds) => pickNextKind(ensure(nowMs), nowMs, kinds),
    stats: (nowMs, kinds) => kindStats(ensure(nowMs), nowMs, kinds),
    reset(nowMs) {
      ensure(nowMs);
      state = emptyDrillState();
      save();
    },
  };
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
