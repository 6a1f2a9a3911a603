// The `requires` graph: resolving prerequisite references and ordering labs so that every
// prerequisite runs first, with cycles reported by name.
import { findClosest } from './suggest.js';

/** What ordering needs to know about a lab. */
export interface RequiresNode {
  name: string;
  track: string;
  requires: readonly string[];
}

/** Default track for unqualified lab references. */
export const DEFAULT_TRACK = 'core';

/** Outcome of ordering: labs in run order, or why that is impossible. */
export type OrderResult<T> = { ok: true; order: T[] } | { ok: false; message: string };

/** The qualified reference of a lab: `track/name`. */
export function qualifyLab(node: { name: string; track: string }): string {
  return `${node.track}/${node.name}`;
}

/** Lists the qualified references an entry of `requires` may mean, in order of preference. */
export function expandRequire(ref: string, fromTrack: string): string[] {
  if (ref.includes('/')) return [ref];
  return [...new Set([`${fromTrack}/${ref}`, `${DEFAULT_TRACK}/${ref}`])];
}

/**
 * Orders `targets` with all their prerequisites (looked up in `available`, which defaults to
 * the targets) so that each lab comes after what it requires; stable in the order given.
 */
export function orderWithRequires<T extends RequiresNode>(targets: readonly T[], available: readonly T[] = targets): OrderResult<T> {
  const byRef = new Map<string, T>();
  for (const node of [...available, ...targets]) byRef.set(qualifyLab(node), node);
  const state = new Map<string, 'visiting' | 'done'>();
  const order: T[] = [];
  const stack: string[] = [];

  const visit = (node: T): string | undefined => {
    const ref = qualifyLab(node);
    if (state.get(ref) === 'done') return undefined;
    if (state.get(ref) === 'visiting') {
      const cycle = [...stack.slice(stack.indexOf(ref)), ref];
      return `labs require each other in a cycle: ${cycle.join(' → ')}`;
    }
    state.set(ref, 'visiting');
    stack.push(ref);
    for (const required of node.requires) {
      const match = expandRequire(required, node.track).map((r) => byRef.get(r)).find((n) => n !== undefined);
      if (!match) {
        const near = findClosest(required, [...byRef.keys(), ...[...byRef.values()].map((n) => n.name)]);
        const hint = near.length > 0 ? `; did you mean ${near.join(', ')}?` : '';
        return `${ref} requires "${required}", which is not a known lab${hint}`;
      }
      const problem = visit(match);
      if (problem) return problem;
    }
    stack.pop();
    state.set(ref, 'done');
    order.push(node);
    return undefined;
  };

  for (const target of targets) {
    const problem = visit(target);
    if (problem) return { ok: false, message: problem };
  }
  return { ok: true, order };
}
