// Ring hash for DestinationRule consistentHash (§5): each host owns ⌈minimumRingSize / hosts⌉ points;
// a key goes to the first point clockwise. Envoy hashes with xxHash64; this uses 32-bit FNV-1a, so
// WHICH pod a key sticks to differs from a real cluster, but stickiness and spread behave alike.
// Maglev is approximated by the same ring (not faithful to Maglev's table).

/** 32-bit FNV-1a of a string. */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  // final avalanche (murmur3 fmix32) so near-identical keys spread over the ring
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/** A built ring: sorted point hashes and the host key owning each. */
export interface HashRing {
  points: Uint32Array;
  owners: string[];
}

/** Build a ring over host keys. */
export function buildRing(hostKeys: string[], minimumRingSize = 1024): HashRing {
  const per = Math.max(1, Math.ceil(minimumRingSize / Math.max(1, hostKeys.length)));
  const entries: [number, string][] = [];
  for (const key of hostKeys) for (let i = 0; i < per; i++) entries.push([hash32(`${key}_${i}`), key]);
  entries.sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : 1));
  return { points: Uint32Array.from(entries.map((e) => e[0])), owners: entries.map((e) => e[1]) };
}

/** The host key owning `hash` (first point ≥ hash, wrapping). */
export function lookupRing(ring: HashRing, hash: number): string | undefined {
  const { points, owners } = ring;
  if (!points.length) return undefined;
  let lo = 0;
  let hi = points.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (points[mid] < hash) lo = mid + 1;
    else hi = mid;
  }
  return owners[lo === points.length ? 0 : lo];
}
