/**
 * `npm run bench`: runs every bench/*.bench.ts and prints one table of figures.
 * Each bench file exports `run(): Promise<BenchResult[]>`. Speed is measured here, never asserted in tests.
 * Usage: npm run bench [-- <name-filter>]   e.g. `npm run bench -- assignors`
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { cpus } from 'node:os';

export interface BenchResult {
  /** what was measured, e.g. `range assignor, 1,000 members × 10,000 partitions` */
  name: string;
  value: number;
  /** e.g. `ms`, `records/s`, `keys/s`, `×` */
  unit: string;
  /** optional context: sizes, the limit it is judged against */
  note?: string;
}

const here = dirname(fileURLToPath(import.meta.url));
const filter = process.argv[2];
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => !filter || f.includes(filter))
  .sort();

console.log(`Partition Lab benchmarks — Node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'})\n`);
let failures = 0;
for (const file of files) {
  const mod = (await import(pathToFileURL(join(here, file)).href)) as { run?: () => Promise<BenchResult[]> };
  if (typeof mod.run !== 'function') {
    console.error(`${file}: exports no run() function`);
    failures++;
    continue;
  }
  console.log(`## ${file}`);
  try {
    for (const r of await mod.run()) {
      const value = r.value >= 100 ? Math.round(r.value).toLocaleString('en-US') : r.value.toFixed(2);
      console.log(`  ${r.name.padEnd(64)} ${value.padStart(14)} ${r.unit}${r.note ? `   (${r.note})` : ''}`);
    }
  } catch (err) {
    failures++;
    console.error(`  failed: ${err instanceof Error ? err.message : String(err)}`);
  }
  console.log();
}
process.exitCode = failures ? 1 : 0;
