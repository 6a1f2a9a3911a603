// Loads a lab from disk: reads the file (size-limited), parses it (parse.ts), and resolves and
// reads every manifest file its apply/delete actions reference, so errors surface up front.
import { readFile, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { LabError, formatPath, sortLabErrors } from './errors.js';
import type { PathSegment } from './errors.js';
import { MAX_MANIFEST_BYTES, parseManifests } from './manifests.js';
import type { KubeObject } from './manifests.js';
import { MAX_LAB_BYTES, parseLab } from './parse.js';
import { resolveManifestRef, showRepoPath } from './refs.js';
import type { ApplyAction, DeleteAction, Lab } from './schema.js';
import { createOversizeError } from './yaml-source.js';

/** Options for loadLab. */
export interface LoadOptions {
  /** Repo root holding labs/ and manifests/. */
  repoRoot: string;
}

/** A manifest file referenced by a lab, resolved and read. */
export interface ManifestFile {
  /** The reference as written in the lab. */
  ref: string;
  /** Absolute path. */
  path: string;
  objects: KubeObject[];
}

/** A lab read from disk, with its manifest files resolved and parsed. */
export interface LoadedLab {
  lab: Lab;
  /** Absolute path of the lab file. */
  file: string;
  /** Path shown in messages (repo-relative when inside the repo). */
  displayFile: string;
  /** Manifest files by reference as written in the lab. */
  manifests: Map<string, ManifestFile>;
}

/** Outcome of loading a lab. */
export type LoadResult =
  | { ok: true; loaded: LoadedLab; warnings: LabError[] }
  | { ok: false; errors: LabError[]; warnings: LabError[] };

/** Thrown by readManifests when a manifest file cannot be read or is malformed. */
export class ManifestError extends Error {
  constructor(readonly errors: LabError[]) {
    super(errors.map(String).join('\n'));
    this.name = 'ManifestError';
  }
}

/** Reads a multi-document manifest file into objects; throws ManifestError naming file:line and document. */
export async function readManifests(path: string, options: { displayPath?: string } = {}): Promise<KubeObject[]> {
  const shown = options.displayPath ?? path;
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    throw new ManifestError([new LabError(shown, 1, 1, '', `cannot read manifest: ${error.code ?? error.message}`)]);
  });
  if (info.size > MAX_MANIFEST_BYTES) throw new ManifestError([createOversizeError(shown, info.size, MAX_MANIFEST_BYTES)]);
  const parsed = parseManifests(await readFile(path, 'utf8'), shown);
  if (!parsed.ok) throw new ManifestError(parsed.errors);
  return parsed.objects;
}

/** Lists every manifest file reference in a lab with the field path where it is written. */
function listFileRefs(lab: Lab): { ref: string; path: PathSegment[] }[] {
  const refs: { ref: string; path: PathSegment[] }[] = [];
  lab.steps.forEach((step, s) => {
    for (const list of ['actions', 'cleanup'] as const) {
      (step[list] ?? []).forEach((action, a) => {
        if (action.kind !== 'apply' && action.kind !== 'delete') return;
        const at: PathSegment[] = ['steps', s, list, a];
        if (action.file !== undefined) refs.push({ ref: action.file, path: [...at, 'file'] });
        action.files?.forEach((ref, f) => refs.push({ ref, path: [...at, 'files', f] }));
      });
    }
  });
  return refs;
}

/** Loads, validates and resolves a lab file. */
export async function loadLab(path: string, options: LoadOptions): Promise<LoadResult> {
  const repoRoot = resolve(options.repoRoot);
  const file = resolve(path);
  const displayFile = showRepoPath(repoRoot, file);
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) return { ok: false, errors: [new LabError(displayFile, 1, 1, '', 'lab file not found')], warnings: [] };
  if (info.size > MAX_LAB_BYTES) return { ok: false, errors: [createOversizeError(displayFile, info.size, MAX_LAB_BYTES)], warnings: [] };
  const parsed = parseLab(await readFile(file, 'utf8'), displayFile);
  if (!parsed.ok) return parsed;
  const errors: LabError[] = [];
  const manifests = new Map<string, ManifestFile>();
  const byPath = new Map<string, KubeObject[] | undefined>();
  for (const { ref, path: fieldPath } of listFileRefs(parsed.lab)) {
    if (manifests.has(ref)) continue;
    const resolved = await resolveManifestRef(ref, { repoRoot, labDir: dirname(file) });
    if (!resolved.ok) {
      const { line, column } = parsed.locate(fieldPath);
      errors.push(new LabError(displayFile, line, column, formatPath(fieldPath), resolved.message));
      continue;
    }
    if (!byPath.has(resolved.path)) {
      try {
        byPath.set(resolved.path, await readManifests(resolved.path, { displayPath: showRepoPath(repoRoot, resolved.path) }));
      } catch (error) {
        byPath.set(resolved.path, undefined);
        if (error instanceof ManifestError) errors.push(...error.errors);
        else throw error;
      }
    }
    const objects = byPath.get(resolved.path);
    if (objects) manifests.set(ref, { ref, path: resolved.path, objects });
  }
  if (errors.length > 0) return { ok: false, errors: sortLabErrors(errors), warnings: parsed.warnings };
  return { ok: true, loaded: { lab: parsed.lab, file, displayFile, manifests }, warnings: parsed.warnings };
}

function parseInlineObjects(inline: NonNullable<ApplyAction['inline']>): KubeObject[] {
  if (typeof inline !== 'string') return (Array.isArray(inline) ? inline : [inline]) as KubeObject[];
  const parsed = parseManifests(inline, 'inline');
  if (!parsed.ok) throw new ManifestError(parsed.errors);
  return parsed.objects;
}

/** Lists the objects an apply or delete action acts on, in order (files as loaded, inline, or target). */
export function collectObjects(loaded: LoadedLab, action: ApplyAction | DeleteAction): KubeObject[] {
  const refs = action.file !== undefined ? [action.file] : (action.files ?? []);
  const fromFiles = refs.flatMap((ref) => {
    const manifest = loaded.manifests.get(ref);
    if (!manifest) throw new Error(`manifest "${ref}" was not loaded with ${loaded.displayFile}`);
    return manifest.objects;
  });
  const fromInline = action.inline !== undefined ? parseInlineObjects(action.inline) : [];
  const target = action.kind === 'delete' ? action.target : undefined;
  const fromTarget: KubeObject[] = target
    ? [{ apiVersion: target.apiVersion, kind: target.kind, metadata: { name: target.name, ...(target.namespace ? { namespace: target.namespace } : {}) } }]
    : [];
  return [...fromFiles, ...fromInline, ...fromTarget];
}
