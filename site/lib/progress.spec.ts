import { describe, expect, it } from 'vitest';
import {
  MIGRATIONS,
  PROGRESS_BACKUP_PREFIX,
  PROGRESS_KEY,
  PROGRESS_VERSION,
  checkpointState,
  createProgressStore,
  emptyProgress,
  lessonState,
  parseProgress,
  quizState,
  type Progress,
} from './progress.ts';

/** A test double of the browser's Web Storage (localStorage) API, with an optional quota. */
class InMemoryStorage implements Storage {
  private map = new Map<string, string>();
  constructor(private readonly quotaChars = Infinity) {}
  get length(): number {
    return this.map.size;
  }
  clear(): void {
    this.map.clear();
  }
  getItem(key: string): string | null {
    return this.map.get(key) ?? null;
  }
  key(index: number): string | null {
    return [...this.map.keys()][index] ?? null;
  }
  removeItem(key: string): void {
    this.map.delete(key);
  }
  setItem(key: string, value: string): void {
    const used = [...this.map.entries()].reduce((n, [k, v]) => (k === key ? n : n + k.length + v.length), 0);
    if (used + key.length + value.length > this.quotaChars) {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    }
    this.map.set(key, String(value));
  }
  keys(): string[] {
    return [...this.map.keys()];
  }
}

/** A clock that advances one second per call, from 2026-01-01T00:00:00Z. */
function tickingClock(): () => Date {
  let t = Date.UTC(2026, 0, 1);
  return () => {
    const d = new Date(t);
    t += 1000;
    return d;
  };
}

function setup(storage = new InMemoryStorage()) {
  const events = new EventTarget();
  const store = createProgressStore({ storage, now: tickingClock(), events });
  return { storage, events, store };
}

function storageEvent(key: string | null): Event {
  return Object.assign(new Event('storage'), { key });
}

describe('progress store: empty storage', () => {
  it('loads an empty version-1 progress without writing anything', () => {
    const { storage, store } = setup();
    expect(store.load()).toEqual({ version: 1, drafts: {}, checkpoints: {}, quizzes: {}, lessons: {} });
    expect(storage.length).toBe(0);
    expect(store.notices()).toEqual([]);
  });
});

describe('progress store: drafts', () => {
  it('saves a draft with updatedAt from now() and reads it back', () => {
    const { storage, store } = setup();
    store.saveDraft('key-to-partition', 'export function partition() {}');
    expect(store.getDraft('key-to-partition')).toEqual({
      source: 'export function partition() {}',
      updatedAt: '2026-01-01T00:00:00.000Z',
    });
    expect(JSON.parse(storage.getItem(PROGRESS_KEY)!).drafts['key-to-partition'].source).toBe('export function partition() {}');
  });

  it('a second save replaces the source and the timestamp', () => {
    const { store } = setup();
    store.saveDraft('e1', 'a');
    store.saveDraft('e1', 'b');
    expect(store.getDraft('e1')).toEqual({ source: 'b', updatedAt: '2026-01-01T00:00:01.000Z' });
  });

  it('a new store over the same storage (a reload) finds the draft', () => {
    const storage = new InMemoryStorage();
    setup(storage).store.saveDraft('e1', 'kept');
    expect(setup(storage).store.getDraft('e1')?.source).toBe('kept');
  });

  it('clearDraft forgets only that exercise', () => {
    const { store } = setup();
    store.saveDraft('e1', 'a');
    store.saveDraft('e2', 'b');
    store.clearDraft('e1');
    expect(store.getDraft('e1')).toBeUndefined();
    expect(store.getDraft('e2')?.source).toBe('b');
  });
});

