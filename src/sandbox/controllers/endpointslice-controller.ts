// Service → discovery.k8s.io/v1 EndpointSlices: one slice per distinct port set, endpoints with
// ready/serving/terminating conditions, owned by the Service (so the garbage collector removes them).
import type { StoreEvent } from '../store/object-store.js';
import type { KubeObject } from '../types.js';
import { QueueController } from './queue-controller.js';
import { controllerManager, controllerRef, ignoreGone, isControlledBy, refKey, sameJson, splitKey, typeForKey } from './object-helpers.js';
import { addressFields, backendsOf, endpointLabels, groupByPorts, selectsPods, servicesAffectedBy, type Backend } from './service-backends.js';

const sliceKey = 'discovery.k8s.io/endpointslices';
const managedBy = 'endpointslice-controller.k8s.io';
const serviceNameLabel = 'kubernetes.io/service-name';

function endpointOf(b: Backend, svc: KubeObject): Record<string, unknown> {
  return { addresses: [b.ip], conditions: { ready: b.ready, serving: b.serving, terminating: b.terminating }, ...addressFields(b, svc) };
}

/** Keeps the EndpointSlices of each selector Service in step with its pods. */
export class EndpointSliceController extends QueueController {
  readonly name = 'endpointslice-controller';

  protected keysFor(event: StoreEvent): string[] {
    if (event.key === sliceKey) {
      const svc = event.object.metadata.labels?.[serviceNameLabel];
      const managed = event.object.metadata.labels?.['endpointslice.kubernetes.io/managed-by'] === managedBy;
      return svc && managed ? [`${event.object.metadata.namespace}/${svc}`] : [];
    }
    return servicesAffectedBy(this.ctx.registry.store, event);
  }

  protected initialKeys(): string[] {
    return this.ctx.registry.store.list('/services').map(refKey);
  }

  protected reconcile(key: string): void {
    const { registry } = this.ctx;
    const [ns, name] = splitKey(key);
    const svc = registry.find(typeForKey(registry, '/services'), ns, name);
    if (!svc || svc.metadata.deletionTimestamp || !selectsPods(svc)) return;
    const rt = typeForKey(registry, sliceKey);
    const existing = registry
      .list(rt, ns)
      .filter((s) => s.metadata.labels?.[serviceNameLabel] === name && isControlledBy(s, svc.metadata.uid));
    const groups = [...groupByPorts(backendsOf(registry.store, svc, true)).values()];
    const wanted = groups.length ? groups.map((g) => ({ ports: g[0].ports, endpoints: g.map((b) => endpointOf(b, svc)) })) : [{ ports: undefined, endpoints: [] }];
    const labels = { ...endpointLabels(svc), [serviceNameLabel]: name, 'endpointslice.kubernetes.io/managed-by': managedBy };
    const unused = [...existing];
    for (const want of wanted) {
      const i = unused.findIndex((s) => sameJson(s.ports ?? null, want.ports ?? null));
      const current = i >= 0 ? unused.splice(i, 1)[0] : undefined;
      if (current && sameJson(current.endpoints ?? [], want.endpoints) && sameJson(current.metadata.labels ?? {}, labels)) continue;
      const body: KubeObject = {
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: {
          ...(current?.metadata ?? { generateName: `${name}-`, namespace: ns, ownerReferences: [controllerRef(svc)] }),
          labels,
          annotations: { ...(current?.metadata.annotations ?? {}), 'endpoints.kubernetes.io/last-change-trigger-time': registry.now() },
        },
        addressType: 'IPv4',
        endpoints: want.endpoints,
        ...(want.ports ? { ports: want.ports } : {}),
      };
      if (current) ignoreGone(() => registry.update(rt, ns, current.metadata.name!, body, { fieldManager: controllerManager }));
      else registry.create(rt, ns, body, { fieldManager: controllerManager });
    }
    for (const s of unused) ignoreGone(() => registry.delete(rt, ns, s.metadata.name!));
  }
}
