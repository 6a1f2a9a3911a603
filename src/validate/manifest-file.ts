// Reads manifest YAML into object sites (one per object, `kind: *List` expanded), keeping each
// object's document so later checks can point at file:line:column. Pure apart from readManifestFile.
import { readFile, stat } from 'node:fs/promises';
import { LabError, MAX_MANIFEST_BYTES } from '../lab/index.js';
import type { PathSegment } from '../lab/index.js';
import { MANIFEST_MAX_ALIAS_COUNT } from '../lab/manifests.js';
import { convertToData, createOversizeError, readYamlStream } from '../lab/yaml-source.js';
import { joinPath } from './object-site.js';
import type { ObjectSite } from './object-site.js';

/** Objects found in manifest text, and the errors that kept others from being read. */
export interface ManifestSites {
  sites: ObjectSite[];
  errors: LabError[];
}

/** Expands `kind: *List` objects into their items; other values pass through. */
function expandList(value: unknown): { item: unknown; at: PathSegment[] }[] {
  const record = value as { kind?: unknown; items?: unknown } | null;
  if (record && typeof record === 'object' && typeof record.kind === 'string' && record.kind.endsWith('List') && Array.isArray(record.items)) {
    return record.items.map((item, index) => ({ item, at: ['items', index] }));
  }
  return [{ item: value, at: [] }];
}

/** Parses manifest text; `label` prefixes paths (e.g. "steps[0].actions[1].inline" for inline YAML). */
export function readManifestSites(text: string, file: string, options: { label?: string; relocate?: ObjectSite['relocate'] } = {}): ManifestSites {
  const stream = readYamlStream(text, file, { maxBytes: MAX_MANIFEST_BYTES, maxAliasCount: MANIFEST_MAX_ALIAS_COUNT });
  const { relocate } = options;
  const shift = (e: LabError) => {
    if (!relocate) return e;
    const { line, column } = relocate({ line: e.line, column: e.column });
    return new LabError(e.file, line, column, e.path, e.message, e.severity);
  };
  if (!stream.ok) return { sites: [], errors: [...stream.errors, ...stream.warnings].map(shift) };
  const sites: ObjectSite[] = [];
  const errors: LabError[] = stream.warnings.map(shift);
  stream.documents.forEach((source, index) => {
    const label = joinPath(options.label ?? '', `documents[${index}]`);
    const data = convertToData(source, file, MANIFEST_MAX_ALIAS_COUNT);
    if (!data.ok) {
      errors.push(...data.errors.map((e) => shift(new LabError(e.file, e.line, e.column, label, e.message))));
      return;
    }
    if (data.value === null || data.value === undefined) return;
    for (const { item, at } of expandList(data.value)) sites.push({ object: item, file, source, at, label, relocate });
  });
  return { sites, errors };
}

/** Reads a manifest file (size-limited) into object sites; `shown` is the path used in messages. */
export async function readManifestFile(path: string, shown: string): Promise<ManifestSites> {
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => error);
  if (info instanceof Error) return { sites: [], errors: [new LabError(shown, 1, 1, '', `cannot read manifest: ${info.code ?? info.message}`)] };
  if (info.size > MAX_MANIFEST_BYTES) return { sites: [], errors: [createOversizeError(shown, info.size, MAX_MANIFEST_BYTES)] };
  return readManifestSites(await readFile(path, 'utf8'), shown);
}
