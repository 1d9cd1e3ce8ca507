import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { runScenario } from '/work/wt-retention/engine/index.ts';
for (const id of process.argv.slice(2)) {
  const r = runScenario(parse(readFileSync(`/work/wt-retention/content/scenarios/${id}.yaml`, 'utf8')));
  console.log('#####', id);
  for (const e of r.trace) {
    if (e.kind === 'note') continue;
    console.log(e.index, e.timeMs, e.kind, e.description, '|', e.happened.join(' ; '));
    for (const p of e.snapshot.partitions) console.log('   ', p.label, 'LSO', p.logStartOffset, 'LEO', p.logEndOffset, 'size', p.segments.reduce((n,s)=>n+s.sizeInBytes,0), 'segs', p.segments.map(s=>`${s.baseOffset}:${s.recordCount}/${s.sizeInBytes}`).join(' '), '|', p.records.map(r=>`${r.offset}:${r.key}=${r.value}`).join(' '));
    for (const x of e.received) console.log('    recv', JSON.stringify(x.records.map(r=>`${r.offset}:${r.key}=${r.value}`)));
  }
}
