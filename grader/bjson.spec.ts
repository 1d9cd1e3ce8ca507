/**
 * The fast copies across the sandbox boundary (bjson.ts, issue 13), checked against the real QuickJS VM: arguments
 * written by writeArgs arrive as the same values (the learner's function echoes them back), results read by
 * readResult equal what the prelude's own reader returns, and everything the fast path must not take still gets the
 * prelude's refusal. A QuickJS upgrade that changes the binary format fails here.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Plain } from './exercise-api.ts';
import { readResult, writeArgs } from './bjson.ts';
import { resolveLimits } from './limits.ts';
import { getQuickJS, openSession, type SandboxSession } from './sandbox.ts';
import { transpile } from './transpile.ts';
import { acquireModule, releaseModule, type DedicatedModule } from './vm-pool.ts';

const SOURCE = `
export function echo(...args: unknown[]): unknown { return args; }
export function same(a: unknown): unknown { return a; }
// the prelude's own reader, for comparison: JSON text of the result, or what it refused
export function viaJson(a: unknown): string { return JSON.stringify(a); }
export function make(kind: string): unknown {
  class Assignment { x = 1; }
  const o: any = { a: 1 };
  switch (kind) {
    case 'instance': return { nested: [new Assignment()] };
    case 'created': return [Object.create({ inherited: 1 })];
    case 'getter': { let n = 0; return { get a() { n++; (globalThis as any).reads = n; return n; } }; }
    case 'hidden-getter': { const a = [{ x: 1 }]; Object.defineProperty(a, 0, { get() { (globalThis as any).reads = 1; return { x: 2 }; }, enumerable: false }); return a; }
    case 'proto-index': { Object.defineProperty(Object.prototype, '1', { get() { (globalThis as any).reads = 1; return { bad: true }; }, configurable: true }); return [{ a: 1 }, , { b: 2 }]; }
    case 'cycle': o.self = o; return o;
    case 'shared': { const x = { v: 1 }; return [x, x]; }
    case 'shared-deep': { const processed: any = { 't0-0': { offset: 3 } }; const b = new Uint8Array([1]); return { state: { processed }, commit: processed, b, again: [b] }; }
    case 'shared-instance': { class P { x = 1; } const p = new P(); return { a: {}, b: [p, p] }; }
    case 'shared-too-deep': { let d: any = 1; for (let i = 0; i < 40; i++) d = [d]; return [d, [[[[[[[[[[[[[[[[[[[[[[[[[[[[d]]]]]]]]]]]]]]]]]]]]]]]]]]]]]; }
    case 'date': return { when: new Date(0) };
    case 'map': return new Map();
    case 'null-proto': { const n = Object.create(null); n.k = [1, 2]; return n; }
    case 'proto-key': return JSON.parse('{"__proto__": {"x": 1}, "b": 2}');
    case 'holes': return [1, , 3];
    case 'u8-view': return new Uint8Array([9, 8, 7, 6]).subarray(1, 3);
    case 'wide': return { 'ключ': 'значение €', lone: '\\ud800x', latin: '\\u0080\\u00ff' };
    case 'numbers': return [0, -0, 1.5, -2147483648, 2147483647, 2147483648, NaN, Infinity, -Infinity, undefined, null, true, false];
    case 'deep': { let d: any = 1; for (let i = 0; i < 70; i++) d = [d]; return d; }
    default: return kind;
  }
}
export function reads(): unknown { return (globalThis as any).reads ?? 0; }
`;

let vm: DedicatedModule;
let session: SandboxSession;
const limits = resolveLimits();

beforeAll(async () => {
  const js = transpile(SOURCE, limits);
  if (!js.ok) throw new Error(js.message);
  vm = await acquireModule();
  const opened = openSession(vm.quickjs, js.code, ['echo', 'same', 'viaJson', 'make', 'reads'], limits);
  if (!opened.session || !opened.load.ok) throw new Error('fixture did not load');
  session = opened.session;
  expect(session.takeSnapshot(['echo', 'same', 'viaJson', 'make', 'reads'])).toBe(true);
});
afterAll(() => {
  session.restore();
  session.dispose();
  releaseModule(vm);
});

/** Plain values as exercises pass them (keys include integer-like, `__proto__`, non-Latin-1 and empty ones). */
const plainValue: fc.Arbitrary<Plain> = fc.letrec<{ v: Plain }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
    fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !Object.is(d, -0)),
    fc.string({ unit: 'binary', maxLength: 12 }),
    fc.uint8Array({ maxLength: 40 }),
    fc.array(tie('v'), { maxLength: 5 }),
    fc.dictionary(fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('0', '17', '4294967296', '__proto__', 'ключ', '')), tie('v'), {
      maxKeys: 5,
    }),
  ),
})).v;

