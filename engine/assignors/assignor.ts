/**
 * What every consumer-group assignor shares: the contract, Kafka's member order, and the checker that
 * every assignor test runs (Kafka's `verifyValidityAndBalance`, plus coverage).
 *
 * The contract (Kafka's `AbstractPartitionAssignor#assign`, minus the cluster and the bytes):
 *   assign(partitionsPerTopic, subscriptions) → assignment
 *   partitionsPerTopic: { t0: 3, t1: 2 }   (a subscribed topic missing here is deleted / unknown: skipped)
 *   subscriptions:      { C0: { topics: ['t0', 't1'] }, C1: { topics: ['t0'], ownedPartitions: [...], generationId: 4 } }
 *   assignment:         { C0: [t0p0, t1p0, t1p1], C1: [t0p1, t0p2] }   — every member gets a list, maybe empty
 *
 * Member order (Kafka's `AbstractPartitionAssignor.MemberInfo#compareTo`): static members (with a
 * `groupInstanceId`) first, ordered by groupInstanceId; then dynamic members, ordered by memberId.
 * Strings compare by UTF-16 code unit, as Java's `String#compareTo` — never `localeCompare`:
 * "C10" < "C2" and "Z" < "a". Range and round robin sort the members this way, so the key order of
 * `subscriptions` does not matter to them. The sticky assignors also walk the members as the leader's
 * java.util.HashMap does, and that depends on the key order: give the keys in JoinGroup order.
 *
 * Source: org.apache.kafka.clients.consumer.ConsumerPartitionAssignor (Subscription, Assignment),
 * org.apache.kafka.clients.consumer.internals.AbstractPartitionAssignor (MemberInfo),
 * AbstractStickyAssignorTest#verifyValidityAndBalance.
 */
import { formatTp, tpKey } from '../common/notation.ts';
import type { TopicPartition } from '../common/record.ts';

export type { TopicPartition } from '../common/record.ts';

/**
 * What a member tells the group leader when it joins (Kafka's `ConsumerPartitionAssignor.Subscription`).
 * `ownedPartitions` and `generationId` are what the member held after its last completed rebalance;
 * the sticky assignors use them, range and round robin ignore them.
 */
export interface Subscription {
  /** topic names the member subscribes to (order does not matter) */
  topics: string[];
  /** partitions the member owned in generation `generationId` (empty or absent for a new member) */
  ownedPartitions?: TopicPartition[];
  /** the generation in which it owned them; absent = unknown (Kafka's DEFAULT_GENERATION, -1) */
  generationId?: number;
  /** `group.instance.id`, set for static members (KIP-345) */
  groupInstanceId?: string | null;
  /** `client.rack` (KIP-881); used by rack-aware range */
  rackId?: string | null;
}

/** The assignor names, equal to the values of `partition.assignment.strategy` shorthand. */
export type AssignorName = 'range' | 'roundrobin' | 'sticky' | 'cooperative-sticky';

/** memberId → the partitions assigned to it. Every subscribed member is a key. */
export type Assignment = Record<string, TopicPartition[]>;

/**
 * Optional cluster metadata an assignor may use: the racks holding each partition's replicas
 * (KIP-881). `partitionRacks[topic][partition]` lists the racks of that partition's replicas.
 */
export interface AssignorMetadata {
  partitionRacks?: Record<string, string[][]>;
}

/** A consumer-group assignor: Kafka's ConsumerPartitionAssignor as a pure function. */
export interface ConsumerPartitionAssignor {
  readonly name: AssignorName;
  /** which rebalance protocols a group using this assignor can run (Kafka's supportedProtocols) */
  readonly supportedProtocols: readonly ('eager' | 'cooperative')[];
  /**
   * @param partitionsPerTopic partition count per existing topic; topics nobody subscribes to are ignored
   * @param subscriptions memberId → Subscription
   * @param metadata optional rack information (only rack-aware assignors read it)
   * @returns memberId → assigned partitions; every member of `subscriptions` is a key
   * @throws RangeError when a partition count is not a non-negative integer
   */
  assign(partitionsPerTopic: Record<string, number>, subscriptions: Record<string, Subscription>, metadata?: AssignorMetadata): Assignment;
}

