// Value operations of server-side apply: merging an applied configuration into the live object
// (structured-merge-diff's Merge, including its list ordering) and removing fields the applier
// stopped specifying that nobody else owns (its prune step).

import { FieldSet, buildFieldElement } from './field-set.js';
import { isJsonObject, type JsonObject } from './json-value.js';
import { describeMergeableList, indexList, type IndexedList, type TypeInfo } from './typed-schema.js';

/** Merges `config` into `live`: config leaves win, maps and keyed/set lists merge item by item. */
export function mergeTyped(live: unknown, config: unknown, info: TypeInfo, schemaPath: string[] = []): unknown {
  if (config === undefined) return live;
  if (live === undefined || live === null || config === null) return config;
  if (isJsonObject(live) && isJsonObject(config)) {
    if (schemaPath.length > 0 && info.isAtomicMap(schemaPath)) return config;
    const out: JsonObject = { ...live };
    for (const [key, value] of Object.entries(config)) {
      if (value !== undefined) out[key] = mergeTyped(live[key], value, info, [...schemaPath, key]);
    }
    return out;
  }
  if (Array.isArray(live) && Array.isArray(config)) {
    const meta = describeMergeableList(info, schemaPath);
    const left = meta ? indexList(live, meta) : undefined;
    const right = meta ? indexList(config, meta) : undefined;
    if (!left || !right || (live.length === 0 && config.length === 0)) return config;
    return mergeIndexedLists(left, right, (l, r) => mergeTyped(l, r, info, schemaPath));
  }
  return config;
}

/**
 * Merges two indexed lists the way structured-merge-diff orders them: live-only items stay where
 * they were, configured items follow the configuration's order.
 */
function mergeIndexedLists(
  left: IndexedList,
  right: IndexedList,
  mergeItem: (l: unknown, r: unknown) => unknown,
): unknown[] {
  const shared = right.elements.filter((e) => left.items.has(e));
  let sharedAt = 0;
  let nextShared: string | undefined = shared[sharedAt++];
  const mergedRight = new Set<string>();
  const out: unknown[] = [];
  let li = 0;
  let ri = 0;
  while (li < left.elements.length || ri < right.elements.length) {
    if (li < left.elements.length && ri < right.elements.length) {
      const element = left.elements[li];
      if (element === right.elements[ri]) {
        mergedRight.add(element);
        out.push(mergeItem(left.items.get(element), right.items.get(element)));
        li++;
        ri++;
        nextShared = shared[sharedAt++];
        continue;
      }
      if (right.items.has(element) && nextShared !== undefined && nextShared !== element) {
        li++;
        continue;
      }
    }
    if (li < left.elements.length) {
      const element = left.elements[li];
      if (!right.items.has(element)) {
        out.push(left.items.get(element));
        li++;
        continue;
      }
      if (mergedRight.has(element)) {
        li++;
        continue;
      }
    }
    if (ri < right.elements.length) {
      const element = right.elements[ri];
      mergedRight.add(element);
      out.push(mergeItem(left.items.get(element), right.items.get(element)));
      ri++;
      if (nextShared === element) nextShared = shared[sharedAt++];
    }
  }
  return out;
}

// A struct field counts as owned while anything below it is owned; a list item only when the item itself is.
/** Removes from `value` every field in `lastApplied` that no manager owns any more. */
export function pruneUnowned(value: unknown, lastApplied: FieldSet, owned: FieldSet, info: TypeInfo, schemaPath: string[] = []): unknown {
  if (isJsonObject(value)) {
    if (schemaPath.length > 0 && info.isAtomicMap(schemaPath)) return value;
    const out: JsonObject = {};
    for (const [key, child] of Object.entries(value)) {
      const element = buildFieldElement(key);
      const last = lastApplied.children.get(element);
      const mine = owned.children.get(element);
      if (last && !mine) continue;
      out[key] = last && mine ? pruneUnowned(child, last, mine, info, [...schemaPath, key]) : child;
    }
    return out;
  }
  if (!Array.isArray(value)) return value;
  const meta = describeMergeableList(info, schemaPath);
  const indexed = meta ? indexList(value, meta) : undefined;
  if (!indexed) return value;
  const out: unknown[] = [];
  for (const element of indexed.elements) {
    const item = indexed.items.get(element);
    const last = lastApplied.children.get(element);
    const mine = owned.children.get(element);
    if (last?.member && !mine?.member) continue;
    out.push(last ? pruneUnowned(item, last, mine ?? new FieldSet(), info, schemaPath) : item);
  }
  return out;
}
