/**
 * QuickJS WASM modules dedicated to one submission at a time, for the runner's per-test snapshots (issue 13).
 *
 * Rule: a submission's module is used by that submission alone (a restore rewrites the whole heap, so no other
 * session may live in it); it starts from the bytes the module had right after instantiation, so the heap the
 * runner snapshots is compact and holds no earlier submission's data. A module whose session broke or grew it
 * past the limit is dropped, not returned (its memory goes back to the system).
 *
 * Example: const vm = await acquireModule(); … releaseModule(vm) once every runtime in it is disposed.
 * Source: quickjs-emscripten 0.32 (`newVariant` with `wasmMemory`); the WebAssembly.Memory is the module's whole
 * C state (data, stack, heap): the only other state, the stack pointer global, is back at its base between calls.
 */
import { newQuickJSWASMModuleFromVariant, newVariant } from 'quickjs-emscripten-core';
import type { QuickJSWASMModule } from 'quickjs-emscripten-core';
import releaseSyncVariant from '@jitl/quickjs-wasmfile-release-sync';
import { resolveLimits } from './limits.ts';
import {
  copyMost,
  gatedWasmMemory,
  openSession,
  setBreakWord,
  setStackGap,
  usedExtent,
  type SandboxSession,
  type StackGap,
} from './sandbox.ts';

export interface DedicatedModule {
  quickjs: QuickJSWASMModule;
  memory: WebAssembly.Memory;
  /** the memory's used bytes right after instantiation (up to the last non-zero byte) */
  pristine: Uint8Array;
  /** the C stack's part no state lives in between calls (findStackGap), or null when it could not be found */
  stackGap: StackGap | null;
  /** the address of the allocator's break (findBreakWord), or null when it could not be found */
  breakWord: number | null;
  /**
   * The last submission's session, kept alive (not disposed) so that the next submission can start from its base —
   * the prelude installed, no learner code (SandboxSession.resetToBase) — instead of a new runtime, context and
   * prelude. While it is set, the module is not reset to `pristine`: the template's runtime lives in the heap.
   */
  template: SandboxSession | null;
}

/**
 * Evaluate `code` (as file `fileName`) in a throwaway runtime of `quickjs` whose global `probe` calls `look` — the
 * module's memory as it is in the middle of that evaluation, for findStackGap and findBreakWord; everything is
 * disposed after. An error in `code` is ignored: `look` not having found anything says so.
 */
function whileEvaluating(quickjs: QuickJSWASMModule, code: string, fileName: string, look: () => void): void {
  const runtime = quickjs.newRuntime();
  const context = runtime.newContext();
  try {
    const probe = context.newFunction('probe', look);
    context.setProp(context.global, 'probe', probe);
    probe.dispose();
    const probed = context.evalCode(code, fileName);
    if (probed.error) probed.error.dispose();
    else probed.value.dispose();
  } finally {
    context.dispose();
    runtime.dispose();
  }
}

/** Below the probe's string, this much of the stack is left out of the gap (bytes). */
const STACK_TOP_MARGIN = 64 * 1024;
/** Above the last non-zero byte under the stack, this much is left out too: zero-initialised statics (bytes). */
const STATICS_MARGIN = 256 * 1024;
/** A gap smaller than this is not worth the bookkeeping (bytes). */
const MIN_GAP = 1024 * 1024;

/**
 * Where the C stack lies unused between calls, so that snapshots skip it (issue 13: it is ≈ 5 MiB of the ≈ 5.5 MB a
 * restore would otherwise copy). Emscripten puts the stack below the heap and above the static data; between calls
 * the stack pointer is back at the stack's top, so nothing below it is read before it is written again.
 * The top is found by a probe: QuickJS's `QTS_Eval` takes its file name as an Emscripten "string" argument, which
 * `ccall` copies onto the stack just below the resting stack pointer; while the evaluated code calls back into the
 * host, the lowest copy of a unique name in memory is that one (the heap's copies are above the stack). From there
 * down, past the probe's own dead frames, the stack is zero down to the static data; the gap is that zero run, less
 * STATICS_MARGIN at its bottom and STACK_TOP_MARGIN at its top. grader/snapshot.spec.ts checks it against the binary's own `__stack_pointer` and data segments.
 * @returns the gap, or null (snapshots then copy everything): no probe copy found, or no long zero run below it
 */
function findStackGap(quickjs: QuickJSWASMModule, memory: WebAssembly.Memory): StackGap | null {
  const name = `partition-lab-stack-probe-${Math.random().toString(36).slice(2)}`;
  const needle = new TextEncoder().encode(`${name}\0`);
  let at = -1;
  // Look while QTS_Eval runs (from a host function it calls): its file name is still on the stack, above the
  // frames of the running code; once it returns, the next call's frames overwrite it.
  whileEvaluating(quickjs, 'probe()', name, () => {
    const bytes = new Uint8Array(memory.buffer);
    const end = usedExtent(memory) - needle.length;
    for (let i = 0; i <= end && at < 0; i++) {
      if (bytes[i] !== needle[0]) continue;
      let j = 1;
      while (j < needle.length && bytes[i + j] === needle[j]) j++;
      if (j === needle.length) at = i;
    }
  });
  if (at < 0) return null;
  const high = Math.floor((at - STACK_TOP_MARGIN) / 16) * 16;
  const words = new Int32Array(memory.buffer);
  // Down past the probe's dead frames to a long run of zero words, then to that run's bottom.
  let i = (high >> 2) - 1;
  let run = 0;
  while (i >= 0 && run * 4 < STATICS_MARGIN) {
    run = words[i] === 0 ? run + 1 : 0;
    i--;
  }
  if (i < 0) return null;
  while (i > 0 && words[i - 1] === 0) i--;
  const low = Math.ceil((i * 4 + STATICS_MARGIN) / 16) * 16;
  return high - low >= MIN_GAP ? { low, high } : null;
}

