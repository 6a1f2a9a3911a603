// Whether an object read back from the server holds what a write sent: how a retried create or
// conditional replace recognises that its earlier, unanswered attempt landed.
import type { KubeObject } from './types.js';

/** Metadata a client sets; everything else in metadata is the server's (uid, resourceVersion, timestamps...). */
const clientMetadata = ['name', 'namespace', 'labels', 'annotations', 'finalizers', 'ownerReferences', 'generateName'];

/** True when every field of `sent` (status and server-owned metadata aside) has the same value in `actual`; fields the server added (defaults) are ignored. */
export function matchesSent(actual: KubeObject, sent: KubeObject): boolean {
  const { status: _s, metadata, ...body } = sent;
  const meta = Object.fromEntries(clientMetadata.filter((k) => metadata[k] !== undefined).map((k) => [k, metadata[k]]));
  return contains(actual, { ...body, metadata: meta });
}

function contains(actual: unknown, sent: unknown): boolean {
  if (sent === undefined) return true;
  if (sent === null || typeof sent !== 'object') return actual === sent;
  if (Array.isArray(sent)) return Array.isArray(actual) && actual.length === sent.length && sent.every((v, i) => contains(actual[i], v));
  if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return false;
  return Object.entries(sent).every(([k, v]) => contains((actual as Record<string, unknown>)[k], v));
}
