// Lookup of strategic-merge / server-side-apply metadata for built-in kinds. Custom resources have
// none: strategic merge patch is refused for them (415) and their lists are atomic unless a CRD
// schema says otherwise (callers pass that in separately).

import {
  joinTables,
  KIND_TABLES,
  mountTable,
  OBJECT_META,
  POD_SPEC,
  POD_STATUS,
  POD_TEMPLATE_ROOTS,
  type ListMeta,
  type MapMeta,
  type TypeTable,
} from './patch-meta-tables.js';

export type { ListMeta, MapMeta } from './patch-meta-tables.js';

/** API groups served by kube-apiserver itself (everything else is a custom resource). */
const BUILTIN_GROUPS = new Set([
  '',
  'apps',
  'batch',
  'autoscaling',
  'policy',
  'networking.k8s.io',
  'rbac.authorization.k8s.io',
  'coordination.k8s.io',
  'discovery.k8s.io',
  'events.k8s.io',
  'storage.k8s.io',
  'admissionregistration.k8s.io',
  'apiextensions.k8s.io',
  'apiregistration.k8s.io',
  'certificates.k8s.io',
  'scheduling.k8s.io',
  'node.k8s.io',
  'flowcontrol.apiserver.k8s.io',
  'resource.k8s.io',
  'authentication.k8s.io',
  'authorization.k8s.io',
  'internal.apiserver.k8s.io',
  'storagemigration.k8s.io',
]);

interface FlatTable {
  lists: Map<string, ListMeta>;
  maps: Map<string, MapMeta>;
}

const cache = new Map<string, FlatTable>();

/** Reports whether a kind is compiled into the API server (so strategic merge patch applies to it). */
export function isKnownStrategicKind(group: string, _kind: string): boolean {
  return BUILTIN_GROUPS.has(group);
}

/** Returns list metadata for a field path (list indices removed), or undefined for atomic/unknown. */
export function lookupListMeta(group: string, kind: string, path: string[]): ListMeta | undefined {
  return loadTable(group, kind)?.lists.get(path.join('.'));
}

/** Returns object metadata (atomic struct/map, retainKeys) for a field path, if any. */
export function lookupMapMeta(group: string, kind: string, path: string[]): MapMeta | undefined {
  return loadTable(group, kind)?.maps.get(path.join('.'));
}

/** Builds (once) the flattened table of a built-in kind. */
function loadTable(group: string, kind: string): FlatTable | undefined {
  if (!BUILTIN_GROUPS.has(group)) return undefined;
  const id = `${group}/${kind}`;
  let flat = cache.get(id);
  if (!flat) {
    flat = flattenTable(composeKindTable(id));
    cache.set(id, flat);
  }
  return flat;
}

/** Assembles ObjectMeta, pod template and kind-specific tables for one "group/Kind". */
function composeKindTable(id: string): TypeTable {
  const parts: TypeTable[] = [mountTable('metadata', OBJECT_META)];
  const templateRoot = POD_TEMPLATE_ROOTS[id];
  if (templateRoot !== undefined) {
    const prefix = templateRoot === '' ? '' : `${templateRoot}.`;
    if (templateRoot !== '') parts.push(mountTable(`${prefix}metadata`, OBJECT_META));
    parts.push(mountTable(`${prefix}spec`, POD_SPEC));
  }
  if (id === '/Pod') parts.push(mountTable('status', POD_STATUS));
  if (id === 'batch/CronJob') parts.push(mountTable('spec.jobTemplate.metadata', OBJECT_META));
  const extra = KIND_TABLES[id];
  if (extra) parts.push(extra);
  return joinTables(...parts);
}

/** Converts a table to maps keyed by dotted path. */
function flattenTable(table: TypeTable): FlatTable {
  return { lists: new Map(Object.entries(table.lists)), maps: new Map(Object.entries(table.maps)) };
}
