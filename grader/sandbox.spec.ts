/**
 * The sandbox against hostile learner code: every case gets a named outcome, never a host exception, and
 * the host never runs learner hooks while reading results (lying valueOf / toJSON / getters / Proxy traps).
 */
import { describe, expect, it } from 'vitest';
import { resolveLimits, type Limits } from './limits.ts';
import { getQuickJS, openSession, type CallResult, type LoadResult } from './sandbox.ts';
import { transpile } from './transpile.ts';
import { PRELUDE_EXTRA } from './sandbox-prelude-extra.ts';
import { Linter } from 'eslint';

const fast = resolveLimits({ callTimeoutMs: 400, loadTimeoutMs: 400 });

async function run(
  source: string,
  args: unknown[] = [],
  limits: Limits = resolveLimits(),
): Promise<{ load: LoadResult; call?: CallResult; console: string }> {
  const js = transpile(source, limits);
  if (!js.ok) throw new Error(`fixture does not transpile: ${js.message}`);
  const { session, load } = openSession(await getQuickJS(), js.code, ['f'], limits);
  try {
    if (!load.ok || load.exports.found.f !== 'function') return { load, console: session?.console() ?? '' };
    const call = session!.call('f', args as never);
    return { load, call, console: session!.console() };
  } finally {
    session?.dispose();
  }
}

async function result(body: string, limits?: Limits): Promise<CallResult> {
  const { load, call } = await run(`export function f(...args: any[]): any {\n${body}\n}`, [], limits);
  expect(load.ok).toBe(true);
  return call!;
}

