/**
 * The prototype check of a copied result, made by reading QuickJS's heap from the host instead of running the
 * prelude's `shapes()` in the VM (issue 13: in a simulation of many small calls that check was a fifth of the
 * sandboxed time).
 *
 * After `JS_WriteObject` copied a result without an error (bjson.ts), every object it wrote is a plain object, an
 * array or a typed array; what it cannot tell is an object's prototype: a class instance is written as its own
 * fields. `plainInHeap` follows the same edges `JS_WriteObject` followed — an ordinary object's own enumerable
 * properties, a fast array's elements — straight through the structures in WASM memory, and answers true only when
 * it is certain the prelude's `shapes()` would: every object it met has `Object.prototype` or null as prototype
 * (arrays with any), and it met exactly as many objects as `JS_WriteObject` numbered. Anything else — a slow
 * (sparse) array, a fast array shorter than its `length`, an accessor, a typed array, another class, a symbol-keyed
 * property holding an object (it would meet one more object than was written), a pointer outside the memory —
 * answers false, and the caller falls back to `shapes()` in the VM, which decides and words the refusal as before.
 *
 * The offsets are those of bellard/quickjs 2025-09-13 (`quickjs.c`: struct JSObject, JSShape, JSShapeProperty,
 * JSProperty) compiled for wasm32, where a JSValue is NaN-boxed in 8 bytes (`quickjs.h`, JS_NAN_BOXING: tag in the
 * high word, pointer or int in the low word). SandboxSession's probe (`settleLayout`) checks them on known values
 * once per process before the walk is used: if a QuickJS upgrade moves a field, the probe fails, the walk is never
 * used (every check goes to the VM: correct, slower), and `grader/heap-walk.spec.ts` fails loudly.
 */

// struct JSObject: JSGCObjectHeader (ref_count, a byte of GC mark, a byte of flags, uint16 class_id, list_head),
// then weakref_count, shape, prop, and the union u (8-byte aligned) whose array part is size, values, count.
const OBJECT_FLAGS_AND_CLASS = 4; // word: byte 4 mark, byte 5 flags (bit 3 fast_array), bytes 6–7 class_id
const OBJECT_SHAPE = 20;
const OBJECT_PROP = 24;
const ARRAY_VALUES = 36;
const ARRAY_COUNT = 40;
const OBJECT_MIN_BYTES = 44;
const FAST_ARRAY = 1 << 3;
// struct JSShape: JSGCObjectHeader (16 bytes), is_hashed, has_small_array_index, hash, prop_hash_mask, prop_size,
// prop_count, deleted_prop_count, shape_hash_next, proto, then JSShapeProperty prop[] (8 bytes each: a word of
// hash_next:26 and flags:6, then the atom).
const SHAPE_PROP_COUNT = 32;
const SHAPE_PROTO = 44;
const SHAPE_PROPS = 48;
// JS_CLASS_x, JS_TAG_x, JS_PROP_x (quickjs.c, quickjs.h)
const CLASS_OBJECT = 1;
const CLASS_ARRAY = 2;
const TAG_INT = 0;
const TAG_OBJECT = -1;
const PROP_ENUMERABLE = 1 << 2;
const PROP_TMASK = 3 << 4; // anything but a plain value: getter/setter, var ref, auto-init

/** Most objects a walk follows before giving up (a result's budget keeps real ones far below). */
const MAX_OBJECTS = 1 << 16;

let words: Int32Array | null = null;
function wordsOf(memory: WebAssembly.Memory): Int32Array {
  if (words?.buffer !== memory.buffer) words = new Int32Array(memory.buffer);
  return words;
}
/**
 * The objects a walk has met: an open-addressing set of addresses in typed arrays kept across walks (a slot is in
 * use when its stamp is the current walk's), and the stack of those still to read. A Set cleared per walk costs a
 * new table each time, more than the walk itself.
 */
let slots = new Int32Array(256);
let stamps = new Uint32Array(256);
let stamp = 0;
let seenCount = 0;
let toVisit = new Int32Array(128);
let toVisitLength = 0;

/** Start a walk that may meet up to `objects` objects. */
function startWalk(objects: number): void {
  if (slots.length < 2 * objects) {
    let size = slots.length;
    while (size < 2 * objects) size *= 2;
    slots = new Int32Array(size);
    stamps = new Uint32Array(size);
    stamp = 0;
  }
  if (toVisit.length < objects) toVisit = new Int32Array(slots.length / 2);
  stamp = (stamp + 1) >>> 0;
  if (stamp === 0) {
    stamps.fill(0);
    stamp = 1;
  }
  seenCount = 0;
  toVisitLength = 0;
}

