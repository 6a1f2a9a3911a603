// Service → core/v1 Endpoints: ready and not-ready pod addresses grouped into subsets by resolved ports.
import type { ObjectStore, StoreEvent } from '../store/object-store.js';
import type { KubeObject } from '../types.js';
import { QueueController } from './queue-controller.js';
import { controllerManager, ignoreGone, refKey, sameJson, splitKey, typeForKey } from './object-helpers.js';
import { addressFields, backendsOf, endpointLabels, groupByPorts, selectsPods, servicesAffectedBy } from './service-backends.js';

/** Keeps an Endpoints object per selector Service in step with its pods. */
export class EndpointsController extends QueueController {
  readonly name = 'endpoint-controller';

  protected keysFor(event: StoreEvent): string[] {
    if (event.key === '/endpoints' && event.type === 'DELETED') return [refKey(event.object)];
    return servicesAffectedBy(this.ctx.registry.store, event);
  }

  protected initialKeys(): string[] {
    return this.ctx.registry.store.list('/services').map(refKey);
  }

  protected reconcile(key: string): void {
    const { registry } = this.ctx;
    const [ns, name] = splitKey(key);
    const rt = typeForKey(registry, '/endpoints');
    const svc = registry.find(typeForKey(registry, '/services'), ns, name);
    const existing = registry.find(rt, ns, name);
    if (!svc) {
      if (existing && existing.metadata.labels?.['endpointslice.kubernetes.io/skip-mirror'] !== 'true') ignoreGone(() => registry.delete(rt, ns, name));
      return;
    }
    if (!selectsPods(svc)) return;
    const subsets = groupSubsets(registry.store, svc);
    const labels = endpointLabels(svc);
    if (existing && sameJson(existing.subsets ?? [], subsets) && sameJson(existing.metadata.labels ?? {}, labels)) return;
    const annotations = { ...(existing?.metadata.annotations ?? {}), 'endpoints.kubernetes.io/last-change-trigger-time': registry.now() };
    const body: KubeObject = {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { ...(existing?.metadata ?? { name, namespace: ns }), labels, annotations },
      ...(subsets.length ? { subsets } : {}),
    };
    if (existing) ignoreGone(() => registry.update(rt, ns, name, body, { fieldManager: controllerManager }));
    else registry.create(rt, ns, body, { fieldManager: controllerManager });
  }
}

function groupSubsets(store: ObjectStore, svc: KubeObject): any[] {
  const subsets: any[] = [];
  for (const [, group] of groupByPorts(backendsOf(store, svc, false))) {
    const subset: any = {};
    const ready = group.filter((b) => b.ready).map((b) => ({ ip: b.ip, ...addressFields(b, svc) }));
    const notReady = group.filter((b) => !b.ready).map((b) => ({ ip: b.ip, ...addressFields(b, svc) }));
    if (ready.length) subset.addresses = ready;
    if (notReady.length) subset.notReadyAddresses = notReady;
    if (group[0].ports.length) subset.ports = group[0].ports;
    subsets.push(subset);
  }
  return subsets;
}