/** What findBreakWord allocates to see the break move: more than the allocator's free top, less than a growth (bytes). */
const BREAK_PROBE_BYTES = 512 * 1024;

/**
 * The address of the word that holds the allocator's break (emscripten's \`sbrk\` keeps it in a static; the module
 * does not export \`emscripten_get_sbrk_ptr\`), so that usedExtent need not scan the ≈ 11 MB of zeros above the
 * heap for every snapshot (≈ 1–3 ms per submission). Found by a probe: among the statics below the stack (the
 * gap's bottom), the word that (a) before lies at or above every non-zero byte and within the memory, and (b) while
 * the evaluated code holds a \`BREAK_PROBE_BYTES\` buffer, has moved up by at least that much and still lies at or
 * above every non-zero byte. grader/snapshot.spec.ts checks that it lies in the binary's data segment and moves
 * with the heap. The caller puts the module's bytes back as they were before the probe.
 * @returns the address, or null when no single word passes (usedExtent then scans the whole memory)
 */
function findBreakWord(quickjs: QuickJSWASMModule, memory: WebAssembly.Memory, gap: StackGap | null): number | null {
  if (!gap) return null;
  const before = new Int32Array(memory.buffer);
  const extentBefore = usedExtent(memory);
  const sizeBefore = memory.buffer.byteLength;
  const candidates: number[] = [];
  const valuesBefore: number[] = [];
  for (let i = 0; i < gap.low >> 2; i++) {
    const v = before[i];
    if (v >= extentBefore && v <= sizeBefore && (v & 3) === 0) {
      candidates.push(i);
      valuesBefore.push(v);
    }
  }
  if (candidates.length === 0) return null;
  let found: number[] = [];
  whileEvaluating(quickjs, `probe(new ArrayBuffer(${BREAK_PROBE_BYTES}))`, 'break-probe.js', () => {
    const words = new Int32Array(memory.buffer);
    const extent = usedExtent(memory);
    const size = memory.buffer.byteLength;
    found = candidates.filter((i, k) => words[i] >= extent && words[i] <= size && words[i] - valuesBefore[k] >= BREAK_PROBE_BYTES);
  });
  return found.length === 1 ? found[0] * 4 : null;
}

/** A module whose memory grew past this is not kept for the next submission, bytes. */
const KEEP_MEMORY_BYTES = 64 * 1024 * 1024;

/** One idle module kept between submissions (instantiating one costs tens of ms). */
let idle: DedicatedModule | null = null;

/**
 * A module for one submission: the idle one — as its template left it, or reset to its bytes right after
 * instantiation when it has none — or a new one.
 */
export async function acquireModule(): Promise<DedicatedModule> {
  const kept = idle;
  idle = null;
  if (kept?.template) return kept; // the template's resetToBase() resets the memory
  if (kept) {
    resetModule(kept);
    return kept;
  }
  const memory = gatedWasmMemory();
  const quickjs = await newQuickJSWASMModuleFromVariant(newVariant(releaseSyncVariant, { wasmMemory: memory }));
  const stackGap = findStackGap(quickjs, memory);
  if (stackGap) setStackGap(memory, stackGap);
  const pristine = new Uint8Array(usedExtent(memory));
  pristine.set(new Uint8Array(memory.buffer, 0, pristine.length));
  const breakWord = findBreakWord(quickjs, memory, stackGap);
  const vm: DedicatedModule = { quickjs, memory, pristine, stackGap, breakWord, template: null };
  resetModule(vm); // the break probe's bytes (its freed buffer moved the heap's top) are not kept
  if (breakWord !== null) setBreakWord(memory, breakWord);
  return vm;
}

/** Put a module in which no runtime is alive back to its bytes right after instantiation. */
export function resetModule(kept: DedicatedModule): void {
  const bytes = new Uint8Array(kept.memory.buffer);
  // the stack gap is dead stack: whatever the last submission left there is never read
  copyMost(kept.pristine, bytes, kept.pristine.length, kept.stackGap ?? undefined);
  bytes.fill(0, kept.pristine.length);
}

/** Give back a module in which no runtime is alive any more but its `template` (every other session disposed, none broken). */
export function releaseModule(vm: DedicatedModule): void {
  if (vm.memory.buffer.byteLength <= KEEP_MEMORY_BYTES) idle = vm;
}

/**
 * Instantiate the idle module ahead of the first submission (a Web Worker's warm-up), with a template session whose
 * prelude is installed (default limits), so that the first submission starts where later ones do; resolves when
 * it is ready.
 */
export async function prepareModule(): Promise<void> {
  if (idle) return;
  const vm = await acquireModule();
  if (!vm.template) {
    const { session } = openSession(vm.quickjs, '', [], resolveLimits(), {}, true);
    if (session?.reusable) vm.template = session;
    else if (session) {
      session.dispose();
      if (session.broken) return; // drop the module: a new one is made for the first submission
      resetModule(vm);
    }
  }
  releaseModule(vm);
}
