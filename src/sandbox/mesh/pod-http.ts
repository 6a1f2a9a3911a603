// Sending one HTTP request to an application listening in a pod, over the runtime's in-memory
// connection to that pod's port (no real sockets), and reading the whole response.
import { Agent, request as httpRequest } from 'node:http';
import type { Duplex } from 'node:stream';
import type { KubeObject } from '../types.js';
import type { MeshRequest, MeshResult } from './types.js';

/** Opens a connection to a pod port (the runtime's connectPod). */
export type PodConnector = (namespace: string, name: string, port: number) => Promise<Duplex>;

/** Hop-by-hop headers: Envoy does not forward them (RFC 9110 §7.6.1), so neither does the sandbox. */
const hopByHop = new Set(['connection', 'keep-alive', 'transfer-encoding', 'proxy-connection', 'upgrade', 'te', 'trailer']);

/** Keep-alive connection pools to pod ports, keyed by pod uid and port (as an Envoy cluster keeps upstream connections). */
const pools = new Map<string, Agent>();
const maxPools = 512;

function poolFor(connect: PodConnector, pod: KubeObject, port: number): Agent {
  const key = `${pod.metadata.uid}:${port}`;
  let agent = pools.get(key);
  if (agent) return agent;
  if (pools.size >= maxPools) {
    const [oldest, old] = pools.entries().next().value as [string, Agent];
    old.destroy();
    pools.delete(oldest);
  }
  agent = new Agent({ keepAlive: true, maxSockets: 64 });
  // Connections are the runtime's in-memory pipes to the pod; creation is asynchronous.
  (agent as any).createConnection = (_opts: unknown, oncreate: (err: Error | null, socket?: Duplex) => void) => {
    connect(pod.metadata.namespace!, pod.metadata.name!, port).then((socket) => oncreate(null, socket), (err) => oncreate(Object.assign(err as Error, { code: 'ECONNREFUSED' })));
    return undefined;
  };
  pools.set(key, agent);
  return agent;
}

/** Send `request` to `pod`:`port`; a port nobody listens on is a refused connection. */
export async function sendToPodApp(connect: PodConnector, pod: KubeObject, port: number, request: MeshRequest, signal?: AbortSignal): Promise<MeshResult> {
  const agent = poolFor(connect, pod, port);
  return new Promise<MeshResult>((resolve) => {
    let settled = false;
    const done = (r: MeshResult) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      resolve(r);
    };
    const headers: Record<string, string> = { ...request.headers, host: request.authority };
    if (request.body && request.body.length && !headers['content-length']) headers['content-length'] = String(request.body.length);
    const req = httpRequest({ method: request.method, path: request.path, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', () => done({ failure: 'reset', message: 'connection reset by peer' }));
      res.on('end', () => {
        const out: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined && !hopByHop.has(k)) out[k] = Array.isArray(v) ? v.join(', ') : v;
        done({ status: res.statusCode ?? 0, headers: out, body: Buffer.concat(chunks) });
      });
    });
    const onAbort = () => {
      req.destroy();
      done({ failure: 'reset', message: 'request cancelled' });
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    req.on('error', (err: NodeJS.ErrnoException) => done(err.code === 'ECONNREFUSED' ? { failure: 'connect-refused', message: `connect ${pod.status?.podIP}:${port}: ${err.message}` } : { failure: err.message.includes('socket hang up') ? 'empty-reply' : 'reset', message: err.message }));
    req.end(request.body);
  });
}
