import { partitionForKey, utf8 } from '/work/wt-retention/engine/producer/partition-for-key.ts';
for (const k of ['host-a','host-b','host-c','host-d','host-e','host-f']) console.log(k, partitionForKey(utf8(k), 2));
