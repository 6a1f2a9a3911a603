// Turns zod issues into messages a lab author understands, using the parsed data (for the
// offending value) and the schema (for the fields that were expected).
import type { z } from 'zod';
import type { PathSegment } from './errors.js';
import { showValue } from './schema/common.js';
import { findClosest, formatSuggestion } from './suggest.js';

/** A schema problem: the field path and a human message. */
export interface IssueReport {
  path: PathSegment[];
  message: string;
}

type Issue = z.core.$ZodIssue;
type Def = { type: string; [key: string]: any };

const DEFAULT_MESSAGE = /^(Invalid|Too (small|big)|Unrecognized)/;

function getValueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let value = data;
  for (const segment of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[segment];
  }
  return value;
}

function describeValue(value: unknown): string {
  if (value === null) return 'nothing (null)';
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Uint8Array) return 'binary data';
  if (typeof value === 'object') return Object.getPrototypeOf(value) === Object.prototype ? 'a map' : `a ${value.constructor.name}`;
  return showValue(value);
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'a map',
  record: 'a map',
  array: 'a list',
};

function getDef(schema: unknown): Def {
  return (schema as { _zod: { def: Def } })._zod.def;
}

function pickUnionOption(def: Def, value: unknown): unknown {
  const options = def.options as unknown[];
  const tag = def.discriminator as string | undefined;
  if (tag) {
    const wanted = (value as Record<string, unknown> | null | undefined)?.[tag];
    return options.find((option) => {
      const field = getDef(unwrapSchema(option, value)).shape?.[tag];
      return field !== undefined && (getDef(field).values as unknown[] | undefined)?.includes(wanted);
    });
  }
  const shape = Array.isArray(value) ? ['array'] : typeof value === 'object' && value !== null ? ['object', 'record'] : [];
  return options.find((option) => shape.includes(getDef(unwrapSchema(option, value)).type));
}

/** Strips wrappers (optional, default, pipe ...) and picks the union member that fits `value`. */
function unwrapSchema(schema: unknown, value: unknown): unknown {
  let current = schema;
  for (let depth = 0; depth < 20; depth++) {
    const def = getDef(current);
    if (['optional', 'nullable', 'default', 'prefault', 'readonly', 'catch'].includes(def.type)) current = def.innerType;
    else if (def.type === 'pipe') current = def.in;
    else if (def.type === 'union') {
      const fit = pickUnionOption(def, value);
      if (!fit) return current;
      current = fit;
    } else return current;
  }
  return current;
}

/** Lists the field names the schema allows at `path` (empty when not a map of fields). */
export function listKnownFields(schema: unknown, data: unknown, path: readonly PathSegment[]): string[] {
  let current = schema;
  for (let i = 0; i <= path.length; i++) {
    const here = unwrapSchema(current, getValueAt(data, path.slice(0, i)));
    const def = getDef(here);
    if (i === path.length) return def.type === 'object' ? Object.keys(def.shape) : [];
    const segment = path[i];
    if (def.type === 'object') current = def.shape[segment];
    else if (def.type === 'array') current = def.element;
    else if (def.type === 'record') current = def.valueType;
    else return [];
    if (current === undefined) return [];
  }
  return [];
}

function describeUnion(issue: Extract<Issue, { code: 'invalid_union' }>, data: unknown, schema: unknown): IssueReport[] {
  const path = issue.path as PathSegment[];
  const input = getValueAt(data, path);
  if ('note' in issue && issue.note === 'No matching discriminator') {
    const options = ((issue as { options?: unknown[] }).options ?? []).map(String);
    const tag = (issue as { discriminator?: string }).discriminator ?? 'kind';
    const expected = `expected one of: ${options.join(', ')}`;
    if (input === undefined) return [{ path, message: `missing required field "${tag}" (${expected})` }];
    const suggestion = typeof input === 'string' ? formatSuggestion(findClosest(input, options, 1)) : '';
    return [{ path, message: `unknown ${tag} ${showValue(input)}${suggestion}; ${expected}` }];
  }
  const typeMismatch = (errors: Issue[]) =>
    errors.length === 1 && errors[0].path.length === 0 && ['invalid_type', 'invalid_value'].includes(errors[0].code);
  const closer = issue.errors.filter((errors) => !typeMismatch(errors));
  if (closer.length === 1) {
    return describeIssues(closer[0].map((e) => ({ ...e, path: [...path, ...e.path] })), data, schema);
  }
  const expected = issue.errors.flatMap((errors) => {
    const first = errors[0];
    if (first?.code === 'invalid_type') return [TYPE_NAMES[first.expected] ?? first.expected];
    if (first?.code === 'invalid_value') return first.values.map((v) => showValue(v));
    return [];
  });
  const list = expected.length > 1 ? `${expected.slice(0, -1).join(', ')} or ${expected.at(-1)}` : (expected[0] ?? 'something else');
  return [{ path, message: `expected ${list}, got ${describeValue(input)}` }];
}

function describeOne(issue: Issue, data: unknown, schema: unknown): IssueReport[] {
  const path = issue.path as PathSegment[];
  const input = getValueAt(data, path);
  if (issue.code === 'custom' || (!DEFAULT_MESSAGE.test(issue.message) && issue.code !== 'invalid_union')) {
    return [{ path, message: issue.message }];
  }
  switch (issue.code) {
    case 'invalid_type': {
      const expected = TYPE_NAMES[issue.expected] ?? issue.expected;
      if (input === undefined) return [{ path, message: `missing required field "${String(path.at(-1) ?? '')}"` }];
      return [{ path, message: `expected ${expected}, got ${describeValue(input)}` }];
    }
    case 'unrecognized_keys': {
      const known = listKnownFields(schema, data, path);
      return issue.keys.map((key) => ({ path: [...path, key], message: `unknown field "${key}"${formatSuggestion(findClosest(key, known, 1))}` }));
    }
    case 'invalid_union':
      return describeUnion(issue, data, schema);
    case 'invalid_value': {
      const options = issue.values.map(String);
      const suggestion = typeof input === 'string' ? formatSuggestion(findClosest(input, options, 1)) : '';
      return [{ path, message: `expected one of: ${options.join(', ')} (got ${showValue(input)})${suggestion}` }];
    }
    case 'too_small':
    case 'too_big': {
      const small = issue.code === 'too_small';
      const limit = Number(small ? (issue as { minimum: unknown }).minimum : (issue as { maximum: unknown }).maximum);
      const inclusive = issue.inclusive !== false;
      if (issue.origin === 'array') return [{ path, message: small ? `must list at least ${limit} item${limit === 1 ? '' : 's'}` : `must list at most ${limit} items` }];
      if (issue.origin === 'string') return [{ path, message: small && limit === 1 ? 'must not be empty' : `must be ${small ? 'at least' : 'at most'} ${limit} characters` }];
      const bound = small ? (inclusive ? 'at least' : 'greater than') : inclusive ? 'at most' : 'less than';
      return [{ path, message: `must be ${bound} ${limit} (got ${showValue(input)})` }];
    }
    case 'invalid_key':
      return [{ path, message: `invalid key ${showValue(path.at(-1))}: ${issue.issues[0]?.message ?? 'not allowed'}` }];
    case 'not_multiple_of':
      return [{ path, message: `must be a multiple of ${String(issue.divisor)}` }];
    default:
      return [{ path, message: issue.message }];
  }
}

/** Describes zod issues against the data that was parsed and the schema that rejected it. */
export function describeIssues(issues: readonly Issue[], data: unknown, schema: unknown): IssueReport[] {
  return issues.flatMap((issue) => describeOne(issue, data, schema));
}
