// The live set of resource types: built-ins plus the versions every established CRD serves.
import type { KubeObject } from '../types.js';
import { builtinResourceTypes, storageKey, type ResourceType } from './resource-types.js';

/** Resource types currently served, with lookups by path and by kind. */
export class TypeRegistry {
  private readonly builtins: ResourceType[];
  private custom = new Map<string, ResourceType[]>(); // CRD name -> its served versions
  private crdSchemas = new Map<string, unknown>(); // `${group}/${version}/${plural}` -> openAPIV3Schema

  constructor(builtins: ResourceType[] = builtinResourceTypes) {
    this.builtins = builtins;
  }

  /** Every served type, built-ins first. */
  all(): ResourceType[] {
    return [...this.builtins, ...[...this.custom.values()].flat()];
  }

  /** The type served at `/apis/<group>/<version>/<plural>` (or by singular/short name). */
  byResource(group: string, version: string, plural: string): ResourceType | undefined {
    return this.all().find((t) => t.group === group && t.version === version && t.plural === plural);
  }

  /** The type for a kind in a group/version, as a manifest names it. */
  byKind(group: string, version: string, kind: string): ResourceType | undefined {
    return this.all().find((t) => t.group === group && t.version === version && t.kind === kind);
  }

  /** Whether any version of the group is served. */
  hasGroup(group: string): boolean {
    return this.all().some((t) => t.group === group);
  }

  /** Storage key shared by every version of a group-resource. */
  keyOf(rt: ResourceType): string {
    return storageKey(rt.group, rt.plural);
  }

  /** The openAPIV3Schema of a CRD version, if any. */
  schemaOf(rt: ResourceType): any {
    return this.crdSchemas.get(`${rt.group}/${rt.version}/${rt.plural}`);
  }

  /** Register or refresh the types of an established CRD. */
  upsertCrd(crd: KubeObject): void {
    const spec = crd.spec ?? {};
    const names = spec.names ?? {};
    const storage = (spec.versions ?? []).find((v: any) => v.storage)?.name ?? spec.versions?.[0]?.name;
    const types: ResourceType[] = [];
    for (const v of spec.versions ?? []) {
      if (v.served === false) continue;
      const subresources: string[] = [];
      if (v.subresources?.status) subresources.push('status');
      if (v.subresources?.scale) subresources.push('scale');
      types.push({
        group: spec.group,
        version: v.name,
        kind: names.kind,
        listKind: names.listKind ?? `${names.kind}List`,
        plural: names.plural,
        singular: names.singular ?? String(names.kind).toLowerCase(),
        namespaced: spec.scope !== 'Cluster',
        shortNames: names.shortNames ?? [],
        categories: names.categories ?? [],
        verbs: ['delete', 'deletecollection', 'get', 'list', 'patch', 'create', 'update', 'watch'],
        subresources,
        custom: true,
        storageVersion: storage,
      });
      this.crdSchemas.set(`${spec.group}/${v.name}/${names.plural}`, v.schema?.openAPIV3Schema);
    }
    this.custom.set(crd.metadata.name!, types);
  }

  /** Stop serving a deleted CRD's types. */
  removeCrd(name: string): ResourceType[] {
    const gone = this.custom.get(name) ?? [];
    this.custom.delete(name);
    return gone;
  }

  /** Printer columns for a CRD version (additionalPrinterColumns), if declared. */
  printerColumnsOf(crd: KubeObject | undefined, version: string): any[] | undefined {
    return crd?.spec?.versions?.find((v: any) => v.name === version)?.additionalPrinterColumns;
  }
}
