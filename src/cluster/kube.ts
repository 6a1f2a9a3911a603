// The Kubernetes backend: the only importer of @kubernetes/client-node. It loads kubeconfigs
// (kubeconfig.ts), authenticates (tokens, client certs, exec plugins), and provides watch, exec,
// logs and port-forward; object bodies go through RestClient as raw JSON (see rest.ts for why).
// client-node is loaded only when needed: its entry point loads every generated API model (~0.5 s),
// so Watch/Exec/PortForward come from their own modules and KubeConfig only for exec plugins,
// auth providers and proxies.
import type * as k8s from '@kubernetes/client-node';
import { createServer, type Server } from 'node:net';
import { Writable } from 'node:stream';
import { delimiter } from 'node:path';
import type { Cluster, ClusterWatchEvent, ExecResult, KubeObject, ListOptions, ObjectRef, ResourceInfo, TargetInfo } from './types.js';
import { RestClient, KubeApiError } from './rest.js';
import { Discovery } from './discovery.js';
import { chooseTargetSource, isDisposableContext, type TargetOptions } from './target.js';
import { UserError, ExitCode } from '../cli/errors.js';
import { RetryingCluster } from './retrying.js';
import type { RetryPolicy } from './retry-policy.js';
import { listKubeconfigSecrets } from './kubeconfig-secrets.js';
import { registerSecrets } from '../report/redact.js';
import { Kubeconfig, type LoadFullKubeconfig } from './kubeconfig.js';

/** client-node's KubeConfig, for the credentials kubeconfig.ts leaves to it. */
const loadFullKubeconfig: LoadFullKubeconfig = async (data) => {
  const { KubeConfig } = await import('@kubernetes/client-node');
  const kc = new KubeConfig();
  kc.loadFromOptions({ clusters: data.clusters, users: data.users as k8s.User[], contexts: data.contexts as k8s.Context[], currentContext: data.currentContext as string });
  return kc;
};

type Streaming = Pick<typeof k8s, 'Watch' | 'Exec' | 'PortForward'>;
let streaming: Promise<Streaming> | undefined;

/** client-node's Watch, Exec and PortForward from their own modules (~50 ms), or from its entry point if a release stops exposing them. */
function loadStreaming(): Promise<Streaming> {
  streaming ??= Promise.all([import('@kubernetes/client-node/dist/watch.js'), import('@kubernetes/client-node/dist/exec.js'), import('@kubernetes/client-node/dist/portforward.js')]).then(
    ([w, e, p]) => ({ Watch: w.Watch, Exec: e.Exec, PortForward: p.PortForward }),
    () => import('@kubernetes/client-node'),
  );
  return streaming;
}

/** Connect to the selected cluster; `notice` receives one-line messages (e.g. "using the sandbox"); calls are retried per `retry` (retrying.ts). */
export async function connectCluster(opts: TargetOptions, notice: (line: string) => void = () => undefined, retry: Partial<RetryPolicy> = {}): Promise<Cluster> {
  const source = chooseTargetSource(opts);
  let kc = new Kubeconfig({ clusters: [], users: [], contexts: [] }, loadFullKubeconfig);
  let sandbox = source.kind === 'sandbox';
  if (source.kind === 'files') {
    try {
      kc = Kubeconfig.fromFiles(source.files, loadFullKubeconfig);
    } catch (err) {
      throw new UserError(`could not read the kubeconfig ${source.files.join(', ')}: ${(err as Error).message.split('\n')[0]}`, ExitCode.usage, 'fix the file, or point --kubeconfig at a valid one.');
    }
    registerSecrets(listKubeconfigSecrets(kc.getUsers()));
    if (source.context) {
      if (!kc.getContextObject(source.context)) {
        const known = kc.getContexts().map((c) => c.name);
        throw new UserError(`context "${source.context}" is not in the kubeconfig (${source.files.join(', ')}); it has: ${known.join(', ') || 'no contexts'}.`, ExitCode.usage, 'pick one of those with --context, or omit --context to use the current one.');
      }
      kc.setCurrentContext(source.context);
    } else if (!kc.getCurrentContext() || !kc.getContextObject(kc.getCurrentContext())) {
      sandbox = true;
      notice('No current context in the kubeconfig; using the embedded sandbox cluster.');
    }
  }
  let kubeconfigFiles = source.kind === 'files' ? source.files.join(delimiter) : undefined;
  if (sandbox) {
    const { ensureSandbox } = await import('./sandbox-target.js');
    const started = await ensureSandbox(notice, source.kind === 'sandbox' && source.reason === 'no-kubeconfig');
    kc = Kubeconfig.fromString(started.kubeconfig, loadFullKubeconfig);
    registerSecrets(listKubeconfigSecrets(kc.getUsers()));
    kubeconfigFiles = started.path;
  }
  const context = kc.getCurrentContext();
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new UserError(`the context "${context}" names no cluster in the kubeconfig.`, ExitCode.usage, 'fix the context entry, or choose another with --context.');
  const namespace = opts.namespace ?? kc.getContextObject(context)?.namespace ?? 'default';
  // The sandbox's kubeconfig names its context istio-lab-sandbox, however it was selected.
  const isSandbox = sandbox || context === 'istio-lab-sandbox';
  const target: TargetInfo = { context, server: cluster.server, sandbox: isSandbox, disposable: isSandbox || isDisposableContext(context), namespace, kubeconfig: kubeconfigFiles };
  return new RetryingCluster(new KubeCluster(kc, target), retry);
}

