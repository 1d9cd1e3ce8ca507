/**
 * The log cleaner's two jobs.
 *
 * deleteOldSegments: retention (cleanup.policy delete). You get the partition's segments, oldest first (the
 * last one is the active segment), the time of the check, retention.ms and retention.bytes (−1 = no limit).
 * Return the base offsets of the segments Kafka deletes, oldest first.
 *
 * compact: one pass of the log cleaner (cleanup.policy compact) over the cleanable part of a log: every
 * record below the active segment, in offset order. Records below firstDirtyOffset were cleaned before (the
 * clean part); the others are dirty. Return the records that stay, in order, offsets unchanged.
 *
 * The types (SegmentSummary, CleanerRecord) are in the editor's types. You may write helper functions in
 * this file. Nothing can be imported: only JavaScript's built-ins exist.
 */

export function deleteOldSegments(segments: SegmentSummary[], nowMs: number, retentionMs: number, retentionBytes: number): number[] {
  throw new Error('Remove this line and implement deleteOldSegments');
}

export function compact(records: CleanerRecord[], firstDirtyOffset: number, nowMs: number, deleteRetentionMs: number): CleanerRecord[] {
  throw new Error('Remove this line and implement compact');
}
