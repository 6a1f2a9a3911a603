// Istio's sidecar-injector webhook as an in-process admission mutator on pod CREATE (istio-behaviour.md §7).
import type { ObjectStore } from '../store/object-store.js';
import type { KubeObject } from '../types.js';
import type { Controller, ControllerContext } from './controller.js';
import { injectSidecar } from './sidecar-template.js';
import { parseMeshConfig } from '../mesh/mesh-config.js';

const injectKey = 'sidecar.istio.io/inject';
const revLabel = 'istio.io/rev';
/** Namespaces the injector always skips. */
const ignoredNamespaces = ['kube-system', 'kube-public'];

/** Values the injector reads as "inject" (webhook.go injectRequired). */
function truthy(value: string): boolean {
  return ['y', 'yes', 'true', 'on'].includes(value.toLowerCase());
}

/** Whether an Istio control plane serving `revision` is installed (istiod / istiod-<rev> in istio-system). */
export function controlPlaneInstalled(store: ObjectStore, revision: string): boolean {
  if (!store.get('apps/deployments', 'istio-system', 'istiod')) return false;
  if (revision === 'default') return true;
  return !!store.get('apps/deployments', 'istio-system', `istiod-${revision}`) ||
    store.list('apps/deployments', 'istio-system').some((d) => d.metadata.labels?.[revLabel] === revision);
}

/**
 * The revision to inject for `pod` in a namespace with `nsLabels`, or undefined for no injection:
 * - namespace `istio-injection=enabled` → default revision unless the pod opts out;
 * - namespace `istio.io/rev=<rev>` (only when istio-injection is absent) → that revision unless the pod opts out;
 * - unlabelled namespace → pods labelled (or annotated) `sidecar.istio.io/inject: "true"`, or labelled `istio.io/rev`.
 */
export function injectionRevision(pod: KubeObject, nsLabels: Record<string, string>): string | undefined {
  const labels = pod.metadata.labels ?? {};
  const setting = labels[injectKey] ?? pod.metadata.annotations?.[injectKey];
  const optedOut = setting !== undefined && !truthy(setting);
  const nsInjection = nsLabels['istio-injection'];
  if (nsInjection !== undefined) return nsInjection === 'enabled' && !optedOut ? 'default' : undefined;
  if (nsLabels[revLabel]) return optedOut ? undefined : nsLabels[revLabel];
  if (optedOut) return undefined;
  if (labels[revLabel]) return labels[revLabel];
  return setting !== undefined && truthy(setting) ? 'default' : undefined;
}

/** Registers the injection mutator; pods created before a namespace was labelled stay as they are (CREATE only). */
export class SidecarInjector implements Controller {
  readonly name = 'sidecar-injector';
  private active = false;

  start(ctx: ControllerContext): void {
    const { store } = ctx.registry;
    this.active = true;
    ctx.registry.registerMutator((op, key, pod) => {
      if (!this.active || op !== 'CREATE' || key !== '/pods') return;
      const ns = pod.metadata.namespace!;
      if (ignoredNamespaces.includes(ns) || pod.spec?.hostNetwork) return;
      if (pod.metadata.annotations?.['sidecar.istio.io/status']) return;
      const nsLabels = store.get('/namespaces', undefined, ns)?.metadata.labels ?? {};
      const revision = injectionRevision(pod, nsLabels);
      if (!revision || !controlPlaneInstalled(store, revision)) return;
      const mesh = parseMeshConfig(store.get('/configmaps', 'istio-system', 'istio')?.data?.mesh).config;
      injectSidecar(pod, revision, { prometheusMerge: mesh.enablePrometheusMerge });
    });
  }

  stop(): void {
    this.active = false;
  }
}