describe('copy-out of results', () => {
  const plain: Array<[string, string, unknown]> = [
    ['a negative number', 'return -1', -1],
    ['a fraction', 'return 1.5', 1.5],
    ['NaN (kept, judged by compare)', 'return NaN', NaN],
    ['Infinity', 'return Infinity', Infinity],
    ['-0', 'return -0', -0],
    ['undefined', 'return undefined', undefined],
    ['null', 'return null', null],
    ['a string "2"', 'return "2"', '2'],
    ['a Uint8Array', 'return new Uint8Array([1, 255])', new Uint8Array([1, 255])],
    [
      'nested plain data',
      'return { C0: [{ topic: "t0", partition: 1 }], "odd key": [true, null] }',
      { C0: [{ topic: 't0', partition: 1 }], 'odd key': [true, null] },
    ],
    ['an object with a __proto__ key', 'return JSON.parse(\'{"__proto__": 1}\')', JSON.parse('{"__proto__": 1}')],
  ];
  for (const [shape, body, value] of plain) {
    it(`copies ${shape}`, async () => {
      const r = await result(body);
      expect(r).toEqual({ ok: true, value });
      if (r.ok && typeof value === 'number') expect(Object.is(r.value, value)).toBe(true);
    });
  }

  const invalid: Array<[string, string, RegExp]> = [
    ['a bigint', 'return 2n', /^a bigint 2n$/],
    ['a symbol', 'return Symbol("k")', /^a symbol Symbol\(k\)$/],
    ['a function', 'return function partition() {}', /^a function partition$/],
    ['a Proxy with a looping get trap', 'return new Proxy({}, { get() { for (;;) {} }, ownKeys() { for (;;) {} } })', /^a Proxy$/],
    ['a Proxy of an array', 'return new Proxy([1, 2], {})', /^a Proxy$/],
    ['a revocable Proxy', 'return Proxy.revocable({}, {}).proxy', /^a Proxy$/],
    ['a Proxy nested in an array', 'return [1, new Proxy({}, {})]', /^a Proxy \(at \[1\]\)$/],
    [
      'a Proxy deep in an assignment',
      'return { C0: [{ topic: "t0", partition: 0 }, { topic: "t0", partition: new Proxy({}, {}) }] }',
      /^a Proxy \(at \.C0\[1\]\.partition\)$/,
    ],
    [
      'a Map under a key that is no identifier',
      'return { "member 1": [[1], { "t-0": new Map() }] }',
      /^a Map \(at \["member 1"\]\[1\]\["t-0"\]\)$/,
    ],
    ['new Number(2)', 'return new Number(2)', /^new Number\(2\)$/],
    ['new String("2")', 'return new String("2")', /^new String\("2"\)$/],
    ['a Promise', 'return Promise.resolve(2)', /^a Promise$/],
    ['a never-settling Promise', 'return new Promise(() => {})', /^a Promise$/],
    ['a generator', 'return (function* () { yield 2; })()', /^a generator object$/],
    ['a Map', 'return new Map()', /^a Map$/],
    ['a Date', 'return new Date(0)', /^a Date$/],
    ['a class instance', 'class Assignment { x = 1 } return new Assignment()', /^an instance of Assignment$/],
    ['a cyclic object', 'const a: any = { x: 1 }; a.self = a; return a', /^a cyclic object \(at \.self\)/],
    ['a cyclic array', 'const a: any[] = []; a.push(a); return a', /^a cyclic object \(at \[0\]\)/],
    ['a 5,000,000-element array', 'return new Array(5_000_000).fill(0)', /^an array of 5000000 elements, more than the 100000 allowed$/],
    [
      'a 200,000-deep array',
      'let a: any = []; for (let i = 0; i < 200_000; i++) a = [a]; return a',
      /^a value nested more than 64 levels deep/,
    ],
    ['a 10 MB string', 'return "x".repeat(10_000_000)', /^a string of 10000000 characters, more than the 100000 allowed$/],
    [
      'an object with a looping getter',
      'return { get partition() { for (;;) {} } }',
      /^an object whose property is a getter \(at \.partition\)$/,
    ],
    [
      'an array with a getter element',
      'const a = [1]; Object.defineProperty(a, 0, { get() { for (;;) {} }, enumerable: true }); return a',
      /^an array whose element is a getter \(at \[0\]\)$/,
    ],
    ['a Float64Array', 'return new Float64Array(2)', /^a Float64Array$/],
  ];
  for (const [shape, body, message] of invalid) {
    it(`reports ${shape} as invalid-result without running its hooks`, async () => {
      const r = await result(body);
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.kind).toBe('invalid-result');
        expect(r.message).toMatch(message);
      }
    });
  }

  it('copies keys and strings named like Object.prototype members (__proto__, constructor) as plain data', async () => {
    const r = await result(
      `return JSON.parse('{"__proto__": "__proto__", "constructor": ["constructor", "__proto__"], "t0": "__proto__"}')`,
    );
    expect(r.ok).toBe(true);
    if (r.ok) {
      const v = r.value as Record<string, unknown>;
      expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
      expect(Object.getOwnPropertyDescriptor(v, '__proto__')?.value).toBe('__proto__');
      expect(Object.keys(v)).toEqual(['__proto__', 'constructor', 't0']);
      expect(v.constructor).toEqual(['constructor', '__proto__']);
      expect(v.t0).toBe('__proto__');
    }
  });

  it('never runs lying valueOf / toJSON / Symbol.toPrimitive / toString / getters of a returned value', async () => {
    const { call, console: out } = await run(`export function f(): any {
      const hook = (v: unknown) => () => { console.log('hook ran'); return v; };
      const liar = { valueOf: hook(2), toJSON: hook(2), [Symbol.toPrimitive]: hook(2), toString: hook('2') };
      return { liar, get partition() { console.log('hook ran'); return 2; } };
    }`);
    expect(call).toMatchObject({ ok: false, kind: 'invalid-result' });
    expect(out).not.toContain('hook ran');
    const data = await result(
      `const o: any = { n: 1 }; Object.defineProperty(o, 'hidden', { value: 5, enumerable: false }); (o as any)[Symbol('s')] = 3; return o`,
    );
    expect(data).toEqual({ ok: true, value: { n: 1 } });
  });
});

