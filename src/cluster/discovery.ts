// Kind → resource resolution through the API's discovery documents, cached per group-version.
import type { ResourceInfo } from './types.js';
import { KubeApiError, type RestClient } from './rest.js';

/** Raised when a kind is not served; the message is the one kubectl prints. */
export class NoKindMatchError extends Error {
  constructor(
    readonly apiVersion: string,
    readonly kind: string,
  ) {
    super(`no matches for kind "${kind}" in version "${apiVersion}"`);
  }
}

/** Resolves kinds to resources, refreshing a group-version once when a kind is missing (new CRDs). */
export class Discovery {
  private readonly cache = new Map<string, ResourceInfo[]>();

  constructor(private readonly rest: RestClient) {}

  /** The resource serving `kind` in `apiVersion`. */
  async resolve(apiVersion: string, kind: string): Promise<ResourceInfo> {
    const cached = this.cache.get(apiVersion)?.find((r) => r.kind === kind);
    if (cached) return cached;
    const fresh = await this.load(apiVersion);
    const found = fresh.find((r) => r.kind === kind);
    if (!found) throw new NoKindMatchError(apiVersion, kind);
    return found;
  }

  /** Forget cached discovery (after CRDs change). */
  invalidate(): void {
    this.cache.clear();
  }

  private async load(apiVersion: string): Promise<ResourceInfo[]> {
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/', 2) : ['', apiVersion];
    const path = group ? `/apis/${group}/${version}` : `/api/${version}`;
    let doc: any;
    try {
      doc = await this.rest.send({ method: 'GET', path });
    } catch (err) {
      if (err instanceof KubeApiError && err.status === 404) {
        this.cache.set(apiVersion, []);
        return [];
      }
      throw err;
    }
    const list: ResourceInfo[] = (doc.resources ?? [])
      .filter((r: any) => !String(r.name).includes('/'))
      .map((r: any) => ({ group, version, kind: r.kind, plural: r.name, namespaced: !!r.namespaced }));
    this.cache.set(apiVersion, list);
    return list;
  }
}
