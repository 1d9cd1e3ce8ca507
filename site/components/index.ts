/**
 * Author-facing MDX components. The lesson page passes all of them to every lesson, so MDX can use
 * `<Callout>`, `<Figure>`, `<KeyPartitionTable>` without importing anything. An explicit import also works:
 *   import { Callout, Figure, KeyPartitionTable } from '../../site/components/index.ts';
 * Each component documents its props at the top of its file.
 */
export { default as AssignmentTable } from './AssignmentTable.astro';
export { default as Callout } from './Callout.astro';
export { default as Figure } from './Figure.astro';
export { default as KeyPartitionTable } from './KeyPartitionTable.astro';
export { default as Scenario } from './Scenario.astro';
export { default as OffsetTable } from './OffsetTable.astro';
