/**
 * The progress file: everything the learner has in this browser, in one JSON file they can download
 * and import elsewhere. Used by the progress page only (it pulls in the drill schedule, which the
 * other pages do not need).
 *
 * Shape: the progress value (progress.ts, version 1) with one more field,
 * ```
 * { version: 1, drafts, checkpoints, quizzes, lessons,
 *   drills: { version: 1, reviewsSinceNew, lastKind, kinds: { … } } }   // drill-schedule.ts
 * ```
 * `drills` is optional on import (files exported before it existed leave the drill history alone), so
 * older files still import; an older Partition Lab reading a newer file ignores the field.
 * Drafts that could only be kept in this tab (draft-fallback.ts) are exported when newer than the saved ones.
 *
 * Import validates the whole file before changing anything; the replaced values are kept under backup
 * keys (progress: `partition-lab:progress:backup:<time>`, drills: `partition-lab:drills:backup:<time>`).
 */
import { DRILLS_BACKUP_PREFIX, DRILLS_KEY, emptyDrillState, parseDrillState, type DrillState } from './drill-schedule.ts';
import { allFallbackDrafts, newerDraft } from './draft-fallback.ts';
import { parseProgress, progressStore, type Progress, type ProgressStore } from './progress.ts';
import { backupRawValue } from './versioned-store.ts';

/** The exported file's value. */
export type ProgressFile = Progress & { drills: DrillState };

/** Where the file's parts live: the progress store, the storage holding the drill schedule, tab-only drafts. */
export interface ProgressFileSources {
  progress: ProgressStore;
  /** the Web Storage holding `partition-lab:drills` (localStorage in the page) */
  drillStorage: Pick<Storage, 'getItem' | 'setItem'> | null;
  /** drafts kept in this tab only (draft-fallback.ts), by exercise id */
  tabDrafts?: Record<string, Progress['drafts'][string]>;
  /** the clock for backup keys */
  now?: () => Date;
}

function pageSources(): ProgressFileSources {
  let drillStorage: Storage | null = null;
  try {
    drillStorage = globalThis.localStorage ?? null;
  } catch {
    drillStorage = null;
  }
  return { progress: progressStore(), drillStorage, tabDrafts: allFallbackDrafts() };
}

/** The drill schedule as stored (an empty one when there is none or it cannot be read). */
export function readDrillState(storage: ProgressFileSources['drillStorage']): DrillState {
  if (!storage) return emptyDrillState();
  try {
    return parseDrillState(storage.getItem(DRILLS_KEY)).state;
  } catch {
    return emptyDrillState();
  }
}

/** Everything the learner has, as the file's value. */
export function collectProgressFile(sources: ProgressFileSources = pageSources()): ProgressFile {
  const progress = sources.progress.load();
  const drafts = { ...progress.drafts };
  for (const [id, draft] of Object.entries(sources.tabDrafts ?? {})) drafts[id] = newerDraft(drafts[id], draft)!;
  return { ...progress, drafts, drills: readDrillState(sources.drillStorage) };
}

/** The file's text: pretty JSON. */
export function exportProgressFile(sources: ProgressFileSources = pageSources()): string {
  return JSON.stringify(collectProgressFile(sources), null, 2);
}

/** What an import did, or why it refused (nothing changed then). */
export type ProgressFileImport =
  { ok: true; progress: Progress; drills: DrillState | null; backupKeys: string[] } | { ok: false; error: string };

/**
 * Import a progress file: validate it all, then replace the progress and (when the file has it) the
 * drill schedule, keeping the replaced values as backups. Never throws.
 */
export function importProgressFile(json: string, sources: ProgressFileSources = pageSources()): ProgressFileImport {
  const parsed = parseProgress(json); // checks the progress part (and that it is JSON at all)
  if (!parsed.ok) return { ok: false, error: `This file is not Partition Lab progress: ${parsed.reason}.` };
  const value = JSON.parse(json) as { drills?: unknown };
  let drills: DrillState | null = null;
  if (value.drills !== undefined) {
    const d = parseDrillState(JSON.stringify(value.drills));
    if (d.problem) return { ok: false, error: `This file's drill history cannot be used: ${d.problem}. Nothing was imported.` };
    drills = d.state;
    if (!sources.drillStorage)
      return { ok: false, error: 'This browser blocks storage for this site, so the drill history cannot be saved. Nothing was imported.' };
  }
  const backupKeys: string[] = [];
  if (drills && sources.drillStorage) {
    const now = (sources.now ?? (() => new Date()))().toISOString();
    const current = sources.drillStorage.getItem(DRILLS_KEY);
    if (current !== null) {
      const key = backupRawValue(sources.drillStorage, DRILLS_BACKUP_PREFIX, now, current);
      if (key === undefined)
        return {
          ok: false,
          error: 'Your current drill history could not be backed up first (the browser refused the write), so nothing was imported.',
        };
      backupKeys.push(key);
    }
  }
  const result = sources.progress.importProgress(json);
  if (!result.ok) return result;
  if (result.backupKey) backupKeys.push(result.backupKey);
  if (drills && sources.drillStorage) {
    try {
      sources.drillStorage.setItem(DRILLS_KEY, JSON.stringify(drills));
    } catch {
      return {
        ok: false,
        error: 'Your progress was imported, but the drill history could not be saved in this browser (its storage refused the write).',
      };
    }
  }
  return { ok: true, progress: result.progress, drills, backupKeys };
}
