// Test helper: a minimal HTTPS "cluster" (discovery, one running pod, bearer-token auth) that
// routes pods/exec, pods/attach and pods/portforward upgrades to the stream handlers, plus a
// kubeconfig pointing at it, so kubectl and @kubernetes/client-node can be run against it.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { connect as connectTcp, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import type { ExecHandler } from '../../../src/sandbox/types.js';
import {
  handleAttachUpgrade,
  handleExecUpgrade,
  handlePortForwardUpgrade,
  parseAttachQuery,
  parseExecQuery,
  parsePortForwardQuery,
  rejectUpgrade,
  respondUpgradeRequired,
  type PortConnector,
} from '../../../src/sandbox/api/stream/index.js';
import { createServingCert } from './tls-cert.js';

/** The only pod the fake cluster knows: default/web-0 with container "app". */
export const POD = { namespace: 'default', name: 'web-0', container: 'app', uid: '5f0e7a38-4d0e-4a43-9a3e-2f5d7c1b9a10' };

/** One request the fake cluster received. */
export interface RecordedRequest {
  method: string;
  url: string;
  upgrade?: string;
  protocols?: string;
  streamProtocol?: string;
}

/** A running fake cluster. */
export interface FakeCluster {
  server: string;
  token: string;
  caPem: string;
  kubeconfigPath: string;
  dir: string;
  requests: RecordedRequest[];
  /** What exec/attach run; replace per test. */
  exec: ExecHandler;
  /** How port-forward reaches a pod port; replace per test. */
  connect: PortConnector;
  close(): Promise<void>;
}

const TOKEN = 'sandbox-test-token';

/** Port-forward target: a TCP connection to 127.0.0.1:port, as if the pod's ports were local. */
export function connectLocalTcp(port: number): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    const socket = connectTcp(port, '127.0.0.1');
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

/**
 * Starts the fake cluster on an ephemeral 127.0.0.1 port and writes its kubeconfig. `minor` is the
 * Kubernetes 1.x it reports on /version — /usr/bin/kubectl (the Cloud SDK dispatcher) runs the
 * kubectl release matching it.
 */
export async function startFakeCluster(
  exec: ExecHandler,
  connect: PortConnector = connectLocalTcp,
  minor = 32,
): Promise<FakeCluster> {
  const { cert, key } = await createServingCert();
  const dir = await mkdtemp(join(tmpdir(), 'stream-test-'));
  const server = createServer({ cert, key });
  const cluster: FakeCluster = {
    server: '',
    token: TOKEN,
    caPem: cert,
    kubeconfigPath: join(dir, 'kubeconfig'),
    dir,
    requests: [],
    exec,
    connect,
    close: () => closeCluster(server, dir),
  };
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    record(cluster, req);
    serveRest(req, res, minor);
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    record(cluster, req);
    serveUpgrade(cluster, req, socket, head);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cluster.server = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await writeFile(cluster.kubeconfigPath, renderKubeconfig(cluster.server, cert), { mode: 0o600 });
  return cluster;
}

async function closeCluster(server: Server, dir: string): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await rm(dir, { recursive: true, force: true });
}

function record(cluster: FakeCluster, req: IncomingMessage): void {
  cluster.requests.push({
    method: req.method ?? '',
    url: req.url ?? '',
    upgrade: req.headers.upgrade,
    protocols: req.headers['sec-websocket-protocol'],
    streamProtocol: req.headers['x-stream-protocol-version'] as string | undefined,
  });
}

function authorized(req: IncomingMessage): boolean {
  return req.headers.authorization === `Bearer ${TOKEN}`;
}

const STREAM_PATH = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/(exec|attach|portforward)$/;

