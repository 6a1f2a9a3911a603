// The slice of an object's schema server-side apply needs: how each list merges (atomic, set, or
// map with keys) and which objects are atomic. Built-in kinds use the patch-meta tables; custom
// resources use what the caller derived from the CRD schema (lists default to atomic).

import { createInvalid } from './errors.js';
import { buildFieldElement, formatFieldPath, buildKeyElement, buildValueElement } from './field-set.js';
import { isJsonObject } from './json-value.js';
import { isKnownStrategicKind, lookupListMeta, lookupMapMeta, type ListMeta } from './patch-meta.js';

/** Schema questions answered for one kind. */
export interface TypeInfo {
  /** Metadata of the list at a path (indices removed); undefined means atomic. */
  listMeta(path: string[]): ListMeta | undefined;
  /** True when the object at a path (a list item shares its list's path) is atomic. */
  isAtomicMap(path: string[]): boolean;
}

/** Items of a non-atomic list indexed by path element, in first-seen order. */
export interface IndexedList {
  elements: string[];
  items: Map<string, unknown>;
}

/** Resolves the schema view for a kind; `listMeta` overrides list metadata (CRD schemas). */
export function resolveTypeInfo(
  group: string,
  kind: string,
  listMeta?: (path: string[]) => ListMeta | undefined,
): TypeInfo {
  const builtin = isKnownStrategicKind(group, kind);
  return {
    listMeta: (path) => (listMeta ? listMeta(path) : builtin ? lookupListMeta(group, kind, path) : undefined),
    isAtomicMap: (path) => builtin && lookupMapMeta(group, kind, path)?.mapType === 'atomic',
  };
}

/** Returns the list's metadata when it is merged item by item (map or set), else undefined. */
export function describeMergeableList(info: TypeInfo, path: string[]): ListMeta | undefined {
  const meta = info.listMeta(path);
  return meta && meta.listType !== 'atomic' ? meta : undefined;
}

/** Computes the path element of a list item, or a reason it has none. */
export function describeItemElement(item: unknown, meta: ListMeta): string | { error: string } {
  if (meta.listType === 'set') return buildValueElement(item);
  if (!isJsonObject(item)) return { error: 'associative list with keys has an element that is not a map' };
  const keyNames = meta.mapKeys ?? (meta.mergeKey ? [meta.mergeKey] : []);
  if (keyNames.length === 0) return { error: "associative list without keys has an element that's a map type" };
  const keys: Record<string, unknown> = {};
  for (const name of [...keyNames].sort()) {
    const value = item[name];
    if (value !== undefined && value !== null) keys[name] = value;
    else if (meta.keyDefaults && name in meta.keyDefaults) keys[name] = meta.keyDefaults[name];
    else return { error: `associative list with keys has an element that omits key field "${name}" (and doesn't have default value)` };
  }
  return buildKeyElement(keys);
}

/** Indexes list items by path element; undefined when an item has no usable key. */
export function indexList(list: unknown[], meta: ListMeta): IndexedList | undefined {
  const elements: string[] = [];
  const items = new Map<string, unknown>();
  for (const item of list) {
    const element = describeItemElement(item, meta);
    if (typeof element !== 'string') return undefined;
    if (items.has(element)) continue;
    items.set(element, item);
    elements.push(element);
  }
  return { elements, items };
}

/** Validates an applied configuration's lists (keys present, no duplicates) like the server does. */
export function validateAppliedLists(value: unknown, info: TypeInfo, gvk: string): void {
  visitLists(value, [], [], info, (list, meta, schemaPath, elements) => {
    const seen = new Set<string>();
    list.forEach((item, i) => {
      const element = describeItemElement(item, meta);
      const where = formatFieldPath(elements);
      if (typeof element !== 'string') {
        throw createInvalid(`failed to create typed patch object (${gvk}): ${where}: element ${i}: ${element.error}`);
      }
      if (seen.has(element)) {
        throw createInvalid(`failed to create typed patch object (${gvk}): ${where}: duplicate entries for key ${formatFieldPath([element])}`);
      }
      seen.add(element);
    });
    return schemaPath;
  });
}

type ListVisitor = (list: unknown[], meta: ListMeta, schemaPath: string[], elements: string[]) => unknown;

/** Walks every non-atomic list of a value, depth first. */
function visitLists(value: unknown, schemaPath: string[], elements: string[], info: TypeInfo, visit: ListVisitor): void {
  if (isJsonObject(value)) {
    if (schemaPath.length > 0 && info.isAtomicMap(schemaPath)) return;
    for (const [key, child] of Object.entries(value)) {
      visitLists(child, [...schemaPath, key], [...elements, buildFieldElement(key)], info, visit);
    }
    return;
  }
  if (!Array.isArray(value)) return;
  const meta = describeMergeableList(info, schemaPath);
  if (!meta) return;
  visit(value, meta, schemaPath, elements);
  for (const item of value) {
    const element = describeItemElement(item, meta);
    if (typeof element === 'string') visitLists(item, schemaPath, [...elements, element], info, visit);
  }
}
