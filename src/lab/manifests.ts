// Kubernetes manifests as plain objects: parsing multi-document YAML text (pure) and the
// minimal shape check every object must pass (apiVersion, kind, metadata.name).
import { LabError, formatPath } from './errors.js';
import type { PathSegment } from './errors.js';
import { createErrorAt, readYamlStream, convertToData } from './yaml-source.js';

/** A Kubernetes object as read from a manifest; keys are kept verbatim. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [key: string]: unknown };
  [key: string]: unknown;
}

/** Largest manifest file accepted, in bytes. */
export const MAX_MANIFEST_BYTES = 8 * 1024 * 1024;

/** Alias expansion budget for manifests. */
export const MANIFEST_MAX_ALIAS_COUNT = 100;

/** Result of parsing manifest text. */
export type ManifestParseResult = { ok: true; objects: KubeObject[] } | { ok: false; errors: LabError[] };

/** A problem with one object's shape: where it is (relative to the object) and what is wrong. */
export interface ObjectProblem {
  path: PathSegment[];
  message: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isFilled(value: unknown): boolean {
  return typeof value === 'string' && value.trim() !== '';
}

/** Checks that a value looks like a Kubernetes object; returns the problems found. */
export function checkKubeObject(value: unknown): ObjectProblem[] {
  if (!isRecord(value)) return [{ path: [], message: 'expected a Kubernetes object (a map with apiVersion, kind, metadata)' }];
  const problems: ObjectProblem[] = [];
  for (const field of ['apiVersion', 'kind'] as const) {
    if (!isFilled(value[field])) problems.push({ path: [field], message: `missing required field "${field}"` });
  }
  const metadata = value.metadata;
  if (!isRecord(metadata)) problems.push({ path: ['metadata'], message: 'missing required field "metadata" (with a name)' });
  else if (!isFilled(metadata.name)) problems.push({ path: ['metadata', 'name'], message: 'missing required field "metadata.name"' });
  return problems;
}

/** Expands `kind: List` objects into their items; other objects pass through. */
function expandList(value: Record<string, unknown>): { item: unknown; path: PathSegment[] }[] {
  if (typeof value.kind === 'string' && value.kind.endsWith('List') && Array.isArray(value.items)) {
    return value.items.map((item, index) => ({ item, path: ['items', index] }));
  }
  return [{ item: value, path: [] }];
}

/** Parses multi-document manifest YAML; errors name file:line, the document index and the field. */
export function parseManifests(text: string, file: string): ManifestParseResult {
  const stream = readYamlStream(text, file, { maxBytes: MAX_MANIFEST_BYTES, maxAliasCount: MANIFEST_MAX_ALIAS_COUNT });
  if (!stream.ok) return { ok: false, errors: stream.errors };
  const objects: KubeObject[] = [];
  const errors: LabError[] = [];
  stream.documents.forEach((source, index) => {
    const data = convertToData(source, file, MANIFEST_MAX_ALIAS_COUNT);
    if (!data.ok) {
      errors.push(...data.errors.map((e) => new LabError(e.file, e.line, e.column, `documents[${index}]`, e.message)));
      return;
    }
    if (data.value === null || data.value === undefined) return;
    const entries = isRecord(data.value) ? expandList(data.value) : [{ item: data.value, path: [] }];
    for (const { item, path } of entries) {
      const problems = checkKubeObject(item);
      for (const p of problems) {
        const located = createErrorAt(source, file, [...path, ...p.path], p.message);
        const field = formatPath([...path, ...p.path]);
        errors.push(new LabError(file, located.line, located.column, `documents[${index}]${field ? `.${field}` : ''}`.replace('.[', '['), p.message));
      }
      if (problems.length === 0) objects.push(item as KubeObject);
    }
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, objects };
}