function serveUpgrade(cluster: FakeCluster, req: IncomingMessage, socket: Duplex, head: Buffer): void {
  if (!authorized(req)) return rejectUpgrade(socket, 401, 'Unauthorized');
  const url = new URL(req.url ?? '/', 'https://127.0.0.1');
  const match = STREAM_PATH.exec(url.pathname);
  if (!match) return rejectUpgrade(socket, 404, 'the server could not find the requested resource');
  if (match[1] !== POD.namespace || match[2] !== POD.name) {
    return rejectUpgrade(socket, 404, `pods "${match[2]}" not found`);
  }
  if (match[3] === 'exec') return handleExecUpgrade(req, socket, head, parseExecQuery(url), cluster.exec);
  if (match[3] === 'attach') return handleAttachUpgrade(req, socket, head, parseAttachQuery(url), cluster.exec);
  let ports: number[];
  try {
    ports = parsePortForwardQuery(url);
  } catch (error) {
    return rejectUpgrade(socket, 400, (error as Error).message);
  }
  handlePortForwardUpgrade(req, socket, head, ports, cluster.connect, { pod: POD.name });
}

function serveRest(req: IncomingMessage, res: ServerResponse, minor: number): void {
  if (!authorized(req)) return sendJson(res, 401, status(401, 'Unauthorized', 'Unauthorized'));
  const path = new URL(req.url ?? '/', 'https://127.0.0.1').pathname;
  if (STREAM_PATH.test(path)) return respondUpgradeRequired(res);
  if (path === '/version') return sendJson(res, 200, renderVersion(minor));
  const body = DOCUMENTS[path];
  if (req.method === 'GET' && body) return sendJson(res, 200, body());
  sendJson(res, 404, status(404, 'NotFound', 'the server could not find the requested resource'));
}

function sendJson(res: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function status(code: number, reason: string, message: string): object {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}

function renderVersion(minor: number): object {
  return {
    major: '1',
    minor: String(minor),
    gitVersion: `v1.${minor}.0`,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2024-12-11T00:00:00Z',
    goVersion: 'go1.23.3',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}

const DOCUMENTS: Record<string, () => unknown> = {
  '/api': () => ({
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1:6443' }],
  }),
  '/apis': () => ({ kind: 'APIGroupList', apiVersion: 'v1', groups: [] }),
  '/api/v1': () => ({
    kind: 'APIResourceList',
    groupVersion: 'v1',
    resources: [
      {
        name: 'pods',
        singularName: 'pod',
        namespaced: true,
        kind: 'Pod',
        verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
        shortNames: ['po'],
        categories: ['all'],
      },
      { name: 'pods/attach', singularName: '', namespaced: true, kind: 'PodAttachOptions', verbs: ['create', 'get'] },
      { name: 'pods/exec', singularName: '', namespaced: true, kind: 'PodExecOptions', verbs: ['create', 'get'] },
      {
        name: 'pods/portforward',
        singularName: '',
        namespaced: true,
        kind: 'PodPortForwardOptions',
        verbs: ['create', 'get'],
      },
    ],
  }),
  [`/api/v1/namespaces/${POD.namespace}/pods/${POD.name}`]: () => renderPod(),
};

function renderPod(): object {
  const started = '2024-01-01T00:00:00Z';
  return {
    kind: 'Pod',
    apiVersion: 'v1',
    metadata: {
      name: POD.name,
      namespace: POD.namespace,
      uid: POD.uid,
      resourceVersion: '1',
      creationTimestamp: started,
      labels: { app: 'web' },
    },
    spec: {
      containers: [{ name: POD.container, image: 'busybox:1.36', ports: [{ containerPort: 8080, protocol: 'TCP' }] }],
      nodeName: 'sandbox',
      restartPolicy: 'Always',
    },
    status: {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: started }],
      podIP: '10.0.0.10',
      startTime: started,
      containerStatuses: [
        {
          name: POD.container,
          ready: true,
          started: true,
          restartCount: 0,
          image: 'busybox:1.36',
          imageID: 'docker.io/library/busybox@sha256:0000',
          containerID: 'containerd://0000',
          state: { running: { startedAt: started } },
        },
      ],
    },
  };
}

function renderKubeconfig(server: string, caPem: string): string {
  const ca = Buffer.from(caPem).toString('base64');
  return `apiVersion: v1
kind: Config
clusters:
- name: sandbox
  cluster:
    server: ${server}
    certificate-authority-data: ${ca}
users:
- name: sandbox
  user:
    token: ${TOKEN}
contexts:
- name: sandbox
  context:
    cluster: sandbox
    user: sandbox
    namespace: ${POD.namespace}
current-context: sandbox
`;
}
