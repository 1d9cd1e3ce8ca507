/** Drawing a drill's inputs from its seeded PRNG: integers, picks, shuffles, keys, member names. */
import type { KafkaRecord } from '../common/record.ts';
import type { Prng } from '../common/prng.ts';

/** An integer in [lo, hi]. */
export function between(rng: Prng, lo: number, hi: number): number {
  return lo + rng.nextInt(hi - lo + 1);
}

export function pick<T>(rng: Prng, items: readonly T[]): T {
  return items[rng.nextInt(items.length)];
}

export function shuffled<T>(rng: Prng, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

export const KEY_PREFIXES = ['user', 'order', 'cart', 'device', 'sensor', 'account', 'invoice', 'session'];

export function randomKey(rng: Prng): string {
  return `${pick(rng, KEY_PREFIXES)}-${rng.nextInt(10_000)}`;
}

export const members = (c: number): string[] => Array.from({ length: c }, (_, i) => `C${i}`);

/** `count` records k<offset>/v<offset>, numbered from `fromOffset`, at time 0. */
export function records(count: number, fromOffset: number): KafkaRecord[] {
  return Array.from({ length: count }, (_, i) => ({ key: `k${fromOffset + i}`, value: `v${fromOffset + i}`, timestamp: 0 }));
}
