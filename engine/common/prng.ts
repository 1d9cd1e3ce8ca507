/**
 * A small seeded pseudo-random number generator: the engine's only source of randomness.
 *
 * The rule: 32-bit state; each step adds the golden-ratio increment 0x9e3779b9 and runs the
 * splitmix32 finaliser (two xor-shift-multiply rounds) over the state. Integers in [0, bound)
 * come from rejection sampling, so they carry no modulo bias.
 *
 * Example: `const rng = createPrng(42); rng.nextInt(6)` → the same partition on every run and
 * every machine; `createPrng(42).fork()` gives an independent stream for a sub-component.
 *
 * Caveats:
 * - Not cryptographic. Kafka's producer draws from `ThreadLocalRandom`; we only need a
 *   reproducible stream with good spread, so exact random sequences never match Kafka's.
 * - The whole state is one uint32 (`state`): store it in a trace to resume a run exactly.
 *
 * Source: splitmix32 — the 32-bit variant of Steele, Lea & Flood, "Fast splittable pseudorandom
 * number generators" (OOPSLA 2014); the finaliser constants are Hash Prospector's lowbias32.
 */
export interface Prng {
  /** the generator's whole state, a uint32; `createPrng(rng.state)` continues the same stream */
  readonly state: number;
  /** a uniform uint32 in [0, 2^32) */
  nextUint32(): number;
  /**
   * A uniform integer in [0, bound).
   * @param bound a positive integer ≤ 2^32
   * @throws RangeError when bound is not a positive integer ≤ 2^32
   */
  nextInt(bound: number): number;
  /** a uniform float in [0, 1) with 32 bits of randomness */
  nextFloat(): number;
  /** a new generator seeded from this one's next output (this one advances by one step) */
  fork(): Prng;
}

const GOLDEN_GAMMA = 0x9e3779b9;
const TWO_POW_32 = 0x1_0000_0000;

/**
 * Create a seeded generator.
 * @param seed any number; only its low 32 bits count (`seed >>> 0`), so 1 and 2^32 + 1 are the same seed
 * @returns a fresh {@link Prng}
 */
export function createPrng(seed: number): Prng {
  let state = seed >>> 0;

  function nextUint32(): number {
    state = (state + GOLDEN_GAMMA) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
    return (z ^ (z >>> 15)) >>> 0;
  }

  function nextInt(bound: number): number {
    if (!Number.isInteger(bound) || bound < 1 || bound > TWO_POW_32) {
      throw new RangeError(`Expected bound to be a positive integer ≤ 2^32, got ${String(bound)}`);
    }
    // reject the top (2^32 mod bound) values so every residue is equally likely
    const limit = TWO_POW_32 - (TWO_POW_32 % bound);
    for (;;) {
      const x = nextUint32();
      if (x < limit) return x % bound;
    }
  }

  return {
    get state() {
      return state;
    },
    nextUint32,
    nextInt,
    nextFloat: () => nextUint32() / TWO_POW_32,
    fork: () => createPrng(nextUint32()),
  };
}
