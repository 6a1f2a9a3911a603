// pods/exec inside an emulated container: argv[0] is looked up in the workload's commands, then the
// shared tools. A program that does not exist fails the way containerd + runc fail an exec (see below).
import { Transform, type Writable } from 'node:stream';
import type { ExecHandler, ExecStreams } from '../types.js';
import { sharedTools, programName, type ExecTool, type ToolContext } from '../workloads/index.js';
import type { Random } from './determinism.js';
import type { RuntimeContainer } from './pod-sandbox.js';
import type { PodNetwork } from '../mesh/types.js';

/** Directories on every image's PATH, so `/bin/sh` and `/usr/bin/env` find the shared tools. */
const BIN_DIRS = new Set(['/bin', '/sbin', '/usr/bin', '/usr/sbin', '/usr/local/bin', '/usr/local/sbin']);

/**
 * The exec handler of one container. A missing program is NOT exit 127: without a shell, containerd
 * reports runc's failure as an error, the kubelet answers InternalError, and kubectl prints
 * `error: Internal error occurred: error executing command in container: failed to exec in container:
 * failed to start exec "<id>": OCI runtime exec failed: exec failed: unable to start container process:
 * exec: "foo": executable file not found in $PATH: unknown` and exits 1. (Docker-era clusters said
 * `command terminated with exit code 126`.) Exit 127 with `sh: foo: not found` is what `sh -c foo` gives.
 */
export function createExecHandler(container: RuntimeContainer, random: Random, network: PodNetwork): ExecHandler {
  return async (argv: string[], streams: ExecStreams): Promise<number> => {
    if (container.state !== 'running' || !container.workload || !container.pod) {
      throw new Error(`failed to exec in container: container is in ${container.state === 'exited' ? 'CONTAINER_EXITED' : 'CONTAINER_CREATED'} state`);
    }
    const lookup = (arg0: string) => findProgram(container, arg0);
    const tool = lookup(argv[0] ?? '');
    if (!tool) throw new Error(`failed to exec in container: failed to start exec "${hex(random)}": OCI runtime exec failed: exec failed: unable to start container process: ${notFound(argv[0] ?? '')}: unknown`);
    const io = streams.tty ? withTerminalNewlines(streams) : streams;
    const ctx: ToolContext = { pod: container.pod, container: container.spec.name, env: container.env, files: container.files, lookup, network };
    try {
      return await tool(argv, io, ctx);
    } finally {
      if (io !== streams) await Promise.all([flush(io.stdout), io.stderr !== io.stdout ? flush(io.stderr) : undefined]);
    }
  };
}

/** The program `arg0` names in this container (a path must point into a bin directory). */
export function findProgram(container: RuntimeContainer, arg0: string): ExecTool | undefined {
  const name = programName(arg0);
  if (arg0.includes('/') && !BIN_DIRS.has(arg0.slice(0, arg0.lastIndexOf('/')) || '/')) return undefined;
  return container.workload?.commands?.[name] ?? sharedTools[name];
}

/** runc's wording: PATH lookup failures vs. a path that does not exist. */
function notFound(arg0: string): string {
  return arg0.includes('/') ? `exec: "${arg0}": stat ${arg0}: no such file or directory` : `exec: "${arg0}": executable file not found in $PATH`;
}

/** A TTY's output processing (onlcr): `\n` reaches the client as `\r\n`. */
function withTerminalNewlines(streams: ExecStreams): ExecStreams {
  const stdout = crlf(streams.stdout);
  return { ...streams, stdout, stderr: streams.stderr === streams.stdout ? stdout : crlf(streams.stderr) };
}

function crlf(target: NodeJS.WritableStream): Writable {
  const through = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      cb(null, Buffer.from(chunk.toString('utf8').replace(/\r?\n/g, '\r\n')));
    },
  });
  through.pipe(target as Writable, { end: false });
  return through;
}

/** Ends a wrapper stream and waits until everything written has reached its target. */
function flush(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => {
    const s = stream as Transform;
    s.once('end', () => resolve());
    s.end();
  });
}

function hex(random: Random): string {
  return Array.from({ length: 64 }, () => Math.floor(random() * 16).toString(16)).join('');
}
