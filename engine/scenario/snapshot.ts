/**
 * Views of a run: the {@link Snapshot} each trace event carries (brokers, topics, partitions with
 * their logs, groups with members and lag, consumers, producers), the delivery changes of a step,
 * and the final {@link ScenarioState}. They only read the run (./run-state.ts).
 *
 * Note: the coordinator reports assignments by consumer name; a restarted dynamic consumer is a new
 * member under the same name, so members are tracked from the coordinators' own events.
 */
import type { ShareGroupView } from './share-trace.ts';
import type {
  RecordView,
  ConsumedRecord,
  PartitionView,
  MemberView,
  GroupView,
  ConsumerView,
  DeliveryView,
  ProducerView,
  Snapshot,
  ScenarioState,
} from './trace.ts';
import type { RunView } from './run-state.ts';
import type { GroupMembership } from '../group/membership.ts';
import { ConsumerProtocolGroup } from '../group/consumer-protocol/consumer-group.ts';
import type { PartitionLog } from '../log/partition-log.ts';
import type { BatchOutcome } from '../producer/producer-config.ts';
import { compareTp, partitionLabel, tpKey } from '../common/notation.ts';
import type { TopicPartition } from '../common/record.ts';
import type { PartitionSnapshot } from '../replication/replication-types.ts';

/** Snapshots and state of one run, read from it on demand. */
export class ScenarioViews {
  constructor(private readonly run: RunView) {}

  /** `shareGroups` when the scenario declares share groups (KIP-932), else nothing */
  private shareGroupsField(): { shareGroups?: ShareGroupView[] } {
    const views = this.run.shareGroupViews?.() ?? null;
    return views ? { shareGroups: views } : {};
  }

  snapshot(): Snapshot {
    const cs = this.run.cluster.snapshot();
    const partitions: PartitionView[] = cs.partitions.map((ps) => this.partitionView(ps));
    const viewOf = new Map(partitions.map((p) => [tpKey(p), p] as const));
    const groups: GroupView[] = [...this.run.groups.values()].map(({ spec, group, topics }) => {
      const tps = topics.flatMap((t) => this.run.cluster.topicPartitions(t).map((p) => ({ topic: t, partition: p.partition })));
      const offsets = tps.sort(compareTp).map((tp) => {
        const committed = group.committed(tp);
        const view = viewOf.get(tpKey(tp))!;
        const hw = view.highWatermark;
        const base = Math.max(committed ?? view.logStartOffset, view.logStartOffset);
        return { topic: tp.topic, partition: tp.partition, committed, highWatermark: hw, lag: Math.max(0, hw - base) };
      });
      const assignment = group.assignment();
      return {
        id: spec.id,
        state: group.state,
        generationId: group.generationId,
        assignor: group.assignor,
        // the consumer protocol moves only what changes owner, as cooperative does
        rebalanceProtocol: spec.assignor === 'cooperative-sticky' || spec.groupProtocol === 'consumer' ? 'cooperative' : 'eager',
        leader: group.leader,
        members: this.memberViews(spec.id, group, assignment),
        offsets,
        totalLag: offsets.reduce((n, o) => n + o.lag, 0),
        ...(group instanceof ConsumerProtocolGroup
          ? { groupProtocol: 'consumer' as const, assignmentEpoch: group.currentAssignmentEpoch }
          : {}),
      };
    });
    const consumers: ConsumerView[] = [...this.run.consumers.values()].map((s) => {
      this.run.syncStatus(s);
      const started = s.status !== 'not-started';
      const owned = started ? s.consumer.assignment().map((tp) => ({ topic: tp.topic, partition: tp.partition })) : [];
      return {
        id: s.spec.id,
        group: s.spec.group,
        ...(s.spec.config?.isolationLevel !== undefined ? { isolationLevel: s.spec.config.isolationLevel } : {}),
        status: s.status,
        memberId: started ? s.group.memberIdOf(s.spec.id) : null,
        generationId: started ? s.group.memberGenerationId(s.spec.id) : -1,
        owned,
        positions: owned.map((tp) => ({
          topic: tp.topic,
          partition: tp.partition,
          position: s.consumer.position(tp),
          lag: s.consumer.lag(tp),
        })),
        receivedCount: s.receivedCount,
        processedCount: s.processedCount,
        pending: s.pending.slice(0, this.run.recordLimit),
      };
    });
    const producers: ProducerView[] = [...this.run.producers.values()].map((slot) => {
      const all = slot.producer.outcomes().map(deliveryView);
      const counts = { pending: 0, acked: 0, failed: 0 };
      for (const d of all) counts[d.status]++;
      return {
        id: slot.spec.id,
        acks: slot.producer.config.acks,
        enableIdempotence: slot.producer.config.enableIdempotence,
        counts,
        deliveries: all.slice(Math.max(0, all.length - this.run.recordLimit)),
        ...(slot.transactional
          ? {
              transaction: {
                transactionalId: slot.transactional.transactionalId,
                producerId: slot.transactional.producerId,
                producerEpoch: slot.transactional.producerEpoch,
                state: slot.transactional.state,
              },
            }
          : {}),
      };
    });
    return {
      timeMs: this.run.nowMs,
      brokers: cs.brokers.map((b) => ({ id: b.id, rack: b.rack, alive: b.alive })),
      topics: this.run.cluster.topics().map((name) => {
        const parts = this.run.cluster.topicPartitions(name);
        return {
          name,
          partitions: parts.length,
          replicationFactor: parts[0].replicas.length,
          cleanupPolicy: this.run.topicConfigs.get(name)?.cleanupPolicy ?? 'delete',
          minInsyncReplicas: parts[0].config.minInsyncReplicas,
        };
      }),
      partitions,
      groups,
      consumers,
      producers,
      ...this.shareGroupsField(),
    };
  }

