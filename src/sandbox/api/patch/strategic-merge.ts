// Strategic merge patch (application/strategic-merge-patch+json) for built-in kinds, following
// apimachinery's strategicpatch with the server-side options (parallel lists merged, unmatched
// nulls ignored): null deletes, maps merge, keyed lists merge by patchMergeKey, primitive merge
// lists union, $patch / $retainKeys / $setElementOrder / $deleteFromPrimitiveList directives.

import { createBadRequest, createInvalid, createUnsupportedMediaType } from './errors.js';
import { cloneJson, describeJsonKind, formatGoValue, isJsonObject, type JsonObject } from './json-value.js';
import { isKnownStrategicKind, lookupListMeta, type ListMeta } from './patch-meta.js';
import {
  failNoMergeKey,
  normalizeElementOrder,
  partitionByPresence,
  validateSetElementOrder,
} from './strategic-order.js';

const DIRECTIVE = '$patch';
const RETAIN_KEYS = '$retainKeys';
const DELETE_PRIMITIVE_PREFIX = '$deleteFromPrimitiveList';
const SET_ORDER_PREFIX = '$setElementOrder';

type MetaLookup = (path: string[]) => ListMeta | undefined;

/** Applies a strategic merge patch to a built-in object and returns the patched copy. */
export function applyStrategicMergePatch(original: unknown, patch: unknown, group: string, kind: string): JsonObject {
  if (!isKnownStrategicKind(group, kind)) throw createUnsupportedMediaType();
  if (!isJsonObject(patch)) {
    throw createBadRequest(`json: cannot unmarshal ${describeJsonKind(patch)} into Go value of type map[string]interface {}`);
  }
  const base = isJsonObject(original) ? cloneJson(original) : {};
  const lookup: MetaLookup = (path) => lookupListMeta(group, kind, path);
  return mergeMap(base, cloneJson(patch), [], lookup);
}

/** Merges a patch map into an original map (both already private copies). */
function mergeMap(original: JsonObject, patch: JsonObject, path: string[], lookup: MetaLookup): JsonObject {
  if (DIRECTIVE in patch) {
    const directive = patch[DIRECTIVE];
    if (directive === 'replace') return cleanFreshValue(omitKey(patch, DIRECTIVE)) as JsonObject;
    if (directive === 'delete') return {};
    if (directive !== 'merge') {
      throw createBadRequest(`unknown patch type: ${formatGoValue(directive)} in map: ${formatGoValue(patch)}`);
    }
    delete patch[DIRECTIVE];
  }
  applyRetainKeys(original, patch);
  applySetElementOrder(original, patch, path, lookup);
  for (const [rawKey, patchValue] of Object.entries(patch)) {
    const isDeleteList = rawKey.startsWith(DELETE_PRIMITIVE_PREFIX);
    const key = isDeleteList ? extractDirectiveKey(rawKey, DELETE_PRIMITIVE_PREFIX) : rawKey;
    if (patchValue === null) {
      delete original[key];
      continue;
    }
    const current = original[key];
    if (!(key in original) || describeJsonKind(current) !== describeJsonKind(patchValue)) {
      if (!isDeleteList) setFreshValue(original, key, patchValue);
      continue;
    }
    if (isJsonObject(current)) {
      original[key] = mergeMap(current, patchValue as JsonObject, [...path, key], lookup);
    } else if (Array.isArray(current)) {
      original[key] = mergeListField(current, patchValue as unknown[], [...path, key], lookup, isDeleteList);
    } else {
      original[key] = patchValue;
    }
  }
  return original;
}

/** Honours $retainKeys: validates the patch against it and drops unlisted keys from the original. */
function applyRetainKeys(original: JsonObject, patch: JsonObject): void {
  if (!(RETAIN_KEYS in patch)) return;
  const retain = patch[RETAIN_KEYS];
  delete patch[RETAIN_KEYS];
  if (!Array.isArray(retain)) throw createBadRequest('invalid patch format of retainKeys');
  for (const [key, value] of Object.entries(patch)) {
    if (value === null || key.startsWith(DELETE_PRIMITIVE_PREFIX) || key.startsWith(SET_ORDER_PREFIX)) continue;
    if (!retain.includes(key)) throw createBadRequest('invalid patch format of retainKeys');
  }
  for (const key of Object.keys(original)) if (!retain.includes(key)) delete original[key];
}

/** Processes every $setElementOrder/<field>: merges that list and imposes the requested order. */
function applySetElementOrder(original: JsonObject, patch: JsonObject, path: string[], lookup: MetaLookup): void {
  for (const directiveKey of Object.keys(patch)) {
    if (!directiveKey.startsWith(SET_ORDER_PREFIX)) continue;
    const order = patch[directiveKey];
    delete patch[directiveKey];
    const field = extractDirectiveKey(directiveKey, SET_ORDER_PREFIX);
    if (!Array.isArray(order)) throw createBadRequest('invalid patch format of setElementOrder list');
    const foundOriginal = field in original;
    const foundPatch = field in patch;
    const originalList = requireList(original[field], foundOriginal);
    const patchList = requireList(patch[field], foundPatch);
    const mergeKey = lookup([...path, field])?.mergeKey;
    validateSetElementOrder(patchList, order, mergeKey);
    let merged: unknown[];
    if (foundOriginal && foundPatch) merged = mergeListField(originalList, patchList, [...path, field], lookup, false);
    else if (foundPatch) merged = cleanFreshValue(patchList) as unknown[];
    else if (foundOriginal) merged = originalList;
    else continue;
    delete patch[field];
    if (merged.length === 0) {
      original[field] = merged;
      continue;
    }
    const [named, serverOnly] = partitionByPresence(merged, order, mergeKey);
    original[field] = normalizeElementOrder(named, serverOnly, order, originalList, mergeKey);
  }
}

