// Pod status as the kubelet reports it, derived from the sandbox's state: phase, conditions in the
// kubelet's order, container statuses (waiting / running / terminated), addresses and QoS class.
import { createHash } from 'node:crypto';
import type { KubeObject } from '../types.js';
import { normalizeImage } from '../workloads/index.js';
import type { PodSandbox, RuntimeContainer } from './pod-sandbox.js';

/** The node's address, reported as status.hostIP. */
export const HOST_IP = '127.0.0.1';

/** The status the kubelet writes for `pod` given what its sandbox is doing. */
export function buildPodStatus(pod: KubeObject, sandbox: PodSandbox): Record<string, any> {
  const { times } = sandbox;
  const inits = [...sandbox.containers.values()].filter((c) => c.init);
  const apps = [...sandbox.containers.values()].filter((c) => !c.init);
  const completed = times.completed !== undefined;
  const ready = times.ready !== undefined && !completed;
  const notInitialized = inits.filter((c) => c.state !== 'exited').map((c) => c.spec.name);
  const unready = apps.filter((c) => !(ready && c.state === 'running')).map((c) => c.spec.name);
  const status: Record<string, any> = {
    phase: phaseOf(sandbox, apps),
    conditions: [
      condition('PodReadyToStartContainers', times.started !== undefined && !completed, completed ? times.completed! : (times.started ?? times.admitted)),
      times.initialized
        ? condition('Initialized', true, times.initialized)
        : condition('Initialized', false, times.admitted, 'ContainersNotInitialized', `containers with incomplete status: [${notInitialized.join(' ')}]`),
      readyCondition('Ready', ready, times, unready),
      readyCondition('ContainersReady', ready, times, unready),
      scheduledCondition(pod, times.admitted),
    ],
    hostIP: HOST_IP,
    hostIPs: [{ ip: HOST_IP }],
  };
  if (times.started) Object.assign(status, { podIP: sandbox.ip, podIPs: [{ ip: sandbox.ip }] });
  status.startTime = times.admitted;
  if (inits.length) status.initContainerStatuses = inits.map((c) => containerStatus(c, false, 'PodInitializing'));
  status.containerStatuses = apps.map((c) => containerStatus(c, ready, inits.length ? 'PodInitializing' : 'ContainerCreating'));
  status.qosClass = qosClass(pod);
  return status;
}

/** Pending until containers start; Succeeded/Failed once every app container has exited. */
function phaseOf(sandbox: PodSandbox, apps: RuntimeContainer[]): string {
  if (sandbox.times.completed) return apps.every((c) => c.exitCode === 0) ? 'Succeeded' : 'Failed';
  return apps.some((c) => c.state !== 'waiting') ? 'Running' : 'Pending';
}

function condition(type: string, ok: boolean, since: string, reason?: string, message?: string): Record<string, any> {
  return { type, status: ok ? 'True' : 'False', lastProbeTime: null, lastTransitionTime: since, ...(reason ? { reason } : {}), ...(message ? { message } : {}) };
}

function readyCondition(type: string, ready: boolean, times: PodSandbox['times'], unready: string[]): Record<string, any> {
  if (ready) return condition(type, true, times.ready!);
  if (times.completed) return condition(type, false, times.completed, 'PodCompleted');
  return condition(type, false, times.admitted, 'ContainersNotReady', `containers with unready status: [${unready.join(' ')}]`);
}

/** The scheduler's condition, kept as it was written (or synthesised for pods bound by name). */
function scheduledCondition(pod: KubeObject, fallback: string): Record<string, any> {
  const existing = (pod.status?.conditions ?? []).find((c: any) => c.type === 'PodScheduled');
  return existing ?? condition('PodScheduled', true, fallback);
}

/** containerStatuses[] entry: waiting (with `waitingReason`), running or terminated. */
function containerStatus(c: RuntimeContainer, podReady: boolean, waitingReason: string): Record<string, any> {
  const image = normalizeImage(c.spec.image ?? '');
  const base = { name: c.spec.name, image, imageID: '', lastState: {}, restartCount: 0 };
  if (c.state === 'waiting') return { ...base, ready: false, started: false, state: { waiting: { reason: waitingReason } } };
  const started = { ...base, imageID: imageId(image), containerID: c.containerID };
  if (c.state === 'running') return { ...started, ready: podReady && !c.init, started: true, state: { running: { startedAt: c.startedAt } } };
  const terminated = { containerID: c.containerID, exitCode: c.exitCode ?? 0, reason: c.exitCode ? 'Error' : 'Completed', startedAt: c.startedAt, finishedAt: c.finishedAt };
  // A completed init container reports ready: true, as the kubelet's status manager sets it.
  return { ...started, ready: c.init && c.exitCode === 0, started: false, state: { terminated } };
}

/** A stable image digest (`docker.io/library/nginx@sha256:…`) derived from the reference. */
export function imageId(normalized: string): string {
  const repo = normalized.replace(/@.*$/, '').replace(/:[^/:]+$/, '');
  return `${repo}@sha256:${createHash('sha256').update(normalized).digest('hex')}`;
}

/** BestEffort without requests/limits, Guaranteed when every container's limits equal its requests, else Burstable. */
export function qosClass(pod: KubeObject): string {
  const containers: any[] = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  const resources = containers.map((c) => c.resources ?? {});
  if (resources.every((r) => !Object.keys(r.requests ?? {}).length && !Object.keys(r.limits ?? {}).length)) return 'BestEffort';
  const guaranteed = resources.every((r) => {
    const limits = r.limits ?? {};
    const requests = { ...limits, ...(r.requests ?? {}) };
    return ['cpu', 'memory'].every((k) => limits[k] !== undefined && String(limits[k]) === String(requests[k]));
  });
  return guaranteed ? 'Guaranteed' : 'Burstable';
}
