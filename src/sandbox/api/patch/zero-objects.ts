// The "empty object" the API server compares a new object against when it records who created
// which fields. For built-in kinds it is the Go zero value as JSON: non-pointer structs are present
// (so they are never reported as added, and carry no "." marker in managedFields) and slices
// without omitempty are null. Custom resources start from nothing.

import { cloneJson, isJsonObject, type JsonObject } from './json-value.js';
import { isKnownStrategicKind } from './patch-meta.js';

/** Zero PodTemplateSpec: metadata and spec present, containers null. */
function createZeroPodTemplate(): JsonObject {
  return { metadata: {}, spec: { containers: null } };
}

const ZERO_BY_KIND: Record<string, () => JsonObject> = {
  '/Pod': () => ({ metadata: {}, spec: { containers: null }, status: {} }),
  '/PodTemplate': () => ({ metadata: {}, template: createZeroPodTemplate() }),
  '/ReplicationController': () => ({ metadata: {}, spec: {}, status: {} }),
  '/Service': () => ({ metadata: {}, spec: {}, status: { loadBalancer: {} } }),
  '/Namespace': () => ({ metadata: {}, spec: {}, status: {} }),
  '/Node': () => ({ metadata: {}, spec: {}, status: { daemonEndpoints: { kubeletEndpoint: {} }, nodeInfo: {} } }),
  '/PersistentVolumeClaim': () => ({ metadata: {}, spec: { resources: {} }, status: {} }),
  'apps/Deployment': () => ({
    metadata: {},
    spec: { selector: null, template: createZeroPodTemplate(), strategy: {} },
    status: {},
  }),
  'apps/ReplicaSet': () => ({ metadata: {}, spec: { selector: null, template: createZeroPodTemplate() }, status: {} }),
  'apps/StatefulSet': () => ({
    metadata: {},
    spec: { selector: null, template: createZeroPodTemplate(), serviceName: '', updateStrategy: {} },
    status: { replicas: 0, availableReplicas: 0 },
  }),
  'apps/DaemonSet': () => ({
    metadata: {},
    spec: { selector: null, template: createZeroPodTemplate(), updateStrategy: {} },
    status: { currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0 },
  }),
  'batch/Job': () => ({ metadata: {}, spec: { template: createZeroPodTemplate() }, status: {} }),
  'batch/CronJob': () => ({
    metadata: {},
    spec: { schedule: '', jobTemplate: { metadata: {}, spec: { template: createZeroPodTemplate() } } },
    status: {},
  }),
};

/** Returns the zero object a create is compared against for the given kind. */
export function createZeroObject(group: string, kind: string): JsonObject {
  const make = ZERO_BY_KIND[`${group}/${kind}`];
  if (make) return make();
  return isKnownStrategicKind(group, kind) ? { metadata: {} } : {};
}

// Makes a stored JSON object compare like the typed Go object the server would hold.
/** Returns a copy of `obj` with the members of the kind's zero object it lacks filled in. */
export function fillZeroFields(obj: JsonObject, group: string, kind: string): JsonObject {
  return overlayMissing(cloneJson(obj), createZeroObject(group, kind));
}

/** Adds members of `zero` missing from `target`, recursing into objects present in both. */
function overlayMissing(target: JsonObject, zero: JsonObject): JsonObject {
  for (const [key, value] of Object.entries(zero)) {
    const current = target[key];
    if (current === undefined) target[key] = value;
    else if (isJsonObject(current) && isJsonObject(value)) overlayMissing(current, value);
  }
  return target;
}
