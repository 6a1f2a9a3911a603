// Writes manifests/samples/notes/configmap.yaml: the notes app's script (app.py, next to it) as the
// ConfigMap `notes-app` the notes Deployments mount at /app. Same content as
// `kubectl create configmap notes-app --from-file=app.py --dry-run=client -o yaml`, kept readable.
// Usage: node --import tsx scripts/gen-notes-configmap.ts [--check]
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Repo-relative paths of the script and of the committed ConfigMap. */
export const NOTES_APP_FILE = 'manifests/samples/notes/app.py';
export const NOTES_CONFIGMAP_FILE = 'manifests/samples/notes/configmap.yaml';

/** The ConfigMap YAML holding `script` as key app.py (a literal block scalar, so it reads like the file). */
export function renderNotesConfigMap(script: string): string {
  if (!script.endsWith('\n') || script.endsWith('\n\n')) throw new Error(`${NOTES_APP_FILE} must end with exactly one newline (a YAML "|" block keeps one)`);
  if (/[ \t]$/m.test(script)) throw new Error(`${NOTES_APP_FILE} has trailing whitespace; remove it so the YAML block round-trips`);
  const body = script
    .slice(0, -1)
    .split('\n')
    .map((line) => (line === '' ? '' : `    ${line}`))
    .join('\n');
  return [
    '# The notes app\'s script, mounted at /app by the notes Deployments (python /app/app.py ...).',
    '# Generated from app.py by: node --import tsx scripts/gen-notes-configmap.ts',
    '# test/sandbox/workloads/notes.test.ts checks that the copy below is app.py byte for byte.',
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    '  name: notes-app',
    '  labels:',
    '    app: notes',
    'data:',
    '  app.py: |',
    body,
    '',
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const rendered = renderNotesConfigMap(await readFile(resolve(repoRoot, NOTES_APP_FILE), 'utf8'));
  if (argv.includes('--check')) {
    if ((await readFile(resolve(repoRoot, NOTES_CONFIGMAP_FILE), 'utf8').catch(() => '')) === rendered) return 0;
    process.stderr.write(`${NOTES_CONFIGMAP_FILE} is out of date; run: node --import tsx scripts/gen-notes-configmap.ts\n`);
    return 1;
  }
  await writeFile(resolve(repoRoot, NOTES_CONFIGMAP_FILE), rendered);
  process.stdout.write(`wrote ${NOTES_CONFIGMAP_FILE}\n`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = await main(process.argv.slice(2));
}
