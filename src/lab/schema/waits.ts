// Waits: what the runner waits for after a step's actions before running checks, tagged by `kind`.
import { z } from 'zod';
import { Duration, Namespace, ObjectName, ObjectRef, Selector, TargetRef, acceptOneOrMany } from './common.js';

const timeout = { timeout: Duration.optional() };

/** Waits for deployments to finish rolling out. */
export const RolloutWait = z.strictObject({
  kind: z.literal('rollout'),
  deployment: acceptOneOrMany(ObjectName),
  namespace: Namespace.optional(),
  ...timeout,
}).meta({ id: 'RolloutWait' });

/** Waits for an object's status condition (e.g. Available=True). */
export const ConditionWait = z.strictObject({
  kind: z.literal('condition'),
  target: TargetRef,
  condition: z.string().min(1),
  status: z.enum(['True', 'False', 'Unknown']).default('True'),
  ...timeout,
}).meta({ id: 'ConditionWait' });

/** Waits until an object exists. */
export const ExistsWait = z.strictObject({ kind: z.literal('exists'), target: ObjectRef, ...timeout }).meta({ id: 'ExistsWait' });

/** Waits until an object is gone. */
export const AbsentWait = z.strictObject({ kind: z.literal('absent'), target: ObjectRef, ...timeout }).meta({ id: 'AbsentWait' });

/** Waits until pods matching a selector are ready (optionally a count, and containers per pod). */
export const PodsReadyWait = z.strictObject({
  kind: z.literal('pods-ready'),
  selector: Selector,
  namespace: Namespace.optional(),
  count: z.int().min(1).optional(),
  containers: z.int().min(1).optional().meta({ description: 'Containers per pod, e.g. 2 for app + sidecar.' }),
  ...timeout,
}).meta({ id: 'PodsReadyWait' });

/** Any wait, tagged by `kind`. */
export const Wait = z.discriminatedUnion('kind', [RolloutWait, ConditionWait, ExistsWait, AbsentWait, PodsReadyWait]).meta({ id: 'Wait' });
