// The sandbox's control plane: API defaulting hooks, admission (sidecar injection), bootstrap objects,
// and the reconcilers that turn workloads into pods, services into endpoints, and clean up after deletes.
import type { Controller } from './controller.js';
import { ApiDefaultsController } from './hooks/index.js';
import { SidecarInjector } from './sidecar-injector.js';
import { CrdController } from './crd-controller.js';
import { BootstrapController } from './bootstrap.js';
import { ServiceAccountController } from './service-account-controller.js';
import { NamespaceController } from './namespace-controller.js';
import { GarbageCollector } from './garbage-collector.js';
import { SchedulerController } from './scheduler.js';
import { DeploymentController } from './deployment-controller.js';
import { ReplicaSetController } from './replicaset-controller.js';
import { StatefulSetController } from './statefulset-controller.js';
import { DaemonSetController } from './daemonset-controller.js';
import { JobController } from './job-controller.js';
import { EndpointsController } from './endpoints-controller.js';
import { EndpointSliceController } from './endpointslice-controller.js';

/** The Event recorder handed to every controller (see cluster.ts). */
export { createEventRecorder } from './event-recorder.js';

/** Every controller, in start order: hooks and admission before bootstrap, so bootstrap objects are defaulted too. */
export function createControllers(): Controller[] {
  return [
    new ApiDefaultsController(),
    new SidecarInjector(),
    new CrdController(),
    new BootstrapController(),
    new ServiceAccountController(),
    new NamespaceController(),
    new GarbageCollector(),
    new SchedulerController(),
    new DeploymentController(),
    new ReplicaSetController(),
    new StatefulSetController(),
    new DaemonSetController(),
    new JobController(),
    new EndpointsController(),
    new EndpointSliceController(),
  ];
}
