// Turn arbitrary observed data into something JSON.stringify accepts (bigint, cycles, errors, maps, sets).

/** A JSON-safe deep copy: bigint → string, cycles → "[Circular]", Error → {name, message}, Map/Set → object/array. */
export function toJsonValue(value: unknown, ancestors: object[] = []): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (value === null || typeof value !== 'object') return typeof value === 'function' || typeof value === 'symbol' ? undefined : value;
  if (ancestors.includes(value)) return '[Circular]';
  const inner = [...ancestors, value];
  if (value instanceof Error) return { name: value.name, message: value.message };
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), toJsonValue(v, inner)]));
  if (value instanceof Set || Array.isArray(value)) return [...value].map((v) => toJsonValue(v, inner) ?? null);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const safe = toJsonValue(v, inner);
    if (safe !== undefined) out[k] = safe;
  }
  return out;
}