  /**
   * Members as the coordinator knows them. The coordinator reports assignments by consumer name;
   * a restarted dynamic consumer is a *new* member under the same name while its dead predecessor
   * waits for its session to time out. For such a name, the older member keeps the assignment of
   * the last completed rebalance and the newer one has none yet (a name is unique again at every
   * completed rebalance: the join phase only ends once the dead member is removed).
   */
  private memberViews(groupId: string, group: GroupMembership, assignment: Record<string, TopicPartition[]>): MemberView[] {
    this.trackMembers();
    if (group instanceof ConsumerProtocolGroup) return consumerProtocolMembers(group, this.run);
    const names = group.memberNames();
    const seen = new Map<string, number>();
    return names.map((name) => {
      const k = seen.get(name) ?? 0;
      seen.set(name, k + 1);
      const shared = names.filter((n) => n === name).length > 1;
      const ids = this.memberIds.get(`${groupId}/${name}`) ?? [];
      const tps = !shared ? (assignment[name] ?? []) : k === 0 ? (this.lastAssignment.get(`${groupId}/${name}`) ?? []) : [];
      return {
        consumer: name,
        memberId: shared ? (ids[k] ?? '') : (group.memberIdOf(name) ?? ids[ids.length - 1] ?? ''),
        groupInstanceId: this.run.consumers.get(name)?.spec.config?.groupInstanceId ?? null,
        assignment: [...tps].sort(compareTp).map((tp) => ({ topic: tp.topic, partition: tp.partition })),
      };
    });
  }

  /** `${group}/${name}` → memberIds the coordinator holds for that name, oldest first */
  private readonly memberIds = new Map<string, string[]>();
  /** `${group}/${name}` → assignment at the last completed rebalance */
  private readonly lastAssignment = new Map<string, TopicPartition[]>();
  private tracked = 0;

  /** follow the coordinators' own events: joins, replacements, removals, completed rebalances */
  private trackMembers(): void {
    for (; this.tracked < this.run.memberEvents.length; this.tracked++) {
      const e = this.run.memberEvents[this.tracked];
      const key = (name: string) => `${e.groupId}/${name}`;
      if (e.type === 'member-joined') this.memberIds.set(key(e.member), [...(this.memberIds.get(key(e.member)) ?? []), e.memberId]);
      else if (e.type === 'static-member-replaced') {
        this.memberIds.set(
          key(e.member),
          (this.memberIds.get(key(e.member)) ?? []).map((id) => (id === e.oldMemberId ? e.memberId : id)),
        );
      } else if (e.type === 'member-removed') {
        this.memberIds.set(
          key(e.member),
          (this.memberIds.get(key(e.member)) ?? []).filter((id) => id !== e.memberId),
        );
      } else if (e.type === 'rebalance-completed') {
        for (const [name, tps] of Object.entries(e.assignment)) this.lastAssignment.set(key(name), tps);
      }
    }
  }

  /** the log a reader sees: the leader's, or (offline) the replica with the most records */
  private viewLog(tp: TopicPartition): PartitionLog {
    const p = this.run.cluster.partition(tp);
    const leader = p.leaderReplica();
    if (leader) return leader.log;
    let best = p.replicaOf[p.replicas[0]];
    for (const b of p.replicas) if (p.replicaOf[b].log.logEndOffset > best.log.logEndOffset) best = p.replicaOf[b];
    return best.log;
  }

  logRecords(tp: TopicPartition): RecordView[] {
    const log = this.viewLog(tp);
    const out: RecordView[] = [];
    for (const seg of log.segments) {
      for (const r of seg.records) {
        if (r.offset < log.logStartOffset) continue;
        out.push(this.run.recordView(tp, r));
      }
    }
    return out;
  }

