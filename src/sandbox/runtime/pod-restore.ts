// Re-attaching to pods that were already running when the sandbox was restarted from persisted state:
// their recorded status is taken as the truth and their workloads are started again (logs start empty).
import type { KubeObject } from '../types.js';
import { startContainer, type ContainerStartDeps } from './container-start.js';
import { HOST_IP } from './pod-status.js';
import type { PodSandbox, RuntimeContainer } from './pod-sandbox.js';

/** Restores `sandbox` from `pod`'s status when its containers had started; false for a pod still to start. */
export function restoreSandbox(
  pod: KubeObject,
  sandbox: PodSandbox,
  deps: ContainerStartDeps,
  watchExit: (c: RuntimeContainer, exit: Promise<number> | undefined) => void,
): boolean {
  const statuses: any[] = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  if (!statuses.some((s) => s.state?.running || s.state?.terminated)) return false;
  const now = deps.clock.now().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const since = (type: string, status = 'True') => (pod.status?.conditions ?? []).find((c: any) => c.type === type && c.status === status)?.lastTransitionTime;
  const { times } = sandbox;
  times.admitted = pod.status?.startTime ?? times.admitted;
  times.started = since('PodReadyToStartContainers') ?? times.admitted;
  times.initialized = since('Initialized') ?? now;
  times.ready = since('Ready');
  if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') times.completed = since('Ready', 'False') ?? now;
  const running = { ...pod, status: { ...(pod.status ?? {}), podIP: sandbox.ip, podIPs: [{ ip: sandbox.ip }], hostIP: HOST_IP } };
  for (const c of sandbox.containers.values()) {
    const recorded = statuses.find((s) => s.name === c.spec.name);
    if (recorded?.containerID) c.containerID = recorded.containerID;
    const terminated = recorded?.state?.terminated;
    if (terminated || c.init || times.completed) {
      c.state = 'exited';
      c.exitCode = terminated?.exitCode ?? 0;
      c.startedAt = terminated?.startedAt ?? times.started;
      c.finishedAt = terminated?.finishedAt ?? now;
      c.log.end();
      continue;
    }
    const exit = startContainer(sandbox, running, c, { ...deps, onEmulatedImage: () => undefined });
    c.startedAt = recorded?.state?.running?.startedAt ?? c.startedAt;
    watchExit(c, exit);
  }
  return true;
}
