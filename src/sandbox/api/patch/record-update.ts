// Ownership bookkeeping for non-apply writes (create, update, json/merge/strategic patch), as the
// API server's field manager does it: the writer takes the fields it added or changed (all fields
// on create) under an operation "Update" entry, and loses nothing it did not touch.

import type { KubeObject, ManagedFieldsEntry } from '../../types.js';
import { createFieldSet, buildFieldElement } from './field-set.js';
import { cloneJson, type JsonObject } from './json-value.js';
import {
  decodeManagedFields,
  encodeManagedFields,
  identifyManager,
  UNTRACKED_FIELDS,
} from './managed-fields.js';
import type { ListMeta } from './patch-meta.js';
import { compareObjects } from './typed-fields.js';
import { resolveTypeInfo } from './typed-schema.js';
import { createZeroObject, fillZeroFields } from './zero-objects.js';

/** Options of recordUpdate. */
export interface RecordUpdateOptions {
  manager: string;
  apiVersion: string;
  now: string;
  group: string;
  kind: string;
  /** Subresource written through ("status", "scale"), if any. */
  subresource?: string;
  /** When true, a main-resource write does not take ownership of `status`. */
  hasStatusSubresource?: boolean;
  /** List metadata from a CRD schema (custom resources only). */
  listMeta?: (path: string[]) => ListMeta | undefined;
}

const STATUS_FIELDS = createFieldSet([[buildFieldElement('status')]]);

// Pass `after` as stored (defaulted) to match a real server; `before` is undefined on create.
/** Computes metadata.managedFields after a non-apply write of `after` over `before`. */
export function recordUpdate(before: KubeObject | undefined, after: KubeObject, opts: RecordUpdateOptions): ManagedFieldsEntry[] {
  const incoming = after.metadata?.managedFields;
  const entries = incoming && incoming.length > 0 && !opts.subresource ? incoming : before?.metadata?.managedFields;
  if (before?.metadata?.uid && (!entries || entries.length === 0)) return [];
  const state = decodeManagedFields(entries);
  const info = resolveTypeInfo(opts.group, opts.kind, opts.listMeta);
  const lhs = before ? fillZeroFields(stripManagedFields(before), opts.group, opts.kind) : createZeroObject(opts.group, opts.kind);
  const rhs = fillZeroFields(stripManagedFields(after), opts.group, opts.kind);
  const comparison = compareObjects(lhs, rhs, info);
  const ignoreStatus = opts.hasStatusSubresource && !opts.subresource;
  const ignore = (set: typeof comparison.added) => (ignoreStatus ? set.recursiveDifference(STATUS_FIELDS) : set);
  const changed = ignore(comparison.added.union(comparison.modified));
  const removed = ignore(comparison.removed);
  for (const record of state.values()) record.set = record.set.difference(changed).difference(removed);
  const taken = changed.difference(UNTRACKED_FIELDS);
  if (!taken.isEmpty()) {
    const id = identifyManager(opts.manager, 'Update', opts.apiVersion, opts.subresource);
    const previous = state.get(id);
    state.set(id, {
      manager: opts.manager,
      operation: 'Update',
      apiVersion: opts.apiVersion,
      time: opts.now,
      set: previous ? previous.set.union(taken) : taken,
      ...(opts.subresource ? { subresource: opts.subresource } : {}),
    });
  }
  return encodeManagedFields(state);
}

/** Returns a copy of an object without metadata.managedFields. */
export function stripManagedFields(obj: KubeObject | JsonObject): JsonObject {
  const copy = cloneJson(obj) as JsonObject;
  const meta = copy.metadata;
  if (meta && typeof meta === 'object' && !Array.isArray(meta)) delete (meta as JsonObject).managedFields;
  return copy;
}
