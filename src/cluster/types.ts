// The Cluster seam: everything istio-lab asks of a Kubernetes cluster, whatever the target.

/** Any Kubernetes object as JSON (keys exactly as on the wire). */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name?: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    resourceVersion?: string;
    uid?: string;
    [key: string]: unknown;
  };
  [key: string]: any;
}

/** Identifies one object. */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
}

/** A served resource type, from discovery. */
export interface ResourceInfo {
  group: string;
  version: string;
  kind: string;
  plural: string;
  namespaced: boolean;
}

/** Which cluster a command talks to. */
export interface TargetInfo {
  context: string;
  server: string;
  /** The embedded sandbox. */
  sandbox: boolean;
  /** Evidently local or disposable (sandbox, kind-*, k3d-*, minikube, docker-desktop, rancher-desktop). */
  disposable: boolean;
  /** Default namespace from --namespace or the context. */
  namespace: string;
  /** The kubeconfig file(s) in KUBECONFIG form, for tools run against the same target (istioctl, kubectl). */
  kubeconfig?: string;
}

/** A watch event. */
export interface ClusterWatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: KubeObject;
}

/** Selection of a list or watch. */
export interface ListOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

/** Result of running a command in a container. */
export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A Kubernetes cluster as istio-lab uses it. */
export interface Cluster {
  readonly target: TargetInfo;
  /** Resolve a kind to its resource via discovery (refreshed once on a miss). */
  resource(apiVersion: string, kind: string): Promise<ResourceInfo>;
  /** Server version (`v1.30.0`). */
  version(): Promise<string>;
  /** Read one object; undefined when it does not exist. */
  get(ref: ObjectRef): Promise<KubeObject | undefined>;
  /** List objects of a kind. */
  list(apiVersion: string, kind: string, opts?: ListOptions): Promise<{ items: KubeObject[]; resourceVersion: string }>;
  /** Create `obj`; throws the API error (409 AlreadyExists) when it exists. */
  create(obj: KubeObject, opts?: { fieldManager?: string }): Promise<KubeObject>;
  /** Replace `obj` (PUT); `metadata.resourceVersion` makes it conditional (409 Conflict when stale). */
  replace(obj: KubeObject, opts?: { fieldManager?: string }): Promise<KubeObject>;
  /** Server-side apply `obj` with a field manager. */
  apply(obj: KubeObject, opts: { fieldManager: string; force?: boolean; dryRun?: boolean }): Promise<KubeObject>;
  /** Patch an object (merge, json or strategic). */
  patch(ref: ObjectRef, patch: unknown, type: 'merge' | 'json' | 'strategic', opts?: { fieldManager?: string }): Promise<KubeObject>;
  /** Delete an object; false when it was already gone. */
  delete(ref: ObjectRef, opts?: { propagationPolicy?: 'Background' | 'Foreground' | 'Orphan' }): Promise<boolean>;
  /** Watch a kind from a resourceVersion until `signal` aborts; resolves when the stream ends. */
  watch(apiVersion: string, kind: string, opts: ListOptions & { resourceVersion?: string }, onEvent: (e: ClusterWatchEvent) => void, signal: AbortSignal): Promise<void>;
  /** Run a command in a container (no shell involved). */
  exec(namespace: string, pod: string, container: string | undefined, argv: string[], opts?: { stdin?: string; timeoutMs?: number }): Promise<ExecResult>;
  /** A container's log text. */
  logs(namespace: string, pod: string, container?: string, opts?: { sinceTime?: string; tailLines?: number }): Promise<string>;
  /** Forward a local port to a pod port; returns the local port. */
  portForward(namespace: string, pod: string, port: number): Promise<{ localPort: number; close(): Promise<void> }>;
  /** Release connections. */
  close(): void;
}
