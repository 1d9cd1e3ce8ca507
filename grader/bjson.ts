/**
 * QuickJS's binary object format ("bjson": `JS_WriteObject` / `JS_ReadObject`) on the host side, for the sandbox's
 * fast copies across the boundary (issue 13): arguments go in as bytes the VM's `JS_ReadObject` turns into fresh
 * values (it defines properties, so no setter runs), results come out as bytes the VM's `JS_WriteObject` wrote in C —
 * it reads own data properties only and refuses accessors, Proxies and functions, so no learner code runs while a
 * result is read.
 *
 * Rule: `readResult` accepts only what the prelude's hook-free reader would copy the same way (null, booleans,
 * numbers, strings, undefined, Uint8Array, arrays, objects) and returns null for anything else — a Date, a boxed
 * primitive, a BigInt, another typed array, a cyclic reference, a value nested too deep or larger than the
 * budget — so that the caller takes the prelude's path, which decides and words the refusal. Objects' prototypes
 * are not in the format: the caller checks them in the VM when `objects` is true.
 *
 * Example: `{ a: [1, 'x'] }` is `05 01 02 61 | 08 01 02 09 02 05 02 07 02 78`: version 5, one atom "a", then an
 * object of one property (atom 1 → "a") whose value is an array of two: int32 1 (zigzag 02), string "x".
 *
 * Source: bellard/quickjs 2025-09-13 (the library in @jitl/quickjs-wasmfile-release-sync 0.32), quickjs.c:
 * `BCTagEnum`, `BC_VERSION` 5, `JS_WriteObjectRec`, `JS_WriteObjectTag`, `JS_WriteArray`, `JS_WriteTypedArray`,
 * `JS_WriteArrayBuffer`, `JS_WriteString`, `bc_put_atom`, `JS_WriteObjectAtoms`; the readers mirror them. The
 * sandbox spec round-trips values through the real VM (grader/bjson.spec.ts), so a QuickJS upgrade that changes the
 * format fails there, not in a learner's report.
 */

const BC_VERSION = 5;
const TAG_NULL = 1;
const TAG_UNDEFINED = 2;
const TAG_FALSE = 3;
const TAG_TRUE = 4;
const TAG_INT32 = 5;
const TAG_FLOAT64 = 6;
const TAG_STRING = 7;
const TAG_OBJECT = 8;
const TAG_ARRAY = 9;
const TAG_TYPED_ARRAY = 14;
const TAG_ARRAY_BUFFER = 15;
const TAG_OBJECT_REFERENCE = 19;
/** `JS_CLASS_UINT8_ARRAY - JS_CLASS_UINT8C_ARRAY` */
const UINT8_ARRAY_TAG = 2;
/** Largest integer a QuickJS atom holds as a tagged int (`JS_ATOM_MAX_INT`). */
const ATOM_MAX_INT = 0x7fffffff;

/** Thrown by readResult's internals when the bytes hold something the fast path leaves to the prelude. */
class SlowPath extends Error {}
/** Thrown as is (one instance, so no stack trace is captured per refusal). */
const SLOW = new SlowPath('left to the prelude');

/**
 * Code units → string, exactly (no TextDecoder: its "latin1" is windows-1252, and UTF-16 decoding replaces lone
 * surrogates, which QuickJS strings may hold).
 */
function fromCodeUnits(units: ArrayLike<number>): string {
  const n = units.length;
  if (n <= 64) return String.fromCharCode.apply(null, units as unknown as number[]);
  let s = '';
  for (let i = 0; i < n; i += 8192) s += String.fromCharCode(...Array.prototype.slice.call(units, i, Math.min(n, i + 8192)));
  return s;
}

/** Whether two skeletons are the same (the sandbox reuses the VM copy of the last one). */
export function sameSkeleton(a: Skeleton, b: Skeleton): boolean {
  if (a === b) return true;
  if (a === 0 || b === 0 || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    if (typeof x !== 'object' || typeof y !== 'object' || !sameSkeleton(x, y)) return false;
  }
  return true;
}

/**
 * Where the objects of a result are, for the prelude's shapes() to check their prototypes without reading anything
 * else: for a container, `[key, skeleton, key, skeleton, …]` for each item that is an object, or an array with
 * objects inside (arrays by index, objects by property name); 0 for a container with none.
 * Example: `{ C0: [{ topic: 't0', partition: 0 }], n: 1 }` → `['C0', [0, 0]]`.
 */
export type Skeleton = 0 | (string | number | Skeleton)[];

