// The lab format: schema (zod, the source of truth) → parse (pure) → load (fs) → catalog
// (discovery, references, the `requires` graph). Other folders import from here.
export * from './schema.js';
export { parseDuration, isDuration } from './duration.js';
export { LabError, formatLabError, formatPath } from './errors.js';
export type { PathSegment, Position, Severity } from './errors.js';
export { parseLab, SCHEMA_COMMENT, MAX_LAB_BYTES, LAB_MAX_ALIAS_COUNT } from './parse.js';
export type { ParseResult } from './parse.js';
export { parseManifests, checkKubeObject, MAX_MANIFEST_BYTES } from './manifests.js';
export type { KubeObject } from './manifests.js';
export { loadLab, readManifests, collectObjects, ManifestError } from './load.js';
export type { LoadOptions, LoadResult, LoadedLab, ManifestFile } from './load.js';
export { resolveManifestRef } from './refs.js';
export { discoverLabs, resolveLabRef, loadWithRequires, orderWithRequires, DEFAULT_TRACK } from './catalog.js';
export type { Catalog, CatalogEntry, ResolveResult, PlanResult, OrderResult, RequiresNode } from './catalog.js';