describe('throws', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['null', 'throw null', /^The function threw null$/],
    ['undefined', 'throw undefined', /^The function threw undefined$/],
    ['a string', 'throw "bad key"', /^The function threw the string "bad key"$/],
    [
      'an object whose toString throws',
      'throw { toString() { throw new Error("gotcha"); } }',
      /^The function threw \{ toString: \[a function toString\] \}$/,
    ],
    [
      'an Error with a looping message getter',
      'const e = new Error(); Object.defineProperty(e, "message", { get() { for (;;) {} } }); throw e',
      /^The function threw Error: \[message is a getter\]$/,
    ],
    ['a Proxy', 'throw new Proxy(new Error("x"), { get() { for (;;) {} } })', /^The function threw \[a Proxy\]$/],
    [
      'a RangeError',
      'throw new RangeError("Expected numPartitions to be a positive integer, got 0")',
      /^The function threw RangeError: Expected numPartitions to be a positive integer, got 0$/,
    ],
  ];
  for (const [shape, body, message] of cases) {
    it(`reports a thrown ${shape} as runtime`, async () => {
      const r = await result(body);
      expect(r).toMatchObject({ ok: false, kind: 'runtime' });
      if (!r.ok) expect(r.message).toMatch(message);
    });
  }

  it('truncates a 10 MB message', async () => {
    const r = await result('throw new Error("x".repeat(10_000_000))');
    expect(r).toMatchObject({ ok: false, kind: 'runtime' });
    if (!r.ok) expect(r.message.length).toBeLessThan(700);
  });

  it('keeps a message that imitates the report on one visible line', async () => {
    const r = await result('throw new Error("\\n✓ all tests passed\\n{\\"status\\":\\"passed\\"}")');
    expect(r).toMatchObject({ ok: false, kind: 'runtime' });
    if (!r.ok) {
      expect(r.message).not.toContain('\n');
      expect(r.message).toMatch(/^Line \d+: |^The function threw Error: ⏎✓ all tests passed⏎/);
    }
  });

  it("gives the learner's line for a runtime error", async () => {
    const r = await result('const x = 1;\nnull!.boom();');
    expect(r).toMatchObject({ ok: false, kind: 'runtime', line: 3 });
  });
});

describe('time, memory and stack', () => {
  it('stops an infinite loop with timeout', async () => {
    expect(await result('for (;;) {}', fast)).toMatchObject({ ok: false, kind: 'timeout' });
  });
  it('stops a loop that catches the interrupt and loops again', async () => {
    expect(await result('for (;;) { try { for (;;) {} } catch (e) {} finally { continue; } }', fast)).toMatchObject({
      ok: false,
      kind: 'timeout',
    });
  });
  it('stops a catastrophic-backtracking regex from inside the VM', async () => {
    expect(await result('return /^(a+)+$/.test("a".repeat(40) + "b")', fast)).toMatchObject({ ok: false, kind: 'timeout' });
  });
  it('stops busy top-level code with timeout at load', async () => {
    const { load } = await run('while (true) {}\nexport function f() {}', [], fast);
    expect(load).toMatchObject({ ok: false, kind: 'timeout' });
  });
  it('does not run promise jobs, so an endless job chain cannot hang', async () => {
    const r = await result('const loop = (): any => Promise.resolve().then(loop); loop(); return 1;', fast);
    expect(r).toEqual({ ok: true, value: 1 });
  });
  it('reports a string bomb as memory', async () => {
    expect(await result('let s = "x"; for (;;) s += s;')).toMatchObject({ ok: false, kind: 'memory' });
  });
  it('reports one huge ArrayBuffer as memory', async () => {
    expect(await result('return new ArrayBuffer(1 << 30).byteLength')).toMatchObject({ ok: false, kind: 'memory' });
  });
  it('reports a deep-object bomb as memory', async () => {
    // Many small objects take a while to reach 64 MB; a long clock keeps this about memory, not time.
    const patient = resolveLimits({ callTimeoutMs: 60_000 });
    expect(await result('let o: any = {}; for (;;) o = { o, pad: [1, 2, 3, 4, 5, 6, 7, 8] };', patient)).toMatchObject({
      ok: false,
      kind: 'memory',
    });
  });
  it('stops a typed-array bomb as memory before the WASM memory grows by more than the limit', async () => {
    // QuickJS polls its interrupt handler too rarely to see 8 MiB blocks pile up; the growth gate sees each one.
    const memory = (await getQuickJS()).getWasmMemory();
    const before = memory.buffer.byteLength;
    const r = await result('const hoard: Uint8Array[] = []; for (;;) hoard.push(new Uint8Array(8 * 1024 * 1024));');
    expect(r).toMatchObject({ ok: false, kind: 'memory' });
    expect(memory.buffer.byteLength - before).toBeLessThanOrEqual(resolveLimits().memoryBytes);
  });
  it('reports memory when the code catches out of memory and carries on, or throws something else', async () => {
    // On a module whose WASM memory already has ~56 MiB of free headroom from an earlier session, the learner's
    // allocations first reuse that headroom without growing the WASM memory: the out of memory the code catches must
    // still be seen by the host (every allocation failure is the growth gate's, or the census sees the heap).
    expect(
      await result('const kept: Uint8Array[] = []; for (let i = 0; i < 7; i++) kept.push(new Uint8Array(8 << 20)); return kept.length;'),
    ).toEqual({ ok: true, value: 7 });
    const bomb =
      'const hoard: ArrayBuffer[] = []; for (let i = 0; i < 1000; i++) { try { hoard.push(new ArrayBuffer(1 << 20)); } catch (e) { CAUGHT } }';
    expect(await result(bomb.replace('CAUGHT', ''))).toMatchObject({ ok: false, kind: 'memory' });
    expect(await result(bomb.replace('CAUGHT', 'throw new Error("no more memory, sorry");'))).toMatchObject({ ok: false, kind: 'memory' });
    // One allocation far over the limit, caught: QuickJS's own malloc limit used to refuse it unseen by the host.
    const huge = 'try { return new ArrayBuffer(1 << 30).byteLength; } catch (e) { CAUGHT }';
    expect(await result(huge.replace('CAUGHT', 'return 1;'))).toMatchObject({ ok: false, kind: 'memory' });
    expect(await result(huge.replace('CAUGHT', 'throw new Error("no more memory, sorry");'))).toMatchObject({ ok: false, kind: 'memory' });
  });
  it('lets typed arrays under the limit through (48 MiB of a 64 MiB limit)', async () => {
    expect(
      await result(
        'const kept: Uint8Array[] = []; for (let i = 0; i < 6; i++) kept.push(new Uint8Array(8 * 1024 * 1024)); return kept.length;',
      ),
    ).toEqual({ ok: true, value: 6 });
  });
  it('reports recursion as stack', async () => {
    expect(await result('const r = (n: number): number => r(n + 1) + 1; return r(0);')).toMatchObject({ ok: false, kind: 'stack' });
  });
  it('reports mutual recursion as stack', async () => {
    expect(
      await result('function a(n: number): number { return b(n) } function b(n: number): number { return a(n) } return a(1);'),
    ).toMatchObject({ ok: false, kind: 'stack' });
  });
  it('works normally in a fresh session after each of those', async () => {
    expect(await result('return 6 * 7')).toEqual({ ok: true, value: 42 });
  });
});

