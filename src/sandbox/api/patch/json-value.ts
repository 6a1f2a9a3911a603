// Small helpers over plain JSON values shared by the patch engine: type guards, deep copy,
// deep equality and Go-compatible JSON encoding (sorted keys, HTML-safe escaping).

/** A JSON object. */
export type JsonObject = Record<string, unknown>;

/** Reports whether a value is a JSON object (not null, not an array). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Names the JSON kind of a value the way reflection in the Go patch code tells them apart. */
export function describeJsonKind(value: unknown): 'object' | 'array' | 'string' | 'number' | 'bool' | 'null' {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'object') return 'object';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'bool';
  return 'number';
}

/** Deep-copies a JSON value (undefined object members are dropped). */
export function cloneJson<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item) => cloneJson(item)) as T;
  if (isJsonObject(value)) {
    const out: JsonObject = {};
    for (const [key, item] of Object.entries(value)) {
      if (item !== undefined) out[key] = cloneJson(item);
    }
    return out as T;
  }
  return value;
}

/** Compares two JSON values structurally (object key order is ignored). */
export function isJsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((item, i) => isJsonEqual(item, b[i]));
  }
  if (isJsonObject(a) && isJsonObject(b)) {
    const keys = Object.keys(a).filter((k) => a[k] !== undefined);
    const otherKeys = Object.keys(b).filter((k) => b[k] !== undefined);
    return keys.length === otherKeys.length && keys.every((k) => k in b && isJsonEqual(a[k], b[k]));
  }
  return false;
}

const GO_ESCAPES: Record<string, string> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

/** Encodes a value as Go's encoding/json does: object keys sorted, <, > and & escaped. */
export function encodeGoJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => encodeGoJson(item ?? null)).join(',')}]`;
  if (isJsonObject(value)) {
    const keys = Object.keys(value).filter((k) => value[k] !== undefined).sort();
    return `{${keys.map((k) => `${encodeGoJson(k)}:${encodeGoJson(value[k])}`).join(',')}}`;
  }
  const text = JSON.stringify(value ?? null);
  return text.replace(/[<>&\u2028\u2029]/g, (ch) => GO_ESCAPES[ch]);
}

/** Formats a value roughly as Go's %v does for decoded JSON (used inside error messages). */
export function formatGoValue(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(formatGoValue).join(' ')}]`;
  if (isJsonObject(value)) {
    const keys = Object.keys(value).sort();
    return `map[${keys.map((k) => `${k}:${formatGoValue(value[k])}`).join(' ')}]`;
  }
  if (value === null || value === undefined) return '<nil>';
  return String(value);
}
