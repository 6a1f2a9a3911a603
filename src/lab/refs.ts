// Resolves manifest file references from a lab: relative to the lab's folder first, then the
// repo's manifests/; "manifests/..." is repo-relative. Nothing may escape labs/ or manifests/.
import { realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';

/** Where a lab lives, for resolving its file references. */
export interface RefContext {
  /** Absolute repo root (holds labs/ and manifests/). */
  repoRoot: string;
  /** Absolute folder of the lab file. */
  labDir: string;
}

/** A resolved reference (absolute path) or why it could not be resolved. */
export type RefResult = { ok: true; path: string } | { ok: false; message: string };

/** Reports whether `child` is `parent` or inside it. */
export function isInside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** Renders an absolute path relative to the repo root with "/" separators. */
export function showRepoPath(repoRoot: string, path: string): string {
  const rel = relative(repoRoot, path);
  return rel.startsWith('..') || isAbsolute(rel) ? path : rel.split(sep).join('/');
}

function rejectSyntax(ref: string): string | undefined {
  if (isAbsolute(ref) || /^[A-Za-z]:[\\/]/.test(ref) || ref.startsWith('~')) {
    return `absolute paths are not allowed ("${ref}"); give a path relative to the lab's folder, or one starting with "manifests/"`;
  }
  if (ref.includes('://')) return `URLs are not supported ("${ref}"); put the manifest in the repo's manifests/ folder`;
  if (ref.includes('\\')) return `use "/" in paths ("${ref}")`;
  if (ref.includes('\0')) return 'path contains a NUL character';
  return undefined;
}

async function resolveRealpath(path: string): Promise<string> {
  return realpath(path).catch(() => path);
}

/** Resolves one manifest reference to an absolute path inside labs/ or manifests/. */
export async function resolveManifestRef(ref: string, context: RefContext): Promise<RefResult> {
  const syntax = rejectSyntax(ref);
  if (syntax) return { ok: false, message: syntax };
  const roots = [join(context.repoRoot, 'labs'), join(context.repoRoot, 'manifests')];
  const candidates = (
    ref.startsWith('manifests/') ? [resolve(context.repoRoot, ref)] : [resolve(context.labDir, ref), resolve(context.repoRoot, 'manifests', ref)]
  ).filter((candidate) => roots.some((root) => isInside(root, candidate)));
  if (candidates.length === 0) return { ok: false, message: `"${ref}" escapes the repo's labs/ and manifests/ folders` };
  const realRoots = await Promise.all(roots.map(resolveRealpath));
  for (const candidate of candidates) {
    const info = await stat(candidate).catch(() => undefined);
    if (!info) continue;
    const real = await realpath(candidate);
    if (!realRoots.some((root) => isInside(root, real))) {
      return { ok: false, message: `"${ref}" resolves through a symlink to ${real}, outside the repo's labs/ and manifests/ folders` };
    }
    if (!info.isFile()) return { ok: false, message: `"${ref}" is not a file; list the files with "files"` };
    return { ok: true, path: real };
  }
  const looked = candidates.map((c) => showRepoPath(context.repoRoot, c)).join(' and ');
  return { ok: false, message: `manifest file not found: "${ref}" (looked for ${looked})` };
}
