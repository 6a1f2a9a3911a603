// Weighted destinations (§1.7): one destination takes everything; otherwise weight/sum, drawn per request.
import type { Random } from '../../runtime/determinism.js';

/** §1.7: pick one of `route[]` by weight with one draw from `random` (a single destination needs no draw). */
export function pickWeighted<T extends { weight?: number }>(destinations: T[], random: Random): T | undefined {
  if (destinations.length <= 1) return destinations[0];
  const live = destinations.filter((d) => (d.weight ?? 0) > 0);
  const total = live.reduce((s, d) => s + (d.weight ?? 0), 0);
  if (!live.length || total <= 0) return undefined;
  let draw = Math.floor(random() * total);
  for (const d of live) {
    draw -= d.weight ?? 0;
    if (draw < 0) return d;
  }
  return live[live.length - 1];
}
