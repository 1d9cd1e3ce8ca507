/**
 * A consumer-protocol group's membership story, for the `reconcile` checkpoint: members join, poll,
 * leave and crash on a schedule while time passes; every reconciliation step the coordinator takes
 * (./reconcile.ts) is recorded with its input and the engine's answer, and the same story becomes a
 * scenario the player can replay.
 *
 * The rule: ops that cannot run at their point (a poll of a consumer that is not running, a join of
 * one that is) are dropped first ({@link normalizeStory}); then the schedule plays on one
 * ConsumerProtocolGroup, and afterwards every running member polls once a second for
 * `settleMs` (default 20 000), so the group converges. {@link reconcileStoryScenario} writes the same
 * steps as a scenario (group.protocol=consumer, no producers, auto-commit off): the scenario runner
 * makes the same calls on the same group, so its trace shows exactly this story.
 *
 * Example: t0 with 4 partitions, [join C0, join C1, advance 5000, poll C0, advance 5000, poll C1]
 *   records C0's first step (epoch 0 → 1, receive t0p0 … t0p3), C1's (nothing free: UNRELEASED),
 *   C0's revocation of t0p2, t0p3 at epoch 1, then C1 receiving them at epoch 2.
 *
 * Source: KIP-848; Kafka's GroupMetadataManager, CurrentAssignmentBuilder.
 */
import { compareStrings } from '../../assignors/assignor.ts';
import { tpKey } from '../../common/notation.ts';
import type { Scenario, Step } from '../../scenario/authoring.ts';
import { ConsumerProtocolGroup } from './consumer-group.ts';
import type { ReconcileCall } from './group-coordinator.ts';
import type { ServerAssignorName } from './protocol-types.ts';

/** The group of a story: its topics (partition counts), member names, and the server-side assignor. */
export interface ReconcileWorld {
  topics: Record<string, number>;
  members: string[];
  remoteAssignor: ServerAssignorName;
}

/** One op of a story's schedule. `advance` moves the clock (ms, a positive integer). */
export type ReconcileOp = { join: string } | { poll: string } | { leave: string } | { crash: string } | { advance: number };

/** A recorded step, with the index of the op during which it happened (≥ schedule length: the settling polls). */
export type RecordedCall = ReconcileCall & { op: number };

export const DEFAULT_SETTLE_MS = 20_000;

/** The schedule without the ops that cannot run at their point (see the file's docstring). */
export function normalizeStory(world: ReconcileWorld, schedule: readonly ReconcileOp[]): ReconcileOp[] {
  const running = new Set<string>();
  const out: ReconcileOp[] = [];
  for (const op of schedule) {
    if ('advance' in op) {
      if (Number.isInteger(op.advance) && op.advance > 0) out.push(op);
      continue;
    }
    const [kind, name] = Object.entries(op)[0] as [string, string];
    if (!world.members.includes(name)) continue;
    if (kind === 'join') {
      if (running.has(name)) continue;
      running.add(name);
    } else if (!running.has(name)) continue;
    else if (kind === 'leave' || kind === 'crash') running.delete(name);
    out.push(op);
  }
  return out;
}

/**
 * Play a story and record every reconciliation step.
 * @param schedule normalized with {@link normalizeStory} first (this function normalizes too)
 * @returns the calls in order, and the final assignment by member name (what each owns)
 */
export function runReconcileStory(
  world: ReconcileWorld,
  schedule: readonly ReconcileOp[],
  settleMs = DEFAULT_SETTLE_MS,
): { schedule: ReconcileOp[]; calls: RecordedCall[]; owned: Record<string, string[]> } {
  const ops = normalizeStory(world, schedule);
  const calls: RecordedCall[] = [];
  let current = 0;
  const g = new ConsumerProtocolGroup({
    groupId: 'g1',
    partitionsPerTopic: () => ({ ...world.topics }),
    groupRemoteAssignor: world.remoteAssignor,
    onReconcile: (c) => calls.push({ ...c, op: current }),
  });
  const topics = Object.keys(world.topics).sort(compareStrings);
  const started = new Set<string>();
  const running = new Set<string>();
  let now = 0;
  ops.forEach((op, i) => {
    current = i;
    if ('advance' in op) {
      now += op.advance;
      g.advanceTo(now);
    } else if ('join' in op) {
      if (started.has(op.join)) g.restart(now, op.join);
      else g.join(now, op.join, { topics });
      started.add(op.join);
      running.add(op.join);
      if (g.isAlive(op.join)) g.poll(now, op.join);
    } else if ('poll' in op) {
      if (g.isAlive(op.poll)) g.poll(now, op.poll);
    } else if ('leave' in op) {
      g.leave(now, op.leave);
      running.delete(op.leave);
    } else {
      g.crash(now, op.crash);
      running.delete(op.crash);
    }
  });
  for (let t = 1; t <= Math.floor(settleMs / 1000); t++) {
    current = ops.length + t - 1;
    now += 1000;
    g.advanceTo(now);
    for (const m of world.members) if (running.has(m) && g.isAlive(m)) g.poll(now, m);
  }
  const owned: Record<string, string[]> = {};
  for (const m of world.members) if (started.has(m)) owned[m] = g.ownedPartitions(m).map(tpKey);
  return { schedule: ops, calls, owned };
}

/**
 * The story as a scenario for the player (group.protocol=consumer). `notes` are inserted before the
 * op they name (an op index ≥ the schedule length names a settling step).
 */
export function reconcileStoryScenario(
  world: ReconcileWorld,
  schedule: readonly ReconcileOp[],
  notes: { op: number; text: string }[],
  meta: { title: string; summary: string },
  settleMs = DEFAULT_SETTLE_MS,
): Scenario {
  const ops = normalizeStory(world, schedule);
  const steps: Step[] = [
    { note: `A consumer-protocol group (KIP-848, ${world.remoteAssignor} assignor) on ${Object.keys(world.topics).join(', ')}.` },
  ];
  const noteAt = (i: number) => {
    for (const n of notes) if (n.op === i) steps.push({ note: n.text });
  };
  ops.forEach((op, i) => {
    noteAt(i);
    if ('advance' in op) steps.push({ advanceTime: { ms: op.advance } });
    else if ('join' in op) steps.push({ join: { consumer: op.join } });
    else if ('poll' in op) steps.push({ poll: { consumer: op.poll } });
    else if ('leave' in op) steps.push({ leave: { consumer: op.leave } });
    else steps.push({ crash: { consumer: op.crash } });
  });
  const settle = Math.floor(settleMs / 1000);
  for (let t = 0; t < settle; t++) {
    if (t === 0) steps.push({ note: 'From here on, every running consumer polls once a second and the group settles.' });
    noteAt(ops.length + t);
    steps.push({ advanceTime: { ms: 1000 } }, { poll: {} });
  }
  const topics = Object.keys(world.topics).sort(compareStrings);
  return {
    id: 'reconcile-replay',
    title: meta.title,
    summary: meta.summary,
    seed: 1,
    brokers: 1,
    topics: topics.map((name) => ({ name, partitions: world.topics[name] })),
    groups: [{ id: 'g1', assignor: 'range', groupProtocol: 'consumer', remoteAssignor: world.remoteAssignor }],
    consumers: world.members.map((id) => ({ id, group: 'g1', topics, config: { enableAutoCommit: false, autoOffsetReset: 'earliest' } })),
    steps,
  };
}
