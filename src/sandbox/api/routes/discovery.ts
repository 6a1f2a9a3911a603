// Discovery documents (/version, /api, /apis, per-group resource lists) as kubectl reads them.
import type { ResourceType } from '../resource-types.js';
import type { TypeRegistry } from '../type-registry.js';

/** The Kubernetes version the sandbox reports. */
export const sandboxVersion = { major: '1', minor: '30', gitVersion: 'v1.30.0-istio-lab', gitCommit: '0000000000000000000000000000000000000000', gitTreeState: 'clean', buildDate: '2026-01-01T00:00:00Z', goVersion: 'go1.22.0', compiler: 'gc', platform: 'linux/amd64' };

/** GET /api */
export function describeCoreVersions(address: string): unknown {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: address }] };
}

/** Kubernetes' version priority: v1 > v1beta2 > v1beta1 > v1alpha1 ..., GA before beta before alpha. */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return [0, 0, 0];
    const stage = m[2] === 'alpha' ? 1 : m[2] === 'beta' ? 2 : 3;
    return [stage, Number(m[1]), Number(m[3] ?? 0)];
  };
  const [sa, ma, na] = parse(a);
  const [sb, mb, nb] = parse(b);
  if (sa !== sb) return sb - sa;
  if (ma !== mb) return mb - ma;
  if (na !== nb) return nb - na;
  return a.localeCompare(b);
}

function groupsOf(types: ResourceType[]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const t of types) {
    if (!t.group) continue;
    const versions = groups.get(t.group) ?? [];
    if (!versions.includes(t.version)) versions.push(t.version);
    groups.set(t.group, versions);
  }
  for (const v of groups.values()) v.sort(compareVersions);
  return groups;
}

function describeGroup(name: string, versions: string[]): Record<string, unknown> {
  const gv = versions.map((version) => ({ groupVersion: `${name}/${version}`, version }));
  return { name, versions: gv, preferredVersion: gv[0] };
}

/** GET /apis */
export function describeGroups(types: TypeRegistry): unknown {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: [...groupsOf(types.all())].map(([name, versions]) => describeGroup(name, versions)) };
}

/** GET /apis/<group>, or undefined if the group is not served. */
export function describeGroupDoc(types: TypeRegistry, group: string): unknown {
  const versions = groupsOf(types.all()).get(group);
  return versions ? { kind: 'APIGroup', apiVersion: 'v1', ...describeGroup(group, versions) } : undefined;
}

const subresourceInfo: Record<string, { kind?: string; verbs: string[]; group?: string; version?: string }> = {
  status: { verbs: ['get', 'patch', 'update'] },
  scale: { kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: ['get', 'patch', 'update'] },
  log: { kind: 'Pod', verbs: ['get'] },
  exec: { kind: 'PodExecOptions', verbs: ['create', 'get'] },
  attach: { kind: 'PodAttachOptions', verbs: ['create', 'get'] },
  portforward: { kind: 'PodPortForwardOptions', verbs: ['create', 'get'] },
  proxy: { kind: 'PodProxyOptions', verbs: ['create', 'delete', 'get', 'patch', 'update'] },
  eviction: { kind: 'Eviction', group: 'policy', version: 'v1', verbs: ['create'] },
  ephemeralcontainers: { verbs: ['get', 'patch', 'update'] },
  finalize: { verbs: ['update'] },
  token: { kind: 'TokenRequest', group: 'authentication.k8s.io', version: 'v1', verbs: ['create'] },
};

/** The options kind of a `<plural>/proxy` subresource, as the real server names it (NodeProxyOptions, ServiceProxyOptions). */
function proxyOptionsKind(kind: string): string {
  return `${kind}ProxyOptions`;
}

/** GET /api/v1 or /apis/<group>/<version>, or undefined if not served. */
export function describeResources(types: TypeRegistry, group: string, version: string): unknown {
  const list = types.all().filter((t) => t.group === group && t.version === version);
  if (!list.length) return undefined;
  const resources: unknown[] = [];
  for (const t of list) {
    resources.push({
      name: t.plural,
      singularName: t.singular,
      namespaced: t.namespaced,
      kind: t.kind,
      verbs: t.verbs,
      ...(t.shortNames.length ? { shortNames: t.shortNames } : {}),
      ...(t.categories.length ? { categories: t.categories } : {}),
    });
    for (const sub of t.subresources) {
      const info = subresourceInfo[sub] ?? { verbs: ['get'] };
      resources.push({
        name: `${t.plural}/${sub}`,
        singularName: '',
        namespaced: t.namespaced,
        ...(info.group ? { group: info.group, version: info.version } : {}),
        kind: sub === 'proxy' ? proxyOptionsKind(t.kind) : info.kind ?? t.kind,
        verbs: info.verbs,
      });
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version, resources };
}
