import { describe, expect, it } from 'vitest';
import { Rating, State } from 'ts-fsrs';
import { createDrillSchedule, DRILLS_BACKUP_PREFIX, DRILLS_KEY, parseDrillState } from './drill-schedule.ts';
import { exportProgressFile, importProgressFile } from './progress-file.ts';
import { createProgressStore } from './progress.ts';
import {
  createRecallSchedule,
  describeDue,
  parseRecallSection,
  ratingForOutcome,
  recallKey,
  recallOutcome,
  recallReviews,
  recordRecall,
} from './recall-schedule.ts';
import { MemoryStorage } from './versioned-store.ts';

const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const Q1 = recallKey('01-keys-and-partitions', 'adding-partitions-risk');
const Q2 = recallKey('02-consumer-groups-and-assignors', 'stop-the-world-rebalance');

describe('recallOutcome and its rating', () => {
  it('all points → got-it → Good; some → partly → Hard; none → missed → Again', () => {
    expect(recallOutcome(5, 5)).toBe('got-it');
    expect(recallOutcome(4, 5)).toBe('partly');
    expect(recallOutcome(1, 5)).toBe('partly');
    expect(recallOutcome(0, 5)).toBe('missed');
    expect(ratingForOutcome('got-it')).toBe(Rating.Good);
    expect(ratingForOutcome('partly')).toBe(Rating.Hard);
    expect(ratingForOutcome('missed')).toBe(Rating.Again);
  });

  it('refuses counts that are not counts', () => {
    expect(() => recallOutcome(1, 0)).toThrow('Expected total to be a positive integer, got 0');
    expect(() => recallOutcome(6, 5)).toThrow('Expected ticked to be an integer in [0, 5], got 6');
  });
});

describe('recordRecall: one FSRS card per question', () => {
  it('a first "got it" is due after the 10-minute learning step; "missed" after 1 minute; "partly" in between', () => {
    const got = recordRecall({}, Q1, 'got-it', T0)[Q1];
    const missed = recordRecall({}, Q1, 'missed', T0)[Q1];
    const partly = recordRecall({}, Q1, 'partly', T0)[Q1];
    expect(got.card.due).toBe(T0 + 10 * MIN);
    expect(missed.card.due).toBe(T0 + 1 * MIN);
    expect(partly.card.due).toBeGreaterThan(missed.card.due);
    expect(partly.card.due).toBeLessThan(got.card.due);
    expect(got.card.state).toBe(State.Learning);
    expect(got.stats).toEqual({ attempts: 1, lastOutcome: 'got-it', lastAnsweredMs: T0 });
  });

  it('got it again when due → scheduled days ahead; a miss after that comes back within minutes', () => {
    let section = recordRecall({}, Q1, 'got-it', T0);
    section = recordRecall(section, Q1, 'got-it', T0 + 10 * MIN);
    const review = section[Q1];
    expect(review.card.due - (T0 + 10 * MIN)).toBeGreaterThanOrEqual(DAY);
    expect(review.stats.attempts).toBe(2);
    section = recordRecall(section, Q1, 'missed', review.card.due);
    expect(section[Q1].card.due - review.card.due).toBeLessThan(DAY);
    expect(section[Q1].card.lapses).toBe(1);
  });

  it('recallReviews: due ones first, most overdue first, then the ones coming up', () => {
    let section = recordRecall({}, Q1, 'got-it', T0); // due T0 + 10 min
    section = recordRecall(section, Q2, 'missed', T0); // due T0 + 1 min
    expect(recallReviews(section, T0).map((r) => [r.key, r.isDue])).toEqual([
      [Q2, false],
      [Q1, false],
    ]);
    expect(recallReviews(section, T0 + 5 * MIN).map((r) => [r.key, r.isDue])).toEqual([
      [Q2, true],
      [Q1, false],
    ]);
    expect(recallReviews(section, T0 + 30 * MIN).every((r) => r.isDue)).toBe(true);
  });

  it('describeDue in words', () => {
    expect(describeDue(T0 + 10 * MIN, T0)).toBe('in 10 minutes');
    expect(describeDue(T0 + 1 * MIN, T0)).toBe('in 1 minute');
    expect(describeDue(T0 + 3 * DAY, T0)).toBe('in 3 days');
    expect(describeDue(T0 - 2 * 3_600_000, T0)).toBe('2 hours ago');
    expect(describeDue(T0, T0)).toBe('now');
  });

  it('parseRecallSection keeps the entries that validate and says what it dropped', () => {
    const good = recordRecall({}, Q1, 'got-it', T0);
    const { section, problem } = parseRecallSection({ ...good, [Q2]: { card: { due: 'soon' } } });
    expect(Object.keys(section)).toEqual([Q1]);
    expect(problem).toContain(Q2);
    expect(parseRecallSection(undefined)).toEqual({ section: {} });
  });
});

