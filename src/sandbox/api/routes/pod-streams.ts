// pods/log over HTTP, pods/exec and pods/attach over WebSocket, pods/portforward over WebSocket or SPDY.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { KubeObject } from '../../types.js';
import type { Registry } from '../registry.js';
import type { PodRuntime, LogOptions } from '../../runtime/pod-runtime.js';
import { ApiError, badRequest } from '../status.js';

function podType(registry: Registry) {
  return registry.types.byResource('', 'v1', 'pods')!;
}

/** Pick the container a log/exec call addresses, with the real server's errors. */
export function selectContainer(pod: KubeObject, requested: string | null | undefined, verb: 'log' | 'exec'): string {
  const containers: string[] = (pod.spec?.containers ?? []).map((c: any) => c.name);
  const inits: string[] = (pod.spec?.initContainers ?? []).map((c: any) => c.name);
  const name = pod.metadata.name;
  if (requested) {
    if (containers.includes(requested) || inits.includes(requested)) return requested;
    throw badRequest(`container ${requested} is not valid for pod ${name}`);
  }
  if (containers.length === 1) return containers[0];
  const defaulted = pod.metadata.annotations?.['kubectl.kubernetes.io/default-container'];
  if (defaulted && containers.includes(defaulted)) return defaulted;
  const initHint = inits.length ? ` or one of the init containers: [${inits.join(' ')}]` : '';
  throw badRequest(`a container name must be specified for pod ${name}, choose one of: [${containers.join(' ')}]${initHint}`);
  void verb;
}

/** Refuse streams to containers that are not running, as the kubelet does. */
export function requireRunning(pod: KubeObject, container: string): void {
  const statuses = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])];
  const status = statuses.find((s: any) => s.name === container);
  if (status?.state?.running || status?.state?.terminated) return;
  const reason = status?.state?.waiting?.reason ?? 'ContainerCreating';
  throw badRequest(`container "${container}" in pod "${pod.metadata.name}" is waiting to start: ${reason}`);
}

/** GET pods/<name>/log */
export async function serveLogs(req: IncomingMessage, res: ServerResponse, url: URL, registry: Registry, runtime: PodRuntime, ns: string, name: string): Promise<void> {
  const pod = registry.get(podType(registry), ns, name);
  const q = url.searchParams;
  const container = selectContainer(pod, q.get('container'), 'log');
  requireRunning(pod, container);
  const opts: LogOptions = {
    follow: q.get('follow') === 'true',
    tailLines: q.has('tailLines') ? Number(q.get('tailLines')) : undefined,
    sinceSeconds: q.has('sinceSeconds') ? Number(q.get('sinceSeconds')) : undefined,
    sinceTime: q.get('sinceTime') ?? undefined,
    timestamps: q.get('timestamps') === 'true',
    previous: q.get('previous') === 'true',
    limitBytes: q.has('limitBytes') ? Number(q.get('limitBytes')) : undefined,
  };
  const abort = new AbortController();
  req.on('close', () => abort.abort());
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked' });
  res.flushHeaders();
  await runtime.streamLogs(pod, container, opts, res, abort.signal);
  if (!res.writableEnded) res.end();
}

/** Upgrade requests: pods/exec, pods/attach, pods/portforward. Throws ApiError before the upgrade. */
export async function upgradePodStream(req: IncomingMessage, socket: Duplex, head: Buffer, url: URL, registry: Registry, runtime: PodRuntime, ns: string, name: string, sub: string): Promise<void> {
  // ws is loaded on the first stream, keeping it off the sandbox's start-up path.
  const { handleExecUpgrade, handlePortForwardUpgrade, parseExecQuery, parsePortForwardQuery } = await import('../stream/index.js');
  const pod = registry.get(podType(registry), ns, name);
  if (pod.metadata.deletionTimestamp && sub !== 'portforward') throw badRequest(`pod ${name} is terminating`);
  if (sub === 'exec' || sub === 'attach') {
    const params = parseExecQuery(url);
    const container = selectContainer(pod, params.container, 'exec');
    requireRunning(pod, container);
    if (sub === 'exec' && !params.command.length) throw badRequest('you must specify at least 1 command');
    const handler = runtime.execHandler(pod, container);
    handleExecUpgrade(req, socket, head, { ...params, container }, handler);
    return;
  }
  if (sub === 'portforward') {
    // Malformed ports fail decoding for every transport; missing ones only matter to WebSocket
    // channel clients (kubectl's SPDY names the port per stream).
    let ports: number[];
    try {
      ports = parsePortForwardQuery(url);
    } catch (err) {
      throw badRequest((err as Error).message);
    }
    handlePortForwardUpgrade(req, socket, head, ports, (port) => runtime.connect(pod, port));
    return;
  }
  throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
}
