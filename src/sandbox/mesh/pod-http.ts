// Sending one HTTP request to an application listening in a pod, over the runtime's in-memory
// connection to that pod's port (no real sockets), and reading the whole response.
import { request as httpRequest } from 'node:http';
import type { Duplex } from 'node:stream';
import type { KubeObject } from '../types.js';
import type { MeshRequest, MeshResult } from './types.js';

/** Opens a connection to a pod port (the runtime's connectPod). */
export type PodConnector = (namespace: string, name: string, port: number) => Promise<Duplex>;

/** Send `request` to `pod`:`port`; a port nobody listens on is a refused connection. */
export async function sendToPodApp(connect: PodConnector, pod: KubeObject, port: number, request: MeshRequest, signal?: AbortSignal): Promise<MeshResult> {
  let socket: Duplex;
  try {
    socket = await connect(pod.metadata.namespace!, pod.metadata.name!, port);
  } catch (err) {
    return { failure: 'connect-refused', message: `connect ${pod.status?.podIP}:${port}: ${(err as Error).message}` };
  }
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
    const req = httpRequest({ method: request.method, path: request.path, headers, createConnection: () => socket as any }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', () => done({ failure: 'reset', message: 'connection reset by peer' }));
      res.on('end', () => {
        const out: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
        done({ status: res.statusCode ?? 0, headers: out, body: Buffer.concat(chunks) });
      });
    });
    const onAbort = () => {
      req.destroy();
      done({ failure: 'reset', message: 'request cancelled' });
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    req.on('error', (err: NodeJS.ErrnoException) => done(err.code === 'ECONNREFUSED' ? { failure: 'connect-refused', message: err.message } : { failure: err.message.includes('socket hang up') ? 'empty-reply' : 'reset', message: err.message }));
    req.end(request.body);
  });
}
