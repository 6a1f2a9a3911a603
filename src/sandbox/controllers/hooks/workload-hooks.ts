// Defaulting and validation of workload kinds (Deployment, ReplicaSet, StatefulSet, DaemonSet, Job).
import type { KindHooks } from '../../api/registry.js';
import { matchesLabelSelector } from '../../api/selectors.js';
import type { StatusCause } from '../../api/status.js';
import type { KubeObject } from '../../types.js';
import { sameJson } from '../object-helpers.js';
import { goLabelSelector, goStringMap, unsupported } from './go-format.js';
import { defaultPodSpec, validatePodSpec } from './pod-spec.js';

/** What differs between workload kinds. */
interface WorkloadRules {
  /** Lower-case noun used in "empty selector is invalid for <noun>". */
  noun: string;
  restartPolicies: string[];
  hasReplicas: boolean;
  defaults(spec: any, obj: KubeObject, old: KubeObject | undefined): void;
  validate?(spec: any, old: KubeObject | undefined): StatusCause[];
}

function intOrString(v: unknown): string {
  return typeof v === 'string' ? `intstr.IntOrString{Type:1, IntVal:0, StrVal:${JSON.stringify(v)}}` : `intstr.IntOrString{Type:0, IntVal:${v}, StrVal:""}`;
}

const isZero = (v: unknown) => v === 0 || v === '0%';

const rules: Record<string, WorkloadRules> = {
  'apps/deployments': {
    noun: 'deployment',
    restartPolicies: ['Always'],
    hasReplicas: true,
    defaults(spec) {
      spec.replicas ??= 1;
      const strategy = (spec.strategy ??= {});
      strategy.type ??= 'RollingUpdate';
      if (strategy.type === 'RollingUpdate') {
        const ru = (strategy.rollingUpdate ??= {});
        ru.maxSurge ??= '25%';
        ru.maxUnavailable ??= '25%';
      }
      spec.revisionHistoryLimit ??= 10;
      spec.progressDeadlineSeconds ??= 600;
    },
    validate(spec) {
      const causes: StatusCause[] = [];
      const type = spec.strategy?.type;
      if (!['Recreate', 'RollingUpdate'].includes(type)) {
        causes.push({ field: 'spec.strategy.type', reason: 'FieldValueNotSupported', message: unsupported(type, ['Recreate', 'RollingUpdate']) });
      }
      const ru = spec.strategy?.rollingUpdate;
      if (type === 'Recreate' && ru) {
        causes.push({ field: 'spec.strategy.rollingUpdate', reason: 'FieldValueForbidden', message: "Forbidden: may not be specified when strategy `type` is 'Recreate'" });
      }
      if (type === 'RollingUpdate' && ru && isZero(ru.maxSurge) && isZero(ru.maxUnavailable)) {
        causes.push({ field: 'spec.strategy.rollingUpdate.maxUnavailable', reason: 'FieldValueInvalid', message: `Invalid value: ${intOrString(ru.maxUnavailable)}: may not be 0 when \`maxSurge\` is 0` });
      }
      if (spec.progressDeadlineSeconds !== undefined && spec.progressDeadlineSeconds <= (spec.minReadySeconds ?? 0)) {
        causes.push({ field: 'spec.progressDeadlineSeconds', reason: 'FieldValueInvalid', message: `Invalid value: ${spec.progressDeadlineSeconds}: must be greater than minReadySeconds` });
      }
      return causes;
    },
  },
  'apps/replicasets': {
    noun: 'deployment',
    restartPolicies: ['Always'],
    hasReplicas: true,
    defaults(spec) {
      spec.replicas ??= 1;
    },
  },
  'apps/statefulsets': {
    noun: 'statefulset',
    restartPolicies: ['Always'],
    hasReplicas: true,
    defaults(spec) {
      spec.replicas ??= 1;
      spec.podManagementPolicy ??= 'OrderedReady';
      const strategy = (spec.updateStrategy ??= {});
      strategy.type ??= 'RollingUpdate';
      if (strategy.type === 'RollingUpdate') (strategy.rollingUpdate ??= {}).partition ??= 0;
      spec.revisionHistoryLimit ??= 10;
      spec.persistentVolumeClaimRetentionPolicy ??= { whenDeleted: 'Retain', whenScaled: 'Retain' };
    },
    validate(spec, old) {
      if (!old) return [];
      const mutable = ['replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds'];
      const strip = (s: any) => Object.fromEntries(Object.entries(s ?? {}).filter(([k]) => !mutable.includes(k)));
      if (sameJson(strip(spec), strip(old.spec))) return [];
      return [{ field: 'spec', reason: 'FieldValueForbidden', message: "Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden" }];
    },
  },
  'apps/daemonsets': {
    noun: 'daemonset',
    restartPolicies: ['Always'],
    hasReplicas: false,
    defaults(spec) {
      const strategy = (spec.updateStrategy ??= {});
      strategy.type ??= 'RollingUpdate';
      if (strategy.type === 'RollingUpdate') {
        const ru = (strategy.rollingUpdate ??= {});
        ru.maxUnavailable ??= 1;
        ru.maxSurge ??= 0;
      }
      spec.revisionHistoryLimit ??= 10;
    },
  },
  'batch/jobs': {
    noun: 'job',
    restartPolicies: ['OnFailure', 'Never'],
    hasReplicas: false,
    defaults(spec, obj, old) {
      if (spec.completions === undefined && spec.parallelism === undefined) spec.completions = 1;
      spec.parallelism ??= 1;
      spec.backoffLimit ??= 6;
      spec.completionMode ??= 'NonIndexed';
      spec.suspend ??= false;
      spec.podReplacementPolicy ??= 'TerminatingOrFailed';
      if (old || spec.manualSelector) return;
      const uid = obj.metadata.uid!;
      spec.selector ??= { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } };
      const meta = ((spec.template ??= {}).metadata ??= {});
      meta.labels = { ...(meta.labels ?? {}), 'batch.kubernetes.io/controller-uid': uid, 'batch.kubernetes.io/job-name': obj.metadata.name!, 'controller-uid': uid, 'job-name': obj.metadata.name! };
    },
    validate(spec, old) {
      if (!old || sameJson(spec.template, old.spec?.template)) return [];
      return [{ field: 'spec.template', reason: 'FieldValueInvalid', message: 'Invalid value: core.PodTemplateSpec{...}: field is immutable' }];
    },
  },
};

