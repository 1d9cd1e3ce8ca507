/**
 * Where a checkpoint draft goes when the progress store cannot save it (localStorage full or blocked):
 * this tab's sessionStorage, which has its own quota and survives reloads of the tab (not closing it).
 * The checkpoint says so plainly and offers the code as a download; progress export includes these
 * drafts (see progress-file.ts), so nothing the learner wrote is silently dropped.
 *
 * Key: `partition-lab:draft-fallback:<exerciseId>` → `{ source, updatedAt }` (the progress store's
 * draft shape). Reading and writing never throw: a storage that refuses is reported as `false`/`undefined`.
 */
import type { Draft } from './progress.ts';

/** Prefix of the sessionStorage keys of fallback drafts. */
export const DRAFT_FALLBACK_PREFIX = 'partition-lab:draft-fallback:';

function sessionStore(): Pick<Storage, 'getItem' | 'setItem' | 'removeItem' | 'key' | 'length'> | null {
  try {
    return (globalThis as { sessionStorage?: Storage }).sessionStorage ?? null;
  } catch {
    return null;
  }
}

/**
 * Keep a draft in this tab.
 * @param storage sessionStorage by default
 * @returns true when it was kept
 */
export function saveFallbackDraft(exerciseId: string, source: string, updatedAt: string, storage = sessionStore()): boolean {
  if (!storage) return false;
  try {
    storage.setItem(DRAFT_FALLBACK_PREFIX + exerciseId, JSON.stringify({ source, updatedAt } satisfies Draft));
    return true;
  } catch {
    return false;
  }
}

/** The draft kept in this tab for an exercise, or undefined. */
export function getFallbackDraft(exerciseId: string, storage = sessionStore()): Draft | undefined {
  if (!storage) return undefined;
  try {
    const raw = storage.getItem(DRAFT_FALLBACK_PREFIX + exerciseId);
    if (raw === null) return undefined;
    const value = JSON.parse(raw) as Partial<Draft>;
    return typeof value.source === 'string' && typeof value.updatedAt === 'string'
      ? { source: value.source, updatedAt: value.updatedAt }
      : undefined;
  } catch {
    return undefined;
  }
}

/** Forget the draft kept in this tab (once the progress store holds the code again). */
export function clearFallbackDraft(exerciseId: string, storage = sessionStore()): void {
  try {
    storage?.removeItem(DRAFT_FALLBACK_PREFIX + exerciseId);
  } catch {
    /* nothing to forget */
  }
}

/** Every draft kept in this tab, by exercise id. */
export function allFallbackDrafts(storage = sessionStore()): Record<string, Draft> {
  const out: Record<string, Draft> = {};
  if (!storage) return out;
  try {
    for (let i = 0; i < storage.length; i++) {
      const key = storage.key(i);
      if (key === null || !key.startsWith(DRAFT_FALLBACK_PREFIX)) continue;
      const id = key.slice(DRAFT_FALLBACK_PREFIX.length);
      const draft = getFallbackDraft(id, storage);
      if (draft) out[id] = draft;
    }
  } catch {
    /* unreadable: nothing to list */
  }
  return out;
}

/** The newer of two drafts (by `updatedAt`), or whichever exists. */
export function newerDraft(a: Draft | undefined, b: Draft | undefined): Draft | undefined {
  if (!a) return b;
  if (!b) return a;
  return Date.parse(b.updatedAt) > Date.parse(a.updatedAt) ? b : a;
}