/** Cluster over a kubeconfig, with client-node for watch, exec and port-forward. */
export class KubeCluster implements Cluster {
  readonly rest: RestClient;
  private readonly discovery: Discovery;

  constructor(
    private readonly kc: Kubeconfig,
    readonly target: TargetInfo,
  ) {
    this.rest = new RestClient(target.server, (o) => kc.applyToHTTPSOptions(o));
    this.discovery = new Discovery(this.rest);
  }

  resource(apiVersion: string, kind: string): Promise<ResourceInfo> {
    return this.discovery.resolve(apiVersion, kind);
  }

  async version(): Promise<string> {
    return (await this.rest.send<{ gitVersion: string }>({ method: 'GET', path: '/version' })).gitVersion;
  }

  async get(ref: ObjectRef): Promise<KubeObject | undefined> {
    const path = await this.objectPath(ref);
    try {
      return await this.rest.send<KubeObject>({ method: 'GET', path });
    } catch (err) {
      if (err instanceof KubeApiError && err.status === 404) return undefined;
      throw err;
    }
  }

  async list(apiVersion: string, kind: string, opts: ListOptions = {}): Promise<{ items: KubeObject[]; resourceVersion: string }> {
    const r = await this.resource(apiVersion, kind);
    const list = await this.rest.send<any>({ method: 'GET', path: this.collectionPath(r, opts.namespace), query: { labelSelector: opts.labelSelector, fieldSelector: opts.fieldSelector } });
    const items = (list.items ?? []).map((o: KubeObject) => ({ ...o, apiVersion: o.apiVersion ?? apiVersion, kind: o.kind ?? kind }));
    return { items, resourceVersion: list.metadata?.resourceVersion ?? '' };
  }

  async create(obj: KubeObject, opts: { fieldManager?: string } = {}): Promise<KubeObject> {
    const r = await this.resource(obj.apiVersion, obj.kind);
    return this.rest.send<KubeObject>({ method: 'POST', path: this.collectionPath(r, obj.metadata.namespace ?? this.target.namespace), body: obj, query: { fieldManager: opts.fieldManager } });
  }

  async replace(obj: KubeObject, opts: { fieldManager?: string } = {}): Promise<KubeObject> {
    const path = await this.objectPath({ apiVersion: obj.apiVersion, kind: obj.kind, name: obj.metadata.name!, namespace: obj.metadata.namespace });
    return this.rest.send<KubeObject>({ method: 'PUT', path, body: obj, query: { fieldManager: opts.fieldManager } });
  }

  async apply(obj: KubeObject, opts: { fieldManager: string; force?: boolean; dryRun?: boolean }): Promise<KubeObject> {
    const ref = { apiVersion: obj.apiVersion, kind: obj.kind, name: obj.metadata.name!, namespace: obj.metadata.namespace };
    const path = await this.objectPath(ref);
    return this.rest.send<KubeObject>({
      method: 'PATCH',
      path,
      body: obj,
      contentType: 'application/apply-patch+yaml',
      query: { fieldManager: opts.fieldManager, force: opts.force ? 'true' : undefined, dryRun: opts.dryRun ? 'All' : undefined, fieldValidation: 'Strict' },
    });
  }

  async patch(ref: ObjectRef, patch: unknown, type: 'merge' | 'json' | 'strategic', opts: { fieldManager?: string } = {}): Promise<KubeObject> {
    const contentType = { merge: 'application/merge-patch+json', json: 'application/json-patch+json', strategic: 'application/strategic-merge-patch+json' }[type];
    return this.rest.send<KubeObject>({ method: 'PATCH', path: await this.objectPath(ref), body: patch, contentType, query: { fieldManager: opts.fieldManager } });
  }

  async delete(ref: ObjectRef, opts: { propagationPolicy?: 'Background' | 'Foreground' | 'Orphan' } = {}): Promise<boolean> {
    try {
      await this.rest.send({ method: 'DELETE', path: await this.objectPath(ref), body: { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: opts.propagationPolicy ?? 'Background' } });
      return true;
    } catch (err) {
      if (err instanceof KubeApiError && err.status === 404) return false;
      throw err;
    }
  }

