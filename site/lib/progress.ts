/**
 * The learner's progress, local-first: one versioned JSON value in localStorage under
 * `partition-lab:progress`. Nothing leaves the browser unless the learner exports it.
 *
 * Shape (version 1):
 * ```
 * { version: 1,
 *   drafts:      { [exerciseId]: { source, updatedAt } },
 *   checkpoints: { [exerciseId]: { passedAt, testsPassed?, testsTotal? } },
 *   quizzes:     { [quizId]: { [questionId]: { answer, correct, answeredAt? } } },
 *   lessons:     { [lessonId]: { visitedAt } } }
 * ```
 * Timestamps are ISO-8601 strings from the store's `now()` (injectable, so tests are deterministic).
 *
 * Reading never throws at the learner: a value that is not JSON, fails the schema, or carries an
 * unknown version is copied to a backup key (`partition-lab:progress:backup:<timestamp>`), the
 * entries that still validate are salvaged, and a `ProgressNotice` is reported to `onNotice`
 * listeners (the UI can show it). The notice says what was kept (possibly nothing) and where the
 * original is; `backups()`, `readBackup()` and `restoreBackup()` let the progress page offer it for
 * download or restore. When the backup itself cannot be written, the original is left in place
 * (nothing is overwritten) and the learner is told. Older versions go through `MIGRATIONS` step by step.
 *
 * Writes report whether they reached lasting storage (`saveDraft` etc. return false when the browser
 * refused, e.g. a full quota, or when storage is blocked and the store only keeps things in memory), so
 * the UI never claims "saved" when it was not.
 *
 * Two ways in: the module-level functions (`loadProgress`, `saveDraft`, …) act on a default store
 * bound to `globalThis.localStorage` (falling back to memory when storage is unavailable, e.g. at
 * build time or with storage blocked); `createProgressStore(options)` makes a store over any
 * Web Storage (tests use an in-memory one).
 */
// zod's tree-shakable build: this module ships on every page (the full build would add ~12 KB gzip).
import * as z from 'zod/mini';
import { backupRawValue, MemoryStorage } from './versioned-store.ts';
import { plural, pluralWord } from '../../engine/index.ts';

/** localStorage key of the progress value. */
export const PROGRESS_KEY = 'partition-lab:progress';
/** Prefix of the keys that keep a corrupted or replaced raw value: `${PROGRESS_BACKUP_PREFIX}<ISO time>`. */
export const PROGRESS_BACKUP_PREFIX = 'partition-lab:progress:backup:';
/** The version this code writes. Bump it together with a migration in `MIGRATIONS`. */
export const PROGRESS_VERSION = 1 as const;

// ---------------------------------------------------------------------------------------------
// Schema

const isoDate = z.iso.datetime({ offset: true, error: 'expected an ISO-8601 date-time string' });

/** A quiz answer: a choice id (single-choice), a number (numeric), or choice/step ids (multi-select, order). */
export const quizAnswerSchema = z.union([z.string(), z.number(), z.array(z.string())]);
const draftSchema = z.object({ source: z.string(), updatedAt: isoDate });
const checkpointSchema = z.object({
  passedAt: isoDate,
  testsPassed: z.optional(z.int().check(z.nonnegative())),
  testsTotal: z.optional(z.int().check(z.nonnegative())),
});
const quizAnswerRecordSchema = z.object({ answer: quizAnswerSchema, correct: z.boolean(), answeredAt: z.optional(isoDate) });
const lessonVisitSchema = z.object({ visitedAt: isoDate });

const sections = {
  drafts: draftSchema,
  checkpoints: checkpointSchema,
  quizzes: z.record(z.string(), quizAnswerRecordSchema),
  lessons: lessonVisitSchema,
} as const;
type SectionName = keyof typeof sections;
const SECTION_NAMES = Object.keys(sections) as SectionName[];

/** Zod schema of a version-1 progress value. */
export const progressSchema = z.object({
  version: z.literal(PROGRESS_VERSION),
  drafts: z.record(z.string(), draftSchema),
  checkpoints: z.record(z.string(), checkpointSchema),
  quizzes: z.record(z.string(), z.record(z.string(), quizAnswerRecordSchema)),
  lessons: z.record(z.string(), lessonVisitSchema),
});

