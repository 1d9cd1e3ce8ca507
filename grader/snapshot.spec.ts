/**
 * The per-test snapshot (issue 13): SandboxSession.takeSnapshot / restore in a dedicated module (vm-pool.ts).
 * A restored VM holds nothing of the calls made since the snapshot, the host's handles and counters start over
 * with it, and the module can be disposed and reused afterwards. runner.spec.ts checks the same end to end.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { resolveLimits } from './limits.ts';
import { heapBreak, openSession, usedExtent } from './sandbox.ts';
import { transpile } from './transpile.ts';
import { acquireModule, releaseModule } from './vm-pool.ts';

const MiB = 1024 * 1024;

/**
 * The QuickJS binary's memory layout, read from the .wasm file itself: `__stack_pointer`'s initial value (global 0,
 * the stack's top: Emscripten puts the heap above it) and the end of the last active data segment.
 */
function wasmLayout(): { stackTop: number; dataEnd: number } {
  const b = readFileSync(createRequire(import.meta.url).resolve('@jitl/quickjs-wasmfile-release-sync/wasm'));
  let p = 8;
  const leb = (): number => {
    let r = 0;
    for (let s = 0; ; s += 7) {
      const x = b[p++];
      r += (x & 0x7f) * 2 ** s;
      if (!(x & 0x80)) return r;
    }
  };
  const sleb = (): number => {
    let r = 0;
    let s = 0;
    let x: number;
    do {
      x = b[p++];
      r |= (x & 0x7f) << s;
      s += 7;
    } while (x & 0x80);
    return s < 32 && x & 0x40 ? r | (-1 << s) : r;
  };
  let stackTop = -1;
  let dataEnd = -1;
  while (p < b.length) {
    const id = b[p++];
    const size = leb();
    const end = p + size;
    if (id === 6 && stackTop < 0) {
      leb(); // count
      p += 2; // i32, mutable
      if (b[p++] !== 0x41) throw new Error('global 0 is not an i32.const');
      stackTop = sleb();
    }
    if (id === 11) {
      for (let n = leb(); n > 0; n--) {
        if (leb() !== 0) throw new Error('only active data segments in memory 0 are expected');
        p++; // i32.const
        const offset = sleb();
        p++; // end
        const length = leb();
        dataEnd = Math.max(dataEnd, offset + length);
        p += length;
      }
    }
    p = end;
  }
  return { stackTop, dataEnd };
}

async function loaded(source: string) {
  const limits = resolveLimits();
  const js = transpile(source, limits);
  if (!js.ok) throw new Error(`fixture does not transpile: ${js.message}`);
  const vm = await acquireModule();
  const { session, load } = openSession(vm.quickjs, js.code, ['f', 'g'], limits);
  if (!session || !load.ok) throw new Error('fixture did not load');
  expect(session.takeSnapshot(['f', 'g'])).toBe(true);
  return { vm, session };
}

