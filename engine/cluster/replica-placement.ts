/**
 * Replica placement: which brokers hold each partition's replicas, the first being the preferred
 * leader.
 *
 * The rule (rack-unaware, Kafka's `AdminUtils.assignReplicasToBrokers`): the first replica (the
 * preferred leader) of partition p goes to broker index `(p + startIndex) % n` — round robin
 * from a random start; follower j goes to `(first + 1 + (shift + j) % (n - 1)) % n`, where
 * `shift` starts random and grows by 1 each time p wraps around the broker list, so the
 * followers of one broker's partitions spread over all the others.
 * Rack-aware (every broker has a rack): the same on a rack-alternated broker list (racks sorted,
 * one broker per rack in turn), skipping a broker whose rack already has a replica while some
 * rack has none.
 *
 * Example: brokers [0, 1, 2, 3, 4], 10 partitions, RF 3, startIndex 0, shift 0 (AdminUtilsTest):
 *   p0 → [0, 1, 2]  p1 → [1, 2, 3]  p2 → [2, 3, 4]  p3 → [3, 4, 0]  p4 → [4, 0, 1]
 *   p5 → [0, 2, 3]  p6 → [1, 3, 4]  p7 → [2, 4, 0]  p8 → [3, 0, 1]  p9 → [4, 1, 2]   (shift 1 from p5)
 *
 * Caveats:
 * - KRaft controllers place replicas with `StripedReplicaPlacer`, a different (also striped)
 *   algorithm; we keep AdminUtils' rule because it is deterministic given its two random numbers
 *   and is what lessons and the reassignment tool show. The two random numbers come from the
 *   seeded PRNG passed in (or are fixed), never from an unseeded source.
 * - Adding partitions places the new ones with a fresh shift (Kafka passes the existing start
 *   index; in KRaft the placer is the striped one anyway).
 *
 * Source: org.apache.kafka.admin.AdminUtils (server-common), assignReplicasToBrokersRackUnaware,
 * assignReplicasToBrokersRackAware, getRackAlternatedBrokerList, replicaIndex; AdminRackAwareTest.
 */
import type { Prng } from '../common/prng.ts';

/** A broker as placement sees it: its id and optional rack (`broker.rack`). */
export interface BrokerMetadata {
  id: number;
  rack?: string | null;
}

/** Options for {@link assignReplicasToBrokers}. */
export interface PlacementOptions {
  /** Kafka's fixedStartIndex: when ≥ 0 both startIndex and the initial shift take this value */
  fixedStartIndex?: number;
  /** the first partition id to place (when adding partitions to a topic), default 0 */
  startPartitionId?: number;
  /** where the two random numbers come from when fixedStartIndex is not given; without it they are 0 */
  rng?: Prng;
}

/**
 * Place `numPartitions` partitions with `replicationFactor` replicas each on the brokers.
 * @param brokers brokers in list order (sort by id for Kafka's behaviour); all with a rack or none
 * @param numPartitions a positive integer
 * @param replicationFactor a positive integer ≤ brokers.length
 * @returns partition id → replica broker ids, the first being the preferred leader
 * @throws RangeError for a non-positive partition count or replication factor, a replication factor
 *   larger than the broker count, or racks given for some brokers but not all
 */
export function assignReplicasToBrokers(
  brokers: BrokerMetadata[],
  numPartitions: number,
  replicationFactor: number,
  options: PlacementOptions = {},
): Record<number, number[]> {
  if (!Number.isInteger(numPartitions) || numPartitions <= 0) {
    throw new RangeError(`Expected numPartitions to be a positive integer, got ${String(numPartitions)}`);
  }
  if (!Number.isInteger(replicationFactor) || replicationFactor <= 0) {
    throw new RangeError(`Expected replicationFactor to be a positive integer, got ${String(replicationFactor)}`);
  }
  if (replicationFactor > brokers.length) {
    throw new RangeError(`Expected replicationFactor ≤ available brokers (${brokers.length}), got ${replicationFactor}`);
  }
  const withRack = brokers.filter((b) => b.rack != null).length;
  if (withRack === 0) {
    return assignRackUnaware(
      brokers.map((b) => b.id),
      numPartitions,
      replicationFactor,
      options,
    );
  }
  if (withRack !== brokers.length) {
    throw new RangeError('Expected every broker to have a rack, or none; got racks for only some brokers');
  }
  return assignRackAware(brokers, numPartitions, replicationFactor, options);
}