/** A DataView over a whole ArrayBuffer, kept while results keep coming from the same one (the WASM heap). */
let lastView: DataView | null = null;
function viewOf(bytes: Uint8Array): DataView {
  if (lastView?.buffer !== bytes.buffer) lastView = new DataView(bytes.buffer);
  return lastView;
}

/** "0" … "255" made once: integer property keys (partition numbers, broker ids) come back on every call. */
const SMALL_INTEGER_KEYS = Array.from({ length: 256 }, (_, i) => String(i));
function integerKeyText(n: number): string {
  return n < SMALL_INTEGER_KEYS.length ? SMALL_INTEGER_KEYS[n] : String(n);
}

/** A deep copy of what readResult built (arrays, plain objects, Uint8Arrays and primitives only). */
function copyPlain(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (v instanceof Uint8Array) return v.slice();
  if (Array.isArray(v)) return v.map(copyPlain);
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) {
    const item = copyPlain((v as Record<string, unknown>)[k]);
    if (k === '__proto__') Object.defineProperty(out, k, { value: item, enumerable: true, writable: true, configurable: true });
    else out[k] = item;
  }
  return out;
}

/**
 * Every object JS_WriteObject met in the result being read, in the order it numbered them (first meeting, before its
 * contents; a typed array, then its buffer): the host copy (null for a buffer), its size as grow() counted it (−1
 * while it is being read: a reference to it then is a cycle), how many containers deep it goes below itself, and
 * its skeleton. Parallel arrays reused from one result to the next (readResult is not re-entrant).
 */
const seenCopy: unknown[] = [];
const seenSize: number[] = [];
const seenHeight: number[] = [];
const seenSkeleton: Skeleton[] = [];