describe('progress store: checkpoints, quizzes, lessons', () => {
  it('markCheckpointPassed keeps the first passedAt and updates details', () => {
    const { store } = setup();
    store.markCheckpointPassed('key-to-partition', { testsPassed: 9, testsTotal: 9 });
    store.markCheckpointPassed('key-to-partition', { testsPassed: 10, testsTotal: 10 });
    expect(store.load().checkpoints['key-to-partition']).toEqual({
      passedAt: '2026-01-01T00:00:00.000Z',
      testsPassed: 10,
      testsTotal: 10,
    });
  });

  it('saveQuizAnswer stores each answer kind and resetQuiz forgets one quiz only', () => {
    const { store } = setup();
    store.saveQuizAnswer('q1', 'single', 'b', true);
    store.saveQuizAnswer('q1', 'numeric', 3, false);
    store.saveQuizAnswer('q1', 'multi', ['x', 'y'], true);
    store.saveQuizAnswer('q2', 'single', 'a', true);
    expect(store.getQuizAnswers('q1')).toEqual({
      single: { answer: 'b', correct: true, answeredAt: '2026-01-01T00:00:00.000Z' },
      numeric: { answer: 3, correct: false, answeredAt: '2026-01-01T00:00:01.000Z' },
      multi: { answer: ['x', 'y'], correct: true, answeredAt: '2026-01-01T00:00:02.000Z' },
    });
    store.resetQuiz('q1');
    expect(store.getQuizAnswers('q1')).toEqual({});
    expect(Object.keys(store.getQuizAnswers('q2'))).toEqual(['single']);
  });

  it('saveQuizAnswer rejects a non-JSON-able answer with what it got', () => {
    const { store } = setup();
    expect(() => store.saveQuizAnswer('q1', 'n', Number.NaN, false)).toThrow(/got null/);
    expect(() => store.saveQuizAnswer('q1', 'n', { a: 1 } as never, false)).toThrow(/array of strings, got \{"a":1\}/);
  });

  it('markLessonVisited keeps the first visit', () => {
    const { store } = setup();
    store.markLessonVisited('01-keys');
    store.markLessonVisited('01-keys');
    expect(store.load().lessons).toEqual({ '01-keys': { visitedAt: '2026-01-01T00:00:00.000Z' } });
  });
});

describe('progress store: subscribe', () => {
  it('fires on same-tab changes with the new progress, until unsubscribed', () => {
    const { store } = setup();
    const seen: Progress[] = [];
    const off = store.subscribe((p) => seen.push(p));
    store.saveDraft('e1', 'a');
    store.markLessonVisited('l1');
    off();
    store.saveDraft('e1', 'b');
    expect(seen).toHaveLength(2);
    expect(seen[1].drafts.e1.source).toBe('a');
    expect(seen[1].lessons.l1).toBeDefined();
  });

  it('fires on a storage event for the progress key (another tab) and ignores other keys', () => {
    const { storage, events, store } = setup();
    const seen: Progress[] = [];
    store.subscribe((p) => seen.push(p));
    const otherTab = createProgressStore({ storage, now: tickingClock(), events: null });
    otherTab.saveDraft('e1', 'from the other tab');
    events.dispatchEvent(storageEvent('partition-lab:theme'));
    expect(seen).toHaveLength(0);
    events.dispatchEvent(storageEvent(PROGRESS_KEY));
    expect(seen).toHaveLength(1);
    expect(seen[0].drafts.e1.source).toBe('from the other tab');
  });
});

