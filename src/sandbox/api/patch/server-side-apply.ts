// Server-side apply (application/apply-patch+yaml) as kube-apiserver 1.30 performs it: merge the
// applied configuration into the live object, drop fields the applier no longer specifies unless
// someone else owns them, detect conflicts with other managers, and record ownership in
// metadata.managedFields. Includes the kubectl client-side-apply upgrade path (manager "kubectl").

import type { KubeObject, ManagedFieldsEntry } from '../../types.js';
import { createBadRequest, createInvalid, PatchError } from './errors.js';
import { FieldSet, buildFieldElement, formatFieldPath, type FieldsV1 } from './field-set.js';
import { cloneJson, isJsonEqual, isJsonObject, type JsonObject } from './json-value.js';
import {
  cloneManagedState,
  decodeManagedFields,
  describeManager,
  encodeManagedFields,
  identifyManager,
  UNTRACKED_FIELDS,
  type ManagedState,
} from './managed-fields.js';
import type { ListMeta } from './patch-meta.js';
import { stripManagedFields } from './record-update.js';
import { buildFieldSet, compareObjects } from './typed-fields.js';
import { mergeTyped, pruneUnowned } from './typed-merge.js';
import { resolveTypeInfo, validateAppliedLists, type TypeInfo } from './typed-schema.js';
import { buildLastApplied, findAllowedConflicts, LAST_APPLIED_ANNOTATION } from './last-applied.js';

export { recordUpdate, type RecordUpdateOptions } from './record-update.js';

/** Options of applyServerSide. */
export interface ApplyOptions {
  manager: string;
  force: boolean;
  apiVersion: string;
  now: string;
  group: string;
  kind: string;
  hasStatusSubresource: boolean;
  /** Subresource applied to ("status"), if any. */
  subresource?: string;
  /** List metadata from a CRD schema; custom resource lists default to atomic. */
  listMeta?: (path: string[]) => ListMeta | undefined;
}

/** One field another manager owns with a different value. */
interface Conflict {
  managerId: string;
  path: string[];
}

interface ApplyOutcome {
  object: JsonObject;
  state: ManagedState;
  conflicts: Conflict[];
}

/** Options of computeFieldSet. */
export interface FieldSetOptions {
  hasStatusSubresource?: boolean;
  listMeta?: (path: string[]) => ListMeta | undefined;
}

const STATUS_FIELDS = new FieldSet();
STATUS_FIELDS.insert([buildFieldElement('status')]);

/** Computes the FieldsV1 an apply of `obj` would own (untracked metadata and apiVersion/kind excluded). */
export function computeFieldSet(obj: unknown, group: string, kind: string, opts: FieldSetOptions = {}): FieldsV1 {
  const info = resolveTypeInfo(group, kind, opts.listMeta);
  let set = buildFieldSet(obj, info).difference(UNTRACKED_FIELDS);
  if (opts.hasStatusSubresource) set = set.recursiveDifference(STATUS_FIELDS);
  return set.toFieldsV1();
}

/** Applies a configuration server-side and returns the new object with updated managedFields. */
export function applyServerSide(live: KubeObject | undefined, applied: KubeObject, opts: ApplyOptions): KubeObject {
  validateApplyRequest(applied, opts);
  const info = resolveTypeInfo(opts.group, opts.kind, opts.listMeta);
  validateAppliedLists(applied, info, describeGvk(opts));
  const ignoreStatus = opts.hasStatusSubresource && !opts.subresource;
  const config = dropNullMembers(cloneJson(applied)) as JsonObject;
  if (ignoreStatus) delete config.status;
  const liveBody = live ? stripManagedFields(live) : {};
  const state = decodeManagedFields(live?.metadata?.managedFields);
  let outcome = runApply(liveBody, config, state, info, opts, opts.force, ignoreStatus);
  if (outcome.conflicts.length > 0 && opts.manager === 'kubectl' && live) {
    const allowed = findAllowedConflicts(liveBody, opts.apiVersion, info);
    const remaining = outcome.conflicts.filter((c) => !allowed?.has(c.path));
    outcome = remaining.length === 0 ? runApply(liveBody, config, state, info, opts, true, ignoreStatus) : { ...outcome, conflicts: remaining };
  }
  if (outcome.conflicts.length > 0) throw buildConflictError(outcome.conflicts, state);
  const result = outcome.object as KubeObject;
  const annotations = result.metadata?.annotations;
  if (opts.manager === 'kubectl' && annotations && LAST_APPLIED_ANNOTATION in annotations) {
    result.metadata.annotations = { ...annotations, [LAST_APPLIED_ANNOTATION]: buildLastApplied(applied) };
  }
  result.metadata = { ...(result.metadata ?? {}), managedFields: encodeManagedFields(outcome.state) as ManagedFieldsEntry[] };
  return result;
}

