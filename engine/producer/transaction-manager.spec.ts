import { describe, expect, it } from 'vitest';
import {
  ProducerFencedException,
  TransactionCoordinator,
  TransactionalProducer,
  DEFAULT_TRANSACTION_TIMEOUT_MS,
} from './transaction-manager.ts';
import type { TopicPartition } from '../common/record.ts';

/** a broker double: markers and records get offsets per partition; the leader fences older epochs */
function world() {
  const logs = new Map<string, string[]>();
  const epochAt = new Map<string, number>();
  const committed: { groupId: string; tp: TopicPartition; offset: number }[] = [];
  let ids = 0;
  const key = (tp: TopicPartition) => `${tp.topic}-${tp.partition}`;
  const coordinator = new TransactionCoordinator({
    newProducerId: () => ids++,
    writeMarker: (tp, pid, epoch, type) => {
      const l = logs.get(key(tp)) ?? [];
      l.push(`${type}(${pid}/${epoch})`);
      logs.set(key(tp), l);
      epochAt.set(key(tp), Math.max(epochAt.get(key(tp)) ?? 0, epoch));
      return l.length - 1;
    },
    completeOffsets: (groupId, offsets) => offsets.forEach((o) => committed.push({ groupId, ...o })),
  });
  const producer = (id: string) =>
    new TransactionalProducer(id, coordinator, (tp, r, p) => {
      if (p.producerEpoch < (epochAt.get(key(tp)) ?? 0)) return { error: 'INVALID_PRODUCER_EPOCH', offset: null };
      const l = logs.get(key(tp)) ?? [];
      l.push(r.value!);
      logs.set(key(tp), l);
      return { error: 'NONE', offset: l.length - 1 };
    });
  return { coordinator, producer, logs, committed };
}
const t0p0 = { topic: 't0', partition: 0 };

describe('TransactionManager / TransactionCoordinator (KIP-98)', () => {
  it('transaction.timeout.ms defaults to 60000 (ProducerConfig)', () => {
    expect(DEFAULT_TRANSACTION_TIMEOUT_MS).toBe(60_000);
  });

  it('commitTransaction writes a COMMIT marker after the records and only then commits the group offsets', () => {
    const w = world();
    const p = w.producer('tx');
    p.initTransactions();
    p.beginTransaction();
    p.send(t0p0, { key: 'k', value: 'a', timestamp: 0 }, 0);
    p.sendOffsetsToTransaction('g1', [{ tp: { topic: 'in', partition: 0 }, offset: 5 }], 0, () => 'NONE');
    expect(w.committed).toEqual([]);
    const end = p.commitTransaction();
    expect(w.logs.get('t0-0')).toEqual(['a', 'COMMIT(0/0)']);
    expect(end.markers).toEqual([{ tp: t0p0, offset: 1 }]);
    expect(w.committed).toEqual([{ groupId: 'g1', tp: { topic: 'in', partition: 0 }, offset: 5 }]);
  });

  it('abortTransaction writes an ABORT marker and drops the group offsets', () => {
    const w = world();
    const p = w.producer('tx');
    p.initTransactions();
    p.beginTransaction();
    p.send(t0p0, { key: 'k', value: 'a', timestamp: 0 }, 0);
    p.sendOffsetsToTransaction('g1', [{ tp: t0p0, offset: 1 }], 0, () => 'NONE');
    p.abortTransaction();
    expect(w.logs.get('t0-0')).toEqual(['a', 'ABORT(0/0)']);
    expect(w.committed).toEqual([]);
  });

  it('a new instance with the same transactional.id: same producerId, epoch + 1, the open transaction aborted, the zombie fenced at the leader and the coordinator', () => {
    const w = world();
    const zombie = w.producer('tx');
    zombie.initTransactions();
    zombie.beginTransaction();
    zombie.send(t0p0, { key: 'k', value: 'a', timestamp: 0 }, 0);
    const next = w.producer('tx');
    const aborted = next.initTransactions();
    expect(next.producerId).toBe(zombie.producerId);
    expect(next.producerEpoch).toBe(zombie.producerEpoch + 1);
    expect(aborted!.result).toBe('ABORT');
    expect(w.logs.get('t0-0')).toEqual(['a', 'ABORT(0/1)']);
    expect(() => zombie.send(t0p0, { key: 'k', value: 'late', timestamp: 0 }, 0)).toThrow(ProducerFencedException);
    expect(zombie.state).toBe('FENCED');
    expect(() => zombie.commitTransaction()).toThrow(ProducerFencedException);
    expect(w.logs.get('t0-0')).not.toContain('late');
  });

  it('a transaction open longer than transaction.timeout.ms is aborted by the coordinator and its producer fenced', () => {
    const w = world();
    const p = w.producer('tx');
    p.initTransactions();
    p.beginTransaction();
    p.send(t0p0, { key: 'k', value: 'a', timestamp: 0 }, 1_000);
    expect(w.coordinator.abortTimedOut(60_999)).toEqual([]);
    expect(w.coordinator.abortTimedOut(61_000).map((x) => x.end.result)).toEqual(['ABORT']);
    expect(() => p.commitTransaction()).toThrow(ProducerFencedException);
  });

  it('calls out of order are refused: send before beginTransaction, beginTransaction before initTransactions', () => {
    const w = world();
    const p = w.producer('tx');
    expect(() => p.beginTransaction()).toThrow(/initTransactions/);
    p.initTransactions();
    expect(() => p.send(t0p0, { key: 'k', value: 'a', timestamp: 0 }, 0)).toThrow(/beginTransaction/);
  });
});
