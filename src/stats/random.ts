// Seeded randomness: every simulation, jitter and sample draw takes a Random so runs are reproducible.

/** A source of uniform numbers in [0, 1). */
export type Random = () => number;

/** Creates a reproducible Random (mulberry32) from a 32-bit seed. */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Picks an index with the given probabilities (which should sum to 1; the last index absorbs rounding). */
export function pickWeighted(probabilities: readonly number[], random: Random): number {
  let u = random();
  for (let i = 0; i < probabilities.length - 1; i++) {
    u -= probabilities[i];
    if (u < 0) return i;
  }
  return probabilities.length - 1;
}