/** The slot that holds `p` in this walk, or the free one (its stamp not this walk's) where it would go. */
function slotOf(p: number): number {
  const mask = slots.length - 1;
  let i = (Math.imul(p >>> 2, 0x9e3779b1) >>> 0) & mask;
  while (stamps[i] === stamp && slots[i] !== p) i = (i + 1) & mask;
  return i;
}

/** The JSObject address a JSValue at `valuePointer` (a JSValuePointer) holds, or 0 when it is not an object. */
export function objectAt(memory: WebAssembly.Memory, valuePointer: number): number {
  const heap = wordsOf(memory);
  if (valuePointer <= 0 || valuePointer & 3 || valuePointer + 8 > heap.length * 4) return 0;
  return heap[(valuePointer >> 2) + 1] === TAG_OBJECT ? heap[valuePointer >> 2] : 0;
}

/**
 * Whether the result whose JSObject is at `root` holds only objects `shapes()` accepts, followed as JS_WriteObject
 * followed them (see the file's comment); false means "not certain": ask the VM.
 * @param objectProto the address of this context's Object.prototype (SandboxSession reads it after the prelude)
 * @param objects how many objects JS_WriteObject numbered in the result (bjson.ts readResult: `objectCount`)
 */
export function plainInHeap(memory: WebAssembly.Memory, root: number, objectProto: number, objects: number): boolean {
  if (!layoutOk || objects > MAX_OBJECTS) return false;
  return walk(wordsOf(memory), root, objectProto, objects);
}

function walk(heap: Int32Array, root: number, objectProto: number, objects: number): boolean {
  const limit = heap.length * 4;
  startWalk(objects);
  if (!follow(root, objects)) return false;
  while (toVisitLength > 0) {
    const p = toVisit[--toVisitLength];
    if (p <= 0 || p & 3 || p + OBJECT_MIN_BYTES > limit) return false;
    const flagsAndClass = heap[(p + OBJECT_FLAGS_AND_CLASS) >> 2];
    const classId = flagsAndClass >>> 16;
    const shape = heap[(p + OBJECT_SHAPE) >> 2];
    const props = heap[(p + OBJECT_PROP) >> 2];
    if (shape <= 0 || shape & 3 || shape + SHAPE_PROPS > limit || props < 0 || props & 3) return false;
    let from: number;
    let count: number;
    if (classId === CLASS_ARRAY) {
      // Arrays are taken with any prototype (as the prelude takes them). JS_WriteArray reads indices below
      // `length`: only a fast array whose elements are all there (count = length, prop[0]) is read here.
      if (!((flagsAndClass >>> 8) & FAST_ARRAY)) return false;
      count = heap[(p + ARRAY_COUNT) >> 2];
      from = heap[(p + ARRAY_VALUES) >> 2];
      if (props === 0 || props + 8 > limit || heap[(props >> 2) + 1] !== TAG_INT || heap[props >> 2] !== count) return false;
      if (count < 0 || (count > 0 && (from <= 0 || from & 3 || from + 8 * count > limit))) return false;
      for (let i = 0; i < count; i++) {
        const at = (from >> 2) + 2 * i;
        if (heap[at + 1] === TAG_OBJECT && !follow(heap[at], objects)) return false;
      }
    } else if (classId === CLASS_OBJECT) {
      const proto = heap[(shape + SHAPE_PROTO) >> 2];
      if (proto !== objectProto && proto !== 0) return false;
      count = heap[(shape + SHAPE_PROP_COUNT) >> 2];
      if (count < 0 || shape + SHAPE_PROPS + 8 * count > limit || (count > 0 && (props <= 0 || props + 8 * count > limit))) return false;
      for (let i = 0; i < count; i++) {
        const entry = ((shape + SHAPE_PROPS) >> 2) + 2 * i;
        const flags = heap[entry] >>> 26;
        if (heap[entry + 1] === 0 || !(flags & PROP_ENUMERABLE)) continue; // a deleted slot, or not enumerable
        if (flags & PROP_TMASK) return false;
        const at = (props >> 2) + 2 * i;
        if (heap[at + 1] === TAG_OBJECT && !follow(heap[at], objects)) return false;
      }
    } else return false;
  }
  return seenCount === objects;
}

