// Expands the paths given to `validate` into lab files and manifest files: folders are walked
// recursively for *.yaml / *.yml (skipping dot-folders and node_modules).
import { readFile, readdir, realpath, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/** The files to check, as absolute paths, and the paths that do not exist. */
export interface CollectedFiles {
  labs: string[];
  manifests: string[];
  missing: string[];
}

const YAML_FILE = /\.ya?ml$/i;

/** Reports whether YAML text is a lab (steps, or the lab schema comment) rather than a manifest. */
export function isLabText(text: string): boolean {
  return /^steps\s*:/m.test(text) || /^#\s*yaml-language-server:\s*\$schema=\S*lab\.schema\.json/m.test(text);
}

/** Lists YAML files under a folder, sorted. */
async function walkFolder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const found: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await walkFolder(path)));
    else if (entry.isFile() && YAML_FILE.test(entry.name)) found.push(path);
  }
  return found;
}

/** Sorts files given or found into labs and manifests; each file appears once. */
export async function collectFiles(paths: readonly string[], cwd: string): Promise<CollectedFiles> {
  const collected: CollectedFiles = { labs: [], manifests: [], missing: [] };
  const seen = new Set<string>();
  for (const given of paths) {
    const info = await stat(resolve(cwd, given)).catch(() => undefined);
    const path = info ? await realpath(resolve(cwd, given)) : '';
    if (!info) {
      collected.missing.push(given);
      continue;
    }
    for (const file of info.isDirectory() ? await walkFolder(path) : [path]) {
      if (seen.has(file)) continue;
      seen.add(file);
      const text = await readFile(file, 'utf8').catch(() => '');
      (isLabText(text) ? collected.labs : collected.manifests).push(file);
    }
  }
  return collected;
}
