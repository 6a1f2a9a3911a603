// Checks that observe the cluster rather than send traffic: resources, pods, logs,
// Prometheus metrics, Envoy stats and read-only commands.
import { z } from 'zod';
import { ApiVersion, Comparison, Count, Duration, KubeKind, Namespace, ObjectName, ObjectRef, Regex, Selector, acceptOneOrMany, requireExactlyOne } from './common.js';
import { checkBaseFields } from './request.js';
import { readOnlyProblem } from './read-only-commands.js';

/** An object (by name) or a set of objects (by selector) of one kind. */
export const ResourceTarget = z.strictObject({
  apiVersion: ApiVersion,
  kind: KubeKind,
  name: ObjectName.optional(),
  namespace: Namespace.optional(),
  selector: Selector.optional(),
});

/** Checks that objects exist and match a partial object; optionally how many. */
export const ResourceCheck = z.strictObject({
  kind: z.literal('resource'),
  ...checkBaseFields,
  target: ResourceTarget,
  match: z.record(z.string(), z.unknown()).optional().meta({ description: 'Partial object every matched object must contain.' }),
  count: Count.optional(),
}).meta({ id: 'ResourceCheck' });

/** Checks that an object does not exist. */
export const AbsentCheck = z.strictObject({ kind: z.literal('absent'), ...checkBaseFields, target: ObjectRef }).meta({ id: 'AbsentCheck' });

/** Checks pods: how many are ready, which containers they run (e.g. istio-proxy). */
export const PodsCheck = z.strictObject({
  kind: z.literal('pods'),
  ...checkBaseFields,
  selector: Selector,
  namespace: Namespace.optional(),
  ready: Count.optional().meta({ description: 'Number of ready pods expected.' }),
  containers: z.array(ObjectName).min(1).optional().meta({ description: 'Container names every pod must have, e.g. ["istio-proxy"].' }),
  readyContainers: z.int().min(1).optional().meta({ description: 'Ready containers per pod, e.g. 2 for app + sidecar.' }),
}).meta({ id: 'PodsCheck' });

const workloadFields = {
  pod: Selector.optional(),
  deployment: ObjectName.optional(),
  namespace: Namespace.optional(),
};

/** Checks a workload's logs for text, absence of text, or a count of matching lines. */
export const LogsCheck = z
  .strictObject({
    kind: z.literal('logs'),
    ...checkBaseFields,
    ...workloadFields,
    container: ObjectName.optional(),
    since: Duration.optional(),
    contains: acceptOneOrMany(z.string().min(1)).optional(),
    notContains: acceptOneOrMany(z.string().min(1)).optional(),
    count: z.strictObject({ pattern: Regex, min: Count.optional(), max: Count.optional() }).optional(),
  })
  .superRefine((l, ctx) => {
    requireExactlyOne(l, ['pod', 'deployment'], ctx);
    if (l.contains === undefined && l.notContains === undefined && l.count === undefined) {
      ctx.addIssue({ code: 'custom', message: 'give at least one of contains, notContains, count' });
    }
  })
  .meta({ id: 'LogsCheck' });

/** Queries Prometheus and compares the value, or its increase since the step started. */
export const MetricsCheck = z.strictObject({
  kind: z.literal('metrics'),
  ...checkBaseFields,
  promql: z.string().min(1),
  prometheus: z
    .strictObject({
      namespace: Namespace.default('istio-system'),
      service: ObjectName.default('prometheus'),
      port: z.int().min(1).max(65535).default(9090),
    })
    .prefault({}),
  expect: z
    .strictObject({
      value: Comparison.optional(),
      increase: Comparison.optional().meta({ description: 'Compare the increase since the step started.' }),
    })
    .superRefine((e, ctx) => requireExactlyOne(e, ['value', 'increase'], ctx)),
}).meta({ id: 'MetricsCheck' });

/** Reads Envoy stats from a sidecar (pilot-agent /stats) and compares counters. */
export const EnvoyStatsCheck = z
  .strictObject({
    kind: z.literal('envoy-stats'),
    ...checkBaseFields,
    ...workloadFields,
    container: ObjectName.default('istio-proxy'),
    counters: z
      .record(z.string().min(1), Comparison)
      .refine((c) => Object.keys(c).length > 0, { error: 'name at least one counter' }),
  })
  .superRefine((s, ctx) => requireExactlyOne(s, ['pod', 'deployment'], ctx))
  .meta({ id: 'EnvoyStatsCheck' });

/** Runs a read-only kubectl or istioctl subcommand (read-only-commands.ts) and checks exit code and output. */
export const CommandCheck = z.strictObject({
  kind: z.literal('command'),
  ...checkBaseFields,
  program: z.enum(['istioctl', 'kubectl']),
  args: z.array(z.string()).default([]),
  expect: z
    .strictObject({
      exitCode: z.int().min(0).max(255).default(0),
      stdoutContains: acceptOneOrMany(z.string().min(1)).optional(),
      stdoutNotContains: acceptOneOrMany(z.string().min(1)).optional(),
      stderrContains: acceptOneOrMany(z.string().min(1)).optional(),
    })
    .prefault({}),
})
  .superRefine((c, ctx) => {
    const problem = readOnlyProblem(c.program, c.args);
    if (problem) ctx.addIssue({ code: 'custom', path: ['args'], message: problem });
  })
  .meta({ id: 'CommandCheck' });
