/**
 * The host-side prototype check (heap-walk.ts) against the real QuickJS build: its offsets hold (the probe passes),
 * it answers "plain" exactly when it should on generated values — plain objects, null-prototype objects, arrays,
 * shared objects, and the cases it must leave to the VM: class instances, Object.create({}), arrays shorter than
 * their length or with holes, objects behind a symbol key — and a submission's results are the same, value or
 * refusal word for word, with the walk on and off.
 */
import fc from 'fast-check';
import type { QuickJSHandle } from 'quickjs-emscripten-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readResult } from './bjson.ts';
import { heapWalkEnabled, objectAt, plainInHeap, setHeapWalk } from './heap-walk.ts';
import { resolveLimits } from './limits.ts';
import { getQuickJS, openSession, type SandboxSession } from './sandbox.ts';
import { transpile } from './transpile.ts';
import { acquireModule, releaseModule, type DedicatedModule } from './vm-pool.ts';

/** A value to build in the VM: primitives, or a node saying how to make an object. */
type Desc =
  | number
  | string
  | null
  | { t: 'obj' | 'inst' | 'nullproto'; e: [string, Desc][] }
  | { t: 'arr' | 'long'; i: Desc[] }
  | { t: 'hidden'; e: [string, Desc][]; h: Desc }
  | { t: 'sym'; e: [string, Desc][]; s: Desc }
  | { t: 'twice'; x: Desc }
  | { t: 'created' }
  | { t: 'holes' };

/** Builds a Desc in the VM (plain JavaScript: also the learner module of the end-to-end test). */
const BUILD = `function build(d) {
  if (d === null || typeof d !== 'object') return d;
  const fill = (o, e) => {
    for (const [k, v] of e) Object.defineProperty(o, k, { value: build(v), enumerable: true, writable: true, configurable: true });
    return o;
  };
  switch (d.t) {
    case 'obj': return fill({}, d.e);
    case 'arr': return d.i.map(build);
    case 'inst': { class Inst {} return fill(new Inst(), d.e); }
    case 'created': return Object.create({ inherited: 1 });
    case 'nullproto': return fill(Object.create(null), d.e);
    case 'long': { const a = d.i.map(build); a.length += 2; return a; }
    case 'hidden': { const o = fill({}, d.e); Object.defineProperty(o, 'hidden', { value: build(d.h), enumerable: false }); return o; }
    case 'sym': { const o = fill({}, d.e); o[Symbol('s')] = build(d.s); return o; }
    case 'twice': { const x = build(d.x); return [x, { again: x }]; }
    case 'holes': return [1, , 3];
  }
}`;

const key = fc.constantFrom('a', 'b', '0', '17', '__proto__', 't0-1', 'ключ');
const entries = (v: fc.Arbitrary<Desc>) => fc.uniqueArray(fc.tuple(key, v), { maxLength: 4, selector: ([k]) => k });
const desc: fc.Arbitrary<Desc> = fc.letrec<{ v: Desc; node: Desc }>((tie) => ({
  v: fc.oneof({ depthSize: 'small' }, fc.integer(), fc.string({ maxLength: 3 }), fc.constant(null), tie('node')),
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    // plain shapes first, and more often: most generated values must be plain for the walk to be exercised
    { weight: 6, arbitrary: fc.record({ t: fc.constant('obj' as const), e: entries(tie('v')) }) },
    { weight: 4, arbitrary: fc.record({ t: fc.constant('arr' as const), i: fc.array(tie('v'), { maxLength: 4 }) }) },
    { weight: 2, arbitrary: fc.record({ t: fc.constant('nullproto' as const), e: entries(tie('v')) }) },
    { weight: 2, arbitrary: fc.record({ t: fc.constant('twice' as const), x: tie('node') }) },
    { weight: 1, arbitrary: fc.record({ t: fc.constant('hidden' as const), e: entries(tie('v')), h: tie('v') }) },
    { weight: 1, arbitrary: fc.record({ t: fc.constant('sym' as const), e: entries(tie('v')), s: tie('v') }) },
    { weight: 1, arbitrary: fc.record({ t: fc.constant('inst' as const), e: entries(tie('v')) }) },
    { weight: 1, arbitrary: fc.record({ t: fc.constant('long' as const), i: fc.array(tie('v'), { maxLength: 3 }) }) },
    { weight: 1, arbitrary: fc.constant({ t: 'created' as const }) },
    { weight: 1, arbitrary: fc.constant({ t: 'holes' as const }) },
  ),
})).node;

/**
 * What the walk must answer: true exactly when every object JS_WriteObject writes (through enumerable string keys
 * and array elements) is a plain object, a null-prototype object or a fast, full array — and no object hides
 * behind a symbol key (the walk would meet one more object than was written, and leave the answer to the VM).
 */
