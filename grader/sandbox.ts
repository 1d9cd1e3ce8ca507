/**
 * The QuickJS sandbox: one fresh runtime + context per session, limits on time, memory and stack, a captured
 * and capped `console`, and copies (never shared objects) across the boundary in both directions.
 *
 * Rule: nothing from the host is reachable from learner code but ECMAScript built-ins and `console`; every
 * outcome comes back as a result (`{ ok: true, … } | { ok: false, kind, message, line? }`), never as an
 * exception; after any host-side failure (the host itself threw while QuickJS ran) the whole QuickJS WASM
 * module is thrown away and the next session gets a new one.
 *
 * Example (what the runner does for one test):
 *   const quickjs = await getQuickJS();
 *   const { session, load } = openSession(quickjs, js, ['partition'], limits);
 *   if (load.ok) session.call('partition', [utf8('21'), 6]);   // → { ok: true, value: 0 }
 *   session.dispose();
 *
 * Note: one synchronous call can only be stopped from inside (the interrupt handler). Anything QuickJS does
 * without polling the handler needs the caller to terminate the Worker / worker thread: see README.md.
 * Source: quickjs-emscripten 0.32 (`newQuickJSWASMModuleFromVariant`, `setInterruptHandler`,
 * `setMaxStackSize`); ARCHITECTURE.md ("Platform") for the 128 KiB stack.
 */
import { newQuickJSWASMModuleFromVariant, newVariant } from 'quickjs-emscripten-core';
import type { QuickJSContext, QuickJSHandle, QuickJSRuntime, QuickJSWASMModule } from 'quickjs-emscripten-core';
import releaseSyncVariant from '@jitl/quickjs-wasmfile-release-sync';
import type { Plain } from './exercise-api.ts';
import type { Limits } from './limits.ts';
import type { ErrorKind } from './report.ts';
import { PRELUDE, MAX_RESULT_DEPTH } from './sandbox-prelude.ts';
import { PRELUDE_EXTRA } from './sandbox-prelude-extra.ts';
import { copyEncoded, encodeArgs, readResult, sameSkeleton, type Skeleton } from './bjson.ts';
import { objectAt, plainInHeap, heapWalkProbed, PROBE_SOURCE, settleLayout } from './heap-walk.ts';

/**
 * The parts of a QuickJSContext the raw calls use (sandbox.ts: call, rawCall, argumentsIn, copyOut);
 * quickjs-emscripten 0.32 keeps them private. Pointers are WASM heap addresses (numbers).
 */
interface ContextInternals {
  ffi: {
    QTS_ResolveException(ctx: number, maybeException: number): number;
    QTS_FreeValuePointer(ctx: number, value: number): void;
    QTS_DupValuePointer(ctx: number, value: number): number;
    QTS_Call(ctx: number, func: number, thisValue: number, argc: number, argv: number): number;
    QTS_GetUndefined(): number;
    QTS_GetPropNumber(ctx: number, value: number, index: number): number;
    QTS_GetFloat64(ctx: number, value: number): number;
    QTS_NewArrayBuffer(ctx: number, data: number, length: number): number;
    QTS_GetArrayBuffer(ctx: number, value: number): number;
    QTS_GetArrayBufferLength(ctx: number, value: number): number;
    QTS_bjson_encode(ctx: number, value: number): number;
    QTS_bjson_decode(ctx: number, value: number): number;
  };
  ctx: { value: number };
  module: { _malloc(bytes: number): number; _free(pointer: number): void; HEAPU8: Uint8Array };
  memory: { heapValueHandle(pointer: number): QuickJSHandle };
}

/** The file name QuickJS puts in stack traces; its line numbers are the learner's (sucrase keeps lines). */
const SUBMISSION_FILE = 'submission.ts';

/** `submission.ts:12` or `submission.ts:12:5` in a QuickJS stack trace → the line (12). */
const SUBMISSION_LINE = new RegExp(`${SUBMISSION_FILE.replace('.', '\\.')}:(\\d+)`);

/**
 * The prelude as QuickJS parses it in every fresh context: whole-line comments, blank lines and indentation
 * dropped once per module load (parsing is most of the prelude's cost per session, and QuickJS has no lazy
 * parsing). Lines stay lines, so no statement runs into the next; code within a line is untouched.
 */
function compactPrelude(source: string): string {
  const out: string[] = [];
  let inBlockComment = false;
  for (const raw of source.split('\n')) {
    const line = raw.trim();
    if (inBlockComment) {
      inBlockComment = !line.includes('*/');
      if (!inBlockComment && !line.endsWith('*/')) out.push(line); // code after the comment's end: keep the line
      continue;
    }
    if (line === '' || line.startsWith('//')) continue;
    if (line.startsWith('/*') && !line.includes('*/')) {
      inBlockComment = true;
      continue;
    }
    if (line.startsWith('/*') && line.endsWith('*/') && line.indexOf('*/') === line.length - 2) continue;
    out.push(line);
  }
  return out.join('\n');
}
/** The placeholder in PRELUDE that becomes the compacted PRELUDE_EXTRA, as a JavaScript string literal. */
const EXTRA_PLACEHOLDER = '__PRELUDE_EXTRA_SOURCE__';
const PRELUDE_SOURCE = compactPrelude(PRELUDE).replace(EXTRA_PLACEHOLDER, () => JSON.stringify(compactPrelude(PRELUDE_EXTRA)));

/** Time allowed for the grader's own in-VM setup (the prelude), ms; not charged to the learner. */
const PRELUDE_TIMEOUT_MS = 10_000;

/** rawCall's preallocated argument vector holds this many pointers; longer calls allocate their own. */
const ARGV_SLOTS = 16;

/** At most one precise heap census per this many ms while learner code runs. */
const CENSUS_INTERVAL_MS = 200;

export interface SandboxFailure {
  ok: false;
  kind: ErrorKind;
  /** in the learner's terms, safe to show: truncated, control characters made visible */
  message: string;
  line?: number;
  column?: number;
}

/** What the learner's module exported, read without running learner code. */
export interface ExportsInfo {
  /** for each requested name that exists: `function`, or what it is instead (`a number`, `a getter`, …) */
  found: Record<string, string>;
  /** other exported functions (to spot misspellings) */
  other: string[];
  /** a default export, if any: its kind (`function`, `number`, …) and the function's name */
  defaultExport: { kind: string; name: string } | null;
  /** `module.exports = …` replaced the exports object (CommonJS style) */
  moduleExportsReplaced: boolean;
}

export type LoadResult = { ok: true; exports: ExportsInfo } | SandboxFailure;
/** `value` is a host copy: null, boolean, number (also NaN, ±Infinity, -0), string, undefined, Uint8Array, arrays, plain objects. */
export type CallResult = { ok: true; value: unknown } | SandboxFailure;

let quickjsPromise: Promise<QuickJSWASMModule> | null = null;

