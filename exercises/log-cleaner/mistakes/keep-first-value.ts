/**
 * Mistake: keeps each key's first value and drops the later ones.
 */

/** Which segments a retention check deletes: the base offsets, oldest first. */
export function deleteOldSegments(segments: SegmentSummary[], nowMs: number, retentionMs: number, retentionBytes: number): number[] {
  const deleted: number[] = [];
  let first = 0;
  let size = 0;
  for (const s of segments) size += s.sizeInBytes;
  // retention.bytes: delete while what is left of the excess still covers the whole segment
  if (retentionBytes >= 0 && size >= retentionBytes) {
    let excess = size - retentionBytes;
    while (first < segments.length && excess - segments[first].sizeInBytes >= 0) {
      excess -= segments[first].sizeInBytes;
      deleted.push(segments[first].baseOffset);
      first++;
    }
  }
  // retention.ms: the segment's newest record has expired
  if (retentionMs >= 0) {
    while (first < segments.length && nowMs - segments[first].largestTimestampMs > retentionMs) {
      deleted.push(segments[first].baseOffset);
      first++;
    }
  }
  return deleted;
}

/** One cleaner pass over the cleanable part: each key's latest record, tombstones until their horizon. */
export function compact(records: CleanerRecord[], firstDirtyOffset: number, nowMs: number, deleteRetentionMs: number): CleanerRecord[] {
  const latest = new Map<string, number>();
  for (const r of records) if (r.offset >= firstDirtyOffset) latest.set(r.key, r.offset);
  if (latest.size === 0) return records;
  const kept: CleanerRecord[] = [];
  for (const r of records) {
    const newer = latest.get(r.key);
    if (kept.some((k) => k.key === r.key)) continue; // already have this key
    if (r.value === null) {
      if (r.deleteHorizonMs === undefined) {
        kept.push({ ...r, deleteHorizonMs: nowMs + deleteRetentionMs });
        continue;
      }
      if (nowMs >= r.deleteHorizonMs) continue; // the tombstone has done its job
    }
    kept.push(r);
  }
  return kept;
}