/** readResult's state over one result; its methods throw SlowPath for anything left to the prelude. */
class Reader {
  pos = 0;
  size = 0;
  objects = false;
  /** the skeleton (see Skeleton) of the container read last, or 0 when it holds no object */
  skeleton: Skeleton = 0;
  atoms: string[] = [];
  /** how many objects JS_WriteObject numbered so far (see seenCopy) */
  seenCount = 0;
  /** the deepest container depth reached in the container being read */
  deepest = 0;
  /** over the whole buffer: read at `base + pos` */
  readonly view: DataView;
  readonly base: number;
  constructor(
    readonly bytes: Uint8Array,
    readonly budget: number,
    readonly maxDepth: number,
  ) {
    this.view = viewOf(bytes);
    this.base = bytes.byteOffset;
  }
  u8(): number {
    if (this.pos >= this.bytes.length) throw SLOW;
    return this.bytes[this.pos++];
  }
  leb(): number {
    const first = this.u8();
    if (first < 0x80) return first;
    let v = first & 0x7f;
    for (let i = 1; i < 5; i++) {
      const a = this.u8();
      v += (a & 0x7f) * 2 ** (7 * i);
      if (!(a & 0x80)) return v;
    }
    throw SLOW;
  }
  str(): string {
    const head = this.leb();
    const length = Math.floor(head / 2);
    const wide = head & 1;
    const n = length << wide;
    const at = this.pos;
    if (at + n > this.bytes.length) throw SLOW;
    this.pos += n;
    if (!wide) return fromCodeUnits(this.bytes.subarray(at, at + n));
    const units = new Uint16Array(length);
    for (let i = 0; i < length; i++) units[i] = this.view.getUint16(this.base + at + 2 * i, true);
    return fromCodeUnits(units);
  }
  grow(by: number): void {
    this.size += by;
    if (this.size > this.budget) throw SLOW;
  }
  atom(): string {
    const v = this.leb();
    if (v % 2 === 1) return integerKeyText((v - 1) / 2);
    const idx = v / 2 - 1; // first_atom is 1 when no bytecode is written
    if (idx < 0 || idx >= this.atoms.length) throw SLOW;
    return this.atoms[idx];
  }
  /** Number an object as JS_WriteObject did (a container before its contents); size −1 while it is being read. */
  number(copy: unknown, size: number, height: number, skeleton: Skeleton): number {
    const index = this.seenCount++;
    seenCopy[index] = copy;
    seenSize[index] = size;
    seenHeight[index] = height;
    seenSkeleton[index] = skeleton;
    return index;
  }
  /** A container numbered at `index`, read: its size since `sizeBefore`, its height, its skeleton. */
  leave(index: number, sizeBefore: number, deepestBefore: number, depth: number, skeleton: Skeleton): void {
    seenSkeleton[index] = skeleton;
    this.skeleton = skeleton;
    seenSize[index] = this.size - sizeBefore;
    seenHeight[index] = this.deepest - depth;
    if (this.deepest < deepestBefore) this.deepest = deepestBefore;
  }
  /**
   * After reading `item` at `key` of a container whose skeleton so far is `skeleton`: add the item when it is an
   * object (its prototype must be checked) or an array with objects inside.
   */
  note(skeleton: Skeleton, key: string | number, item: unknown): Skeleton {
    if (item === null || typeof item !== 'object' || item instanceof Uint8Array) return skeleton;
    if (Array.isArray(item) && this.skeleton === 0) return skeleton;
    const out = skeleton === 0 ? [] : skeleton;
    out.push(key, this.skeleton);
    return out;
  }
  value(depth: number): unknown {
    const tag = this.u8();
    switch (tag) {
      case TAG_NULL:
        return null;
      case TAG_UNDEFINED:
        this.grow(1);
        return undefined;
      case TAG_FALSE:
        return false;
      case TAG_TRUE:
        return true;
      case TAG_INT32: {
        this.grow(1);
        const z = this.leb();
        return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
      }
      case TAG_FLOAT64: {
        this.grow(1);
        if (this.pos + 8 > this.bytes.length) throw SLOW;
        const d = this.view.getFloat64(this.base + this.pos, true);
        this.pos += 8;
        return d;
      }
      case TAG_STRING: {
        const s = this.str();
        this.grow(s.length + 1);
        return s;
      }
      case TAG_ARRAY: {
        if (depth >= this.maxDepth) throw SLOW;
        const n = this.leb();
        const out: unknown[] = new Array(n);
        const index = this.number(out, -1, 0, 0);
        const sizeBefore = this.size;
        const deepestBefore = this.deepest;
        this.deepest = depth;
        this.grow(1 + n);
        let skeleton: Skeleton = 0;
        for (let i = 0; i < n; i++) {
          const item = (out[i] = this.value(depth + 1));
          skeleton = this.note(skeleton, i, item);
        }
        this.leave(index, sizeBefore, deepestBefore, depth, skeleton);
        return out;
      }
      case TAG_OBJECT: {
        if (depth >= this.maxDepth) throw SLOW;
        this.objects = true;
        const out: Record<string, unknown> = {};
        const index = this.number(out, -1, 0, 0);
        const sizeBefore = this.size;
        const deepestBefore = this.deepest;
        this.deepest = depth;
        this.grow(1);
        const n = this.leb();
        let skeleton: Skeleton = 0;
        for (let i = 0; i < n; i++) {
          const k = this.atom();
          this.grow(k.length);
          const v = this.value(depth + 1);
          // defineProperty for "__proto__" only: it must become an own property, as in the VM
          if (k === '__proto__') Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
          else out[k] = v;
          skeleton = this.note(skeleton, k, v);
        }
        this.leave(index, sizeBefore, deepestBefore, depth, skeleton);
        return out;
      }
      case TAG_OBJECT_REFERENCE: {
        // The same object met again (`{ state: { processed }, commit: processed }`): a copy of it, counted again,
        // as the prelude would copy it twice; a reference to an object still being read is a cycle.
        const target = this.leb();
        // open (size −1: a cycle), a typed array's buffer (copy null), or past the depth allowed here
        if (target >= this.seenCount || seenSize[target] < 0 || seenCopy[target] === null) throw SLOW;
        const height = seenHeight[target];
        if (depth + height >= this.maxDepth) throw SLOW;
        this.grow(seenSize[target]);
        if (this.deepest < depth + height) this.deepest = depth + height;
        this.skeleton = seenSkeleton[target];
        return copyPlain(seenCopy[target]);
      }
      case TAG_TYPED_ARRAY: {
        if (depth >= this.maxDepth || this.u8() !== UINT8_ARRAY_TAG) throw SLOW;
        if (this.deepest < depth) this.deepest = depth;
        const length = this.leb();
        const offset = this.leb();
        if (this.u8() !== TAG_ARRAY_BUFFER) throw SLOW; // a buffer already written (shared): a reference
        const byteLength = this.leb();
        this.leb(); // max_byte_length
        if (offset + length > byteLength || this.pos + byteLength > this.bytes.length) throw SLOW;
        const copy = this.bytes.slice(this.pos + offset, this.pos + offset + length);
        this.pos += byteLength;
        this.number(copy, 1 + length, 0, 0);
        this.number(null, 0, 0, 0);
        this.skeleton = 0;
        this.grow(1 + length);
        return copy;
      }
      default:
        // a Date, boxed primitive, BigInt, bare ArrayBuffer, …
        throw SLOW;
    }
  }
}

