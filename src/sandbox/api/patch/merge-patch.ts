// RFC 7386 JSON merge patch (application/merge-patch+json), as kube-apiserver applies it to
// any resource: objects merge recursively, null deletes a member, anything else replaces.

import { cloneJson, isJsonObject, type JsonObject } from './json-value.js';

/** Applies an RFC 7386 merge patch and returns a new value; neither input is mutated. */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isJsonObject(patch)) return cloneJson(patch);
  const out: JsonObject = isJsonObject(target) ? cloneJson(target) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    if (value === null) delete out[key];
    else out[key] = applyMergePatch(out[key], value);
  }
  return out;
}