/** Kafka's `AbstractStickyAssignor.DEFAULT_GENERATION`: the generation of a member that never had one. */
export const DEFAULT_GENERATION = -1;

/**
 * Java's `String#compareTo`: lexicographic by UTF-16 code unit. JavaScript's `<` on strings does
 * exactly this (it compares code units), unlike `localeCompare`.
 * @returns negative, 0 or positive
 */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Kafka's member order: static members first by groupInstanceId, then dynamic ones by memberId.
 * (Kafka compares two static members by groupInstanceId only; ids are unique in a group, and we
 * break a tie by memberId so the order is total.)
 * Source: AbstractPartitionAssignor.MemberInfo#compareTo.
 */
export function compareMembers(
  a: { memberId: string; groupInstanceId?: string | null },
  b: { memberId: string; groupInstanceId?: string | null },
): number {
  const aStatic = a.groupInstanceId != null;
  const bStatic = b.groupInstanceId != null;
  if (aStatic && bStatic) {
    return compareStrings(a.groupInstanceId!, b.groupInstanceId!) || compareStrings(a.memberId, b.memberId);
  }
  if (aStatic) return -1;
  if (bStatic) return 1;
  return compareStrings(a.memberId, b.memberId);
}

/** The memberIds of `subscriptions` in Kafka's member order (see {@link compareMembers}). */
export function sortMembers(subscriptions: Record<string, Subscription>, memberIds = Object.keys(subscriptions)): string[] {
  return [...memberIds].sort((a, b) =>
    compareMembers(
      { memberId: a, groupInstanceId: subscriptions[a].groupInstanceId },
      { memberId: b, groupInstanceId: subscriptions[b].groupInstanceId },
    ),
  );
}

/**
 * Check the inputs every assignor shares and keep only the topics somebody subscribes to, as Kafka's
 * `AbstractPartitionAssignor#assign(Cluster, …)` builds `partitionsPerTopic` from the subscribed topics.
 * @throws RangeError when a partition count is not a non-negative integer
 */
export function subscribedPartitionsPerTopic(
  partitionsPerTopic: Record<string, number>,
  subscriptions: Record<string, Subscription>,
): Map<string, number> {
  const subscribed = new Set<string>();
  for (const memberId of Object.keys(subscriptions)) {
    const sub = subscriptions[memberId];
    if (!sub || !Array.isArray(sub.topics)) {
      throw new TypeError(`Expected subscriptions.${memberId}.topics to be an array of topic names, got ${JSON.stringify(sub?.topics)}`);
    }
    for (const t of sub.topics) subscribed.add(t);
  }
  const result = new Map<string, number>();
  for (const topic of Object.keys(partitionsPerTopic).sort(compareStrings)) {
    const n = partitionsPerTopic[topic];
    if (!Number.isInteger(n) || n < 0) {
      throw new RangeError(`Expected partitionsPerTopic.${topic} to be a non-negative integer, got ${String(n)}`);
    }
    if (subscribed.has(topic)) result.set(topic, n);
  }
  return result;
}

/** An empty assignment with every member as a key. */
export function emptyAssignment(subscriptions: Record<string, Subscription>): Assignment {
  const out: Assignment = {};
  for (const m of Object.keys(subscriptions)) out[m] = [];
  return out;
}

/** How {@link verifyAssignment} judges balance; each assignor promises a different one. */
export type BalanceRule =
  /** no balance promise */
  | 'none'
  /** range: within each topic, its subscribers' counts differ by at most one */
  | 'per-topic'
  /** round robin: when all members subscribe to the same topics, counts differ by at most one */
  | 'equal-subscriptions'
  /**
   * sticky: no partition could move to a member with 2+ fewer — when two members' counts differ by
   * 2+, the busier one owns no partition of a topic the other subscribes to (Kafka's isBalanced;
   * its test helper checks the weaker "no topic in common among their partitions"); with equal
   * subscriptions, counts differ by at most one
   */
  | 'sticky';

