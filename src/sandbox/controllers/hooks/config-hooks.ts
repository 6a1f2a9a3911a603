// ConfigMap and Secret defaulting and validation: key format, base64 data, stringData, immutability.
import type { KindHooks } from '../../api/registry.js';
import { badRequest, type StatusCause } from '../../api/status.js';
import type { KubeObject } from '../../types.js';
import { sameJson } from '../object-helpers.js';

const keyPattern = /^[-._a-zA-Z0-9]+$/;
const base64Chars = /[A-Za-z0-9+/=]/;

/** Required data keys per Secret type. */
const requiredSecretKeys: Record<string, string[]> = {
  'kubernetes.io/tls': ['tls.crt', 'tls.key'],
  'kubernetes.io/dockerconfigjson': ['.dockerconfigjson'],
  'kubernetes.io/dockercfg': ['.dockercfg'],
  'kubernetes.io/basic-auth': [],
  'kubernetes.io/ssh-auth': ['ssh-privatekey'],
};

/** Index Go's base64 decoder reports as "illegal base64 data at input byte N", or -1 when valid. */
export function invalidBase64At(value: string): number {
  for (let i = 0; i < value.length; i++) {
    if (!base64Chars.test(value[i])) return i;
    if (value[i] === '=' && value.slice(i).replace(/=/g, '').length) return i;
  }
  if (value.length % 4 !== 0) return value.length - (value.length % 4);
  return -1;
}

function validateKeys(obj: KubeObject, fields: string[]): StatusCause[] {
  const causes: StatusCause[] = [];
  const seen = new Map<string, string>();
  for (const field of fields) {
    for (const key of Object.keys(obj[field] ?? {})) {
      if (!keyPattern.test(key) || key.length > 253) {
        causes.push({ field: `${field}[${key}]`, reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(key)}: a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')` });
      }
      const other = seen.get(key);
      if (other) causes.push({ field: `${field}[${key}]`, reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(key)}: duplicate of key present in ${other}` });
      seen.set(key, field);
    }
  }
  return causes;
}

function validateImmutable(obj: KubeObject, old: KubeObject | undefined, fields: string[]): StatusCause[] {
  if (!old?.immutable) return [];
  const causes: StatusCause[] = [];
  if (obj.immutable !== true) causes.push({ field: 'immutable', reason: 'FieldValueForbidden', message: 'Forbidden: field is immutable when `immutable` is set' });
  for (const f of fields) {
    if (!sameJson(obj[f] ?? {}, old[f] ?? {})) causes.push({ field: f, reason: 'FieldValueForbidden', message: 'Forbidden: field is immutable when `immutable` is set' });
  }
  return causes;
}

/** Hooks for `/configmaps`. */
export function configMapHooks(): KindHooks {
  return {
    validate: (obj, old) => [...validateKeys(obj, ['data', 'binaryData']), ...validateImmutable(obj, old, ['data', 'binaryData'])],
  };
}

/** Hooks for `/secrets`. */
export function secretHooks(): KindHooks {
  return {
    default(secret) {
      for (const value of Object.values(secret.data ?? {})) {
        const at = typeof value === 'string' ? invalidBase64At(value) : 0;
        if (at >= 0) throw badRequest(`Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte ${at}`);
      }
      secret.type ??= 'Opaque';
      if (secret.stringData) {
        secret.data = { ...(secret.data ?? {}) };
        for (const [k, v] of Object.entries(secret.stringData)) secret.data[k] = Buffer.from(String(v), 'utf8').toString('base64');
        delete secret.stringData;
      }
    },
    validate(secret, old) {
      const causes = [...validateKeys(secret, ['data']), ...validateImmutable(secret, old, ['data'])];
      for (const key of requiredSecretKeys[secret.type] ?? []) {
        if (secret.data?.[key] === undefined) causes.push({ field: `data[${key}]`, reason: 'FieldValueRequired', message: 'Required value' });
      }
      if (old && old.type !== secret.type) causes.push({ field: 'type', reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(secret.type)}: field is immutable` });
      return causes;
    },
  };
}
