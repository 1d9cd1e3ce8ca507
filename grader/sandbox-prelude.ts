/**
 * The grader's own code inside the VM, evaluated in every fresh context BEFORE the learner's code.
 *
 * Rule: it captures every built-in it needs while they are still pristine, keeps them in a closure the
 * learner cannot reach, and touches learner values only through operations that run no learner code:
 * `typeof`, `Reflect.getOwnPropertyDescriptor` / `ownKeys` / `getPrototypeOf` on non-Proxy objects,
 * `Array.isArray`, typed-array internal-slot getters, and brand checks such as `Number.prototype.valueOf`.
 * No getter, `valueOf`, `toString`, `toJSON`, `Symbol.toPrimitive` or Proxy trap of the learner ever runs
 * while the grader reads a result, a thrown value or a `console` argument. The grader's own records are
 * null-prototype objects (no planted setter can see a write), and JSON text is built by hand: QuickJS's
 * `JSON.stringify` pushes onto an internal array with [[Set]], which an index setter on Array.prototype sees.
 *
 * Proxies cannot be recognised from inside JavaScript, so the prelude replaces the global `Proxy` with a
 * constructor that records every Proxy it makes in a private WeakSet; the original constructor stays in the
 * closure, so the learner has no other way to make one.
 *
 * It evaluates to `(sink, consoleChars) => toolkit` where `sink(text, cut)` is the host's console callback.
 * Toolkit (all results are JSON strings, parsed by the host):
 * - `newModule()` → a fresh `[exports, module]` pair for the module wrapper `(exports, module) => void`, which the
 *   host calls itself
 * - `inspect(exports, module, namesJson)` snapshots the named exports → `["loaded", exportsInfo]`
 * - `args(argsJson, plain)` decodes the arguments (tagged JSON, below; or, when `plain` is true, plain JSON:
 *   JSON.parse defines fresh properties and runs no setter) → a fresh array
 * - `fn(name)` → the snapshot export
 * - `finish(result, budget)` → `["json", plain JSON]` (plain data, written by JSON.stringify: see plain()) | `["ok", encoded]` | `["bad", description]`
 * - `describe(thrown)` → thrownInfo `{ name, message, stack, text }`
 *
 * The host calls the learner's wrapper and exports directly (never through a prelude function), so a stack
 * trace taken in learner code holds only the learner's own frames.
 *
 * Tagged JSON (both directions): null, booleans, finite numbers other than -0, and strings are themselves;
 * everything else is an array whose first item names it: `["undefined"]`, `["NaN"]`, `["Infinity"]`,
 * `["-Infinity"]`, `["-0"]`, `["hole"]`, `["u8", …bytes]`, `["array", …items]`, `["object", k0, v0, …]`.
 */
export const MAX_RESULT_DEPTH = 64;