/**
 * Decode a result the VM wrote with `JS_WriteObject` (quickjs-emscripten's `encodeBinaryJSON`).
 * @param bytes the encoded value (a view into the WASM heap is fine: nothing is kept)
 * @param budget `limits.resultSize`: elements + characters, counted as the prelude's enc() counts them
 * @param maxDepth containers allowed one inside another (MAX_RESULT_DEPTH)
 * @returns the host copy, whether it holds any non-array object (whose prototype must still be checked), how
 *   many objects JS_WriteObject numbered (each distinct array, object, typed array and its buffer once: what
 *   heap-walk.ts must meet) and where the objects are (the root's own skeleton), or null: take the prelude's path
 */
export function readResult(
  bytes: Uint8Array,
  budget: number,
  maxDepth: number,
): { value: unknown; objects: boolean; objectCount: number; skeleton: Skeleton } | null {
  const r = new Reader(bytes, budget, maxDepth);
  try {
    if (r.u8() !== BC_VERSION) return null;
    const atomCount = r.leb();
    for (let i = 0; i < atomCount; i++) r.atoms.push(r.str());
    const value = r.value(0);
    const skeleton = value !== null && typeof value === 'object' && !(value instanceof Uint8Array) ? r.skeleton : 0;
    return r.pos === bytes.length ? { value, objects: r.objects, objectCount: r.seenCount, skeleton } : null;
  } catch (error) {
    if (error instanceof SlowPath) return null;
    throw error;
  } finally {
    seenCopy.length = 0; // drop the references to the copies
    seenSkeleton.length = 0;
  }
}

/** A growable byte buffer; callers make room (`room`) before a run of writes. */
class Writer {
  bytes = new Uint8Array(4096);
  view = new DataView(this.bytes.buffer);
  pos = 0;
  room(n: number): void {
    if (this.pos + n <= this.bytes.length) return;
    const next = new Uint8Array(Math.max(this.bytes.length * 2, this.pos + n));
    next.set(this.bytes.subarray(0, this.pos));
    this.bytes = next;
    this.view = new DataView(next.buffer);
  }
  /** leb128 of `v` (room for 5 bytes must have been made) */
  leb(v: number): void {
    const b = this.bytes;
    let x = v >>> 0;
    while (x >= 0x80) {
      b[this.pos++] = (x & 0x7f) | 0x80;
      x >>>= 7;
    }
    b[this.pos++] = x;
  }
  /** JS_WriteString's layout: leb128(length << 1 | wide), then Latin-1 bytes or UTF-16LE units */
  str(s: string): void {
    const n = s.length;
    this.room(10 + 2 * n);
    const b = this.bytes;
    const start = this.pos;
    this.leb(n * 2);
    let i = 0;
    for (; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c > 0xff) break;
      b[this.pos++] = c;
    }
    if (i === n) return;
    // a character past Latin-1: the whole string again, as 16-bit units
    this.pos = start;
    this.leb(n * 2 + 1);
    for (let j = 0; j < n; j++) {
      const c = s.charCodeAt(j);
      b[this.pos++] = c & 0xff;
      b[this.pos++] = c >>> 8;
    }
  }
}

/** "0", "17": keys QuickJS keeps as integer atoms (canonical, ≤ JS_ATOM_MAX_INT); null for any other key. */
function integerKey(k: string): number | null {
  const first = k.charCodeAt(0);
  if (!(first >= 48 && first <= 57) || k.length > 10 || (k.length > 1 && first === 48)) return null;
  for (let i = 1; i < k.length; i++) if (k.charCodeAt(i) < 48 || k.charCodeAt(i) > 57) return null;
  const n = Number(k);
  return n <= ATOM_MAX_INT ? n : null;
}

/** The writer writeArgs reuses for the body (grading is single-threaded per worker), and its atom table. */
const body = new Writer();
const head = new Writer();
/**
 * Every key seen so far (exercises use few distinct ones), with whether it is an integer atom and, for the encoding
 * under way (`round`), its atom: n ≥ 1 the n-th string of the table, −1 − n the integer atom n. Reused across calls
 * because filling a fresh Map per call cost more than the rest of the encoding.
 */
const keys = new Map<string, { integer: number | null; round: number; atom: number }>();
/** the string keys of the encoding under way, in table order */
const tableKeys: string[] = [];
let round = 0;
const MAX_CACHED_KEYS = 10_000;

