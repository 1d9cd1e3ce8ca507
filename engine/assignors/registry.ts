/**
 * The built-in assignors by their `partition.assignment.strategy` config value, the way a
 * consumer's configuration names them.
 *
 * Source: ConsumerConfig PARTITION_ASSIGNMENT_STRATEGY_CONFIG; each assignor's `name()`.
 */
import type { AssignorName, ConsumerPartitionAssignor } from './assignor.ts';
import { CooperativeStickyAssignor } from './cooperative-sticky.ts';
import { RangeAssignor } from './range.ts';
import { RoundRobinAssignor } from './round-robin.ts';
import { StickyAssignor } from './sticky.ts';

/** The four built-in assignors by their `partition.assignment.strategy` name. */
export const ASSIGNORS: Readonly<Record<AssignorName, ConsumerPartitionAssignor>> = {
  range: RangeAssignor,
  roundrobin: RoundRobinAssignor,
  sticky: StickyAssignor,
  'cooperative-sticky': CooperativeStickyAssignor,
};
