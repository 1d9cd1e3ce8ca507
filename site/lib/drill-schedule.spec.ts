import { describe, expect, it } from 'vitest';
import { Rating, State } from 'ts-fsrs';
import { DRILL_KINDS, type DrillKind } from '../../engine/index.ts';
import {
  DRILLS_BACKUP_PREFIX,
  DRILLS_KEY,
  FAST_ANSWER_MS,
  NEW_KIND_EVERY,
  createDrillSchedule,
  emptyDrillState,
  kindStats,
  parseDrillState,
  pickNextKind,
  ratingFor,
  recordResult,
} from './drill-schedule.ts';

/** An in-memory double of the Web Storage API (getItem/setItem/removeItem/key/length/clear). */
class MemoryStorage implements Storage {
  private readonly map = new Map<string, string>();
  failWrites = false;
  get length() {
    return this.map.size;
  }
  clear() {
    this.map.clear();
  }
  getItem(key: string) {
    return this.map.has(key) ? this.map.get(key)! : null;
  }
  key(i: number) {
    return [...this.map.keys()][i] ?? null;
  }
  removeItem(key: string) {
    this.map.delete(key);
  }
  setItem(key: string, value: string) {
    if (this.failWrites) throw new DOMException('quota exceeded', 'QuotaExceededError');
    this.map.set(key, String(value));
  }
  keys() {
    return [...this.map.keys()];
  }
}

const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const KINDS = DRILL_KINDS.map((k) => k.kind);
const ASSIGNORS = DRILL_KINDS.filter((k) => k.area === 'assignors').map((k) => k.kind);
const right = { correct: true, elapsedMs: 45_000 };
const fast = { correct: true, elapsedMs: 5_000 };
const wrong = { correct: false, elapsedMs: 30_000 };

describe('ratingFor', () => {
  it('wrong → Again; right and slow → Good; right within FAST_ANSWER_MS → Easy', () => {
    expect(ratingFor(wrong)).toBe(Rating.Again);
    expect(ratingFor({ correct: false, elapsedMs: 1 })).toBe(Rating.Again);
    expect(ratingFor({ correct: true, elapsedMs: FAST_ANSWER_MS + 1 })).toBe(Rating.Good);
    expect(ratingFor({ correct: true, elapsedMs: FAST_ANSWER_MS })).toBe(Rating.Easy);
  });
});

describe('recordResult', () => {
  it('first answer to a kind: the card leaves New; a wrong answer is due sooner than a right one, Easy latest', () => {
    const due = (r: typeof right) => recordResult(emptyDrillState(), 'range-assignment', r, T0).kinds['range-assignment'].card;
    const [a, g, e] = [due(wrong), due(right), due(fast)];
    for (const c of [a, g, e]) expect(c.state).not.toBe(State.New);
    expect(a.due).toBeGreaterThan(T0);
    expect(a.due).toBeLessThan(g.due);
    expect(g.due).toBeLessThan(e.due);
  });

  it('stats: attempts, correct, current streak (reset by a wrong answer) and best streak', () => {
    let s = emptyDrillState();
    const results = [right, fast, right, wrong, right];
    results.forEach((r, i) => (s = recordResult(s, 'consumer-lag', r, T0 + i * MIN)));
    expect(s.kinds['consumer-lag'].stats).toEqual({ attempts: 5, correct: 4, streak: 1, bestStreak: 3, lastAnsweredMs: T0 + 4 * MIN });
    const [row] = kindStats(s, T0 + 5 * MIN, ['consumer-lag']);
    expect(row).toMatchObject({ attempts: 5, correct: 4, accuracy: 0.8, streak: 1, bestStreak: 3, isNew: false });
  });

  it('does not change the state it is given', () => {
    const s = emptyDrillState();
    const copy = structuredClone(s);
    recordResult(s, 'acks-outcome', right, T0);
    expect(s).toEqual(copy);
  });

  it('right answers day after day push the due date further out', () => {
    let s = emptyDrillState();
    let now = T0;
    const gaps: number[] = [];
    for (let i = 0; i < 6; i++) {
      s = recordResult(s, 'high-watermark', right, now);
      const due = s.kinds['high-watermark'].card.due;
      gaps.push(due - now);
      now = due;
    }
    expect(gaps.at(-1)!).toBeGreaterThan(DAY);
    expect(gaps.at(-1)!).toBeGreaterThan(gaps[2]);
  });
});