describe('escape attempts find nothing', () => {
  it('sees only ECMAScript built-ins and console', async () => {
    const r = await result(`
      const probes: Record<string, string> = {};
      for (const name of ['process', 'fetch', 'XMLHttpRequest', 'window', 'document', 'localStorage', 'postMessage',
        'importScripts', 'WebAssembly', 'Atomics', 'setTimeout', 'queueMicrotask', 'Deno', 'Bun', 'global', 'self', 'navigator']) {
        probes[name] = typeof (globalThis as any)[name];
      }
      probes.functionThis = typeof Function('return this')().process;
      probes.constructorChain = ({}).constructor.constructor('return typeof process')();
      probes.indirectEval = (0, eval)('typeof process');
      return probes;`);
    expect(r.ok).toBe(true);
    if (r.ok) {
      const probes = r.value as Record<string, string>;
      for (const [name, type] of Object.entries(probes)) expect(type, name).toBe('undefined');
    }
  });
  it('nothing called require exists, and import() rejects without reaching the host', async () => {
    expect(await result('return typeof require')).toEqual({ ok: true, value: 'undefined' });
    expect(await result('return typeof import("fs")')).toEqual({ ok: true, value: 'object' });
  });
  it("a stack trace taken in learner code holds only the learner's frames, at load and in a call", async () => {
    const { load, call } = await run(
      `const atLoad = new Error('load').stack!;\nfunction inner() { return new Error('call').stack!; }\nexport function f(): string[] { return [atLoad, inner()]; }`,
      [],
    );
    expect(load.ok).toBe(true);
    expect(call).toMatchObject({ ok: true });
    const [atLoad, inCall] = (call as { value: string[] }).value;
    for (const stack of [atLoad, inCall]) {
      const frames = stack.split('\n').filter((l) => l.trim().startsWith('at '));
      expect(frames.length).toBeGreaterThan(0);
      for (const frame of frames) expect(frame).toMatch(/\(submission\.ts:\d+(:\d+)?\)$/);
    }
    expect(inCall).toMatch(/at inner \(submission\.ts:2/);
  });
  it('SharedArrayBuffer exists but there is no Atomics.wait to block on', async () => {
    expect(await result('return [typeof SharedArrayBuffer, typeof Atomics]')).toEqual({ ok: true, value: ['function', 'undefined'] });
  });
});

describe("plain results written by the VM's JSON.stringify (the fast path) run no learner hook", () => {
  // Each case plants one hook that JSON.stringify would reach if the fast path ran on it, and returns plain-looking
  // data; `hooks()` then reports whether any planted hook ran while the grader read the result.
  async function readWith(plant: string, value: string): Promise<{ call: CallResult; ran: CallResult }> {
    const js = transpile(
      `let ran = 0;\nconst hook = () => { ran++; return 'hijacked'; };\n${plant}\nexport function f(): any { return ${value}; }\nexport function hooks() { return ran; }`,
      resolveLimits(),
    );
    if (!js.ok) throw new Error(js.message);
    const { session, load } = openSession(await getQuickJS(), js.code, ['f', 'hooks'], resolveLimits());
    try {
      expect(load.ok).toBe(true);
      const call = session!.call('f', []);
      return { call, ran: session!.call('hooks', []) };
    } finally {
      session?.dispose();
    }
  }
  const nested = `{ a: [{ b: 1 }, [2, [3]]], c: { d: 'x' } }`;
  const cases: Array<[string, string, string, unknown]> = [
    [
      'an index setter on Object.prototype (JSON.stringify pushes onto an internal array)',
      `for (let i = 0; i < 8; i++) Object.defineProperty(Object.prototype, i, { get: hook, set: hook, configurable: true });`,
      nested,
      { a: [{ b: 1 }, [2, [3]]], c: { d: 'x' } },
    ],
    [
      "an index setter on Object.prototype only at the value's deepest level (index 3: root, a, a[1], a[1][1])",
      `Object.defineProperty(Object.prototype, 3, { get: hook, set: hook, configurable: true });`,
      nested,
      { a: [{ b: 1 }, [2, [3]]], c: { d: 'x' } },
    ],
    [
      'an index setter on Array.prototype',
      `for (let i = 0; i < 8; i++) Object.defineProperty(Array.prototype, i, { get: hook, set: hook, configurable: true });`,
      nested,
      { a: [{ b: 1 }, [2, [3]]], c: { d: 'x' } },
    ],
    [
      'a toJSON getter on Object.prototype',
      `Object.defineProperty(Object.prototype, 'toJSON', { get: hook, configurable: true });`,
      nested,
      { a: [{ b: 1 }, [2, [3]]], c: { d: 'x' } },
    ],
    ['a toJSON on Array.prototype', `(Array.prototype as any).toJSON = hook;`, '[[1], [2]]', [[1], [2]]],
    [
      'a toJSON on a prototype put under Array.prototype',
      `Object.setPrototypeOf(Array.prototype, { toJSON: hook });`,
      '{ list: [1, 2] }',
      { list: [1, 2] },
    ],
    [
      'an own non-enumerable toJSON',
      `const o: any = { n: 1 }; Object.defineProperty(o, 'toJSON', { value: hook });`,
      '{ o }',
      { o: { n: 1 } },
    ],
    ['an own toJSON on an array', `const l: any = [1]; l.toJSON = hook;`, '{ l }', { l: [1] }],
    [
      'an array subclass with toJSON',
      `class L extends Array { toJSON() { return hook(); } }\nconst l = L.from([1, 2]);`,
      '{ l }',
      { l: [1, 2] },
    ],
    [
      'a Symbol.toStringTag getter on Object.prototype',
      `Object.defineProperty(Object.prototype, Symbol.toStringTag, { get: hook, configurable: true });`,
      nested,
      { a: [{ b: 1 }, [2, [3]]], c: { d: 'x' } },
    ],
    [
      'a boxed Number whose prototype is Object.prototype, with valueOf and toString replaced',
      `function F() {}\nF.prototype = Object.prototype;\nconst boxed = Reflect.construct(Number, [5], F);\nObject.prototype.valueOf = hook;\nObject.prototype.toString = hook;`,
      '{ boxed }',
      { boxed: {} },
    ],
  ];
  it.each(cases)('%s', async (_name, plant, value, expected) => {
    const { call, ran } = await readWith(plant, value);
    expect(call).toEqual({ ok: true, value: expected });
    expect(ran).toEqual({ ok: true, value: 0 });
  });
  it('a Uint8Array whose prototype is Object.prototype still comes back as a Uint8Array', async () => {
    const { call } = await readWith('', `{ key: Object.setPrototypeOf(new Uint8Array([1, 2]), Object.prototype) }`);
    expect(call).toEqual({ ok: true, value: { key: new Uint8Array([1, 2]) } });
  });
  it('reads plain data exactly: key order, odd keys, lone surrogates, -0 and undefined nested in objects', async () => {
    const { call } = await readWith(
      '',
      `{ 2: 'two', b: '\\ud800x', 1: [0.1, 1e21, -5], ['__proto__']: 'p', nested: { z: -0, u: undefined, n: null } }`,
    );
    expect(call).toMatchObject({ ok: true });
    const v = (call as { value: Record<string, unknown> }).value;
    expect(Object.keys(v)).toEqual(['1', '2', 'b', '__proto__', 'nested']);
    expect(v.b).toBe('\ud800x');
    expect(v[1]).toEqual([0.1, 1e21, -5]);
    expect(Object.getOwnPropertyDescriptor(v, '__proto__')?.value).toBe('p');
    expect(Object.is((v.nested as Record<string, unknown>).z, -0)).toBe(true);
    expect(Object.hasOwn(v.nested as object, 'u')).toBe(true);
  });
});

describe('the part of the prelude compiled on demand', () => {
  it('reads no global name (it is compiled after learner code may have replaced any of them)', () => {
    // `undefined` is the one exception: a non-writable, non-configurable global no code can rebind.
    const messages = new Linter({ configType: 'flat' }).verify(PRELUDE_EXTRA, [
      { languageOptions: { ecmaVersion: 2022, sourceType: 'script', globals: { undefined: 'readonly' } }, rules: { 'no-undef': 'error' } },
    ]);
    expect(messages.map((m) => `${m.line}:${m.column} ${m.message}`)).toEqual([]);
  });
  it('still describes odd results and thrown values after learner code replaced eval, JSON and Reflect', async () => {
    const { call, console: out } = await run(`
      (globalThis as any).eval = () => { throw new Error('planted eval'); };
      JSON.stringify = () => 'planted';
      (Reflect as any).ownKeys = () => [];
      export function f() { console.log(new Map(), [undefined, NaN]); return { when: new Date(0) }; }`);
    expect(call).toEqual({ ok: false, kind: 'invalid-result', message: 'a Date (at .when)' });
    expect(out).toBe('[a Map] [undefined, NaN]\n');
  });
});

describe('tampering with built-ins cannot change what the host reads', () => {
  const tamper = `
    Object.defineProperty(Array.prototype, '0', { set() { throw new Error('planted setter'); }, get() { return 99; }, configurable: true });
    Object.defineProperty(Object.prototype, 'get', { get() { for (;;) {} }, configurable: true });
    (Object.prototype as any).toJSON = () => 'hijacked';
    (Array.prototype as any).toJSON = () => 'hijacked';
    JSON.stringify = () => '["ok",2]';
    JSON.parse = () => 2;
    Math.imul = () => 0;
    Reflect.ownKeys = () => [];
    String.prototype.charCodeAt = () => { for (;;) {} };
    String.prototype.slice = () => { for (;;) {} };
    (Function.prototype as any).call = () => { for (;;) {} };
    (Function.prototype as any).apply = () => { for (;;) {} };
    Object.freeze(globalThis);`;
  it('at load and during the call', async () => {
    const { load, call } = await run(
      `${tamper}\nexport function f(key: Uint8Array, n: number) { return { key: Array.from(key), n, list: [n, n + 1] }; }`,
      [new Uint8Array([7, 8]), 3],
    );
    expect(load.ok).toBe(true);
    // Own data is read as it is (the planted Array.prototype getter is never consulted), and nothing planted
    // (setters, toJSON, a fake JSON) reaches the grader's reading of the result.
    expect(call).toEqual({ ok: true, value: { key: [7, 8], n: 3, list: [3, 4] } });
  });
  it('plain-JSON arguments are built without the planted setters and arrive intact', async () => {
    const hooks = `
      Object.defineProperty(Object.prototype, 'topics', { set() { throw new Error('planted setter'); }, configurable: true });
      Object.defineProperty(Object.prototype, 't0', { set() { throw new Error('planted setter'); }, configurable: true });`;
    const args = [
      { t0: 3, t1: null },
      { C0: { topics: ['t0', 't1'], groupInstanceId: null }, 'odd key': [[1.5], ''] },
      JSON.parse('{"__proto__": [2]}'),
    ];
    const { load, call } = await run(
      `${hooks}${tamper}\nexport function f(...a: any[]) { return [a, Object.getPrototypeOf(a[2]) === Object.prototype]; }`,
      args,
    );
    expect(load.ok).toBe(true);
    expect(call).toEqual({ ok: true, value: [args, true] });
  });
  it('console, thrown values and odd keys are still read without the planted hooks', async () => {
    const { call, console: out } = await run(
      `${tamper}\nconsole.log({ 'odd key': 'x'.repeat(3000) });\nexport function f() { throw new Error('m'.repeat(5000)); }`,
    );
    expect(call).toMatchObject({ ok: false, kind: 'runtime' });
    expect(out).toMatch(/^\{ "odd key": "x{200}…" \}\n$/);
  });
});

describe('isolation', () => {
  it('no state survives between sessions', async () => {
    const src =
      'let calls = 0; (globalThis as any).leak = ((globalThis as any).leak ?? 0) + 1;\nexport function f() { calls++; return [calls, (globalThis as any).leak]; }';
    expect((await run(src)).call).toEqual({ ok: true, value: [1, 1] });
    expect((await run(src)).call).toEqual({ ok: true, value: [1, 1] });
  });
  it('arguments arrive as fresh copies, a Uint8Array as a real Uint8Array', async () => {
    const key = new Uint8Array([1, 2, 3]);
    const { call } = await run(
      'export function f(k: Uint8Array, o: any) { const was = [k instanceof Uint8Array, k.length, o.a[0]]; k[0] = 42; o.a[0] = 42; return was; }',
      [key, { a: [5] }],
    );
    expect(call).toEqual({ ok: true, value: [true, 3, 5] });
    expect(key[0]).toBe(1);
  });
  it('arguments that JSON cannot carry exactly (-0, NaN, undefined, Uint8Array) keep their values', async () => {
    const args = [{ a: -0, b: NaN, c: [undefined, Infinity], d: new Uint8Array([9]) }, [1, 2], -0];
    const { call } = await run(
      'export function f(o: any, list: number[], z: number) { return [Object.is(o.a, -0), o.b, o.c, list, Object.is(z, -0), o.d instanceof Uint8Array]; }',
      args,
    );
    expect(call).toEqual({ ok: true, value: [true, NaN, [undefined, Infinity], [1, 2], true, true] });
  });
});

describe('console', () => {
  it('captures log, info, warn and error without running hooks of logged objects', async () => {
    const { console: out } = await run(
      'console.log("load", 1);\nexport function f() { console.info({ a: [1, "x"] }); console.warn(new Proxy({}, {})); console.error({ get x() { for (;;) {} } }); return 0; }',
    );
    expect(out).toBe('load 1\n{ a: [1, "x"] }\nwarn: [a Proxy]\nerror: { x: [getter] }\n');
  });
  it('caps a console flood and says so', async () => {
    const { call, console: out } = await run('export function f() { for (let i = 0; i < 100000; i++) console.log("spam", i); return 1; }');
    expect(call).toEqual({ ok: true, value: 1 });
    expect(out.length).toBeLessThan(resolveLimits().consoleChars + 100);
    expect(out).toMatch(/console output cut at 8000 characters\)$/);
  });
});
