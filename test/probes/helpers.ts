// Test helpers for probes: an in-memory Cluster whose exec, logs and portForward are handlers the
// test supplies, a StepContext around it, builders for pods and Services, and checks parsed
// through the lab schema (so defaults apply exactly as in a lab file).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Cluster, ExecResult, KubeObject, ListOptions, ObjectRef, TargetInfo } from '../../src/cluster/types.js';
import { CheckSchema, type Check } from '../../src/lab/index.js';
import type { StepContext } from '../../src/runner/context.js';

/** Handlers for the parts of the Cluster that run things. */
export interface FakeHandlers {
  exec?: (namespace: string, pod: string, container: string | undefined, argv: string[]) => Promise<ExecResult> | ExecResult;
  logs?: (namespace: string, pod: string, container: string | undefined, opts: { sinceTime?: string }) => string;
  portForward?: (namespace: string, pod: string, port: number) => number;
}

/** A fake cluster plus a record of what was asked of it. */
export type FakeCluster = Cluster & { calls: { exec: string[][]; logs: { pod: string; container?: string; sinceTime?: string }[]; forwards: string[]; closedForwards: number } };

function matches(labels: Record<string, string> | undefined, selector: string | undefined): boolean {
  return !selector || selector.split(',').filter(Boolean).every((t) => labels?.[t.split('=')[0]] === t.split('=')[1]);
}

/** Builds a Cluster over objects and handlers. */
export function createFakeCluster(objects: KubeObject[], handlers: FakeHandlers = {}, target: Partial<TargetInfo> = {}): FakeCluster {
  const calls = { exec: [] as string[][], logs: [] as { pod: string; container?: string; sinceTime?: string }[], forwards: [] as string[], closedForwards: 0 };
  const unsupported = () => Promise.reject(new Error('not supported by the fake cluster'));
  return {
    target: { context: 'kind-lab', server: 'https://127.0.0.1:6443', sandbox: false, disposable: true, namespace: 'default', ...target },
    calls,
    resource: async (apiVersion, kind) => ({ group: '', version: apiVersion, kind, plural: `${kind.toLowerCase()}s`, namespaced: kind !== 'Node' }),
    version: async () => 'v1.30.0',
    get: async (ref: ObjectRef) => objects.find((o) => o.kind === ref.kind && o.metadata.name === ref.name && (!ref.namespace || o.metadata.namespace === ref.namespace)),
    list: async (apiVersion: string, kind: string, opts: ListOptions = {}) => ({
      items: objects.filter((o) => o.apiVersion === apiVersion && o.kind === kind && (!opts.namespace || o.metadata.namespace === opts.namespace) && matches(o.metadata.labels, opts.labelSelector)),
      resourceVersion: '1',
    }),
    apply: unsupported,
    create: unsupported,
    replace: unsupported,
    patch: unsupported,
    delete: unsupported,
    watch: unsupported,
    async exec(namespace, pod, container, argv) {
      calls.exec.push(argv);
      if (!handlers.exec) throw new Error('no exec handler');
      return handlers.exec(namespace, pod, container, argv);
    },
    async logs(namespace, pod, container, opts = {}) {
      calls.logs.push({ pod, container, sinceTime: opts.sinceTime });
      return handlers.logs?.(namespace, pod, container, opts) ?? '';
    },
    async portForward(namespace, pod, port) {
      calls.forwards.push(`${namespace}/${pod}:${port}`);
      if (!handlers.portForward) throw new Error('no portForward handler');
      return { localPort: handlers.portForward(namespace, pod, port), close: async () => void calls.closedForwards++ };
    },
    close() {},
  };
}

/** A StepContext for a lab in `namespace`. */
export function createContext(cluster: Cluster, options: { namespace?: string; startedAt?: Date; signal?: AbortSignal } = {}): StepContext {
  return {
    cluster,
    state: {} as StepContext['state'],
    loaded: { lab: { namespace: options.namespace ?? 'default' } } as unknown as StepContext['loaded'],
    labId: 'test/lab',
    step: {} as StepContext['step'],
    emit: () => undefined,
    signal: options.signal ?? new AbortController().signal,
    adopt: false,
    startedAt: options.startedAt ?? new Date('2026-01-01T00:00:00Z'),
  };
}

/** Parses a check through the lab schema, so defaults apply. */
export function parseCheck<K extends Check['kind']>(input: { kind: K } & Record<string, unknown>): Extract<Check, { kind: K }> {
  return CheckSchema.parse(input) as Extract<Check, { kind: K }>;
}

/** A running, ready pod. */
export function buildPod(name: string, labels: Record<string, string>, options: { namespace?: string; containers?: string[] } = {}): KubeObject {
  const containers = options.containers ?? ['app', 'istio-proxy'];
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: options.namespace ?? 'default', labels },
    spec: { containers: containers.map((c) => ({ name: c })) },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: containers.map((c) => ({ name: c, ready: true })) },
  };
}

/** A Deployment selecting `labels`. */
export function buildDeployment(name: string, labels: Record<string, string>, namespace = 'default'): KubeObject {
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace }, spec: { selector: { matchLabels: labels } } };
}

/** The ingress gateway Service as a LoadBalancer at host:port, plus its pod. */
export function buildGateway(host: string, port: number): KubeObject[] {
  const labels = { app: 'istio-ingressgateway', istio: 'ingressgateway' };
  return [
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'istio-ingressgateway', namespace: 'istio-system', labels },
      spec: { type: 'LoadBalancer', selector: labels, ports: [{ name: 'http2', port, targetPort: 8080, nodePort: 31380 }] },
      status: { loadBalancer: { ingress: [{ ip: host }] } },
    },
    buildPod('istio-ingressgateway-abc', labels, { namespace: 'istio-system', containers: ['istio-proxy'] }),
  ];
}

/** Starts a local HTTP server; resolves with its port and a close function. */
export async function startServer(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ port: number; server: Server; close: () => Promise<void> }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { port, server, close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))) };
}

/** curl -s -i -w output for one response, as the pod would print it. */
export function curlOutput(status: number, headers: Record<string, string>, body: string, seconds = 0.012): string {
  const head = [`HTTP/1.1 ${status} X`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)].join('\r\n');
  return `${head}\r\n\r\n${body}\n@@istio-lab@@ ${status} ${seconds.toFixed(6)} 0\n`;
}