function put(v: unknown, depth: number): void {
  if (depth > 200) throw new TypeError('Arguments nested too deeply to copy into the sandbox');
  body.room(16);
  const b = body.bytes;
  if (typeof v === 'number') {
    if ((v | 0) === v && (v !== 0 || 1 / v > 0)) {
      b[body.pos++] = TAG_INT32;
      body.leb(((v << 1) ^ (v >> 31)) >>> 0);
    } else {
      b[body.pos++] = TAG_FLOAT64;
      body.view.setFloat64(body.pos, v, true);
      body.pos += 8;
    }
  } else if (typeof v === 'string') {
    b[body.pos++] = TAG_STRING;
    body.str(v);
  } else if (v === null) b[body.pos++] = TAG_NULL;
  else if (v === undefined) b[body.pos++] = TAG_UNDEFINED;
  else if (v === true) b[body.pos++] = TAG_TRUE;
  else if (v === false) b[body.pos++] = TAG_FALSE;
  else if (Array.isArray(v)) {
    b[body.pos++] = TAG_ARRAY;
    body.leb(v.length);
    for (let i = 0; i < v.length; i++) put(v[i], depth + 1);
  } else if (v instanceof Uint8Array) {
    b[body.pos++] = TAG_TYPED_ARRAY;
    b[body.pos++] = UINT8_ARRAY_TAG;
    body.leb(v.length);
    body.leb(0);
    b[body.pos++] = TAG_ARRAY_BUFFER;
    body.leb(v.length);
    body.leb(0xffffffff); // max_byte_length −1: not resizable, as JS_WriteArrayBuffer writes it
    body.room(v.length);
    body.bytes.set(v, body.pos);
    body.pos += v.length;
  } else if (typeof v === 'object') {
    const proto: unknown = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null)
      throw new TypeError(`Expected a Plain value to copy into the sandbox, got ${typeName(v)}`);
    const own = Object.keys(v);
    b[body.pos++] = TAG_OBJECT;
    body.leb(own.length);
    for (let i = 0; i < own.length; i++) {
      const k = own[i];
      let key = keys.get(k);
      if (key === undefined) {
        if (keys.size >= MAX_CACHED_KEYS) keys.clear();
        key = { integer: integerKey(k), round: -1, atom: 0 };
        keys.set(k, key);
      }
      if (key.round !== round) {
        key.round = round;
        if (key.integer !== null) key.atom = -1 - key.integer;
        else {
          tableKeys.push(k);
          key.atom = tableKeys.length;
        }
      }
      body.room(5);
      body.leb(key.atom < 0 ? (-1 - key.atom) * 2 + 1 : key.atom * 2);
      put((v as Record<string, unknown>)[k], depth + 1);
    }
  } else throw new TypeError(`Expected a Plain value to copy into the sandbox, got ${typeof v}`);
}

function typeName(v: object): string {
  const name = (v as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === 'string' && name ? `a ${name}` : 'an object with a custom prototype';
}

/**
 * Encode host values (the exercise's arguments: null, booleans, numbers, strings, undefined, Uint8Array, arrays,
 * plain objects) for the VM's `JS_ReadObject` (quickjs-emscripten's `decodeBinaryJSON`), as one array, into this
 * module's buffers; `copyEncoded` then writes them where they go (the WASM heap), with no allocation between.
 * @returns the encoding's length in bytes
 * @throws TypeError for any other value (a bug in the exercise, not the learner's)
 */
export function encodeArgs(values: readonly unknown[]): number {
  body.pos = 0;
  head.pos = 0;
  tableKeys.length = 0;
  round++;
  body.room(5);
  body.bytes[body.pos++] = TAG_ARRAY;
  body.leb(values.length);
  for (let i = 0; i < values.length; i++) put(values[i], 0);
  // the atom table: version, count, then each string key in the order first used (integer keys are not in it)
  head.room(10);
  head.bytes[head.pos++] = BC_VERSION;
  head.leb(tableKeys.length);
  for (let i = 0; i < tableKeys.length; i++) head.str(tableKeys[i]);
  return head.pos + body.pos;
}

/** Write the last encodeArgs() result into `target` at `at` (it must have room for the length it returned). */
export function copyEncoded(target: Uint8Array, at: number): void {
  target.set(head.bytes.subarray(0, head.pos), at);
  target.set(body.bytes.subarray(0, body.pos), at + head.pos);
}

/** encodeArgs() into a fresh array (for tests and one-off uses). */
export function writeArgs(values: readonly unknown[]): Uint8Array {
  const out = new Uint8Array(encodeArgs(values));
  copyEncoded(out, 0);
  return out;
}