describe('progress store: recovery from a bad stored value', () => {
  it('not JSON: backs up the raw value, starts empty, reports, does not throw', () => {
    const storage = new InMemoryStorage();
    storage.setItem(PROGRESS_KEY, '{"version":1, drafts: oops');
    const { store } = setup(storage);
    const progress = store.load();
    expect(progress).toEqual(emptyProgress());
    const [notice] = store.notices();
    expect(notice.kind).toBe('recovered');
    expect(notice.message).toMatch(/not valid JSON/);
    expect(notice.backupKey).toBe(`${PROGRESS_BACKUP_PREFIX}2026-01-01T00:00:00.000Z`);
    expect(storage.getItem(notice.backupKey!)).toBe('{"version":1, drafts: oops');
    // recovered once: the next load reads the repaired value without a new notice
    store.load();
    expect(store.notices()).toHaveLength(1);
  });

  it('unknown (newer) version: kept in a backup, reported with both versions', () => {
    const storage = new InMemoryStorage();
    const raw = JSON.stringify({ version: 7, drafts: {} });
    storage.setItem(PROGRESS_KEY, raw);
    const { store } = setup(storage);
    expect(store.load()).toEqual(emptyProgress());
    expect(store.notices()[0].message).toMatch(/version 7.*up to version 1/);
    expect(storage.getItem(store.notices()[0].backupKey!)).toBe(raw);
  });

  it('one invalid entry among valid ones: the valid entries are salvaged, the field is named', () => {
    const storage = new InMemoryStorage();
    storage.setItem(
      PROGRESS_KEY,
      JSON.stringify({
        version: 1,
        drafts: { good: { source: 'x', updatedAt: '2026-01-01T00:00:00.000Z' }, bad: { source: 42 } },
        checkpoints: {},
        quizzes: { q1: { a: { answer: 'b', correct: 'yes' }, b: { answer: 2, correct: true } } },
        lessons: {},
      }),
    );
    const { store } = setup(storage);
    const progress = store.load();
    expect(Object.keys(progress.drafts)).toEqual(['good']);
    expect(progress.quizzes).toEqual({ q1: { b: { answer: 2, correct: true } } });
    const message = store.notices()[0].message;
    expect(message).toContain('drafts.bad.source');
    expect(message).toContain('quizzes.q1.a.correct');
  });

  it('onNotice listeners hear the recovery', () => {
    const storage = new InMemoryStorage();
    storage.setItem(PROGRESS_KEY, '[]');
    const { store } = setup(storage);
    const heard: string[] = [];
    store.onNotice((n) => heard.push(n.message));
    store.load();
    expect(heard).toHaveLength(1);
    expect(heard[0]).toMatch(/got an array/);
  });

  it('a full storage (quota exceeded) reports write-failed instead of throwing, and saveDraft says it did not save', () => {
    const { store } = setup(new InMemoryStorage(200));
    let saved: boolean | undefined;
    expect(() => (saved = store.saveDraft('e1', 'x'.repeat(500)))).not.toThrow();
    expect(saved).toBe(false);
    expect(store.notices().map((n) => n.kind)).toEqual(['write-failed']);
    expect(store.notices()[0].message).toBe(
      "Your progress could not be saved in this browser: this browser's storage for the site is full.",
    );
    expect(setup().store.saveDraft('e1', 'x')).toBe(true);
  });

  it('a newer version: the notice says nothing was kept (never "everything readable was kept") and names the backup', () => {
    const storage = new InMemoryStorage();
    const raw = JSON.stringify({
      version: 2,
      drafts: { e1: { source: 'mine', updatedAt: '2026-01-01T00:00:00.000Z' } },
      checkpoints: {},
      quizzes: {},
      lessons: {},
    });
    storage.setItem(PROGRESS_KEY, raw);
    const { store } = setup(storage);
    store.load();
    const [notice] = store.notices();
    expect(notice.message).not.toMatch(/Everything readable was kept/);
    expect(notice.message).toContain('None of it could be used here');
    expect(notice.message).toContain(notice.backupKey!);
    expect(notice.message).toContain('download or restore it on the Your progress page');
    expect(store.backups()).toEqual([
      {
        key: notice.backupKey,
        savedAt: '2026-01-01T00:00:00.000Z',
        size: raw.length,
        status: 'newer-version',
        reason: expect.stringMatching(/version 2/),
      },
    ]);
    expect(store.readBackup(notice.backupKey!)).toBe(raw);
    // a newer version cannot be restored here; nothing changes
    const restore = store.restoreBackup(notice.backupKey!);
    expect(restore).toEqual({ ok: false, error: expect.stringMatching(/cannot be restored here: .*Download it instead\.$/) });
  });

  it('some entries salvaged: the notice counts what was kept', () => {
    const storage = new InMemoryStorage();
    storage.setItem(
      PROGRESS_KEY,
      JSON.stringify({
        version: 1,
        drafts: { a: { source: 'x', updatedAt: '2026-01-01T00:00:00.000Z' }, b: 7 },
        checkpoints: {},
        quizzes: {},
        lessons: {},
      }),
    );
    const { store } = setup(storage);
    store.load();
    expect(store.notices()[0].message).toContain('1 readable entry was kept; the rest could not be used.');
  });

  it('the backup cannot be written (storage full): the original stays in place and is never written over', () => {
    const raw = JSON.stringify({ version: 9, drafts: {} });
    const storage = new InMemoryStorage(raw.length + PROGRESS_KEY.length + 10);
    storage.setItem(PROGRESS_KEY, raw);
    const { store } = setup(storage);
    expect(store.load()).toEqual(emptyProgress());
    expect(store.notices()[0].message).toContain('could not be copied to a backup');
    expect(store.saveDraft('e1', 'x')).toBe(false);
    expect(storage.getItem(PROGRESS_KEY)).toBe(raw);
    expect(store.notices().map((n) => n.kind)).toEqual(['recovered', 'write-failed']);
  });

  it("restoreBackup brings back a readable backup (an import's replaced progress), backing up the current one", () => {
    const { storage, store } = setup();
    store.saveDraft('e1', 'before the import');
    const imported = store.importProgress(JSON.stringify(emptyProgress()));
    if (!imported.ok) throw new Error(imported.error);
    const [backup] = store.backups();
    expect(backup).toMatchObject({ key: imported.backupKey, status: 'restorable' });
    const restored = store.restoreBackup(backup.key);
    if (!restored.ok) throw new Error(restored.error);
    expect(store.getDraft('e1')?.source).toBe('before the import');
    expect(storage.getItem(restored.backupKey!)).toBe(JSON.stringify(emptyProgress()));
    expect(store.restoreBackup('partition-lab:progress:backup:nope')).toEqual({
      ok: false,
      error: 'There is no backup "partition-lab:progress:backup:nope" in this browser.',
    });
  });
});

