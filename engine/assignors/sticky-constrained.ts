/**
 * The sticky assignor's constrained path, when every member subscribes to the same topics
 * (Kafka's ConstrainedAssignmentBuilder, KAFKA-9987 / KAFKA-12464): numbered phases in the
 * function below, each a step of Kafka's builder.
 *
 * Source: AbstractStickyAssignor.ConstrainedAssignmentBuilder.
 */
import type { PartitionSpace, RackInfo } from './sticky-common.ts';
import { nextRackConsumer, racksMismatch } from './sticky-common.ts';

/**
 * The constrained path (all subscriptions equal). Kafka's ConstrainedAssignmentBuilder.
 * @returns member index → partition ids, and partition id → new member index for moved partitions
 */
export function constrainedAssign(
  space: PartitionSpace,
  members: string[],
  hashOrder: number[],
  owned: number[][],
  multipleOwners: Set<number>,
  racks: RackInfo,
): { assignment: number[][]; transferring: Map<number, number> } {
  const n = members.length;
  const total = space.total;
  // 7 partitions, 3 members → minQuota 2, maxQuota 3, and 7 % 3 = 1 member gets maxQuota
  const minQuota = Math.floor(total / n);
  const maxQuota = Math.ceil(total / n);
  const expectedNumMembersWithOverMinQuota = total % n;
  let currentNumMembersWithOverMinQuota = 0;
  const assignment: number[][] = members.map(() => []);
  const assigned = new Uint8Array(total);
  const revoked = new Uint8Array(total);
  const transferring = new Map<number, number>();
  const underMinQuota: number[] = [];
  let exactlyMinQuota: number[] = [];
  const partitionOf = (id: number) => id - space.base[space.topicOf[id]];

  // 1. Reassign previously owned partitions, up to the expected number per member (in HashMap order:
  //    when more members own maxQuota than may keep it, the first ones walked keep it).
  for (const m of hashOrder) {
    for (const id of owned[m]) if (racksMismatch(racks, m, id)) revoked[id] = 1; // given up for rack alignment
    const mine = owned[m]
      .filter((id) => !multipleOwners.has(id) && !racksMismatch(racks, m, id))
      .sort((a, b) => partitionOf(a) - partitionOf(b) || space.topicOf[a] - space.topicOf[b]);
    let keep: number;
    if (mine.length < minQuota) {
      keep = mine.length;
      underMinQuota.push(m);
    } else if (mine.length >= maxQuota && currentNumMembersWithOverMinQuota < expectedNumMembersWithOverMinQuota) {
      keep = maxQuota;
      currentNumMembersWithOverMinQuota++;
      if (currentNumMembersWithOverMinQuota === expectedNumMembersWithOverMinQuota) exactlyMinQuota = [];
    } else {
      keep = minQuota;
      if (currentNumMembersWithOverMinQuota < expectedNumMembersWithOverMinQuota) exactlyMinQuota.push(m);
    }
    for (let i = 0; i < mine.length; i++) {
      if (i < keep) {
        assignment[m].push(mine[i]);
        assigned[mine[i]] = 1;
      } else revoked[mine[i]] = 1;
    }
  }

  let unassigned: number[] = [];
  for (let id = 0; id < total; id++) if (!assigned[id]) unassigned.push(id); // by topic, then partition
  underMinQuota.sort((a, b) => a - b); // member index order = memberId order
  exactlyMinQuota.sort((a, b) => a - b);
  const claimant = new Int32Array(total).fill(-1);
  owned.forEach((list, m) => list.forEach((id) => (claimant[id] = m)));
  const assignNew = (id: number, m: number) => {
    assignment[m].push(id);
    // moving from another member, or claimed by several members: the cooperative variant must wait
    // for the revoke (Kafka holds a multiply-claimed partition back even from its newest claimant)
    if ((revoked[id] && claimant[id] !== m) || multipleOwners.has(id)) transferring.set(id, m);
  };

  // 2. (rack-aware only) Round robin within racks: partitions with the fewest local members first,
  //    each to the next member under quota on a rack holding a replica.
  if (racks.numConsumersByPartition) {
    const n = racks.numConsumersByPartition;
    unassigned = unassigned
      .map((id, i) => [id, i])
      .sort((a, b) => n[a[0]] - n[b[0]] || a[1] - b[1])
      .map(([id]) => id);
  }
  if (racks.enabled) {
    let nextIndex = 0;
    const left: number[] = [];
    for (const id of unassigned) {
      let m = -1;
      let index = nextRackConsumer(racks, id, underMinQuota, nextIndex);
      if (index >= 0) {
        m = underMinQuota[index];
        const count = assignment[m].length + 1;
        if (count >= minQuota) {
          underMinQuota.splice(index, 1);
          if (count < maxQuota && currentNumMembersWithOverMinQuota < expectedNumMembersWithOverMinQuota) exactlyMinQuota.push(m);
        } else index++;
        nextIndex = underMinQuota.length === 0 ? 0 : index % underMinQuota.length;
      } else if (exactlyMinQuota.length > 0) {
        const first = nextRackConsumer(racks, id, exactlyMinQuota, 0);
        if (first >= 0) {
          m = exactlyMinQuota[first];
          if (assignment[m].length + 1 === maxQuota) {
            exactlyMinQuota.splice(first, 1);
            currentNumMembersWithOverMinQuota++;
            if (currentNumMembersWithOverMinQuota === expectedNumMembersWithOverMinQuota) exactlyMinQuota = [];
          }
        }
      }
      if (m >= 0) assignNew(id, m);
      else left.push(id);
    }
    unassigned = left;
  }

  // 3. Round robin over members under minQuota, then one more each to members at minQuota.
  let exactlyHead = 0;
  let next = 0; // the iterator over underMinQuota
  for (const id of unassigned) {
    let m: number;
    let fromUnder: boolean;
    if (next < underMinQuota.length) {
      m = underMinQuota[next++];
      fromUnder = true;
    } else if (underMinQuota.length === 0 && exactlyHead >= exactlyMinQuota.length) {
      throw new Error('Sticky assignor: no more unfilled members to take the remaining partitions (an assignor bug)');
    } else if (underMinQuota.length === 0) {
      m = exactlyMinQuota[exactlyHead++];
      fromUnder = false;
    } else {
      next = 0;
      m = underMinQuota[next++];
      fromUnder = true;
    }
    assignNew(id, m);
    const count = assignment[m].length;
    if (count === minQuota) {
      if (fromUnder) underMinQuota.splice(--next, 1);
      exactlyMinQuota.push(m);
    } else if (count === maxQuota) {
      currentNumMembersWithOverMinQuota++;
    }
  }

  // 4. Every member must have reached its quota.
  if (underMinQuota.length > 0) {
    if (currentNumMembersWithOverMinQuota !== expectedNumMembersWithOverMinQuota) {
      throw new Error('Sticky assignor: too few members reached maxQuota and no partitions are left (an assignor bug)');
    }
    for (const m of underMinQuota) {
      if (assignment[m].length !== minQuota) {
        throw new Error(`Sticky assignor: ${members[m]} did not reach minQuota and no partitions are left (an assignor bug)`);
      }
    }
  }
  return { assignment, transferring };
}