  private partitionView(ps: PartitionSnapshot): PartitionView {
    const tp = { topic: ps.topic, partition: ps.partition };
    const log = this.viewLog(tp);
    let count = 0;
    for (const seg of log.segments) for (const r of seg.records) if (r.offset >= log.logStartOffset) count++;
    const omitted = Math.max(0, count - this.run.recordLimit);
    let records: RecordView[] = [];
    if (this.run.detailed) {
      // walk from the end so a capped view costs only the records shown
      const tail: RecordView[] = [];
      const segs = log.segments;
      for (let si = segs.length - 1; si >= 0 && tail.length < this.run.recordLimit; si--) {
        const rs = segs[si].records;
        for (let ri = rs.length - 1; ri >= 0 && tail.length < this.run.recordLimit; ri--) {
          const r = rs[ri];
          if (r.offset < log.logStartOffset) continue;
          tail.push(this.run.recordView(tp, r));
        }
      }
      records = tail.reverse();
    }
    return {
      topic: ps.topic,
      partition: ps.partition,
      label: partitionLabel(tp),
      replicas: [...ps.replicas],
      leader: ps.leader,
      leaderEpoch: ps.leaderEpoch,
      isr: [...ps.isr],
      ...(ps.elr ? { elr: [...ps.elr] } : {}),
      logStartOffset: log.logStartOffset,
      logEndOffset: ps.logEndOffset,
      highWatermark: ps.highWatermark,
      ...this.lsoOf(tp),
      replicaStates: ps.replicaStates.map((r) => ({ ...r })),
      recordCount: count,
      records,
      recordsOmitted: this.run.detailed ? omitted : count,
      segments: log.segments.map((s, i) => ({
        baseOffset: s.baseOffset,
        recordCount: s.records.length,
        sizeInBytes: s.sizeInBytes,
        active: i === log.segments.length - 1,
      })),
    };
  }

  private lsoOf(tp: TopicPartition): { lastStableOffset?: number } {
    const tx = this.run.transactionsOf(tp);
    return tx ? { lastStableOffset: tx.lastStableOffset } : {};
  }

  state(): ScenarioState {
    const received: Record<string, ConsumedRecord[]> = {};
    const processed: Record<string, ConsumedRecord[]> = {};
    for (const [id, s] of this.run.consumers) {
      received[id] = s.received.map((r) => ({ ...r }));
      processed[id] = s.processed.map((r) => ({ ...r }));
    }
    const deliveries: Record<string, DeliveryView[]> = {};
    for (const [id, slot] of this.run.producers) deliveries[id] = this.run.keepHistory ? slot.producer.outcomes().map(deliveryView) : [];
    const logs: Record<string, RecordView[]> = {};
    for (const t of this.run.cluster.topics()) {
      for (const p of this.run.cluster.topicPartitions(t)) {
        const tp = { topic: t, partition: p.partition };
        logs[partitionLabel(tp)] = this.run.keepHistory ? this.logRecords(tp) : [];
      }
    }
    return { snapshot: this.snapshot(), received, processed, deliveries, logs, totals: { ...this.run.totals } };
  }

  /** delivery outcomes that changed since the last call */
  deliveryChanges(): (DeliveryView & { producer: string })[] {
    const out: (DeliveryView & { producer: string })[] = [];
    for (const slot of this.run.producers.values()) {
      const all = slot.producer.outcomes();
      for (let i = slot.settled; i < all.length; i++) {
        const o = all[i];
        if (o.status === 'pending') continue;
        const key = `${o.status}@${o.offset}@${o.error}`;
        if (slot.reported.get(o.batchId) === key) continue;
        slot.reported.set(o.batchId, key);
        out.push({ producer: slot.spec.id, ...deliveryView(o) });
      }
      // batches before the first pending one are final (acked or failed for good)
      while (slot.settled < all.length && all[slot.settled].status !== 'pending') slot.reported.delete(all[slot.settled++].batchId);
    }
    return out;
  }
}

function deliveryView(o: BatchOutcome): DeliveryView {
  return {
    batchId: o.batchId,
    topic: o.topic,
    partition: o.partition,
    key: o.key,
    value: o.value,
    status: o.status === 'delivered' ? 'acked' : o.status,
    offset: o.offset,
    error: o.error,
    retries: o.retries,
  };
}

/** Members of a consumer-protocol group as its coordinator records them (KIP-848): one per memberId, with epochs and states. */
function consumerProtocolMembers(group: ConsumerProtocolGroup, run: RunView): MemberView[] {
  const target = group.targetAssignment();
  const sorted = (tps: TopicPartition[]) => [...tps].sort(compareTp).map((tp) => ({ topic: tp.topic, partition: tp.partition }));
  return group.memberRecords().map((m) => ({
    consumer: m.name,
    memberId: m.memberId,
    groupInstanceId: run.consumers.get(m.name)?.spec.config?.groupInstanceId ?? null,
    assignment: sorted(m.assigned),
    memberEpoch: m.memberEpoch,
    memberState: m.state,
    target: sorted(target[m.name] ?? []),
    pendingRevocation: sorted(m.pendingRevocation),
  }));
}
