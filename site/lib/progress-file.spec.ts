import { describe, expect, it } from 'vitest';
import { createDrillSchedule, DRILLS_BACKUP_PREFIX, DRILLS_KEY, emptyDrillState } from './drill-schedule.ts';
import { collectProgressFile, exportProgressFile, importProgressFile, type ProgressFileSources } from './progress-file.ts';
import { createProgressStore, emptyProgress, PROGRESS_KEY } from './progress.ts';
import { MemoryStorage } from './versioned-store.ts';

const T0 = Date.UTC(2026, 0, 1);

/** One browser's storage with some of everything: a draft, a passed checkpoint, quiz answers, drill results. */
function browserWithHistory() {
  const storage = new MemoryStorage();
  const progress = createProgressStore({ storage, now: () => new Date(T0), events: null });
  progress.saveDraft('key-to-partition', 'export function partition() { return 0; }');
  progress.markCheckpointPassed('range-assignor', { testsPassed: 20, testsTotal: 20 });
  progress.saveQuizAnswer('01-keys-and-partitions', 'order-456-with-6-partitions', 3, false);
  progress.markLessonVisited('01-keys-and-partitions');
  const drills = createDrillSchedule(storage);
  drills.record('partition-for-key', { correct: true, elapsedMs: 5_000 }, T0);
  drills.record('keys-that-move', { correct: false, elapsedMs: 30_000 }, T0 + 60_000);
  const sources: ProgressFileSources = { progress, drillStorage: storage, now: () => new Date(T0 + 120_000) };
  return { storage, progress, drills, sources };
}

describe('progress file: export carries everything the learner has', () => {
  it('includes the drill schedule (cards and stats per kind) next to drafts, checkpoints, quizzes and lessons', () => {
    const { sources } = browserWithHistory();
    const file = JSON.parse(exportProgressFile(sources));
    expect(Object.keys(file).sort()).toEqual(['checkpoints', 'drafts', 'drills', 'lessons', 'quizzes', 'version']);
    expect(Object.keys(file.drills.kinds).sort()).toEqual(['keys-that-move', 'partition-for-key']);
    expect(file.drills.kinds['keys-that-move'].stats).toMatchObject({ attempts: 1, correct: 0 });
    expect(file.drills.kinds['partition-for-key'].stats).toMatchObject({ attempts: 1, correct: 1, streak: 1 });
  });

  it('export → a cleared browser → import: the same progress and the same drill schedule', () => {
    const a = browserWithHistory();
    const json = exportProgressFile(a.sources);

    const storage = new MemoryStorage();
    const progress = createProgressStore({ storage, events: null });
    const result = importProgressFile(json, { progress, drillStorage: storage });
    expect(result.ok).toBe(true);
    expect(progress.load()).toEqual(a.progress.load());
    expect(JSON.parse(storage.getItem(DRILLS_KEY)!)).toEqual(JSON.parse(a.storage.getItem(DRILLS_KEY)!));
    // the drills page's store reads the imported schedule: same stats, same next kind
    const drills = createDrillSchedule(storage);
    expect(drills.stats(T0 + 120_000)).toEqual(a.drills.stats(T0 + 120_000));
    expect(drills.nextKind(T0 + 120_000)).toBe(a.drills.nextKind(T0 + 120_000));
    expect(collectProgressFile({ progress, drillStorage: storage })).toEqual(JSON.parse(json));
  });

  it('a draft kept only in this tab (saving failed) is exported when it is newer than the saved one', () => {
    const { sources } = browserWithHistory();
    const tabDraft = { source: 'newer code, only in this tab', updatedAt: new Date(T0 + 1000).toISOString() };
    const file = collectProgressFile({ ...sources, tabDrafts: { 'key-to-partition': tabDraft, 'range-assignor': tabDraft } });
    expect(file.drafts['key-to-partition']).toEqual(tabDraft);
    expect(file.drafts['range-assignor']).toEqual(tabDraft);
  });

  it('import backs up the replaced drill schedule and progress', () => {
    const { storage, sources } = browserWithHistory();
    const before = storage.getItem(DRILLS_KEY);
    const file = { ...emptyProgress(), drills: emptyDrillState() };
    const result = importProgressFile(JSON.stringify(file), sources);
    if (!result.ok) throw new Error(result.error);
    const drillBackup = result.backupKeys.find((k) => k.startsWith(DRILLS_BACKUP_PREFIX))!;
    expect(storage.getItem(drillBackup)).toBe(before);
    expect(JSON.parse(storage.getItem(DRILLS_KEY)!)).toEqual(emptyDrillState());
  });

  it('an older file without drills imports and leaves the drill history alone', () => {
    const { storage, sources } = browserWithHistory();
    const before = storage.getItem(DRILLS_KEY);
    const result = importProgressFile(JSON.stringify(emptyProgress()), sources);
    expect(result.ok).toBe(true);
    expect(storage.getItem(DRILLS_KEY)).toBe(before);
  });

  it('a file with a broken drill history is refused as a whole: nothing changes', () => {
    const { storage, sources } = browserWithHistory();
    const progressBefore = storage.getItem(PROGRESS_KEY);
    const drillsBefore = storage.getItem(DRILLS_KEY);
    const result = importProgressFile(JSON.stringify({ ...emptyProgress(), drills: { version: 1, kinds: 'oops' } }), sources);
    expect(result).toEqual({
      ok: false,
      error: expect.stringMatching(/^This file's drill history cannot be used: .*Nothing was imported\.$/),
    });
    expect(storage.getItem(PROGRESS_KEY)).toBe(progressBefore);
    expect(storage.getItem(DRILLS_KEY)).toBe(drillsBefore);
  });
});