function expectedPlain(d: Desc): boolean {
  if (d === null || typeof d !== 'object') return true;
  switch (d.t) {
    case 'obj':
    case 'nullproto':
      return d.e.every(([, v]) => expectedPlain(v));
    case 'arr':
      return d.i.every(expectedPlain);
    case 'hidden':
      return d.e.every(([, v]) => expectedPlain(v));
    case 'sym':
      return (d.s === null || typeof d.s !== 'object') && d.e.every(([, v]) => expectedPlain(v));
    case 'twice':
      return expectedPlain(d.x);
    case 'inst':
    case 'created':
    case 'long':
    case 'holes':
      return false;
  }
}

describe('heap walk: the offsets', () => {
  it('the probe passes on this QuickJS build, so the walk is in use (a QuickJS upgrade that moves a field fails here)', async () => {
    setHeapWalk(null);
    const vm = await acquireModule();
    const opened = openSession(vm.quickjs, 'exports.f = () => 1;', ['f'], resolveLimits());
    opened.session?.dispose();
    releaseModule(vm);
    expect(opened.load.ok).toBe(true);
    expect(heapWalkEnabled()).toBe(true);
  });
});

/**
 * A fresh context in the shared module (no prelude: the walk needs none), with its memory and Object.prototype's
 * address; `address` reads the JSObject a handle holds.
 */
async function freshContext() {
  const quickjs = await getQuickJS();
  const memory = quickjs.getWasmMemory();
  const ctx = quickjs.newContext();
  const address = (h: QuickJSHandle): number => objectAt(memory, h.value as unknown as number);
  const objectProto = ctx.getProp(ctx.global, 'Object').consume((o) => ctx.getProp(o, 'prototype').consume(address));
  return { memory, ctx, objectProto, address };
}

describe('heap walk: its answers', () => {
  it('answers "plain" exactly when every written object is plain, on generated values (built in the VM)', async () => {
    setHeapWalk(true); // the probe's verdict is the test above's; here the answers themselves are checked
    const { memory, ctx, objectProto, address } = await freshContext();
    try {
      expect(objectProto).toBeGreaterThan(0);
      ctx.unwrapResult(ctx.evalCode(`globalThis.build = ${BUILD};`)).dispose();
      let plain = 0;
      let notPlain = 0;
      fc.assert(
        fc.property(desc, (d) => {
          const value = ctx.unwrapResult(ctx.evalCode(`build(${JSON.stringify(d)})`));
          try {
            const bytes = ctx.encodeBinaryJSON(value).consume((encoded) => ctx.getArrayBuffer(encoded).consume((b) => b.value.slice()));
            const read = readResult(bytes, 1_000_000, 64);
            expect(read).not.toBeNull();
            const answer = plainInHeap(memory, address(value), objectProto, read!.objectCount);
            if (answer) plain++;
            else notPlain++;
            expect(answer).toBe(expectedPlain(d));
          } finally {
            value.dispose();
          }
        }),
        { numRuns: 400, seed: 13 },
      );
      // both answers were exercised, many times
      expect(plain).toBeGreaterThan(50);
      expect(notPlain).toBeGreaterThan(50);
    } finally {
      ctx.dispose();
    }
  });

  it('answers "not certain" on a wrong object count, either way', async () => {
    setHeapWalk(true);
    const { memory, ctx, objectProto, address } = await freshContext();
    try {
      const value = ctx.unwrapResult(ctx.evalCode('({ a: { b: [1, {}] } })'));
      const root = address(value);
      expect(plainInHeap(memory, root, objectProto, 4)).toBe(true);
      expect(plainInHeap(memory, root, objectProto, 3)).toBe(false);
      expect(plainInHeap(memory, root, objectProto, 5)).toBe(false);
      // an address that is not Object.prototype's: every object fails
      expect(plainInHeap(memory, root, objectProto + 8, 4)).toBe(false);
      value.dispose();
    } finally {
      ctx.dispose();
    }
  });
});

describe('heap walk: a submission sees no difference', () => {
  let vm: DedicatedModule;
  let session: SandboxSession;
  beforeAll(async () => {
    const limits = resolveLimits();
    const js = transpile(`export ${BUILD}`, limits);
    if (!js.ok) throw new Error(js.message);
    vm = await acquireModule();
    const opened = openSession(vm.quickjs, js.code, ['build'], limits);
    if (!opened.session || !opened.load.ok) throw new Error('fixture did not load');
    session = opened.session;
  });
  afterAll(() => {
    session.dispose();
    releaseModule(vm);
    setHeapWalk(null);
  });

  it('the same copy or the same refusal, word for word, with the walk on and off', () => {
    let refused = 0;
    fc.assert(
      fc.property(desc, (d) => {
        setHeapWalk(true);
        const on = session.call('build', [d as never]);
        setHeapWalk(false);
        const off = session.call('build', [d as never]);
        expect(on).toEqual(off);
        if (!on.ok) refused++;
      }),
      { numRuns: 300, seed: 7 },
    );
    expect(refused).toBeGreaterThan(20); // class instances and Object.create({}) were refused both ways
  });
});