function validateWorkload(r: WorkloadRules, obj: KubeObject, old: KubeObject | undefined): StatusCause[] {
  const spec = obj.spec ?? {};
  const causes: StatusCause[] = [];
  if (r.hasReplicas && (!Number.isInteger(spec.replicas) || spec.replicas < 0)) {
    causes.push({ field: 'spec.replicas', reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(spec.replicas)}: must be greater than or equal to 0` });
  }
  const selector = spec.selector;
  const labels = spec.template?.metadata?.labels;
  if (!selector) causes.push({ field: 'spec.selector', reason: 'FieldValueRequired', message: 'Required value' });
  else if (!Object.keys(selector.matchLabels ?? {}).length && !(selector.matchExpressions ?? []).length) {
    causes.push({ field: 'spec.selector', reason: 'FieldValueInvalid', message: `Invalid value: ${goLabelSelector(selector)}: empty selector is invalid for ${r.noun}` });
  } else if (!matchesLabelSelector(selector, labels)) {
    causes.push({ field: 'spec.template.metadata.labels', reason: 'FieldValueInvalid', message: `Invalid value: ${goStringMap(labels)}: \`selector\` does not match template \`labels\`` });
  }
  if (old && selector && old.spec?.selector && !sameJson(selector, old.spec.selector)) {
    causes.push({ field: 'spec.selector', reason: 'FieldValueInvalid', message: `Invalid value: ${goLabelSelector(selector)}: field is immutable` });
  }
  causes.push(...validatePodSpec(spec.template?.spec, 'spec.template.spec'));
  const policy = spec.template?.spec?.restartPolicy;
  if (policy !== undefined && !r.restartPolicies.includes(policy)) {
    causes.push({ field: 'spec.template.spec.restartPolicy', reason: 'FieldValueNotSupported', message: unsupported(policy, r.restartPolicies) });
  }
  causes.push(...(r.validate?.(spec, old) ?? []));
  return causes;
}

/** Hooks per workload storage key (`apps/deployments` → hooks). */
export function workloadHooks(): Record<string, KindHooks> {
  const out: Record<string, KindHooks> = {};
  for (const [key, r] of Object.entries(rules)) {
    out[key] = {
      default(obj, old) {
        const spec = (obj.spec ??= {});
        r.defaults(spec, obj, old);
        defaultPodSpec(spec.template?.spec);
      },
      validate: (obj, old) => validateWorkload(r, obj, old),
    };
  }
  return out;
}
