import { readFileSync } from 'node:fs';
import { gradeSource } from './index.ts';
import { fixtureExercise } from './fixtures/fixture-exercise.ts';
import { exercises } from '../exercises/index.ts';
const src = readFileSync('grader/fixtures/pass/submission.ts', 'utf8').replace("console.log('hashing', keyBytes.length, 'bytes');", '');
for (let i = 0; i < 3; i++) {
  const t = performance.now();
  const r = await gradeSource(fixtureExercise, src, { mode: 'submit', seed: 1 });
  console.log('fixture', r.status, (performance.now() - t).toFixed(0), 'ms', r.tests.map((x) => `${x.id}:${x.durationMs}`).join(' '));
}
const ktp = exercises['key-to-partition'];
const sol = readFileSync('exercises/key-to-partition/solution.ts', 'utf8');
for (let i = 0; i < 3; i++) {
  const t = performance.now();
  const r = await gradeSource(ktp, sol, { mode: 'submit', seed: 1 });
  console.log('key-to-partition', r.status, (performance.now() - t).toFixed(0), 'ms', r.tests.length, 'tests', r.tests.filter(x => x.status !== 'passed').map(x => x.id + ':' + x.message));
}