/** Returns the value as a list, failing when a present value is not one. */
function requireList(value: unknown, present: boolean): unknown[] {
  if (!present) return [];
  if (!Array.isArray(value)) throw createBadRequest(`expected []interface {}, but got ${formatGoValue(value)}`);
  return value;
}

/** Merges or replaces a list field according to its patch strategy. */
function mergeListField(
  current: unknown[],
  patchList: unknown[],
  path: string[],
  lookup: MetaLookup,
  isDeleteList: boolean,
): unknown[] {
  const meta = lookup(path);
  if (meta?.patchStrategy !== 'merge') return cleanFreshValue(patchList) as unknown[];
  if (current.length === 0 && patchList.length === 0) return current;
  const itemKind = describeListItems([...current, ...patchList]);
  if (itemKind !== 'object') {
    if (isDeleteList) return current.filter((item) => !patchList.includes(item));
    const merged = [...new Set([...current, ...patchList])];
    const [fromPatch, serverOnly] = partitionByPresence(merged, patchList, undefined);
    return normalizeElementOrder(fromPatch, serverOnly, patchList, current, undefined);
  }
  const mergeKey = meta.mergeKey;
  if (!mergeKey) throw createBadRequest(`cannot merge lists without merge key for ${path.join('.')}`);
  const special = applySpecialItems(current, patchList, mergeKey);
  if (special.replaced) return cleanFreshValue(special.items) as unknown[];
  const merged = [...special.base];
  for (const item of special.items) {
    if (!isJsonObject(item) || !(mergeKey in item)) failNoMergeKey(item, mergeKey);
    const idx = merged.findIndex((o) => isJsonObject(o) && mergeKey in o && o[mergeKey] === item[mergeKey]);
    if (idx >= 0) merged[idx] = mergeMap(merged[idx] as JsonObject, item, path, lookup);
    else merged.push(cleanFreshValue(item));
  }
  const [fromPatch, serverOnly] = partitionByPresence(merged, special.items, mergeKey);
  return normalizeElementOrder(fromPatch, serverOnly, special.items, special.base, mergeKey);
}

/** Classifies list items: all maps, all scalars, or an error for nested lists / mixed kinds. */
function describeListItems(items: unknown[]): 'object' | 'scalar' {
  const kinds = new Set(items.map(describeJsonKind));
  if (kinds.has('array')) throw createInvalid('lists of lists are not supported');
  if (kinds.size > 1) throw createBadRequest(`list element types are not identical: ${formatGoValue(items)}`);
  return kinds.has('object') ? 'object' : 'scalar';
}

/** Handles `$patch: delete|replace` items of a keyed list. */
function applySpecialItems(
  current: unknown[],
  patchList: unknown[],
  mergeKey: string,
): { base: unknown[]; items: JsonObject[]; replaced: boolean } {
  let base = current;
  let replaced = false;
  const items: JsonObject[] = [];
  for (const item of patchList as JsonObject[]) {
    if (!(DIRECTIVE in item)) {
      items.push(item);
      continue;
    }
    const directive = item[DIRECTIVE];
    if (directive === 'delete') {
      if (!(mergeKey in item)) failNoMergeKey(item, mergeKey);
      base = base.filter((o) => !(isJsonObject(o) && o[mergeKey] === item[mergeKey]));
    } else if (directive === 'replace') {
      replaced = true;
    } else if (directive === 'merge') {
      throw createBadRequest('merging lists cannot yet be specified in the patch');
    } else {
      throw createBadRequest(`unknown patch type: ${formatGoValue(directive)} in map: ${formatGoValue(item)}`);
    }
  }
  return { base, items, replaced };
}

/** Sets a key the original lacks (or whose kind changes), dropping directives and nulls. */
function setFreshValue(original: JsonObject, key: string, value: unknown): void {
  const cleaned = cleanFreshValue(value);
  if (cleaned === undefined) delete original[key];
  else original[key] = cleaned;
}

/** Removes patch directives and null members from a value being inserted as-is. */
function cleanFreshValue(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value
      .filter((item) => !(isJsonObject(item) && DIRECTIVE in item && item[DIRECTIVE] !== 'merge'))
      .map(cleanFreshValue)
      .filter((item) => item !== undefined);
  }
  if (!isJsonObject(value)) return value;
  if (value[DIRECTIVE] === 'delete') return undefined;
  const out: JsonObject = {};
  for (const [key, item] of Object.entries(value)) {
    if (item === null || isDirectiveKey(key)) continue;
    const cleaned = cleanFreshValue(item);
    if (cleaned !== undefined) out[key] = cleaned;
  }
  return out;
}

/** Reports whether a map key is a strategic merge directive rather than data. */
function isDirectiveKey(key: string): boolean {
  return key === DIRECTIVE || key === RETAIN_KEYS || key.startsWith(`${DELETE_PRIMITIVE_PREFIX}/`)
    || key.startsWith(`${SET_ORDER_PREFIX}/`);
}

/** Returns `patch` without one key. */
function omitKey(patch: JsonObject, key: string): JsonObject {
  const { [key]: _dropped, ...rest } = patch;
  return rest;
}

/** Extracts the field name of a `$directive/<field>` key, rejecting malformed ones. */
function extractDirectiveKey(key: string, prefix: string): string {
  const slash = key.indexOf('/');
  if (slash < 0 || key.slice(0, slash) !== prefix) {
    const what = prefix === SET_ORDER_PREFIX ? 'setElementOrder list' : 'primitive list';
    throw createBadRequest(`invalid patch format of ${what}`);
  }
  return key.slice(slash + 1);
}
