// Deployment status and conditions exactly as `kubectl rollout status` reads them
// (calculateStatus + syncRolloutStatus of the real deployment controller).
import type { KubeObject } from '../types.js';
import { maxUnavailable } from './deployment-rollout.js';
import { omitZero, type Condition } from './object-helpers.js';

/** What the status computation needs to know about one reconcile. */
export interface DeploymentStatusInput {
  d: KubeObject;
  newRS: KubeObject | undefined;
  all: KubeObject[];
  now: Date;
  /** Name of a ReplicaSet created in this reconcile. */
  createdName?: string;
}

/** Computed status, and when to look again for a progress-deadline timeout. */
export interface DeploymentStatusResult {
  status: Record<string, unknown>;
  requeueAfterMs?: number;
}

const rfc3339 = (t: Date) => t.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** SetDeploymentCondition: no-op for the same status and reason; keeps lastTransitionTime for the same status. */
function setCondition(list: Condition[], next: Pick<Condition, 'type' | 'status' | 'reason' | 'message'>, now: string, force = false): Condition[] {
  const i = list.findIndex((c) => c.type === next.type);
  const prev = i >= 0 ? list[i] : undefined;
  if (!force && prev && prev.status === next.status && prev.reason === next.reason) return list;
  const cond: Condition = { ...next, lastUpdateTime: now, lastTransitionTime: prev && prev.status === next.status ? prev.lastTransitionTime : now };
  const out = [...list];
  if (i >= 0) out[i] = cond;
  else out.push(cond);
  return out;
}

const sum = (list: KubeObject[], f: (rs: KubeObject) => number | undefined) => list.reduce((n, rs) => n + (f(rs) ?? 0), 0);

/** The Deployment's next status. */
export function deploymentStatus({ d, newRS, all, now, createdName }: DeploymentStatusInput): DeploymentStatusResult {
  const desired = d.spec?.replicas ?? 1;
  const stamp = rfc3339(now);
  const old = d.status ?? {};
  const available = sum(all, (rs) => rs.status?.availableReplicas);
  const counts = {
    observedGeneration: d.metadata.generation ?? 1,
    replicas: sum(all, (rs) => rs.status?.replicas),
    updatedReplicas: newRS?.status?.replicas ?? 0,
    readyReplicas: sum(all, (rs) => rs.status?.readyReplicas),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, sum(all, (rs) => rs.spec?.replicas) - available),
  };
  let conditions: Condition[] = [...(old.conditions ?? [])];
  conditions = available >= desired - maxUnavailable(d)
    ? setCondition(conditions, { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' }, stamp)
    : setCondition(conditions, { type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' }, stamp);
  const progressing = () => conditions.find((c) => c.type === 'Progressing');
  const prog = progressing();
  if (d.spec?.paused && prog?.reason !== 'ProgressDeadlineExceeded') {
    conditions = setCondition(conditions, { type: 'Progressing', status: 'Unknown', reason: 'DeploymentPaused', message: 'Deployment is paused' }, stamp);
  } else if (!d.spec?.paused && prog?.reason === 'DeploymentPaused') {
    conditions = setCondition(conditions, { type: 'Progressing', status: 'Unknown', reason: 'DeploymentResumed', message: 'Deployment is resumed' }, stamp);
  }
  if (createdName) {
    conditions = setCondition(conditions, { type: 'Progressing', status: 'True', reason: 'NewReplicaSetCreated', message: `Created new replica set "${createdName}"` }, stamp);
  } else if (newRS && !progressing()) {
    conditions = setCondition(conditions, { type: 'Progressing', status: 'True', reason: 'FoundNewReplicaSet', message: `Found new replica set "${newRS.metadata.name}"` }, stamp);
  }
  let requeueAfterMs: number | undefined;
  const current = progressing();
  const complete = counts.updatedReplicas === desired && counts.replicas === desired && available === desired && counts.observedGeneration >= (d.metadata.generation ?? 1);
  const alreadyComplete = counts.replicas === counts.updatedReplicas && current?.reason === 'NewReplicaSetAvailable';
  if (!d.spec?.paused && newRS && !alreadyComplete) {
    const name = newRS.metadata.name;
    const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
    const moved =
      counts.updatedReplicas > (old.updatedReplicas ?? 0) ||
      counts.replicas - counts.updatedReplicas < oldOld ||
      counts.readyReplicas > (old.readyReplicas ?? 0) ||
      available > (old.availableReplicas ?? 0);
    const deadlineMs = (d.spec?.progressDeadlineSeconds ?? 600) * 1000;
    const since = Date.parse(current?.lastUpdateTime ?? '') || now.getTime();
    if (complete) {
      conditions = setCondition(conditions, { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${name}" has successfully progressed.` }, stamp);
    } else if (moved) {
      conditions = setCondition(conditions, { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', message: `ReplicaSet "${name}" is progressing.` }, stamp, true);
      requeueAfterMs = deadlineMs;
    } else if (current && current.reason !== 'ProgressDeadlineExceeded' && since + deadlineMs <= now.getTime()) {
      conditions = setCondition(conditions, { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: `ReplicaSet "${name}" has timed out progressing.` }, stamp);
    } else if (current?.status === 'True') requeueAfterMs = Math.max(1, since + deadlineMs - now.getTime());
  }
  const failure = all.map((rs) => (rs.status?.conditions ?? []).find((c: any) => c.type === 'ReplicaFailure' && c.status === 'True')).find(Boolean);
  conditions = failure
    ? setCondition(conditions, { type: 'ReplicaFailure', status: 'True', reason: failure.reason, message: failure.message }, stamp)
    : conditions.filter((c) => c.type !== 'ReplicaFailure');
  const status: Record<string, unknown> = { ...omitZero(counts), conditions };
  if (old.collisionCount) status.collisionCount = old.collisionCount;
  return { status, requeueAfterMs };
}
