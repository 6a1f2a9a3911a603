// Injected clock and seeded randomness, so the sandbox's behaviour is reproducible under a seed.

/** A source of the current time. */
export interface Clock {
  now(): Date;
}

/** A function returning a float in [0, 1). */
export type Random = () => number;

/** The real wall clock. */
export const systemClock: Clock = { now: () => new Date() };

/** Mulberry32: a small, fast, seedable PRNG (good enough for emulation, not for secrets). */
export function createSeededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