/** Removes null object members: an applied `field: null` means "not specified" once decoded. */
function dropNullMembers(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropNullMembers);
  if (!isJsonObject(value)) return value;
  const out: JsonObject = {};
  for (const [key, item] of Object.entries(value)) if (item !== null) out[key] = dropNullMembers(item);
  return out;
}

/** Rejects requests a real server refuses before merging anything. */
function validateApplyRequest(applied: KubeObject, opts: ApplyOptions): void {
  if (!opts.manager) {
    throw createInvalid('PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch', [
      { reason: 'FieldValueRequired', message: 'Required value: is required for apply patch', field: 'fieldManager' },
    ]);
  }
  if (applied.apiVersion !== opts.apiVersion || applied.kind !== opts.kind) {
    const [group, version] = splitApiVersion(applied.apiVersion ?? '');
    throw createBadRequest(`invalid object type: ${group}/${version}, Kind=${applied.kind ?? ''}`);
  }
  if (applied.metadata?.managedFields != null) throw createBadRequest('metadata.managedFields must be nil');
}

/** Splits "group/version" ("v1" is the core group). */
function splitApiVersion(apiVersion: string): [string, string] {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? ['', apiVersion] : [apiVersion.slice(0, slash), apiVersion.slice(slash + 1)];
}

/** Renders a GroupVersionKind as the server does in messages. */
function describeGvk(opts: ApplyOptions): string {
  const [, version] = splitApiVersion(opts.apiVersion);
  return `${opts.group}/${version}, Kind=${opts.kind}`;
}

/** Merges, prunes and computes conflicts for one apply attempt (no exception on conflicts). */
function runApply(
  liveBody: JsonObject,
  config: JsonObject,
  original: ManagedState,
  info: TypeInfo,
  opts: ApplyOptions,
  force: boolean,
  ignoreStatus: boolean,
): ApplyOutcome {
  const state = cloneManagedState(original);
  const ignore = (set: FieldSet) => (ignoreStatus ? set.recursiveDifference(STATUS_FIELDS) : set);
  const configSet = ignore(buildFieldSet(config, info));
  const id = identifyManager(opts.manager, 'Apply', opts.apiVersion, opts.subresource);
  const previous = state.get(id);
  const merged = mergeTyped(liveBody, config, info) as JsonObject;
  let owned = configSet.union(UNTRACKED_FIELDS);
  for (const [otherId, record] of state) if (otherId !== id) owned = owned.union(record.set);
  const pruned = previous ? (pruneUnowned(merged, previous.set, owned, info) as JsonObject) : merged;
  const comparison = compareObjects(liveBody, pruned, info);
  const changed = ignore(comparison.added.union(comparison.modified));
  const removed = ignore(comparison.removed);
  const conflicts: Conflict[] = [];
  for (const [otherId, record] of state) {
    if (otherId === id) continue;
    const overlap = record.set.intersection(changed);
    for (const path of overlap.listPaths()) conflicts.push({ managerId: otherId, path });
    if (force || overlap.isEmpty()) record.set = record.set.difference(overlap).difference(removed);
  }
  if (conflicts.length > 0 && !force) return { object: pruned, state, conflicts };
  const unchanged = isJsonEqual(liveBody, pruned);
  state.set(id, {
    manager: opts.manager,
    operation: 'Apply',
    apiVersion: opts.apiVersion,
    time: unchanged && previous?.time ? previous.time : opts.now,
    set: configSet.difference(UNTRACKED_FIELDS),
    ...(opts.subresource ? { subresource: opts.subresource } : {}),
  });
  return { object: pruned, state, conflicts: [] };
}

/** Builds the 409 a server returns for apply conflicts. */
function buildConflictError(conflicts: Conflict[], state: ManagedState): PatchError {
  const sorted = [...conflicts].sort((a, b) => (a.managerId < b.managerId ? -1 : a.managerId > b.managerId ? 1 : 0));
  const describe = (id: string) => {
    const record = state.get(id);
    return record ? describeManager(record) : JSON.stringify(id);
  };
  const causes = sorted.map((c) => ({
    reason: 'FieldManagerConflict',
    message: `conflict with ${describe(c.managerId)}`,
    field: formatFieldPath(c.path),
  }));
  let message: string;
  if (sorted.length === 1) {
    message = `Apply failed with 1 conflict: conflict with ${describe(sorted[0].managerId)}: ${formatFieldPath(sorted[0].path)}`;
  } else {
    const lines: string[] = [];
    for (const id of [...new Set(sorted.map((c) => c.managerId))]) {
      lines.push(`conflicts with ${describe(id)}:`);
      for (const c of sorted.filter((x) => x.managerId === id)) lines.push(`- ${formatFieldPath(c.path)}`);
    }
    message = `Apply failed with ${sorted.length} conflicts: ${lines.join('\n')}`;
  }
  return new PatchError({ code: 409, reason: 'Conflict', message, causes });
}
