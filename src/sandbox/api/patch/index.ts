// Patch and apply engine of the sandbox API server: pure functions over plain JSON that reproduce
// what kube-apiserver 1.30 does for PATCH requests and for managedFields bookkeeping.
//
//   application/json-patch+json            -> applyJsonPatch
//   application/merge-patch+json           -> applyMergePatch
//   application/strategic-merge-patch+json -> applyStrategicMergePatch (built-in kinds only; 415 otherwise)
//   application/apply-patch+yaml           -> applyServerSide (caller parses YAML/JSON first)
//   create / update / non-apply patch      -> recordUpdate (returns the new metadata.managedFields)
//
// Every failure is a PatchError carrying the HTTP code, Status reason, message and causes.

export { PatchError, type PatchErrorCause, type PatchErrorInit } from './errors.js';
export { applyMergePatch } from './merge-patch.js';
export { applyJsonPatch, type JsonPatchOperation } from './json-patch.js';
export { applyStrategicMergePatch } from './strategic-merge.js';
export { isKnownStrategicKind, lookupListMeta, lookupMapMeta, type ListMeta, type MapMeta } from './patch-meta.js';
export {
  applyServerSide,
  computeFieldSet,
  recordUpdate,
  type ApplyOptions,
  type FieldSetOptions,
  type RecordUpdateOptions,
} from './server-side-apply.js';
export { LAST_APPLIED_ANNOTATION } from './last-applied.js';
export type { FieldsV1 } from './field-set.js';