export interface VerifyOptions {
  balance: BalanceRule;
  /**
   * allow partitions with subscribers to stay unassigned (a cooperative first round leaves the
   * partitions being revoked unassigned until the follow-up rebalance)
   */
  allowUnassigned?: boolean;
}

/**
 * The invariants of a group assignment, as messages for people (empty array = valid):
 * 1. every subscribed member is a key of the assignment, and nobody else;
 * 2. each assigned partition exists and its topic is one the member subscribes to;
 * 3. no partition has two owners;
 * 4. every partition of a subscribed, existing topic has an owner (unless `allowUnassigned`);
 * 5. the balance rule of `options.balance`.
 *
 * Example: C0: [t0p0, t0p1], C1: [t0p1] → `t0p1 is assigned to both C0 and C1; each partition must
 * have exactly one owner in a group`, and `t0p2 is not assigned to anyone, …`.
 *
 * Source: Kafka's AbstractStickyAssignorTest#verifyValidityAndBalance (validity and balance), plus
 * coverage, which Kafka's tests check per case.
 */
export function verifyAssignment(
  partitionsPerTopic: Record<string, number>,
  subscriptions: Record<string, Subscription>,
  assignment: Assignment,
  options: VerifyOptions,
): string[] {
  const problems: string[] = [];
  const members = Object.keys(subscriptions).sort(compareStrings);
  if (assignment === null || typeof assignment !== 'object') return ['the assignment must be an object: memberId → list of partitions'];
  for (const m of members) {
    if (!Array.isArray(assignment[m]))
      problems.push(`${m} is missing from the assignment; every member gets a list, empty if it has no partitions`);
  }
  for (const m of Object.keys(assignment)) {
    if (!(m in subscriptions)) problems.push(`${m} is not a member of the group but has an assignment`);
  }
  if (problems.length) return problems;

  const owner = new Map<string, string>();
  const subscribedTopics = new Map(members.map((m) => [m, new Set(subscriptions[m].topics)]));
  for (const m of members) {
    for (const tp of assignment[m]) {
      const name = formatTp(tp);
      const count = partitionsPerTopic[tp.topic];
      if (count === undefined || !Number.isInteger(tp.partition) || tp.partition < 0 || tp.partition >= count) {
        problems.push(`${m} is assigned ${name}, which does not exist`);
        continue;
      }
      if (!subscribedTopics.get(m)!.has(tp.topic)) {
        problems.push(`${m} is assigned ${name} but does not subscribe to ${tp.topic}`);
      }
      const key = tpKey(tp);
      const other = owner.get(key);
      if (other !== undefined) {
        problems.push(`${name} is assigned to both ${other} and ${m}; each partition must have exactly one owner in a group`);
      } else owner.set(key, m);
    }
  }
  if (!options.allowUnassigned) {
    const topics = new Set(members.flatMap((m) => subscriptions[m].topics));
    for (const t of [...topics].sort(compareStrings)) {
      const n = partitionsPerTopic[t] ?? 0;
      for (let p = 0; p < n; p++) {
        if (!owner.has(tpKey({ topic: t, partition: p }))) {
          problems.push(`${formatTp({ topic: t, partition: p })} is not assigned to anyone, though a member subscribes to ${t}`);
        }
      }
    }
  }
  if (problems.length) return problems;

  const sizes = new Map(members.map((m) => [m, assignment[m].length]));
  const equalSubscriptions = members.every((m) => sameSet(subscribedTopics.get(m)!, subscribedTopics.get(members[0])!));
  const withinOne = () => {
    if (members.length === 0) return;
    const sorted = [...members].sort((a, b) => sizes.get(a)! - sizes.get(b)!);
    const lo = sorted[0];
    const hi = sorted[sorted.length - 1];
    if (sizes.get(hi)! - sizes.get(lo)! > 1) {
      problems.push(
        `${hi} has ${sizes.get(hi)} partitions and ${lo} has ${sizes.get(lo)}; with equal subscriptions the counts must differ by at most one`,
      );
    }
  };
  switch (options.balance) {
    case 'none':
      break;
    case 'equal-subscriptions':
      if (equalSubscriptions) withinOne();
      break;
    case 'per-topic': {
      const topics = [...new Set(members.flatMap((m) => subscriptions[m].topics))].sort(compareStrings);
      for (const t of topics) {
        if (partitionsPerTopic[t] === undefined) continue;
        const counts = members
          .filter((m) => subscribedTopics.get(m)!.has(t))
          .map((m) => [m, assignment[m].filter((tp) => tp.topic === t).length] as const)
          .sort((a, b) => a[1] - b[1]);
        const lo = counts[0];
        const hi = counts[counts.length - 1];
        if (hi[1] - lo[1] > 1) {
          problems.push(`${hi[0]} has ${hi[1]} partitions of ${t} and ${lo[0]} has ${lo[1]}; range splits each topic within one`);
        }
      }
      break;
    }
    case 'sticky': {
      if (equalSubscriptions) withinOne();
      if (problems.length) break;
      const topicsOf = new Map(members.map((m) => [m, [...new Set(assignment[m].map((tp) => tp.topic))].sort(compareStrings)]));
      for (let i = 0; i < members.length; i++) {
        for (let j = i + 1; j < members.length; j++) {
          const a = members[i];
          const b = members[j];
          const [more, less] = sizes.get(a)! >= sizes.get(b)! ? [a, b] : [b, a];
          if (sizes.get(more)! - sizes.get(less)! <= 1) continue;
          for (const t of topicsOf.get(more)!) {
            if (subscribedTopics.get(less)!.has(t)) {
              problems.push(
                `${more} has ${sizes.get(more)} partitions and ${less} has ${sizes.get(less)}, and ${less} subscribes to ${t}; ` +
                  `moving a partition of ${t} from ${more} to ${less} would balance the group`,
              );
              break;
            }
          }
        }
      }
      break;
    }
  }
  return problems;
}

