import { gradeSource } from './index.ts';
import { fixtureExercise } from './fixtures/fixture-exercise.ts';
const bombs: Record<string, string> = {
  abLoop: `const a: any[] = []; for (;;) a.push(new ArrayBuffer(1 << 20));`,
  u8Loop: `const a: any[] = []; for (;;) a.push(new Uint8Array(1 << 22));`,
  arrFill: `const a: any[] = []; for (;;) a.push(new Array(1 << 20).fill(1));`,
  strRepeat: `const a: any[] = []; for (let i = 0; ; i++) a.push('x'.repeat(1 << 20) + i);`,
  strJoin: `const a: any[] = []; for (let i = 0; ; i++) a.push(new Array(1 << 16).join('xy'));`,
  objects: `const a: any[] = []; for (let i = 0; ; i++) a.push({ i, s: [i, i] });`,
};
const ex = { ...fixtureExercise, tests: fixtureExercise.tests.slice(0, 1) };
for (const [name, body] of Object.entries(bombs)) {
  for (const where of ['call', 'load']) {
    const src = where === 'call' ? `export function partition(k: Uint8Array, n: number): number { ${body} }` : `${body}\nexport function partition() { return 0; }`;
    const t = performance.now();
    const r = await gradeSource(ex, src, { mode: 'run' });
    console.log(name, where, r.status, r.error?.kind ?? r.tests[0].errorKind, (performance.now() - t).toFixed(0), 'ms');
  }
}
