// Checks a lab file: schema and YAML through loadLab, then lists what its actions apply or delete
// (manifest files, resolved; inline objects, as sites located inside the lab file).
import { readFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { isScalar } from 'yaml';
import { LAB_MAX_ALIAS_COUNT, LabError, MAX_LAB_BYTES, formatPath, loadLab, parseLab, resolveManifestRef } from '../lab/index.js';
import type { ApplyAction, DeleteAction, Lab, PathSegment, Position } from '../lab/index.js';
import { readYamlStream } from '../lab/yaml-source.js';
import type { YamlDocument } from '../lab/yaml-source.js';
import { readManifestSites } from './manifest-file.js';
import type { ObjectSite } from './object-site.js';

/** What checking a lab found: its own problems, its inline objects and its manifest files. */
export interface LabCheck {
  errors: LabError[];
  /** Inline objects, located inside the lab file. */
  sites: ObjectSite[];
  /** Absolute paths of the manifest files the lab references (those that resolve). */
  manifests: string[];
}

/** The repo root of a lab: the parent of the nearest enclosing labs/ folder, else `fallback`. */
export function findRepoRoot(file: string, fallback: string): string {
  for (let dir = dirname(resolve(file)); dir !== dirname(dir); dir = dirname(dir)) {
    if (basename(dir) === 'labs') return dirname(dir);
  }
  return fallback;
}

/** Lists every apply/delete action of a lab with its field path. */
function listSourceActions(lab: Lab): { action: ApplyAction | DeleteAction; at: PathSegment[] }[] {
  return lab.steps.flatMap((step, s) =>
    (['actions', 'cleanup'] as const).flatMap((list) =>
      (step[list] ?? []).flatMap((action, a) => (action.kind === 'apply' || action.kind === 'delete' ? [{ action, at: ['steps', s, list, a] as PathSegment[] }] : [])),
    ),
  );
}

/** Maps positions in inline YAML to the lab file: exact for `|` blocks, else the inline field itself. */
function createRelocation(source: YamlDocument, text: string, at: PathSegment[]): (p: Position) => Position {
  const node = source.doc.getIn(at, true);
  const offset = isScalar(node) ? node.range?.[0] : undefined;
  const header = offset === undefined ? { line: 1, col: 1 } : source.lineCounter.linePos(offset);
  if (!isScalar(node) || node.type !== 'BLOCK_LITERAL') return () => ({ line: header.line, column: header.col });
  const lines = text.split(/\r?\n/);
  const first = lines.slice(header.line).find((l) => l.trim() !== '') ?? '';
  const indent = first.length - first.trimStart().length;
  return (p) => ({ line: header.line + p.line, column: indent + p.column });
}

/** Collects the objects written inline in a lab as sites in the lab file. */
function collectInlineSites(lab: Lab, text: string, file: string, source: YamlDocument): ObjectSite[] {
  return listSourceActions(lab).flatMap(({ action, at }) => {
    const inline = action.inline;
    if (inline === undefined) return [];
    const field = [...at, 'inline'];
    if (typeof inline === 'string') {
      return readManifestSites(inline, file, { label: formatPath(field), relocate: createRelocation(source, text, field) }).sites;
    }
    const items = Array.isArray(inline) ? inline.map((object, i) => ({ object, at: [...field, i] })) : [{ object: inline, at: field }];
    return items.map((item) => ({ ...item, file, source, label: '' }));
  });
}

/** Checks one lab file; `shown` renders absolute paths for messages. */
export async function checkLabFile(file: string, repoRoot: string, shown: (path: string) => string): Promise<LabCheck> {
  const displayFile = shown(file);
  const loaded = await loadLab(file, { repoRoot });
  const own = (e: LabError) => resolve(repoRoot, e.file) === file;
  const relabel = (e: LabError) => new LabError(displayFile, e.line, e.column, e.path, e.message, e.severity);
  const errors = [...(loaded.ok ? [] : loaded.errors), ...loaded.warnings].filter(own).map(relabel);
  const text = await readFile(file, 'utf8').catch(() => undefined);
  if (text === undefined || Buffer.byteLength(text) > MAX_LAB_BYTES) return { errors, sites: [], manifests: [] };
  const parsed = parseLab(text, displayFile);
  const stream = readYamlStream(text, displayFile, { maxBytes: MAX_LAB_BYTES, maxAliasCount: LAB_MAX_ALIAS_COUNT });
  if (!parsed.ok || !stream.ok || !stream.documents[0]) return { errors, sites: [], manifests: [] };
  const manifests: string[] = [];
  for (const { action } of listSourceActions(parsed.lab)) {
    for (const ref of action.file !== undefined ? [action.file] : (action.files ?? [])) {
      const resolved = await resolveManifestRef(ref, { repoRoot, labDir: dirname(file) });
      if (resolved.ok && !manifests.includes(resolved.path)) manifests.push(resolved.path);
    }
  }
  return { errors, sites: collectInlineSites(parsed.lab, text, displayFile, stream.documents[0]), manifests };
}
