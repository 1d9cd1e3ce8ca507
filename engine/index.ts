/**
 * Partition Lab's reference engine: Kafka's partition model as pure, deterministic TypeScript.
 * This barrel is the module's public surface; other modules import only from here.
 * Contract: ../shared/DESIGN.md ("Public API contract"). Extend it; never break it.
 */

// Producer partitioning
export { murmur2 } from './murmur2.ts';
export { toPositive, partitionForKey, utf8 } from './partitioner.ts';