export type Progress = z.infer<typeof progressSchema>;
export type QuizAnswer = z.infer<typeof quizAnswerSchema>;
export type Draft = z.infer<typeof draftSchema>;
export type CheckpointRecord = z.infer<typeof checkpointSchema>;
export type QuizAnswerRecord = z.infer<typeof quizAnswerRecordSchema>;

/** A fresh, empty progress value. */
export function emptyProgress(): Progress {
  return { version: PROGRESS_VERSION, drafts: {}, checkpoints: {}, quizzes: {}, lessons: {} };
}

/**
 * Migrations from version n to n + 1, keyed by n. Version 1 is the first, so there are none yet.
 * Example for a future v2: `MIGRATIONS[1] = (v1) => ({ ...v1, version: 2, srs: {} })`.
 * Each function takes the parsed JSON of version n (unvalidated) and returns version n + 1.
 */
export const MIGRATIONS: Record<number, (old: Record<string, unknown>) => Record<string, unknown>> = {};

// ---------------------------------------------------------------------------------------------
// Parsing, migration and salvage (pure)

/** Something the learner (or the UI) should know about: a recovery, a failed write, a migration. */
export interface ProgressNotice {
  kind: 'recovered' | 'migrated' | 'write-failed';
  /** one sentence for people, e.g. "Saved progress was unreadable (not JSON) …" */
  message: string;
  /** where the bad raw value was kept, for `recovered` */
  backupKey?: string;
}

/** Outcome of parsing a raw stored/imported value. */
export type ParseResult = { ok: true; progress: Progress; migratedFrom?: number } | { ok: false; reason: string; salvaged: Progress };

/** `quizzes.q1.a.correct: expected boolean, received string` — zod issues in one line each. */
function describeIssues(error: z.core.$ZodError, max = 5): string {
  const lines = error.issues.slice(0, max).map((issue) => {
    const path = issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)';
    return `${path}: ${issue.message}`;
  });
  if (error.issues.length > max) lines.push(`… and ${error.issues.length - max} more`);
  return lines.join('; ');
}

/** Keep the entries of each section that validate on their own; drop the rest. */
function salvage(value: unknown): Progress {
  const out = emptyProgress();
  if (typeof value !== 'object' || value === null) return out;
  const record = value as Record<string, unknown>;
  for (const name of SECTION_NAMES) {
    const section = record[name];
    if (typeof section !== 'object' || section === null || Array.isArray(section)) continue;
    for (const [id, entry] of Object.entries(section)) {
      if (name === 'quizzes') {
        if (typeof entry !== 'object' || entry === null) continue;
        const kept: Record<string, QuizAnswerRecord> = {};
        for (const [qid, answer] of Object.entries(entry)) {
          const parsed = quizAnswerRecordSchema.safeParse(answer);
          if (parsed.success) kept[qid] = parsed.data;
        }
        if (Object.keys(kept).length > 0) out.quizzes[id] = kept;
      } else {
        const parsed = sections[name].safeParse(entry);
        if (parsed.success) (out[name] as Record<string, unknown>)[id] = parsed.data;
      }
    }
  }
  return out;
}

/** How many entries a progress value holds (drafts, passed checkpoints, quiz answers, visited lessons). */
export function countEntries(progress: Progress): number {
  return (
    Object.keys(progress.drafts).length +
    Object.keys(progress.checkpoints).length +
    Object.values(progress.quizzes).reduce((n, q) => n + Object.keys(q).length, 0) +
    Object.keys(progress.lessons).length
  );
}