describe('progress store: migrations', () => {
  it('a value of an older version goes through MIGRATIONS, is backed up and reported as migrated', () => {
    // Pretend a version 0 existed, with `answers` instead of `quizzes`.
    MIGRATIONS[0] = (old) => ({ version: 1, drafts: {}, checkpoints: {}, lessons: {}, quizzes: old.answers });
    try {
      const storage = new InMemoryStorage();
      const raw = JSON.stringify({ version: 0, answers: { q1: { a: { answer: 'b', correct: true } } } });
      storage.setItem(PROGRESS_KEY, raw);
      const { store } = setup(storage);
      expect(store.load().quizzes).toEqual({ q1: { a: { answer: 'b', correct: true } } });
      const [notice] = store.notices();
      expect(notice.kind).toBe('migrated');
      expect(notice.message).toBe('Saved progress was upgraded from version 0 to 1.');
      expect(storage.getItem(notice.backupKey!)).toBe(raw);
      expect(JSON.parse(storage.getItem(PROGRESS_KEY)!).version).toBe(1);
    } finally {
      delete MIGRATIONS[0];
    }
  });

  it('an older version without a migration is recovered, naming the missing step', () => {
    const result = parseProgress(JSON.stringify({ version: 0 }));
    expect(result).toMatchObject({ ok: false, reason: 'there is no migration from version 0 to 1' });
  });

  it(`the current version (${PROGRESS_VERSION}) needs no migration and is not backed up`, () => {
    const storage = new InMemoryStorage();
    storage.setItem(PROGRESS_KEY, JSON.stringify(emptyProgress()));
    const { store } = setup(storage);
    store.load();
    expect(store.notices()).toEqual([]);
    expect(storage.keys()).toEqual([PROGRESS_KEY]);
  });
});

