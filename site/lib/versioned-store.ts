/**
 * Pieces shared by the local-first stores (progress.ts, drill-schedule.ts): an in-memory Web Storage
 * for when localStorage is unavailable, and the backup of a raw value that could not be used as is.
 * Each store keeps its own key, version, schema and messages.
 */

/** An in-memory Web Storage, used when localStorage is unavailable (build time, storage blocked). */
export class MemoryStorage implements Storage {
  private map = new Map<string, string>();
  get length(): number {
    return this.map.size;
  }
  clear(): void {
    this.map.clear();
  }
  getItem(key: string): string | null {
    return this.map.has(key) ? (this.map.get(key) as string) : null;
  }
  key(index: number): string | null {
    return [...this.map.keys()][index] ?? null;
  }
  removeItem(key: string): void {
    this.map.delete(key);
  }
  setItem(key: string, value: string): void {
    this.map.set(key, String(value));
  }
}

/**
 * Keep a raw stored value under `${prefix}<isoTime>` (then `#2`, `#3`, … when that key already holds
 * another value), e.g. `partition-lab:progress:backup:2026-01-01T00:00:00.000Z`.
 * @param isoTime the time of the backup, an ISO-8601 string
 * @returns the key used, or undefined when the storage refused the write (never throws)
 */
export function backupRawValue(
  storage: Pick<Storage, 'getItem' | 'setItem'>,
  prefix: string,
  isoTime: string,
  raw: string,
): string | undefined {
  try {
    let key = `${prefix}${isoTime}`;
    for (let i = 2; storage.getItem(key) !== null && storage.getItem(key) !== raw; i++) key = `${prefix}${isoTime}#${i}`;
    storage.setItem(key, raw);
    return key;
  } catch {
    return undefined;
  }
}
