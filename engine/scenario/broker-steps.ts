/**
 * The broker and replication steps of a scenario: brokerDown, brokerUp, pauseFetching /
 * resumeFetching, fetch (one fetch round of a broker's followers) and addPartitions. Each changes the
 * cluster at the current instant and returns the step's description; what follows (elections, ISR
 * changes, high-watermark moves) comes back as the cluster's own events, narrated by ./narration.ts.
 *
 * Mirrors what Kafka's controller (QuorumController: broker fencing and unfencing, CreatePartitions)
 * and the brokers' ReplicaManager / ReplicaFetcherThread do; the rules live in ../cluster/cluster.ts
 * and ../replication/. A topic that grows also tells every producer's partitioner its new partition
 * count (the producer's metadata refresh).
 *
 * Example (YAML):
 * ```yaml
 * - pauseFetching: { broker: 2 }     # broker 2 stays up, its followers stop fetching
 * - advanceTime: { ms: 50000 }       # longer than replica.lag.time.max.ms (30000): 2 leaves the ISR
 * - resumeFetching: { broker: 2 }
 * - fetch: { broker: 2 }             # one fetch round of broker 2's followers, at this instant
 * ```
 */
import type { StepKind } from './authoring.ts';
import type { ProducerSlot } from './run-state.ts';
import type { Cluster } from '../cluster/cluster.ts';
import type { ProducerEvent } from '../producer/producer-config.ts';

/** The step kinds ./broker-steps.ts plays. */
export type BrokerStepKind = Extract<StepKind, 'brokerDown' | 'brokerUp' | 'pauseFetching' | 'resumeFetching' | 'fetch' | 'addPartitions'>;

/** What the broker steps read of the run. */
export interface BrokerRun {
  readonly cluster: Cluster<ProducerEvent>;
  readonly producers: ReadonlyMap<string, ProducerSlot>;
}

/**
 * Play one broker or replication step.
 * @param body the step's body as authored (validated by content/schema/scenario.ts and references.ts)
 * @returns the step's description
 */
export function runBrokerStep(run: BrokerRun, kind: BrokerStepKind, body: unknown): string {
  const cluster = run.cluster;
  switch (kind) {
    case 'brokerDown': {
      const b = body as { broker: number; diskLost?: boolean; cleanShutdown?: boolean };
      cluster.brokerDown(b.broker, { diskLost: b.diskLost ?? false, cleanShutdown: b.cleanShutdown ?? false });
      return `broker ${b.broker} ${b.cleanShutdown ? 'shuts down cleanly' : 'goes down'}${b.diskLost ? ' and loses its disk' : ''}`;
    }
    case 'pauseFetching':
    case 'resumeFetching': {
      const b = (body as { broker: number }).broker;
      if (kind === 'pauseFetching') cluster.pauseFetching(b);
      else cluster.resumeFetching(b);
      return kind === 'pauseFetching' ? `broker ${b} stays up but its followers stop fetching` : `broker ${b}'s followers fetch again`;
    }
    case 'fetch': {
      const b = (body as { broker: number }).broker;
      for (const topic of cluster.topics()) {
        for (const p of cluster.topicPartitions(topic)) {
          if (p.replicas.includes(b) && p.leader !== b) cluster.fetch({ topic, partition: p.partition }, b);
        }
      }
      return `broker ${b}'s followers fetch from their leaders`;
    }
    case 'brokerUp': {
      const b = body as { broker: number };
      cluster.brokerUp(b.broker);
      return `broker ${b.broker} comes back`;
    }
    case 'addPartitions': {
      const b = body as { topic: string; partitions: number };
      const before = cluster.topicPartitions(b.topic).length;
      cluster.addPartitions(b.topic, b.partitions);
      for (const p of run.producers.values()) p.partitioners.get(b.topic)?.setNumPartitions(b.partitions);
      return `${b.topic} grows from ${before} to ${b.partitions} partitions`;
    }
  }
}
