/**
 * The per-test snapshot (issue 13): SandboxSession.takeSnapshot / restore in a dedicated module (vm-pool.ts).
 * A restored VM holds nothing of the calls made since the snapshot, the host's handles and counters start over
 * with it, and the module can be disposed and reused afterwards. runner.spec.ts checks the same end to end.
 */
import { describe, expect, it } from 'vitest';
import { resolveLimits } from './limits.ts';
import { openSession, usedExtent } from './sandbox.ts';
import { transpile } from './transpile.ts';
import { acquireModule, releaseModule } from './vm-pool.ts';

const MiB = 1024 * 1024;

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
    expect(bytes.subarray(0, again.pristine.length).equals(again.pristine)).toBe(true);
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

  it('a broken session is never restored (its module is dropped instead)', async () => {
    const { session } = await loaded('export function f(): number { return 1; }\nexport function g(): number { return 2; }');
    session.broken = true;
    expect(session.restore()).toBe(false);
    session.dispose();
  });
});