/** Why the browser refused a write, in the learner's terms. */
export function describeWriteError(e: unknown): string {
  const name = (e as { name?: string } | null)?.name;
  if (name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED') return "this browser's storage for the site is full";
  return `the browser refused to store it (${(e as Error)?.message ?? String(e)})`;
}

/**
 * Parse a raw progress string: JSON → migrate to the current version → validate.
 * Never throws. On failure, `reason` says what was wrong in one sentence and `salvaged` holds the
 * entries that still validate (for a current-version value) or an empty progress.
 * @param raw the stored or imported text
 */
export function parseProgress(raw: string): ParseResult {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (e) {
    return { ok: false, reason: `it is not valid JSON (${(e as Error).message})`, salvaged: emptyProgress() };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const got = Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`;
    return { ok: false, reason: `expected a JSON object with a "version" field, got ${got}`, salvaged: emptyProgress() };
  }
  let record = value as Record<string, unknown>;
  const startVersion = record.version;
  if (typeof startVersion !== 'number' || !Number.isInteger(startVersion) || startVersion < 0) {
    return {
      ok: false,
      reason: `expected "version" to be a non-negative integer, got ${JSON.stringify(startVersion) ?? 'nothing'}`,
      salvaged: emptyProgress(),
    };
  }
  if (startVersion > PROGRESS_VERSION) {
    return {
      ok: false,
      reason: `it has version ${startVersion}, written by a newer Partition Lab; this one reads up to version ${PROGRESS_VERSION}`,
      salvaged: emptyProgress(),
    };
  }
  for (let v = startVersion; v < PROGRESS_VERSION; v++) {
    const migrate = MIGRATIONS[v];
    if (!migrate) {
      return { ok: false, reason: `there is no migration from version ${v} to ${v + 1}`, salvaged: emptyProgress() };
    }
    try {
      record = migrate(record);
    } catch (e) {
      return { ok: false, reason: `migrating from version ${v} failed (${(e as Error).message})`, salvaged: emptyProgress() };
    }
  }
  const parsed = progressSchema.safeParse(record);
  if (!parsed.success) {
    return { ok: false, reason: `some entries are invalid: ${describeIssues(parsed.error)}`, salvaged: salvage(record) };
  }
  return startVersion === PROGRESS_VERSION
    ? { ok: true, progress: parsed.data }
    : { ok: true, progress: parsed.data, migratedFrom: startVersion };
}

// ---------------------------------------------------------------------------------------------
// Item states for the outline (pure)

/** What the outline shows for an item. */
export type ItemState = 'not-started' | 'in-progress' | 'passed';

/**
 * A quiz's state: `passed` when every listed question has a correct answer, `not-started` when none
 * is answered, else `in-progress`.
 * @param questionIds the quiz's question ids (from the quizzes collection)
 */
export function quizState(progress: Progress, quizId: string, questionIds: readonly string[]): ItemState {
  const answers = progress.quizzes[quizId] ?? {};
  const answered = questionIds.filter((q) => answers[q] !== undefined);
  if (answered.length === 0) return 'not-started';
  return questionIds.every((q) => answers[q]?.correct === true) ? 'passed' : 'in-progress';
}

/** A checkpoint's state: `passed` once marked passed, `in-progress` with a saved draft, else `not-started`. */
export function checkpointState(progress: Progress, exerciseId: string): ItemState {
  if (progress.checkpoints[exerciseId]) return 'passed';
  return progress.drafts[exerciseId] ? 'in-progress' : 'not-started';
}

/**
 * A lesson's overall state: `passed` when visited and its quiz and checkpoint (those it has) are
 * passed; `not-started` when it was never visited and nothing of it was touched; else `in-progress`.
 */
export function lessonState(
  progress: Progress,
  lesson: { id: string; quiz?: { id: string; questionIds: readonly string[] }; checkpoint?: string },
): ItemState {
  const parts: ItemState[] = [progress.lessons[lesson.id] ? 'passed' : 'not-started'];
  if (lesson.quiz) parts.push(quizState(progress, lesson.quiz.id, lesson.quiz.questionIds));
  if (lesson.checkpoint) parts.push(checkpointState(progress, lesson.checkpoint));
  if (parts.every((s) => s === 'passed')) return 'passed';
  if (parts.every((s) => s === 'not-started')) return 'not-started';
  return 'in-progress';
}

// ---------------------------------------------------------------------------------------------
// The store

/** Options of `createProgressStore`. */
export interface ProgressStoreOptions {
  /** a Web Storage (default: `globalThis.localStorage`); null or unavailable → in memory only */
  storage?: Storage | null;
  /** the clock for timestamps (default: `() => new Date()`) */
  now?: () => Date;
  /** where `storage` events come from (default: `globalThis.window`, if any) */
  events?: EventTarget | null;
}

/** The result of `importProgress`: the new progress, or an error sentence for the learner. */
export type ImportResult = { ok: true; progress: Progress; backupKey?: string } | { ok: false; error: string };

/** A raw value kept under a backup key, as the progress page lists it. */
export interface ProgressBackup {
  key: string;
  /** when it was kept (ISO-8601, from the key) */
  savedAt: string;
  /** size of the raw value in characters */
  size: number;
  /**
   * `restorable`: this version reads it (restore replaces the current progress with it);
   * `newer-version`: written by a newer Partition Lab (download it and import it there);
   * `unreadable`: not progress this version can use, in part or at all (download it to keep it)
   */
  status: 'restorable' | 'newer-version' | 'unreadable';
  /** for `newer-version` and `unreadable`: why, in one clause */
  reason?: string;
}

export interface ProgressStore {
  /** The current progress (validated; recovered if the stored value is bad — see the module doc). */
  load(): Progress;
  /**
   * Save the editor's source for an exercise, stamped `updatedAt = now()`.
   * @returns true when it reached lasting storage; false when the browser refused (a notice says why)
   *   or storage is blocked and it is kept in memory only
   */
  saveDraft(exerciseId: string, source: string): boolean;
  /** The saved draft of an exercise, or undefined. */
  getDraft(exerciseId: string): Draft | undefined;
  /** Forget an exercise's draft (e.g. "reset to starter"). */
  clearDraft(exerciseId: string): void;
  /** Mark a checkpoint passed at now(); keeps the first `passedAt` if already passed (details are updated). */
  markCheckpointPassed(exerciseId: string, details?: { testsPassed?: number; testsTotal?: number }): boolean;
  /** Record a quiz answer and whether it was correct, stamped `answeredAt = now()`. */
  saveQuizAnswer(quizId: string, questionId: string, answer: QuizAnswer, correct: boolean): void;
  /** A quiz's saved answers by question id (empty object when none). */
  getQuizAnswers(quizId: string): Record<string, QuizAnswerRecord>;
  /** Forget all answers of a quiz. */
  resetQuiz(quizId: string): void;
  /** Record a lesson visit; keeps the first `visitedAt`. */
  markLessonVisited(lessonId: string): void;
  /**
   * Call `cb(progress)` after every change in this tab and when another tab changes the stored
   * value (`storage` event). Returns the unsubscribe function.
   */
  subscribe(cb: (progress: Progress) => void): () => void;
  /** Call `cb(notice)` for recoveries, migrations and failed writes. Returns the unsubscribe function. */
  onNotice(cb: (notice: ProgressNotice) => void): () => void;
  /** Notices raised so far (newest last), for UIs that mount after the fact. */
  notices(): readonly ProgressNotice[];
  /** The progress as pretty JSON (the stored shape, version included), for download. */
  exportProgress(): string;
  /**
   * Replace the progress with an exported JSON text, after validating it. The current value is kept
   * under a backup key first. Never throws: returns `{ ok: false, error }` with a sentence such as
   * `This file is not Partition Lab progress: quizzes.q1.a.correct: Expected boolean, received string`.
   */
  importProgress(json: string): ImportResult;
  /** Is this store backed by the browser's storage (false: blocked, kept in memory for this page only)? */
  persistent(): boolean;
  /** The backups kept in this browser (recoveries, migrations, imports), newest first. */
  backups(): ProgressBackup[];
  /** The raw text of a backup, or null when there is none under `key`. */
  readBackup(key: string): string | null;
  /**
   * Make a backup the current progress again. The current progress is backed up first. Only a backup
   * this version reads is restored; otherwise `{ ok: false, error }` says why and nothing changes.
   */
  restoreBackup(key: string): ImportResult;
}

function defaultStorage(): Storage | null {
  try {
    const storage = (globalThis as { localStorage?: Storage }).localStorage;
    if (!storage) return null;
    // Readable is enough: a full storage (writes throw QuotaExceededError) still holds the learner's
    // progress, which must be shown; each write then reports its own failure.
    storage.getItem(PROGRESS_KEY);
    return storage;
  } catch {
    return null; // blocked (privacy settings) or absent (build time)
  }
}

/**
 * Make a progress store over a Web Storage. See `ProgressStore` for the methods.
 * @example createProgressStore({ storage: new MemoryStorage(), now: () => new Date('2026-01-01T00:00:00Z') })
 */
export function createProgressStore(options: ProgressStoreOptions = {}): ProgressStore {
  const given = options.storage === undefined ? defaultStorage() : options.storage;
  const storage: Storage = given ?? new MemoryStorage();
  const isPersistent = given !== null;
  const now = options.now ?? (() => new Date());
  const events = options.events === undefined ? ((globalThis as { window?: EventTarget }).window ?? null) : options.events;
  const listeners = new Set<(p: Progress) => void>();
  const noticeListeners = new Set<(n: ProgressNotice) => void>();
  const noticeLog: ProgressNotice[] = [];
  let storageListenerAttached = false;

  const stamp = (): string => now().toISOString();

  function notify(notice: ProgressNotice): void {
    noticeLog.push(notice);
    for (const cb of noticeListeners) cb(notice);
  }

  const backup = (raw: string): string | undefined => backupRawValue(storage, PROGRESS_BACKUP_PREFIX, stamp(), raw);
  /** An unreadable stored value that could not be backed up: left in place, never written over. */
  let unbacked: { raw: string; salvaged: Progress } | null = null;
  const stored = (): string | null => {
    try {
      return storage.getItem(PROGRESS_KEY);
    } catch {
      return null;
    }
  };

  /** @returns true when the value reached lasting storage */
  function write(progress: Progress): boolean {
    if (unbacked !== null && stored() === unbacked.raw) {
      notify({
        kind: 'write-failed',
        message:
          'Your progress could not be saved in this browser: the progress already stored there could not be read or backed up, so nothing is written over it.',
      });
      return false;
    }
    try {
      storage.setItem(PROGRESS_KEY, JSON.stringify(progress));
      return isPersistent;
    } catch (e) {
      notify({ kind: 'write-failed', message: `Your progress could not be saved in this browser: ${describeWriteError(e)}.` });
      return false;
    }
  }

  function load(): Progress {
    let raw: string | null;
    try {
      raw = storage.getItem(PROGRESS_KEY);
    } catch {
      return emptyProgress();
    }
    if (raw === null) return emptyProgress();
    if (unbacked !== null && raw === unbacked.raw) return structuredClone(unbacked.salvaged);
    const result = parseProgress(raw);
    if (result.ok) {
      if (result.migratedFrom !== undefined) {
        const backupKey = backup(raw);
        write(result.progress);
        notify({
          kind: 'migrated',
          message: `Saved progress was upgraded from version ${result.migratedFrom} to ${PROGRESS_VERSION}.`,
          backupKey,
        });
      }
      return result.progress;
    }
    const backupKey = backup(raw);
    const kept = countEntries(result.salvaged);
    const what =
      kept === 0
        ? 'None of it could be used here, so this page starts with no progress.'
        : `${plural(kept, 'readable entry', 'readable entries')} ${pluralWord(kept, 'was', 'were')} kept; the rest could not be used.`;
    if (backupKey === undefined) {
      // Without a backup, overwriting would lose the original: leave it where it is, untouched.
      unbacked = { raw, salvaged: structuredClone(result.salvaged) };
      notify({
        kind: 'recovered',
        message:
          `Your saved progress could not be read in full: ${result.reason}. ${what} ` +
          'The original could not be copied to a backup (the browser refused the write), so it is left as it is, and what you do on this page is not saved over it.',
      });
      return result.salvaged;
    }
    write(result.salvaged);
    notify({
      kind: 'recovered',
      message:
        `Your saved progress could not be read in full: ${result.reason}. ${what} ` +
        `The original is kept unchanged in this browser as a backup ("${backupKey}"): download or restore it on the Your progress page.`,
      backupKey,
    });
    return result.salvaged;
  }

  /** @returns true when the change reached lasting storage */
  function update(change: (p: Progress) => void): boolean {
    const progress = load();
    change(progress);
    const saved = write(progress);
    for (const cb of listeners) cb(progress);
    return saved;
  }

  function listBackups(): ProgressBackup[] {
    const out: ProgressBackup[] = [];
    let keys: string[] = [];
    try {
      for (let i = 0; i < storage.length; i++) {
        const key = storage.key(i);
        if (key !== null && key.startsWith(PROGRESS_BACKUP_PREFIX)) keys.push(key);
      }
    } catch {
      keys = [];
    }
    for (const key of keys) {
      const raw = storage.getItem(key);
      if (raw === null) continue;
      const parsed = parseProgress(raw);
      const savedAt = key.slice(PROGRESS_BACKUP_PREFIX.length).replace(/#\d+$/, '');
      let version: unknown;
      try {
        version = (JSON.parse(raw) as { version?: unknown } | null)?.version;
      } catch {
        version = undefined;
      }
      const status: ProgressBackup['status'] = parsed.ok
        ? 'restorable'
        : typeof version === 'number' && version > PROGRESS_VERSION
          ? 'newer-version'
          : 'unreadable';
      out.push({ key, savedAt, size: raw.length, status, ...(parsed.ok ? {} : { reason: parsed.reason }) });
    }
    return out.sort((a, b) => (a.key < b.key ? 1 : a.key > b.key ? -1 : 0));
  }

  /** Replace the progress with a parsed value, backing up the current one first. */
  function replaceWith(progress: Progress): ImportResult {
    const current = storage.getItem(PROGRESS_KEY);
    const backupKey = current !== null ? backup(current) : undefined;
    if (current !== null && backupKey === undefined) {
      return {
        ok: false,
        error: 'Your current progress could not be backed up first (the browser refused the write), so nothing was replaced.',
      };
    }
    if (!write(progress)) return { ok: false, error: 'The progress could not be saved in this browser.' };
    for (const cb of listeners) cb(progress);
    return { ok: true, progress, backupKey };
  }

  function onStorage(event: Event): void {
    const key = (event as { key?: string | null }).key;
    // key null: storage.clear() in another tab
    if (key !== PROGRESS_KEY && key !== null) return;
    const progress = load();
    for (const cb of listeners) cb(progress);
  }

  return {
    load,
    saveDraft(exerciseId, source) {
      return update((p) => {
        p.drafts[exerciseId] = { source, updatedAt: stamp() };
      });
    },
    getDraft(exerciseId) {
      return load().drafts[exerciseId];
    },
    clearDraft(exerciseId) {
      update((p) => {
        delete p.drafts[exerciseId];
      });
    },
    markCheckpointPassed(exerciseId, details = {}) {
      return update((p) => {
        const passedAt = p.checkpoints[exerciseId]?.passedAt ?? stamp();
        p.checkpoints[exerciseId] = { ...p.checkpoints[exerciseId], ...details, passedAt };
      });
    },
    saveQuizAnswer(quizId, questionId, answer, correct) {
      const checked = quizAnswerSchema.safeParse(answer);
      if (!checked.success) {
        throw new TypeError(`Expected a quiz answer to be a string, a finite number or an array of strings, got ${JSON.stringify(answer)}`);
      }
      update((p) => {
        p.quizzes[quizId] = { ...p.quizzes[quizId], [questionId]: { answer: checked.data, correct, answeredAt: stamp() } };
      });
    },
    getQuizAnswers(quizId) {
      return load().quizzes[quizId] ?? {};
    },
    resetQuiz(quizId) {
      update((p) => {
        delete p.quizzes[quizId];
      });
    },
    markLessonVisited(lessonId) {
      update((p) => {
        p.lessons[lessonId] ??= { visitedAt: stamp() };
      });
    },
    subscribe(cb) {
      listeners.add(cb);
      if (events && !storageListenerAttached) {
        events.addEventListener('storage', onStorage);
        storageListenerAttached = true;
      }
      return () => {
        listeners.delete(cb);
        if (events && listeners.size === 0 && storageListenerAttached) {
          events.removeEventListener('storage', onStorage);
          storageListenerAttached = false;
        }
      };
    },
    onNotice(cb) {
      noticeListeners.add(cb);
      return () => noticeListeners.delete(cb);
    },
    notices() {
      return noticeLog;
    },
    exportProgress() {
      return JSON.stringify(load(), null, 2);
    },
    importProgress(json) {
      const result = parseProgress(json);
      if (!result.ok) return { ok: false, error: `This file is not Partition Lab progress: ${result.reason}.` };
      return replaceWith(result.progress);
    },
    persistent: () => isPersistent,
    backups: listBackups,
    readBackup(key) {
      if (!key.startsWith(PROGRESS_BACKUP_PREFIX)) return null;
      try {
        return storage.getItem(key);
      } catch {
        return null;
      }
    },
    restoreBackup(key) {
      const raw = key.startsWith(PROGRESS_BACKUP_PREFIX) ? storage.getItem(key) : null;
      if (raw === null) return { ok: false, error: `There is no backup "${key}" in this browser.` };
      const result = parseProgress(raw);
      if (!result.ok) return { ok: false, error: `This backup cannot be restored here: ${result.reason}. Download it instead.` };
      return replaceWith(result.progress);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The default store (localStorage of this page) and its module-level functions

let defaultStore: ProgressStore | undefined;
/** The store bound to this page's localStorage, created on first use. */
export function progressStore(): ProgressStore {
  defaultStore ??= createProgressStore();
  return defaultStore;
}

/** The current progress from localStorage (recovered, never throws). See `ProgressStore.load`. */
export const loadProgress = (): Progress => progressStore().load();
/** Save the editor's source for an exercise. See `ProgressStore.saveDraft`. */
export const saveDraft = (exerciseId: string, source: string): boolean => progressStore().saveDraft(exerciseId, source);
/** The saved draft of an exercise, or undefined. */
export const getDraft = (exerciseId: string): Draft | undefined => progressStore().getDraft(exerciseId);
/** Forget an exercise's draft. */
export const clearDraft = (exerciseId: string): void => progressStore().clearDraft(exerciseId);
/** Mark a checkpoint passed (first `passedAt` is kept). See `ProgressStore.markCheckpointPassed`. */
export const markCheckpointPassed = (exerciseId: string, details?: { testsPassed?: number; testsTotal?: number }): boolean =>
  progressStore().markCheckpointPassed(exerciseId, details);
/** Record a quiz answer and whether it was correct. */
export const saveQuizAnswer = (quizId: string, questionId: string, answer: QuizAnswer, correct: boolean): void =>
  progressStore().saveQuizAnswer(quizId, questionId, answer, correct);
/** A quiz's saved answers by question id. */
export const getQuizAnswers = (quizId: string): Record<string, QuizAnswerRecord> => progressStore().getQuizAnswers(quizId);
/** Forget all answers of a quiz. */
export const resetQuiz = (quizId: string): void => progressStore().resetQuiz(quizId);
/** Record a lesson visit (first `visitedAt` is kept). */
export const markLessonVisited = (lessonId: string): void => progressStore().markLessonVisited(lessonId);
/** Subscribe to changes (this tab and other tabs). Returns the unsubscribe function. */
export const subscribe = (cb: (progress: Progress) => void): (() => void) => progressStore().subscribe(cb);
/** Subscribe to recoveries, migrations and failed writes. Returns the unsubscribe function. */
export const onNotice = (cb: (notice: ProgressNotice) => void): (() => void) => progressStore().onNotice(cb);
/** The progress as pretty JSON, for download. */
export const exportProgress = (): string => progressStore().exportProgress();
/** Replace the progress with exported JSON after validation; never throws. See `ProgressStore.importProgress`. */
export const importProgress = (json: string): ImportResult => progressStore().importProgress(json);
