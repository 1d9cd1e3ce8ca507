/**
 * Type-strict comparison of a learner's (copied) result with the engine's expected value, in the host, and
 * the type-aware rendering shown as `expected` / `actual`.
 *
 * Rule: types first, then values. A wrong type anywhere (`"2"` for `2`, `NaN` for a number, `null` for an
 * array, a number[] for a Uint8Array) is an `invalid-result`; right types with a different value is a
 * plain failure (`mismatch`).
 *
 * Example: expected `{ C0: [0, 1] }`
 *   actual `{ C0: [0, "1"] }`  → type:     `expected a number, got a string "1" (at .C0[1])`
 *   actual `{ C0: [0, 2] }`    → mismatch: `got 2, expected 1 (at .C0[1])`
 *   actual `{ C0: [0] }`       → mismatch: `got 1 element, expected 2 (at .C0)`
 *
 * Note: -0 equals 0 (a partition is an integer; `-0 % 6` is still partition 0 once Kafka's int sees it) but is
 * rendered `-0`; NaN and ±Infinity are never numbers an exercise expects, so they are type errors.
 * Object key order does not matter; `undefined` (a missing `return`) is a type error.
 */
import { plural } from '../engine/index.ts';
import type { Plain } from './exercise-api.ts';

export type Verdict = { equal: true } | { equal: false; kind: 'type' | 'mismatch'; path: string; message: string };

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}

function isIdentifier(k: string): boolean {
  return /^[A-Za-z_$][\w$]*$/.test(k);
}

function keyPath(k: string): string {
  return isIdentifier(k) ? `.${k}` : `[${JSON.stringify(k)}]`;
}

function at(path: string): string {
  return path ? ` (at ${path})` : '';
}

/** The kind of value a Plain expects, for messages: `a number`, `a Uint8Array`, … */
export function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (typeof v === 'number') return Number.isFinite(v) ? 'a number' : String(v);
  if (typeof v === 'string') return 'a string';
  if (typeof v === 'boolean') return 'a boolean';
  if (v instanceof Uint8Array) return 'a Uint8Array';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  return `a ${typeof v}`;
}

/** A value as the learner would describe it: `a string "2"`, `NaN`, `undefined`, `the number 3`, `an array [1, 2]`. */
export function describeValue(v: unknown, maxChars = 80): string {
  if (v === null || v === undefined) return String(v);
  if (typeof v === 'number') return Number.isFinite(v) ? `the number ${render(v)}` : String(v);
  if (typeof v === 'string') return `a string ${render(v, maxChars)}`;
  if (typeof v === 'boolean') return `the boolean ${String(v)}`;
  if (v instanceof Uint8Array) return `a Uint8Array ${render(v, maxChars)}`;
  if (Array.isArray(v)) return `an array ${render(v, maxChars)}`;
  return `an object ${render(v, maxChars)}`;
}

/**
 * Compare type-strictly. Iterates over an explicit stack: safe for any input the sandbox can produce.
 * @param expected the engine's answer (Plain)
 * @param actual the host copy of the learner's result (may also be undefined, NaN, ±Infinity, -0)
 */
export function compareValues(expected: Plain, actual: unknown): Verdict {
  return sameValues(expected, actual) ? { equal: true } : firstDifference(expected, actual);
}

/** compareValues' walk to the first difference, with its path and message ({ equal: true } when there is none). */
export function firstDifference(expected: Plain, actual: unknown): Verdict {
  const stack: Array<{ e: Plain; a: unknown; path: string }> = [{ e: expected, a: actual, path: '' }];
  while (stack.length > 0) {
    const { e, a, path } = stack.pop()!;
    if (e === null || typeof e !== 'object') {
      // null, boolean, number, string
      const sameType = e === null ? a === null : typeof a === typeof e && (typeof a !== 'number' || Number.isFinite(a) || Number.isNaN(e));
      if (!sameType) return typeMismatch(e, a, path);
      if (a !== e && !(Number.isNaN(e) && Number.isNaN(a))) {
        return { equal: false, kind: 'mismatch', path, message: `got ${render(a)}, expected ${render(e)}${at(path)}` };
      }
      continue;
    }
    if (e instanceof Uint8Array) {
      if (!(a instanceof Uint8Array)) return typeMismatch(e, a, path);
      if (a.length !== e.length || a.some((byte, i) => byte !== e[i])) {
        return { equal: false, kind: 'mismatch', path, message: `got ${render(a)}, expected ${render(e)}${at(path)}` };
      }
      continue;
    }
    if (Array.isArray(e)) {
      if (!Array.isArray(a)) return typeMismatch(e, a, path);
      if (a.length !== e.length) {
        return { equal: false, kind: 'mismatch', path, message: `got ${plural(a.length, 'element')}, expected ${e.length}${at(path)}` };
      }
      for (let i = e.length - 1; i >= 0; i--) stack.push({ e: e[i], a: a[i], path: `${path}[${i}]` });
      continue;
    }
    if (!isPlainObject(a)) return typeMismatch(e, a, path);
    const expectedKeys = Object.keys(e);
    const actualKeys = new Set(Object.keys(a));
    const missing = expectedKeys.filter((k) => !actualKeys.has(k));
    if (missing.length > 0) {
      return {
        equal: false,
        kind: 'mismatch',
        path,
        message: `missing key ${missing
          .map((k) => JSON.stringify(k))
          .slice(0, 5)
          .join(', ')}${at(path)}`,
      };
    }
    const extra = [...actualKeys].filter((k) => !Object.hasOwn(e, k));
    if (extra.length > 0) {
      return {
        equal: false,
        kind: 'mismatch',
        path,
        message: `unexpected key ${extra
          .map((k) => JSON.stringify(k))
          .slice(0, 5)
          .join(', ')}${at(path)}`,
      };
    }
    for (let i = expectedKeys.length - 1; i >= 0; i--) {
      const k = expectedKeys[i];
      stack.push({ e: (e as Record<string, Plain>)[k], a: a[k], path: `${path}${keyPath(k)}` });
    }
  }
  return { equal: true };
}

