// kube-proxy's NodePorts on the sandbox's node (127.0.0.1): a real TCP listener per NodePort, as kind
// maps them, so `kubectl get svc istio-ingressgateway` and the usual INGRESS_HOST/INGRESS_PORT
// recipes (§6) lead to a working address. Each request goes to a random ready endpoint's inbound
// side; when that refuses (e.g. a gateway with no Gateway listener), the connection is reset, which
// is how a refused backend shows through kind's port mapping (§6 ⚠).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { KubeObject } from '../types.js';
import type { Random } from '../runtime/determinism.js';
import type { EventRecorder } from '../controllers/controller.js';
import { isTransportFailure, type MeshRequest, type MeshSnapshot, type PodDelivery } from './types.js';
import { serviceEndpoints } from './network.js';
import { cached } from './routing/registry.js';

/** Dependencies of the NodePort listeners. */
export interface NodePortDeps {
  snapshot(): MeshSnapshot;
  deliver: PodDelivery;
  random: Random;
  events: EventRecorder;
  /** Give a Service port a different nodePort (used when the node cannot bind the allocated one). */
  reassign(svc: KubeObject, from: number, to: number): void;
}

const nodePortRange = { min: 30000, max: 32767 };

/** Opens, and closes, one listener per NodePort of the current Services. */
export class NodePortProxy {
  private readonly listeners = new Map<number, Server>();

  constructor(private readonly deps: NodePortDeps) {}

  /** Reconcile listeners with the Services in `services`. */
  sync(services: KubeObject[]): void {
    const wanted = new Map<number, KubeObject>();
    for (const s of services) for (const p of s.spec?.ports ?? []) if (p.nodePort) wanted.set(p.nodePort, s);
    for (const [port, server] of this.listeners) {
      if (!wanted.has(port)) {
        server.close();
        this.listeners.delete(port);
      }
    }
    for (const [port, svc] of wanted) if (!this.listeners.has(port)) this.open(port, svc);
  }

  /** Close every listener. */
  close(): void {
    for (const server of this.listeners.values()) server.close();
    this.listeners.clear();
  }

  private open(nodePort: number, svc: KubeObject, attempt = 0): void {
    const server = createServer((req, res) => void this.handle(nodePort, req, res));
    server.keepAliveTimeout = 5000;
    server.on('error', (err: NodeJS.ErrnoException) => {
      this.listeners.delete(nodePort);
      if (err.code === 'EADDRINUSE' && attempt < 20) {
        // The sandbox's node is this host's loopback, shared with other sandboxes and programs. A
        // NodePort someone else holds would silently send our clients to them, so the sandbox moves
        // this Service port to a free NodePort and says so (a real node has its own port space).
        const span = nodePortRange.max - nodePortRange.min + 1;
        const next = nodePortRange.min + Math.floor(this.deps.random() * span);
        this.deps.events.record(svc, 'Warning', 'NodePortReallocated', `127.0.0.1:${nodePort} is in use on this host (another sandbox or program); the sandbox moved this NodePort to ${next}`, 'kube-proxy');
        this.deps.reassign(svc, nodePort, next);
        return;
      }
      this.deps.events.record(svc, 'Warning', 'NodePortUnavailable', `the sandbox could not listen on 127.0.0.1:${nodePort} for this NodePort (${err.code ?? err.message}); use a port-forward instead`, 'kube-proxy');
    });
    server.listen(nodePort, '127.0.0.1');
    server.unref();
    this.listeners.set(nodePort, server);
  }

  private async handle(nodePort: number, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const snapshot = this.deps.snapshot();
    const endpoints = cached(snapshot, `node-port|${nodePort}`, () => {
      const svc = snapshot.services.find((s) => (s.spec?.ports ?? []).some((p: any) => p.nodePort === nodePort));
      const svcPort = svc?.spec?.ports?.find((p: any) => p.nodePort === nodePort);
      return svc && svcPort ? serviceEndpoints(snapshot, svc, svcPort) : [];
    });
    if (!endpoints.length) return void req.socket.destroy();
    const pick = endpoints[Math.floor(this.deps.random() * endpoints.length)];
    const body = await readBody(req);
    if (body === null) return void req.socket.destroy(); // the client went away mid-request
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined && k !== 'host') headers[k] = Array.isArray(v) ? v.join(', ') : v;
    const request: MeshRequest = { method: req.method ?? 'GET', path: req.url ?? '/', authority: req.headers.host ?? `127.0.0.1:${nodePort}`, headers, body };
    // The request is cancelled when the client goes away before its response is written. (Aborting
    // after every response cost a DOMException per request, and nothing listens by then.)
    const abort = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) abort.abort();
    });
    const result = await this.deps.deliver(pick.pod, pick.port, request, { mtls: false, signal: abort.signal });
    if (isTransportFailure(result)) return void req.socket.destroy();
    res.writeHead(result.status, result.headers);
    res.end(result.body);
  }
}

/** The request body (undefined when empty), or null when the client went away before sending it all. */
function readBody(req: IncomingMessage): Promise<Buffer | undefined | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(chunks.length ? Buffer.concat(chunks) : undefined));
    req.on('error', () => resolve(null));
    req.on('close', () => resolve(req.complete ? (chunks.length ? Buffer.concat(chunks) : undefined) : null));
  });
}