describe('pickNextKind', () => {
  it('a fresh schedule: new kinds in course order', () => {
    expect(pickNextKind(emptyDrillState(), T0)).toBe(KINDS[0]);
    expect(pickNextKind(emptyDrillState(), T0, ASSIGNORS)).toBe(ASSIGNORS[0]);
  });

  it('only due kinds: the most overdue first', () => {
    let s = emptyDrillState();
    // answer three kinds wrong at different times; all become due within minutes
    s = recordResult(s, 'consumer-lag', wrong, T0);
    s = recordResult(s, 'keys-that-move', wrong, T0 + 2 * MIN);
    s = recordResult(s, 'high-watermark', wrong, T0 + 4 * MIN);
    const only: DrillKind[] = ['high-watermark', 'keys-that-move', 'consumer-lag'];
    const later = T0 + 30 * MIN;
    const dues = only.map((k) => s.kinds[k].card.due);
    const mostOverdue = only[dues.indexOf(Math.min(...dues))];
    expect(mostOverdue).toBe('consumer-lag');
    expect(pickNextKind({ ...s, lastKind: null }, later, only)).toBe(mostOverdue);
  });

  it(`due and new kinds both waiting: a new kind after every ${NEW_KIND_EVERY} reviews`, () => {
    let s = emptyDrillState();
    s = recordResult(s, 'range-assignment', wrong, T0); // new → learning, due in a minute
    s = recordResult(s, 'round-robin-assignment', wrong, T0); // likewise
    let now = T0 + 10 * MIN;
    const picks: DrillKind[] = [];
    for (let i = 0; i < 6; i++) {
      const k = pickNextKind(s, now, ASSIGNORS);
      picks.push(k);
      s = recordResult(s, k, wrong, now);
      now += 10 * MIN;
    }
    // idle-consumers is the only new assignor kind: it must come in within NEW_KIND_EVERY + 1 picks
    expect(picks.slice(0, NEW_KIND_EVERY + 1)).toContain('idle-consumers');
    expect(picks.slice(0, NEW_KIND_EVERY)).not.toContain('idle-consumers');
  });

  it('nothing due, nothing new: the kind due soonest, never the one just answered when another exists', () => {
    let s = emptyDrillState();
    s = recordResult(s, 'range-assignment', fast, T0);
    s = recordResult(s, 'idle-consumers', right, T0 + MIN);
    s = recordResult(s, 'round-robin-assignment', right, T0 + 2 * MIN);
    const k = pickNextKind(s, T0 + 3 * MIN, ASSIGNORS);
    expect(k).not.toBe('round-robin-assignment');
    const dues = (['range-assignment', 'idle-consumers'] as const).map((x) => s.kinds[x].card.due);
    expect(k).toBe(dues[0] <= dues[1] ? 'range-assignment' : 'idle-consumers');
    expect(pickNextKind(s, T0 + 3 * MIN, ['round-robin-assignment'])).toBe('round-robin-assignment');
  });

  it('an empty filter is a RangeError', () => {
    expect(() => pickNextKind(emptyDrillState(), T0, [])).toThrow('Expected at least one drill kind to choose from, got []');
  });
});

describe('kindStats', () => {
  it('new kinds have no accuracy and are not due; answered ones are due once their time comes', () => {
    const s = recordResult(emptyDrillState(), 'acks-outcome', wrong, T0);
    const rows = kindStats(s, T0);
    expect(rows.map((r) => r.kind)).toEqual(KINDS);
    const acks = rows.find((r) => r.kind === 'acks-outcome')!;
    expect(acks).toMatchObject({ isNew: false, accuracy: 0, isDue: false });
    expect(kindStats(s, acks.dueMs!, ['acks-outcome'])[0].isDue).toBe(true);
    expect(rows.find((r) => r.kind === 'consumer-lag')).toMatchObject({ isNew: true, accuracy: null, dueMs: null, isDue: false });
  });
});

