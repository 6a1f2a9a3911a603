// Building Pods from a workload's pod template, as every workload controller does.
import type { Registry } from '../api/registry.js';
import { isApiError, controllerRef, typeForKey } from './object-helpers.js';
import type { KubeObject } from '../types.js';

/** Options for {@link podFromTemplate}. */
export interface PodTemplateOptions {
  /** Fixed name (StatefulSet); otherwise `generateName` is `<owner>-`. */
  name?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  /** Fields merged into the pod spec (hostname, affinity, ...). */
  spec?: Record<string, unknown>;
}

/** A Pod body from `owner.spec.template` with a controller ownerReference. */
export function podFromTemplate(owner: KubeObject, options: PodTemplateOptions = {}): KubeObject {
  const template = structuredClone(owner.spec?.template ?? {});
  const meta = template.metadata ?? {};
  const labels = { ...(meta.labels ?? {}), ...(options.labels ?? {}) };
  const annotations = { ...(meta.annotations ?? {}), ...(options.annotations ?? {}) };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      ...(options.name ? { name: options.name } : { generateName: `${owner.metadata.name}-` }),
      namespace: owner.metadata.namespace,
      labels,
      ...(Object.keys(annotations).length ? { annotations } : {}),
      ...(meta.finalizers ? { finalizers: meta.finalizers } : {}),
      ownerReferences: [controllerRef(owner)],
    },
    spec: { ...(template.spec ?? {}), ...(options.spec ?? {}) },
  };
}

/** Create a pod through the Registry (so admission, including the sidecar injector, runs); retries a generated-name clash. */
export function createPod(registry: Registry, pod: KubeObject, manager: string): KubeObject {
  const rt = typeForKey(registry, '/pods');
  for (let attempt = 0; ; attempt++) {
    try {
      return registry.create(rt, pod.metadata.namespace, pod, { fieldManager: manager });
    } catch (err) {
      if (!isApiError(err, 409) || pod.metadata.name || attempt >= 5) throw err;
    }
  }
}
