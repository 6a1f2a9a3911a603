// The kinds validate knows: built-in Kubernetes, Gateway API, Istio, and custom resources whose
// CustomResourceDefinition appears among the files being checked. Lookups go by group and kind.
import { GATEWAY_API_KINDS, KUBERNETES_KINDS } from './kubernetes-kinds.js';
import { ISTIO_KINDS } from './istio-kinds.js';

/** Where a known kind comes from; decides which further checks apply. */
export type KindFamily = 'kubernetes' | 'gatewayApi' | 'istio' | 'custom';

/** One kind in one API group, with its served versions (preferred first). */
export interface KnownKind {
  family: KindFamily;
  group: string;
  kind: string;
  versions: string[];
}

/** Splits an apiVersion into group ('' for core) and version. */
export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.lastIndexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/** Joins a group and a version into an apiVersion. */
export function joinApiVersion(group: string, version: string): string {
  return group === '' ? version : `${group}/${version}`;
}

/** Known kinds by group and kind name. */
export class KindRegistry {
  private readonly byGroup = new Map<string, Map<string, KnownKind>>();

  /** Adds a kind's served versions (merging with what is known). */
  add(family: KindFamily, group: string, kind: string, versions: readonly string[]): void {
    const kinds = this.byGroup.get(group) ?? new Map<string, KnownKind>();
    this.byGroup.set(group, kinds);
    const known = kinds.get(kind);
    if (known) known.versions.push(...versions.filter((v) => !known.versions.includes(v)));
    else kinds.set(kind, { family, group, kind, versions: [...versions] });
  }

  /** The kind in a group, if known. */
  find(group: string, kind: string): KnownKind | undefined {
    return this.byGroup.get(group)?.get(kind);
  }

  /** Every known kind of a group. */
  listKinds(group: string): KnownKind[] {
    return [...(this.byGroup.get(group)?.values() ?? [])];
  }

  /** Every group that serves a kind of this name. */
  findEverywhere(kind: string): KnownKind[] {
    return [...this.byGroup.values()].flatMap((kinds) => (kinds.has(kind) ? [kinds.get(kind)!] : []));
  }

  /** Every known group ('' is the core group). */
  listGroups(): string[] {
    return [...this.byGroup.keys()];
  }
}

/** Adds a table of kind → apiVersions to a registry. */
function addApiVersions(registry: KindRegistry, family: KindFamily, table: Record<string, readonly string[]>): void {
  for (const [kind, apiVersions] of Object.entries(table)) {
    for (const apiVersion of apiVersions) {
      const { group, version } = splitApiVersion(apiVersion);
      registry.add(family, group, kind, [version]);
    }
  }
}

/** Builds the registry of built-in, Gateway API and Istio kinds. */
export function createKindRegistry(): KindRegistry {
  const registry = new KindRegistry();
  addApiVersions(registry, 'kubernetes', KUBERNETES_KINDS);
  addApiVersions(registry, 'gatewayApi', GATEWAY_API_KINDS);
  for (const [kind, info] of Object.entries(ISTIO_KINDS)) registry.add('istio', info.group, kind, info.versions);
  return registry;
}

/** Registers the kind a CustomResourceDefinition object defines (served versions only). */
export function registerCustomResource(registry: KindRegistry, crd: unknown): void {
  const spec = (crd as { spec?: { group?: unknown; names?: { kind?: unknown }; versions?: unknown; version?: unknown } }).spec;
  if (!spec || typeof spec.group !== 'string' || typeof spec.names?.kind !== 'string') return;
  const versions = Array.isArray(spec.versions)
    ? spec.versions.filter((v) => v && v.served !== false && typeof v.name === 'string').map((v) => v.name as string)
    : typeof spec.version === 'string'
      ? [spec.version]
      : [];
  if (versions.length > 0 && !registry.find(spec.group, spec.names.kind)) registry.add('custom', spec.group, spec.names.kind, versions);
}