/**
 * Hard cap on the WASM memory of one QuickJS module, bytes (default Emscripten maximum: 2 GiB): a backstop behind
 * the per-session growth gate (gatedWasmMemory), for growth the gate lets through (the grader describing an
 * error, several sessions' worth of heap). Must stay well above `memoryBytes` (QuickJS's heap plus
 * fragmentation live inside it).
 */
export const WASM_MEMORY_MAX_BYTES = 256 * 1024 * 1024;
const WASM_PAGE = 64 * 1024;

/** Who may grow a module's WASM memory now: the open session's check, or anyone when none is set. */
interface GrowthGate {
  allow: ((bytes: number) => boolean) | null;
}
const growthGates = new WeakMap<WebAssembly.Memory, GrowthGate>();

/**
 * A WASM memory for one QuickJS module whose `grow` asks the open session first. Emscripten's heap grows only
 * through this object's `grow` (its `emscripten_resize_heap` catches the error and `malloc` returns NULL), so
 * the session sees every growth as it happens, however rarely QuickJS polls the interrupt handler.
 */
export function gatedWasmMemory(): WebAssembly.Memory {
  const memory = new WebAssembly.Memory({ initial: (16 * 1024 * 1024) / WASM_PAGE, maximum: WASM_MEMORY_MAX_BYTES / WASM_PAGE });
  const gate: GrowthGate = { allow: null };
  const grow = memory.grow;
  Object.defineProperty(memory, 'grow', {
    value(pages: number): number {
      if (gate.allow && !gate.allow(memory.buffer.byteLength + pages * WASM_PAGE)) throw new RangeError('over the sandbox memory limit');
      return grow.call(memory, pages);
    },
  });
  growthGates.set(memory, gate);
  return memory;
}

/**
 * Where each module keeps its allocator's break (the word emscripten's `sbrk` moves; vm-pool.ts finds it once per
 * module): no state lies above the break, so usedExtent looks for the last non-zero byte below it only.
 */
const breakWords = new WeakMap<WebAssembly.Memory, number>();

/** Tell usedExtent where `memory`'s break is kept (the address of the word). */
export function setBreakWord(memory: WebAssembly.Memory, address: number): void {
  breakWords.set(memory, address);
}

/** The allocator's break of `memory` (bytes), or its whole size when the break's word is not known. */
export function heapBreak(memory: WebAssembly.Memory): number {
  const size = memory.buffer.byteLength;
  const address = breakWords.get(memory);
  if (address === undefined) return size;
  const brk = new Int32Array(memory.buffer, address, 1)[0];
  return brk > 0 && brk <= size ? brk : size;
}

/**
 * The number of bytes from the start of `memory` to its last non-zero byte below the allocator's break (a multiple
 * of 4): the extent a snapshot must copy. Above it is zero or free memory (a restore leaves a later test's bytes
 * above the break it puts back: never read before the allocator hands them out again).
 */
export function usedExtent(memory: WebAssembly.Memory): number {
  const words = new Int32Array(memory.buffer);
  const top = Math.min(words.length, Math.ceil(heapBreak(memory) / 4));
  // eight words per step while they are all zero (most of the memory above the heap is), then word by word
  let i = top - 8;
  while (
    i >= 0 &&
    (words[i] | words[i + 1] | words[i + 2] | words[i + 3] | words[i + 4] | words[i + 5] | words[i + 6] | words[i + 7]) === 0
  )
    i -= 8;
  let last = Math.min(i + 7, top - 1);
  while (last >= 0 && words[last] === 0) last--;
  return (last + 1) * 4;
}

/** A range of a module's memory that holds no state between calls (the unused C stack), bytes [low, high). */
export interface StackGap {
  low: number;
  high: number;
}
const stackGaps = new WeakMap<WebAssembly.Memory, StackGap>();

/** Tell snapshots of `memory` to skip `gap` (vm-pool.ts finds it once per module). */
export function setStackGap(memory: WebAssembly.Memory, gap: StackGap): void {
  stackGaps.set(memory, gap);
}

/** Copy bytes [0, length) of `from` into `to`, leaving out the module's stack gap when it lies inside. */
export function copyMost(from: Uint8Array, to: Uint8Array, length: number, gap: StackGap | undefined): void {
  if (gap && gap.high <= length) {
    to.set(from.subarray(0, gap.low));
    to.set(from.subarray(gap.high, length), gap.high);
  } else to.set(from.subarray(0, length));
}

/**
 * Where each module's snapshot bytes live: one buffer per WebAssembly.Memory, reused by every submission graded in
 * that module and grown when a snapshot needs more. Copying into a fresh ArrayBuffer costs a page fault per page
 * touched (≈ 20 ms for 5 MiB here), copying into a reused one ≈ 0.3 ms. `owner` is the session whose snapshot it holds.
 */
const snapshotBuffers = new WeakMap<WebAssembly.Memory, { owner: SandboxSession | null; bytes: Uint8Array }>();
/** The same for each module's base (the state just after the prelude, SandboxSession.takeBase). */
const baseBuffers = new WeakMap<WebAssembly.Memory, { owner: SandboxSession | null; bytes: Uint8Array }>();

/**
 * Copy `memory`'s bytes [0, length) (the unused C stack left out) into the buffer `buffers` keeps for it, grown when
 * too small, and record `owner` as the session whose state it now holds.
 */
function keepBytes(
  buffers: WeakMap<WebAssembly.Memory, { owner: SandboxSession | null; bytes: Uint8Array }>,
  memory: WebAssembly.Memory,
  length: number,
  owner: SandboxSession,
): void {
  let holder = buffers.get(memory);
  if (!holder || holder.bytes.length < length) {
    holder = { owner: null, bytes: new Uint8Array(length + (length >> 3)) };
    buffers.set(memory, holder);
  }
  copyMost(new Uint8Array(memory.buffer), holder.bytes, length, stackGaps.get(memory));
  holder.owner = owner;
}

/** The shared QuickJS WASM module; made on first use and again after `discardQuickJS()`. */
export function getQuickJS(): Promise<QuickJSWASMModule> {
  if (!quickjsPromise) {
    const variant = newVariant(releaseSyncVariant, { wasmMemory: gatedWasmMemory() });
    const p = newQuickJSWASMModuleFromVariant(variant);
    quickjsPromise = p;
    p.catch(() => {
      if (quickjsPromise === p) quickjsPromise = null;
    });
  }
  return quickjsPromise;
}

/** Forget the shared module (after a host-side failure); the next `getQuickJS()` makes a new one. */
export function discardQuickJS(): void {
  quickjsPromise = null;
}

