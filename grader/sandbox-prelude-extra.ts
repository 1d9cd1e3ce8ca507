/**
 * The rarely needed part of the grader's code inside the VM, compiled on first use in the same context by
 * sandbox-prelude.ts (`more()`): the tagged encoder for results that are not plain JSON data (Uint8Array,
 * undefined, NaN, -0, holes, and every refusal message), naming odd values ("a Promise", "new Number(2)"), console
 * text and thrown values. Most sessions never need it, and QuickJS compiles a script's every function up front:
 * keeping it out of the prelude roughly halves what each fresh context parses.
 *
 * Rule: it is a function of P, the built-ins sandbox-prelude.ts captured before any learner code ran, and reads no
 * global name (grader/sandbox.spec.ts checks that with ESLint's no-undef), so, compiled after learner code ran, it
 * still sees only pristine built-ins. The hook-free rules of sandbox-prelude.ts hold here too.
 *
 * Evaluates to `(P) => ({ describeOdd, show, describe, encodeTagged })`.
 */
import { MAX_RESULT_DEPTH } from './sandbox-prelude.ts';

export const PRELUDE_EXTRA = String.raw`(function (P) {
'use strict';
const { apply, ownKeys, gopd, getProto, hasOwn, isArray, objectIs, jsonStringify, StringOf, strSlice, strCharCodeAt,
  ObjectProto, ErrorProto, PromiseProto, GeneratorProto, AsyncGeneratorProto, numberValueOf, stringValueOf,
  booleanValueOf, bigintValueOf, symbolValueOf, dateGetTime, mapHas, setHas, weakMapHas, weakSetHas, regexpSource,
  abByteLength, dvByteLength, weakRefDeref, sabByteLength, taTag, taLength, taTagOf, taLengthOf, isProxy, isObject,
  cut, quote, ownData, functionName, thrownJson } = P;
const MAX_DEPTH = ${MAX_RESULT_DEPTH};

function isIdent(k) {
  if (k.length === 0 || k.length > 60) return false;
  for (let j = 0; j < k.length; j++) {
    const c = apply(strCharCodeAt, k, [j]);
    const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 36 || c === 95;
    if (!letter && !(j > 0 && c >= 48 && c <= 57)) return false;
  }
  return true;
}
function tryBrand(fn, x) { try { return { __proto__: null, v: apply(fn, x, []) }; } catch (e) { return undefined; } }
function tryBrand1(fn, x) { try { apply(fn, x, [undefined]); return true; } catch (e) { return false; } }

/** Names what a non-plain value is, in the learner's terms ("a Promise", "new Number(2)"); never runs learner code. */
function describeOdd(x) {
  if (typeof x === 'bigint') return 'a bigint ' + StringOf(x) + 'n';
  if (typeof x === 'symbol') return 'a symbol ' + cut(StringOf(x), 80);
  if (isProxy(x)) return 'a Proxy';
  if (typeof x === 'function') {
    const n = functionName(x);
    return n ? 'a function ' + cut(n, 60) : 'a function';
  }
  let b;
  if ((b = tryBrand(numberValueOf, x))) return 'new Number(' + (objectIs(b.v, -0) ? '-0' : StringOf(b.v)) + ')';
  if ((b = tryBrand(stringValueOf, x))) return 'new String(' + quote(b.v, 40) + ')';
  if ((b = tryBrand(booleanValueOf, x))) return 'new Boolean(' + StringOf(b.v) + ')';
  if ((b = tryBrand(bigintValueOf, x))) return 'Object(' + StringOf(b.v) + 'n)';
  if ((b = tryBrand(symbolValueOf, x))) return 'Object(' + cut(StringOf(b.v), 60) + ')';
  if (tryBrand(dateGetTime, x)) return 'a Date';
  if (tryBrand1(mapHas, x)) return 'a Map';
  if (tryBrand1(setHas, x)) return 'a Set';
  if (tryBrand1(weakMapHas, x)) return 'a WeakMap';
  if (tryBrand1(weakSetHas, x)) return 'a WeakSet';
  if (tryBrand(regexpSource, x)) return 'a RegExp';
  if (tryBrand(abByteLength, x)) return 'an ArrayBuffer';
  if (sabByteLength && tryBrand(sabByteLength, x)) return 'a SharedArrayBuffer';
  if (tryBrand(dvByteLength, x)) return 'a DataView';
  if (tryBrand(weakRefDeref, x)) return 'a WeakRef';
  const tag = apply(taTag, x, []);
  if (tag !== undefined) return 'a ' + tag;
  // Walk the prototype chain (never through a Proxy) for well-known prototypes and a class name.
  let p = getProto(x);
  let className = '';
  for (let i = 0; i < 32 && p !== null; i++) {
    if (isProxy(p)) return 'an object whose prototype is a Proxy';
    if (p === PromiseProto) return 'a Promise';
    if (p === GeneratorProto) return 'a generator object';
    if (p === AsyncGeneratorProto) return 'an async generator object';
    if (p === ErrorProto) return className ? 'an error (' + className + ')' : 'an error';
    if (!className && p !== ObjectProto) {
      const c = ownData(p, 'constructor');
      if (typeof c === 'function') className = functionName(c);
    }
    p = getProto(p);
  }
  return className ? 'an instance of ' + cut(className, 60) : 'an object with a custom prototype';
}

function badResult(text) { return '["bad",' + jsonStringify(text) + ']'; }
function pathText(path) { return path === '' ? '' : ' (at ' + path + ')'; }
function keyPath(k) { return isIdent(k) ? '.' + k : '[' + jsonStringify(k) + ']'; }

// JSON text of short strings, for one encode() at a time (reset at its start): keys and names (topic, partition,
// "t0") repeat in a result, and each JSON.stringify call costs far more in QuickJS than a lookup in this record.
let quotes = null;
let quotesKept = 0;
function quoted(s) {
  if (s.length > 64) return jsonStringify(s);
  if (quotes === null) quotes = { __proto__: null };
  let q = quotes[s];
  if (q === undefined) {
    q = jsonStringify(s);
    if (quotesKept < 1024) { quotes[s] = q; quotesKept++; }
  }
  return q;
}
// Where encode() found a value it refuses: the message is badWhat + ' (at <path>)' + badTail, the path built on the way
// back up (each open container puts its index or key in front), so no path is built for a value that is fine.
let badWhat = null;
let badPath = '';
let badTail = '';
// enc()'s running size (elements + characters) and the containers open above the value being read (cycles).
let size = 0;
let budgetLeft = 0;
let open = null;
function refuse(what, tail) { badWhat = what; badPath = ''; badTail = tail; return null; }
function larger() { return refuse('a value larger than the ' + budgetLeft + ' elements and characters allowed', null); }

/**
 * Encode one learner value (at depth \`depth\`) as tagged JSON without running learner code, or return null after
 * refuse(). Recursive, at most MAX_DEPTH containers deep (the depth cap is checked before going down).
 */
function enc(v, depth) {
  const t = typeof v;
  if (v === null) return 'null';
  if (t === 'boolean') return v ? 'true' : 'false';
  if (t === 'number') {
    size += 1;
    if (v !== v) return '["NaN"]';
    if (v === 1 / 0) return '["Infinity"]';
    if (v === -1 / 0) return '["-Infinity"]';
    if (v === 0 && 1 / v < 0) return '["-0"]';
    return StringOf(v);
  }
  if (t === 'string') {
    size += v.length + 1;
    if (size > budgetLeft) return refuse('a string of ' + v.length + ' characters', ', more than the ' + budgetLeft + ' allowed');
    return quoted(v);
  }
  if (t === 'undefined') return '["undefined"]';
  if (t === 'bigint' || t === 'symbol' || t === 'function' || isProxy(v)) return refuse(describeOdd(v), '');
  // an object, not a Proxy
  if (depth >= MAX_DEPTH) return refuse('a value nested more than ' + MAX_DEPTH + ' levels deep', '');
  for (let j = 0; j < depth; j++) if (open[j] === v) return refuse('a cyclic object', ': it contains itself');
  if (isArray(v)) {
    const n = ownData(v, 'length');
    size += 1;
    if (n > budgetLeft - size) return refuse('an array of ' + n + ' elements', ', more than the ' + budgetLeft + ' allowed');
    size += n;
    open[depth] = v;
    let out = '["array"';
    for (let i = 0; ; i++) {
      if (size > budgetLeft) return larger();
      if (i >= n) break;
      const d = gopd(v, i);
      let piece;
      if (d === undefined) piece = '["hole"]';
      else if (!hasOwn(d, 'value')) piece = refuse('an array whose element is a getter', '');
      else piece = enc(d.value, depth + 1);
      if (piece === null) {
        if (badTail !== null) badPath = '[' + i + ']' + badPath;
        return null;
      }
      out += ',' + piece;
    }
    return out + ']';
  }
  const tag = taTagOf(v);
  if (tag === 'Uint8Array') {
    const n = taLengthOf(v);
    size += 1;
    if (n > budgetLeft - size) return refuse('a Uint8Array of ' + n + ' bytes', ', more than the ' + budgetLeft + ' allowed');
    size += n;
    let s = '["u8"';
    for (let j = 0; j < n; j++) s += ',' + v[j];
    return s + ']';
  }
  const proto = getProto(v);
  if (tag !== undefined || (proto !== ObjectProto && proto !== null)) return refuse(describeOdd(v), '');
  const keys = ownKeys(v);
  const n = keys.length;
  size += 1;
  open[depth] = v;
  let out = '["object"';
  for (let i = 0; ; i++) {
    if (size > budgetLeft) return larger();
    if (i >= n) break;
    const k = keys[i];
    if (typeof k !== 'string') continue;
    const d = gopd(v, k);
    if (d === undefined || !d.enumerable) continue;
    let piece;
    if (!hasOwn(d, 'value')) piece = refuse('an object whose property is a getter', '');
    else {
      size += k.length;
      const kj = quoted(k);
      piece = enc(d.value, depth + 1);
      if (piece !== null) piece = kj + ',' + piece;
    }
    if (piece === null) {
      if (badTail !== null) badPath = keyPath(k) + badPath;
      return null;
    }
    out += ',' + piece;
  }
  return out + ']';
}

/**
 * Encode a learner value as tagged JSON without running learner code (see enc).
 * @returns ["ok", tagged json] | ["bad", description]
 */
function encodeTagged(root, budget) {
  budgetLeft = budget;
  open = { __proto__: null };
  size = 0;
  badWhat = null;
  quotes = null;
  quotesKept = 0;
  const out = enc(root, 0);
  open = null;
  if (out === null) return badResult(badTail === null ? badWhat : badWhat + pathText(badPath) + badTail);
  if (size > budget) {
    larger();
    return badResult(badWhat);
  }
  return '["ok",' + out + ']';
}

/** A short display of any value for console output and thrown values; never runs learner code. */
function show(v, depth, top) {
  const t = typeof v;
  if (t === 'string') return top ? cut(v, 2000) : quote(v, 200);
  if (t === 'number') return objectIs(v, -0) ? '-0' : StringOf(v);
  if (v === null || t === 'undefined' || t === 'boolean') return StringOf(v);
  if (t === 'bigint') return StringOf(v) + 'n';
  if (t === 'symbol') return cut(StringOf(v), 80);
  if (t === 'function' || isProxy(v)) return '[' + describeOdd(v) + ']';
  if (isArray(v)) {
    if (depth > 2) return '[…]';
    const n = ownData(v, 'length');
    let s = '[';
    for (let j = 0; j < n && j < 20; j++) {
      const d = gopd(v, j);
      s += (j ? ', ' : '') + (d === undefined ? '<empty>' : hasOwn(d, 'value') ? show(d.value, depth + 1, false) : '[getter]');
    }
    return s + (n > 20 ? ', … ' + (n - 20) + ' more]' : ']');
  }
  const tag = apply(taTag, v, []);
  if (tag === 'Uint8Array') {
    const n = apply(taLength, v, []);
    let s = 'Uint8Array(' + n + ') [';
    for (let j = 0; j < n && j < 32; j++) s += (j ? ', ' : '') + v[j];
    return s + (n > 32 ? ', …]' : ']');
  }
  const proto = getProto(v);
  if (tag !== undefined || (proto !== ObjectProto && proto !== null)) {
    const e = errorParts(v);
    if (e) return e.name + (e.message !== '' ? ': ' + e.message : '');
    return '[' + describeOdd(v) + ']';
  }
  if (depth > 2) return '{…}';
  const keys = ownKeys(v);
  let s = '{';
  let shown = 0;
  for (let j = 0; j < keys.length; j++) {
    const k = keys[j];
    if (typeof k !== 'string') continue;
    const d = gopd(v, k);
    if (!d.enumerable) continue;
    if (shown === 20) { s += ', …'; break; }
    s += (shown ? ', ' : ' ') + (isIdent(k) ? k : quote(k, 40)) + ': ' +
      (hasOwn(d, 'value') ? show(d.value, depth + 1, false) : '[getter]');
    shown++;
  }
  return s + (shown ? ' }' : '}');
}

/** name / message / stack of an Error-like object, read from data properties only. */
function errorParts(e) {
  if (!isObject(e) || isProxy(e)) return undefined;
  let name;
  let p = e;
  for (let i = 0; i < 32 && p !== null && name === undefined; i++) {
    if (isProxy(p)) break;
    const d = gopd(p, 'name');
    if (d !== undefined) name = hasOwn(d, 'value') && typeof d.value === 'string' ? d.value : '';
    p = getProto(p);
  }
  const md = gopd(e, 'message');
  let isError = false;
  p = getProto(e);
  for (let i = 0; i < 32 && p !== null; i++) {
    if (isProxy(p)) break;
    if (p === ErrorProto) { isError = true; break; }
    p = getProto(p);
  }
  if (!isError && md === undefined) return undefined;
  const message = md === undefined ? '' : hasOwn(md, 'value') ? (typeof md.value === 'string' ? cut(md.value, 1000) : show(md.value, 1, false)) : '[message is a getter]';
  const stack = ownData(e, 'stack');
  return { __proto__: null, name: cut(name || 'Error', 60), message, stack: typeof stack === 'string' ? cut(stack, 2000) : '' };
}

function describe(e) {
  try {
    const parts = errorParts(e);
    if (parts) return thrownJson(parts.name, parts.message, parts.stack, '');
    return thrownJson(null, '', '', typeof e === 'string' ? 'the string ' + quote(e, 1000) : show(e, 0, false));
  } catch (err) {
    return thrownJson(null, '', '', 'a value the grader could not read');
  }
}

return { __proto__: null, describeOdd, show, describe, encodeTagged };
})`;
