// The seam between the API server and what "runs" in pods: logs, exec and port connections.
import type { Duplex, Writable } from 'node:stream';
import type { ExecHandler, KubeObject } from '../types.js';

/** Options of GET pods/<name>/log. */
export interface LogOptions {
  follow: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  sinceTime?: string;
  timestamps: boolean;
  previous: boolean;
  limitBytes?: number;
}

/** What the API server asks of running pods. Implemented by the sandbox's kubelet emulation. */
export interface PodRuntime {
  /** Write a container's log to `out`; with `follow`, keep writing until `signal` aborts or the container ends. */
  streamLogs(pod: KubeObject, container: string, options: LogOptions, out: Writable, signal: AbortSignal): Promise<void>;
  /** The exec handler of one container of a running pod. */
  execHandler(pod: KubeObject, container: string): ExecHandler;
  /** Open a byte stream to a port of a running pod (port-forward). */
  connect(pod: KubeObject, port: number): Promise<Duplex>;
}
