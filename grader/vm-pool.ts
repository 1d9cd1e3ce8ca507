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
import { gatedWasmMemory, usedExtent } from './sandbox.ts';

export interface DedicatedModule {
  quickjs: QuickJSWASMModule;
  memory: WebAssembly.Memory;
  /** the memory's used bytes right after instantiation (up to the last non-zero byte) */
  pristine: Uint8Array;
}

/** A module whose memory grew past this is not kept for the next submission, bytes. */
const KEEP_MEMORY_BYTES = 64 * 1024 * 1024;

/** One idle module kept between submissions (instantiating one costs tens of ms). */
let idle: DedicatedModule | null = null;

/** A module for one submission: the idle one, reset to its bytes right after instantiation, or a new one. */
export async function acquireModule(): Promise<DedicatedModule> {
  const kept = idle;
  idle = null;
  if (kept) {
    const bytes = new Uint8Array(kept.memory.buffer);
    bytes.set(kept.pristine);
    bytes.fill(0, kept.pristine.length);
    return kept;
  }
  const memory = gatedWasmMemory();
  const quickjs = await newQuickJSWASMModuleFromVariant(newVariant(releaseSyncVariant, { wasmMemory: memory }));
  const pristine = new Uint8Array(usedExtent(memory));
  pristine.set(new Uint8Array(memory.buffer, 0, pristine.length));
  return { quickjs, memory, pristine };
}

/** Give back a module in which no runtime is alive any more (every session disposed, none broken). */
export function releaseModule(vm: DedicatedModule): void {
  if (vm.memory.buffer.byteLength <= KEEP_MEMORY_BYTES) idle = vm;
}

/** Instantiate the idle module ahead of the first submission (a Web Worker's warm-up); resolves when it is ready. */
export async function prepareModule(): Promise<void> {
  if (!idle) releaseModule(await acquireModule());
}
