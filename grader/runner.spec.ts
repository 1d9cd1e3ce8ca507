/**
 * gradeSource end to end on the fixture exercise (engine as oracle): modes, determinism under a seed,
 * result typing, explanations of missing exports, the text rendering and the worker protocol.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { partitionForKey, utf8 } from '../engine/index.ts';
import { formatReportText, gradeSource, handleGradeRequest, type GradeReport, type WorkerOutbound } from './index.ts';
import { fixtureExercise } from './fixtures/fixture-exercise.ts';
import { explainMissingExports } from './runner.ts';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, 'fixtures', name, 'submission.ts'), 'utf8');

describe('modes', () => {
  it('run grades only the visible tests; submit grades all', async () => {
    const run = await gradeSource(fixtureExercise, fixture('pass'), { mode: 'run', seed: 1 });
    const submit = await gradeSource(fixtureExercise, fixture('pass'), { mode: 'submit', seed: 1 });
    const visible = fixtureExercise.tests.filter((t) => !t.hidden).map((t) => t.id);
    expect(run.tests.map((t) => t.id)).toEqual(visible);
    expect(submit.tests.map((t) => t.id)).toEqual(fixtureExercise.tests.map((t) => t.id));
    expect([run.status, submit.status, run.mode, submit.mode]).toEqual(['passed', 'passed', 'run', 'submit']);
  });

  it('hides inputs and values of a failed hidden test', async () => {
    const src = `export function partition(k: Uint8Array, n: number): number { return k.length === 9 ? ${partitionForKey(utf8('order-456'), 12) + 1} : 0; }`;
    const report = await gradeSource(fixtureExercise, src, { mode: 'submit', seed: 1 });
    const hidden = report.tests.find((t) => t.hidden)!;
    expect(hidden).toMatchObject({ status: 'failed', message: 'A hidden test got a wrong answer.' });
    expect(hidden.expected).toBeUndefined();
    expect(hidden.actual).toBeUndefined();
  });
});

describe('properties under a seed', () => {
  it('the same seed gives the same counterexample, and the reported seed replays it', async () => {
    const source = fixture('fail-counterexample');
    const first = await gradeSource(fixtureExercise, source, { mode: 'run', seed: 2024 });
    const again = await gradeSource(fixtureExercise, source, { mode: 'run', seed: 2024 });
    const property = (r: GradeReport) => r.tests.find((t) => t.id === 'any-key')!;
    expect(property(first).status).toBe('failed');
    expect(property(first).counterexample).toBeTruthy();
    expect(property(again).counterexample).toBe(property(first).counterexample);
    const replay = await gradeSource(fixtureExercise, source, { mode: 'run', seed: property(first).seed });
    expect(property(replay).counterexample).toBe(property(first).counterexample);
  });

  it('reports a random seed when none is given', async () => {
    const report = await gradeSource(fixtureExercise, fixture('pass'), { mode: 'run' });
    const property = report.tests.find((t) => t.id === 'any-key')!;
    expect(Number.isInteger(property.seed)).toBe(true);
    expect(property.numRuns).toBe(100);
  });
});

describe('results are compared by type', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['NaN', 'return NaN', /expected a number, got NaN/],
    ['the string "2"', 'return "2"', /expected a number, got a string "2"/],
    ['null', 'return null', /expected a number, got null/],
    ['undefined (no return)', 'k.length', /expected a number, got undefined \(is a `return` missing\?\)/],
    ['2n', 'return 2n as any', /got a bigint 2n/],
    ['new Number(2)', 'return new Number(2) as any', /got new Number\(2\)/],
    ['a Promise', 'return Promise.resolve(2) as any', /got a Promise/],
  ];
  for (const [shape, body, message] of cases) {
    it(`${shape} → invalid-result`, async () => {
      const report = await gradeSource(fixtureExercise, `export function partition(k: Uint8Array, n: number): number { ${body} }`, {
        mode: 'run',
        seed: 3,
      });
      const example = report.tests[0];
      expect(example).toMatchObject({ status: 'error', errorKind: 'invalid-result' });
      expect(example.message).toMatch(message);
      expect(report.status).toBe('failed');
    });
  }

  it('a wrong number is a failure with expected vs actual and the Kafka explanation', async () => {
    const expected = partitionForKey(utf8('21'), 6);
    const wrong = (expected + 1) % 6;
    const report = await gradeSource(fixtureExercise, `export function partition(k: Uint8Array, n: number): number { return ${wrong}; }`, {
      mode: 'run',
      seed: 3,
    });
    expect(report.tests[0]).toMatchObject({
      status: 'failed',
      expected: String(expected),
      actual: String(wrong),
      message: `key "21" belongs to t0p${expected}, not t0p${wrong}`,
    });
  });

  it("an exercise's formatResult renders expected and actual (examples and properties), capped; undefined or a throw falls back", async () => {
    const withFormat = (formatResult: (v: unknown) => string | undefined) => ({
      ...fixtureExercise,
      tests: fixtureExercise.tests.map((t) => ({ ...t, formatResult })),
    });
    const source = `export function partition(k: Uint8Array, n: number): number { return k.length === 2 && k[0] === 0x32 ? 99 : n; }`;
    const asTp = (v: unknown) => (typeof v === 'number' ? `t0p${v}` : undefined);
    const report = await gradeSource(withFormat(asTp), source, { mode: 'run', seed: 3 });
    const [example, property] = report.tests;
    expect(example).toMatchObject({ status: 'failed', expected: `t0p${partitionForKey(utf8('21'), 6)}`, actual: 't0p99' });
    expect(property.status).toBe('failed');
    expect(property.expected).toMatch(/^t0p\d+$/);
    expect(property.actual).toMatch(/^t0p\d+$/);

    const fallback = await gradeSource(
      withFormat(() => undefined),
      source,
      { mode: 'run', seed: 3 },
    );
    expect(fallback.tests[0]).toMatchObject({ expected: String(partitionForKey(utf8('21'), 6)), actual: '99' });
    const throwing = await gradeSource(
      withFormat(() => {
        throw new Error('bug');
      }),
      source,
      { mode: 'run', seed: 3 },
    );
    expect(throwing.tests[0]).toMatchObject({ status: 'failed', actual: '99' });
    const long = await gradeSource(
      withFormat(() => 'x'.repeat(5000)),
      source,
      { mode: 'run', seed: 3 },
    );
    expect(long.tests[0].actual).toBe(`${'x'.repeat(1000)}…`);
  });
});

describe('suite errors', () => {
  it('30,000-deep nesting in the source is a syntax error, not a crash', async () => {
    const source = `export function partition(k: Uint8Array, n: number): number { return ${'('.repeat(30_000)}0${')'.repeat(30_000)}; }`;
    const report = await gradeSource(fixtureExercise, source, { mode: 'run' });
    expect(report.status).toBe('error');
    expect(report.error).toMatchObject({ kind: 'syntax', line: 1 });
    expect(report.error!.message).toMatch(/nested more than 400 levels/);
  });

  it('a 30,000-long chain of prefix operators is a syntax error or runs; never a crash', async () => {
    const source = `export function partition(k: Uint8Array, n: number): number { return ${'-'.repeat(1)}${' -'.repeat(30_000)} 0; }`;
    const report = await gradeSource(fixtureExercise, source, { mode: 'run', seed: 3 });
    expect(['error', 'failed', 'passed']).toContain(report.status);
    if (report.status === 'error') expect(['syntax', 'stack']).toContain(report.error!.kind);
  });

  it('a top-level await is a syntax error with its line (the module is a script; nothing waits forever)', async () => {
    const report = await gradeSource(fixtureExercise, `const table = [1];\nawait new Promise(() => {});\n${fixture('pass')}`, {
      mode: 'run',
    });
    expect(report.status).toBe('error');
    expect(report.error).toMatchObject({ kind: 'syntax', line: 2 });
  });

  it('an import is refused when the file is transpiled, at its line and column: the sandbox has no modules', async () => {
    const report = await gradeSource(
      fixtureExercise,
      `// the engine's partitioner\n  import { partitionForKey } from '../engine/index.ts';\nexport const partition = partitionForKey;`,
      { mode: 'run' },
    );
    expect(report.error).toEqual({
      kind: 'syntax',
      line: 2,
      column: 3,
      message: 'Imports are not available in the sandbox: write everything in this one file.',
    });
  });

  it('a namespace holding values is refused at its line and column, with what to write instead', async () => {
    const source = `namespace Util {\n  export const mod = (a: number, n: number) => a % n;\n}\nexport function partition(k: Uint8Array, n: number) { return Util.mod(k.length, n); }`;
    const report = await gradeSource(fixtureExercise, source, { mode: 'run' });
    expect(report.error).toMatchObject({ kind: 'syntax', line: 1, column: 1 });
    expect(report.error!.message).toMatch(/`namespace Util` holds values.*`const Util = \{ … \}`/);
  });

  it('type-only imports and namespaces holding only types compile and run', async () => {
    const source = `import type { Foo } from './types';\nnamespace T { export type N = number }\nexport function partition(k: Uint8Array, n: T.N): number { return k.length % n; }`;
    const report = await gradeSource(fixtureExercise, source, { mode: 'run' });
    expect(report.error).toBeUndefined();
  });

  it('an oversized file is refused before transpiling', async () => {
    const report = await gradeSource(fixtureExercise, `// ${'x'.repeat(300_000)}`, { mode: 'run' });
    expect(report.error).toMatchObject({ kind: 'syntax' });
    expect(report.error!.message).toMatch(/300003 characters long; the limit is 200000/);
  });

  it('captures console output of the module load once, on the report', async () => {
    const report = await gradeSource(fixtureExercise, `console.log('loading');\n${fixture('pass')}`, { mode: 'run', seed: 3 });
    expect(report.console).toBe('loading\n');
    expect(report.tests[0].console).toBe('hashing 2 bytes\n');
  });
});

describe('isolation between tests', () => {
  it('every test starts from a freshly loaded module in which nothing was called yet, the first test included', async () => {
    // Each call counts on a global, on a module-level variable and leaves a mark on two built-in prototypes: the
    // first call of every test must see none of what an earlier test did.
    const counting =
      `(globalThis as any).calls = 0; (globalThis as any).loads = ((globalThis as any).loads ?? 0) + 1; let moduleCalls = 0;\n${fixture('pass')}`.replace(
        "console.log('hashing', keyBytes.length, 'bytes');",
        "console.log('call', ++(globalThis as any).calls, 'of load', (globalThis as any).loads, 'module', ++moduleCalls, 'prototypes', (Array.prototype as any).seen ?? 'clean', (Object.prototype as any).seenToo ?? 'clean'); (Array.prototype as any).seen = 'marked'; (Object.prototype as any).seenToo = 'marked';",
      );
    const report = await gradeSource(fixtureExercise, counting, { mode: 'submit', seed: 5 });
    expect(report.status).toBe('passed');
    expect(report.tests.length).toBeGreaterThan(2);
    expect(report.tests.map((t) => t.console?.split('\n')[0])).toEqual(
      report.tests.map(() => 'call 1 of load 1 module 1 prototypes clean clean'),
    );
  });

  it('a test restored from the snapshot sees no registry symbol, function property, retained heap or console of an earlier one', async () => {
    // Every call marks the runtime-wide Symbol.for registry and the exported function itself; the first call of a
    // test keeps 40 MiB alive in a module-level array (two tests' worth would be over the 64 MiB census limit) and
    // fills the console past its cap, so the host-side console count must start over for the next test too.
    const marking = `let kept: Uint8Array[] = [];\n${fixture('pass')}`.replace(
      "console.log('hashing', keyBytes.length, 'bytes');",
      "console.log('symbol', Symbol.keyFor(Symbol.for('seen')) === 'seen' && (globalThis as any).sym === Symbol.for('seen') ? 'kept' : 'fresh', 'fn', (partition as any).mark ?? 'clean', 'kept', kept.length); (globalThis as any).sym = Symbol.for('seen'); (partition as any).mark = 'marked'; if (kept.length === 0) { kept.push(new Uint8Array(40 << 20).fill(1)); console.log('y'.repeat(400)); }",
    );
    const report = await gradeSource(fixtureExercise, marking, { mode: 'submit', seed: 5, limits: { consoleChars: 300 } });
    expect(report.tests.map((t) => [t.status, t.console?.split('\n')[0]])).toEqual(
      report.tests.map(() => ['passed', 'symbol fresh fn clean kept 0']),
    );
    for (const t of report.tests) expect(t.console).toMatch(/console output cut at 300 characters/);
  });
});

describe('after a host-side failure', () => {
  it('the next test runs in a new module, loaded and snapshotted again, as fresh as the others', async () => {
    // The supervisor's own hook throwing is a host-side failure inside a call: the session is broken, so it must be
    // neither restored nor reused. A dry run with the first test only counts the hook calls up to its end.
    const counting =
      `(globalThis as any).calls = 0; (globalThis as any).loads = ((globalThis as any).loads ?? 0) + 1;\n${fixture('pass')}`.replace(
        "console.log('hashing', keyBytes.length, 'bytes');",
        "console.log('call', ++(globalThis as any).calls, 'of load', (globalThis as any).loads);",
      );
    let calls = 0;
    const firstOnly = { ...fixtureExercise, tests: fixtureExercise.tests.slice(0, 1) };
    await gradeSource(firstOnly, counting, { mode: 'submit', seed: 5, onCallStart: () => void calls++ });
    let seen = 0;
    const report = await gradeSource(fixtureExercise, counting, {
      mode: 'submit',
      seed: 5,
      onCallStart: () => {
        if (++seen === calls + 1) throw new Error('the supervisor failed');
      },
    });
    expect(report.tests.length).toBe(3);
    expect(report.tests.map((t) => t.status)).toEqual(['passed', 'error', 'passed']);
    expect(report.tests[1].message).toMatch(/The sandbox failed and was restarted/);
    expect(report.tests[2].console?.split('\n')[0]).toBe('call 1 of load 1');
  });
});

describe('supervision hooks', () => {
  it('every onCallStart (with a budget within the limits) is followed by onCallEnd, also after a timeout', async () => {
    const events: string[] = [];
    const budgets: number[] = [];
    const hooks = {
      onCallStart: (budgetMs: number) => {
        events.push('start');
        budgets.push(budgetMs);
      },
      onCallEnd: () => events.push('end'),
    };
    await gradeSource(fixtureExercise, fixture('pass'), { mode: 'run', seed: 1, ...hooks });
    await gradeSource(fixtureExercise, fixture('timeout-infinite-loop'), {
      mode: 'run',
      seed: 1,
      limits: { callTimeoutMs: 300 },
      ...hooks,
    });
    expect(events.length).toBeGreaterThan(100);
    expect(events.join(',')).toBe(Array.from({ length: events.length / 2 }, () => 'start,end').join(','));
    expect(Math.max(...budgets)).toBeLessThanOrEqual(2_000);
  });
});

describe("the submission's time budget", () => {
  it('code that is slow on every call stops at the suite budget, and the rest is skipped', async () => {
    // Right answers, 150 ms each: no single call hangs, but 100 property runs would take 15 s.
    const slow = fixture('pass').replace(
      "console.log('hashing', keyBytes.length, 'bytes');",
      'const t = Date.now(); while (Date.now() - t < 150) {}',
    );
    const report = await gradeSource(fixtureExercise, slow, { mode: 'submit', seed: 1, limits: { suiteTimeoutMs: 3_000 } });
    const timedOut = report.tests.find((t) => t.errorKind === 'timeout' && t.status === 'error')!;
    expect(timedOut.message).toBe('The submission used up its whole time budget and was stopped.');
    expect(report.tests.at(-1)).toMatchObject({ status: 'skipped', errorKind: 'timeout' });
  });
});

describe('explainMissingExports', () => {
  const info = (over: Partial<Parameters<typeof explainMissingExports>[1]>) => ({
    found: {},
    other: [],
    defaultExport: null,
    moduleExportsReplaced: false,
    ...over,
  });
  it('names a renamed export', () => {
    expect(explainMissingExports(['partition'], info({ other: ['partitionFor'] }), '')).toBe(
      'Expected an exported function `partition`; the file exports `partitionFor`.',
    );
  });
  it('explains an export that is not a function', () => {
    expect(explainMissingExports(['partition'], info({ found: { partition: 'a number' } }), '')).toBe(
      'Expected an exported function `partition`, but `partition` is a number.',
    );
  });
  it('says so when nothing is exported', () => {
    expect(explainMissingExports(['partition'], info({}), 'const x = 1;')).toBe(
      'Expected an exported function `partition`; the file exports no functions.',
    );
  });
  it('passes when every name is a function', () => {
    expect(explainMissingExports(['partition'], info({ found: { partition: 'function' } }), '')).toBeUndefined();
  });
});

describe('formatReportText', () => {
  it('one line per test, details under failures, a summary', async () => {
    const report = await gradeSource(fixtureExercise, fixture('fail-counterexample'), { mode: 'submit', seed: 42 });
    const text = formatReportText(report);
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe('fixture-partition — submit — failed');
    expect(lines).toContain('✗ key "21", 6 partitions');
    expect(text).toMatch(/✗ any-key|✗ any key, 1–1000 partitions {2}\(seed 42, \d+ runs\)/);
    expect(text).toContain('    counterexample:\n      key [');
    expect(lines).toContain('✓ hidden: key "order-456", 12 partitions  (hidden)');
    expect(lines.at(-1)).toBe('1 passed, 2 failed');
  });

  it('keeps learner text from passing for report lines', () => {
    const text = formatReportText({
      version: 1,
      exerciseId: 'x',
      status: 'failed',
      mode: 'run',
      durationMs: 1,
      tests: [
        {
          id: 't',
          title: 't',
          status: 'failed',
          hidden: false,
          durationMs: 1,
          message: 'boom\n✓ t\n1 passed, 0 failed',
          console: 'a\n✓ fake',
        },
      ],
    });
    expect(text.split('\n').filter((l) => l.startsWith('✓'))).toEqual([]);
    expect(text.trimEnd().split('\n').at(-1)).toBe('0 passed, 1 failed');
  });
});

describe('worker protocol', () => {
  const lookup = (id: string) => (id === fixtureExercise.id ? fixtureExercise : undefined);

  it('answers a grade request with a report for that requestId', async () => {
    const posted: WorkerOutbound[] = [];
    await handleGradeRequest(
      lookup,
      { type: 'grade', requestId: 7, exerciseId: 'fixture-partition', source: fixture('pass'), mode: 'run', seed: 5 },
      (m) => posted.push(m),
    );
    const report = posted.find((m) => m.type === 'report');
    expect(report).toMatchObject({
      type: 'report',
      requestId: 7,
      report: { status: 'passed', mode: 'run', exerciseId: 'fixture-partition' },
    });
    expect(posted.filter((m) => m.type === 'deadline').length).toBeGreaterThan(0);
    expect(posted.at(-1)!.type).toBe('report');
  });

  it('answers an unknown exercise and a malformed request with failed', async () => {
    const posted: WorkerOutbound[] = [];
    await handleGradeRequest(lookup, { type: 'grade', requestId: 8, exerciseId: 'nope', source: '', mode: 'run' }, (m) => posted.push(m));
    await handleGradeRequest(lookup, { type: 'grade', requestId: 9, mode: 'sideways' }, (m) => posted.push(m));
    expect(posted).toEqual([
      { type: 'failed', requestId: 8, message: 'Unknown exercise "nope".' },
      { type: 'failed', requestId: 9, message: 'Malformed grade request.' },
    ]);
  });
});
