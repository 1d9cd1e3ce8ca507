/**
 * Timing helpers shared by the bench files (pure, no output). Times are wall clock from `performance.now()`, in ms.
 */

/** The middle value of `xs` (the upper one of the two middles for an even count), e.g. [3, 1, 2] → 2. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Wall-clock time of one run of `fn`, ms. */
export function time(fn: () => void): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

/** The fastest of `runs` runs of `fn`, ms. */
export function bestOf(runs: number, fn: () => void): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i++) best = Math.min(best, time(fn));
  return best;
}
