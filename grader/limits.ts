/**
 * Every sandbox limit in one place, with its default. An exercise may override any of them
 * (`ExerciseDefinition.limits`). Each limit, when hit, produces its own error kind.
 */
export interface Limits {
  /** wall-clock budget for one call into learner code, ms (interrupt handler + host clock) → `timeout` */
  callTimeoutMs: number;
  /** wall-clock budget for evaluating the module (top-level code), ms → `timeout` */
  loadTimeoutMs: number;
  /** memory limit, bytes: growth of the WASM memory per session (hard, the growth gate) and QuickJS's live heap (census) → `memory` */
  memoryBytes: number;
  /** QuickJS stack limit, bytes (`runtime.setMaxStackSize`); larger than 128 KiB risks overflowing the host → `stack` */
  stackBytes: number;
  /** captured console output kept per test and for module load, characters; the rest is cut with a note */
  consoleChars: number;
  /** largest source accepted before transpiling, characters → `syntax` */
  sourceChars: number;
  /** deepest bracket nesting accepted before transpiling → `syntax` */
  sourceNesting: number;
  /** largest returned value copied out of the VM (elements + characters counted) → `invalid-result` */
  resultSize: number;
  /**
   * optional: wall-clock budget for the whole submission (all loads and calls), ms → `timeout`; when absent the
   * grader uses DEFAULT_SUITE_TIMEOUT_MS. Stops code that is slow on every call without hanging on any one.
   */
  suiteTimeoutMs?: number;
}

/**
 * Every limit's name, in one list that the exercise contract's schema (exercises/contract.ts) is built from.
 * The `satisfies` clause fails to compile when a name is missing or misspelled.
 */
export const LIMIT_NAMES = [
  'callTimeoutMs',
  'loadTimeoutMs',
  'memoryBytes',
  'stackBytes',
  'consoleChars',
  'sourceChars',
  'sourceNesting',
  'resultSize',
  'suiteTimeoutMs',
] as const satisfies readonly (keyof Limits)[];
type MissingLimitName = Exclude<keyof Limits, (typeof LIMIT_NAMES)[number]>;
/** Compile-time check: this line fails to type-check when `Limits` gains a field LIMIT_NAMES lacks. */
export const LIMIT_NAMES_COMPLETE: MissingLimitName extends never ? true : never = true;

/** Default of `Limits.suiteTimeoutMs`. */
export const DEFAULT_SUITE_TIMEOUT_MS = 30_000;

export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  callTimeoutMs: 2_000,
  loadTimeoutMs: 2_000,
  memoryBytes: 64 * 1024 * 1024,
  stackBytes: 128 * 1024,
  consoleChars: 8_000,
  sourceChars: 200_000,
  sourceNesting: 400,
  resultSize: 100_000,
});

/** Merge an exercise's overrides over the defaults. */
export function resolveLimits(overrides?: Partial<Limits>): Limits {
  return { ...DEFAULT_LIMITS, ...overrides };
}