/** Whether two sets hold the same elements (e.g. two members' subscribed topics, in any order). */
export function sameSet<T>(a: ReadonlySet<T>, b: ReadonlySet<T>): boolean {
  if (a.size !== b.size) return false;
  for (const x of a) if (!b.has(x)) return false;
  return true;
}

/**
 * Java's `String#hashCode`: h = 31·h + (UTF-16 code unit), in 32-bit two's complement.
 * Example: javaStringHash("a") = 97; javaStringHash("hello") = 99162322; javaStringHash("consumer1") = -421004549.
 */
export function javaStringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

/**
 * The order in which a `java.util.HashMap<String, …>` holding `keys` (inserted in the given order)
 * iterates them. Kafka's sticky assignor walks members in this order where a tie has to be broken
 * (which members keep maxQuota), so we follow it to give the same answer as the Java client.
 *
 * The rule: a HashMap starts with 16 buckets and doubles whenever it holds more than 0.75 × buckets;
 * a key lives in bucket `(h ^ (h >>> 16)) & (buckets − 1)` with h = String#hashCode; iteration goes
 * bucket by bucket, and within a bucket in insertion order.
 *
 * Example: ["consumer1", "consumer2", "consumer3"] land in buckets 10, 9, 8 of 16, so a HashMap
 * iterates them consumer3, consumer2, consumer1.
 *
 * Note: Java turns a bucket of 8+ keys into a tree (in a table of 64+ buckets), which iterates in a
 * different order; with memberIds that practically never happens and we do not model it.
 * Source: java.util.HashMap (hash, resize, HashIterator), DEFAULT_INITIAL_CAPACITY 16, load factor 0.75.
 */
export function javaHashMapOrder(keys: readonly string[]): string[] {
  let buckets = 16;
  while (keys.length > buckets * 0.75) buckets *= 2;
  const bucketOf = (k: string) => {
    const h = javaStringHash(k);
    return (h ^ (h >>> 16)) & (buckets - 1);
  };
  return keys
    .map((k, i) => ({ k, i, b: bucketOf(k) }))
    .sort((x, y) => x.b - y.b || x.i - y.i)
    .map((x) => x.k);
}
