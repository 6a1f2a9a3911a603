// PodSpec defaulting and validation shared by Pods and every pod template (Deployment, Job, ...).
import type { StatusCause } from '../../api/status.js';
import { checkLabel } from '../../api/validation.js';
import { unsupported } from './go-format.js';

/** `Always` for `:latest` or untagged images, else `IfNotPresent` (digests count as tagged). */
export function defaultPullPolicy(image: string | undefined): 'Always' | 'IfNotPresent' {
  if (!image) return 'IfNotPresent';
  if (image.includes('@')) return 'IfNotPresent';
  const last = image.slice(image.lastIndexOf('/') + 1);
  const colon = last.lastIndexOf(':');
  return colon < 0 || last.slice(colon + 1) === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultProbe(probe: any): void {
  if (!probe) return;
  probe.timeoutSeconds ??= 1;
  probe.periodSeconds ??= 10;
  probe.successThreshold ??= 1;
  probe.failureThreshold ??= 3;
  if (probe.httpGet) {
    probe.httpGet.path ??= '/';
    probe.httpGet.scheme ??= 'HTTP';
  }
}

/** API defaults of one container (SetDefaults_Container and friends). */
export function defaultContainer(c: any): void {
  c.imagePullPolicy ??= defaultPullPolicy(c.image);
  c.terminationMessagePath ??= '/dev/termination-log';
  c.terminationMessagePolicy ??= 'File';
  c.resources ??= {};
  for (const p of c.ports ?? []) p.protocol ??= 'TCP';
  for (const e of c.env ?? []) if (e.valueFrom?.fieldRef) e.valueFrom.fieldRef.apiVersion ??= 'v1';
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
}

/** API defaults of a PodSpec, as they appear in pods and in workload templates. */
export function defaultPodSpec(spec: any): void {
  if (!spec || typeof spec !== 'object') return;
  spec.restartPolicy ??= 'Always';
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.schedulerName ??= 'default-scheduler';
  spec.securityContext ??= {};
  for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) defaultContainer(c);
  for (const v of spec.volumes ?? []) {
    if (v.configMap) v.configMap.defaultMode ??= 420;
    if (v.secret) v.secret.defaultMode ??= 420;
  }
}

/** Validate a PodSpec at `path` (`spec`, `spec.template.spec`). */
export function validatePodSpec(spec: any, path: string): StatusCause[] {
  const causes: StatusCause[] = [];
  if (!spec || !Array.isArray(spec.containers) || spec.containers.length === 0) {
    causes.push({ field: `${path}.containers`, reason: 'FieldValueRequired', message: 'Required value' });
  }
  const names = new Set<string>();
  const check = (list: any[] | undefined, field: string) => {
    (list ?? []).forEach((c, i) => {
      const at = `${path}.${field}[${i}]`;
      if (!c?.name) causes.push({ field: `${at}.name`, reason: 'FieldValueRequired', message: 'Required value' });
      else {
        const bad = checkLabel(c.name, `${at}.name`);
        if (bad) causes.push(bad);
        else if (names.has(c.name)) causes.push({ field: `${at}.name`, reason: 'FieldValueDuplicate', message: `Duplicate value: ${JSON.stringify(c.name)}` });
        names.add(c.name);
      }
      if (!c?.image) causes.push({ field: `${at}.image`, reason: 'FieldValueRequired', message: 'Required value' });
      (c?.ports ?? []).forEach((p: any, j: number) => {
        const port = p?.containerPort;
        if (port === undefined) causes.push({ field: `${at}.ports[${j}].containerPort`, reason: 'FieldValueRequired', message: 'Required value' });
        else if (!Number.isInteger(port) || port < 1 || port > 65535) {
          causes.push({ field: `${at}.ports[${j}].containerPort`, reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(port)}: must be between 1 and 65535, inclusive` });
        }
      });
    });
  };
  check(spec?.initContainers, 'initContainers');
  check(spec?.containers, 'containers');
  const policy = spec?.restartPolicy;
  if (policy !== undefined && !['Always', 'OnFailure', 'Never'].includes(policy)) {
    causes.push({ field: `${path}.restartPolicy`, reason: 'FieldValueNotSupported', message: unsupported(policy, ['Always', 'OnFailure', 'Never']) });
  }
  return causes;
}