describe('writeArgs / readResult through the real VM', () => {
  it('any Plain arguments arrive unchanged and come back unchanged (fast path both ways)', () => {
    fc.assert(
      fc.property(fc.array(plainValue, { maxLength: 4 }), (args) => {
        const result = session.call('echo', args);
        expect(result).toEqual({ ok: true, value: args });
      }),
      { numRuns: 300, seed: 13 },
    );
  });

  it('a plain-data result equals what JSON.stringify in the VM makes of it', () => {
    fc.assert(
      fc.property(
        plainValue.filter((v) => !hasBytes(v)),
        (value) => {
          const fast = session.call('same', [value]);
          const json = session.call('viaJson', [value]);
          if (!fast.ok || !json.ok) throw new Error('call failed');
          expect(fast.value).toEqual(JSON.parse(json.value as string));
        },
      ),
      { numRuns: 200, seed: 14 },
    );
  });

  it('reads numbers exactly: -0, NaN, ±Infinity, int32 edges, floats, undefined, null, booleans', () => {
    const r = session.call('make', ['numbers']);
    expect(r.ok).toBe(true);
    const v = (r as { value: unknown[] }).value;
    expect(Object.is(v[1], -0)).toBe(true);
    expect(v).toEqual([0, -0, 1.5, -2147483648, 2147483647, 2147483648, NaN, Infinity, -Infinity, undefined, null, true, false]);
  });

  it('keeps strings exactly (wide, lone surrogates, U+0080–U+00FF), a __proto__ key as an own key, holes as undefined, a Uint8Array view as its bytes', () => {
    expect(session.call('make', ['wide'])).toEqual({ ok: true, value: { ключ: 'значение €', lone: '\ud800x', latin: '\u0080\u00ff' } });
    const proto = session.call('make', ['proto-key']);
    expect(proto.ok && Object.getOwnPropertyNames(proto.value)).toEqual(['__proto__', 'b']);
    expect(proto.ok && Object.getPrototypeOf(proto.value)).toBe(Object.prototype);
    expect(session.call('make', ['holes'])).toEqual({ ok: true, value: [1, undefined, 3] });
    expect(session.call('make', ['u8-view'])).toEqual({ ok: true, value: new Uint8Array([8, 7]) });
    expect(session.call('make', ['null-proto'])).toEqual({ ok: true, value: { k: [1, 2] } });
  });

  it('leaves the refusals to the prelude, in its words, and runs no learner getter', () => {
    const bad = (kind: string) => session.call('make', [kind]);
    expect(bad('instance')).toEqual({ ok: false, kind: 'invalid-result', message: 'an instance of Assignment (at .nested[0])' });
    expect(bad('created')).toMatchObject({ ok: false, kind: 'invalid-result', message: expect.stringMatching(/custom prototype/) });
    expect(bad('getter')).toMatchObject({ ok: false, kind: 'invalid-result', message: expect.stringMatching(/getter/) });
    expect(bad('cycle')).toMatchObject({ ok: false, kind: 'invalid-result', message: expect.stringMatching(/^a cyclic object/) });
    expect(bad('date')).toEqual({ ok: false, kind: 'invalid-result', message: 'a Date (at .when)' });
    expect(bad('map')).toEqual({ ok: false, kind: 'invalid-result', message: 'a Map' });
    expect(bad('deep')).toMatchObject({ ok: false, kind: 'invalid-result', message: expect.stringMatching(/nested more than 64 levels/) });
    // a non-enumerable getter on an array index reads as a hole (JS_WriteObject skips it), and is not run;
    // nor is an index getter on Object.prototype reached through a hole
    expect(bad('hidden-getter')).toEqual({ ok: true, value: [undefined] });
    expect(session.call('reads', [])).toEqual({ ok: true, value: 0 });
    const viaHole = bad('proto-index');
    expect(viaHole).toEqual({ ok: true, value: [{ a: 1 }, undefined, { b: 2 }] });
    expect(session.call('reads', [])).toEqual({ ok: true, value: 0 });
    session.restore();
  });

  it('copies a shared object once per place it appears, as the prelude does, and counts its depth where it appears again', () => {
    const shared = session.call('make', ['shared']);
    expect(shared).toEqual({ ok: true, value: [{ v: 1 }, { v: 1 }] });
    const [a, b] = (shared as { value: object[] }).value;
    expect(a).not.toBe(b);
    expect(session.call('make', ['shared-deep'])).toEqual({
      ok: true,
      value: {
        state: { processed: { 't0-0': { offset: 3 } } },
        commit: { 't0-0': { offset: 3 } },
        b: new Uint8Array([1]),
        again: [new Uint8Array([1])],
      },
    });
    expect(session.call('make', ['shared-instance'])).toEqual({
      ok: false,
      kind: 'invalid-result',
      message: 'an instance of P (at .b[0])',
    });
    expect(session.call('make', ['shared-too-deep'])).toMatchObject({
      ok: false,
      message: expect.stringMatching(/nested more than 64 levels/),
    });
  });
});

