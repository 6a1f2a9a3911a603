// Sets of field paths as server-side apply tracks them (structured-merge-diff's fieldpath.Set),
// with the FieldsV1 wire encoding used in metadata.managedFields: `f:<name>` fields,
// `k:{...}` keyed list items, `v:<json>` set items, `i:<n>` indices, and "." marking a path that
// is itself a member while also having members below it.

import { encodeGoJson, isJsonObject } from './json-value.js';

/** The FieldsV1 JSON shape. */
export type FieldsV1 = Record<string, unknown>;

/** Builds the path element of a struct field or map entry. */
export function buildFieldElement(name: string): string {
  return `f:${name}`;
}

/** Builds the path element of a keyed list item from its key fields. */
export function buildKeyElement(keys: Record<string, unknown>): string {
  return `k:${encodeGoJson(keys)}`;
}

/** Builds the path element of a set item. */
export function buildValueElement(value: unknown): string {
  return `v:${encodeGoJson(value)}`;
}

/** A tree of path elements; `member` marks paths that belong to the set. */
export class FieldSet {
  member = false;
  readonly children = new Map<string, FieldSet>();

  /** Parses a FieldsV1 object. */
  static fromFieldsV1(fields: unknown): FieldSet {
    const set = new FieldSet();
    if (!isJsonObject(fields)) return set;
    for (const [key, value] of Object.entries(fields)) {
      if (key === '.') {
        set.member = true;
        continue;
      }
      const child = FieldSet.fromFieldsV1(value);
      if (!isJsonObject(value) || Object.keys(value).length === 0) child.member = true;
      set.children.set(key, child);
    }
    return set;
  }

  /** Encodes the set as FieldsV1, children ordered the way the API server emits them. */
  toFieldsV1(): FieldsV1 {
    const out: FieldsV1 = {};
    if (this.member && this.children.size > 0) out['.'] = {};
    for (const key of sortElements([...this.children.keys()])) {
      out[key] = (this.children.get(key) as FieldSet).toFieldsV1();
    }
    return out;
  }

  /** Adds a path (the empty path is ignored: the root is never a member). */
  insert(path: readonly string[]): void {
    if (path.length > 0) this.insertFrom(path, 0);
  }

  /** Reports whether a path is a member. */
  has(path: readonly string[]): boolean {
    const node = this.descend(path);
    return node !== undefined && node.member && path.length > 0;
  }

  /** Returns the subtree at a path, if any. */
  descend(path: readonly string[]): FieldSet | undefined {
    return path.reduce<FieldSet | undefined>((node, element) => node?.children.get(element), this);
  }

  /** Reports whether the set has no member at all. */
  isEmpty(): boolean {
    if (this.member) return false;
    for (const child of this.children.values()) if (!child.isEmpty()) return false;
    return true;
  }

  /** Returns a deep copy. */
  clone(): FieldSet {
    return this.union(new FieldSet());
  }

  /** Returns the union of two sets. */
  union(other: FieldSet): FieldSet {
    const out = new FieldSet();
    out.member = this.member || other.member;
    for (const key of new Set([...this.children.keys(), ...other.children.keys()])) {
      const a = this.children.get(key) ?? EMPTY;
      const b = other.children.get(key) ?? EMPTY;
      out.children.set(key, a.union(b));
    }
    return out;
  }

  /** Returns the members of this set that are also members of `other`. */
  intersection(other: FieldSet): FieldSet {
    const out = new FieldSet();
    out.member = this.member && other.member;
    for (const [key, child] of this.children) {
      const match = other.children.get(key);
      if (match) out.adopt(key, child.intersection(match));
    }
    return out;
  }

  /** Returns this set without the members of `other` (paths below them are kept). */
  difference(other: FieldSet): FieldSet {
    const out = new FieldSet();
    out.member = this.member && !other.member;
    for (const [key, child] of this.children) {
      const match = other.children.get(key);
      out.adopt(key, match ? child.difference(match) : child.clone());
    }
    return out;
  }

