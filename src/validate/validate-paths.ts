// Validates labs and manifests: expands paths, checks each lab (schema, references, inline
// objects) and each manifest file once, then checks every object against the known kinds.
import { isAbsolute, join, relative, sep } from 'node:path';
import { LabError } from '../lab/index.js';
import { checkObject } from './check-object.js';
import { collectFiles } from './collect-files.js';
import { createKindRegistry, registerCustomResource } from './kind-registry.js';
import { checkLabFile, findRepoRoot } from './lab-file.js';
import { readManifestFile } from './manifest-file.js';
import { locateProblem } from './object-site.js';
import type { ObjectSite } from './object-site.js';

/** Where validate runs and which repo it uses when a path is not inside a labs/ folder. */
export interface ValidateOptions {
  /** Folder that relative paths (given and shown) are relative to. */
  cwd: string;
  /** Repo root holding labs/ and manifests/ (validated when no paths are given). */
  repoRoot: string;
}

/** The outcome: every file checked (as shown) and every problem, sorted by position. */
export interface ValidationReport {
  files: string[];
  problems: LabError[];
  errorCount: number;
  warningCount: number;
}

/** Renders an absolute path relative to cwd when inside it, else as given. */
function createDisplay(cwd: string): (path: string) => string {
  return (path) => {
    const rel = relative(cwd, path);
    return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? path : rel.split(sep).join('/');
  };
}

/** Orders problems by file, line and column, errors before warnings at the same spot. */
function sortProblems(problems: LabError[]): LabError[] {
  return [...problems].sort(
    (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1),
  );
}

/** Validates the given paths (lab files, manifest files, folders); with none, the repo's labs/. */
export async function validatePaths(paths: readonly string[], options: ValidateOptions): Promise<ValidationReport> {
  const shown = createDisplay(options.cwd);
  const targets = paths.length > 0 ? paths : [join(options.repoRoot, 'labs')];
  const files = await collectFiles(targets, options.cwd);
  const problems: LabError[] = files.missing.map((p) => new LabError(p, 1, 1, '', 'no such file or directory'));
  const sites: ObjectSite[] = [];
  const manifests = [...files.manifests];
  for (const lab of files.labs) {
    const checked = await checkLabFile(lab, findRepoRoot(lab, options.repoRoot), shown);
    problems.push(...checked.errors);
    sites.push(...checked.sites);
    manifests.push(...checked.manifests.filter((m) => !manifests.includes(m)));
  }
  for (const manifest of manifests) {
    const read = await readManifestFile(manifest, shown(manifest));
    problems.push(...read.errors);
    sites.push(...read.sites);
  }
  const registry = createKindRegistry();
  for (const site of sites) {
    const o = site.object as { apiVersion?: unknown; kind?: unknown };
    if (o && o.kind === 'CustomResourceDefinition' && typeof o.apiVersion === 'string' && o.apiVersion.startsWith('apiextensions.k8s.io/')) registerCustomResource(registry, o);
  }
  for (const site of sites) problems.push(...(await checkObject(site.object, registry)).map((p) => locateProblem(site, p)));
  const sorted = sortProblems(problems);
  const errorCount = sorted.filter((p) => p.severity === 'error').length;
  return { files: [...files.labs, ...manifests].map(shown), problems: sorted, errorCount, warningCount: sorted.length - errorCount };
}