/** Queue an object met on an edge, once; false when that is more objects than JS_WriteObject numbered. */
function follow(p: number, objects: number): boolean {
  const i = slotOf(p);
  if (stamps[i] === stamp) return true; // met before
  if (seenCount >= objects) return false;
  stamps[i] = stamp;
  slots[i] = p;
  seenCount++;
  toVisit[toVisitLength++] = p;
  return true;
}

/** Whether the offsets above held on the probe's values (null: not probed yet in this process). */
let layoutOk: boolean | null = null;

/** Whether the walk is in use in this process (the probe ran and passed). */
export function heapWalkEnabled(): boolean {
  return layoutOk === true;
}

/** Whether the probe still has to run (once per process, on the first session: see SandboxSession). */
export function heapWalkProbed(): boolean {
  return layoutOk !== null;
}

/**
 * The probe's values, as source evaluated in a fresh context (before any learner code): \`walks\`, each value with
 * the answer the walk must give and the number of objects JS_WriteObject numbers in it; \`protos\`, objects with
 * their prototypes (null for none), which the shape's prototype field must hold exactly; \`sizes\`, objects with
 * how many properties they have, which the shape's property count must hold (not its allocated size).
 */
export const PROBE_SOURCE = `(() => {
  class K { constructor() { this.x = 1; } }
  const P = { p: 1 };
  return {
    walks: [
      [{ a: { b: [{ c: 1 }, [2, { d: null }]] }, e: Object.create(null), f: [1, 2], g: 'x' }, true, 8],
      [(() => { const s = { x: 1 }; return { p: s, q: [s, s, 3] }; })(), true, 3],
      [[{ k: 1 }, [], {}], true, 4],
      [(() => { const o = { n: 1, m: {} }; delete o.n; return o; })(), true, 2],
      [(() => { const o = { v: 1 }; Object.defineProperty(o, 'h', { value: new K(), enumerable: false }); return o; })(), true, 1],
      [{ a: [1, { k: new K() }] }, false, 4],
      [{ a: Object.create({}) }, false, 2],
      [(() => { const a = [1, 2]; a.length = 5; return { a }; })(), false, 2],
      [{ a: [1, , 3] }, false, 2],
      [{ get g() { return 1; }, h: {} }, false, 2],
      [{ a: {} }, false, 3],
      [{ a: {} }, false, 1],
    ],
    protos: [[{}, Object.prototype], [Object.create(null), null], [Object.create(P), P], [new K(), K.prototype], [[], Array.prototype]],
    sizes: [[{}, 0], [{ a: 1 }, 1], [{ a: 1, b: 2, c: 3 }, 3], [{ a: 1, b: 2, c: 3, d: 4, e: 5 }, 5]],
  };
})()`;

/**
 * Decide whether the walk can be used in this process, from PROBE_SOURCE's values read in a fresh context: the
 * JSObject address of each (0 when it is not an object; see objectAt), with the walk's expected answers and
 * object counts, each prototype's address (0 for null), and the property counts.
 * @returns whether every answer and prototype was the expected one (the walk is enabled exactly then)
 */
export function settleLayout(
  memory: WebAssembly.Memory,
  objectProto: number,
  walks: { root: number; plain: boolean; objects: number }[],
  protos: { object: number; proto: number }[],
  sizes: { object: number; count: number }[],
): boolean {
  const heap = wordsOf(memory);
  const limit = heap.length * 4;
  const shapeOf = (object: number): number => {
    const shape = object > 0 && object + OBJECT_MIN_BYTES <= limit ? heap[(object + OBJECT_SHAPE) >> 2] : 0;
    return shape > 0 && shape + SHAPE_PROPS <= limit ? shape : 0;
  };
  let ok = objectProto > 0 && walks.length > 0 && protos.length > 0 && sizes.length > 0;
  for (const c of protos) {
    if (!ok) break;
    const shape = shapeOf(c.object);
    ok = shape > 0 && heap[(shape + SHAPE_PROTO) >> 2] === c.proto;
  }
  for (const c of sizes) {
    if (!ok) break;
    const shape = shapeOf(c.object);
    ok = shape > 0 && heap[(shape + SHAPE_PROP_COUNT) >> 2] === c.count;
  }
  for (const c of walks) {
    if (!ok) break;
    ok = c.root > 0 && walk(heap, c.root, objectProto, c.objects) === c.plain;
  }
  layoutOk = ok;
  return ok;
}

/** For the spec: forget the probe's verdict (the next session probes again), or force one. */
export function setHeapWalk(state: boolean | null): void {
  layoutOk = state;
}
