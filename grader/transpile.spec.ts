import { describe, expect, it } from 'vitest';
import { resolveLimits } from './limits.ts';
import { measureNesting, transpile } from './transpile.ts';

const limits = resolveLimits();

describe('transpile', () => {
  it('TypeScript with exports → CommonJS on the same lines', () => {
    const r = transpile('\n\nexport function partition(k: Uint8Array, n: number): number {\n  return k.length % n;\n}\n', limits);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.code).toContain('exports.partition = partition');
      expect(r.code.split('\n')[2]).toContain('function partition(k, n)');
    }
  });
  it("a syntax error gives the learner's line and column", () => {
    expect(transpile('const a = 1;\nconst b = (a + );\n', limits)).toEqual({
      ok: false,
      kind: 'syntax',
      message: 'Unexpected token',
      line: 2,
      column: 16,
    });
  });
  it('refuses deep nesting before the transpiler sees it', () => {
    const r = transpile(`x = ${'['.repeat(30_000)}${']'.repeat(30_000)}`, limits);
    expect(r).toMatchObject({ ok: false, kind: 'syntax', line: 1, column: 405 });
  });
});

describe('measureNesting', () => {
  it('ignores brackets in comments, strings and template text, counts ${}', () => {
    expect(measureNesting('// (((\n/* [[[ */ "{{{" \'(((\' `(((` f(a[0])').depth).toBe(2);
    expect(measureNesting('`${ `${ (1) }` }`').depth).toBe(3);
  });
});
