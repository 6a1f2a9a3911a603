// Interplay between client-side apply's last-applied annotation and server-side apply, as the
// API server implements it for the field manager "kubectl": conflicts on fields that still hold
// their last client-side-applied value are forgiven, and the annotation is kept in sync.

import type { FieldSet } from './field-set.js';
import { cloneJson, encodeGoJson, isJsonObject, type JsonObject } from './json-value.js';
import { buildFieldSet, compareObjects } from './typed-fields.js';
import type { TypeInfo } from './typed-schema.js';

/** The annotation `kubectl apply` (client-side) stores the applied configuration in. */
export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';

// Without a usable annotation nothing is forgiven (undefined).
/** Returns the fields whose live value still equals the last client-side-applied configuration. */
export function findAllowedConflicts(live: JsonObject, apiVersion: string, info: TypeInfo): FieldSet | undefined {
  const metadata = isJsonObject(live.metadata) ? live.metadata : {};
  const annotations = isJsonObject(metadata.annotations) ? metadata.annotations : {};
  const raw = annotations[LAST_APPLIED_ANNOTATION];
  if (typeof raw !== 'string' || raw === '') return undefined;
  let lastApplied: unknown;
  try {
    lastApplied = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (!isJsonObject(lastApplied) || lastApplied.apiVersion !== apiVersion) return undefined;
  const comparison = compareObjects(lastApplied, live, info);
  return buildFieldSet(lastApplied, info)
    .difference(comparison.modified)
    .difference(comparison.added)
    .difference(comparison.removed);
}

/** Serializes an applied configuration as the annotation value (the annotation itself removed). */
export function buildLastApplied(applied: JsonObject): string {
  const copy = cloneJson(applied);
  const metadata = copy.metadata;
  if (isJsonObject(metadata) && isJsonObject(metadata.annotations)) {
    delete metadata.annotations[LAST_APPLIED_ANNOTATION];
  }
  return `${encodeGoJson(copy)}\n`;
}
