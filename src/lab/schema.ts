// The lab format's single source of truth: zod schemas and the types inferred from them.
// The JSON Schema in schema/lab.schema.json is generated from `Lab` (scripts/gen-schema.ts).
import type { z } from 'zod';
import type * as A from './schema/actions.js';
import type * as C from './schema/checks.js';
import type * as CC from './schema/checks-cluster.js';
import type * as CT from './schema/checks-traffic.js';
import type * as L from './schema/lab.js';
import type * as R from './schema/request.js';
import type * as W from './schema/waits.js';

export { Lab as LabSchema, LabRef as LabRefSchema, Step as StepSchema } from './schema/lab.js';
export { Action as ActionSchema, ApplyAction as ApplyActionSchema, DeleteAction as DeleteActionSchema } from './schema/actions.js';
export { LabelAction as LabelActionSchema, PatchAction as PatchActionSchema } from './schema/actions.js';
export { RestartAction as RestartActionSchema, ScaleAction as ScaleActionSchema } from './schema/actions.js';
export { Wait as WaitSchema } from './schema/waits.js';
export { Check as CheckSchema } from './schema/checks.js';
export { Eventually as EventuallySchema, From as FromSchema } from './schema/request.js';
export { Duration as DurationSchema } from './schema/common.js';

/** A parsed lab (defaults filled in). */
export type Lab = z.infer<typeof L.Lab>;
/** A lab as written in YAML (before defaults). */
export type LabInput = z.input<typeof L.Lab>;
/** One step of a lab. */
export type Step = z.infer<typeof L.Step>;

/** Any action. */
export type Action = z.infer<typeof A.Action>;
/** Applies manifests. */
export type ApplyAction = z.infer<typeof A.ApplyAction>;
/** Deletes manifests' objects or one object. */
export type DeleteAction = z.infer<typeof A.DeleteAction>;
/** An istioctl-install action. */
export type IstioctlInstallAction = z.infer<typeof A.IstioctlInstallAction>;
/** Sets or removes labels. */
export type LabelAction = z.infer<typeof A.LabelAction>;
/** Scales a deployment. */
export type ScaleAction = z.infer<typeof A.ScaleAction>;
/** Restarts deployments. */
export type RestartAction = z.infer<typeof A.RestartAction>;
/** Patches an object. */
export type PatchAction = z.infer<typeof A.PatchAction>;

/** Any wait. */
export type Wait = z.infer<typeof W.Wait>;
/** Waits for deployments to roll out. */
export type RolloutWait = z.infer<typeof W.RolloutWait>;
/** Waits for a status condition. */
export type ConditionWait = z.infer<typeof W.ConditionWait>;
/** Waits until an object exists. */
export type ExistsWait = z.infer<typeof W.ExistsWait>;
/** Waits until an object is gone. */
export type AbsentWait = z.infer<typeof W.AbsentWait>;
/** Waits for ready pods. */
export type PodsReadyWait = z.infer<typeof W.PodsReadyWait>;

/** Any check (probe). */
export type Check = z.infer<typeof C.Check>;
/** Checks objects exist and match. */
export type ResourceCheck = z.infer<typeof CC.ResourceCheck>;
/** Checks an object is absent. */
export type AbsentCheck = z.infer<typeof CC.AbsentCheck>;
/** Checks pods and their containers. */
export type PodsCheck = z.infer<typeof CC.PodsCheck>;
/** Checks logs. */
export type LogsCheck = z.infer<typeof CC.LogsCheck>;
/** Checks a Prometheus query. */
export type MetricsCheck = z.infer<typeof CC.MetricsCheck>;
/** Checks Envoy counters. */
export type EnvoyStatsCheck = z.infer<typeof CC.EnvoyStatsCheck>;
/** Runs istioctl / kubectl. */
export type CommandCheck = z.infer<typeof CC.CommandCheck>;
/** One request, one response. */
export type HttpCheck = z.infer<typeof CT.HttpCheck>;
/** A traffic split across buckets. */
export type TrafficCheck = z.infer<typeof CT.TrafficCheck>;
/** Request latency. */
export type LatencyCheck = z.infer<typeof CT.LatencyCheck>;
/** Concurrent load (fortio-style). */
export type LoadCheck = z.infer<typeof CT.LoadCheck>;
/** How traffic responses are bucketed. */
export type Classify = z.infer<typeof CT.Classify>;

/** Where requests come from. */
export type From = z.infer<typeof R.From>;
/** A workload reference (pods by selector or a deployment). */
export type WorkloadRef = z.infer<typeof R.WorkloadRef>;
/** Retry policy of a check. */
export type Eventually = z.infer<typeof R.Eventually>;

/** The `kind` of each action, wait and check (for exhaustive maps). */
export type ActionKind = Action['kind'];
/** Wait kinds. */
export type WaitKind = Wait['kind'];
/** Check kinds. */
export type CheckKind = Check['kind'];
