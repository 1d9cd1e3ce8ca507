/**
 * The classic group's join phase, broker side: a member's JoinGroup (new, returning static, or
 * rejoining), the initial rebalance delay, PreparingRebalance until every member has rejoined or the
 * rebalance timeout runs out, then the new generation — the assignor every member supports, the
 * leader's assignment, SyncGroup — and Stable. The rules, with an example, open ./coordinator.ts; the
 * members' side is ./member.ts, which completes this class into {@link GroupCoordinator}.
 *
 * Source: Kafka's GroupCoordinator (handleJoinGroup, prepareRebalance, onCompleteJoin,
 * maybePrepareRebalance), GroupMetadata (selectProtocol: the candidate most members vote for),
 * KIP-134 (group.initial.rebalance.delay.ms), KIP-345 (static members).
 */
import { compareStrings, sameSet } from '../assignors/assignor.ts';
import type { Assignment, AssignorName, Subscription } from '../assignors/assignor.ts';
import { ASSIGNORS } from '../assignors/registry.ts';
import { compareTp, tpKey } from '../common/notation.ts';
import type { TopicPartition } from '../common/record.ts';
import type { Client, MemberMetadata } from './group-types.ts';
import { GroupCoordinatorBase } from './coordinator.ts';

/** The broker's side of a classic group with its join phase; ./member.ts adds the members' side. */
export abstract class JoinPhase extends GroupCoordinatorBase {
  protected handleJoin(c: Client): void {
    const instanceId = c.config.groupInstanceId;
    let member: MemberMetadata | undefined = c.memberId ? this.members.get(c.memberId) : undefined;
    const subscription = (): Subscription => ({
      topics: [...c.config.topics],
      // cooperative: what it still holds (ownedPartitions); eager: its last assignment (sticky's userData)
      ownedPartitions: c.rebalanceProtocol === 'cooperative' ? [...c.owned] : [...c.lastAssignment],
      generationId: c.lastAssignmentGeneration,
      groupInstanceId: instanceId,
      rackId: c.config.rackId,
    });

    if (!member && instanceId !== null && this.staticMembers.has(instanceId)) {
      // a static member comes back (new process, new memberId): replace the old one
      const old = this.members.get(this.staticMembers.get(instanceId)!)!;
      const newId = this.newMemberId(c.name);
      this.members.delete(old.memberId);
      const sameSubscription =
        sameSet(new Set(old.subscription.topics), new Set(c.config.topics)) &&
        sameList(old.assignors, c.config.partitionAssignmentStrategy);
      member = {
        ...old,
        memberId: newId,
        name: c.name,
        lastHeartbeatMs: this.now,
        subscription: subscription(),
        assignors: [...c.config.partitionAssignmentStrategy],
      };
      this.members.set(newId, member);
      this.staticMembers.set(instanceId, newId);
      if (this.leaderId === old.memberId) this.leaderId = newId;
      // another process still running with the old memberId is fenced at its next heartbeat
      c.memberId = newId;
      this.emit({ type: 'static-member-replaced', member: c.name, oldMemberId: old.memberId, memberId: newId });
      this.startHeartbeats(c);
      if (this._state === 'Stable' && sameSubscription) {
        // no rebalance: hand back the current assignment in the current generation
        c.generationId = this._generationId;
        c.owned = [...member.assignment];
        c.lastAssignment = [...member.assignment];
        c.lastAssignmentGeneration = this._generationId;
        this.callback(c, 'partitions-assigned', member.assignment);
        return;
      }
      if (this._state === 'Stable' || this._state === 'CompletingRebalance')
        this.prepareRebalance(`static member ${instanceId} rejoined with a changed subscription`);
      member.joined = true;
      this.maybeCompleteJoin();
      return;
    }

    if (!member) {
      const memberId = this.newMemberId(c.name);
      member = {
        memberId,
        name: c.name,
        groupInstanceId: instanceId,
        subscription: subscription(),
        assignors: [...c.config.partitionAssignmentStrategy],
        sessionTimeoutMs: c.config.sessionTimeoutMs,
        rebalanceTimeoutMs: c.config.maxPollIntervalMs,
        lastHeartbeatMs: this.now,
        joined: true,
        assignment: [],
        joinOrder: this.joinCounter++,
      };
      this.checkAssignors(member);
      this.members.set(memberId, member);
      if (instanceId !== null) this.staticMembers.set(instanceId, memberId);
      c.memberId = memberId;
      this.emit({ type: 'member-joined', member: c.name, memberId, groupInstanceId: instanceId });
      this.startHeartbeats(c);
      if (this._state === 'Dead') this.transition('Empty'); // a new group under the same group.id
      if (this._state === 'Empty') this.startInitialRebalance();
      else if (this._state === 'Stable' || this._state === 'CompletingRebalance') this.prepareRebalance(`member ${c.name} joined`);
      else if (this.initialDelay) this.extendInitialDelay();
      member.joined = true;
      this.maybeCompleteJoin();
      return;
    }

    // a known member rejoins
    member.subscription = subscription();
    member.assignors = [...c.config.partitionAssignmentStrategy];
    member.lastHeartbeatMs = this.now;
    if (this._state === 'Stable' || this._state === 'CompletingRebalance') this.prepareRebalance(`member ${c.name} rejoined`);
    member.joined = true;
    this.maybeCompleteJoin();
  }

