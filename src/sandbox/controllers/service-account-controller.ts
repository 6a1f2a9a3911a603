// The `default` ServiceAccount in every active namespace, recreated if deleted.
import type { StoreEvent } from '../store/object-store.js';
import { QueueController } from './queue-controller.js';
import { controllerManager, ignoreGone, typeForKey } from './object-helpers.js';

/** Ensures each namespace has a `default` ServiceAccount. */
export class ServiceAccountController extends QueueController {
  readonly name = 'serviceaccount-controller';

  protected keysFor(event: StoreEvent): string[] {
    if (event.key === '/namespaces' && event.type !== 'DELETED') return [event.object.metadata.name!];
    if (event.key === '/serviceaccounts' && event.type === 'DELETED' && event.object.metadata.name === 'default') return [event.object.metadata.namespace!];
    return [];
  }

  protected initialKeys(): string[] {
    return this.ctx.registry.store.list('/namespaces').map((ns) => ns.metadata.name!);
  }

  protected reconcile(namespace: string): void {
    const { registry } = this.ctx;
    const ns = registry.store.get('/namespaces', undefined, namespace);
    if (!ns || ns.metadata.deletionTimestamp) return;
    const rt = typeForKey(registry, '/serviceaccounts');
    if (registry.find(rt, namespace, 'default')) return;
    ignoreGone(() => registry.create(rt, namespace, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace } }, { fieldManager: controllerManager }));
  }
}
