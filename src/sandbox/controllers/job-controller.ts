// Job → Pods until enough succeed (Complete) or too many fail (Failed, with the real 10s→6m backoff);
// whether a pod succeeds is the kubelet emulation's call.
import type { StoreEvent } from '../store/object-store.js';
import type { KubeObject } from '../types.js';
import { QueueController } from './queue-controller.js';
import { controllerOf, ignoreGone, isControlledBy, isPodActive, isPodReady, refKey, setCondition, splitKey, typeForKey, writeStatus, type Condition } from './object-helpers.js';
import { createPod, podFromTemplate } from './pod-template.js';

const component = 'job-controller';
const backoffBaseMs = 10_000;
const backoffMaxMs = 360_000;

const finishedAt = (pod: KubeObject) =>
  Math.max(
    Date.parse(pod.metadata.creationTimestamp ?? '') || 0,
    ...(pod.status?.containerStatuses ?? []).map((s: any) => Date.parse(s.state?.terminated?.finishedAt ?? '') || 0),
  );

/** Runs Jobs to completion and reports their status and conditions. */
export class JobController extends QueueController {
  readonly name = component;

  protected keysFor(event: StoreEvent): string[] {
    if (event.key === 'batch/jobs') return [refKey(event.object)];
    if (event.key !== '/pods') return [];
    const owner = controllerOf(event.object);
    return owner?.kind === 'Job' ? [`${event.object.metadata.namespace}/${owner.name}`] : [];
  }

  protected initialKeys(): string[] {
    return this.ctx.registry.store.list('batch/jobs').map(refKey);
  }

  protected reconcile(key: string): void {
    const { registry, events, clock } = this.ctx;
    const [ns, name] = splitKey(key);
    const job = registry.find(typeForKey(registry, 'batch/jobs'), ns, name);
    if (!job || job.metadata.deletionTimestamp) return;
    const now = registry.now();
    const nowMs = clock.now().getTime();
    const status = { ...(job.status ?? {}) };
    let conditions: Condition[] = status.conditions ?? [];
    const finished = conditions.some((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
    const pods = registry.store.list('/pods', ns).filter((p) => isControlledBy(p, job.metadata.uid));
    const active = pods.filter(isPodActive);
    const succeeded = pods.filter((p) => p.status?.phase === 'Succeeded').length;
    const failedPods = pods.filter((p) => p.status?.phase === 'Failed');
    const completions: number | undefined = job.spec?.completions ?? undefined;
    const parallelism = job.spec?.parallelism ?? 1;
    const stopAll = () => active.forEach((p) => this.deletePod(job, p));
    if (!finished && job.spec?.suspend) {
      stopAll();
      conditions = setCondition(conditions, { type: 'Suspended', status: 'True', reason: 'JobSuspended', message: 'Job suspended', lastProbeTime: now }, now);
    } else if (!finished) {
      status.startTime ??= now;
      conditions = conditions.filter((c) => c.type !== 'Suspended');
      const deadline = job.spec?.activeDeadlineSeconds;
      const elapsed = nowMs - Date.parse(status.startTime);
      const complete = completions !== undefined ? succeeded >= completions : succeeded >= 1 && active.length === 0;
      if (failedPods.length > (job.spec?.backoffLimit ?? 6)) {
        stopAll();
        conditions = this.fail(job, conditions, now, 'BackoffLimitExceeded', 'Job has reached the specified backoff limit');
      } else if (deadline !== undefined && elapsed >= deadline * 1000) {
        stopAll();
        conditions = this.fail(job, conditions, now, 'DeadlineExceeded', 'Job was active longer than specified deadline');
      } else if (complete) {
        stopAll();
        conditions = setCondition(conditions, { type: 'Complete', status: 'True', lastProbeTime: now }, now);
        status.completionTime = now;
        events.record(job, 'Normal', 'Completed', 'Job completed', component);
      } else {
        if (deadline !== undefined) this.queue.addAfter(key, deadline * 1000 - elapsed + 5);
        this.startPods(job, key, active.length, succeeded, failedPods, completions, parallelism, nowMs);
      }
    }
    const fresh = registry.store.list('/pods', ns).filter((p) => isControlledBy(p, job.metadata.uid));
    const running = fresh.filter(isPodActive);
    const next: Record<string, unknown> = {
      ...status,
      conditions: conditions.length ? conditions : undefined,
      active: running.length || undefined,
      succeeded: fresh.filter((p) => p.status?.phase === 'Succeeded').length || undefined,
      failed: fresh.filter((p) => p.status?.phase === 'Failed').length || undefined,
      ready: running.filter(isPodReady).length,
      terminating: fresh.filter((p) => p.metadata.deletionTimestamp).length,
      uncountedTerminatedPods: {},
    };
    for (const k of Object.keys(next)) if (next[k] === undefined) delete next[k];
    writeStatus(registry, 'batch/jobs', job, next);
  }

  private fail(job: KubeObject, conditions: Condition[], now: string, reason: string, message: string): Condition[] {
    this.ctx.events.record(job, 'Warning', reason, message, component);
    return setCondition(conditions, { type: 'Failed', status: 'True', reason, message, lastProbeTime: now }, now);
  }

  private startPods(job: KubeObject, key: string, active: number, succeeded: number, failed: KubeObject[], completions: number | undefined, parallelism: number, nowMs: number): void {
    const want = completions === undefined ? (succeeded > 0 ? 0 : parallelism - active) : Math.min(parallelism, completions - succeeded) - active;
    if (want <= 0) return;
    if (failed.length) {
      const delay = Math.min(backoffBaseMs * 2 ** (failed.length - 1), backoffMaxMs);
      const wait = Math.max(...failed.map(finishedAt)) + delay - nowMs;
      if (wait > 0) return this.queue.addAfter(key, wait + 5);
    }
    for (let i = 0; i < want; i++) {
      const pod = createPod(this.ctx.registry, podFromTemplate(job), component);
      this.ctx.events.record(job, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`, component);
    }
  }

  private deletePod(job: KubeObject, pod: KubeObject): void {
    const { registry, events } = this.ctx;
    ignoreGone(() => {
      registry.delete(typeForKey(registry, '/pods'), pod.metadata.namespace, pod.metadata.name!);
      events.record(job, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`, component);
    });
  }
}
