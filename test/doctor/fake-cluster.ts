// Test helper: an in-memory Cluster (objects by apiVersion/kind/namespace/name, equality label
// selectors) that answers reads the way doctor uses them; writes are not supported.
import type { Cluster, KubeObject, ListOptions, ObjectRef, ResourceInfo, TargetInfo } from '../../src/cluster/types.js';

/** Options for a fake cluster. */
export interface FakeClusterOptions {
  objects?: KubeObject[];
  target?: Partial<TargetInfo>;
  /** Server version, or an error version() (and every read) throws. */
  version?: string | Error;
  /** Errors thrown by list() for a kind (e.g. forbidden Nodes). */
  listErrors?: Record<string, Error>;
}

/** Matches `k=v,k2=v2` selectors against labels. */
function matchesSelector(labels: Record<string, string> | undefined, selector: string | undefined): boolean {
  if (!selector) return true;
  return selector.split(',').every((term) => {
    const [key, value] = term.split('=');
    return labels?.[key] === value;
  });
}

const notSupported = () => Promise.reject(new Error('not supported by the fake cluster'));

/** Builds a Cluster over in-memory objects. */
export function createFakeCluster(options: FakeClusterOptions = {}): Cluster & { closed: boolean } {
  const objects = options.objects ?? [];
  const target: TargetInfo = { context: 'kind-lab', server: 'https://127.0.0.1:6443', sandbox: false, disposable: true, namespace: 'default', ...options.target };
  const reachable = async () => {
    if (options.version instanceof Error) throw options.version;
  };
  return {
    target,
    closed: false,
    async resource(apiVersion: string, kind: string): Promise<ResourceInfo> {
      const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
      return { group, version, kind, plural: `${kind.toLowerCase()}s`, namespaced: !['Namespace', 'Node', 'CustomResourceDefinition'].includes(kind) };
    },
    async version() {
      await reachable();
      return (options.version as string | undefined) ?? 'v1.30.0';
    },
    async get(ref: ObjectRef) {
      await reachable();
      return objects.find(
        (o) => o.apiVersion === ref.apiVersion && o.kind === ref.kind && o.metadata.name === ref.name && (ref.namespace === undefined || o.metadata.namespace === undefined || o.metadata.namespace === ref.namespace),
      );
    },
    async list(apiVersion: string, kind: string, opts: ListOptions = {}) {
      await reachable();
      const error = options.listErrors?.[kind];
      if (error) throw error;
      const items = objects.filter(
        (o) => o.apiVersion === apiVersion && o.kind === kind && (!opts.namespace || o.metadata.namespace === opts.namespace) && matchesSelector(o.metadata.labels, opts.labelSelector),
      );
      return { items, resourceVersion: '1' };
    },
    apply: notSupported,
    create: notSupported,
    replace: notSupported,
    patch: notSupported,
    delete: notSupported,
    watch: notSupported,
    exec: notSupported,
    logs: notSupported,
    portForward: notSupported,
    close() {
      this.closed = true;
    },
  };
}
