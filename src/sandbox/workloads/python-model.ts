// The official `python` image (python:3.12.7-alpine3.20 in the notes sample). The sandbox cannot run
// Python, so it runs the scripts it has a model for: today only the notes app, recognised by the
// script's content (the ConfigMap file `python <script>` runs must be byte-for-byte the shipped
// manifests/samples/notes/app.py). Any other command runs the default echo server, with a Warning
// event on the pod that names what is not modelled, the way unmodelled images get EmulatedImage.
import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { echoModel } from './echo-model.js';
import { commandLine } from './http-kit.js';
import type { ContainerContext, ContainerWorkload, WorkloadModel } from './model.js';
import { readMountedFile } from './mounted-files.js';
import { createNotesApp } from './notes-model.js';

/** sha256 of manifests/samples/notes/app.py; test/sandbox/workloads/notes.test.ts keeps it in step with the file. */
export const NOTES_APP_SHA256 = 'c60909d072dd21fa57ab2978d7a1dc521f062663d35131b899deb0327ac26869';

/** Interpreter options that take a value (`-X dev`, `-W ignore`, `--check-hash-based-pycs default`). */
const OPTIONS_WITH_VALUE = new Set(['-X', '-W', '--check-hash-based-pycs']);

/** The script `python [options] script [args]` runs, or why the command is not that. */
export function pythonScript(argv: string[]): { ok: true; script: string; args: string[] } | { ok: false; problem: string } {
  if (!argv.length) return { ok: false, problem: 'has no command, so the image starts an interactive python3 that exits at once' };
  const program = argv[0].split('/').pop() ?? '';
  if (!/^python(3(\.\d+)?)?$/.test(program)) return { ok: false, problem: `runs ${JSON.stringify(argv[0])}, not python with a script` };
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-' || !a.startsWith('-')) return a === '-' ? { ok: false, problem: 'runs a script from stdin' } : { ok: true, script: a, args: argv.slice(i + 1) };
    if (OPTIONS_WITH_VALUE.has(a)) i++;
    else if (!a.startsWith('--') && /[cm]/.test(a.slice(1).replace(/[XW].*$/, ''))) return { ok: false, problem: `runs python ${a} (code or a module), not a script file` };
  }
  return { ok: false, problem: 'names no script, so it starts an interactive interpreter' };
}

/** The echo stand-in, with a Warning event saying why. */
function standIn(ctx: ContainerContext, why: string): ContainerWorkload {
  ctx.cluster?.warn('EmulatedScript', `container ${ctx.container.name} (${ctx.container.image}) ${why}; the sandbox models only the notes app (manifests/samples/notes/app.py), so a generic echo server runs in its place`);
  return echoModel.create(ctx);
}

/** The `python` image. */
export const pythonModel: WorkloadModel = {
  name: 'python',
  create(ctx: ContainerContext): ContainerWorkload {
    const command = pythonScript(commandLine(ctx.container));
    if (!command.ok) return standIn(ctx, command.problem);
    const path = posix.resolve(ctx.container.workingDir ?? '/', command.script);
    const content = readMountedFile(ctx, path);
    if (content === undefined) return standIn(ctx, `runs ${path}, which is not a file of a ConfigMap volume in this pod (mount the notes-app ConfigMap at /app)`);
    if (createHash('sha256').update(content).digest('hex') !== NOTES_APP_SHA256) {
      return standIn(ctx, `runs ${path}, whose content is not the shipped notes app (its sha256 differs; regenerate the ConfigMap from app.py)`);
    }
    return createNotesApp(ctx, command.args);
  },
};
