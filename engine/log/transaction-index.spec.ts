import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { lastStableOffset, scanTransactions, visibleRecords } from './transaction-index.ts';
import type { LogRecord } from '../common/record.ts';

const rec = (offset: number, extra: Partial<LogRecord> = {}): LogRecord => ({
  offset,
  key: `k${offset}`,
  value: `v${offset}`,
  timestamp: 0,
  ...extra,
});
const txn = (offset: number, producerId: number) => rec(offset, { producerId, isTransactional: true });
const marker = (offset: number, producerId: number, controlType: 'COMMIT' | 'ABORT') =>
  rec(offset, { key: null, value: null, producerId, controlType });

// the log of the file's worked example: P = 7, Q = 8
const LOG = [rec(0), txn(1, 7), txn(2, 8), marker(3, 7, 'COMMIT'), txn(4, 8), marker(5, 8, 'ABORT'), txn(6, 7)];

describe('transaction index: the worked example (KIP-98)', () => {
  it('P has an open transaction from 6, so the LSO is 6 with HW 7', () => {
    expect(lastStableOffset(LOG, 7)).toBe(6);
    expect([...scanTransactions(LOG).open]).toEqual([[7, 6]]);
  });

  it("Q's transaction from 2 was aborted by the marker at 5", () => {
    const s = scanTransactions(LOG);
    expect(s.aborted).toEqual([{ producerId: 8, firstOffset: 2, lastOffset: 5 }]);
    expect([...s.abortedOffsets].sort()).toEqual([2, 4]);
  });

  it('read_committed gets a, b (below the LSO, aborted and markers skipped); read_uncommitted gets every data record', () => {
    const s = scanTransactions(LOG);
    const belowLso = LOG.filter((r) => r.offset < lastStableOffset(LOG, 7));
    expect(visibleRecords(belowLso, 'read_committed', s.abortedOffsets).map((r) => r.value)).toEqual(['v0', 'v1']);
    expect(visibleRecords(LOG, 'read_uncommitted', s.abortedOffsets).map((r) => r.offset)).toEqual([0, 1, 2, 4, 6]);
  });

  it('without transactions the LSO is the high watermark', () => {
    expect(lastStableOffset([rec(0), rec(1)], 1)).toBe(1);
  });

  it('property: the LSO never passes the HW nor the first record of any undecided transaction, and no control record is ever visible', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom('plain', 'txn', 'commit', 'abort'), fc.integer({ min: 1, max: 3 })), { maxLength: 30 }),
        fc.nat(),
        (ops, hwSeed) => {
          const log = ops.map(([op, pid], o) =>
            op === 'plain' ? rec(o) : op === 'txn' ? txn(o, pid) : marker(o, pid, op === 'commit' ? 'COMMIT' : 'ABORT'),
          );
          const hw = log.length === 0 ? 0 : hwSeed % (log.length + 1);
          const lso = lastStableOffset(log, hw);
          expect(lso).toBeLessThanOrEqual(hw);
          const s = scanTransactions(log);
          for (const o of s.openOffsets) expect(lso).toBeLessThanOrEqual(o);
          for (const iso of ['read_committed', 'read_uncommitted'] as const)
            expect(visibleRecords(log, iso, s.abortedOffsets).some((r) => r.controlType)).toBe(false);
        },
      ),
    );
  });
});