/** Pairs still to compare in sameValues (reused; emptied after each call so that no copy is kept alive). */
const pendingExpected: unknown[] = [];
const pendingActual: unknown[] = [];

/**
 * compareValues' verdict when it is "equal", without the paths and messages it makes on the way (most results
 * are right: a suite compares thousands). The same rules, also over an explicit stack.
 */
export function sameValues(expected: Plain, actual: unknown): boolean {
  let n = 0;
  pendingExpected[n] = expected;
  pendingActual[n++] = actual;
  let same = true;
  while (same && n > 0) {
    n--;
    const e = pendingExpected[n];
    const a = pendingActual[n];
    if (e === null) same = a === null;
    else if (typeof e !== 'object') {
      same =
        typeof a === typeof e &&
        (typeof a !== 'number' || Number.isFinite(a) || Number.isNaN(e)) &&
        (a === e || (Number.isNaN(e) && Number.isNaN(a)));
    } else if (e instanceof Uint8Array) {
      same = a instanceof Uint8Array && a.length === e.length;
      for (let i = 0; same && i < e.length; i++) same = (a as Uint8Array)[i] === e[i];
    } else if (Array.isArray(e)) {
      same = Array.isArray(a) && a.length === e.length;
      if (same) {
        for (let i = e.length - 1; i >= 0; i--) {
          pendingExpected[n] = e[i];
          pendingActual[n++] = (a as unknown[])[i];
        }
      }
    } else {
      // the same own enumerable keys: as many, and each of the expected ones among the actual ones
      const keys = Object.keys(e);
      same = isPlainObject(a) && Object.keys(a).length === keys.length;
      for (let i = keys.length - 1; same && i >= 0; i--) {
        same = Object.prototype.propertyIsEnumerable.call(a, keys[i]);
        pendingExpected[n] = (e as Record<string, unknown>)[keys[i]];
        pendingActual[n++] = (a as Record<string, unknown>)[keys[i]];
      }
    }
  }
  pendingExpected.length = 0;
  pendingActual.length = 0;
  return same;
}

function typeMismatch(e: Plain, a: unknown, path: string): Verdict {
  const hint = a === undefined && path === '' ? ' (is a `return` missing?)' : '';
  return { equal: false, kind: 'type', path, message: `expected ${typeName(e)}, got ${describeValue(a)}${at(path)}${hint}` };
}

/**
 * Render a value for display, type-aware and truncated: `2` vs `"2"`, `-0`, `NaN`, `undefined`,
 * `Uint8Array [0x32, 0x31]`, `[0, 1]`, `{ C0: [0, 1] }`. Never longer than `maxChars` (+ `…`).
 */
export function render(value: unknown, maxChars = 200): string {
  let out = '';
  // Work list of strings to emit or values to expand; stops as soon as the text is long enough.
  const work: unknown[] = [{ v: value }];
  while (work.length > 0 && out.length <= maxChars) {
    const item = work.pop();
    if (typeof item === 'string') {
      out += item;
      continue;
    }
    const v = (item as { v: unknown }).v;
    if (v === null || v === undefined || typeof v === 'boolean') out += String(v);
    else if (typeof v === 'number') out += Object.is(v, -0) ? '-0' : String(v);
    else if (typeof v === 'string') out += JSON.stringify(v.length > maxChars ? v.slice(0, maxChars) : v);
    else if (typeof v === 'bigint') out += `${v}n`;
    else if (v instanceof Uint8Array) {
      const shown = Array.from(v.subarray(0, Math.ceil(maxChars / 6)), (b) => `0x${b.toString(16).padStart(2, '0')}`);
      out += `Uint8Array [${shown.join(', ')}${v.length > shown.length ? ', …' : ''}]`;
    } else if (Array.isArray(v)) {
      const parts: unknown[] = ['['];
      const n = Math.min(v.length, maxChars);
      for (let i = 0; i < n; i++) {
        if (i > 0) parts.push(', ');
        parts.push({ v: v[i] });
      }
      if (v.length > n) parts.push(', …');
      parts.push(']');
      for (let i = parts.length - 1; i >= 0; i--) work.push(parts[i]);
    } else if (typeof v === 'object') {
      const keys = Object.keys(v);
      if (keys.length === 0) {
        out += '{}';
        continue;
      }
      const parts: unknown[] = ['{ '];
      const n = Math.min(keys.length, maxChars);
      for (let i = 0; i < n; i++) {
        if (i > 0) parts.push(', ');
        parts.push(`${isIdentifier(keys[i]) ? keys[i] : JSON.stringify(keys[i])}: `, { v: (v as Record<string, unknown>)[keys[i]] });
      }
      if (keys.length > n) parts.push(', …');
      parts.push(' }');
      for (let i = parts.length - 1; i >= 0; i--) work.push(parts[i]);
    } else out += `<${typeof v}>`;
  }
  return out.length > maxChars || work.length > 0 ? `${out.slice(0, maxChars)}…` : out;
}
