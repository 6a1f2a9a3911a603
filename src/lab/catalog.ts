// Discovery of labs under a repo (labs/<track>/<name>.yaml), resolution of lab references
// ("traffic-shifting", "gke-workshop/traffic-shifting") and loading with prerequisites.
import { readFile, readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { LabError } from './errors.js';
import { loadLab } from './load.js';
import type { LoadedLab } from './load.js';
import { DEFAULT_TRACK, expandRequire, orderWithRequires, qualifyLab } from './requires.js';
import { findClosest } from './suggest.js';

export { DEFAULT_TRACK, orderWithRequires } from './requires.js';
export type { OrderResult, RequiresNode } from './requires.js';

/** One lab file found under labs/. */
export interface CatalogEntry {
  track: string;
  name: string;
  /** Qualified reference: `track/name`. */
  ref: string;
  /** Absolute path of the lab file. */
  file: string;
}

/** All labs of a repo. */
export interface Catalog {
  repoRoot: string;
  entries: CatalogEntry[];
}

/** Outcome of resolving a lab reference. */
export type ResolveResult = { ok: true; entry: CatalogEntry } | { ok: false; message: string };

const LAB_FILE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?\.yaml$/;
const TRACK_DIR = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Reports whether YAML text is a Kubernetes manifest rather than a lab (manifests may sit next to labs). */
function looksLikeManifest(text: string): boolean {
  return /^apiVersion\s*:/m.test(text) && !/^steps\s*:/m.test(text);
}

/** Finds every lab file: labs/<track>/<name>.yaml, skipping manifests kept next to labs. */
export async function discoverLabs(repoRoot: string): Promise<Catalog> {
  const root = resolve(repoRoot);
  const labsDir = join(root, 'labs');
  const tracks = await readdir(labsDir, { withFileTypes: true }).catch(() => []);
  const entries: CatalogEntry[] = [];
  for (const track of tracks.filter((t) => t.isDirectory() && TRACK_DIR.test(t.name))) {
    const files = await readdir(join(labsDir, track.name), { withFileTypes: true });
    for (const f of files.filter((x) => x.isFile() && LAB_FILE.test(x.name))) {
      const file = join(labsDir, track.name, f.name);
      if (looksLikeManifest(await readFile(file, 'utf8'))) continue;
      const name = f.name.replace(/\.yaml$/, '');
      entries.push({ track: track.name, name, ref: `${track.name}/${name}`, file });
    }
  }
  entries.sort((a, b) => a.ref.localeCompare(b.ref));
  return { repoRoot: root, entries };
}

/** Resolves `name` (in `track`, default core) or `track/name` to a catalog entry, suggesting near misses. */
export function resolveLabRef(ref: string, catalog: Catalog, options: { track?: string } = {}): ResolveResult {
  const track = options.track ?? DEFAULT_TRACK;
  if (!/^([a-z0-9-]+\/)?[a-z0-9-]+$/.test(ref)) {
    return { ok: false, message: `"${ref}" is not a lab reference; use "name" or "track/name"` };
  }
  const byRef = new Map(catalog.entries.map((e) => [e.ref, e]));
  for (const candidate of expandRequire(ref, track)) {
    const entry = byRef.get(candidate);
    if (entry) return { ok: true, entry };
  }
  const name = ref.split('/').at(-1) ?? ref;
  const sameName = catalog.entries.filter((e) => e.name === name).map((e) => e.ref);
  const closeNames = findClosest(name, catalog.entries.map((e) => e.name));
  const near = sameName.length > 0 ? sameName : closeNames.flatMap((n) => catalog.entries.filter((e) => e.name === n).map((e) => e.ref));
  const hint = near.length > 0 ? `; did you mean ${near.slice(0, 5).join(', ')}?` : catalog.entries.length === 0 ? '; no labs found' : '';
  return { ok: false, message: `unknown lab "${ref}"${hint}` };
}

/** Outcome of loading labs with their prerequisites. */
export type PlanResult = { ok: true; labs: LoadedLab[]; warnings: LabError[] } | { ok: false; errors: (LabError | string)[] };

/** Loads the labs named by `refs` and, transitively, what they require; returns them in run order. */
export async function loadWithRequires(refs: readonly string[], catalog: Catalog): Promise<PlanResult> {
  const loaded = new Map<string, LoadedLab>();
  const errors: (LabError | string)[] = [];
  const warnings: LabError[] = [];
  const targets: LoadedLab[] = [];
  const queue: { ref: string; track?: string; from?: string }[] = refs.map((ref) => ({ ref }));
  while (queue.length > 0) {
    const { ref, track, from } = queue.shift()!;
    const target = from === undefined;
    const resolved = resolveLabRef(ref, catalog, { track });
    if (!resolved.ok) {
      errors.push(from ? `${from} requires "${ref}": ${resolved.message}` : resolved.message);
      continue;
    }
    const known = loaded.get(resolved.entry.ref);
    if (known) {
      if (target && !targets.includes(known)) targets.push(known);
      continue;
    }
    const result = await loadLab(resolved.entry.file, { repoRoot: catalog.repoRoot });
    if (!result.ok) {
      errors.push(...result.errors);
      continue;
    }
    warnings.push(...result.warnings);
    loaded.set(qualifyLab(result.loaded.lab), result.loaded);
    if (target) targets.push(result.loaded);
    const { lab } = result.loaded;
    for (const required of lab.requires) queue.push({ ref: required, track: lab.track, from: qualifyLab(lab) });
  }
  if (errors.length > 0) return { ok: false, errors };
  const nodes = new Map([...loaded.values()].map((l) => [l, { ...l.lab, loaded: l }]));
  const order = orderWithRequires(
    targets.map((t) => nodes.get(t)!),
    [...nodes.values()],
  );
  if (!order.ok) return { ok: false, errors: [order.message] };
  return { ok: true, labs: order.order.map((n) => n.loaded), warnings };
}
