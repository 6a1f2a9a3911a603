// Writes schema/lab.schema.json from the zod lab schema (the single source of truth).
// Usage: node --import tsx scripts/gen-schema.ts [--check]
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { z } from 'zod';
import { LabSchema } from '../src/lab/schema.js';

/** Repo-relative path of the committed JSON Schema. */
export const LAB_SCHEMA_FILE = 'schema/lab.schema.json';

/** Renders the lab JSON Schema (draft-07, input shape: fields with defaults are optional) as text. */
export function renderLabJsonSchema(): string {
  const schema = z.toJSONSchema(LabSchema, { io: 'input', target: 'draft-7', unrepresentable: 'any' });
  return `${JSON.stringify(schema, null, 2)}\n`;
}

/** Compares the committed JSON Schema under `repoRoot` with a fresh render; true when up to date. */
export async function checkLabJsonSchema(repoRoot: string): Promise<boolean> {
  const committed = await readFile(resolve(repoRoot, LAB_SCHEMA_FILE), 'utf8').catch(() => '');
  return committed === renderLabJsonSchema();
}

/** Writes the JSON Schema under `repoRoot`. */
export async function writeLabJsonSchema(repoRoot: string): Promise<string> {
  const target = resolve(repoRoot, LAB_SCHEMA_FILE);
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, renderLabJsonSchema());
  return target;
}

async function main(argv: string[]): Promise<number> {
  const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  if (argv.includes('--check')) {
    if (await checkLabJsonSchema(repoRoot)) return 0;
    process.stderr.write(`${LAB_SCHEMA_FILE} is out of date; run: node --import tsx scripts/gen-schema.ts\n`);
    return 1;
  }
  process.stdout.write(`wrote ${await writeLabJsonSchema(repoRoot)}\n`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = await main(process.argv.slice(2));
}