  protected startInitialRebalance(): void {
    this.initialDelay = { startMs: this.now };
    this.transition('PreparingRebalance');
    this.emit({ type: 'rebalance-started', reason: 'first member joined an empty group', generationId: this._generationId });
    this.extendInitialDelay();
  }

  protected extendInitialDelay(): void {
    // Kafka's InitialDelayedJoin: wait group.initial.rebalance.delay.ms after the latest join, at most the rebalance timeout
    const cap = this.initialDelay!.startMs + this.maxRebalanceTimeout();
    this.rebalanceDeadlineMs = Math.min(this.now + this.initialDelayMs, cap);
  }

  protected maxRebalanceTimeout(): number {
    let max = 0;
    for (const m of this.members.values()) max = Math.max(max, m.rebalanceTimeoutMs);
    return max;
  }

  protected prepareRebalance(reason: string): void {
    for (const m of this.members.values()) m.joined = false;
    this.initialDelay = null;
    this.transition('PreparingRebalance');
    this.rebalanceDeadlineMs = this.now + this.maxRebalanceTimeout();
    this.emit({ type: 'rebalance-started', reason, generationId: this._generationId });
    // members that are rejoining right now (the caller) mark themselves joined after this
  }

  protected maybeCompleteJoin(): void {
    if (this._state !== 'PreparingRebalance' || this.initialDelay) return;
    if ([...this.members.values()].every((m) => m.joined)) this.completeJoin(false);
  }

  protected completeJoin(timedOut: boolean): void {
    if (this._state !== 'PreparingRebalance') return;
    this.initialDelay = null;
    this.rebalanceDeadlineMs = Infinity;
    if (timedOut) {
      for (const m of [...this.members.values()]) {
        if (!m.joined && m.groupInstanceId === null) this.removeMember(m.memberId, 'rebalance-timeout');
      }
    }
    this._generationId++;
    if (this.members.size === 0) {
      this.leaderId = null;
      this._assignor = null;
      this.transition('Empty');
      return;
    }
    const members = [...this.members.values()].sort((a, b) => a.joinOrder - b.joinOrder);
    if (this.leaderId === null || !this.members.has(this.leaderId)) this.leaderId = (members.find((m) => m.joined) ?? members[0]).memberId;
    this._assignor = this.selectAssignor(members);
    this.transition('CompletingRebalance');

    // the leader runs the assignor on everyone's subscription (SyncGroup)
    const subscriptions: Record<string, Subscription> = {};
    for (const m of members) subscriptions[m.memberId] = m.subscription;
    const ppt = this.partitionsPerTopic();
    this.lastTopics = [...new Set(members.flatMap((m) => m.subscription.topics))].sort(compareStrings);
    this.lastMetadata = this.metadataKey(ppt);
    const assignment: Assignment = ASSIGNORS[this._assignor].assign(ppt, subscriptions, this.assignorMetadata?.());
    for (const m of members) m.assignment = [...(assignment[m.memberId] ?? [])];
    this.transition('Stable');
    const byName: Record<string, TopicPartition[]> = {};
    for (const m of members) byName[m.name] = [...m.assignment].sort(compareTp);
    const leader = this.members.get(this.leaderId)!;
    const protocols = new Set(members.map((m) => this.clientByMemberId(m.memberId)?.rebalanceProtocol ?? 'eager'));
    this.emit({
      type: 'rebalance-completed',
      generationId: this._generationId,
      assignor: this._assignor,
      rebalanceProtocol: protocols.has('eager') ? 'eager' : 'cooperative',
      leader: leader.name,
      assignment: byName,
    });

    // members apply their assignment (SyncGroup response → onPartitionsAssigned / Revoked)
    for (const m of members) {
      const c = this.clientByMemberId(m.memberId);
      if (!c || !c.alive || !m.joined) continue;
      c.generationId = this._generationId;
      c.lastAssignment = [...m.assignment];
      c.lastAssignmentGeneration = this._generationId;
      const assignedKeys = new Set(m.assignment.map(tpKey));
      const ownedKeys = new Set(c.owned.map(tpKey));
      const revoked = c.owned.filter((tp) => !assignedKeys.has(tpKey(tp)));
      const added = m.assignment.filter((tp) => !ownedKeys.has(tpKey(tp)));
      if (revoked.length) this.callback(c, 'partitions-revoked', revoked);
      c.owned = [...m.assignment];
      this.callback(c, 'partitions-assigned', added);
      if (c.rebalanceProtocol === 'cooperative' && revoked.length) c.rejoinNeeded = true; // follow-up rebalance (KIP-429)
    }
    for (const m of members) m.joined = false;
    // cooperative members that revoked something rejoin right away, from the same poll
    for (const m of members) {
      const c = this.clientByMemberId(m.memberId);
      if (c && c.alive && c.rejoinNeeded && c.rebalanceProtocol === 'cooperative' && this.isPolling(c)) this.sendJoin(c);
    }
  }

  protected selectAssignor(members: MemberMetadata[]): AssignorName {
    // Kafka's GroupMetadata#selectAssignor: each member votes for its first choice among the candidates
    const candidates = this.commonAssignors(members);
    const votes = new Map<AssignorName, number>(candidates.map((p) => [p, 0]));
    for (const m of members) {
      const choice = m.assignors.find((p) => votes.has(p))!;
      votes.set(choice, votes.get(choice)! + 1);
    }
    let best = candidates[0];
    for (const p of candidates) if (votes.get(p)! > votes.get(best)!) best = p;
    return best;
  }
}

function sameList<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