/** What JS_WriteObject (quickjs-emscripten's encodeBinaryJSON) makes of `expression`, in a plain QuickJS context. */
async function written(expression: string): Promise<Uint8Array> {
  const ctx = (await getQuickJS()).newContext();
  try {
    const value = ctx.unwrapResult(ctx.evalCode(`(${expression})`));
    const encoded = ctx.encodeBinaryJSON(value);
    const bytes = ctx.getArrayBuffer(encoded);
    const copy = bytes.value.slice();
    bytes.dispose();
    encoded.dispose();
    value.dispose();
    return copy;
  } finally {
    ctx.dispose();
  }
}

describe('readResult on what JS_WriteObject wrote', () => {
  it('takes shared objects and Uint8Arrays itself (copies, counted where they appear again) and leaves a cycle to the prelude', async () => {
    const shared = readResult(
      await written('(() => { const p = { a: [1] }; const b = new Uint8Array([7, 8]); return { s: { p }, c: p, b, d: [b] }; })()'),
      1000,
      64,
    );
    expect(shared).toEqual({
      value: { s: { p: { a: [1] } }, c: { a: [1] }, b: new Uint8Array([7, 8]), d: [new Uint8Array([7, 8])] },
      objects: true,
      // the root, s, p, p.a, b and its buffer, d: each numbered once by JS_WriteObject, shared or not
      objectCount: 7,
      // where the objects are, for the prelude's prototype check: s, s.p and c (not the arrays of numbers or bytes)
      skeleton: ['s', ['p', 0], 'c', 0],
    });
    const v = shared!.value as { s: { p: object }; c: object };
    expect(v.c).not.toBe(v.s.p);
    // [p, p]: the array 1 + 2, and p = { a: [1] } (1, the key 1, the array 1 + 1, the number 1) twice: 3 + 5 + 5 = 13
    expect(readResult(await written('(() => { const p = { a: [1] }; return [p, p]; })()'), 13, 64)).not.toBeNull();
    expect(readResult(await written('(() => { const p = { a: [1] }; return [p, p]; })()'), 12, 64)).toBeNull();
    expect(readResult(await written('(() => { const o = { x: 1 }; o.self = o; return o; })()'), 1000, 64)).toBeNull();
    // a subtree 3 deep shared at depth 1 and again at depth 62: 62 + 2 is past the 64 allowed
    const deep = '(() => { const t = [[[1]]]; let d = [t]; for (let i = 0; i < 61; i++) d = [d]; return [t, d]; })()';
    expect(readResult(await written(deep), 100_000, 64)).toBeNull();
    expect(readResult(await written(deep), 100_000, 70)).not.toBeNull();
    // an array of arrays of objects: the skeleton goes down to each object by index
    expect(readResult(await written('{ C0: [{ t: 0 }, 1, [{ t: 1 }]], n: [2] }'), 1000, 64)?.skeleton).toEqual(['C0', [0, 0, 2, [0, 0]]]);
  });
});

describe('readResult on bytes it must not take', () => {
  it('returns null (the prelude decides) for another format version, trailing bytes, truncation, or more than the budget', () => {
    const ok = Uint8Array.from([5, 0, 9, 2, 5, 2, 7, 2, 0x78]); // [1, "x"]
    expect(readResult(ok, 100, 64)).toEqual({ value: [1, 'x'], objects: false, objectCount: 1, skeleton: 0 });
    expect(readResult(Uint8Array.from([4, ...ok.slice(1)]), 100, 64)).toBeNull();
    expect(readResult(Uint8Array.from([...ok, 1]), 100, 64)).toBeNull();
    expect(readResult(ok.slice(0, -1), 100, 64)).toBeNull();
    expect(readResult(ok, 5, 64)).toBeNull(); // the array (1 + 2 elements) and its number (1) fit in 5; the string (1 + 1) does not
    expect(readResult(ok, 6, 64)).not.toBeNull();
  });

  it('writeArgs refuses what is not Plain data, naming it as the exercise’s bug', () => {
    expect(() => writeArgs([new Map()])).toThrow(TypeError);
    expect(() => writeArgs([() => 1])).toThrow(/got function/);
  });
});

function hasBytes(v: Plain): boolean {
  if (v instanceof Uint8Array) return true;
  if (Array.isArray(v)) return v.some(hasBytes);
  if (v !== null && typeof v === 'object') return Object.values(v).some(hasBytes);
  return false;
}
