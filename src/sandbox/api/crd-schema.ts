// Structural-schema pruning and validation of custom resources, as the real server applies a
// CRD's openAPIV3Schema: unknown fields are pruned (reported as warnings, or rejected under
// fieldValidation=Strict) unless x-kubernetes-preserve-unknown-fields says to keep them.
import type { KubeObject } from '../types.js';
import type { StatusCause } from './status.js';

/** Outcome of pruning: paths of dropped fields and validation failures. */
export interface PruneResult {
  unknownFields: string[];
  causes: StatusCause[];
}

/** Prune `obj` in place against the CRD version's schema and validate types, enums and required fields. */
export function pruneAndValidate(obj: KubeObject, schema: any): PruneResult {
  const result: PruneResult = { unknownFields: [], causes: [] };
  if (!schema) return result;
  const props = schema.properties ?? {};
  for (const key of Object.keys(obj)) {
    if (key === 'apiVersion' || key === 'kind' || key === 'metadata') continue;
    if (props[key]) visit(obj[key], props[key], key, result, (v) => (obj[key] = v));
    else if (!schema['x-kubernetes-preserve-unknown-fields']) {
      result.unknownFields.push(key);
      delete obj[key];
    }
  }
  for (const req of schema.required ?? []) {
    if (req !== 'metadata' && obj[req] === undefined) result.causes.push({ field: req, reason: 'FieldValueRequired', message: 'Required value' });
  }
  return result;
}

function visit(value: unknown, schema: any, path: string, result: PruneResult, replace: (v: unknown) => void): void {
  if (value === null) {
    if (!schema.nullable) replace(undefined);
    return;
  }
  if (schema['x-kubernetes-int-or-string']) {
    if (typeof value !== 'string' && !Number.isInteger(value)) typeError(value, 'integer-or-string', path, result);
    return;
  }
  const type = schema.type;
  if (type && !matchesType(value, type)) {
    typeError(value, type, path, result);
    return;
  }
  if (schema.enum && !schema.enum.some((e: unknown) => e === value)) {
    result.causes.push({
      field: path,
      reason: 'FieldValueNotSupported',
      message: `Unsupported value: ${JSON.stringify(value)}: supported values: ${schema.enum.map((e: unknown) => JSON.stringify(e)).join(', ')}`,
    });
  }
  if (Array.isArray(value)) {
    if (schema.items) value.forEach((item, i) => visit(item, schema.items, `${path}[${i}]`, result, (v) => (value[i] = v)));
    return;
  }
  if (!value || typeof value !== 'object') return;
  const obj = value as Record<string, unknown>;
  const props = schema.properties;
  const additional = schema.additionalProperties;
  for (const key of Object.keys(obj)) {
    const child = `${path}.${key}`;
    if (props?.[key]) visit(obj[key], props[key], child, result, (v) => (obj[key] = v));
    else if (additional && typeof additional === 'object') visit(obj[key], additional, child, result, (v) => (obj[key] = v));
    else if (additional === true) continue;
    else if (schema['x-kubernetes-preserve-unknown-fields'] || schema['x-kubernetes-embedded-resource']) continue;
    else if (props || type === 'object' || additional === false) {
      result.unknownFields.push(child);
      delete obj[key];
    }
  }
  for (const req of schema.required ?? []) {
    if (obj[req] === undefined) result.causes.push({ field: `${path}.${req}`, reason: 'FieldValueRequired', message: 'Required value' });
  }
}

function matchesType(value: unknown, type: string): boolean {
  switch (type) {
    case 'object':
      return typeof value === 'object' && !Array.isArray(value);
    case 'array':
      return Array.isArray(value);
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
    default:
      return true;
  }
}

function typeError(value: unknown, type: string, path: string, result: PruneResult): void {
  const actual = Array.isArray(value) ? 'array' : typeof value === 'number' ? (Number.isInteger(value) ? 'integer' : 'number') : typeof value;
  result.causes.push({
    field: path,
    reason: 'FieldValueTypeInvalid',
    message: `Invalid value: "${actual}": ${path} in body must be of type ${type}: "${actual}"`,
  });
}