/** Make text from the learner safe to show: control characters visible, length capped. */
export function sanitize(text: string, max = 500): string {
  let s = text.length > max * 2 ? text.slice(0, max * 2) : text;
  s = s
    .replace(/\r\n|\r|\n/g, '⏎')
    .replace(/[\u0000-\u001f\u007f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return s.length > max ? `${s.slice(0, max)}… (${text.length} characters in all)` : s;
}

function lineFromStack(stack: string): { line?: number } {
  const m = SUBMISSION_LINE.exec(stack);
  return m ? { line: Number(m[1]) } : {};
}

interface ThrownInfo {
  name: string | null;
  message: string;
  stack: string;
  text: string;
}

export interface SessionOptions {
  /** absolute time (ms since epoch) after which no call may run: the submission's whole budget */
  suiteDeadline?: number;
  /**
   * called just before learner code runs (module load, each call) with its time budget in ms, and after it
   * returns: lets a supervisor (CLI main thread, the page) terminate a worker stuck past the budget + 1 s
   */
  onCallStart?: (budgetMs: number) => void;
  onCallEnd?: () => void;
}

/**
 * One fresh QuickJS runtime + context holding the learner's module. Dispose it. In a module of its own
 * (vm-pool.ts) it can be snapshotted once loaded (takeSnapshot) and put back before each test (restore).
 */
export class SandboxSession {
  /** set when the host itself failed; the caller must `discardQuickJS()` before the next session */
  broken = false;
  private consoleText = '';
  private consoleCut = false;
  private interrupted = false;
  /** set when the interrupt handler stopped the code for using too much memory (see heapOverLimit) */
  private memoryExceeded = false;
  /** set when this session asked to grow the WASM memory past `limits.memoryBytes` and was refused */
  private growthRefused = false;
  private readonly gate: GrowthGate | null;
  /** while the grader reads an error: only the clock may interrupt */
  private describing = false;
  /** when the last census ran (a fresh runtime holds only the prelude: none is needed before the first poll) */
  private lastCensus = Date.now();
  /** the WASM memory's size at the last census: growth since then calls for a new one after a call */
  private bytesAtLastCensus = 0;
  private readonly wasmMemory: WebAssembly.Memory | null;
  private wasmBytesAtStart: number;
  private deadline = Infinity;
  private readonly runtime: QuickJSRuntime;
  private readonly ctx: QuickJSContext;
  private readonly handles: QuickJSHandle[] = [];
  private toolkit: Record<'newModule' | 'inspect' | 'shapes' | 'fn' | 'finish' | 'describe', QuickJSHandle> | null = null;
  /** The snapshot exports, looked up once per name. */
  private readonly exportHandles = new Map<string, QuickJSHandle>();
  private disposed = false;
  /** The VM's bytes and the host-side state that go with them, taken by takeSnapshot() and put back by restore(). */
  private snapshot: { length: number; handles: number; exportNames: Set<string>; console: string; consoleCut: boolean } | null = null;
  /**
   * rawCall's argument vector (ARGV_SLOTS pointers), allocated with the prelude so that it is inside the base and
   * every snapshot (a restore keeps it allocated); 0 until then.
   */
  private argv = 0;
  /** QuickJS's static `undefined` (a pointer into the module's data, the same in every context). */
  private undefinedPointer = 0;
  /** The address of this context's Object.prototype (heap-walk.ts), read after the prelude; 0 when unknown. */
  private objectProto = 0;
  /** The last skeleton made in the VM (skeletonInVm); forgotten when the heap is put back (restore, resetToBase). */
  private lastSkeleton: { skeleton: Skeleton; pointer: number } | null = null;
  /** The state just after the prelude, kept as this module's base (takeBase / resetToBase). */
  private base: { length: number; handles: number; limits: Limits } | null = null;

  constructor(
    quickjs: QuickJSWASMModule,
    private limits: Limits,
    private options: SessionOptions = {},
  ) {
    let memory: WebAssembly.Memory | null = null;
    try {
      memory = quickjs.getWasmMemory();
    } catch {
      memory = null;
    }
    this.wasmMemory = memory;
    this.wasmBytesAtStart = memory ? memory.buffer.byteLength : 0;
    this.bytesAtLastCensus = this.wasmBytesAtStart;
    this.gate = memory ? (growthGates.get(memory) ?? null) : null;
    if (this.gate) this.gate.allow = this.mayGrowTo;
    this.runtime = quickjs.newRuntime();
    try {
      this.runtime.setMaxStackSize(limits.stackBytes);
      // No QuickJS malloc limit (`setMemoryLimit`): it refuses an allocation without the host knowing, so code that
      // caught that `out of memory` would pass or read as `runtime`. Every allocation failure is the growth gate's
      // instead (mayGrowTo, host-visible), and the census bounds the live heap.
      // Keeps returning true after the deadline, so code that catches the interrupt is interrupted again.
      this.runtime.setInterruptHandler(() => {
        // Memory first: when both are over (a slow allocation loop), memory is the better explanation.
        const now = Date.now();
        if (!this.describing && this.heapOverLimit(now - this.lastCensus > CENSUS_INTERVAL_MS)) {
          this.memoryExceeded = true;
          return true;
        }
        if (now > this.deadline) {
          this.interrupted = true;
          return true;
        }
        return false;
      });
      this.ctx = this.runtime.newContext();
    } catch (error) {
      this.runtime.dispose();
      if (this.gate?.allow === this.mayGrowTo) this.gate.allow = null;
      throw error;
    }
  }

  /** Console output captured so far (capped at `limits.consoleChars`, with a note when cut). */
  console(): string {
    return this.consoleCut ? `${this.consoleText}… (console output cut at ${this.limits.consoleChars} characters)` : this.consoleText;
  }

  /**
   * The host side of a VM whose heap was just put back (restore, resetToBase): handles made since (`handles` were
   * kept) are dropped without dispose, as is the last skeleton (it pointed into the replaced heap); the flags,
   * clocks, census and growth gate start over as in a new session.
   */
  private startOver(handles: number): void {
    this.handles.length = handles;
    this.lastSkeleton = null;
    this.interrupted = false;
    this.memoryExceeded = false;
    this.growthRefused = false;
    this.describing = false;
    this.deadline = Infinity;
    this.wasmBytesAtStart = this.wasmMemory!.buffer.byteLength;
    this.bytesAtLastCensus = this.wasmBytesAtStart;
    this.lastCensus = Date.now();
    if (this.gate) this.gate.allow = this.mayGrowTo;
  }

  /**
   * Keep the VM as it is now — a fresh runtime and context with the prelude installed, before any learner code — as
   * this module's base (issue 13): the next submission graded in the module starts from it (resetToBase) instead of
   * a new runtime, context and prelude (≈ 3 ms, most of it compiling the prelude). Every handle the host keeps
   * across that reset is made first (`ctx.global`, which quickjs-emscripten allocates on first use).
   */
  private takeBase(): void {
    if (!this.wasmMemory || !this.toolkit || this.broken || this.oversized) return;
    void this.ctx.global;
    const length = usedExtent(this.wasmMemory);
    keepBytes(baseBuffers, this.wasmMemory, length, this);
    this.base = { length, handles: this.handles.length, limits: this.limits };
  }

  /** Whether this session can be reset to its base for another submission (see resetToBase). */
  get reusable(): boolean {
    return this.base !== null && !this.broken && !this.disposed && !this.oversized;
  }

  /**
   * Put the VM back as takeBase() found it — the prelude installed, no learner module, no test — for a new
   * submission with these limits and options: the bytes up to the base's extent are copied back and everything
   * above is zeroed (as in a module just reset), handles made since are dropped without dispose, and the host-side
   * state (console, clocks, growth gate, census, export handles, the test snapshot) starts over.
   * @returns false when it cannot be reused (no base, broken, disposed, or limits the prelude was set up with
   *   differ): dispose it and open a new session instead
   */
  resetToBase(limits: Limits, options: SessionOptions = {}): boolean {
    const base = this.base;
    if (!base || !this.wasmMemory || this.broken || this.disposed) return false;
    if (limits.consoleChars !== base.limits.consoleChars || limits.stackBytes !== base.limits.stackBytes) return false;
    const holder = baseBuffers.get(this.wasmMemory);
    if (holder?.owner !== this) return false;
    const heap = new Uint8Array(this.wasmMemory.buffer);
    copyMost(holder.bytes, heap, base.length, stackGaps.get(this.wasmMemory));
    heap.fill(0, base.length);
    this.limits = limits;
    this.options = options;
    this.exportHandles.clear();
    this.snapshot = null;
    this.consoleText = '';
    this.consoleCut = false;
    this.startOver(base.handles);
    return true;
  }

  /**
   * Snapshot this session's VM (issue 13): a byte copy of the WASM memory up to its last non-zero byte, taken after
   * the module loaded and before any test ran, plus the host-side state that must match it. Every handle the host
   * uses across tests is made first (the export functions of `exportNames`, `ctx.global`), so that none is created
   * after the snapshot and outlives a restore. Only for a session that is alone in a dedicated module (vm-pool.ts):
   * a restore rewrites the whole heap.
   * @returns false when there is nothing safe to snapshot (no memory, not loaded, broken or oversized)
   */
  takeSnapshot(exportNames: string[]): boolean {
    if (!this.wasmMemory || !this.toolkit || this.broken || this.disposed || this.oversized) return false;
    const made = this.guard(() => {
      for (const name of exportNames) this.exportFunction(name);
      void this.ctx.global;
      return { ok: true as const };
    });
    if (!made.ok || this.broken) return false;
    if (this.lastSkeleton) {
      // not into the snapshot: a restore forgets it, so it would never be freed
      this.internals.ffi.QTS_FreeValuePointer(this.internals.ctx.value, this.lastSkeleton.pointer);
      this.lastSkeleton = null;
    }
    const length = usedExtent(this.wasmMemory);
    keepBytes(snapshotBuffers, this.wasmMemory, length, this);
    this.snapshot = {
      length,
      handles: this.handles.length,
      exportNames: new Set(this.exportHandles.keys()),
      console: this.consoleText,
      consoleCut: this.consoleCut,
    };
    return true;
  }

  /** Bytes a restore copies (0 before takeSnapshot): the snapshot's extent less the unused C stack. */
  get snapshotBytes(): number {
    const length = this.snapshot?.length ?? 0;
    const gap = this.wasmMemory ? stackGaps.get(this.wasmMemory) : undefined;
    return gap && gap.high <= length ? length - (gap.high - gap.low) : length;
  }

  /**
   * Put the VM back as takeSnapshot() found it: no learner state of the last test survives (globals, module state,
   * prototypes, heap). Handles made since the snapshot are dropped WITHOUT dispose (they point into the heap the
   * restore replaced); the growth gate, the census, the clocks and the console capture start over, as in a new
   * session. Bytes above the snapshot's extent are left as the test left them: the allocator holds them as unused
   * (its break pointer is in the restored bytes) and QuickJS initialises every allocation it hands to JavaScript.
   * @returns false when the session cannot be restored (no snapshot, broken, disposed): open a new one instead
   */
  restore(): boolean {
    const snap = this.snapshot;
    if (!snap || !this.wasmMemory || this.broken || this.disposed) return false;
    const holder = snapshotBuffers.get(this.wasmMemory);
    if (holder?.owner !== this) return false; // another session of this module snapshotted since
    copyMost(holder.bytes, new Uint8Array(this.wasmMemory.buffer), snap.length, stackGaps.get(this.wasmMemory));
    for (const name of [...this.exportHandles.keys()]) if (!snap.exportNames.has(name)) this.exportHandles.delete(name);
    this.consoleText = snap.console;
    this.consoleCut = snap.consoleCut;
    this.startOver(snap.handles);
    return true;
  }

  /**
   * Install the prelude and evaluate the learner's CommonJS module.
   * @param js transpiled learner code (CommonJS: uses `exports`, `module`, `require`)
   * @param exportNames names the exercise needs; their functions are snapshotted for `call`
   */
  load(js: string, exportNames: string[], keepBase = false): LoadResult {
    const installed = this.installPrelude();
    if (installed) return installed;
    if (keepBase) this.takeBase();
    return this.loadModule(js, exportNames);
  }

  /** The grader's own half of load(): the prelude and its toolkit; null when it is installed. */
  private installPrelude(): SandboxFailure | null {
    const done = this.guard(() => {
      const ctx = this.ctx;
      // The grader's own setup gets a generous clock of its own: a slow machine must not look like slow learner code.
      this.startClock(PRELUDE_TIMEOUT_MS);
      const prelude = ctx.evalCode(PRELUDE_SOURCE, 'grader-prelude.js', { type: 'global', strict: true });
      if (prelude.error) {
        prelude.error.dispose();
        return { ok: false, kind: 'runtime', message: 'The sandbox could not start (its setup code failed); try again.' };
      }
      const factory = this.own(prelude.value);
      const sink = this.own(
        ctx.newFunction('sink', (textHandle, cutHandle) => {
          if (ctx.typeof(textHandle) === 'string') this.appendConsole(ctx.getString(textHandle));
          if (cutHandle !== undefined && ctx.typeof(cutHandle) === 'boolean' && ctx.sameValue(cutHandle, ctx.true)) this.consoleCut = true;
        }),
      );
      const cap = this.own(ctx.newNumber(this.limits.consoleChars));
      const made = ctx.callFunction(factory, ctx.undefined, sink, cap);
      if (made.error) {
        made.error.dispose();
        return { ok: false, kind: 'runtime', message: 'The sandbox could not start (its setup code failed); try again.' };
      }
      const kit = this.own(made.value);
      this.toolkit = {
        newModule: this.own(ctx.getProp(kit, 'newModule')),
        inspect: this.own(ctx.getProp(kit, 'inspect')),
        shapes: this.own(ctx.getProp(kit, 'shapes')),
        fn: this.own(ctx.getProp(kit, 'fn')),
        finish: this.own(ctx.getProp(kit, 'finish')),
        describe: this.own(ctx.getProp(kit, 'describe')),
      };
      const { ffi, module } = this.internals;
      this.argv = module._malloc(4 * ARGV_SLOTS);
      this.undefinedPointer = ffi.QTS_GetUndefined();
      this.objectProto = this.findObjectProto();
      if (!heapWalkProbed()) this.probeHeapWalk();
      return { ok: true as const };
    });
    return done.ok ? null : done;
  }

  /** Object.prototype's address, read before any learner code runs (heap-walk.ts); 0 without a WASM memory. */
  private findObjectProto(): number {
    if (!this.wasmMemory) return 0;
    const ctx = this.ctx;
    const object = ctx.getProp(ctx.global, 'Object');
    const proto = ctx.getProp(object, 'prototype');
    const address = objectAt(this.wasmMemory, proto.value as unknown as number);
    proto.dispose();
    object.dispose();
    return address;
  }

  /**
   * Once per process, in the first session, before any learner code: check heap-walk.ts's offsets on its probe
   * values; the walk is used only when every answer is right. Everything it makes is freed before the base is taken.
   */
  private probeHeapWalk(): void {
    const memory = this.wasmMemory;
    if (!memory) return;
    const ctx = this.ctx;
    const made = ctx.evalCode(PROBE_SOURCE, 'grader-heap-probe.js', { type: 'global', strict: true });
    if (made.error) {
      made.error.dispose();
      settleLayout(memory, this.objectProto, [], [], []);
      return;
    }
    const held: QuickJSHandle[] = [made.value];
    const hold = (h: QuickJSHandle): QuickJSHandle => (held.push(h), h);
    const address = (h: QuickJSHandle): number => objectAt(memory, h.value as unknown as number);
    /** the [a, b, c] entries of list `name` */
    const entries = (name: string): QuickJSHandle[] => {
      const list = hold(ctx.getProp(made.value, name));
      const length = ctx.getProp(list, 'length').consume((h) => ctx.getNumber(h));
      return Array.from({ length }, (_, i) => hold(ctx.getProp(list, i)));
    };
    const walks = entries('walks').map((entry) => ({
      root: address(hold(ctx.getProp(entry, 0))),
      plain: ctx.getProp(entry, 1).consume((h) => ctx.dump(h)) === true,
      objects: ctx.getProp(entry, 2).consume((h) => ctx.getNumber(h)),
    }));
    const protos = entries('protos').map((entry) => ({
      object: address(hold(ctx.getProp(entry, 0))),
      proto: address(hold(ctx.getProp(entry, 1))),
    }));
    const sizes = entries('sizes').map((entry) => ({
      object: address(hold(ctx.getProp(entry, 0))),
      count: ctx.getProp(entry, 1).consume((h) => ctx.getNumber(h)),
    }));
    settleLayout(memory, this.objectProto, walks, protos, sizes);
    for (const h of held.reverse()) h.dispose();
  }

  /**
   * The learner's half of load(), in a session whose prelude is installed (a new one, or a template reset by
   * resetToBase): compile and run the module, then read its exports without running learner code.
   */
  loadModule(js: string, exportNames: string[]): LoadResult {
    return this.guard(() => {
      const ctx = this.ctx;
      if (!this.toolkit) return { ok: false, kind: 'runtime', message: 'The sandbox could not start (its setup code failed); try again.' };
      // Compile: the wrapper keeps the learner's line numbers (it adds nothing before line 1's text).
      // No `require`: imports are refused when the file is transpiled, and nothing of that name exists here.
      const wrapped = `(function (exports, module) {${js}\n})`;
      this.startClock(this.limits.loadTimeoutMs);
      this.interrupted = false;
      this.memoryExceeded = false;
      const compiled = this.supervised(() => ctx.evalCode(wrapped, SUBMISSION_FILE, { type: 'global' }));
      if (compiled.error) {
        const failure = this.failureFrom(compiled.error, 'load');
        compiled.error.dispose();
        if (failure.kind === 'runtime') failure.kind = 'syntax';
        return failure;
      }
      const wrapper = this.own(compiled.value);
      const moduleMade = ctx.callFunction(this.toolkit.newModule, ctx.undefined);
      if (moduleMade.error) {
        const failure = this.failureFrom(moduleMade.error, 'load');
        moduleMade.error.dispose();
        return failure;
      }
      const pair = this.own(moduleMade.value);
      const exportsObject = this.own(ctx.getProp(pair, 0));
      const moduleObject = this.own(ctx.getProp(pair, 1));
      this.interrupted = false;
      this.memoryExceeded = false;
      // The host calls the wrapper itself: the module's top-level code runs with no grader frame above it.
      const loaded = this.supervised(() => ctx.callFunction(wrapper, ctx.undefined, exportsObject, moduleObject));
      if (loaded.error) {
        const failure = this.failureFrom(loaded.error, 'load');
        loaded.error.dispose();
        return failure;
      }
      loaded.value.dispose();
      const names = this.own(ctx.newString(JSON.stringify(exportNames)));
      const inspected = this.supervised(() => ctx.callFunction(this.toolkit!.inspect, ctx.undefined, exportsObject, moduleObject, names));
      if (inspected.error) {
        const failure = this.failureFrom(inspected.error, 'load');
        inspected.error.dispose();
        return failure;
      }
      const text = ctx.typeof(inspected.value) === 'string' ? ctx.getString(inspected.value) : '';
      inspected.value.dispose();
      const parsed = JSON.parse(text) as ['loaded', ExportsInfo];
      const leftover = this.memoryFailureAfterCall();
      if (leftover) return leftover;
      return { ok: true, exports: parsed[1] };
    });
  }

  /**
   * Call an exported function with copies of `args`; the result is copied out without running learner code.
   * @returns the host copy, or a failure: `timeout`, `memory`, `stack`, `runtime` (it threw) or
   *   `invalid-result` (a value that cannot be copied: a function, a Proxy, a Promise, a cyclic or too large value…)
   */
  call(name: string, args: Plain[]): CallResult {
    let argsLength: number;
    try {
      argsLength = encodeArgs(args);
    } catch (error) {
      // The exercise's own data, not the learner's: no reason to distrust the sandbox.
      return {
        ok: false,
        kind: 'runtime',
        message: `The test passed arguments that cannot be copied into the sandbox (${sanitize(String(error), 200)}); this is a bug in the exercise.`,
      };
    }
    return this.guard(() => {
      if (!this.toolkit) return { ok: false, kind: 'runtime', message: 'The module is not loaded.' };
      const { ffi, ctx: context } = this.internals;
      const ctxPointer = context.value;
      const fn = this.exportFunction(name);
      this.startClock(this.limits.callTimeoutMs);
      this.interrupted = false;
      this.memoryExceeded = false;
      // The arguments go in as QuickJS's binary format (bjson.ts): JS_ReadObject builds fresh values in C and
      // defines their properties, so no setter or learner code runs.
      const array = this.argumentsIn(argsLength);
      if (typeof array !== 'number') return array;
      const argPointers: number[] = [];
      for (let i = 0; i < args.length; i++) argPointers.push(ffi.QTS_GetPropNumber(ctxPointer, array, i));
      ffi.QTS_FreeValuePointer(ctxPointer, array);
      // The host calls the export itself: the learner's stack holds only the learner's frames.
      const resultPointer = this.supervised(() => this.rawCall(fn.value, argPointers));
      for (const p of argPointers) ffi.QTS_FreeValuePointer(ctxPointer, p);
      const errorPointer = ffi.QTS_ResolveException(ctxPointer, resultPointer);
      if (errorPointer) {
        ffi.QTS_FreeValuePointer(ctxPointer, resultPointer);
        const error = this.internals.memory.heapValueHandle(errorPointer);
        const failure = this.failureFrom(error, 'call');
        error.dispose();
        return failure;
      }
      let copy: { value: unknown } | SandboxFailure;
      try {
        copy = this.copyOut(resultPointer);
      } finally {
        ffi.QTS_FreeValuePointer(ctxPointer, resultPointer);
      }
      if ('ok' in copy) return copy;
      const leftover = this.memoryFailureAfterCall();
      if (leftover) return leftover;
      return { ok: true, value: copy.value };
    });
  }

  /** The VM's view of the context's internals that quickjs-emscripten 0.32 keeps private (for the raw calls). */
  private get internals(): ContextInternals {
    return this.ctx as unknown as ContextInternals;
  }

  /**
   * \`func(...args)\` through the FFI directly (what QuickJSContext.callFunction does, without its handle objects
   * and typed-array copies, which cost more than the call itself for a small function).
   * @returns the result's JSValuePointer (free it), possibly the exception marker (QTS_ResolveException)
   */
  private rawCall(func: number, args: number[]): number {
    const { ffi, ctx: context, module } = this.internals;
    const own = args.length > ARGV_SLOTS || this.argv === 0;
    const argv = own ? module._malloc(4 * Math.max(1, args.length)) : this.argv;
    const heap = module.HEAPU8;
    for (let i = 0; i < args.length; i++) {
      const p = args[i];
      const at = argv + 4 * i;
      heap[at] = p & 0xff;
      heap[at + 1] = (p >>> 8) & 0xff;
      heap[at + 2] = (p >>> 16) & 0xff;
      heap[at + 3] = p >>> 24;
    }
    try {
      return ffi.QTS_Call(context.value, func, this.undefinedPointer, args.length, argv);
    } finally {
      if (own) module._free(argv);
    }
  }

  /**
   * `JS_ReadObject` on the values encodeArgs() just encoded (`length` bytes): the fresh array's JSValuePointer (free
   * it), or the failure (memory).
   */
  private argumentsIn(length: number): number | SandboxFailure {
    const { ffi, ctx: context, module } = this.internals;
    const data = module._malloc(Math.max(1, length));
    copyEncoded(module.HEAPU8, data);
    const buffer = ffi.QTS_NewArrayBuffer(context.value, data, length); // the ArrayBuffer owns `data` from now on
    const array = ffi.QTS_bjson_decode(context.value, buffer);
    ffi.QTS_FreeValuePointer(context.value, buffer);
    const errorPointer = ffi.QTS_ResolveException(context.value, array);
    if (!errorPointer) return array;
    ffi.QTS_FreeValuePointer(context.value, errorPointer);
    ffi.QTS_FreeValuePointer(context.value, array);
    if (this.growthRefused || this.heapOverLimit(true)) return this.memoryFailure();
    return { ok: false, kind: 'runtime', message: 'The sandbox could not take the arguments (out of memory?); try again.' };
  }

  /**
   * The skeleton as a VM value (a JSValuePointer the session keeps: a simulation's results have the same shape call
   * after call, so the last one is reused when it is the same), or null when it could not be made (memory).
   */
  private skeletonInVm(skeleton: Skeleton): number | null {
    if (this.lastSkeleton && sameSkeleton(this.lastSkeleton.skeleton, skeleton)) return this.lastSkeleton.pointer;
    const { ffi, ctx: context } = this.internals;
    const array = this.argumentsIn(encodeArgs([skeleton]));
    if (typeof array !== 'number') return null;
    const pointer = ffi.QTS_GetPropNumber(context.value, array, 0);
    ffi.QTS_FreeValuePointer(context.value, array);
    if (this.lastSkeleton) ffi.QTS_FreeValuePointer(context.value, this.lastSkeleton.pointer);
    this.lastSkeleton = { skeleton, pointer };
    return pointer;
  }

  /**
   * Copy a result out without running learner code. Fast path: QuickJS's `JS_WriteObject` writes it in C (own
   * enumerable data properties only; accessors, Proxies, functions and Maps make it throw), bjson.ts reads it, and
   * when it holds objects their prototypes are checked — from the host (heap-walk.ts) when it can be certain, else
   * by the prelude's `shapes` in the VM. Anything the fast path does not take (a refusal, a Date, a cycle, a class
   * instance, a value near the size budget…) goes to the prelude's `finish`, which decides and words the refusal.
   * @param result the result's JSValuePointer (not freed here)
   */
  private copyOut(result: number): { value: unknown } | SandboxFailure {
    const { ffi, ctx: context, module } = this.internals;
    const ctxPointer = context.value;
    const encoded = ffi.QTS_bjson_encode(ctxPointer, result);
    const encodeError = ffi.QTS_ResolveException(ctxPointer, encoded);
    let read: ReturnType<typeof readResult> = null;
    if (encodeError) ffi.QTS_FreeValuePointer(ctxPointer, encodeError);
    else {
      const length = ffi.QTS_GetArrayBufferLength(ctxPointer, encoded);
      const data = ffi.QTS_GetArrayBuffer(ctxPointer, encoded); // a malloc'd copy
      if (data) {
        try {
          read = readResult(module.HEAPU8.subarray(data, data + length), this.limits.resultSize, MAX_RESULT_DEPTH);
        } finally {
          module._free(data);
        }
      }
    }
    ffi.QTS_FreeValuePointer(ctxPointer, encoded);
    if (read && (!read.objects || this.plainFromHost(result, read.objectCount) || this.shapesInVm(result, read.skeleton))) {
      return { value: read.value };
    }
    return this.finishSlow(result);
  }

  /** Whether the result's `objects` objects are all plain, read from the host (heap-walk.ts); false: not certain. */
  private plainFromHost(result: number, objects: number): boolean {
    const memory = this.wasmMemory;
    return memory !== null && this.objectProto !== 0 && plainInHeap(memory, objectAt(memory, result), this.objectProto, objects);
  }

  /** The prelude's `shapes()` on the result, reading only where `skeleton` says its objects are: all plain? */
  private shapesInVm(result: number, skeleton: Skeleton): boolean {
    const skeletonItem = this.skeletonInVm(skeleton);
    if (skeletonItem === null) return false;
    const { ffi, ctx: context } = this.internals;
    const checked = this.rawCall(this.toolkit!.shapes.value, [result, skeletonItem]);
    const checkError = ffi.QTS_ResolveException(context.value, checked);
    let plain = false;
    if (checkError) ffi.QTS_FreeValuePointer(context.value, checkError);
    else plain = ffi.QTS_GetFloat64(context.value, checked) === 1; // shapes() returns true or false
    ffi.QTS_FreeValuePointer(context.value, checked);
    return plain;
  }

  /** The prelude's own reader (`finish`) on a result: the copy, or the refusal in its words. */
  private finishSlow(result: number): { value: unknown } | SandboxFailure {
    const ctx = this.ctx;
    const kit = this.toolkit!;
    const { ffi, ctx: context, memory } = this.internals;
    const value = memory.heapValueHandle(ffi.QTS_DupValuePointer(context.value, result));
    const budget = ctx.newNumber(this.limits.resultSize);
    const finished = this.supervised(() => ctx.callFunction(kit.finish, ctx.undefined, value, budget));
    budget.dispose();
    value.dispose();
    if (finished.error) {
      const failure = this.failureFrom(finished.error, 'call');
      finished.error.dispose();
      return failure;
    }
    const text = ctx.typeof(finished.value) === 'string' ? ctx.getString(finished.value) : '';
    finished.value.dispose();
    const parsed = JSON.parse(text) as ['json', unknown] | ['ok', unknown] | ['bad', string];
    if (parsed[0] === 'bad') {
      const leftover = this.memoryFailureAfterCall();
      return leftover ?? { ok: false, kind: 'invalid-result', message: sanitize(parsed[1], 300) };
    }
    // 'json': plain data the VM's JSON.stringify wrote (sandbox-prelude.ts, plain()): JSON.parse's values are the copy
    return { value: parsed[0] === 'json' ? parsed[1] : decodeTagged(parsed[1], 0) };
  }

  /** The snapshot export `name` (undefined in the VM when it was not a function), cached. */
  private exportFunction(name: string): QuickJSHandle {
    let handle = this.exportHandles.get(name);
    if (!handle) {
      const nameHandle = this.ctx.newString(name);
      const got = this.ctx.callFunction(this.toolkit!.fn, this.ctx.undefined, nameHandle);
      nameHandle.dispose();
      handle = this.own(got.error ? (got.error.dispose(), this.ctx.undefined) : got.value);
      this.exportHandles.set(name, handle);
    }
    return handle;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.gate?.allow === this.mayGrowTo) this.gate.allow = null;
    if (this.broken) return; // a broken module may abort on disposal; it is discarded whole instead
    try {
      if (this.lastSkeleton) this.internals.ffi.QTS_FreeValuePointer(this.internals.ctx.value, this.lastSkeleton.pointer);
      this.lastSkeleton = null;
      if (this.argv !== 0) this.internals.module._free(this.argv);
      this.argv = 0;
      for (const h of this.handles.reverse()) if (h.alive) h.dispose();
      this.ctx.dispose();
      this.runtime.dispose();
    } catch {
      this.broken = true;
    }
  }

  private own(handle: QuickJSHandle): QuickJSHandle {
    this.handles.push(handle);
    return handle;
  }

  /**
   * Is the learner's heap over `limits.memoryBytes`? Needed because the growth gate bounds only growth: heap left
   * free by earlier sessions is reused without growing (and QuickJS's own malloc limit is not set: see the
   * constructor). Cheap checks: the growth gate refused this session,
   * or the WASM memory grew by more than the limit during this session. Precise check (`precise`): QuickJS's own census of live memory, which walks
   * the heap (≈ 0.1 ms for a small heap, tens of ms near the limit), so it is rate-limited.
   */
  private heapOverLimit(precise: boolean): boolean {
    if (this.oversized) return true;
    if (!precise) return false;
    this.lastCensus = Date.now();
    if (this.wasmMemory) this.bytesAtLastCensus = this.wasmMemory.buffer.byteLength;
    const m = /memory used\s+\d+\s+(\d+)/.exec(this.runtime.dumpMemoryUsage());
    return m !== null && Number(m[1]) > this.limits.memoryBytes;
  }

  /** After learner code returned normally: a memory failure if it left too much behind. */
  private memoryFailureAfterCall(): SandboxFailure | null {
    // Growth since the last census (not merely since the session started): a census per growth, not per call.
    const grew = this.wasmMemory !== null && this.wasmMemory.buffer.byteLength > this.bytesAtLastCensus;
    if (!this.heapOverLimit(grew || Date.now() - this.lastCensus > CENSUS_INTERVAL_MS)) return null;
    return this.memoryFailure();
  }

  /**
   * The growth gate (see gatedWasmMemory): may this session grow the WASM memory to `bytes`? Not by more than
   * `limits.memoryBytes` since the session started, nor past WASM_MEMORY_MAX_BYTES (where `grow` itself would fail,
   * unseen), except while the grader itself describes an error. A refusal makes QuickJS throw its own
   * `out of memory` at once, and the session is reported as over the memory limit, whether or not the code catches
   * that error: with no QuickJS malloc limit set, every allocation failure in a session passes through here.
   */
  private readonly mayGrowTo = (bytes: number): boolean => {
    if (this.describing) return true;
    if (bytes - this.wasmBytesAtStart <= this.limits.memoryBytes && bytes <= WASM_MEMORY_MAX_BYTES) return true;
    this.growthRefused = true;
    return false;
  };

  private memoryFailure(where: { line?: number } = {}): SandboxFailure {
    const mb = Math.round(this.limits.memoryBytes / (1024 * 1024));
    return { ok: false, kind: 'memory', message: `The code used more than ${mb} MB of memory and was stopped.`, ...where };
  }

  /**
   * True when this session grew the WASM module's memory by more than the memory limit, or asked to and was refused
   * (a bomb): the module is then better thrown away, so that the memory goes back to the system instead of staying
   * reserved. Also the cheap half of heapOverLimit.
   */
  get oversized(): boolean {
    return (
      this.growthRefused ||
      (this.wasmMemory !== null && this.wasmMemory.buffer.byteLength - this.wasmBytesAtStart > this.limits.memoryBytes)
    );
  }

  private startClock(ms: number): void {
    const suite = this.options.suiteDeadline ?? Infinity;
    this.deadline = Math.min(Date.now() + ms, suite);
  }

  /** Run learner code under the current clock, telling the supervisor before and after. */
  private supervised<T>(work: () => T): T {
    this.options.onCallStart?.(Math.max(0, this.deadline - Date.now()));
    try {
      return work();
    } finally {
      this.options.onCallEnd?.();
    }
  }

  private appendConsole(text: string): void {
    const room = this.limits.consoleChars - this.consoleText.length;
    if (room <= 0) {
      this.consoleCut = true;
      return;
    }
    if (text.length > room) {
      this.consoleText += text.slice(0, room);
      this.consoleCut = true;
    } else this.consoleText += text;
  }

  /** Run host-side work; any exception here is a host failure: mark the module broken, report, never throw. */
  private guard<T>(work: () => T | SandboxFailure): T | SandboxFailure {
    if (this.disposed) return { ok: false, kind: 'runtime', message: 'The sandbox was already closed.' };
    try {
      return work();
    } catch (error) {
      this.broken = true;
      const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      if (error instanceof RangeError && /call stack/i.test(text)) {
        return { ok: false, kind: 'stack', message: 'Recursion went deeper than the sandbox can follow; check the base case.' };
      }
      if (/memory|out of bounds|abort/i.test(text)) {
        return { ok: false, kind: 'memory', message: 'The sandbox ran out of memory and was restarted.' };
      }
      return { ok: false, kind: 'runtime', message: `The sandbox failed and was restarted (${sanitize(text, 200)}).` };
    }
  }

  /** Classify an error that reached the host (uncatchable interrupt, or a failure inside the grader's VM code). */
  private failureFrom(errorHandle: QuickJSHandle, phase: 'load' | 'call'): SandboxFailure {
    const interrupted = this.interrupted;
    const memoryExceeded = this.memoryExceeded;
    const info = this.describe(errorHandle);
    if (memoryExceeded || this.growthRefused) return this.memoryFailure();
    if (interrupted) return this.timeoutFailure(phase);
    return this.thrownFailure(info, phase);
  }

  /** Describe a thrown VM value with the prelude's hook-free reader, with a little extra time and memory. */
  private describe(errorHandle: QuickJSHandle): ThrownInfo {
    const fallback: ThrownInfo = { name: null, message: '', stack: '', text: 'an error the grader could not read' };
    if (!this.toolkit) {
      // The prelude itself failed (memory or time at the very start).
      return { ...fallback, name: 'InternalError', message: this.interrupted ? 'interrupted' : 'out of memory' };
    }
    this.deadline = Date.now() + 1_000;
    this.describing = true;
    try {
      const described = this.ctx.callFunction(this.toolkit.describe, this.ctx.undefined, errorHandle);
      if (described.error) {
        described.error.dispose();
        return fallback;
      }
      const text = this.ctx.typeof(described.value) === 'string' ? this.ctx.getString(described.value) : '';
      described.value.dispose();
      return text ? (JSON.parse(text) as ThrownInfo) : fallback;
    } finally {
      this.describing = false;
    }
  }

  /** No line for timeouts: the interrupt's backtrace does not reliably point at the loop. */
  private timeoutFailure(phase: 'load' | 'call'): SandboxFailure {
    const suite = this.options.suiteDeadline ?? Infinity;
    const message =
      Date.now() >= suite && this.deadline >= suite
        ? 'The submission used up its whole time budget and was stopped.'
        : phase === 'load'
          ? `The file's top-level code ran for more than ${this.limits.loadTimeoutMs} ms and was stopped (an endless loop?).`
          : `The function ran for more than ${this.limits.callTimeoutMs} ms and was stopped (an endless loop?).`;
    return { ok: false, kind: 'timeout', message };
  }

  private thrownFailure(info: ThrownInfo, phase: 'load' | 'call'): SandboxFailure {
    const where = lineFromStack(info.stack);
    const name = info.name;
    if (name === 'InternalError' && info.message === 'interrupted' && this.interrupted) return this.timeoutFailure(phase);
    if (name === 'InternalError' && info.message === 'string too long') {
      return { ok: false, kind: 'memory', message: 'A string grew past the longest string the sandbox allows and was stopped.', ...where };
    }
    if (name === 'InternalError' && info.message === 'out of memory') return this.memoryFailure(where);
    if (
      (name === 'InternalError' && info.message === 'stack overflow') ||
      (name === 'RangeError' && /Maximum call stack/.test(info.message))
    ) {
      const kib = Math.round(this.limits.stackBytes / 1024);
      return {
        ok: false,
        kind: 'stack',
        message: `Recursion went deeper than the ${kib} KiB stack allows; check the base case.`,
        ...where,
      };
    }
    const prefix = phase === 'load' ? 'The file threw while loading: ' : 'The function threw ';
    const what =
      name !== null ? `${sanitize(name, 60)}${info.message ? `: ${sanitize(info.message, 400)}` : ''}` : sanitize(info.text, 400);
    if (phase === 'load' && name === 'SyntaxError' && !info.stack.includes(SUBMISSION_FILE)) {
      return { ok: false, kind: 'syntax', message: sanitize(info.message, 400), ...where };
    }
    return { ok: false, kind: 'runtime', message: `${prefix}${what}`, ...where };
  }
}

/**
 * Open a session and load the learner's module in it. Never throws.
 * @returns the session (dispose it; null when it could not start, with a `runtime` load failure and the shared
 *   module already discarded) and the load result
 */
export function openSession(
  quickjs: QuickJSWASMModule,
  js: string,
  exportNames: string[],
  limits: Limits,
  options: SessionOptions = {},
  keepBase = false,
): { session: SandboxSession | null; load: LoadResult } {
  let session: SandboxSession;
  try {
    session = new SandboxSession(quickjs, limits, options);
  } catch (error) {
    discardQuickJS();
    return {
      session: null,
      load: { ok: false, kind: 'runtime', message: `The sandbox could not start (${sanitize(String(error), 200)}).` },
    };
  }
  return { session, load: session.load(js, exportNames, keepBase) };
}

/** Tagged JSON from the VM → host value. Depth is already bounded by the VM side (MAX_RESULT_DEPTH). */
function decodeTagged(x: unknown, depth: number): unknown {
  if (x === null || typeof x !== 'object') return x;
  if (depth > MAX_RESULT_DEPTH + 1) throw new RangeError('result nested too deeply');
  const a = x as unknown[];
  switch (a[0]) {
    case 'undefined':
      return undefined;
    case 'hole':
      return undefined;
    case 'NaN':
      return NaN;
    case 'Infinity':
      return Infinity;
    case '-Infinity':
      return -Infinity;
    case '-0':
      return -0;
    case 'u8':
      return Uint8Array.from(a.slice(1) as number[]);
    case 'array':
      return a.slice(1).map((item) => decodeTagged(item, depth + 1));
    case 'object': {
      const o: Record<string, unknown> = {};
      for (let i = 1; i + 1 < a.length; i += 2) {
        Object.defineProperty(o, a[i] as string, {
          value: decodeTagged(a[i + 1], depth + 1),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return o;
    }
    default:
      throw new TypeError(`Unknown tag ${String(a[0])}`);
  }
}