function randomStart(n: number, options: PlacementOptions): [startIndex: number, shift: number] {
  const fixed = options.fixedStartIndex ?? -1;
  if (fixed >= 0) return [fixed, fixed];
  if (!options.rng) return [0, 0];
  // Kafka draws startIndex first, then nextReplicaShift, each RAND.nextInt(n)
  const startIndex = options.rng.nextInt(n);
  return [startIndex, options.rng.nextInt(n)];
}

/** Kafka's replicaIndex: the follower j of a partition whose first replica sits at firstIndex. */
function replicaIndex(firstIndex: number, shift: number, j: number, n: number): number {
  const step = 1 + ((shift + j) % (n - 1));
  return (firstIndex + step) % n;
}

function assignRackUnaware(
  brokerIds: number[],
  numPartitions: number,
  replicationFactor: number,
  options: PlacementOptions,
): Record<number, number[]> {
  const n = brokerIds.length;
  const out: Record<number, number[]> = {};
  const start = randomStart(n, options);
  const startIndex = start[0];
  let shift = start[1];
  let p = Math.max(0, options.startPartitionId ?? 0);
  for (let i = 0; i < numPartitions; i++, p++) {
    if (p > 0 && p % n === 0) shift += 1; // wrapped around the broker list
    const first = (p + startIndex) % n;
    const replicas = [brokerIds[first]];
    for (let j = 0; j < replicationFactor - 1; j++) replicas.push(brokerIds[replicaIndex(first, shift, j, n)]);
    out[p] = replicas;
  }
  return out;
}

/**
 * Kafka's rack-alternated broker list: racks sorted, brokers of each rack sorted by id, then one
 * broker per rack in turn. rack1: 0,1,2; rack2: 3,4,5; rack3: 6,7,8 → 0, 3, 6, 1, 4, 7, 2, 5, 8.
 */
export function rackAlternatedBrokerList(brokers: BrokerMetadata[]): number[] {
  const byRack = new Map<string, number[]>();
  for (const b of brokers) {
    const rack = String(b.rack);
    const list = byRack.get(rack) ?? [];
    list.push(b.id);
    byRack.set(rack, list);
  }
  const racks = [...byRack.keys()].sort();
  for (const r of racks) byRack.get(r)!.sort((a, b) => a - b);
  const cursor = new Map<string, number>(racks.map((r) => [r, 0]));
  const out: number[] = [];
  let rackIndex = 0;
  while (out.length < brokers.length) {
    const rack = racks[rackIndex];
    const list = byRack.get(rack)!;
    const at = cursor.get(rack)!;
    if (at < list.length) {
      out.push(list[at]);
      cursor.set(rack, at + 1);
    }
    rackIndex = (rackIndex + 1) % racks.length;
  }
  return out;
}

function assignRackAware(
  brokers: BrokerMetadata[],
  numPartitions: number,
  replicationFactor: number,
  options: PlacementOptions,
): Record<number, number[]> {
  const rackOf = new Map<number, string>(brokers.map((b) => [b.id, String(b.rack)]));
  const numRacks = new Set(rackOf.values()).size;
  const arranged = rackAlternatedBrokerList(brokers);
  const n = arranged.length;
  const out: Record<number, number[]> = {};
  const start = randomStart(n, options);
  const startIndex = start[0];
  let shift = start[1];
  let p = Math.max(0, options.startPartitionId ?? 0);
  for (let i = 0; i < numPartitions; i++, p++) {
    if (p > 0 && p % n === 0) shift += 1;
    const first = (p + startIndex) % n;
    const leader = arranged[first];
    const replicas = [leader];
    const racksWith = new Set([rackOf.get(leader)!]);
    const brokersWith = new Set([leader]);
    let k = 0;
    for (let j = 0; j < replicationFactor - 1; j++) {
      for (;;) {
        const broker = arranged[replicaIndex(first, shift * numRacks, k, n)];
        const rack = rackOf.get(broker)!;
        k += 1;
        // skip a rack that already has a replica while some rack has none, and likewise a broker
        if ((!racksWith.has(rack) || racksWith.size === numRacks) && (!brokersWith.has(broker) || brokersWith.size === n)) {
          replicas.push(broker);
          racksWith.add(rack);
          brokersWith.add(broker);
          break;
        }
      }
    }
    out[p] = replicas;
  }
  return out;
}