describe('one store for drills and recall', () => {
  it('the recall store writes only its field; the drill store keeps it, even when it loaded before the recall write', () => {
    const storage = new MemoryStorage();
    const drills = createDrillSchedule(storage);
    drills.record('partition-for-key', { correct: true, elapsedMs: 40_000 }, T0); // loads and caches the state
    const recall = createRecallSchedule(storage);
    recall.record(Q1, 'partly', T0 + MIN);
    // the drill store (its state loaded before the recall write) records again: the recall review survives
    drills.record('keys-that-move', { correct: false, elapsedMs: 30_000 }, T0 + 2 * MIN);
    const stored = parseDrillState(storage.getItem(DRILLS_KEY));
    expect(stored.problem).toBeUndefined();
    expect(Object.keys(stored.state.kinds).sort()).toEqual(['keys-that-move', 'partition-for-key']);
    expect(Object.keys(stored.state.recall ?? {})).toEqual([Q1]);
    expect(recall.reviews(T0 + DAY).map((r) => r.key)).toEqual([Q1]);
    // resetting the drills forgets the drills, not the recall reviews
    drills.reset(T0 + 3 * MIN);
    expect(Object.keys(parseDrillState(storage.getItem(DRILLS_KEY)).state.recall ?? {})).toEqual([Q1]);
    expect(parseDrillState(storage.getItem(DRILLS_KEY)).state.kinds).toEqual({});
  });

  it('a stored value that is not JSON is backed up before the first recall write', () => {
    const storage = new MemoryStorage();
    storage.setItem(DRILLS_KEY, '{"version":1,');
    createRecallSchedule(storage).record(Q1, 'got-it', T0);
    expect(storage.getItem(`${DRILLS_BACKUP_PREFIX}${new Date(T0).toISOString()}`)).toBe('{"version":1,');
    expect(parseDrillState(storage.getItem(DRILLS_KEY)).state.recall?.[Q1].stats.attempts).toBe(1);
  });

  it('a full storage: the write is reported as not saved', () => {
    const storage = new MemoryStorage();
    const full = {
      getItem: (k: string) => storage.getItem(k),
      setItem: () => {
        throw new DOMException('full', 'QuotaExceededError');
      },
    };
    expect(createRecallSchedule(full).record(Q1, 'got-it', T0).saved).toBe(false);
  });

  it('export → a cleared browser → import carries the recall schedule', () => {
    const storage = new MemoryStorage();
    const progress = createProgressStore({ storage, now: () => new Date(T0), events: null });
    progress.saveQuizAnswer('01-keys-and-partitions', 'adding-partitions-risk', ['recall/v1', 'graded', 'my words', 'keys-move'], false);
    createRecallSchedule(storage).record(Q1, 'partly', T0);
    const json = exportProgressFile({ progress, drillStorage: storage });
    expect(JSON.parse(json).drills.recall[Q1].stats.lastOutcome).toBe('partly');

    const fresh = new MemoryStorage();
    const result = importProgressFile(json, { progress: createProgressStore({ storage: fresh, events: null }), drillStorage: fresh });
    expect(result.ok).toBe(true);
    const imported = createRecallSchedule(fresh).read();
    expect(imported[Q1].card).toEqual(createRecallSchedule(storage).read()[Q1].card);
    expect(
      createProgressStore({ storage: fresh, events: null }).getQuizAnswers('01-keys-and-partitions')['adding-partitions-risk'].answer,
    ).toEqual(['recall/v1', 'graded', 'my words', 'keys-move']);
  });
});