describe('createDrillSchedule over a Web Storage', () => {
  it('records are saved under partition-lab:drills and survive a new store (a reload)', () => {
    const storage = new MemoryStorage();
    const a = createDrillSchedule(storage);
    a.record('partition-for-key', right, T0);
    a.record('partition-for-key', wrong, T0 + MIN);
    expect(JSON.parse(storage.getItem(DRILLS_KEY)!).version).toBe(1);
    const b = createDrillSchedule(storage);
    expect(b.load(T0 + 2 * MIN).notice).toBeUndefined();
    expect(b.stats(T0 + 2 * MIN, ['partition-for-key'])[0]).toMatchObject({ attempts: 2, correct: 1, streak: 0, bestStreak: 1 });
    expect(b.load(T0).state).toEqual(a.load(T0).state);
  });

  it('a value that is not JSON: kept under a backup key, the schedule starts empty, a notice says so', () => {
    const storage = new MemoryStorage();
    storage.setItem(DRILLS_KEY, '{not json');
    const store = createDrillSchedule(storage);
    const { state, notice } = store.load(T0);
    expect(state).toEqual(emptyDrillState());
    const backupKey = `${DRILLS_BACKUP_PREFIX}${new Date(T0).toISOString()}`;
    expect(notice).toEqual({ message: expect.stringContaining('not valid JSON'), backupKey });
    expect(storage.getItem(backupKey)).toBe('{not json');
    expect(JSON.parse(storage.getItem(DRILLS_KEY)!)).toEqual(emptyDrillState());
  });

  it('a value that fails the schema: the kind entries that validate are salvaged, the raw value is backed up', () => {
    const storage = new MemoryStorage();
    const good = recordResult(emptyDrillState(), 'consumer-lag', right, T0).kinds['consumer-lag'];
    const raw = JSON.stringify({
      version: 1,
      reviewsSinceNew: 'three', // wrong type
      lastKind: null,
      kinds: { 'consumer-lag': good, 'range-assignment': { card: { due: 'soon' }, stats: {} }, 'not-a-kind': good },
    });
    storage.setItem(DRILLS_KEY, raw);
    const { state, notice } = createDrillSchedule(storage).load(T0);
    expect(Object.keys(state.kinds)).toEqual(['consumer-lag']);
    expect(state.kinds['consumer-lag']).toEqual(good);
    expect(notice?.message).toMatch(/does not match version 1 \(reviewsSinceNew: /);
    expect(storage.getItem(notice!.backupKey!)).toBe(raw);
  });

  it('another version: backed up and recovered, not thrown', () => {
    const storage = new MemoryStorage();
    storage.setItem(DRILLS_KEY, JSON.stringify({ version: 99, kinds: {} }));
    const { notice } = createDrillSchedule(storage).load(T0);
    expect(notice?.message).toMatch(/version/);
    expect(storage.keys().filter((k) => k.startsWith(DRILLS_BACKUP_PREFIX))).toHaveLength(1);
  });

  it('storage that refuses writes: results still count for the page, with a notice', () => {
    const storage = new MemoryStorage();
    storage.failWrites = true;
    const store = createDrillSchedule(storage);
    store.record('idle-consumers', right, T0);
    expect(store.stats(T0, ['idle-consumers'])[0].attempts).toBe(1);
    expect(store.load(T0).notice?.message).toMatch(/could not be saved/);
  });

  it('reset forgets every result', () => {
    const storage = new MemoryStorage();
    const store = createDrillSchedule(storage);
    store.record('idle-consumers', right, T0);
    store.reset(T0);
    expect(createDrillSchedule(storage).load(T0).state).toEqual(emptyDrillState());
  });

  it('nextKind uses the saved state and the filter', () => {
    const storage = new MemoryStorage();
    const store = createDrillSchedule(storage);
    expect(store.nextKind(T0)).toBe(KINDS[0]);
    store.record(KINDS[0], right, T0);
    expect(store.nextKind(T0 + MIN)).toBe(KINDS[1]);
    expect(store.nextKind(T0 + MIN, ASSIGNORS)).toBe(ASSIGNORS[0]);
  });
});

describe('parseDrillState', () => {
  it('null (nothing saved) is an empty schedule without a problem', () => {
    expect(parseDrillState(null)).toEqual({ state: emptyDrillState() });
  });
});
