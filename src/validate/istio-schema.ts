// Validates an Istio object against Istio's CRD schema (@kubernetes-models/istio: each model's
// validate() throws ajv errors) and turns each ajv error into a field path and a message.
import { ISTIO_KINDS } from './istio-kinds.js';
import type { IstioKind } from './istio-kinds.js';
import { createError } from './problem.js';
import type { ObjectProblem } from './problem.js';
import type { PathSegment } from '../lab/index.js';
import { showNonFinite } from '../lab/schema/common.js';

/** The parts of an ajv ErrorObject (verbose mode) this module reads. */
export interface SchemaError {
  instancePath: string;
  schemaPath: string;
  keyword: string;
  params: Record<string, any>;
  message?: string;
  schema?: unknown;
  data?: unknown;
}

/** Describes a value briefly for "got ..." clauses. */
function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value);
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'a map';
  if (typeof value === 'number' && !Number.isFinite(value)) return showNonFinite(value);
  return String(value);
}

const ARTICLE: Record<string, string> = { integer: 'an integer', number: 'a number', string: 'a string', boolean: 'true or false', array: 'a list', object: 'a map' };

/** Turns a JSON pointer into path segments, using the data to tell list indexes from keys. */
export function convertPointer(pointer: string, data: unknown): PathSegment[] {
  const segments: PathSegment[] = [];
  let node: any = data;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const segment: PathSegment = Array.isArray(node) && /^\d+$/.test(key) ? Number(key) : key;
    segments.push(segment);
    node = node?.[segment];
  }
  return segments;
}

/** Names the mutually exclusive fields of a oneOf whose branches each require one field. */
function describeOneOf(error: SchemaError): string {
  const branches = Array.isArray(error.schema) ? (error.schema as { required?: string[] }[]) : [];
  const fields = branches.flatMap((b) => b.required ?? []);
  const present = fields.filter((f) => error.data && typeof error.data === 'object' && f in (error.data as object));
  if (Array.isArray(error.params.passingSchemas) && present.length > 1) {
    return `set only one of ${present.map((f) => `"${f}"`).join(', ')}; they are alternatives`;
  }
  return fields.length > 0 ? `must set exactly one of ${fields.map((f) => `"${f}"`).join(', ')}` : 'must match exactly one of the allowed forms';
}

/** Maps one ajv error to a problem (path relative to the object). */
export function describeSchemaError(error: SchemaError, data: unknown): ObjectProblem {
  const path = convertPointer(error.instancePath, data);
  switch (error.keyword) {
    case 'type': {
      const expected = String(error.params.type).split(',').map((t) => ARTICLE[t] ?? t).join(' or ');
      return createError(path, `must be ${expected}, got ${describeValue(error.data)}`);
    }
    case 'required':
      return createError([...path, error.params.missingProperty], `missing required field "${error.params.missingProperty}"`);
    case 'additionalProperties':
      return createError([...path, error.params.additionalProperty], `unknown field "${error.params.additionalProperty}"`);
    case 'enum':
      return createError(path, `must be one of ${(error.params.allowedValues as unknown[]).join(', ')}; got ${describeValue(error.data)}`);
    case 'oneOf':
      return createError(path, describeOneOf(error));
    case 'format':
      return createError(path, `must be a valid ${error.params.format}, got ${describeValue(error.data)}`);
    default:
      return createError(path, error.message ?? `fails the schema rule "${error.keyword}"`);
  }
}

/** Drops errors from inside oneOf/anyOf branches (the combinator's own error says it better), and kind/apiVersion. */
function selectErrors(errors: readonly SchemaError[]): SchemaError[] {
  const combinators = errors.filter((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf').map((e) => `${e.schemaPath}/`);
  return errors.filter(
    (e) => !combinators.some((prefix) => e.schemaPath.startsWith(prefix)) && e.instancePath !== '/apiVersion' && e.instancePath !== '/kind',
  );
}

/** Validates an Istio object against the schema of its kind and version. */
export async function validateIstioSchema(object: Record<string, unknown>, kind: IstioKind, version: string): Promise<ObjectProblem[]> {
  const models: Readonly<Record<string, () => Promise<new (data: object) => { validate(): void }>>> = ISTIO_KINDS[kind].models;
  const load = models[version];
  if (!load) return [];
  const Model = await load();
  // The model's schema pins its own apiVersion; v1 objects are checked with the v1beta1 schema.
  const instance = new Model({ ...object, apiVersion: (Model as unknown as { apiVersion: string }).apiVersion });
  try {
    instance.validate();
    return [];
  } catch (error) {
    const errors = (error as { errors?: SchemaError[] }).errors;
    if (!Array.isArray(errors)) throw error;
    const seen = new Set<string>();
    return selectErrors(errors)
      .map((e) => describeSchemaError(e, object))
      .filter((p) => {
        const key = `${p.path.join('\0')}\u0001${p.message}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
  }
}