describe('progress store: export and import', () => {
  it('export → import into a fresh storage gives the same progress', () => {
    const a = setup();
    a.store.saveDraft('e1', 'src');
    a.store.saveQuizAnswer('q1', 'x', ['c', 'a'], true);
    a.store.markCheckpointPassed('e1');
    const json = a.store.exportProgress();
    const b = setup();
    const result = b.store.importProgress(json);
    expect(result.ok).toBe(true);
    expect(b.store.load()).toEqual(a.store.load());
  });

  it('import keeps the replaced progress in a backup and notifies subscribers', () => {
    const { storage, store } = setup();
    store.saveDraft('e1', 'old');
    const before = storage.getItem(PROGRESS_KEY);
    const seen: Progress[] = [];
    store.subscribe((p) => seen.push(p));
    const result = store.importProgress(JSON.stringify(emptyProgress()));
    if (!result.ok) throw new Error(result.error);
    expect(storage.getItem(result.backupKey!)).toBe(before);
    expect(seen).toEqual([emptyProgress()]);
  });

  it('import of a non-JSON file: a clear error, nothing changed', () => {
    const { storage, store } = setup();
    store.saveDraft('e1', 'old');
    const before = storage.getItem(PROGRESS_KEY);
    const result = store.importProgress('hello');
    expect(result).toEqual({ ok: false, error: expect.stringMatching(/^This file is not Partition Lab progress: it is not valid JSON/) });
    expect(storage.getItem(PROGRESS_KEY)).toBe(before);
  });

  it('import of a wrong-shaped file: the error names the field and what was expected', () => {
    const { store } = setup();
    const result = store.importProgress(JSON.stringify({ ...emptyProgress(), checkpoints: { e1: { passedAt: 'yesterday' } } }));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toContain('checkpoints.e1.passedAt: expected an ISO-8601 date-time string');
  });

  it('import of a file without a version says so', () => {
    const { store } = setup();
    const result = store.importProgress('{"drafts":{}}');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toContain('expected "version" to be a non-negative integer, got nothing');
  });
});

describe('item states', () => {
  const at = '2026-01-01T00:00:00.000Z';
  const base = (): Progress => emptyProgress();

  it('quiz: none answered / some answered / all correct / all answered with one wrong', () => {
    const p = base();
    expect(quizState(p, 'q', ['a', 'b'])).toBe('not-started');
    p.quizzes.q = { a: { answer: 'x', correct: true } };
    expect(quizState(p, 'q', ['a', 'b'])).toBe('in-progress');
    p.quizzes.q.b = { answer: 1, correct: true };
    expect(quizState(p, 'q', ['a', 'b'])).toBe('passed');
    p.quizzes.q.b = { answer: 2, correct: false };
    expect(quizState(p, 'q', ['a', 'b'])).toBe('in-progress');
  });

  it('checkpoint: nothing / a draft / passed', () => {
    const p = base();
    expect(checkpointState(p, 'e')).toBe('not-started');
    p.drafts.e = { source: '', updatedAt: at };
    expect(checkpointState(p, 'e')).toBe('in-progress');
    p.checkpoints.e = { passedAt: at };
    expect(checkpointState(p, 'e')).toBe('passed');
  });

  it('lesson with quiz and checkpoint: untouched / visited only / everything passed', () => {
    const lesson = { id: 'l', quiz: { id: 'q', questionIds: ['a'] }, checkpoint: 'e' };
    const p = base();
    expect(lessonState(p, lesson)).toBe('not-started');
    p.lessons.l = { visitedAt: at };
    expect(lessonState(p, lesson)).toBe('in-progress');
    p.quizzes.q = { a: { answer: 'x', correct: true } };
    p.checkpoints.e = { passedAt: at };
    expect(lessonState(p, lesson)).toBe('passed');
  });

  it('lesson not visited but a quiz answer saved: in progress', () => {
    const p = base();
    p.quizzes.q = { a: { answer: 'x', correct: false } };
    expect(lessonState(p, { id: 'l', quiz: { id: 'q', questionIds: ['a'] } })).toBe('in-progress');
  });
});
