// The sandbox's Kubernetes API server: HTTPS on loopback, bearer-token auth, and the routing
// from REST paths to discovery, OpenAPI, resources, watches and pod streams.
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { timingSafeEqual } from 'node:crypto';
import type { Registry } from './registry.js';
import type { PodRuntime } from '../runtime/pod-runtime.js';
import { ApiError } from './status.js';
import { sendError, sendJson } from './routes/http-io.js';
import { parseResourcePath } from './routes/paths.js';
import { handleResource } from './routes/resources.js';
import { serveLogs, upgradePodStream } from './routes/pod-streams.js';
import { describeCoreVersions, describeGroupDoc, describeGroups, describeResources, sandboxVersion } from './routes/discovery.js';
import { describeOpenApiV3, describeOpenApiV3Index } from './routes/openapi.js';
import { serveFaultsEndpoint, type FaultInjector } from './faults.js';
import { WatchLimiter, type WatchLimits } from './watch-limits.js';

/** How to run the API server. */
export interface ApiServerOptions {
  registry: Registry;
  runtime: PodRuntime;
  tls: { cert: string; key: string };
  token: string;
  /** Always loopback; exposed for tests that pick the port. */
  port?: number;
  /** Receives one line per request (method, path, status); never the Authorization header. */
  log?: (line: string) => void;
  /** Test-only fault injection (see faults.ts); absent in normal use. */
  faults?: FaultInjector;
  /** Bounds on open watches (watch-limits.ts); default: defaultWatchLimits. */
  watchLimits?: WatchLimits;
}

/** A running API server. */
export interface ApiServer {
  port: number;
  url: string;
  close(): Promise<void>;
}

const publicPaths = new Set(['/healthz', '/livez', '/readyz', '/version']);

/** Start serving on 127.0.0.1; resolves once listening. */
export async function startApiServer(opts: ApiServerOptions): Promise<ApiServer> {
  const stop = new AbortController();
  const sockets = new Set<Socket>();
  const watches = new WatchLimiter(opts.watchLimits);
  const server: Server = createServer({ cert: opts.tls.cert, key: opts.tls.key }, (req, res) => {
    void route(req, res, opts, stop.signal, server, watches);
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('secureConnection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => void upgrade(req, socket, head, opts, server));
  server.on('clientError', (_err, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `https://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        stop.abort();
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}

function authorized(req: IncomingMessage, token: string): boolean {
  const header = req.headers.authorization ?? '';
  const m = /^Bearer\s+(.+)$/i.exec(header);
  if (!m) return false;
  const given = Buffer.from(m[1].trim());
  const want = Buffer.from(token);
  return given.length === want.length && timingSafeEqual(given, want);
}

function unauthorized(): ApiError {
  return new ApiError(401, 'Unauthorized', 'Unauthorized');
}

async function route(req: IncomingMessage, res: ServerResponse, opts: ApiServerOptions, stopSignal: AbortSignal, server: Server, watches: WatchLimiter): Promise<void> {
  const url = new URL(req.url ?? '/', 'https://127.0.0.1');
  res.on('finish', () => opts.log?.(`${req.method} ${url.pathname}${url.search} ${res.statusCode}`));
  try {
    const path = url.pathname.replace(/\/+$/, '') || '/';
    // Health and version are open to anonymous callers, but, as on a real API server, presented
    // credentials that are wrong get 401 on every path.
    if ((!publicPaths.has(path) || req.headers.authorization !== undefined) && !authorized(req, opts.token)) throw unauthorized();
    const { registry } = opts;
    if (path === '/healthz' || path === '/livez' || path === '/readyz') {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      return void res.end('ok');
    }
    if (path === '/istio-lab/v1/faults') return await serveFaultsEndpoint(req, res, opts.faults);
    if (opts.faults && (await opts.faults.intercept(req, res, path, url))) return;
    if (path === '/version') return sendJson(res, 200, sandboxVersion);
    if (path === '/istio-lab/v1/status') {
      return sendJson(res, 200, { resourceVersion: registry.store.resourceVersion, counts: registry.store.counts() });
    }
    const address = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    if (path === '/api') return sendJson(res, 200, describeCoreVersions(address));
    if (path === '/apis') return sendJson(res, 200, describeGroups(registry.types));
    if (path === '/openapi/v2') {
      // An empty protobuf Document: kubectl then builds patches from its compiled-in types.
      res.writeHead(200, { 'Content-Type': 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf' });
      return void res.end();
    }
    if (path === '/openapi/v3') return sendJson(res, 200, describeOpenApiV3Index(registry.types));
    const oa = /^\/openapi\/v3\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))$/.exec(path);
    if (oa) {
      const doc = oa[1] ? describeOpenApiV3(registry.types, '', 'v1') : describeOpenApiV3(registry.types, oa[2], oa[3]);
      if (!doc) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
      return sendJson(res, 200, doc);
    }
    const group = /^\/apis\/([^/]+)$/.exec(path);
    if (group) {
      const doc = describeGroupDoc(registry.types, group[1]);
      if (!doc) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
      return sendJson(res, 200, doc);
    }
    const gv = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))$/.exec(path);
    if (gv) {
      const doc = gv[1] ? describeResources(registry.types, '', 'v1') : describeResources(registry.types, gv[2], gv[3]);
      if (!doc) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
      return sendJson(res, 200, doc);
    }
    const rp = parseResourcePath(path);
    if (!rp) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
    if (rp.group === '' && rp.resource === 'pods' && rp.name && rp.subresource === 'log' && rp.namespace) {
      if (req.method !== 'GET') throw new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
      return await serveLogs(req, res, url, registry, opts.runtime, rp.namespace, rp.name);
    }
    if (rp.group === '' && rp.resource === 'pods' && ['exec', 'attach', 'portforward'].includes(rp.subresource ?? '')) {
      throw new ApiError(400, 'BadRequest', `Upgrade request required: ${rp.subresource} is served over ${rp.subresource === 'portforward' ? 'WebSocket (v4.channel.k8s.io, SPDY/3.1+portforward.k8s.io) or SPDY/3.1' : 'WebSocket (channel.k8s.io protocols); SPDY is not supported by the sandbox'}`);
    }
    await handleResource({ req, res, url, path: rp, registry, stopSignal, watches });
  } catch (err) {
    sendError(res, err);
  }
}

async function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, opts: ApiServerOptions, _server: Server): Promise<void> {
  const url = new URL(req.url ?? '/', 'https://127.0.0.1');
  try {
    if (!authorized(req, opts.token)) throw unauthorized();
    const rp = parseResourcePath(url.pathname);
    if (!rp || rp.group !== '' || rp.resource !== 'pods' || !rp.name || !rp.namespace || !['exec', 'attach', 'portforward'].includes(rp.subresource ?? '')) {
      throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
    }
    if (opts.faults && rp.subresource !== 'portforward' && (await opts.faults.interceptUpgrade(req, socket))) return;
    await upgradePodStream(req, socket, head, url, opts.registry, opts.runtime, rp.namespace, rp.name, rp.subresource!);
    opts.log?.(`UPGRADE ${url.pathname} 101`);
  } catch (err) {
    const apiErr = err instanceof ApiError ? err : new ApiError(500, 'InternalError', String((err as Error)?.message ?? err));
    const body = JSON.stringify(apiErr.toStatus());
    socket.end(`HTTP/1.1 ${apiErr.code} ${apiErr.reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    opts.log?.(`UPGRADE ${url.pathname} ${apiErr.code}`);
  }
}
