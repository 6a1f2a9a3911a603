// The shape of an exec'able program inside an emulated container (shared tools and model commands).
import type { ExecStreams, KubeObject } from '../../types.js';
import type { PodNetwork } from '../../mesh/types.js';

/** What a program running in a container can see: its pod, environment and filesystem. */
export interface ToolContext {
  /** The pod as it stood when the container started (status.podIP filled in). */
  pod: KubeObject;
  /** The container's name. */
  container: string;
  /** The container's environment, as the kubelet resolved it at start (PATH, HOSTNAME, spec env, service links). */
  env: Record<string, string>;
  /** Readable files by absolute path (well-known kubelet-managed files plus whatever the model adds). */
  files: Record<string, string>;
  /** Finds another program of the same container by argv[0] (what `sh` and `env CMD` use); undefined when absent. */
  lookup(arg0: string): ExecTool | undefined;
  /** Sends traffic from this pod (through its sidecar when it has one): what curl, wget and fortio use. */
  network: PodNetwork;
}

/** A program: argv (argv[0] is the name it was invoked by) → exit code. */
export type ExecTool = (argv: string[], streams: ExecStreams, ctx: ToolContext) => Promise<number>;

/** Write text to a stream and resolve once it is flushed (or the stream has failed). */
export function writeText(out: NodeJS.WritableStream, text: string | Uint8Array): Promise<void> {
  if (!text.length) return Promise.resolve();
  return new Promise((resolve) => {
    out.write(text, () => resolve());
  });
}

/** The last path segment of a program name (`/usr/bin/env` → `env`). */
export function programName(arg0: string): string {
  const i = arg0.lastIndexOf('/');
  return i >= 0 ? arg0.slice(i + 1) : arg0;
}