  /** Returns this set without the members of `other` and without anything below them. */
  recursiveDifference(other: FieldSet): FieldSet {
    const out = new FieldSet();
    out.member = this.member && !other.member;
    for (const [key, child] of this.children) {
      const match = other.children.get(key);
      if (match?.member) continue;
      out.adopt(key, match ? child.recursiveDifference(match) : child.clone());
    }
    return out;
  }

  /** Lists member paths in structured-merge-diff iteration order (members first, then subtrees). */
  listPaths(prefix: string[] = []): string[][] {
    const keys = sortElements([...this.children.keys()]);
    const out: string[][] = [];
    for (const key of keys) if (this.children.get(key)?.member) out.push([...prefix, key]);
    for (const key of keys) out.push(...(this.children.get(key) as FieldSet).listPaths([...prefix, key]));
    return out;
  }

  /** Creates the nodes of `path` from position `i` on and marks the last one a member. */
  private insertFrom(path: readonly string[], i: number): void {
    let next = this.children.get(path[i]);
    if (!next) {
      next = new FieldSet();
      this.children.set(path[i], next);
    }
    if (i === path.length - 1) next.member = true;
    else next.insertFrom(path, i + 1);
  }

  /** Attaches a child unless it is empty. */
  private adopt(key: string, child: FieldSet): void {
    if (!child.isEmpty()) this.children.set(key, child);
  }
}

const EMPTY = new FieldSet();

/** Builds a set from member paths. */
export function createFieldSet(paths: readonly (readonly string[])[]): FieldSet {
  const set = new FieldSet();
  for (const path of paths) set.insert(path);
  return set;
}

const ELEMENT_RANK: Record<string, number> = { f: 0, k: 1, v: 2, i: 3 };

/** Sorts path elements as fieldpath.PathElement.Compare does: fields, keys, values, indices. */
export function sortElements(elements: string[]): string[] {
  return [...elements].sort(compareElements);
}

/** Orders two path elements. */
function compareElements(a: string, b: string): number {
  const rank = (ELEMENT_RANK[a[0]] ?? 4) - (ELEMENT_RANK[b[0]] ?? 4);
  if (rank !== 0) return rank;
  const x = a.slice(2);
  const y = b.slice(2);
  if (a[0] === 'i') return Number(x) - Number(y);
  if (a[0] === 'f') return x < y ? -1 : x > y ? 1 : 0;
  return compareValues(JSON.parse(x), JSON.parse(y));
}

/** Orders decoded key/value elements: numbers before strings before booleans, key by key. */
function compareValues(a: unknown, b: unknown): number {
  if (isJsonObject(a) && isJsonObject(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    for (let i = 0; i < Math.min(ka.length, kb.length); i++) {
      if (ka[i] !== kb[i]) return ka[i] < kb[i] ? -1 : 1;
      const c = compareValues(a[ka[i]], b[kb[i]]);
      if (c !== 0) return c;
    }
    return ka.length - kb.length;
  }
  const order = (v: unknown): number => (typeof v === 'number' ? 0 : typeof v === 'string' ? 1 : typeof v === 'boolean' ? 2 : 3);
  if (order(a) !== order(b)) return order(a) - order(b);
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const sa = typeof a === 'string' ? a : JSON.stringify(a);
  const sb = typeof b === 'string' ? b : JSON.stringify(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/** Renders a path as the API server prints it in conflicts: `.spec.containers[name="app"].image`. */
export function formatFieldPath(path: readonly string[]): string {
  return path.map(formatElement).join('');
}

/** Renders one path element. */
function formatElement(element: string): string {
  const body = element.slice(2);
  switch (element[0]) {
    case 'f':
      return `.${body}`;
    case 'k': {
      const keys = JSON.parse(body) as Record<string, unknown>;
      return `[${Object.entries(keys).map(([k, v]) => `${k}=${formatScalar(v)}`).join(',')}]`;
    }
    case 'v':
      return `[=${formatScalar(JSON.parse(body))}]`;
    default:
      return `[${body}]`;
  }
}

/** Renders a key value as value.ToString does (strings quoted, numbers bare). */
function formatScalar(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : typeof value === 'object' ? JSON.stringify(value) : String(value);
}
