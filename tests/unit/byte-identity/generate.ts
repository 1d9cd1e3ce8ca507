/**
 * Writes fixture.json.gz: every output of outputs.ts, by name, as its full JSON text (gzip keeps
 * the file small; the spec reports the first differing character of a changed output).
 * Run: npx tsx tests/unit/byte-identity/generate.ts — only when a change of output is intended.
 */
import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { FIXTURE, drillOutputs, scenarioOutputs } from './outputs.ts';

const all = [...(await scenarioOutputs()), ...drillOutputs()];
const fixture = Object.fromEntries(all.map((o) => [o.name, o.json]));
writeFileSync(FIXTURE, gzipSync(JSON.stringify(fixture, null, 1) + '\n', { level: 9 }));
console.log(`${all.length} outputs → ${FIXTURE}`);
