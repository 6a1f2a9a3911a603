// Validation shared by every kind (object names, required metadata) and a per-kind hook table.
import type { KubeObject } from '../types.js';
import type { ResourceType } from './resource-types.js';
import type { StatusCause } from './status.js';

const dns1123Label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const dns1123Subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Error text the real server gives for an invalid DNS-1123 subdomain. */
export function checkSubdomain(value: string, field: string): StatusCause | undefined {
  if (value.length <= 253 && dns1123Subdomain.test(value)) return undefined;
  return {
    field,
    reason: 'FieldValueInvalid',
    message: `Invalid value: "${value}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
  };
}

/** Error text the real server gives for an invalid DNS-1123 label. */
export function checkLabel(value: string, field: string): StatusCause | undefined {
  if (value.length <= 63 && dns1123Label.test(value)) return undefined;
  return {
    field,
    reason: 'FieldValueInvalid',
    message: `Invalid value: "${value}": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
  };
}

/** Kinds whose names must be DNS-1123 labels rather than subdomains. */
const labelNamed = new Set(['/namespaces', '/services']);

/** Validate metadata every object shares: name format, labels, namespace presence. */
export function validateMetadata(rt: ResourceType, key: string, obj: KubeObject): StatusCause[] {
  const causes: StatusCause[] = [];
  const name = obj.metadata.name ?? '';
  if (!name) causes.push({ field: 'metadata.name', reason: 'FieldValueRequired', message: 'Required value: name or generateName is required' });
  else {
    const c = labelNamed.has(key) ? checkLabel(name, 'metadata.name') : checkSubdomain(name, 'metadata.name');
    if (c) causes.push(c);
  }
  for (const [k, v] of Object.entries(obj.metadata.labels ?? {})) {
    if (typeof v !== 'string') causes.push({ field: `metadata.labels`, reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(v)}: label values must be strings` });
    else if (v.length > 63 || !/^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/.test(v)) {
      causes.push({ field: `metadata.labels`, reason: 'FieldValueInvalid', message: `Invalid value: "${v}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character` });
    }
    if (!/^([a-z0-9.-]+\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(k)) {
      causes.push({ field: `metadata.labels`, reason: 'FieldValueInvalid', message: `Invalid value: "${k}": name part must consist of alphanumeric characters, '-', '_' or '.'` });
    }
  }
  void rt;
  return causes;
}

/** Per-kind validation: returns the causes of a 422, empty when valid. */
export type KindValidator = (obj: KubeObject, old: KubeObject | undefined) => StatusCause[];