  async watch(apiVersion: string, kind: string, opts: ListOptions & { resourceVersion?: string }, onEvent: (e: ClusterWatchEvent) => void, signal: AbortSignal): Promise<void> {
    const r = await this.resource(apiVersion, kind);
    const { Watch } = await loadStreaming();
    const query: Record<string, string> = { allowWatchBookmarks: 'true' };
    if (opts.resourceVersion) query.resourceVersion = opts.resourceVersion;
    if (opts.labelSelector) query.labelSelector = opts.labelSelector;
    if (opts.fieldSelector) query.fieldSelector = opts.fieldSelector;
    await new Promise<void>((resolve, reject) => {
      let controller: AbortController | undefined;
      const onAbort = () => controller?.abort();
      new Watch(this.kc as unknown as k8s.KubeConfig)
        .watch(this.collectionPath(r, opts.namespace), query, (type, object) => onEvent({ type: type as ClusterWatchEvent['type'], object }), (err) => {
          signal.removeEventListener('abort', onAbort);
          if (err && !signal.aborted && (err as Error).name !== 'AbortError') reject(err);
          else resolve();
        })
        .then((c) => {
          controller = c;
          if (signal.aborted) c.abort();
          else signal.addEventListener('abort', onAbort, { once: true });
        }, reject);
    });
  }

  async exec(namespace: string, pod: string, container: string | undefined, argv: string[], opts: { stdin?: string; timeoutMs?: number } = {}): Promise<ExecResult> {
    let stdout = '';
    let stderr = '';
    const sink = (append: (s: string) => void) => new Writable({ write(chunk, _enc, cb) { append(String(chunk)); cb(); } });
    const { Readable } = await import('node:stream');
    const { Exec } = await loadStreaming();
    const stdin = opts.stdin !== undefined ? Readable.from([opts.stdin]) : null;
    return new Promise<ExecResult>((resolve, reject) => {
      let settled = false;
      const finish = (r: ExecResult | Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (r instanceof Error) reject(r);
        else resolve(r);
      };
      const timer = setTimeout(() => {
        socket?.close();
        finish({ code: 124, stdout, stderr: `${stderr}istio-lab: exec timed out after ${opts.timeoutMs}ms\n` });
      }, opts.timeoutMs ?? 60_000);
      let socket: { close(): void } | undefined;
      new Exec(this.kc as unknown as k8s.KubeConfig)
        .exec(namespace, pod, container ?? '', argv, sink((s) => (stdout += s)), sink((s) => (stderr += s)), stdin, false, (status: k8s.V1Status) => {
          const code = status.status === 'Success' ? 0 : Number(status.details?.causes?.find((c) => c.reason === 'ExitCode')?.message ?? 1);
          setImmediate(() => finish({ code, stdout, stderr: status.status === 'Success' || status.reason === 'NonZeroExitCode' ? stderr : `${stderr}${status.message ?? ''}` }));
        })
        .then((ws) => (socket = ws as unknown as { close(): void }), (err) => finish(err instanceof Error ? err : Object.assign(new Error(String(err)), { cause: err })));
    });
  }

  async logs(namespace: string, pod: string, container?: string, opts: { sinceTime?: string; tailLines?: number } = {}): Promise<string> {
    return this.rest.send<string>({
      method: 'GET',
      path: `/api/v1/namespaces/${namespace}/pods/${pod}/log`,
      query: { container, sinceTime: opts.sinceTime, tailLines: opts.tailLines === undefined ? undefined : String(opts.tailLines) },
      text: true,
    });
  }

  async portForward(namespace: string, pod: string, port: number): Promise<{ localPort: number; close(): Promise<void> }> {
    const { PortForward } = await loadStreaming();
    const forward = new PortForward(this.kc as unknown as k8s.KubeConfig);
    // Open connections (and their WebSockets) are closed with the forward: server.close() alone would
    // wait for a client's keep-alive connection to time out.
    const open = new Set<{ destroy(): void }>();
    const server: Server = createServer((socket) => {
      open.add(socket);
      socket.on('close', () => open.delete(socket));
      forward.portForward(namespace, pod, [port], socket, null, socket).then(
        (ws) => {
          const handle = { destroy: () => (ws as unknown as { close(): void }).close() };
          if (socket.destroyed) handle.destroy();
          else {
            open.add(handle);
            socket.on('close', () => open.delete(handle));
          }
        },
        () => socket.destroy(),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const localPort = (server.address() as { port: number }).port;
    const close = () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const c of open) c.destroy();
      });
    return { localPort, close };
  }

  close(): void {
    this.rest.close();
  }

  /** Path of one object. */
  async objectPath(ref: ObjectRef): Promise<string> {
    const r = await this.resource(ref.apiVersion, ref.kind);
    return `${this.collectionPath(r, ref.namespace ?? this.target.namespace)}/${encodeURIComponent(ref.name)}`;
  }

  private collectionPath(r: ResourceInfo, namespace: string | undefined): string {
    const base = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
    return r.namespaced && namespace ? `${base}/namespaces/${encodeURIComponent(namespace)}/${r.plural}` : `${base}/${r.plural}`;
  }
}
