// List ordering rules of strategic merge patch: after a merge, items named by the patch (or by a
// $setElementOrder directive) keep the patch's relative order, server-only items keep the live
// order, and the two are interleaved using the live positions, exactly as apimachinery does it.

import { createBadRequest } from './errors.js';
import { formatGoValue, isJsonObject } from './json-value.js';

/** Returns the position of `item` in `list`, matching maps by merge key and scalars by value. */
export function findItemIndex(list: unknown[], item: unknown, mergeKey: string | undefined): number {
  if (!mergeKey) return list.indexOf(item);
  const wanted = isJsonObject(item) ? item[mergeKey] : undefined;
  return list.findIndex((candidate) => (isJsonObject(candidate) ? candidate[mergeKey] : undefined) === wanted);
}

/** Raises the error apimachinery gives when a list item lacks its merge key. */
export function failNoMergeKey(item: unknown, mergeKey: string): never {
  throw createBadRequest(`map: ${formatGoValue(item)} does not contain declared merge key: ${mergeKey}`);
}

/** Checks that every item of the lists is a map carrying the merge key. */
function requireMergeKeys(mergeKey: string, ...lists: unknown[][]): void {
  for (const list of lists) {
    for (const item of list) {
      if (!isJsonObject(item) || !(mergeKey in item)) failNoMergeKey(item, mergeKey);
    }
  }
}

/** Splits `items` into those present in `order` and the rest, keeping their relative order. */
export function partitionByPresence(items: unknown[], order: unknown[], mergeKey: string | undefined): [unknown[], unknown[]] {
  if (mergeKey) requireMergeKeys(mergeKey, items);
  const present: unknown[] = [];
  const absent: unknown[] = [];
  for (const item of items) (findItemIndex(order, item, mergeKey) >= 0 ? present : absent).push(item);
  return [present, absent];
}

/** Sorts `items` by their position in `order` with the same stable insertion sort Go uses. */
function sortByOrder(items: unknown[], order: unknown[], mergeKey: string | undefined): unknown[] {
  if (mergeKey) requireMergeKeys(mergeKey, items, order);
  const out = [...items];
  const less = (a: unknown, b: unknown): boolean => {
    const ia = findItemIndex(order, a, mergeKey);
    const ib = findItemIndex(order, b, mergeKey);
    return ia >= 0 && ib >= 0 ? ia < ib : true;
  };
  for (let i = 1; i < out.length; i++) {
    for (let j = i; j > 0 && less(out[j], out[j - 1]); j--) [out[j], out[j - 1]] = [out[j - 1], out[j]];
  }
  return out;
}

/** Interleaves server-only items into the patch items using their positions in the live list. */
function interleave(serverOnly: unknown[], patchItems: unknown[], serverOrder: unknown[], mergeKey: string | undefined): unknown[] {
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < serverOnly.length || j < patchItems.length) {
    if (i >= serverOnly.length) {
      out.push(patchItems[j++]);
    } else if (j >= patchItems.length) {
      out.push(serverOnly[i++]);
    } else {
      const li = findItemIndex(serverOrder, serverOnly[i], mergeKey);
      const ri = findItemIndex(serverOrder, patchItems[j], mergeKey);
      if (li >= 0 && ri >= 0 && li < ri) out.push(serverOnly[i++]);
      else out.push(patchItems[j++]);
    }
  }
  return out;
}

/** Orders a merged list: patch items by `patchOrder`, server-only items by `serverOrder`, then interleaved. */
export function normalizeElementOrder(
  patchItems: unknown[],
  serverOnly: unknown[],
  patchOrder: unknown[],
  serverOrder: unknown[],
  mergeKey: string | undefined,
): unknown[] {
  const sortedPatch = sortByOrder(patchItems, patchOrder, mergeKey);
  const sortedServer = sortByOrder(serverOnly, serverOrder, mergeKey);
  return interleave(sortedServer, sortedPatch, serverOrder, mergeKey);
}

/** Checks that the patch list's items appear in the $setElementOrder list, in the same order. */
export function validateSetElementOrder(patchList: unknown[], order: unknown[], mergeKey: string | undefined): void {
  if (order.length === 0 || patchList.length === 0) return;
  const candidates = mergeKey
    ? patchList.filter((item) => !(isJsonObject(item) && item.$patch === 'delete'))
    : patchList;
  let p = 0;
  let o = 0;
  while (p < candidates.length && o < order.length) {
    const item = candidates[p];
    if (isJsonObject(item) && '$patch' in item) {
      p++;
      continue;
    }
    if (mergeKey) requireMergeKeys(mergeKey, [item, order[o]]);
    if (findItemIndex([order[o]], item, mergeKey) === 0) p++;
    o++;
  }
  if (p < candidates.length) {
    throw createBadRequest(
      `the order in patch list:\n${formatGoValue(patchList)}\n doesn't match $setElementOrder list:\n${formatGoValue(order)}`,
    );
  }
}
