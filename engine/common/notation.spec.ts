import { describe, expect, it } from 'vitest';
import * as fc from 'fast-check';
import {
  compareTp,
  formatAssignment,
  formatList,
  formatTp,
  formatTpList,
  parseTpKey,
  partitionLabel,
  plural,
  pluralWord,
  tpKey,
} from './notation.ts';

describe('TopicPartition helpers', () => {
  it('tpKey is Kafka toString: topic "orders", partition 3 → "orders-3"', () => {
    expect(tpKey({ topic: 'orders', partition: 3 })).toBe('orders-3');
  });

  it('parseTpKey inverts tpKey, also for topics with dashes', () => {
    fc.assert(
      fc.property(fc.string(), fc.nat(), (topic, partition) => {
        const tp = parseTpKey(tpKey({ topic, partition }));
        return tp.topic === topic && tp.partition === partition;
      }),
    );
  });

  it('parseTpKey rejects a key without a partition suffix', () => {
    expect(() => parseTpKey('orders')).toThrow(/Expected a TopicPartition key/);
  });

  it('formatTp: t0, partition 1 → t0p1', () => {
    expect(formatTp({ topic: 't0', partition: 1 })).toBe('t0p1');
  });

  it('compareTp sorts by topic, then partition numerically', () => {
    const tps = [
      { topic: 't1', partition: 0 },
      { topic: 't0', partition: 10 },
      { topic: 't0', partition: 2 },
    ];
    expect(tps.sort(compareTp).map(formatTp)).toEqual(['t0p2', 't0p10', 't1p0']);
  });
});

describe('lists, assignments and counts', () => {
  const t0p0 = { topic: 't0', partition: 0 };
  const t0p1 = { topic: 't0', partition: 1 };
  const t0p2 = { topic: 't0', partition: 2 };

  it("partitionLabel: t0p1 for topics named like t0, Kafka's orders-1 otherwise", () => {
    expect(partitionLabel(t0p1)).toBe('t0p1');
    expect(partitionLabel({ topic: 'orders', partition: 1 })).toBe('orders-1');
  });

  it('formatList and formatTpList: [0, 1, 2], [t0p0, t0p1], []', () => {
    expect(formatList([0, 1, 2])).toBe('[0, 1, 2]');
    expect(formatTpList([t0p0, t0p1])).toBe('[t0p0, t0p1]');
    expect(formatTpList([])).toBe('[]');
  });

  it('formatAssignment: C0: [t0p0, t0p1]  C1: [t0p2], members in the order given', () => {
    expect(formatAssignment({ C0: [t0p0, t0p1], C1: [t0p2] })).toBe('C0: [t0p0, t0p1]  C1: [t0p2]');
    expect(formatAssignment({ C1: [], C0: [t0p0] }, { separator: '; ' })).toBe('C1: []; C0: [t0p0]');
  });

  it('plural: 1 partition, 3 partitions, 0 partitions, and an irregular plural', () => {
    expect(plural(1, 'partition')).toBe('1 partition');
    expect(plural(3, 'partition')).toBe('3 partitions');
    expect(plural(0, 'partition')).toBe('0 partitions');
    expect(plural(2, 'replica', 'replicas')).toBe('2 replicas');
  });

  it('pluralWord: the word alone, agreeing with the count (1 → one form, 0 and 2 → the other)', () => {
    expect(pluralWord(1, 'was', 'were')).toBe('was');
    expect(pluralWord(2, 'was', 'were')).toBe('were');
    expect(pluralWord(0, 'record')).toBe('records');
    expect(pluralWord(1, 'record')).toBe('record');
  });
});
