// CustomResourceDefinition defaulting and structural validation (the parts labs and Istio's CRDs exercise).
import type { KindHooks } from '../api/registry.js';
import type { StatusCause } from '../api/status.js';
import { checkLabel } from '../api/validation.js';
import type { KubeObject } from '../types.js';
import { unsupported } from './hooks/go-format.js';

function validateNames(crd: KubeObject): StatusCause[] {
  const spec = crd.spec ?? {};
  const names = spec.names ?? {};
  const causes: StatusCause[] = [];
  if (!spec.group) causes.push({ field: 'spec.group', reason: 'FieldValueRequired', message: 'Required value' });
  else if (!String(spec.group).includes('.')) causes.push({ field: 'spec.group', reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(spec.group)}: should be a domain with at least one dot` });
  if (!names.plural) causes.push({ field: 'spec.names.plural', reason: 'FieldValueRequired', message: 'Required value' });
  else {
    const bad = checkLabel(names.plural, 'spec.names.plural');
    if (bad) causes.push(bad);
  }
  if (!names.kind) causes.push({ field: 'spec.names.kind', reason: 'FieldValueRequired', message: 'Required value' });
  if (names.plural && spec.group && crd.metadata.name !== `${names.plural}.${spec.group}`) {
    causes.push({ field: 'metadata.name', reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(crd.metadata.name)}: must be spec.names.plural+"."+spec.group` });
  }
  return causes;
}

function validateVersions(crd: KubeObject): StatusCause[] {
  const versions: any[] = crd.spec?.versions ?? [];
  const causes: StatusCause[] = [];
  if (!versions.length) return [{ field: 'spec.versions', reason: 'FieldValueRequired', message: 'Required value' }];
  const seen = new Set<string>();
  versions.forEach((v, i) => {
    const at = `spec.versions[${i}]`;
    if (!v?.name) causes.push({ field: `${at}.name`, reason: 'FieldValueRequired', message: 'Required value' });
    else {
      const bad = checkLabel(v.name, `${at}.name`);
      if (bad) causes.push(bad);
      if (seen.has(v.name)) causes.push({ field: `${at}.name`, reason: 'FieldValueDuplicate', message: `Duplicate value: ${JSON.stringify(v.name)}` });
      seen.add(v.name);
    }
    if (!v?.schema?.openAPIV3Schema) causes.push({ field: `${at}.schema.openAPIV3Schema`, reason: 'FieldValueRequired', message: 'Required value: schemas are required' });
  });
  const storage = versions.filter((v) => v?.storage === true).length;
  if (storage !== 1) {
    causes.push({ field: 'spec.versions', reason: 'FieldValueInvalid', message: `Invalid value: []apiextensions.CustomResourceDefinitionVersion{...}: must have exactly one version marked as storage version` });
  }
  if (!versions.some((v) => v?.served)) causes.push({ field: 'spec.versions', reason: 'FieldValueInvalid', message: 'Invalid value: []apiextensions.CustomResourceDefinitionVersion{...}: must have at least one served version' });
  return causes;
}

/** Validate a CRD: names, scope and versions (422 with causes). */
export function validateCrd(crd: KubeObject, old: KubeObject | undefined): StatusCause[] {
  const causes = [...validateNames(crd), ...validateVersions(crd)];
  const scope = crd.spec?.scope;
  if (!scope) causes.push({ field: 'spec.scope', reason: 'FieldValueRequired', message: 'Required value' });
  else if (!['Cluster', 'Namespaced'].includes(scope)) causes.push({ field: 'spec.scope', reason: 'FieldValueNotSupported', message: unsupported(scope, ['Cluster', 'Namespaced']) });
  if (old && old.spec?.group && crd.spec?.group !== old.spec.group) {
    causes.push({ field: 'spec.group', reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(crd.spec?.group)}: field is immutable` });
  }
  return causes;
}

/** Hooks for `apiextensions.k8s.io/customresourcedefinitions`. */
export function crdHooks(): KindHooks {
  return {
    default(crd) {
      const spec = (crd.spec ??= {});
      const names = (spec.names ??= {});
      if (names.kind) {
        names.singular ??= String(names.kind).toLowerCase();
        names.listKind ??= `${names.kind}List`;
      }
      spec.conversion ??= { strategy: 'None' };
    },
    validate: validateCrd,
    // Deletion waits for the CrdController to remove every custom resource (the real server's
    // customresourcecleanup finalizer); it then finalizes the CRD itself.
    deleteGracefully(crd) {
      crd.metadata.deletionGracePeriodSeconds ??= 0;
      return true;
    },
  };
}
