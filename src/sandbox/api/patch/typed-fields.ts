// Field sets derived from object values, with structured-merge-diff semantics: the set an applied
// configuration claims (ToFieldSet) and the added/modified/removed sets between two versions of
// an object (Compare), which Update operations take ownership of.

import { FieldSet, buildFieldElement } from './field-set.js';
import { isJsonEqual, isJsonObject, type JsonObject } from './json-value.js';
import { describeMergeableList, indexList, type IndexedList, type TypeInfo } from './typed-schema.js';

/** Result of comparing two object versions. */
export interface FieldComparison {
  added: FieldSet;
  modified: FieldSet;
  removed: FieldSet;
}

/** Builds the set of fields a value specifies: leaves, atomic values and every list item. */
export function buildFieldSet(value: unknown, info: TypeInfo): FieldSet {
  const set = new FieldSet();
  collectFields(value, [], [], set, info);
  return set;
}

/** Adds the fields of one value at `elements` to `set`. */
function collectFields(value: unknown, schemaPath: string[], elements: string[], set: FieldSet, info: TypeInfo): void {
  if (isJsonObject(value)) {
    if (schemaPath.length > 0 && info.isAtomicMap(schemaPath)) {
      set.insert(elements);
      return;
    }
    for (const [key, child] of Object.entries(value)) {
      if (child !== undefined) collectFields(child, [...schemaPath, key], [...elements, buildFieldElement(key)], set, info);
    }
    return;
  }
  if (Array.isArray(value)) {
    const meta = describeMergeableList(info, schemaPath);
    const indexed = meta ? indexList(value, meta) : undefined;
    if (!indexed) {
      set.insert(elements);
      return;
    }
    for (const element of indexed.elements) {
      const itemPath = [...elements, element];
      collectFields(indexed.items.get(element), schemaPath, itemPath, set, info);
      set.insert(itemPath);
    }
    return;
  }
  set.insert(elements);
}

/** Compares two versions of an object and returns the added, modified and removed fields. */
export function compareObjects(before: unknown, after: unknown, info: TypeInfo): FieldComparison {
  const out: FieldComparison = { added: new FieldSet(), modified: new FieldSet(), removed: new FieldSet() };
  compareNode(before, after, [], [], out, info);
  return out;
}

type NodeShape = { kind: 'leaf' } | { kind: 'map' } | { kind: 'list'; before: IndexedList; after: IndexedList };

/** Decides whether two values are compared as a leaf, a map or a keyed list. */
export function describeNodeShape(before: unknown, after: unknown, schemaPath: string[], info: TypeInfo): NodeShape {
  const present = [before, after].filter((v) => v !== undefined && v !== null);
  if (present.length === 0) return { kind: 'leaf' };
  if (present.every(isJsonObject)) {
    if (schemaPath.length > 0 && info.isAtomicMap(schemaPath)) return { kind: 'leaf' };
    const allEmpty = present.every((v) => Object.keys(v as JsonObject).length === 0);
    return allEmpty ? { kind: 'leaf' } : { kind: 'map' };
  }
  if (present.every(Array.isArray)) {
    const meta = describeMergeableList(info, schemaPath);
    if (!meta || present.every((v) => (v as unknown[]).length === 0)) return { kind: 'leaf' };
    const left = indexList(Array.isArray(before) ? before : [], meta);
    const right = indexList(Array.isArray(after) ? after : [], meta);
    return left && right ? { kind: 'list', before: left, after: right } : { kind: 'leaf' };
  }
  return { kind: 'leaf' };
}

/** Compares one node (either side may be absent) and records differences under `elements`. */
function compareNode(
  before: unknown,
  after: unknown,
  schemaPath: string[],
  elements: string[],
  out: FieldComparison,
  info: TypeInfo,
): void {
  const shape = describeNodeShape(before, after, schemaPath, info);
  if (shape.kind === 'leaf') {
    if (before === undefined) out.added.insert(elements);
    else if (after === undefined) out.removed.insert(elements);
    else if (!isJsonEqual(before, after)) out.modified.insert(elements);
    return;
  }
  if (shape.kind === 'map') {
    const left = isJsonObject(before) ? before : {};
    const right = isJsonObject(after) ? after : {};
    for (const key of new Set([...Object.keys(left), ...Object.keys(right)])) {
      compareNode(left[key], right[key], [...schemaPath, key], [...elements, buildFieldElement(key)], out, info);
    }
  } else {
    for (const element of new Set([...shape.before.elements, ...shape.after.elements])) {
      compareNode(shape.before.items.get(element), shape.after.items.get(element), schemaPath, [...elements, element], out, info);
    }
  }
  if (before === undefined) out.added.insert(elements);
  else if (after === undefined) out.removed.insert(elements);
}