export const PRELUDE = String.raw`(function () {
'use strict';
const G = globalThis;
const R = Reflect;
const apply = R.apply, ownKeys = R.ownKeys, gopd = R.getOwnPropertyDescriptor, getProto = R.getPrototypeOf,
  defineProperty = R.defineProperty;
const hasOwn = Object.hasOwn, isArray = Array.isArray, freeze = Object.freeze, objectIs = Object.is;
const jsonStringify = JSON.stringify, jsonParse = JSON.parse;
const StringOf = String;
const strSlice = String.prototype.slice, strCharCodeAt = String.prototype.charCodeAt;
const ObjectProto = Object.prototype, ArrayProto = Array.prototype;
const objectToString = Object.prototype.toString, toStringTagSymbol = Symbol.toStringTag;
const U8 = Uint8Array;
const TypedArrayProto = getProto(Uint8Array.prototype);
const taTag = gopd(TypedArrayProto, Symbol.toStringTag).get;
const taLength = gopd(TypedArrayProto, 'length').get;
const OrigProxy = Proxy, origRevocable = Proxy.revocable;
const WS = WeakSet, wsAdd = WeakSet.prototype.add, wsHas = WeakSet.prototype.has;
const proxies = new WS();
const PromiseProto = Promise.prototype;
const GeneratorProto = getProto(getProto((function* () {})()));
const AsyncGeneratorProto = getProto(getProto((async function* () {})()));
const ErrorProto = Error.prototype;
const numberValueOf = Number.prototype.valueOf, stringValueOf = String.prototype.valueOf,
  booleanValueOf = Boolean.prototype.valueOf, bigintValueOf = BigInt.prototype.valueOf,
  symbolValueOf = Symbol.prototype.valueOf, dateGetTime = Date.prototype.getTime,
  mapHas = Map.prototype.has, setHas = Set.prototype.has, weakMapHas = WeakMap.prototype.has,
  weakSetHas = WeakSet.prototype.has, regexpSource = gopd(RegExp.prototype, 'source').get,
  abByteLength = gopd(ArrayBuffer.prototype, 'byteLength').get,
  dvByteLength = gopd(DataView.prototype, 'byteLength').get,
  weakRefDeref = WeakRef.prototype.deref;
// Bound forms of hot built-ins (call(f, thisArg, …)): no argument array per call, as apply needs. A bound function
// calls its target directly: nothing the learner can replace is looked up when it runs.
const fnBind = Function.prototype.bind, fnCall = Function.prototype.call;
function uncurry(f) { return apply(fnBind, fnCall, [f]); }
const wsHasOf = uncurry(wsHas), taTagOf = uncurry(taTag), taLengthOf = uncurry(taLength), objectToStringOf = uncurry(objectToString);
const sabByteLength = typeof SharedArrayBuffer === 'function' ? gopd(SharedArrayBuffer.prototype, 'byteLength').get : undefined;
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
function isProxy(x) { return wsHasOf(proxies, x); }
function isObject(x) { return (typeof x === 'object' && x !== null) || typeof x === 'function'; }
function cut(s, n) { return s.length > n ? apply(strSlice, s, [0, n]) + '…' : s; }
function quote(s, n) { return jsonStringify(cut(s, n)); }
function tryBrand(fn, x) { try { return { __proto__: null, v: apply(fn, x, []) }; } catch (e) { return undefined; } }
function tryBrand1(fn, x) { try { apply(fn, x, [undefined]); return true; } catch (e) { return false; } }
function ownData(o, key) {
  const d = gopd(o, key);
  if (d === undefined || !hasOwn(d, 'value')) return undefined;
  return d.value;
}
function functionName(f) {
  if (isProxy(f)) return '';
  const n = ownData(f, 'name');
  return typeof n === 'string' ? n : '';
}

// The replacement Proxy: identical behaviour, but every Proxy is remembered.
// (Not named \`Proxy\`: a hoisted function declaration of that name would shadow the original above.)
function SafeProxy(target, handler) {
  if (new.target === undefined) throw new TypeError("Constructor Proxy requires 'new'");
  const p = new OrigProxy(target, handler);
  apply(wsAdd, proxies, [p]);
  return p;
}
defineProperty(SafeProxy, 'name', { __proto__: null, value: 'Proxy', writable: false, configurable: true, enumerable: false });
defineProperty(SafeProxy, 'revocable', { __proto__: null, writable: true, configurable: true, enumerable: false,
  value: function revocable(target, handler) {
    const r = origRevocable(target, handler);
    apply(wsAdd, proxies, [ownData(r, 'proxy')]);
    return r;
  } });
defineProperty(G, 'Proxy', { __proto__: null, value: SafeProxy, writable: true, configurable: true, enumerable: false });

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
// encode()'s running size (elements + characters) and the containers open above the value being read (cycles).
let size = 0;
let budgetLeft = 0;
let open = null;
// the deepest container plain() saw (0: the root)
let deepest = 0;
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

// The fast path: a result made only of plain objects, dense arrays, strings, finite numbers (not -0), booleans and
// null, within the budget, is written by the VM's own JSON.stringify, which is native and far faster than enc().
// JSON.stringify runs no learner code on such a value when (checked every time, before it runs):
// - no object has a toJSON of its own and neither Object.prototype nor Array.prototype has one, and
//   Array.prototype still inherits from Object.prototype (toJSON is looked up on every object);
// - every property it reads is an own data property (no getter, no hole that would read a prototype), and no
//   value is a Proxy, a boxed Number / String / Boolean (which it would convert with valueOf / toString), a
//   typed array or an array with another prototype;
// - no own Symbol.toStringTag anywhere and none on Object.prototype (Object.prototype.toString, used below to
//   tell a boxed primitive from a plain object, reads it);
// - neither Array.prototype nor Object.prototype has an index property below the value's depth: QuickJS's
//   JSON.stringify keeps the objects it is inside in an internal array, whose push [[Set]]s index 0…depth − 1
//   and would reach an index setter there.
// Anything else (or any doubt) goes to enc(), which is also where every refusal message comes from.
function prototypesUntouched() {
  if (gopd(ObjectProto, 'toJSON') !== undefined || gopd(ArrayProto, 'toJSON') !== undefined) return false;
  if (getProto(ArrayProto) !== ObjectProto || gopd(ObjectProto, toStringTagSymbol) !== undefined) return false;
  // Array.prototype is an Array: any index property on it makes its length non-zero
  return ownData(ArrayProto, 'length') === 0;
}
/** No index property on Object.prototype that JSON.stringify's internal array could reach for a value this deep. */
function noIndexOnObjectPrototype(depth) {
  for (let i = 0; i <= depth; i++) if (gopd(ObjectProto, i) !== undefined) return false;
  return true;
}
/** Is \`v\` (at depth) plain data that JSON.stringify writes exactly and hook-free? Counts size as enc() does. */
function plain(v, depth) {
  const t = typeof v;
  if (t === 'string') {
    size += v.length + 1;
    return size <= budgetLeft;
  }
  if (t === 'number') {
    size += 1;
    return v === v && v !== 1 / 0 && v !== -1 / 0 && (v !== 0 || 1 / v > 0);
  }
  if (v === null || t === 'boolean') return true;
  if (t !== 'object' || isProxy(v) || depth >= MAX_DEPTH) return false;
  for (let j = 0; j < depth; j++) if (open[j] === v) return false;
  open[depth] = v;
  if (depth > deepest) deepest = depth;
  if (isArray(v)) {
    if (getProto(v) !== ArrayProto || gopd(v, 'toJSON') !== undefined) return false;
    const n = ownData(v, 'length');
    size += 1 + n;
    for (let i = 0; i < n; i++) {
      if (size > budgetLeft) return false;
      const d = gopd(v, i);
      if (d === undefined || !hasOwn(d, 'value') || !plain(d.value, depth + 1)) return false;
    }
    return size <= budgetLeft;
  }
  const proto = getProto(v);
  if (proto !== ObjectProto && proto !== null) return false;
  const keys = ownKeys(v);
  const n = keys.length;
  for (let i = 0; i < n; i++) {
    const k = keys[i];
    if (typeof k !== 'string' || k === 'toJSON' || k === 'rawJSON') return false;
  }
  if (taTagOf(v) !== undefined || objectToStringOf(v) !== '[object Object]') return false;
  size += 1;
  for (let i = 0; i < n; i++) {
    if (size > budgetLeft) return false;
    const k = keys[i];
    const d = gopd(v, k);
    if (d === undefined || !d.enumerable) continue;
    if (!hasOwn(d, 'value')) return false;
    size += k.length;
    if (!plain(d.value, depth + 1)) return false;
  }
  return size <= budgetLeft;
}

/**
 * Encode a learner value without running learner code: plain data through JSON.stringify (see plain), anything
 * else as tagged JSON (enc).
 * @returns ["json", json] | ["ok", tagged json] | ["bad", description]
 */
function encode(root, budget) {
  budgetLeft = budget;
  open = { __proto__: null };
  size = 0;
  deepest = 0;
  // (a number, string… alone is as quick to write here; an object is where JSON.stringify pays)
  // prototypesUntouched() first: plain() relies on it (Object.prototype.toString reads Symbol.toStringTag)
  if (typeof root === 'object' && prototypesUntouched() && plain(root, 0) && noIndexOnObjectPrototype(deepest)) {
    let json;
    try {
      json = jsonStringify(root);
    } catch (e) {
      json = undefined;
    }
    if (typeof json === 'string') {
      open = null;
      return '["json",' + json + ']';
    }
  }
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

/** Build VM values from tagged JSON made by the host (trusted, shallow). */
function decode(x) {
  if (x === null || typeof x !== 'object') return x;
  const tag = x[0];
  if (tag === 'undefined') return undefined;
  if (tag === 'NaN') return 0 / 0;
  if (tag === 'Infinity') return 1 / 0;
  if (tag === '-Infinity') return -1 / 0;
  if (tag === '-0') return -0;
  if (tag === 'u8') {
    const u = new U8(x.length - 1);
    for (let j = 1; j < x.length; j++) u[j - 1] = x[j];
    return u;
  }
  if (tag === 'array') {
    const a = [];
    for (let j = 1; j < x.length; j++) defineProperty(a, j - 1, { __proto__: null, value: decode(x[j]), writable: true, enumerable: true, configurable: true });
    return a;
  }
  const o = {};
  for (let j = 1; j + 1 < x.length; j += 2) defineProperty(o, x[j], { __proto__: null, value: decode(x[j + 1]), writable: true, enumerable: true, configurable: true });
  return o;
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

// JSON text is built by hand: QuickJS's JSON.stringify pushes onto an internal array with [[Set]], which an
// index setter on Array.prototype would see. Only strings are ever given to jsonStringify.
function thrownJson(name, message, stack, text) {
  return '{"name":' + (name === null ? 'null' : jsonStringify(name)) + ',"message":' + jsonStringify(message) +
    ',"stack":' + jsonStringify(stack) + ',"text":' + jsonStringify(text) + '}';
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

return function toolkit(sink, consoleChars) {
  let remaining = consoleChars;
  let cutNoted = false;
  function emit(level, args) {
    if (remaining <= 0) {
      if (!cutNoted) { cutNoted = true; sink('', true); }
      return;
    }
    let s = level === 'log' || level === 'info' ? '' : level + ': ';
    for (let j = 0; j < args.length; j++) {
      s += (j ? ' ' : '') + show(args[j], 0, true);
      if (s.length > remaining) break;
    }
    s += '\n';
    if (s.length > remaining) {
      s = apply(strSlice, s, [0, remaining]);
      remaining = 0;
      cutNoted = true;
      sink(s, true);
      return;
    }
    remaining -= s.length;
    sink(s, false);
  }
  const con = {
    log: function log(...args) { emit('log', args); },
    info: function info(...args) { emit('info', args); },
    warn: function warn(...args) { emit('warn', args); },
    error: function error(...args) { emit('error', args); },
    debug: function debug(...args) { emit('log', args); },
  };
  defineProperty(G, 'console', { __proto__: null, value: con, writable: true, configurable: true, enumerable: false });

  const snapshot = { __proto__: null };

  function newModule() {
    const exportsObject = {};
    return [exportsObject, { exports: exportsObject }];
  }

  function inspect(exportsObject, moduleObject, namesJson) {
    const names = jsonParse(namesJson);
    let found = '';
    let other = '';
    let defaultExport = 'null';
    let moduleExportsReplaced = false;
    let ex = exportsObject;
    const me = ownData(moduleObject, 'exports');
    if (me !== exportsObject) {
      moduleExportsReplaced = true;
      if (isObject(me) && !isProxy(me)) ex = me;
    }
    for (let j = 0; j < names.length; j++) {
      const name = names[j];
      const d = gopd(ex, name);
      if (d === undefined) continue;
      let what;
      if (!hasOwn(d, 'value')) what = 'a getter';
      else {
        const v = d.value;
        if (typeof v === 'function' && !isProxy(v)) { what = 'function'; if (!moduleExportsReplaced) snapshot[name] = v; }
        else what = typeof v === 'string' ? 'a string' : isObject(v) ? describeOdd(v) : v === null ? 'null' : typeof v === 'undefined' ? 'undefined' : 'a ' + typeof v;
      }
      found += (found ? ',' : '') + jsonStringify(name) + ':' + jsonStringify(what);
    }
    if (!isProxy(ex) && isObject(ex)) {
      const keys = ownKeys(ex);
      for (let j = 0; j < keys.length && j < 50; j++) {
        const k = keys[j];
        if (typeof k !== 'string' || k === '__esModule') continue;
        const d = gopd(ex, k);
        const v = d !== undefined && hasOwn(d, 'value') ? d.value : undefined;
        if (k === 'default') defaultExport = '{"kind":' + jsonStringify(typeof v) + ',"name":' + jsonStringify(typeof v === 'function' ? functionName(v) : '') + '}';
        else if (typeof v === 'function') other += (other ? ',' : '') + jsonStringify(k);
      }
    }
    return '["loaded",{"found":{' + found + '},"other":[' + other + '],"defaultExport":' + defaultExport +
      ',"moduleExportsReplaced":' + (moduleExportsReplaced ? 'true' : 'false') + '}]';
  }

  function args(argsJson, plain) {
    const tagged = jsonParse(argsJson);
    if (plain === true) return tagged;
    const out = [];
    for (let j = 0; j < tagged.length; j++) defineProperty(out, j, { __proto__: null, value: decode(tagged[j]), writable: true, enumerable: true, configurable: true });
    return out;
  }

  function fn(name) {
    return snapshot[name];
  }

  function finish(result, budget) {
    return encode(result, budget);
  }

  return { newModule, inspect, args, fn, finish, describe };
};
})()`;
