// Starting one container: pick its workload model by image, resolve its environment and files,
// create the workload and call its start hook.
import type { KubeObject } from '../types.js';
import { resolveWorkloadModel, workloadModels, type ContainerSpec, type WorkloadModel } from '../workloads/index.js';
import type { ContainerCluster } from '../workloads/model.js';
import type { Clock, Random } from './determinism.js';
import { resolveContainerEnv, type ObjectLookup } from './container-env.js';
import { kubeletManagedFiles } from './container-files.js';
import type { PodSandbox, RuntimeContainer } from './pod-sandbox.js';
import type { PodNetwork } from '../mesh/types.js';

/** What starting a container needs from the kubelet. */
export interface ContainerStartDeps {
  clock: Clock;
  random: Random;
  lookup: ObjectLookup;
  /** Defaults to the registered `workloadModels`. */
  models?: Record<string, WorkloadModel>;
  /** Called when no model matches the image and the default stand-in runs in its place. */
  onEmulatedImage(spec: ContainerSpec): void;
  /** How the pod sends traffic. */
  network: PodNetwork;
  /** The API view handed to models of Kubernetes-client images, for this pod. */
  cluster?: (pod: KubeObject) => ContainerCluster;
}

/** Starts `container` in `sandbox` for `pod` (status.podIP set); returns the exit code promise of a job, else undefined. */
export function startContainer(sandbox: PodSandbox, pod: KubeObject, container: RuntimeContainer, deps: ContainerStartDeps): Promise<number> | undefined {
  const { spec } = container;
  const { model, modelled } = resolveWorkloadModel(spec.image ?? '', deps.models ?? workloadModels);
  if (!modelled) deps.onEmulatedImage(spec);
  container.env = resolveContainerEnv(pod, spec, deps.lookup);
  const workload = model.create({
    pod,
    container: spec,
    init: container.init,
    env: container.env,
    clock: deps.clock,
    random: deps.random,
    log: (line) => container.log.append(line),
    signal: container.abort.signal,
    network: deps.network,
    ...(deps.cluster ? { cluster: deps.cluster(pod) } : {}),
  });
  container.files = { ...kubeletManagedFiles(pod, sandbox.ip), ...(workload.files ?? {}) };
  container.workload = workload;
  container.pod = pod;
  container.state = 'running';
  container.startedAt = deps.clock.now().toISOString().replace(/\.\d{3}Z$/, 'Z');
  let started: void | Promise<number>;
  try {
    started = workload.start?.();
  } catch (error) {
    started = Promise.reject(error);
  }
  if (!started || typeof (started as Promise<number>).then !== 'function') return undefined;
  return (started as Promise<number>).then(
    (code) => (Number.isInteger(code) ? code : 0),
    (error: unknown) => {
      container.log.append(error instanceof Error ? (error.stack ?? error.message) : String(error));
      return 1;
    },
  );
}
