/**
 * The grader's own code inside the VM, evaluated in every fresh context BEFORE the learner's code.
 *
 * Rule: it captures every built-in it needs while they are still pristine, keeps them in a closure the
 * learner cannot reach, and touches learner values only through operations that run no learner code:
 * `typeof`, `Reflect.getOwnPropertyDescriptor` / `ownKeys` / `getPrototypeOf` on non-Proxy objects,
 * `Array.isArray`, typed-array internal-slot getters, and brand checks such as `Number.prototype.valueOf`.
 * No getter, `valueOf`, `toString`, `toJSON`, `Symbol.toPrimitive` or Proxy trap of the learner ever runs
 * while the grader reads a result, a thrown value or a `console` argument. The grader's own records are
 * null-prototype objects (no planted setter can see a write). QuickJS's `JSON.stringify` is given a learner value
 * only after plain() has checked every hook it could reach (its internal array of open objects is [[Set]] by index,
 * so an index setter on Array.prototype or Object.prototype would see it, as would a toJSON anywhere); otherwise
 * JSON text is built by hand (sandbox-prelude-extra.ts).
 *
 * The rarely needed half (the tagged encoder and its refusal messages, naming odd values, console text, thrown
 * values) lives in sandbox-prelude-extra.ts and is compiled on first use in the same context (`more()`), from the
 * eval captured here and with the captured built-ins: QuickJS compiles a script's every function up front, so the
 * prelude each fresh context parses is about half the size.
 *
 * Proxies cannot be recognised from inside JavaScript, so the prelude replaces the global `Proxy` with a
 * constructor that records every Proxy it makes in a private WeakSet; the original constructor stays in the
 * closure, so the learner has no other way to make one.
 *
 * The host replaces `__PRELUDE_EXTRA_SOURCE__` below with that half's source as a string literal (sandbox.ts).
 *
 * It evaluates to `(sink, consoleChars) => toolkit` where `sink(text, cut)` is the host's console callback.
 * Toolkit (all results are JSON strings, parsed by the host):
 * - `newModule()` → a fresh `[exports, module]` pair for the module wrapper `(exports, module) => void`, which the
 *   host calls itself
 * - `inspect(exports, module, namesJson)` snapshots the named exports → `["loaded", exportsInfo]`
 * - `shapes(result, skeleton)` → true when a result the host copied with QuickJS's JS_WriteObject holds only
 *   prototypes enc() accepts (see shapes())
 * - `fn(name)` → the snapshot export
 * - `finish(result, budget)` → `["json", plain JSON]` (plain data, written by JSON.stringify: see plain()) | `["ok", encoded]` | `["bad", description]`
 * - `describe(thrown)` → thrownInfo `{ name, message, stack, text }`
 *
 * The host calls the learner's wrapper and exports directly (never through a prelude function), so a stack
 * trace taken in learner code holds only the learner's own frames.
 *
 * Tagged JSON (results the fast copy of bjson.ts leaves to finish()): null, booleans, finite numbers other than -0, and strings are themselves;
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
const jsonStringify = JSON.stringify, jsonParse = JSON.parse, indirectEval = eval;
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

function isProxy(x) { return wsHasOf(proxies, x); }
function isObject(x) { return (typeof x === 'object' && x !== null) || typeof x === 'function'; }
function cut(s, n) { return s.length > n ? apply(strSlice, s, [0, n]) + '…' : s; }
function quote(s, n) { return jsonStringify(cut(s, n)); }
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

// JSON text is built by hand: QuickJS's JSON.stringify pushes onto an internal array with [[Set]], which an
// index setter on Array.prototype would see. Only strings are ever given to jsonStringify.
function thrownJson(name, message, stack, text) {
  return '{"name":' + (name === null ? 'null' : jsonStringify(name)) + ',"message":' + jsonStringify(message) +
    ',"stack":' + jsonStringify(stack) + ',"text":' + jsonStringify(text) + '}';
}
// plain()'s running size (elements + characters, as enc() counts them), the containers open above the value
// being read (cycles), and the deepest container it saw (0: the root)
let size = 0;
let budgetLeft = 0;
let open = null;
let deepest = 0;

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
 * Encode a learner value without running learner code: a lone finite number, boolean, null or short string here,
 * plain data through JSON.stringify (see plain), anything else as tagged JSON (encodeTagged, compiled on demand).
 * @returns ["json", json] | ["ok", tagged json] | ["bad", description]
 */
