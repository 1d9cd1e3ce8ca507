/**
 * Issue 13, measured: what a fresh VM per test costs today — a new QuickJS
 * runtime + context and the grader's prelude compiled in it — against restoring a byte copy of the QuickJS module's
 * WASM memory taken right after that setup. A restore puts back the state of a VM in which no test has run (the
 * allocator, the runtime, the context, the prelude's functions): learner state cannot survive it, and the bench
 * checks that (a global counter and garbage made between restores are gone after each one).
 *
 * The grader now does this (grader/README.md, "A fresh VM per test"): the last figure is its own path,
 * `SandboxSession.restore()` on a loaded submission in a dedicated module, host-side state reset included.
 * Source: quickjs-emscripten 0.32 (`newVariant` with `wasmMemory`); WebAssembly.Memory is the module's whole heap.
 */
import { newQuickJSWASMModuleFromVariant, newVariant } from 'quickjs-emscripten-core';
import releaseSyncVariant from '@jitl/quickjs-wasmfile-release-sync';
import { PRELUDE, acquireModule, openSession, releaseModule, resolveLimits } from '../grader/index.ts';
import type { BenchResult } from './run.ts';
import { median } from './stats.ts';

const WASM_PAGE = 64 * 1024;

export async function run(): Promise<BenchResult[]> {
  const memory = new WebAssembly.Memory({ initial: 256, maximum: 4096 });
  const quickjs = await newQuickJSWASMModuleFromVariant(newVariant(releaseSyncVariant, { wasmMemory: memory }));
  const prelude = PRELUDE.replace('__PRELUDE_EXTRA_SOURCE__', '""');

  const fresh = (): number => {
    const t0 = performance.now();
    const runtime = quickjs.newRuntime();
    const ctx = runtime.newContext();
    ctx.unwrapResult(ctx.evalCode(prelude, 'grader-prelude.js', { type: 'global', strict: true })).dispose();
    const ms = performance.now() - t0;
    ctx.dispose();
    runtime.dispose();
    return ms;
  };
  for (let i = 0; i < 50; i++) fresh();
  const freshMs = Array.from({ length: 200 }, fresh);

  // One VM set up as a test would find it, plus a learner function that keeps state in a global.
  const runtime = quickjs.newRuntime();
  const ctx = runtime.newContext();
  ctx.unwrapResult(ctx.evalCode(prelude, 'grader-prelude.js', { type: 'global', strict: true })).dispose();
  const fn = ctx.unwrapResult(ctx.evalCode('globalThis.calls = 0; (function f(x) { calls++; return x * 2 + calls; })'));
  const bytes = new Uint8Array(memory.buffer);
  let extent = bytes.length;
  while (extent > 0 && bytes[extent - 1] === 0) extent--;
  extent = Math.ceil(extent / WASM_PAGE) * WASM_PAGE;
  const snapshot = bytes.slice(0, extent);

  const restoreMs: number[] = [];
  for (let i = 0; i < 300; i++) {
    const arg = ctx.newNumber(i);
    const out = ctx.unwrapResult(ctx.callFunction(fn, ctx.undefined, arg));
    const value = ctx.getNumber(out);
    if (value !== i * 2 + 1) throw new Error(`after ${i} restores the VM kept state: f(${i}) = ${value}`);
    ctx.unwrapResult(ctx.evalCode('var junk = []; for (let i = 0; i < 20000; i++) junk.push({ i, s: "x" + i }); 1')).dispose();
    out.dispose();
    arg.dispose();
    const t0 = performance.now();
    new Uint8Array(memory.buffer).set(snapshot);
    restoreMs.push(performance.now() - t0);
    const junk = ctx.unwrapResult(ctx.evalCode('typeof junk'));
    if (ctx.getString(junk) !== 'undefined') throw new Error('a restore left a global made after the snapshot');
    junk.dispose();
  }
  // The grader's own path: a submission loaded and snapshotted in a dedicated module, a call, then restore().
  const vm = await acquireModule();
  const { session, load } = openSession(
    vm.quickjs,
    'let n = 0;\nexports.f = function f(x) { n++; return x * 2 + n; };',
    ['f'],
    resolveLimits(),
  );
  if (!session || !load.ok || !session.takeSnapshot(['f'])) throw new Error('the grader could not snapshot a loaded module');
  const sessionRestoreMs: number[] = [];
  for (let i = 0; i < 300; i++) {
    const out = session.call('f', [i]);
    if (!out.ok || out.value !== i * 2 + 1) throw new Error(`after ${i} restores the session kept state: ${JSON.stringify(out)}`);
    const t0 = performance.now();
    session.restore();
    sessionRestoreMs.push(performance.now() - t0);
  }
  const sessionBytes = session.snapshotBytes;
  session.dispose();
  releaseModule(vm);
  return [
    {
      name: 'fresh QuickJS runtime + context + prelude',
      value: median(freshMs),
      unit: 'ms',
      note: 'median of 200; what each test paid before the grader restored snapshots',
    },
    {
      name: 'restore a snapshot of the WASM memory instead',
      value: median(restoreMs),
      unit: 'ms',
      note: `median of 300; ${(extent / 1024).toLocaleString('en-US')} KiB copied, state checked fresh after each`,
    },
    {
      name: "the grader's SandboxSession.restore() (loaded submission)",
      value: median(sessionRestoreMs),
      unit: 'ms',
      note: `median of 300; ${Math.round(sessionBytes / 1024).toLocaleString('en-US')} KiB copied, host-side state reset too`,
    },
  ];
}