describe('snapshot and restore', () => {
  it('a restore takes the VM back to just after the load, however many calls ran since, and the session disposes cleanly', async () => {
    const { vm, session } = await loaded(
      'let n = 0; (globalThis as any).g0 = 0;\nexport function f(): number[] { (globalThis as any).g0++; n++; const junk = []; for (let i = 0; i < 20000; i++) junk.push({ i }); (globalThis as any).junk = junk; return [n, (globalThis as any).g0]; }\nexport function g(): string { return typeof (globalThis as any).junk; }',
    );
    for (let round = 0; round < 5; round++) {
      expect(session.call('g', [])).toEqual({ ok: true, value: 'undefined' });
      expect(session.call('f', [])).toEqual({ ok: true, value: [1, 1] });
      expect(session.call('f', [])).toEqual({ ok: true, value: [2, 2] });
      expect(session.restore()).toBe(true);
    }
    session.dispose();
    expect(session.broken).toBe(false);
    releaseModule(vm);
    // The module comes back reset to its bytes after instantiation, and a new session works in it.
    const again = await acquireModule();
    expect(again).toBe(vm);
    const bytes = Buffer.from(again.memory.buffer);
    // every byte but the unused C stack's (never read before it is written) is back as it was after instantiation
    const gap = again.stackGap!;
    expect(bytes.subarray(0, gap.low).equals(again.pristine.subarray(0, gap.low))).toBe(true);
    expect(bytes.subarray(gap.high, again.pristine.length).equals(again.pristine.subarray(gap.high))).toBe(true);
    expect(usedExtent(again.memory)).toBe(again.pristine.length);
    const { session: next } = await loaded('export function f(): number { return 7; }\nexport function g(): number { return 8; }');
    expect(next.call('f', [])).toEqual({ ok: true, value: 7 });
    next.dispose();
  });

  it('the growth gate and the census count from the restore: each test may grow the heap up to the limit once', async () => {
    const { session } = await loaded(
      'const kept: Uint8Array[] = [];\nexport function f(mib: number): number { kept.push(new Uint8Array(mib << 20).fill(1)); return kept.length; }\nexport function g(): number { return 0; }',
    );
    // 40 MiB per test is within the 64 MiB limit; kept across tests it would not be.
    for (let test = 0; test < 3; test++) {
      expect(session.call('f', [40])).toEqual({ ok: true, value: 1 });
      expect(session.restore()).toBe(true);
    }
    // A request past the limit is refused by the gate (growth counted from the restore, not from the load).
    const over = session.call('f', [200]);
    expect(over.ok === false && over.kind).toBe('memory');
    expect(session.oversized).toBe(true);
    expect(session.restore()).toBe(true);
    expect(session.oversized).toBe(false);
    expect(session.call('f', [8])).toEqual({ ok: true, value: 1 });
    session.dispose();
    expect(64 * MiB).toBe(resolveLimits().memoryBytes);
  });

  it("the stack gap snapshots skip lies inside the C stack: above the binary's static data, below its __stack_pointer", async () => {
    const vm = await acquireModule();
    const gap = vm.stackGap;
    releaseModule(vm);
    const { stackTop, dataEnd } = wasmLayout();
    expect(gap).not.toBeNull();
    // The stack is [dataEnd + statics, stackTop); the gap must not reach the statics or the heap above the stack.
    expect(gap!.low).toBeGreaterThanOrEqual(dataEnd);
    expect(gap!.high).toBeLessThanOrEqual(stackTop);
    expect(gap!.high - gap!.low).toBeGreaterThan(4 * MiB);
  });

  it("the allocator's break is a word in the binary's data, moves with the heap, and bounds every non-zero byte until a restore", async () => {
    const { dataEnd, stackTop } = wasmLayout();
    const { vm, session } = await loaded(
      'const kept: Uint8Array[] = [];\nexport function f(mib: number): number { kept.push(new Uint8Array(mib * 1024 * 1024).fill(1)); return kept.length; }\nexport function g(): number { return 0; }',
    );
    expect(vm.breakWord).not.toBeNull();
    expect(vm.breakWord!).toBeLessThan(dataEnd); // a static with an initial value (the heap's base), not stack or heap
    /** the last non-zero byte of the whole memory, as usedExtent found it before it knew the break */
    const lastNonZero = (): number => {
      const bytes = new Uint8Array(vm.memory.buffer);
      let i = bytes.length - 1;
      while (i >= 0 && bytes[i] === 0) i--;
      return i + 1;
    };
    const breakAtSnapshot = heapBreak(vm.memory);
    expect(breakAtSnapshot).toBeGreaterThan(stackTop); // the heap is above the stack
    expect(lastNonZero()).toBeLessThanOrEqual(breakAtSnapshot);
    const extentAtSnapshot = usedExtent(vm.memory);
    for (let test = 0; test < 3; test++) {
      expect(session.call('f', [3])).toEqual({ ok: true, value: 1 });
      expect(session.call('f', [2])).toEqual({ ok: true, value: 2 });
      // the heap grew by 5 MiB of ones (less what was free at its top): the break moved past them, nothing non-zero above it
      expect(heapBreak(vm.memory) - breakAtSnapshot).toBeGreaterThanOrEqual(4 * MiB);
      expect(lastNonZero()).toBeLessThanOrEqual(heapBreak(vm.memory));
      expect(usedExtent(vm.memory)).toBe(Math.ceil(lastNonZero() / 4) * 4); // in words
      expect(session.restore()).toBe(true);
      // the restore put the break back; the test's bytes above it are free memory, left out of the extent (the
      // free top below it may hold some of them too: never read before they are handed out again)
      expect(heapBreak(vm.memory)).toBe(breakAtSnapshot);
      expect(usedExtent(vm.memory)).toBeGreaterThanOrEqual(extentAtSnapshot);
      expect(usedExtent(vm.memory)).toBeLessThanOrEqual(breakAtSnapshot);
      expect(lastNonZero()).toBeGreaterThan(breakAtSnapshot + 4 * MiB);
    }
    session.dispose();
    releaseModule(vm);
  });

  it('a test that ran deep recursion (the C stack dirty far down) leaves nothing behind a restore', async () => {
    const { session } = await loaded(
      'let calls = 0;\nfunction deep(n: number): number { return n === 0 ? 0 : 1 + deep(n - 1); }\nexport function f(n: number): number[] { calls++; return [deep(n), calls]; }\nexport function g(): number { return calls; }',
    );
    for (let test = 0; test < 4; test++) {
      expect(session.call('g', [])).toEqual({ ok: true, value: 0 });
      expect(session.call('f', [400])).toEqual({ ok: true, value: [400, 1] });
      expect(session.call('f', [10])).toEqual({ ok: true, value: [10, 2] });
      // as deep as the stack limit allows, and past it
      expect(session.call('f', [1_000_000])).toMatchObject({ ok: false, kind: 'stack' });
      expect(session.restore()).toBe(true);
    }
    session.dispose();
  });

  it('a broken session is never restored (its module is dropped instead)', async () => {
    const { session } = await loaded('export function f(): number { return 1; }\nexport function g(): number { return 2; }');
    session.broken = true;
    expect(session.restore()).toBe(false);
    session.dispose();
  });
});