function encode(root, budget) {
  const t = typeof root;
  if (root === null) return '["ok",null]';
  if (t === 'boolean') return root ? '["ok",true]' : '["ok",false]';
  if (t === 'number' && budget >= 1 && root === root && root !== 1 / 0 && root !== -1 / 0 && (root !== 0 || 1 / root > 0)) {
    return '["ok",' + StringOf(root) + ']';
  }
  if (t === 'string' && root.length + 1 <= budget) return '["ok",' + jsonStringify(root) + ']';
  if (t === 'object') {
    budgetLeft = budget;
    open = { __proto__: null };
    size = 0;
    deepest = 0;
    // prototypesUntouched() first: plain() relies on it (Object.prototype.toString reads Symbol.toStringTag)
    if (prototypesUntouched() && plain(root, 0) && noIndexOnObjectPrototype(deepest)) {
      let json;
      try {
        json = jsonStringify(root);
      } catch (e) {
        json = undefined;
      }
      open = null;
      if (typeof json === 'string') return '["json",' + json + ']';
    }
    open = null;
  }
  return more().encodeTagged(root, budget);
}


/**
 * After QuickJS's JS_WriteObject (the host's bjson copy) read \`root\` without an error: is every object in it one
 * enc() accepts (prototype Object.prototype or null)? \`skeleton\` is where the host found objects in the copy
 * (bjson.ts, Skeleton: \`[key, sub, key, sub, …]\` per container, 0 for none). Every key it names is an own enumerable
 * data property JS_WriteObject read (it threw on any accessor among those, and on Proxies, functions, Maps…), so
 * reading exactly those runs no learner code, and nothing else is read. Arrays and typed arrays are taken with any
 * prototype, as enc() takes them. False means: let finish() decide and word it.
 */
function shapes(root, skeleton) {
  if (!isArray(root) && !plainProto(root)) return false;
  return skeleton === 0 || walk(root, skeleton);
}
function plainProto(o) {
  const proto = getProto(o);
  return proto === ObjectProto || proto === null;
}
function walk(v, skeleton) {
  for (let i = 0; i < skeleton.length; i += 2) {
    const x = v[skeleton[i]];
    if (!isArray(x) && !plainProto(x)) return false;
    const sub = skeleton[i + 1];
    if (sub !== 0 && !walk(x, sub)) return false;
  }
  return true;
}


// The rarely needed part (sandbox-prelude-extra.ts: the tagged encoder, describing odd values, console text, thrown
// values) is compiled on first use by the VM's eval, captured above, from source embedded here as a string: most
// sessions (a passing submission that logs nothing) never need it, and QuickJS compiles every function up front.
// It gets the captured built-ins (P) and reads no global name, so learner code that ran before cannot reach it.
const EXTRA_SOURCE = __PRELUDE_EXTRA_SOURCE__;
const P = { __proto__: null, apply, ownKeys, gopd, getProto, hasOwn, isArray, objectIs, jsonStringify, StringOf,
  strSlice, strCharCodeAt, ObjectProto, ErrorProto, PromiseProto, GeneratorProto, AsyncGeneratorProto, numberValueOf,
  stringValueOf, booleanValueOf, bigintValueOf, symbolValueOf, dateGetTime, mapHas, setHas, weakMapHas, weakSetHas,
  regexpSource, abByteLength, dvByteLength, weakRefDeref, sabByteLength, taTag, taLength, taTagOf, taLengthOf,
  isProxy, isObject, cut, quote, ownData, functionName, thrownJson };
let extraKit = null;
function more() {
  if (extraKit === null) extraKit = indirectEval(EXTRA_SOURCE)(P);
  return extraKit;
}
function describeOdd(x) { return more().describeOdd(x); }
function show(v, depth, top) { return more().show(v, depth, top); }
function describe(e) {
  try {
    return more().describe(e);
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

  function fn(name) {
    return snapshot[name];
  }

  function finish(result, budget) {
    return encode(result, budget);
  }

  return { newModule, inspect, shapes, fn, finish, describe };
};
})()`;
