// Which labs a multi-lab `run` resets as soon as they pass, so that every lab starts from the state
// its `requires` promise and not from whatever the previous lab left (two labs routing the same host
// with different VirtualServices would otherwise disturb each other's checks). A lab is kept when a
// later lab of the run needs it (directly or through its prerequisites) and the last target is kept,
// so the learner can still look at it and `verify` it.
import { expandRequire, qualifyLab } from '../lab/requires.js';
import type { PlannedLab } from './run-labs.js';

/** Indexes (into `plan`) of the labs to reset right after they pass. */
export function labsToResetAfterPassing(plan: readonly PlannedLab[]): Set<number> {
  const out = new Set<number>();
  const targets = plan.map((p, i) => (p.target ? i : -1)).filter((i) => i >= 0);
  if (targets.length < 2) return out;
  const byRef = new Map(plan.map((p) => [qualifyLab(p.loaded.lab), p]));
  const closure = (p: PlannedLab, seen = new Set<string>()): Set<string> => {
    for (const req of p.loaded.lab.requires) {
      const ref = expandRequire(req, p.loaded.lab.track).find((r) => byRef.has(r));
      if (!ref || seen.has(ref)) continue;
      seen.add(ref);
      closure(byRef.get(ref)!, seen);
    }
    return seen;
  };
  const needs = plan.map((p) => closure(p));
  const last = targets[targets.length - 1];
  for (const i of targets) {
    if (i === last) continue;
    const ref = qualifyLab(plan[i].loaded.lab);
    if (!plan.some((_, j) => j > i && needs[j].has(ref))) out.add(i);
  }
  return out;
}
