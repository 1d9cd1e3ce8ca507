/**
 * What a consumer (../consumer/consumer.ts) and the scenario runner need from a group, whichever
 * rebalance protocol it runs: the classic GroupCoordinator (./member.ts) or the consumer protocol's
 * ConsumerProtocolGroup (./consumer-protocol/consumer-group.ts, KIP-848). Both implement it.
 *
 * `generationId` is the classic generation or the consumer protocol's group epoch;
 * `memberGenerationId(name)` the member's generation or member epoch; `assignor` the classic
 * assignor the group chose or the server-side assignor (uniform, range).
 */
import type { AssignorName } from '../assignors/assignor.ts';
import type { TopicPartition } from '../common/record.ts';
import type { ServerAssignorName } from './consumer-protocol/protocol-types.ts';
import type { GroupError, GroupEvent, GroupState, MemberConfig, MemberListener } from './group-types.ts';

export interface GroupMembership {
  readonly groupId: string;
  readonly trace: GroupEvent[];
  readonly nowMs: number;
  readonly state: GroupState;
  readonly generationId: number;
  readonly assignor: AssignorName | ServerAssignorName | null;
  readonly leader: string | null;
  memberNames(): string[];
  memberIdOf(name: string): string | null;
  ownedPartitions(name: string): TopicPartition[];
  memberGenerationId(name: string): number;
  assignment(): Record<string, TopicPartition[]>;
  isAlive(name: string): boolean;
  committed(tp: TopicPartition): number | null;
  committedOffsets(): Record<string, number>;
  commitOffsets(nowMs: number, name: string | null, offsets: { tp: TopicPartition; offset: number }[]): GroupError;
  validateTxnOffsetCommit(nowMs: number, name: string): GroupError;
  completeTxnOffsetCommit(nowMs: number, offsets: { tp: TopicPartition; offset: number }[]): void;
  deleteGroup(nowMs: number): 'NONE' | 'NON_EMPTY_GROUP';
  advanceTo(nowMs: number): void;
  join(nowMs: number, name: string, config: MemberConfig, listener?: MemberListener): void;
  poll(nowMs: number, name: string): TopicPartition[];
  process(nowMs: number, name: string, durationMs: number): void;
  leave(nowMs: number, name: string): void;
  crash(nowMs: number, name: string): void;
  restart(nowMs: number, name: string, listener?: MemberListener): void;
  handleError(name: string, error: GroupError): void;
}
