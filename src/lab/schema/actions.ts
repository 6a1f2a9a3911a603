// Actions: what a step does to the cluster (the solution), tagged by `kind`.
import { z } from 'zod';
import { checkKubeObject, parseManifests } from '../manifests.js';
import { Count, LabelKey, LabelValue, Namespace, ObjectName, ObjectRef, TargetRef, acceptOneOrMany, requireExactlyOne } from './common.js';

/** A manifest file reference: relative to the lab's folder, or `manifests/...` from the repo root. */
export const ManifestPath = z
  .string()
  .min(1, { error: 'a manifest path cannot be empty' })
  .meta({ description: 'Path relative to the lab file\'s folder, or "manifests/..." relative to the repo root.' });

function refineInline(value: unknown, ctx: z.RefinementCtx): void {
  if (typeof value === 'string') {
    if (value.trim() === '') {
      ctx.addIssue({ code: 'custom', message: 'inline manifest is empty' });
      return;
    }
    const parsed = parseManifests(value, 'inline');
    if (parsed.ok && parsed.objects.length === 0) ctx.addIssue({ code: 'custom', message: 'inline manifest holds no objects' });
    if (!parsed.ok) {
      for (const e of parsed.errors) {
        const where = e.path === '' ? '' : ` (${e.path})`;
        ctx.addIssue({ code: 'custom', message: `inline YAML line ${e.line}${where}: ${e.message}` });
      }
    }
    return;
  }
  const items = Array.isArray(value) ? value : [value];
  items.forEach((item, index) => {
    for (const problem of checkKubeObject(item)) {
      const path = Array.isArray(value) ? [index, ...problem.path] : problem.path;
      ctx.addIssue({ code: 'custom', path, message: problem.message });
    }
  });
}

/** Manifests written in the lab itself: a YAML string, one object, or a list of objects. */
export const InlineManifest = z
  .union([z.string(), z.record(z.string(), z.unknown()), z.array(z.record(z.string(), z.unknown())).min(1)])
  .superRefine(refineInline)
  .meta({ id: 'InlineManifest', description: 'Kubernetes objects: a YAML string (may hold several documents), one object, or a list.' });

const sourceFields = {
  file: ManifestPath.optional(),
  files: z.array(ManifestPath).min(1).optional(),
  inline: InlineManifest.optional(),
};

/** Applies manifests (server-side apply). */
export const ApplyAction = z
  .strictObject({
    kind: z.literal('apply'),
    ...sourceFields,
    namespace: Namespace.optional(),
    only: z
      .enum(['sandbox', 'cluster'])
      .optional()
      .meta({ description: 'Apply only on the embedded sandbox, or only on a real cluster (e.g. the sandbox\'s own Istio install).' }),
  })
  .superRefine((a, ctx) => requireExactlyOne(a, ['file', 'files', 'inline'], ctx))
  .meta({ id: 'ApplyAction' });

/** Deletes the objects of manifests, or one object named by `target`. */
export const DeleteAction = z
  .strictObject({
    kind: z.literal('delete'),
    ...sourceFields,
    target: ObjectRef.optional(),
    namespace: Namespace.optional(),
    ignoreNotFound: z.boolean().default(true),
  })
  .superRefine((a, ctx) => requireExactlyOne(a, ['file', 'files', 'inline', 'target'], ctx))
  .meta({ id: 'DeleteAction' });

/** Sets labels on an object; a null value removes the label. */
export const LabelAction = z.strictObject({
  kind: z.literal('label'),
  target: TargetRef,
  labels: z
    .record(LabelKey, LabelValue.nullable())
    .refine((labels) => Object.keys(labels).length > 0, { error: 'give at least one label' })
    .meta({ description: 'Labels to set; null removes a label.' }),
}).meta({ id: 'LabelAction' });

/** Scales a deployment. */
export const ScaleAction = z.strictObject({
  kind: z.literal('scale'),
  deployment: ObjectName,
  replicas: Count,
  namespace: Namespace.optional(),
}).meta({ id: 'ScaleAction' });

/** Restarts deployments (like `kubectl rollout restart`). */
export const RestartAction = z.strictObject({
  kind: z.literal('restart'),
  deployment: acceptOneOrMany(ObjectName),
  namespace: Namespace.optional(),
}).meta({ id: 'RestartAction' });

const JsonPatchOp = z.strictObject({
  op: z.enum(['add', 'remove', 'replace', 'move', 'copy', 'test']),
  path: z.string(),
  value: z.unknown().optional(),
  from: z.string().optional(),
});

/** Patches an object with a merge, JSON or strategic-merge patch. */
export const PatchAction = z
  .strictObject({
    kind: z.literal('patch'),
    target: TargetRef,
    type: z.enum(['merge', 'json', 'strategic']).default('merge'),
    patch: z.union([z.record(z.string(), z.unknown()), z.array(JsonPatchOp)]),
  })
  .superRefine((a, ctx) => {
    if (a.type === 'json' && !Array.isArray(a.patch)) {
      ctx.addIssue({ code: 'custom', path: ['patch'], message: 'a json patch is a list of operations ({op, path, value})' });
    }
    if (a.type !== 'json' && Array.isArray(a.patch)) {
      ctx.addIssue({ code: 'custom', path: ['patch'], message: `a ${a.type} patch is a map; use type: json for a list of operations` });
    }
  })
  .meta({ id: 'PatchAction' });

/** Installs Istio with `istioctl install` on a real cluster (skipped on the sandbox, which applies its own install manifests). */
export const IstioctlInstallAction = z
  .strictObject({
    kind: z.literal('istioctl-install'),
    profile: z.string().regex(/^[a-z][a-z0-9-]*$/).default('demo').meta({ description: 'Installation profile (`--set profile=…`).' }),
    set: z
      .record(z.string().regex(/^[A-Za-z0-9_.[\]-]+$/, { error: 'a --set key is a dotted path like meshConfig.accessLogFile' }), z.union([z.string(), z.number(), z.boolean()]))
      .optional()
      .meta({ description: 'Extra `--set key=value` settings.' }),
    minVersion: z.string().regex(/^\d+\.\d+(\.\d+)?$/, { error: 'a version like 1.22 or 1.24.2' }).default('1.22').meta({ description: 'Oldest Istio the lab supports; an older installed Istio or istioctl stops the run.' }),
  })
  .meta({ id: 'IstioctlInstallAction' });

/** Any action, tagged by `kind`. */
export const Action = z.discriminatedUnion('kind', [ApplyAction, DeleteAction, LabelAction, ScaleAction, RestartAction, PatchAction, IstioctlInstallAction]).meta({ id: 'Action' });
